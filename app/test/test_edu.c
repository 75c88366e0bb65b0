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

#include <dirent.h>
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
#include <rte_dev.h>
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

/*
 * edu_hotplug_autotest: rte_eal_hotplug_remove/add of an edu device, by
 * the primary and by a secondary it starts (through the primary), and
 * the device event monitor seeing the kernel remove and re-add it:
 *   1. primary removes it: its VFIO fd is closed (one VFIO device fd
 *      fewer in /proc/self/fd); a second remove is ENODEV (the PCI
 *      bus forgot the device);
 *   2. primary adds it with its dma_mask: DMA round trip by bytes; a
 *      second add is EEXIST;
 *   3. the secondary removes it, then adds it: both processes see it
 *      gone, then back, each checking its own fds and DMA;
 *   4. with the monitor started: hotplug remove, sysfs "remove" -> a
 *      REMOVE event for the address; sysfs "rescan" -> an ADD event; the
 *      new device is bound to vfio-pci again (driver_override +
 *      drivers_probe) and hotplug add brings it back with a DMA.
 */

#define HP_EVENT_WAIT_MS 10000

static char hp_name[PCI_PRI_STR_SIZE];

static struct {
	pthread_mutex_t lock;
	unsigned int add, remove; /* events for hp_name */
} hp_events = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
hp_event_cb(const char *name, enum rte_dev_event_type event,
		void *arg __rte_unused)
{
	printf("device event: %s %s\n", name,
		event == RTE_DEV_EVENT_ADD ? "ADD" : "REMOVE");
	if (strcmp(name, hp_name) != 0)
		return;
	pthread_mutex_lock(&hp_events.lock);
	if (event == RTE_DEV_EVENT_ADD)
		hp_events.add++;
	else
		hp_events.remove++;
	pthread_mutex_unlock(&hp_events.lock);
}

/* wait until *counter (under hp_events.lock) is at least n */
static int
hp_event_wait(const unsigned int *counter, unsigned int n)
{
	unsigned int ms, v = 0;

	for (ms = 0; ms < HP_EVENT_WAIT_MS; ms += 10) {
		pthread_mutex_lock(&hp_events.lock);
		v = *counter;
		pthread_mutex_unlock(&hp_events.lock);
		if (v >= n)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* VFIO device fds of this process (group: anon inode; cdev: the node) */
static int
vfio_device_fds(void)
{
	char link[256];
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strcmp(link, "anon_inode:[vfio-device]") == 0 ||
				strncmp(link, "/dev/vfio/devices/", 18) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static struct rte_edu *
edu_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < rte_edu_count(); i++)
		if (strcmp(rte_edu_name(rte_edu_get(i)), name) == 0)
			return rte_edu_get(i);
	return NULL;
}

static void
hp_drvargs(char *buf, size_t len)
{
	snprintf(buf, len, "dma_mask=0x%" PRIx64, device_dma_mask());
}

/* the device is gone here: not probed, its fd closed, one fd fewer */
static int
hp_check_gone(int fd, int fds_with)
{
	TEST_ASSERT_NULL(edu_by_name(hp_name), "%s: edu still listed", hp_name);
	TEST_ASSERT(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
		"%s: VFIO fd %d still open", hp_name, fd);
	TEST_ASSERT_EQUAL(vfio_device_fds(), fds_with - 1,
		"%s: %d VFIO device fds, want %d", hp_name, vfio_device_fds(),
		fds_with - 1);
	return TEST_SUCCESS;
}

/*
 * the device is back here: probed (with the dma_mask of its devargs when
 * this process plugged it by hotplug), one more fd, DMA by bytes
 */
static int
hp_check_back(int fds_with, int hotplugged)
{
	struct rte_edu *edu = edu_by_name(hp_name);
	struct rte_edu_buf src, dst;
	int ret;

	TEST_ASSERT_NOT_NULL(edu, "%s: not probed again", hp_name);
	if (!hotplugged)
		TEST_ASSERT_SUCCESS(rte_edu_set_dma_mask(edu, device_dma_mask()),
			"mask");
	TEST_ASSERT_EQUAL(rte_edu_dma_mask(edu), device_dma_mask(),
		"%s: dma_mask 0x%" PRIx64 " (the devargs were lost)", hp_name,
		rte_edu_dma_mask(edu));
	TEST_ASSERT(rte_pci_vfio_dev_fd(pci_find(hp_name)) >= 0,
		"%s: no VFIO fd", hp_name);
	TEST_ASSERT_EQUAL(vfio_device_fds(), fds_with,
		"%s: %d VFIO device fds, want %d", hp_name, vfio_device_fds(),
		fds_with);
	TEST_ASSERT_SUCCESS(rte_edu_buf_alloc(edu, RTE_EDU_BUF_SIZE, &src),
		"buffer: %s", rte_strerror(rte_errno));
	if (rte_edu_buf_alloc(edu, RTE_EDU_BUF_SIZE, &dst) != 0) {
		rte_edu_buf_free(edu, &src);
		TEST_ASSERT(0, "buffer: %s", rte_strerror(rte_errno));
	}
	ret = round_trip(edu, &src, &dst, 0, 2048, RTE_EDU_WAIT_POLL, 7);
	rte_edu_buf_free(edu, &dst);
	rte_edu_buf_free(edu, &src);
	if (ret == TEST_SUCCESS)
		printf("%s: back, DMA round trip of 2048 bytes intact (%s)\n",
			hp_name, rte_eal_process_type() == RTE_PROC_PRIMARY ?
			"primary" : "secondary");
	return ret;
}

/* remove (twice: ENOENT) in this process's name; fds_with before */
static int
hp_remove(int fds_with)
{
	int fd = rte_pci_vfio_dev_fd(pci_find(hp_name));

	TEST_ASSERT(fd >= 0, "%s: no VFIO fd", hp_name);
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_remove("pci", hp_name),
		"remove %s: %s", hp_name, rte_strerror(rte_errno));
	if (hp_check_gone(fd, fds_with) != TEST_SUCCESS)
		return TEST_FAILED;
	/*
	 * the PCI bus forgets an unplugged device: ENODEV (no such device);
	 * a bus that keeps it answers ENOENT (not probed)
	 */
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_remove("pci", hp_name), -1,
		"%s removed twice", hp_name);
	TEST_ASSERT_EQUAL(rte_errno, pci_find(hp_name) == NULL ? ENODEV : ENOENT,
		"remove twice: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

/* add (twice: EEXIST) with the dma_mask devargs */
static int
hp_add(int fds_with)
{
	char args[64];

	hp_drvargs(args, sizeof(args));
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_add("pci", hp_name, args),
		"add %s,%s: %s", hp_name, args, rte_strerror(rte_errno));
	if (hp_check_back(fds_with, 1) != TEST_SUCCESS)
		return TEST_FAILED;
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_eal_hotplug_add("pci", hp_name, args), -1,
		"%s added twice", hp_name);
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "add twice: %s",
		rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

/* read lines from fd until one equals word */
static int
hp_expect(int fd, const char *word)
{
	char line[256];
	size_t n = 0;
	char c;

	while (read(fd, &c, 1) == 1) {
		if (c != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = c;
			continue;
		}
		line[n] = '\0';
		printf("secondary: %s\n", line);
		if (strcmp(line, word) == 0)
			return 0;
		if (strncmp(line, "FAIL", 4) == 0)
			return -1;
		n = 0;
	}
	printf("secondary ended before saying '%s'\n", word);
	return -1;
}

static int
hp_say(int fd, const char *word)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s\n", word);

	return write(fd, line, (size_t)n) == n ? 0 : -1;
}

/* this test's EAL options, as a secondary running edu_hotplug_child */
static pid_t
hp_spawn(int *to_child, int *from_child)
{
	int argc = test_eal_argc(), n = 0, i, in[2], out[2];
	char **argv = test_eal_argv();
	char *args[argc + 4];
	posix_spawn_file_actions_t fa;
	pid_t pid;

	args[n++] = (char *)(uintptr_t)test_self_path();
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--proc-type", 11) != 0 &&
				strcmp(argv[i], "--") != 0)
			args[n++] = argv[i];
	args[n++] = (char *)(uintptr_t)"--proc-type=secondary";
	args[n++] = (char *)(uintptr_t)"edu_hotplug_child";
	args[n] = NULL;
	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	setenv("DPDK_TEST_HOTPLUG_DEV", hp_name, 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	fflush(stdout);
	if (posix_spawn(&pid, args[0], &fa, NULL, args, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	*to_child = in[1];
	*from_child = out[0];
	return pid;
}

/* step 3: the secondary removes and adds; the primary checks each */
static int
hp_secondary_steps(int fds_with)
{
	int to = -1, from = -1, status, fd, ret = TEST_FAILED;
	void *keep;
	pid_t pid;

	/* a secondary allocates only in pages the primary keeps mapped */
	keep = rte_malloc("edu_hotplug_keep", 64, 0);
	TEST_ASSERT_NOT_NULL(keep, "rte_malloc: %s", rte_strerror(rte_errno));
	fd = rte_pci_vfio_dev_fd(pci_find(hp_name));
	pid = hp_spawn(&to, &from);
	if (pid <= 0) {
		printf("cannot start the secondary: %s\n", strerror(errno));
		goto free_keep;
	}
	if (hp_expect(from, "ready") != 0 || hp_say(to, "remove") != 0 ||
			hp_expect(from, "removed") != 0)
		goto wait;
	if (hp_check_gone(fd, fds_with) != TEST_SUCCESS)
		goto wait;
	if (hp_say(to, "add") != 0 || hp_expect(from, "added") != 0)
		goto wait;
	if (hp_check_back(fds_with, 1) != TEST_SUCCESS)
		goto wait;
	ret = TEST_SUCCESS;
wait:
	close(to);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0) {
		printf("secondary failed (status 0x%x)\n", status);
		ret = TEST_FAILED;
	}
	close(from);
free_keep:
	rte_free(keep);
	return ret;
}

static int
edu_hotplug_child(void)
{
	const char *name = getenv("DPDK_TEST_HOTPLUG_DEV");
	char line[64];
	int fds;

#define CHILD_STEP(x) do { \
	if ((x) != TEST_SUCCESS) { \
		printf("FAIL: %s\n", #x); \
		fflush(stdout); \
		return TEST_FAILED; \
	} \
} while (0)
	if (name == NULL || rte_eal_process_type() != RTE_PROC_SECONDARY) {
		printf("FAIL: not a secondary of edu_hotplug_autotest\n");
		return TEST_FAILED;
	}
	snprintf(hp_name, sizeof(hp_name), "%s", name);
	fds = vfio_device_fds();
	/* probed at start-up: without the primary's hotplug devargs */
	CHILD_STEP(hp_check_back(fds, 0));
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL ||
			strcmp(line, "remove\n") != 0)
		CHILD_STEP(TEST_FAILED);
	CHILD_STEP(hp_remove(fds));
	printf("removed\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL ||
			strcmp(line, "add\n") != 0)
		CHILD_STEP(TEST_FAILED);
	CHILD_STEP(hp_add(fds));
	printf("added\n");
	fflush(stdout);
#undef CHILD_STEP
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(edu_hotplug_child, edu_hotplug_child);

/* sysfs file of the device, or of the bus with dev NULL */
static void
hp_sysfs(char *buf, size_t len, const char *dev, const char *file)
{
	const char *sysfs = getenv("SYSFS_PCI_DEVICES");

	if (sysfs == NULL)
		sysfs = "/sys/bus/pci/devices";
	if (dev != NULL)
		snprintf(buf, len, "%s/%s/%s", sysfs, dev, file);
	else
		snprintf(buf, len, "%s/../%s", sysfs, file);
}

/* step 4: the kernel removes and re-adds the device */
static int
hp_kernel_steps(int fds_with)
{
	char path[512];

	hp_sysfs(path, sizeof(path), hp_name, "remove");
	if (access(path, W_OK) != 0)
		TEST_SKIP("%s: %s (needs root in the VM)", path, strerror(errno));
	TEST_ASSERT_SUCCESS(rte_dev_event_monitor_start(), "monitor start: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_dev_event_callback_register(NULL, hp_event_cb,
		NULL), "register");
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_remove("pci", hp_name),
		"remove %s: %s", hp_name, rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(sysfs_write(path, "1"), "writing %s: %s", path,
		strerror(errno));
	TEST_ASSERT_SUCCESS(hp_event_wait(&hp_events.remove, 1),
		"%s: no REMOVE event within %d ms", hp_name, HP_EVENT_WAIT_MS);
	TEST_ASSERT_EQUAL(hp_events.add, 0, "%s: ADD before the rescan",
		hp_name);
	hp_sysfs(path, sizeof(path), NULL, "rescan");
	TEST_ASSERT_SUCCESS(sysfs_write(path, "1"), "writing %s: %s", path,
		strerror(errno));
	TEST_ASSERT_SUCCESS(hp_event_wait(&hp_events.add, 1),
		"%s: no ADD event within %d ms after the rescan", hp_name,
		HP_EVENT_WAIT_MS);
	/* a new kernel device: driver_override went with the old one */
	hp_sysfs(path, sizeof(path), hp_name, "driver_override");
	TEST_ASSERT_SUCCESS(sysfs_write(path, "vfio-pci"), "writing %s: %s",
		path, strerror(errno));
	hp_sysfs(path, sizeof(path), NULL, "drivers_probe");
	TEST_ASSERT_SUCCESS(sysfs_write(path, hp_name), "writing %s: %s",
		path, strerror(errno));
	TEST_ASSERT_SUCCESS(rte_dev_event_callback_unregister(NULL,
		hp_event_cb, (void *)-1) == 1 ? 0 : -1, "unregister");
	TEST_ASSERT_SUCCESS(rte_dev_event_monitor_stop(), "monitor stop");
	return hp_add(fds_with);
}

static int
test_edu_hotplug(void)
{
	int fds, ret;
	unsigned int i;

	if (rte_edu_count() == 0)
		TEST_SKIP("no edu device probed (none bound to vfio-pci)");
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		TEST_SKIP("the primary starts its own secondary");
	if (rte_eal_get_runtime_dir()[0] == '\0')
		TEST_SKIP("--in-memory: no secondary process can attach");
	snprintf(hp_name, sizeof(hp_name), "%s",
		rte_edu_name(rte_edu_get(rte_edu_count() - 1)));
	fds = vfio_device_fds();
	printf("%s: %d VFIO device fds open\n", hp_name, fds);
	if (hp_remove(fds) != TEST_SUCCESS || hp_add(fds) != TEST_SUCCESS)
		return TEST_FAILED;
	ret = hp_secondary_steps(fds);
	/* the secondary programmed its own eventfds: take the interrupts back */
	for (i = 0; i < rte_edu_count(); i++)
		rte_edu_intr_rearm(rte_edu_get(i));
	if (ret != TEST_SUCCESS)
		return TEST_FAILED;
	return hp_kernel_steps(fds);
}

REGISTER_TEST_COMMAND(edu_hotplug_autotest, test_edu_hotplug);
