/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * User DMA maps (rte_vfio_container_dma_map/unmap): bookkeeping first, the
 * kernel through the backend, and the bookkeeping follows only what the
 * kernel did. No ioctl here.
 */

#include <inttypes.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_vfio.h>

#include "eal_log.h"
#include "eal_vfio.h"

/* ---- user DMA maps ------------------------------------------------------- */

static enum vfio_result
check_range(uint64_t vaddr, uint64_t iova, uint64_t len)
{
	uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE);

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

static void
log_conflict(const char *what, uint64_t va, uint64_t iova, uint64_t len,
		const struct vfio_map *e)
{
	EAL_LOG(ERR, "VFIO: DMA map va 0x%" PRIx64 " iova 0x%" PRIx64 " len 0x%"
		PRIx64 " overlaps %s va 0x%" PRIx64 " iova 0x%" PRIx64
		" len 0x%" PRIx64, va, iova, len, what, e->va, e->iova, e->len);
}

/* caller holds c->lock */
static enum vfio_result
user_map(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_map e;
	enum vfio_result r;

	r = vfio_maps_check_add(&c->mem_maps, va, iova, len, &e);
	if (r == VFIO_ALREADY)
		return VFIO_OK; /* EAL memory, mapped the same way */
	if (r == VFIO_EXISTS) {
		log_conflict("EAL memory", va, iova, len, &e);
		return r;
	}
	r = vfio_maps_check_add(&c->user_maps, va, iova, len, &e);
	if (r == VFIO_ALREADY)
		return VFIO_OK;
	if (r == VFIO_EXISTS) {
		log_conflict("a user mapping", va, iova, len, &e);
		return r;
	}
	r = vfio_maps_reserve(&c->user_maps);
	if (r != VFIO_OK)
		return r;
	if (vfio_state.ops->dma_ready(c)) {
		r = vfio_state.ops->dma_map(c, va, iova, len);
		if (r != VFIO_OK)
			return r;
	}
	vfio_maps_add(&c->user_maps, va, iova, len);
	return VFIO_OK;
}

/* caller holds c->lock */
static enum vfio_result
user_unmap(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	uint64_t last = iova + (len - 1);
	enum vfio_result r;

	r = vfio_maps_check_remove(&c->user_maps, va, iova, len,
		vfio_state.ops->partial_unmap(c));
	if (r == VFIO_NOT_FOUND)
		EAL_LOG(ERR, "VFIO: DMA unmap va 0x%" PRIx64 " iova 0x%" PRIx64
			" len 0x%" PRIx64 ": not mapped", va, iova, len);
	else if (r == VFIO_UNSUPPORTED)
		EAL_LOG(ERR, "VFIO: DMA unmap iova 0x%" PRIx64 " len 0x%" PRIx64
			": covers part of a mapping, which the %s IOMMU cannot unmap",
			iova, len, vfio_state.ops->iommu_name());
	if (r != VFIO_OK)
		return r;
	r = vfio_maps_reserve(&c->user_maps);
	if (r != VFIO_OK)
		return r;
	/* piece by piece, so that the bookkeeping follows every success */
	while (vfio_state.ops->dma_ready(c)) {
		const struct vfio_map *e = vfio_maps_next(&c->user_maps, iova);
		uint64_t start, end;

		if (e == NULL || e->iova > last)
			break;
		start = RTE_MAX(e->iova, iova);
		end = RTE_MIN(e->iova + (e->len - 1), last);
		r = vfio_state.ops->dma_unmap(c, e->va + (start - e->iova), start,
			end - start + 1);
		if (r != VFIO_OK)
			return r;
		vfio_maps_remove(&c->user_maps, start, end - start + 1);
		if (end == last)
			return VFIO_OK;
		iova = end + 1;
		r = vfio_maps_reserve(&c->user_maps);
		if (r != VFIO_OK)
			return r;
	}
	vfio_maps_remove(&c->user_maps, iova, last - iova + 1);
	return VFIO_OK;
}

typedef enum vfio_result (*user_dma_op_t)(struct vfio_container *c,
	uint64_t va, uint64_t iova, uint64_t len);

/* Checks, locks (memory hotplug, then container) and runs a user DMA op. */
static int
user_dma_call(int container_fd, uint64_t vaddr, uint64_t iova, uint64_t len,
		user_dma_op_t op)
{
	struct vfio_container *c;
	enum vfio_result r;
	bool locked;

	r = check_range(vaddr, iova, len);
	if (r != VFIO_OK)
		return vfio_result_ret(r);
	locked = vfio_mem_lock();
	r = vfio_container_get(container_fd, &c);
	if (r == VFIO_OK) {
		r = op(c, vaddr, iova, len);
		pthread_mutex_unlock(&c->lock);
	}
	vfio_mem_unlock(locked);
	return vfio_result_ret(r);
}

int
rte_vfio_container_dma_map(int container_fd, uint64_t vaddr, uint64_t iova,
		uint64_t len)
{
	return user_dma_call(container_fd, vaddr, iova, len, user_map);
}

int
rte_vfio_container_dma_unmap(int container_fd, uint64_t vaddr, uint64_t iova,
		uint64_t len)
{
	return user_dma_call(container_fd, vaddr, iova, len, user_unmap);
}
