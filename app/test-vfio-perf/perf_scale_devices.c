/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Devices at scale: N devices (--scale-devs, default all given, at most
 * PERF_MAX_DEVS) set up into the default container with
 * rte_vfio_setup_device, then released; and the same N devices each in a
 * custom container of its own (create, assign_device), with one 2 MiB
 * region mapped into every container, then unmapped and destroyed. Each
 * phase is timed over the N devices (median of the repetitions); the
 * library's memory is the heap growth (mallinfo2) and the descriptors it
 * holds while everything is set up.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "perf.h"

#define SECTION "scale-devices"
#define REGION_LEN (UINT64_C(2) << 20)
/* above the 32-bit MSI window, like the dma section */
#define IOVA_BASE (UINT64_C(1) << 32)

/* what one repetition measured */
struct devs_rep {
	double ns[5];
	size_t heap;     /* growth while everything is set up */
	int fds;         /* descriptors held meanwhile */
	size_t heap_end; /* growth left after the release */
	int fds_end;     /* descriptors left after the release */
	double first_ns; /* the first device's setup */
};

/* a row of this section, without a bare column */
static void
add_row(const char *name, const char *params, uint64_t ops, double ns,
		const char *note)
{
	perf_report_row(SECTION, name, params, ops, ns, -1, note);
}

static double
median_of(struct devs_rep *reps, unsigned int n, unsigned int phase)
{
	double v[PERF_MAX_REPS];
	unsigned int k;

	for (k = 0; k < n; k++)
		v[k] = reps[k].ns[phase];
	return perf_median(v, n);
}

/*
 * "left after release" part of a note, summed over the repetitions: a
 * leak grows with them, allocator caching does not
 */
static void
residue(const struct devs_rep *reps, unsigned int n, char *buf, size_t len)
{
	size_t heap = 0;
	unsigned int k;
	int fds = 0;

	for (k = 0; k < n; k++) {
		heap += reps[k].heap_end;
		fds += reps[k].fds_end;
	}
	if (fds == 0 && heap == 0)
		snprintf(buf, len, "nothing left after release");
	else
		snprintf(buf, len, "left after %u releases: %+d fds, heap +%zu B",
			n, fds, heap);
}

/* ---- N devices on the default container ----------------------------------- */

enum { ONE_SETUP, ONE_RELEASE };

static int
one_rep(const struct perf_conf *conf, unsigned int n, struct devs_rep *r)
{
	int fds[PERF_MAX_DEVS], fds0 = perf_fds_open();
	size_t heap0 = perf_heap_used();
	uint64_t t0, t1, t2;
	unsigned int i, done;
	int ret = 0;

	t0 = perf_now_ns();
	for (i = 0; i < n; i++) {
		if (rte_vfio_setup_device(conf->sysfs, conf->devs[i],
				&fds[i]) != 0) {
			perf_report_fail(SECTION, "setup_device", conf->devs[i],
				"rte_vfio_setup_device (device %u of %u): %s",
				i + 1, n, rte_strerror(rte_errno));
			ret = -1;
			break;
		}
		if (i == 0)
			r->first_ns = (double)(perf_now_ns() - t0);
	}
	t1 = perf_now_ns();
	done = i;
	r->heap = perf_heap_growth(heap0);
	r->fds = perf_fds_open() - fds0;
	for (i = 0; i < done; i++) {
		if (rte_vfio_release_device(conf->sysfs, conf->devs[i],
				fds[i]) != 0 && ret == 0) {
			perf_report_fail(SECTION, "release_device",
				conf->devs[i], "rte_vfio_release_device: %s",
				rte_strerror(rte_errno));
			ret = -1;
		}
	}
	t2 = perf_now_ns();
	r->heap_end = perf_heap_growth(heap0);
	r->fds_end = perf_fds_open() - fds0;
	r->ns[ONE_SETUP] = (double)(t1 - t0);
	r->ns[ONE_RELEASE] = (double)(t2 - t1);
	return ret;
}

static void
one_container(const struct perf_conf *conf, unsigned int n)
{
	static struct devs_rep reps[PERF_MAX_REPS];
	bool type1 = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP &&
		(rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0;
	char params[48], note[128], res[64];
	double first[PERF_MAX_REPS];
	unsigned int k;

	snprintf(params, sizeof(params), "N=%u default", n);
	for (k = 0; k < conf->reps; k++)
		if (one_rep(conf, n, &reps[k]) != 0)
			return;
	for (k = 0; k < conf->reps; k++)
		first[k] = reps[k].first_ns;
	/* memory of the last repetition: every one sets up the same */
	snprintf(note, sizeof(note),
		"%u devices held: heap +%.1f KiB, %+d fds; the first took %.2f ms%s",
		n, (double)reps[k - 1].heap / 1024, reps[k - 1].fds,
		perf_median(first, conf->reps) / 1e6,
		type1 ? " (first group: IOMMU set, EAL memory mapped)" : "");
	add_row("setup_device x N", params, n,
		median_of(reps, conf->reps, ONE_SETUP), note);
	residue(reps, conf->reps, res, sizeof(res));
	snprintf(note, sizeof(note), "in setup order; %s", res);
	add_row("release_device x N", params, n,
		median_of(reps, conf->reps, ONE_RELEASE), note);
}

/* ---- N devices on N containers, one region mapped into each --------------- */

enum { N_CREATE, N_ASSIGN, N_MAP, N_UNMAP, N_DESTROY };

/* undo what is set up: unmap maps[0..mapped), destroy cfd[0..created) */
static int
n_teardown(int *cfd, unsigned int created, unsigned int mapped, void *va,
		double *unmap_ns, double *destroy_ns)
{
	uint64_t t0 = perf_now_ns(), t1, t2;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < mapped; i++) {
		if (rte_vfio_container_dma_unmap(cfd[i], (uintptr_t)va,
				IOVA_BASE, REGION_LEN) != 0 && ret == 0) {
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
	*unmap_ns = (double)(t1 - t0);
	*destroy_ns = (double)(t2 - t1);
	return ret;
}

static int
n_rep(const struct perf_conf *conf, unsigned int n, void *va,
		struct devs_rep *r)
{
	int cfd[PERF_MAX_DEVS], fds0 = perf_fds_open();
	unsigned int i, created = 0, mapped = 0;
	size_t heap0 = perf_heap_used();
	uint64_t t0, t1, t2, t3;
	int ret = -1;

	t0 = perf_now_ns();
	for (; created < n; created++) {
		cfd[created] = rte_vfio_container_create();
		if (cfd[created] < 0) {
			perf_report_fail(SECTION, "container_create", "-",
				"rte_vfio_container_create (container %u): %s",
				created + 1, rte_strerror(rte_errno));
			goto teardown;
		}
	}
	t1 = perf_now_ns();
	for (i = 0; i < n; i++) {
		if (rte_vfio_container_assign_device(cfd[i], conf->sysfs,
				conf->devs[i]) != 0) {
			perf_report_fail(SECTION, "container_assign_device",
				conf->devs[i], "rte_vfio_container_assign_device: %s",
				rte_strerror(rte_errno));
			goto teardown;
		}
	}
	t2 = perf_now_ns();
	for (; mapped < n; mapped++) {
		if (rte_vfio_container_dma_map(cfd[mapped], (uintptr_t)va,
				IOVA_BASE, REGION_LEN) != 0) {
			perf_report_fail(SECTION, "dma_map", "-",
				"rte_vfio_container_dma_map 2M (container %u): %s",
				mapped + 1, rte_strerror(rte_errno));
			goto teardown;
		}
	}
	t3 = perf_now_ns();
	r->heap = perf_heap_growth(heap0);
	r->fds = perf_fds_open() - fds0;
	r->ns[N_CREATE] = (double)(t1 - t0);
	r->ns[N_ASSIGN] = (double)(t2 - t1);
	r->ns[N_MAP] = (double)(t3 - t2);
	ret = 0;
teardown:
	/* destroy closes the devices assigned */
	if (n_teardown(cfd, created, mapped, va, &r->ns[N_UNMAP],
			&r->ns[N_DESTROY]) != 0)
		ret = -1;
	r->heap_end = perf_heap_growth(heap0);
	r->fds_end = perf_fds_open() - fds0;
	return ret;
}

static void
n_containers(const struct perf_conf *conf, unsigned int n)
{
	static struct devs_rep reps[PERF_MAX_REPS];
	char params[48], note[128], res[64];
	unsigned int k;
	void *va;

	snprintf(params, sizeof(params), "N=%u containers", n);
	va = mmap(NULL, REGION_LEN, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED) {
		perf_report_fail(SECTION, "dma_map", params, "mmap 2M: %s",
			strerror(errno));
		return;
	}
	memset(va, 0, REGION_LEN); /* faulted in before timing */
	for (k = 0; k < conf->reps; k++)
		if (n_rep(conf, n, va, &reps[k]) != 0)
			break;
	munmap(va, REGION_LEN);
	if (k < conf->reps)
		return;
	add_row("container_create x N", params, n,
		median_of(reps, conf->reps, N_CREATE), "empty containers");
	add_row("assign_device x N", params, n,
		median_of(reps, conf->reps, N_ASSIGN),
		"one device into each container");
	snprintf(note, sizeof(note),
		"the same 2 MiB (4 KiB pages) at one IOVA of each; all held: heap +%.1f KiB, %+d fds",
		(double)reps[k - 1].heap / 1024, reps[k - 1].fds);
	add_row("dma_map 2M x N", params, n,
		median_of(reps, conf->reps, N_MAP), note);
	add_row("dma_unmap 2M x N", params, n,
		median_of(reps, conf->reps, N_UNMAP), "");
	residue(reps, conf->reps, res, sizeof(res));
	snprintf(note, sizeof(note), "closes each device and group; %s", res);
	add_row("container_destroy x N", params, n,
		median_of(reps, conf->reps, N_DESTROY), note);
}

void
perf_scale_devices(const struct perf_conf *conf)
{
	unsigned int n = conf->scale_devs > 0 ? conf->scale_devs :
		conf->n_devs;

	perf_report_section(SECTION,
		"Devices at scale: N devices on the default container, and each on a container of its own with 2 MiB mapped, median");
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_skip(SECTION, "setup_device x N", "-",
			"VFIO not in use (mode none)");
		return;
	}
	if (n == 0) {
		perf_report_skip(SECTION, "setup_device x N", "-",
			"no device given (--dev or DPDK_VM_EDU_DEVS)");
		return;
	}
	one_container(conf, n);
	n_containers(conf, n);
}
