/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * extmem_autotest: application memory registered as an external segment
 * list is visible to walks and lookups with the IOVAs given, flagged
 * external, rejected when malformed or overlapping, and gone after
 * unregistration.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "test.h"

#define EXT_PAGES 4
#define EXT_PGSZ RTE_PGSIZE_4K

struct ext_seen {
	const void *base;
	unsigned int lists, segs;
	int ok;
};

static int
ext_list_cb(const struct rte_memseg_list *msl, void *arg)
{
	struct ext_seen *s = arg;

	if (msl->base_va != s->base)
		return 0;
	s->lists++;
	s->ok = msl->external == 1 && msl->len == EXT_PAGES * EXT_PGSZ &&
		msl->page_sz == EXT_PGSZ;
	return 0;
}

static int
ext_seg_cb(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct ext_seen *s = arg;

	if (msl->base_va == s->base && msl->external)
		s->segs++;
	return 0;
}

static int
test_extmem(void)
{
	rte_iova_t iovas[EXT_PAGES] = { 0x10000000, 0x10001000, 0x20000000,
		0x20001000 };
	size_t len = EXT_PAGES * EXT_PGSZ;
	struct rte_malloc_socket_stats before, after;
	struct ext_seen seen = { 0 };
	char *va;
	int ret = TEST_FAILED;

	va = mmap(NULL, len + EXT_PGSZ, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(va != MAP_FAILED, "mmap");
	seen.base = va;
	rte_malloc_get_socket_stats(0, &before);

	rte_errno = 0;
	if (rte_extmem_register(va + 1, len, NULL, 0, EXT_PGSZ) == 0 ||
			rte_errno != EINVAL) {
		printf("misaligned start accepted (errno %d)\n", rte_errno);
		goto unmap;
	}
	if (rte_extmem_register(va, len + 100, NULL, 0, EXT_PGSZ) == 0 ||
			rte_extmem_register(va, len, iovas, EXT_PAGES - 1,
				EXT_PGSZ) == 0 ||
			rte_extmem_register(va, len, NULL, 0, 3000) == 0 ||
			rte_errno != EINVAL) {
		printf("malformed registration accepted\n");
		goto unmap;
	}
	if (rte_extmem_register(va, len, iovas, EXT_PAGES, EXT_PGSZ) != 0) {
		printf("register: %s\n", rte_strerror(rte_errno));
		goto unmap;
	}
	rte_memseg_list_walk(ext_list_cb, &seen);
	rte_memseg_walk(ext_seg_cb, &seen);
	if (seen.lists != 1 || !seen.ok || seen.segs != EXT_PAGES) {
		printf("walks: %u lists (ok %d), %u segments\n", seen.lists,
			seen.ok, seen.segs);
		goto unregister;
	}
	if (rte_mem_virt2iova(va + EXT_PGSZ + 904) != iovas[1] + 904 ||
			rte_mem_iova2virt(iovas[2] + 10) != va + 2 * EXT_PGSZ + 10 ||
			rte_mem_virt2memseg_list(va + 5)->external != 1) {
		printf("lookups in external memory are wrong\n");
		goto unregister;
	}
	rte_errno = 0;
	if (rte_extmem_register(va, len, NULL, 0, EXT_PGSZ) == 0 ||
			rte_errno != EEXIST ||
			rte_extmem_register(va + EXT_PGSZ, len, NULL, 0,
				EXT_PGSZ) == 0 || rte_errno != EEXIST) {
		printf("overlapping registration: errno %d\n", rte_errno);
		goto unregister;
	}
	rte_malloc_get_socket_stats(0, &after);
	if (after.heap_totalsz_bytes != before.heap_totalsz_bytes) {
		printf("external memory went into the heap\n");
		goto unregister;
	}
	if (rte_extmem_unregister(va, len - EXT_PGSZ) == 0 ||
			rte_errno != ENOENT) {
		printf("unregister with a wrong length succeeded\n");
		goto unregister;
	}
	ret = TEST_SUCCESS;
unregister:
	if (rte_extmem_unregister(va, len) != 0) {
		printf("unregister: %s\n", rte_strerror(rte_errno));
		ret = TEST_FAILED;
	}
	memset(&seen, 0, sizeof(seen));
	seen.base = va;
	rte_memseg_list_walk(ext_list_cb, &seen);
	if (seen.lists != 0 || rte_mem_virt2iova(va) != RTE_BAD_IOVA) {
		printf("external list still visible after unregister\n");
		ret = TEST_FAILED;
	}
	/* without an IOVA table, pages have no IOVA */
	if (ret == TEST_SUCCESS &&
			(rte_extmem_register(va, len, NULL, 0, EXT_PGSZ) != 0 ||
			 rte_mem_virt2iova(va) != RTE_BAD_IOVA ||
			 rte_mem_virt2memseg(va, NULL) == NULL ||
			 rte_extmem_unregister(va, len) != 0)) {
		printf("registration without IOVAs misbehaves\n");
		ret = TEST_FAILED;
	}
unmap:
	munmap(va, len + EXT_PGSZ);
	return ret;
}

REGISTER_TEST_COMMAND(extmem_autotest, test_extmem);
