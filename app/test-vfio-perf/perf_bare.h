/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _VFIO_PERF_BARE_H_
#define _VFIO_PERF_BARE_H_

/*
 * The baseline: the same DMA work done with bare ioctls, no library in
 * between. Group mode: VFIO_IOMMU_MAP/UNMAP_DMA on a container;
 * cdev mode: IOMMU_IOAS_MAP/UNMAP on an IOAS of its own iommufd.
 */

#include <stdbool.h>
#include <stdint.h>

enum perf_bare_kind {
	PERF_BARE_NONE,
	PERF_BARE_TYPE1,   /**< a /dev/vfio/vfio container */
	PERF_BARE_IOMMUFD, /**< an IOAS in a /dev/iommu */
};

/** A kernel DMA context used without the library. */
struct perf_bare {
	enum perf_bare_kind kind;
	int container_fd; /**< type1: the container; iommufd: /dev/iommu */
	bool own_fd;      /**< container_fd is ours to close */
	int group_fd;     /**< type1, own container: the device's group */
	int dev_fd;       /**< iommufd: the bound device, or -1 */
	uint32_t ioas_id;
	char desc[160];   /**< What it is, for the report. */
};

/**
 * Own container: /dev/vfio/vfio with the IOMMU group of dev (which must
 * not be in use elsewhere), type1v2 (type1 when v2 is missing).
 * @return 0, or -1 with a message in err.
 */
int perf_bare_open_type1(struct perf_bare *b, const char *sysfs,
	const char *dev, char *err, size_t errlen);

/** Use a container someone else set up (the library's), at other IOVAs. */
void perf_bare_use_container(struct perf_bare *b, int container_fd);

/**
 * Own /dev/iommu with a new IOAS; when dev is not NULL its cdev is bound
 * and attached to the IOAS (as the library does for its devices).
 * @return 0, or -1 with a message in err.
 */
int perf_bare_open_iommufd(struct perf_bare *b, const char *sysfs,
	const char *dev, char *err, size_t errlen);

/** One map; 0 or -1 (errno). */
int perf_bare_map(const struct perf_bare *b, uint64_t va, uint64_t iova,
	uint64_t len);

/** One unmap, checking the kernel unmapped len bytes; 0 or -1 (errno). */
int perf_bare_unmap(const struct perf_bare *b, uint64_t iova, uint64_t len);

/** Close what perf_bare_open_*() opened. */
void perf_bare_close(struct perf_bare *b);

/** A device opened without the library into a bare context. */
struct perf_bare_dev {
	int group_fd; /**< type1: its group, or -1 */
	int fd;       /**< the device */
};

/**
 * The bare open/attach sequence of one more device into b (the first
 * one, opened by perf_bare_open_*(), set the context up).
 * type1: open the group, VFIO_GROUP_GET_STATUS, VFIO_GROUP_SET_CONTAINER,
 * VFIO_GROUP_GET_DEVICE_FD; iommufd: open the cdev,
 * VFIO_DEVICE_BIND_IOMMUFD, VFIO_DEVICE_ATTACH_IOMMUFD_PT.
 * @return 0, or -1 with a message in err.
 */
int perf_bare_dev_open(const struct perf_bare *b, const char *sysfs,
	const char *dev, struct perf_bare_dev *d, char *err, size_t errlen);

/**
 * type1: VFIO_GROUP_GET_DEVICE_FD of dev on the group that
 * perf_bare_open_type1() opened. @return 0, or -1 with a message in err.
 */
int perf_bare_group_dev(const struct perf_bare *b, const char *dev,
	struct perf_bare_dev *d, char *err, size_t errlen);

/** Close what perf_bare_dev_open() or perf_bare_group_dev() opened. */
void perf_bare_dev_close(struct perf_bare_dev *d);

/**
 * Map the EAL memory into b at its IOVAs in the fewest calls the kernel
 * accepts: one per run of pages contiguous in VA and IOVA (whatever can
 * be freed: the floor of any library). *calls receives the number of
 * calls. @return 0, or -1 (errno) with what was mapped unmapped again.
 */
int perf_bare_map_eal(const struct perf_bare *b, unsigned int *calls);

/** Unmap what perf_bare_map_eal() mapped. @return 0 or -1 (errno). */
int perf_bare_unmap_eal(const struct perf_bare *b);

#endif /* _VFIO_PERF_BARE_H_ */
