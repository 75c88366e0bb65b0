/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fake kernel's cdev backend: /dev/iommu IOASes (map, unmap, ranges,
 * options), device cdev bind/attach/detach, the cdev VF token (6.17) and
 * no-IOMMU cdev with IOMMU_IOAS_NOIOMMU_GET_PA.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/iommufd.h>

#include "fake_test.h"

#define DEV0 "0000:00:01.0"
#define MB (1ULL << 20)

static int
setup_cdev(void **state)
{
	(void)state;
	return fake_machine_setup(FAKE_MODE_CDEV, 2);
}

static int
setup_noiommu_cdev(void **state)
{
	(void)state;
	return fake_machine_setup(FAKE_MODE_NOIOMMU_CDEV, 1);
}

static uint32_t
ioas_alloc(int ifd)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	assert_ioctl_ok(ifd, IOMMU_IOAS_ALLOC, &a);
	assert_true(a.out_ioas_id != 0);
	return a.out_ioas_id;
}

static int
ioas_map(int ifd, uint32_t ioas, void *va, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas, .user_va = (uintptr_t)va, .length = len,
		.iova = iova,
	};

	return ioctl(ifd, IOMMU_IOAS_MAP, &m);
}

/* unmapped length, or -errno */
static int64_t
ioas_unmap(int ifd, uint32_t ioas, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_unmap u = {
		.size = sizeof(u), .ioas_id = ioas, .iova = iova, .length = len,
	};

	if (ioctl(ifd, IOMMU_IOAS_UNMAP, &u) != 0)
		return -errno;
	return (int64_t)u.length;
}

static int
bind(int dfd, int ifd, uint32_t flags, const uint8_t *token, uint32_t *devid)
{
	struct vfio_device_bind_iommufd b = {
		.argsz = sizeof(b), .flags = flags, .iommufd = ifd,
		.token_uuid_ptr = (uintptr_t)token,
	};
	int ret = ioctl(dfd, VFIO_DEVICE_BIND_IOMMUFD, &b);

	if (ret == 0 && devid != NULL)
		*devid = b.out_devid;
	return ret;
}

static int
attach(int dfd, uint32_t pt)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a), .pt_id = pt };

	return ioctl(dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a);
}

static void
test_nodes(void **state)
{
	char path[PATH_MAX];
	struct stat st;

	(void)state;
	assert_int_equal(stat("/dev/vfio/devices", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(stat("/dev/iommu", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(access("/dev/vfio/devices/vfio1", F_OK), 0);
	assert_int_equal(access("/dev/vfio/devices/vfio2", F_OK), -1);
	assert_int_equal(access("/dev/vfio/devices/noiommu-vfio0", F_OK), -1);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/" DEV0
		"/vfio-dev/vfio0", fake_sysfs_root());
	assert_int_equal(access(path, F_OK), 0);
	errno = 0;
	assert_int_equal(open("/dev/vfio/devices", O_RDONLY), -1);
	assert_int_equal(errno, EISDIR);
	/* a 6.12 kernel: no GET_PA */
	{
		struct iommu_ioas_noiommu_get_pa g = { .size = sizeof(g) };
		int ifd = open("/dev/iommu", O_RDWR);

		assert_true(ifd >= 0);
		g.ioas_id = ioas_alloc(ifd);
		assert_ioctl_errno(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g, ENOTTY);
		assert_ioctl_errno(ifd, VFIO_GET_API_VERSION, NULL, ENOTTY);
		close(ifd);
	}
}

static void
test_ioas_map_unmap(void **state)
{
	struct fake_dma maps[4];
	struct iommu_destroy d = { .size = sizeof(d) };
	uint32_t ioas, ioas2;
	void *buf;
	int ifd;

	(void)state;
	buf = mmap(NULL, 8 * MB, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	ifd = open("/dev/iommu", O_RDWR);
	assert_true(ifd >= 0);
	ioas = ioas_alloc(ifd);
	ioas2 = ioas_alloc(ifd);
	assert_int_not_equal(ioas, ioas2);
	assert_int_equal(fake_ioas_count(ifd), 2);

	/* maps work with no device attached */
	assert_int_equal(ioas_map(ifd, ioas, buf, 1 * MB, 2 * MB), 0);
	assert_int_equal(ioas_map(ifd, ioas, buf, 3 * MB, 2 * MB), 0);
	assert_int_equal(ioas_map(ifd, ioas, buf, 4 * MB, 4096), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(ioas_map(ifd, ioas, buf, 8 * MB, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ioas_map(ifd, 99, buf, 8 * MB, 4096), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(fake_ioas_mappings(ifd, ioas, maps, 4), 2);
	assert_int_equal(fake_ioas_mappings(ifd, ioas2, maps, 4), 0);
	assert_int_equal(fake_dma_mapping_count(), 2);

	/* unmap: nothing there, or cutting an area: ENOENT */
	assert_int_equal(ioas_unmap(ifd, ioas, 64 * MB, MB), -ENOENT);
	assert_int_equal(ioas_unmap(ifd, ioas, 1 * MB, MB), -ENOENT);
	assert_int_equal(ioas_unmap(ifd, ioas, 1 * MB, 0), -EINVAL);
	assert_int_equal(fake_ioas_mappings(ifd, ioas, maps, 4), 2);
	/* the first area is covered, the second is cut: the first goes */
	assert_int_equal(ioas_unmap(ifd, ioas, 1 * MB, 3 * MB), -ENOENT);
	assert_int_equal(fake_ioas_mappings(ifd, ioas, maps, 4), 1);
	assert_int_equal(maps[0].iova, 3 * MB);
	assert_int_equal(ioas_unmap(ifd, ioas, 0, 16 * MB), 2 * MB);
	/* everything */
	assert_int_equal(ioas_map(ifd, ioas, buf, 1 * MB, 2 * MB), 0);
	assert_int_equal(ioas_map(ifd, ioas, buf, 5 * MB, 2 * MB), 0);
	assert_int_equal(ioas_unmap(ifd, ioas, 0, UINT64_MAX), 4 * MB);
	assert_int_equal(ioas_unmap(ifd, ioas, 0, UINT64_MAX), 0);

	/* kernel-chosen IOVA */
	{
		struct iommu_ioas_map m = {
			.size = sizeof(m), .flags = IOMMU_IOAS_MAP_READABLE,
			.ioas_id = ioas, .user_va = (uintptr_t)buf, .length = MB,
		};

		assert_ioctl_ok(ifd, IOMMU_IOAS_MAP, &m);
		assert_true(m.iova != 0);
		assert_int_equal(fake_ioas_mappings(ifd, ioas, maps, 4), 1);
		assert_int_equal(maps[0].iova, m.iova);
		m.flags = 0;
		assert_ioctl_errno(ifd, IOMMU_IOAS_MAP, &m, EINVAL);
		m.flags = 1U << 7;
		assert_ioctl_errno(ifd, IOMMU_IOAS_MAP, &m, EOPNOTSUPP);
	}
	/* struct sizes: too small, or larger with non-zero tail */
	{
		uint8_t big[sizeof(struct iommu_ioas_alloc) + 8] = { 0 };
		struct iommu_ioas_alloc *a = (void *)big;

		a->size = 8;
		assert_ioctl_errno(ifd, IOMMU_IOAS_ALLOC, a, EINVAL);
		a->size = sizeof(big);
		big[sizeof(big) - 1] = 1;
		assert_ioctl_errno(ifd, IOMMU_IOAS_ALLOC, a, E2BIG);
		big[sizeof(big) - 1] = 0;
		assert_ioctl_ok(ifd, IOMMU_IOAS_ALLOC, a);
		d.id = a->out_ioas_id;
		assert_ioctl_ok(ifd, IOMMU_DESTROY, &d);
	}
	d.id = ioas2;
	assert_ioctl_ok(ifd, IOMMU_DESTROY, &d);
	assert_ioctl_errno(ifd, IOMMU_DESTROY, &d, ENOENT);
	assert_int_equal(fake_ioas_count(ifd), 1);
	assert_int_equal(fake_dma_mapping_count(), 1);
	/* closing the iommufd frees its IOASes and their mappings */
	close(ifd);
	assert_int_equal(fake_dma_mapping_count(), 0);
	munmap(buf, 8 * MB);
}

static void
test_ioas_ranges_options(void **state)
{
	struct iommu_iova_range r[4];
	struct iommu_ioas_iova_ranges q = { .size = sizeof(q) };
	struct iommu_option o = { .size = sizeof(o) };
	int ifd, dfd;

	(void)state;
	ifd = open("/dev/iommu", O_RDWR);
	assert_true(ifd >= 0);
	q.ioas_id = ioas_alloc(ifd);
	q.allowed_iovas = (uintptr_t)r;
	q.num_iovas = 4;
	/* no device: nothing reserved */
	assert_ioctl_ok(ifd, IOMMU_IOAS_IOVA_RANGES, &q);
	assert_int_equal(q.num_iovas, 1);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].last, UINT64_MAX);
	/* with a device: the IOMMU's apertures, and the answer may not fit */
	dfd = open("/dev/vfio/devices/vfio0", O_RDWR);
	assert_true(dfd >= 0);
	assert_int_equal(bind(dfd, ifd, 0, NULL, NULL), 0);
	assert_int_equal(attach(dfd, q.ioas_id), 0);
	q.num_iovas = 1;
	assert_ioctl_errno(ifd, IOMMU_IOAS_IOVA_RANGES, &q, EMSGSIZE);
	assert_int_equal(q.num_iovas, 2);
	q.num_iovas = 4;
	assert_ioctl_ok(ifd, IOMMU_IOAS_IOVA_RANGES, &q);
	assert_int_equal(r[0].last, 0xfedfffffULL);
	assert_int_equal(r[1].start, 0xfef00000ULL);
	assert_int_equal(q.out_iova_alignment, 4096);
	/* an IOVA in the MSI window is refused now */
	{
		void *va = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);

		assert_int_equal(ioas_map(ifd, q.ioas_id, va, 0xfee00000ULL, 4096), -1);
		assert_int_equal(errno, EINVAL);
		munmap(va, 4096);
	}

	o.option_id = IOMMU_OPTION_HUGE_PAGES;
	o.op = IOMMU_OPTION_OP_GET;
	o.object_id = q.ioas_id;
	assert_ioctl_ok(ifd, IOMMU_OPTION, &o);
	assert_int_equal(o.val64, 1);
	o.op = IOMMU_OPTION_OP_SET;
	o.val64 = 0;
	assert_ioctl_ok(ifd, IOMMU_OPTION, &o);
	o.val64 = 2;
	assert_ioctl_errno(ifd, IOMMU_OPTION, &o, EINVAL);
	o.op = IOMMU_OPTION_OP_GET;
	assert_ioctl_ok(ifd, IOMMU_OPTION, &o);
	assert_int_equal(o.val64, 0);
	o.option_id = IOMMU_OPTION_RLIMIT_MODE;
	o.op = IOMMU_OPTION_OP_SET;
	o.val64 = 1;
	assert_ioctl_errno(ifd, IOMMU_OPTION, &o, EOPNOTSUPP);	/* object_id */
	o.object_id = 0;
	assert_ioctl_errno(ifd, IOMMU_OPTION, &o, EBUSY);	/* objects exist */
	o.option_id = 9;
	assert_ioctl_errno(ifd, IOMMU_OPTION, &o, EOPNOTSUPP);
	close(dfd);
	close(ifd);
}

static void
test_bind_attach(void **state)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_device_detach_iommufd_pt det = { .argsz = sizeof(det) };
	struct iommu_destroy d = { .size = sizeof(d) };
	uint32_t ioas, devid = 0;
	int ifd, dfd, dfd2, gfd;

	(void)state;
	ifd = open("/dev/iommu", O_RDWR);
	dfd = open("/dev/vfio/devices/vfio0", O_RDWR);
	assert_true(ifd >= 0 && dfd >= 0);
	ioas = ioas_alloc(ifd);
	/* nothing but bind before bind */
	assert_ioctl_errno(dfd, VFIO_DEVICE_GET_INFO, &info, EINVAL);
	assert_int_equal(attach(dfd, ioas), -1);
	assert_int_equal(errno, EINVAL);
	/* bad iommufd, not an iommufd, 6.12 rejects the token flag */
	assert_int_equal(bind(dfd, -1, 0, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(bind(dfd, 4000, 0, NULL, NULL), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(bind(dfd, 0, 0, NULL, NULL), -1);
	assert_int_equal(errno, EBADFD);
	assert_int_equal(bind(dfd, ifd, VFIO_DEVICE_BIND_FLAG_TOKEN,
		(const uint8_t *)"0123456789abcdef", NULL), -1);
	assert_int_equal(errno, EINVAL);

	assert_int_equal(bind(dfd, ifd, 0, NULL, &devid), 0);
	assert_true(devid != 0 && devid != ioas);
	assert_int_equal(bind(dfd, ifd, 0, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_INFO, &info);
	assert_int_equal(fake_device_attached_ioas(DEV0), 0);
	/* one binding per device; the group interface is locked out */
	dfd2 = open("/dev/vfio/devices/vfio0", O_RDWR);
	assert_true(dfd2 >= 0);
	assert_int_equal(bind(dfd2, ifd, 0, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	close(dfd2);
	errno = 0;
	assert_int_equal(open("/dev/vfio/10", O_RDWR), -1);
	assert_int_equal(errno, EBUSY);
	/* and a device opened through its group cannot bind */
	gfd = open("/dev/vfio/11", O_RDWR);
	assert_true(gfd >= 0);
	dfd2 = open("/dev/vfio/devices/vfio1", O_RDWR);
	assert_int_equal(bind(dfd2, ifd, 0, NULL, NULL), -1);
	assert_int_equal(errno, EBUSY);
	close(dfd2);
	close(gfd);

	assert_int_equal(attach(dfd, 77), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(attach(dfd, ioas), 0);
	assert_int_equal(fake_device_attached_ioas(DEV0), ioas);
	d.id = ioas;
	assert_ioctl_errno(ifd, IOMMU_DESTROY, &d, EBUSY);
	d.id = devid;
	assert_ioctl_errno(ifd, IOMMU_DESTROY, &d, EBUSY);
	assert_ioctl_ok(dfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &det);
	assert_int_equal(fake_device_attached_ioas(DEV0), 0);
	assert_int_equal(attach(dfd, ioas), 0);
	/* closing the iommufd first: the bound device keeps it alive */
	close(ifd);
	assert_int_equal(fake_device_attached_ioas(DEV0), ioas);
	close(dfd);
	assert_int_equal(fake_device_attached_ioas(DEV0), -1);
	assert_int_equal(fake_device_open_count(DEV0), 0);
}

static void
test_bind_non_viable(void **state)
{
	int ifd, dfd;

	(void)state;
	assert_int_equal(fake_group_set_viable(10, false), 0);
	ifd = open("/dev/iommu", O_RDWR);
	dfd = open("/dev/vfio/devices/vfio0", O_RDWR);
	assert_int_equal(bind(dfd, ifd, 0, NULL, NULL), -1);
	assert_int_equal(errno, EPERM);
	close(dfd);
	close(ifd);
}

static void
test_bind_token(void **state)
{
	static const uint8_t tok[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const uint8_t bad[16] = { 9 };
	uint8_t buf[sizeof(struct vfio_device_feature) + 16];
	struct vfio_device_feature *f = (void *)buf;
	struct fake_pci_desc pf, vf;
	int ifd, pfd, vfd, vfd2, vfd3;

	(void)state;
	fake_pci_desc_default(&pf, "0000:01:00.0", 20);
	pf.sriov_pf = true;
	assert_int_equal(fake_pci_add(&pf), 0);
	fake_pci_desc_default(&vf, "0000:01:00.1", 21);
	snprintf(vf.pf_addr, sizeof(vf.pf_addr), "%s", pf.addr);
	assert_int_equal(fake_pci_add(&vf), 0);
	ifd = open("/dev/iommu", O_RDWR);
	pfd = open("/dev/vfio/devices/vfio2", O_RDWR);
	vfd = open("/dev/vfio/devices/vfio3", O_RDWR);
	vfd2 = open("/dev/vfio/devices/vfio3", O_RDWR);
	vfd3 = open("/dev/vfio/devices/vfio3", O_RDWR);
	assert_true(ifd >= 0 && pfd >= 0 && vfd >= 0 && vfd2 >= 0 && vfd3 >= 0);

	assert_int_equal(bind(pfd, ifd, 0, NULL, NULL), 0);
	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
	memcpy(f->data, tok, 16);
	assert_ioctl_ok(pfd, VFIO_DEVICE_FEATURE, f);

	/* 6.17 rules */
	fake_config()->bind_token = true;
	assert_int_equal(bind(vfd, ifd, 0, NULL, NULL), -1);
	assert_int_equal(errno, EACCES);
	assert_int_equal(bind(vfd, ifd, VFIO_DEVICE_BIND_FLAG_TOKEN, bad, NULL), -1);
	assert_int_equal(errno, EACCES);
	{
		/* the 6.12 struct size cannot carry a token */
		struct vfio_device_bind_iommufd b = {
			.argsz = 16, .flags = VFIO_DEVICE_BIND_FLAG_TOKEN,
			.iommufd = ifd,
		};

		assert_ioctl_errno(vfd, VFIO_DEVICE_BIND_IOMMUFD, &b, EINVAL);
	}
	assert_int_equal(bind(vfd, ifd, VFIO_DEVICE_BIND_FLAG_TOKEN, tok, NULL), 0);
	close(vfd);
	/* 6.12: no token check on the cdev at all */
	fake_config()->bind_token = false;
	assert_int_equal(bind(vfd2, ifd, 0, NULL, NULL), 0);
	close(vfd2);
	assert_int_equal(bind(vfd3, ifd, VFIO_DEVICE_BIND_FLAG_TOKEN, tok, NULL), -1);
	assert_int_equal(errno, EINVAL);
	close(vfd3);
	close(pfd);
	close(ifd);
}

static void
test_noiommu_cdev_get_pa(void **state)
{
	struct iommu_ioas_noiommu_get_pa g = { .size = sizeof(g) };
	char path[PATH_MAX];
	uint8_t *buf;
	uint32_t ioas;
	uint64_t va;
	int ifd, dfd;

	(void)state;
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/" DEV0
		"/vfio-dev/noiommu-vfio0", fake_sysfs_root());
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(access("/dev/vfio/devices/vfio0", F_OK), -1);
	assert_int_equal(access("/dev/vfio/noiommu-10", F_OK), 0);
	ifd = open("/dev/iommu", O_RDWR);
	dfd = open("/dev/vfio/devices/noiommu-vfio0", O_RDWR);
	assert_true(ifd >= 0 && dfd >= 0);
	ioas = ioas_alloc(ifd);
	assert_int_equal(bind(dfd, ifd, 0, NULL, NULL), 0);
	assert_int_equal(attach(dfd, ioas), 0);

	/* 4 MiB at a 2 MiB-aligned address: runs of 512 pages */
	buf = mmap(NULL, 6 * MB, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	va = ((uintptr_t)buf + 2 * MB - 1) & ~(2 * MB - 1);
	assert_int_equal(ioas_map(ifd, ioas, (void *)(uintptr_t)va, 16 * MB,
		4 * MB), 0);

	g.ioas_id = ioas;
	g.iova = 16 * MB + 4096;
	g.length = 4 * MB;
	assert_ioctl_ok(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g);
	assert_int_equal(g.out_phys, fake_noiommu_pa(va + 4096));
	assert_int_equal(g.length, 2 * MB - 4096);	/* to the end of the run */
	/* the next run is elsewhere */
	g.iova = 16 * MB + 2 * MB;
	g.length = 4 * MB;
	assert_ioctl_ok(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g);
	assert_int_equal(g.out_phys, fake_noiommu_pa(va + 2 * MB));
	assert_int_not_equal(g.out_phys, fake_noiommu_pa(va + 2 * MB - 4096) + 4096);
	assert_int_equal(g.length, 2 * MB);
	/* capped by the request */
	g.length = 8192;
	assert_ioctl_ok(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g);
	assert_int_equal(g.length, 8192);
	/* not mapped, zero length, unknown IOAS, reserved flags */
	g.iova = 64 * MB;
	assert_ioctl_errno(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g, ENOENT);
	g.iova = 16 * MB;
	g.length = 0;
	assert_ioctl_errno(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g, EINVAL);
	g.length = 4096;
	g.ioas_id = 99;
	assert_ioctl_errno(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g, ENOENT);
	g.ioas_id = ioas;
	g.flags = 1;
	assert_ioctl_errno(ifd, IOMMU_IOAS_NOIOMMU_GET_PA, &g, EOPNOTSUPP);
	close(dfd);
	close(ifd);
	munmap(buf, 6 * MB);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nodes, setup_cdev,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_ioas_map_unmap, setup_cdev,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_ioas_ranges_options,
			setup_cdev, fake_teardown),
		cmocka_unit_test_setup_teardown(test_bind_attach, setup_cdev,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_bind_non_viable, setup_cdev,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_bind_token, setup_cdev,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_noiommu_cdev_get_pa,
			setup_noiommu_cdev, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
