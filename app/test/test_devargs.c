/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <string.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_errno.h>

#include "test.h"

static const struct {
	const char *str;
	int err;
} bad_devargs[] = {
	{ "", EINVAL },
	{ "nosuchdev", ENODEV },
	{ "test:nosuchdev", ENODEV },
	{ "test:", EINVAL },
	{ "testdev0,key", EINVAL },
	{ "testdev0,key=", EINVAL },
	{ "testdev0,=v", EINVAL },
	{ "testdev0,k-y=v", EINVAL },
	{ "testdev0,a=1,a=2", EINVAL },
	{ "testdev0,,", EINVAL },
	{ "testdev9", ENODEV },
};

static int
check_parse(void)
{
	struct rte_devargs da;
	size_t i;

	TEST_ASSERT_SUCCESS(rte_devargs_parse(&da, "test:testdev1,mode=fast,x_2=7"),
		"parse with bus prefix");
	TEST_ASSERT(strcmp(da.name, "testdev1") == 0, "name %s", da.name);
	TEST_ASSERT(da.bus == rte_bus_find_by_name("test"), "bus");
	TEST_ASSERT(strcmp(da.args, "mode=fast,x_2=7") == 0, "args %s", da.args);
	TEST_ASSERT_EQUAL(da.nb_kv, 2u, "nb_kv %u", da.nb_kv);
	TEST_ASSERT(strcmp(rte_devargs_get(&da, "x_2"), "7") == 0, "x_2");
	TEST_ASSERT_NULL(rte_devargs_get(&da, "absent"), "absent key found");
	rte_devargs_reset(&da);

	TEST_ASSERT_SUCCESS(rte_devargs_parse(&da, "testdev2"), "parse without bus");
	TEST_ASSERT(strcmp(da.name, "testdev2") == 0 && da.args[0] == '\0',
		"name/args");
	rte_devargs_reset(&da);

	for (i = 0; i < RTE_DIM(bad_devargs); i++) {
		rte_errno = 0;
		TEST_ASSERT_EQUAL(rte_devargs_parse(&da, bad_devargs[i].str), -1,
			"'%s' accepted", bad_devargs[i].str);
		TEST_ASSERT_EQUAL(rte_errno, bad_devargs[i].err, "'%s': errno %d",
			bad_devargs[i].str, rte_errno);
		TEST_ASSERT_NULL(da.data, "'%s' left memory behind",
			bad_devargs[i].str);
	}
	return TEST_SUCCESS;
}

static int
check_lists(void)
{
	const struct rte_bus *bus = rte_bus_find_by_name("test");
	struct rte_devargs *da;

	rte_devargs_clear();
	TEST_ASSERT_SUCCESS(rte_devargs_add(RTE_DEV_ALLOWED, "testdev0,k=v"), "add");
	TEST_ASSERT_EQUAL(rte_devargs_add(RTE_DEV_ALLOWED, "test:testdev0"), -1,
		"duplicate accepted");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "duplicate errno %d", rte_errno);
	/* the test bus reads "testdev00" as device 0 too: one device */
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_devargs_add(RTE_DEV_ALLOWED, "testdev00,k=w"), -1,
		"the same device in another spelling accepted");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "respelled duplicate errno %d",
		rte_errno);
	TEST_ASSERT_NOT_NULL(rte_devargs_find(bus, "testdev00"),
		"entry not found under another spelling");
	TEST_ASSERT(strcmp(rte_devargs_get(rte_devargs_find(bus, "testdev00"),
		"k"), "v") == 0, "first entry's arguments lost");
	TEST_ASSERT_EQUAL(rte_devargs_add(RTE_DEV_BLOCKED, "testdev1"), -1,
		"allow and block mixed");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "mix errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), 1u, "count");
	TEST_ASSERT_EQUAL(rte_devargs_device_allowed(bus, "testdev0"), 1, "allowed");
	TEST_ASSERT_EQUAL(rte_devargs_device_allowed(bus, "testdev1"), 0,
		"unlisted device allowed under an allow list");

	da = rte_devargs_next("test", NULL);
	TEST_ASSERT_NOT_NULL(da, "next");
	TEST_ASSERT(strcmp(rte_devargs_get(da, "k"), "v") == 0, "kv kept");
	TEST_ASSERT_NULL(rte_devargs_next("test", da), "only one entry");
	TEST_ASSERT_SUCCESS(rte_devargs_remove(da), "remove");
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), 0u, "removed");

	TEST_ASSERT_SUCCESS(rte_devargs_add(RTE_DEV_BLOCKED, "testdev1"), "block");
	TEST_ASSERT_EQUAL(rte_devargs_device_allowed(bus, "testdev1"), 0, "blocked");
	TEST_ASSERT_EQUAL(rte_devargs_device_allowed(bus, "testdev2"), 1,
		"unlisted device refused under a block list");
	rte_devargs_clear();
	TEST_ASSERT_NULL(rte_devargs_next(NULL, NULL), "clear");
	return TEST_SUCCESS;
}

static int
test_devargs(void)
{
	int ret = check_parse();

	if (ret == TEST_SUCCESS)
		ret = check_lists();
	rte_devargs_clear();
	return ret;
}

REGISTER_TEST_COMMAND_EAL(devargs_autotest, test_devargs, TEST_EAL_NONE);
