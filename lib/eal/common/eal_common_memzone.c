/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Memzones: named rte_malloc() blocks recorded in the shared
 * configuration, under the heap lock.
 */

#include <errno.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "malloc_elem.h"
#include "malloc_heap.h"

#define MEMZONE_KNOWN_FLAGS RTE_MEMZONE_IOVA_CONTIG

static struct rte_memzone *
find(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMZONE; i++)
		if (eal_mcfg->memzones[i].addr != NULL &&
				strncmp(eal_mcfg->memzones[i].name, name,
					RTE_MEMZONE_NAMESIZE) == 0)
			return &eal_mcfg->memzones[i];
	return NULL;
}

static struct rte_memzone *
free_slot(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMZONE; i++)
		if (eal_mcfg->memzones[i].addr == NULL)
			return &eal_mcfg->memzones[i];
	return NULL;
}

/* Every page of [addr, addr + len) follows the previous one in IOVA. */
static int
iova_contiguous(const void *addr, size_t len)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(addr, NULL);
	rte_iova_t expect;
	uintptr_t va, end = (uintptr_t)addr + len;

	if (ms == NULL)
		return 0;
	expect = ms->iova + RTE_PTR_DIFF(addr, ms->addr);
	for (va = (uintptr_t)addr; va < end;
			va = RTE_ALIGN_FLOOR(va, ms->len) + ms->len) {
		ms = rte_mem_virt2memseg((void *)va, NULL);
		if (ms == NULL || ms->iova + (va - (uintptr_t)ms->addr) != expect)
			return 0;
		expect += ms->len - (va - (uintptr_t)ms->addr);
	}
	return 1;
}

static int
check_args(const char *name, size_t len, int socket_id, unsigned int flags,
		unsigned int align)
{
	if (eal_mcfg == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -1;
	}
	if (name == NULL || name[0] == '\0' || len == 0 ||
			(flags & ~(unsigned int)MEMZONE_KNOWN_FLAGS) != 0 ||
			(align != 0 && !RTE_IS_POWER_OF_2(align)) ||
			(socket_id != SOCKET_ID_ANY &&
			 malloc_heap_idx_of_socket(socket_id) < 0)) {
		rte_errno = EINVAL;
		return -1;
	}
	if (strnlen(name, RTE_MEMZONE_NAMESIZE) == RTE_MEMZONE_NAMESIZE) {
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Called with the heap lock held; the lock is recursive-free, so use the
 * heap directly rather than rte_malloc(). */
static void *
zone_alloc(size_t len, int socket_id, unsigned int align)
{
	size_t a = RTE_MAX((size_t)align, (size_t)RTE_CACHE_LINE_SIZE);
	int idx = malloc_heap_idx_of_socket(socket_id == SOCKET_ID_ANY ?
		eal_memory_current_socket() : socket_id);
	unsigned int i;
	void *p;

	if (idx < 0)
		idx = 0;
	p = malloc_heap_alloc((unsigned int)idx, len, a);
	for (i = 0; p == NULL && socket_id == SOCKET_ID_ANY &&
			i < RTE_MAX_NUMA_NODES; i++)
		if (eal_mcfg->heaps[i].in_use && i != (unsigned int)idx)
			p = malloc_heap_alloc(i, len, a);
	if (p == NULL && rte_eal_process_type() == RTE_PROC_PRIMARY)
		malloc_heap_log_failure((unsigned int)idx, len);
	else if (p == NULL)
		EAL_LOG(ERR, "cannot allocate %zu bytes in a secondary process: no room in the pages the primary mapped (secondaries do not map pages; give the primary -m or --socket-mem)",
			len);
	return p;
}

const struct rte_memzone *
rte_memzone_reserve_aligned(const char *name, size_t len, int socket_id,
		unsigned int flags, unsigned int align)
{
	struct rte_memzone *mz = NULL;
	const struct rte_memseg *ms;
	void *p;

	if (check_args(name, len, socket_id, flags, align) != 0)
		return NULL;
	if (eal_mcfg_heap_lock() != 0)
		return NULL;
	if (find(name) != NULL) {
		EAL_LOG(ERR, "memzone '%s': reserve failed: name already in use",
			name);
		rte_errno = EEXIST;
		goto unlock;
	}
	mz = free_slot();
	if (mz == NULL) {
		EAL_LOG(ERR, "memzone '%s': reserve failed: all %d memzones are in use",
			name, RTE_MAX_MEMZONE);
		rte_errno = ENOSPC;
		goto unlock;
	}
	p = zone_alloc(len, socket_id, align);
	if (p == NULL) {
		rte_errno = ENOMEM;
		mz = NULL;
		goto unlock;
	}
	if ((flags & RTE_MEMZONE_IOVA_CONTIG) != 0 &&
			!iova_contiguous(p, len) && len <= RTE_PGSIZE_1G) {
		/* aligned to its own size, a block does not cross a page
		 * boundary when it fits in one page */
		void *q = zone_alloc(len, socket_id,
			(unsigned int)RTE_MAX((uint64_t)align,
				rte_align64pow2(len)));

		malloc_heap_free(malloc_elem_from_data(p));
		p = q;
	}
	if (p == NULL) {
		rte_errno = ENOMEM;
		mz = NULL;
		goto unlock;
	}
	if ((flags & RTE_MEMZONE_IOVA_CONTIG) != 0 &&
			!iova_contiguous(p, len)) {
		EAL_LOG(ERR, "memzone '%s': reserve failed: no block of %zu bytes is contiguous in IOVA space",
			name, len);
		malloc_heap_free(malloc_elem_from_data(p));
		rte_errno = ENOMEM;
		mz = NULL;
		goto unlock;
	}
	ms = rte_mem_virt2memseg(p, NULL);
	memset(mz, 0, sizeof(*mz));
	snprintf(mz->name, sizeof(mz->name), "%s", name);
	mz->iova = rte_mem_virt2iova(p);
	mz->len = len;
	mz->hugepage_sz = ms->hugepage_sz;
	mz->socket_id = ms->socket_id;
	mz->flags = flags;
	__atomic_store_n(&mz->addr, p, __ATOMIC_RELEASE);
	eal_mcfg->n_memzones++;
unlock:
	eal_mcfg_heap_unlock();
	return mz;
}

const struct rte_memzone *
rte_memzone_reserve(const char *name, size_t len, int socket_id,
		unsigned int flags)
{
	return rte_memzone_reserve_aligned(name, len, socket_id, flags, 0);
}

const struct rte_memzone *
rte_memzone_lookup(const char *name)
{
	const struct rte_memzone *mz;

	if (eal_mcfg == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return NULL;
	}
	if (name == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (eal_mcfg_heap_lock() != 0)
		return NULL;
	mz = find(name);
	eal_mcfg_heap_unlock();
	if (mz == NULL)
		rte_errno = ENOENT;
	return mz;
}

int
rte_memzone_free(const struct rte_memzone *mz)
{
	struct rte_memzone *zone;
	struct malloc_elem *elem = NULL;
	size_t i;

	if (eal_mcfg == NULL || mz == NULL || mz < eal_mcfg->memzones ||
			mz >= eal_mcfg->memzones + RTE_MAX_MEMZONE) {
		rte_errno = EINVAL;
		return -1;
	}
	i = (size_t)(mz - eal_mcfg->memzones);
	zone = &eal_mcfg->memzones[i];
	if (eal_mcfg_heap_lock() != 0)
		return -1;
	if (zone->addr != NULL)
		elem = malloc_elem_from_data(zone->addr);
	if (elem != NULL) {
		malloc_heap_free(elem);
		memset(zone, 0, sizeof(*zone));
		eal_mcfg->n_memzones--;
	}
	eal_mcfg_heap_unlock();
	if (elem == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}

void
rte_memzone_walk(void (*func)(const struct rte_memzone *mz, void *arg),
		void *arg)
{
	unsigned int i;

	if (eal_mcfg == NULL || func == NULL)
		return;
	if (eal_mcfg_heap_lock() != 0)
		return;
	for (i = 0; i < RTE_MAX_MEMZONE; i++)
		if (eal_mcfg->memzones[i].addr != NULL)
			func(&eal_mcfg->memzones[i], arg);
	eal_mcfg_heap_unlock();
}
