/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_MEMALLOC_H_
#define _EAL_MEMALLOC_H_

/*
 * Per-process side of the segment lists: the virtual address reservation,
 * the backing file descriptor, and (secondary) which pages are mapped
 * here. Used by eal_memory.c at init and cleanup.
 */

#include <rte_memory.h>

/**
 * Reserve the list's address range: anywhere suitably aligned in the
 * primary (msl->base_va is set), at msl->base_va in a secondary.
 *
 * @param hint
 *   Preferred address (primary), may be NULL.
 * @return
 *   0, or -1 with rte_errno ENOMEM (primary) or EEXIST (secondary: the
 *   range is taken in this process; logged with a remedy).
 */
int eal_memalloc_list_reserve(unsigned int idx, void *hint);

/**
 * Open (secondary) or create (primary) the backing of a list.
 *
 * @return
 *   0, or -1 with rte_errno (logged).
 */
int eal_memalloc_list_open(unsigned int idx);

/**
 * Release the list in this process: unmap its range, close its backing
 * and, in the primary, remove its backing file.
 */
void eal_memalloc_list_release(unsigned int idx);

/**
 * Why the last page allocation of this process failed although pages were
 * free (the failure logged its own line then), for the heap's message.
 *
 * @return
 *   A short cause, or NULL when the last failure was a lack of pages (or
 *   the last allocation worked).
 */
const char *eal_memalloc_fail_cause(void);

/* Backing descriptor of list idx in this process, -1 when none. */
int eal_memalloc_list_fd(unsigned int idx);

#endif /* _EAL_MEMALLOC_H_ */
