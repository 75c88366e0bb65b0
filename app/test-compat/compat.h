/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _COMPAT_H_
#define _COMPAT_H_

/*
 * dpdk-test-compat: a PCI driver for QEMU's edu device written only against
 * the names of upstream DPDK 26.11's driver API (rte_vfio.h,
 * bus_pci_driver.h), no edu driver of this tree. Built in every build, so
 * a name that goes missing breaks the build; run on the host (it starts,
 * then skips saying why) and in the VM (one DMA round trip per device).
 */

#include <stdint.h>

/* What the driver saw, read by main() after rte_eal_init()/cleanup. */
struct compat_result {
	unsigned int probed;   /* probe() calls */
	unsigned int passed;   /* devices whose round trip matched */
	unsigned int failed;   /* probe() failures */
	unsigned int released; /* remove() calls that released the device */
};

extern struct compat_result compat_result;

/* Check the path macros and mode enum; 0 or -1 after printing why. */
int compat_check_names(void);

#endif /* _COMPAT_H_ */
