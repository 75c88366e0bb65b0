/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "eal_internal_cfg.h"
#include "eal_options.h"

static struct internal_config cfg;
static char log_buf[4096];
static FILE *log_stream;

static int
parse(int argc, const char **argv)
{
	eal_reset_internal_config(&cfg);
	return eal_parse_args(argc, (char **)(uintptr_t)argv, &cfg);
}

static int
log_capture(void **state)
{
	memset(log_buf, 0, sizeof(log_buf));
	log_stream = fmemopen(log_buf, sizeof(log_buf) - 1, "w");
	assert_non_null(log_stream);
	setvbuf(log_stream, NULL, _IONBF, 0);
	rte_openlog_stream(log_stream);
	return 0;
}

static int
log_release(void **state)
{
	rte_openlog_stream(NULL);
	fclose(log_stream);
	rte_log_set_global_level(RTE_LOG_INFO);
	rte_log_set_level_pattern("*", RTE_LOG_INFO);
	return 0;
}

/* parse fails with EINVAL and the log says want, and not unwanted */
static void
assert_refused_saying(int argc, const char **argv, const char *want,
		const char *unwanted)
{
	memset(log_buf, 0, sizeof(log_buf));
	rewind(log_stream);
	rte_errno = 0;
	assert_int_equal(parse(argc, argv), -1);
	assert_int_equal(rte_errno, EINVAL);
	if (strstr(log_buf, want) == NULL)
		fail_msg("log does not say \"%s\": %s", want, log_buf);
	if (unwanted != NULL && strstr(log_buf, unwanted) != NULL)
		fail_msg("log names \"%s\": %s", unwanted, log_buf);
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
test_memory_sizes_are_decimal_even_with_leading_zeros(void **state)
{
	const char *m[] = { "prog", "-m", "010" };
	const char *sm[] = { "prog", "--socket-mem=010,08,0" };
	const char *hex[] = { "prog", "-m", "0x10" };
	const char *smhex[] = { "prog", "--socket-mem=0x10" };
	const char *sign[] = { "prog", "-m", "+16" };

	assert_int_equal(parse(3, m), 3);
	assert_int_equal(cfg.memory, 10ULL << 20);
	assert_int_equal(parse(2, sm), 2);
	assert_int_equal(cfg.socket_mem[0], 10ULL << 20);
	assert_int_equal(cfg.socket_mem[1], 8ULL << 20);
	assert_int_equal(cfg.socket_mem[2], 0);
	assert_refused_saying(3, hex, "'0x10' for --memory", NULL);
	assert_refused_saying(2, smhex, "'0x10' for --socket-mem", NULL);
	assert_refused_saying(3, sign, "'+16' for --memory", NULL);
}

static void
test_log_level_numbers_are_decimal(void **state)
{
	const char *dec[] = { "prog", "--log-level=08" };
	const char *pat[] = { "prog", "--log-level=lib.eal:07" };
	const char *hex[] = { "prog", "--log-level=0x7" };

	assert_int_equal(parse(2, dec), 2);
	assert_int_equal(rte_log_get_global_level(), RTE_LOG_DEBUG);
	assert_int_equal(parse(2, pat), 2);
	assert_refused_saying(2, hex, "'0x7' for --log-level", NULL);
}

static void
test_errors_name_the_option_the_user_wrote(void **state)
{
	const char *cluster[] = { "prog", "-zq" };
	const char *after[] = { "prog", "--no-huge", "-zx" };
	const char *value[] = { "prog", "--no-pci=1" };
	const char *no_arg_short[] = { "prog", "-m" };
	const char *no_arg_long[] = { "prog", "--no-huge", "--memory" };
	const char *unknown[] = { "prog", "--no-such" };
	const char *ambiguous[] = { "prog", "--no" };

	assert_refused_saying(2, cluster, "unknown EAL option '-z'", "prog");
	assert_refused_saying(3, after, "unknown EAL option '-z'", "no-huge");
	assert_refused_saying(2, value,
		"option --no-pci takes no value, '--no-pci=1' gives one",
		"unknown");
	assert_refused_saying(2, no_arg_short, "option -m needs a value", NULL);
	assert_refused_saying(3, no_arg_long, "option --memory needs a value",
		"no-huge");
	assert_refused_saying(2, unknown, "unknown EAL option '--no-such'", NULL);
	assert_refused_saying(2, ambiguous, "unknown EAL option '--no'", NULL);
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
		cmocka_unit_test_setup_teardown(
			test_memory_sizes_are_decimal_even_with_leading_zeros,
			log_capture, log_release),
		cmocka_unit_test_setup_teardown(test_log_level_numbers_are_decimal,
			log_capture, log_release),
		cmocka_unit_test_setup_teardown(
			test_errors_name_the_option_the_user_wrote,
			log_capture, log_release),
		cmocka_unit_test(test_devopts_kept_in_order),
		cmocka_unit_test(test_option_clashes_are_einval),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	eal_reset_internal_config(&cfg);
	return ret;
}
