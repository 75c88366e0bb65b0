/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fsl-mc bus inside a running EAL: it is registered, owns object
 * names, and without DPRC (every host but a DPAA2 board) it has no
 * devices and no portal. With DPRC set it must have scanned and probed
 * that container.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>

#include <bus_fslmc_driver.h>

#include "test.h"

static unsigned int
fslmc_devices(void)
{
	struct rte_dev_iterator it;
	struct rte_device *dev;
	unsigned int n = 0;

	RTE_DEV_FOREACH(dev, "bus=" RTE_FSLMC_BUS_NAME, &it)
		n++;
	return n;
}

static int
test_without_dprc(void)
{
	struct rte_fslmc_mc_portal portal;

	rte_errno = 0;
	TEST_ASSERT_NULL(rte_fslmc_container_name(), "container without DPRC");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(fslmc_devices(), 0U, "devices without DPRC");
	TEST_ASSERT_EQUAL(rte_fslmc_get_mc_portal(&portal), -1, "portal");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);
	return TEST_SUCCESS;
}

static int
test_with_dprc(const char *dprc)
{
	struct rte_fslmc_mc_portal portal;
	const char *name = rte_fslmc_container_name();

	TEST_ASSERT_NOT_NULL(name, "DPRC=%s but the bus is disabled", dprc);
	TEST_ASSERT_SUCCESS(strcmp(name, dprc), "container %s", name);
	TEST_ASSERT_EQUAL(rte_fslmc_object_count(RTE_DPAA2_OBJ_DPRC), 1U,
		"container not listed");
	TEST_ASSERT_SUCCESS(rte_fslmc_get_mc_portal(&portal), "no MC portal");
	TEST_ASSERT_NOT_NULL(portal.addr, "portal not mapped");
	return TEST_SUCCESS;
}

static int
test_fslmc(void)
{
	struct rte_bus *bus = rte_bus_find_by_name(RTE_FSLMC_BUS_NAME);
	const char *dprc = getenv(RTE_FSLMC_DPRC_ENV);

	TEST_ASSERT_NOT_NULL(bus, "fslmc bus not registered");
	TEST_ASSERT(rte_bus_find_by_device_name("dpni.1") == bus,
		"dpni.1 not an fslmc name");
	TEST_ASSERT(rte_bus_find_by_device_name("dpfoo.1") != bus,
		"dpfoo.1 taken as an fslmc name");
	if (dprc == NULL || dprc[0] == '\0')
		return test_without_dprc();
	return test_with_dprc(dprc);
}

REGISTER_TEST_COMMAND(fslmc_autotest, test_fslmc);
