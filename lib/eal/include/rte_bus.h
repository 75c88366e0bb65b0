/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_BUS_H_
#define _RTE_BUS_H_

/**
 * @file
 * Bus framework: each bus driver (PCI, fslmc, ...) registers a table of
 * operations; the EAL scans, votes the IOVA mode and probes through it.
 */

#include <stdint.h>
#include <stdio.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_eal.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Find devices on the bus and list them; no driver is called.
 * @return 0 or a negative value.
 */
typedef int (*rte_bus_scan_t)(void);

/**
 * Match every scanned device against the registered drivers.
 * @return 0 or a negative value.
 */
typedef int (*rte_bus_probe_t)(void);

/** Device comparison used by find_device: 0 means "this one". */
typedef int (*rte_dev_cmp_t)(const struct rte_device *dev, const void *data);

/**
 * Return the first device after start (or from the beginning) for which
 * cmp returns 0, or NULL.
 */
typedef struct rte_device *(*rte_bus_find_device_t)(
	const struct rte_device *start, rte_dev_cmp_t cmp, const void *data);

/** Probe one device (hotplug). @return 0 or negative. */
typedef int (*rte_bus_plug_t)(struct rte_device *dev);

/** Remove one probed device. @return 0 or negative. */
typedef int (*rte_bus_unplug_t)(struct rte_device *dev);

/**
 * Tell whether a device name belongs to this bus.
 *
 * @param name
 *   Device name as written by the user (e.g. "0000:00:02.0").
 * @param addr
 *   When not NULL and the name matches, the bus may store its parsed
 *   address there: at most RTE_DEV_NAME_MAX_LEN bytes, over a buffer the
 *   caller zeroed. Every spelling of one device must give the same bytes
 *   (no uninitialised padding): the EAL compares device arguments that way
 *   ("0000:00:01.0" and "00:01.0" are one PCI device).
 * @return
 *   0 when the name is this bus's, non-zero otherwise.
 */
typedef int (*rte_bus_parse_t)(const char *name, void *addr);

/**
 * The IOVA mode this bus needs: RTE_IOVA_VA, RTE_IOVA_PA, or RTE_IOVA_DC
 * when its devices work with either (or there are none).
 */
typedef enum rte_iova_mode (*rte_bus_get_iommu_class_t)(void);

/** Release everything the bus holds (at rte_eal_cleanup). @return 0 or negative. */
typedef int (*rte_bus_cleanup_t)(void);

/**
 * VFIO capabilities the bus's devices cannot work without, as a mask of
 * the RTE_VFIO_CAP_* flags of rte_vfio.h (e.g. RTE_VFIO_CAP_GROUPS: the
 * devices are opened through their IOMMU group, as fsl-mc objects are).
 * Asked after the bus is registered and before VFIO is enabled, without
 * logging: mode selection with --vfio-mode=auto then tries only the modes
 * that can offer them (RTE_VFIO_CAP_GROUPS: the group interface). A
 * forced --vfio-mode is not overridden; the bus checks rte_vfio_get_caps()
 * once VFIO is enabled and says what it misses.
 * @return the mask; 0 when the bus has no requirement (e.g. no devices).
 */
typedef uint64_t (*rte_bus_vfio_required_caps_t)(void);

/** A bus and its operations. */
struct rte_bus {
	TAILQ_ENTRY(rte_bus) next;             /**< Registry linkage. */
	const char *name;                      /**< Bus name ("pci"). */
	rte_bus_scan_t scan;                   /**< Mandatory. */
	rte_bus_probe_t probe;                 /**< Mandatory. */
	rte_bus_find_device_t find_device;     /**< Mandatory. */
	rte_bus_plug_t plug;                   /**< Optional. */
	rte_bus_unplug_t unplug;               /**< Optional. */
	rte_bus_parse_t parse;                 /**< Mandatory. */
	rte_bus_get_iommu_class_t get_iommu_class; /**< Optional: DC when absent. */
	rte_bus_cleanup_t cleanup;             /**< Optional. */
	rte_bus_vfio_required_caps_t vfio_required_caps; /**< Optional: 0 when absent. */
};

/**
 * Add a bus to the registry (normally through RTE_REGISTER_BUS).
 *
 * @param bus
 *   Bus with its mandatory operations set; panics otherwise.
 */
__rte_internal
void rte_bus_register(struct rte_bus *bus);

/**
 * Remove a bus from the registry.
 *
 * @param bus
 *   A registered bus.
 */
__rte_internal
void rte_bus_unregister(struct rte_bus *bus);

/**
 * Scan every registered bus.
 *
 * @return
 *   0; a bus whose scan fails is logged and skipped.
 */
int rte_bus_scan(void);

/**
 * Probe every registered bus.
 *
 * @return
 *   0, or -1 when a bus's probe failed (the failure is logged), with
 *   rte_errno the reason the first failing bus gave (EIO if none).
 */
int rte_bus_probe(void);

/** Bus comparison used by rte_bus_find: 0 means "this one". */
typedef int (*rte_bus_cmp_t)(const struct rte_bus *bus, const void *data);

/**
 * Find a bus.
 *
 * @param start
 *   Start after this bus, or NULL to start from the first.
 * @param cmp
 *   Comparison.
 * @param data
 *   Passed to cmp.
 * @return
 *   The bus or NULL.
 */
struct rte_bus *rte_bus_find(const struct rte_bus *start, rte_bus_cmp_t cmp,
		const void *data);

/**
 * @param busname
 *   Name of a bus.
 * @return
 *   The registered bus of that name, or NULL.
 */
struct rte_bus *rte_bus_find_by_name(const char *busname);

/**
 * @param dev
 *   A device.
 * @return
 *   The bus that holds it, or NULL.
 */
struct rte_bus *rte_bus_find_by_device(const struct rte_device *dev);

/**
 * @param devname
 *   Device name as written by the user.
 * @return
 *   The first bus whose parse() accepts the name, or NULL.
 */
struct rte_bus *rte_bus_find_by_device_name(const char *devname);

/**
 * Combine the IOVA-mode votes of every bus.
 *
 * @return
 *   RTE_IOVA_VA or RTE_IOVA_PA when every voting bus agrees on it, or
 *   RTE_IOVA_DC when no bus has a requirement or the votes conflict
 *   (the EAL then decides, see the programmer's guide).
 */
enum rte_iova_mode rte_bus_get_iommu_class(void);

/**
 * Combine the VFIO requirements of every bus, for VFIO mode selection.
 *
 * @return
 *   The union (bitwise or) of the masks of RTE_VFIO_CAP_* flags that the
 *   registered buses' vfio_required_caps operations return; 0 when no bus
 *   has a requirement.
 */
__rte_internal
uint64_t rte_bus_get_vfio_required_caps(void);

/**
 * Call every bus's cleanup operation (reverse registration order).
 *
 * @return
 *   0, or -1 when one of them failed.
 */
int rte_bus_cleanup(void);

/**
 * @param bus
 *   A bus.
 * @return
 *   Its name.
 */
const char *rte_bus_name(const struct rte_bus *bus);

/**
 * Print the registered buses.
 *
 * @param f
 *   Output stream.
 */
void rte_bus_dump(FILE *f);

/** Register a bus from a constructor. */
#define RTE_REGISTER_BUS(nm, bus) \
	RTE_INIT_PRIO(businitfn_ ## nm, 110) \
	{ \
		(bus).name = RTE_STR(nm); \
		rte_bus_register(&(bus)); \
	}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_BUS_H_ */
