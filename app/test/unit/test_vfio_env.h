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

/** One row of the mode matrix. */
struct vfio_mode_case {
	const char *name;
	enum fake_mode fake;              /**< kernel preset */
	enum eal_vfio_mode_request req;   /**< --vfio-mode */
	enum rte_vfio_mode mode;          /**< expected mode */
	enum rte_iova_mode iova;          /**< expected IOVA mode */
	bool group;                       /**< group backend */
	bool noiommu;
	bool partial;                     /**< partial unmap accepted */
	bool kernel_maps;                 /**< user maps reach the kernel */
	bool spapr;                       /**< the container offers sPAPR TCE */
};

#define VFIO_NB_MODES 5
extern struct vfio_mode_case vfio_mode_cases[VFIO_NB_MODES];

/** A test run for every mode: name "<fn>/<mode>". */
#define VFIO_MODE_TEST(fn, i, mode) { #fn "/" mode, fn, env_setup, \
	env_teardown, &vfio_mode_cases[i] }
#define VFIO_ALL_MODES(fn) VFIO_MODE_TEST(fn, 0, "group"), \
	VFIO_MODE_TEST(fn, 1, "noiommu"), VFIO_MODE_TEST(fn, 2, "cdev"), \
	VFIO_MODE_TEST(fn, 3, "noiommu-cdev"), VFIO_MODE_TEST(fn, 4, "spapr")

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
