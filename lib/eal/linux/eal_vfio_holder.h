/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_VFIO_HOLDER_H_
#define _EAL_VFIO_HOLDER_H_

/*
 * Why the kernel refuses a device that is bound to vfio-pci: another
 * process holds it (EBUSY, or EINVAL at cdev bind), or another member of
 * its IOMMU group is bound to a driver that does DMA (the group is not
 * viable). Only for the failure paths of the backends: nothing here
 * changes state, every directory and file opened is closed again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/** The procfs the backends look at. */
#define VFIO_HOLDER_PROC "/proc"

/** Room for a holder's comm (the kernel keeps 15 bytes). */
#define VFIO_HOLDER_COMM_MAX 16

/** What a scan of procfs found. */
enum vfio_holder_seen {
	VFIO_HOLDER_NONE,   /**< every process was readable, none holds it */
	VFIO_HOLDER_FOUND,  /**< pid and comm are known */
	VFIO_HOLDER_HIDDEN, /**< none seen, some processes were unreadable */
};

/** A process that has one of the nodes open. */
struct vfio_holder {
	pid_t pid;
	/** Its comm, control bytes shown as '?'; "" when unreadable. */
	char comm[VFIO_HOLDER_COMM_MAX];
};

/**
 * Look for a process other than self with a descriptor on one of nodes.
 *
 * @param proc
 *   procfs root (VFIO_HOLDER_PROC; tests pass a tree of their own).
 * @param nodes
 *   Device node paths, as /proc/<pid>/fd/<n> links name them; NULL ends
 *   the list.
 * @param self
 *   Process to skip (the caller: it may hold the node itself).
 * @param h
 *   Filled when the result is VFIO_HOLDER_FOUND.
 */
enum vfio_holder_seen vfio_holder_find(const char *proc,
		const char *const *nodes, pid_t self, struct vfio_holder *h);

/**
 * Who holds the device addr under sysfs_base: scans proc for its group
 * node (/dev/vfio/<N>, /dev/vfio/noiommu-<N>) and its cdev
 * (/dev/vfio/devices/<entry of vfio-dev/>), skipping this process, and
 * writes "held by process <pid> (<comm>)" or "held by another process
 * (not visible to this user)" to buf (empty for VFIO_HOLDER_NONE).
 */
enum vfio_holder_seen vfio_holder_describe(const char *proc,
		const char *sysfs_base, const char *addr, char *buf, size_t len);

/**
 * Explain a group that is not viable: reads <groups_dir>/<group>/devices/
 * and each member's driver link, and writes "IOMMU group <N> is not
 * viable: <bdf> is bound to <driver>[, ...]; bind every device of the
 * group to vfio-pci (or unbind it)" to buf. Members other than addr that
 * are unbound or bound to a driver that leaves DMA to its user
 * (vfio-pci and its variants, pci-stub, pcieport) do not count.
 *
 * @return
 *   Number of members named (0: none, buf untouched); -1 when the
 *   directory cannot be read or holds what the kernel does not write
 *   (logged, errno set).
 */
int vfio_group_explain(const char *groups_dir, int group, const char *addr,
		char *buf, size_t len);

#endif /* _EAL_VFIO_HOLDER_H_ */
