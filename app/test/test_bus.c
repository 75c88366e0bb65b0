/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * A bus with three fixed devices, "testdev0".."testdev2", so that devargs
 * and bus tests have something to name without hardware.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "test_bus.h"

static struct rte_device test_devices[TEST_BUS_NB_DEVICES];
static char test_names[TEST_BUS_NB_DEVICES][16];
static struct rte_bus test_bus;

static int
test_bus_scan(void)
{
	size_t i;

	for (i = 0; i < RTE_DIM(test_devices); i++) {
		snprintf(test_names[i], sizeof(test_names[i]), "testdev%zu", i);
		test_devices[i].name = test_names[i];
		test_devices[i].bus = &test_bus;
		test_devices[i].numa_node = -1;
		test_devices[i].devargs = rte_devargs_find(&test_bus, test_names[i]);
	}
	return 0;
}

static int
test_bus_probe(void)
{
	return 0;
}

static struct rte_device *
test_bus_find_device(const struct rte_device *start, rte_dev_cmp_t cmp,
		const void *data)
{
	size_t i = 0;

	if (start != NULL)
		i = (size_t)(start - test_devices) + 1;
	for (; i < RTE_DIM(test_devices); i++)
		if (test_devices[i].name != NULL && cmp(&test_devices[i], data) == 0)
			return &test_devices[i];
	return NULL;
}

static int
test_bus_parse(const char *name, void *addr)
{
	unsigned int idx;
	char end;

	if (sscanf(name, "testdev%u%c", &idx, &end) != 1 ||
			idx >= TEST_BUS_NB_DEVICES)
		return 1;
	if (addr != NULL)
		*(unsigned int *)addr = idx;
	return 0;
}

/*
 * hotplug: a device named "testdev2" refuses to be plugged; "testdev0"
 * refuses in a secondary process only (the primary's rollback).
 */
static const struct rte_driver test_driver = { .name = "test_driver" };

static int
test_bus_plug(struct rte_device *dev)
{
	if (strcmp(dev->name, "testdev2") == 0) {
		rte_errno = EIO;
		return -1;
	}
	if (strcmp(dev->name, "testdev0") == 0 &&
			rte_eal_process_type() == RTE_PROC_SECONDARY) {
		rte_errno = EPERM;
		return -1;
	}
	dev->driver = &test_driver;
	return 0;
}

static int
test_bus_unplug(struct rte_device *dev)
{
	dev->driver = NULL;
	return 0;
}

static int
test_bus_cleanup(void)
{
	memset(test_devices, 0, sizeof(test_devices));
	return 0;
}

static struct rte_bus test_bus = {
	.scan = test_bus_scan,
	.probe = test_bus_probe,
	.find_device = test_bus_find_device,
	.plug = test_bus_plug,
	.unplug = test_bus_unplug,
	.parse = test_bus_parse,
	.cleanup = test_bus_cleanup,
};

RTE_REGISTER_BUS(test, test_bus);
