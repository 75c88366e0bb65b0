/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Containers at scale: custom containers created until the library
 * refuses one. RTE_MAX_VFIO_CONTAINERS (meson option max_vfio_containers,
 * 64 by default) counts the default container, so "64 containers" is the
 * default one and 63 custom ones; rte_vfio.h documents ENOSPC for the
 * refusal, and the row fails on any other count or errno. One 4 KiB page
 * is then mapped into each: in cdev mode an IOAS maps without a device
 * (a kernel call per container); in group modes a container without a
 * group has no IOMMU context, so the map is only booked (the library
 * replays it when a group joins). Then unmap and destroy, each timed over
 * all the containers; the heap growth and descriptors while all are held.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_config.h>
#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "eal_vfio_info.h"
#include "perf.h"

#define SECTION "scale-containers"
#define PAGE_4K UINT64_C(4096)
#define IOVA_BASE (UINT64_C(1) << 32)
/* attempts past the limit before giving up on a refusal */
#define SLACK 4
#define MAX_TRY (RTE_MAX_VFIO_CONTAINERS + SLACK)

enum { C_CREATE, C_MAP, C_UNMAP, C_DESTROY, C_PHASES };

struct cont_rep {
	double ns[C_PHASES];
	unsigned int created;
	int refusal;        /* rte_errno of the refused create, 0: none */
	size_t heap;
	int fds;
	size_t heap_end;
	int fds_end;
};

/* a row of this section, without a bare column */
static void
add_row(const char *name, const char *params, uint64_t ops, double ns,
		const char *note)
{
	perf_report_row(SECTION, name, params, ops, ns, -1, note);
}

static int
cont_teardown(int *cfd, unsigned int created, unsigned int mapped, void *va,
		struct cont_rep *r)
{
	uint64_t t0 = perf_now_ns(), t1, t2;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < mapped; i++) {
		if (rte_vfio_container_dma_unmap(cfd[i], (uintptr_t)va,
				IOVA_BASE, PAGE_4K) != 0 && ret == 0) {
			perf_report_fail(SECTION, "dma_unmap", "-",
				"rte_vfio_container_dma_unmap (container %u): %s",
				i + 1, rte_strerror(rte_errno));
			ret = -1;
		}
	}
	t1 = perf_now_ns();
	for (i = 0; i < created; i++) {
		if (rte_vfio_container_destroy(cfd[i]) != 0 && ret == 0) {
			perf_report_fail(SECTION, "container_destroy", "-",
				"rte_vfio_container_destroy (container %u): %s",
				i + 1, rte_strerror(rte_errno));
			ret = -1;
		}
	}
	t2 = perf_now_ns();
	r->ns[C_UNMAP] = (double)(t1 - t0);
	r->ns[C_DESTROY] = (double)(t2 - t1);
	return ret;
}

static int
cont_rep(void *va, struct cont_rep *r)
{
	int cfd[MAX_TRY], fds0 = perf_fds_open();
	size_t heap0 = perf_heap_used();
	unsigned int created, mapped;
	uint64_t t0, t1, t2;
	int ret = 0;

	r->refusal = 0;
	t0 = perf_now_ns();
	for (created = 0; created < MAX_TRY; created++) {
		cfd[created] = rte_vfio_container_create();
		if (cfd[created] < 0) {
			r->refusal = rte_errno;
			break;
		}
	}
	t1 = perf_now_ns();
	r->created = created;
	for (mapped = 0; mapped < created; mapped++) {
		if (rte_vfio_container_dma_map(cfd[mapped], (uintptr_t)va,
				IOVA_BASE, PAGE_4K) != 0) {
			perf_report_fail(SECTION, "dma_map 4K x N", "-",
				"rte_vfio_container_dma_map (container %u): %s",
				mapped + 1, rte_strerror(rte_errno));
			ret = -1;
			break;
		}
	}
	t2 = perf_now_ns();
	r->heap = perf_heap_growth(heap0);
	r->fds = perf_fds_open() - fds0;
	r->ns[C_CREATE] = (double)(t1 - t0);
	r->ns[C_MAP] = (double)(t2 - t1);
	if (cont_teardown(cfd, created, mapped, va, r) != 0)
		ret = -1;
	r->heap_end = perf_heap_growth(heap0);
	r->fds_end = perf_fds_open() - fds0;
	return ret;
}

static double
median_of(struct cont_rep *reps, unsigned int n, unsigned int phase)
{
	double v[PERF_MAX_REPS];
	unsigned int k;

	for (k = 0; k < n; k++)
		v[k] = reps[k].ns[phase];
	return perf_median(v, n);
}

void
perf_scale_containers(const struct perf_conf *conf)
{
	static struct cont_rep reps[PERF_MAX_REPS];
	bool cdev = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_CDEV;
	unsigned int k, in_use, want;
	char params[48], note[128];
	struct cont_rep *last;
	struct vfio_info info;
	void *va;

	perf_report_section(SECTION,
		"Containers at scale: custom containers created until the library refuses one (RTE_MAX_VFIO_CONTAINERS counts the default), median");
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_skip(SECTION, "container_create x N", "-",
			"VFIO not in use (mode none)");
		return;
	}
	vfio_info_get(&info);
	in_use = info.containers;
	want = RTE_MAX_VFIO_CONTAINERS > in_use ?
		RTE_MAX_VFIO_CONTAINERS - in_use : 0;
	snprintf(params, sizeof(params), "max %d, %u in use",
		RTE_MAX_VFIO_CONTAINERS, in_use);
	va = mmap(NULL, PAGE_4K, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED) {
		perf_report_fail(SECTION, "container_create x N", params,
			"mmap: %s", strerror(errno));
		return;
	}
	*(volatile char *)va = 1;
	for (k = 0; k < conf->reps; k++)
		if (cont_rep(va, &reps[k]) != 0)
			break;
	munmap(va, PAGE_4K);
	if (k < conf->reps)
		return;
	last = &reps[k - 1];
	for (k = 0; k < conf->reps; k++) {
		if (reps[k].created != want || reps[k].refusal != ENOSPC) {
			perf_report_fail(SECTION, "container_create x N",
				params,
				"%u created, then %s; expected %u, then ENOSPC",
				reps[k].created, reps[k].refusal == 0 ?
				"no refusal" : strerror(reps[k].refusal), want);
			return;
		}
	}
	snprintf(note, sizeof(note),
		"create %u refused: ENOSPC (%u + %u in use = the maximum); all held: heap +%.1f KiB, %+d fds",
		want + 1, want, in_use, (double)last->heap / 1024, last->fds);
	add_row("container_create x N", params, want,
		median_of(reps, conf->reps, C_CREATE), note);
	add_row("dma_map 4K x N", params, want,
		median_of(reps, conf->reps, C_MAP), cdev ?
		"one page at one IOVA of each IOAS, no device attached" :
		"booked only: no group, no IOMMU context (replayed when a group joins)");
	add_row("dma_unmap 4K x N", params, want,
		median_of(reps, conf->reps, C_UNMAP), "");
	if (last->fds_end != 0 || last->heap_end != 0)
		snprintf(note, sizeof(note),
			"left after destroy: %+d fds, heap +%zu B",
			last->fds_end, last->heap_end);
	else
		snprintf(note, sizeof(note), "nothing left after destroy");
	add_row("container_destroy x N", params, want,
		median_of(reps, conf->reps, C_DESTROY), note);
}
