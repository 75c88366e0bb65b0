/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <string.h>
#include <sys/queue.h>

#include <rte_bus.h>
#include <rte_debug.h>
#include <rte_errno.h>

#include "eal_log.h"

static TAILQ_HEAD(rte_bus_list_head, rte_bus) bus_list = TAILQ_HEAD_INITIALIZER(bus_list);

void
rte_bus_register(struct rte_bus *bus)
{
	if (bus == NULL || bus->name == NULL || bus->scan == NULL ||
			bus->probe == NULL || bus->find_device == NULL ||
			bus->parse == NULL)
		rte_panic("bus %s lacks a mandatory operation\n",
			bus != NULL && bus->name != NULL ? bus->name : "(null)");
	TAILQ_INSERT_TAIL(&bus_list, bus, next);
	EAL_LOG(DEBUG, "registered bus %s", bus->name);
}

void
rte_bus_unregister(struct rte_bus *bus)
{
	TAILQ_REMOVE(&bus_list, bus, next);
}

int
rte_bus_scan(void)
{
	struct rte_bus *bus;

	TAILQ_FOREACH(bus, &bus_list, next)
		if (bus->scan() != 0)
			EAL_LOG(ERR, "scan of bus %s failed; its devices are ignored",
				bus->name);
	return 0;
}

int
rte_bus_probe(void)
{
	struct rte_bus *bus;
	int ret = 0, err = 0;

	TAILQ_FOREACH(bus, &bus_list, next) {
		rte_errno = 0;
		if (bus->probe() != 0) {
			EAL_LOG(ERR, "probe of bus %s failed", bus->name);
			/* the first failure's reason (e.g. ENOMEM) is the answer */
			if (err == 0)
				err = rte_errno != 0 ? rte_errno : EIO;
			ret = -1;
		}
	}
	if (ret != 0)
		rte_errno = err;
	return ret;
}

struct rte_bus *
rte_bus_find(const struct rte_bus *start, rte_bus_cmp_t cmp, const void *data)
{
	struct rte_bus *bus;

	bus = start != NULL ? TAILQ_NEXT(start, next) : TAILQ_FIRST(&bus_list);
	for (; bus != NULL; bus = TAILQ_NEXT(bus, next))
		if (cmp(bus, data) == 0)
			return bus;
	return NULL;
}

static int
cmp_bus_name(const struct rte_bus *bus, const void *name)
{
	return strcmp(bus->name, name);
}

struct rte_bus *
rte_bus_find_by_name(const char *busname)
{
	if (busname == NULL)
		return NULL;
	return rte_bus_find(NULL, cmp_bus_name, busname);
}

static int
cmp_dev_ptr(const struct rte_device *dev, const void *target)
{
	return dev != target;
}

static int
cmp_bus_has_dev(const struct rte_bus *bus, const void *dev)
{
	return bus->find_device(NULL, cmp_dev_ptr, dev) == NULL;
}

struct rte_bus *
rte_bus_find_by_device(const struct rte_device *dev)
{
	if (dev == NULL)
		return NULL;
	return rte_bus_find(NULL, cmp_bus_has_dev, dev);
}

static int
cmp_bus_parses(const struct rte_bus *bus, const void *name)
{
	return bus->parse(name, NULL);
}

struct rte_bus *
rte_bus_find_by_device_name(const char *devname)
{
	if (devname == NULL)
		return NULL;
	return rte_bus_find(NULL, cmp_bus_parses, devname);
}

enum rte_iova_mode
rte_bus_get_iommu_class(void)
{
	unsigned int votes = 0;
	struct rte_bus *bus;

	TAILQ_FOREACH(bus, &bus_list, next) {
		enum rte_iova_mode m;

		if (bus->get_iommu_class == NULL)
			continue;
		m = bus->get_iommu_class();
		if (m != RTE_IOVA_DC)
			EAL_LOG(DEBUG, "bus %s votes for IOVA as %s", bus->name,
				m == RTE_IOVA_VA ? "VA" : "PA");
		votes |= m;
	}
	if (votes == RTE_IOVA_VA || votes == RTE_IOVA_PA)
		return (enum rte_iova_mode)votes;
	if (votes != 0)
		EAL_LOG(DEBUG, "buses disagree on the IOVA mode");
	return RTE_IOVA_DC;
}

uint64_t
rte_bus_get_vfio_required_caps(void)
{
	struct rte_bus *bus;
	uint64_t caps = 0;

	TAILQ_FOREACH(bus, &bus_list, next)
		if (bus->vfio_required_caps != NULL)
			caps |= bus->vfio_required_caps();
	return caps;
}

int
rte_bus_cleanup(void)
{
	struct rte_bus *bus;
	int ret = 0;

	TAILQ_FOREACH_REVERSE(bus, &bus_list, rte_bus_list_head, next) {
		if (bus->cleanup == NULL)
			continue;
		if (bus->cleanup() != 0) {
			EAL_LOG(ERR, "cleanup of bus %s failed", bus->name);
			ret = -1;
		}
	}
	return ret;
}

const char *
rte_bus_name(const struct rte_bus *bus)
{
	return bus->name;
}

void
rte_bus_dump(FILE *f)
{
	struct rte_bus *bus;

	TAILQ_FOREACH(bus, &bus_list, next)
		fprintf(f, "%s\n", bus->name);
}
