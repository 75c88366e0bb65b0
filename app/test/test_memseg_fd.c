/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * memseg_fd_autotest: rte_memseg_get_fd_thread_unsafe() and
 * rte_memseg_get_fd_offset_thread_unsafe() give the descriptor and offset
 * where the bytes of an EAL page live: bytes written through rte_malloc
 * memory are read back with pread() on them, and a write through a second
 * mapping of the descriptor shows up in memory (hugetlbfs has no write()). Errors: NULL, a page that is not EAL memory, external memory.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "test.h"

#define MSFD_LEN 256

static int
test_memseg_fd_errors(void)
{
	struct rte_memseg fake;
	size_t off = 0;
	void *ext;
	long pg = sysconf(_SC_PAGESIZE);

	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_memseg_get_fd_thread_unsafe(NULL), -1, "NULL accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "NULL: errno %d", rte_errno);

	memset(&fake, 0, sizeof(fake));
	fake.addr = &fake; /* the stack: not EAL memory */
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_memseg_get_fd_thread_unsafe(&fake), -1,
		"a stack page has a descriptor");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "stack page: errno %d", rte_errno);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_memseg_get_fd_offset_thread_unsafe(&fake, &off), -1,
		"a stack page has an offset");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "stack page offset: errno %d", rte_errno);

	ext = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(ext != MAP_FAILED, "mmap: %s", strerror(errno));
	if (rte_extmem_register(ext, (size_t)pg, NULL, 0, (size_t)pg) != 0) {
		munmap(ext, (size_t)pg);
		TEST_ASSERT(0, "rte_extmem_register: %s", rte_strerror(rte_errno));
	}
	fake.addr = ext;
	rte_errno = 0;
	off = 0;
	TEST_ASSERT_EQUAL(rte_memseg_get_fd_thread_unsafe(rte_mem_virt2memseg(ext,
		NULL)), -1, "external memory has an EAL descriptor");
	TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "external: errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_extmem_unregister(ext, (size_t)pg), "unregister");
	munmap(ext, (size_t)pg);
	return TEST_SUCCESS;
}

static int
test_memseg_fd(void)
{
	uint8_t *buf, *view, back[MSFD_LEN];
	const struct rte_memseg *ms;
	size_t off = SIZE_MAX;
	unsigned int i;
	off_t at;
	int fd;

	buf = rte_malloc("memseg_fd", MSFD_LEN, 64);
	TEST_ASSERT_NOT_NULL(buf, "rte_malloc: %s", rte_strerror(rte_errno));
	ms = rte_mem_virt2memseg(buf, NULL);
	TEST_ASSERT_NOT_NULL(ms, "no memseg for rte_malloc memory");
	TEST_ASSERT(RTE_PTR_DIFF(buf + MSFD_LEN, ms->addr) <= ms->len,
		"buffer crosses its page");

	fd = rte_memseg_get_fd_thread_unsafe(ms);
	TEST_ASSERT(fd >= 0, "get_fd: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_memseg_get_fd_offset_thread_unsafe(ms, &off),
		"get_fd_offset: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(off % ms->len, 0, "offset %zu not page aligned", off);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_memseg_get_fd_offset_thread_unsafe(ms, NULL), -1,
		"NULL offset accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "NULL offset: errno %d", rte_errno);

	for (i = 0; i < MSFD_LEN; i++)
		buf[i] = (uint8_t)(i * 13 + 5);
	at = (off_t)(off + RTE_PTR_DIFF(buf, ms->addr));
	TEST_ASSERT_EQUAL(pread(fd, back, MSFD_LEN, at), MSFD_LEN, "pread: %s",
		strerror(errno));
	TEST_ASSERT(memcmp(back, buf, MSFD_LEN) == 0,
		"the descriptor at offset %zu does not hold the page's bytes", off);
	/* a second mapping of the page: what the other process of vhost sees */
	view = mmap(NULL, ms->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		(off_t)off);
	TEST_ASSERT(view != MAP_FAILED, "mmap of the descriptor at %zu: %s", off,
		strerror(errno));
	memset(view + RTE_PTR_DIFF(buf, ms->addr), 0xa5, MSFD_LEN);
	for (i = 0; i < MSFD_LEN && buf[i] == 0xa5; i++)
		;
	munmap(view, ms->len);
	TEST_ASSERT_EQUAL(i, MSFD_LEN,
		"a write through the descriptor does not reach the memory");
	rte_free(buf);

	return test_memseg_fd_errors();
}

REGISTER_TEST_COMMAND(memseg_fd_autotest, test_memseg_fd);
