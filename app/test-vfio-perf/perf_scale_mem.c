/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * EAL memory at scale: the init benchmark's child primary (perf_proc.c)
 * with -m X (--scale-mem, default 4096 MiB): its rte_eal_init with VFIO
 * and without, and the "VFIO memory init stage" alone, with the heap the
 * stage's bookkeeping takes. Hugepages when enough are free, else
 * --no-huge when the memory is available (the pages are pinned), else
 * skipped with what is missing.
 */

#include <inttypes.h>
#include <stdio.h>

#include "perf.h"
#include "perf_child.h"

#define SECTION "scale-mem"
/* room left for the rest of the system beside a --no-huge child */
#define NO_HUGE_SLACK_MB 512

/* MemAvailable in MiB, 0 when unknown */
static uint64_t
mem_available_mb(void)
{
	uint64_t kb = 0, v;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "MemAvailable: %" SCNu64, &v) == 1)
			kb = v;
	fclose(f);
	return kb / 1024;
}

void
perf_scale_mem(const struct perf_conf *conf)
{
	uint64_t mb = conf->scale_mem, huge = perf_hugepages_free_mb();
	uint64_t avail = mem_available_mb();

	perf_report_section(SECTION,
		"EAL memory at scale: a new primary (child process) with -m X, with VFIO and without; the VFIO memory init stage alone, median");
	if (huge >= mb) {
		perf_init_mem(conf, SECTION, mb, true);
		return;
	}
	if (avail >= mb + NO_HUGE_SLACK_MB) {
		perf_report_header("scale-mem",
			"%" PRIu64 " MiB of hugepages free, %" PRIu64 " needed: --no-huge",
			huge, mb);
		perf_init_mem(conf, SECTION, mb, false);
		return;
	}
	perf_report_skip(SECTION, "eal_init", "-",
		"-m %" PRIu64 ": %" PRIu64 " MiB of hugepages free, %" PRIu64 " MiB available (need %" PRIu64 " for --no-huge)",
		mb, huge, avail, mb + NO_HUGE_SLACK_MB);
}
