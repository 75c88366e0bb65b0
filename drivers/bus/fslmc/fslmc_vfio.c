/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Everything VFIO for the fsl-mc bus, through the EAL VFIO layer: the
 * container (DPRC) and its objects are devices of one IOMMU group, so the
 * first rte_vfio_setup_device() attaches that group to the default
 * container (which maps EAL memory for DMA) and the others reuse it. The
 * same calls in a secondary process obtain the group from the primary
 * through the EAL's VFIO multi-process sync: nothing here is
 * process-specific.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/vfio.h>

#include <rte_errno.h>
#include <rte_vfio.h>

#include "fslmc_private.h"

int
fslmc_vfio_mode_check(void)
{
	enum rte_vfio_interface itf = rte_vfio_get_interface();

	/* DPRC objects come from the container's group: groups are a must */
	if ((rte_vfio_get_caps() & RTE_VFIO_CAP_GROUPS) != 0)
		return 0;
	if (itf == RTE_VFIO_INTERFACE_CDEV)
		FSLMC_LOG(NOTICE, "VFIO is in cdev mode; the fsl-mc bus needs group mode (use --vfio-mode=group or auto)");
	else
		FSLMC_LOG(NOTICE, "VFIO is not available; the fsl-mc bus needs it in group mode, bus disabled");
	rte_errno = ENOTSUP;
	return -1;
}

static void
regions_unmap(struct rte_dpaa2_device *dev)
{
	uint32_t i;

	for (i = 0; i < dev->num_regions; i++)
		if (dev->regions[i].addr != NULL)
			rte_fslmc_region_unmap(dev, i);
}

static void
object_close(struct fslmc_bus *bus, struct rte_dpaa2_device *dev)
{
	if (dev->vfio_fd < 0)
		return;
	regions_unmap(dev);
	free(dev->regions);
	dev->regions = NULL;
	dev->num_regions = 0;
	dev->num_irqs = 0;
	dev->bus_owned = 0;
	rte_vfio_release_device(bus->sysfs_base, dev->name, dev->vfio_fd);
	dev->vfio_fd = -1;
}

/* Check the descriptor is a vfio-fsl-mc device and record its sizes. */
static int
object_info(struct rte_dpaa2_device *dev, int fd)
{
	struct vfio_device_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	if (rte_vfio_get_device_info(fd, &info) != 0)
		return -1;
	if ((info.flags & VFIO_DEVICE_FLAGS_FSL_MC) == 0) {
		FSLMC_LOG(ERR, "%s: not a vfio-fsl-mc device (flags 0x%x)",
			dev->name, info.flags);
		rte_errno = ENODEV;
		return -1;
	}
	if (info.num_regions != 0) {
		dev->regions = calloc(info.num_regions, sizeof(*dev->regions));
		if (dev->regions == NULL) {
			FSLMC_LOG(ERR, "%s: cannot allocate %u regions: %s",
				dev->name, info.num_regions, strerror(ENOMEM));
			rte_errno = ENOMEM;
			return -1;
		}
	}
	dev->num_regions = info.num_regions;
	dev->num_irqs = info.num_irqs;
	return 0;
}

static int
object_open(struct fslmc_bus *bus, struct rte_dpaa2_device *dev)
{
	int fd, err;

	/* rte_vfio_setup_device() logs its own failures */
	if (rte_vfio_setup_device(bus->sysfs_base, dev->name, &fd) != 0)
		return -1;
	if (object_info(dev, fd) != 0) {
		err = rte_errno;
		rte_vfio_release_device(bus->sysfs_base, dev->name, fd);
		rte_errno = err;
		return -1;
	}
	dev->vfio_fd = fd;
	FSLMC_LOG(DEBUG, "%s: VFIO fd %d, %u regions, %u irqs", dev->name,
		fd, dev->num_regions, dev->num_irqs);
	return 0;
}

/* Objects in reverse order, the container last: it opened the group. */
static void
objects_close(struct fslmc_bus *bus)
{
	struct rte_dpaa2_device *dev;

	TAILQ_FOREACH_REVERSE(dev, &bus->devices, fslmc_device_list, next)
		object_close(bus, dev);
}

/* The first dpmcp's region 0 is the command portal of this process. */
static int
portal_map(struct fslmc_bus *bus)
{
	struct rte_dpaa2_device *dev;
	uint64_t len;
	void *addr;

	TAILQ_FOREACH(dev, &bus->devices, next) {
		if (dev->obj_type != RTE_DPAA2_OBJ_DPMCP || dev->vfio_fd < 0)
			continue;
		addr = rte_fslmc_region_map(dev, 0, &len);
		if (addr == NULL)
			return -1;
		dev->bus_owned = 1;
		bus->portal.addr = addr;
		bus->portal.len = len;
		bus->portal.dpmcp = dev;
		FSLMC_LOG(DEBUG, "%s: MC portal mapped at %p, %" PRIu64 " bytes",
			dev->name, addr, len);
		return 0;
	}
	FSLMC_LOG(ERR, "%s: no usable dpmcp object, so no MC command portal",
		bus->container);
	rte_errno = ENODEV;
	return -1;
}

static int
objects_open(struct fslmc_bus *bus)
{
	struct rte_dpaa2_device *dev;

	TAILQ_FOREACH(dev, &bus->devices, next) {
		if (dev == TAILQ_FIRST(&bus->devices))
			continue; /* the container, already open */
		if (object_open(bus, dev) == 0)
			continue;
		/* not bound to VFIO (no IOMMU group): not ours to use */
		if (rte_errno == ENODEV) {
			FSLMC_LOG(WARNING, "%s: not usable through VFIO, skipped",
				dev->name);
			continue;
		}
		return -1;
	}
	return 0;
}

static void
setup_log(struct fslmc_bus *bus)
{
	struct rte_dpaa2_device *dev;
	unsigned int open = 0;
	int group;

	TAILQ_FOREACH(dev, &bus->devices, next)
		if (dev->vfio_fd >= 0)
			open++;
	if (rte_vfio_get_group_num(bus->sysfs_base, bus->container, &group) != 0)
		group = -1;
	FSLMC_LOG(INFO, "%s: IOMMU group %d, %u objects open, MC portal %s",
		bus->container, group, open, bus->portal.dpmcp->name);
}

int
fslmc_vfio_setup(struct fslmc_bus *bus)
{
	struct rte_dpaa2_device *dprc = TAILQ_FIRST(&bus->devices);
	int err;

	if (dprc == NULL || dprc->obj_type != RTE_DPAA2_OBJ_DPRC) {
		rte_errno = ENODEV;
		return -1;
	}
	/* the container first: it brings the group into the container */
	if (object_open(bus, dprc) != 0)
		return -1;
	if (objects_open(bus) != 0 || portal_map(bus) != 0)
		goto close_objects;
	bus->vfio_ready = 1;
	setup_log(bus);
	return 0;
close_objects:
	err = rte_errno;
	objects_close(bus);
	memset(&bus->portal, 0, sizeof(bus->portal));
	rte_errno = err;
	return -1;
}

void
fslmc_vfio_release(struct fslmc_bus *bus)
{
	objects_close(bus);
	memset(&bus->portal, 0, sizeof(bus->portal));
	bus->vfio_ready = 0;
}

void *
rte_fslmc_region_map(struct rte_dpaa2_device *dev, uint32_t index,
		uint64_t *len)
{
	struct vfio_region_info *info;
	int prot = PROT_READ;
	void *addr;

	if (dev == NULL || dev->vfio_fd < 0 || index >= dev->num_regions) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (dev->regions[index].addr != NULL)
		goto done;
	if (rte_vfio_get_region_info(dev->vfio_fd, index, &info) != 0)
		return NULL; /* logged by VFIO */
	if ((info->flags & VFIO_REGION_INFO_FLAG_MMAP) == 0 || info->size == 0) {
		FSLMC_LOG(ERR, "%s: region %u cannot be mapped (flags 0x%x, size %llu)",
			dev->name, index, info->flags,
			(unsigned long long)info->size);
		rte_errno = ENOTSUP;
		goto free_info;
	}
	if ((info->flags & VFIO_REGION_INFO_FLAG_WRITE) != 0)
		prot |= PROT_WRITE;
	addr = mmap(NULL, info->size, prot, MAP_SHARED, dev->vfio_fd,
		(off_t)info->offset);
	if (addr == MAP_FAILED) {
		FSLMC_LOG(ERR, "%s: mmap of region %u (%llu bytes at offset 0x%llx) failed: %s",
			dev->name, index, (unsigned long long)info->size,
			(unsigned long long)info->offset, strerror(errno));
		rte_errno = ENOMEM;
		goto free_info;
	}
	dev->regions[index].addr = addr;
	dev->regions[index].len = info->size;
	free(info);
done:
	if (len != NULL)
		*len = dev->regions[index].len;
	return dev->regions[index].addr;
free_info:
	free(info);
	return NULL;
}

int
rte_fslmc_region_unmap(struct rte_dpaa2_device *dev, uint32_t index)
{
	struct rte_dpaa2_region *r;

	if (dev == NULL || index >= dev->num_regions) {
		rte_errno = EINVAL;
		return -1;
	}
	r = &dev->regions[index];
	if (r->addr == NULL) {
		rte_errno = ENOENT;
		return -1;
	}
	if (munmap(r->addr, r->len) != 0)
		FSLMC_LOG(WARNING, "%s: munmap of region %u failed: %s",
			dev->name, index, strerror(errno));
	r->addr = NULL;
	r->len = 0;
	return 0;
}

int
rte_fslmc_get_mc_portal(struct rte_fslmc_mc_portal *portal)
{
	if (portal == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	if (!fslmc_bus.vfio_ready) {
		rte_errno = ENODEV;
		return -1;
	}
	*portal = fslmc_bus.portal;
	return 0;
}

/* The container's group is in the default container, where EAL memory is. */
int
rte_fslmc_dma_map(uint64_t vaddr, uint64_t iova, uint64_t len)
{
	if (!fslmc_bus.vfio_ready) {
		rte_errno = ENODEV;
		return -1;
	}
	return rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
		vaddr, iova, len);
}

int
rte_fslmc_dma_unmap(uint64_t vaddr, uint64_t iova, uint64_t len)
{
	if (!fslmc_bus.vfio_ready) {
		rte_errno = ENODEV;
		return -1;
	}
	return rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD,
		vaddr, iova, len);
}
