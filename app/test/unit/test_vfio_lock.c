/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* The container lock (eal_vfio_lock.h): exclusion, sleep and wake-up. */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "eal_vfio_lock.h"

#define THREADS 4
#define ROUNDS 200000

static struct vfio_lock lock;
static uint64_t counter; /* plain: only the lock keeps increments whole */
static uint32_t woken;

static void *
add_many(void *arg)
{
	unsigned int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		vfio_lock_take(&lock);
		counter++;
		vfio_lock_release(&lock);
	}
	return NULL;
}

static void
test_lock_excludes(void **state)
{
	pthread_t t[THREADS];
	unsigned int i;

	(void)state;
	counter = 0;
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, add_many, NULL), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(counter, (uint64_t)THREADS * ROUNDS);
	assert_int_equal(lock.state, 0);
}

static void *
take_once(void *arg)
{
	(void)arg;
	vfio_lock_take(&lock);
	__atomic_fetch_add(&woken, 1, __ATOMIC_RELAXED);
	vfio_lock_release(&lock);
	return NULL;
}

/* waiters sleep while the holder works, and all get the lock after it */
static void
test_lock_wakes_sleepers(void **state)
{
	struct timespec ms = { .tv_sec = 0, .tv_nsec = 1000000 };
	pthread_t t[THREADS];
	unsigned int i, k;

	(void)state;
	woken = 0;
	vfio_lock_take(&lock);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, take_once, NULL),
			0);
	/* a waiter marks the lock contended before it sleeps */
	for (k = 0; k < 5000 && __atomic_load_n(&lock.state,
			__ATOMIC_RELAXED) != 2; k++)
		nanosleep(&ms, NULL);
	assert_int_equal(lock.state, 2);
	nanosleep(&ms, NULL);
	assert_int_equal(__atomic_load_n(&woken, __ATOMIC_RELAXED), 0);
	vfio_lock_release(&lock);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(woken, THREADS);
	assert_int_equal(lock.state, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_excludes),
		cmocka_unit_test(test_lock_wakes_sleepers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
