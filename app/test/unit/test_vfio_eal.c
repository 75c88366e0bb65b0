/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * VFIO inside rte_eal_init()/rte_eal_cleanup() on the fake kernel, in
 * every mode: the stages pick the mode and the IOVA mode, EAL memory is
 * mapped for DMA (no-IOMMU cdev: every page gets the physical address the
 * kernel reports), and cleanup leaves no descriptor behind.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_vfio.h>

#include "eal_private.h"
#include "test_vfio_env.h"

static int
eal_setup(void **state)
{
	env_machine(*state, ENV_NB_PCI);
	return 0;
}

static int
eal_teardown(void **state)
{
	return fake_teardown(state);
}

static int
eal_start(const struct vfio_mode_case *m)
{
	char mode_opt[64];
	char *argv[] = {
		(char *)(uintptr_t)"unit-vfio_eal",
		mode_opt,
		(char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"--in-memory",
		(char *)(uintptr_t)"-m",
		(char *)(uintptr_t)"16",
		NULL,
	};

	snprintf(mode_opt, sizeof(mode_opt), "--vfio-mode=%s", m->vfio_mode);
	return rte_eal_init(RTE_DIM(argv) - 1, argv);
}

static void
test_eal_init_and_cleanup(void **state)
{
	const struct vfio_mode_case *m = *state;
	int cfd, fd, pages;

	/* the fake kernel's pagemap reports frames, as it does to root */
	if (eal_start(m) < 0) {
		fail_msg("rte_eal_init in %s mode: %s", m->name,
			strerror(rte_errno));
	}
	assert_int_equal(rte_vfio_get_mode(), m->mode);
	assert_int_equal(rte_eal_iova_mode(), m->iova);
	cfd = rte_vfio_get_container_fd();
	assert_true(cfd >= 0);
	pages = env_kernel_maps(cfd, NULL, 0);
	if (env_groups(m)) {
		/* the IOMMU comes with the first group */
		assert_true(pages <= 0);
		assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd),
			0);
		pages = env_kernel_maps(cfd, NULL, 0);
	}
	/* EAL memory mapped page by page (no-IOMMU cdev: pinned) */
	if (env_user_maps_in_kernel(m))
		assert_true(pages > 0);
	if (env_groups(m))
		assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd),
			0);
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(fake_open_fds(), 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
}

static void
test_noiommu_cdev_pages_have_kernel_pa(void **state)
{
	const struct vfio_mode_case *m = *state;
	uintptr_t pg = (uintptr_t)env_pg(), va, page;
	char *p;

	assert_true(eal_start(m) >= 0);
	p = rte_malloc(NULL, 3 * pg, pg);
	assert_non_null(p);
	va = (uintptr_t)p + pg + 123;
	page = va & ~(pg - 1);
	assert_int_equal(rte_mem_virt2iova((void *)va),
		fake_noiommu_pa(page) + (va - page));
	rte_free(p);
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(fake_open_fds(), 0);
}

static void
test_forced_mode_unusable_fails_init(void **state)
{
	const struct vfio_mode_case *m = *state;

	fake_config()->container = false;
	fake_config()->iommufd = false;
	assert_int_equal(eal_start(m), -1);
	assert_int_equal(rte_errno, ENODEV);
	assert_int_equal(fake_open_fds(), 0);
	/* nothing half-initialised: init works once the kernel is right */
	fake_config()->container = true;
	fake_config()->iommufd = !env_groups(m); /* what the lane needs */
	if (eal_start(m) < 0)
		fail_msg("rte_eal_init: %s", strerror(rte_errno));
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(fake_open_fds(), 0);
}

#define EAL_ALL_MODES(fn) VFIO_ALL_MODES_WITH(fn, eal_setup, eal_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		EAL_ALL_MODES(test_eal_init_and_cleanup)
		VFIO_LANE_TEST_WITH(test_noiommu_cdev_pages_have_kernel_pa,
			noiommu_cdev, eal_setup, eal_teardown),
		EAL_ALL_MODES(test_forced_mode_unusable_fails_init)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
