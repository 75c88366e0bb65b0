/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The user-map bookkeeping alone (lib/eal/linux/eal_vfio_maps.c, reached
 * through the static EAL): lookup, insert and remove with 10, 1 000 and
 * 100 000 live entries, no kernel and no lock involved. Inserts and
 * removes are timed in batches of at most n/16 operations, so that the
 * table stays within 6% of its nominal size; the cost of reading the
 * clock is measured and subtracted.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eal_vfio_maps.h"
#include "perf.h"

#define SECTION "maps"
#define PG UINT64_C(4096)
#define LOOKUPS 200000u
#define UPDATES 4096u

/* entry i sits at iova 2 i PG; the odd pages are free gaps */
static uint64_t
entry_iova(uint64_t i)
{
	return 2 * i * PG;
}

static uint64_t
gap_iova(uint64_t j)
{
	return (2 * j + 1) * PG;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double
clock_overhead_ns(void)
{
	double v[101];
	unsigned int i;

	for (i = 0; i < PERF_DIM(v); i++) {
		uint64_t t0 = perf_now_ns();

		v[i] = (double)(perf_now_ns() - t0);
	}
	return perf_median(v, PERF_DIM(v));
}

static int
fill(struct vfio_maps *m, uint64_t n)
{
	uint64_t i;

	vfio_maps_init(m, false);
	for (i = 0; i < n; i++) {
		if (vfio_maps_check_add(m, entry_iova(i), entry_iova(i), PG,
				NULL) != VFIO_OK || vfio_maps_reserve(m) != VFIO_OK)
			return -1;
		vfio_maps_add(m, entry_iova(i), entry_iova(i), PG);
	}
	return 0;
}

static void
add_row(const char *name, uint64_t n, uint64_t ops, double ns,
		const char *note)
{
	struct perf_row r = {
		.section = SECTION,
		.ops = ops,
		.total_ns = ns < 0 ? 0 : ns,
		.base_total_ns = -1,
	};

	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.params, sizeof(r.params), "entries=%" PRIu64, n);
	snprintf(r.note, sizeof(r.note), "%s", note);
	perf_report_add(&r);
}

static int
bench_lookup(const struct vfio_maps *m, uint64_t n)
{
	uint64_t *keys = malloc(LOOKUPS * sizeof(*keys));
	uint64_t t0, t1, found = 0;
	unsigned int i;

	if (keys == NULL)
		return -1;
	for (i = 0; i < LOOKUPS; i++)
		keys[i] = entry_iova(rng() % n) + rng() % PG;
	t0 = perf_now_ns();
	for (i = 0; i < LOOKUPS; i++) {
		const struct vfio_map *e = vfio_maps_first_from(m, keys[i]);

		found += e != NULL && e->iova <= keys[i];
	}
	t1 = perf_now_ns();
	free(keys);
	if (found != LOOKUPS)
		return -1;
	add_row("lookup (find)", n, LOOKUPS, (double)(t1 - t0),
		"vfio_maps_first_from");
	return 0;
}

/* insert a batch at iovas[], then remove it; adds both times */
static int
batch(struct vfio_maps *m, const uint64_t *iovas, unsigned int b,
		double *ins_ns, double *rem_ns)
{
	struct vfio_maps_pos where;
	uint64_t t0, t1, t2;
	unsigned int k;
	int bad = 0;

	/* as the DMA transaction does: the update at the check's position */
	t0 = perf_now_ns();
	for (k = 0; k < b; k++) {
		bad |= vfio_maps_check_add_pos(m, iovas[k], iovas[k], PG, NULL,
			&where) != VFIO_OK;
		bad |= vfio_maps_reserve(m) != VFIO_OK;
		vfio_maps_add_pos(m, &where, iovas[k], iovas[k], PG);
	}
	t1 = perf_now_ns();
	/* newest first: removing appended entries touches only the end */
	for (k = b; k-- > 0;) {
		bad |= vfio_maps_check_remove_pos(m, iovas[k], iovas[k], PG,
			false, &where) != VFIO_OK;
		vfio_maps_remove_pos(m, &where, iovas[k], PG);
	}
	t2 = perf_now_ns();
	*ins_ns += (double)(t1 - t0);
	*rem_ns += (double)(t2 - t1);
	return bad ? -1 : 0;
}

/* inserts and removes: at random places, or appended at the end */
static int
bench_update(struct vfio_maps *m, uint64_t n, bool at_end, double clk)
{
	unsigned int b = n / 16 > 0 ? n / 16 : 1, done = 0, k, rounds = 0;
	double ins = 0, rem = 0;
	uint64_t iovas[UPDATES];

	if (b > UPDATES)
		b = UPDATES;
	while (done < UPDATES) {
		uint64_t start = rng() % n, step = n / b;

		for (k = 0; k < b; k++)
			iovas[k] = at_end ? entry_iova(n + k) :
				gap_iova((start + k * step) % n);
		if (batch(m, iovas, b, &ins, &rem) != 0 || m->n != n)
			return -1;
		done += b;
		rounds++;
	}
	add_row(at_end ? "insert (append)" : "insert (random place)", n, done,
		ins - rounds * clk, "check_add_pos + reserve + add_pos");
	add_row(at_end ? "remove (last)" : "remove (random place)", n, done,
		rem - rounds * clk, "check_remove_pos + remove_pos");
	return 0;
}

void
perf_maps(const struct perf_conf *conf)
{
	double clk = clock_overhead_ns();
	struct vfio_maps m;
	unsigned int i;

	perf_report_section(SECTION,
		"User-map bookkeeping alone (eal_vfio_maps.c), no kernel, no lock");
	for (i = 0; i < conf->n_map_entries; i++) {
		uint64_t n = conf->map_entries[i];
		char params[32];

		snprintf(params, sizeof(params), "entries=%" PRIu64, n);
		if (n == 0) {
			perf_report_skip(SECTION, "all", params, "nothing to measure");
			continue;
		}
		if (fill(&m, n) != 0 || bench_lookup(&m, n) != 0 ||
				bench_update(&m, n, false, clk) != 0 ||
				bench_update(&m, n, true, clk) != 0)
			perf_report_fail(SECTION, "all", params,
				"the table did not behave as expected (out of memory?)");
		vfio_maps_fini(&m);
	}
}
