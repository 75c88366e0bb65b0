/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Region information of a device descriptor, with its capability chain,
 * for every bus: the same in every mode (a device fd of a group or of a
 * cdev answers VFIO_DEVICE_GET_REGION_INFO alike).
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>

#include <rte_errno.h>
#include <rte_vfio.h>

#include "eal_log.h"

/*
 * The first call tells the size the capability chain needs; the second one
 * receives it. A kernel that asks for more again is refused.
 */
#define REGION_INFO_CALLS_MAX 2

/* a zeroed buffer of argsz bytes asking for region index */
static struct vfio_region_info *
region_info_alloc(int vfio_dev_fd, unsigned int index, uint32_t argsz)
{
	struct vfio_region_info *info = calloc(1, argsz);

	if (info == NULL) {
		EAL_LOG(ERR, "VFIO: device fd %d: region %u: cannot allocate %u bytes of region info: %s",
			vfio_dev_fd, index, argsz, strerror(ENOMEM));
		return NULL;
	}
	info->argsz = argsz;
	info->index = index;
	return info;
}

int
rte_vfio_get_region_info(int vfio_dev_fd, unsigned int index,
		struct vfio_region_info **info)
{
	struct vfio_region_info *ri;
	uint32_t argsz = sizeof(*ri);
	unsigned int call;

	if (info != NULL)
		*info = NULL;
	if (info == NULL || vfio_dev_fd < 0) {
		EAL_LOG(ERR, "VFIO: device fd %d: region %u: region info asked with %s",
			vfio_dev_fd, index, info == NULL ? "no result pointer" :
			"an invalid descriptor");
		rte_errno = EINVAL;
		return -1;
	}
	for (call = 0; call < REGION_INFO_CALLS_MAX; call++) {
		ri = region_info_alloc(vfio_dev_fd, index, argsz);
		if (ri == NULL) {
			rte_errno = ENOMEM;
			return -1;
		}
		if (ioctl(vfio_dev_fd, VFIO_DEVICE_GET_REGION_INFO, ri) != 0) {
			EAL_LOG(ERR, "VFIO: device fd %d: VFIO_DEVICE_GET_REGION_INFO of region %u failed: %s",
				vfio_dev_fd, index, strerror(errno));
			free(ri);
			rte_errno = EIO;
			return -1;
		}
		/* the kernel raises argsz when the chain does not fit */
		if (ri->argsz <= argsz) {
			*info = ri;
			return 0;
		}
		argsz = ri->argsz;
		free(ri);
	}
	EAL_LOG(ERR, "VFIO: device fd %d: VFIO_DEVICE_GET_REGION_INFO of region %u asks for %u bytes after %d calls: %s",
		vfio_dev_fd, index, argsz, REGION_INFO_CALLS_MAX,
		strerror(EIO));
	rte_errno = EIO;
	return -1;
}
