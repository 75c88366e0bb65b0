/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_MALLOC_H_
#define _RTE_MALLOC_H_

/**
 * @file
 * Allocation from EAL memory (hugepages, or anonymous pages with
 * --no-huge): DMA-capable, visible to rte_mem_virt2iova(), shared with
 * secondary processes at the same address.
 *
 * One heap per NUMA node. The heap grows by mapping pages (raising
 * RTE_MEM_EVENT_ALLOC) and gives whole free pages back (raising
 * RTE_MEM_EVENT_FREE), except pages allocated at init with -m or
 * --socket-mem. All functions are thread-safe and safe across processes.
 * A secondary process allocates and frees from pages the primary has
 * mapped, but never maps or unmaps pages itself (the primary's DMA
 * mappings must follow every page): when the heaps lack room, allocation
 * in a secondary fails with ENOMEM.
 *
 * Not usable from memory event callbacks (they hold the hotplug lock).
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_memory.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Allocate memory on any NUMA node (the caller's node first).
 *
 * @param type
 *   Label for statistics and debugging (may be NULL); not interpreted.
 * @param size
 *   Bytes wanted (not 0).
 * @param align
 *   Alignment of the returned address: 0 (cache line) or a power of two.
 * @return
 *   The memory, or NULL with rte_errno EINVAL (size 0, align not a power
 *   of two, size too large), ENOMEM (no memory, see the log),
 *   E_RTE_NO_CONFIG (EAL not initialised).
 */
void *rte_malloc(const char *type, size_t size, unsigned int align);

/**
 * rte_malloc(), with the memory zeroed.
 *
 * @param type
 *   Label (may be NULL).
 * @param size
 *   Bytes wanted.
 * @param align
 *   0 or a power of two.
 * @return
 *   As rte_malloc().
 */
void *rte_zmalloc(const char *type, size_t size, unsigned int align);

/**
 * Zeroed array of num elements of size bytes.
 *
 * @param type
 *   Label (may be NULL).
 * @param num
 *   Elements.
 * @param size
 *   Bytes per element.
 * @param align
 *   0 or a power of two.
 * @return
 *   As rte_malloc(); EINVAL also when num * size overflows.
 */
void *rte_calloc(const char *type, size_t num, size_t size,
		unsigned int align);

/**
 * Resize an allocation, keeping its contents up to the smaller size. May
 * move it (to the same NUMA node when possible).
 *
 * @param ptr
 *   Memory from rte_malloc() and friends, or NULL (then like rte_malloc()).
 * @param size
 *   New size; 0 frees ptr and returns NULL.
 * @param align
 *   0 or a power of two; the result honours it.
 * @return
 *   The memory (ptr is then invalid unless equal), or NULL with rte_errno
 *   as rte_malloc() (ptr is untouched and still valid), or EINVAL when ptr
 *   is not rte_malloc() memory.
 */
void *rte_realloc(void *ptr, size_t size, unsigned int align);

/**
 * rte_malloc() on a given NUMA node.
 *
 * @param type
 *   Label (may be NULL).
 * @param size
 *   Bytes wanted.
 * @param align
 *   0 or a power of two.
 * @param socket
 *   NUMA node, or SOCKET_ID_ANY.
 * @return
 *   As rte_malloc(); EINVAL also for a node that does not exist.
 */
void *rte_malloc_socket(const char *type, size_t size, unsigned int align,
		int socket);

/**
 * rte_zmalloc() on a given NUMA node.
 *
 * @param type
 *   Label (may be NULL).
 * @param size
 *   Bytes wanted.
 * @param align
 *   0 or a power of two.
 * @param socket
 *   NUMA node, or SOCKET_ID_ANY.
 * @return
 *   As rte_malloc_socket().
 */
void *rte_zmalloc_socket(const char *type, size_t size, unsigned int align,
		int socket);

/**
 * rte_calloc() on a given NUMA node.
 *
 * @param type
 *   Label (may be NULL).
 * @param num
 *   Elements.
 * @param size
 *   Bytes per element.
 * @param align
 *   0 or a power of two.
 * @param socket
 *   NUMA node, or SOCKET_ID_ANY.
 * @return
 *   As rte_calloc().
 */
void *rte_calloc_socket(const char *type, size_t num, size_t size,
		unsigned int align, int socket);

/**
 * rte_realloc() on a given NUMA node (used when the block must move).
 *
 * @param ptr
 *   Memory or NULL.
 * @param size
 *   New size.
 * @param align
 *   0 or a power of two.
 * @param socket
 *   NUMA node, or SOCKET_ID_ANY.
 * @return
 *   As rte_realloc().
 */
void *rte_realloc_socket(void *ptr, size_t size, unsigned int align,
		int socket);

/**
 * Free memory from rte_malloc() and friends. NULL is ignored. Whole pages
 * that become free are unmapped (primary process only).
 *
 * @param ptr
 *   Memory, or NULL.
 */
void rte_free(void *ptr);

/**
 * Device address of rte_malloc() memory.
 *
 * @param addr
 *   Address inside an allocation.
 * @return
 *   Its IOVA, or RTE_BAD_IOVA when addr is not in EAL memory.
 */
rte_iova_t rte_malloc_virt2iova(const void *addr);

/** Heap statistics of one NUMA node. */
struct rte_malloc_socket_stats {
	size_t heap_totalsz_bytes;  /**< Bytes of pages the heap holds. */
	size_t heap_freesz_bytes;   /**< Bytes free (headers excluded). */
	size_t greatest_free_size;  /**< Largest free block (headers excluded). */
	unsigned int free_count;    /**< Free blocks. */
	unsigned int alloc_count;   /**< Allocated blocks. */
	size_t heap_allocsz_bytes;  /**< Bytes allocated (headers included). */
};

/**
 * Statistics of the heap of a NUMA node.
 *
 * @param socket
 *   NUMA node.
 * @param stats
 *   Filled in.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad node or NULL stats),
 *   E_RTE_NO_CONFIG.
 */
int rte_malloc_get_socket_stats(int socket,
		struct rte_malloc_socket_stats *stats);

/**
 * Check the heap element of an allocation (its header is intact) and
 * report its usable size.
 *
 * @param ptr
 *   Memory from rte_malloc() and friends.
 * @param size
 *   Receives the usable size when not NULL.
 * @return
 *   0, or -1 with rte_errno EINVAL (not a valid allocation).
 */
int rte_malloc_validate(const void *ptr, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MALLOC_H_ */
