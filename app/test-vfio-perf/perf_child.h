/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _VFIO_PERF_CHILD_H_
#define _VFIO_PERF_CHILD_H_

/*
 * Child processes (perf_proc.c): this program run again with
 * "--child KIND"; a child reports "key value" lines, read back here.
 */

#include <stdint.h>
#include <sys/types.h>

#include "perf.h"

#define PERF_CHILD_MAX_KEYS 16
/** Room for a child's argument vector. */
#define PERF_CHILD_MAX_ARGS 128

/** A child started, not yet waited for. */
struct perf_child {
	pid_t pid;
	int fd;    /**< Read end of its report pipe. */
};

/** What a child reported, and how it ended. */
struct perf_child_result {
	char key[PERF_CHILD_MAX_KEYS][32];
	double val[PERF_CHILD_MAX_KEYS];
	unsigned int n;
	int status; /**< Exit status, 128 + signal, or -1. */
};

/**
 * The argument vector of a secondary child attaching to this primary:
 * this run's EAL arguments it may use, --proc-type=secondary, and dev
 * (or none when NULL) for its setup_device.
 *
 * @return
 *   Number of arguments (argv[n] is NULL), or -1 when max is too small.
 */
int perf_child_secondary_argv(const struct perf_conf *conf, const char *dev,
	char **argv, int max);

/**
 * Start this program with argv; env (or NULL) is added to its
 * environment, sock >= 0 is handed down to it.
 *
 * @return
 *   0, or -1 (errno) when it could not be started.
 */
int perf_child_start(char **argv, const char *env, int sock,
	struct perf_child *ch);

/**
 * Read a started child's report until it exits, and wait for it.
 *
 * @return
 *   0 when it exited with status 0, else -1 (res->status says how).
 */
int perf_child_finish(struct perf_child *ch, struct perf_child_result *res);

/** A reported value, or -1 when the child did not report key. */
double perf_child_get(const struct perf_child_result *r, const char *key);

/**
 * perf_init's case in another section: reps children with -m mb, with
 * hugepages or --no-huge, with VFIO and without; rows added to section.
 */
void perf_init_mem(const struct perf_conf *conf, const char *section,
	uint64_t mb, bool huge);

/** Free hugepages of the default size, in MiB. */
uint64_t perf_hugepages_free_mb(void);

#endif /* _VFIO_PERF_CHILD_H_ */
