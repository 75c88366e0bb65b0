/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* Queries on a device descriptor, the same in every mode. */

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>

#include <rte_errno.h>
#include <rte_vfio.h>

#include "eal_log.h"
#include "eal_vfio_result.h"

int
rte_vfio_get_device_info(int vfio_dev_fd, struct vfio_device_info *info)
{
	if (vfio_dev_fd < 0 || info == NULL)
		return vfio_result_ret(VFIO_INVALID);
	/*
	 * The caller's argsz goes to the kernel as is: a larger buffer
	 * receives the capability chain, a too small one the size needed.
	 */
	if (ioctl(vfio_dev_fd, VFIO_DEVICE_GET_INFO, info) != 0) {
		EAL_LOG(ERR, "VFIO: device fd %d: VFIO_DEVICE_GET_INFO failed: %s",
			vfio_dev_fd, strerror(errno));
		return vfio_result_ret(vfio_result_from_query_errno(errno));
	}
	return 0;
}
