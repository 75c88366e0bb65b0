/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_MEMZONE_H_
#define _RTE_MEMZONE_H_

/**
 * @file
 * Named blocks of EAL memory, visible to every process of the instance
 * (a secondary finds the primary's zones with rte_memzone_lookup()).
 * Zones come from the malloc heap of their NUMA node. Thread- and
 * process-safe.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_memory.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest zone name, terminating NUL included. */
#define RTE_MEMZONE_NAMESIZE 32

/** Flag: the zone must be contiguous in IOVA space. */
#define RTE_MEMZONE_IOVA_CONTIG 0x00100000

/** A named block of memory. */
struct rte_memzone {
	char name[RTE_MEMZONE_NAMESIZE]; /**< Name. */
	rte_iova_t iova;                 /**< Device address of addr. */
	void *addr;                      /**< Virtual address. */
	size_t len;                      /**< Length. */
	uint64_t hugepage_sz;            /**< Page size of the memory. */
	int32_t socket_id;               /**< NUMA node. */
	uint32_t flags;                  /**< Flags given at reservation. */
};

/**
 * Reserve a zone aligned to a cache line.
 *
 * @param name
 *   Unique name.
 * @param len
 *   Length (not 0).
 * @param socket_id
 *   NUMA node, or SOCKET_ID_ANY.
 * @param flags
 *   0 or RTE_MEMZONE_IOVA_CONTIG.
 * @return
 *   The zone, or NULL with rte_errno EINVAL (bad argument, unknown flag or
 *   node), ENAMETOOLONG, EEXIST (name taken), ENOSPC (RTE_MAX_MEMZONE
 *   zones exist), ENOMEM (no memory, or no IOVA-contiguous block when
 *   asked), E_RTE_NO_CONFIG (EAL not initialised).
 */
const struct rte_memzone *rte_memzone_reserve(const char *name, size_t len,
		int socket_id, unsigned int flags);

/**
 * Reserve a zone with a given alignment.
 *
 * @param name
 *   Unique name.
 * @param len
 *   Length (not 0).
 * @param socket_id
 *   NUMA node, or SOCKET_ID_ANY.
 * @param flags
 *   0 or RTE_MEMZONE_IOVA_CONTIG.
 * @param align
 *   Alignment, a power of two (0: cache line).
 * @return
 *   As rte_memzone_reserve().
 */
const struct rte_memzone *rte_memzone_reserve_aligned(const char *name,
		size_t len, int socket_id, unsigned int flags, unsigned int align);

/**
 * Find a zone by name (a secondary first brings its mappings up to date).
 *
 * @param name
 *   Name.
 * @return
 *   The zone, or NULL with rte_errno ENOENT (or EINVAL for a NULL name,
 *   E_RTE_NO_CONFIG).
 */
const struct rte_memzone *rte_memzone_lookup(const char *name);

/**
 * Free a zone (any process may free any zone).
 *
 * @param mz
 *   Zone returned by rte_memzone_reserve*() or rte_memzone_lookup().
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL or not a live zone).
 */
int rte_memzone_free(const struct rte_memzone *mz);

/**
 * Call func for every zone, with the zone table locked (func must not
 * reserve or free zones).
 *
 * @param func
 *   Callback.
 * @param arg
 *   Passed to func.
 */
void rte_memzone_walk(void (*func)(const struct rte_memzone *mz, void *arg),
		void *arg);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MEMZONE_H_ */
