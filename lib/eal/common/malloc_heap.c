/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Heaps: best fit over the free list, splitting and merging elements,
 * growing by whole pages and giving back every whole free page that was
 * not allocated at init. Callers hold the heap lock.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_log.h"
#include "eal_memcfg.h"
#include "malloc_elem.h"
#include "malloc_heap.h"

#define HDR MALLOC_ELEM_HEADER_LEN

static struct malloc_heap *
heap_get(unsigned int idx)
{
	return &eal_mcfg->heaps[idx];
}

int
malloc_heap_idx_of_socket(int socket_id)
{
	unsigned int i;

	if (eal_mcfg == NULL)
		return -1;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (eal_mcfg->heaps[i].in_use &&
				eal_mcfg->heaps[i].socket_id == socket_id)
			return (int)i;
	return -1;
}

/* Free list. */

static void
free_insert(struct malloc_heap *heap, struct malloc_elem *elem)
{
	elem->state = ELEM_FREE;
	elem->free_prev = NULL;
	elem->free_next = heap->free_head;
	if (heap->free_head != NULL)
		heap->free_head->free_prev = elem;
	heap->free_head = elem;
}

static void
free_remove(struct malloc_heap *heap, struct malloc_elem *elem)
{
	if (elem->free_prev != NULL)
		elem->free_prev->free_next = elem->free_next;
	else
		heap->free_head = elem->free_next;
	if (elem->free_next != NULL)
		elem->free_next->free_prev = elem->free_prev;
	elem->free_prev = elem->free_next = NULL;
}

/* Address-ordered list of all elements. */

static void
list_insert_after(struct malloc_heap *heap, struct malloc_elem *pos,
		struct malloc_elem *elem)
{
	elem->prev = pos;
	elem->next = pos != NULL ? pos->next : heap->first;
	if (elem->next != NULL)
		elem->next->prev = elem;
	else
		heap->last = elem;
	if (pos != NULL)
		pos->next = elem;
	else
		heap->first = elem;
}

static void
list_remove(struct malloc_heap *heap, struct malloc_elem *elem)
{
	if (elem->prev != NULL)
		elem->prev->next = elem->next;
	else
		heap->first = elem->next;
	if (elem->next != NULL)
		elem->next->prev = elem->prev;
	else
		heap->last = elem->prev;
	elem->prev = elem->next = NULL;
}

static void
list_insert_sorted(struct malloc_heap *heap, struct malloc_elem *elem)
{
	struct malloc_elem *pos = heap->last;

	while (pos != NULL && (uintptr_t)pos > (uintptr_t)elem)
		pos = pos->prev;
	list_insert_after(heap, pos, elem);
}

/* Merge a free element (not on the free list) with free neighbours. */
static struct malloc_elem *
merge_free(struct malloc_heap *heap, struct malloc_elem *elem)
{
	struct malloc_elem *next = elem->next, *prev = elem->prev;

	if (next != NULL && next->state == ELEM_FREE &&
			malloc_elem_touch(elem, next)) {
		free_remove(heap, next);
		list_remove(heap, next);
		elem->size += next->size;
		next->magic = 0;
	}
	if (prev != NULL && prev->state == ELEM_FREE &&
			malloc_elem_touch(prev, elem)) {
		free_remove(heap, prev);
		list_remove(heap, elem);
		prev->size += elem->size;
		elem->magic = 0;
		elem = prev;
	}
	return elem;
}

/* Where an element for (size, align) would start inside elem, or 0. */
static uintptr_t
fit(const struct malloc_elem *elem, size_t size, size_t align)
{
	uintptr_t data = RTE_ALIGN_CEIL((uintptr_t)elem + HDR, align);

	if (data - (uintptr_t)elem + size > elem->size)
		return 0;
	return data - HDR;
}

static struct malloc_elem *
find_best(struct malloc_heap *heap, size_t size, size_t align)
{
	struct malloc_elem *e, *best = NULL;

	for (e = heap->free_head; e != NULL; e = e->free_next)
		if (fit(e, size, align) != 0 &&
				(best == NULL || e->size < best->size))
			best = e;
	return best;
}

/* Carve a busy element of size data bytes out of a free element. */
static void *
carve(struct malloc_heap *heap, struct malloc_elem *elem, size_t size,
		size_t align)
{
	uintptr_t start = fit(elem, size, align);
	size_t total = HDR + size;

	free_remove(heap, elem);
	if (start != (uintptr_t)elem) {
		struct malloc_elem *busy = (struct malloc_elem *)start;

		malloc_elem_init(busy, malloc_elem_end(elem) - start,
			elem->heap_idx, elem->msl_idx, ELEM_BUSY);
		elem->size = start - (uintptr_t)elem;
		list_insert_after(heap, elem, busy);
		free_insert(heap, elem);
		elem = busy;
	}
	if (elem->size - total >= HDR) {
		struct malloc_elem *tail = RTE_PTR_ADD(elem, total);

		malloc_elem_init(tail, elem->size - total, elem->heap_idx,
			elem->msl_idx, ELEM_FREE);
		elem->size = total;
		list_insert_after(heap, elem, tail);
		free_insert(heap, tail);
	}
	elem->state = ELEM_BUSY;
	heap->alloc_count++;
	return malloc_elem_data(elem);
}

/* Make freshly mapped pages a free element of the heap. */
static void
add_area(unsigned int heap_idx, struct rte_memseg_list *msl, void *addr,
		size_t len)
{
	struct malloc_heap *heap = heap_get(heap_idx);
	struct malloc_elem *elem = addr;

	malloc_elem_init(elem, len, (uint16_t)heap_idx,
		(uint16_t)eal_list_idx(msl), ELEM_FREE);
	list_insert_sorted(heap, elem);
	heap->total_size += len;
	elem = merge_free(heap, elem);
	free_insert(heap, elem);
}

/* Map pages for at least need bytes, smallest page size first. */
static int
heap_grow(unsigned int heap_idx, size_t need, uint32_t seg_flags)
{
	int socket_id = heap_get(heap_idx)->socket_id;
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &eal_mcfg->lists[i];
		uint64_t n;
		void *addr;

		if (!eal_list_in_use(msl) || msl->external || !msl->heap ||
				msl->socket_id != socket_id)
			continue;
		n = RTE_ALIGN_CEIL((uint64_t)need, msl->page_sz) / msl->page_sz;
		if (n > msl->n_segs - msl->n_used)
			continue;
		addr = eal_memalloc_alloc_run(msl, (uint32_t)n, seg_flags);
		if (addr == NULL && eal_memalloc_refused())
			return -1; /* other pages would be refused too */
		if (addr == NULL)
			continue;
		add_area(heap_idx, msl, addr, (size_t)(n * msl->page_sz));
		return 0;
	}
	rte_errno = ENOMEM;
	return -1;
}

void *
malloc_heap_alloc(unsigned int heap_idx, size_t size, size_t align)
{
	struct malloc_heap *heap = heap_get(heap_idx);
	struct malloc_elem *elem;

	size = RTE_ALIGN_CEIL(size, (size_t)RTE_CACHE_LINE_SIZE);
	elem = find_best(heap, size, align);
	if (elem == NULL) {
		if (rte_eal_process_type() == RTE_PROC_SECONDARY) {
			rte_errno = ENOMEM;
			return NULL;
		}
		if (heap_grow(heap_idx, size + RTE_MAX(align, HDR), 0) != 0)
			return NULL;
		elem = find_best(heap, size, align);
		if (elem == NULL) {
			rte_errno = ENOMEM;
			return NULL;
		}
	}
	return carve(heap, elem, size, align);
}

/* First run of releasable pages inside [start, end), as page indexes. */
static int
freeable_run(const struct rte_memseg_list *msl, uintptr_t start,
		uintptr_t end, uint32_t *first, uint32_t *last)
{
	const struct rte_memseg *segs = eal_list_segs(msl);
	uintptr_t base = (uintptr_t)msl->base_va;
	uintptr_t ps = RTE_ALIGN_CEIL(start, msl->page_sz);
	uintptr_t pe = RTE_ALIGN_FLOOR(end, msl->page_sz);
	uint32_t k, kend;

	if (pe <= ps)
		return 0;
	k = (uint32_t)((ps - base) / msl->page_sz);
	kend = (uint32_t)((pe - base) / msl->page_sz);
	while (k < kend && (segs[k].flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) != 0)
		k++;
	if (k == kend)
		return 0;
	*first = k;
	while (k < kend && (segs[k].flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) == 0)
		k++;
	*last = k;
	return 1;
}

/* Give back the whole pages of a free element (on the free list). */
static void
release_pages(struct malloc_heap *heap, struct malloc_elem *elem)
{
	struct rte_memseg_list *msl = &eal_mcfg->lists[elem->msl_idx];
	uint32_t first, last;

	while (elem != NULL && freeable_run(msl, (uintptr_t)elem,
			malloc_elem_end(elem), &first, &last)) {
		uintptr_t rs = (uintptr_t)msl->base_va +
			(uintptr_t)first * msl->page_sz;
		uintptr_t re = (uintptr_t)msl->base_va +
			(uintptr_t)last * msl->page_sz;
		uintptr_t end = malloc_elem_end(elem);
		struct malloc_elem *tail = NULL;

		free_remove(heap, elem);
		if (re < end) {
			tail = (struct malloc_elem *)re;
			malloc_elem_init(tail, end - re, elem->heap_idx,
				elem->msl_idx, ELEM_FREE);
			list_insert_after(heap, elem, tail);
			free_insert(heap, tail);
		}
		if (rs > (uintptr_t)elem) {
			elem->size = rs - (uintptr_t)elem;
			free_insert(heap, elem);
		} else {
			elem->magic = 0;
			list_remove(heap, elem);
		}
		heap->total_size -= re - rs;
		eal_memalloc_free_run(msl, (void *)rs, last - first);
		elem = tail;
	}
}

void
malloc_heap_free(struct malloc_elem *elem)
{
	struct malloc_heap *heap = heap_get(elem->heap_idx);

	elem->state = ELEM_FREE;
	heap->alloc_count--;
	elem = merge_free(heap, elem);
	free_insert(heap, elem);
	/* pages come and go only in the primary (its DMA maps follow them) */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		release_pages(heap, elem);
}

int
malloc_heap_resize(struct malloc_elem *elem, size_t size)
{
	struct malloc_heap *heap = heap_get(elem->heap_idx);
	struct malloc_elem *next = elem->next;
	size_t total;

	size = RTE_ALIGN_CEIL(size, (size_t)RTE_CACHE_LINE_SIZE);
	total = HDR + size;
	if (elem->size < total) {
		if (next == NULL || next->state != ELEM_FREE ||
				!malloc_elem_touch(elem, next) ||
				elem->size + next->size < total)
			return -1;
		free_remove(heap, next);
		list_remove(heap, next);
		elem->size += next->size;
		next->magic = 0;
	}
	if (elem->size - total >= HDR) {
		struct malloc_elem *tail = RTE_PTR_ADD(elem, total);

		malloc_elem_init(tail, elem->size - total, elem->heap_idx,
			elem->msl_idx, ELEM_FREE);
		elem->size = total;
		list_insert_after(heap, elem, tail);
		tail = merge_free(heap, tail);
		free_insert(heap, tail);
		if (rte_eal_process_type() == RTE_PROC_PRIMARY)
			release_pages(heap, tail);
	}
	return 0;
}

int
malloc_heap_add_pinned(unsigned int heap_idx, uint64_t bytes)
{
	int socket_id = heap_get(heap_idx)->socket_id;
	uint64_t left = bytes, chunk = bytes;

	while (left > 0) {
		if (heap_grow(heap_idx, (size_t)RTE_MIN(chunk, left),
				RTE_MEMSEG_FLAG_DO_NOT_FREE) == 0) {
			left -= RTE_MIN(chunk, left);
			continue;
		}
		chunk /= 2;
		if (eal_memalloc_refused())
			return -1; /* the callback said why */
		if (chunk < RTE_PGSIZE_4K) {
			EAL_LOG(ERR, "cannot allocate %" PRIu64 " MiB at init (-m/--socket-mem) on socket %d: got %" PRIu64 " MiB",
				bytes >> 20, socket_id, (bytes - left) >> 20);
			eal_memory_explain_exhausted(socket_id, (size_t)left);
			rte_errno = ENOMEM;
			return -1;
		}
	}
	return 0;
}

void
malloc_heap_log_failure(unsigned int heap_idx, size_t size)
{
	/* refused pages were explained by who refused them */
	if (eal_memalloc_refused())
		return;
	eal_memory_explain_exhausted(heap_get(heap_idx)->socket_id, size);
}

void
malloc_heap_stats(unsigned int heap_idx, struct rte_malloc_socket_stats *st)
{
	const struct malloc_heap *heap = heap_get(heap_idx);
	const struct malloc_elem *e;

	memset(st, 0, sizeof(*st));
	st->heap_totalsz_bytes = heap->total_size;
	st->alloc_count = heap->alloc_count;
	for (e = heap->first; e != NULL; e = e->next) {
		if (e->state != ELEM_FREE) {
			st->heap_allocsz_bytes += e->size;
			continue;
		}
		st->free_count++;
		st->heap_freesz_bytes += malloc_elem_data_len(e);
		if (malloc_elem_data_len(e) > st->greatest_free_size)
			st->greatest_free_size = malloc_elem_data_len(e);
	}
}
