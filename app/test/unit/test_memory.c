/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * EAL memory under injected failures (mmap, fallocate, ftruncate): init
 * fails with the right errno and leaves no mapping, file or directory;
 * rte_malloc() fails with ENOMEM and leaves the heap as it was. And the
 * pluggable IOVA source: called for every page in PA mode, told about
 * every page that goes, its addresses are the ones the segments get. The
 * default source reads /proc/self/pagemap once for a run of pages.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "eal_memcfg.h"
#include "eal_memory_iova.h"
#include "fault.h"
#include "unit_rundir.h"

/* With _FILE_OFFSET_BITS=64 the C library names end in 64: wrap both. */
void *__real_mmap(void *a, size_t l, int p, int f, int fd, off_t o);
void *__wrap_mmap(void *a, size_t l, int p, int f, int fd, off_t o);
void *__real_mmap64(void *a, size_t l, int p, int f, int fd, off_t o);
void *__wrap_mmap64(void *a, size_t l, int p, int f, int fd, off_t o);
int __real_fallocate(int fd, int mode, off_t off, off_t len);
int __wrap_fallocate(int fd, int mode, off_t off, off_t len);
int __real_fallocate64(int fd, int mode, off_t off, off_t len);
int __wrap_fallocate64(int fd, int mode, off_t off, off_t len);
int __real_ftruncate(int fd, off_t len);
int __wrap_ftruncate(int fd, off_t len);
int __real_ftruncate64(int fd, off_t len);
int __wrap_ftruncate64(int fd, off_t len);
ssize_t __real_pread(int fd, void *buf, size_t n, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off);
ssize_t __real_pread64(int fd, void *buf, size_t n, off_t off);
ssize_t __wrap_pread64(int fd, void *buf, size_t n, off_t off);

#define WRAP_FAIL(name, failval) do { \
	int err_ = fault_check(name); \
	if (err_ != 0) { \
		errno = err_; \
		return failval; \
	} \
} while (0)

void *
__wrap_mmap(void *a, size_t l, int p, int f, int fd, off_t o)
{
	WRAP_FAIL("mmap", MAP_FAILED);
	return __real_mmap(a, l, p, f, fd, o);
}

void *
__wrap_mmap64(void *a, size_t l, int p, int f, int fd, off_t o)
{
	WRAP_FAIL("mmap", MAP_FAILED);
	return __real_mmap64(a, l, p, f, fd, o);
}

/* preads seen (the EAL reads only /proc/self/pagemap with them) */
static unsigned int preads;

ssize_t
__wrap_pread(int fd, void *buf, size_t n, off_t off)
{
	preads++;
	WRAP_FAIL("pread", -1);
	return __real_pread(fd, buf, n, off);
}

ssize_t
__wrap_pread64(int fd, void *buf, size_t n, off_t off)
{
	preads++;
	WRAP_FAIL("pread", -1);
	return __real_pread64(fd, buf, n, off);
}

/* When set, every page allocation finds the system out of memory. */
static int no_free_pages;

/* 1 when fd is the runtime directory's shared configuration file. */
static int
is_config_fd(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return n > 7 && strcmp(path + n - 7, "/config") == 0;
}

/*
 * Allocation only (hole punching always goes through): "fallocate" for
 * pages, "fallocate_config" for the shared configuration's blocks.
 */
static int
fallocate_fault(int fd, int mode)
{
	int err;

	if (mode != 0)
		return 0;
	if (is_config_fd(fd))
		return fault_check("fallocate_config");
	if (no_free_pages)
		return ENOSPC;
	err = fault_check("fallocate");
	return err;
}

int
__wrap_fallocate(int fd, int mode, off_t off, off_t len)
{
	int err = fallocate_fault(fd, mode);

	if (err != 0) {
		errno = err;
		return -1;
	}
	return __real_fallocate(fd, mode, off, len);
}

int
__wrap_fallocate64(int fd, int mode, off_t off, off_t len)
{
	int err = fallocate_fault(fd, mode);

	if (err != 0) {
		errno = err;
		return -1;
	}
	return __real_fallocate64(fd, mode, off, len);
}

int
__wrap_ftruncate(int fd, off_t len)
{
	WRAP_FAIL("ftruncate", -1);
	return __real_ftruncate(fd, len);
}

int
__wrap_ftruncate64(int fd, off_t len)
{
	WRAP_FAIL("ftruncate", -1);
	return __real_ftruncate64(fd, len);
}

static char prefix_opt[64];
static char rundir[PATH_MAX];

static int
setup(void **state)
{
	(void)state;
	unit_rundir("unit_mem", prefix_opt, sizeof(prefix_opt), rundir,
		sizeof(rundir));
	fault_reset();
	no_free_pages = 0;
	rte_eal_cleanup(); /* after a failed test */
	return 0;
}

static int
init(const char *extra1, const char *extra2)
{
	/*
	 * --no-telemetry: the maps are counted, and under ASan the telemetry
	 * thread leaves allocator regions of its own (not memory's concern;
	 * unit-mp_intr_init checks that telemetry leaves no fd or thread)
	 */
	char *argv[] = { (char *)(uintptr_t)"unit", prefix_opt,
		(char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"--no-telemetry", (char *)(uintptr_t)extra1,
		(char *)(uintptr_t)extra2, NULL };
	int argc = 4 + (extra1 != NULL) + (extra2 != NULL && extra1 != NULL);

	return rte_eal_init(argc, argv);
}

/* Lines of /proc/self/maps, and those naming EAL backing files. */
static int
maps_lines(int *backing)
{
	char line[PATH_MAX + 128];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	*backing = 0;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strstr(line, "nohuge_mem_") != NULL ||
				strstr(line, "rte_seglist") != NULL)
			(*backing)++;
	}
	fclose(f);
	return n;
}

static int
rundir_exists(void)
{
	struct stat st;

	return stat(rundir, &st) == 0;
}

/* Fail the nth call of fn during init, for every n until init succeeds. */
static void
init_fails_cleanly_at_each(const char *fn, int err, int want_errno,
		const char *m)
{
	int base, backing, n, lines;
	unsigned int nth;

	/* warm up: the C library maps what it needs once */
	assert_true(init(m != NULL ? "-m" : NULL, m) >= 0);
	assert_int_equal(rte_eal_cleanup(), 0);
	base = maps_lines(&backing);
	assert_int_equal(backing, 0);
	for (nth = 1; nth < 100; nth++) {
		fault_reset();
		fault_arm(fn, nth, err);
		n = init(m != NULL ? "-m" : NULL, m);
		fault_reset();
		if (n >= 0)
			break;
		assert_int_equal(rte_errno, want_errno);
		lines = maps_lines(&backing);
		assert_int_equal(backing, 0);
		assert_int_equal(lines, base);
		assert_false(rundir_exists());
	}
	assert_true(nth > 1);   /* at least one call failed init */
	assert_true(nth < 100); /* and init worked once faults ran out */
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(maps_lines(&backing), base);
	assert_false(rundir_exists());
}

static void
test_init_mmap_failure_leaves_nothing(void **state)
{
	(void)state;
	init_fails_cleanly_at_each("mmap", ENOMEM, ENOMEM, "4");
}

static void
test_init_without_free_pages_leaves_nothing(void **state)
{
	int base, backing;

	(void)state;
	assert_true(init("-m", "4") >= 0);
	assert_int_equal(rte_eal_cleanup(), 0);
	base = maps_lines(&backing);
	no_free_pages = 1;
	assert_int_equal(init("-m", "4"), -1);
	no_free_pages = 0;
	assert_int_equal(rte_errno, ENOMEM);
	assert_int_equal(maps_lines(&backing), base);
	assert_int_equal(backing, 0);
	assert_false(rundir_exists());
}

static void
test_init_transient_fallocate_failure_recovers(void **state)
{
	struct rte_malloc_socket_stats st;

	(void)state;
	/* -m is met in smaller runs when one allocation fails */
	fault_arm("fallocate", 1, ENOSPC);
	assert_true(init("-m", "4") >= 0);
	assert_int_equal(rte_malloc_get_socket_stats(0, &st), 0);
	assert_int_equal(st.heap_totalsz_bytes, 4 << 20);
	assert_int_equal(rte_eal_cleanup(), 0);
}

/*
 * The shared configuration is a file in the runtime directory: its
 * blocks are reserved before they are written (a full file system would
 * otherwise raise SIGBUS). Any reservation failing fails init with
 * ENOMEM and leaves nothing.
 */
static void
test_init_config_reserve_failure_leaves_nothing(void **state)
{
	(void)state;
	init_fails_cleanly_at_each("fallocate_config", ENOSPC, ENOMEM, "4");
}

/* At run time: the new pages' segments find no room; the heap stays. */
static void
test_malloc_config_reserve_failure_keeps_heap(void **state)
{
	struct rte_malloc_socket_stats before, after;
	void *p;

	(void)state;
	assert_true(init(NULL, NULL) >= 0);
	assert_int_equal(rte_malloc_get_socket_stats(0, &before), 0);
	fault_arm("fallocate_config", 1, ENOSPC);
	rte_errno = 0;
	assert_null(rte_malloc(NULL, 8 << 20, 0));
	assert_int_equal(rte_errno, ENOMEM);
	fault_reset();
	assert_int_equal(rte_malloc_get_socket_stats(0, &after), 0);
	assert_int_equal(after.heap_totalsz_bytes, before.heap_totalsz_bytes);
	p = rte_malloc(NULL, 8 << 20, 0);
	assert_non_null(p);
	rte_free(p);
	assert_int_equal(rte_eal_cleanup(), 0);
}

static void
test_init_ftruncate_failure_leaves_nothing(void **state)
{
	(void)state;
	init_fails_cleanly_at_each("ftruncate", EIO, EIO, NULL);
}

static void
test_malloc_failure_keeps_heap(void **state)
{
	struct rte_malloc_socket_stats before, after;
	int backing, lines;
	void *p;

	(void)state;
	assert_true(init(NULL, NULL) >= 0);
	assert_int_equal(rte_malloc_get_socket_stats(0, &before), 0);
	lines = maps_lines(&backing);
	no_free_pages = 1;
	rte_errno = 0;
	assert_null(rte_malloc(NULL, 1 << 20, 0));
	no_free_pages = 0;
	assert_int_equal(rte_errno, ENOMEM);
	fault_arm("mmap", 1, ENOMEM);
	assert_null(rte_malloc(NULL, 1 << 20, 0));
	assert_int_equal(rte_errno, ENOMEM);
	fault_reset();
	assert_int_equal(rte_malloc_get_socket_stats(0, &after), 0);
	assert_int_equal(after.heap_totalsz_bytes, before.heap_totalsz_bytes);
	assert_int_equal(after.alloc_count, before.alloc_count);
	assert_int_equal(maps_lines(&backing), lines);
	/* and it works once the system has memory again */
	p = rte_malloc(NULL, 1 << 20, 0);
	assert_non_null(p);
	rte_free(p);
	assert_int_equal(rte_eal_cleanup(), 0);
}

/* Memory events seen by a plain callback, and a checked one that refuses. */
static struct {
	unsigned int allocs, frees;
	const void *addr;
	size_t len;
	int refuse;
} ev_state;

static void
ev_record(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	(void)arg;
	if (type == RTE_MEM_EVENT_ALLOC) {
		ev_state.allocs++;
		ev_state.addr = addr;
		ev_state.len = len;
	} else {
		ev_state.frees++;
		/* the refused run is given back whole */
		assert_ptr_equal(addr, ev_state.addr);
		assert_int_equal(len, ev_state.len);
	}
}

static int
ev_refuse(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	(void)addr;
	(void)len;
	(void)arg;
	if (type == RTE_MEM_EVENT_ALLOC && ev_state.refuse) {
		rte_errno = ENOMEM;
		return -1;
	}
	return 0;
}

/*
 * A checked callback refusing the pages (VFIO that cannot map them):
 * rte_malloc() fails with ENOMEM, the callbacks before it see the pages
 * come and go, the heap and the mappings are as before.
 */
static void
test_malloc_refused_by_event_callback_keeps_heap(void **state)
{
	struct rte_malloc_socket_stats before, after;
	int backing, lines;
	void *p;

	(void)state;
	assert_true(init(NULL, NULL) >= 0);
	memset(&ev_state, 0, sizeof(ev_state));
	assert_int_equal(rte_mem_event_callback_register("unit-record",
		ev_record, NULL), 0);
	assert_int_equal(eal_mem_event_callback_register_checked("unit-refuse",
		ev_refuse, NULL), 0);
	assert_int_equal(rte_malloc_get_socket_stats(0, &before), 0);
	lines = maps_lines(&backing);
	ev_state.refuse = 1;
	rte_errno = 0;
	assert_null(rte_malloc(NULL, 1 << 20, 0));
	assert_int_equal(rte_errno, ENOMEM);
	assert_true(ev_state.allocs > 0);
	assert_int_equal(ev_state.frees, ev_state.allocs);
	assert_int_equal(rte_malloc_get_socket_stats(0, &after), 0);
	assert_int_equal(after.heap_totalsz_bytes, before.heap_totalsz_bytes);
	assert_int_equal(after.alloc_count, before.alloc_count);
	assert_int_equal(maps_lines(&backing), lines);
	/* accepted again: the allocation works and the pages stay */
	ev_state.refuse = 0;
	ev_state.frees = ev_state.allocs = 0;
	p = rte_malloc(NULL, 1 << 20, 0);
	assert_non_null(p);
	assert_true(ev_state.allocs > 0);
	assert_int_equal(ev_state.frees, 0);
	rte_free(p);
	assert_int_equal(rte_mem_event_callback_unregister("unit-refuse", NULL), 0);
	assert_int_equal(rte_mem_event_callback_unregister("unit-record", NULL), 0);
	assert_int_equal(rte_eal_cleanup(), 0);
}

/* A fake IOVA source: page n gets 0x7000000000 + n pages. */
static struct {
	unsigned int calls, releases, release_calls, fail_at;
	uintptr_t first_va;
} src_state;

static int
fake_va2iova(void *va, size_t len, rte_iova_t *iova, void *arg)
{
	assert_ptr_equal(arg, &src_state);
	src_state.calls++;
	if (src_state.fail_at != 0 && src_state.calls == src_state.fail_at) {
		rte_errno = EIO;
		return -1;
	}
	if (src_state.first_va == 0)
		src_state.first_va = (uintptr_t)va;
	*iova = UINT64_C(0x7000000000) + ((uintptr_t)va - src_state.first_va);
	(void)len;
	return 0;
}

/* pages released: one call may cover several (an allocation's run) */
static void
fake_release(void *va, size_t len, void *arg)
{
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);

	(void)va;
	(void)arg;
	assert_int_equal(len % psz, 0);
	src_state.releases += (unsigned int)(len / psz);
	src_state.release_calls++;
}

static const struct eal_iova_source fake_source = {
	.name = "unit-fake",
	.va2iova = fake_va2iova,
	.release = fake_release,
	.arg = &src_state,
};

static void
test_iova_source_pa_mode(void **state)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct eal_iova_source bad = { .name = "bad" };
	unsigned int pages;
	size_t text_len;
	char *p, *text;
	FILE *log;

	(void)state;
	assert_int_equal(eal_iova_source_set(&bad), -1);
	assert_int_equal(rte_errno, EINVAL);
	memset(&src_state, 0, sizeof(src_state));
	assert_int_equal(eal_iova_source_set(&fake_source), 0);
	assert_int_equal(eal_iova_pa_available(), 1);
	assert_true(init("--iova-mode=pa", NULL) >= 0);
	assert_int_equal(rte_eal_iova_mode(), RTE_IOVA_PA);

	p = rte_malloc(NULL, 10 * (size_t)psz, 0);
	assert_non_null(p);
	pages = src_state.calls;
	assert_true(pages >= 10);
	/* every page has the source's address */
	assert_int_equal(rte_mem_virt2iova(p + 3 * psz + 5),
		UINT64_C(0x7000000000) + ((uintptr_t)p + 3 * psz + 5 -
			src_state.first_va));
	assert_int_equal(src_state.releases, 0);
	rte_free(p);
	assert_int_equal(src_state.releases, pages);
	/* the run freed together is told at once */
	assert_int_equal(src_state.release_calls, 1);

	/* a failing source fails the allocation and releases what it got;
	 * the heap names that cause, not "hugepages exhausted"
	 */
	src_state.calls = src_state.releases = 0;
	src_state.fail_at = 4;
	rte_errno = 0;
	log = open_memstream(&text, &text_len);
	assert_non_null(log);
	rte_openlog_stream(log);
	assert_null(rte_malloc(NULL, 10 * (size_t)psz, 0));
	rte_openlog_stream(NULL);
	fclose(log);
	assert_int_equal(rte_errno, ENOMEM);
	assert_int_equal(src_state.releases, 3);
	assert_non_null(strstr(text, "the pages got no IOVA"));
	assert_null(strstr(text, "exhausted"));
	free(text);
	src_state.fail_at = 0;
	/* pages still mapped at cleanup are released too */
	src_state.calls = src_state.releases = 0;
	assert_non_null(rte_malloc(NULL, 2 * (size_t)psz, 0));
	pages = src_state.calls;
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(src_state.releases, pages);
	assert_int_equal(eal_iova_source_set(NULL), 0);
}

/* pages asked of a run source, those asked whole (never freed apart) */
static struct {
	unsigned int pages, whole_pages, releases;
} run_state;

static int
run_va2iova(void *va, size_t len, rte_iova_t *iova, void *arg)
{
	(void)arg;
	(void)len;
	*iova = (uintptr_t)va; /* a test address: no DMA here */
	return 0;
}

static int
run_va2iova_pages(void *va, size_t pgsz, uint32_t n, rte_iova_t *iova,
		bool whole, void *arg)
{
	uint32_t i;

	(void)arg;
	for (i = 0; i < n; i++)
		iova[i] = (uintptr_t)va + i * pgsz;
	run_state.pages += n;
	if (whole)
		run_state.whole_pages += n;
	return 0;
}

static void
run_release(void *va, size_t len, void *arg)
{
	(void)va;
	(void)arg;
	run_state.releases += (unsigned int)(len / (size_t)sysconf(_SC_PAGESIZE));
}

/*
 * A source answering runs: the -m reservation comes whole (it is never
 * freed apart), heap growth page by page; every page is released once.
 */
static void
test_iova_source_runs_whole_for_reserved_memory(void **state)
{
	const struct eal_iova_source src = {
		.name = "unit-runs",
		.va2iova = run_va2iova,
		.va2iova_pages = run_va2iova_pages,
		.release = run_release,
	};
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	unsigned int reserved;
	void *p;

	(void)state;
	memset(&run_state, 0, sizeof(run_state));
	assert_int_equal(eal_iova_source_set(&src), 0);
	assert_true(init("--iova-mode=pa", "-m2") >= 0);
	reserved = run_state.whole_pages;
	assert_true(reserved >= (2u << 20) / psz);
	assert_int_equal(run_state.pages, reserved);
	/* more than the reservation: the heap grows with freeable pages */
	p = rte_malloc(NULL, 4u << 20, 0);
	assert_non_null(p);
	assert_true(run_state.pages > reserved);
	assert_int_equal(run_state.whole_pages, reserved);
	rte_free(p);
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(run_state.releases, run_state.pages);
	assert_int_equal(eal_iova_source_set(NULL), 0);
}

/* what /proc/self/pagemap says of va, read apart from the EAL */
static uint64_t
pagemap_pa(const void *va)
{
	uint64_t psz = (uint64_t)sysconf(_SC_PAGESIZE), e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(__real_pread(fd, &e, sizeof(e),
		(off_t)((uintptr_t)va / psz * sizeof(e))), sizeof(e));
	close(fd);
	return (e & ((UINT64_C(1) << 55) - 1)) * psz + (uintptr_t)va % psz;
}

/*
 * The default source (pagemap) in PA mode: a run of pages costs one read,
 * each page gets the address pagemap gives it, and a failed read fails
 * the allocation with the heap as it was.
 */
static void
test_pagemap_source_reads_a_run_at_once(void **state)
{
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	struct rte_malloc_socket_stats before, after;
	unsigned int reads, i;
	char *p;

	(void)state;
	assert_int_equal(eal_iova_source_set(NULL), 0);
	if (eal_iova_pa_available() == 0)
		skip(); /* pagemap shows frames only to CAP_SYS_ADMIN */
	assert_true(init("--iova-mode=pa", NULL) >= 0);
	assert_int_equal(rte_eal_iova_mode(), RTE_IOVA_PA);
	preads = 0;
	p = rte_malloc(NULL, 256 * psz, 0);
	assert_non_null(p);
	reads = preads;
	/* 256 pages or a few more: one read per 512, not one per page */
	assert_true(reads >= 1 && reads <= 2);
	for (i = 0; i < 256; i++)
		assert_int_equal(rte_mem_virt2iova(p + i * psz + 7),
			pagemap_pa(p + i * psz + 7));
	rte_free(p);

	assert_int_equal(rte_malloc_get_socket_stats(0, &before), 0);
	fault_arm("pread", 1, EIO);
	rte_errno = 0;
	assert_null(rte_malloc(NULL, 256 * psz, 0));
	assert_int_equal(rte_errno, ENOMEM);
	assert_int_equal(rte_malloc_get_socket_stats(0, &after), 0);
	assert_int_equal(after.heap_totalsz_bytes, before.heap_totalsz_bytes);
	assert_int_equal(after.heap_allocsz_bytes, before.heap_allocsz_bytes);
	fault_reset();
	assert_int_equal(rte_eal_cleanup(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_mmap_failure_leaves_nothing, setup),
		cmocka_unit_test_setup(test_init_without_free_pages_leaves_nothing,
			setup),
		cmocka_unit_test_setup(test_init_transient_fallocate_failure_recovers,
			setup),
		cmocka_unit_test_setup(test_init_ftruncate_failure_leaves_nothing,
			setup),
		cmocka_unit_test_setup(test_init_config_reserve_failure_leaves_nothing,
			setup),
		cmocka_unit_test_setup(test_malloc_config_reserve_failure_keeps_heap,
			setup),
		cmocka_unit_test_setup(test_malloc_failure_keeps_heap, setup),
		cmocka_unit_test_setup(test_malloc_refused_by_event_callback_keeps_heap,
			setup),
		cmocka_unit_test_setup(test_iova_source_pa_mode, setup),
		cmocka_unit_test_setup(test_pagemap_source_reads_a_run_at_once,
			setup),
		cmocka_unit_test_setup(test_iova_source_runs_whole_for_reserved_memory,
			setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
