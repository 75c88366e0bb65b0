/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_MEMORY_H_
#define _RTE_MEMORY_H_

/**
 * @file
 * EAL memory: segment lists (one per page size and NUMA node, plus one per
 * registered external area), their segments (pages), walks and lookups,
 * memory hotplug events and external memory.
 *
 * Every list reserves its virtual address range at init; pages are mapped
 * into it and unmapped from it at run time as the malloc heap grows and
 * shrinks. Secondary processes map the same pages at the same addresses.
 * See doc/guides/prog_guide/memory.rst.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_config.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Any NUMA node. */
#define SOCKET_ID_ANY (-1)

/** Page sizes. */
#define RTE_PGSIZE_4K   (UINT64_C(1) << 12)
#define RTE_PGSIZE_2M   (UINT64_C(1) << 21)
#define RTE_PGSIZE_1G   (UINT64_C(1) << 30)

/** Segment flag: allocated at init (-m, --socket-mem), never released. */
#define RTE_MEMSEG_FLAG_DO_NOT_FREE (1U << 0)

/** One page of memory in a segment list. */
struct rte_memseg {
	rte_iova_t iova;      /**< Device address of addr (RTE_BAD_IOVA: none). */
	void *addr;           /**< Virtual address of the page. */
	size_t len;           /**< Length in bytes (the page size). */
	uint64_t hugepage_sz; /**< Page size backing it. */
	int32_t socket_id;    /**< NUMA node, or SOCKET_ID_ANY when unknown. */
	uint32_t flags;       /**< RTE_MEMSEG_FLAG_*. */
};

/**
 * A reserved virtual address range of pages of one size on one node.
 * Segments are indexed by (address - base_va) / page_sz.
 */
struct rte_memseg_list {
	void *base_va;         /**< Start of the reserved range. */
	uint64_t page_sz;      /**< Size of every page of the list. */
	int socket_id;         /**< NUMA node (SOCKET_ID_ANY: unknown). */
	size_t len;            /**< Length of the reserved range. */
	unsigned int external; /**< 1 for rte_extmem_register() memory. */
	/* private: maintained by the EAL */
	unsigned int heap;     /**< 1 when the malloc heap allocates from it. */
	uint32_t n_segs;       /**< Capacity in pages (len / page_sz). */
	uint32_t n_used;       /**< Pages currently mapped. */
	uint64_t version;      /**< Changes whenever pages come or go. */
	uint64_t seg_off;      /**< Where its segments live (EAL private). */
};

/**
 * Callback of rte_memseg_walk(): called for every mapped page.
 *
 * @return
 *   0 to continue, 1 to stop the walk (it returns 1), -1 to stop it with
 *   an error (it returns -1).
 */
typedef int (*rte_memseg_walk_t)(const struct rte_memseg_list *msl,
		const struct rte_memseg *ms, void *arg);

/**
 * Callback of rte_memseg_contig_walk(): called for every run of mapped
 * pages that are contiguous in virtual memory inside one list.
 *
 * @param ms
 *   First page of the run.
 * @param len
 *   Length of the run in bytes.
 * @return
 *   0 to continue, 1 to stop (walk returns 1), -1 to fail (walk returns -1).
 */
typedef int (*rte_memseg_contig_walk_t)(const struct rte_memseg_list *msl,
		const struct rte_memseg *ms, size_t len, void *arg);

/**
 * Callback of rte_memseg_list_walk(): called for every list in use,
 * external ones included.
 *
 * @return
 *   0 to continue, 1 to stop (walk returns 1), -1 to fail (walk returns -1).
 */
typedef int (*rte_memseg_list_walk_t)(const struct rte_memseg_list *msl,
		void *arg);

/**
 * Call func for every mapped page of every list (external lists
 * included), in list then address order, with the memory hotplug read
 * lock held.
 *
 * @param func
 *   Callback.
 * @param arg
 *   Passed to func.
 * @return
 *   0 when the walk completed, 1 when func stopped it, -1 when func
 *   failed.
 */
int rte_memseg_walk(rte_memseg_walk_t func, void *arg);

/**
 * Same as rte_memseg_walk(), for callers that already hold the memory
 * hotplug lock (e.g. memory event callbacks).
 *
 * @param func
 *   Callback.
 * @param arg
 *   Passed to func.
 * @return
 *   As rte_memseg_walk().
 */
int rte_memseg_walk_thread_unsafe(rte_memseg_walk_t func, void *arg);

/**
 * Call func for every run of mapped pages contiguous in virtual memory
 * inside one list, with the memory hotplug read lock held.
 *
 * @param func
 *   Callback.
 * @param arg
 *   Passed to func.
 * @return
 *   As rte_memseg_walk().
 */
int rte_memseg_contig_walk(rte_memseg_contig_walk_t func, void *arg);

/**
 * Same as rte_memseg_contig_walk(), for callers holding the hotplug lock.
 *
 * @param func
 *   Callback.
 * @param arg
 *   Passed to func.
 * @return
 *   As rte_memseg_walk().
 */
int rte_memseg_contig_walk_thread_unsafe(rte_memseg_contig_walk_t func,
		void *arg);

/**
 * Call func for every segment list in use (external ones included; test
 * msl->external to skip them), with the memory hotplug read lock held.
 *
 * @param func
 *   Callback.
 * @param arg
 *   Passed to func.
 * @return
 *   As rte_memseg_walk().
 */
int rte_memseg_list_walk(rte_memseg_list_walk_t func, void *arg);

/**
 * Same as rte_memseg_list_walk(), for callers holding the hotplug lock.
 *
 * @param func
 *   Callback.
 * @param arg
 *   Passed to func.
 * @return
 *   As rte_memseg_walk().
 */
int rte_memseg_list_walk_thread_unsafe(rte_memseg_list_walk_t func,
		void *arg);

/**
 * Find the page holding an address. Does not take the hotplug lock: the
 * caller must know the page stays mapped.
 *
 * @param virt
 *   Virtual address.
 * @param msl
 *   List to search, or NULL to find it with rte_mem_virt2memseg_list().
 * @return
 *   The page, or NULL (rte_errno ENOENT) when virt is not in a mapped
 *   page of EAL or external memory.
 */
struct rte_memseg *rte_mem_virt2memseg(const void *virt,
		const struct rte_memseg_list *msl);

/**
 * Find the segment list whose reserved range holds an address.
 *
 * @param virt
 *   Virtual address.
 * @return
 *   The list, or NULL (rte_errno ENOENT).
 */
struct rte_memseg_list *rte_mem_virt2memseg_list(const void *virt);

/**
 * Device address of a virtual address in EAL or external memory.
 *
 * @param virt
 *   Virtual address.
 * @return
 *   The IOVA, or RTE_BAD_IOVA when virt is not in a mapped page or the
 *   page has no IOVA (external memory registered without an IOVA table).
 */
rte_iova_t rte_mem_virt2iova(const void *virt);

/**
 * Virtual address of a device address in EAL or external memory.
 *
 * @param iova
 *   Device address.
 * @return
 *   The virtual address, or NULL when no mapped page has that IOVA.
 */
void *rte_mem_iova2virt(rte_iova_t iova);

/**
 * Descriptor of the file or memfd backing an EAL page, as DPDK gives it
 * to applications that share memory with another process (vhost-user).
 * The descriptor belongs to the EAL: do not close it. The caller holds
 * the memory hotplug lock (or no other thread allocates).
 *
 * @param ms
 *   A page of an EAL segment list (from rte_mem_virt2memseg() or a walk).
 * @return
 *   The descriptor, or -1 with rte_errno: EINVAL (ms NULL), ENODEV (ms is
 *   not a mapped page of a segment list), ENOTSUP (external memory: the
 *   application's, no EAL descriptor), ENOENT (this process has no
 *   descriptor for the list).
 */
int rte_memseg_get_fd_thread_unsafe(const struct rte_memseg *ms);

/**
 * Descriptor of the page as rte_memseg_get_fd_thread_unsafe(), and the
 * offset of the page in it.
 *
 * @param ms
 *   A page of an EAL segment list.
 * @param offset
 *   Set to the page's offset in the backing file or memfd.
 * @return
 *   0, or -1 with rte_errno as rte_memseg_get_fd_thread_unsafe() (and
 *   EINVAL when offset is NULL).
 */
int rte_memseg_get_fd_offset_thread_unsafe(const struct rte_memseg *ms,
		size_t *offset);

/** Memory hotplug events. */
enum rte_mem_event {
	RTE_MEM_EVENT_ALLOC = 0, /**< Pages were mapped (IOVA known). */
	RTE_MEM_EVENT_FREE,      /**< Pages are about to be unmapped. */
};

/**
 * Memory event callback. It runs with the memory hotplug write lock held:
 * it may use the *_thread_unsafe walks and lookups, and must not call
 * rte_malloc()/rte_free()/rte_memzone_*() or the locking walks.
 *
 * @param event_type
 *   What happened.
 * @param addr
 *   Start of one virtually contiguous run of pages of one list.
 * @param len
 *   Length of the run (a multiple of its page size).
 * @param arg
 *   Argument given at registration.
 */
typedef void (*rte_mem_event_callback_t)(enum rte_mem_event event_type,
		const void *addr, size_t len, void *arg);

/** Longest callback name, terminating NUL included. */
#define RTE_MEM_EVENT_CALLBACK_NAME_LEN 64

/**
 * Be told about pages mapped (after they are mapped and have their IOVA)
 * and unmapped (before they are unmapped) by this process. One call per
 * contiguous run of pages; address and length are exact. Callbacks run in
 * registration order.
 *
 * @param name
 *   Name of the callback (shorter than RTE_MEM_EVENT_CALLBACK_NAME_LEN).
 * @param clb
 *   Callback.
 * @param arg
 *   Passed to clb; (name, arg) identifies the registration.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL name or clb, name too long),
 *   EEXIST ((name, arg) already registered), ENOMEM.
 */
int rte_mem_event_callback_register(const char *name,
		rte_mem_event_callback_t clb, void *arg);

/**
 * Remove a callback registered with rte_mem_event_callback_register().
 *
 * @param name
 *   Name given at registration.
 * @param arg
 *   Argument given at registration.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL name), ENOENT (not registered).
 */
int rte_mem_event_callback_unregister(const char *name, void *arg);

/**
 * Make memory the application owns visible to the EAL as an external
 * segment list (walks and lookups see it, with msl->external = 1) so that
 * drivers can find its IOVAs. The EAL does not DMA-map it: map it with
 * rte_vfio_container_dma_map(). No memory event is raised. Only this
 * process sees the pages mapped; other processes see the list.
 *
 * @param va_addr
 *   Start, aligned to page_sz.
 * @param len
 *   Length, a multiple of page_sz.
 * @param iova_addrs
 *   IOVA of every page (n_pages entries), or NULL: pages get RTE_BAD_IOVA.
 * @param n_pages
 *   Entries in iova_addrs (len / page_sz; ignored when iova_addrs is NULL).
 * @param page_sz
 *   Page size, a power of two of at least 4 KiB.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad alignment, size or n_pages),
 *   EEXIST (overlaps a registered area or EAL memory), ENOSPC (no free
 *   segment list or segment slots), E_RTE_NO_CONFIG (EAL not
 *   initialised).
 */
int rte_extmem_register(void *va_addr, size_t len, rte_iova_t iova_addrs[],
		unsigned int n_pages, size_t page_sz);

/**
 * Forget an area registered with rte_extmem_register().
 *
 * @param va_addr
 *   Start given at registration.
 * @param len
 *   Length given at registration.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL or zero length), ENOENT (no area
 *   registered with exactly this start and length), E_RTE_NO_CONFIG.
 */
int rte_extmem_unregister(void *va_addr, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MEMORY_H_ */
