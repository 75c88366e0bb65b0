/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_PRIVATE_H_
#define _EAL_PRIVATE_H_

/*
 * Functions shared between EAL files. Each init function is one row of the
 * stage table in eal.c: it either succeeds completely or leaves nothing
 * behind, and its fini undoes exactly what it did.
 */

#include <stddef.h>

#include <rte_eal.h>

#include "eal_memory_iova.h"

/**
 * Create the runtime directory and settle the process role: the primary
 * holds a write lock on "<runtime dir>/config" for its whole life; a
 * secondary requires that lock to be held. Skipped with --in-memory.
 *
 * The lock is a POSIX record lock: any close() of another descriptor of
 * that file by this process drops it, so use eal_runtime_config_fd() and
 * never open the file again.
 *
 * @return
 *   0, or -1 with rte_errno EBUSY (a primary already runs with this
 *   prefix), ENOENT (secondary without primary), EACCES, EIO.
 */
int eal_runtime_dir_init(void);

/** Undo eal_runtime_dir_init(): the primary removes its files and directory. */
void eal_runtime_dir_cleanup(void);

/**
 * @return
 *   Descriptor of "<runtime dir>/config" (locked by the primary), or -1
 *   with --in-memory.
 */
int eal_runtime_config_fd(void);

/**
 * Build the path of a file in the runtime directory.
 *
 * @param name
 *   File name.
 * @param buf
 *   Output buffer.
 * @param len
 *   Size of buf.
 * @return
 *   0, or -1 with rte_errno ENAMETOOLONG or ENXIO (no runtime directory).
 */
int eal_runtime_path(const char *name, char *buf, size_t len);

/**
 * Decide the IOVA mode from --iova-mode, the buses' votes and what the
 * system offers; stores it for rte_eal_iova_mode().
 *
 * @return
 *   0, or -1 with rte_errno EINVAL (the forced mode is impossible).
 */
int eal_iova_mode_select(void);

/**
 * Set the IOVA mode (used by eal_iova_mode_select() and by a secondary
 * that adopts the primary's mode).
 *
 * @param mode
 *   RTE_IOVA_PA or RTE_IOVA_VA.
 */
void eal_iova_mode_set(enum rte_iova_mode mode);

/**
 * @return
 *   1 between a successful rte_eal_init() and rte_eal_cleanup().
 */
int eal_is_initialized(void);

/**
 * "VFIO enable" stage: rte_vfio_enable() for vfio-pci (mode selection,
 * default container, multi-process handler).
 *
 * @return
 *   0, or -1 with rte_errno (see rte_vfio_enable()).
 */
int eal_vfio_enable(void);

/** Undo eal_vfio_enable(): close every device, group and container. */
void eal_vfio_cleanup(void);

/**
 * "VFIO memory init" stage (primary): map EAL memory into the default
 * container and follow memory hotplug. No-op in a secondary or without
 * VFIO.
 *
 * @return
 *   0, or -1 with rte_errno (ENOMEM, ENOSPC, EIO ...).
 */
int eal_vfio_mem_init(void);

/** Undo eal_vfio_mem_init(): unmap EAL memory, stop following hotplug. */
void eal_vfio_mem_cleanup(void);

/**
 * Memory init stage: reserve the segment lists, publish (primary) or map
 * (secondary) the shared memory configuration, allocate -m/--socket-mem.
 *
 * @return
 *   0, or -1 with rte_errno ENOMEM (no hugepages, see the log), EINVAL,
 *   EEXIST (secondary: the primary's addresses are taken here), EIO.
 */
int eal_memory_init(void);

/** Undo eal_memory_init(): unmap everything, remove backing files. */
void eal_memory_cleanup(void);

/**
 * Secondary process: map the pages the primary mapped since the last
 * call and unmap those it freed, so that this process sees the shared
 * segment table. Called from the secondary's allocation and lookup
 * paths; also meant for a multi-process handler. No-op in the primary.
 *
 * @return
 *   0, or -1 with rte_errno (EEXIST an address is taken in this
 *   process, EIO a backing file cannot be opened or mapped).
 */
int eal_memalloc_sync_with_primary(void);

/**
 * Prefix of the paths of the kernel's sysfs: paths are built as
 * "<root>/sys/...". Tests point it at a fake tree.
 *
 * @return
 *   The value of the environment variable RTE_EAL_SYSFS_ROOT, read at each
 *   call, or "" when it is not set. Never NULL.
 */
const char *eal_sysfs_root(void);

/**
 * Open this process's multi-process socket and start the channel thread.
 * The primary removes sockets of dead secondaries; a secondary checks that
 * the primary's socket answers. Skipped with --in-memory (rte_mp_* then
 * fail with ENOTSUP).
 *
 * @return
 *   0, or -1 with rte_errno ENOENT (secondary: the primary's socket is
 *   missing or refuses), EACCES, ENOMEM, EIO.
 */
int eal_mp_init(void);

/** Undo eal_mp_init(): thread joined, socket closed and its file removed. */
void eal_mp_cleanup(void);

/**
 * Close descriptors received from a peer without waiting: a socket that
 * lingers on close (SO_LINGER with unsent data) has lingering turned off
 * first. For handlers that drop descriptors they did not expect.
 *
 * @param fds
 *   Descriptors (negative entries are skipped).
 * @param n
 *   How many.
 */
void eal_mp_close_received(const int *fds, int n);

/**
 * Start the interrupt thread and the alarm timer.
 *
 * @return
 *   0, or -1 with rte_errno ENOMEM, EIO.
 */
int eal_intr_init(void);

/** Undo eal_intr_init(): alarms cancelled, thread joined, fds closed. */
void eal_intr_cleanup(void);

/**
 * Create the alarm timerfd and register it on the interrupt thread.
 *
 * @return
 *   0, or -1 with rte_errno.
 */
int eal_alarm_init(void);

/** Undo eal_alarm_init(), dropping pending alarms. */
void eal_alarm_cleanup(void);

/**
 * "hotplug" stage: the multi-process handler of rte_eal_hotplug_add()
 * and rte_eal_hotplug_remove() (secondaries ask the primary, the primary
 * asks every secondary). No-op with --in-memory.
 *
 * @return
 *   0, or -1 with rte_errno (see rte_mp_action_register()).
 */
int eal_hotplug_init(void);

/**
 * Undo eal_hotplug_init(): handler gone, running hotplug jobs waited
 * for, device event monitor closed, device event callbacks dropped.
 */
void eal_hotplug_cleanup(void);

/** Drop every device event callback that is not running. */
void eal_dev_event_callbacks_clear(void);

/** Close the device event monitor whatever its start count. */
void eal_dev_event_monitor_cleanup(void);

#endif /* _EAL_PRIVATE_H_ */
