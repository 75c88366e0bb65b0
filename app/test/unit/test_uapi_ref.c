/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * ABI tables of the reference headers. Compiled WITHOUT our uapi include
 * directory, so <linux/vfio.h> is the system's (meson) or a kernel tree's
 * (devtools/check-uapi.sh). Defines:
 *   UAPI_REF_HEADERS       string naming the headers, for the test's log
 *   UAPI_REF_HAS_IOMMUFD   1 when <linux/iommufd.h> is available
 */

#include <linux/vfio.h>
#if UAPI_REF_HAS_IOMMUFD
#include <linux/iommufd.h>
#endif

#ifdef _DPDK_VFIO_UAPI_LINUX_VFIO_H_
#error "test_uapi_ref.c must not see kernel/linux/uapi (it is the reference)"
#endif

#include "test_uapi_items.h"

#ifndef UAPI_REF_HEADERS
#error "UAPI_REF_HEADERS must name the reference headers"
#endif

#define NB(a) (sizeof(a) / sizeof((a)[0]))

static const struct uapi_item ref_vfio[] = {
	UAPI_VFIO_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};

#ifdef VFIO_DEVICE_BIND_IOMMUFD
static const struct uapi_item ref_vfio_cdev[] = {
	UAPI_VFIO_CDEV_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};
#define REF_VFIO_CDEV ref_vfio_cdev, NB(ref_vfio_cdev)
#else
#define REF_VFIO_CDEV NULL, 0
#endif

#if UAPI_REF_HAS_IOMMUFD
static const struct uapi_item ref_iommufd[] = {
	UAPI_IOMMUFD_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};
#define REF_IOMMUFD ref_iommufd, NB(ref_iommufd)
#else
#define REF_IOMMUFD NULL, 0
#endif

#if UAPI_REF_HAS_IOMMUFD && defined(IOMMU_IOAS_NOIOMMU_GET_PA)
static const struct uapi_item ref_linux73[] = {
	UAPI_LINUX73_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};
#define REF_LINUX73 ref_linux73, NB(ref_linux73)
#else
#define REF_LINUX73 NULL, 0
#endif

const struct uapi_tables uapi_ref = {
	UAPI_REF_HEADERS,
	ref_vfio, NB(ref_vfio),
	REF_VFIO_CDEV,
	REF_IOMMUFD,
	REF_LINUX73,
};
