/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The PCI bus: registry of drivers, id matching, allow/block policy,
 * probe/remove, hotplug, the IOVA-mode vote. OS specifics (sysfs scan,
 * VFIO mapping) live in linux/.
 */

#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_vfio.h>

#include "private.h"

RTE_LOG_REGISTER(pci_logtype, "bus.pci", NOTICE);

void
rte_pci_register(struct rte_pci_driver *driver)
{
	TAILQ_INSERT_TAIL(&pci_bus.drivers, driver, next);
}

void
rte_pci_unregister(struct rte_pci_driver *driver)
{
	TAILQ_REMOVE(&pci_bus.drivers, driver, next);
}

static int
id_field_match(uint16_t want, uint16_t have)
{
	return want == RTE_PCI_ANY_ID || want == have;
}

static int
pci_id_match(const struct rte_pci_id *id, const struct rte_pci_device *dev)
{
	for (; id->vendor_id != 0; id++) {
		if (id_field_match(id->vendor_id, dev->id.vendor_id) &&
				id_field_match(id->device_id, dev->id.device_id) &&
				id_field_match(id->subsystem_vendor_id,
					dev->id.subsystem_vendor_id) &&
				id_field_match(id->subsystem_device_id,
					dev->id.subsystem_device_id) &&
				(id->class_id == RTE_CLASS_ANY_ID ||
					id->class_id == dev->id.class_id))
			return 1;
	}
	return 0;
}

/* The devargs entry naming this address, in either address form. */
static struct rte_devargs *
pci_devargs_lookup(const struct rte_pci_addr *addr)
{
	struct rte_devargs *da = NULL;
	struct rte_pci_addr a;

	while ((da = rte_devargs_next(pci_bus.bus.name, da)) != NULL)
		if (rte_pci_addr_parse(da->name, &a) == 0 &&
				rte_pci_addr_cmp(&a, addr) == 0)
			return da;
	return NULL;
}

static int
pci_device_allowed(const struct rte_pci_device *dev)
{
	const struct rte_devargs *da = dev->device.devargs;

	if (da != NULL)
		return da->policy == RTE_DEV_ALLOWED;
	return rte_devargs_device_allowed(&pci_bus.bus, dev->name);
}

void
pci_device_free(struct rte_pci_device *dev)
{
	free(dev);
}

void
pci_device_insert(struct rte_pci_device *dev)
{
	struct rte_pci_device *cur;
	int cmp;

	dev->device.bus = &pci_bus.bus;
	dev->device.name = dev->name;
	dev->device.devargs = pci_devargs_lookup(&dev->addr);
	TAILQ_FOREACH(cur, &pci_bus.devices, next) {
		cmp = rte_pci_addr_cmp(&dev->addr, &cur->addr);
		if (cmp > 0)
			continue;
		if (cmp < 0) {
			TAILQ_INSERT_BEFORE(cur, dev, next);
			return;
		}
		/* rescan: refresh what sysfs says about an idle device */
		if (cur->driver == NULL && cur->vfio == NULL) {
			cur->id = dev->id;
			cur->kdrv = dev->kdrv;
			memcpy(cur->kdrv_name, dev->kdrv_name, sizeof(cur->kdrv_name));
			memcpy(cur->mem_resource, dev->mem_resource,
				sizeof(cur->mem_resource));
			cur->max_vfs = dev->max_vfs;
			cur->device.numa_node = dev->device.numa_node;
			cur->device.devargs = dev->device.devargs;
		}
		pci_device_free(dev);
		return;
	}
	TAILQ_INSERT_TAIL(&pci_bus.devices, dev, next);
}

/*
 * Probe dev with drv. 1: not for this driver (no match, or not bound to
 * vfio-pci); 0: probed; -1: the driver or the mapping failed.
 */
static int
pci_probe_one_driver(struct rte_pci_driver *drv, struct rte_pci_device *dev)
{
	int need_map = (drv->drv_flags & RTE_PCI_DRV_NEED_MAPPING) != 0;

	if (!pci_id_match(drv->id_table, dev))
		return 1;
	if (need_map && dev->kdrv != RTE_PCI_KDRV_VFIO) {
		PCI_LOG(DEBUG, "%s: matches driver %s but is bound to %s, not vfio-pci: skipped",
			dev->name, drv->driver.name,
			dev->kdrv_name[0] != '\0' ? dev->kdrv_name : "no driver");
		return 1;
	}
	PCI_LOG(DEBUG, "%s: probing with driver %s", dev->name, drv->driver.name);
	if (rte_devargs_check_keys(dev->device.devargs, drv->driver.name,
			drv->driver.devargs_keys) != 0)
		return -1;
	if (need_map && rte_pci_map_device(dev) != 0)
		return -1;
	dev->driver = drv;
	dev->device.driver = &drv->driver;
	if (drv->probe(drv, dev) != 0) {
		PCI_LOG(ERR, "%s: probe by driver %s failed", dev->name,
			drv->driver.name);
		dev->driver = NULL;
		dev->device.driver = NULL;
		if (need_map)
			rte_pci_unmap_device(dev);
		if (rte_errno == 0)
			rte_errno = EIO;
		return -1;
	}
	PCI_LOG(INFO, "%s: probed by driver %s", dev->name, drv->driver.name);
	return 0;
}

/* 1: no driver wants it or not allowed; 0: probed; -1: failed. */
static int
pci_probe_device(struct rte_pci_device *dev)
{
	struct rte_pci_driver *drv;
	int ret;

	if (dev->driver != NULL) {
		rte_errno = EEXIST;
		return -1;
	}
	if (!pci_device_allowed(dev)) {
		PCI_LOG(DEBUG, "%s: blocked by the device arguments", dev->name);
		return 1;
	}
	TAILQ_FOREACH(drv, &pci_bus.drivers, next) {
		ret = pci_probe_one_driver(drv, dev);
		if (ret <= 0)
			return ret;
	}
	return 1;
}

/* A driver of the bus takes this device (whatever it is bound to). */
static const struct rte_pci_driver *
pci_driver_for(const struct rte_pci_device *dev)
{
	const struct rte_pci_driver *drv;

	TAILQ_FOREACH(drv, &pci_bus.drivers, next)
		if (pci_id_match(drv->id_table, dev))
			return drv;
	return NULL;
}

/*
 * Every device the user asked for with -a that did not end up probed gets
 * one line saying why (absent, bound to another driver, no driver).
 * Failed probes have said why already. Bus lock held.
 */
static void
pci_allowed_report(void)
{
	const struct rte_devargs *da = NULL;
	const struct rte_pci_device *dev;
	struct rte_pci_addr a;

	if (!rte_eal_has_pci())
		return;
	while ((da = rte_devargs_next(pci_bus.bus.name, da)) != NULL) {
		if (da->policy != RTE_DEV_ALLOWED ||
				rte_pci_addr_parse(da->name, &a) != 0)
			continue;
		TAILQ_FOREACH(dev, &pci_bus.devices, next)
			if (rte_pci_addr_cmp(&dev->addr, &a) == 0)
				break;
		if (dev == NULL) {
			PCI_LOG(ERR, "-a %s: no such PCI device in %s (see lspci -D)",
				da->name, pci_sysfs_devices());
			continue;
		}
		if (dev->driver != NULL || dev->vfio != NULL)
			continue;
		if (pci_driver_for(dev) == NULL)
			PCI_LOG(WARNING, "-a %s: no driver of this program handles %04x:%04x",
				dev->name, dev->id.vendor_id, dev->id.device_id);
		else if (dev->kdrv != RTE_PCI_KDRV_VFIO)
			PCI_LOG(WARNING, "-a %s: bound to %s, not vfio-pci: not probed; bind it with 'echo vfio-pci > %s/%s/driver_override' and 'echo %s > /sys/bus/pci/drivers_probe' (after unbinding it from its driver)",
				dev->name, dev->kdrv_name[0] != '\0' ?
					dev->kdrv_name : "no driver",
				pci_sysfs_devices(), dev->name, dev->name);
	}
}

static int
pci_probe(void)
{
	struct rte_pci_device *dev;
	unsigned int tried = 0, failed = 0;
	int err = 0;

	pthread_mutex_lock(&pci_bus.lock);
	TAILQ_FOREACH(dev, &pci_bus.devices, next) {
		int ret;

		if (dev->driver != NULL)
			continue;
		ret = pci_probe_device(dev);
		if (ret == 1)
			continue;
		tried++;
		if (ret < 0) {
			failed++;
			if (err == 0)
				err = rte_errno != 0 ? rte_errno : EIO;
		}
	}
	pci_allowed_report();
	pthread_mutex_unlock(&pci_bus.lock);
	/* like DPDK: one good device is enough for the bus to succeed */
	if (tried > 0 && tried == failed) {
		rte_errno = err;
		return -1;
	}
	return 0;
}

int
pci_device_detach(struct rte_pci_device *dev)
{
	struct rte_pci_driver *drv = dev->driver;

	if (drv == NULL) {
		rte_errno = ENOENT;
		return -1;
	}
	if (drv->remove(dev) != 0) {
		PCI_LOG(ERR, "%s: driver %s refused to remove it", dev->name,
			drv->driver.name);
		if (rte_errno == 0)
			rte_errno = EBUSY;
		return -1;
	}
	dev->driver = NULL;
	dev->device.driver = NULL;
	if ((drv->drv_flags & RTE_PCI_DRV_NEED_MAPPING) != 0)
		rte_pci_unmap_device(dev);
	PCI_LOG(INFO, "%s: removed from driver %s", dev->name, drv->driver.name);
	return 0;
}

static struct rte_device *
pci_find_device(const struct rte_device *start, rte_dev_cmp_t cmp,
		const void *data)
{
	struct rte_pci_device *dev;

	if (start != NULL)
		dev = TAILQ_NEXT(RTE_DEV_TO_PCI_CONST(start), next);
	else
		dev = TAILQ_FIRST(&pci_bus.devices);
	for (; dev != NULL; dev = TAILQ_NEXT(dev, next))
		if (cmp(&dev->device, data) == 0)
			return &dev->device;
	return NULL;
}

static int
pci_plug(struct rte_device *device)
{
	int ret;

	pthread_mutex_lock(&pci_bus.lock);
	ret = pci_probe_device(RTE_DEV_TO_PCI(device));
	pthread_mutex_unlock(&pci_bus.lock);
	if (ret == 1) {
		rte_errno = ENODEV;
		return -1;
	}
	return ret;
}

int
pci_device_listed(const struct rte_pci_device *dev)
{
	const struct rte_pci_device *cur;

	TAILQ_FOREACH(cur, &pci_bus.devices, next)
		if (cur == dev)
			return 1;
	return 0;
}

/* Hot-unplug: detach, then forget the device (it may be gone from sysfs). */
int
pci_device_unplug_locked(struct rte_pci_device *dev)
{
	if (pci_device_detach(dev) != 0)
		return -1;
	TAILQ_REMOVE(&pci_bus.devices, dev, next);
	pci_device_free(dev);
	return 0;
}

static int
pci_unplug(struct rte_device *device)
{
	int ret;

	pthread_mutex_lock(&pci_bus.lock);
	ret = pci_device_unplug_locked(RTE_DEV_TO_PCI(device));
	pthread_mutex_unlock(&pci_bus.lock);
	return ret;
}

static int
pci_parse(const char *name, void *addr)
{
	return rte_pci_addr_parse(name, addr) == 0 ? 0 : 1;
}

/*
 * A device bound to vfio-pci that an allowed driver would take makes the
 * bus need whatever VFIO needs: VA behind an IOMMU, PA without one.
 */
static enum rte_iova_mode
pci_get_iommu_class(void)
{
	const struct rte_pci_device *dev;
	const struct rte_pci_driver *drv;
	enum rte_iova_mode m;

	TAILQ_FOREACH(dev, &pci_bus.devices, next) {
		if (dev->kdrv != RTE_PCI_KDRV_VFIO || !pci_device_allowed(dev))
			continue;
		TAILQ_FOREACH(drv, &pci_bus.drivers, next) {
			if (!pci_id_match(drv->id_table, dev))
				continue;
			m = rte_vfio_get_iova_mode();
			if (m == RTE_IOVA_VA || m == RTE_IOVA_PA)
				return m;
			return RTE_IOVA_DC;
		}
	}
	return RTE_IOVA_DC;
}

static int
pci_cleanup(void)
{
	struct rte_pci_device *dev;
	int ret = 0;

	/* a removal the kernel requested may be running: let it end first */
	pci_vfio_req_quiesce();
	pthread_mutex_lock(&pci_bus.lock);
	while ((dev = TAILQ_FIRST(&pci_bus.devices)) != NULL) {
		if (dev->driver != NULL && pci_device_detach(dev) != 0)
			ret = -1;
		else if (dev->vfio != NULL)
			rte_pci_unmap_device(dev);
		TAILQ_REMOVE(&pci_bus.devices, dev, next);
		pci_device_free(dev);
	}
	pthread_mutex_unlock(&pci_bus.lock);
	return ret;
}

static int
pci_bus_scan(void)
{
	if (!rte_eal_has_pci()) {
		PCI_LOG(DEBUG, "PCI disabled by --no-pci");
		return 0;
	}
	if (pci_vfio_intr_ops_register() != 0)
		return -1;
	pthread_mutex_lock(&pci_bus.lock);
	pci_bus.closing = 0;
	pthread_mutex_unlock(&pci_bus.lock);
	return pci_scan();
}

int
rte_pci_read_config(const struct rte_pci_device *dev, void *buf, size_t len,
		off_t offset)
{
	if (dev == NULL || buf == NULL || offset < 0) {
		rte_errno = EINVAL;
		return -1;
	}
	return pci_read_config(dev, buf, len, offset);
}

int
rte_pci_write_config(const struct rte_pci_device *dev, const void *buf,
		size_t len, off_t offset)
{
	if (dev == NULL || buf == NULL || offset < 0) {
		rte_errno = EINVAL;
		return -1;
	}
	return pci_write_config(dev, buf, len, offset);
}

/* Command register and its bus master bit (PCI local bus spec). */
#define PCI_COMMAND_OFFSET 0x04
#define PCI_COMMAND_BUS_MASTER 0x0004

int
rte_pci_set_bus_master(const struct rte_pci_device *dev, bool enable)
{
	uint16_t cmd, want;

	if (rte_pci_read_config(dev, &cmd, sizeof(cmd), PCI_COMMAND_OFFSET) < 0)
		return -1;
	want = enable ? (cmd | PCI_COMMAND_BUS_MASTER) :
		(cmd & ~PCI_COMMAND_BUS_MASTER);
	if (want == cmd)
		return 0;
	if (rte_pci_write_config(dev, &want, sizeof(want), PCI_COMMAND_OFFSET) < 0)
		return -1;
	return 0;
}

int
rte_pci_map_device(struct rte_pci_device *dev)
{
	if (dev == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	if (dev->vfio != NULL) {
		PCI_LOG(ERR, "%s: already mapped", dev->name);
		rte_errno = EEXIST;
		return -1;
	}
	if (dev->kdrv != RTE_PCI_KDRV_VFIO) {
		PCI_LOG(ERR, "%s: cannot map: bound to %s, not vfio-pci", dev->name,
			dev->kdrv_name[0] != '\0' ? dev->kdrv_name : "no driver");
		rte_errno = ENODEV;
		return -1;
	}
	return pci_vfio_map_resource(dev);
}

void
rte_pci_unmap_device(struct rte_pci_device *dev)
{
	if (dev == NULL || dev->vfio == NULL)
		return;
	pci_vfio_unmap_resource(dev);
}

static const char *
kdrv_str(const struct rte_pci_device *dev)
{
	return dev->kdrv_name[0] != '\0' ? dev->kdrv_name : "none";
}

void
rte_pci_dump(FILE *f)
{
	const struct rte_pci_device *dev;
	unsigned int i;

	TAILQ_FOREACH(dev, &pci_bus.devices, next) {
		fprintf(f, "%s %04x:%04x (%04x:%04x) class %06x numa %d driver %s%s%s\n",
			dev->name, dev->id.vendor_id, dev->id.device_id,
			dev->id.subsystem_vendor_id, dev->id.subsystem_device_id,
			dev->id.class_id, dev->device.numa_node, kdrv_str(dev),
			dev->driver != NULL ? " probed by " : "",
			dev->driver != NULL ? dev->driver->driver.name : "");
		for (i = 0; i < PCI_MAX_RESOURCE; i++)
			if (dev->mem_resource[i].len != 0)
				fprintf(f, "   BAR%u 0x%" PRIx64 " len 0x%" PRIx64 " mapped at %p\n",
					i, dev->mem_resource[i].phys_addr,
					dev->mem_resource[i].len,
					dev->mem_resource[i].addr);
	}
}

struct pci_bus pci_bus = {
	.bus = {
		.scan = pci_bus_scan,
		.probe = pci_probe,
		.find_device = pci_find_device,
		.plug = pci_plug,
		.unplug = pci_unplug,
		.parse = pci_parse,
		.get_iommu_class = pci_get_iommu_class,
		.cleanup = pci_cleanup,
	},
	.devices = TAILQ_HEAD_INITIALIZER(pci_bus.devices),
	.drivers = TAILQ_HEAD_INITIALIZER(pci_bus.drivers),
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

RTE_REGISTER_BUS(pci, pci_bus.bus);
