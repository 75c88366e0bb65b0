/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fsl-mc bus: its operations for the EAL, the object drivers
 * registered by type, and probe/remove of objects.
 */

#include <errno.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_vfio.h>

#include "fslmc_private.h"

RTE_LOG_REGISTER(fslmc_logtype, "bus.fslmc", NOTICE);

/* ---- drivers ---- */

void
rte_fslmc_driver_register(struct rte_dpaa2_driver *driver)
{
	if (driver == NULL || driver->driver.name == NULL ||
			driver->probe == NULL ||
			rte_fslmc_obj_type_name(driver->obj_type) == NULL) {
		FSLMC_LOG(ERR, "driver %s lacks a name, a probe or an object type; not registered",
			driver != NULL && driver->driver.name != NULL ?
				driver->driver.name : "(null)");
		return;
	}
	TAILQ_INSERT_TAIL(&fslmc_bus.drivers, driver, next);
	FSLMC_LOG(DEBUG, "driver %s registered for %s objects",
		driver->driver.name, rte_fslmc_obj_type_name(driver->obj_type));
}

void
rte_fslmc_driver_unregister(struct rte_dpaa2_driver *driver)
{
	if (driver != NULL)
		TAILQ_REMOVE(&fslmc_bus.drivers, driver, next);
}

/* ---- probe and remove of one object ---- */

static int
driver_fits(const struct rte_dpaa2_driver *drv,
		const struct rte_dpaa2_device *dev)
{
	if (drv->obj_type != dev->obj_type)
		return 0;
	if (rte_eal_iova_mode() == RTE_IOVA_VA &&
			(drv->drv_flags & RTE_DPAA2_DRV_IOVA_AS_VA) == 0) {
		FSLMC_LOG(ERR, "%s: driver %s needs IOVA as PA but the EAL uses VA",
			dev->name, drv->driver.name);
		return 0;
	}
	return 1;
}

/* 0 when a driver took the object (or it was not to be offered), else 1. */
static int
device_probe(struct rte_dpaa2_device *dev)
{
	struct rte_dpaa2_driver *drv;
	int ret;

	if (dev->driver != NULL || dev->bus_owned || dev->vfio_fd < 0)
		return 0;
	if (!rte_devargs_device_allowed(&fslmc_bus.bus, dev->name)) {
		FSLMC_LOG(DEBUG, "%s: blocked by device arguments", dev->name);
		return 0;
	}
	TAILQ_FOREACH(drv, &fslmc_bus.drivers, next) {
		if (!driver_fits(drv, dev))
			continue;
		if (rte_devargs_check_keys(dev->device.devargs,
				drv->driver.name, drv->driver.devargs_keys) != 0)
			continue;
		ret = drv->probe(drv, dev);
		if (ret != 0) {
			FSLMC_LOG(ERR, "%s: probe by driver %s failed (%d)",
				dev->name, drv->driver.name, ret);
			continue;
		}
		dev->driver = drv;
		dev->device.driver = &drv->driver;
		FSLMC_LOG(INFO, "%s: probed by driver %s", dev->name,
			drv->driver.name);
		return 0;
	}
	return 1;
}

static int
device_remove(struct rte_dpaa2_device *dev)
{
	struct rte_dpaa2_driver *drv = dev->driver;

	if (drv == NULL) {
		rte_errno = ENOENT;
		return -1;
	}
	if (drv->remove != NULL && drv->remove(dev) != 0) {
		FSLMC_LOG(ERR, "%s: remove by driver %s failed", dev->name,
			drv->driver.name);
		rte_errno = EIO;
		return -1;
	}
	dev->driver = NULL;
	dev->device.driver = NULL;
	return 0;
}

/* ---- bus operations ---- */

static unsigned int
objects_count(void)
{
	struct rte_dpaa2_device *dev;
	unsigned int n = 0;

	TAILQ_FOREACH(dev, &fslmc_bus.devices, next)
		n++;
	return n - 1; /* the container itself */
}

static int
fslmc_scan(void)
{
	const char *dprc;

	if (!TAILQ_EMPTY(&fslmc_bus.devices))
		return 0;
	dprc = fslmc_dprc_from_env(0);
	if (dprc == NULL || fslmc_vfio_mode_check() != 0)
		return 0;
	if (fslmc_sysfs_base(fslmc_bus.sysfs_base,
			sizeof(fslmc_bus.sysfs_base)) != 0)
		return 0;
	if (fslmc_scan_container(&fslmc_bus, dprc) != 0)
		return -1;
	FSLMC_LOG(INFO, "%s: %u objects found", dprc, objects_count());
	return 0;
}

static int
fslmc_probe(void)
{
	struct rte_dpaa2_device *dev;

	if (TAILQ_EMPTY(&fslmc_bus.devices))
		return 0;
	if (!fslmc_bus.vfio_ready && fslmc_vfio_setup(&fslmc_bus) != 0)
		return -1;
	TAILQ_FOREACH(dev, &fslmc_bus.devices, next)
		if (device_probe(dev) != 0)
			FSLMC_LOG(DEBUG, "%s: no driver", dev->name);
	return 0;
}

static struct rte_device *
fslmc_find_device(const struct rte_device *start, rte_dev_cmp_t cmp,
		const void *data)
{
	struct rte_dpaa2_device *dev;

	if (start != NULL)
		dev = TAILQ_NEXT(RTE_DEV_TO_DPAA2_DEV(start), next);
	else
		dev = TAILQ_FIRST(&fslmc_bus.devices);
	for (; dev != NULL; dev = TAILQ_NEXT(dev, next))
		if (cmp(&dev->device, data) == 0)
			return &dev->device;
	return NULL;
}

static int
fslmc_plug(struct rte_device *device)
{
	struct rte_dpaa2_device *dev = RTE_DEV_TO_DPAA2_DEV(device);

	if (!fslmc_bus.vfio_ready || dev->vfio_fd < 0) {
		rte_errno = ENODEV;
		return -1;
	}
	if (device_probe(dev) != 0 || dev->driver == NULL) {
		rte_errno = ENOENT;
		return -1;
	}
	return 0;
}

static int
fslmc_unplug(struct rte_device *device)
{
	return device_remove(RTE_DEV_TO_DPAA2_DEV(device));
}

/* addr, when not NULL, receives the name (RTE_DPAA2_NAME_LEN bytes). */
static int
fslmc_parse(const char *name, void *addr)
{
	if (rte_fslmc_parse_name(name, NULL, NULL) != 0)
		return 1;
	if (addr != NULL)
		snprintf(addr, RTE_DPAA2_NAME_LEN, "%s", name);
	return 0;
}

/*
 * VA only when the IOMMU translates and every driver that matches an
 * object of the container can work with virtual addresses.
 */
static enum rte_iova_mode
fslmc_get_iommu_class(void)
{
	struct rte_dpaa2_device *dev;
	struct rte_dpaa2_driver *drv;

	if (TAILQ_EMPTY(&fslmc_bus.devices))
		return RTE_IOVA_DC;
	if (rte_vfio_get_iova_mode() != RTE_IOVA_VA)
		return RTE_IOVA_PA;
	TAILQ_FOREACH(dev, &fslmc_bus.devices, next) {
		TAILQ_FOREACH(drv, &fslmc_bus.drivers, next) {
			if (drv->obj_type != dev->obj_type ||
					(drv->drv_flags & RTE_DPAA2_DRV_IOVA_AS_VA) != 0)
				continue;
			FSLMC_LOG(DEBUG, "%s: driver %s needs IOVA as PA",
				dev->name, drv->driver.name);
			return RTE_IOVA_PA;
		}
	}
	return RTE_IOVA_VA;
}

static int
fslmc_cleanup(void)
{
	struct rte_dpaa2_device *dev;

	TAILQ_FOREACH(dev, &fslmc_bus.devices, next) {
		if (dev->driver == NULL || device_remove(dev) == 0)
			continue;
		/* the descriptors go anyway: the EAL is going away */
		dev->driver = NULL;
		dev->device.driver = NULL;
	}
	fslmc_vfio_release(&fslmc_bus);
	fslmc_devices_free(&fslmc_bus);
	fslmc_bus.container[0] = '\0';
	fslmc_bus.sysfs_base[0] = '\0';
	return 0;
}

/* DPRC objects are devices of the container's IOMMU group: with a
 * container present, only a mode with groups can open them
 */
static uint64_t
fslmc_vfio_required_caps(void)
{
	return fslmc_dprc_from_env(1) != NULL ? RTE_VFIO_CAP_GROUPS : 0;
}

struct fslmc_bus fslmc_bus = {
	.bus = {
		.scan = fslmc_scan,
		.probe = fslmc_probe,
		.find_device = fslmc_find_device,
		.plug = fslmc_plug,
		.unplug = fslmc_unplug,
		.parse = fslmc_parse,
		.get_iommu_class = fslmc_get_iommu_class,
		.cleanup = fslmc_cleanup,
		.vfio_required_caps = fslmc_vfio_required_caps,
	},
	.devices = TAILQ_HEAD_INITIALIZER(fslmc_bus.devices),
	.drivers = TAILQ_HEAD_INITIALIZER(fslmc_bus.drivers),
};

RTE_REGISTER_BUS(fslmc, fslmc_bus.bus);
