/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Every option set runs rte_eal_init() in a child process (dpdk-test itself,
 * running "eal_init_child"). The child exits with 0 after a successful
 * init + cleanup, or with rte_errno. The parent checks the exit code, that
 * stderr names the offending option, and that the runtime directory holds
 * nothing afterwards.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "test.h"

#define MAX_CASE_ARGS 8

extern char **environ;

struct flags_case {
	const char *args[MAX_CASE_ARGS]; /* NULL-terminated */
	int exit_code;                   /* 0 or the expected rte_errno */
	const char *message;             /* expected in stderr, or NULL */
	/*
	 * 0: the case is about something else; on a host without hugepages
	 * it runs with --no-huge added. 1: it needs hugepages; on a host
	 * without them it must fail with ENOMEM and say what to do.
	 */
	int huge;
};

/* What a hugepage case prints on a host without hugepages. */
#define NO_HUGEPAGES_MESSAGE "or use --no-huge"

static const struct flags_case valid_cases[] = {
	{ { NULL }, 0, NULL, 1 },
	{ { "--no-huge", NULL }, 0, NULL },
	{ { "--no-huge", "-m", "64", NULL }, 0, NULL },
	{ { "--in-memory", "--no-huge", NULL }, 0, NULL },
	{ { "--socket-mem=16", NULL }, 0, NULL, 1 },
	{ { "--in-memory", "-m", "16", NULL }, 0, NULL, 1 },
	{ { "--no-pci", NULL }, 0, NULL },
	{ { "--log-level=debug", NULL }, 0, "primary process" },
	{ { "--log-level", "lib.eal:8", NULL }, 0, "primary process" },
	{ { "--log-level=*:warning", NULL }, 0, NULL },
	{ { "--proc-type=primary", NULL }, 0, NULL },
	{ { "--proc-type=auto", "--log-level=lib.eal:info", NULL }, 0,
	  "this process is the primary" },
	{ { "--iova-mode=va", NULL }, 0, NULL },
	{ { "--vfio-mode=auto", NULL }, 0, NULL },
	{ { "--vfio-intr=msix", NULL }, 0, NULL },
	{ { "--vfio-intr", "legacy", NULL }, 0, NULL },
	{ { "--vfio-vf-token=14d63f20-8445-11ea-8900-1f9ce7d5650d", NULL }, 0, NULL },
	{ { "-a", "testdev0,mode=x", "-a", "test:testdev1", NULL }, 0, NULL },
	{ { "-b", "testdev2", NULL }, 0, NULL },
	{ { "--in-memory", NULL }, 0, NULL },
	{ { "-m", "64", NULL }, 0, NULL, 1 },
	/* options that only print (stdout is captured too), then exit 0 */
	{ { "--version", NULL }, 0, "DPDK-VFIO " },
	/* -v logs the version and init goes on, as in DPDK */
	{ { "-v", NULL }, 0, "version DPDK-VFIO " },
	{ { "-v", "--no-pci", NULL }, 0, " segment lists of " },
	{ { "--help", NULL }, 0, "  --vfio-mode <auto|group|" },
	{ { "-h", NULL }, 0, "Available autotests:" },
	{ { "--log-level=help", NULL }, 0, "lib.eal.vfio" },
	{ { "--log-level=*vfio*:debug", "--log-level=help", NULL }, 0,
	  "\tlib.eal.vfio             debug\n" },
	{ { "--log-level=^bus\\.,debug", "--log-level=help", NULL }, 0,
	  "\tbus.pci                  debug\n" },
	{ { "--log-level=eal\\.(mp|memory)$,error", "--log-level=help", NULL },
	  0, "\tlib.eal.memory           error\n" },
	{ { "--no-huge", "-m", "064", NULL }, 0, NULL },
	{ { "--log-level=08", NULL }, 0, "primary process" },
};

static const struct flags_case invalid_cases[] = {
	{ { "--vfio-mode=foo", NULL }, EINVAL,
	  "'foo' for --vfio-mode: accepted values are auto, group, noiommu, cdev" },
	{ { "--vfio-mode=", NULL }, EINVAL, "--vfio-mode" },
	{ { "--vfio-mode", NULL }, EINVAL, "for --vfio-mode: accepted values" },
	{ { "--iova-mode", NULL }, EINVAL, "for --iova-mode: accepted values" },
	{ { "--vfio-intr=msx", NULL }, EINVAL,
	  "for --vfio-intr: accepted values are legacy, msi, msix" },
	{ { "--vfio-vf-token=not-a-uuid", NULL }, EINVAL, "--vfio-vf-token" },
	{ { "--vfio-vf-token=14d63f20-8445-11ea-8900-1f9ce7d5650", NULL }, EINVAL,
	  "expected a UUID" },
	{ { "--proc-type=tertiary", NULL }, EINVAL,
	  "accepted values are primary, secondary, auto" },
	{ { "--iova-mode=xa", NULL }, EINVAL, "accepted values are pa, va" },
	{ { "--log-level=loud", NULL }, EINVAL, "--log-level" },
	{ { "--log-level=:debug", NULL }, EINVAL, "--log-level" },
	{ { "--log-level=(,debug", NULL }, EINVAL,
	  "'(' is not an extended regular expression" },
	{ { "--log-level=vfio,loud", NULL }, EINVAL, "expected <regex>,<level>" },
	{ { "--file-prefix=../up", NULL }, EINVAL, "--file-prefix" },
	{ { "--file-prefix=", NULL }, EINVAL, "--file-prefix" },
	{ { "-m", "0", NULL }, EINVAL, "--memory" },
	{ { "-m", "lots", NULL }, EINVAL, "--memory" },
	{ { "--socket-mem=a,b", NULL }, EINVAL, "--socket-mem" },
	{ { "-m", "64", "--socket-mem=64", NULL }, EINVAL,
	  "-m and --socket-mem cannot be used together" },
	{ { "--no-huge", "--huge-dir=/mnt/huge", NULL }, EINVAL,
	  "--no-huge and --huge-dir" },
	{ { "--huge-dir=relative", NULL }, EINVAL, "absolute path" },
	{ { "--in-memory", "--proc-type=secondary", NULL }, EINVAL,
	  "--in-memory and --proc-type=secondary" },
	{ { "--no-such-option", NULL }, EINVAL,
	  "unknown EAL option '--no-such-option'" },
	{ { "-zq", NULL }, EINVAL, "unknown EAL option '-z'" },
	{ { "--no-huge", "-zx", NULL }, EINVAL, "unknown EAL option '-z'" },
	{ { "--no-pci=1", NULL }, EINVAL, "option --no-pci takes no value" },
	{ { "-m", "0x40", NULL }, EINVAL, "'0x40' for --memory" },
	{ { "--log-level=0x8", NULL }, EINVAL, "'0x8' for --log-level" },
	{ { "-a", "", NULL }, EINVAL, "--allow" },
	{ { "-a", "nosuchdev", NULL }, ENODEV, "no bus recognises device 'nosuchdev'" },
	{ { "-a", "testdev0,key", NULL }, EINVAL, "'key' is not key=value" },
	{ { "-a", "testdev0", "-b", "testdev1", NULL }, EINVAL,
	  "cannot be combined" },
	{ { "-a", "testdev0", "-a", "testdev0", NULL }, EEXIST, "already listed" },
	{ { "-a", "testdev1,x=1", "-a", "testdev01,x=2", NULL }, EEXIST,
	  "-a 'testdev01,x=2': device test:testdev01 is already listed by -a 'testdev1,x=1'" },
	{ { "-b", "testdev0,key", NULL }, EINVAL, "-b 'testdev0,key': 'key' is not key=value" },
	{ { "-a", "testdev0", "-b", "testdev1", NULL }, EINVAL,
	  "-b 'testdev1': allow (-a) and block (-b) lists cannot be combined" },
	{ { "--proc-type=secondary", NULL }, ENOENT,
	  "no primary process is running" },
	{ { "--no-huge", "--socket-mem=64", NULL }, EINVAL,
	  "--no-huge and --socket-mem" },
	{ { "--socket-mem=1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", NULL }, EINVAL,
	  "at most" },
};

/* Hugepages reserved and a hugetlbfs mount: the default memory works. */
static int
host_has_hugepages(void)
{
	char line[512];
	unsigned long nr = 0, v;
	int mounted = 0;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "HugePages_Total: %lu", &v) == 1)
			nr = v;
	if (f != NULL)
		fclose(f);
	f = fopen("/proc/mounts", "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, " hugetlbfs ") != NULL)
			mounted = 1;
	if (f != NULL)
		fclose(f);
	return nr > 0 && mounted;
}

static void
runtime_dir_of(const char *prefix, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (getuid() == 0)
		snprintf(buf, len, "/var/run/dpdk/%s", prefix);
	else
		snprintf(buf, len, "%s/dpdk/%s", xdg != NULL ? xdg : "/tmp", prefix);
}

/* Run dpdk-test with args + prefix; return the exit code, stderr+stdout in out. */
static int
run_child(const char *const *args, const char *prefix, int add_no_huge,
		char *out, size_t len)
{
	char prefix_opt[128];
	char *argv[MAX_CASE_ARGS + 6];
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, n = 0;
	size_t used = 0;
	ssize_t r;
	pid_t pid;

	argv[n++] = (char *)(uintptr_t)test_self_path();
	snprintf(prefix_opt, sizeof(prefix_opt), "--file-prefix=%s", prefix);
	argv[n++] = prefix_opt;
	if (add_no_huge)
		argv[n++] = (char *)(uintptr_t)"--no-huge";
	while (*args != NULL)
		argv[n++] = (char *)(uintptr_t)*args++;
	argv[n++] = (char *)(uintptr_t)"--";
	argv[n++] = (char *)(uintptr_t)"eal_init_child";
	argv[n] = NULL;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	while (used + 1 < len &&
			(r = read(pipefd[0], out + used, len - used - 1)) > 0)
		used += (size_t)r;
	out[used] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
dir_is_clean(const char *prefix)
{
	char dir[PATH_MAX];
	struct stat st;

	runtime_dir_of(prefix, dir, sizeof(dir));
	return stat(dir, &st) != 0 && errno == ENOENT;
}

static int
run_cases(const struct flags_case *cases, size_t n, const char *kind)
{
	static char out[16384];
	int huge = host_has_hugepages();
	char prefix[64];
	size_t i, j;

	for (i = 0; i < n; i++) {
		int exit_code = cases[i].exit_code, code;
		const char *message = cases[i].message;

		if (cases[i].huge && !huge) {
			exit_code = ENOMEM;
			message = NO_HUGEPAGES_MESSAGE;
		}
		snprintf(prefix, sizeof(prefix), "eal_flags_%d_%s_%zu",
			(int)getpid(), kind, i);
		code = run_child(cases[i].args, prefix,
			!huge && !cases[i].huge, out, sizeof(out));
		printf("%s case %zu:%s", kind, i,
			!huge && !cases[i].huge ? " (--no-huge)" : "");
		for (j = 0; cases[i].args[j] != NULL; j++)
			printf(" %s", cases[i].args[j]);
		printf(" -> exit %d\n", code);
		TEST_ASSERT_EQUAL(code, exit_code,
			"expected exit %d; child stderr:\n%s", exit_code, out);
		TEST_ASSERT(message == NULL || strstr(out, message) != NULL,
			"stderr lacks \"%s\":\n%s", message, out);
		TEST_ASSERT(dir_is_clean(prefix),
			"runtime directory for prefix %s left behind", prefix);
	}
	return TEST_SUCCESS;
}

/* Roles against a live primary: this process. */
static int
check_roles(void)
{
	static const char *const secondary[] = { "--proc-type=secondary", NULL };
	static const char *const autorole[] = { "--proc-type=auto",
		"--log-level=lib.eal:info", NULL };
	static const char *const primary[] = { NULL };
	static char out[16384];
	char prefix[64], opt[96];
	char *argv[] = { (char *)(uintptr_t)"dpdk-test", opt,
		(char *)(uintptr_t)"--no-huge", NULL };
	int ret = TEST_SUCCESS, code;

	snprintf(prefix, sizeof(prefix), "eal_flags_%d_roles", (int)getpid());
	snprintf(opt, sizeof(opt), "--file-prefix=%s", prefix);
	TEST_ASSERT(rte_eal_init(host_has_hugepages() ? 2 : 3, argv) >= 0,
		"primary init: %s", rte_strerror(rte_errno));
	/* secondaries take the primary's memory layout: no memory options */
	code = run_child(primary, prefix, 0, out, sizeof(out));
	if (code != EBUSY || strstr(out, "already running") == NULL) {
		printf("second primary: exit %d, stderr:\n%s\n", code, out);
		ret = TEST_FAILED;
	}
	code = run_child(secondary, prefix, 0, out, sizeof(out));
	if (code != 0) {
		printf("secondary: exit %d, stderr:\n%s\n", code, out);
		ret = TEST_FAILED;
	}
	code = run_child(autorole, prefix, 0, out, sizeof(out));
	if (code != 0 || strstr(out, "this process is a secondary") == NULL) {
		printf("auto: exit %d, stderr:\n%s\n", code, out);
		ret = TEST_FAILED;
	}
	TEST_ASSERT_SUCCESS(rte_eal_cleanup(), "cleanup");
	TEST_ASSERT(dir_is_clean(prefix), "primary left its runtime directory");
	TEST_ASSERT_EQUAL(rte_eal_cleanup(), -1, "second cleanup succeeded");
	return ret;
}

static int
test_eal_flags(void)
{
	if (run_cases(valid_cases, RTE_DIM(valid_cases), "valid") != TEST_SUCCESS)
		return TEST_FAILED;
	if (run_cases(invalid_cases, RTE_DIM(invalid_cases), "invalid") !=
			TEST_SUCCESS)
		return TEST_FAILED;
	return check_roles();
}

REGISTER_TEST_COMMAND_EAL(eal_flags_autotest, test_eal_flags, TEST_EAL_NONE);

/* The child side: init with the given options, clean up, report. */
static int
eal_init_child(void)
{
	int argc = test_eal_argc();
	char **argv = test_eal_argv();
	char *args[argc + 1];

	memcpy(args, argv, argc * sizeof(char *));
	args[argc] = NULL;
	if (rte_eal_init(argc, args) < 0)
		exit(rte_errno > 0 && rte_errno < 256 ? rte_errno : 255);
	if (rte_eal_cleanup() != 0)
		exit(254);
	exit(0);
}

REGISTER_TEST_COMMAND_EAL(eal_init_child, eal_init_child, TEST_EAL_NONE);
