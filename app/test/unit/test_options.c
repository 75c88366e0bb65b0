/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_errno.h>

#include "eal_internal_cfg.h"
#include "eal_options.h"

static struct internal_config cfg;

static int
parse(int argc, const char **argv)
{
	eal_reset_internal_config(&cfg);
	return eal_parse_args(argc, (char **)(uintptr_t)argv, &cfg);
}

static void
test_vfio_options_are_stored(void **state)
{
	const char *argv[] = { "prog", "--vfio-mode=cdev", "--vfio-intr", "msi",
		"--vfio-vf-token=14d63f20-8445-11ea-8900-1f9ce7d5650d", "--", "app" };

	assert_int_equal(parse(7, argv), 6);
	assert_int_equal(cfg.vfio_mode, EAL_VFIO_MODE_CDEV);
	assert_int_equal(cfg.vfio_intr_mode, RTE_INTR_MODE_MSI);
	assert_int_equal(cfg.vfio_vf_token[0], 0x14);
	assert_int_equal(cfg.vfio_vf_token[15], 0x0d);
}

static void
test_parsing_stops_at_first_non_option(void **state)
{
	const char *argv[] = { "prog", "--no-pci", "app-arg", "--no-huge" };

	assert_int_equal(parse(4, argv), 2);
	assert_int_equal(cfg.no_pci, 1);
	assert_int_equal(cfg.no_hugetlbfs, 0);
}

static void
test_invalid_vfio_mode_is_einval(void **state)
{
	const char *argv[] = { "prog", "--vfio-mode=groups" };

	rte_errno = 0;
	assert_int_equal(parse(2, argv), -1);
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(cfg.vfio_mode, EAL_VFIO_MODE_AUTO);
}

static void
test_memory_sizes_in_bytes(void **state)
{
	const char *argv1[] = { "prog", "-m", "128" };
	const char *argv2[] = { "prog", "--socket-mem=64,0,32" };

	assert_int_equal(parse(3, argv1), 3);
	assert_int_equal(cfg.memory, 128ULL << 20);
	assert_int_equal(parse(2, argv2), 2);
	assert_int_equal(cfg.socket_mem[0], 64ULL << 20);
	assert_int_equal(cfg.socket_mem[1], 0);
	assert_int_equal(cfg.socket_mem[2], 32ULL << 20);
	assert_int_equal(cfg.force_sockets, 1);
}

static void
test_devopts_kept_in_order(void **state)
{
	const char *argv[] = { "prog", "-a", "x", "--allow=y", "-b", "z" };

	assert_int_equal(parse(6, argv), 6);
	assert_int_equal(cfg.nb_devopts, 3);
	assert_string_equal(cfg.devopts[0].str, "x");
	assert_string_equal(cfg.devopts[1].str, "y");
	assert_int_equal(cfg.devopts[2].policy, RTE_DEV_BLOCKED);
	eal_reset_internal_config(&cfg);
	assert_null(cfg.devopts);
}

static void
test_option_clashes_are_einval(void **state)
{
	const char *argv[] = { "prog", "--in-memory", "--proc-type=auto" };

	assert_int_equal(parse(3, argv), 3);
	rte_errno = 0;
	assert_int_equal(eal_check_options(&cfg), -1);
	assert_int_equal(rte_errno, EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vfio_options_are_stored),
		cmocka_unit_test(test_parsing_stops_at_first_non_option),
		cmocka_unit_test(test_invalid_vfio_mode_is_einval),
		cmocka_unit_test(test_memory_sizes_in_bytes),
		cmocka_unit_test(test_devopts_kept_in_order),
		cmocka_unit_test(test_option_clashes_are_einval),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	eal_reset_internal_config(&cfg);
	return ret;
}
