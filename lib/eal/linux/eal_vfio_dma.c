/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * DMA maps: the one transaction (check both sets, IOVA ranges, reserve,
 * kernel call through the backend, commit) used by user maps
 * (rte_vfio_container_dma_map/unmap), EAL memory (eal_vfio_mem.c) and
 * replays (eal_vfio.c). The bookkeeping follows only what the kernel did.
 * No ioctl here.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_vfio.h>

#include "eal_log.h"
#include "eal_vfio.h"

/* ---- user DMA maps ------------------------------------------------------- */

/* the system page size, asked once (every thread stores the same value) */
static uint64_t
page_size(void)
{
	static uint64_t pg;

	if (pg == 0)
		pg = (uint64_t)sysconf(_SC_PAGESIZE);
	return pg;
}

static inline enum vfio_result
check_range(uint64_t vaddr, uint64_t iova, uint64_t len)
{
	uint64_t pg = page_size();

	if (len == 0 || vaddr + (len - 1) < vaddr || iova + (len - 1) < iova) {
		EAL_LOG(ERR, "VFIO: DMA range va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 " is empty or wraps", vaddr, iova, len);
		return VFIO_INVALID;
	}
	if ((vaddr | iova | len) & (pg - 1)) {
		EAL_LOG(ERR, "VFIO: DMA range va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 " is not page aligned", vaddr, iova,
			len);
		return VFIO_INVALID;
	}
	return VFIO_OK;
}

/* ---- IOVA ranges ----------------------------------------------------------- */

void
vfio_windows_set(struct vfio_container *c, struct vfio_window *w, uint32_t n)
{
	free(c->windows);
	c->windows = w;
	c->n_windows = n;
	c->windows_valid = true;
}

void
vfio_windows_forget(struct vfio_container *c)
{
	free(c->windows);
	c->windows = NULL;
	c->n_windows = 0;
	c->windows_valid = false;
}

static enum vfio_result
windows_check(struct vfio_container *c, uint64_t iova, uint64_t len)
{
	uint64_t last = iova + (len - 1);
	enum vfio_result r;
	uint32_t i;

	if ((c->caps & VFIO_CAP_TRANSLATION) == 0)
		return VFIO_OK; /* the IOVA is only a key */
	if (!c->windows_valid && vfio_state.ops->iova_ranges != NULL) {
		r = vfio_state.ops->iova_ranges(c);
		if (r != VFIO_OK)
			return r;
	}
	if (c->n_windows == 0)
		return VFIO_OK; /* the kernel did not say: let it decide */
	for (i = 0; i < c->n_windows; i++)
		if (iova >= c->windows[i].start && last <= c->windows[i].last)
			return VFIO_OK;
	EAL_LOG(ERR, "VFIO: IOVA 0x%" PRIx64 "-0x%" PRIx64 " is outside the %s IOMMU's usable ranges (first 0x%" PRIx64 "-0x%" PRIx64 " of %u)",
		iova, last, vfio_state.ops->iommu_name(), c->windows[0].start,
		c->windows[0].last, c->n_windows);
	return VFIO_INVALID;
}

uint64_t
vfio_dma_window_last(struct vfio_container *c, uint64_t iova)
{
	uint32_t i;

	if ((c->caps & VFIO_CAP_TRANSLATION) == 0)
		return UINT64_MAX;
	if (!c->windows_valid && vfio_state.ops->iova_ranges != NULL &&
			vfio_state.ops->iova_ranges(c) != VFIO_OK)
		return iova; /* the map of the first page says why */
	if (c->n_windows == 0)
		return UINT64_MAX;
	for (i = 0; i < c->n_windows; i++)
		if (iova >= c->windows[i].start && iova <= c->windows[i].last)
			return c->windows[i].last;
	return iova;
}

enum vfio_result
vfio_dma_kernel_map(struct vfio_container *c, uint64_t va, uint64_t iova,
		uint64_t len)
{
	enum vfio_result r = windows_check(c, iova, len);

	if (r != VFIO_OK)
		return r;
	return vfio_state.ops->dma_map(c, va, iova, len);
}

/* ---- the transaction ------------------------------------------------------- */

static void
log_conflict(bool user, uint64_t va, uint64_t iova, uint64_t len,
		const struct vfio_map *e, bool in_mem)
{
	if (!user) {
		EAL_LOG(ERR, "VFIO: EAL memory va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 " overlaps mapping va 0x%" PRIx64
			" iova 0x%" PRIx64 " len 0x%" PRIx64, va, iova, len,
			e->va, e->iova, e->len);
		return;
	}
	EAL_LOG(ERR, "VFIO: DMA map va 0x%" PRIx64 " iova 0x%" PRIx64 " len 0x%"
		PRIx64 " overlaps %s va 0x%" PRIx64 " iova 0x%" PRIx64
		" len 0x%" PRIx64, va, iova, len,
		in_mem ? "EAL memory" : "a user mapping", e->va, e->iova,
		e->len);
}

/* *added: false when the same mapping was there already */
static enum vfio_result
dma_map_one(struct vfio_container *c, struct vfio_maps *set, uint64_t va,
		uint64_t iova, uint64_t len, bool *added)
{
	bool user = set == &c->user_maps;
	struct vfio_maps_pos mem_pos, user_pos;
	bool in_mem = true;
	struct vfio_map e;
	enum vfio_result r;

	/* one lookup per set; the add reuses the position of its set */
	*added = false;
	r = vfio_maps_check_add_pos(&c->mem_maps, va, iova, len, &e, &mem_pos);
	if (r == VFIO_ALREADY)
		return VFIO_OK; /* EAL memory, mapped the same way */
	if (r == VFIO_OK) {
		in_mem = false;
		r = vfio_maps_check_add_pos(&c->user_maps, va, iova, len, &e,
			&user_pos);
		if (r == VFIO_ALREADY && user)
			return VFIO_OK;
		/* an EAL page is never a user mapping, even the same one */
		if (r == VFIO_ALREADY)
			e = *vfio_maps_pos_first(&user_pos);
	}
	if (r != VFIO_OK) {
		log_conflict(user, va, iova, len, &e, in_mem);
		return VFIO_EXISTS;
	}
	r = vfio_maps_reserve(set);
	if (r == VFIO_OK && c->kernel_context)
		r = vfio_dma_kernel_map(c, va, iova, len);
	if (r == VFIO_OK) {
		vfio_maps_add_pos(set, user ? &user_pos : &mem_pos, va, iova,
			len);
		*added = true;
	}
	return r;
}

enum vfio_result
vfio_dma_map(struct vfio_container *c, struct vfio_maps *set, uint64_t va,
		uint64_t iova, uint64_t len)
{
	bool added;

	return dma_map_one(c, set, va, iova, len, &added);
}

enum vfio_result
vfio_dma_unmap(struct vfio_container *c, struct vfio_maps *set, uint64_t va,
		uint64_t iova, uint64_t len)
{
	bool user = set == &c->user_maps;
	uint64_t last = iova + (len - 1);
	const struct vfio_map *e;
	struct vfio_maps_pos where;
	enum vfio_result r;

	/*
	 * EAL memory is booked as the kernel mapped it (pages that can be
	 * freed one by one, runs of pages that are never freed): never a part
	 */
	r = vfio_maps_check_remove_pos(set, va, iova, len,
		user && (c->caps & VFIO_CAP_PARTIAL_UNMAP) != 0, &where);
	if (r == VFIO_NOT_FOUND && user)
		EAL_LOG(ERR, "VFIO: DMA unmap va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 ": not mapped", va, iova, len);
	else if (r == VFIO_UNSUPPORTED && user)
		EAL_LOG(ERR, "VFIO: DMA unmap iova 0x%" PRIx64 " len 0x%" PRIx64
			": covers part of a mapping, which the %s IOMMU cannot unmap",
			iova, len, vfio_state.ops->iommu_name());
	if (r != VFIO_OK)
		return r;
	r = vfio_maps_reserve(set);
	if (r != VFIO_OK)
		return r;
	/*
	 * piece by piece, so that the bookkeeping follows every success; the
	 * usual unmap (one whole entry) uses the check's lookup only
	 */
	e = vfio_maps_pos_first(&where);
	while (c->kernel_context && e != NULL && e->iova <= last) {
		uint64_t start = RTE_MAX(e->iova, iova);
		uint64_t end = RTE_MIN(e->iova + (e->len - 1), last);

		r = vfio_state.ops->dma_unmap(c, e->va + (start - e->iova),
			start, end - start + 1);
		if (r != VFIO_OK)
			return r;
		vfio_maps_remove_pos(set, &where, start, end - start + 1);
		if (end == last)
			return VFIO_OK;
		iova = end + 1;
		r = vfio_maps_reserve(set);
		if (r != VFIO_OK)
			return r;
		vfio_maps_locate(set, iova, &where);
		e = vfio_maps_pos_first(&where);
	}
	vfio_maps_remove_pos(set, &where, iova, last - iova + 1);
	return VFIO_OK;
}

/* ---- user DMA maps API ----------------------------------------------------- */

/*
 * Checks, locks the container and runs a transaction. The container lock
 * is the only one held meanwhile: EAL memory bookkeeping (c->mem_maps),
 * which the transaction reads, changes only under it (the memory event
 * callback takes it too), so the memory hotplug lock adds nothing here;
 * without it a map from a memory event callback does not deadlock either.
 */
static int
user_dma_call(int container_fd, uint64_t vaddr, uint64_t iova, uint64_t len,
		bool map)
{
	struct vfio_container *c;
	enum vfio_result r;

	r = check_range(vaddr, iova, len);
	if (r != VFIO_OK)
		return vfio_result_ret(r);
	r = vfio_container_get(container_fd, &c);
	if (r == VFIO_OK) {
		r = map ? vfio_dma_map(c, &c->user_maps, vaddr, iova, len) :
			vfio_dma_unmap(c, &c->user_maps, vaddr, iova, len);
		vfio_lock_release(&c->lock);
	}
	return r == VFIO_OK ? 0 : vfio_result_ret(r);
}

int
rte_vfio_container_dma_map(int container_fd, uint64_t vaddr, uint64_t iova,
		uint64_t len)
{
	return user_dma_call(container_fd, vaddr, iova, len, true);
}

/* map regions[0..n) in order; on a failure, unmap what this call mapped */
static enum vfio_result
batch_map(struct vfio_container *c, const struct rte_vfio_dma_region *regions,
		unsigned int n, bool *added)
{
	const struct rte_vfio_dma_region *g;
	enum vfio_result r = VFIO_OK;
	unsigned int i;

	for (i = 0; i < n && r == VFIO_OK; i++) {
		g = &regions[i];
		r = check_range(g->vaddr, g->iova, g->len);
		if (r == VFIO_OK)
			r = dma_map_one(c, &c->user_maps, g->vaddr, g->iova,
				g->len, &added[i]);
	}
	if (r == VFIO_OK)
		return VFIO_OK;
	EAL_LOG(DEBUG, "VFIO: DMA map batch: region %u of %u failed, unmapping the %u before it",
		i, n, i - 1);
	for (i -= 1; i > 0; i--) {
		g = &regions[i - 1];
		if (added[i - 1])
			vfio_dma_unmap(c, &c->user_maps, g->vaddr, g->iova,
				g->len);
	}
	return r;
}

/* unmap regions[0..n) in order; on a failure, map again what it unmapped */
static enum vfio_result
batch_unmap(struct vfio_container *c,
		const struct rte_vfio_dma_region *regions, unsigned int n)
{
	const struct rte_vfio_dma_region *g;
	enum vfio_result r = VFIO_OK;
	unsigned int i;

	for (i = 0; i < n && r == VFIO_OK; i++) {
		g = &regions[i];
		r = check_range(g->vaddr, g->iova, g->len);
		if (r == VFIO_OK)
			r = vfio_dma_unmap(c, &c->user_maps, g->vaddr, g->iova,
				g->len);
	}
	if (r == VFIO_OK)
		return VFIO_OK;
	EAL_LOG(DEBUG, "VFIO: DMA unmap batch: region %u of %u failed, mapping the %u before it again",
		i, n, i - 1);
	for (i -= 1; i > 0; i--) {
		g = &regions[i - 1];
		vfio_dma_map(c, &c->user_maps, g->vaddr, g->iova, g->len);
	}
	return r;
}

static int
user_dma_batch(int container_fd, const struct rte_vfio_dma_region *regions,
		unsigned int n, bool map)
{
	struct vfio_container *c;
	enum vfio_result r;
	bool *added = NULL;

	if (n == 0)
		return 0;
	if (regions == NULL) {
		EAL_LOG(ERR, "VFIO: DMA %s batch of %u regions: no region array",
			map ? "map" : "unmap", n);
		return vfio_result_ret(VFIO_INVALID);
	}
	if (map) {
		added = calloc(n, sizeof(*added));
		if (added == NULL) {
			EAL_LOG(ERR, "VFIO: DMA map batch of %u regions: %s",
				n, strerror(errno));
			return vfio_result_ret(VFIO_NO_MEMORY);
		}
	}
	r = vfio_container_get(container_fd, &c);
	if (r == VFIO_OK) {
		r = map ? batch_map(c, regions, n, added) :
			batch_unmap(c, regions, n);
		vfio_lock_release(&c->lock);
	}
	free(added);
	return vfio_result_ret(r);
}

int
rte_vfio_container_dma_map_batch(int container_fd,
		const struct rte_vfio_dma_region *regions, unsigned int n)
{
	return user_dma_batch(container_fd, regions, n, true);
}

int
rte_vfio_container_dma_unmap_batch(int container_fd,
		const struct rte_vfio_dma_region *regions, unsigned int n)
{
	return user_dma_batch(container_fd, regions, n, false);
}

int
rte_vfio_container_dma_unmap(int container_fd, uint64_t vaddr, uint64_t iova,
		uint64_t len)
{
	return user_dma_call(container_fd, vaddr, iova, len, false);
}
