/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * EAL memory on a file system that is too small. A child enters a private
 * mount namespace, mounts a tmpfs with a size limit over the runtime base
 * (/var/run/dpdk for root) or a hugetlbfs with a size limit, and runs
 * dpdk-test's eal_init_child there. Init must fail with ENOMEM and one
 * line naming the file system, its free space and the remedies, never
 * die of SIGBUS, and leave no file on the small file system. The real
 * disk is never filled: the mounts exist only in the child's namespace.
 */

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>

#include "test.h"

#define RUNTIME_BASE "/var/run/dpdk"
#define HUGE_MNT "/tmp/dpdk-test-hugefs"
#define DEFAULT_HUGE_KB_PATH "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"

extern char **environ;

struct fs_case {
	const char *name;
	const char *mnt;        /* where the small file system goes */
	const char *fstype;
	const char *mnt_opts;
	const char *const *eal; /* EAL arguments of the child */
	const char *const *expect; /* in its one error line */
};

/* Entries of dir other than . and ..; -1 when it cannot be read. */
static int
count_entries(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (dp == NULL)
		return -1;
	while ((d = readdir(dp)) != NULL)
		n += strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
	closedir(dp);
	return n;
}

/*
 * In the child: private namespace, small mount, dpdk-test under it.
 * Exit codes: the grandchild's exit code, 128 + signal when it was
 * killed, 200 + step on a setup failure, 250 when files were left.
 */
static void __rte_noreturn
run_in_namespace(const struct fs_case *c, int out_fd)
{
	char *argv[32];
	posix_spawn_file_actions_t fa;
	int i, n = 0, status;
	pid_t pid;

	if (unshare(CLONE_NEWNS) != 0)
		_exit(201);
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		_exit(202);
	if (mkdir(c->mnt, 0755) != 0 && errno != EEXIST)
		_exit(203);
	if (mount("nodev", c->mnt, c->fstype, 0, c->mnt_opts) != 0)
		_exit(204);
	argv[n++] = (char *)(uintptr_t)test_self_path();
	for (i = 0; c->eal[i] != NULL && n < 29; i++)
		argv[n++] = (char *)(uintptr_t)c->eal[i];
	argv[n++] = (char *)(uintptr_t)"--";
	argv[n++] = (char *)(uintptr_t)"eal_init_child";
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDERR_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		_exit(205);
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) != pid)
		_exit(206);
	if (WIFSIGNALED(status))
		_exit(128 + WTERMSIG(status));
	/* the runtime directory, the config and backing files are gone */
	if (count_entries(c->mnt) != 0)
		_exit(250);
	_exit(WEXITSTATUS(status));
}

static int
run_case(const struct fs_case *c)
{
	static char out[32768];
	size_t used = 0;
	int pfd[2], status, code, i;
	ssize_t r;
	pid_t pid;

	TEST_ASSERT_SUCCESS(pipe2(pfd, O_CLOEXEC), "pipe");
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		run_in_namespace(c, pfd[1]);
	}
	close(pfd[1]);
	TEST_ASSERT(pid > 0, "fork: %s", strerror(errno));
	while (used + 1 < sizeof(out) &&
			(r = read(pfd[0], out + used, sizeof(out) - used - 1)) > 0)
		used += (size_t)r;
	out[used] = '\0';
	close(pfd[0]);
	TEST_ASSERT(waitpid(pid, &status, 0) == pid && WIFEXITED(status),
		"%s: namespace child died", c->name);
	code = WEXITSTATUS(status);
	printf("%s (%s %s on %s): exit %d, output:\n%s", c->name, c->fstype,
		c->mnt_opts, c->mnt, code, out);
	TEST_ASSERT(code < 200 || code == 250, "%s: setup step %d failed",
		c->name, code - 200);
	TEST_ASSERT(code != 128 + SIGBUS, "%s: killed by SIGBUS", c->name);
	TEST_ASSERT(code < 128, "%s: killed by signal %d", c->name, code - 128);
	TEST_ASSERT(code != 250, "%s: files left on the small file system",
		c->name);
	TEST_ASSERT_EQUAL(code, ENOMEM, "%s: exit %d, expected ENOMEM (%d)",
		c->name, code, ENOMEM);
	for (i = 0; c->expect[i] != NULL; i++)
		TEST_ASSERT(strstr(out, c->expect[i]) != NULL,
			"%s: no '%s' in the output", c->name, c->expect[i]);
	return TEST_SUCCESS;
}

static const char *const nohuge_args[] = {
	"--no-huge", "-m", "64", "--no-pci", "--file-prefix=memfs", NULL,
};
/* what the line says about a full runtime directory */
static const char *const runtime_expect[] = {
	"in the runtime directory " RUNTIME_BASE "/memfs", "(tmpfs on ",
	"kB free of ", "-m", "--in-memory", NULL,
};
static const char *const runtime_pages_expect[] = {
	"memory on socket 0: cannot get", "(tmpfs on ", "kB free of 4096 kB",
	"-m", "--in-memory", NULL,
};

static int
need_root(void)
{
	return getuid() == 0 ? 0 : -1;
}

/*
 * --no-huge: the shared configuration does not fit (8 kB), or it does
 * and the pages do not (4 MB for -m 64).
 */
static int
test_memory_fs_full(void)
{
	const struct fs_case cases[] = {
		{ "configuration does not fit", RUNTIME_BASE, "tmpfs",
			"size=8k", nohuge_args, runtime_expect },
		{ "pages do not fit", RUNTIME_BASE, "tmpfs", "size=4m",
			nohuge_args, runtime_pages_expect },
	};
	unsigned int i;

	if (need_root() != 0)
		TEST_SKIP("mounting a small file system needs root");
	for (i = 0; i < RTE_DIM(cases); i++)
		if (run_case(&cases[i]) != TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND_EAL(memory_fs_full_autotest, test_memory_fs_full,
	TEST_EAL_NONE);

static long
read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f != NULL) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * Hugepages: a hugetlbfs mount limited to one 2 MB page, -m 16 asked.
 * Needs reserved 2 MB pages (the VM has them).
 */
static int
test_memory_hugetlbfs_full(void)
{
	static const char *const args[] = {
		"--huge-dir=" HUGE_MNT, "-m", "16", "--no-pci",
		"--file-prefix=memhugefs", NULL,
	};
	static const char *const expect[] = {
		"the mount's size limit is reached", "hugetlbfs on " HUGE_MNT,
		"size limit 1 pages", "--huge-dir", "-m", "--in-memory", NULL,
	};
	const struct fs_case c = { "hugetlbfs mount limited to one page",
		HUGE_MNT, "hugetlbfs", "pagesize=2M,size=2M", args, expect };
	long nr = read_long(DEFAULT_HUGE_KB_PATH);
	int ret;

	if (need_root() != 0)
		TEST_SKIP("mounting a small file system needs root");
	if (nr < 2)
		TEST_SKIP("needs at least 2 reserved 2 MB hugepages (%s: %ld)",
			DEFAULT_HUGE_KB_PATH, nr);
	ret = run_case(&c);
	rmdir(HUGE_MNT); /* the mount went with the namespace */
	return ret;
}

REGISTER_TEST_COMMAND_EAL(memory_hugetlbfs_full_autotest,
	test_memory_hugetlbfs_full, TEST_EAL_NONE);
