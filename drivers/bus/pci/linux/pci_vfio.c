/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Mapping a PCI device through VFIO: device open (rte_vfio_setup_device),
 * config region, reset, BARs (sparse-mmap areas; never the MSI-X table),
 * bus mastering. Interrupts are in pci_vfio_intr.c.
 *
 * A secondary process maps every BAR at the address the primary uses, so
 * that pointers into BARs kept in shared memory are valid in all processes:
 * the primary publishes its layout in a memzone named after the device.
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
#include <rte_memzone.h>
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

/* BAR addresses of a device in the primary, shared through a memzone. */
struct pci_bar_layout {
	uint64_t addr[PCI_MAX_RESOURCE];
	uint64_t len[PCI_MAX_RESOURCE];
};

static void
bar_zone_name(const struct rte_pci_device *dev, char *name, size_t len)
{
	snprintf(name, len, "pci_bars_%s", dev->name);
}

/*
 * Reserve len bytes of address space: anywhere in the primary, exactly at
 * the primary's address in a secondary.
 */
static void *
bar_reserve(const struct rte_pci_device *dev, unsigned int bar, size_t len,
		const struct pci_bar_layout *primary)
{
	void *want = NULL;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *base;

	if (primary != NULL) {
		if (primary->len[bar] != len) {
			PCI_LOG(ERR, "%s: BAR%u is 0x%zx bytes here, 0x%" PRIx64 " in the primary",
				dev->name, bar, len, primary->len[bar]);
			rte_errno = EINVAL;
			return NULL;
		}
		want = (void *)(uintptr_t)primary->addr[bar];
		flags |= MAP_FIXED_NOREPLACE;
	}
	base = mmap(want, len, PROT_NONE, flags, -1, 0);
	if (base == MAP_FAILED || (want != NULL && base != want)) {
		if (want != NULL)
			PCI_LOG(ERR, "%s: BAR%u cannot be mapped at the primary's address %p: %s (restart this secondary, or start it with ASLR off: setarch -R)",
				dev->name, bar, want,
				base == MAP_FAILED ? strerror(errno) : "address in use");
		else
			PCI_LOG(ERR, "%s: cannot reserve 0x%zx bytes for BAR%u: %s",
				dev->name, len, bar, strerror(errno));
		if (base != MAP_FAILED)
			munmap(base, len);
		rte_errno = want != NULL ? EADDRINUSE : ENOMEM;
		return NULL;
	}
	return base;
}

/* Reserve the BAR's size of address space, then map the allowed areas in it. */
static int
bar_map(struct rte_pci_device *dev, unsigned int bar,
		const struct pci_bar_layout *primary)
{
	struct pci_vfio_dev *v = dev->vfio;
	struct bar_area areas[BAR_AREAS_MAX];
	struct vfio_region_info *info;
	unsigned int i, n;
	void *base, *p;

	if (rte_vfio_get_region_info(v->fd, VFIO_PCI_BAR0_REGION_INDEX + bar,
			&info) != 0)
		return -1; /* logged by VFIO */
	if (info->size == 0 || (info->flags & VFIO_REGION_INFO_FLAG_MMAP) == 0) {
		if (info->size != 0)
			PCI_LOG(DEBUG, "%s: BAR%u cannot be mmapped (I/O or not allowed)",
				dev->name, bar);
		free(info);
		return 0;
	}
	base = bar_reserve(dev, bar, info->size, primary);
	if (base == NULL) {
		free(info);
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
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	unsigned int i;

	for (i = 0; i < PCI_MAX_RESOURCE; i++) {
		if (dev->mem_resource[i].addr == NULL)
			continue;
		munmap(dev->mem_resource[i].addr, v->bar_len[i]);
		dev->mem_resource[i].addr = NULL;
		v->bar_len[i] = 0;
	}
	if (is_secondary())
		return;
	bar_zone_name(dev, name, sizeof(name));
	mz = rte_memzone_lookup(name);
	if (mz != NULL)
		rte_memzone_free(mz);
}

/* Primary: write the layout where secondaries look for it. */
static int
bars_publish(struct rte_pci_device *dev)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct pci_bar_layout *l;
	unsigned int i;

	bar_zone_name(dev, name, sizeof(name));
	mz = rte_memzone_reserve(name, sizeof(*l), SOCKET_ID_ANY, 0);
	if (mz == NULL) {
		PCI_LOG(ERR, "%s: cannot publish the BAR addresses for secondaries (memzone %s): %s",
			dev->name, name, rte_strerror(rte_errno));
		return -1;
	}
	l = mz->addr;
	for (i = 0; i < PCI_MAX_RESOURCE; i++) {
		l->addr[i] = (uintptr_t)dev->mem_resource[i].addr;
		l->len[i] = dev->mem_resource[i].addr != NULL ?
			dev->vfio->bar_len[i] : 0;
	}
	return 0;
}

/* Secondary: the layout the primary published. */
static const struct pci_bar_layout *
bars_primary_layout(const struct rte_pci_device *dev)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	bar_zone_name(dev, name, sizeof(name));
	mz = rte_memzone_lookup(name);
	if (mz == NULL) {
		PCI_LOG(ERR, "%s: the primary has not mapped this device; a secondary uses the primary's BAR addresses",
			dev->name);
		rte_errno = ENODEV;
		return NULL;
	}
	return mz->addr;
}

static int
bars_map(struct rte_pci_device *dev)
{
	const struct pci_bar_layout *primary = NULL;
	unsigned int i;

	if (is_secondary()) {
		primary = bars_primary_layout(dev);
		if (primary == NULL)
			return -1;
	}
	for (i = 0; i < PCI_MAX_RESOURCE; i++) {
		if (bar_map(dev, i, primary) != 0)
			goto unmap;
		if (primary != NULL && primary->len[i] != 0 &&
				dev->mem_resource[i].addr == NULL) {
			PCI_LOG(ERR, "%s: BAR%u is mapped in the primary, not mappable here",
				dev->name, i);
			rte_errno = EINVAL;
			goto unmap;
		}
	}
	if (primary == NULL && bars_publish(dev) != 0)
		goto unmap;
	return 0;
unmap:
	bars_unmap(dev);
	return -1;
}

static int
config_region_get(struct rte_pci_device *dev)
{
	struct vfio_region_info *info;

	if (rte_vfio_get_region_info(dev->vfio->fd,
			VFIO_PCI_CONFIG_REGION_INDEX, &info) != 0)
		return -1; /* logged by VFIO */
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
	info.argsz = sizeof(info);
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
