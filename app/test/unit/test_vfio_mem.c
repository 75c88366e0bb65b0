/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * EAL memory and VFIO in every mode: pages mapped at "VFIO memory init"
 * or when the IOMMU context appears, followed on hotplug events page by
 * page, external segment lists left alone, the no-IOMMU cdev IOVA source.
 * The memory subsystem is replaced by wrappers describing a small memory
 * map, so that the test controls every page.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_vfio.h>

#include "eal_memcfg.h"
#include "eal_memory_iova.h"
#include "eal_private.h"
#include "test_vfio_env.h"

#define NB_PAGES 16
#define FIRST_PAGES 8

int __wrap_rte_memseg_walk_thread_unsafe(rte_memseg_walk_t func, void *arg);
struct rte_memseg_list *__wrap_rte_mem_virt2memseg_list(const void *virt);
struct rte_memseg *__wrap_rte_mem_virt2memseg(const void *virt,
	const struct rte_memseg_list *msl);
int __wrap_eal_mem_event_callback_register_checked(const char *name,
	eal_mem_event_check_t clb, void *arg);
int __wrap_rte_mem_event_callback_unregister(const char *name, void *arg);
void __wrap_rte_mcfg_mem_read_lock(void);
void __wrap_rte_mcfg_mem_read_unlock(void);
int __wrap_eal_iova_source_set(const struct eal_iova_source *src);

/* two segment lists: EAL memory, and external memory to be left alone */
static struct {
	struct rte_memseg_list msl;
	struct rte_memseg segs[NB_PAGES];
	bool present[NB_PAGES];
} lists[2];

static eal_mem_event_check_t callback;
static int read_locks;
static struct eal_iova_source source;
static bool source_set;

int
__wrap_rte_memseg_walk_thread_unsafe(rte_memseg_walk_t func, void *arg)
{
	unsigned int l, i;
	int ret;

	for (l = 0; l < RTE_DIM(lists); l++) {
		for (i = 0; i < NB_PAGES; i++) {
			if (!lists[l].present[i])
				continue;
			ret = func(&lists[l].msl, &lists[l].segs[i], arg);
			if (ret != 0)
				return ret;
		}
	}
	return 0;
}

struct rte_memseg_list *
__wrap_rte_mem_virt2memseg_list(const void *virt)
{
	uintptr_t v = (uintptr_t)virt;
	unsigned int l;

	for (l = 0; l < RTE_DIM(lists); l++) {
		uintptr_t base = (uintptr_t)lists[l].msl.base_va;

		if (v >= base && v < base + lists[l].msl.len)
			return &lists[l].msl;
	}
	return NULL;
}

struct rte_memseg *
__wrap_rte_mem_virt2memseg(const void *virt, const struct rte_memseg_list *msl)
{
	unsigned int l = msl == &lists[0].msl ? 0 : 1;
	size_t i = ((uintptr_t)virt - (uintptr_t)msl->base_va) / msl->page_sz;

	return lists[l].present[i] ? &lists[l].segs[i] : NULL;
}

int
__wrap_eal_mem_event_callback_register_checked(const char *name,
		eal_mem_event_check_t clb, void *arg)
{
	(void)name;
	(void)arg;
	assert_null(callback);
	callback = clb;
	return 0;
}

int
__wrap_rte_mem_event_callback_unregister(const char *name, void *arg)
{
	(void)name;
	(void)arg;
	callback = NULL;
	return 0;
}

void
__wrap_rte_mcfg_mem_read_lock(void)
{
	read_locks++;
}

void
__wrap_rte_mcfg_mem_read_unlock(void)
{
	assert_true(read_locks > 0);
	read_locks--;
}

int
__wrap_eal_iova_source_set(const struct eal_iova_source *src)
{
	source_set = src != NULL;
	if (src != NULL)
		source = *src;
	return 0;
}

/* a memory map: FIRST_PAGES pages present in each list */
static void
memory_setup(const struct vfio_mode_case *m)
{
	unsigned int l, i;

	memset(lists, 0, sizeof(lists));
	for (l = 0; l < RTE_DIM(lists); l++) {
		uint8_t *base = env_buf(NB_PAGES);

		lists[l].msl.base_va = base;
		lists[l].msl.page_sz = env_pg();
		lists[l].msl.len = NB_PAGES * env_pg();
		lists[l].msl.external = l == 1;
		for (i = 0; i < NB_PAGES; i++) {
			struct rte_memseg *ms = &lists[l].segs[i];

			ms->addr = base + i * env_pg();
			ms->len = env_pg();
			/* PA mode: any physical-looking address will do */
			ms->iova = m->iova == RTE_IOVA_VA ?
				(uintptr_t)ms->addr : 0x40000000ULL + i * env_pg();
			lists[l].present[i] = i < FIRST_PAGES;
			/* no-IOMMU cdev: the allocator asks the source */
			if (l == 0 && lists[l].present[i] && source_set)
				assert_int_equal(source.va2iova(ms->addr,
					ms->len, &ms->iova, source.arg), 0);
		}
	}
}

/* what the allocator does when the pages go (no-IOMMU cdev source) */
static void
memory_release(void)
{
	unsigned int i;

	for (i = 0; i < NB_PAGES && source_set; i++)
		if (lists[0].present[i])
			source.release(lists[0].segs[i].addr, env_pg(),
				source.arg);
}

static int
mem_setup(void **state)
{
	callback = NULL;
	read_locks = 0;
	source_set = false;
	if (env_setup(state) != 0)
		return -1;
	memory_setup(*state);
	return 0;
}

static int
mem_teardown(void **state)
{
	memory_release();
	eal_vfio_mem_cleanup();
	assert_null(callback);
	assert_int_equal(read_locks, 0);
	return env_teardown(state);
}

#define MEM_ALL_MODES(fn) VFIO_ALL_MODES_WITH(fn, mem_setup, mem_teardown)
#define MEM_TEST(fn, id) VFIO_LANE_TEST_WITH(fn, id, mem_setup, mem_teardown)
/* where the front end maps EAL pages */
#define MEM_IOMMU_MODES(fn) VFIO_IOMMU_MODES_WITH(fn, mem_setup, mem_teardown)

/* the front end maps EAL pages itself (not with no-IOMMU) */
static bool
maps_pages(const struct vfio_mode_case *m)
{
	return env_iommu(m);
}

/*
 * No IOMMU and no groups (no-IOMMU cdev): the IOVA of each EAL page is
 * the physical address the kernel reports, pinned as pages are allocated.
 */
static bool
kernel_iova_source(const struct vfio_mode_case *m)
{
	return !env_iommu(m) && !env_groups(m);
}

/* EAL pages the kernel holds: mapped by the front end, or pinned by the
 * no-IOMMU cdev IOVA source as they are allocated
 */
static bool
kernel_holds_pages(const struct vfio_mode_case *m)
{
	return maps_pages(m) || kernel_iova_source(m);
}

/* mappings the kernel holds and their bytes, whatever their sizes */
static int
kernel_maps_bytes(uint64_t *bytes)
{
	struct fake_dma d[NB_PAGES * 2];
	int n = env_kernel_maps(rte_vfio_get_container_fd(), d, RTE_DIM(d));
	int i;

	*bytes = 0;
	for (i = 0; i < n && i < (int)RTE_DIM(d); i++)
		*bytes += d[i].size;
	return n < 0 ? 0 : n;
}

static int
kernel_pages(void)
{
	struct fake_dma d[NB_PAGES * 2];
	int n = env_kernel_maps(rte_vfio_get_container_fd(), d, RTE_DIM(d));
	int i;

	/* every mapping one page, at its IOVA */
	for (i = 0; i < n && i < (int)RTE_DIM(d); i++)
		assert_int_equal(d[i].size, env_pg());
	return n < 0 ? 0 : n;
}

/* the callback's answer to an event on n pages from first */
static int
page_event_ret(enum rte_mem_event ev, unsigned int first, unsigned int n)
{
	unsigned int i;
	int ret;

	if (ev == RTE_MEM_EVENT_ALLOC)
		for (i = first; i < first + n; i++) {
			struct rte_memseg *ms = &lists[0].segs[i];

			lists[0].present[i] = true;
			if (source_set)
				assert_int_equal(source.va2iova(ms->addr,
					ms->len, &ms->iova, source.arg), 0);
		}
	assert_non_null(callback);
	ret = callback(ev, lists[0].segs[first].addr, n * env_pg(), NULL);
	/* a refused allocation is given back by the EAL */
	if (ev == RTE_MEM_EVENT_FREE || ret != 0)
		for (i = first; i < first + n; i++) {
			lists[0].present[i] = false;
			if (source_set)
				source.release(lists[0].segs[i].addr, env_pg(),
					source.arg);
		}
	return ret;
}

static void
page_event(enum rte_mem_event ev, unsigned int first, unsigned int n)
{
	assert_int_equal(page_event_ret(ev, first, n), 0);
}

static void
test_eal_memory_follows_context_and_hotplug(void **state)
{
	const struct vfio_mode_case *m = *state;
	int want = kernel_holds_pages(m) ? FIRST_PAGES : 0;
	int fd;

	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_non_null(callback);
	/* group: nothing before the first group sets the IOMMU */
	assert_int_equal(kernel_pages(), env_groups(m) ? 0 : want);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(kernel_pages(), want);
	/* hotplug: two pages come, one goes */
	page_event(RTE_MEM_EVENT_ALLOC, FIRST_PAGES, 2);
	want += kernel_holds_pages(m) ? 2 : 0;
	assert_int_equal(kernel_pages(), want);
	page_event(RTE_MEM_EVENT_FREE, FIRST_PAGES, 1);
	want -= kernel_holds_pages(m) ? 1 : 0;
	assert_int_equal(kernel_pages(), want);
	/* external memory is the application's business */
	assert_int_equal(callback(RTE_MEM_EVENT_ALLOC,
		lists[1].segs[FIRST_PAGES].addr, env_pg(), NULL), 0);
	assert_int_equal(kernel_pages(), want);
	/* group: the context goes with the last group and comes back */
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	assert_int_equal(kernel_pages(), env_groups(m) ? 0 : want);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(kernel_pages(), want);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	memory_release();
	memset(lists[0].present, 0, sizeof(lists[0].present));
	eal_vfio_mem_cleanup();
	assert_int_equal(kernel_pages(), 0);
	assert_null(callback);
}

/* a bus may set a device up before memory exists (group joins first) */
static void
test_group_joined_before_memory_init(void **state)
{
	const struct vfio_mode_case *m = *state;
	int source_pages = kernel_iova_source(m) ? FIRST_PAGES : 0;
	int fd;

	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(kernel_pages(), source_pages);
	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(kernel_pages(), kernel_holds_pages(m) ? FIRST_PAGES : 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	memory_release();
	memset(lists[0].present, 0, sizeof(lists[0].present));
	eal_vfio_mem_cleanup();
	assert_int_equal(kernel_pages(), 0);
}

static void
test_eal_page_map_failure_rolls_back(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned long req = env_groups(m) ? VFIO_IOMMU_MAP_DMA : IOMMU_IOAS_MAP;
	/* sPAPR: the 4th page fails */
	unsigned int base = fake_open_fds();
	int fd;

	fake_fault_ioctl(req, 4, ENOMEM);
	if (env_groups(m)) {
		/* mapped when the first group joins: setup fails */
		assert_int_equal(eal_vfio_mem_init(), 0);
		assert_rte_err(rte_vfio_setup_device(env_pci(), DEV0, &fd),
			ENOMEM);
		assert_int_equal(fake_open_fds(), base);
	} else {
		assert_rte_err(eal_vfio_mem_init(), ENOMEM);
		assert_null(callback);
	}
	assert_int_equal(kernel_pages(), 0);
	fake_fault_clear();
	if (!env_groups(m))
		assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* errno values the kernel documents for a DMA map (type1 and IOAS) */
static const int map_errs[] = { EIO, ENOMEM, ENOSPC, EFAULT, EINVAL, EPERM,
	EBUSY };
static const int unmap_errs[] = { EIO, EINVAL, EFAULT, EBUSY, ENOENT };

static unsigned long
map_req(const struct vfio_mode_case *m)
{
	return env_groups(m) ? VFIO_IOMMU_MAP_DMA : IOMMU_IOAS_MAP;
}

static unsigned long
unmap_req(const struct vfio_mode_case *m)
{
	return env_groups(m) ? VFIO_IOMMU_UNMAP_DMA : IOMMU_IOAS_UNMAP;
}

/* rte_errno for a kernel errno: itself where callers branch on it, or EIO */
static bool
map_errno_ok(int kernel, int got)
{
	return got == EIO || (got == kernel &&
		(kernel == ENOMEM || kernel == ENOSPC || kernel == EPERM));
}

/*
 * All NB_PAGES pages present: the map of each one (past the 8th) fails
 * with each documented errno; nothing stays mapped, registered or open.
 */
static void
test_eal_page_map_faults_at_every_page(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned int base = fake_open_fds(), i, e, nth, reached = 0;
	int fd;

	for (i = 0; i < NB_PAGES; i++)
		lists[0].present[i] = true;
	for (e = 0; e < RTE_DIM(map_errs); e++) {
		for (nth = 1; nth <= NB_PAGES; nth++) {
			fake_fault_ioctl(map_req(m), nth, map_errs[e]);
			rte_errno = 0;
			if (env_groups(m)) {
				/* mapped when the first group joins */
				assert_int_equal(eal_vfio_mem_init(), 0);
				assert_int_equal(rte_vfio_setup_device(env_pci(),
					DEV0, &fd), -1);
				eal_vfio_mem_cleanup();
			} else {
				assert_int_equal(eal_vfio_mem_init(), -1);
				assert_null(callback);
			}
			if (!map_errno_ok(map_errs[e], rte_errno))
				fail_msg("page %u failing with %s: rte_errno %s",
					nth, strerror(map_errs[e]),
					strerror(rte_errno));
			fake_fault_clear();
			assert_int_equal(kernel_pages(), 0);
			assert_int_equal(fake_open_fds(), base);
			reached++;
		}
	}
	assert_int_equal(reached, NB_PAGES * RTE_DIM(map_errs));
	/* and it all works without the fault */
	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(kernel_pages(), NB_PAGES);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/*
 * The memory event callback: a page of an ALLOC run that the kernel
 * refuses stays unmapped while the others are mapped, and a page whose
 * unmap the kernel refuses on FREE stays in the books, so that the
 * bookkeeping never disagrees with the kernel and cleanup unmaps it.
 */
static void
test_memory_event_faults_keep_books_and_kernel_agreeing(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned int e, nth;
	int fd;

	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	for (e = 0; e < RTE_DIM(map_errs); e++) {
		for (nth = 1; nth <= 4; nth++) {
			/* refused as a whole: no page of the run is
			 * handed out without DMA
			 */
			fake_fault_ioctl(map_req(m), nth, map_errs[e]);
			assert_int_equal(page_event_ret(RTE_MEM_EVENT_ALLOC,
				FIRST_PAGES, 4), -1);
			fake_fault_clear();
			assert_int_equal(kernel_pages(), FIRST_PAGES);
		}
	}
	for (e = 0; e < RTE_DIM(unmap_errs); e++) {
		for (nth = 1; nth <= 4; nth++) {
			page_event(RTE_MEM_EVENT_ALLOC, FIRST_PAGES, 4);
			assert_int_equal(kernel_pages(), FIRST_PAGES + 4);
			fake_fault_ioctl(unmap_req(m), nth, unmap_errs[e]);
			page_event(RTE_MEM_EVENT_FREE, FIRST_PAGES, 4);
			fake_fault_clear();
			/* the refused page is still mapped, and still known */
			assert_int_equal(kernel_pages(), FIRST_PAGES + 1);
			/* the next release and set-up (group: context lost and
			 * re-created) or cleanup gets rid of it */
			eal_vfio_mem_cleanup();
			assert_int_equal(kernel_pages(), 0);
			assert_int_equal(eal_vfio_mem_init(), 0);
			assert_int_equal(kernel_pages(), FIRST_PAGES);
		}
	}
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/*
 * A cleanup whose unmap the kernel refuses: the page is still mapped
 * (cdev: the IOAS outlives the cleanup), the books keep it, and the next
 * memory init works instead of failing on it; a clean cleanup then leaves
 * nothing.
 */
static void
test_memory_cleanup_faults_keep_books_and_kernel_agreeing(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned int e, nth;
	int fd;

	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	for (e = 0; e < RTE_DIM(unmap_errs); e++) {
		for (nth = 1; nth <= FIRST_PAGES; nth++) {
			assert_int_equal(eal_vfio_mem_init(), 0);
			assert_int_equal(kernel_pages(), FIRST_PAGES);
			fake_fault_ioctl(unmap_req(m), nth, unmap_errs[e]);
			eal_vfio_mem_cleanup();
			fake_fault_clear();
			assert_null(callback);
			assert_int_equal(kernel_pages(), 1);
			rte_errno = 0;
			if (eal_vfio_mem_init() != 0)
				fail_msg("memory init after a cleanup whose unmap %u failed with %s: %s",
					nth, strerror(unmap_errs[e]),
					strerror(rte_errno));
			assert_int_equal(kernel_pages(), FIRST_PAGES);
			eal_vfio_mem_cleanup();
			assert_int_equal(kernel_pages(), 0);
		}
	}
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/*
 * A hotplug page the kernel cannot map (RLIMIT_MEMLOCK: ENOMEM) is refused:
 * the callback fails with ENOMEM and unmaps the pages of the same run it
 * had mapped, so that the EAL never hands out memory without DMA.
 */
static void
test_hotplug_page_unmappable_is_refused(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned long req = env_groups(m) ? VFIO_IOMMU_MAP_DMA : IOMMU_IOAS_MAP;
	int fd;

	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	/* a run of 3 pages whose third cannot be pinned */
	fake_fault_ioctl(req, 3, ENOMEM);
	rte_errno = 0;
	assert_int_equal(page_event_ret(RTE_MEM_EVENT_ALLOC, FIRST_PAGES, 3), -1);
	assert_int_equal(rte_errno, ENOMEM);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	fake_fault_clear();
	/* the same pages come again and now map */
	page_event(RTE_MEM_EVENT_ALLOC, FIRST_PAGES, 3);
	assert_int_equal(kernel_pages(), FIRST_PAGES + 3);
	page_event(RTE_MEM_EVENT_FREE, FIRST_PAGES, 3);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	memory_release();
	memset(lists[0].present, 0, sizeof(lists[0].present));
	eal_vfio_mem_cleanup();
	assert_int_equal(kernel_pages(), 0);
}

static void
test_user_map_over_eal_memory(void **state)
{
	const struct rte_memseg *ms = &lists[0].segs[2];
	int fd;

	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	/* the same translation: already there */
	assert_int_equal(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, (uintptr_t)ms->addr, ms->iova,
		ms->len), 0);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	/* the same IOVA for other memory */
	assert_rte_err(rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
		(uintptr_t)lists[1].segs[0].addr, ms->iova, ms->len), EEXIST);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* Linux 7.3: GET_PA answers only while a device is attached, and only
 * then are the pages pinned
 */
static void
test_noiommu_cdev_iova_source(void **state)
{
	const struct vfio_mode_case *m = *state;
	void *page = lists[0].segs[9].addr;
	unsigned int base = fake_open_fds(), calls;
	rte_iova_t iova = 0;
	int fd;

	/* the other lanes' check: no IOVA source is installed */
	if (!kernel_iova_source(m)) {
		assert_false(source_set);
		return;
	}
	calls = fake_ioctl_calls(IOMMU_IOAS_NOIOMMU_GET_PA);
	/* installed at enable; before any attach the page table answers */
	assert_true(source_set);
	assert_int_equal(source.va2iova(page, env_pg(), &iova, source.arg), 0);
	assert_int_equal(iova, fake_pagemap_pa((uintptr_t)page));
	assert_int_equal(fake_ioctl_calls(IOMMU_IOAS_NOIOMMU_GET_PA), calls);
	assert_int_equal(kernel_pages(), FIRST_PAGES + 1);
	source.release(page, env_pg(), source.arg);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	/* the first attach checks every EAL page against the kernel */
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(fake_ioctl_calls(IOMMU_IOAS_NOIOMMU_GET_PA),
		calls + FIRST_PAGES);
	/* attached: the kernel answers */
	assert_int_equal(source.va2iova(page, env_pg(), &iova, source.arg), 0);
	assert_int_equal(iova, fake_noiommu_pa((uintptr_t)page));
	source.release(page, env_pg(), source.arg);
	/* a failing query: the page gets no IOVA, nothing stays pinned */
	fake_fault_ioctl(IOMMU_IOAS_NOIOMMU_GET_PA, 1, EOPNOTSUPP);
	assert_int_equal(source.va2iova(page, env_pg(), &iova, source.arg), -1);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	fake_fault_clear();
	/* the last device goes: pagemap again, and a check at the next attach */
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	assert_int_equal(source.va2iova(page, env_pg(), &iova, source.arg), 0);
	assert_int_equal(iova, fake_pagemap_pa((uintptr_t)page));
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(fake_ioctl_calls(IOMMU_IOAS_NOIOMMU_GET_PA),
		calls + 2 * FIRST_PAGES + 2);
	source.release(page, env_pg(), source.arg);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	assert_int_equal(fake_open_fds(), base);
	memory_release();
	memset(lists[0].present, 0, sizeof(lists[0].present));
	eal_vfio_cleanup();
	assert_false(source_set);
	/* a kernel without IOMMU_IOAS_NOIOMMU_GET_PA: pagemap */
	fake_fault_ioctl(IOMMU_IOAS_NOIOMMU_GET_PA, 1, ENOTTY);
	assert_int_equal(env_enable(m), 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NOIOMMU);
	assert_int_equal(rte_vfio_get_interface(), RTE_VFIO_INTERFACE_CDEV);
	assert_int_equal(rte_vfio_get_iova_mode(), RTE_IOVA_PA);
	assert_false(source_set);
}

/* a run of pages at once: one mapping per page (each can be freed
 * alone), or one for pages never freed apart; one pagemap read for all;
 * a failure holds nothing
 */
static void
test_noiommu_cdev_iova_source_pages(void **state)
{
	uint8_t *va = lists[0].segs[FIRST_PAGES].addr;
	unsigned int n = NB_PAGES - FIRST_PAGES, reads, maps, i;
	uint64_t bytes;
	rte_iova_t iova[NB_PAGES];
	int fd;

	(void)state;
	assert_true(source_set);
	assert_non_null(source.va2iova_pages);
	reads = fake_pagemap_reads();
	assert_int_equal(source.va2iova_pages(va, env_pg(), n, iova, false,
		source.arg), 0);
	assert_int_equal(fake_pagemap_reads(), reads + 1);
	assert_int_equal(kernel_pages(), FIRST_PAGES + n);
	for (i = 0; i < n; i++)
		assert_int_equal(iova[i],
			fake_pagemap_pa((uintptr_t)(va + i * env_pg())));
	/* one page goes alone */
	source.release(va + 2 * env_pg(), env_pg(), source.arg);
	assert_int_equal(kernel_pages(), FIRST_PAGES + n - 1);
	for (i = 0; i < n; i++)
		if (i != 2)
			source.release(va + i * env_pg(), env_pg(), source.arg);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	/* the 4th map fails: the 3 before are undone */
	fake_fault_ioctl(IOMMU_IOAS_MAP, 4, ENOMEM);
	assert_int_equal(source.va2iova_pages(va, env_pg(), n, iova, false,
		source.arg), -1);
	assert_int_equal(rte_errno, ENOMEM);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	fake_fault_clear();
	/* attached: the kernel's addresses, no pagemap; a failed query
	 * holds nothing
	 */
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	reads = fake_pagemap_reads();
	assert_int_equal(source.va2iova_pages(va, env_pg(), n, iova, false,
		source.arg), 0);
	assert_int_equal(fake_pagemap_reads(), reads);
	for (i = 0; i < n; i++) {
		assert_int_equal(iova[i],
			fake_noiommu_pa((uintptr_t)(va + i * env_pg())));
		source.release(va + i * env_pg(), env_pg(), source.arg);
	}
	fake_fault_ioctl(IOMMU_IOAS_NOIOMMU_GET_PA, 3, EFAULT);
	assert_int_equal(source.va2iova_pages(va, env_pg(), n, iova, false,
		source.arg), -1);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	fake_fault_clear();
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);

	/* never freed apart: one mapping, which goes only as a whole */
	maps = fake_ioctl_calls(IOMMU_IOAS_MAP);
	assert_int_equal(source.va2iova_pages(va, env_pg(), n, iova, true,
		source.arg), 0);
	assert_int_equal(fake_ioctl_calls(IOMMU_IOAS_MAP), maps + 1);
	assert_int_equal(kernel_maps_bytes(&bytes), FIRST_PAGES + 1);
	assert_int_equal(bytes, (FIRST_PAGES + n) * env_pg());
	for (i = 0; i < n; i++)
		assert_int_equal(iova[i],
			fake_pagemap_pa((uintptr_t)(va + i * env_pg())));
	/* a page of it cannot go alone (iommufd's ENOENT) */
	source.release(va + 2 * env_pg(), env_pg(), source.arg);
	assert_int_equal(kernel_maps_bytes(&bytes), FIRST_PAGES + 1);
	source.release(va, n * env_pg(), source.arg);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	/* a failed address query undoes the one mapping */
	fake_config()->pagemap_no_frames = true;
	assert_int_equal(source.va2iova_pages(va, env_pg(), n, iova, true,
		source.arg), -1);
	assert_int_equal(kernel_pages(), FIRST_PAGES);
	fake_config()->pagemap_no_frames = false;
}

/* a page whose address changed when the kernel pinned it: never a wrong
 * IOVA, the device is refused and nothing stays open
 */
static void
test_noiommu_cdev_moved_page_refuses_device(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned int base;
	int fd;

	memory_release();
	fake_config()->pages_move_on_pin = true;
	memory_setup(m);
	base = fake_open_fds();
	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_rte_err(rte_vfio_setup_device(env_pci(), DEV0, &fd), EIO);
	assert_int_equal(fake_open_fds(), base);
	assert_true(fake_device_attached_ioas(DEV0) < 0);
	/* pages that stay where pagemap saw them: the device comes up */
	memory_release();
	fake_config()->pages_move_on_pin = false;
	memory_setup(m);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* without CAP_SYS_RAWIO the cdev backend says so instead of failing later */
static void
test_noiommu_cdev_needs_rawio(void **state)
{
	const struct vfio_mode_case *m = *state;

	memory_release();
	memset(lists[0].present, 0, sizeof(lists[0].present));
	eal_vfio_cleanup();
	fake_config()->no_rawio = true;
	eal_get_internal_configuration()->vfio_mode = EAL_VFIO_MODE_NOIOMMU_CDEV;
	assert_rte_err(rte_vfio_enable(NULL), EPERM);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
	assert_int_equal(fake_open_fds(), 0);
	fake_config()->no_rawio = false;
	assert_int_equal(env_enable(m), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		MEM_ALL_MODES(test_eal_memory_follows_context_and_hotplug)
		MEM_ALL_MODES(test_group_joined_before_memory_init)
		MEM_IOMMU_MODES(test_eal_page_map_failure_rolls_back)
		MEM_IOMMU_MODES(test_eal_page_map_faults_at_every_page)
		MEM_IOMMU_MODES(test_memory_event_faults_keep_books_and_kernel_agreeing)
		MEM_IOMMU_MODES(test_memory_cleanup_faults_keep_books_and_kernel_agreeing)
		MEM_IOMMU_MODES(test_hotplug_page_unmappable_is_refused)
		MEM_IOMMU_MODES(test_user_map_over_eal_memory)
		MEM_ALL_MODES(test_noiommu_cdev_iova_source)
		MEM_TEST(test_noiommu_cdev_iova_source_pages, noiommu_cdev),
		MEM_TEST(test_noiommu_cdev_moved_page_refuses_device, noiommu_cdev),
		MEM_TEST(test_noiommu_cdev_needs_rawio, noiommu_cdev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
