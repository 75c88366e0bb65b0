/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * EAL memory in the default container: mapped page by page (so that
 * freeing a page never needs a partial unmap) at "VFIO memory init", when
 * the kernel context is (re)created, and on memory hotplug events.
 * No ioctl here: mappings go through the backend table.
 */

#include <inttypes.h>
#include <sys/resource.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "eal_vfio.h"

#define VFIO_MEM_EVENT_NAME "vfio_mem_event"

/* "VFIO memory init" done: memory exists and the hotplug lock works */
static bool mem_ready;

bool
vfio_mem_lock(void)
{
	if (!mem_ready)
		return false;
	rte_mcfg_mem_read_lock();
	return true;
}

void
vfio_mem_unlock(bool locked)
{
	if (locked)
		rte_mcfg_mem_read_unlock();
}

/* one EAL page; already mapped the same way is fine */
static enum vfio_result
page_map(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	return vfio_dma_map(c, &c->mem_maps, va, iova, len);
}

static uint64_t
maps_bytes(const struct vfio_maps *m)
{
	const struct vfio_map *e;
	uint64_t n = 0;

	for (e = vfio_maps_first(m); e != NULL; e = vfio_maps_next_entry(m, e))
		n += e->len;
	return n;
}

/*
 * The kernel could not pin pages for DMA (ENOMEM): say whether the locked
 * memory limit is the reason. need: bytes pinned once the mapping worked.
 */
static void
memlock_explain(uint64_t need)
{
	uint64_t need_kb = (need + 1023) >> 10;
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
			rl.rlim_cur >= need) {
		EAL_LOG(ERR, "VFIO: out of memory pinning %" PRIu64 " kB of EAL memory for DMA (the locked memory limit is not the cause)",
			need_kb);
		return;
	}
	EAL_LOG(ERR, "VFIO: cannot pin memory for DMA: RLIMIT_MEMLOCK is %" PRIu64 " kB, the EAL memory mapped for DMA needs at least %" PRIu64 " kB: raise the limit (ulimit -l %" PRIu64 ", 'memlock' in /etc/security/limits.conf, LimitMEMLOCK= of a systemd unit) or give the process CAP_IPC_LOCK",
		(uint64_t)rl.rlim_cur >> 10, need_kb, need_kb);
}

void
vfio_mem_explain_enomem(const struct vfio_container *c)
{
	memlock_explain(maps_bytes(&c->mem_maps) + maps_bytes(&c->user_maps));
}

/* a page never mapped (e.g. mapped before a context loss) is fine */
static void
page_unmap(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	vfio_dma_unmap(c, &c->mem_maps, va, iova, len);
}

/*
 * Unmap every EAL page. A page the kernel refuses to unmap is still
 * mapped: it stays in the books (a later mapping finds it there instead
 * of failing on the kernel's EEXIST, and vfio_mem_forget() drops it when
 * the context goes), so that they never disagree with the kernel.
 */
static void
mem_unmap_all(struct vfio_container *c)
{
	const struct vfio_map *e = vfio_maps_first(&c->mem_maps);

	while (e != NULL) {
		uint64_t iova = e->iova, len = e->len;

		if (vfio_dma_unmap(c, &c->mem_maps, e->va, iova, len) !=
				VFIO_OK) {
			e = vfio_maps_next_entry(&c->mem_maps, e);
			continue;
		}
		e = iova + len != 0 ? vfio_maps_first_from(&c->mem_maps, iova + len) :
			NULL;
	}
	c->mem_mapped = false;
}

struct walk_arg {
	struct vfio_container *c;
	enum vfio_result r;
	uint64_t bytes; /* EAL memory to map */
};

static int
map_memseg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct walk_arg *w = arg;

	if (msl->external)
		return 0; /* the application maps its own memory */
	w->r = page_map(w->c, (uintptr_t)ms->addr, ms->iova, ms->len);
	return w->r == VFIO_OK ? 0 : -1;
}

static int
count_memseg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct walk_arg *w = arg;

	if (!msl->external)
		w->bytes += ms->len;
	return 0;
}

enum vfio_result
vfio_mem_map_all(struct vfio_container *c)
{
	struct walk_arg w = { c, VFIO_OK };

	if (!c->is_default || !mem_ready || c->mem_mapped ||
			rte_eal_process_type() == RTE_PROC_SECONDARY ||
			!c->kernel_context ||
			(c->caps & VFIO_CAP_MAPS_EAL_MEMORY) == 0)
		return VFIO_OK;
	if (rte_memseg_walk_thread_unsafe(map_memseg, &w) < 0) {
		mem_unmap_all(c);
		if (w.r == VFIO_NO_MEMORY) {
			rte_memseg_walk_thread_unsafe(count_memseg, &w);
			memlock_explain(w.bytes + maps_bytes(&c->user_maps));
		}
		return w.r != VFIO_OK ? w.r : VFIO_KERNEL_ERROR;
	}
	c->mem_mapped = true;
	EAL_LOG(DEBUG, "VFIO: %zu EAL memory pages mapped", c->mem_maps.n);
	return VFIO_OK;
}

void
vfio_mem_forget(struct vfio_container *c)
{
	vfio_maps_clear(&c->mem_maps);
	c->mem_mapped = false;
}

/*
 * Runs with the hotplug write lock held; one call per run of pages. A
 * page that cannot be mapped for DMA must not be handed out: the
 * allocation is refused (after unmapping the pages of the run mapped
 * here) and the EAL gives the run back.
 */
static int
mem_event(enum rte_mem_event type, const void *addr, size_t len,
		void *arg __rte_unused)
{
	struct vfio_container *c = vfio_default_container();
	const struct rte_memseg_list *msl;
	uintptr_t va, end = (uintptr_t)addr + len;
	enum vfio_result r = VFIO_OK;

	msl = rte_mem_virt2memseg_list(addr);
	if (msl == NULL || msl->external)
		return 0;
	pthread_mutex_lock(&c->lock);
	if (!c->used || !c->mem_mapped)
		goto unlock; /* mapped all at once when the context appears */
	for (va = (uintptr_t)addr; va < end && r == VFIO_OK; va += msl->page_sz) {
		const struct rte_memseg *ms =
			rte_mem_virt2memseg((const void *)va, msl);

		if (ms == NULL)
			continue;
		if (type == RTE_MEM_EVENT_ALLOC)
			r = page_map(c, va, ms->iova, ms->len);
		else
			page_unmap(c, va, ms->iova, ms->len);
	}
	if (r == VFIO_OK)
		goto unlock;
	/* va is one page past the page that failed */
	EAL_LOG(ERR, "VFIO: new page va 0x%" PRIxPTR " cannot be mapped for DMA: allocation of %zu bytes refused",
		va - msl->page_sz, len);
	if (r == VFIO_NO_MEMORY)
		memlock_explain(maps_bytes(&c->mem_maps) +
			maps_bytes(&c->user_maps) + len);
	for (va -= msl->page_sz; va > (uintptr_t)addr; ) {
		const struct rte_memseg *ms;

		va -= msl->page_sz;
		ms = rte_mem_virt2memseg((const void *)va, msl);
		if (ms != NULL)
			page_unmap(c, va, ms->iova, ms->len);
	}
unlock:
	pthread_mutex_unlock(&c->lock);
	if (r != VFIO_OK) {
		rte_errno = vfio_result_errno(r);
		return -1;
	}
	return 0;
}

/* "VFIO memory init" stage */
int
eal_vfio_mem_init(void)
{
	struct vfio_container *c = vfio_default_container();
	enum vfio_result r;

	if (vfio_check_ready() != VFIO_OK ||
			rte_eal_process_type() == RTE_PROC_SECONDARY)
		return 0;
	if (eal_mem_event_callback_register_checked(VFIO_MEM_EVENT_NAME,
			mem_event, NULL) != 0) {
		EAL_LOG(ERR, "VFIO: cannot register the memory event callback: %s",
			rte_strerror(rte_errno));
		return -1;
	}
	rte_mcfg_mem_read_lock();
	pthread_mutex_lock(&c->lock);
	mem_ready = true;
	r = vfio_mem_map_all(c);
	if (r != VFIO_OK)
		mem_ready = false;
	pthread_mutex_unlock(&c->lock);
	rte_mcfg_mem_read_unlock();
	if (r != VFIO_OK) {
		rte_mem_event_callback_unregister(VFIO_MEM_EVENT_NAME, NULL);
		return vfio_result_ret(r);
	}
	return 0;
}

void
eal_vfio_mem_cleanup(void)
{
	struct vfio_container *c = vfio_default_container();

	if (!mem_ready)
		return;
	rte_mem_event_callback_unregister(VFIO_MEM_EVENT_NAME, NULL);
	rte_mcfg_mem_read_lock();
	pthread_mutex_lock(&c->lock);
	if (c->used)
		mem_unmap_all(c);
	mem_ready = false;
	pthread_mutex_unlock(&c->lock);
	rte_mcfg_mem_read_unlock();
}
