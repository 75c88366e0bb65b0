/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _TEST_H_
#define _TEST_H_

/*
 * dpdk-test: autotests register themselves by name; the runner selects them
 * from its arguments or the DPDK_TEST environment variable.
 */

#include <stdio.h>
#include <sys/queue.h>

#include <rte_common.h>

#define TEST_SUCCESS 0
#define TEST_FAILED (-1)
/* Exit code meson and automake read as "skipped". */
#define TEST_SKIPPED 77

/* Fail the current test with a message naming the file and line. */
#define TEST_ASSERT(cond, ...) do { \
	if (!(cond)) { \
		printf("TEST FAILED %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		return TEST_FAILED; \
	} \
} while (0)

#define TEST_ASSERT_EQUAL(a, b, ...) TEST_ASSERT((a) == (b), __VA_ARGS__)
#define TEST_ASSERT_NOT_EQUAL(a, b, ...) TEST_ASSERT((a) != (b), __VA_ARGS__)
#define TEST_ASSERT_SUCCESS(v, ...) TEST_ASSERT((v) == 0, __VA_ARGS__)
#define TEST_ASSERT_FAIL(v, ...) TEST_ASSERT((v) != 0, __VA_ARGS__)
#define TEST_ASSERT_NULL(p, ...) TEST_ASSERT((p) == NULL, __VA_ARGS__)
#define TEST_ASSERT_NOT_NULL(p, ...) TEST_ASSERT((p) != NULL, __VA_ARGS__)

/* Skip the current test, saying why. */
#define TEST_SKIP(...) do { \
	printf("TEST SKIPPED: "); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	return TEST_SKIPPED; \
} while (0)

/*
 * Result of a test made of sub-checks, each TEST_SUCCESS, TEST_SKIPPED
 * (it printed why) or a failure: a failure wins, then a skip, so that a
 * skipped sub-check is never reported as a pass.
 */
static inline int
test_result_merge(int acc, int ret)
{
	if ((acc != TEST_SUCCESS && acc != TEST_SKIPPED) ||
			(ret != TEST_SUCCESS && ret != TEST_SKIPPED))
		return TEST_FAILED;
	if (acc == TEST_SKIPPED || ret == TEST_SKIPPED)
		return TEST_SKIPPED;
	return TEST_SUCCESS;
}

/* Whether an autotest needs rte_eal_init() before it runs. */
enum test_eal {
	TEST_EAL_NONE,  /* the test starts EAL itself (or needs none) */
	TEST_EAL_INIT,  /* the runner initialises EAL with its arguments */
	/*
	 * As TEST_EAL_INIT plus --no-pci: the test opens VFIO devices itself
	 * with rte_vfio_*, so the PCI bus must not give them to a driver.
	 */
	TEST_EAL_INIT_NO_PCI,
};

struct test_command {
	TAILQ_ENTRY(test_command) next;
	const char *name;
	int (*callback)(void);
	enum test_eal eal;
};

void add_test_command(struct test_command *t);

/* Register an autotest that runs after rte_eal_init(). */
#define REGISTER_TEST_COMMAND(cmd, func) \
	REGISTER_TEST_COMMAND_EAL(cmd, func, TEST_EAL_INIT)

/* Register an autotest that opens VFIO devices itself (no PCI probe). */
#define REGISTER_TEST_COMMAND_NO_PCI(cmd, func) \
	REGISTER_TEST_COMMAND_EAL(cmd, func, TEST_EAL_INIT_NO_PCI)

/* Register an autotest, choosing whether the runner initialises EAL. */
#define REGISTER_TEST_COMMAND_EAL(cmd, func, eal_need) \
	static struct test_command test_struct_ ## cmd = { \
		.name = RTE_STR(cmd), \
		.callback = func, \
		.eal = eal_need, \
	}; \
	RTE_INIT(test_register_ ## cmd) \
	{ \
		add_test_command(&test_struct_ ## cmd); \
	}

/* Path of the running dpdk-test binary, for tests that spawn children. */
const char *test_self_path(void);

/* EAL arguments the runner received (argv[0] first), for child processes. */
int test_eal_argc(void);
char **test_eal_argv(void);

#endif /* _TEST_H_ */
