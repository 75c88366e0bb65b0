/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _BUS_FSLMC_DRIVER_H_
#define _BUS_FSLMC_DRIVER_H_

/**
 * @file
 * The fsl-mc bus for drivers: object devices, object drivers registered
 * by type, region mapping, the MC command portal and DMA mapping.
 *
 * Life of an object: the bus scan lists it from sysfs (vfio_fd is -1); the
 * bus probe opens the container and every object through the EAL VFIO
 * layer (vfio_fd, num_regions and num_irqs become valid), maps the MC
 * portal, then calls the probe of the driver registered for the object's
 * type. Removal calls the driver's remove; the descriptors and mappings
 * are released when the bus is cleaned up.
 */

#include <stdint.h>
#include <sys/queue.h>

#include <rte_bus.h>
#include <rte_common.h>
#include <rte_dev.h>

#include <rte_fslmc.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_dpaa2_driver;

/** A mapped object region. */
struct rte_dpaa2_region {
	void *addr;     /**< Mapping in this process, NULL when not mapped. */
	uint64_t len;   /**< Length of the mapping. */
};

/** An fsl-mc object of the container. */
struct rte_dpaa2_device {
	TAILQ_ENTRY(rte_dpaa2_device) next; /**< Bus list linkage. */
	struct rte_device device;    /**< Generic device (name = "dpni.1"). */
	enum rte_dpaa2_obj_type obj_type; /**< Type from the name. */
	uint32_t object_id;          /**< Id from the name. */
	char name[RTE_DPAA2_NAME_LEN]; /**< "<type>.<id>". */
	int vfio_fd;                 /**< VFIO device descriptor, -1 when closed. */
	uint32_t num_regions;        /**< From VFIO_DEVICE_GET_INFO. */
	uint32_t num_irqs;           /**< From VFIO_DEVICE_GET_INFO. */
	struct rte_dpaa2_region *regions; /**< num_regions entries. */
	struct rte_dpaa2_driver *driver; /**< Driver bound by probe, or NULL. */
	int bus_owned;               /**< Used by the bus itself (MC portal). */
};

/**
 * Probe an object.
 *
 * @param drv
 *   The driver.
 * @param dev
 *   An object of drv->obj_type with its VFIO descriptor open.
 * @return
 *   0 when the driver took the object, negative otherwise.
 */
typedef int (*rte_dpaa2_probe_t)(struct rte_dpaa2_driver *drv,
		struct rte_dpaa2_device *dev);

/**
 * Release an object the driver probed.
 *
 * @param dev
 *   The object.
 * @return
 *   0, or negative (the object then stays with the driver).
 */
typedef int (*rte_dpaa2_remove_t)(struct rte_dpaa2_device *dev);

/** The driver works when IOVA = VA (IOMMU translation); without it PA is voted. */
#define RTE_DPAA2_DRV_IOVA_AS_VA (1U << 0)

/** A driver for one object type. */
struct rte_dpaa2_driver {
	TAILQ_ENTRY(rte_dpaa2_driver) next; /**< Bus list linkage. */
	struct rte_driver driver;    /**< Generic driver (name). */
	enum rte_dpaa2_obj_type obj_type; /**< Objects it drives. */
	uint32_t drv_flags;          /**< RTE_DPAA2_DRV_* flags. */
	rte_dpaa2_probe_t probe;     /**< Mandatory. */
	rte_dpaa2_remove_t remove;   /**< Optional. */
};

/** Recover the object from its generic device. */
#define RTE_DEV_TO_DPAA2_DEV(ptr) \
	container_of(ptr, struct rte_dpaa2_device, device)

/**
 * Register an object driver (normally through
 * RTE_PMD_REGISTER_DPAA2_OBJECT). Several drivers may serve one type: the
 * first registered whose probe accepts an object gets it.
 *
 * @param driver
 *   Driver with name, obj_type and probe set; ignored (and logged)
 *   otherwise.
 */
__rte_internal
void rte_fslmc_driver_register(struct rte_dpaa2_driver *driver);

/**
 * Unregister a driver. Objects it probed keep their driver until removed.
 *
 * @param driver
 *   A registered driver.
 */
__rte_internal
void rte_fslmc_driver_unregister(struct rte_dpaa2_driver *driver);

/** Register an object driver from a constructor, named nm. */
#define RTE_PMD_REGISTER_DPAA2_OBJECT(nm, dpaa2_drv) \
	RTE_INIT(dpaa2initfn_ ## nm) \
	{ \
		(dpaa2_drv).driver.name = RTE_STR(nm); \
		rte_fslmc_driver_register(&(dpaa2_drv)); \
	}

/**
 * Map a region of an object (VFIO_DEVICE_GET_REGION_INFO, then mmap of
 * the device descriptor). Mapping a region twice returns the first
 * mapping. Mappings are removed when the object is released.
 *
 * @param dev
 *   An object with its VFIO descriptor open.
 * @param index
 *   Region index, below dev->num_regions.
 * @param len
 *   Receives the length (may be NULL).
 * @return
 *   The address, or NULL with rte_errno: EINVAL (bad argument, object
 *   not open, index out of range), ENOTSUP (the kernel does not allow
 *   mmap of this region, as for a DPRC's own portal), EIO (the kernel
 *   refused the query), ENOMEM (mmap failed).
 */
__rte_internal
void *rte_fslmc_region_map(struct rte_dpaa2_device *dev, uint32_t index,
		uint64_t *len);

/**
 * Unmap a region mapped with rte_fslmc_region_map().
 *
 * @param dev
 *   The object.
 * @param index
 *   Region index.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad argument) or ENOENT (not mapped).
 */
__rte_internal
int rte_fslmc_region_unmap(struct rte_dpaa2_device *dev, uint32_t index);

/** The MC command portal the bus mapped for the container. */
struct rte_fslmc_mc_portal {
	void *addr;                        /**< Mapping of the portal. */
	uint64_t len;                      /**< Its length. */
	const struct rte_dpaa2_device *dpmcp; /**< Object providing it. */
};

/**
 * @param portal
 *   Receives the MC portal.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL) or ENODEV (bus not probed).
 */
__rte_internal
int rte_fslmc_get_mc_portal(struct rte_fslmc_mc_portal *portal);

/**
 * Map memory the EAL does not manage (the EAL maps its own memory into
 * the container automatically) for DMA by the container's objects.
 *
 * @param vaddr
 *   Start address in this process.
 * @param iova
 *   Device address.
 * @param len
 *   Length, page aligned.
 * @return
 *   0, or -1 with rte_errno ENODEV (bus not probed) or an error of
 *   rte_vfio_container_dma_map().
 */
__rte_internal
int rte_fslmc_dma_map(uint64_t vaddr, uint64_t iova, uint64_t len);

/**
 * Unmap memory mapped with rte_fslmc_dma_map().
 *
 * @param vaddr
 *   Start address as mapped.
 * @param iova
 *   Device address as mapped.
 * @param len
 *   Length as mapped.
 * @return
 *   0, or -1 with rte_errno ENODEV (bus not probed) or an error of
 *   rte_vfio_container_dma_unmap().
 */
__rte_internal
int rte_fslmc_dma_unmap(uint64_t vaddr, uint64_t iova, uint64_t len);

#ifdef __cplusplus
}
#endif

#endif /* _BUS_FSLMC_DRIVER_H_ */
