/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _TEST_UAPI_ITEMS_H_
#define _TEST_UAPI_ITEMS_H_

/*
 * ABI items compared between our kernel/linux/uapi headers and reference
 * headers (the system's, or a kernel tree's). Each list is an X-macro
 * taking:
 *   S(s)     sizeof(struct s)
 *   F(s, f)  offset and size of field f of struct s
 *   A(s, f)  offset of flexible array member f of struct s
 *   C(name)  value of a constant (ioctl number, flag, enum)
 * Items are grouped by the kernel that introduced them, so that a list is
 * compared only when the reference has it.
 *
 * Not listed because newer kernels renamed it (6.14 reserved the value):
 * VFIO_TYPE1_NESTING_IOMMU.
 *
 * Not listed because we extend them beyond the reference kernels (checked
 * against the design's layout in test_uapi_ours.c instead): the size of
 * struct vfio_device_bind_iommufd and its token_uuid_ptr (6.17),
 * VFIO_DEVICE_BIND_FLAG_TOKEN, IOMMU_IOAS_NOIOMMU_GET_PA.
 */

#include <stddef.h>

struct uapi_item {
	const char *name;
	unsigned long long value;
};

#define UAPI_S(s) \
	{ "sizeof(struct " #s ")", sizeof(struct s) },
#define UAPI_F(s, f) \
	{ "offsetof(struct " #s ", " #f ")", offsetof(struct s, f) }, \
	{ "sizeof(struct " #s "." #f ")", sizeof(((struct s *)0)->f) },
#define UAPI_A(s, f) \
	{ "offsetof(struct " #s ", " #f ")", offsetof(struct s, f) },
#define UAPI_C(c) \
	{ #c, (unsigned long long)(c) },

/* vfio.h items present in Linux 6.1 (the oldest reference we meet) */
#define UAPI_VFIO_ITEMS(S, F, A, C) \
	C(VFIO_API_VERSION) C(VFIO_TYPE1_IOMMU) C(VFIO_SPAPR_TCE_IOMMU) \
	C(VFIO_TYPE1v2_IOMMU) C(VFIO_DMA_CC_IOMMU) C(VFIO_EEH) \
	C(VFIO_SPAPR_TCE_v2_IOMMU) \
	C(VFIO_NOIOMMU_IOMMU) C(VFIO_UNMAP_ALL) C(VFIO_UPDATE_VADDR) \
	C(VFIO_TYPE) C(VFIO_BASE) \
	S(vfio_info_cap_header) F(vfio_info_cap_header, id) \
	F(vfio_info_cap_header, version) F(vfio_info_cap_header, next) \
	C(VFIO_GET_API_VERSION) C(VFIO_CHECK_EXTENSION) C(VFIO_SET_IOMMU) \
	S(vfio_group_status) F(vfio_group_status, argsz) \
	F(vfio_group_status, flags) \
	C(VFIO_GROUP_FLAGS_VIABLE) C(VFIO_GROUP_FLAGS_CONTAINER_SET) \
	C(VFIO_GROUP_GET_STATUS) C(VFIO_GROUP_SET_CONTAINER) \
	C(VFIO_GROUP_UNSET_CONTAINER) C(VFIO_GROUP_GET_DEVICE_FD) \
	F(vfio_device_info, argsz) \
	F(vfio_device_info, flags) F(vfio_device_info, num_regions) \
	F(vfio_device_info, num_irqs) F(vfio_device_info, cap_offset) \
	C(VFIO_DEVICE_FLAGS_RESET) C(VFIO_DEVICE_FLAGS_PCI) \
	C(VFIO_DEVICE_FLAGS_PLATFORM) C(VFIO_DEVICE_FLAGS_AMBA) \
	C(VFIO_DEVICE_FLAGS_CCW) C(VFIO_DEVICE_FLAGS_AP) \
	C(VFIO_DEVICE_FLAGS_FSL_MC) C(VFIO_DEVICE_FLAGS_CAPS) \
	C(VFIO_DEVICE_GET_INFO) \
	S(vfio_region_info) F(vfio_region_info, argsz) \
	F(vfio_region_info, flags) F(vfio_region_info, index) \
	F(vfio_region_info, cap_offset) F(vfio_region_info, size) \
	F(vfio_region_info, offset) \
	C(VFIO_REGION_INFO_FLAG_READ) C(VFIO_REGION_INFO_FLAG_WRITE) \
	C(VFIO_REGION_INFO_FLAG_MMAP) C(VFIO_REGION_INFO_FLAG_CAPS) \
	C(VFIO_DEVICE_GET_REGION_INFO) C(VFIO_REGION_INFO_CAP_SPARSE_MMAP) \
	S(vfio_region_sparse_mmap_area) \
	F(vfio_region_sparse_mmap_area, offset) \
	F(vfio_region_sparse_mmap_area, size) \
	S(vfio_region_info_cap_sparse_mmap) \
	F(vfio_region_info_cap_sparse_mmap, header) \
	F(vfio_region_info_cap_sparse_mmap, nr_areas) \
	F(vfio_region_info_cap_sparse_mmap, reserved) \
	A(vfio_region_info_cap_sparse_mmap, areas) \
	C(VFIO_REGION_INFO_CAP_TYPE) S(vfio_region_info_cap_type) \
	F(vfio_region_info_cap_type, type) \
	F(vfio_region_info_cap_type, subtype) \
	C(VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) \
	S(vfio_irq_info) F(vfio_irq_info, argsz) F(vfio_irq_info, flags) \
	F(vfio_irq_info, index) F(vfio_irq_info, count) \
	C(VFIO_IRQ_INFO_EVENTFD) C(VFIO_IRQ_INFO_MASKABLE) \
	C(VFIO_IRQ_INFO_AUTOMASKED) C(VFIO_IRQ_INFO_NORESIZE) \
	C(VFIO_DEVICE_GET_IRQ_INFO) \
	S(vfio_irq_set) F(vfio_irq_set, argsz) F(vfio_irq_set, flags) \
	F(vfio_irq_set, index) F(vfio_irq_set, start) \
	F(vfio_irq_set, count) A(vfio_irq_set, data) \
	C(VFIO_IRQ_SET_DATA_NONE) C(VFIO_IRQ_SET_DATA_BOOL) \
	C(VFIO_IRQ_SET_DATA_EVENTFD) C(VFIO_IRQ_SET_ACTION_MASK) \
	C(VFIO_IRQ_SET_ACTION_UNMASK) C(VFIO_IRQ_SET_ACTION_TRIGGER) \
	C(VFIO_IRQ_SET_DATA_TYPE_MASK) C(VFIO_IRQ_SET_ACTION_TYPE_MASK) \
	C(VFIO_DEVICE_SET_IRQS) C(VFIO_DEVICE_RESET) \
	C(VFIO_PCI_BAR0_REGION_INDEX) C(VFIO_PCI_BAR1_REGION_INDEX) \
	C(VFIO_PCI_BAR2_REGION_INDEX) C(VFIO_PCI_BAR3_REGION_INDEX) \
	C(VFIO_PCI_BAR4_REGION_INDEX) C(VFIO_PCI_BAR5_REGION_INDEX) \
	C(VFIO_PCI_ROM_REGION_INDEX) C(VFIO_PCI_CONFIG_REGION_INDEX) \
	C(VFIO_PCI_VGA_REGION_INDEX) C(VFIO_PCI_NUM_REGIONS) \
	C(VFIO_PCI_INTX_IRQ_INDEX) C(VFIO_PCI_MSI_IRQ_INDEX) \
	C(VFIO_PCI_MSIX_IRQ_INDEX) C(VFIO_PCI_ERR_IRQ_INDEX) \
	C(VFIO_PCI_REQ_IRQ_INDEX) C(VFIO_PCI_NUM_IRQS) \
	S(vfio_device_feature) F(vfio_device_feature, argsz) \
	F(vfio_device_feature, flags) A(vfio_device_feature, data) \
	C(VFIO_DEVICE_FEATURE_MASK) C(VFIO_DEVICE_FEATURE_GET) \
	C(VFIO_DEVICE_FEATURE_SET) C(VFIO_DEVICE_FEATURE_PROBE) \
	C(VFIO_DEVICE_FEATURE) C(VFIO_DEVICE_FEATURE_PCI_VF_TOKEN) \
	S(vfio_iommu_type1_info) F(vfio_iommu_type1_info, argsz) \
	F(vfio_iommu_type1_info, flags) \
	F(vfio_iommu_type1_info, iova_pgsizes) \
	F(vfio_iommu_type1_info, cap_offset) \
	C(VFIO_IOMMU_INFO_PGSIZES) C(VFIO_IOMMU_INFO_CAPS) \
	C(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) \
	S(vfio_iova_range) F(vfio_iova_range, start) F(vfio_iova_range, end) \
	S(vfio_iommu_type1_info_cap_iova_range) \
	F(vfio_iommu_type1_info_cap_iova_range, header) \
	F(vfio_iommu_type1_info_cap_iova_range, nr_iovas) \
	F(vfio_iommu_type1_info_cap_iova_range, reserved) \
	A(vfio_iommu_type1_info_cap_iova_range, iova_ranges) \
	C(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) \
	S(vfio_iommu_type1_info_dma_avail) \
	F(vfio_iommu_type1_info_dma_avail, header) \
	F(vfio_iommu_type1_info_dma_avail, avail) \
	C(VFIO_IOMMU_GET_INFO) \
	S(vfio_iommu_type1_dma_map) F(vfio_iommu_type1_dma_map, argsz) \
	F(vfio_iommu_type1_dma_map, flags) F(vfio_iommu_type1_dma_map, vaddr) \
	F(vfio_iommu_type1_dma_map, iova) F(vfio_iommu_type1_dma_map, size) \
	C(VFIO_DMA_MAP_FLAG_READ) C(VFIO_DMA_MAP_FLAG_WRITE) \
	C(VFIO_DMA_MAP_FLAG_VADDR) C(VFIO_IOMMU_MAP_DMA) \
	S(vfio_iommu_type1_dma_unmap) F(vfio_iommu_type1_dma_unmap, argsz) \
	F(vfio_iommu_type1_dma_unmap, flags) \
	F(vfio_iommu_type1_dma_unmap, iova) \
	F(vfio_iommu_type1_dma_unmap, size) \
	A(vfio_iommu_type1_dma_unmap, data) \
	C(VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) C(VFIO_DMA_UNMAP_FLAG_ALL) \
	C(VFIO_DMA_UNMAP_FLAG_VADDR) C(VFIO_IOMMU_UNMAP_DMA) \
	C(VFIO_IOMMU_ENABLE) C(VFIO_IOMMU_DISABLE) \
	S(vfio_iommu_spapr_tce_ddw_info) \
	F(vfio_iommu_spapr_tce_ddw_info, pgsizes) \
	F(vfio_iommu_spapr_tce_ddw_info, max_dynamic_windows_supported) \
	F(vfio_iommu_spapr_tce_ddw_info, levels) \
	S(vfio_iommu_spapr_tce_info) F(vfio_iommu_spapr_tce_info, argsz) \
	F(vfio_iommu_spapr_tce_info, flags) \
	F(vfio_iommu_spapr_tce_info, dma32_window_start) \
	F(vfio_iommu_spapr_tce_info, dma32_window_size) \
	F(vfio_iommu_spapr_tce_info, ddw) \
	C(VFIO_IOMMU_SPAPR_INFO_DDW) C(VFIO_IOMMU_SPAPR_TCE_GET_INFO) \
	S(vfio_iommu_spapr_register_memory) \
	F(vfio_iommu_spapr_register_memory, argsz) \
	F(vfio_iommu_spapr_register_memory, flags) \
	F(vfio_iommu_spapr_register_memory, vaddr) \
	F(vfio_iommu_spapr_register_memory, size) \
	C(VFIO_IOMMU_SPAPR_REGISTER_MEMORY) \
	C(VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY) \
	S(vfio_iommu_spapr_tce_create) F(vfio_iommu_spapr_tce_create, argsz) \
	F(vfio_iommu_spapr_tce_create, flags) \
	F(vfio_iommu_spapr_tce_create, page_shift) \
	F(vfio_iommu_spapr_tce_create, __resv1) \
	F(vfio_iommu_spapr_tce_create, window_size) \
	F(vfio_iommu_spapr_tce_create, levels) \
	F(vfio_iommu_spapr_tce_create, __resv2) \
	F(vfio_iommu_spapr_tce_create, start_addr) \
	C(VFIO_IOMMU_SPAPR_TCE_CREATE) \
	S(vfio_iommu_spapr_tce_remove) F(vfio_iommu_spapr_tce_remove, argsz) \
	F(vfio_iommu_spapr_tce_remove, flags) \
	F(vfio_iommu_spapr_tce_remove, start_addr) \
	C(VFIO_IOMMU_SPAPR_TCE_REMOVE)

/*
 * vfio.h items of Linux 6.6: the device cdev, and explicit tail padding
 * (vfio_device_info grew from 20 to 24 bytes; argsz tells them apart).
 */
#define UAPI_VFIO_CDEV_ITEMS(S, F, A, C) \
	S(vfio_device_info) F(vfio_device_info, pad) \
	C(VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP) \
	S(vfio_device_info_cap_pci_atomic_comp) \
	F(vfio_device_info_cap_pci_atomic_comp, header) \
	F(vfio_device_info_cap_pci_atomic_comp, flags) \
	F(vfio_device_info_cap_pci_atomic_comp, reserved) \
	C(VFIO_PCI_ATOMIC_COMP32) C(VFIO_PCI_ATOMIC_COMP64) \
	C(VFIO_PCI_ATOMIC_COMP128) \
	F(vfio_iommu_type1_info, pad) \
	C(VFIO_DEVICE_FLAGS_CDX) \
	F(vfio_device_bind_iommufd, argsz) F(vfio_device_bind_iommufd, flags) \
	F(vfio_device_bind_iommufd, iommufd) \
	F(vfio_device_bind_iommufd, out_devid) \
	C(VFIO_DEVICE_BIND_IOMMUFD) \
	F(vfio_device_attach_iommufd_pt, argsz) \
	F(vfio_device_attach_iommufd_pt, flags) \
	F(vfio_device_attach_iommufd_pt, pt_id) \
	C(VFIO_DEVICE_ATTACH_IOMMUFD_PT) \
	F(vfio_device_detach_iommufd_pt, argsz) \
	F(vfio_device_detach_iommufd_pt, flags) \
	C(VFIO_DEVICE_DETACH_IOMMUFD_PT)

/*
 * Items newer than Linux 6.12, checked against a 7.3 tree: the PASID
 * fields of attach/detach (6.13; the structs grew, the kernel takes either
 * size), the cdev bind VF token (6.17), no-IOMMU cdev GET_PA (7.3).
 */
#define UAPI_LINUX73_ITEMS(S, F, A, C) \
	S(vfio_device_attach_iommufd_pt) \
	F(vfio_device_attach_iommufd_pt, pasid) \
	C(VFIO_DEVICE_ATTACH_PASID) \
	S(vfio_device_detach_iommufd_pt) \
	F(vfio_device_detach_iommufd_pt, pasid) \
	C(VFIO_DEVICE_DETACH_PASID) \
	S(vfio_device_bind_iommufd) \
	F(vfio_device_bind_iommufd, token_uuid_ptr) \
	C(VFIO_DEVICE_BIND_FLAG_TOKEN) \
	C(IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA) C(IOMMU_IOAS_NOIOMMU_GET_PA) \
	S(iommu_ioas_noiommu_get_pa) \
	F(iommu_ioas_noiommu_get_pa, size) \
	F(iommu_ioas_noiommu_get_pa, flags) \
	F(iommu_ioas_noiommu_get_pa, ioas_id) \
	F(iommu_ioas_noiommu_get_pa, __reserved) \
	F(iommu_ioas_noiommu_get_pa, iova) \
	F(iommu_ioas_noiommu_get_pa, length) \
	F(iommu_ioas_noiommu_get_pa, out_phys)

/* iommufd.h items (Linux 6.2) */
#define UAPI_IOMMUFD_ITEMS(S, F, A, C) \
	C(IOMMUFD_TYPE) C(IOMMUFD_CMD_BASE) C(IOMMUFD_CMD_DESTROY) \
	C(IOMMUFD_CMD_IOAS_ALLOC) C(IOMMUFD_CMD_IOAS_ALLOW_IOVAS) \
	C(IOMMUFD_CMD_IOAS_COPY) C(IOMMUFD_CMD_IOAS_IOVA_RANGES) \
	C(IOMMUFD_CMD_IOAS_MAP) C(IOMMUFD_CMD_IOAS_UNMAP) \
	C(IOMMUFD_CMD_OPTION) C(IOMMUFD_CMD_VFIO_IOAS) \
	S(iommu_destroy) F(iommu_destroy, size) F(iommu_destroy, id) \
	C(IOMMU_DESTROY) \
	S(iommu_ioas_alloc) F(iommu_ioas_alloc, size) \
	F(iommu_ioas_alloc, flags) F(iommu_ioas_alloc, out_ioas_id) \
	C(IOMMU_IOAS_ALLOC) \
	S(iommu_iova_range) F(iommu_iova_range, start) \
	F(iommu_iova_range, last) \
	S(iommu_ioas_iova_ranges) F(iommu_ioas_iova_ranges, size) \
	F(iommu_ioas_iova_ranges, ioas_id) \
	F(iommu_ioas_iova_ranges, num_iovas) \
	F(iommu_ioas_iova_ranges, __reserved) \
	F(iommu_ioas_iova_ranges, allowed_iovas) \
	F(iommu_ioas_iova_ranges, out_iova_alignment) \
	C(IOMMU_IOAS_IOVA_RANGES) \
	S(iommu_ioas_allow_iovas) F(iommu_ioas_allow_iovas, size) \
	F(iommu_ioas_allow_iovas, ioas_id) \
	F(iommu_ioas_allow_iovas, num_iovas) \
	F(iommu_ioas_allow_iovas, __reserved) \
	F(iommu_ioas_allow_iovas, allowed_iovas) \
	C(IOMMU_IOAS_ALLOW_IOVAS) \
	C(IOMMU_IOAS_MAP_FIXED_IOVA) C(IOMMU_IOAS_MAP_WRITEABLE) \
	C(IOMMU_IOAS_MAP_READABLE) \
	S(iommu_ioas_map) F(iommu_ioas_map, size) F(iommu_ioas_map, flags) \
	F(iommu_ioas_map, ioas_id) F(iommu_ioas_map, __reserved) \
	F(iommu_ioas_map, user_va) F(iommu_ioas_map, length) \
	F(iommu_ioas_map, iova) C(IOMMU_IOAS_MAP) \
	S(iommu_ioas_copy) F(iommu_ioas_copy, size) F(iommu_ioas_copy, flags) \
	F(iommu_ioas_copy, dst_ioas_id) F(iommu_ioas_copy, src_ioas_id) \
	F(iommu_ioas_copy, length) F(iommu_ioas_copy, dst_iova) \
	F(iommu_ioas_copy, src_iova) C(IOMMU_IOAS_COPY) \
	S(iommu_ioas_unmap) F(iommu_ioas_unmap, size) \
	F(iommu_ioas_unmap, ioas_id) F(iommu_ioas_unmap, iova) \
	F(iommu_ioas_unmap, length) C(IOMMU_IOAS_UNMAP) \
	C(IOMMU_OPTION_RLIMIT_MODE) C(IOMMU_OPTION_HUGE_PAGES) \
	C(IOMMU_OPTION_OP_SET) C(IOMMU_OPTION_OP_GET) \
	S(iommu_option) F(iommu_option, size) F(iommu_option, option_id) \
	F(iommu_option, op) F(iommu_option, __reserved) \
	F(iommu_option, object_id) F(iommu_option, val64) C(IOMMU_OPTION) \
	C(IOMMU_VFIO_IOAS_GET) C(IOMMU_VFIO_IOAS_SET) \
	C(IOMMU_VFIO_IOAS_CLEAR) \
	S(iommu_vfio_ioas) F(iommu_vfio_ioas, size) \
	F(iommu_vfio_ioas, ioas_id) F(iommu_vfio_ioas, op) \
	F(iommu_vfio_ioas, __reserved) C(IOMMU_VFIO_IOAS)

/* A set of tables built from one set of headers (ours or a reference). */
struct uapi_tables {
	const char *headers;	/* which headers the tables come from */
	const struct uapi_item *vfio;
	size_t nb_vfio;		/* 0: the headers lack this list */
	const struct uapi_item *vfio_cdev;
	size_t nb_vfio_cdev;
	const struct uapi_item *iommufd;
	size_t nb_iommufd;
	const struct uapi_item *linux73;
	size_t nb_linux73;
};

/* from test_uapi_ours.c: our kernel/linux/uapi headers */
extern const struct uapi_tables uapi_ours;
/* from test_uapi_ref.c: the reference headers it was compiled against */
extern const struct uapi_tables uapi_ref;

#endif /* _TEST_UAPI_ITEMS_H_ */
