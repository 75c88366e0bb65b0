/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "test.h"

/* Read back everything written to f. */
static char *
stream_text(FILE *f)
{
	static char buf[4096];
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	return buf;
}

static int
check_levels_and_patterns(FILE *f)
{
	int a, b, a_again;

	a = rte_log_register_type_and_pick_level("test.log.a", RTE_LOG_NOTICE);
	TEST_ASSERT(a >= RTE_LOGTYPE_FIRST_EXT_ID, "register a: %d", a);
	a_again = rte_log_register("test.log.a");
	TEST_ASSERT_EQUAL(a, a_again, "same name must give the same type");
	TEST_ASSERT_EQUAL(rte_log_get_level(a), (int)RTE_LOG_NOTICE, "default level");

	rte_log(RTE_LOG_INFO, a, "filtered-info\n");
	rte_log(RTE_LOG_NOTICE, a, "kept-notice\n");
	TEST_ASSERT(strstr(stream_text(f), "filtered-info") == NULL,
		"INFO passed a NOTICE type");
	TEST_ASSERT(strstr(stream_text(f), "kept-notice") != NULL,
		"NOTICE did not pass a NOTICE type");

	/* a pattern applies now and to types registered later */
	TEST_ASSERT_SUCCESS(rte_log_set_level_pattern("test.log.*", RTE_LOG_DEBUG),
		"pattern");
	TEST_ASSERT_EQUAL(rte_log_get_level(a), (int)RTE_LOG_DEBUG, "pattern now");
	b = rte_log_register_type_and_pick_level("test.log.b", RTE_LOG_ERR);
	TEST_ASSERT_EQUAL(rte_log_get_level(b), (int)RTE_LOG_DEBUG, "pattern later");

	/* the global level caps everything */
	rte_log_set_global_level(RTE_LOG_ERR);
	TEST_ASSERT_EQUAL(rte_log_can_log(b, RTE_LOG_WARNING), 0, "global cap");
	rte_log_set_global_level(RTE_LOG_DEBUG);
	TEST_ASSERT_EQUAL(rte_log_can_log(b, RTE_LOG_WARNING), 1, "global restored");
	return TEST_SUCCESS;
}

static int
check_regexp_and_components(FILE *f)
{
	int a = rte_log_register("test.log.a");
	int b = rte_log_register("test.log.b");
	int vfio = rte_log_register("lib.eal.vfio");
	int mp = rte_log_register("lib.eal.mp");
	int c;

	/* the EAL's components are static types, below the dynamic ones */
	TEST_ASSERT(vfio > 0 && vfio < RTE_LOGTYPE_FIRST_EXT_ID,
		"lib.eal.vfio is not a static type: %d", vfio);
	TEST_ASSERT(mp > 0 && mp < RTE_LOGTYPE_FIRST_EXT_ID && mp != vfio,
		"lib.eal.mp: %d", mp);
	/* a glob such as users type */
	TEST_ASSERT_SUCCESS(rte_log_set_level_pattern("*vfio*", RTE_LOG_DEBUG),
		"glob");
	TEST_ASSERT_EQUAL(rte_log_get_level(vfio), (int)RTE_LOG_DEBUG, "*vfio*");
	TEST_ASSERT(rte_log_get_level(mp) != (int)RTE_LOG_DEBUG, "*vfio* hit mp");
	/* an unanchored extended regular expression, now and later */
	TEST_ASSERT_SUCCESS(rte_log_set_level_regexp("log\\.(a|c)$",
		RTE_LOG_CRIT), "regexp");
	TEST_ASSERT_EQUAL(rte_log_get_level(a), (int)RTE_LOG_CRIT, "regexp a");
	TEST_ASSERT(rte_log_get_level(b) != (int)RTE_LOG_CRIT, "regexp hit b");
	c = rte_log_register_type_and_pick_level("test.log.c", RTE_LOG_INFO);
	TEST_ASSERT_EQUAL(rte_log_get_level(c), (int)RTE_LOG_CRIT, "regexp later");
	TEST_ASSERT_EQUAL(rte_log_set_level_regexp("(", RTE_LOG_ERR), -1,
		"invalid regexp accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_log_set_level_regexp("x", 0), -1, "level 0");
	/* the list names every type with its level */
	rewind(f);
	rte_log_list_types(f, "> ");
	TEST_ASSERT(strstr(stream_text(f), "> test.log.c") != NULL &&
		strstr(stream_text(f), "> lib.eal.vfio") != NULL,
		"list lacks types:\n%s", stream_text(f));
	rte_log_set_level(vfio, RTE_LOG_INFO);
	return TEST_SUCCESS;
}

static int
check_bad_input(void)
{
	TEST_ASSERT_EQUAL(rte_log_set_level(RTE_LOG_TYPE_MAX + 1, RTE_LOG_ERR), -1,
		"unknown type accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_log_set_level(RTE_LOGTYPE_EAL, 0), -1, "level 0");
	TEST_ASSERT_EQUAL(rte_log_set_level(RTE_LOGTYPE_EAL, 9), -1, "level 9");
	TEST_ASSERT_EQUAL(rte_log_set_level_pattern("", RTE_LOG_ERR), -1,
		"empty pattern accepted");
	TEST_ASSERT_EQUAL(rte_log_register(""), -1, "empty name accepted");
	TEST_ASSERT_EQUAL(rte_log_level_from_name("debug"), (int)RTE_LOG_DEBUG, "debug");
	TEST_ASSERT_EQUAL(rte_log_level_from_name("ERROR"), (int)RTE_LOG_ERR, "ERROR");
	TEST_ASSERT_EQUAL(rte_log_level_from_name("3"), (int)RTE_LOG_CRIT, "3");
	TEST_ASSERT_EQUAL(rte_log_level_from_name("9"), -1, "9");
	TEST_ASSERT_EQUAL(rte_log_level_from_name("loud"), -1, "loud");
	return TEST_SUCCESS;
}

static int
test_log(void)
{
	FILE *f = tmpfile();
	int ret;

	TEST_ASSERT_NOT_NULL(f, "tmpfile");
	rte_openlog_stream(f);
	ret = check_levels_and_patterns(f);
	if (ret == TEST_SUCCESS)
		ret = check_regexp_and_components(f);
	if (ret == TEST_SUCCESS)
		ret = check_bad_input();
	rte_openlog_stream(NULL);
	fclose(f);
	return ret;
}

REGISTER_TEST_COMMAND_EAL(log_autotest, test_log, TEST_EAL_NONE);
