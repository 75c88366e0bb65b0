/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _VFIO_PERF_H_
#define _VFIO_PERF_H_

/*
 * dpdk-test-vfio-perf: what the VFIO subsystem adds to the kernel's own
 * cost. Each benchmark (perf_*.c) measures and adds rows to the report
 * (perf_report.c); main.c parses options and runs them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PERF_MAX_LIST 16
#define PERF_MAX_DEVS 16
#define PERF_DEV_LEN 64
#define PERF_MAX_REPS 101
#define PERF_SCALE_MAX_SECONDARIES 32
#define PERF_DIM(a) (sizeof(a) / sizeof((a)[0]))

/** Options of a run. */
struct perf_conf {
	uint64_t counts[PERF_MAX_LIST];   /**< N: regions per DMA round. */
	unsigned int n_counts;
	uint64_t sizes[PERF_MAX_LIST];    /**< S: bytes per region. */
	unsigned int n_sizes;
	uint64_t map_entries[PERF_MAX_LIST]; /**< Bookkeeping table sizes. */
	unsigned int n_map_entries;
	uint64_t init_mem[PERF_MAX_LIST]; /**< -m values (MiB) at init. */
	unsigned int n_init_mem;
	uint64_t scale_maps;              /**< Maps of the scale row (0: auto). */
	unsigned int scale_devs;          /**< Devices of scale-devices (0: all). */
	unsigned int scale_secondaries;   /**< Secondaries started at once. */
	uint64_t scale_mem;               /**< -m (MiB) of scale-mem. */
	unsigned int reps;                /**< Repetitions (<= PERF_MAX_REPS). */
	uint64_t max_mem;                 /**< Bytes of distinct backing. */
	int backing;                      /**< PERF_BACKING_*. */
	char devs[PERF_MAX_DEVS][PERF_DEV_LEN]; /**< PCI addresses. */
	unsigned int n_devs;
	const char *sysfs;                /**< Bus directory in sysfs. */
	unsigned int tests;               /**< PERF_TEST_* bits. */
	/* EAL arguments of this run, for the child processes */
	int eal_argc;
	char **eal_argv;
	double eal_init_ns;               /**< rte_eal_init of this process. */
	const char *child;                /**< --child KIND, or NULL. */
	int child_fd;                     /**< Where a child reports. */
};

enum {
	PERF_BACKING_AUTO,     /**< distinct when it fits max_mem */
	PERF_BACKING_DISTINCT, /**< every region has its own pages */
	PERF_BACKING_SHARED,   /**< every region maps the same S bytes */
};

enum {
	PERF_TEST_DMA = 1 << 0,
	PERF_TEST_MAPS = 1 << 1,
	PERF_TEST_DEVICE = 1 << 2,
	PERF_TEST_CONTAINER = 1 << 3,
	PERF_TEST_SECONDARY = 1 << 4,
	PERF_TEST_INIT = 1 << 5,
	PERF_TEST_SCALE = 1 << 6,
	PERF_TEST_SCALE_DEVICES = 1 << 7,
	PERF_TEST_SCALE_CONTAINERS = 1 << 8,
	PERF_TEST_SCALE_SECONDARIES = 1 << 9,
	PERF_TEST_SCALE_MEM = 1 << 10,
	PERF_TEST_ALL = (1 << 11) - 1,
};

/* ---- time -------------------------------------------------------------- */

static inline uint64_t
perf_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/** Median of v[0..n) (sorts v). */
double perf_median(double *v, unsigned int n);

/* ---- report ------------------------------------------------------------ */

/** One measured (or skipped, or failed) case. */
struct perf_row {
	const char *section;  /**< e.g. "dma", a table per section. */
	char name[48];        /**< What was timed, e.g. "map". */
	char params[48];      /**< e.g. "N=4096 S=4K". */
	uint64_t ops;         /**< Operations per round. */
	double total_ns;      /**< Median time of a round (< 0: none). */
	double base_total_ns; /**< Bare kernel round (< 0: none). */
	char note[128];       /**< Why skipped/failed, or how measured. */
	bool failed;          /**< The case could not be measured. */
};

/** Describe the run (mode, machine) in the report header. */
void perf_report_header(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Add a row; section titles are set with perf_report_section(). */
void perf_report_add(const struct perf_row *row);

/** Title (one line) printed above a section's table. */
void perf_report_section(const char *section, const char *title);

/** Convenience: a row that could not be measured. */
void perf_report_fail(const char *section, const char *name,
	const char *params, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** Convenience: a measured row (bare_ns < 0: no bare column). */
void perf_report_row(const char *section, const char *name,
	const char *params, uint64_t ops, double ns, double bare_ns,
	const char *note);

/** Convenience: a row skipped for a reason that is not a failure. */
void perf_report_skip(const char *section, const char *name,
	const char *params, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** Number of failed rows so far. */
unsigned int perf_report_failures(void);

/** Print everything as tables on stdout. */
void perf_report_print_table(void);

/** Write everything as CSV or JSON; 0 or -1 (errno). */
int perf_report_write(const char *format, const char *path);

/** "4K", "2M", "1G" or bytes. */
const char *perf_size_str(uint64_t bytes, char *buf, size_t len);

/* ---- benchmarks ---------------------------------------------------------- */

void perf_dma(const struct perf_conf *conf);
void perf_maps(const struct perf_conf *conf);
void perf_device(const struct perf_conf *conf);

/**
 * n setup/release cycles of dev (at most PERF_MAX_REPS) with the
 * library; the medians of each in ns.
 *
 * @return
 *   0, or -1 with rte_errno and *failed naming the call that failed
 *   ("setup_device" or "release_device").
 */
int perf_setup_release(const char *sysfs, const char *dev, unsigned int n,
	double *setup, double *release, const char **failed);
void perf_container(const struct perf_conf *conf);
void perf_secondary(const struct perf_conf *conf);
void perf_init(const struct perf_conf *conf);
void perf_scale(const struct perf_conf *conf);
void perf_scale_devices(const struct perf_conf *conf);
void perf_scale_containers(const struct perf_conf *conf);
void perf_scale_secondaries(const struct perf_conf *conf);
void perf_scale_mem(const struct perf_conf *conf);

/**
 * Exit status of a child whose rte_eal_init found the primary's addresses
 * taken (address space layout randomisation): worth starting again.
 */
#define PERF_CHILD_RETRY 75

/** Child process entry points (main.c dispatches on --child). */
int perf_child_secondary(const struct perf_conf *conf);
int perf_child_init(const struct perf_conf *conf);

/* ---- helpers ------------------------------------------------------------- */

/** Bytes of heap in use (mallinfo2). */
size_t perf_heap_used(void);

/** Heap growth since perf_heap_used() returned before (0 if it shrank). */
size_t perf_heap_growth(size_t before);

/** Open descriptors of this process, or -1. */
int perf_fds_open(void);

/** Name of the VFIO mode in use. */
const char *perf_mode_name(void);

#endif /* _VFIO_PERF_H_ */
