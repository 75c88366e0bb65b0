/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * ABI tables of our kernel/linux/uapi headers, and static checks of the
 * items newer than the system's headers (layouts from DESIGN.md section
 * 5; devtools/check-uapi.sh compares them with a Linux 7.3 tree).
 */

#include <linux/vfio.h>
#include <linux/iommufd.h>

#ifndef _DPDK_VFIO_UAPI_LINUX_VFIO_H_
#error "test_uapi_ours.c must include kernel/linux/uapi/linux/vfio.h"
#endif
#ifndef _DPDK_VFIO_UAPI_LINUX_IOMMUFD_H_
#error "test_uapi_ours.c must include kernel/linux/uapi/linux/iommufd.h"
#endif

#include "test_uapi_items.h"

#define NB(a) (sizeof(a) / sizeof((a)[0]))

/* cdev bind with a VF token (6.17): token pointer after out_devid */
_Static_assert(VFIO_DEVICE_BIND_FLAG_TOKEN == 1, "bind token flag");
_Static_assert(offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr) == 16,
	"token_uuid_ptr offset");
_Static_assert(sizeof(struct vfio_device_bind_iommufd) == 24,
	"vfio_device_bind_iommufd size");

/* no-IOMMU cdev physical address query */
_Static_assert(IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA == 0x95, "GET_PA command");
_Static_assert(IOMMU_IOAS_NOIOMMU_GET_PA == (';' << 8 | 0x95), "GET_PA ioctl");
_Static_assert(sizeof(struct iommu_ioas_noiommu_get_pa) == 40, "GET_PA size");
_Static_assert(offsetof(struct iommu_ioas_noiommu_get_pa, flags) == 4, "flags");
_Static_assert(offsetof(struct iommu_ioas_noiommu_get_pa, ioas_id) == 8,
	"ioas_id");
_Static_assert(offsetof(struct iommu_ioas_noiommu_get_pa, __reserved) == 12,
	"__reserved");
_Static_assert(offsetof(struct iommu_ioas_noiommu_get_pa, iova) == 16, "iova");
_Static_assert(offsetof(struct iommu_ioas_noiommu_get_pa, length) == 24,
	"length");
_Static_assert(offsetof(struct iommu_ioas_noiommu_get_pa, out_phys) == 32,
	"out_phys");

/* _IO(';', 100 + n): no direction or size bits, as the kernel defines them */
_Static_assert(VFIO_GET_API_VERSION == 0x3b64, "VFIO_GET_API_VERSION");
_Static_assert(VFIO_IOMMU_MAP_DMA == 0x3b71, "VFIO_IOMMU_MAP_DMA");
_Static_assert(IOMMU_IOAS_MAP == 0x3b85, "IOMMU_IOAS_MAP");

static const struct uapi_item ours_vfio[] = {
	UAPI_VFIO_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};

static const struct uapi_item ours_vfio_cdev[] = {
	UAPI_VFIO_CDEV_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};

static const struct uapi_item ours_iommufd[] = {
	UAPI_IOMMUFD_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};

static const struct uapi_item ours_linux73[] = {
	UAPI_LINUX73_ITEMS(UAPI_S, UAPI_F, UAPI_A, UAPI_C)
};

const struct uapi_tables uapi_ours = {
	"kernel/linux/uapi",
	ours_vfio, NB(ours_vfio),
	ours_vfio_cdev, NB(ours_vfio_cdev),
	ours_iommufd, NB(ours_iommufd),
	ours_linux73, NB(ours_linux73),
};
