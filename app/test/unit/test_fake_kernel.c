/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fake kernel's group backend: sysfs, containers, groups, type1,
 * no-IOMMU, sPAPR, fsl-mc and VF tokens. Every test ends with
 * fake_teardown(), which fails it on any leaked fake fd or mapping.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fake_test.h"

#include "eal_private.h"

#define DEV0 "0000:00:01.0"
#define DEV1 "0000:00:02.0"
#define MB (1ULL << 20)

static int
setup_group(void **state)
{
	(void)state;
	return fake_machine_setup(FAKE_MODE_GROUP, 2);
}

static int
setup_noiommu(void **state)
{
	(void)state;
	return fake_machine_setup(FAKE_MODE_NOIOMMU, 2);
}

static void
read_sysfs(const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake_sysfs_root(), rel);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, (int)len, f));
	fclose(f);
}

static void
test_no_vfio(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(fake_machine_setup(FAKE_MODE_NONE, 1), 0);
	errno = 0;
	assert_int_equal(open("/dev/vfio/vfio", O_RDWR), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(open("/dev/vfio/10", O_RDWR), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access("/dev/iommu", F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(stat("/dev/vfio", &st), -1);
	assert_int_equal(access(fake_sysfs_root(), F_OK), 0);
}

static void
test_sysfs_layout(void **state)
{
	char path[PATH_MAX], link[PATH_MAX], buf[64];
	ssize_t n;

	(void)state;
	assert_string_equal(getenv("RTE_EAL_SYSFS_ROOT"), fake_sysfs_root());
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices",
		fake_sysfs_root());
	assert_string_equal(getenv("SYSFS_PCI_DEVICES"), path);

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/iommu_group",
		fake_sysfs_root(), DEV1);
	n = readlink(path, link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = '\0';
	assert_string_equal(link, "../../../kernel/iommu_groups/11");
	/* the link resolves to the group directory, listing the device */
	snprintf(path, sizeof(path),
		"%s/sys/bus/pci/devices/%s/iommu_group/devices/%s/vendor",
		fake_sysfs_root(), DEV1, DEV1);
	assert_int_equal(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver",
		fake_sysfs_root(), DEV0);
	n = readlink(path, link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = '\0';
	assert_string_equal(link, "../../../bus/pci/drivers/vfio-pci");
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver/%s",
		fake_sysfs_root(), DEV0, DEV0);
	assert_int_equal(access(path, F_OK), 0);

	read_sysfs("sys/bus/pci/devices/" DEV0 "/vendor", buf, sizeof(buf));
	assert_string_equal(buf, "0x1b36\n");
	read_sysfs("sys/bus/pci/devices/" DEV0 "/numa_node", buf, sizeof(buf));
	assert_string_equal(buf, "-1\n");
	read_sysfs("sys/bus/pci/devices/" DEV0 "/resource", buf, sizeof(buf));
	assert_string_equal(buf, "0x00000000fe000000 0x00000000fe000fff 0x0000000000040200\n");
	read_sysfs("sys/module/vfio/parameters/enable_unsafe_noiommu_mode",
		buf, sizeof(buf));
	assert_string_equal(buf, "N\n");
	read_sysfs("sys/module/vfio_iommu_type1/parameters/dma_entry_limit",
		buf, sizeof(buf));
	assert_string_equal(buf, "65535\n");
	/* group mode: no device cdev */
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/vfio-dev",
		fake_sysfs_root(), DEV0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access("/dev/vfio/devices", F_OK), -1);
	assert_int_equal(access("/dev/vfio/vfio", R_OK | W_OK), 0);

	/* a configuration change shows after a refresh */
	fake_config()->noiommu = true;
	assert_int_equal(fake_sysfs_refresh(), 0);
	read_sysfs("sys/module/vfio/parameters/enable_unsafe_noiommu_mode",
		buf, sizeof(buf));
	assert_string_equal(buf, "Y\n");
}

/* the EAL finds the fake sysfs through eal_sysfs_root() */
static void
test_eal_sysfs_root(void **state)
{
	(void)state;
	assert_string_equal(eal_sysfs_root(), fake_sysfs_root());
	fake_kernel_reset();
	assert_string_equal(eal_sysfs_root(), "");
}

static void
test_container_set_iommu(void **state)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	int cfd, gfd;

	(void)state;
	cfd = open("/dev/vfio/vfio", O_RDWR);
	assert_true(cfd >= 0);
	assert_int_equal(ioctl(cfd, VFIO_GET_API_VERSION), VFIO_API_VERSION);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 1);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU), 1);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU), 0);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU), 0);
	/* no group yet: the container may not enable an IOMMU */
	assert_ioctl_errno(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_TYPE1v2_IOMMU,
		EINVAL);
	/* nor map anything */
	assert_ioctl_errno(cfd, VFIO_IOMMU_MAP_DMA, &map, EINVAL);

	gfd = open("/dev/vfio/10", O_RDWR);
	assert_true(gfd >= 0);
	assert_ioctl_ok(gfd, VFIO_GROUP_SET_CONTAINER, &cfd);
	assert_ioctl_errno(gfd, VFIO_GROUP_SET_CONTAINER, &cfd, EINVAL);
	assert_ioctl_errno(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_SPAPR_TCE_v2_IOMMU,
		ENODEV);
	assert_ioctl_errno(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_NOIOMMU_IOMMU,
		ENODEV);
	assert_ioctl_ok(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_TYPE1v2_IOMMU);
	assert_int_equal(fake_container_iommu_type(cfd), VFIO_TYPE1v2_IOMMU);
	assert_ioctl_errno(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_TYPE1v2_IOMMU,
		EINVAL);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR), 1);
	/* unknown ioctls reach the type1 driver */
	assert_ioctl_errno(cfd, VFIO_IOMMU_ENABLE, NULL, ENOTTY);
	close(gfd);
	close(cfd);
}

static void
test_group_status_and_viability(void **state)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int cfd, gfd, g2;

	(void)state;
	gfd = open("/dev/vfio/10", O_RDWR);
	assert_true(gfd >= 0);
	assert_int_equal(fake_group_of_fd(gfd), 10);
	/* one opener at a time */
	errno = 0;
	assert_int_equal(open("/dev/vfio/10", O_RDWR), -1);
	assert_int_equal(errno, EBUSY);
	assert_ioctl_ok(gfd, VFIO_GROUP_GET_STATUS, &st);
	assert_int_equal(st.flags, VFIO_GROUP_FLAGS_VIABLE);
	st.argsz = 4;
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_STATUS, &st, EINVAL);
	assert_ioctl_errno(gfd, VFIO_GROUP_UNSET_CONTAINER, NULL, EINVAL);
	assert_ioctl_errno(gfd, VFIO_DEVICE_GET_INFO, &st, ENOTTY);

	/* a device of group 11 bound to a host driver */
	{
		struct fake_pci_desc desc;

		fake_pci_desc_default(&desc, "0000:00:11.0", 11);
		snprintf(desc.driver, sizeof(desc.driver), "e1000e");
		assert_int_equal(fake_pci_add(&desc), 0);
	}
	g2 = open("/dev/vfio/11", O_RDWR);
	assert_true(g2 >= 0);
	st.argsz = sizeof(st);
	assert_ioctl_ok(g2, VFIO_GROUP_GET_STATUS, &st);
	assert_int_equal(st.flags, 0);
	cfd = open("/dev/vfio/vfio", O_RDWR);
	assert_true(cfd >= 0);
	assert_ioctl_errno(g2, VFIO_GROUP_SET_CONTAINER, &cfd, EPERM);
	assert_int_equal(fake_container_groups(cfd), 0);

	assert_ioctl_ok(gfd, VFIO_GROUP_SET_CONTAINER, &cfd);
	st.argsz = sizeof(st);
	assert_ioctl_ok(gfd, VFIO_GROUP_GET_STATUS, &st);
	assert_int_equal(st.flags, VFIO_GROUP_FLAGS_VIABLE |
		VFIO_GROUP_FLAGS_CONTAINER_SET);
	assert_int_equal(fake_container_groups(cfd), 1);
	assert_ioctl_ok(gfd, VFIO_GROUP_UNSET_CONTAINER, NULL);
	assert_int_equal(fake_container_groups(cfd), 0);
	/* a bad container fd */
	{
		int bad = 12345;

		assert_ioctl_errno(gfd, VFIO_GROUP_SET_CONTAINER, &bad, EBADF);
	}
	close(g2);
	close(gfd);
	close(cfd);
	assert_int_equal(fake_open_fds(), 0);
}

static void
test_get_device_fd(void **state)
{
	int cfd, gfd, dfd;

	(void)state;
	cfd = open("/dev/vfio/vfio", O_RDWR);
	gfd = open("/dev/vfio/10", O_RDWR);
	assert_true(cfd >= 0 && gfd >= 0);
	/* no container yet */
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0, EINVAL);
	assert_ioctl_ok(gfd, VFIO_GROUP_SET_CONTAINER, &cfd);
	/* container without IOMMU */
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0, EINVAL);
	assert_ioctl_ok(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_TYPE1v2_IOMMU);
	/* not in this group, unknown, or trailing garbage */
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV1, ENODEV);
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_DEVICE_FD, "0000:00:01.", ENODEV);
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0 "x", ENODEV);
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0 " foo=1", EINVAL);
	/* a token on a device that is neither PF nor VF */
	assert_ioctl_errno(gfd, VFIO_GROUP_GET_DEVICE_FD,
		DEV0 " vf_token=2ab74924-c335-45f4-9b16-8569e5b08258", EINVAL);
	dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0);
	assert_true(dfd >= 0);
	assert_int_equal(fake_device_open_count(DEV0), 1);
	/* devices hold the group's container */
	assert_ioctl_errno(gfd, VFIO_GROUP_UNSET_CONTAINER, NULL, EBUSY);
	/* closing the group fd first keeps the group until the device goes */
	close(gfd);
	assert_int_equal(fake_container_groups(cfd), 1);
	errno = 0;
	assert_int_equal(open("/dev/vfio/10", O_RDWR), -1);
	assert_int_equal(errno, EBUSY);
	close(dfd);
	assert_int_equal(fake_device_open_count(DEV0), 0);
	assert_int_equal(fake_container_groups(cfd), 0);
	assert_int_equal(fake_container_iommu_type(cfd), 0);
	close(cfd);
}

static void
map(int cfd, void *va, uint64_t iova, uint64_t size, int err)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};

	if (err == 0)
		assert_ioctl_ok(cfd, VFIO_IOMMU_MAP_DMA, &m);
	else
		assert_ioctl_errno(cfd, VFIO_IOMMU_MAP_DMA, &m, err);
}

/* returns the unmapped size, or asserts the failure */
static uint64_t
unmap(int cfd, uint64_t iova, uint64_t size, uint32_t flags, int err)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .flags = flags, .iova = iova, .size = size,
	};

	if (err != 0) {
		assert_ioctl_errno(cfd, VFIO_IOMMU_UNMAP_DMA, &u, err);
		assert_int_equal(u.size, size);	/* not written on failure */
		return 0;
	}
	assert_ioctl_ok(cfd, VFIO_IOMMU_UNMAP_DMA, &u);
	return u.size;
}

static void
test_type1v2_map_unmap(void **state)
{
	struct fake_dma maps[4];
	void *buf;
	int cfd, gfd;

	(void)state;
	buf = mmap(NULL, 8 * MB, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	open_container_group(10, VFIO_TYPE1v2_IOMMU, &cfd, &gfd);

	map(cfd, buf, 1 * MB, 2 * MB, 0);
	map(cfd, (char *)buf + 2 * MB, 3 * MB, 2 * MB, 0);
	assert_int_equal(fake_container_mappings(cfd, maps, 4), 2);
	assert_int_equal(fake_dma_mapping_count(), 2);
	/* a NULL argument faults */
	assert_ioctl_errno(cfd, VFIO_IOMMU_MAP_DMA, NULL, EFAULT);
	assert_int_equal(maps[0].iova, 1 * MB);
	assert_int_equal(maps[0].vaddr, (uintptr_t)buf);
	assert_int_equal(maps[1].iova, 3 * MB);
	/* overlap, misalignment, zero size, wrap, bad flags */
	map(cfd, buf, 2 * MB, 4096, EEXIST);
	map(cfd, buf, 0, 2 * MB, EEXIST);
	map(cfd, buf, 8 * MB + 1, 4096, EINVAL);
	map(cfd, (char *)buf + 1, 8 * MB, 4096, EINVAL);
	map(cfd, buf, 8 * MB, 0, EINVAL);
	map(cfd, buf, UINT64_MAX - 4095, 8192, EINVAL);
	/* the MSI window is not a usable IOVA range */
	map(cfd, buf, 0xfee00000ULL, 4096, EINVAL);
	/* nothing behind the user address: pinning fails */
	assert_int_equal(munmap((char *)buf + 7 * MB, MB), 0);
	map(cfd, (char *)buf + 6 * MB, 16 * MB, 2 * MB, EFAULT);
	assert_int_equal(fake_container_mappings(cfd, maps, 4), 2);

	/* v2: a range may not cut a mapping */
	unmap(cfd, 1 * MB, 1 * MB, 0, EINVAL);
	unmap(cfd, 2 * MB, 2 * MB, 0, EINVAL);
	unmap(cfd, 1 * MB + 4096, 4096, 0, EINVAL);
	assert_int_equal(fake_container_mappings(cfd, maps, 4), 2);
	/* unaligned or empty ranges */
	unmap(cfd, 1 * MB + 1, 2 * MB, 0, EINVAL);
	unmap(cfd, 1 * MB, 0, 0, EINVAL);
	/* nothing there: success with size 0 */
	assert_int_equal(unmap(cfd, 64 * MB, MB, 0, 0), 0);
	/* a range covering several whole mappings */
	assert_int_equal(unmap(cfd, 0, 5 * MB, 0, 0), 4 * MB);
	assert_int_equal(fake_container_mappings(cfd, maps, 4), 0);
	/* unmap all */
	map(cfd, buf, 1 * MB, 2 * MB, 0);
	map(cfd, buf, 0x100000000ULL, 2 * MB, 0);
	unmap(cfd, 0, 4096, VFIO_DMA_UNMAP_FLAG_ALL, EINVAL);
	assert_int_equal(unmap(cfd, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, 0), 4 * MB);
	assert_int_equal(fake_container_mappings(cfd, maps, 4), 0);

	/* mappings die with the container's last group */
	map(cfd, buf, 1 * MB, 2 * MB, 0);
	close(gfd);
	assert_int_equal(fake_container_mappings(cfd, maps, 4), 0);
	assert_int_equal(fake_dma_mapping_count(), 0);
	close(cfd);
	munmap(buf, 7 * MB);
}

static void
test_type1v1_unmap(void **state)
{
	void *buf;
	int cfd, gfd;

	(void)state;
	buf = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	open_container_group(10, VFIO_TYPE1_IOMMU, &cfd, &gfd);
	map(cfd, buf, 1 * MB, 2 * MB, 0);
	/* starting inside a mapping: success, nothing unmapped */
	assert_int_equal(unmap(cfd, 2 * MB, 1 * MB, 0, 0), 0);
	assert_int_equal(fake_container_mappings(cfd, NULL, 0), 1);
	/* covering its first IOVA: the whole mapping goes */
	assert_int_equal(unmap(cfd, 1 * MB, 4096, 0, 0), 2 * MB);
	assert_int_equal(fake_container_mappings(cfd, NULL, 0), 0);
	close(gfd);
	close(cfd);
	munmap(buf, 4 * MB);
}

/* walk a type1 info capability chain for id */
static const struct vfio_info_cap_header *
find_cap(const void *info, uint32_t off, uint16_t id)
{
	while (off != 0) {
		const struct vfio_info_cap_header *h =
			(const void *)((const uint8_t *)info + off);

		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

static void
test_type1_info_and_limit(void **state)
{
	uint8_t buf[512] __attribute__((aligned(8)));
	struct vfio_iommu_type1_info *info = (void *)buf;
	const struct vfio_iommu_type1_info_cap_iova_range *r;
	const struct vfio_iommu_type1_info_dma_avail *a;
	void *mem;
	int cfd, gfd;

	(void)state;
	fake_config()->dma_entry_limit = 2;
	mem = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	open_container_group(10, VFIO_TYPE1v2_IOMMU, &cfd, &gfd);

	/* too small for the chain: argsz says how much is needed */
	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(*info);
	assert_ioctl_ok(cfd, VFIO_IOMMU_GET_INFO, info);
	assert_true(info->argsz > sizeof(*info));
	assert_int_equal(info->cap_offset, 0);
	assert_true((info->flags & VFIO_IOMMU_INFO_CAPS) != 0);
	info->argsz = 8;
	assert_ioctl_errno(cfd, VFIO_IOMMU_GET_INFO, info, EINVAL);

	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(buf);
	assert_ioctl_ok(cfd, VFIO_IOMMU_GET_INFO, info);
	assert_int_equal(info->cap_offset, sizeof(*info));
	assert_int_equal(info->iova_pgsizes & 0xfff, 0);
	assert_true((info->iova_pgsizes & 4096) != 0);
	r = (const void *)find_cap(info, info->cap_offset,
		VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
	assert_non_null(r);
	assert_int_equal(r->nr_iovas, 2);
	assert_int_equal(r->iova_ranges[0].start, 0);
	assert_int_equal(r->iova_ranges[0].end, 0xfedfffffULL);
	assert_int_equal(r->iova_ranges[1].start, 0xfef00000ULL);
	a = (const void *)find_cap(info, info->cap_offset,
		VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	assert_non_null(a);
	assert_int_equal(a->avail, 2);

	map(cfd, mem, 0x10000, 4096, 0);
	map(cfd, (char *)mem + 4096, 0x20000, 4096, 0);
	map(cfd, (char *)mem + 8192, 0x30000, 4096, ENOSPC);
	assert_ioctl_ok(cfd, VFIO_IOMMU_GET_INFO, info);
	a = (const void *)find_cap(info, info->cap_offset,
		VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	assert_int_equal(a->avail, 0);
	/* an unmap gives the entry back */
	assert_int_equal(unmap(cfd, 0x10000, 4096, 0, 0), 4096);
	map(cfd, (char *)mem + 8192, 0x30000, 4096, 0);
	close(gfd);
	close(cfd);
	munmap(mem, 3 * 4096);
}

static void
test_noiommu_group(void **state)
{
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m) };
	struct fake_pci_desc desc;
	int cfd, gfd, dfd, g3;

	(void)state;
	errno = 0;
	assert_int_equal(open("/dev/vfio/10", O_RDWR), -1);
	assert_int_equal(errno, ENOENT);
	cfd = open("/dev/vfio/vfio", O_RDWR);
	assert_true(cfd >= 0);
	/* before any group: every driver is asked */
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU), 1);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 1);
	gfd = open("/dev/vfio/noiommu-10", O_RDWR);
	assert_true(gfd >= 0);
	assert_ioctl_ok(gfd, VFIO_GROUP_SET_CONTAINER, &cfd);
	/* with a no-IOMMU group, only the no-IOMMU driver */
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 0);
	assert_ioctl_errno(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_TYPE1v2_IOMMU,
		ENODEV);
	assert_ioctl_ok(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_NOIOMMU_IOMMU);
	assert_ioctl_errno(cfd, VFIO_IOMMU_MAP_DMA, &m, ENOTTY);
	assert_ioctl_errno(cfd, VFIO_IOMMU_GET_INFO, &m, ENOTTY);
	dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0);
	assert_true(dfd >= 0);

	/* a device on a host driver: not in the VFIO group, group not viable */
	fake_pci_desc_default(&desc, "0000:00:11.0", 11);
	snprintf(desc.driver, sizeof(desc.driver), "e1000e");
	assert_int_equal(fake_pci_add(&desc), 0);
	{
		struct vfio_group_status st = { .argsz = sizeof(st) };
		int g2 = open("/dev/vfio/noiommu-11", O_RDWR);

		assert_true(g2 >= 0);
		assert_ioctl_ok(g2, VFIO_GROUP_GET_STATUS, &st);
		/* no-IOMMU groups are always viable: nothing to isolate */
		assert_int_equal(st.flags, VFIO_GROUP_FLAGS_VIABLE);
		close(g2);
	}

	/* an IOMMU group cannot join a no-IOMMU container */
	fake_config()->noiommu = false;
	fake_pci_desc_default(&desc, "0000:00:10.0", 30);
	assert_int_equal(fake_pci_add(&desc), 0);
	g3 = open("/dev/vfio/30", O_RDWR);
	assert_true(g3 >= 0);
	assert_ioctl_errno(g3, VFIO_GROUP_SET_CONTAINER, &cfd, EPERM);
	/* and no-IOMMU groups vanish when the parameter is off */
	errno = 0;
	assert_int_equal(open("/dev/vfio/noiommu-11", O_RDWR), -1);
	assert_int_equal(errno, ENOENT);
	close(g3);
	close(dfd);
	close(gfd);
	close(cfd);
}

static void
add_pf_vf(void)
{
	struct fake_pci_desc pf, vf;

	fake_pci_desc_default(&pf, "0000:01:00.0", 20);
	pf.sriov_pf = true;
	assert_int_equal(fake_pci_add(&pf), 0);
	fake_pci_desc_default(&vf, "0000:01:00.1", 21);
	snprintf(vf.pf_addr, sizeof(vf.pf_addr), "%s", pf.addr);
	assert_int_equal(fake_pci_add(&vf), 0);
}

static int
set_token(int dfd, const uint8_t uuid[16], uint32_t flags)
{
	uint8_t buf[sizeof(struct vfio_device_feature) + 16];
	struct vfio_device_feature *f = (void *)buf;

	f->argsz = sizeof(buf);
	f->flags = flags | VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
	memcpy(f->data, uuid, 16);
	return ioctl(dfd, VFIO_DEVICE_FEATURE, f);
}

#define TOKEN "2ab74924-c335-45f4-9b16-8569e5b08258"
static const uint8_t token_bytes[16] = {
	0x2a, 0xb7, 0x49, 0x24, 0xc3, 0x35, 0x45, 0xf4,
	0x9b, 0x16, 0x85, 0x69, 0xe5, 0xb0, 0x82, 0x58,
};

static void
test_vf_token_group(void **state)
{
	uint8_t got[16];
	int cfd, gpf, gvf, pf, vf, pf2, dfd;

	(void)state;
	add_pf_vf();
	open_container_group(20, VFIO_TYPE1v2_IOMMU, &cfd, &gpf);
	gvf = open("/dev/vfio/21", O_RDWR);
	assert_true(gvf >= 0);
	assert_ioctl_ok(gvf, VFIO_GROUP_SET_CONTAINER, &cfd);

	pf = ioctl(gpf, VFIO_GROUP_GET_DEVICE_FD, "0000:01:00.0");
	assert_true(pf >= 0);
	/* GET is refused; PROBE of SET is fine; SET stores the token */
	errno = 0;
	assert_int_equal(set_token(pf, token_bytes, VFIO_DEVICE_FEATURE_GET), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(set_token(pf, token_bytes, VFIO_DEVICE_FEATURE_SET |
		VFIO_DEVICE_FEATURE_PROBE), 0);
	assert_int_equal(set_token(pf, token_bytes, VFIO_DEVICE_FEATURE_SET), 0);
	assert_int_equal(fake_device_vf_token("0000:01:00.0", got), 0);
	assert_memory_equal(got, token_bytes, 16);

	/* the VF needs the PF's token */
	assert_ioctl_errno(gvf, VFIO_GROUP_GET_DEVICE_FD, "0000:01:00.1", EACCES);
	assert_ioctl_errno(gvf, VFIO_GROUP_GET_DEVICE_FD,
		"0000:01:00.1 vf_token=00000000-0000-0000-0000-000000000000",
		EACCES);
	assert_ioctl_errno(gvf, VFIO_GROUP_GET_DEVICE_FD,
		"0000:01:00.1 vf_token=2ab74924-c335-45f4-9b16", EINVAL);
	assert_ioctl_errno(gvf, VFIO_GROUP_GET_DEVICE_FD,
		"0000:01:00.1 vf_token=2ab74924_c335-45f4-9b16-8569e5b08258",
		EINVAL);
	vf = ioctl(gvf, VFIO_GROUP_GET_DEVICE_FD, "0000:01:00.1 vf_token=" TOKEN);
	assert_true(vf >= 0);
	/* with a VF in use, the PF also needs the token */
	assert_ioctl_errno(gpf, VFIO_GROUP_GET_DEVICE_FD, "0000:01:00.0", EACCES);
	pf2 = ioctl(gpf, VFIO_GROUP_GET_DEVICE_FD, "0000:01:00.0 vf_token=" TOKEN);
	assert_true(pf2 >= 0);
	/* the feature exists on PFs only */
	errno = 0;
	assert_int_equal(set_token(vf, token_bytes, VFIO_DEVICE_FEATURE_SET), -1);
	assert_int_equal(errno, ENOTTY);
	close(vf);
	close(pf2);
	/* no VF left: a PF open with a token sets it */
	dfd = ioctl(gpf, VFIO_GROUP_GET_DEVICE_FD,
		"0000:01:00.0 vf_token=11111111-2222-3333-4444-555555555555");
	assert_true(dfd >= 0);
	assert_int_equal(fake_device_vf_token("0000:01:00.0", got), 0);
	assert_int_equal(got[0], 0x11);
	close(dfd);
	close(pf);
	close(gvf);
	close(gpf);
	close(cfd);
}

static void
test_spapr(void **state)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
	struct vfio_iommu_spapr_register_memory reg = { .argsz = sizeof(reg) };
	struct vfio_iommu_spapr_tce_create cr = { .argsz = sizeof(cr) };
	struct vfio_iommu_spapr_tce_remove rm = { .argsz = sizeof(rm) };
	struct fake_dma maps[4];
	void *buf;
	int cfd, gfd;

	(void)state;
	fake_config()->spapr = true;
	buf = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	open_container_group(10, 0, &cfd, &gfd);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 0);
	assert_int_equal(ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU), 1);
	assert_ioctl_ok(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_SPAPR_TCE_v2_IOMMU);
	assert_ioctl_ok(cfd, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info);
	assert_int_equal(info.dma32_window_size, 1U << 30);
	/* nothing registered: not enabled */
	map(cfd, buf, 0, MB, EPERM);
	reg.vaddr = (uintptr_t)buf;
	reg.size = 4 * MB;
	assert_ioctl_ok(cfd, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg);
	/* replace the default window by a large one */
	rm.start_addr = info.dma32_window_start;
	assert_ioctl_ok(cfd, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm);
	assert_ioctl_errno(cfd, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm, EINVAL);
	cr.page_shift = 12;
	cr.window_size = 1ULL << 40;
	cr.levels = 1;
	assert_ioctl_ok(cfd, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr);
	map(cfd, buf, cr.start_addr + MB, 2 * MB, 0);
	map(cfd, buf, (1ULL << 40) + cr.start_addr, MB, ENXIO);
	/* partial unmap splits the mapping */
	assert_int_equal(unmap(cfd, cr.start_addr + 2 * MB, MB, 0, 0), MB);
	assert_int_equal(fake_container_mappings(cfd, maps, 4), 1);
	assert_int_equal(maps[0].size, MB);
	close(gfd);
	close(cfd);
	munmap(buf, 4 * MB);
}

static void
test_fslmc(void **state)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	char path[PATH_MAX], link[PATH_MAX];
	int cfd, gfd, dfd;
	ssize_t n;

	(void)state;
	assert_int_equal(fake_fslmc_add("dprc.1", 40), 0);
	assert_int_equal(fake_fslmc_add("dpni.0", 40), 0);
	snprintf(path, sizeof(path), "%s/sys/bus/fsl-mc/devices/dpni.0/driver",
		fake_sysfs_root());
	n = readlink(path, link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = '\0';
	assert_string_equal(link, "../../../bus/fsl-mc/drivers/vfio-fsl-mc");
	open_container_group(40, VFIO_TYPE1v2_IOMMU, &cfd, &gfd);
	dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, "dprc.1");
	assert_true(dfd >= 0);
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_INFO, &info);
	assert_true((info.flags & VFIO_DEVICE_FLAGS_FSL_MC) != 0);
	close(dfd);
	close(gfd);
	close(cfd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_vfio, fake_teardown),
		cmocka_unit_test_setup_teardown(test_sysfs_layout, setup_group,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_eal_sysfs_root, setup_group,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_container_set_iommu,
			setup_group, fake_teardown),
		cmocka_unit_test_setup_teardown(test_group_status_and_viability,
			setup_group, fake_teardown),
		cmocka_unit_test_setup_teardown(test_get_device_fd, setup_group,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_type1v2_map_unmap,
			setup_group, fake_teardown),
		cmocka_unit_test_setup_teardown(test_type1v1_unmap, setup_group,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_type1_info_and_limit,
			setup_group, fake_teardown),
		cmocka_unit_test_setup_teardown(test_noiommu_group,
			setup_noiommu, fake_teardown),
		cmocka_unit_test_setup_teardown(test_vf_token_group, setup_group,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_spapr, setup_group,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_fslmc, setup_group,
			fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
