/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>

#include "eal_log.h"

const char *
rte_dev_name(const struct rte_device *dev)
{
	return dev->name;
}

bool
rte_dev_is_probed(const struct rte_device *dev)
{
	return dev->driver != NULL;
}

int
rte_dev_remove(struct rte_device *dev)
{
	struct rte_bus *bus;

	if (dev == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	bus = rte_bus_find_by_device(dev);
	if (bus == NULL || bus->unplug == NULL) {
		EAL_LOG(ERR, "device %s: its bus cannot remove devices", dev->name);
		rte_errno = ENOTSUP;
		return -1;
	}
	if (!rte_dev_is_probed(dev)) {
		EAL_LOG(ERR, "device %s: not probed, nothing to remove", dev->name);
		rte_errno = ENOENT;
		return -1;
	}
	if (bus->unplug(dev) != 0) {
		EAL_LOG(ERR, "device %s: removal by bus %s failed", dev->name,
			bus->name);
		if (rte_errno == 0)
			rte_errno = EIO;
		return -1;
	}
	return 0;
}

int
rte_dev_iterator_init(struct rte_dev_iterator *it, const char *str)
{
	static const char key[] = "bus=";

	memset(it, 0, sizeof(*it));
	if (str == NULL || str[0] == '\0')
		return 0;
	it->restricted = true;
	if (strncmp(str, key, sizeof(key) - 1) != 0 ||
			strchr(str, ',') != NULL) {
		EAL_LOG(ERR, "device filter '%s': expected 'bus=<name>'", str);
		it->done = true;
		rte_errno = EINVAL;
		return -1;
	}
	it->bus = rte_bus_find_by_name(str + sizeof(key) - 1);
	if (it->bus == NULL) {
		EAL_LOG(ERR, "device filter '%s': no such bus", str);
		it->done = true;
		rte_errno = ENODEV;
		return -1;
	}
	return 0;
}

static int
cmp_any_dev(const struct rte_device *dev, const void *data)
{
	return 0;
}

static int
cmp_any_bus(const struct rte_bus *bus, const void *data)
{
	return 0;
}

struct rte_device *
rte_dev_iterator_next(struct rte_dev_iterator *it)
{
	const struct rte_bus *bus;

	if (it->done)
		return NULL;
	if (it->cur == NULL) {
		it->cur = it->restricted ? it->bus :
			rte_bus_find(NULL, cmp_any_bus, NULL);
		it->device = NULL;
	}
	while ((bus = it->cur) != NULL) {
		it->device = bus->find_device(it->device, cmp_any_dev, NULL);
		if (it->device != NULL)
			return it->device;
		it->cur = it->restricted ? NULL :
			rte_bus_find(bus, cmp_any_bus, NULL);
	}
	it->done = true;
	return NULL;
}
