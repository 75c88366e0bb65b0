/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * edu_autotest: on every probed edu device, DMA round trips (RAM -> device
 * buffer -> RAM) checked byte by byte for several sizes and offsets, with
 * polling and with the completion interrupt; the raise/ack interrupt; the
 * IOMMU blocking a DMA to an unmapped IOVA (when an IOMMU translates); then
 * the same in a secondary process started by the primary, after which the
 * primary takes its interrupts back and checks them again.
 *
 * edu_hotunplug_autotest: the kernel removes a device while a thread runs
 * DMA on it (sysfs "remove"): the request notifier makes the bus remove it
 * (driver remove, unmap, release), the DMA thread sees ENODEV, the VFIO
 * fd is closed and the process goes on.
 *
 * Without edu devices both skip (77) saying why.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_vfio.h>

#include <bus_pci_driver.h>
#include <rte_edu.h>

#include "test.h"

extern char **environ;

/* (offset in the device buffer, length) of the round trips */
static const uint32_t dma_cases[][2] = {
	{ 0, 1 }, { 0, 8 }, { 3, 61 }, { 100, 1000 }, { 0, 2048 },
	{ 2048, 2047 }, { 0, RTE_EDU_DMA_MAX },
};

static uint8_t
pattern(uint32_t seed, uint32_t i)
{
	return (uint8_t)((i * 131 + seed * 17) ^ (i >> 7));
}

/* RAM -> device at off, device -> RAM; bytes outside [0, len) untouched. */
static int
round_trip(struct rte_edu *edu, struct rte_edu_buf *src,
		struct rte_edu_buf *dst, uint32_t off, uint32_t len,
		enum rte_edu_wait wait, uint32_t seed)
{
	uint8_t *s = src->addr, *d = dst->addr;
	uint32_t i, bad = 0;

	for (i = 0; i < RTE_EDU_BUF_SIZE; i++) {
		s[i] = pattern(seed, i);
		d[i] = (uint8_t)~pattern(seed, i);
	}
	TEST_ASSERT_SUCCESS(rte_edu_dma(edu, src->iova, off, len, 0, wait),
		"%s: DMA to device (off %u len %u): %s", rte_edu_name(edu), off,
		len, rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_edu_dma(edu, dst->iova, off, len, 1, wait),
		"%s: DMA from device (off %u len %u): %s", rte_edu_name(edu), off,
		len, rte_strerror(rte_errno));
	for (i = 0; i < len; i++)
		bad += d[i] != s[i];
	TEST_ASSERT_EQUAL(bad, 0, "%s: %u of %u bytes differ (off %u, %s)",
		rte_edu_name(edu), bad, len, off,
		wait == RTE_EDU_WAIT_INTR ? "intr" : "poll");
	for (i = len; i < RTE_EDU_BUF_SIZE; i++) {
		uint8_t untouched = (uint8_t)~pattern(seed, i);

		bad += d[i] != untouched;
	}
	TEST_ASSERT_EQUAL(bad, 0, "%s: DMA wrote %u bytes past %u",
		rte_edu_name(edu), bad, len);
	return TEST_SUCCESS;
}

static int
test_bad_args(struct rte_edu *edu, const struct rte_edu_buf *buf)
{
	static const uint32_t bad[][2] = {
		{ 0, 0 }, { 0, RTE_EDU_BUF_SIZE }, { 1, RTE_EDU_DMA_MAX },
		{ RTE_EDU_BUF_SIZE, 1 },
	};
	size_t i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		rte_errno = 0;
		TEST_ASSERT_EQUAL(rte_edu_dma(edu, buf->iova, bad[i][0], bad[i][1],
			0, RTE_EDU_WAIT_POLL), -1, "off %u len %u accepted",
			bad[i][0], bad[i][1]);
		TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	}
	/* a range that wraps, and one beyond the mask, never reach the device */
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_edu_dma(edu, UINT64_MAX - 7, 0, 16, 0,
		RTE_EDU_WAIT_POLL), -1, "wrapping IOVA range accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	if (rte_edu_dma_mask(edu) != UINT64_MAX) {
		rte_errno = 0;
		TEST_ASSERT_EQUAL(rte_edu_dma(edu, rte_edu_dma_mask(edu) + 1, 0,
			16, 0, RTE_EDU_WAIT_POLL), -1,
			"IOVA beyond the DMA mask accepted");
		TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	}
	return TEST_SUCCESS;
}

static int
test_one_device(struct rte_edu *edu, unsigned int idx)
{
	static const enum rte_edu_wait waits[] = {
		RTE_EDU_WAIT_POLL, RTE_EDU_WAIT_INTR,
	};
	int has_intr = strcmp(rte_edu_intr_mode(edu), "none") != 0;
	struct rte_edu_buf src, dst;
	uint64_t irqs;
	size_t w, c;
	int ret = TEST_FAILED;

	printf("%s: ident 0x%08x, interrupts %s\n", rte_edu_name(edu),
		rte_edu_ident(edu), rte_edu_intr_mode(edu));
	TEST_ASSERT_EQUAL(rte_edu_ident(edu) & 0xff, 0xedu, "ident");
	TEST_ASSERT_SUCCESS(rte_edu_liveness(edu, 0xdeadbeef), "liveness");
	TEST_ASSERT_SUCCESS(rte_edu_liveness(edu, 0), "liveness");
	TEST_ASSERT(has_intr, "%s: edu has MSI and INTx but no interrupt is set up",
		rte_edu_name(edu));
	TEST_ASSERT_SUCCESS(rte_edu_buf_alloc(edu, RTE_EDU_BUF_SIZE, &src),
		"buffer: %s", rte_strerror(rte_errno));
	if (rte_edu_buf_alloc(edu, RTE_EDU_BUF_SIZE, &dst) != 0) {
		printf("buffer: %s\n", rte_strerror(rte_errno));
		goto free_src;
	}
	for (w = 0; w < RTE_DIM(waits); w++)
		for (c = 0; c < RTE_DIM(dma_cases); c++)
			if (round_trip(edu, &src, &dst, dma_cases[c][0],
					dma_cases[c][1], waits[w], idx * 100 + c) != 0)
				goto free_dst;
	if (test_bad_args(edu, &src) != TEST_SUCCESS)
		goto free_dst;
	irqs = rte_edu_irq_count(edu);
	if (rte_edu_irq_test(edu, 0x1) != 0 || rte_edu_irq_test(edu, 0x80 | idx) != 0) {
		printf("%s: interrupt raise/ack: %s\n", rte_edu_name(edu),
			rte_strerror(rte_errno));
		goto free_dst;
	}
	if (rte_edu_irq_count(edu) < irqs + 2) {
		printf("%s: %" PRIu64 " interrupts counted for 2 raised\n",
			rte_edu_name(edu), rte_edu_irq_count(edu) - irqs);
		goto free_dst;
	}
	ret = TEST_SUCCESS;
free_dst:
	rte_edu_buf_free(edu, &dst);
free_src:
	rte_edu_buf_free(edu, &src);
	return ret;
}

/* QEMU's default dma_mask for edu; the VM harness says what it used. */
#define EDU_QEMU_DMA_MASK UINT64_C(0xfffffff)

static uint64_t
device_dma_mask(void)
{
	const char *s = getenv("DPDK_VM_EDU_DMA_MASK");

	return s != NULL && s[0] != '\0' ? strtoull(s, NULL, 0) :
		EDU_QEMU_DMA_MASK;
}

/*
 * Every device with the mask QEMU gave it; then, behind an IOMMU and when
 * that mask is wider, again with QEMU's default 28 bits (always safe: the
 * driver remaps its buffers low), so that both paths are tested.
 */
static int
test_all_devices(void)
{
	unsigned int i, n = rte_edu_count();
	uint64_t mask = device_dma_mask();

	for (i = 0; i < n; i++) {
		struct rte_edu *edu = rte_edu_get(i);

		TEST_ASSERT_SUCCESS(rte_edu_set_dma_mask(edu, mask),
			"mask 0x%" PRIx64, mask);
		printf("%s: DMA mask 0x%" PRIx64 "\n", rte_edu_name(edu), mask);
		if (test_one_device(edu, i) != TEST_SUCCESS)
			return TEST_FAILED;
		if (mask <= EDU_QEMU_DMA_MASK ||
				rte_vfio_get_iova_mode() != RTE_IOVA_VA)
			continue;
		TEST_ASSERT_SUCCESS(rte_edu_set_dma_mask(edu, EDU_QEMU_DMA_MASK),
			"28-bit mask");
		printf("%s: DMA mask 0x%" PRIx64 " (buffers remapped low)\n",
			rte_edu_name(edu), EDU_QEMU_DMA_MASK);
		if (test_one_device(edu, i) != TEST_SUCCESS)
			return TEST_FAILED;
		rte_edu_set_dma_mask(edu, mask);
	}
	printf("%s: %u device(s) passed (VFIO mode %d, IOVA as %s)\n",
		rte_eal_process_type() == RTE_PROC_PRIMARY ? "primary" : "secondary",
		n, (int)rte_vfio_get_mode(),
		rte_eal_iova_mode() == RTE_IOVA_VA ? "VA" : "PA");
	return TEST_SUCCESS;
}

/*
 * edu_isolation_autotest: behind an IOMMU a DMA to an IOVA nobody mapped
 * is blocked. With QEMU's 28-bit mask the driver maps each buffer at a
 * low IOVA of its own: unmap that mapping of a buffer, DMA there, and the
 * buffer keeps its bytes. Without an IOMMU nothing can block the DMA: the
 * test skips, and the VM suite runs it in the IOMMU lanes only.
 */
static int
isolation_check(struct rte_edu *edu)
{
	struct rte_edu_buf src, victim;
	int ret = TEST_FAILED;
	uint32_t i, changed = 0;
	uint8_t *v;

	TEST_ASSERT_SUCCESS(rte_edu_set_dma_mask(edu, EDU_QEMU_DMA_MASK),
		"28-bit mask");
	TEST_ASSERT_SUCCESS(rte_edu_buf_alloc(edu, 256, &src), "buffer: %s",
		rte_strerror(rte_errno));
	if (rte_edu_buf_alloc(edu, 256, &victim) != 0) {
		printf("buffer: %s\n", rte_strerror(rte_errno));
		goto free_src;
	}
	if (victim.remap == RTE_BAD_IOVA) {
		printf("%s: buffer at IOVA 0x%" PRIx64 " not remapped below the 28-bit mask\n",
			rte_edu_name(edu), (uint64_t)victim.iova);
		goto free_victim;
	}
	v = victim.addr;
	memset(v, 0x77, 256);
	memset(src.addr, 0x11, 256);
	if (rte_edu_dma(edu, src.iova, 0, 256, 0, RTE_EDU_WAIT_POLL) != 0) {
		printf("%s: DMA to device failed\n", rte_edu_name(edu));
		goto free_victim;
	}
	if (rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD,
			(uintptr_t)victim.addr, victim.remap,
			victim.remap_len) != 0) {
		printf("%s: unmap: %s\n", rte_edu_name(edu),
			rte_strerror(rte_errno));
		goto free_victim;
	}
	victim.remap = RTE_BAD_IOVA; /* already unmapped */
	/* the device reports completion; the IOMMU dropped the writes */
	if (rte_edu_dma(edu, victim.iova, 0, 256, 1, RTE_EDU_WAIT_POLL) != 0) {
		printf("%s: DMA to an unmapped IOVA did not complete\n",
			rte_edu_name(edu));
		goto free_victim;
	}
	for (i = 0; i < 256; i++)
		changed += v[i] != 0x77;
	if (changed != 0) {
		printf("%s: %u bytes written through an unmapped IOVA\n",
			rte_edu_name(edu), changed);
		goto free_victim;
	}
	printf("%s: DMA to an unmapped IOVA was blocked\n", rte_edu_name(edu));
	ret = TEST_SUCCESS;
free_victim:
	rte_edu_buf_free(edu, &victim);
free_src:
	rte_edu_buf_free(edu, &src);
	rte_edu_set_dma_mask(edu, device_dma_mask());
	return ret;
}

static int
test_edu_isolation(void)
{
	unsigned int i;

	if (rte_edu_count() == 0)
		TEST_SKIP("no edu device probed (none bound to vfio-pci)");
	if ((rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) == 0)
		TEST_SKIP("no IOMMU in this VFIO set-up: DMA is not isolated, nothing to check");
	for (i = 0; i < rte_edu_count(); i++)
		if (isolation_check(rte_edu_get(i)) != TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(edu_isolation_autotest, test_edu_isolation);

static struct rte_pci_device *pci_find(const char *name);

/* Where the primary's BAR0s are, for the secondary to compare with. */
#define EDU_BARS_ENV "DPDK_TEST_EDU_PRIMARY_BARS"

static void
bars_export(void)
{
	char list[512] = "", item[96];
	unsigned int i;

	for (i = 0; i < rte_edu_count(); i++) {
		const char *name = rte_edu_name(rte_edu_get(i));

		snprintf(item, sizeof(item), "%s=%p ", name,
			pci_find(name)->mem_resource[0].addr);
		strncat(list, item, sizeof(list) - strlen(list) - 1);
	}
	setenv(EDU_BARS_ENV, list, 1);
}

/* Secondary: every BAR0 where the primary has it. */
static int
bars_check(void)
{
	const char *list = getenv(EDU_BARS_ENV);
	unsigned int i;

	TEST_ASSERT_NOT_NULL(list, "the primary did not export its BARs");
	for (i = 0; i < rte_edu_count(); i++) {
		const char *name = rte_edu_name(rte_edu_get(i));
		char item[96];

		snprintf(item, sizeof(item), "%s=%p ", name,
			pci_find(name)->mem_resource[0].addr);
		TEST_ASSERT(strstr(list, item) != NULL,
			"%s: BAR0 not at the primary's address (here %s, primary: %s)",
			name, item, list);
		printf("%s: BAR0 at the primary's address\n", item);
	}
	return TEST_SUCCESS;
}

/* Run this test again in a secondary process with the same EAL options. */
static int
run_secondary(const char *test)
{
	int argc = test_eal_argc(), n = 0, i, status;
	char **argv = test_eal_argv();
	char *args[argc + 4];
	pid_t pid;

	args[n++] = (char *)(uintptr_t)test_self_path();
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--proc-type", 11) != 0 &&
				strcmp(argv[i], "--") != 0)
			args[n++] = argv[i];
	args[n++] = (char *)(uintptr_t)"--proc-type=secondary";
	args[n++] = (char *)(uintptr_t)test;
	args[n] = NULL;
	fflush(stdout);
	if (posix_spawn(&pid, test_self_path(), NULL, NULL, args, environ) != 0) {
		printf("cannot start the secondary: %s\n", strerror(errno));
		return TEST_FAILED;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		printf("secondary did not exit normally (status 0x%x)\n", status);
		return TEST_FAILED;
	}
	return WEXITSTATUS(status) == 0 ? TEST_SUCCESS : TEST_FAILED;
}

static int
test_edu(void)
{
	unsigned int i;
	void *keep;
	int ret;

	if (rte_edu_count() == 0)
		TEST_SKIP("no edu device probed (none bound to vfio-pci)");
	if (rte_eal_process_type() != RTE_PROC_PRIMARY &&
			bars_check() != TEST_SUCCESS)
		return TEST_FAILED;
	if (test_all_devices() != TEST_SUCCESS)
		return TEST_FAILED;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return TEST_SUCCESS;
	bars_export();
	/* a secondary allocates only in pages the primary keeps mapped */
	keep = rte_malloc("edu_test_keep", 64, 0);
	TEST_ASSERT_NOT_NULL(keep, "rte_malloc: %s", rte_strerror(rte_errno));
	ret = run_secondary("edu_autotest");
	rte_free(keep);
	if (ret != TEST_SUCCESS) {
		printf("secondary process failed\n");
		return TEST_FAILED;
	}
	/* the secondary programmed its own eventfds: take the interrupts back */
	for (i = 0; i < rte_edu_count(); i++) {
		struct rte_edu *edu = rte_edu_get(i);

		TEST_ASSERT_SUCCESS(rte_edu_intr_rearm(edu), "rearm: %s",
			rte_strerror(rte_errno));
		TEST_ASSERT_SUCCESS(rte_edu_irq_test(edu, 0x40),
			"%s: interrupt after the secondary: %s", rte_edu_name(edu),
			rte_strerror(rte_errno));
	}
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(edu_autotest, test_edu);

static int
cmp_name(const struct rte_device *dev, const void *name)
{
	return strcmp(dev->name, name);
}

static struct rte_pci_device *
pci_find(const char *name)
{
	/* defined after its first use, declared above */
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	struct rte_device *d = bus->find_device(NULL, cmp_name, name);

	return d != NULL ? RTE_DEV_TO_PCI(d) : NULL;
}

struct dma_loop {
	struct rte_edu *edu;
	struct rte_edu_buf buf;
	int err;          /* rte_errno that ended the loop */
	unsigned long n;  /* DMAs done */
};

static void *
dma_loop_run(void *arg)
{
	struct dma_loop *l = arg;

	while (rte_edu_dma(l->edu, l->buf.iova, 0, 512, (int)(l->n & 1),
			RTE_EDU_WAIT_POLL) == 0)
		l->n++;
	l->err = rte_errno;
	return NULL;
}

static int
sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int
test_edu_hotunplug(void)
{
	const char *sysfs = getenv("SYSFS_PCI_DEVICES");
	unsigned int before = rte_edu_count();
	char name[PCI_PRI_STR_SIZE], path[512];
	struct dma_loop loop;
	pthread_t th;
	int fd;

	if (before == 0)
		TEST_SKIP("no edu device probed (none bound to vfio-pci)");
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		TEST_SKIP("hot-unplug is handled by the primary");
	memset(&loop, 0, sizeof(loop));
	loop.edu = rte_edu_get(before - 1);
	snprintf(name, sizeof(name), "%s", rte_edu_name(loop.edu));
	snprintf(path, sizeof(path), "%s/%s/remove",
		sysfs != NULL ? sysfs : "/sys/bus/pci/devices", name);
	if (access(path, W_OK) != 0)
		TEST_SKIP("%s: %s", path, strerror(errno));
	/* without an IOMMU the buffer's physical address must fit the mask */
	TEST_ASSERT_SUCCESS(rte_edu_set_dma_mask(loop.edu, device_dma_mask()),
		"mask 0x%" PRIx64, device_dma_mask());
	TEST_ASSERT_SUCCESS(rte_edu_buf_alloc(loop.edu, 512, &loop.buf),
		"buffer: %s", rte_strerror(rte_errno));
	fd = rte_pci_vfio_dev_fd(pci_find(name));
	TEST_ASSERT(fd >= 0, "%s: no VFIO fd", name);
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, dma_loop_run, &loop),
		"thread");
	/* blocks in the kernel until this process releases the device */
	if (sysfs_write(path, "1") != 0) {
		printf("writing %s: %s\n", path, strerror(errno));
		pthread_join(th, NULL);
		rte_edu_buf_free(NULL, &loop.buf);
		return TEST_FAILED;
	}
	pthread_join(th, NULL);
	rte_edu_buf_free(NULL, &loop.buf);
	printf("%s: removed after %lu DMAs; the DMA thread stopped with %s\n",
		name, loop.n, rte_strerror(loop.err));
	TEST_ASSERT_EQUAL(loop.err, ENODEV, "DMA thread ended with %d", loop.err);
	TEST_ASSERT_EQUAL(rte_edu_count(), before - 1, "%u edu devices left",
		rte_edu_count());
	snprintf(path, sizeof(path), "%s/%s",
		sysfs != NULL ? sysfs : "/sys/bus/pci/devices", name);
	TEST_ASSERT(access(path, F_OK) != 0, "%s still exists", path);
	TEST_ASSERT(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
		"VFIO fd %d still open", fd);
	TEST_ASSERT_NULL(pci_find(name), "%s still on the bus", name);
	/* the other devices still work */
	if (before > 1)
		TEST_ASSERT_SUCCESS(rte_edu_liveness(rte_edu_get(0), 42),
			"remaining device");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(edu_hotunplug_autotest, test_edu_hotunplug);
