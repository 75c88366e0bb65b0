/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _MALLOC_HEAP_H_
#define _MALLOC_HEAP_H_

/*
 * Per-NUMA-node heaps living in the shared configuration (their elements
 * in EAL memory). Every function here is called with the heap lock held.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_malloc.h>

struct malloc_elem;

struct malloc_heap {
	struct malloc_elem *first;     /* all elements, by address */
	struct malloc_elem *last;
	struct malloc_elem *free_head; /* free elements */
	size_t total_size;             /* bytes of pages held */
	unsigned int alloc_count;
	int socket_id;
	int in_use;                    /* node exists */
};

/**
 * Allocate from one heap, growing it by pages when it lacks room (primary
 * only).
 *
 * @param heap_idx
 *   Heap index.
 * @param size
 *   Bytes (not 0).
 * @param align
 *   Power of two, at least a cache line.
 * @return
 *   Data pointer, or NULL with rte_errno ENOMEM.
 */
void *malloc_heap_alloc(unsigned int heap_idx, size_t size, size_t align);

/** Free a busy element; returns whole free pages (primary only). */
void malloc_heap_free(struct malloc_elem *elem);

/**
 * Grow an allocation in place if the element after it is free and large
 * enough.
 *
 * @return
 *   0 when elem now has at least size data bytes, -1 otherwise.
 */
int malloc_heap_resize(struct malloc_elem *elem, size_t size);

/**
 * Add n pages to a heap, pinned (init-time -m / --socket-mem).
 *
 * @return
 *   0, or -1 with rte_errno ENOMEM.
 */
int malloc_heap_add_pinned(unsigned int heap_idx, uint64_t bytes);

/** Log why the heap could not get size bytes of pages. */
void malloc_heap_log_failure(unsigned int heap_idx, size_t size);

/** Fill in statistics. */
void malloc_heap_stats(unsigned int heap_idx,
		struct rte_malloc_socket_stats *stats);

/** Heap index of a socket id, or -1. */
int malloc_heap_idx_of_socket(int socket_id);

#endif /* _MALLOC_HEAP_H_ */
