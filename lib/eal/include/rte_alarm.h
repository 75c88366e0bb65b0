/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_ALARM_H_
#define _RTE_ALARM_H_

/**
 * @file
 * One-shot alarms run in the EAL interrupt thread.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Alarm callback, run in the interrupt thread.
 *
 * @param arg
 *   Argument given to rte_eal_alarm_set().
 */
typedef void (*rte_eal_alarm_callback)(void *arg);

/**
 * Call cb_fn(cb_arg) once, us microseconds from now (CLOCK_MONOTONIC).
 * Alarms due at the same time run in the order they were set.
 *
 * @param us
 *   Delay, 1 .. UINT64_MAX / 2.
 * @param cb_fn
 *   Callback.
 * @param cb_arg
 *   Its argument.
 * @return
 *   0, or -1 with rte_errno EINVAL (us or cb_fn invalid), ENOMEM, ENOTSUP
 *   (EAL not initialised: no interrupt thread).
 */
int rte_eal_alarm_set(uint64_t us, rte_eal_alarm_callback cb_fn,
		void *cb_arg);

/**
 * Cancel pending alarms. An alarm running in another thread is waited
 * for (and not counted).
 *
 * @param cb_fn
 *   Callback.
 * @param cb_arg
 *   Its argument, or (void *)-1 for every argument.
 * @return
 *   Number of alarms cancelled; with 0 rte_errno is ENOENT (none found),
 *   EINPROGRESS (the only match is the alarm calling this) or EINVAL
 *   (cb_fn NULL; -1 is then returned).
 */
int rte_eal_alarm_cancel(rte_eal_alarm_callback cb_fn, void *cb_arg);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_ALARM_H_ */
