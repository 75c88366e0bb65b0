/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Mapping a PCI device through VFIO: device open (rte_vfio_setup_device),
 * config region, reset, BARs (sparse-mmap areas; never the MSI-X table),
 * bus mastering. Interrupts are in pci_vfio_intr.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_vfio.h>

#include "../private.h"
#include "pci_vfio.h"

/* Configuration space layout (PCI local bus spec). */
#define PCI_STATUS_OFFSET 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_CAP_ID_MSIX 0x11
#define PCI_MSIX_FLAGS 2          /* message control, from the capability */
#define PCI_MSIX_FLAGS_QSIZE 0x07ff
#define PCI_MSIX_TABLE 4          /* table offset and BIR */
#define PCI_MSIX_TABLE_BIR 0x7
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_CAP_WALK_MAX 48       /* 256-byte space / 4-byte minimum cap */

static int
is_secondary(void)
{
	return rte_eal_process_type() == RTE_PROC_SECONDARY;
}

/*
 * VFIO_DEVICE_GET_REGION_INFO with its capability chain: the first call
 * tells the size the chain needs. The caller frees *out.
 */
static int
region_info_get(const struct rte_pci_device *dev, int fd, unsigned int index,
		struct vfio_region_info **out)
{
	struct vfio_region_info *info, *bigger;
	size_t argsz = sizeof(*info);

	info = calloc(1, argsz);
	if (info == NULL)
		goto nomem;
	for (;;) {
		info->argsz = (uint32_t)argsz;
		info->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info) != 0) {
			PCI_LOG(ERR, "%s: VFIO_DEVICE_GET_REGION_INFO of region %u: %s",
				dev->name, index, strerror(errno));
			free(info);
			rte_errno = EIO;
			return -1;
		}
		if (info->argsz <= argsz)
			break;
		argsz = info->argsz;
		bigger = realloc(info, argsz);
		if (bigger == NULL)
			goto nomem;
		info = bigger;
		memset(info, 0, argsz);
	}
	*out = info;
	return 0;
nomem:
	free(info);
	PCI_LOG(ERR, "%s: no memory for the info of region %u", dev->name, index);
	rte_errno = ENOMEM;
	return -1;
}

/* Capability id in the region info chain, or NULL. */
static const struct vfio_info_cap_header *
region_cap_find(const struct vfio_region_info *info, uint16_t id)
{
	const struct vfio_info_cap_header *h;
	uint32_t off, hops = 0;

	if ((info->flags & VFIO_REGION_INFO_FLAG_CAPS) == 0)
		return NULL;
	for (off = info->cap_offset; off != 0 && hops < 64; off = h->next, hops++) {
		if (off < sizeof(*info) || off + sizeof(*h) > info->argsz)
			return NULL;
		h = (const void *)((const uint8_t *)info + off);
		if (h->id == id)
			return h;
	}
	return NULL;
}

int
pci_vfio_read_config(const struct rte_pci_device *dev, void *buf, size_t len,
		off_t offset)
{
	const struct pci_vfio_dev *v = dev->vfio;
	ssize_t n;

	if ((uint64_t)offset + len > v->config_size) {
		rte_errno = EINVAL;
		return -1;
	}
	n = pread(v->fd, buf, len, (off_t)v->config_offset + offset);
	if (n != (ssize_t)len) {
		PCI_LOG(ERR, "%s: config read of %zu bytes at 0x%jx: %s", dev->name,
			len, (intmax_t)offset, n < 0 ? strerror(errno) : "short read");
		rte_errno = EIO;
		return -1;
	}
	return (int)len;
}

int
pci_vfio_write_config(const struct rte_pci_device *dev, const void *buf,
		size_t len, off_t offset)
{
	const struct pci_vfio_dev *v = dev->vfio;
	ssize_t n;

	if ((uint64_t)offset + len > v->config_size) {
		rte_errno = EINVAL;
		return -1;
	}
	n = pwrite(v->fd, buf, len, (off_t)v->config_offset + offset);
	if (n != (ssize_t)len) {
		PCI_LOG(ERR, "%s: config write of %zu bytes at 0x%jx: %s", dev->name,
			len, (intmax_t)offset, n < 0 ? strerror(errno) : "short write");
		rte_errno = EIO;
		return -1;
	}
	return (int)len;
}

/* Find the MSI-X table in the capability list (bar -1 when none). */
static int
msix_table_find(const struct rte_pci_device *dev, struct pci_msix_table *t)
{
	uint16_t status, flags;
	uint32_t table;
	uint8_t pos, hdr[2];
	int hops;

	t->bar = -1;
	if (pci_vfio_read_config(dev, &status, sizeof(status),
			PCI_STATUS_OFFSET) < 0)
		return -1;
	if ((status & PCI_STATUS_CAP_LIST) == 0)
		return 0;
	if (pci_vfio_read_config(dev, &pos, 1, PCI_CAPABILITY_LIST) < 0)
		return -1;
	for (hops = 0; pos >= 0x40 && hops < PCI_CAP_WALK_MAX; hops++) {
		pos &= ~3;
		if (pci_vfio_read_config(dev, hdr, sizeof(hdr), pos) < 0)
			return -1;
		if (hdr[0] == PCI_CAP_ID_MSIX) {
			if (pci_vfio_read_config(dev, &flags, sizeof(flags),
					pos + PCI_MSIX_FLAGS) < 0 ||
					pci_vfio_read_config(dev, &table, sizeof(table),
					pos + PCI_MSIX_TABLE) < 0)
				return -1;
			t->bar = (int)(table & PCI_MSIX_TABLE_BIR);
			t->offset = table & ~(uint32_t)PCI_MSIX_TABLE_BIR;
			t->size = ((flags & PCI_MSIX_FLAGS_QSIZE) + 1u) *
				PCI_MSIX_ENTRY_SIZE;
			return 0;
		}
		pos = hdr[1];
	}
	return 0;
}

struct bar_area {
	uint64_t offset;
	uint64_t size;
};

#define BAR_AREAS_MAX 16

/*
 * The parts of a BAR that may be mmapped: the kernel's sparse areas when
 * it gives them; else the whole BAR, minus the pages of the MSI-X table
 * unless the kernel says the table BAR is mappable.
 */
static unsigned int
bar_areas(const struct rte_pci_device *dev, unsigned int bar,
		const struct vfio_region_info *info, struct bar_area *a)
{
	const struct vfio_region_info_cap_sparse_mmap *sparse;
	const struct pci_msix_table *t = &dev->vfio->msix;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), lo, hi;
	unsigned int i, n = 0;

	sparse = (const void *)region_cap_find(info,
		VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	if (sparse != NULL) {
		for (i = 0; i < sparse->nr_areas && n < BAR_AREAS_MAX; i++) {
			if (sparse->areas[i].size == 0 ||
					sparse->areas[i].offset + sparse->areas[i].size >
					info->size)
				continue;
			a[n].offset = sparse->areas[i].offset;
			a[n++].size = sparse->areas[i].size;
		}
		return n;
	}
	if (t->bar != (int)bar ||
			region_cap_find(info, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) != NULL) {
		a[0].offset = 0;
		a[0].size = info->size;
		return 1;
	}
	lo = RTE_ALIGN_FLOOR(t->offset, page);
	hi = RTE_ALIGN_CEIL(t->offset + t->size, page);
	if (lo > 0) {
		a[n].offset = 0;
		a[n++].size = lo;
	}
	if (hi < info->size) {
		a[n].offset = hi;
		a[n++].size = info->size - hi;
	}
	return n;
}

/* Reserve the BAR's size of address space, then map the allowed areas in it. */
static int
bar_map(struct rte_pci_device *dev, unsigned int bar)
{
	struct pci_vfio_dev *v = dev->vfio;
	struct bar_area areas[BAR_AREAS_MAX];
	struct vfio_region_info *info;
	unsigned int i, n;
	void *base, *p;

	if (region_info_get(dev, v->fd, VFIO_PCI_BAR0_REGION_INDEX + bar,
			&info) != 0)
		return -1;
	if (info->size == 0 || (info->flags & VFIO_REGION_INFO_FLAG_MMAP) == 0) {
		if (info->size != 0)
			PCI_LOG(DEBUG, "%s: BAR%u cannot be mmapped (I/O or not allowed)",
				dev->name, bar);
		free(info);
		return 0;
	}
	base = mmap(NULL, info->size, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		PCI_LOG(ERR, "%s: cannot reserve 0x%" PRIx64 " bytes for BAR%u: %s",
			dev->name, (uint64_t)info->size, bar, strerror(errno));
		free(info);
		rte_errno = ENOMEM;
		return -1;
	}
	n = bar_areas(dev, bar, info, areas);
	for (i = 0; i < n; i++) {
		p = mmap(RTE_PTR_ADD(base, areas[i].offset), areas[i].size,
			PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, v->fd,
			(off_t)(info->offset + areas[i].offset));
		if (p == MAP_FAILED) {
			PCI_LOG(ERR, "%s: mmap of BAR%u [0x%" PRIx64 ", +0x%" PRIx64 "): %s",
				dev->name, bar, areas[i].offset, areas[i].size,
				strerror(errno));
			munmap(base, info->size);
			free(info);
			rte_errno = EIO;
			return -1;
		}
	}
	dev->mem_resource[bar].addr = base;
	v->bar_len[bar] = info->size;
	PCI_LOG(DEBUG, "%s: BAR%u mapped at %p (0x%" PRIx64 " bytes, %u area(s))",
		dev->name, bar, base, (uint64_t)info->size, n);
	free(info);
	return 0;
}

static void
bars_unmap(struct rte_pci_device *dev)
{
	struct pci_vfio_dev *v = dev->vfio;
	unsigned int i;

	for (i = 0; i < PCI_MAX_RESOURCE; i++) {
		if (dev->mem_resource[i].addr == NULL)
			continue;
		munmap(dev->mem_resource[i].addr, v->bar_len[i]);
		dev->mem_resource[i].addr = NULL;
		v->bar_len[i] = 0;
	}
}

static int
bars_map(struct rte_pci_device *dev)
{
	unsigned int i;

	for (i = 0; i < PCI_MAX_RESOURCE; i++) {
		if (bar_map(dev, i) != 0) {
			bars_unmap(dev);
			return -1;
		}
	}
	return 0;
}

static int
config_region_get(struct rte_pci_device *dev)
{
	struct vfio_region_info *info;

	if (region_info_get(dev, dev->vfio->fd, VFIO_PCI_CONFIG_REGION_INDEX,
			&info) != 0)
		return -1;
	dev->vfio->config_offset = info->offset;
	dev->vfio->config_size = info->size;
	free(info);
	return 0;
}

/* Check that fd is a PCI device with a config region; note its IRQs. */
static int
device_info_check(struct rte_pci_device *dev, uint32_t *flags)
{
	struct vfio_device_info info;

	memset(&info, 0, sizeof(info));
	if (rte_vfio_get_device_info(dev->vfio->fd, &info) != 0)
		return -1; /* logged by VFIO */
	if ((info.flags & VFIO_DEVICE_FLAGS_PCI) == 0 ||
			info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
		PCI_LOG(ERR, "%s: VFIO reports no PCI device (flags 0x%x, %u regions)",
			dev->name, info.flags, info.num_regions);
		rte_errno = EIO;
		return -1;
	}
	dev->vfio->num_irqs = info.num_irqs;
	*flags = info.flags;
	return 0;
}

/* Reset when the kernel can; a device that cannot is used as it is. */
static void
device_reset(const struct rte_pci_device *dev, uint32_t flags)
{
	if ((flags & VFIO_DEVICE_FLAGS_RESET) == 0) {
		PCI_LOG(DEBUG, "%s: no VFIO reset available", dev->name);
		return;
	}
	if (ioctl(dev->vfio->fd, VFIO_DEVICE_RESET) != 0)
		PCI_LOG(WARNING, "%s: VFIO_DEVICE_RESET: %s (continuing)", dev->name,
			strerror(errno));
}

int
pci_vfio_map_resource(struct rte_pci_device *dev)
{
	const char *sysfs = pci_sysfs_devices();
	struct pci_vfio_dev *v;
	uint32_t flags;
	int fd;

	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		PCI_LOG(ERR, "%s: no memory for the VFIO state", dev->name);
		rte_errno = ENOMEM;
		return -1;
	}
	v->irq_index = -1;
	if (rte_vfio_setup_device(sysfs, dev->name, &fd) != 0)
		goto free_state; /* logged by VFIO */
	v->fd = fd;
	dev->vfio = v;
	if (device_info_check(dev, &flags) != 0 || config_region_get(dev) != 0 ||
			msix_table_find(dev, &v->msix) != 0)
		goto release;
	if (!is_secondary())
		device_reset(dev, flags);
	if (bars_map(dev) != 0)
		goto release;
	if (pci_vfio_intr_setup(dev) != 0)
		goto unmap_bars;
	if (!is_secondary() && rte_pci_set_bus_master(dev, true) != 0)
		goto intr_teardown;
	PCI_LOG(DEBUG, "%s: mapped through VFIO (fd %d)", dev->name, fd);
	return 0;

intr_teardown:
	pci_vfio_intr_teardown(dev);
unmap_bars:
	bars_unmap(dev);
release:
	{
		int err = rte_errno;

		dev->vfio = NULL;
		rte_vfio_release_device(sysfs, dev->name, fd);
		rte_errno = err;
	}
free_state:
	free(v);
	return -1;
}

void
pci_vfio_unmap_resource(struct rte_pci_device *dev)
{
	struct pci_vfio_dev *v = dev->vfio;

	pci_vfio_intr_teardown(dev);
	/* stop DMA before the IOMMU context may go */
	if (!is_secondary())
		rte_pci_set_bus_master(dev, false);
	bars_unmap(dev);
	dev->vfio = NULL;
	rte_vfio_release_device(pci_sysfs_devices(), dev->name, v->fd);
	free(v);
	PCI_LOG(DEBUG, "%s: unmapped", dev->name);
}

int
rte_pci_vfio_dev_fd(const struct rte_pci_device *dev)
{
	if (dev == NULL || dev->vfio == NULL) {
		rte_errno = ENODEV;
		return -1;
	}
	return dev->vfio->fd;
}
