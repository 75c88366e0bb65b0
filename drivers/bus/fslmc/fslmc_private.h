/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _FSLMC_PRIVATE_H_
#define _FSLMC_PRIVATE_H_

/*
 * State shared by the bus files: fslmc_bus.c (bus operations, drivers,
 * probe), fslmc_scan.c (sysfs) and fslmc_vfio.c (everything VFIO).
 */

#include <limits.h>
#include <sys/queue.h>

#include <rte_log.h>

#include "bus_fslmc_driver.h"

extern int fslmc_logtype;

/** One line naming the bus; the newline is added. */
#define FSLMC_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fslmc_logtype, "fslmc: " fmt "\n", \
		## __VA_ARGS__)

/* Environment variable that moves sysfs for tests (see eal_sysfs_root()). */
#define FSLMC_SYSFS_ROOT_ENV "RTE_EAL_SYSFS_ROOT"
/* Bus directory below the sysfs root. */
#define FSLMC_SYSFS_DEVICES "/sys/bus/fsl-mc/devices"

TAILQ_HEAD(fslmc_device_list, rte_dpaa2_device);
TAILQ_HEAD(fslmc_driver_list, rte_dpaa2_driver);

struct fslmc_bus {
	struct rte_bus bus;
	struct fslmc_device_list devices; /* container first, then by type, id */
	struct fslmc_driver_list drivers;
	char container[RTE_DPAA2_NAME_LEN]; /* "" while the bus is disabled */
	char sysfs_base[PATH_MAX];          /* "<root>/sys/bus/fsl-mc/devices" */
	int vfio_ready;                     /* fslmc_vfio_setup() succeeded */
	struct rte_fslmc_mc_portal portal;
};

extern struct fslmc_bus fslmc_bus;

/* The container named by DPRC when it exists in sysfs, else NULL (logged). */
const char *fslmc_dprc_from_env(int quiet);

/* Build "<root>/sys/bus/fsl-mc/devices" into buf; -1 when too long. */
int fslmc_sysfs_base(char *buf, size_t len);

/* List the container and its objects; 0, or -1 with rte_errno ENOMEM. */
int fslmc_scan_container(struct fslmc_bus *bus, const char *container);

/* Free every listed object (they must be closed and without driver). */
void fslmc_devices_free(struct fslmc_bus *bus);

/* 0 when VFIO runs in a group mode; else logs why the bus is disabled. */
int fslmc_vfio_mode_check(void);

/*
 * Open the container and every object, map the MC portal. All or nothing:
 * -1 with rte_errno and nothing left open or mapped.
 */
int fslmc_vfio_setup(struct fslmc_bus *bus);

/* Undo fslmc_vfio_setup(): unmap and close everything it opened. */
void fslmc_vfio_release(struct fslmc_bus *bus);

#endif /* _FSLMC_PRIVATE_H_ */
