/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <string.h>

#include <rte_memory.h>

#include "malloc_elem.h"

void
malloc_elem_init(struct malloc_elem *elem, size_t size, uint16_t heap_idx,
		uint16_t msl_idx, enum malloc_elem_state state)
{
	memset(elem, 0, sizeof(*elem));
	elem->size = size;
	elem->state = state;
	elem->heap_idx = heap_idx;
	elem->msl_idx = msl_idx;
	elem->magic = MALLOC_ELEM_MAGIC;
}

int
malloc_elem_touch(const struct malloc_elem *a, const struct malloc_elem *b)
{
	return a != NULL && b != NULL && malloc_elem_end(a) == (uintptr_t)b &&
		a->msl_idx == b->msl_idx;
}

struct malloc_elem *
malloc_elem_from_data(const void *data)
{
	struct malloc_elem *elem;

	if (data == NULL || ((uintptr_t)data % RTE_CACHE_LINE_SIZE) != 0 ||
			rte_mem_virt2memseg(data, NULL) == NULL)
		return NULL;
	elem = RTE_PTR_SUB(data, MALLOC_ELEM_HEADER_LEN);
	if (rte_mem_virt2memseg(elem, NULL) == NULL ||
			elem->magic != MALLOC_ELEM_MAGIC || elem->state != ELEM_BUSY)
		return NULL;
	return elem;
}
