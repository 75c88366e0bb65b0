/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The sleeping half of the container lock. A waiter marks the lock
 * contended (2) before it sleeps, so that the release it waits for knows
 * to wake someone; a woken waiter takes the lock as contended again, as it
 * cannot know whether others still sleep.
 */

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "eal_vfio_lock.h"

void
vfio_lock_wait(struct vfio_lock *l)
{
	while (__atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE) != 0)
		syscall(SYS_futex, &l->state, FUTEX_WAIT_PRIVATE, 2, NULL,
			NULL, 0); /* EAGAIN when no longer 2: look again */
}

void
vfio_lock_wake(struct vfio_lock *l)
{
	syscall(SYS_futex, &l->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
