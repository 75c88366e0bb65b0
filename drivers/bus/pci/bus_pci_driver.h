/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _BUS_PCI_DRIVER_H_
#define _BUS_PCI_DRIVER_H_

/**
 * @file
 * PCI bus, driver side (internal to drivers): devices, drivers and their
 * registration, BAR mapping through VFIO, bus mastering.
 *
 * A driver declares an id table and flags and registers with
 * RTE_PMD_REGISTER_PCI(). At rte_eal_init() the bus probes every allowed
 * device whose kernel driver is vfio-pci and that matches a table; with
 * RTE_PCI_DRV_NEED_MAPPING the bus maps the device before calling probe
 * (BARs in mem_resource[], interrupts in intr_handle) and unmaps it after
 * remove.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_bus.h>
#include <rte_common.h>
#include <rte_dev.h>

#include "rte_bus_pci.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of BARs of a type 0 function. */
#define PCI_MAX_RESOURCE 6

/** One BAR as sysfs reports it and as mapped. */
struct rte_mem_resource {
	uint64_t phys_addr; /**< Bus address (from sysfs). */
	uint64_t len;       /**< Length, 0 when the BAR is absent. */
	void *addr;         /**< Mapping in this process, NULL when not mapped. */
};

/** Kernel driver a device is bound to. */
enum rte_pci_kernel_driver {
	RTE_PCI_KDRV_UNKNOWN = 0, /**< Not read yet. */
	RTE_PCI_KDRV_NONE,        /**< No driver bound. */
	RTE_PCI_KDRV_VFIO,        /**< vfio-pci: usable. */
	RTE_PCI_KDRV_OTHER,       /**< Any other driver: skipped. */
};

struct rte_intr_handle;
struct rte_pci_driver;
struct pci_vfio_dev;

/** A PCI function found by the scan. */
struct rte_pci_device {
	TAILQ_ENTRY(rte_pci_device) next;    /**< Bus list, sorted by address. */
	struct rte_device device;            /**< Generic device. */
	struct rte_pci_addr addr;            /**< Address. */
	struct rte_pci_id id;                /**< Identifiers. */
	struct rte_mem_resource mem_resource[PCI_MAX_RESOURCE]; /**< BARs. */
	struct rte_pci_driver *driver;       /**< Driver that probed it, or NULL. */
	uint16_t max_vfs;                    /**< sriov_numvfs, 0 without SR-IOV. */
	enum rte_pci_kernel_driver kdrv;     /**< Kernel driver kind. */
	char kdrv_name[32];                  /**< Kernel driver name, "" when none. */
	char name[PCI_PRI_STR_SIZE];         /**< "DDDD:BB:DD.F". */
	/** Device interrupt (per --vfio-intr) while mapped, else NULL. */
	struct rte_intr_handle *intr_handle;
	/** VFIO request notifier (removal request) while mapped, else NULL. */
	struct rte_intr_handle *vfio_req_intr_handle;
	struct pci_vfio_dev *vfio;           /**< VFIO state while mapped (bus-private). */
};

/** The rte_pci_device embedding a generic device. */
#define RTE_DEV_TO_PCI(ptr) container_of(ptr, struct rte_pci_device, device)
/** Const variant of RTE_DEV_TO_PCI(). */
#define RTE_DEV_TO_PCI_CONST(ptr) \
	container_of(ptr, const struct rte_pci_device, device)

/**
 * Driver probe: the device matched the id table and is mapped when the
 * driver asked for it.
 *
 * @return 0, or negative: the device is unmapped and left unprobed.
 */
typedef int (rte_pci_probe_t)(struct rte_pci_driver *drv,
		struct rte_pci_device *dev);

/**
 * Driver remove: release everything probe took; the bus unmaps afterwards.
 *
 * @return 0, or negative: the device stays probed.
 */
typedef int (rte_pci_remove_t)(struct rte_pci_device *dev);

/** A PCI driver. */
struct rte_pci_driver {
	TAILQ_ENTRY(rte_pci_driver) next;  /**< Bus list. */
	struct rte_driver driver;          /**< Generic driver. */
	rte_pci_probe_t *probe;            /**< Mandatory. */
	rte_pci_remove_t *remove;          /**< Mandatory. */
	const struct rte_pci_id *id_table; /**< Ends with a zero vendor_id entry. */
	uint32_t drv_flags;                /**< RTE_PCI_DRV_*. */
};

/** The bus maps BARs, config space and interrupts before probe. */
#define RTE_PCI_DRV_NEED_MAPPING 0x0001
/**
 * The driver supports hot-unplug: on a VFIO removal request (request
 * notifier) the bus removes the device (driver remove, unmap, release).
 * Without it the request is only logged and the kernel waits.
 */
#define RTE_PCI_DRV_INTR_RMV 0x0010

/** Id table entry matching one vendor/device pair, any subsystem and class. */
#define RTE_PCI_DEVICE(vend, dev) \
	.class_id = RTE_CLASS_ANY_ID, \
	.vendor_id = (vend), \
	.device_id = (dev), \
	.subsystem_vendor_id = RTE_PCI_ANY_ID, \
	.subsystem_device_id = RTE_PCI_ANY_ID

/**
 * Add a driver to the bus (normally through RTE_PMD_REGISTER_PCI()).
 *
 * @param driver
 *   Driver with probe, remove and id_table set.
 */
__rte_internal
void rte_pci_register(struct rte_pci_driver *driver);

/**
 * Remove a driver from the bus; devices it probed stay probed.
 *
 * @param driver
 *   A registered driver.
 */
__rte_internal
void rte_pci_unregister(struct rte_pci_driver *driver);

/** Register a PCI driver from a constructor under the name nm. */
#define RTE_PMD_REGISTER_PCI(nm, pci_drv) \
	RTE_INIT(pciinitfn_ ## nm) \
	{ \
		(pci_drv).driver.name = RTE_STR(nm); \
		rte_pci_register(&(pci_drv)); \
	}

/**
 * Map a device through VFIO: open it (rte_vfio_setup_device()), reset it
 * when the kernel supports VFIO_DEVICE_RESET, enable bus mastering, mmap
 * its memory BARs (only the areas the kernel allows: sparse-mmap areas,
 * never the MSI-X table) into mem_resource[].addr, prepare the interrupt
 * chosen by --vfio-intr (best available by default) in intr_handle and
 * arm the request notifier. A secondary process maps the BARs itself, at
 * addresses of its own.
 *
 * @param dev
 *   A scanned device bound to vfio-pci.
 * @return
 *   0, or -1 with rte_errno: EINVAL (NULL), EEXIST (already mapped),
 *   ENODEV (not bound to vfio-pci; secondary: the primary has not
 *   mapped it), EADDRINUSE (secondary: a BAR address of the primary is
 *   taken in this process), ENOTSUP (the --vfio-intr mode is not
 *   offered by the device), ENXIO (VFIO not enabled), EIO, ENOMEM.
 *   On failure nothing stays open or mapped.
 */
int rte_pci_map_device(struct rte_pci_device *dev);

/**
 * Undo rte_pci_map_device(): interrupts off, BARs unmapped, device
 * released. No effect on a device that is not mapped.
 *
 * @param dev
 *   Device.
 */
void rte_pci_unmap_device(struct rte_pci_device *dev);

/**
 * Set or clear the bus master bit of the command register.
 *
 * @param dev
 *   Device.
 * @param enable
 *   true to let the device initiate DMA.
 * @return
 *   0, or -1 with rte_errno as rte_pci_read_config().
 */
int rte_pci_set_bus_master(const struct rte_pci_device *dev, bool enable);

/**
 * VFIO device descriptor of a mapped device.
 *
 * @param dev
 *   Device.
 * @return
 *   The descriptor, or -1 with rte_errno ENODEV when not mapped.
 */
int rte_pci_vfio_dev_fd(const struct rte_pci_device *dev);

#ifdef __cplusplus
}
#endif

#endif /* _BUS_PCI_DRIVER_H_ */
