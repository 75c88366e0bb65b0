/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * hotplug_autotest: rte_eal_hotplug_add() and rte_eal_hotplug_remove() on
 * the test bus (test_bus.c): the device is probed with its arguments and
 * listed, removal unprobes and unlists it, and each refusal (unknown bus,
 * unknown device, already probed, not probed, a driver that fails) names
 * its errno and leaves no devargs entry behind.
 */

#include <errno.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_errno.h>

#include "test.h"

static int
cmp_name(const struct rte_device *dev, const void *name)
{
	return strcmp(dev->name, name) == 0 ? 0 : 1;
}

/*
 * drvargs longer than a multi-process message holds (127 bytes): refused
 * before anything is plugged when secondaries may exist (ENAMETOOLONG),
 * plugged and removed again with --in-memory, where none can.
 */
static int
test_long_args(struct rte_bus *bus)
{
	char args[200];
	struct rte_devargs *da;
	struct rte_device *dev;
	const char *v;

	snprintf(args, sizeof(args), "mode=");
	memset(args + 5, 'a', sizeof(args) - 6);
	args[sizeof(args) - 1] = '\0';
	dev = bus->find_device(NULL, cmp_name, "testdev1");
	TEST_ASSERT_NOT_NULL(dev, "testdev1 not on the bus");
	if (rte_eal_get_runtime_dir()[0] != '\0') {
		rte_errno = 0;
		TEST_ASSERT_EQUAL(rte_eal_hotplug_add("test", "testdev1", args),
			-1, "long drvargs accepted with a multi-process channel");
		TEST_ASSERT_EQUAL(rte_errno, ENAMETOOLONG, "long drvargs: %s",
			rte_strerror(rte_errno));
		TEST_ASSERT(!rte_dev_is_probed(dev), "probed after ENAMETOOLONG");
		TEST_ASSERT_NULL(rte_devargs_find(bus, "testdev1"),
			"listed after ENAMETOOLONG");
		return TEST_SUCCESS;
	}
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_add("test", "testdev1", args),
		"long drvargs with --in-memory: %s", rte_strerror(rte_errno));
	da = rte_devargs_find(bus, "testdev1");
	TEST_ASSERT_NOT_NULL(da, "long drvargs: no devargs entry");
	v = rte_devargs_get(da, "mode");
	TEST_ASSERT(v != NULL && strcmp(v, args + 5) == 0,
		"long drvargs: mode not kept");
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_remove("test", "testdev1"),
		"remove with long drvargs: %s", rte_strerror(rte_errno));
	TEST_ASSERT(!rte_dev_is_probed(dev), "still probed after remove");
	return TEST_SUCCESS;
}

static int
test_hotplug(void)
{
	struct rte_bus *bus = rte_bus_find_by_name("test");
	unsigned int listed = rte_devargs_type_count(RTE_DEV_ALLOWED);
	struct rte_device *dev;
	struct rte_devargs *da;
	const char *v;

	TEST_ASSERT_NOT_NULL(bus, "no test bus");
	if (rte_devargs_type_count(RTE_DEV_BLOCKED) != 0)
		TEST_SKIP("run without -b: hotplug adds allowed entries");

	TEST_ASSERT_SUCCESS(rte_eal_hotplug_add("test", "testdev1", "mode=fast"),
		"add: %s", rte_strerror(rte_errno));
	dev = bus->find_device(NULL, cmp_name, "testdev1");
	TEST_ASSERT_NOT_NULL(dev, "testdev1 not on the bus");
	TEST_ASSERT(rte_dev_is_probed(dev), "testdev1 not probed");
	da = rte_devargs_find(bus, "testdev1");
	TEST_ASSERT_NOT_NULL(da, "no devargs entry");
	TEST_ASSERT(dev->devargs == da, "the device does not have its arguments");
	v = rte_devargs_get(da, "mode");
	TEST_ASSERT(v != NULL && strcmp(v, "fast") == 0, "mode is '%s'",
		v != NULL ? v : "(none)");

	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_add("test", "testdev1", NULL), -1,
		"added twice");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "twice: errno %d", rte_errno);
	TEST_ASSERT(rte_dev_is_probed(dev), "a refused add unprobed the device");

	TEST_ASSERT_SUCCESS(rte_eal_hotplug_remove("test", "testdev1"),
		"remove: %s", rte_strerror(rte_errno));
	TEST_ASSERT(!rte_dev_is_probed(dev), "still probed after remove");
	TEST_ASSERT_NULL(rte_devargs_find(bus, "testdev1"), "entry left listed");
	TEST_ASSERT_NULL(dev->devargs, "the device keeps freed arguments");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_remove("test", "testdev1"), -1,
		"removed twice");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "remove twice: errno %d", rte_errno);

	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_add("nobus", "testdev1", NULL), -1,
		"unknown bus accepted");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "unknown bus: errno %d", rte_errno);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_add("test", "nodev", NULL), -1,
		"unknown device accepted");
	TEST_ASSERT(rte_errno == ENODEV || rte_errno == EINVAL,
		"unknown device: errno %d", rte_errno);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_add("test", "testdev2", NULL), -1,
		"failing driver accepted");
	TEST_ASSERT_EQUAL(rte_errno, EIO, "failing driver: errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_devargs_find(bus, "testdev2"),
		"a failed add left its entry");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_add(NULL, "testdev1", NULL), -1,
		"NULL bus accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "NULL bus: errno %d", rte_errno);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_remove("test", "testdev0"), -1,
		"unprobed device removed");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "unprobed: errno %d", rte_errno);
	if (test_long_args(bus) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), listed,
		"devargs entries left behind");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(hotplug_autotest, test_hotplug);
