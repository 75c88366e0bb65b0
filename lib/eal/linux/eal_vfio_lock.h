/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_VFIO_LOCK_H_
#define _EAL_VFIO_LOCK_H_

/*
 * The container lock: a mutex whose uncontended take and release are one
 * atomic instruction each, inline, where a pthread mutex costs two calls
 * into libc per DMA map. Waiters sleep on a futex, so a holder doing
 * kernel work for long (device setup) does not make them spin.
 * Process-private, not recursive; all zeroes is unlocked.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

/** A mutex. */
struct vfio_lock {
	uint32_t state; /**< 0 free, 1 held, 2 held with sleepers. */
};

/** Slow path of vfio_lock_take(): sleep until the lock is ours. */
void vfio_lock_wait(struct vfio_lock *l);

/** Slow path of vfio_lock_release(): wake a sleeper. */
void vfio_lock_wake(struct vfio_lock *l);

/** Take l, sleeping while another thread holds it. */
static inline void
vfio_lock_take(struct vfio_lock *l)
{
	uint32_t free_state = 0;

	if (likely(__atomic_compare_exchange_n(&l->state, &free_state, 1,
			false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		return;
	vfio_lock_wait(l);
}

/** Release l, which the calling thread holds. */
static inline void
vfio_lock_release(struct vfio_lock *l)
{
	if (unlikely(__atomic_exchange_n(&l->state, 0, __ATOMIC_RELEASE) == 2))
		vfio_lock_wake(l);
}

#endif /* _EAL_VFIO_LOCK_H_ */
