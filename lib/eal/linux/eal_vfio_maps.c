/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <stdlib.h>
#include <string.h>

#include "eal_vfio_maps.h"

#define MAPS_MIN_CAP 16

/* inclusive end, so that a range ending at 2^64 does not wrap */
static inline uint64_t
map_last(const struct vfio_map *e)
{
	return e->iova + (e->len - 1);
}

/* same va -> iova translation (modulo 2^64, like the addresses) */
static inline int
same_delta(const struct vfio_map *e, uint64_t va, uint64_t iova)
{
	return e->va - e->iova == va - iova;
}

/* index of the first entry ending at or after iova */
static size_t
maps_lower(const struct vfio_maps *m, uint64_t iova)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map_last(&m->v[mid]) < iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
vfio_maps_init(struct vfio_maps *m, bool merge)
{
	memset(m, 0, sizeof(*m));
	m->merge = merge;
}

void
vfio_maps_fini(struct vfio_maps *m)
{
	free(m->v);
	m->v = NULL;
	m->n = 0;
	m->cap = 0;
}

void
vfio_maps_clear(struct vfio_maps *m)
{
	m->n = 0;
}

enum vfio_result
vfio_maps_check_add(const struct vfio_maps *m, uint64_t va, uint64_t iova,
		uint64_t len, struct vfio_map *conflict)
{
	uint64_t last = iova + (len - 1);
	uint64_t pos = iova;
	size_t i = maps_lower(m, iova);
	const struct vfio_map *e = NULL;

	if (i == m->n || m->v[i].iova > last)
		return VFIO_OK;
	/* identical only if covered without a gap by the same translation */
	for (; i < m->n && m->v[i].iova <= last; i++) {
		e = &m->v[i];
		if (e->iova > pos || !same_delta(e, va, iova))
			goto conflict;
		if (map_last(e) >= last)
			return VFIO_ALREADY;
		pos = map_last(e) + 1;
	}
conflict:
	if (conflict != NULL)
		*conflict = *e;
	return VFIO_EXISTS;
}

enum vfio_result
vfio_maps_check_remove(const struct vfio_maps *m, uint64_t va, uint64_t iova,
		uint64_t len, bool partial)
{
	uint64_t last = iova + (len - 1);
	size_t i = maps_lower(m, iova), first = i;

	if (i == m->n || m->v[i].iova > last)
		return VFIO_NOT_FOUND;
	for (; i < m->n && m->v[i].iova <= last; i++)
		if (!same_delta(&m->v[i], va, iova))
			return VFIO_NOT_FOUND;
	if (partial)
		return VFIO_OK;
	if (m->v[first].iova < iova || map_last(&m->v[i - 1]) > last)
		return VFIO_UNSUPPORTED;
	return VFIO_OK;
}

enum vfio_result
vfio_maps_reserve(struct vfio_maps *m)
{
	struct vfio_map *v;
	size_t cap;

	if (m->n < m->cap)
		return VFIO_OK;
	cap = m->cap == 0 ? MAPS_MIN_CAP : m->cap * 2;
	v = realloc(m->v, cap * sizeof(*v));
	if (v == NULL)
		return VFIO_NO_MEMORY;
	m->v = v;
	m->cap = cap;
	return VFIO_OK;
}

static void
insert_at(struct vfio_maps *m, size_t i, uint64_t va, uint64_t iova,
		uint64_t len)
{
	memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(m->v[0]));
	m->v[i].va = va;
	m->v[i].iova = iova;
	m->v[i].len = len;
	m->n++;
}

static void
delete_range(struct vfio_maps *m, size_t i, size_t j)
{
	memmove(&m->v[i], &m->v[j], (m->n - j) * sizeof(m->v[0]));
	m->n -= j - i;
}

/* b directly follows a in both address spaces */
static int
contiguous(const struct vfio_map *a, const struct vfio_map *b)
{
	return a->iova + a->len == b->iova && a->va + a->len == b->va;
}

void
vfio_maps_add(struct vfio_maps *m, uint64_t va, uint64_t iova, uint64_t len)
{
	size_t i = maps_lower(m, iova);

	insert_at(m, i, va, iova, len);
	if (!m->merge)
		return;
	if (i + 1 < m->n && contiguous(&m->v[i], &m->v[i + 1])) {
		m->v[i].len += m->v[i + 1].len;
		delete_range(m, i + 1, i + 2);
	}
	if (i > 0 && contiguous(&m->v[i - 1], &m->v[i])) {
		m->v[i - 1].len += m->v[i].len;
		delete_range(m, i, i + 1);
	}
}

void
vfio_maps_remove(struct vfio_maps *m, uint64_t iova, uint64_t len)
{
	uint64_t last = iova + (len - 1);
	size_t i = maps_lower(m, iova), j;
	struct vfio_map *e;
	uint64_t off;

	if (i == m->n || m->v[i].iova > last)
		return;
	e = &m->v[i];
	if (e->iova < iova && map_last(e) > last) {
		/* hole in the middle: e keeps the head, a new entry the tail */
		off = last + 1 - e->iova;
		insert_at(m, i + 1, e->va + off, last + 1, e->len - off);
		m->v[i].len = iova - m->v[i].iova;
		return;
	}
	if (e->iova < iova) {
		e->len = iova - e->iova;
		i++;
	}
	for (j = i; j < m->n && map_last(&m->v[j]) <= last; j++)
		;
	if (j < m->n && m->v[j].iova <= last) {
		e = &m->v[j];
		off = last + 1 - e->iova;
		e->iova += off;
		e->va += off;
		e->len -= off;
	}
	delete_range(m, i, j);
}

const struct vfio_map *
vfio_maps_find(const struct vfio_maps *m, uint64_t iova)
{
	size_t i = maps_lower(m, iova);

	if (i < m->n && m->v[i].iova <= iova)
		return &m->v[i];
	return NULL;
}

const struct vfio_map *
vfio_maps_next(const struct vfio_maps *m, uint64_t iova)
{
	size_t i = maps_lower(m, iova);

	return i < m->n ? &m->v[i] : NULL;
}
