/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* Telemetry data and requests without a socket: JSON, limits, parsing. */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_telemetry.h>

#include "eal_telemetry.h"

static char out[RTE_TEL_MAX_OUTPUT_LEN];

static const char *
json(const struct rte_tel_data *d)
{
	assert_true(eal_tel_json(d, out, sizeof(out)) > 0);
	return out;
}

static void
test_nested_containers_and_escaping(void **state)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	struct rte_tel_data *a = rte_tel_data_alloc();

	(void)state;
	rte_tel_data_start_dict(d);
	assert_int_equal(rte_tel_data_add_dict_string(d, "s", "a\"b\\c\n\x01"), 0);
	assert_int_equal(rte_tel_data_add_dict_int(d, "i", -5), 0);
	assert_int_equal(rte_tel_data_add_dict_uint(d, "u", UINT64_MAX), 0);
	rte_tel_data_start_array(a, RTE_TEL_INT_VAL);
	assert_int_equal(rte_tel_data_add_array_int(a, 1), 0);
	assert_int_equal(rte_tel_data_add_array_int(a, 2), 0);
	assert_int_equal(rte_tel_data_add_array_string(a, "x"), -EINVAL);
	assert_int_equal(rte_tel_data_add_dict_container(d, "a", a, 0), 0);
	assert_string_equal(json(d),
		"{\"s\":\"a\\\"b\\\\c\\u000a\\u0001\",\"i\":-5,"
		"\"u\":18446744073709551615,\"a\":[1,2]}");
	rte_tel_data_free(d);
}

static void
test_limits_are_errors_not_overflows(void **state)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	char name[RTE_TEL_MAX_NAME_LEN + 1];
	char big[RTE_TEL_MAX_STRING_LEN + 10];
	int i;

	(void)state;
	assert_int_equal(rte_tel_data_add_dict_int(d, "x", 1), -EINVAL);
	rte_tel_data_start_array(d, RTE_TEL_UINT_VAL);
	for (i = 0; i < RTE_TEL_MAX_ENTRIES; i++)
		assert_int_equal(rte_tel_data_add_array_uint(d, i), 0);
	assert_int_equal(rte_tel_data_add_array_uint(d, 0), -ENOSPC);
	rte_tel_data_start_dict(d);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(rte_tel_data_add_dict_int(d, name, 1), -EINVAL);
	assert_int_equal(rte_tel_data_add_dict_int(d, "", 1), -EINVAL);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(rte_tel_data_add_dict_string(d, "s", big), -E2BIG);
	assert_int_equal(strlen(json(d)), strlen("{\"s\":\"\"}") +
		RTE_TEL_MAX_STRING_LEN - 1);
	/* a container that is not one is refused and freed */
	assert_int_equal(rte_tel_data_add_dict_container(d, "c",
		rte_tel_data_alloc(), 0), -EINVAL);
	assert_int_equal(eal_tel_json(d, out, 8), -1);
	assert_string_equal(out, "");
	rte_tel_data_free(d);
}

static const char *
reply(const char *req, size_t len)
{
	eal_telemetry_reply(req, len, out, sizeof(out));
	return out;
}

static void
test_requests_are_parsed_strictly(void **state)
{
	char big[RTE_TEL_MAX_REQUEST_LEN + 1];

	(void)state;
	assert_non_null(strstr(reply("/", 1), "\"/info\""));
	assert_string_equal(reply("/nope,1", 7), "{\"/nope\":null}");
	assert_string_equal(reply("/help,/nope", 11), "{\"/help\":null}");
	assert_non_null(strstr(reply("", 0), "\"error\":\"empty request"));
	assert_non_null(strstr(reply("\n", 1), "\"error\":\"empty request"));
	assert_non_null(strstr(reply("info", 4), "\"error\":\"not a command"));
	assert_non_null(strstr(reply("/a\"b", 4), "\"error\":\"not a command"));
	assert_non_null(strstr(reply("/info\0x", 7), "not printable"));
	memset(big, '/', sizeof(big));
	assert_non_null(strstr(reply(big, sizeof(big)), "request too long"));
	/* the longest command name and one more */
	memset(big, 'c', RTE_TEL_MAX_CMD_LEN);
	big[0] = '/';
	assert_non_null(strstr(reply(big, RTE_TEL_MAX_CMD_LEN - 1), "null}"));
	assert_non_null(strstr(reply(big, RTE_TEL_MAX_CMD_LEN), "not a command"));
}

static int
cmd_big(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char s[RTE_TEL_MAX_STRING_LEN];
	int i;

	memset(s, 'z', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (i = 0; i < RTE_TEL_MAX_ENTRIES; i++)
		rte_tel_data_add_array_string(d, s);
	return 0;
}

static int
cmd_echo(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return params == NULL ? -EINVAL : rte_tel_data_string(d, params);
}

static void
test_registration_and_long_replies(void **state)
{
	(void)state;
	assert_int_equal(rte_telemetry_register_cmd("/t/big", cmd_big, "h"), 0);
	assert_int_equal(rte_telemetry_register_cmd("/t/big", cmd_big, "h"), -EEXIST);
	assert_int_equal(rte_telemetry_register_cmd("t", cmd_big, "h"), -EINVAL);
	assert_int_equal(rte_telemetry_register_cmd("/t/x y", cmd_big, "h"), -EINVAL);
	assert_int_equal(rte_telemetry_register_cmd("/t/none", NULL, "h"), -EINVAL);
	assert_int_equal(rte_telemetry_register_cmd("/t/echo", cmd_echo, "e"), 0);
	/* 256 x 127 bytes: beyond 16 KiB, an error the client can read */
	assert_non_null(strstr(reply("/t/big", 6), "{\"/t/big\":{\"error\":\"reply longer than"));
	assert_string_equal(reply("/t/echo,a,b \\", 13), "{\"/t/echo\":\"a,b \\\\\"}");
	assert_string_equal(reply("/t/echo", 7), "{\"/t/echo\":null}");
	assert_string_equal(reply("/t/echo,", 8), "{\"/t/echo\":null}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_containers_and_escaping),
		cmocka_unit_test(test_limits_are_errors_not_overflows),
		cmocka_unit_test(test_requests_are_parsed_strictly),
		cmocka_unit_test(test_registration_and_long_replies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
