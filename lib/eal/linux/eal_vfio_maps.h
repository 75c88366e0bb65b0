/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_VFIO_MAPS_H_
#define _EAL_VFIO_MAPS_H_

/*
 * DMA mapping bookkeeping: a set of non-overlapping [iova, iova + len)
 * ranges with the virtual address behind each, in a balanced search tree
 * ordered by IOVA (a treap: random priorities keep it O(log n) deep).
 * Lookup, insertion and removal are O(log n); there is no fixed limit.
 * A range past the highest entry is located without a descent, and the
 * removal of the entry a check located takes none either.
 *
 * Nothing here talks to the kernel. The usual sequence is: check (pure),
 * reserve (the only step that allocates), kernel call, then add/remove,
 * which cannot fail, so the bookkeeping never disagrees with the kernel.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eal_vfio_pool.h"
#include "eal_vfio_result.h"

/** One mapping. */
struct vfio_map {
	uint64_t va;
	uint64_t iova;
	uint64_t len;
};

struct vfio_map_node;

/**
 * Where a range falls in a set, found by the one tree descent of a
 * *_pos() check and used by the add or remove that follows it. Valid
 * until the set changes (vfio_maps_reserve() does not change it).
 */
struct vfio_maps_pos {
	struct vfio_map_node *first; /**< First entry ending at or after iova. */
	struct vfio_map_node *prev;  /**< Last entry starting before iova. */
	/** The tree link pointing at first (NULL when first is NULL). */
	struct vfio_map_node **first_link;
};

/** Number of nodes vfio_maps_reserve() keeps ready. */
#define VFIO_MAPS_SPARE 2

/** Set of mappings. */
struct vfio_maps {
	struct vfio_map_node *root;
	/** The entry with the highest IOVA; NULL: none, or not known. */
	struct vfio_map_node *max;
	struct vfio_pool pool; /**< The nodes. */
	size_t n;           /**< Entries. */
	uint32_t seed;      /**< Priorities. */
	bool merge;         /**< Join neighbours contiguous in va and iova. */
};

/**
 * Initialise an empty set.
 *
 * @param m
 *   The set.
 * @param merge
 *   true when the kernel can unmap any part of a mapping (no-IOMMU,
 *   sPAPR): neighbours are then merged. false keeps every mapping as the
 *   kernel knows it, so that an unmap covering whole entries is the only
 *   one accepted.
 */
void vfio_maps_init(struct vfio_maps *m, bool merge);

/** Free the set's memory; it is empty afterwards. */
void vfio_maps_fini(struct vfio_maps *m);

/** @return bytes the set holds from the system (its node blocks). */
size_t vfio_maps_bytes(const struct vfio_maps *m);

/** @return the depth of the set's tree (0 when empty), for tests. */
unsigned int vfio_maps_height(const struct vfio_maps *m);

/** Forget every entry. */
void vfio_maps_clear(struct vfio_maps *m);

/**
 * Can [iova, iova + len) at va be added?
 *
 * @param conflict
 *   When not NULL and the result is VFIO_EXISTS, receives the first entry
 *   in the way (for the caller's log).
 * @return
 *   VFIO_OK: nothing overlaps; VFIO_ALREADY: the range is entirely covered
 *   by entries with the same va -> iova translation; VFIO_EXISTS: it
 *   overlaps something else.
 */
enum vfio_result vfio_maps_check_add(const struct vfio_maps *m, uint64_t va,
		uint64_t iova, uint64_t len, struct vfio_map *conflict);

/**
 * vfio_maps_check_add() that also records where the range falls, for
 * vfio_maps_add_pos(): one lookup for the check and the update.
 *
 * @param where
 *   Receives the position (whatever the result).
 */
enum vfio_result vfio_maps_check_add_pos(const struct vfio_maps *m,
		uint64_t va, uint64_t iova, uint64_t len,
		struct vfio_map *conflict, struct vfio_maps_pos *where);

/**
 * Can [iova, iova + len) at va be removed?
 *
 * @param partial
 *   true when entries may be cut (merge sets).
 * @return
 *   VFIO_OK; VFIO_NOT_FOUND: nothing overlaps, or an overlapped entry has
 *   another va -> iova translation; VFIO_UNSUPPORTED: the range cuts an
 *   entry and partial is false.
 */
enum vfio_result vfio_maps_check_remove(const struct vfio_maps *m,
		uint64_t va, uint64_t iova, uint64_t len, bool partial);

/**
 * vfio_maps_check_remove() that also records where the range falls, for
 * vfio_maps_remove_pos().
 *
 * @param where
 *   Receives the position (whatever the result).
 */
enum vfio_result vfio_maps_check_remove_pos(const struct vfio_maps *m,
		uint64_t va, uint64_t iova, uint64_t len, bool partial,
		struct vfio_maps_pos *where);

/**
 * Make sure the next add or remove cannot fail (keeps spare nodes).
 *
 * @return
 *   VFIO_OK or VFIO_NO_MEMORY.
 */
static inline enum vfio_result
vfio_maps_reserve(struct vfio_maps *m)
{
	return vfio_pool_reserve(&m->pool, VFIO_MAPS_SPARE);
}

/**
 * Add a range accepted by vfio_maps_check_add() (VFIO_OK) after
 * vfio_maps_reserve(). Cannot fail.
 */
void vfio_maps_add(struct vfio_maps *m, uint64_t va, uint64_t iova,
		uint64_t len);

/**
 * vfio_maps_add() at the position vfio_maps_check_add_pos() recorded for
 * the same range (the set unchanged since), without a second lookup.
 */
void vfio_maps_add_pos(struct vfio_maps *m, const struct vfio_maps_pos *where,
		uint64_t va, uint64_t iova, uint64_t len);

/**
 * Remove a range accepted by vfio_maps_check_remove() after
 * vfio_maps_reserve() (cutting one entry in two needs a node). Cannot
 * fail.
 */
void vfio_maps_remove(struct vfio_maps *m, uint64_t iova, uint64_t len);

/**
 * vfio_maps_remove() at the position vfio_maps_check_remove_pos()
 * recorded for a range starting at the same iova (the set unchanged
 * since). Removing exactly one entry then takes no other lookup.
 */
void vfio_maps_remove_pos(struct vfio_maps *m,
		const struct vfio_maps_pos *where, uint64_t iova, uint64_t len);

/**
 * @return
 *   The first entry ending at or after iova (the one containing it, or
 *   the next one), or NULL.
 */
const struct vfio_map *vfio_maps_first_from(const struct vfio_maps *m,
		uint64_t iova);

/** Record where iova falls in m (one descent), as the *_pos() checks do. */
void vfio_maps_locate(const struct vfio_maps *m, uint64_t iova,
		struct vfio_maps_pos *where);

/**
 * @return
 *   The first entry ending at or after the located IOVA, or NULL (the
 *   vfio_maps_first_from() of it, without a lookup).
 */
static inline const struct vfio_map *
vfio_maps_pos_first(const struct vfio_maps_pos *where)
{
	/* a node starts with its entry (eal_vfio_maps.c) */
	return (const struct vfio_map *)(const void *)where->first;
}

/** @return the entry with the lowest IOVA, or NULL. */
const struct vfio_map *vfio_maps_first(const struct vfio_maps *m);

/** @return the entry after e in IOVA order, or NULL. */
const struct vfio_map *vfio_maps_next_entry(const struct vfio_maps *m,
		const struct vfio_map *e);

#endif /* _EAL_VFIO_MAPS_H_ */
