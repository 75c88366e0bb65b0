/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * memzone_autotest: reserve, lookup, alignment, IOVA contiguity, errors,
 * table exhaustion, free.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "test.h"

static void
count_zone(const struct rte_memzone *mz, void *arg)
{
	(*(unsigned int *)arg)++;
}

static int
iova_contiguous(const struct rte_memzone *mz)
{
	size_t off;

	for (off = 0; off < mz->len; off += RTE_PGSIZE_4K)
		if (rte_mem_virt2iova(RTE_PTR_ADD(mz->addr, off)) != mz->iova + off)
			return 0;
	return rte_mem_virt2iova(RTE_PTR_ADD(mz->addr, mz->len - 1)) ==
		mz->iova + mz->len - 1;
}

static int
test_basic(void)
{
	const struct rte_memzone *mz, *mz2;
	const struct rte_memseg *ms;
	unsigned int before = 0, n = 0;

	/* drivers probed at init may own zones (PCI BAR layouts) */
	rte_memzone_walk(count_zone, &before);
	mz = rte_memzone_reserve("mz_basic", 1000, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz, "reserve: %s", rte_strerror(rte_errno));
	TEST_ASSERT(strcmp(mz->name, "mz_basic") == 0, "name %s", mz->name);
	TEST_ASSERT_EQUAL(mz->len, 1000u, "len");
	TEST_ASSERT((uintptr_t)mz->addr % RTE_CACHE_LINE_SIZE == 0, "align");
	TEST_ASSERT_EQUAL(mz->iova, rte_mem_virt2iova(mz->addr), "iova");
	ms = rte_mem_virt2memseg(mz->addr, NULL);
	TEST_ASSERT(ms != NULL && ms->socket_id == mz->socket_id &&
		ms->hugepage_sz == mz->hugepage_sz, "zone/segment disagree");
	memset(mz->addr, 0x11, mz->len);
	TEST_ASSERT_EQUAL(rte_memzone_lookup("mz_basic"), mz, "lookup");
	rte_memzone_walk(count_zone, &n);
	TEST_ASSERT_EQUAL(n, before + 1, "walk saw %u zones, %u before", n,
		before);

	rte_errno = 0;
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_basic", 10, SOCKET_ID_ANY, 0),
		"duplicate");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "dup errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_reserve("a_name_that_is_far_too_long_for_a_zone",
		10, SOCKET_ID_ANY, 0), "long name");
	TEST_ASSERT_EQUAL(rte_errno, ENAMETOOLONG, "name errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_zero", 0, SOCKET_ID_ANY, 0),
		"len 0");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "len errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_flags", 10, SOCKET_ID_ANY, 1),
		"unknown flag");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "flag errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_sock", 10, 1000, 0), "socket");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "socket errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_reserve_aligned("mz_al", 10, SOCKET_ID_ANY,
		0, 3000), "align 3000");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "align errno %d", rte_errno);

	mz2 = rte_memzone_reserve_aligned("mz_aligned", 5000, SOCKET_ID_ANY, 0,
		1 << 20);
	TEST_ASSERT_NOT_NULL(mz2, "aligned: %s", rte_strerror(rte_errno));
	TEST_ASSERT((uintptr_t)mz2->addr % (1 << 20) == 0, "1 MiB alignment");
	TEST_ASSERT_SUCCESS(rte_memzone_free(mz2), "free aligned");

	mz2 = rte_memzone_reserve("mz_contig", 3000, SOCKET_ID_ANY,
		RTE_MEMZONE_IOVA_CONTIG);
	TEST_ASSERT_NOT_NULL(mz2, "contig: %s", rte_strerror(rte_errno));
	TEST_ASSERT(iova_contiguous(mz2), "IOVA_CONTIG zone is not contiguous");
	TEST_ASSERT_SUCCESS(rte_memzone_free(mz2), "free contig");

	TEST_ASSERT_SUCCESS(rte_memzone_free(mz), "free");
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_memzone_lookup("mz_basic"), "lookup after free");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "lookup errno %d", rte_errno);
	TEST_ASSERT_FAIL(rte_memzone_free(mz), "double free");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "double free errno %d", rte_errno);
	TEST_ASSERT_FAIL(rte_memzone_free(NULL), "free NULL");
	/* the name is free again */
	mz = rte_memzone_reserve("mz_basic", 64, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz, "reuse name");
	TEST_ASSERT_SUCCESS(rte_memzone_free(mz), "free reused");
	return TEST_SUCCESS;
}

static int
test_full_table(void)
{
	static const struct rte_memzone *zones[RTE_MAX_MEMZONE + 1];
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int n, i, before = 0;
	int ret = TEST_SUCCESS;

	/* zones owned by drivers probed at init stay in the table */
	rte_memzone_walk(count_zone, &before);
	for (n = 0; n <= RTE_MAX_MEMZONE; n++) {
		snprintf(name, sizeof(name), "mz_fill_%u", n);
		zones[n] = rte_memzone_reserve(name, 64, SOCKET_ID_ANY, 0);
		if (zones[n] == NULL)
			break;
	}
	if (n != RTE_MAX_MEMZONE - before || rte_errno != ENOSPC) {
		printf("table full after %u zones (want %u), errno %d\n", n,
			RTE_MAX_MEMZONE - before, rte_errno);
		ret = TEST_FAILED;
	}
	for (i = 0; i < n; i++)
		if (rte_memzone_free(zones[i]) != 0)
			ret = TEST_FAILED;
	return ret;
}

static int
test_memzone(void)
{
	if (test_basic() != TEST_SUCCESS)
		return TEST_FAILED;
	return test_full_table();
}

REGISTER_TEST_COMMAND(memzone_autotest, test_memzone);
