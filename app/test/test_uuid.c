/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <string.h>

#include <rte_uuid.h>

#include "test.h"

static int
test_uuid(void)
{
	static const char *bad[] = {
		"", "14d63f20-8445-11ea-8900-1f9ce7d5650",
		"14d63f20-8445-11ea-8900-1f9ce7d5650dd",
		"14d63f2008445-11ea-8900-1f9ce7d5650d",
		"14d63f20-8445-11ea-8900-1f9ce7d5650g",
		"14d63f20-8445-11ea-890-01f9ce7d5650d",
		"-14d63f20-8445-11ea-8900-1f9ce7d565d",
	};
	const char *text = "14D63F20-8445-11ea-8900-1f9ce7d5650d";
	rte_uuid_t uu, other, zero;
	char out[RTE_UUID_STRLEN];
	size_t i;

	memset(zero, 0, sizeof(zero));
	TEST_ASSERT(rte_uuid_is_null(zero), "zero UUID not null");
	TEST_ASSERT_SUCCESS(rte_uuid_parse(text, uu), "parse %s", text);
	TEST_ASSERT(!rte_uuid_is_null(uu), "parsed UUID is null");
	TEST_ASSERT_EQUAL(uu[0], 0x14, "first byte %#x", uu[0]);
	TEST_ASSERT_EQUAL(uu[15], 0x0d, "last byte %#x", uu[15]);
	rte_uuid_unparse(uu, out, sizeof(out));
	TEST_ASSERT(strcmp(out, "14d63f20-8445-11ea-8900-1f9ce7d5650d") == 0,
		"unparse gave %s", out);
	memset(out, 'x', sizeof(out));
	rte_uuid_unparse(uu, out, sizeof(out) - 1);
	TEST_ASSERT_EQUAL(out[0], 'x', "unparse wrote into a short buffer");

	rte_uuid_copy(other, uu);
	TEST_ASSERT_EQUAL(rte_uuid_compare(other, uu), 0, "copy differs");
	other[15]++;
	TEST_ASSERT(rte_uuid_compare(uu, other) < 0, "ordering");
	TEST_ASSERT(rte_uuid_compare(other, uu) > 0, "ordering");

	for (i = 0; i < RTE_DIM(bad); i++) {
		rte_uuid_copy(other, uu);
		TEST_ASSERT_EQUAL(rte_uuid_parse(bad[i], other), -1,
			"'%s' accepted", bad[i]);
		TEST_ASSERT_EQUAL(rte_uuid_compare(other, uu), 0,
			"failed parse of '%s' modified the output", bad[i]);
	}
	TEST_ASSERT_EQUAL(rte_uuid_parse(NULL, other), -1, "NULL accepted");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND_EAL(uuid_autotest, test_uuid, TEST_EAL_NONE);
