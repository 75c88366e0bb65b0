/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * edu_memlock_autotest: memory that VFIO cannot map for DMA is never
 * handed out. Run by a user without CAP_IPC_LOCK (the VM case memlock.sh):
 * with the soft RLIMIT_MEMLOCK lowered to 0 no new page can be pinned, so
 * an allocation that needs new pages must fail with ENOMEM and leave the
 * heap as it was; with the limit back the same allocation works and an
 * edu device reads and writes its last page by DMA.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include <rte_edu.h>

#include "test.h"

/* more than the heap has free after init: new pages are needed */
#define MEMLOCK_ALLOC (8u << 20)
#define MEMLOCK_DMA_LEN 2048u

static uint64_t
heap_total(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(0, &st) != 0)
		return UINT64_MAX;
	return st.heap_totalsz_bytes;
}

/* RAM (tail of p) -> device -> RAM (a driver buffer), checked */
static int
dma_through(struct rte_edu *edu, uint8_t *p)
{
	struct rte_edu_buf dst;
	uint32_t i, bad = 0;

	for (i = 0; i < MEMLOCK_DMA_LEN; i++)
		p[i] = (uint8_t)(i * 13 + 7);
	TEST_ASSERT_SUCCESS(rte_edu_buf_alloc(edu, MEMLOCK_DMA_LEN, &dst),
		"buffer: %s", rte_strerror(rte_errno));
	memset(dst.addr, 0, MEMLOCK_DMA_LEN);
	if (rte_edu_dma(edu, rte_malloc_virt2iova(p), 0, MEMLOCK_DMA_LEN, 0,
			RTE_EDU_WAIT_POLL) != 0 ||
			rte_edu_dma(edu, dst.iova, 0, MEMLOCK_DMA_LEN, 1,
			RTE_EDU_WAIT_POLL) != 0) {
		printf("DMA through the new page: %s\n", rte_strerror(rte_errno));
		rte_edu_buf_free(edu, &dst);
		return TEST_FAILED;
	}
	for (i = 0; i < MEMLOCK_DMA_LEN; i++)
		bad += ((uint8_t *)dst.addr)[i] != p[i];
	rte_edu_buf_free(edu, &dst);
	TEST_ASSERT_EQUAL(bad, 0, "%u of %u bytes differ after the DMA", bad,
		MEMLOCK_DMA_LEN);
	return TEST_SUCCESS;
}

static int
test_edu_memlock(void)
{
	const char *mask = getenv("DPDK_VM_EDU_DMA_MASK");
	struct rlimit saved, none;
	struct rte_edu *edu;
	uint64_t before;
	uint8_t *p;
	int ret;

	if (rte_edu_count() == 0)
		TEST_SKIP("no edu device probed (none bound to vfio-pci)");
	if (geteuid() == 0)
		TEST_SKIP("root ignores RLIMIT_MEMLOCK (CAP_IPC_LOCK): run as another user");
	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		TEST_SKIP("needs an IOMMU (pinned pages are only accounted there)");
	edu = rte_edu_get(0);
	if (mask != NULL && mask[0] != '\0')
		TEST_ASSERT_SUCCESS(rte_edu_set_dma_mask(edu,
			strtoull(mask, NULL, 0)), "mask %s", mask);
	TEST_ASSERT_SUCCESS(getrlimit(RLIMIT_MEMLOCK, &saved), "getrlimit");
	none = saved;
	none.rlim_cur = 0;
	TEST_ASSERT_SUCCESS(setrlimit(RLIMIT_MEMLOCK, &none), "setrlimit 0");
	before = heap_total();
	rte_errno = 0;
	p = rte_malloc("memlock", MEMLOCK_ALLOC, 0);
	ret = rte_errno;
	setrlimit(RLIMIT_MEMLOCK, &saved);
	if (p != NULL) {
		rte_free(p);
		TEST_ASSERT(0, "%u bytes handed out although no page could be pinned for DMA",
			MEMLOCK_ALLOC);
	}
	TEST_ASSERT_EQUAL(ret, ENOMEM, "rte_errno %d (%s), want ENOMEM", ret,
		rte_strerror(ret));
	TEST_ASSERT_EQUAL(heap_total(), before, "heap grew from %" PRIu64
		" to %" PRIu64 " bytes", before, heap_total());
	p = rte_malloc("memlock", MEMLOCK_ALLOC, 0);
	TEST_ASSERT_NOT_NULL(p, "with the limit restored: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT(heap_total() > before, "the heap did not grow");
	ret = dma_through(edu, p + MEMLOCK_ALLOC - MEMLOCK_DMA_LEN);
	rte_free(p);
	return ret;
}

REGISTER_TEST_COMMAND(edu_memlock_autotest, test_edu_memlock);
