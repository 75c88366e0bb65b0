/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * rte_vfio_get_region_info() on the fake kernel: a region without
 * capabilities in one call, a sparse-mmap chain after the buffer grew, the
 * same answer from a group device fd and a bound cdev fd, and each failure
 * (first ioctl, second ioctl, first and second allocation, a chain that
 * grows again, bad arguments) giving its errno, one log line and no
 * allocation left behind. calloc and free are wrapped to count the
 * buffers the call keeps.
 */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/vfio.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_vfio.h>

#include "fake_kernel.h"
#include "fault.h"

#define DEV0 "0000:00:01.0"
#define DEV0_GROUP_NODE "/dev/vfio/10"
#define DEV0_CDEV_NODE "/dev/vfio/devices/vfio0"
#define BAR0_SIZE 0x1000   /* fake_machine_setup()'s BAR0 */
#define BAR2_SIZE 0x100000 /* and BAR2 */
#define CONFIG_SIZE 256
#define REGION_OFFSET(i) ((uint64_t)(i) << 40) /* vfio-pci's scheme */

/* ---- allocations made by the call under test ---------------------------- */

void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);
void __real_free(void *p);
void __wrap_free(void *p);

#define TRACK_MAX 8

static struct {
	bool on;            /* count only inside the call under test */
	void *live[TRACK_MAX];
	unsigned int callocs;
	/* before this calloc (1-based), the kernel's chain gets one more area */
	unsigned int grow_before;
} track;

static const struct vfio_region_sparse_mmap_area areas[] = {
	{ .offset = 0, .size = 0x4000 },
	{ .offset = 0x8000, .size = 0x8000 },
	{ .offset = 0x20000, .size = 0x1000 },
};

static unsigned int
live_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < TRACK_MAX; i++)
		if (track.live[i] != NULL)
			n++;
	return n;
}

void *
__wrap_calloc(size_t n, size_t size)
{
	unsigned int i;
	void *p;
	int err;

	if (!track.on)
		return __real_calloc(n, size);
	track.callocs++;
	if (track.grow_before == track.callocs)
		assert_int_equal(fake_pci_set_sparse(DEV0,
			VFIO_PCI_BAR2_REGION_INDEX, areas, RTE_DIM(areas)), 0);
	err = fault_check("calloc");
	if (err != 0) {
		errno = err;
		return NULL;
	}
	p = __real_calloc(n, size);
	for (i = 0; p != NULL && i < TRACK_MAX; i++)
		if (track.live[i] == NULL) {
			track.live[i] = p;
			break;
		}
	assert_true(i < TRACK_MAX);
	return p;
}

void
__wrap_free(void *p)
{
	unsigned int i;

	for (i = 0; p != NULL && i < TRACK_MAX; i++)
		if (track.live[i] == p)
			track.live[i] = NULL;
	__real_free(p);
}

/* ---- the machine and the log -------------------------------------------- */

static int cfd = -1, gfd = -1, dfd = -1;
static char log_buf[4096];
static FILE *log_f;

/*
 * A machine with both interfaces (the cdev preset keeps the container and
 * the groups), DEV0 open through its group, the log captured.
 */
static int
setup(void **state)
{
	(void)state;
	memset(&track, 0, sizeof(track));
	fault_reset();
	if (fake_machine_setup(FAKE_MODE_CDEV, 1) != 0)
		return -1;
	cfd = open(RTE_VFIO_CONTAINER_PATH, O_RDWR);
	gfd = open(DEV0_GROUP_NODE, O_RDWR);
	if (cfd < 0 || gfd < 0 ||
			ioctl(gfd, VFIO_GROUP_SET_CONTAINER, &cfd) != 0 ||
			ioctl(cfd, VFIO_SET_IOMMU,
				(unsigned long)VFIO_TYPE1v2_IOMMU) != 0)
		return -1;
	dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, DEV0);
	if (dfd < 0)
		return -1;
	memset(log_buf, 0, sizeof(log_buf));
	log_f = fmemopen(log_buf, sizeof(log_buf) - 1, "w");
	if (log_f == NULL)
		return -1;
	setvbuf(log_f, NULL, _IONBF, 0);
	rte_openlog_stream(log_f);
	return 0;
}

static int
teardown(void **state)
{
	rte_openlog_stream(NULL);
	fclose(log_f);
	log_f = NULL;
	if (dfd >= 0)
		close(dfd);
	if (gfd >= 0)
		close(gfd);
	if (cfd >= 0)
		close(cfd);
	dfd = gfd = cfd = -1;
	fault_reset();
	return fake_teardown(state);
}

static unsigned int
log_lines(void)
{
	unsigned int n = 0;
	const char *p;

	for (p = log_buf; *p != '\0'; p++)
		if (*p == '\n')
			n++;
	return n;
}

static void
assert_one_line(const char *what)
{
	if (log_lines() != 1 || strstr(log_buf, what) == NULL)
		fail_msg("expected one log line with \"%s\"; the log has:\n%s",
			what, log_buf);
}

/* the call under test, allocations counted; info preset to see it cleared */
static int
region_info(int fd, unsigned int index, struct vfio_region_info **info)
{
	int ret;

	if (info != NULL)
		*info = (void *)&track;
	track.on = true;
	track.callocs = 0;
	rte_errno = 0;
	ret = rte_vfio_get_region_info(fd, index, info);
	track.on = false;
	return ret;
}

static void
assert_fails(int fd, unsigned int index, int err)
{
	struct vfio_region_info *info;

	assert_int_equal(region_info(fd, index, &info), -1);
	assert_int_equal(rte_errno, err);
	assert_null(info);
	assert_int_equal(live_count(), 0);
}

static void
free_info(struct vfio_region_info *info)
{
	assert_int_equal(live_count(), 1);
	free(info);
	assert_int_equal(live_count(), 0);
}

static void
set_bar2_sparse(unsigned int nr)
{
	assert_int_equal(fake_pci_set_sparse(DEV0, VFIO_PCI_BAR2_REGION_INDEX,
		areas, nr), 0);
}

/* size of BAR2's info with a sparse-mmap capability of nr areas */
static size_t
sparse_argsz(unsigned int nr)
{
	return sizeof(struct vfio_region_info) +
		sizeof(struct vfio_region_info_cap_sparse_mmap) +
		nr * sizeof(struct vfio_region_sparse_mmap_area);
}

/* ---- answers ------------------------------------------------------------ */

static void
test_region_without_caps_takes_one_call(void **state)
{
	unsigned int before = fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO);
	struct vfio_region_info *info;

	(void)state;
	assert_int_equal(region_info(dfd, VFIO_PCI_CONFIG_REGION_INDEX, &info),
		0);
	assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO) - before,
		1);
	assert_int_equal(track.callocs, 1);
	assert_int_equal(info->argsz, sizeof(*info));
	assert_int_equal(info->index, VFIO_PCI_CONFIG_REGION_INDEX);
	assert_int_equal(info->size, CONFIG_SIZE);
	assert_int_equal(info->offset,
		REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX));
	assert_int_equal(info->flags, VFIO_REGION_INFO_FLAG_READ |
		VFIO_REGION_INFO_FLAG_WRITE);
	assert_int_equal(info->cap_offset, 0);
	free_info(info);

	assert_int_equal(region_info(dfd, VFIO_PCI_BAR0_REGION_INDEX, &info), 0);
	assert_int_equal(info->size, BAR0_SIZE);
	assert_true((info->flags & VFIO_REGION_INFO_FLAG_MMAP) != 0);
	free_info(info);
	assert_string_equal(log_buf, "");
}

static void
assert_bar2_sparse(const struct vfio_region_info *info, unsigned int nr)
{
	const struct vfio_region_info_cap_sparse_mmap *cap;
	unsigned int i;

	assert_int_equal(info->argsz, sparse_argsz(nr));
	assert_int_equal(info->size, BAR2_SIZE);
	assert_true((info->flags & VFIO_REGION_INFO_FLAG_CAPS) != 0);
	assert_int_equal(info->cap_offset, sizeof(*info));
	cap = (const void *)((const uint8_t *)info + info->cap_offset);
	assert_int_equal(cap->header.id, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	assert_int_equal(cap->header.next, 0);
	assert_int_equal(cap->nr_areas, nr);
	for (i = 0; i < nr; i++) {
		assert_int_equal(cap->areas[i].offset, areas[i].offset);
		assert_int_equal(cap->areas[i].size, areas[i].size);
	}
}

static void
test_capability_chain_grows_the_buffer(void **state)
{
	unsigned int before = fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO);
	struct vfio_region_info *info;

	(void)state;
	set_bar2_sparse(2);
	assert_int_equal(region_info(dfd, VFIO_PCI_BAR2_REGION_INDEX, &info), 0);
	assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO) - before,
		2);
	assert_int_equal(track.callocs, 2); /* the first buffer is gone */
	assert_bar2_sparse(info, 2);
	free_info(info);
	assert_string_equal(log_buf, "");
}

/* the interface does not matter: a bound cdev answers as a group device */
static void
test_cdev_fd_answers_alike(void **state)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_region_info *info;
	int ifd, cdev;

	(void)state;
	set_bar2_sparse(2);
	/* a device whose group is open cannot be bound as a cdev */
	close(dfd);
	close(gfd);
	dfd = gfd = -1;
	ifd = open(RTE_VFIO_IOMMUFD_PATH, O_RDWR);
	assert_true(ifd >= 0);
	cdev = open(DEV0_CDEV_NODE, O_RDWR);
	assert_true(cdev >= 0);
	/* not bound yet: the kernel refuses */
	assert_fails(cdev, VFIO_PCI_BAR2_REGION_INDEX, EIO);
	assert_one_line("VFIO_DEVICE_GET_REGION_INFO of region 2 failed: ");
	bind.iommufd = ifd;
	assert_int_equal(ioctl(cdev, VFIO_DEVICE_BIND_IOMMUFD, &bind), 0);
	assert_int_equal(region_info(cdev, VFIO_PCI_BAR2_REGION_INDEX, &info), 0);
	assert_bar2_sparse(info, 2);
	free_info(info);
	close(cdev);
	close(ifd);
}

/* ---- failures ----------------------------------------------------------- */

static void
test_first_ioctl_failure_is_eio(void **state)
{
	char want[128];

	(void)state;
	fake_fault_ioctl(VFIO_DEVICE_GET_REGION_INFO, 1, EFAULT);
	assert_fails(dfd, VFIO_PCI_BAR0_REGION_INDEX, EIO);
	snprintf(want, sizeof(want),
		"VFIO: device fd %d: VFIO_DEVICE_GET_REGION_INFO of region 0 failed: %s",
		dfd, strerror(EFAULT));
	assert_one_line(want);
}

static void
test_second_ioctl_failure_is_eio(void **state)
{
	char want[128];

	(void)state;
	set_bar2_sparse(2);
	fake_fault_ioctl(VFIO_DEVICE_GET_REGION_INFO, 2, ENOMEM);
	assert_fails(dfd, VFIO_PCI_BAR2_REGION_INDEX, EIO);
	assert_int_equal(track.callocs, 2);
	snprintf(want, sizeof(want),
		"VFIO: device fd %d: VFIO_DEVICE_GET_REGION_INFO of region 2 failed: %s",
		dfd, strerror(ENOMEM));
	assert_one_line(want);
}

static void
test_first_allocation_failure_is_enomem(void **state)
{
	unsigned int before = fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO);
	char want[128];

	(void)state;
	fault_arm("calloc", 1, ENOMEM);
	assert_fails(dfd, VFIO_PCI_BAR0_REGION_INDEX, ENOMEM);
	assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO), before);
	snprintf(want, sizeof(want),
		"VFIO: device fd %d: region 0: cannot allocate %zu bytes of region info",
		dfd, sizeof(struct vfio_region_info));
	assert_one_line(want);
}

static void
test_second_allocation_failure_is_enomem(void **state)
{
	unsigned int before = fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO);
	char want[128];

	(void)state;
	set_bar2_sparse(2);
	fault_arm("calloc", 2, ENOMEM);
	assert_fails(dfd, VFIO_PCI_BAR2_REGION_INDEX, ENOMEM);
	assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO) - before,
		1);
	snprintf(want, sizeof(want),
		"VFIO: device fd %d: region 2: cannot allocate %zu bytes of region info",
		dfd, sparse_argsz(2));
	assert_one_line(want);
}

/* the chain grew between the two calls: refused, not looped on */
static void
test_chain_growing_again_is_eio(void **state)
{
	char want[160];

	(void)state;
	set_bar2_sparse(2);
	track.grow_before = 2; /* a third area before the second call */
	assert_fails(dfd, VFIO_PCI_BAR2_REGION_INDEX, EIO);
	assert_int_equal(track.callocs, 2);
	snprintf(want, sizeof(want),
		"VFIO: device fd %d: VFIO_DEVICE_GET_REGION_INFO of region 2 asks for %zu bytes after 2 calls",
		dfd, sparse_argsz(3));
	assert_one_line(want);
}

static void
test_unknown_region_is_eio(void **state)
{
	char want[128];

	(void)state;
	assert_fails(dfd, VFIO_PCI_NUM_REGIONS, EIO);
	snprintf(want, sizeof(want), "of region %u failed: %s",
		VFIO_PCI_NUM_REGIONS, strerror(EINVAL));
	assert_one_line(want);
}

static void
test_bad_arguments_are_einval(void **state)
{
	unsigned int before = fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO);

	(void)state;
	assert_int_equal(region_info(dfd, 0, NULL), -1);
	assert_int_equal(rte_errno, EINVAL);
	assert_one_line("region 0: region info asked with no result pointer");
	assert_fails(-1, 0, EINVAL);
	assert_int_equal(track.callocs, 0);
	assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_GET_REGION_INFO), before);
	assert_non_null(strstr(log_buf,
		"device fd -1: region 0: region info asked with an invalid descriptor"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_region_without_caps_takes_one_call),
		T(test_capability_chain_grows_the_buffer),
		T(test_cdev_fd_answers_alike),
		T(test_first_ioctl_failure_is_eio),
		T(test_second_ioctl_failure_is_eio),
		T(test_first_allocation_failure_is_enomem),
		T(test_second_allocation_failure_is_enomem),
		T(test_chain_growing_again_is_eio),
		T(test_unknown_region_is_eio),
		T(test_bad_arguments_are_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
