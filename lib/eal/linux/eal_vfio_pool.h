/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_VFIO_POOL_H_
#define _EAL_VFIO_POOL_H_

/*
 * Fixed-size objects carved from aligned blocks, for the DMA bookkeeping:
 * a bulk of maps or unmaps then costs one malloc or free per block, not
 * one per entry. A block goes back to the system when its last object is
 * freed, unless it is the only free room left (so that alternating one
 * get and one put at a block boundary does not allocate each time).
 */

#include <stddef.h>
#include <stdint.h>

#include "eal_vfio_result.h"

/** Bytes of a block (also its alignment: an object finds its block). */
#define VFIO_POOL_BLOCK_SIZE 4096

struct vfio_pool_block;

/** A pool of objects of one size. */
struct vfio_pool {
	/** Blocks with a free object first, full ones after. */
	struct vfio_pool_block *head, *tail;
	size_t obj_size;    /**< Bytes per object, pointer aligned. */
	unsigned int per_block; /**< Objects per block. */
	size_t n_free;      /**< Free objects in all blocks. */
	size_t n_blocks;    /**< Blocks held. */
};

/**
 * Initialise an empty pool (no allocation).
 *
 * @param obj_size
 *   Bytes of an object, at least sizeof(void *), at most a quarter block.
 */
void vfio_pool_init(struct vfio_pool *p, size_t obj_size);

/** Free every block, objects still in use included. */
void vfio_pool_fini(struct vfio_pool *p);

/** Slow path of vfio_pool_reserve(): add blocks. */
enum vfio_result vfio_pool_grow(struct vfio_pool *p, unsigned int n);

/**
 * Make sure the next n vfio_pool_get() cannot fail.
 *
 * @return
 *   VFIO_OK or VFIO_NO_MEMORY.
 */
static inline enum vfio_result
vfio_pool_reserve(struct vfio_pool *p, unsigned int n)
{
	return p->n_free >= n ? VFIO_OK : vfio_pool_grow(p, n);
}

/** An object (contents undefined); NULL only without a reservation. */
void *vfio_pool_get(struct vfio_pool *p);

/** Give back an object of this pool. */
void vfio_pool_put(struct vfio_pool *p, void *obj);

/** @return bytes the pool holds from the system. */
size_t vfio_pool_bytes(const struct vfio_pool *p);

#endif /* _EAL_VFIO_POOL_H_ */
