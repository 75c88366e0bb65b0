/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _VFIO_PERF_FDPASS_H_
#define _VFIO_PERF_FDPASS_H_

/*
 * The bare side of a secondary's device attach: the primary's descriptor
 * for a device (group mode: its group fd; cdev: the bound device fd)
 * sent over a socket pair on request (SCM_RIGHTS), without the EAL's
 * multi-process channel; the secondary then does what the kernel needs
 * (group: VFIO_GROUP_GET_DEVICE_FD).
 */

#include <stdbool.h>
#include <stddef.h>

/** Primary: serves one descriptor, one copy per request. */
struct perf_fdpass {
	int sock[2];   /**< [0] served here, [1] for the child */
	int fd;        /**< what is sent */
	bool running;
	unsigned long thread;
};

/**
 * Primary: get the descriptor a secondary would receive for dev (which
 * this process set up) and serve it on a new socket pair.
 * @return 0, or -1 with a message in err.
 */
int perf_fdpass_start(struct perf_fdpass *p, const char *sysfs,
	const char *dev, char *err, size_t errlen);

/** Primary: stop serving and close everything. */
void perf_fdpass_stop(struct perf_fdpass *p);

/**
 * Secondary: request the descriptor on sock, receive it and open dev
 * with it; times both halves.
 * @return 0, or -1 (errno).
 */
int perf_fdpass_attach(int sock, const char *dev, bool group,
	double *setup_ns, double *release_ns);

#endif /* _VFIO_PERF_FDPASS_H_ */
