/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_MEMCFG_H_
#define _EAL_MEMCFG_H_

/*
 * The shared memory configuration: the primary publishes it in
 * "<runtime dir>/config" (an anonymous mapping with --in-memory); a
 * secondary maps the same file. It holds no pointer into itself (each
 * process maps it at its own address) but it does hold pointers into EAL
 * memory, which every process maps at the same addresses.
 *
 * Layout: struct eal_mem_config, then the segment area: for every list,
 * its struct rte_memseg array followed by its used-page bitmap
 * (list.seg_off is the offset of the array from the start of the config).
 */

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "malloc_heap.h"

#define EAL_MEMCFG_MAGIC 0x4d454d43u /* "MEMC" */
#define EAL_MEMCFG_VERSION 1u

/* Segment-list sizing (virtual address space only: nothing is allocated). */
#define EAL_LIST_MAX_SEGS 8192u
#define EAL_LIST_MAX_BYTES (UINT64_C(32) << 30)
#define EAL_LISTS_PER_TYPE 2u
/* --no-huge: one list of 4 KiB pages per node, at least this large */
#define EAL_NOHUGE_LIST_BYTES (UINT64_C(1) << 30)
/* Lists kept free for rte_extmem_register(). */
#define EAL_EXT_LISTS_RESERVED 8u
/* Bytes of segment area for external lists (sparse until used). */
#define EAL_EXT_POOL_BYTES (UINT64_C(16) << 20)

/* How the pages of a list are backed. */
enum eal_backing {
	EAL_BACKING_NONE = 0,   /* external: the application's memory */
	EAL_BACKING_HUGEFILE,   /* file in a hugetlbfs mount */
	EAL_BACKING_SHMFILE,    /* --no-huge: file in the runtime directory */
	EAL_BACKING_MEMFD,      /* --in-memory: memfd (hugetlb or not) */
};

/* Private per-list data that other processes need. */
struct eal_list_priv {
	enum eal_backing backing;
	char path[PATH_MAX]; /* backing file, "" for memfd/external */
};

struct eal_mem_config {
	uint32_t magic;            /* set last by the primary */
	uint32_t version;
	uint64_t size;             /* bytes of this mapping */
	pid_t primary_pid;
	enum rte_iova_mode iova_mode;
	int no_hugetlbfs;
	int in_memory;
	uint64_t ext_pool_off;     /* segment area for external lists */
	uint64_t ext_pool_len;
	pthread_rwlock_t mem_lock; /* memory hotplug lock */
	pthread_mutex_t heap_lock; /* heaps and memzones */
	struct rte_memseg_list lists[RTE_MAX_MEMSEG_LISTS];
	struct eal_list_priv lists_priv[RTE_MAX_MEMSEG_LISTS];
	struct malloc_heap heaps[RTE_MAX_NUMA_NODES];
	unsigned int n_memzones;
	struct rte_memzone memzones[RTE_MAX_MEMZONE];
};

/* This process's view of the configuration (NULL before memory init). */
extern struct eal_mem_config *eal_mcfg;

/* Segment array of a list. */
static inline struct rte_memseg *
eal_list_segs(const struct rte_memseg_list *msl)
{
	return (struct rte_memseg *)((char *)eal_mcfg + msl->seg_off);
}

/* Bytes of segment array (rounded) before the bitmap. */
static inline uint64_t
eal_list_segs_bytes(uint32_t n_segs)
{
	return RTE_ALIGN_CEIL((uint64_t)n_segs * sizeof(struct rte_memseg),
		(uint64_t)sizeof(uint64_t));
}

/* Bytes of segment area a list needs: segments + used bitmap. */
static inline uint64_t
eal_list_area_bytes(uint32_t n_segs)
{
	return RTE_ALIGN_CEIL(eal_list_segs_bytes(n_segs) +
		(n_segs + 63) / 64 * sizeof(uint64_t), (uint64_t)RTE_CACHE_LINE_SIZE);
}

/* Used-page bitmap of a list. */
static inline uint64_t *
eal_list_bitmap(const struct rte_memseg_list *msl)
{
	return (uint64_t *)((char *)eal_list_segs(msl) +
		eal_list_segs_bytes(msl->n_segs));
}

static inline int
eal_bit_test(const uint64_t *map, uint32_t i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static inline void
eal_bit_set(uint64_t *map, uint32_t i)
{
	map[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline void
eal_bit_clear(uint64_t *map, uint32_t i)
{
	map[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

/* Index of a list in the table. */
static inline unsigned int
eal_list_idx(const struct rte_memseg_list *msl)
{
	return (unsigned int)(msl - eal_mcfg->lists);
}

/* A list slot is in use when it has a reserved range. */
static inline int
eal_list_in_use(const struct rte_memseg_list *msl)
{
	return msl->len != 0;
}

/*
 * Take the heap lock; a secondary then maps what the primary added.
 * Returns 0, or -1 with rte_errno (lock not held) when that fails.
 */
int eal_mcfg_heap_lock(void);
void eal_mcfg_heap_unlock(void);

/* Process-shared lock/rwlock initialisation (primary). */
int eal_mcfg_locks_init(struct eal_mem_config *mcfg);

/*
 * An EAL-internal memory event callback that may refuse an allocation:
 * for RTE_MEM_EVENT_ALLOC it returns 0, or -1 with rte_errno after undoing
 * its own part (the allocation then fails); its result for
 * RTE_MEM_EVENT_FREE is ignored.
 */
typedef int (*eal_mem_event_check_t)(enum rte_mem_event type,
		const void *addr, size_t len, void *arg);

/*
 * Register a callback that may refuse allocations (name and arg as for
 * rte_mem_event_callback_register(), which also unregisters it).
 * 0, or -1 with rte_errno EINVAL, EEXIST or ENOMEM.
 */
int eal_mem_event_callback_register_checked(const char *name,
		eal_mem_event_check_t clb, void *arg);

/*
 * Deliver a memory event to this process's callbacks. For an allocation
 * a checked callback may refuse it: the callbacks called before it then
 * get RTE_MEM_EVENT_FREE for the same pages (in reverse order) and the
 * result is -1 with that callback's rte_errno; the caller must undo the
 * allocation. 0 otherwise.
 */
int eal_mem_event_notify(enum rte_mem_event type, const void *addr,
		size_t len);

/* Forget every callback (cleanup). */
void eal_mem_event_callbacks_clear(void);

/*
 * Page allocation (lib/eal/linux/eal_memalloc.c). Callers hold the heap
 * lock; these take the hotplug write lock themselves.
 */

/*
 * Whether the last eal_memalloc_alloc_run() of this thread failed because
 * a memory event callback refused the pages (it explained why), rather
 * than for lack of free pages.
 */
bool eal_memalloc_refused(void);

/**
 * Map n contiguous free pages of a list, preferring the lowest index.
 *
 * @return
 *   Address of the run, or NULL with rte_errno ENOMEM (no free run, or no
 *   free page in the system; logged once per cause), or with the errno of
 *   a memory event callback that refused the pages (they are given back).
 */
void *eal_memalloc_alloc_run(struct rte_memseg_list *msl, uint32_t n,
		uint32_t seg_flags);

/** Unmap n pages of a list starting at addr (raises FREE first). */
void eal_memalloc_free_run(struct rte_memseg_list *msl, void *addr,
		uint32_t n);

/** Sockets (NUMA nodes with memory) known to the memory code. */
unsigned int eal_memory_socket_count(void);
int eal_memory_socket_id(unsigned int idx);

/**
 * Log one line saying why size bytes could not be had on a node: which
 * page sizes are exhausted, where they are mounted, what to do.
 */
void eal_memory_explain_exhausted(int socket_id, size_t size);

/**
 * Give the bytes [off, off + len) of the shared configuration file real
 * blocks before they are written (a sparse page of a full file system
 * raises SIGBUS when touched). A no-op for an anonymous configuration.
 *
 * @return
 *   0, or -1 with rte_errno ENOMEM (the file system is full; logged at
 *   DEBUG: the caller explains) or EIO.
 */
int eal_mcfg_reserve(uint64_t off, uint64_t len);

/** Node of the calling thread (0 without libnuma). */
int eal_memory_current_socket(void);

#endif /* _EAL_MEMCFG_H_ */
