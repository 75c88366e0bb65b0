/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * rte_eal_hotplug_add() and rte_eal_hotplug_remove() (DPDK's): in one
 * process, the device's arguments go to the devargs list, the bus rescans
 * and plugs the device; removal unplugs it and drops its entry. Which
 * processes do it, and in which order, is eal_common_hotplug_mp.c's.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_hotplug.h"
#include "eal_log.h"

/* rte_dev_cmp_t: 0 when dev is the device named by data on its bus */
static int
cmp_dev_name(const struct rte_device *dev, const void *data)
{
	const struct rte_devargs *da = data;

	return rte_devargs_find(da->bus, dev->name) == da ? 0 : 1;
}

/* unlist da, which the bus may have given to its device */
static void
devargs_drop(struct rte_bus *bus, struct rte_devargs *da)
{
	struct rte_device *dev = bus->find_device(NULL, cmp_dev_name, da);

	if (dev != NULL && dev->devargs == da)
		dev->devargs = NULL;
	rte_devargs_remove(da);
}

/* rte_dev_cmp_t for a device that has no devargs entry */
static int
cmp_dev_str(const struct rte_device *dev, const void *data)
{
	return strcmp(dev->name, data) == 0 ? 0 : 1;
}

static struct rte_bus *
hotplug_bus(const char *op, const char *busname, const char *devname)
{
	struct rte_bus *bus;

	if (busname == NULL || devname == NULL) {
		EAL_LOG(ERR, "hotplug %s: bus and device names are needed", op);
		rte_errno = EINVAL;
		return NULL;
	}
	bus = rte_bus_find_by_name(busname);
	if (bus == NULL) {
		EAL_LOG(ERR, "hotplug %s %s:%s: no bus named %s", op, busname,
			devname, busname);
		rte_errno = ENOENT;
		return NULL;
	}
	if (bus->plug == NULL || bus->unplug == NULL) {
		EAL_LOG(ERR, "hotplug %s %s:%s: bus %s cannot plug devices", op,
			busname, devname, busname);
		rte_errno = ENOTSUP;
		return NULL;
	}
	return bus;
}

int
eal_hotplug_local_add(const char *busname, const char *devname,
		const char *drvargs)
{
	struct rte_bus *bus = hotplug_bus("add", busname, devname);
	struct rte_devargs *da, *mine;
	struct rte_device *dev;
	char str[RTE_DEV_NAME_MAX_LEN * 4];
	int n;

	if (bus == NULL)
		return -1;
	n = snprintf(str, sizeof(str), "%s:%s%s%s", busname, devname,
		drvargs != NULL && drvargs[0] != '\0' ? "," : "",
		drvargs != NULL ? drvargs : "");
	if (n < 0 || (size_t)n >= sizeof(str)) {
		EAL_LOG(ERR, "hotplug add %s:%s: arguments too long", busname, devname);
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	da = calloc(1, sizeof(*da));
	if (da == NULL) {
		rte_errno = ENOMEM;
		return -1;
	}
	if (rte_devargs_parse(da, str) != 0) {
		free(da);
		return -1;
	}
	da->policy = RTE_DEV_ALLOWED;
	mine = da;
	if (rte_devargs_insert(&da) != 0) {
		rte_devargs_reset(mine);
		free(mine);
		return -1;
	}
	if (bus->scan() != 0) {
		EAL_LOG(ERR, "hotplug add %s:%s: bus scan failed: %s", busname,
			devname, rte_strerror(rte_errno));
		goto fail;
	}
	dev = bus->find_device(NULL, cmp_dev_name, da);
	if (dev == NULL) {
		EAL_LOG(ERR, "hotplug add %s:%s: no such device on the bus", busname,
			devname);
		rte_errno = ENODEV;
		goto fail;
	}
	if (rte_dev_is_probed(dev)) {
		EAL_LOG(ERR, "hotplug add %s:%s: already probed", busname, devname);
		rte_errno = EEXIST;
		goto fail;
	}
	if (bus->plug(dev) != 0 || !rte_dev_is_probed(dev)) {
		EAL_LOG(ERR, "hotplug add %s:%s: no driver took the device: %s",
			busname, devname, rte_strerror(rte_errno));
		if (rte_errno == 0)
			rte_errno = EIO;
		goto fail;
	}
	return 0;
fail:
	/* an entry this call created goes; an updated one stays updated */
	if (da == mine) {
		int err = rte_errno;

		devargs_drop(bus, da);
		rte_errno = err;
	}
	return -1;
}

/* the device named devname on bus, and its devargs entry (or NULL) */
static struct rte_device *
hotplug_dev(struct rte_bus *bus, const char *busname, const char *devname,
		struct rte_devargs **da)
{
	struct rte_device *dev;

	*da = rte_devargs_find(bus, devname);
	if (*da != NULL)
		dev = bus->find_device(NULL, cmp_dev_name, *da);
	else
		dev = bus->find_device(NULL, cmp_dev_str, devname);
	if (dev == NULL) {
		EAL_LOG(ERR, "hotplug remove %s:%s: no such device on the bus",
			busname, devname);
		rte_errno = ENODEV;
	}
	return dev;
}

int
eal_hotplug_local_remove(const char *busname, const char *devname)
{
	struct rte_bus *bus = hotplug_bus("remove", busname, devname);
	struct rte_devargs *da;
	struct rte_device *dev;

	if (bus == NULL)
		return -1;
	dev = hotplug_dev(bus, busname, devname, &da);
	if (dev == NULL)
		return -1;
	if (rte_dev_remove(dev) != 0)
		return -1;
	if (da != NULL)
		devargs_drop(bus, da);
	return 0;
}

int
eal_hotplug_local_find(const char *busname, const char *devname,
		char **drvargs)
{
	struct rte_bus *bus = hotplug_bus("remove", busname, devname);
	struct rte_devargs *da;
	struct rte_device *dev;

	if (bus == NULL)
		return -1;
	dev = hotplug_dev(bus, busname, devname, &da);
	if (dev == NULL)
		return -1;
	if (!rte_dev_is_probed(dev)) {
		EAL_LOG(ERR, "hotplug remove %s:%s: device is not probed",
			busname, devname);
		rte_errno = ENOENT;
		return -1;
	}
	*drvargs = strdup(da != NULL && da->args != NULL ? da->args : "");
	if (*drvargs == NULL) {
		EAL_LOG(ERR, "hotplug remove %s:%s: copying its arguments: out of memory",
			busname, devname);
		rte_errno = ENOMEM;
		return -1;
	}
	return 0;
}

int
rte_eal_hotplug_add(const char *busname, const char *devname,
		const char *drvargs)
{
	if (hotplug_bus("add", busname, devname) == NULL)
		return -1;
	return eal_hotplug_mp_add(busname, devname, drvargs);
}

int
rte_eal_hotplug_remove(const char *busname, const char *devname)
{
	if (hotplug_bus("remove", busname, devname) == NULL)
		return -1;
	return eal_hotplug_mp_remove(busname, devname);
}
