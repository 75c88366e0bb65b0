/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * devargs_insert_autotest: rte_devargs_insert() appends a new device,
 * updates the listed entry of a device already listed (in another
 * spelling too) with the new arguments, accepts an entry already listed,
 * and refuses NULL, unparsed entries and mixed allow/block lists,
 * leaving the list as it was.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_errno.h>

#include "test.h"

static struct rte_devargs *
parsed(const char *str, enum rte_dev_policy policy)
{
	struct rte_devargs *da = calloc(1, sizeof(*da));

	if (da == NULL)
		return NULL;
	if (rte_devargs_parse(da, str) != 0) {
		free(da);
		return NULL;
	}
	da->policy = policy;
	return da;
}

static int
test_devargs_insert(void)
{
	unsigned int before = rte_devargs_type_count(RTE_DEV_ALLOWED);
	struct rte_devargs *da, *first, *blocked, unparsed;
	const char *v;

	if (rte_bus_find_by_name("pci") == NULL)
		TEST_SKIP("no pci bus in this build: no device names to parse");
	if (rte_devargs_type_count(RTE_DEV_BLOCKED) != 0)
		TEST_SKIP("run without -b: the test adds allowed entries");

	first = parsed("0000:00:1f.6,alpha=1", RTE_DEV_ALLOWED);
	TEST_ASSERT_NOT_NULL(first, "parse: %s", rte_strerror(rte_errno));
	da = first;
	TEST_ASSERT_SUCCESS(rte_devargs_insert(&da), "insert: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT(da == first, "a new device's entry was replaced");
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), before + 1,
		"not listed");
	TEST_ASSERT(rte_devargs_find(first->bus, "0000:00:1f.6") == first,
		"rte_devargs_find does not return the inserted entry");

	/* inserting a listed entry again changes nothing */
	TEST_ASSERT_SUCCESS(rte_devargs_insert(&da), "insert again");
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), before + 1,
		"listed twice");

	/* same device, other spelling: the listed entry takes the new args */
	da = parsed("00:1f.6,beta=2", RTE_DEV_ALLOWED);
	TEST_ASSERT_NOT_NULL(da, "parse of the short form: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_devargs_insert(&da), "update: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT(da == first, "*da does not point to the listed entry");
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), before + 1,
		"the update added an entry");
	v = rte_devargs_get(first, "beta");
	TEST_ASSERT(v != NULL && strcmp(v, "2") == 0, "beta is '%s'",
		v != NULL ? v : "(none)");
	TEST_ASSERT_NULL(rte_devargs_get(first, "alpha"), "old argument kept");
	TEST_ASSERT(rte_devargs_next(NULL, NULL) != NULL, "list linkage lost");

	/* refusals leave the list and the caller's entry alone */
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_devargs_insert(NULL), -1, "NULL accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "NULL: errno %d", rte_errno);
	da = NULL;
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_devargs_insert(&da), -1, "*da NULL accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "*da NULL: errno %d", rte_errno);
	memset(&unparsed, 0, sizeof(unparsed));
	da = &unparsed;
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_devargs_insert(&da), -1, "unparsed accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "unparsed: errno %d", rte_errno);
	blocked = parsed("0000:00:1e.0", RTE_DEV_BLOCKED);
	TEST_ASSERT_NOT_NULL(blocked, "parse: %s", rte_strerror(rte_errno));
	da = blocked;
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_devargs_insert(&da), -1, "mixed lists accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "mixed: errno %d", rte_errno);
	TEST_ASSERT(da == blocked, "a refused insert changed *da");
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_BLOCKED), 0,
		"refused entry listed");
	rte_devargs_reset(blocked);
	free(blocked);

	TEST_ASSERT_SUCCESS(rte_devargs_remove(first), "remove");
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), before,
		"not removed");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(devargs_insert_autotest, test_devargs_insert);
