/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Alarms: a list sorted by deadline and one CLOCK_MONOTONIC timerfd armed
 * for the earliest, watched by the interrupt thread which runs the due
 * callbacks.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_interrupts.h>

#include "eal_log.h"
#include "eal_private.h"

#define NS_PER_S 1000000000L
#define ALARM_ANY_ARG ((void *)-1)

struct alarm_entry {
	TAILQ_ENTRY(alarm_entry) next;
	struct timespec deadline;
	rte_eal_alarm_callback cb;
	void *arg;
	int executing;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t done; /* an executing alarm finished */
	TAILQ_HEAD(, alarm_entry) list;
	struct rte_intr_handle *handle;
	int tfd;
	int ready;
} alarms = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
	.list = TAILQ_HEAD_INITIALIZER(alarms.list),
	.tfd = -1,
};

static int
ts_before_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
		(a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/* Arm the timerfd for the first alarm not running (or disarm). Locked. */
static void
alarm_rearm(void)
{
	struct itimerspec its;
	struct alarm_entry *a;

	memset(&its, 0, sizeof(its));
	TAILQ_FOREACH(a, &alarms.list, next) {
		if (!a->executing) {
			its.it_value = a->deadline;
			/* all-zero would disarm: a deadline is never 0 */
			if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
				its.it_value.tv_nsec = 1;
			break;
		}
	}
	if (timerfd_settime(alarms.tfd, TFD_TIMER_ABSTIME, &its, NULL) != 0)
		EAL_LOG(ERR, "alarm timerfd: timerfd_settime failed: %s",
			strerror(errno));
}

/* Interrupt callback of the timerfd: run every due alarm. */
static void
alarm_fire(void *arg __rte_unused)
{
	struct alarm_entry *a;
	struct timespec now;

	pthread_mutex_lock(&alarms.lock);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		a = TAILQ_FIRST(&alarms.list);
		if (a == NULL || !ts_before_eq(&a->deadline, &now))
			break;
		a->executing = 1;
		pthread_mutex_unlock(&alarms.lock);
		a->cb(a->arg);
		pthread_mutex_lock(&alarms.lock);
		TAILQ_REMOVE(&alarms.list, a, next);
		free(a);
		pthread_cond_broadcast(&alarms.done);
	}
	alarm_rearm();
	pthread_mutex_unlock(&alarms.lock);
}

int
rte_eal_alarm_set(uint64_t us, rte_eal_alarm_callback cb_fn, void *cb_arg)
{
	struct alarm_entry *a, *it;
	struct timespec now;
	int ret = 0;

	if (us < 1 || us > UINT64_MAX / 2 || cb_fn == NULL) {
		EAL_LOG(ERR, "alarm: invalid delay %" PRIu64 " us or callback",
			us);
		rte_errno = EINVAL;
		return -1;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		rte_errno = ENOMEM;
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	a->deadline.tv_sec = now.tv_sec + (time_t)(us / 1000000);
	a->deadline.tv_nsec = now.tv_nsec + (long)(us % 1000000) * 1000;
	if (a->deadline.tv_nsec >= NS_PER_S) {
		a->deadline.tv_sec++;
		a->deadline.tv_nsec -= NS_PER_S;
	}
	a->cb = cb_fn;
	a->arg = cb_arg;
	pthread_mutex_lock(&alarms.lock);
	if (!alarms.ready) {
		EAL_LOG(ERR, "alarm: no interrupt thread (EAL not initialised)");
		rte_errno = ENOTSUP;
		ret = -1;
		goto unlock;
	}
	/* after every alarm due at or before ours: FIFO among equals */
	TAILQ_FOREACH(it, &alarms.list, next)
		if (!it->executing && !ts_before_eq(&it->deadline, &a->deadline))
			break;
	if (it != NULL)
		TAILQ_INSERT_BEFORE(it, a, next);
	else
		TAILQ_INSERT_TAIL(&alarms.list, a, next);
	a = NULL;
	alarm_rearm();
unlock:
	pthread_mutex_unlock(&alarms.lock);
	free(a);
	return ret;
}

int
rte_eal_alarm_cancel(rte_eal_alarm_callback cb_fn, void *cb_arg)
{
	struct alarm_entry *a, *tmp;
	int count = 0, self_running;

	if (cb_fn == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&alarms.lock);
again:
	self_running = 0;
	for (a = TAILQ_FIRST(&alarms.list); a != NULL; a = tmp) {
		tmp = TAILQ_NEXT(a, next);
		if (a->cb != cb_fn || (cb_arg != ALARM_ANY_ARG && a->arg != cb_arg))
			continue;
		if (!a->executing) {
			TAILQ_REMOVE(&alarms.list, a, next);
			free(a);
			count++;
		} else if (rte_thread_is_intr()) {
			self_running = 1; /* cancelling itself: cannot wait */
		} else {
			pthread_cond_wait(&alarms.done, &alarms.lock);
			goto again;
		}
	}
	if (alarms.ready)
		alarm_rearm();
	pthread_mutex_unlock(&alarms.lock);
	if (count == 0)
		rte_errno = self_running ? EINPROGRESS : ENOENT;
	return count;
}

int
eal_alarm_init(void)
{
	alarms.handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (alarms.handle == NULL)
		return -1;
	alarms.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (alarms.tfd < 0) {
		EAL_LOG(ERR, "alarm: timerfd_create failed: %s", strerror(errno));
		rte_errno = errno == ENOMEM ? ENOMEM : EIO;
		goto free_handle;
	}
	rte_intr_fd_set(alarms.handle, alarms.tfd);
	rte_intr_type_set(alarms.handle, RTE_INTR_HANDLE_ALARM);
	if (rte_intr_callback_register(alarms.handle, alarm_fire, NULL) != 0)
		goto close_tfd;
	pthread_mutex_lock(&alarms.lock);
	alarms.ready = 1;
	pthread_mutex_unlock(&alarms.lock);
	return 0;
close_tfd:
	close(alarms.tfd);
	alarms.tfd = -1;
free_handle:
	rte_intr_instance_free(alarms.handle);
	alarms.handle = NULL;
	return -1;
}

void
eal_alarm_cleanup(void)
{
	struct alarm_entry *a;
	int left = 0;

	if (alarms.handle == NULL)
		return;
	pthread_mutex_lock(&alarms.lock);
	alarms.ready = 0;
	pthread_mutex_unlock(&alarms.lock);
	/* waits for a running alarm round to end */
	rte_intr_callback_unregister_sync(alarms.handle, alarm_fire, NULL);
	pthread_mutex_lock(&alarms.lock);
	while ((a = TAILQ_FIRST(&alarms.list)) != NULL) {
		TAILQ_REMOVE(&alarms.list, a, next);
		free(a);
		left++;
	}
	pthread_mutex_unlock(&alarms.lock);
	if (left > 0)
		EAL_LOG(DEBUG, "alarm: %d pending alarms cancelled at cleanup",
			left);
	close(alarms.tfd);
	alarms.tfd = -1;
	rte_intr_instance_free(alarms.handle);
	alarms.handle = NULL;
}
