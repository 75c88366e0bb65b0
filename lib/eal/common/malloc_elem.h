/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _MALLOC_ELEM_H_
#define _MALLOC_ELEM_H_

/*
 * A heap element: a header of one cache line in EAL memory, followed by
 * its data. Every byte of heap memory belongs to exactly one element;
 * elements of a heap are chained in address order, free ones also on the
 * heap's free list. Two elements merge only when they touch and belong to
 * the same segment list.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#define MALLOC_ELEM_MAGIC UINT64_C(0x6d616c6c6f63656c) /* "mallocel" */

enum malloc_elem_state {
	ELEM_FREE = 1,
	ELEM_BUSY = 2,
};

struct malloc_elem {
	struct malloc_elem *prev;      /* previous element by address */
	struct malloc_elem *next;      /* next element by address */
	struct malloc_elem *free_prev; /* free list (free elements only) */
	struct malloc_elem *free_next;
	size_t size;                   /* header included */
	uint32_t state;                /* enum malloc_elem_state */
	uint16_t heap_idx;             /* index of its heap */
	uint16_t msl_idx;              /* segment list holding it */
	uint64_t magic;
} __rte_cache_aligned;

#define MALLOC_ELEM_HEADER_LEN sizeof(struct malloc_elem)

RTE_BUILD_BUG_ON(sizeof(struct malloc_elem) != RTE_CACHE_LINE_SIZE);

static inline void *
malloc_elem_data(const struct malloc_elem *elem)
{
	return RTE_PTR_ADD(elem, MALLOC_ELEM_HEADER_LEN);
}

static inline size_t
malloc_elem_data_len(const struct malloc_elem *elem)
{
	return elem->size - MALLOC_ELEM_HEADER_LEN;
}

/* End address of an element. */
static inline uintptr_t
malloc_elem_end(const struct malloc_elem *elem)
{
	return (uintptr_t)elem + elem->size;
}

/* Header of a busy element from its data pointer, or NULL if not valid. */
struct malloc_elem *malloc_elem_from_data(const void *data);

/* Write a fresh header. */
void malloc_elem_init(struct malloc_elem *elem, size_t size,
		uint16_t heap_idx, uint16_t msl_idx, enum malloc_elem_state state);

/* True when b directly follows a in memory and both share a list. */
int malloc_elem_touch(const struct malloc_elem *a, const struct malloc_elem *b);

#endif /* _MALLOC_ELEM_H_ */
