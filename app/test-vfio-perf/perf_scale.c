/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * User maps at scale: one 4 KiB page mapped at N consecutive IOVAs of a
 * custom container through rte_vfio_container_dma_map until N are mapped
 * or the kernel refuses one, then all unmapped. Type1 refuses more than
 * dma_entry_limit mappings per container: the library must say ENOSPC at
 * exactly that count (the default N in group mode is the limit + 1). The
 * library's memory is the growth of the process heap (mallinfo2) while
 * the maps are live: nothing else allocates meanwhile.
 */

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_errno.h>
#include <rte_vfio.h>

#include "perf.h"

#define SECTION "scale"
#define PAGE_4K UINT64_C(4096)
/* above the 32-bit MSI window, like the dma section */
#define IOVA_BASE (UINT64_C(1) << 32)
#define TYPE1_LIMIT "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"
/* maps when neither the option nor a kernel limit says how many */
#define DEFAULT_MAPS 65536

/* type1's dma_entry_limit, or 0 when not readable */
static uint64_t
type1_limit(void)
{
	unsigned long long v = 0;
	FILE *f = fopen(TYPE1_LIMIT, "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* a row of this section, without a bare column */
static void
add_row(const char *name, const char *params, uint64_t ops, double ns,
		const char *note)
{
	perf_report_row(SECTION, name, params, ops, ns, -1, note);
}

static void
scale_run(const struct perf_conf *conf, int cfd, uint64_t limit)
{
	bool type1 = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP &&
		(rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0;
	uint64_t n = conf->scale_maps, i, mapped, t0, t1, t2;
	struct mallinfo2 before, after;
	char params[48], note[128];
	size_t heap;
	void *va;
	int err = 0;

	if (n == 0)
		n = type1 && limit > 0 ? limit + 1 : DEFAULT_MAPS;
	snprintf(params, sizeof(params), "N=%" PRIu64 " S=4K", n);
	va = mmap(NULL, PAGE_4K, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED) {
		perf_report_fail(SECTION, "map", params, "mmap: %s",
			strerror(errno));
		return;
	}
	*(volatile char *)va = 1;
	before = mallinfo2();
	t0 = perf_now_ns();
	for (i = 0; i < n; i++) {
		if (rte_vfio_container_dma_map(cfd, (uintptr_t)va,
				IOVA_BASE + i * PAGE_4K, PAGE_4K) != 0) {
			err = rte_errno;
			break;
		}
	}
	t1 = perf_now_ns();
	after = mallinfo2();
	mapped = i;
	heap = after.uordblks > before.uordblks ?
		after.uordblks - before.uordblks : 0;
	for (i = 0; i < mapped; i++)
		if (rte_vfio_container_dma_unmap(cfd, (uintptr_t)va,
				IOVA_BASE + i * PAGE_4K, PAGE_4K) != 0)
			break;
	t2 = perf_now_ns();
	munmap(va, PAGE_4K);

	if (err == 0)
		snprintf(note, sizeof(note), "all mapped; library heap %.1f MiB (%.0f B/map)",
			(double)heap / (1 << 20),
			mapped > 0 ? (double)heap / (double)mapped : 0.0);
	else
		snprintf(note, sizeof(note), "map %" PRIu64 " refused: %s%s; library heap %.1f MiB (%.0f B/map)",
			mapped + 1, strerror(err),
			type1 && limit > 0 && mapped == limit && err == ENOSPC ?
			" = type1 dma_entry_limit" : "",
			(double)heap / (1 << 20),
			mapped > 0 ? (double)heap / (double)mapped : 0.0);
	/* the refusal expected is ENOSPC at type1's limit, nothing else */
	if (err != 0 && !(type1 && limit > 0 && mapped == limit &&
			err == ENOSPC)) {
		perf_report_fail(SECTION, "map", params, "%s", note);
	} else if (err == 0 && type1 && limit > 0 && mapped > limit) {
		perf_report_fail(SECTION, "map", params,
			"%" PRIu64 " mapped, beyond dma_entry_limit %" PRIu64,
			mapped, limit);
	} else {
		add_row("map until refused", params, mapped, (double)(t1 - t0),
			note);
	}
	if (i < mapped)
		perf_report_fail(SECTION, "unmap all", params,
			"unmap %" PRIu64 " of %" PRIu64 ": %s", i + 1, mapped,
			rte_strerror(rte_errno));
	else
		add_row("unmap all", params, mapped, (double)(t2 - t1),
			"in map order");
}

void
perf_scale(const struct perf_conf *conf)
{
	const char *a = conf->n_devs > 0 ? conf->devs[0] : NULL;
	bool group = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP;
	uint64_t limit = group && (rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0 ?
		type1_limit() : 0;
	int cfd;

	perf_report_section(SECTION,
		"User maps at scale: one 4 KiB page at N IOVAs of a custom container, until the kernel refuses");
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_skip(SECTION, "map", "-",
			"VFIO not in use (mode none)");
		return;
	}
	if (!group && (rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) == 0) {
		perf_report_skip(SECTION, "map", "-",
			"no-IOMMU cdev: IOVAs are keys, not measured here");
		return;
	}
	if (group && a == NULL) {
		perf_report_skip(SECTION, "map", "-",
			"group mode maps only with a group in the container: give a device");
		return;
	}
	cfd = rte_vfio_container_create();
	if (cfd < 0) {
		perf_report_fail(SECTION, "set-up", "-",
			"rte_vfio_container_create: %s",
			rte_strerror(rte_errno));
		return;
	}
	if (a != NULL && rte_vfio_container_assign_device(cfd, conf->sysfs,
			a) != 0) {
		perf_report_fail(SECTION, "set-up", "-",
			"rte_vfio_container_assign_device %s: %s", a,
			rte_strerror(rte_errno));
		rte_vfio_container_destroy(cfd);
		return;
	}
	if (limit > 0)
		perf_report_header("scale limit", "type1 dma_entry_limit %" PRIu64,
			limit);
	scale_run(conf, cfd, limit);
	if (rte_vfio_container_destroy(cfd) != 0)
		perf_report_fail(SECTION, "container destroy", "-", "%s",
			rte_strerror(rte_errno));
}
