/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * malloc_autotest: allocation, alignment, zeroing, realloc, sockets, bad
 * arguments, statistics; memory events with exact ranges when the heap
 * grows and when it gives pages back.
 */

#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "test.h"

#define MAX_EVENTS 16

struct event_log {
	unsigned int n;
	struct {
		enum rte_mem_event type;
		const void *addr;
		size_t len;
		int mapped;     /* every page was a segment during the call */
		int iova_known; /* (ALLOC) every page had an IOVA */
	} ev[MAX_EVENTS];
};

static void
record_event(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct event_log *log = arg;
	size_t off;
	int mapped = 1, iova = 1;

	for (off = 0; off < len; off += RTE_PGSIZE_4K) {
		const struct rte_memseg *ms =
			rte_mem_virt2memseg(RTE_PTR_ADD(addr, off), NULL);

		if (ms == NULL)
			mapped = 0;
		else if (ms->iova == RTE_BAD_IOVA)
			iova = 0;
		else
			/* the page must be accessible right now */
			(void)*(volatile const char *)RTE_PTR_ADD(addr, off);
	}
	if (log->n < MAX_EVENTS) {
		log->ev[log->n].type = type;
		log->ev[log->n].addr = addr;
		log->ev[log->n].len = len;
		log->ev[log->n].mapped = mapped;
		log->ev[log->n].iova_known = iova;
	}
	log->n++;
}

static int
heap_socket(void)
{
	int v = 0;
	void *p = rte_malloc(NULL, 64, 0);
	const struct rte_memseg *ms = rte_mem_virt2memseg(p, NULL);

	if (ms != NULL)
		v = ms->socket_id;
	rte_free(p);
	return v;
}

static int
test_basic(void)
{
	static const unsigned int aligns[] = { 0, 64, 128, 4096, 65536,
		1 << 20, 4 << 20 };
	unsigned int i;
	size_t usable;
	char *p;

	for (i = 0; i < RTE_DIM(aligns); i++) {
		p = rte_malloc("t", 1000 + i, aligns[i]);
		TEST_ASSERT_NOT_NULL(p, "align %u: %s", aligns[i],
			rte_strerror(rte_errno));
		TEST_ASSERT((uintptr_t)p % RTE_MAX(aligns[i], 64u) == 0,
			"%p not aligned to %u", p, aligns[i]);
		memset(p, 0xa5, 1000 + i);
		TEST_ASSERT_SUCCESS(rte_malloc_validate(p, &usable), "validate");
		TEST_ASSERT(usable >= 1000 + i, "usable %zu", usable);
		TEST_ASSERT_NOT_EQUAL(rte_malloc_virt2iova(p), RTE_BAD_IOVA,
			"no iova");
		TEST_ASSERT_EQUAL(rte_malloc_virt2iova(p + 7),
			rte_mem_virt2iova(p + 7), "virt2iova");
		rte_free(p);
	}
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_malloc("t", 0, 0), "size 0");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "size 0 errno %d", rte_errno);
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_malloc("t", 64, 96), "align 96");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "align errno %d", rte_errno);
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_calloc("t", SIZE_MAX / 2, 4, 0), "calloc overflow");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "calloc errno %d", rte_errno);
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_malloc("t", SIZE_MAX - 10, 0), "huge size");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "huge errno %d", rte_errno);
	rte_free(NULL);
	return TEST_SUCCESS;
}

static int
test_zero_and_free(void)
{
	unsigned char *p, *q;
	size_t i;
	int x = 0;

	p = rte_malloc("t", 8192, 0);
	TEST_ASSERT_NOT_NULL(p, "malloc");
	memset(p, 0xff, 8192);
	rte_free(p);
	q = rte_zmalloc("t", 8192, 0);
	TEST_ASSERT_NOT_NULL(q, "zmalloc");
	for (i = 0; i < 8192; i++)
		TEST_ASSERT_EQUAL(q[i], 0, "byte %zu not zero", i);
	rte_free(q);
	q = rte_calloc("t", 100, 33, 0);
	TEST_ASSERT_NOT_NULL(q, "calloc");
	for (i = 0; i < 3300; i++)
		TEST_ASSERT_EQUAL(q[i], 0, "calloc byte %zu not zero", i);
	rte_free(q);
	/* a freed pointer and a foreign one are not allocations */
	TEST_ASSERT_FAIL(rte_malloc_validate(q, NULL), "freed validates");
	rte_free(q); /* logged, ignored */
	TEST_ASSERT_FAIL(rte_malloc_validate(&x, NULL), "stack validates");
	return TEST_SUCCESS;
}

static int
test_realloc(void)
{
	unsigned char *p, *q;
	size_t i;

	p = rte_realloc(NULL, 100, 0);
	TEST_ASSERT_NOT_NULL(p, "realloc(NULL)");
	for (i = 0; i < 100; i++)
		p[i] = (unsigned char)i;
	q = rte_realloc(p, 300000, 0);
	TEST_ASSERT_NOT_NULL(q, "grow: %s", rte_strerror(rte_errno));
	for (i = 0; i < 100; i++)
		TEST_ASSERT_EQUAL(q[i], (unsigned char)i, "grow lost byte %zu", i);
	memset(q + 100, 0x77, 300000 - 100);
	p = rte_realloc(q, 50, 0);
	TEST_ASSERT_NOT_NULL(p, "shrink");
	for (i = 0; i < 50; i++)
		TEST_ASSERT_EQUAL(p[i], (unsigned char)i, "shrink lost byte %zu",
			i);
	q = rte_realloc(p, 1000, 1 << 16);
	TEST_ASSERT_NOT_NULL(q, "aligned realloc");
	TEST_ASSERT((uintptr_t)q % (1 << 16) == 0, "realloc alignment");
	for (i = 0; i < 50; i++)
		TEST_ASSERT_EQUAL(q[i], (unsigned char)i, "moved lost byte %zu", i);
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_realloc(q, SIZE_MAX - 10, 0), "huge realloc");
	TEST_ASSERT_SUCCESS(rte_malloc_validate(q, NULL),
		"failed realloc freed the block");
	TEST_ASSERT_NULL(rte_realloc(q, 0, 0), "realloc to 0");
	TEST_ASSERT_FAIL(rte_malloc_validate(q, NULL), "realloc 0 kept block");
	return TEST_SUCCESS;
}

static int
test_sockets(void)
{
	int socket = heap_socket();
	struct rte_malloc_socket_stats st;
	const struct rte_memseg *ms;
	void *p;

	p = rte_malloc_socket("t", 4096, 0, socket);
	TEST_ASSERT_NOT_NULL(p, "socket %d", socket);
	ms = rte_mem_virt2memseg(p, NULL);
	TEST_ASSERT(ms != NULL && ms->socket_id == socket, "wrong socket");
	rte_free(p);
	p = rte_zmalloc_socket("t", 4096, 0, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(p, "any socket");
	rte_free(p);
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_malloc_socket("t", 64, 0, 1000), "socket 1000");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "socket errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &st), "stats");
	TEST_ASSERT_FAIL(rte_malloc_get_socket_stats(1000, &st), "stats 1000");
	return TEST_SUCCESS;
}

/* Many blocks of many sizes, freed in another order: back to baseline. */
static int
test_many(void)
{
	struct rte_malloc_socket_stats before, after;
	int socket = heap_socket();
	void *ptrs[500];
	unsigned int i, seed = 12345;

	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &before), "st");
	for (i = 0; i < RTE_DIM(ptrs); i++) {
		size_t sz = 1 + (seed = seed * 1103515245 + 12345) % 70000;

		ptrs[i] = rte_malloc_socket("many", sz, 1u << (i % 13), socket);
		TEST_ASSERT_NOT_NULL(ptrs[i], "block %u (%zu bytes)", i, sz);
		memset(ptrs[i], (int)i, sz);
	}
	for (i = 0; i < RTE_DIM(ptrs); i += 2)
		rte_free(ptrs[i]);
	for (i = 1; i < RTE_DIM(ptrs); i += 2) {
		TEST_ASSERT_EQUAL(*(unsigned char *)ptrs[i], (unsigned char)i,
			"block %u overwritten", i);
		rte_free(ptrs[i]);
	}
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &after), "st");
	TEST_ASSERT_EQUAL(after.alloc_count, before.alloc_count,
		"alloc count %u -> %u", before.alloc_count, after.alloc_count);
	TEST_ASSERT_EQUAL(after.heap_totalsz_bytes, before.heap_totalsz_bytes,
		"heap kept pages: %zu -> %zu bytes", before.heap_totalsz_bytes,
		after.heap_totalsz_bytes);
	TEST_ASSERT_EQUAL(after.free_count, before.free_count,
		"free blocks not merged: %u -> %u", before.free_count,
		after.free_count);
	return TEST_SUCCESS;
}

static int
test_events(void)
{
	static struct event_log log;
	struct rte_malloc_socket_stats st;
	int socket = heap_socket();
	void *p, *keep = NULL;
	size_t size;
	int ret = TEST_FAILED;

	rte_errno = 0;
	TEST_ASSERT_FAIL(rte_mem_event_callback_register(NULL, record_event,
		&log), "NULL name");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_FAIL(rte_mem_event_callback_register("x", NULL, &log),
		"NULL callback");
	TEST_ASSERT_FAIL(rte_mem_event_callback_unregister("nope", &log),
		"unknown unregister");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_mem_event_callback_register("malloc_test",
		record_event, &log), "register: %s", rte_strerror(rte_errno));
	TEST_ASSERT_FAIL(rte_mem_event_callback_register("malloc_test",
		record_event, &log), "second register");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "errno %d", rte_errno);

	/* larger than any free block: the heap must map new pages */
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &st), "stats");
	size = st.greatest_free_size + (1 << 20);
	memset(&log, 0, sizeof(log));
	p = rte_malloc_socket("events", size, 0, socket);
	if (p == NULL) {
		printf("rte_malloc(%zu): %s\n", size, rte_strerror(rte_errno));
		goto out;
	}
	if (log.n != 1 || log.ev[0].type != RTE_MEM_EVENT_ALLOC ||
			!log.ev[0].mapped || !log.ev[0].iova_known) {
		printf("growth: %u events (want 1 ALLOC after mapping, with IOVA)\n",
			log.n);
		goto free;
	}
	if ((uintptr_t)p + size <= (uintptr_t)log.ev[0].addr ||
			(uintptr_t)p >= (uintptr_t)log.ev[0].addr + log.ev[0].len ||
			log.ev[0].len < size - st.greatest_free_size) {
		printf("ALLOC %p+%zu does not cover the new block %p+%zu\n",
			log.ev[0].addr, log.ev[0].len, p, size);
		goto free;
	}
	printf("heap grew by %p+%zu for %zu bytes\n", log.ev[0].addr,
		log.ev[0].len, size);
	memset(p, 0x3c, size);
	rte_free(p);
	if (log.n != 2 || log.ev[1].type != RTE_MEM_EVENT_FREE ||
			log.ev[1].addr != log.ev[0].addr ||
			log.ev[1].len != log.ev[0].len || !log.ev[1].mapped) {
		printf("shrink: %u events; FREE %p+%zu, want %p+%zu before unmap\n",
			log.n, log.n > 1 ? log.ev[1].addr : NULL,
			log.n > 1 ? log.ev[1].len : 0, log.ev[0].addr,
			log.ev[0].len);
		goto out;
	}
	if (rte_mem_virt2memseg(log.ev[0].addr, NULL) != NULL) {
		printf("pages still listed after FREE\n");
		goto out;
	}
	/* a small block in a page the heap holds raises nothing */
	keep = rte_malloc_socket("events", 64, 0, socket);
	log.n = 2;
	p = rte_malloc_socket("events", 64, 0, socket);
	rte_free(p);
	if (p == NULL || keep == NULL || log.n != 2) {
		printf("small block: %u events\n", log.n);
		goto out;
	}
	ret = TEST_SUCCESS;
	goto out;
free:
	rte_free(p);
out:
	rte_free(keep);
	TEST_ASSERT_SUCCESS(rte_mem_event_callback_unregister("malloc_test",
		&log), "unregister");
	return ret;
}

#define STRESS_THREADS 4
#define STRESS_ROUNDS 2000

struct stress {
	unsigned int id;
	int failed;
};

/* Allocate, fill with our id, check, free: blocks never overlap. */
static void *
stress_thread(void *arg)
{
	struct stress *st = arg;
	unsigned char *mine[8] = { NULL };
	size_t sizes[8] = { 0 };
	unsigned int seed = st->id * 7919 + 1, r, k;
	size_t i;

	for (r = 0; r < STRESS_ROUNDS && !st->failed; r++) {
		k = (seed = seed * 1103515245 + 12345) % 8;
		if (mine[k] != NULL) {
			for (i = 0; i < sizes[k]; i++)
				if (mine[k][i] != (unsigned char)st->id)
					st->failed = 1;
			rte_free(mine[k]);
		}
		/* sizes up to a few pages, so that the heap grows and shrinks */
		sizes[k] = 1 + (seed >> 8) % (3 * RTE_PGSIZE_4K + 100);
		mine[k] = rte_malloc("stress", sizes[k], 0);
		if (mine[k] == NULL) {
			st->failed = 1;
			break;
		}
		memset(mine[k], (int)st->id, sizes[k]);
	}
	for (k = 0; k < 8; k++)
		rte_free(mine[k]);
	return NULL;
}

static int
count_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	(*(unsigned long *)arg)++;
	return 0;
}

static int
test_threads(void)
{
	struct rte_malloc_socket_stats before, after;
	struct stress st[STRESS_THREADS];
	pthread_t th[STRESS_THREADS];
	unsigned long walked = 0;
	unsigned int i, walks;
	int socket = heap_socket(), ret = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &before), "st");
	for (i = 0; i < STRESS_THREADS; i++) {
		st[i].id = i + 1;
		st[i].failed = 0;
		TEST_ASSERT_SUCCESS(pthread_create(&th[i], NULL, stress_thread,
			&st[i]), "thread %u", i);
	}
	/* walks run while pages come and go */
	for (walks = 0; walks < 200; walks++)
		rte_memseg_walk(count_seg, &walked);
	for (i = 0; i < STRESS_THREADS; i++) {
		pthread_join(th[i], NULL);
		if (st[i].failed) {
			printf("thread %u saw a foreign byte or failed to allocate\n",
				st[i].id);
			ret = TEST_FAILED;
		}
	}
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &after), "st");
	TEST_ASSERT_EQUAL(after.alloc_count, before.alloc_count, "leaked blocks");
	TEST_ASSERT_EQUAL(after.heap_totalsz_bytes, before.heap_totalsz_bytes,
		"heap kept pages");
	return ret;
}

static int
test_malloc(void)
{
	if (test_basic() != TEST_SUCCESS || test_zero_and_free() != TEST_SUCCESS ||
			test_realloc() != TEST_SUCCESS ||
			test_sockets() != TEST_SUCCESS ||
			test_many() != TEST_SUCCESS || test_events() != TEST_SUCCESS ||
			test_threads() != TEST_SUCCESS)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(malloc_autotest, test_malloc);
