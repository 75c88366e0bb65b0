/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * EAL memory in the default container, mapped at "VFIO memory init", when
 * the kernel context is (re)created, and on memory hotplug events.
 *
 * Neither type1v2 nor iommufd can unmap a part of a mapping, so a mapping
 * must never be larger than what is freed at once. Pages that can be
 * freed (the heap gives back any page of them) are mapped one by one;
 * pages that are never freed (RTE_MEMSEG_FLAG_DO_NOT_FREE: the -m /
 * --socket-mem reservation) are mapped in maximal runs contiguous in VA
 * and IOVA inside one usable IOVA range: one kernel call per run.
 * No ioctl here: mappings go through the backend table.
 */

#include <inttypes.h>
#include <string.h>
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

/*
 * A run of EAL pages being gathered: contiguous in VA and IOVA, all fixed
 * (never freed) or a single freeable page. failed_va: where mapping
 * stopped when run_flush() fails (everything before it is mapped).
 */
struct mem_run {
	struct vfio_container *c;
	uint64_t va;
	uint64_t iova;
	uint64_t len;      /* 0: empty */
	uint64_t pg;       /* size of its pages */
	uint64_t last;     /* last IOVA the run may reach (IOVA range) */
	bool fixed;
	uint64_t failed_va;
	size_t calls;      /* runs handed to the transaction */
};

static void
run_init(struct mem_run *run, struct vfio_container *c)
{
	memset(run, 0, sizeof(*run));
	run->c = c;
}

/*
 * Books holding part of the run in other pieces (left by an unmap the
 * kernel refused): map page by page, each finds its piece or goes in.
 */
static enum vfio_result
run_map_pages(struct mem_run *run)
{
	enum vfio_result r;
	uint64_t off;

	for (off = 0; off < run->len; off += run->pg) {
		r = vfio_dma_map(run->c, &run->c->mem_maps, run->va + off,
			run->iova + off, run->pg);
		if (r != VFIO_OK) {
			run->failed_va = run->va + off;
			return r;
		}
	}
	return VFIO_OK;
}

/* map the run gathered so far; already mapped the same way is fine */
static enum vfio_result
run_flush(struct mem_run *run)
{
	struct vfio_container *c = run->c;
	enum vfio_result r;

	if (run->len == 0)
		return VFIO_OK;
	run->calls++;
	if (run->len > run->pg && vfio_maps_check_add(&c->mem_maps, run->va,
			run->iova, run->len, NULL) == VFIO_EXISTS)
		r = run_map_pages(run);
	else
		r = vfio_dma_map(c, &c->mem_maps, run->va, run->iova, run->len);
	if (r != VFIO_OK && run->failed_va == 0)
		run->failed_va = run->va;
	run->len = 0;
	return r;
}

/* add one page to the run, mapping the run when the page cannot join it */
static enum vfio_result
run_add(struct mem_run *run, uint64_t va, uint64_t iova, uint64_t len,
		bool fixed)
{
	enum vfio_result r;

	if (run->len != 0 && fixed && run->fixed &&
			va == run->va + run->len &&
			iova == run->iova + run->len &&
			iova + (len - 1) <= run->last) {
		run->len += len;
		return VFIO_OK;
	}
	r = run_flush(run);
	if (r != VFIO_OK)
		return r;
	run->pg = len;
	run->va = va;
	run->iova = iova;
	run->len = len;
	run->fixed = fixed;
	run->last = fixed ? vfio_dma_window_last(run->c, iova) : iova;
	return VFIO_OK;
}

static bool
seg_fixed(const struct rte_memseg *ms)
{
	return (ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) != 0;
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

/*
 * A freed page: it was mapped alone (a fixed run is never freed, and the
 * books refuse to cut one). A page never mapped (e.g. mapped before a
 * context loss) is fine.
 */
static void
page_unmap(struct vfio_container *c, uint64_t va, uint64_t iova, uint64_t len)
{
	vfio_dma_unmap(c, &c->mem_maps, va, iova, len);
}

/*
 * Unmap every EAL mapping (page or run). One the kernel refuses to unmap is still
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
	struct mem_run run;
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
	w->r = run_add(&w->run, (uintptr_t)ms->addr, ms->iova, ms->len,
		seg_fixed(ms));
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
	struct walk_arg w = { .r = VFIO_OK };

	if (!c->is_default || !mem_ready || c->mem_mapped ||
			rte_eal_process_type() == RTE_PROC_SECONDARY ||
			!c->kernel_context ||
			(c->caps & VFIO_CAP_MAPS_EAL_MEMORY) == 0)
		return VFIO_OK;
	run_init(&w.run, c);
	if (rte_memseg_walk_thread_unsafe(map_memseg, &w) == 0)
		w.r = run_flush(&w.run);
	else if (w.r == VFIO_OK)
		w.r = VFIO_KERNEL_ERROR;
	if (w.r != VFIO_OK) {
		mem_unmap_all(c);
		if (w.r == VFIO_NO_MEMORY) {
			rte_memseg_walk_thread_unsafe(count_memseg, &w);
			memlock_explain(w.bytes + maps_bytes(&c->user_maps));
		}
		return w.r;
	}
	c->mem_mapped = true;
	EAL_LOG(DEBUG, "VFIO: EAL memory mapped in %zu kernel mappings (%zu runs walked)",
		c->mem_maps.n, w.run.calls);
	return VFIO_OK;
}

void
vfio_mem_forget(struct vfio_container *c)
{
	vfio_maps_clear(&c->mem_maps);
	c->mem_mapped = false;
}

/*
 * Undo the mappings an allocation event made in [va, end): whole
 * mappings only (one sticking out was there before the event).
 */
static void
event_rollback(struct vfio_container *c, const struct rte_memseg_list *msl,
		uintptr_t va, uintptr_t end)
{
	while (va < end) {
		const struct rte_memseg *ms =
			rte_mem_virt2memseg((const void *)va, msl);
		const struct vfio_map *e;

		if (ms == NULL) {
			va += msl->page_sz;
			continue;
		}
		e = vfio_maps_first_from(&c->mem_maps, ms->iova);
		/* roll back only what the event mapped: whole mappings in it */
		if (e == NULL || e->iova != ms->iova || e->va != va ||
				e->va + e->len > end) {
			va += msl->page_sz;
			continue;
		}
		va = e->va + e->len;
		vfio_dma_unmap(c, &c->mem_maps, e->va, e->iova, e->len);
	}
}

/* the pages of an allocation event, in runs; undone on failure */
static enum vfio_result
event_map(struct vfio_container *c, const struct rte_memseg_list *msl,
		uintptr_t addr, size_t len)
{
	uintptr_t va, end = addr + len;
	enum vfio_result r = VFIO_OK;
	struct mem_run run;

	run_init(&run, c);
	for (va = addr; va < end && r == VFIO_OK; va += msl->page_sz) {
		const struct rte_memseg *ms =
			rte_mem_virt2memseg((const void *)va, msl);

		if (ms != NULL)
			r = run_add(&run, va, ms->iova, ms->len, seg_fixed(ms));
	}
	if (r == VFIO_OK)
		r = run_flush(&run);
	if (r == VFIO_OK)
		return VFIO_OK;
	EAL_LOG(ERR, "VFIO: new EAL memory va 0x%" PRIx64 " cannot be mapped for DMA: allocation of %zu bytes refused",
		run.failed_va, len);
	if (r == VFIO_NO_MEMORY)
		memlock_explain(maps_bytes(&c->mem_maps) +
			maps_bytes(&c->user_maps) + len);
	event_rollback(c, msl, addr, (uintptr_t)run.failed_va);
	return r;
}

/*
 * Runs with the hotplug write lock held; one call per run of pages. A
 * page that cannot be mapped for DMA must not be handed out: the
 * allocation is refused (after unmapping what was mapped here) and the
 * EAL gives the run back. A free unmaps page by page: only freeable
 * pages are freed, and each was mapped alone.
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
	vfio_lock_take(&c->lock);
	if (!c->used || !c->mem_mapped)
		goto unlock; /* mapped all at once when the context appears */
	if (type == RTE_MEM_EVENT_ALLOC) {
		r = event_map(c, msl, (uintptr_t)addr, len);
		goto unlock;
	}
	for (va = (uintptr_t)addr; va < end; va += msl->page_sz) {
		const struct rte_memseg *ms =
			rte_mem_virt2memseg((const void *)va, msl);

		if (ms != NULL)
			page_unmap(c, va, ms->iova, ms->len);
	}
unlock:
	vfio_lock_release(&c->lock);
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
	vfio_lock_take(&c->lock);
	mem_ready = true;
	r = vfio_mem_map_all(c);
	if (r != VFIO_OK)
		mem_ready = false;
	vfio_lock_release(&c->lock);
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
	vfio_lock_take(&c->lock);
	if (c->used)
		mem_unmap_all(c);
	mem_ready = false;
	vfio_lock_release(&c->lock);
	rte_mcfg_mem_read_unlock();
}
