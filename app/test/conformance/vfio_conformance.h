/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _VFIO_CONFORMANCE_H_
#define _VFIO_CONFORMANCE_H_

/*
 * Conformance scenarios: raw VFIO/IOMMUFD system calls with the results
 * the Linux kernel gives, written down once. The same scenarios run against
 * the fake kernel (unit suite) and against the real kernel (VM suite); a
 * result that differs from the table fails the run, so the fake and the
 * kernel cannot silently disagree.
 */

/** Kernel interface a scenario list is written for. */
enum conf_mode {
	CONF_MODE_GROUP,        /**< type1v2 container + /dev/vfio/<N> */
	CONF_MODE_NOIOMMU,      /**< no-IOMMU container + /dev/vfio/noiommu-<N> */
	CONF_MODE_CDEV,         /**< /dev/iommu + /dev/vfio/devices/vfio<N> */
	CONF_MODE_NOIOMMU_CDEV, /**< /dev/iommu + noiommu-vfio<N> (new kernels) */
};

/**
 * Parse a mode name: "group", "noiommu", "cdev", "noiommu-cdev".
 *
 * @return
 *   0 with *mode set, or -1 for an unknown name.
 */
int conf_mode_parse(const char *name, enum conf_mode *mode);

/**
 * Run every scenario of a mode on one PCI device bound to vfio-pci and
 * print one line per step (expected and observed result).
 *
 * @param mode
 *   Kernel interface.
 * @param sysfs_devices
 *   PCI devices directory, e.g. "/sys/bus/pci/devices".
 * @param addr
 *   Device address, e.g. "0000:00:03.0"; it must not be a SR-IOV PF or VF.
 * @return
 *   Number of steps whose result differs from the kernel's (0: conforms),
 *   or -1 when the device cannot be found in sysfs.
 */
int conf_run(enum conf_mode mode, const char *sysfs_devices, const char *addr);

#endif /* _VFIO_CONFORMANCE_H_ */
