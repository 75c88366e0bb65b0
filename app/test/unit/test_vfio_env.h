/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _TEST_VFIO_ENV_H_
#define _TEST_VFIO_ENV_H_

/*
 * The mode matrix of the VFIO unit tests: a test is written once and runs
 * for every row (fixture variant), on the fake kernel.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_vfio.h>

#include "eal_internal_cfg.h"
#include "fake_kernel.h"
#include "vfio_lanes.h"

/*
 * One lane (app/test/vfio_lanes.h) plus what the fake kernel needs to
 * boot it.
 */
struct vfio_mode_case {
	VFIO_LANE_FIELDS
	enum fake_mode fake;              /**< kernel preset */
};

extern struct vfio_mode_case vfio_mode_cases[VFIO_NB_LANES];

/** The lane can do cap (RTE_VFIO_CAP_*). */
static inline bool
env_has(const struct vfio_mode_case *m, uint64_t cap)
{
	return (m->caps & cap) != 0;
}

/** Devices come in IOMMU groups (group interface). */
static inline bool
env_groups(const struct vfio_mode_case *m)
{
	return env_has(m, RTE_VFIO_CAP_GROUPS);
}

/** An IOMMU translates: IOVAs are not physical addresses. */
static inline bool
env_iommu(const struct vfio_mode_case *m)
{
	return env_has(m, RTE_VFIO_CAP_IOMMU);
}

/**
 * User maps reach the kernel (type1, an IOAS). A part of such a map
 * cannot be unmapped: partial unmap is accepted exactly where the maps
 * are bookkeeping only (no-IOMMU groups have no IOMMU to program).
 */
static inline bool
env_user_maps_in_kernel(const struct vfio_mode_case *m)
{
	return !env_has(m, RTE_VFIO_CAP_PARTIAL_UNMAP);
}

/** The lane's --vfio-mode, parsed by the EAL option parser. */
enum eal_vfio_mode_request env_request(const struct vfio_mode_case *m);

/* helpers of the registration macros */
#define ENV_CALL_(f, ...) f(__VA_ARGS__)
#define ENV_UNPACK_(...) __VA_ARGS__
#define ENV_ONE_(fn, setup, teardown, id) \
	VFIO_LANE_TEST_WITH(fn, id, setup, teardown)
#define ENV_ROW_(ctx, id, preset, ...) \
	ENV_CALL_(ENV_ONE_, ENV_UNPACK_ ctx, id),

/** fn in lane id (VFIO_LANES) with its own fixture: name "<fn>/<id>". */
#define VFIO_LANE_TEST_WITH(fn, id, setup, teardown) { #fn "/" #id, fn, \
	setup, teardown, &vfio_mode_cases[VFIO_LANE_ ## id] }

/** fn in lane id only, for a test of what that lane alone has. */
#define VFIO_LANE_TEST(fn, id) \
	VFIO_LANE_TEST_WITH(fn, id, env_setup, env_teardown)

/*
 * fn in every lane: one entry per lane, each followed by its comma (put
 * none after the macro).
 */
#define VFIO_ALL_MODES_WITH(fn, setup, teardown) \
	VFIO_LANES(ENV_ROW_, (fn, setup, teardown))
#define VFIO_ALL_MODES(fn) VFIO_ALL_MODES_WITH(fn, env_setup, env_teardown)

/*
 * fn in the lanes with RTE_VFIO_CAP_IOMMU, for what only a translating
 * IOMMU does (the unit test vfio_lanes checks this list against the caps).
 */
#define VFIO_IOMMU_MODES_WITH(fn, setup, teardown) \
	VFIO_LANE_TEST_WITH(fn, group, setup, teardown), \
	VFIO_LANE_TEST_WITH(fn, cdev, setup, teardown), \
	VFIO_LANE_TEST_WITH(fn, spapr, setup, teardown),
#define VFIO_IOMMU_MODES(fn) VFIO_IOMMU_MODES_WITH(fn, env_setup, env_teardown)

#define ENV_NB_PCI 3
#define DEV0 "0000:00:01.0"
#define DEV1 "0000:00:02.0"
#define DEV2 "0000:00:03.0"
#define DEV0_GROUP 10

/** Machine for the mode (ENV_NB_PCI devices), then rte_vfio_enable(). */
int env_setup(void **state);

/** eal_vfio_cleanup(), then the fake kernel's leak check. */
int env_teardown(void **state);

/** Machine for the mode without enabling VFIO. */
void env_machine(const struct vfio_mode_case *m, unsigned int nb_pci);

/** rte_vfio_enable() with the mode's --vfio-mode. */
int env_enable(const struct vfio_mode_case *m);

/** "<fake sysfs>/sys/bus/pci/devices" */
const char *env_pci(void);

/**
 * Mappings the kernel holds for a container (group: the container;
 * cdev: its IOAS). -1 when the container has none to show.
 */
int env_kernel_maps(int container_fd, struct fake_dma *out, unsigned int max);

/** Page size. */
uint64_t env_pg(void);

/** Anonymous memory of n pages (freed by env_teardown). */
void *env_buf(size_t pages);

/** assert ret == -1 and rte_errno == err */
#define assert_rte_err(ret, err) do { \
	int _r = (ret); \
	int _e = rte_errno; \
	if (_r != -1 || _e != (err)) \
		fail_msg("%s: got %d rte_errno %d (%s), expected %d (%s)", \
			#ret, _r, _e, strerror(_e), (err), strerror(err)); \
} while (0)

#endif /* _TEST_VFIO_ENV_H_ */
