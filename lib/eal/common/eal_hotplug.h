/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_HOTPLUG_H_
#define _EAL_HOTPLUG_H_

/*
 * Between the hotplug API (eal_common_hotplug.c: what one process does)
 * and its multi-process part (eal_common_hotplug_mp.c: who does it).
 */

/**
 * Plug a device in this process only (devargs, bus scan, plug).
 *
 * @return
 *   0, or -1 with rte_errno as rte_eal_hotplug_add().
 */
int eal_hotplug_local_add(const char *busname, const char *devname,
		const char *drvargs);

/**
 * Unplug a device in this process only.
 *
 * @return
 *   0, or -1 with rte_errno as rte_eal_hotplug_remove().
 */
int eal_hotplug_local_remove(const char *busname, const char *devname);

/**
 * Check that this process has the device probed, and copy its driver
 * arguments (to plug it again on a rollback).
 *
 * @param drvargs
 *   Set to a copy of its arguments ("" when none), to free().
 * @return
 *   0, or -1 with rte_errno as rte_eal_hotplug_remove() would give, or
 *   ENOMEM.
 */
int eal_hotplug_local_find(const char *busname, const char *devname,
		char **drvargs);

/**
 * rte_eal_hotplug_add() across processes (arguments already checked):
 * the primary plugs and propagates, a secondary asks the primary.
 *
 * @return
 *   0, or -1 with rte_errno.
 */
int eal_hotplug_mp_add(const char *busname, const char *devname,
		const char *drvargs);

/**
 * rte_eal_hotplug_remove() across processes.
 *
 * @return
 *   0, or -1 with rte_errno.
 */
int eal_hotplug_mp_remove(const char *busname, const char *devname);

#endif /* _EAL_HOTPLUG_H_ */
