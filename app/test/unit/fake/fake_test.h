/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _FAKE_TEST_H_
#define _FAKE_TEST_H_

/* Helpers shared by the fake kernel's own tests. */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/vfio.h>

#include "fake_kernel.h"

/* ioctl expected to fail with err */
#define assert_ioctl_errno(fd, req, arg, err) do { \
	errno = 0; \
	assert_int_equal(ioctl((fd), (req), (arg)), -1); \
	assert_int_equal(errno, (err)); \
} while (0)

#define assert_ioctl_ok(fd, req, arg) \
	assert_int_equal(ioctl((fd), (req), (arg)), 0)

/* a container with group (IOMMU type set unless 0) */
static inline void
open_container_group(int group, int iommu_type, int *cfd, int *gfd)
{
	char path[64];

	*cfd = open("/dev/vfio/vfio", O_RDWR);
	assert_true(*cfd >= 0);
	snprintf(path, sizeof(path), "/dev/vfio/%s%d",
		iommu_type == VFIO_NOIOMMU_IOMMU ? "noiommu-" : "", group);
	*gfd = open(path, O_RDWR);
	assert_true(*gfd >= 0);
	assert_ioctl_ok(*gfd, VFIO_GROUP_SET_CONTAINER, cfd);
	if (iommu_type != 0)
		assert_int_equal(ioctl(*cfd, VFIO_SET_IOMMU, (unsigned long)iommu_type), 0);
}

#endif /* _FAKE_TEST_H_ */
