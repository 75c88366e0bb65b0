/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_VFIO_INFO_H_
#define _EAL_VFIO_INFO_H_

/*
 * Read-only views of the VFIO front end's state (eal_vfio_info.c), for
 * introspection (telemetry): copies made under the state and container
 * locks, so that callers never touch the live tables.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_config.h>
#include <rte_eal.h>
#include <rte_vfio.h>

/** Mode and backend. */
struct vfio_info {
	bool enabled;                /**< rte_vfio_enable() done. */
	enum rte_vfio_mode mode;
	enum rte_iova_mode iova_mode;
	const char *interface;       /**< Backend: "group", "cdev" or "none". */
	const char *iommu;           /**< "type1v2", "iommufd", ... or "none". */
	unsigned int containers;     /**< Containers in use. */
};

/** One container. */
struct vfio_info_container {
	unsigned int index;          /**< Slot; 0 is the default container. */
	int fd;                      /**< Container descriptor or iommufd. */
	bool is_default;
	int64_t ioas_id;             /**< cdev: the IOAS; group: -1. */
	unsigned int devices;
	size_t user_maps;            /**< rte_vfio_container_dma_map() entries. */
	size_t mem_maps;             /**< EAL memory entries. */
	unsigned int ngroups;        /**< group modes: distinct groups below. */
	int groups[16];              /**< The first groups of its devices. */
};

/** One device. */
struct vfio_info_device {
	char addr[RTE_DEV_NAME_MAX_LEN];
	unsigned int container;      /**< Slot of its container. */
	int fd;
	int num;                     /**< IOMMU group or cdev number. */
	bool is_cdev;                /**< num is a cdev number. */
	bool setup;                  /**< Handed out by rte_vfio_setup_device(). */
};

/** One DMA mapping. */
struct vfio_info_map {
	uint64_t va;
	uint64_t iova;
	uint64_t len;
};

/** Which mappings of a container. */
enum vfio_info_maps_kind {
	VFIO_INFO_MAPS_USER,
	VFIO_INFO_MAPS_MEM,
};

/**
 * @return
 *   The name of a mode ("none", "group", "noiommu", "cdev"; "unknown"
 *   for any other value), as the telemetry reports it.
 */
const char *vfio_mode_name(enum rte_vfio_mode mode);

/**
 * Mode, backend and number of containers.
 *
 * @param out
 *   Filled.
 */
void vfio_info_get(struct vfio_info *out);

/**
 * A container by slot.
 *
 * @param index
 *   Slot, 0 .. RTE_MAX_VFIO_CONTAINERS - 1.
 * @param out
 *   Filled when the slot is in use.
 * @return
 *   0, -ENOENT when the slot is free or VFIO is not enabled, -EINVAL when
 *   index is out of range.
 */
int vfio_info_container(unsigned int index, struct vfio_info_container *out);

/**
 * Devices of every container, in container then opening order.
 *
 * @param start
 *   Devices to pass over first.
 * @param out
 *   Array of max entries.
 * @param max
 *   Its size.
 * @param total
 *   Receives the number of devices (may be NULL).
 * @return
 *   Entries written.
 */
unsigned int vfio_info_devices(unsigned int start, struct vfio_info_device *out,
		unsigned int max, unsigned int *total);

/**
 * A page of the DMA mappings of a container, by increasing IOVA.
 *
 * @param index
 *   Container slot.
 * @param kind
 *   User or EAL memory mappings.
 * @param start
 *   Entries to pass over first.
 * @param out
 *   Array of max entries.
 * @param max
 *   Its size.
 * @param total
 *   Receives the number of mappings.
 * @return
 *   Entries written (>= 0), or -ENOENT / -EINVAL as vfio_info_container().
 */
int vfio_info_maps(unsigned int index, enum vfio_info_maps_kind kind,
		size_t start, struct vfio_info_map *out, size_t max,
		size_t *total);

#endif /* _EAL_VFIO_INFO_H_ */
