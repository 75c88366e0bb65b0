/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _VFIO_LANES_H_
#define _VFIO_LANES_H_

/*
 * The VFIO lanes, written once: the unit suites run a test in every lane
 * on the fake kernel (app/test/unit/test_vfio_env.h), dpdk-test checks that
 * the VM lane it runs in (DPDK_VM_MODE) gives what its row says, and the VM
 * suite (devtools/vm/meson.build) runs the rows that name VM kernels; the
 * unit test "vfio_lanes" fails when the VM suite's lane list differs from
 * this table. Adding a lane is adding a row.
 *
 * Tests ask the capability mask what the lane can do (translation, partial
 * unmap, groups); mode and interface are only compared by the tests of
 * rte_vfio_get_mode() and rte_vfio_get_interface() themselves.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_eal.h>
#include <rte_vfio.h>

/*
 * Fields of a row, for every consumer's struct: a consumer may add its
 * own fields after them (the unit suites add the fake kernel's state).
 */
#define VFIO_LANE_FIELDS \
	/** lane name: unit test suffix, VM test suffix, DPDK_VM_MODE */ \
	const char *name; \
	/** --vfio-mode value the lane runs with */ \
	const char *vfio_mode; \
	/** rte_vfio_get_mode() */ \
	enum rte_vfio_mode mode; \
	/** rte_vfio_get_iova_mode() */ \
	enum rte_iova_mode iova; \
	/** rte_vfio_get_interface() */ \
	enum rte_vfio_interface interface; \
	/** rte_vfio_get_caps(): RTE_VFIO_CAP_* */ \
	uint64_t caps; \
	/** guest kernels of the VM suite, space separated; NULL: unit only */ \
	const char *vm_kernels; \
	/** fake kernel: the container offers sPAPR TCE v2, not type1 */ \
	bool fake_spapr;

/** One lane. */
struct vfio_lane {
	VFIO_LANE_FIELDS
};

/*
 * VFIO_LANES(LANE, ctx) calls LANE(ctx, id, preset, designated
 * initialisers...) once per row, in this order:
 *   id      identifier of the row (VFIO_LANE_<id>, unit test suffix)
 *   preset  fake kernel preset (FAKE_MODE_<preset>) the unit suites boot
 *   ...     the row's fields, as designated initialisers
 * ctx is passed through untouched (what the consumer wants per row).
 */
#define VFIO_LANES(LANE, ctx) \
	LANE(ctx, group, GROUP, \
		.name = "group", \
		.vfio_mode = "group", \
		.mode = RTE_VFIO_MODE_GROUP, \
		.iova = RTE_IOVA_VA, \
		.interface = RTE_VFIO_INTERFACE_GROUP, \
		.caps = RTE_VFIO_CAP_IOMMU | RTE_VFIO_CAP_GROUPS, \
		.vm_kernels = "6.12 7.3") \
	LANE(ctx, noiommu, NOIOMMU, \
		.name = "noiommu", \
		.vfio_mode = "noiommu-group", \
		.mode = RTE_VFIO_MODE_NOIOMMU, \
		.iova = RTE_IOVA_PA, \
		.interface = RTE_VFIO_INTERFACE_GROUP, \
		.caps = RTE_VFIO_CAP_PARTIAL_UNMAP | RTE_VFIO_CAP_GROUPS, \
		.vm_kernels = "6.12 7.3") \
	LANE(ctx, cdev, CDEV, \
		.name = "cdev", \
		.vfio_mode = "cdev", \
		.mode = RTE_VFIO_MODE_CDEV, \
		.iova = RTE_IOVA_VA, \
		.interface = RTE_VFIO_INTERFACE_CDEV, \
		.caps = RTE_VFIO_CAP_IOMMU, \
		.vm_kernels = "6.12 7.3") \
	/* no-IOMMU cdev needs Linux 7.3 */ \
	LANE(ctx, noiommu_cdev, NOIOMMU_CDEV, \
		.name = "noiommu-cdev", \
		.vfio_mode = "noiommu-cdev", \
		.mode = RTE_VFIO_MODE_NOIOMMU, \
		.iova = RTE_IOVA_PA, \
		.interface = RTE_VFIO_INTERFACE_CDEV, \
		.caps = 0, \
		.vm_kernels = "7.3") \
	/* the VM is x86: sPAPR exists on the fake kernel only */ \
	LANE(ctx, spapr, GROUP, \
		.name = "spapr", \
		.vfio_mode = "group", \
		.mode = RTE_VFIO_MODE_GROUP, \
		.iova = RTE_IOVA_VA, \
		.interface = RTE_VFIO_INTERFACE_GROUP, \
		.caps = RTE_VFIO_CAP_IOMMU | RTE_VFIO_CAP_GROUPS, \
		.vm_kernels = NULL, \
		.fake_spapr = true)

#define VFIO_LANE_ID_(ctx, id, preset, ...) VFIO_LANE_ ## id,
/** Index of each row: VFIO_LANE_group ... */
enum vfio_lane_id {
	VFIO_LANES(VFIO_LANE_ID_, )
	VFIO_NB_LANES
};

#define VFIO_LANE_ROW_(ctx, id, preset, ...) [VFIO_LANE_ ## id] = { __VA_ARGS__ },
/** The rows as a struct vfio_lane array initialiser. */
#define VFIO_LANE_TABLE { VFIO_LANES(VFIO_LANE_ROW_, ) }

#endif /* _VFIO_LANES_H_ */
