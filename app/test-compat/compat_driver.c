/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The edu driver as a driver ported from upstream DPDK would be written:
 * the bus does not map the device (drv_flags 0), the driver opens it with
 * rte_vfio_setup_device(), reads the regions itself, maps BAR0, and maps
 * its DMA buffer with rte_vfio_container_dma_map() on the default
 * container. The address it gives the device follows upstream's rule:
 * rte_vfio_get_mode() == RTE_VFIO_MODE_NOIOMMU means physical addresses
 * (EAL memory, rte_malloc_virt2iova()), else the IOVA it mapped.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_vfio.h>

#include <bus_pci_driver.h>

#include "compat.h"

/* QEMU edu device facts (BAR0 registers, internal buffer) */
#define EDU_VENDOR   0x1234
#define EDU_DEVICE   0x11e8
#define EDU_IDENT    0x00
#define EDU_DMA_SRC  0x80
#define EDU_DMA_DST  0x88
#define EDU_DMA_CNT  0x90
#define EDU_DMA_CMD  0x98
#define EDU_CMD_START  0x1u
#define EDU_CMD_TO_RAM 0x2u
#define EDU_BUF_ADDR 0x40000u
/* below the 4 KiB buffer: QEMU 7.2 aborts on a transfer reaching its end */
#define COMPAT_XFER  1024u
#define COMPAT_BUF   4096u
#define COMPAT_TIMEOUT_NS 2000000000LL
#define COMPAT_MAX_DEVS 8

/* upstream drivers take this from rte_pci_get_sysfs_path() */
#define COMPAT_SYSFS "/sys/bus/pci/devices"

struct compat_dev {
	const struct rte_pci_device *pci;
	int fd;
	uint8_t *bar0;
	size_t bar0_len;
};

struct compat_result compat_result;
static struct compat_dev compat_devs[COMPAT_MAX_DEVS];

static int
region_info(const char *name, int fd, uint32_t index,
		struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri) != 0) {
		printf("%s: VFIO_DEVICE_GET_REGION_INFO(%u) failed: %s\n",
			name, index, strerror(errno));
		return -1;
	}
	return 0;
}

/* memory decoding and bus mastering on, through the config region */
static int
enable_master(const char *name, int fd)
{
	struct vfio_region_info ri;
	uint16_t cmd;

	if (region_info(name, fd, VFIO_PCI_CONFIG_REGION_INDEX, &ri) != 0)
		return -1;
	if (pread(fd, &cmd, sizeof(cmd), (off_t)ri.offset + 4) != sizeof(cmd)) {
		printf("%s: read of PCI_COMMAND failed: %s\n", name, strerror(errno));
		return -1;
	}
	cmd |= 0x6; /* memory space, bus master */
	if (pwrite(fd, &cmd, sizeof(cmd), (off_t)ri.offset + 4) != sizeof(cmd)) {
		printf("%s: write of PCI_COMMAND failed: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

static void
reg_write64(struct compat_dev *d, uint32_t off, uint64_t v)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint64_t *)(d->bar0 + off) = v;
}

static uint64_t
reg_read64(struct compat_dev *d, uint32_t off)
{
	uint64_t v = *(volatile uint64_t *)(d->bar0 + off);

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return v;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* one transfer, polled; 0 or -1 after printing why */
static int
edu_dma(struct compat_dev *d, uint64_t src, uint64_t dst, uint32_t cmd)
{
	int64_t end = now_ns() + COMPAT_TIMEOUT_NS;

	reg_write64(d, EDU_DMA_SRC, src);
	reg_write64(d, EDU_DMA_DST, dst);
	reg_write64(d, EDU_DMA_CNT, COMPAT_XFER);
	reg_write64(d, EDU_DMA_CMD, EDU_CMD_START | cmd);
	while ((reg_read64(d, EDU_DMA_CMD) & EDU_CMD_START) != 0) {
		if (now_ns() > end) {
			printf("%s: DMA 0x%" PRIx64 " -> 0x%" PRIx64 " did not complete\n",
				d->pci->name, src, dst);
			return -1;
		}
		usleep(100);
	}
	return 0;
}

/* pattern RAM -> edu buffer -> RAM (second half); 0 when the bytes match */
static int
round_trip(struct compat_dev *d, uint8_t *va, uint64_t iova)
{
	unsigned int i, bad = 0;

	for (i = 0; i < COMPAT_XFER; i++)
		va[i] = (uint8_t)(i * 7 + 3);
	memset(va + COMPAT_BUF / 2, 0, COMPAT_XFER);
	if (edu_dma(d, iova, EDU_BUF_ADDR, 0) != 0 ||
			edu_dma(d, EDU_BUF_ADDR, iova + COMPAT_BUF / 2,
				EDU_CMD_TO_RAM) != 0)
		return -1;
	for (i = 0; i < COMPAT_XFER; i++)
		bad += va[COMPAT_BUF / 2 + i] != va[i];
	printf("%s: DMA round trip of %u bytes at IOVA 0x%" PRIx64 ": %u bad\n",
		d->pci->name, COMPAT_XFER, iova, bad);
	return bad == 0 ? 0 : -1;
}

/* No IOMMU: the device needs a physical address, which EAL memory has. */
static int
dma_test_pa(struct compat_dev *d)
{
	uint8_t *va;
	int ret;

	if (rte_eal_iova_mode() != RTE_IOVA_PA) {
		printf("%s: no-IOMMU mode but IOVA mode is not PA\n", d->pci->name);
		return -1;
	}
	va = rte_zmalloc("compat", COMPAT_BUF, COMPAT_BUF);
	if (va == NULL) {
		printf("%s: rte_zmalloc failed: %s\n", d->pci->name,
			rte_strerror(rte_errno));
		return -1;
	}
	ret = round_trip(d, va, rte_malloc_virt2iova(va));
	rte_free(va);
	return ret;
}

/* IOMMU: the driver's own buffer, mapped at IOVA = VA in the default container */
static int
dma_test_mapped(struct compat_dev *d)
{
	uint8_t *va;
	uint64_t iova;
	int ret;

	va = mmap(NULL, COMPAT_BUF, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED) {
		printf("%s: mmap of the DMA buffer failed: %s\n", d->pci->name,
			strerror(errno));
		return -1;
	}
	iova = (uint64_t)(uintptr_t)va;
	if (rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
			(uint64_t)(uintptr_t)va, iova, COMPAT_BUF) != 0) {
		printf("%s: rte_vfio_container_dma_map failed: %s\n", d->pci->name,
			rte_strerror(rte_errno));
		munmap(va, COMPAT_BUF);
		return -1;
	}
	ret = round_trip(d, va, iova);
	if (rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD,
			(uint64_t)(uintptr_t)va, iova, COMPAT_BUF) != 0) {
		printf("%s: rte_vfio_container_dma_unmap failed: %s\n",
			d->pci->name, rte_strerror(rte_errno));
		ret = -1;
	}
	munmap(va, COMPAT_BUF);
	return ret;
}

static int
open_device(struct compat_dev *d)
{
	const char *name = d->pci->name;
	struct vfio_device_info info;
	struct vfio_region_info ri;
	uint32_t ident;

	if (rte_vfio_setup_device(COMPAT_SYSFS, name, &d->fd) != 0) {
		printf("%s: rte_vfio_setup_device failed: %s\n", name,
			rte_strerror(rte_errno));
		return -1;
	}
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	if (rte_vfio_get_device_info(d->fd, &info) != 0) {
		printf("%s: rte_vfio_get_device_info failed: %s\n", name,
			rte_strerror(rte_errno));
		return -1;
	}
	if ((info.flags & VFIO_DEVICE_FLAGS_PCI) == 0 ||
			info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
		printf("%s: not a VFIO PCI device (flags 0x%x, %u regions)\n",
			name, info.flags, info.num_regions);
		return -1;
	}
	if (region_info(name, d->fd, VFIO_PCI_BAR0_REGION_INDEX, &ri) != 0)
		return -1;
	if ((ri.flags & VFIO_REGION_INFO_FLAG_MMAP) == 0 || ri.size == 0) {
		printf("%s: BAR0 cannot be mapped (flags 0x%x)\n", name, ri.flags);
		return -1;
	}
	d->bar0 = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		d->fd, (off_t)ri.offset);
	if (d->bar0 == MAP_FAILED) {
		d->bar0 = NULL;
		printf("%s: mmap of BAR0 failed: %s\n", name, strerror(errno));
		return -1;
	}
	d->bar0_len = ri.size;
	ident = *(volatile uint32_t *)(d->bar0 + EDU_IDENT);
	if ((ident & 0xff) != 0xed) {
		printf("%s: identification 0x%08x is not edu's\n", name, ident);
		return -1;
	}
	return enable_master(name, d->fd);
}

static void
close_device(struct compat_dev *d)
{
	if (d->bar0 != NULL)
		munmap(d->bar0, d->bar0_len);
	d->bar0 = NULL;
	if (d->fd >= 0 && rte_vfio_release_device(COMPAT_SYSFS, d->pci->name,
			d->fd) != 0)
		printf("%s: rte_vfio_release_device failed: %s\n", d->pci->name,
			rte_strerror(rte_errno));
	else if (d->fd >= 0)
		compat_result.released++;
	d->fd = -1;
	d->pci = NULL;
}

static int
compat_probe(struct rte_pci_driver *drv __rte_unused,
		struct rte_pci_device *pci)
{
	struct compat_dev *d = NULL;
	unsigned int i;
	int ret;

	compat_result.probed++;
	for (i = 0; i < COMPAT_MAX_DEVS && d == NULL; i++)
		if (compat_devs[i].pci == NULL)
			d = &compat_devs[i];
	if (d == NULL) {
		printf("%s: more than %d devices\n", pci->name, COMPAT_MAX_DEVS);
		goto fail;
	}
	d->pci = pci;
	d->fd = -1;
	if (open_device(d) != 0)
		goto fail_close;
	/* upstream's rule for "the device sees physical addresses" */
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NOIOMMU)
		ret = dma_test_pa(d);
	else
		ret = dma_test_mapped(d);
	if (ret != 0)
		goto fail_close;
	compat_result.passed++;
	return 0;

fail_close:
	close_device(d);
fail:
	compat_result.failed++;
	rte_errno = EIO;
	return -1;
}

static int
compat_remove(struct rte_pci_device *pci)
{
	unsigned int i;

	for (i = 0; i < COMPAT_MAX_DEVS; i++)
		if (compat_devs[i].pci == pci)
			close_device(&compat_devs[i]);
	return 0;
}

static const struct rte_pci_id compat_ids[] = {
	{ RTE_PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver compat_driver = {
	.id_table = compat_ids,
	.drv_flags = 0, /* the driver maps the device itself */
	.probe = compat_probe,
	.remove = compat_remove,
};

RTE_PMD_REGISTER_PCI(compat_edu, compat_driver);
