/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * memory_mp_autotest: a secondary process (dpdk-test itself, running
 * memory_mp_child with --proc-type=secondary and the same --file-prefix)
 * shares the primary's memory:
 *   1. it reads what the primary wrote into a memzone before it started;
 *   2. it allocates and writes memory the primary reads after it exits;
 *   3. it sees pages the primary maps after it started;
 *   4. it drops pages the primary gives back.
 * The two talk over the child's stdin/stdout, one word per line.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "test.h"

#define ZONE_LEN 65536
#define SEC_LEN 1024

extern char **environ;

static void
fill(void *p, size_t len, unsigned int seed)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (unsigned char)(seed + i * 7);
}

static int
check(const void *p, size_t len, unsigned int seed)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != (unsigned char)(seed + i * 7))
			return 0;
	return 1;
}

/* Read lines from fd until one equals word; 0 on success. */
static int
expect_line(int fd, const char *word)
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
		if (strcmp(line, word) == 0)
			return 0;
		printf("child: %s\n", line);
		n = 0;
	}
	printf("child ended before saying '%s'\n", word);
	return -1;
}

static int
say(int fd, const char *word)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s\n", word);

	return write(fd, line, (size_t)n) == n ? 0 : -1;
}

static pid_t
spawn_secondary(int *to_child, int *from_child)
{
	const char *dir = rte_eal_get_runtime_dir();
	char prefix_opt[128];
	char *argv[] = { (char *)(uintptr_t)test_self_path(),
		(char *)(uintptr_t)"--proc-type=secondary", prefix_opt,
		(char *)(uintptr_t)"--", (char *)(uintptr_t)"memory_mp_child",
		NULL };
	posix_spawn_file_actions_t fa;
	int in[2], out[2];
	pid_t pid;

	snprintf(prefix_opt, sizeof(prefix_opt), "--file-prefix=%s",
		strrchr(dir, '/') + 1);
	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	*to_child = in[1];
	*from_child = out[0];
	return pid;
}

static int
test_memory_mp(void)
{
	const struct rte_memzone *zone, *late, *sec;
	struct rte_malloc_socket_stats st;
	int to_child = -1, from_child = -1, status, ret = TEST_FAILED;
	const struct rte_memseg *ms;
	size_t late_len;
	pid_t pid;

	if (rte_eal_get_runtime_dir()[0] == '\0')
		TEST_SKIP("--in-memory: no secondary process can attach");
	zone = rte_memzone_reserve("mp_primary", ZONE_LEN, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(zone, "reserve: %s", rte_strerror(rte_errno));
	fill(zone->addr, ZONE_LEN, 1);
	ms = rte_mem_virt2memseg(zone->addr, NULL);
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(ms->socket_id, &st),
		"stats");
	/* the secondary never maps pages: it needs room in mapped ones */
	TEST_ASSERT(st.greatest_free_size >= 4 * SEC_LEN,
		"only %zu bytes free in the heap for the secondary; run with -m or hugepages",
		st.greatest_free_size);

	pid = spawn_secondary(&to_child, &from_child);
	TEST_ASSERT(pid > 0, "spawn %s", test_self_path());
	if (expect_line(from_child, "read-ok") != 0)
		goto wait;

	/* pages mapped after the secondary started */
	late_len = st.greatest_free_size + (1 << 20);
	late = rte_memzone_reserve("mp_late", late_len, ms->socket_id, 0);
	if (late == NULL) {
		printf("late reserve: %s\n", rte_strerror(rte_errno));
		goto wait;
	}
	fill(late->addr, late_len, 3);
	if (say(to_child, "late") != 0 || expect_line(from_child, "late-ok") != 0)
		goto wait;
	/* and given back */
	printf("freeing %p+%zu\n", late->addr, late_len);
	rte_memzone_free(late);
	if (say(to_child, "freed") != 0 ||
			expect_line(from_child, "freed-ok") != 0)
		goto wait;
	ret = TEST_SUCCESS;
wait:
	close(to_child);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0) {
		printf("secondary failed (status 0x%x)\n", status);
		ret = TEST_FAILED;
	}
	close(from_child);
	if (ret != TEST_SUCCESS)
		goto out;
	sec = rte_memzone_lookup("mp_secondary");
	if (sec == NULL || sec->len != SEC_LEN || !check(sec->addr, SEC_LEN, 2)) {
		printf("the secondary's zone is %s\n", sec == NULL ? "missing" :
			"wrong");
		ret = TEST_FAILED;
	}
	if (sec != NULL)
		rte_memzone_free(sec);
out:
	rte_memzone_free(zone);
	return ret;
}

REGISTER_TEST_COMMAND(memory_mp_autotest, test_memory_mp);

/* Permissions of the mapping holding addr in /proc/self/maps, or "". */
static void
maps_perms(const void *addr, char perms[5])
{
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long s, e;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 &&
				(uintptr_t)addr >= s && (uintptr_t)addr < e) {
			memcpy(perms, p, 5);
			break;
		}
	}
	fclose(f);
}

#define CHILD_FAIL(...) do { \
	printf(__VA_ARGS__); \
	printf("\n"); \
	fflush(stdout); \
	return TEST_FAILED; \
} while (0)

static int
memory_mp_child(void)
{
	const struct rte_memzone *zone, *late, *sec;
	char line[64], perms[5];
	void *late_end;
	void *p;

	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		CHILD_FAIL("not a secondary process");
	zone = rte_memzone_lookup("mp_primary");
	if (zone == NULL || !check(zone->addr, ZONE_LEN, 1))
		CHILD_FAIL("primary's zone %s", zone == NULL ? "missing" : "wrong");
	p = rte_malloc("secondary", 4 * SEC_LEN, 0);
	if (p == NULL)
		CHILD_FAIL("rte_malloc in secondary: %s", rte_strerror(rte_errno));
	fill(p, 4 * SEC_LEN, 9);
	sec = rte_memzone_reserve("mp_secondary", SEC_LEN, SOCKET_ID_ANY, 0);
	if (sec == NULL)
		CHILD_FAIL("reserve in secondary: %s", rte_strerror(rte_errno));
	fill(sec->addr, SEC_LEN, 2);
	if (!check(p, 4 * SEC_LEN, 9))
		CHILD_FAIL("secondary's block overwritten");
	rte_free(p);
	printf("read-ok\n");
	fflush(stdout);

	if (fgets(line, sizeof(line), stdin) == NULL || strcmp(line, "late\n") != 0)
		CHILD_FAIL("no 'late' from the primary");
	late = rte_memzone_lookup("mp_late");
	if (late == NULL || !check(late->addr, late->len, 3))
		CHILD_FAIL("late zone %s", late == NULL ? "missing" : "wrong");
	late_end = RTE_PTR_ADD(late->addr, late->len - 1);
	printf("late-ok\n");
	fflush(stdout);

	if (fgets(line, sizeof(line), stdin) == NULL ||
			strcmp(line, "freed\n") != 0)
		CHILD_FAIL("no 'freed' from the primary");
	if (rte_memzone_lookup("mp_late") != NULL)
		CHILD_FAIL("freed zone still found");
	/* its last page was mapped for it, and went back: not mapped here */
	maps_perms(late_end, perms);
	if (strcmp(perms, "---p") != 0)
		CHILD_FAIL("freed page %p still mapped here (%s)", late_end,
			perms);
	printf("freed-ok\n");
	fflush(stdout);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(memory_mp_child, memory_mp_child);
