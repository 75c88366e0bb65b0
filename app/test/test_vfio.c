/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * vfio_autotest: the rte_vfio API against the running kernel. The VM
 * harness runs it with --vfio-mode=<mode> and QEMU edu devices bound to
 * vfio-pci, listed in DPDK_VM_EDU_DEVS (space separated PCI addresses).
 * Without VFIO it skips, saying why; without devices it runs the container
 * checks and then skips, saying which checks did not run.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <sys/ioctl.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_uuid.h>
#include <rte_vfio.h>

#include "test.h"
#include "vfio_lanes.h"

#define PCI_SYSFS "/sys/bus/pci/devices"
#define EDU_ENV "DPDK_VM_EDU_DEVS"
/* the primary tells its secondary which mode it must find */
#define MODE_ENV "DPDK_TEST_VFIO_PRIMARY_MODE"
#define CHILD_TEST "vfio_secondary_child"
#define MAX_DEVS 8
/* below EAL memory (IOVA as VA puts it high) and inside the vIOMMU's width */
#define TEST_IOVA 0x10000000ULL
#define TEST_PAGES 4

static size_t pg;

static bool
fcntl_closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

static bool
has_iommu(void)
{
	return (rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0;
}

static bool
is_cdev(void)
{
	return rte_vfio_get_interface() == RTE_VFIO_INTERFACE_CDEV;
}

static const struct vfio_lane lanes[VFIO_NB_LANES] = VFIO_LANE_TABLE;

/* the VM lane of the set-up in use (same interface and IOMMU), or NULL */
static const struct vfio_lane *
current_lane(void)
{
	uint64_t iommu = rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU;
	size_t i;

	for (i = 0; i < RTE_DIM(lanes); i++)
		if (lanes[i].vm_kernels != NULL &&
				lanes[i].interface == rte_vfio_get_interface() &&
				(lanes[i].caps & RTE_VFIO_CAP_IOMMU) == iommu)
			return &lanes[i];
	return NULL;
}

/* the set-up in use as the harness names its lanes */
static const char *
mode_name(enum rte_vfio_mode m)
{
	const struct vfio_lane *l = current_lane();

	if (m == RTE_VFIO_MODE_NONE)
		return "none";
	return l != NULL ? l->name : "unknown";
}

/* --vfio-mode=<x> given to the runner, or NULL */
static const char *
requested_mode(void)
{
	char **argv = test_eal_argv();
	int i;

	for (i = 1; i < test_eal_argc(); i++) {
		if (strncmp(argv[i], "--vfio-mode=", 12) == 0)
			return argv[i] + 12;
		if (strcmp(argv[i], "--vfio-mode") == 0 &&
				i + 1 < test_eal_argc())
			return argv[i + 1];
	}
	return NULL;
}

/*
 * The row of the VM lane (DPDK_VM_MODE), else the row that forces the
 * --vfio-mode given to the runner (auto, group and noiommu are no lane's:
 * what they give depends on the kernel), or NULL.
 */
static const struct vfio_lane *
find_lane(const char *lane, const char *req)
{
	size_t i;

	for (i = 0; lane != NULL && i < RTE_DIM(lanes); i++)
		if (lanes[i].vm_kernels != NULL &&
				strcmp(lanes[i].name, lane) == 0)
			return &lanes[i];
	for (i = 0; req != NULL && i < RTE_DIM(lanes); i++)
		if (lanes[i].vm_kernels != NULL &&
				strcmp(lanes[i].vfio_mode, req) == 0 &&
				strcmp(req, "group") != 0)
			return &lanes[i];
	return NULL;
}

static int
check_mode(void)
{
	enum rte_vfio_mode m = rte_vfio_get_mode();
	enum rte_iova_mode iova = rte_vfio_get_iova_mode();
	const char *req = requested_mode(), *lane = getenv("DPDK_VM_MODE");
	const struct vfio_lane *e;

	printf("VFIO mode %s, IOVA as %s\n", mode_name(m),
		iova == RTE_IOVA_PA ? "PA" : "VA");
	e = find_lane(lane, req);
	if (e != NULL) {
		TEST_ASSERT(m == e->mode && iova == e->iova &&
			rte_vfio_get_interface() == e->interface &&
			rte_vfio_get_caps() == e->caps,
			"%s %s: got %s, IOVA as %s, caps %#" PRIx64,
			lane != NULL ? "lane" : "--vfio-mode",
			lane != NULL ? lane : req, mode_name(m),
			iova == RTE_IOVA_PA ? "PA" : "VA", rte_vfio_get_caps());
	} else if (req != NULL && strcmp(req, "auto") != 0) {
		if (strcmp(req, "noiommu") == 0)
			TEST_ASSERT(m == RTE_VFIO_MODE_NOIOMMU,
				"--vfio-mode=noiommu gave mode %d (%s)", (int)m,
				mode_name(m));
		else
			TEST_ASSERT(strcmp(req, mode_name(m)) == 0 ||
				(m == RTE_VFIO_MODE_NOIOMMU &&
				strcmp(req, "group") == 0),
				"--vfio-mode=%s gave mode %s", req,
				mode_name(m));
	}
	/* upstream drivers read NOIOMMU as "addresses are physical" */
	TEST_ASSERT_EQUAL(iova, m == RTE_VFIO_MODE_NOIOMMU ? RTE_IOVA_PA :
		RTE_IOVA_VA, "IOVA mode does not follow the mode");
	TEST_ASSERT_EQUAL(has_iommu(), iova == RTE_IOVA_VA,
		"the IOMMU capability does not follow the IOVA mode");
	TEST_ASSERT_EQUAL((rte_vfio_get_caps() & RTE_VFIO_CAP_GROUPS) != 0,
		!is_cdev(), "the groups capability does not follow the interface");
	TEST_ASSERT(m != RTE_VFIO_MODE_CDEV || is_cdev(),
		"cdev mode on the group interface");
	TEST_ASSERT(m != RTE_VFIO_MODE_GROUP || !is_cdev(),
		"group mode on the cdev interface");
	TEST_ASSERT_EQUAL(rte_vfio_enable(RTE_VFIO_PCI_MODULE), 0,
		"second rte_vfio_enable is not a no-op");
	TEST_ASSERT(rte_vfio_is_enabled(RTE_VFIO_PCI_MODULE) == 1,
		"vfio_pci not seen as enabled");
	TEST_ASSERT(rte_vfio_get_container_fd() >= 0, "no default container");
	return TEST_SUCCESS;
}

static int
expect_err(int ret, int err, const char *what)
{
	TEST_ASSERT(ret == -1 && rte_errno == err,
		"%s: got %d errno %d (%s), expected errno %d", what, ret,
		rte_errno, strerror(rte_errno), err);
	/* the EAL logged why, just above: say that it was the point */
	printf("  ^ expected: %s fails with %s\n", what, strerror(err));
	return TEST_SUCCESS;
}

/* user map semantics on one container */
static int
check_user_maps(int cfd, void *buf)
{
	uint64_t va = (uintptr_t)buf, len = TEST_PAGES * pg;
	bool partial = (rte_vfio_get_caps() & RTE_VFIO_CAP_PARTIAL_UNMAP) != 0;

	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(cfd, va, TEST_IOVA,
		len), "map: %s", strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(cfd, va, TEST_IOVA,
		len), "identical re-map: %s", strerror(rte_errno));
	if (expect_err(rte_vfio_container_dma_map(cfd, va + pg, TEST_IOVA,
			pg), EEXIST, "map over another vaddr") != 0)
		return TEST_FAILED;
	if (expect_err(rte_vfio_container_dma_map(cfd, va, TEST_IOVA, 0),
			EINVAL, "zero length") != 0)
		return TEST_FAILED;
	if (expect_err(rte_vfio_container_dma_unmap(cfd, va, TEST_IOVA +
			len, pg), ENOENT, "unmap of nothing") != 0)
		return TEST_FAILED;
	if (partial) {
		TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(cfd, va,
			TEST_IOVA, pg), "partial unmap: %s",
			strerror(rte_errno));
		va += pg;
		len -= pg;
	} else if (expect_err(rte_vfio_container_dma_unmap(cfd, va, TEST_IOVA,
			pg), ENOTSUP, "partial unmap") != 0) {
		return TEST_FAILED;
	}
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(cfd, va,
		va - (uintptr_t)buf + TEST_IOVA, len), "unmap: %s",
		strerror(rte_errno));
	return expect_err(rte_vfio_container_dma_unmap(cfd, va,
		va - (uintptr_t)buf + TEST_IOVA, len), ENOENT, "second unmap");
}

/*
 * Batch calls on the real kernel: a batch that fails on its last region
 * leaves nothing in the kernel (the same regions then map again, which
 * the kernel would refuse with EEXIST otherwise), and one that unmaps a
 * region twice maps back what it unmapped.
 */
static int
check_batch_maps(int cfd, void *buf)
{
	struct rte_vfio_dma_region g[TEST_PAGES];
	uint64_t va = (uintptr_t)buf;
	unsigned int i;

	for (i = 0; i < TEST_PAGES; i++) {
		g[i].vaddr = va + i * pg;
		g[i].iova = TEST_IOVA + 2 * i * pg; /* apart: nothing merges */
		g[i].len = pg;
	}
	g[TEST_PAGES - 1].iova = g[0].iova; /* another vaddr at region 0 */
	if (expect_err(rte_vfio_container_dma_map_batch(cfd, g, TEST_PAGES),
			EEXIST, "batch map whose last region overlaps the first") != 0)
		return TEST_FAILED;
	g[TEST_PAGES - 1].iova = TEST_IOVA + 2 * (TEST_PAGES - 1) * pg;
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map_batch(cfd, g,
		TEST_PAGES), "batch map after the failed one: %s",
		strerror(rte_errno));
	g[1] = g[0];
	if (expect_err(rte_vfio_container_dma_unmap_batch(cfd, g, 2), ENOENT,
			"batch unmap of one region twice") != 0)
		return TEST_FAILED;
	g[1].vaddr = va + pg;
	g[1].iova = TEST_IOVA + 2 * pg;
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap_batch(cfd, g,
		TEST_PAGES), "batch unmap: %s", strerror(rte_errno));
	return expect_err(rte_vfio_container_dma_unmap(cfd, g[0].vaddr,
		g[0].iova, pg), ENOENT, "unmap after the batch unmap");
}

static int
check_numbers(const char *dev)
{
	int num = -1;

	if (is_cdev()) {
		TEST_ASSERT_SUCCESS(rte_vfio_get_device_num(PCI_SYSFS, dev,
			&num), "%s: device number: %s", dev,
			strerror(rte_errno));
		return expect_err(rte_vfio_get_group_num(PCI_SYSFS, dev, &num),
			ENOTSUP, "group number in cdev mode");
	}
	TEST_ASSERT_SUCCESS(rte_vfio_get_group_num(PCI_SYSFS, dev, &num),
		"%s: group number: %s", dev, strerror(rte_errno));
	return expect_err(rte_vfio_get_device_num(PCI_SYSFS, dev, &num),
		ENOTSUP, "device number in group mode");
}

static int
check_device(const char *dev)
{
	struct vfio_device_info info;
	int fd, fd2;

	if (check_numbers(dev) != 0)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, dev, &fd),
		"%s: setup: %s", dev, strerror(rte_errno));
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	TEST_ASSERT_SUCCESS(rte_vfio_get_device_info(fd, &info),
		"%s: device info: %s", dev, strerror(rte_errno));
	TEST_ASSERT((info.flags & VFIO_DEVICE_FLAGS_PCI) != 0 &&
		info.num_regions > VFIO_PCI_CONFIG_REGION_INDEX,
		"%s: not a PCI device (flags %#x, %u regions)", dev, info.flags,
		info.num_regions);
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, dev, &fd2),
		"%s: second setup: %s", dev, strerror(rte_errno));
	TEST_ASSERT_EQUAL(fd, fd2, "%s: second setup gave another fd", dev);
	if (expect_err(rte_vfio_release_device(PCI_SYSFS, dev, fd + 1000),
			ENOENT, "release with a wrong fd") != 0)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, dev, fd),
		"%s: release: %s", dev, strerror(rte_errno));
	TEST_ASSERT(fcntl_closed(fd), "%s: fd %d still open after release",
		dev, fd);
	return expect_err(rte_vfio_release_device(PCI_SYSFS, dev, fd), ENOENT,
		"second release");
}

/* the default container keeps user maps across its groups coming and going */
static int
check_default_container(const char *dev, void *buf)
{
	uint64_t va = (uintptr_t)buf, len = TEST_PAGES * pg;
	int fd;

	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, TEST_IOVA, len),
		"default container map: %s", strerror(rte_errno));
	if (dev != NULL) {
		TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, dev, &fd),
			"%s: setup: %s", dev, strerror(rte_errno));
		TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, dev,
			fd), "%s: release: %s", dev, strerror(rte_errno));
		TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, dev, &fd),
			"%s: setup again: %s", dev, strerror(rte_errno));
	}
	/* the kernel must still have it: unmap checks the unmapped size */
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, TEST_IOVA, len),
		"default container unmap: %s", strerror(rte_errno));
	if (dev != NULL)
		TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, dev,
			fd), "%s: release: %s", dev, strerror(rte_errno));
	return TEST_SUCCESS;
}

static int
check_custom_container(const char *dev, void *buf)
{
	int cfd, fd, ret = TEST_FAILED;

	cfd = rte_vfio_container_create();
	TEST_ASSERT(cfd >= 0, "container create: %s", strerror(rte_errno));
	if (dev != NULL) {
		if (rte_vfio_container_assign_device(cfd, PCI_SYSFS, dev) != 0) {
			printf("%s: assign: %s\n", dev, strerror(rte_errno));
			goto destroy;
		}
		if (expect_err(rte_vfio_container_assign_device(cfd,
				PCI_SYSFS, dev), EEXIST, "second assign") != 0)
			goto destroy;
		if (rte_vfio_setup_device(PCI_SYSFS, dev, &fd) != 0) {
			printf("%s: setup after assign: %s\n", dev,
				strerror(rte_errno));
			goto destroy;
		}
	}
	if (check_user_maps(cfd, buf) != 0 || check_batch_maps(cfd, buf) != 0)
		goto destroy;
	ret = TEST_SUCCESS;
destroy:
	TEST_ASSERT_SUCCESS(rte_vfio_container_destroy(cfd),
		"container destroy: %s", strerror(rte_errno));
	if (expect_err(rte_vfio_container_destroy(cfd), ENOENT,
			"second destroy") != 0)
		return TEST_FAILED;
	if (dev != NULL && ret == TEST_SUCCESS &&
			expect_err(rte_vfio_release_device(PCI_SYSFS, dev, fd),
				ENOENT, "release after destroy") != 0)
		return TEST_FAILED;
	return ret;
}

/*
 * EAL memory is mapped for DMA, also pages the heap maps later (hotplug):
 * the same translation is "already mapped", and in group mode the kernel
 * itself refuses another mapping at that IOVA.
 */
static int
check_eal_memory(const char *dev, void *buf)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf,
		.size = pg,
	};
	int fd, ret = TEST_FAILED, kret, kerr;
	rte_iova_t iova;
	char *p;

	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, dev, &fd),
		"%s: setup: %s", dev, strerror(rte_errno));
	/* more than the heap holds at start: new pages come */
	p = rte_malloc(NULL, 16 << 20, pg);
	if (p == NULL) {
		printf("rte_malloc: %s\n", strerror(rte_errno));
		goto release;
	}
	p += 8 << 20;
	iova = rte_malloc_virt2iova(p);
	if (iova == RTE_BAD_IOVA ||
			rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
				(uintptr_t)p, iova, pg) != 0) {
		printf("EAL page %p (iova %#" PRIx64 ") not seen as mapped\n",
			(void *)p, (uint64_t)iova);
		goto free;
	}
	if (rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
			(uintptr_t)buf, iova, pg) != -1 || rte_errno != EEXIST) {
		printf("other memory at an EAL IOVA not refused\n");
		goto free;
	}
	if (!is_cdev()) {
		m.iova = iova;
		kret = ioctl(rte_vfio_get_container_fd(), VFIO_IOMMU_MAP_DMA,
			&m);
		kerr = errno;
		if (kret == 0 || kerr != EEXIST) {
			printf("kernel: IOVA %#" PRIx64 " of an EAL page is not mapped (%s)\n",
				(uint64_t)iova, kret == 0 ? "map worked" :
				strerror(kerr));
			goto free;
		}
	}
	ret = TEST_SUCCESS;
free:
	rte_free(p - (8 << 20));
release:
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, dev, fd),
		"%s: release: %s", dev, strerror(rte_errno));
	return ret;
}

extern char **environ;

/* this binary as a secondary of this process, running CHILD_TEST */
static pid_t
spawn_secondary(void)
{
	int n = test_eal_argc(), i, k = 0;
	char *argv[n + 4];
	pid_t pid;

	argv[k++] = (char *)(uintptr_t)test_self_path();
	argv[k++] = (char *)(uintptr_t)"--proc-type=secondary";
	for (i = 1; i < n; i++)
		if (strncmp(test_eal_argv()[i], "--proc-type", 11) != 0)
			argv[k++] = test_eal_argv()[i];
	argv[k++] = (char *)(uintptr_t)CHILD_TEST;
	argv[k] = NULL;
	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	return pid;
}

/* a secondary gets the container and the device from this primary */
static int
check_secondary(const char *dev)
{
	char mode[32];
	int status, fd;
	pid_t pid;

	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, dev, &fd),
		"%s: setup: %s", dev, strerror(rte_errno));
	/* "<mode> <interface> <caps>": the secondary must have the same */
	snprintf(mode, sizeof(mode), "%d %d %" PRIu64,
		(int)rte_vfio_get_mode(), (int)rte_vfio_get_interface(),
		rte_vfio_get_caps());
	setenv(MODE_ENV, mode, 1);
	pid = spawn_secondary();
	TEST_ASSERT(pid > 0, "cannot start a secondary");
	TEST_ASSERT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		WEXITSTATUS(status) == 0, "secondary failed (status %#x)",
		status);
	unsetenv(MODE_ENV);
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, dev, fd),
		"%s: release: %s", dev, strerror(rte_errno));
	return TEST_SUCCESS;
}

static int
test_vfio_secondary_child(void)
{
	const char *want = getenv(MODE_ENV), *list = getenv(EDU_ENV);
	struct vfio_device_info info;
	char dev[64];
	uint64_t len;
	void *buf;
	int fd, ret;

	TEST_ASSERT(want != NULL && list != NULL, "not started by vfio_autotest");
	TEST_ASSERT_EQUAL(rte_eal_process_type(), RTE_PROC_SECONDARY,
		"not a secondary");
	snprintf(dev, sizeof(dev), "%d %d %" PRIu64, (int)rte_vfio_get_mode(),
		(int)rte_vfio_get_interface(), rte_vfio_get_caps());
	TEST_ASSERT(strcmp(dev, want) == 0,
		"secondary mode/interface/caps %s (%s), primary %s", dev,
		mode_name(rte_vfio_get_mode()), want);
	TEST_ASSERT(rte_vfio_get_container_fd() >= 0, "no container");
	pg = (size_t)sysconf(_SC_PAGESIZE);
	snprintf(dev, sizeof(dev), "%s", list);
	dev[strcspn(dev, " ")] = '\0';
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, dev, &fd),
		"secondary: %s: setup: %s", dev, strerror(rte_errno));
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	TEST_ASSERT_SUCCESS(rte_vfio_get_device_info(fd, &info),
		"secondary: %s: device info: %s", dev, strerror(rte_errno));
	len = TEST_PAGES * pg;
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	TEST_ASSERT(buf != MAP_FAILED, "mmap");
	/* the shared container maps this process's memory */
	ret = rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
		(uintptr_t)buf, TEST_IOVA, len);
	if (ret == 0)
		ret = rte_vfio_container_dma_unmap(
			RTE_VFIO_DEFAULT_CONTAINER_FD, (uintptr_t)buf,
			TEST_IOVA, len);
	munmap(buf, len);
	TEST_ASSERT_SUCCESS(ret, "secondary: DMA map/unmap: %s",
		strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, dev, fd),
		"secondary: release: %s", strerror(rte_errno));
	return TEST_SUCCESS;
}

static int
test_vfio(void)
{
	char *list, *save = NULL, *dev;
	char *devs[MAX_DEVS];
	int n = 0, i, ret = TEST_FAILED;
	void *buf;

	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE)
		TEST_SKIP("VFIO is not available on this system (no vfio module, or no usable backend: see the EAL log)");
	pg = (size_t)sysconf(_SC_PAGESIZE);
	if (check_mode() != 0)
		return TEST_FAILED;
	if (expect_err(rte_vfio_container_destroy(
			RTE_VFIO_DEFAULT_CONTAINER_FD), EINVAL,
			"destroy default container") != 0)
		return TEST_FAILED;
	list = getenv(EDU_ENV) != NULL ? strdup(getenv(EDU_ENV)) : NULL;
	for (dev = list != NULL ? strtok_r(list, " ", &save) : NULL;
			dev != NULL && n < MAX_DEVS;
			dev = strtok_r(NULL, " ", &save))
		devs[n++] = dev;
	buf = mmap(NULL, TEST_PAGES * pg, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED) {
		free(list);
		TEST_ASSERT(0, "mmap: %s", strerror(errno));
	}
	for (i = 0; i < n; i++)
		if (check_device(devs[i]) != 0)
			goto out;
	if (check_default_container(n > 0 ? devs[0] : NULL, buf) != 0)
		goto out;
	if (check_custom_container(n > 1 ? devs[1] : n > 0 ? devs[0] : NULL,
			buf) != 0)
		goto out;
	if (n > 0 && check_secondary(devs[0]) != 0)
		goto out;
	ret = TEST_SUCCESS;
	/* the container checks passed; the device ones did not run */
	if (n == 0) {
		printf("TEST SKIPPED: no devices in %s: device, assignment and secondary checks not run\n",
			EDU_ENV);
		ret = TEST_SKIPPED;
	}
out:
	munmap(buf, TEST_PAGES * pg);
	free(list);
	return ret;
}

/*
 * vfio_eal_memory_autotest: what check_eal_memory() says, where EAL memory
 * is mapped for DMA at all (an IOMMU translates); elsewhere it skips, and
 * the VM suite runs it in the IOMMU lanes only.
 */
static int
test_vfio_eal_memory(void)
{
	const char *list = getenv(EDU_ENV);
	char dev[64];
	void *buf;
	int ret;

	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE)
		TEST_SKIP("VFIO is not available on this system");
	if (!has_iommu())
		TEST_SKIP("no IOMMU in this VFIO set-up: EAL memory is not mapped for DMA, nothing to check");
	if (list == NULL || list[0] == '\0')
		TEST_SKIP("no devices in %s", EDU_ENV);
	pg = (size_t)sysconf(_SC_PAGESIZE);
	snprintf(dev, sizeof(dev), "%s", list);
	dev[strcspn(dev, " ")] = '\0';
	buf = mmap(NULL, TEST_PAGES * pg, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	TEST_ASSERT(buf != MAP_FAILED, "mmap: %s", strerror(errno));
	ret = check_eal_memory(dev, buf);
	munmap(buf, TEST_PAGES * pg);
	return ret;
}

/*
 * VF tokens on a real SR-IOV PF (the VM harness's --sriov, booted with
 * vfio_pci.enable_sriov=1, dpdk-test given --vfio-vf-token=<uuid>): the PF
 * opened with the token, the VF opens with it; other processes with
 * another token or none are refused (group: always; cdev: Linux >= 6.17,
 * earlier kernels bind without checking, which the EAL says at NOTICE).
 */
#define SRIOV_ENV "DPDK_VM_SRIOV_PF"
#define VF_ENV "DPDK_TEST_VFIO_VF"
#define VF_EXPECT_ENV "DPDK_TEST_VFIO_VF_EXPECT"
#define VF_CHILD "vfio_vf_token_child"
#define OTHER_TOKEN "0b0a1c2d-0000-4000-8000-000000000001"

static int
write_sysfs(const char *dev, const char *file, const char *val)
{
	char path[256];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s/%s", PCI_SYSFS, dev, file);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	ret = fputs(val, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		ret = -1;
	return ret;
}

/* a separate primary (--in-memory) with another token, or none */
static int
run_vf_child(const char *token_opt, const char *expect)
{
	char mode_opt[32];
	char *argv[] = { (char *)(uintptr_t)test_self_path(),
		(char *)(uintptr_t)"--in-memory", (char *)(uintptr_t)"--no-pci", mode_opt,
		(char *)(uintptr_t)token_opt, (char *)(uintptr_t)VF_CHILD,
		NULL };
	int status;
	pid_t pid;

	/* the child forces the interface this process has */
	snprintf(mode_opt, sizeof(mode_opt), "--vfio-mode=%s",
		current_lane() != NULL ? current_lane()->vfio_mode : "auto");
	if (token_opt == NULL) {
		argv[4] = (char *)(uintptr_t)VF_CHILD;
		argv[5] = NULL;
	}
	setenv(VF_EXPECT_ENV, expect, 1);
	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
test_vfio_vf_token_child(void)
{
	const char *vf = getenv(VF_ENV), *expect = getenv(VF_EXPECT_ENV);
	int fd, ret;

	TEST_ASSERT(vf != NULL && expect != NULL, "not started by vfio_vf_token_autotest");
	ret = rte_vfio_setup_device(PCI_SYSFS, vf, &fd);
	printf("VF %s: %s\n", vf, ret == 0 ? "opened" : strerror(rte_errno));
	if (ret == 0)
		rte_vfio_release_device(PCI_SYSFS, vf, fd);
	if (strcmp(expect, "EACCES") == 0)
		TEST_ASSERT(ret == -1 && rte_errno == EACCES,
			"VF opened without the right token");
	return TEST_SUCCESS;
}

/* the running kernel is at least major.minor (uname) */
static bool
kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma, mi;

	if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* the kernel refuses a VF to a process with another token, or none */
static bool
kernel_checks_vf_tokens(void)
{
	/* cdev before Linux 6.17 binds without checking any token; from
	 * 6.17 on the token is checked at bind, as the group checks it
	 */
	return !is_cdev() || kernel_at_least(6, 17);
}

/*
 * The PF opened with the token (and no VF user) takes it; the VF opens
 * with the same token; with refusals, processes with another token or
 * none are refused the VF.
 */
static int
vf_token_run(bool refusals)
{
	const char *pf = getenv(SRIOV_ENV);
	char link[256], path[256], *vf;
	int pf_fd, vf_fd, ret = TEST_FAILED, refused;
	rte_uuid_t token;
	ssize_t n;

	rte_eal_vfio_get_vf_token(token);
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE)
		TEST_SKIP("VFIO is not available on this system");
	if (pf == NULL || pf[0] == '\0' || rte_uuid_is_null(token))
		TEST_SKIP("needs an SR-IOV PF bound to vfio-pci in %s and --vfio-vf-token",
			SRIOV_ENV);
	if (refusals && !kernel_checks_vf_tokens())
		TEST_SKIP("%s mode before Linux 6.17 binds a VF without checking its token: refusal not checked",
			mode_name(rte_vfio_get_mode()));
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(PCI_SYSFS, pf, &pf_fd),
		"PF %s: setup: %s", pf, strerror(rte_errno));
	if (write_sysfs(pf, "sriov_numvfs", "1") != 0) {
		printf("PF %s: cannot create a VF (boot with vfio_pci.enable_sriov=1)\n",
			pf);
		goto release_pf;
	}
	snprintf(path, sizeof(path), "%s/%s/virtfn0", PCI_SYSFS, pf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0) {
		printf("PF %s: no virtfn0\n", pf);
		goto no_vfs;
	}
	link[n] = '\0';
	vf = strrchr(link, '/') != NULL ? strrchr(link, '/') + 1 : link;
	setenv(VF_ENV, vf, 1);
	if (rte_vfio_setup_device(PCI_SYSFS, vf, &vf_fd) != 0) {
		printf("VF %s with the token: %s\n", vf, strerror(rte_errno));
		goto no_vfs;
	}
	rte_vfio_release_device(PCI_SYSFS, vf, vf_fd);
	printf("VF %s: opened with the token (%s mode)\n", vf,
		mode_name(rte_vfio_get_mode()));
	if (refusals) {
		refused = run_vf_child("--vfio-vf-token=" OTHER_TOKEN, "EACCES");
		if (refused != 0) {
			printf("VF %s with another token: child status %d\n",
				vf, refused);
			goto no_vfs;
		}
		refused = run_vf_child(NULL, "EACCES");
		if (refused != 0) {
			printf("VF %s without token: child status %d\n", vf,
				refused);
			goto no_vfs;
		}
		printf("VF %s: refused with another token and without one\n",
			vf);
	}
	ret = TEST_SUCCESS;
no_vfs:
	write_sysfs(pf, "sriov_numvfs", "0");
release_pf:
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, pf, pf_fd),
		"PF %s: release: %s", pf, strerror(rte_errno));
	return ret;
}

/* every kernel: the VF opens with the token the PF was given */
static int
test_vfio_vf_token(void)
{
	return vf_token_run(false);
}

/*
 * Kernels that check the token (group; cdev on Linux 6.17+): other
 * processes' tokens are refused. Elsewhere it skips, saying why; the VM
 * suite runs it only where the kernel checks.
 */
static int
test_vfio_vf_token_refused(void)
{
	return vf_token_run(true);
}

/*
 * vfio_perf_autotest: numbers, not pass/fail thresholds (DESIGN section
 * 10). Prints the cost of user maps (bookkeeping alone, where the mode
 * lets the kernel out), of map + unmap against the same kernel work done
 * by a bare ioctl loop, and of device setup.
 */
#define PERF_MAPS_MAX 100000
#define PERF_KERNEL_MAPS 2000
#define PERF_SETUPS 20
#define PERF_IOVA 0x40000000ULL

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* n single-page maps then unmaps on cfd; ns per map and per unmap */
static int
perf_api(int cfd, uint64_t va, int n, double *map_ns, double *unmap_ns)
{
	uint64_t t0, t1, t2;
	int i;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (rte_vfio_container_dma_map(cfd, va + 2 * i * pg,
				PERF_IOVA + 2 * i * pg, pg) != 0)
			return -1;
	t1 = now_ns();
	for (i = 0; i < n; i++)
		if (rte_vfio_container_dma_unmap(cfd, va + 2 * i * pg,
				PERF_IOVA + 2 * i * pg, pg) != 0)
			return -1;
	t2 = now_ns();
	*map_ns = (double)(t1 - t0) / n;
	*unmap_ns = (double)(t2 - t1) / n;
	return 0;
}

/* the same kernel work without the library: type1 or an IOAS of our own */
static int
perf_raw(int cfd, uint64_t va, int n, double *map_ns, double *unmap_ns)
{
	bool cdev = is_cdev();
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	uint64_t t0, t1, t2;
	int i, ret;

	if (cdev && ioctl(cfd, IOMMU_IOAS_ALLOC, &alloc) != 0)
		return -1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		uint64_t iova = PERF_IOVA + 2 * i * pg, v = va + 2 * i * pg;

		if (cdev) {
			struct iommu_ioas_map m = { .size = sizeof(m),
				.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
					IOMMU_IOAS_MAP_READABLE |
					IOMMU_IOAS_MAP_WRITEABLE,
				.ioas_id = alloc.out_ioas_id, .user_va = v,
				.length = pg, .iova = iova };

			ret = ioctl(cfd, IOMMU_IOAS_MAP, &m);
		} else {
			struct vfio_iommu_type1_dma_map m = {
				.argsz = sizeof(m),
				.flags = VFIO_DMA_MAP_FLAG_READ |
					VFIO_DMA_MAP_FLAG_WRITE,
				.vaddr = v, .iova = iova, .size = pg };

			ret = ioctl(cfd, VFIO_IOMMU_MAP_DMA, &m);
		}
		if (ret != 0)
			return -1;
	}
	t1 = now_ns();
	for (i = 0; i < n; i++) {
		uint64_t iova = PERF_IOVA + 2 * i * pg;

		if (cdev) {
			struct iommu_ioas_unmap u = { .size = sizeof(u),
				.ioas_id = alloc.out_ioas_id, .iova = iova,
				.length = pg };

			ret = ioctl(cfd, IOMMU_IOAS_UNMAP, &u);
		} else {
			struct vfio_iommu_type1_dma_unmap u = {
				.argsz = sizeof(u), .iova = iova, .size = pg };

			ret = ioctl(cfd, VFIO_IOMMU_UNMAP_DMA, &u);
		}
		if (ret != 0)
			return -1;
	}
	t2 = now_ns();
	*map_ns = (double)(t1 - t0) / n;
	*unmap_ns = (double)(t2 - t1) / n;
	if (cdev) {
		struct iommu_destroy d = { .size = sizeof(d),
			.id = alloc.out_ioas_id };

		ioctl(cfd, IOMMU_DESTROY, &d);
	}
	return 0;
}

static int
test_vfio_perf(void)
{
	static const int sizes[] = { 10, 1000, PERF_MAPS_MAX };
	const char *list = getenv(EDU_ENV);
	enum rte_vfio_mode mode = rte_vfio_get_mode();
	double map_ns, unmap_ns, rmap_ns, runmap_ns;
	int cfd, fd, i, ret = TEST_FAILED;
	uint64_t t0, len;
	char dev[64];
	void *buf;

	if (mode == RTE_VFIO_MODE_NONE)
		TEST_SKIP("VFIO is not available on this system");
	pg = (size_t)sysconf(_SC_PAGESIZE);
	len = 2ULL * PERF_MAPS_MAX * pg;
	/* address space only: the maps below never touch the memory */
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	TEST_ASSERT(buf != MAP_FAILED, "mmap: %s", strerror(errno));
	printf("VFIO perf, mode %s\n", mode_name(mode));
	/* bookkeeping alone: a group container without group has no kernel context */
	cfd = rte_vfio_container_create();
	if (cfd < 0)
		goto unmap;
	if (!is_cdev()) {
		for (i = 0; i < (int)RTE_DIM(sizes); i++) {
			if (perf_api(cfd, (uintptr_t)buf, sizes[i], &map_ns,
					&unmap_ns) != 0)
				goto destroy;
			printf("  bookkeeping, %6d maps: map %8.0f ns, unmap %8.0f ns\n",
				sizes[i], map_ns, unmap_ns);
		}
	}
	if (list == NULL || list[0] == '\0' || (!is_cdev() && !has_iommu())) {
		ret = TEST_SUCCESS;
		goto destroy;
	}
	snprintf(dev, sizeof(dev), "%s", list);
	dev[strcspn(dev, " ")] = '\0';
	/* kernel mappings (they pin: touch the pages first) */
	memset(buf, 0, 2ULL * PERF_KERNEL_MAPS * pg);
	/*
	 * The same kernel work on both sides: type1 needs a group for its
	 * context; the bare IOAS of cdev has no device, so ours has none.
	 */
	if (!is_cdev() &&
			rte_vfio_container_assign_device(cfd, PCI_SYSFS, dev) != 0)
		goto destroy;
	if (perf_api(cfd, (uintptr_t)buf, PERF_KERNEL_MAPS, &map_ns,
			&unmap_ns) != 0 ||
			perf_raw(cfd, (uintptr_t)buf, PERF_KERNEL_MAPS, &rmap_ns,
			&runmap_ns) != 0)
		goto destroy;
	printf("  kernel, %d maps: map %.0f ns (bare ioctl %.0f, ratio %.2f), unmap %.0f ns (bare ioctl %.0f, ratio %.2f)\n",
		PERF_KERNEL_MAPS, map_ns, rmap_ns, map_ns / rmap_ns, unmap_ns,
		runmap_ns, unmap_ns / runmap_ns);
	if (!is_cdev())
		TEST_ASSERT_SUCCESS(rte_vfio_release_device(PCI_SYSFS, dev,
			-1), "release: %s", strerror(rte_errno));
	t0 = now_ns();
	for (i = 0; i < PERF_SETUPS; i++) {
		if (rte_vfio_setup_device(PCI_SYSFS, dev, &fd) != 0 ||
				rte_vfio_release_device(PCI_SYSFS, dev, fd) != 0)
			goto destroy;
	}
	printf("  device setup + release: %.0f us\n",
		(double)(now_ns() - t0) / PERF_SETUPS / 1000);
	ret = TEST_SUCCESS;
destroy:
	if (ret != TEST_SUCCESS)
		printf("vfio perf: %s\n", strerror(rte_errno));
	rte_vfio_container_destroy(cfd);
unmap:
	munmap(buf, len);
	return ret;
}

REGISTER_TEST_COMMAND_NO_PCI(vfio_autotest, test_vfio);
REGISTER_TEST_COMMAND_NO_PCI(vfio_eal_memory_autotest, test_vfio_eal_memory);
REGISTER_TEST_COMMAND_NO_PCI(vfio_perf_autotest, test_vfio_perf);
REGISTER_TEST_COMMAND_NO_PCI(vfio_vf_token_autotest, test_vfio_vf_token);
REGISTER_TEST_COMMAND_NO_PCI(vfio_vf_token_refused_autotest,
	test_vfio_vf_token_refused);
REGISTER_TEST_COMMAND_NO_PCI(vfio_vf_token_child, test_vfio_vf_token_child);
REGISTER_TEST_COMMAND_NO_PCI(vfio_secondary_child, test_vfio_secondary_child);
