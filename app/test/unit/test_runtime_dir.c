/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * rte_eal_init() with mkdir/open failing at each step: the call fails with
 * the right errno and the runtime directory is not left behind.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "fault.h"
#include "unit_rundir.h"

int __real_mkdir(const char *path, mode_t mode);
int __wrap_mkdir(const char *path, mode_t mode);
int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_open64(const char *path, int flags, ...);
int __wrap_open64(const char *path, int flags, ...);

int
__wrap_mkdir(const char *path, mode_t mode)
{
	int err = fault_check("mkdir");

	if (err != 0) {
		errno = err;
		return -1;
	}
	return __real_mkdir(path, mode);
}

/* With _FILE_OFFSET_BITS=64 the C library's open is open64: wrap both. */
static int
fake_open(int (*real)(const char *, int, ...), const char *path, int flags,
		mode_t mode)
{
	int err = fault_check("open");

	if (err != 0) {
		errno = err;
		return -1;
	}
	return real(path, flags, mode);
}

int
__wrap_open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return fake_open(__real_open64, path, flags, mode);
}

int
__wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return fake_open(__real_open, path, flags, mode);
}

static char prefix_opt[64];
static char rundir[PATH_MAX];

static int
setup(void **state)
{
	unit_rundir("unit_rd", prefix_opt, sizeof(prefix_opt), rundir,
		sizeof(rundir));
	fault_reset();
	return 0;
}

static int
init(void)
{
	/* unit tests never depend on the host's hugepages */
	char *argv[] = { (char *)(uintptr_t)"unit", prefix_opt,
		(char *)(uintptr_t)"--no-huge", NULL };

	return rte_eal_init(3, argv);
}

static void
assert_rundir_absent(void)
{
	struct stat st;

	assert_int_equal(stat(rundir, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void
test_mkdir_eacces_fails_init_cleanly(void **state)
{
	/* the base directory may exist already: fail the prefix directory */
	fault_arm("mkdir", 2, EACCES);
	rte_errno = 0;
	assert_int_equal(init(), -1);
	assert_int_equal(rte_errno, EACCES);
	assert_rundir_absent();
}

static void
test_config_open_failure_removes_dir(void **state)
{
	fault_arm("open", 1, EMFILE);
	rte_errno = 0;
	assert_int_equal(init(), -1);
	assert_int_equal(rte_errno, EIO);
	assert_rundir_absent();
}

static void
test_init_then_cleanup_leaves_nothing(void **state)
{
	struct stat st;

	assert_true(init() >= 0);
	assert_int_equal(stat(rundir, &st), 0);
	assert_int_equal(rte_eal_process_type(), RTE_PROC_PRIMARY);
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_rundir_absent();
	/* and it can start again */
	assert_true(init() >= 0);
	assert_int_equal(rte_eal_cleanup(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mkdir_eacces_fails_init_cleanly, setup),
		cmocka_unit_test_setup(test_config_open_failure_removes_dir, setup),
		cmocka_unit_test_setup(test_init_then_cleanup_leaves_nothing, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
