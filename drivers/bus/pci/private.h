/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _PCI_PRIVATE_H_
#define _PCI_PRIVATE_H_

/* Shared between the files of the PCI bus; not installed. */

#include <pthread.h>
#include <sys/queue.h>

#include <rte_log.h>

#include "bus_pci_driver.h"

extern int pci_logtype;
#define RTE_LOGTYPE_PCI pci_logtype
/** One log line of the PCI bus; the newline is added. */
#define PCI_LOG(level, ...) RTE_LOG_LINE(level, PCI, __VA_ARGS__)

TAILQ_HEAD(pci_device_list, rte_pci_device);
TAILQ_HEAD(pci_driver_list, rte_pci_driver);

/** The bus and its lists. */
struct pci_bus {
	struct rte_bus bus;
	struct pci_device_list devices;
	struct pci_driver_list drivers;
	/*
	 * Serialises probe, unplug and cleanup with the removals the kernel
	 * requests (run by an alarm on the interrupt thread).
	 */
	pthread_mutex_t lock;
	int closing; /* cleanup started: removal requests are ignored */
};

extern struct pci_bus pci_bus;

/** Sysfs directory of PCI devices: $SYSFS_PCI_DEVICES or /sys/bus/pci/devices. */
const char *pci_sysfs_devices(void);

/**
 * Scan sysfs and add new devices to the list (linux/pci.c).
 * @return 0, or -1 with rte_errno (the directory cannot be read).
 */
int pci_scan(void);

/**
 * Insert a device in address order, or refresh the entry of an unprobed
 * device already listed (then dev is freed).
 */
void pci_device_insert(struct rte_pci_device *dev);

/** Free a device that is not listed. */
void pci_device_free(struct rte_pci_device *dev);

/** Detach a device from its driver: driver remove, unmap (used by unplug). */
int pci_device_detach(struct rte_pci_device *dev);

/**
 * Hot-unplug with the bus lock held: detach, take the device off the list
 * and free it. 0, or -1 with rte_errno (then the device stays listed).
 */
int pci_device_unplug_locked(struct rte_pci_device *dev);

/** Whether dev is (still) on the device list; bus lock held. */
int pci_device_listed(const struct rte_pci_device *dev);

/**
 * Map/unmap a device through VFIO (linux/pci_vfio.c); see
 * rte_pci_map_device().
 */
int pci_vfio_map_resource(struct rte_pci_device *dev);
void pci_vfio_unmap_resource(struct rte_pci_device *dev);

/**
 * Config space (linux/pci.c): through the VFIO device when mapped, else
 * through sysfs "config". len, or -1 with rte_errno.
 */
int pci_read_config(const struct rte_pci_device *dev, void *buf, size_t len,
		off_t offset);
int pci_write_config(const struct rte_pci_device *dev, const void *buf,
		size_t len, off_t offset);

/** Config space through the mapped VFIO device (dev->vfio != NULL). */
int pci_vfio_read_config(const struct rte_pci_device *dev, void *buf,
		size_t len, off_t offset);
int pci_vfio_write_config(const struct rte_pci_device *dev, const void *buf,
		size_t len, off_t offset);

/**
 * Interrupts of a mapped device (linux/pci_vfio_intr.c): pick the mode
 * from --vfio-intr and the device's IRQ info, create intr_handle; arm the
 * request notifier. Undo with pci_vfio_intr_teardown().
 */
int pci_vfio_intr_setup(struct rte_pci_device *dev);
void pci_vfio_intr_teardown(struct rte_pci_device *dev);

/**
 * Cleanup: ignore removal requests from now on and cancel the pending
 * removals, waiting for one that runs (linux/pci_vfio_intr.c).
 */
void pci_vfio_req_quiesce(void);

/** Register the VFIO interrupt type operations (once). */
int pci_vfio_intr_ops_register(void);

#endif /* _PCI_PRIVATE_H_ */
