/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * memory_autotest: walks and lookups agree with each other, and the IOVA
 * of every page is the right one for the IOVA mode (VA: the address; PA:
 * what /proc/self/pagemap says, read here independently).
 * memory_cleanup_autotest: rte_eal_cleanup() leaves no mapping, file or
 * runtime directory behind, and the EAL can start again.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "test.h"

struct walk_stats {
	unsigned int segs;
	unsigned int lists;
	uint64_t bytes;
	int bad;
	char why[256];
};

static uint64_t
pagemap_pa(const void *va)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (off_t)((uintptr_t)va / (uintptr_t)psz *
			sizeof(e))) != (ssize_t)sizeof(e))
		e = 0;
	close(fd);
	e &= (UINT64_C(1) << 55) - 1;
	return e * (uint64_t)psz + (uintptr_t)va % (uintptr_t)psz;
}

#define FAIL_WALK(st, ...) do { \
	snprintf((st)->why, sizeof((st)->why), __VA_ARGS__); \
	(st)->bad = 1; \
	return -1; \
} while (0)

static int
seg_check(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct walk_stats *st = arg;
	const char *mid = RTE_PTR_ADD(ms->addr, ms->len / 2);
	rte_iova_t want;

	st->segs++;
	st->bytes += ms->len;
	if (msl->external)
		return 0;
	if (ms->len != msl->page_sz || ms->hugepage_sz != msl->page_sz)
		FAIL_WALK(st, "segment %p: len %zu, list page size %" PRIu64,
			ms->addr, ms->len, msl->page_sz);
	if ((uintptr_t)ms->addr < (uintptr_t)msl->base_va ||
			RTE_PTR_DIFF(ms->addr, msl->base_va) >= msl->len ||
			RTE_PTR_DIFF(ms->addr, msl->base_va) % msl->page_sz != 0)
		FAIL_WALK(st, "segment %p outside or misaligned in list %p+%zu",
			ms->addr, msl->base_va, msl->len);
	if (rte_mem_virt2memseg(mid, NULL) != ms ||
			rte_mem_virt2memseg(mid, msl) != ms ||
			rte_mem_virt2memseg_list(mid) != msl)
		FAIL_WALK(st, "lookups of %p disagree with the walk", mid);
	if (ms->socket_id != msl->socket_id)
		FAIL_WALK(st, "segment %p socket %d, list socket %d", ms->addr,
			ms->socket_id, msl->socket_id);
	want = rte_eal_iova_mode() == RTE_IOVA_VA ?
		(rte_iova_t)(uintptr_t)ms->addr : pagemap_pa(ms->addr);
	if (ms->iova != want || want == 0)
		FAIL_WALK(st, "segment %p: iova 0x%" PRIx64 ", expected 0x%" PRIx64,
			ms->addr, ms->iova, want);
	if (rte_mem_virt2iova(mid) != ms->iova + ms->len / 2)
		FAIL_WALK(st, "rte_mem_virt2iova(%p) wrong", mid);
	/* a linear search: sample it */
	if (st->segs % 61 == 1 &&
			rte_mem_iova2virt(ms->iova + 100) != RTE_PTR_ADD(ms->addr, 100))
		FAIL_WALK(st, "rte_mem_iova2virt(0x%" PRIx64 ") wrong", ms->iova);
	return 0;
}

static int
contig_check(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		size_t len, void *arg)
{
	struct walk_stats *st = arg;
	const void *after = RTE_PTR_ADD(ms->addr, len);
	size_t off;

	st->bytes += len;
	for (off = 0; off < len; off += msl->page_sz)
		if (rte_mem_virt2memseg(RTE_PTR_ADD(ms->addr, off), msl) == NULL)
			FAIL_WALK(st, "run %p+%zu has a hole at %zu", ms->addr,
				len, off);
	if (RTE_PTR_DIFF(after, msl->base_va) < msl->len &&
			rte_mem_virt2memseg(after, msl) != NULL)
		FAIL_WALK(st, "run %p+%zu is not maximal", ms->addr, len);
	return 0;
}

static int
list_check(const struct rte_memseg_list *msl, void *arg)
{
	struct walk_stats *st = arg;

	st->lists++;
	if (msl->len == 0 || msl->page_sz == 0 ||
			(uintptr_t)msl->base_va % msl->page_sz != 0)
		FAIL_WALK(st, "list %p+%zu page %" PRIu64 " malformed",
			msl->base_va, msl->len, msl->page_sz);
	if (msl->external)
		FAIL_WALK(st, "external list %p without rte_extmem_register",
			msl->base_va);
	return 0;
}

static int
stop_at_first(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	(*(int *)arg)++;
	return 1;
}

static int
fail_at_first(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	(*(int *)arg)++;
	return -1;
}

static int
test_memory(void)
{
	struct walk_stats seg = { 0 }, contig = { 0 }, lists = { 0 };
	void *block = rte_malloc("test", 1 << 20, 0);
	int local = 0, calls = 0;

	TEST_ASSERT_NOT_NULL(block, "rte_malloc(1 MiB): %s",
		rte_strerror(rte_errno));
	printf("IOVA as %s, hugepages %s\n",
		rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "VA",
		rte_eal_has_hugepages() ? "yes" : "no");
	TEST_ASSERT_EQUAL(rte_memseg_walk(seg_check, &seg), 0, "%s", seg.why);
	TEST_ASSERT(seg.segs > 0, "no segment after rte_malloc");
	TEST_ASSERT_EQUAL(rte_memseg_contig_walk(contig_check, &contig), 0,
		"%s", contig.why);
	TEST_ASSERT_EQUAL(contig.bytes, seg.bytes,
		"contig walk covers %" PRIu64 " bytes, memseg walk %" PRIu64,
		contig.bytes, seg.bytes);
	TEST_ASSERT_EQUAL(rte_memseg_list_walk(list_check, &lists), 0, "%s",
		lists.why);
	TEST_ASSERT(lists.lists > 0, "no list");
	printf("%u lists, %u pages, %" PRIu64 " bytes mapped\n", lists.lists,
		seg.segs, seg.bytes);

	/* callback return values */
	TEST_ASSERT_EQUAL(rte_memseg_walk(stop_at_first, &calls), 1, "stop");
	TEST_ASSERT_EQUAL(calls, 1, "walk went on after 1");
	calls = 0;
	TEST_ASSERT_EQUAL(rte_memseg_walk(fail_at_first, &calls), -1, "fail");
	TEST_ASSERT_EQUAL(calls, 1, "walk went on after -1");

	/* the read lock nests, and the unsafe walks run under it */
	rte_mcfg_mem_read_lock();
	rte_mcfg_mem_read_lock();
	memset(&seg, 0, sizeof(seg));
	TEST_ASSERT_EQUAL(rte_memseg_walk_thread_unsafe(seg_check, &seg), 0,
		"%s", seg.why);
	memset(&contig, 0, sizeof(contig));
	TEST_ASSERT_EQUAL(rte_memseg_contig_walk_thread_unsafe(contig_check,
		&contig), 0, "%s", contig.why);
	rte_mcfg_mem_read_unlock();
	rte_mcfg_mem_read_unlock();
	TEST_ASSERT_EQUAL(contig.bytes, seg.bytes, "unsafe walks disagree");

	/* the data of rte_malloc memory is what virt2iova says */
	TEST_ASSERT_EQUAL(rte_malloc_virt2iova(block), rte_mem_virt2iova(block),
		"rte_malloc_virt2iova");
	if (rte_eal_iova_mode() == RTE_IOVA_PA)
		TEST_ASSERT_EQUAL(rte_mem_virt2iova(RTE_PTR_ADD(block, 12345)),
			pagemap_pa(RTE_PTR_ADD(block, 12345)), "PA of block");
	else
		TEST_ASSERT_EQUAL(rte_mem_virt2iova(block),
			(rte_iova_t)(uintptr_t)block, "VA of block");

	/* memory that is not EAL memory is unknown */
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_mem_virt2memseg(&local, NULL), "stack in memseg");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "rte_errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_mem_virt2memseg_list(&local), "stack in a list");
	TEST_ASSERT_EQUAL(rte_mem_virt2iova(&local), RTE_BAD_IOVA, "stack iova");
	TEST_ASSERT_NULL(rte_mem_iova2virt(RTE_BAD_IOVA), "bad iova");
	rte_free(block);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(memory_autotest, test_memory);

/* Lines of /proc/self/maps naming EAL backing, or inside a range. */
static int
maps_count(const char *needle, uintptr_t lo, uintptr_t hi)
{
	char line[PATH_MAX + 128];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long s, e;

		if (needle != NULL && strstr(line, needle) != NULL)
			n++;
		else if (sscanf(line, "%lx-%lx", &s, &e) == 2 && lo < hi &&
				s < hi && e > lo)
			n++;
	}
	fclose(f);
	return n;
}

/* Files named like this instance's hugepage files in hugetlbfs mounts. */
static int
hugefiles_count(const char *stem)
{
	char dev[256], dir[PATH_MAX], type[64];
	struct dirent *de;
	int n = 0;
	FILE *f = fopen("/proc/mounts", "r");

	if (f == NULL)
		return -1;
	while (fscanf(f, "%255s %4095s %63s %*s %*d %*d", dev, dir, type) == 3) {
		DIR *d;

		if (strcmp(type, "hugetlbfs") != 0 || (d = opendir(dir)) == NULL)
			continue;
		while ((de = readdir(d)) != NULL)
			if (strncmp(de->d_name, stem, strlen(stem)) == 0)
				n++;
		closedir(d);
	}
	fclose(f);
	return n;
}

struct range {
	uintptr_t lo, hi;
};

static int
list_range(const struct rte_memseg_list *msl, void *arg)
{
	struct range *r = arg;

	if ((uintptr_t)msl->base_va < r->lo || r->lo == 0)
		r->lo = (uintptr_t)msl->base_va;
	if ((uintptr_t)msl->base_va + msl->len > r->hi)
		r->hi = (uintptr_t)msl->base_va + msl->len;
	return 0;
}

static int
cleanup_round(int round)
{
	int argc = test_eal_argc();
	char *args[argc + 1];
	char dir[PATH_MAX], prefix_map[128];
	struct range r = { 0, 0 };
	struct stat st;
	void *p;

	memcpy(args, test_eal_argv(), argc * sizeof(char *));
	args[argc] = NULL;
	TEST_ASSERT(rte_eal_init(argc, args) >= 0, "round %d: init: %s", round,
		rte_strerror(rte_errno));
	p = rte_malloc("cleanup", 3 << 20, 0);
	TEST_ASSERT_NOT_NULL(p, "rte_malloc");
	memset(p, 0x5a, 3 << 20);
	rte_memseg_list_walk(list_range, &r);
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	snprintf(prefix_map, sizeof(prefix_map), "/%smap_",
		dir[0] != '\0' ? strrchr(dir, '/') + 1 : "");
	if (rte_eal_has_hugepages() && dir[0] != '\0')
		TEST_ASSERT(hugefiles_count(prefix_map + 1) > 0,
			"no hugepage file %s* while initialised", prefix_map + 1);
	TEST_ASSERT(maps_count(NULL, r.lo, r.hi) > 0,
		"no mapping in the list ranges %lx-%lx while initialised",
		(unsigned long)r.lo, (unsigned long)r.hi);
	TEST_ASSERT_SUCCESS(rte_eal_cleanup(), "cleanup");
	TEST_ASSERT_EQUAL(maps_count(NULL, r.lo, r.hi), 0,
		"mappings left in %lx-%lx after cleanup", (unsigned long)r.lo,
		(unsigned long)r.hi);
	TEST_ASSERT_EQUAL(maps_count("rte_seglist", 0, 0), 0, "memfd left");
	TEST_ASSERT_EQUAL(maps_count("nohuge_mem_", 0, 0), 0, "file left");
	TEST_ASSERT_EQUAL(maps_count(prefix_map, 0, 0), 0,
		"hugepage file mapping left");
	TEST_ASSERT_EQUAL(hugefiles_count(prefix_map + 1), 0,
		"hugepage files %s* left after cleanup", prefix_map + 1);
	TEST_ASSERT(dir[0] == '\0' || (stat(dir, &st) != 0 && errno == ENOENT),
		"runtime directory %s left after cleanup", dir);
	return TEST_SUCCESS;
}

static int
test_memory_cleanup(void)
{
	/* twice: the second init proves the first cleanup reset everything */
	if (cleanup_round(1) != TEST_SUCCESS)
		return TEST_FAILED;
	return cleanup_round(2);
}

REGISTER_TEST_COMMAND_EAL(memory_cleanup_autotest, test_memory_cleanup,
	TEST_EAL_NONE);

/*
 * memory_iova_mode_autotest: PA works when /proc/self/pagemap shows page
 * frames (root) and fails init with EINVAL and a clear message when it
 * does not (an unprivileged process: frames read as 0).
 */

#define NOBODY 65534

/* Run "dpdk-test <args> -- eal_init_child", as nobody if asked. */
static int
run_init_child(const char *const *args, int as_nobody, char *out, size_t len)
{
	char *argv[16];
	int pipefd[2], status, n = 0;
	size_t used = 0;
	ssize_t r;
	pid_t pid;

	argv[n++] = (char *)(uintptr_t)test_self_path();
	while (*args != NULL && n < 13)
		argv[n++] = (char *)(uintptr_t)*args++;
	argv[n++] = (char *)(uintptr_t)"--";
	argv[n++] = (char *)(uintptr_t)"eal_init_child";
	argv[n] = NULL;
	if (pipe(pipefd) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		if (as_nobody && (setgroups(0, NULL) != 0 ||
				setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
			_exit(200);
		execv(argv[0], argv);
		_exit(201);
	}
	close(pipefd[1]);
	while (pid > 0 && used + 1 < len &&
			(r = read(pipefd[0], out + used, len - used - 1)) > 0)
		used += (size_t)r;
	out[used] = '\0';
	close(pipefd[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
test_memory_iova_mode(void)
{
	/* --in-memory: no runtime directory, which nobody may not create */
	static const char *const pa[] = { "--in-memory", "--no-huge",
		"--iova-mode=pa", NULL };
	/* --no-pci: without an IOMMU, VA is refused for a bus with devices
	 * to probe (the VM's edu devices); cases/iova_va.sh tests that
	 */
	static const char *const va[] = { "--in-memory", "--no-huge",
		"--no-pci", "--iova-mode=va", NULL };
	static char out[16384];
	int root = getuid() == 0, code;

	code = run_init_child(va, 0, out, sizeof(out));
	TEST_ASSERT_EQUAL(code, 0, "--iova-mode=va: exit %d\n%s", code, out);
	if (root) {
		code = run_init_child(pa, 0, out, sizeof(out));
		TEST_ASSERT_EQUAL(code, 0, "root, --iova-mode=pa: exit %d\n%s",
			code, out);
	}
	code = run_init_child(pa, root, out, sizeof(out));
	if (code == 200 || code == 201)
		TEST_SKIP("cannot run %s as uid %d (exit %d): the unprivileged PA case needs it",
			test_self_path(), NOBODY, code);
	TEST_ASSERT_EQUAL(code, EINVAL, "unprivileged --iova-mode=pa: exit %d\n%s",
		code, out);
	TEST_ASSERT(strstr(out, "page frame numbers read as 0") != NULL,
		"no clear message:\n%s", out);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND_EAL(memory_iova_mode_autotest, test_memory_iova_mode,
	TEST_EAL_NONE);
