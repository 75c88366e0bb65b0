/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * dpdk-test [EAL options] [--] [test ...]
 * With no test named on the command line, DPDK_TEST names one; with
 * neither, the registered tests are listed. The exit code is the result of
 * the last test that failed, 77 when every test skipped, else 0.
 */

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "test.h"

static TAILQ_HEAD(, test_command) commands = TAILQ_HEAD_INITIALIZER(commands);
static char self_path[PATH_MAX];
static int eal_argc;
static char **eal_argv;

void
add_test_command(struct test_command *t)
{
	TAILQ_INSERT_TAIL(&commands, t, next);
}

const char *
test_self_path(void)
{
	return self_path;
}

int
test_eal_argc(void)
{
	return eal_argc;
}

char **
test_eal_argv(void)
{
	return eal_argv;
}

static struct test_command *
find_test(const char *name)
{
	struct test_command *t;

	TAILQ_FOREACH(t, &commands, next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static void
list_tests(void)
{
	struct test_command *t;

	printf("Available autotests:\n");
	TAILQ_FOREACH(t, &commands, next)
		printf("  %s\n", t->name);
}

/* Number of leading arguments that belong to EAL (up to and with "--"). */
static int
count_eal_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (find_test(argv[i]) != NULL)
			return i;
	}
	return argc;
}

/* rte_eal_init with the runner's arguments, plus --no-pci when asked */
static int
test_eal_init(struct test_command *t, int argc, char **argv)
{
	char *args[argc + 2];

	if (t->eal != TEST_EAL_INIT_NO_PCI)
		return rte_eal_init(argc, argv);
	printf("%s: EAL without the PCI bus (--no-pci): the test opens the VFIO devices itself\n",
		t->name);
	args[0] = argv[0];
	args[1] = (char *)(uintptr_t)"--no-pci";
	memcpy(&args[2], &argv[1], (argc - 1) * sizeof(char *));
	args[argc + 1] = NULL;
	return rte_eal_init(argc + 1, args);
}

static int
run_test(struct test_command *t, int argc, char **argv)
{
	int ret;

	if (t->eal != TEST_EAL_NONE && test_eal_init(t, argc, argv) < 0) {
		printf("%s: rte_eal_init failed: %s\n", t->name,
			rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	printf("RTE>>%s\n", t->name);
	fflush(stdout);
	ret = t->callback();
	if (t->eal != TEST_EAL_NONE)
		rte_eal_cleanup();
	printf("%s: %s\n", t->name, ret == TEST_SUCCESS ? "Test OK" :
		ret == TEST_SKIPPED ? "Test Skipped" : "Test Failed");
	return ret;
}

static void
usage_hook(const char *prgname)
{
	printf("\nUsage: %s [EAL options] [--] [autotest ...]\n", prgname);
	printf("(or DPDK_TEST=<autotest>); the exit code is 0, 77 when every test skipped, 1 on a failure\n\n");
	list_tests();
}

/*
 * No test named: list them. EAL options alone (-h, -v, --log-level=help)
 * are for the EAL, which prints and exits, or which must accept them.
 */
static int
no_test(int neal, char **argv)
{
	if (neal > 1) {
		if (rte_eal_init(neal, argv) < 0) {
			printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
			return EXIT_FAILURE;
		}
		rte_eal_cleanup();
	}
	list_tests();
	return 0;
}

int
main(int argc, char **argv)
{
	const char *env = getenv("DPDK_TEST");
	int neal, i, ntests, nskipped = 0, result = 0;
	ssize_t n;

	rte_set_application_usage_hook(usage_hook);
	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n > 0)
		self_path[n] = '\0';
	neal = count_eal_args(argc, argv);
	eal_argc = neal;
	eal_argv = argv;
	ntests = argc - neal;
	if (ntests == 0 && (env == NULL || env[0] == '\0'))
		return no_test(neal, argv);
	for (i = 0; i < (ntests > 0 ? ntests : 1); i++) {
		const char *name = ntests > 0 ? argv[neal + i] : env;
		struct test_command *t = find_test(name);
		/* rte_eal_init permutes nothing but may rewrite argv: copy */
		char *args[neal + 1];
		int ret;

		if (t == NULL) {
			printf("unknown autotest '%s'\n", name);
			list_tests();
			return EXIT_FAILURE;
		}
		memcpy(args, argv, neal * sizeof(char *));
		args[neal] = NULL;
		ret = run_test(t, neal, args);
		if (ret == TEST_SKIPPED)
			nskipped++;
		else if (ret != TEST_SUCCESS)
			result = EXIT_FAILURE;
	}
	if (result == 0 && nskipped == (ntests > 0 ? ntests : 1))
		return TEST_SKIPPED;
	return result;
}
