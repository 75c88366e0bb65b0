/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * User DMA map and unmap of N regions of S bytes through
 * rte_vfio_container_dma_map/unmap, against the same kernel work done with
 * bare ioctls (perf_bare.c). Both sides map the same memory, one after the
 * other, each in a kernel context of the same kind:
 * - group: the library's custom container holds the first device's group;
 *   the bare side has its own container with the second device's group
 *   (or, with one device, uses the library's container at other IOVAs);
 * - cdev: the library's custom container (iommufd + IOAS) and a bare
 *   iommufd + IOAS, each with one device attached when two are given,
 *   neither with a device otherwise (an IOAS maps without one);
 * - no-IOMMU: the kernel has no DMA mapping call; only the library's cost
 *   (bookkeeping and locks) is shown.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_vfio.h>

#include "perf.h"
#include "perf_bare.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

#define SECTION "dma"
#define SZ_2M (UINT64_C(2) << 20)
#define SZ_1G (UINT64_C(1) << 30)
#define PAGE_4K UINT64_C(4096)
/* Library IOVAs start here: above the 32-bit MSI window, inside the
 * 39-bit aperture of QEMU's intel-iommu. */
#define IOVA_BASE (UINT64_C(1) << 32)

struct dma_ctx {
	int cfd;               /* the library's custom container */
	struct perf_bare bare; /* the baseline (kind NONE: no baseline) */
	bool shared_bare;      /* bare uses cfd at other IOVAs */
	bool gaps;             /* leave a hole between regions (merging sets) */
	bool key_va;           /* no-IOMMU cdev: the IOAS keys maps on the VA */
	char lib_desc[128];
};

struct buffer {
	void *va;
	size_t len;
	char what[48];
};

/* MemAvailable of /proc/meminfo in bytes (unknown: no limit) */
static uint64_t
mem_available(void)
{
	uint64_t kb = UINT64_MAX / 1024;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return UINT64_MAX;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "MemAvailable: %" SCNu64, &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/* memory behind the regions: hugepages when S allows, else 4K pages */
static int
buffer_alloc(struct buffer *b, uint64_t len, uint64_t s)
{
	static const struct {
		uint64_t sz;
		int shift;
		const char *name;
	} huge[] = {
		{ SZ_1G, 30, "1G pages" },
		{ SZ_2M, 21, "2M pages" },
	};
	unsigned int i;
	uint64_t off;

	for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		if (s % huge[i].sz != 0)
			continue;
		b->va = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			(huge[i].shift << MAP_HUGE_SHIFT), -1, 0);
		if (b->va != MAP_FAILED) {
			b->len = len;
			snprintf(b->what, sizeof(b->what), "%s", huge[i].name);
			goto touch;
		}
	}
	/* faulting in more than the system has would call the OOM killer */
	if (len / 10 * 9 > mem_available()) {
		errno = ENOMEM;
		return -1;
	}
	b->va = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->va == MAP_FAILED)
		return -1;
	b->len = len;
	snprintf(b->what, sizeof(b->what), "4K pages%s",
		s >= SZ_2M ? " (no hugepages free)" : "");
touch:
	/* fault everything in now: neither side should pay for it */
	for (off = 0; off < len; off += PAGE_4K)
		((volatile char *)b->va)[off] = 1;
	return 0;
}

static void
buffer_free(struct buffer *b)
{
	munmap(b->va, b->len);
}

/* a round: map or unmap the N regions; returns ns, or -1 (*err set) */
struct round {
	const struct dma_ctx *ctx;
	bool bare;
	uint64_t n, s;
	uint64_t va, va_step; /* va_step 0: every region maps the same bytes */
	uint64_t iova, iova_step;
};

static int
one_map(const struct round *r, uint64_t i)
{
	uint64_t va = r->va + i * r->va_step, iova = r->iova + i * r->iova_step;

	if (r->bare)
		return perf_bare_map(&r->ctx->bare, va, iova, r->s) == 0 ? 0 :
			errno;
	return rte_vfio_container_dma_map(r->ctx->cfd, va, iova, r->s) == 0 ?
		0 : rte_errno;
}

static int
one_unmap(const struct round *r, uint64_t i)
{
	uint64_t va = r->va + i * r->va_step, iova = r->iova + i * r->iova_step;

	if (r->bare)
		return perf_bare_unmap(&r->ctx->bare, iova, r->s) == 0 ? 0 :
			errno;
	return rte_vfio_container_dma_unmap(r->ctx->cfd, va, iova, r->s) ==
		0 ? 0 : rte_errno;
}

/*
 * Map all in increasing IOVA order, then unmap all, in the same order or
 * the reverse one; *map_ns and *unmap_ns; 0 or an errno (err says what).
 */
static int
round_run(const struct round *r, bool reverse, double *map_ns,
		double *unmap_ns, char *err, size_t errlen)
{
	uint64_t i, j, k, t0, t1, t2;
	int e = 0;

	t0 = perf_now_ns();
	for (i = 0; i < r->n; i++) {
		e = one_map(r, i);
		if (e != 0)
			break;
	}
	t1 = perf_now_ns();
	if (e != 0) {
		snprintf(err, errlen, "%s map %" PRIu64 " of %" PRIu64
			" (iova 0x%" PRIx64 ") failed: %s",
			r->bare ? "bare" : "library", i + 1, r->n,
			r->iova + i * r->iova_step, strerror(e));
		for (j = 0; j < i; j++)
			one_unmap(r, j);
		return e;
	}
	for (k = 0; k < r->n; k++) {
		i = reverse ? r->n - 1 - k : k;
		e = one_unmap(r, i);
		if (e != 0)
			break;
	}
	t2 = perf_now_ns();
	if (e != 0) {
		snprintf(err, errlen, "%s unmap of region %" PRIu64 " failed: %s",
			r->bare ? "bare" : "library", i + 1, strerror(e));
		for (k++; k < r->n; k++)
			one_unmap(r, reverse ? r->n - 1 - k : k);
		return e;
	}
	*map_ns = (double)(t1 - t0);
	*unmap_ns = (double)(t2 - t1);
	return 0;
}

/* timings of one side: maps of both kinds of rounds, unmaps of each */
struct side_times {
	double map[2 * PERF_MAX_REPS];
	double unmap_fwd[PERF_MAX_REPS];
	double unmap_rev[PERF_MAX_REPS];
};

/* rep k of one side: a round unmapping in order, one in reverse */
static int
side_rep(const struct round *r, struct side_times *t, unsigned int k,
		char *err, size_t errlen)
{
	if (round_run(r, false, &t->map[2 * k], &t->unmap_fwd[k], err,
			errlen) != 0)
		return -1;
	return round_run(r, true, &t->map[2 * k + 1], &t->unmap_rev[k], err,
		errlen);
}

/*
 * The library's batch calls over the same regions: one map_batch, one
 * unmap_batch of all N in map order; ns of each, 0 or an errno.
 */
static int
batch_run(const struct round *r, struct rte_vfio_dma_region *g,
		double *map_ns, double *unmap_ns, char *err, size_t errlen)
{
	uint64_t i, t0, t1, t2;

	for (i = 0; i < r->n; i++) {
		g[i].vaddr = r->va + i * r->va_step;
		g[i].iova = r->iova + i * r->iova_step;
		g[i].len = r->s;
	}
	t0 = perf_now_ns();
	if (rte_vfio_container_dma_map_batch(r->ctx->cfd, g, r->n) != 0) {
		snprintf(err, errlen, "library map batch of %" PRIu64
			" failed: %s", r->n, rte_strerror(rte_errno));
		return rte_errno;
	}
	t1 = perf_now_ns();
	if (rte_vfio_container_dma_unmap_batch(r->ctx->cfd, g, r->n) != 0) {
		snprintf(err, errlen, "library unmap batch of %" PRIu64
			" failed: %s", r->n, rte_strerror(rte_errno));
		return rte_errno;
	}
	t2 = perf_now_ns();
	*map_ns = (double)(t1 - t0);
	*unmap_ns = (double)(t2 - t1);
	return 0;
}

static void
case_row(const char *name, const char *params, uint64_t n, double lib,
		double bare, const char *note)
{
	struct perf_row row = {
		.section = SECTION,
		.ops = n,
		.total_ns = lib,
		.base_total_ns = bare,
	};

	snprintf(row.name, sizeof(row.name), "%s", name);
	snprintf(row.params, sizeof(row.params), "%s", params);
	snprintf(row.note, sizeof(row.note), "%s", note);
	perf_report_add(&row);
}

static void
dma_case(const struct perf_conf *conf, const struct dma_ctx *ctx,
		uint64_t n, uint64_t s)
{
	static struct side_times lt, bt;
	static double batch_map[PERF_MAX_REPS], batch_unmap[PERF_MAX_REPS];
	struct rte_vfio_dma_region *g = NULL;
	char params[48], sz[16], err[192] = "", note[128];
	bool distinct, has_bare = ctx->bare.kind != PERF_BARE_NONE;
	unsigned int k, reps = conf->reps;
	struct round lib, bare;
	struct buffer buf;
	uint64_t span;

	snprintf(params, sizeof(params), "N=%" PRIu64 " S=%s", n,
		perf_size_str(s, sz, sizeof(sz)));
	distinct = conf->backing == PERF_BACKING_DISTINCT ||
		(conf->backing == PERF_BACKING_AUTO && n * s <= conf->max_mem);
	if (ctx->key_va && !distinct) {
		perf_report_skip(SECTION, "map", params,
			"no-IOMMU cdev keys maps on the virtual address: one buffer mapped N times would collide; needs distinct memory (--backing)");
		return;
	}
	if (buffer_alloc(&buf, distinct ? n * s : s, s) != 0) {
		perf_report_fail(SECTION, "map", params,
			"cannot allocate %" PRIu64 " MiB: %s (MemAvailable %" PRIu64
			" MiB)", (distinct ? n * s : s) >> 20, strerror(errno),
			mem_available() >> 20);
		return;
	}
	lib = (struct round){
		.ctx = ctx, .bare = false, .n = n, .s = s,
		.va = (uintptr_t)buf.va, .va_step = distinct ? s : 0,
		.iova = IOVA_BASE, .iova_step = ctx->gaps ? 2 * s : s,
	};
	span = n * lib.iova_step;
	bare = lib;
	bare.bare = true;
	if (ctx->key_va) { /* what the library asks of the kernel */
		bare.iova = bare.va;
		bare.iova_step = bare.va_step;
	}
	if (ctx->shared_bare) /* other IOVAs in the same container */
		bare.iova = IOVA_BASE + ((span + SZ_1G - 1) & ~(SZ_1G - 1));

	g = calloc(n, sizeof(*g));
	if (g == NULL) {
		snprintf(err, sizeof(err), "cannot allocate %" PRIu64
			" regions: %s", n, strerror(errno));
		goto fail;
	}
	/* a warm-up rep of each side, not counted; then alternate sides */
	if (side_rep(&lib, &lt, 0, err, sizeof(err)) != 0 ||
			(has_bare && side_rep(&bare, &bt, 0, err,
				sizeof(err)) != 0))
		goto fail;
	for (k = 0; k < reps; k++) {
		if (side_rep(&lib, &lt, k, err, sizeof(err)) != 0)
			goto fail;
		if (has_bare && side_rep(&bare, &bt, k, err, sizeof(err)) != 0)
			goto fail;
		if (batch_run(&lib, g, &batch_map[k], &batch_unmap[k], err,
				sizeof(err)) != 0)
			goto fail;
	}
	free(g);
	snprintf(note, sizeof(note), "%s, %s", buf.what,
		distinct ? "distinct memory" : "one buffer mapped N times");
	case_row("map", params, n, perf_median(lt.map, 2 * reps),
		has_bare ? perf_median(bt.map, 2 * reps) : -1, note);
	case_row("unmap (in map order)", params, n,
		perf_median(lt.unmap_fwd, reps),
		has_bare ? perf_median(bt.unmap_fwd, reps) : -1, note);
	case_row("unmap (reverse order)", params, n,
		perf_median(lt.unmap_rev, reps),
		has_bare ? perf_median(bt.unmap_rev, reps) : -1, note);
	/* the batch calls, against the same bare loops */
	case_row("map (batch)", params, n, perf_median(batch_map, reps),
		has_bare ? perf_median(bt.map, 2 * reps) : -1, note);
	case_row("unmap (batch, map order)", params, n,
		perf_median(batch_unmap, reps),
		has_bare ? perf_median(bt.unmap_fwd, reps) : -1, note);
	buffer_free(&buf);
	return;
fail:
	free(g);
	perf_report_fail(SECTION, "map+unmap", params, "%s", err);
	buffer_free(&buf);
}

/* library container, devices and baseline for the current mode */
static int
dma_setup(const struct perf_conf *conf, struct dma_ctx *ctx, char *err,
		size_t errlen)
{
	const char *a = conf->n_devs > 0 ? conf->devs[0] : NULL;
	const char *b = conf->n_devs > 1 ? conf->devs[1] : NULL;
	bool group = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP;
	bool iommu = (rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0;

	memset(ctx, 0, sizeof(*ctx));
	ctx->bare.kind = PERF_BARE_NONE;
	if (group && a == NULL) {
		snprintf(err, errlen,
			"group mode maps only with a group in the container: give a device (--dev or DPDK_VM_EDU_DEVS)");
		return -1;
	}
	ctx->cfd = rte_vfio_container_create();
	if (ctx->cfd < 0) {
		snprintf(err, errlen, "rte_vfio_container_create: %s",
			rte_strerror(rte_errno));
		return -1;
	}
	/* cdev with one device: no device on either side */
	if (group || b != NULL) {
		if (rte_vfio_container_assign_device(ctx->cfd, conf->sysfs,
				a) != 0) {
			snprintf(err, errlen,
				"rte_vfio_container_assign_device %s: %s", a,
				rte_strerror(rte_errno));
			goto destroy;
		}
		snprintf(ctx->lib_desc, sizeof(ctx->lib_desc),
			"custom container with %s", a);
	} else {
		snprintf(ctx->lib_desc, sizeof(ctx->lib_desc),
			"custom container, no device");
	}
	if (group && !iommu) {
		ctx->gaps = true; /* no-IOMMU maps merge neighbours */
		return 0;
	}
	if (group && iommu) {
		if (b == NULL) {
			perf_bare_use_container(&ctx->bare, ctx->cfd);
			ctx->shared_bare = true;
		} else if (perf_bare_open_type1(&ctx->bare, conf->sysfs, b, err,
				errlen) != 0) {
			goto destroy;
		}
		return 0;
	}
	/* no-IOMMU cdev: the IOAS only pins, keyed by the VA on both sides */
	ctx->key_va = (rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) == 0;
	if (perf_bare_open_iommufd(&ctx->bare, conf->sysfs, b, err,
			errlen) != 0)
		goto destroy;
	return 0;
destroy:
	rte_vfio_container_destroy(ctx->cfd);
	return -1;
}

void
perf_dma(const struct perf_conf *conf)
{
	char title[128], err[256];
	struct dma_ctx ctx;
	unsigned int i, j;

	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_section(SECTION, "DMA map/unmap");
		perf_report_skip(SECTION, "map+unmap", "-",
			"VFIO not in use (mode none)");
		return;
	}
	if (dma_setup(conf, &ctx, err, sizeof(err)) != 0) {
		perf_report_section(SECTION, "DMA map/unmap");
		perf_report_fail(SECTION, "set-up", "-", "%s", err);
		return;
	}
	snprintf(title, sizeof(title),
		"DMA map/unmap per region, mode %s; ratio = library / bare",
		perf_mode_name());
	perf_report_header("dma library", "rte_vfio_container_dma_map/unmap, %s",
		ctx.lib_desc);
	perf_report_header("dma bare", "%s", ctx.bare.kind == PERF_BARE_NONE ?
		"none (the kernel has no DMA mapping without an IOMMU)" :
		ctx.bare.desc);
	perf_report_section(SECTION, title);
	for (i = 0; i < conf->n_sizes; i++)
		for (j = 0; j < conf->n_counts; j++)
			dma_case(conf, &ctx, conf->counts[j], conf->sizes[i]);
	perf_bare_close(&ctx.bare);
	if (rte_vfio_container_destroy(ctx.cfd) != 0)
		perf_report_fail(SECTION, "container destroy", "-", "%s",
			rte_strerror(rte_errno));
}
