/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Secondaries at scale: N secondary processes (--scale-secondaries,
 * default 8) started at once, the secondary child of perf_proc.c: each
 * runs rte_eal_init as a secondary of this primary, then
 * rte_vfio_setup_device of one of the devices the primary holds
 * (secondary i takes device i modulo the devices held, so that the
 * primary answers for several devices at once), then releases it. The
 * wall time runs from the first fork to the last setup_device returning
 * (the children report CLOCK_MONOTONIC instants, common to all
 * processes). A child that finds the primary's addresses taken (ASLR) is
 * started again at once, as the EAL advises; the note says so.
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "perf.h"
#include "perf_child.h"

#define SECTION "scale-secondaries"
#define TRIES 5

/* a row of this section, without a bare column */
static void
add_row(const char *name, const char *params, uint64_t ops, double ns,
		const char *note)
{
	perf_report_row(SECTION, name, params, ops, ns, -1, note);
}

struct sec {
	char *argv[PERF_CHILD_MAX_ARGS];
	struct perf_child ch;
	struct perf_child_result res;
	unsigned int tries;
};

/* what one round of n secondaries measured */
struct round {
	double wall_ns;       /* first fork to the last attach */
	double init_wall_ns;  /* first fork to the last eal_init */
	double init_ns;       /* median over the secondaries */
	double setup_ns;
	double release_ns;
	double heap_init;     /* process heap after rte_eal_init, median */
	double setup_heap;    /* heap growth over setup_device, median */
	double setup_fds;
	unsigned int restarted;
};

static double
median_key(struct sec *s, unsigned int n, const char *key)
{
	double v[PERF_SCALE_MAX_SECONDARIES];
	unsigned int i;

	for (i = 0; i < n; i++)
		v[i] = perf_child_get(&s[i].res, key);
	return perf_median(v, n);
}

static double
max_key(struct sec *s, unsigned int n, const char *key)
{
	double m = -1, v;
	unsigned int i;

	for (i = 0; i < n; i++) {
		v = perf_child_get(&s[i].res, key);
		if (v > m)
			m = v;
	}
	return m;
}

/* every child started, and waited for; -1 when one did not succeed */
static int
round_run(struct sec *s, unsigned int n, struct round *r, char *err,
		size_t errlen)
{
	unsigned int i, started;
	uint64_t t0;
	int ret = 0;

	r->restarted = 0;
	t0 = perf_now_ns();
	for (started = 0; started < n; started++) {
		s[started].tries = 1;
		if (perf_child_start(s[started].argv, NULL, -1,
				&s[started].ch) != 0) {
			snprintf(err, errlen, "fork secondary %u: %s",
				started + 1, strerror(errno));
			ret = -1;
			break;
		}
	}
	for (i = 0; i < started; i++) {
		while (perf_child_finish(&s[i].ch, &s[i].res) != 0 &&
				s[i].res.status == PERF_CHILD_RETRY &&
				s[i].tries < TRIES) {
			s[i].tries++;
			r->restarted++;
			if (perf_child_start(s[i].argv, NULL, -1,
					&s[i].ch) != 0)
				break;
		}
		if (s[i].res.status != 0 && ret == 0) {
			snprintf(err, errlen,
				"secondary %u exited with status %d (see its log)",
				i + 1, s[i].res.status);
			ret = -1;
		}
	}
	if (ret != 0)
		return ret;
	r->wall_ns = max_key(s, n, "attached_at_ns") - (double)t0;
	r->init_wall_ns = max_key(s, n, "init_done_at_ns") - (double)t0;
	r->init_ns = median_key(s, n, "init_ns");
	r->setup_ns = median_key(s, n, "setup_ns");
	r->release_ns = median_key(s, n, "release_ns");
	r->heap_init = median_key(s, n, "heap_after_init");
	r->setup_heap = median_key(s, n, "setup_heap");
	r->setup_fds = median_key(s, n, "setup_fds");
	return 0;
}

/* the primary holds held devices, as an application would */
static unsigned int
hold_devices(const struct perf_conf *conf, unsigned int want, int *fds)
{
	unsigned int i;

	for (i = 0; i < want; i++) {
		if (rte_vfio_setup_device(conf->sysfs, conf->devs[i],
				&fds[i]) != 0) {
			perf_report_fail(SECTION, "attach", conf->devs[i],
				"primary: rte_vfio_setup_device: %s",
				rte_strerror(rte_errno));
			break;
		}
	}
	return i;
}

static void
release_devices(const struct perf_conf *conf, unsigned int held, int *fds)
{
	unsigned int i;

	for (i = 0; i < held; i++)
		if (rte_vfio_release_device(conf->sysfs, conf->devs[i],
				fds[i]) != 0)
			perf_report_fail(SECTION, "release", conf->devs[i],
				"primary: rte_vfio_release_device: %s",
				rte_strerror(rte_errno));
}

/* median over the rounds of the field at offset off */
static double
round_median(const struct round *rounds, unsigned int n, size_t off)
{
	double v[PERF_MAX_REPS];
	unsigned int k;

	for (k = 0; k < n; k++)
		memcpy(&v[k], (const char *)&rounds[k] + off, sizeof(v[k]));
	return perf_median(v, n);
}

#define MEDIAN_OF(f) \
	round_median(rounds, conf->reps, offsetof(struct round, f))

static void
report(const struct perf_conf *conf, unsigned int n, unsigned int held,
		struct round *rounds)
{
	unsigned int k, restarted = 0;
	char params[48], note[128];

	for (k = 0; k < conf->reps; k++)
		restarted += rounds[k].restarted;
	snprintf(params, sizeof(params), "N=%u, %u devices", n, held);
	snprintf(note, sizeof(note),
		"first fork to the last setup_device returning; all eal_init done after %.1f ms%s",
		MEDIAN_OF(init_wall_ns) / 1e6,
		restarted > 0 ? "; some restarted (addresses taken)" : "");
	add_row("N secondaries attached", params, n, MEDIAN_OF(wall_ns), note);
	snprintf(note, sizeof(note),
		"each, median of the N; process heap after it %.1f KiB",
		MEDIAN_OF(heap_init) / 1024);
	add_row("eal_init (each)", params, 1, MEDIAN_OF(init_ns), note);
	snprintf(note, sizeof(note),
		"each, median of the N, while the others attach; heap +%.1f KiB, %+.0f fds",
		MEDIAN_OF(setup_heap) / 1024, MEDIAN_OF(setup_fds));
	add_row("setup_device (each)", params, 1, MEDIAN_OF(setup_ns), note);
	add_row("release_device (each)", params, 1, MEDIAN_OF(release_ns),
		"each, median of the N");
}

void
perf_scale_secondaries(const struct perf_conf *conf)
{
	static struct sec secs[PERF_SCALE_MAX_SECONDARIES];
	static struct round rounds[PERF_MAX_REPS];
	unsigned int n = conf->scale_secondaries, held, want, i, k;
	int fds[PERF_MAX_DEVS];
	char err[96];

	perf_report_section(SECTION,
		"Secondaries at scale: N secondary processes started at once, each eal_init + setup_device of a device the primary holds, median of the rounds");
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_skip(SECTION, "N secondaries attached", "-",
			"VFIO not in use (mode none)");
		return;
	}
	if (rte_eal_has_hugepages() == 0) {
		perf_report_skip(SECTION, "N secondaries attached", "-",
			"--no-huge: secondaries need hugepage files");
		return;
	}
	if (conf->n_devs == 0) {
		perf_report_skip(SECTION, "N secondaries attached", "-",
			"no device given (--dev or DPDK_VM_EDU_DEVS)");
		return;
	}
	want = RTE_MIN(n, conf->n_devs);
	held = hold_devices(conf, want, fds);
	if (held < want)
		goto release;
	for (i = 0; i < n; i++) {
		if (perf_child_secondary_argv(conf, conf->devs[i % held],
				secs[i].argv, PERF_CHILD_MAX_ARGS) < 0) {
			perf_report_fail(SECTION, "N secondaries attached", "-",
				"too many arguments");
			goto release;
		}
	}
	for (k = 0; k < conf->reps; k++) {
		if (round_run(secs, n, &rounds[k], err, sizeof(err)) != 0) {
			perf_report_fail(SECTION, "N secondaries attached", "-",
				"round %u: %s", k + 1, err);
			goto release;
		}
	}
	report(conf, n, held, rounds);
release:
	release_devices(conf, held, fds);
}
