/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _PCI_VFIO_H_
#define _PCI_VFIO_H_

/* VFIO state of a mapped PCI device, shared by pci_vfio*.c. */

#include <stddef.h>
#include <stdint.h>

#include "../bus_pci_driver.h"

/** Location of the MSI-X table, from the MSI-X capability. */
struct pci_msix_table {
	int bar;          /**< BAR holding the table, -1 without MSI-X. */
	uint64_t offset;  /**< Offset of the table in the BAR. */
	uint64_t size;    /**< Bytes (16 per vector). */
};

/** Per-device VFIO state (rte_pci_device.vfio). */
struct pci_vfio_dev {
	int fd;                        /**< VFIO device descriptor. */
	uint64_t config_offset;        /**< Config region offset in fd. */
	uint64_t config_size;          /**< Config region size. */
	uint32_t num_irqs;             /**< IRQ indexes the device reports. */
	struct pci_msix_table msix;    /**< MSI-X table, not to be mapped. */
	size_t bar_len[PCI_MAX_RESOURCE]; /**< Reserved VA length per BAR. */
	int irq_index;                 /**< VFIO_PCI_*_IRQ_INDEX in use, -1 none. */
	uint32_t irq_count;            /**< Vectors of that index. */
};

#endif /* _PCI_VFIO_H_ */
