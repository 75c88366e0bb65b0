/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Alarms: they fire (never early), in deadline order, on the interrupt
 * thread; they can be cancelled. To cancel deterministically, a "blocker"
 * alarm holds the interrupt thread while the test cancels the others.
 */

#include <errno.h>
#include <inttypes.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <rte_alarm.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_interrupts.h>

#include "test.h"

#define WAIT_FAILSAFE_S 10 /* only reached when the test already failed */
#define FAR_US (3600ULL * 1000000) /* an alarm that never fires in a test */

static sem_t fired;
static int order[8];
static int nb_order;
static struct timespec fired_at;
static int fired_in_intr;

static int
wait_sem(sem_t *s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_FAILSAFE_S;
	while (sem_timedwait(s, &ts) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static void
record_cb(void *arg)
{
	clock_gettime(CLOCK_MONOTONIC, &fired_at);
	fired_in_intr = rte_thread_is_intr();
	if (nb_order < (int)RTE_DIM(order))
		order[nb_order++] = (int)(uintptr_t)arg;
	sem_post(&fired);
}

static uint64_t
ns_of(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
}

static int
test_fires_not_early(void)
{
	struct timespec set_at;

	nb_order = 0;
	clock_gettime(CLOCK_MONOTONIC, &set_at);
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(2000, record_cb, (void *)1),
		"set: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(wait_sem(&fired), "alarm did not fire");
	TEST_ASSERT(ns_of(&fired_at) >= ns_of(&set_at) + 2000000,
		"fired %" PRIu64 " ns after set, before its 2 ms",
		ns_of(&fired_at) - ns_of(&set_at));
	TEST_ASSERT_EQUAL(fired_in_intr, 1, "not on the interrupt thread");
	TEST_ASSERT_EQUAL(rte_eal_alarm_cancel(record_cb, (void *)1), 0,
		"a fired alarm was still pending");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "errno %d", rte_errno);
	return TEST_SUCCESS;
}

static int
test_deadline_order(void)
{
	int i;

	nb_order = 0;
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(30000, record_cb, (void *)3), "set");
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(1000, record_cb, (void *)1), "set");
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(10000, record_cb, (void *)2), "set");
	for (i = 0; i < 3; i++)
		TEST_ASSERT_SUCCESS(wait_sem(&fired), "alarm %d missing", i);
	TEST_ASSERT(order[0] == 1 && order[1] == 2 && order[2] == 3,
		"order %d %d %d", order[0], order[1], order[2]);
	return TEST_SUCCESS;
}

static sem_t blocker_running, blocker_release;

static void
blocker_cb(void *arg __rte_unused)
{
	sem_post(&blocker_running);
	wait_sem(&blocker_release);
}

static int cancelled_calls;

static void
cancelled_cb(void *arg __rte_unused)
{
	cancelled_calls++;
}

static int
test_cancel(void)
{
	nb_order = 0;
	cancelled_calls = 0;
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(1, blocker_cb, NULL), "blocker");
	TEST_ASSERT_SUCCESS(wait_sem(&blocker_running), "blocker not running");
	/* due now, but the interrupt thread is held by the blocker */
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(1, cancelled_cb, (void *)1), "x1");
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(1, cancelled_cb, (void *)2), "x2");
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(1, cancelled_cb, (void *)3), "x3");
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(2, record_cb, (void *)7), "marker");
	TEST_ASSERT_EQUAL(rte_eal_alarm_cancel(cancelled_cb, (void *)1), 1,
		"cancel one");
	TEST_ASSERT_EQUAL(rte_eal_alarm_cancel(cancelled_cb, (void *)1), 0,
		"cancel it twice");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_eal_alarm_cancel(cancelled_cb, (void *)-1), 2,
		"cancel the others with any argument");
	sem_post(&blocker_release);
	TEST_ASSERT_SUCCESS(wait_sem(&fired), "marker did not fire");
	TEST_ASSERT_EQUAL(order[0], 7, "marker arg %d", order[0]);
	TEST_ASSERT_EQUAL(cancelled_calls, 0, "a cancelled alarm ran");
	return TEST_SUCCESS;
}

static int self_cancel_ret;
static int self_cancel_errno;

static void
self_cancel_cb(void *arg)
{
	self_cancel_ret = rte_eal_alarm_cancel(self_cancel_cb, arg);
	self_cancel_errno = rte_errno;
	sem_post(&fired);
}

static int
test_cancel_self(void)
{
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(1, self_cancel_cb, NULL), "set");
	TEST_ASSERT_SUCCESS(wait_sem(&fired), "alarm did not fire");
	TEST_ASSERT_EQUAL(self_cancel_ret, 0, "cancelled itself: %d",
		self_cancel_ret);
	TEST_ASSERT_EQUAL(self_cancel_errno, EINPROGRESS, "errno %d",
		self_cancel_errno);
	return TEST_SUCCESS;
}

static int
test_invalid(void)
{
	TEST_ASSERT_EQUAL(rte_eal_alarm_set(0, record_cb, NULL), -1, "0 us");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_eal_alarm_set(UINT64_MAX, record_cb, NULL), -1,
		"huge delay");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_eal_alarm_set(10, NULL, NULL), -1, "NULL cb");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_eal_alarm_cancel(NULL, NULL), -1, "cancel NULL");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	return TEST_SUCCESS;
}

static int
eal_start(void)
{
	/* no hugepages needed: this is not about memory */
	char *argv[] = { (char *)(uintptr_t)"dpdk-test",
		(char *)(uintptr_t)"--in-memory", (char *)(uintptr_t)"--no-huge",
		NULL };

	return rte_eal_init(3, argv) < 0 ? -1 : 0;
}

static int
test_alarm(void)
{
	int ret = TEST_FAILED;

	sem_init(&fired, 0, 0);
	sem_init(&blocker_running, 0, 0);
	sem_init(&blocker_release, 0, 0);
	TEST_ASSERT_EQUAL(rte_eal_alarm_set(10, record_cb, NULL), -1,
		"alarm set without EAL");
	TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(eal_start(), "EAL init: %s", rte_strerror(rte_errno));
	if (test_invalid() == TEST_SUCCESS &&
			test_fires_not_early() == TEST_SUCCESS &&
			test_deadline_order() == TEST_SUCCESS &&
			test_cancel() == TEST_SUCCESS &&
			test_cancel_self() == TEST_SUCCESS)
		ret = TEST_SUCCESS;
	/* a pending alarm at cleanup is dropped: cleanup neither waits nor runs it */
	if (rte_eal_alarm_set(FAR_US, cancelled_cb, NULL) != 0)
		ret = TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_eal_cleanup(), "cleanup");
	TEST_ASSERT_EQUAL(rte_eal_alarm_cancel(cancelled_cb, NULL), 0,
		"alarm survived cleanup");
	return ret;
}

REGISTER_TEST_COMMAND_EAL(alarm_autotest, test_alarm, TEST_EAL_NONE);
