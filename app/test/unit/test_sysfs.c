/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The sysfs attribute reader (rte_sysfs.h): exactly what the kernel
 * writes is accepted, everything else is refused with the file named,
 * and nothing that is not a regular file is ever waited on.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_errno.h>
#include <rte_log.h>
#include <rte_sysfs.h>

#include "unit_file.h"

/* A reader that blocks would hang the test: SIGALRM ends it instead. */
#define HANG_LIMIT_S 10

static char dir[64];
static char log_buf[4096];
static FILE *log_stream;

static int
setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/unit-sysfs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	memset(log_buf, 0, sizeof(log_buf));
	log_stream = fmemopen(log_buf, sizeof(log_buf) - 1, "w");
	assert_non_null(log_stream);
	setvbuf(log_stream, NULL, _IONBF, 0);
	rte_openlog_stream(log_stream);
	alarm(HANG_LIMIT_S);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX];

	alarm(0);
	rte_openlog_stream(NULL);
	fclose(log_stream);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static const char *
file_with(const char *name, const char *content)
{
	static char path[PATH_MAX];

	unit_write_file(dir, name, content, strlen(content));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* the log names the file */
static void
assert_logged(const char *path)
{
	if (strstr(log_buf, path) == NULL)
		fail_msg("no log line names %s; log: %s", path, log_buf);
}

static void
test_hex_ids_as_the_kernel_writes_them(void **state)
{
	uint64_t v = 0;

	assert_int_equal(rte_sysfs_read_hex(file_with("vendor", "0x1b36\n"), 4,
		&v), 0);
	assert_true(v == 0x1b36);
	assert_int_equal(rte_sysfs_read_hex(file_with("class", "0x00ff00\n"), 6,
		&v), 0);
	assert_true(v == 0xff00);
	assert_int_equal(rte_sysfs_read_hex(file_with("vendor", "0xffff\n"), 4,
		&v), 0);
	assert_true(v == 0xffff);
}

static void
test_hex_ids_in_any_other_form_are_einval_naming_the_file(void **state)
{
	static const char *const bad[] = {
		"1b36\n", "0X1b36\n", "0x1B36\n", " 0x1b36\n", "0x1b36 \n",
		"+0x1b36\n", "-0x1b36\n", "0x1b3\n", "0x01b36\n", "0x1b36",
		"0x1b36\n\n", "0x1b36\n0x0000\n", "0x\n", "\n", "",
		"012\n", "0x1b36\r\n",
	};
	char long_line[128];
	const char *path;
	uint64_t v = 0x5555;
	size_t i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		path = file_with("vendor", bad[i]);
		rte_errno = 0;
		if (rte_sysfs_read_hex(path, 4, &v) != -1 || rte_errno != EINVAL)
			fail_msg("'%s' accepted (rte_errno %d)", bad[i], rte_errno);
		assert_true(v == 0x5555);
	}
	assert_logged(path);
	/* a long line is refused whole, not cut to a prefix that parses */
	snprintf(long_line, sizeof(long_line), "0x%070d1b36\n", 0);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_read_hex(file_with("vendor", long_line), 4,
		&v), -1);
	assert_int_equal(rte_errno, EINVAL);
	assert_true(v == 0x5555);
}

static void
test_decimal_as_the_kernel_writes_it(void **state)
{
	int64_t v = 0;

	assert_int_equal(rte_sysfs_read_dec(file_with("numa_node", "-1\n"), -1,
		INT32_MAX, &v), 0);
	assert_true(v == -1);
	assert_int_equal(rte_sysfs_read_dec(file_with("numa_node", "0\n"), -1,
		INT32_MAX, &v), 0);
	assert_true(v == 0);
	assert_int_equal(rte_sysfs_read_dec(file_with("numa_node", "12\n"), -1,
		INT32_MAX, &v), 0);
	assert_true(v == 12);
	assert_int_equal(rte_sysfs_parse_dec("-9223372036854775808", INT64_MIN,
		INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(rte_sysfs_parse_dec("9223372036854775807", INT64_MIN,
		INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
}

static void
test_decimal_in_any_other_form_is_einval(void **state)
{
	static const char *const bad[] = {
		" 5\n", "+5\n", "-0\n", "012\n", "00\n", "0x5\n", "5 \n", "5\n6\n",
		"5", "-\n", "5a\n", "\t5\n", "1e3\n",
	};
	const char *path;
	int64_t v = 77;
	size_t i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		path = file_with("numa_node", bad[i]);
		rte_errno = 0;
		if (rte_sysfs_read_dec(path, -1, INT32_MAX, &v) != -1 ||
				rte_errno != EINVAL)
			fail_msg("'%s' accepted (rte_errno %d)", bad[i], rte_errno);
		assert_true(v == 77);
	}
	assert_logged(path);
}

static void
test_decimal_out_of_range_is_erange(void **state)
{
	int64_t v = 77;

	rte_errno = 0;
	assert_int_equal(rte_sysfs_read_dec(file_with("sriov_numvfs", "65536\n"),
		0, UINT16_MAX, &v), -1);
	assert_int_equal(rte_errno, ERANGE);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_parse_dec("9223372036854775808", INT64_MIN,
		INT64_MAX, &v), -1);
	assert_int_equal(rte_errno, ERANGE);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_parse_dec("-2", -1, 5, &v), -1);
	assert_int_equal(rte_errno, ERANGE);
	assert_true(v == 77);
}

static void
test_fifo_is_refused_without_waiting(void **state)
{
	char path[PATH_MAX], buf[64];
	uint64_t v;

	snprintf(path, sizeof(path), "%s/vendor", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_read_hex(path, 4, &v), -1);
	assert_int_equal(rte_errno, EINVAL);
	assert_logged(path);
	assert_non_null(strstr(log_buf, "FIFO"));
	rte_errno = 0;
	assert_int_equal(rte_sysfs_open(path, O_WRONLY), -1);
	/* no reader: open(2) itself refuses a non-blocking FIFO writer */
	assert_int_equal(rte_errno, ENXIO);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_read(dir, buf, sizeof(buf)), -1);
	assert_int_equal(rte_errno, EINVAL);
}

static void
test_missing_file_keeps_errno_and_is_not_logged(void **state)
{
	char path[PATH_MAX], buf[16];

	snprintf(path, sizeof(path), "%s/absent", dir);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_read_line(path, buf, sizeof(buf)), -1);
	assert_int_equal(rte_errno, ENOENT);
	assert_null(strstr(log_buf, path));
}

static void
test_read_line_strips_the_newline(void **state)
{
	char buf[8], path[PATH_MAX];

	assert_int_equal(rte_sysfs_read_line(file_with("p", "Y\n"), buf,
		sizeof(buf)), 1);
	assert_string_equal(buf, "Y");
	/* 7 bytes fit in buf, the 8th does not */
	assert_int_equal(rte_sysfs_read(file_with("p", "abcdef\n"), buf,
		sizeof(buf)), 7);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_read(file_with("p", "abcdefg\n"), buf,
		sizeof(buf)), -1);
	assert_int_equal(rte_errno, EINVAL);
	/* a NUL inside is not text the kernel writes */
	unit_write_file(dir, "q", "a\0b\n", 4);
	snprintf(path, sizeof(path), "%s/q", dir);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_read(path, buf, sizeof(buf)), -1);
	assert_int_equal(rte_errno, EINVAL);
}

static const char *
link_to(const char *target)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/iommu_group", dir);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	return path;
}

static void
test_link_number_is_the_decimal_last_component(void **state)
{
	int n = -1;

	assert_int_equal(rte_sysfs_link_num(
		link_to("../../../kernel/iommu_groups/10"), &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(rte_sysfs_link_num(link_to("0"), &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(rte_sysfs_link_num(
		link_to("../iommu_groups/2147483647"), &n), 0);
	assert_int_equal(n, INT32_MAX);
}

static void
test_link_number_in_any_other_form_is_einval(void **state)
{
	static const char *const bad[] = {
		"../iommu_groups/ 10", "../iommu_groups/+10", "../iommu_groups/-0",
		"../iommu_groups/010", "../iommu_groups/10 ", "../iommu_groups/",
		"../iommu_groups/-1", "../iommu_groups/0x10",
		"../iommu_groups/2147483648", "../iommu_groups/10/",
	};
	const char *path = NULL;
	size_t i;
	int n = 55;

	for (i = 0; i < RTE_DIM(bad); i++) {
		path = link_to(bad[i]);
		rte_errno = 0;
		if (rte_sysfs_link_num(path, &n) != -1 || rte_errno != EINVAL)
			fail_msg("link to '%s' accepted (rte_errno %d)", bad[i],
				rte_errno);
		assert_int_equal(n, 55);
	}
	assert_logged(path);
	unlink(path);
	rte_errno = 0;
	assert_int_equal(rte_sysfs_link_num(path, &n), -1);
	assert_int_equal(rte_errno, ENOENT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hex_ids_as_the_kernel_writes_them),
		T(test_hex_ids_in_any_other_form_are_einval_naming_the_file),
		T(test_decimal_as_the_kernel_writes_it),
		T(test_decimal_in_any_other_form_is_einval),
		T(test_decimal_out_of_range_is_erange),
		T(test_fifo_is_refused_without_waiting),
		T(test_missing_file_keeps_errno_and_is_not_logged),
		T(test_read_line_strips_the_newline),
		T(test_link_number_is_the_decimal_last_component),
		T(test_link_number_in_any_other_form_is_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
