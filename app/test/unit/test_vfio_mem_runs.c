/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * EAL memory in the fewest kernel calls: pages that are never freed
 * (RTE_MEMSEG_FLAG_DO_NOT_FREE, the -m / --socket-mem reservation) are
 * mapped in runs contiguous in VA and IOVA, pages that can be freed one
 * by one, so that a free unmaps exactly the freed page. The fake kernel
 * counts the map calls. The memory subsystem is replaced by wrappers
 * describing one segment list of up to MAX_PAGES pages.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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
#include "eal_vfio_info.h"
#include "test_vfio_env.h"

/* -m 64 of 4 KiB pages (--no-huge) */
#define MAX_PAGES 16384
#define PA_BASE 0x40000000ULL

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

/* one EAL segment list */
static struct rte_memseg_list msl;
static struct rte_memseg segs[MAX_PAGES];
static bool present[MAX_PAGES];
static eal_mem_event_check_t callback;

int
__wrap_rte_memseg_walk_thread_unsafe(rte_memseg_walk_t func, void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < MAX_PAGES; i++) {
		if (!present[i])
			continue;
		ret = func(&msl, &segs[i], arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

struct rte_memseg_list *
__wrap_rte_mem_virt2memseg_list(const void *virt)
{
	uintptr_t v = (uintptr_t)virt, base = (uintptr_t)msl.base_va;

	return v >= base && v < base + msl.len ? &msl : NULL;
}

struct rte_memseg *
__wrap_rte_mem_virt2memseg(const void *virt, const struct rte_memseg_list *l)
{
	size_t i = ((uintptr_t)virt - (uintptr_t)l->base_va) / l->page_sz;

	return present[i] ? &segs[i] : NULL;
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
}

void
__wrap_rte_mcfg_mem_read_unlock(void)
{
}

/* the no-IOMMU cdev source pins pages itself: not what is tested here */
int
__wrap_eal_iova_source_set(const struct eal_iova_source *src)
{
	(void)src;
	return 0;
}

/* ---- the memory map ------------------------------------------------------ */

static const struct vfio_mode_case *lane;

/* IOVA of page i: its VA, or a physical-looking address in PA mode */
static uint64_t
page_iova(unsigned int i)
{
	return lane->iova == RTE_IOVA_VA ? (uintptr_t)segs[i].addr :
		PA_BASE + (uint64_t)i * env_pg();
}

/* pages [first, first + n) exist, fixed (never freed) or freeable */
static void
pages_add(unsigned int first, unsigned int n, bool fixed)
{
	unsigned int i;

	for (i = first; i < first + n; i++) {
		present[i] = true;
		segs[i].flags = fixed ? RTE_MEMSEG_FLAG_DO_NOT_FREE : 0;
	}
}

static int
runs_setup(void **state)
{
	uint8_t *base;
	unsigned int i;

	callback = NULL;
	lane = *state;
	if (env_setup(state) != 0)
		return -1;
	base = env_buf(MAX_PAGES);
	memset(&msl, 0, sizeof(msl));
	msl.base_va = base;
	msl.page_sz = env_pg();
	msl.len = MAX_PAGES * env_pg();
	memset(present, 0, sizeof(present));
	for (i = 0; i < MAX_PAGES; i++) {
		segs[i].addr = base + i * env_pg();
		segs[i].len = env_pg();
		segs[i].iova = page_iova(i);
		segs[i].flags = 0;
	}
	return 0;
}

static int
runs_teardown(void **state)
{
	eal_vfio_mem_cleanup();
	assert_null(callback);
	return env_teardown(state);
}

#define RUNS_TEST(fn, id) VFIO_LANE_TEST_WITH(fn, id, runs_setup, runs_teardown)
#define RUNS_IOMMU_MODES(fn) VFIO_IOMMU_MODES_WITH(fn, runs_setup, runs_teardown)

/* ---- what the kernel and the books hold ---------------------------------- */

/* the map call of the lane's kernel interface */
static unsigned long
map_req(void)
{
	return lane->interface == RTE_VFIO_INTERFACE_CDEV ? IOMMU_IOAS_MAP :
		VFIO_IOMMU_MAP_DMA;
}

static unsigned long
unmap_req(void)
{
	return lane->interface == RTE_VFIO_INTERFACE_CDEV ? IOMMU_IOAS_UNMAP :
		VFIO_IOMMU_UNMAP_DMA;
}

static unsigned int
map_calls(void)
{
	return fake_ioctl_calls(map_req());
}

static struct fake_dma kmaps[MAX_PAGES];

/* the kernel's mappings of the default container, sorted by IOVA */
static int
kernel_maps(void)
{
	int n = env_kernel_maps(rte_vfio_get_container_fd(), kmaps,
		RTE_DIM(kmaps));

	return n < 0 ? 0 : n;
}

/* the kernel holds [first, first + n) as one mapping, at its IOVA */
static void
assert_kernel_run(int nmaps, unsigned int first, unsigned int n)
{
	int i;

	for (i = 0; i < nmaps; i++) {
		if (kmaps[i].iova != segs[first].iova)
			continue;
		assert_int_equal(kmaps[i].vaddr, (uintptr_t)segs[first].addr);
		assert_int_equal(kmaps[i].size, (uint64_t)n * env_pg());
		return;
	}
	fail_msg("no kernel mapping starts at page %u", first);
}

/* no kernel mapping covers page i */
static void
assert_kernel_hole(int nmaps, unsigned int i)
{
	int k;

	for (k = 0; k < nmaps; k++)
		if (segs[i].iova >= kmaps[k].iova &&
				segs[i].iova <= kmaps[k].iova + kmaps[k].size - 1)
			fail_msg("page %u is still mapped", i);
}

static size_t
book_entries(void)
{
	struct vfio_info_container info;

	assert_int_equal(vfio_info_container(0, &info), 0);
	return info.mem_maps;
}

/* memory init and a first device: the EAL memory is in the kernel */
static int
mem_up(int *fd)
{
	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, fd), 0);
	return kernel_maps();
}

/* an allocation or free event on [first, first + n) */
static int
event(enum rte_mem_event ev, unsigned int first, unsigned int n, bool fixed)
{
	int ret;

	if (ev == RTE_MEM_EVENT_ALLOC)
		pages_add(first, n, fixed);
	assert_non_null(callback);
	ret = callback(ev, segs[first].addr, (size_t)n * env_pg(), NULL);
	/* a refused allocation, or a free, gives the pages back */
	if (ev == RTE_MEM_EVENT_FREE || ret != 0)
		memset(&present[first], 0, n * sizeof(present[0]));
	return ret;
}

/* ---- tests ------------------------------------------------------------- */

/* -m 64 --no-huge: 16384 pages that are never freed, one kernel call */
static void
test_fixed_memory_maps_in_one_call(void **state)
{
	unsigned int calls = map_calls();
	int fd, n;

	(void)state;
	pages_add(0, MAX_PAGES, true);
	n = mem_up(&fd);
	assert_int_equal(map_calls() - calls, 1);
	assert_int_equal(n, 1);
	assert_kernel_run(n, 0, MAX_PAGES);
	assert_int_equal(book_entries(), 1);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* pages that can be freed keep one mapping each: a free unmaps one page */
static void
test_freeable_page_free_unmaps_exactly_that_page(void **state)
{
	unsigned int calls = map_calls(), unmaps;
	int fd, n;

	(void)state;
	pages_add(0, 8, true);
	pages_add(8, 8, false);
	n = mem_up(&fd);
	assert_int_equal(map_calls() - calls, 1 + 8);
	assert_int_equal(n, 9);
	assert_kernel_run(n, 0, 8);
	assert_kernel_run(n, 10, 1);
	/* the heap frees page 10 alone */
	unmaps = fake_ioctl_calls(unmap_req());
	assert_int_equal(event(RTE_MEM_EVENT_FREE, 10, 1, false), 0);
	assert_int_equal(fake_ioctl_calls(unmap_req()) - unmaps, 1);
	n = kernel_maps();
	assert_int_equal(n, 8);
	assert_kernel_hole(n, 10);
	assert_kernel_run(n, 0, 8);
	assert_kernel_run(n, 9, 1);
	assert_kernel_run(n, 11, 1);
	assert_int_equal(book_entries(), 8);
	/* the heap grows by 4 freeable pages: 4 mappings */
	calls = map_calls();
	assert_int_equal(event(RTE_MEM_EVENT_ALLOC, 16, 4, false), 0);
	assert_int_equal(map_calls() - calls, 4);
	/* pages that are never freed, allocated later: one run */
	calls = map_calls();
	assert_int_equal(event(RTE_MEM_EVENT_ALLOC, 32, 16, true), 0);
	assert_int_equal(map_calls() - calls, 1);
	n = kernel_maps();
	assert_int_equal(n, 8 + 4 + 1);
	assert_kernel_run(n, 32, 16);
	/* freeing a range of freeable pages: each goes, nothing else */
	unmaps = fake_ioctl_calls(unmap_req());
	assert_int_equal(event(RTE_MEM_EVENT_FREE, 16, 4, false), 0);
	assert_int_equal(fake_ioctl_calls(unmap_req()) - unmaps, 4);
	assert_int_equal(kernel_maps(), 8 + 1);
	assert_int_equal(book_entries(), 8 + 1);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* a run ends at a VA hole, an IOVA jump and a freeable page */
static void
test_runs_break_where_memory_does(void **state)
{
	unsigned int calls = map_calls();
	int fd, n;

	(void)state;
	pages_add(0, 5, true);          /* [0, 5) */
	pages_add(6, 10, true);         /* hole at 5 */
	segs[10].iova += 16 * env_pg(); /* IOVA jump at 10 */
	for (n = 11; n < 16; n++)
		segs[n].iova = segs[10].iova + (uint64_t)(n - 10) * env_pg();
	pages_add(12, 1, false);        /* freeable at 12 */
	n = mem_up(&fd);
	assert_int_equal(map_calls() - calls, 5);
	assert_int_equal(n, 5);
	assert_kernel_run(n, 0, 5);
	assert_kernel_run(n, 6, 4);
	assert_kernel_run(n, 10, 2);
	assert_kernel_run(n, 12, 1);
	assert_kernel_run(n, 13, 3);
	assert_int_equal(book_entries(), 5);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* a new kernel context gets the same runs (group: the last group went) */
static void
test_replay_uses_the_same_runs(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned int calls;
	int fd, n;

	pages_add(0, 64, true);
	pages_add(64, 2, false);
	pages_add(100, 28, true);
	n = mem_up(&fd);
	assert_int_equal(n, 4);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	assert_int_equal(kernel_maps(), env_groups(m) ? 0 : 4);
	calls = map_calls();
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(map_calls() - calls, env_groups(m) ? 4 : 0);
	n = kernel_maps();
	assert_int_equal(n, 4);
	assert_kernel_run(n, 0, 64);
	assert_kernel_run(n, 64, 1);
	assert_kernel_run(n, 65, 1);
	assert_kernel_run(n, 100, 28);
	assert_int_equal(book_entries(), 4);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/*
 * The kernel refusing any one run: nothing stays mapped and nothing is
 * booked; once it accepts, every run is there.
 */
static void
test_run_map_failure_leaves_nothing(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned int nth;
	int fd = -1, n;

	pages_add(0, 32, true);
	pages_add(40, 32, true);
	pages_add(80, 32, true);
	for (nth = 1; nth <= 3; nth++) {
		int mem, dev = -1;

		fake_fault_ioctl(map_req(), nth, EFAULT);
		mem = eal_vfio_mem_init();
		if (mem == 0)
			dev = rte_vfio_setup_device(env_pci(), DEV0, &fd);
		fake_fault_clear();
		/* group: mapped at the first group, else at memory init */
		if (env_groups(m)) {
			assert_int_equal(mem, 0);
			assert_int_equal(dev, -1);
		} else {
			assert_int_equal(mem, -1);
		}
		assert_int_equal(kernel_maps(), 0);
		assert_int_equal(book_entries(), 0);
		eal_vfio_mem_cleanup();
	}
	n = mem_up(&fd);
	assert_int_equal(n, 3);
	assert_int_equal(book_entries(), 3);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* an allocation whose second run is refused: the event leaves nothing */
static void
test_event_run_failure_rolls_back(void **state)
{
	unsigned int nth;
	int fd, n;

	(void)state;
	pages_add(0, 8, true);
	n = mem_up(&fd);
	assert_int_equal(n, 1);
	for (nth = 1; nth <= 2; nth++) {
		unsigned int unmaps = fake_ioctl_calls(unmap_req());

		/* two runs: [16, 24) and [25, 33) (page 24 is not in it) */
		fake_fault_ioctl(map_req(), nth, EFAULT);
		pages_add(16, 8, true);
		pages_add(25, 8, true);
		assert_non_null(callback);
		assert_int_equal(callback(RTE_MEM_EVENT_ALLOC, segs[16].addr,
			17 * env_pg(), NULL), -1);
		fake_fault_clear();
		memset(&present[16], 0, 17 * sizeof(present[0]));
		assert_int_equal(fake_ioctl_calls(unmap_req()) - unmaps,
			nth - 1);
		n = kernel_maps();
		assert_int_equal(n, 1);
		assert_kernel_run(n, 0, 8);
		assert_int_equal(book_entries(), 1);
	}
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* type1 reports two adjacent IOVA ranges: a run never spans both */
static void
test_run_stops_at_iova_range_boundary(void **state)
{
	const struct vfio_mode_case *m = *state;
	struct fake_config *cfg = fake_config();
	unsigned int calls;
	int fd, n;

	eal_vfio_cleanup();
	cfg->nb_iova_ranges = 2;
	cfg->iova_ranges[0].start = 0;
	cfg->iova_ranges[0].end = segs[20].iova - 1;
	cfg->iova_ranges[1].start = segs[20].iova;
	cfg->iova_ranges[1].end = (1ULL << 48) - 1;
	assert_int_equal(env_enable(m), 0);
	pages_add(0, 64, true);
	calls = map_calls();
	n = mem_up(&fd);
	assert_int_equal(map_calls() - calls, 2);
	assert_int_equal(n, 2);
	assert_kernel_run(n, 0, 20);
	assert_kernel_run(n, 20, 44);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* no-IOMMU groups: the kernel has nothing to map */
static void
test_noiommu_group_makes_no_kernel_call(void **state)
{
	unsigned int calls = fake_ioctl_calls(VFIO_IOMMU_MAP_DMA) +
		fake_ioctl_calls(IOMMU_IOAS_MAP);
	int fd;

	(void)state;
	pages_add(0, MAX_PAGES, true);
	assert_int_equal(mem_up(&fd), 0);
	assert_int_equal(fake_ioctl_calls(VFIO_IOMMU_MAP_DMA) +
		fake_ioctl_calls(IOMMU_IOAS_MAP), calls);
	assert_int_equal(book_entries(), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		RUNS_IOMMU_MODES(test_fixed_memory_maps_in_one_call)
		RUNS_IOMMU_MODES(test_freeable_page_free_unmaps_exactly_that_page)
		RUNS_IOMMU_MODES(test_runs_break_where_memory_does)
		RUNS_IOMMU_MODES(test_replay_uses_the_same_runs)
		RUNS_IOMMU_MODES(test_run_map_failure_leaves_nothing)
		RUNS_IOMMU_MODES(test_event_run_failure_rolls_back)
		RUNS_TEST(test_run_stops_at_iova_range_boundary, group),
		RUNS_TEST(test_noiommu_group_makes_no_kernel_call, noiommu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
