/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fake kernel's device fds (info, regions with sparse mmap, mmap and
 * pread/pwrite, IRQs, reset), fault injection and leak accounting.
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fake_test.h"

#define DEV0 "0000:00:01.0"
#define BAR_OFF(i) ((off_t)(i) << 40)

static int cfd, gfd, dfd;

/* a group-mode machine with DEV0 open */
static int
setup_device(void **state)
{
	(void)state;
	if (fake_machine_setup(FAKE_MODE_GROUP, 1) != 0)
		return -1;
	cfd = open("/dev/vfio/vfio", O_RDWR);
	gfd = open("/dev/vfio/10", O_RDWR);
	if (cfd < 0 || gfd < 0 || ioctl(gfd, VFIO_GROUP_SET_CONTAINER, &cfd) != 0 ||
			ioctl(cfd, VFIO_SET_IOMMU, (unsigned long)VFIO_TYPE1v2_IOMMU) != 0)
		return -1;
	dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0);
	return dfd >= 0 ? 0 : -1;
}

static void
close_device(void)
{
	close(dfd);
	close(gfd);
	close(cfd);
}

static void
test_device_info(void **state)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };

	(void)state;
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_INFO, &info);
	/* a capability chain (AtomicOp completion) that does not fit */
	assert_int_equal(info.flags, VFIO_DEVICE_FLAGS_PCI |
		VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_CAPS);
	assert_int_equal(info.argsz, sizeof(info) +
		sizeof(struct vfio_device_info_cap_pci_atomic_comp));
	assert_int_equal(info.cap_offset, 0);
	assert_int_equal(info.num_regions, VFIO_PCI_NUM_REGIONS);
	assert_int_equal(info.num_irqs, VFIO_PCI_NUM_IRQS);
	info.argsz = 8;
	assert_ioctl_errno(dfd, VFIO_DEVICE_GET_INFO, &info, EINVAL);

	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_REGION_INFO, &reg);
	assert_int_equal(reg.size, 256);
	assert_int_equal(reg.flags, VFIO_REGION_INFO_FLAG_READ |
		VFIO_REGION_INFO_FLAG_WRITE);
	assert_int_equal(reg.offset, BAR_OFF(VFIO_PCI_CONFIG_REGION_INDEX));
	reg.index = VFIO_PCI_BAR2_REGION_INDEX;
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_REGION_INFO, &reg);
	assert_int_equal(reg.size, 1 << 20);
	assert_true((reg.flags & VFIO_REGION_INFO_FLAG_MMAP) != 0);
	reg.index = VFIO_PCI_BAR1_REGION_INDEX;
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_REGION_INFO, &reg);
	assert_int_equal(reg.size, 0);
	assert_int_equal(reg.flags, 0);
	reg.index = VFIO_PCI_NUM_REGIONS;
	assert_ioctl_errno(dfd, VFIO_DEVICE_GET_REGION_INFO, &reg, EINVAL);

	assert_ioctl_ok(dfd, VFIO_DEVICE_RESET, NULL);
	assert_ioctl_ok(dfd, VFIO_DEVICE_RESET, NULL);
	assert_int_equal(fake_device_reset_count(DEV0), 2);
	assert_ioctl_errno(dfd, VFIO_DEVICE_BIND_IOMMUFD, &info, EINVAL);
	assert_ioctl_errno(dfd, VFIO_GROUP_GET_STATUS, &info, ENOTTY);
	close_device();
}

static void
test_sparse_mmap(void **state)
{
	const struct vfio_region_sparse_mmap_area areas[2] = {
		{ .offset = 0, .size = 0x4000 },
		{ .offset = 0x8000, .size = 0x8000 },
	};
	uint8_t buf[256] __attribute__((aligned(8)));
	struct vfio_region_info *reg = (void *)buf;
	struct vfio_region_info_cap_sparse_mmap *cap;
	void *va;

	(void)state;
	assert_int_equal(fake_pci_set_sparse(DEV0, 2, areas, 2), 0);
	memset(buf, 0, sizeof(buf));
	reg->argsz = sizeof(*reg);
	reg->index = 2;
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_REGION_INFO, reg);
	assert_true((reg->flags & VFIO_REGION_INFO_FLAG_CAPS) != 0);
	assert_int_equal(reg->argsz, sizeof(*reg) + sizeof(*cap) + 2 * 16);
	assert_int_equal(reg->cap_offset, 0);
	reg->argsz = sizeof(buf);
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_REGION_INFO, reg);
	assert_int_equal(reg->cap_offset, sizeof(*reg));
	cap = (void *)(buf + reg->cap_offset);
	assert_int_equal(cap->header.id, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	assert_int_equal(cap->header.next, 0);
	assert_int_equal(cap->nr_areas, 2);
	assert_int_equal(cap->areas[1].offset, 0x8000);

	/* only inside an area */
	va = mmap(NULL, 0x8000, PROT_READ, MAP_SHARED, dfd, BAR_OFF(2) + 0x8000);
	assert_true(va != MAP_FAILED);
	errno = 0;
	assert_true(mmap(NULL, 0x8000, PROT_READ, MAP_SHARED, dfd,
		BAR_OFF(2)) == MAP_FAILED);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fake_live_mappings(), 1);
	assert_int_equal(munmap(va, 0x8000), 0);
	assert_int_equal(fake_live_mappings(), 0);
	close_device();
}

static void
test_mmap_and_rw(void **state)
{
	uint8_t b[4] = { 0 };
	uint32_t v = 0xdeadbeef, r = 0;
	uint8_t *va, *va2;

	(void)state;
	/* config space identifies the device */
	assert_int_equal(pread(dfd, b, 4, BAR_OFF(VFIO_PCI_CONFIG_REGION_INDEX)), 4);
	assert_int_equal(b[0] | b[1] << 8, 0x1b36);
	assert_int_equal(b[2] | b[3] << 8, 0x11e8);
	/* writes land; reads stop at the end of the region */
	b[0] = 0x06;
	assert_int_equal(pwrite(dfd, b, 1, BAR_OFF(VFIO_PCI_CONFIG_REGION_INDEX) + 4), 1);
	assert_int_equal(fake_device_config_byte(DEV0, 4), 0x06);
	assert_int_equal(pread(dfd, b, 4, BAR_OFF(VFIO_PCI_CONFIG_REGION_INDEX) + 254), 2);
	errno = 0;
	assert_int_equal(pread(dfd, b, 4, BAR_OFF(VFIO_PCI_CONFIG_REGION_INDEX) + 256), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pread(dfd, b, 4, BAR_OFF(VFIO_PCI_BAR1_REGION_INDEX)), -1);

	/* BAR memory is shared between mappings and pread/pwrite */
	va = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, BAR_OFF(0));
	assert_true(va != MAP_FAILED);
	va2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, BAR_OFF(0));
	assert_true(va2 != MAP_FAILED);
	memcpy(va + 16, &v, 4);
	assert_int_equal(pread(dfd, &r, 4, BAR_OFF(0) + 16), 4);
	assert_int_equal(r, 0xdeadbeef);
	assert_memory_equal(va2 + 16, &v, 4);
	assert_int_equal(fake_live_mappings(), 2);
	/* private, too long, unaligned, non-mmap regions */
	errno = 0;
	assert_true(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dfd, BAR_OFF(0)) ==
		MAP_FAILED);
	assert_int_equal(errno, EINVAL);
	assert_true(mmap(NULL, 8192, PROT_READ, MAP_SHARED, dfd, BAR_OFF(0)) ==
		MAP_FAILED);
	assert_true(mmap(NULL, 4096, PROT_READ, MAP_SHARED, dfd,
		BAR_OFF(VFIO_PCI_CONFIG_REGION_INDEX)) == MAP_FAILED);
	/* partial munmap keeps the rest accounted */
	assert_int_equal(munmap(va2, 4096), 0);
	assert_int_equal(fake_live_mappings(), 1);
	assert_int_equal(munmap(va, 4096), 0);
	assert_int_equal(fake_live_mappings(), 0);
	close_device();
}

static int
set_irqs(unsigned int index, uint32_t flags, unsigned int start,
		unsigned int count, const int32_t *fds)
{
	uint8_t buf[sizeof(struct vfio_irq_set) + 8 * sizeof(int32_t)];
	struct vfio_irq_set *s = (void *)buf;

	s->argsz = (uint32_t)(sizeof(*s) + ((flags & VFIO_IRQ_SET_DATA_EVENTFD) ?
		count * sizeof(int32_t) : (flags & VFIO_IRQ_SET_DATA_BOOL) ?
		count : 0));
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (fds != NULL)
		memcpy(s->data, fds, count * sizeof(int32_t));
	return ioctl(dfd, VFIO_DEVICE_SET_IRQS, s);
}

static void
test_irqs(void **state)
{
	struct vfio_irq_info info = { .argsz = sizeof(info) };
	const uint32_t trig_efd = VFIO_IRQ_SET_DATA_EVENTFD |
		VFIO_IRQ_SET_ACTION_TRIGGER;
	int32_t fds[2];
	int got[8];
	uint64_t cnt = 0;
	int notefd;

	(void)state;
	info.index = VFIO_PCI_MSIX_IRQ_INDEX;
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_IRQ_INFO, &info);
	assert_int_equal(info.count, 8);
	assert_int_equal(info.flags, VFIO_IRQ_INFO_EVENTFD);
	info.index = VFIO_PCI_INTX_IRQ_INDEX;
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_IRQ_INFO, &info);
	assert_int_equal(info.flags, VFIO_IRQ_INFO_EVENTFD |
		VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED);
	info.index = VFIO_PCI_NUM_IRQS;
	assert_ioctl_errno(dfd, VFIO_DEVICE_GET_IRQ_INFO, &info, EINVAL);

	fds[0] = eventfd(0, EFD_NONBLOCK);
	fds[1] = eventfd(0, EFD_NONBLOCK);
	assert_true(fds[0] >= 0 && fds[1] >= 0);
	/* disabling what is not enabled, beyond the count, bad fds */
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, trig_efd, 7, 2, fds), -1);
	assert_int_equal(errno, EINVAL);
	notefd = open("/dev/null", O_RDONLY);
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, trig_efd, 0, 1,
		&notefd), -1);
	assert_int_equal(errno, EINVAL);
	close(notefd);
	{
		int32_t bad = 4000;

		assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, trig_efd, 0, 1,
			&bad), -1);
		assert_int_equal(errno, EBADF);
	}
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_MASK, 0, 1, NULL), -1);
	assert_int_equal(errno, ENOTTY);
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, fds), -1);
	assert_int_equal(errno, EINVAL);

	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, trig_efd, 0, 2, fds), 0);
	assert_int_equal(fake_device_irq_eventfds(DEV0, VFIO_PCI_MSIX_IRQ_INDEX,
		got, 8), 2);
	assert_int_equal(got[0], fds[0]);
	assert_int_equal(got[1], fds[1]);
	/* another type while MSI-X is on */
	assert_int_equal(set_irqs(VFIO_PCI_MSI_IRQ_INDEX, trig_efd, 0, 1, fds), -1);
	assert_int_equal(errno, EINVAL);
	/* loopback trigger signals the eventfd */
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_TRIGGER, 1, 1, NULL), 0);
	assert_int_equal(read(fds[1], &cnt, sizeof(cnt)), sizeof(cnt));
	assert_int_equal(cnt, 1);
	assert_int_equal(read(fds[0], &cnt, sizeof(cnt)), -1);
	/* disable */
	assert_int_equal(set_irqs(VFIO_PCI_MSIX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, NULL), 0);
	assert_int_equal(fake_device_irq_eventfds(DEV0, VFIO_PCI_MSIX_IRQ_INDEX,
		got, 8), 0);

	/* INTx: trigger, mask, unmask */
	assert_int_equal(set_irqs(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_MASK, 0, 1, NULL), -1);
	assert_int_equal(set_irqs(VFIO_PCI_INTX_IRQ_INDEX, trig_efd, 0, 1, fds), 0);
	assert_int_equal(set_irqs(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_MASK, 0, 1, NULL), 0);
	assert_int_equal(fake_device_intx_masked(DEV0), 1);
	assert_int_equal(set_irqs(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE |
		VFIO_IRQ_SET_ACTION_UNMASK, 0, 1, NULL), 0);
	assert_int_equal(fake_device_intx_masked(DEV0), 0);
	/* ERR and REQ hold one eventfd each */
	assert_int_equal(set_irqs(VFIO_PCI_REQ_IRQ_INDEX, trig_efd, 0, 1, &fds[1]), 0);
	assert_int_equal(fake_device_irq_eventfds(DEV0, VFIO_PCI_REQ_IRQ_INDEX,
		got, 1), 1);
	assert_int_equal(got[0], fds[1]);
	/* closing the device releases every trigger */
	close(dfd);
	dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0);
	assert_true(dfd >= 0);
	assert_int_equal(fake_device_irq_eventfds(DEV0, VFIO_PCI_INTX_IRQ_INDEX,
		got, 8), 0);
	assert_int_equal(fake_device_irq_eventfds(DEV0, VFIO_PCI_REQ_IRQ_INDEX,
		got, 8), 0);
	close(fds[0]);
	close(fds[1]);
	close_device();
}

static void
test_fault_ioctl(void **state)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	unsigned int before = fake_ioctl_calls(VFIO_DEVICE_GET_INFO);

	(void)state;
	fake_fault_ioctl(VFIO_DEVICE_GET_INFO, 2, ENOMEM);
	/* each call raises argsz to the capability chain's size: reset it */
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_INFO, &info);
	info.argsz = sizeof(info);
	assert_ioctl_errno(dfd, VFIO_DEVICE_GET_INFO, &info, ENOMEM);
	info.argsz = sizeof(info);
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_INFO, &info);
	assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_GET_INFO), before + 3);
	/* a cleared fault does not fire */
	fake_fault_ioctl(VFIO_DEVICE_GET_INFO, 1, EIO);
	fake_fault_clear();
	info.argsz = sizeof(info);
	assert_ioctl_ok(dfd, VFIO_DEVICE_GET_INFO, &info);
	/* the failure replaces the kernel's answer: no state change */
	fake_fault_ioctl(VFIO_DEVICE_RESET, 1, EIO);
	assert_ioctl_errno(dfd, VFIO_DEVICE_RESET, NULL, EIO);
	assert_int_equal(fake_device_reset_count(DEV0), 0);
	close_device();
}

static void
test_fault_open_mmap(void **state)
{
	char path[512];
	void *va;

	(void)state;
	close_device();
	fake_fault_open("/dev/vfio/1", 2, EACCES);
	gfd = open("/dev/vfio/10", O_RDWR);
	assert_true(gfd >= 0);
	close(gfd);
	errno = 0;
	assert_int_equal(open("/dev/vfio/10", O_RDWR), -1);
	assert_int_equal(errno, EACCES);
	assert_int_equal(fake_open_fds(), 0);
	/* real paths too: a sysfs file */
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/" DEV0 "/vendor",
		fake_sysfs_root());
	fake_fault_open("/vendor", 1, EMFILE);
	assert_int_equal(open(path, O_RDONLY), -1);
	assert_int_equal(errno, EMFILE);
	fake_fault_path("stat", "/dev/vfio/vfio", 1, EACCES);
	assert_int_equal(access("/dev/vfio/vfio", F_OK), 0);
	{
		struct stat st;

		assert_int_equal(stat("/dev/vfio/vfio", &st), -1);
		assert_int_equal(errno, EACCES);
	}

	assert_int_equal(setup_device(state), 0);
	fake_fault_mmap(1, ENOMEM);
	errno = 0;
	assert_true(mmap(NULL, 4096, PROT_READ, MAP_SHARED, dfd, BAR_OFF(0)) ==
		MAP_FAILED);
	assert_int_equal(errno, ENOMEM);
	va = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dfd, BAR_OFF(0));
	assert_true(va != MAP_FAILED);
	munmap(va, 4096);
	close_device();
}

static void
test_leak_accounting(void **state)
{
	void *va;
	int fd;

	(void)state;
	va = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dfd, BAR_OFF(0));
	assert_true(va != MAP_FAILED);
	fd = dfd;
	assert_int_equal(fake_open_fds(), 3);
	assert_int_equal(fake_live_mappings(), 1);
	/* a reset closes and unmaps what the code under test leaked */
	fake_kernel_reset();
	assert_int_equal(fake_open_fds(), 0);
	assert_int_equal(fake_live_mappings(), 0);
	errno = 0;
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(fake_sysfs_root()[0], '\0');
	assert_null(getenv("RTE_EAL_SYSFS_ROOT"));
	/* and nothing is left for the teardown's check */
	fake_assert_no_leaks();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_device_info, setup_device,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_sparse_mmap, setup_device,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_mmap_and_rw, setup_device,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_irqs, setup_device,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_fault_ioctl, setup_device,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_fault_open_mmap, setup_device,
			fake_teardown),
		cmocka_unit_test_setup_teardown(test_leak_accounting,
			setup_device, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
