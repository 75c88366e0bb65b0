/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_BUS_PCI_H_
#define _RTE_BUS_PCI_H_

/**
 * @file
 * PCI bus, public part: addresses, device identifiers and configuration
 * space access. Drivers include bus_pci_driver.h for the device and driver
 * structures, registration and BAR mapping.
 */

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Format of a full PCI address: domain:bus:device.function. */
#define PCI_PRI_FMT "%.4" PRIx32 ":%.2" PRIx8 ":%.2" PRIx8 ".%" PRIx8

/** Room for a formatted PCI address with its NUL ("0000:00:00.0"). */
#define PCI_PRI_STR_SIZE sizeof("XXXXXXXX:XX:XX.X")

/** Any vendor, device or subsystem id in an id table. */
#define RTE_PCI_ANY_ID (0xffff)
/** Any class in an id table. */
#define RTE_CLASS_ANY_ID (0xffffff)

/** A PCI address. */
struct rte_pci_addr {
	uint32_t domain;  /**< Domain (segment). */
	uint8_t bus;      /**< Bus. */
	uint8_t devid;    /**< Device. */
	uint8_t function; /**< Function (0-7). */
};

/** Identifiers of a device, or a pattern of them in a driver's id table. */
struct rte_pci_id {
	uint32_t class_id;            /**< Class, subclass, prog-if (24 bits) or RTE_CLASS_ANY_ID. */
	uint16_t vendor_id;           /**< Vendor or RTE_PCI_ANY_ID. */
	uint16_t device_id;           /**< Device or RTE_PCI_ANY_ID. */
	uint16_t subsystem_vendor_id; /**< Subsystem vendor or RTE_PCI_ANY_ID. */
	uint16_t subsystem_device_id; /**< Subsystem device or RTE_PCI_ANY_ID. */
};

struct rte_pci_device;

/**
 * Parse a PCI address, "DDDD:BB:DD.F" or the short form "BB:DD.F" (domain
 * 0). Hexadecimal fields; nothing may follow the function.
 *
 * @param str
 *   Address text.
 * @param addr
 *   Receives the address (may be NULL to only validate).
 * @return
 *   0, or -1 with rte_errno EINVAL.
 */
int rte_pci_addr_parse(const char *str, struct rte_pci_addr *addr);

/**
 * Format an address as "DDDD:BB:DD.F".
 *
 * @param addr
 *   Address.
 * @param output
 *   Buffer.
 * @param size
 *   Its size (PCI_PRI_STR_SIZE is enough).
 */
void rte_pci_device_name(const struct rte_pci_addr *addr, char *output,
		size_t size);

/**
 * Compare two addresses.
 *
 * @param a
 *   Address.
 * @param b
 *   Address.
 * @return
 *   <0, 0 or >0 as a sorts before, equal to or after b.
 */
int rte_pci_addr_cmp(const struct rte_pci_addr *a, const struct rte_pci_addr *b);

/**
 * Read the configuration space of a device: through the VFIO device while
 * the device is mapped, else through its sysfs "config" file.
 *
 * @param dev
 *   Device.
 * @param buf
 *   Receives the bytes.
 * @param len
 *   Number of bytes.
 * @param offset
 *   Offset in the configuration space.
 * @return
 *   len, or -1 with rte_errno: EINVAL (bad argument), EIO (the read failed
 *   or was short; logged), EACCES (no permission on the sysfs file).
 */
int rte_pci_read_config(const struct rte_pci_device *dev, void *buf,
		size_t len, off_t offset);

/**
 * Write the configuration space of a device (same paths as
 * rte_pci_read_config()).
 *
 * @param dev
 *   Device.
 * @param buf
 *   Bytes to write.
 * @param len
 *   Number of bytes.
 * @param offset
 *   Offset in the configuration space.
 * @return
 *   len, or -1 with rte_errno EINVAL, EIO, EACCES.
 */
int rte_pci_write_config(const struct rte_pci_device *dev, const void *buf,
		size_t len, off_t offset);

/**
 * Print every scanned PCI device (address, ids, kernel driver, BARs).
 *
 * @param f
 *   Output stream.
 */
void rte_pci_dump(FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_BUS_PCI_H_ */
