/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* Sorted tables of DMA mappings (type1 containers, IOASes, sPAPR). */

#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

void
fake_maps_free(struct fake_maptab *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

size_t
fake_maps_lower(const struct fake_maptab *t, uint64_t iova)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fake_dma *d = &t->e[mid];

		if (d->iova + d->size - 1 < iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct fake_dma *
fake_maps_find(const struct fake_maptab *t, uint64_t iova)
{
	size_t i = fake_maps_lower(t, iova);

	if (i < t->n && t->e[i].iova <= iova)
		return &t->e[i];
	return NULL;
}

bool
fake_maps_overlap(const struct fake_maptab *t, uint64_t iova, uint64_t size)
{
	size_t i = fake_maps_lower(t, iova);

	return i < t->n && t->e[i].iova <= iova + size - 1;
}

int
fake_maps_insert(struct fake_maptab *t, const struct fake_dma *d)
{
	size_t i;

	if (t->n == t->cap) {
		size_t cap = t->cap == 0 ? 64 : t->cap * 2;
		struct fake_dma *e = realloc(t->e, cap * sizeof(*e));

		if (e == NULL)
			return -1;
		t->e = e;
		t->cap = cap;
	}
	i = fake_maps_lower(t, d->iova);
	memmove(&t->e[i + 1], &t->e[i], (t->n - i) * sizeof(*d));
	t->e[i] = *d;
	t->n++;
	return 0;
}

void
fake_maps_remove(struct fake_maptab *t, size_t i)
{
	memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof(t->e[0]));
	t->n--;
}

/* inside one of the configured IOVA ranges */
bool
fake_iova_valid(uint64_t iova, uint64_t size)
{
	uint64_t last = iova + size - 1;
	unsigned int i;

	for (i = 0; i < fake.cfg.nb_iova_ranges; i++)
		if (iova >= fake.cfg.iova_ranges[i].start &&
				last <= fake.cfg.iova_ranges[i].end)
			return true;
	return false;
}
