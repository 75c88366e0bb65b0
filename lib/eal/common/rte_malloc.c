/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * rte_malloc() and friends: argument checks, node choice and locking
 * around malloc_heap.c.
 */

#include <errno.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "malloc_elem.h"
#include "malloc_heap.h"

/* Largest request accepted (keeps size arithmetic far from overflow). */
#define MALLOC_MAX_SIZE (SIZE_MAX / 4)

static int
check_args(size_t size, unsigned int align)
{
	if (eal_mcfg == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -1;
	}
	if (size == 0 || size > MALLOC_MAX_SIZE ||
			(align != 0 && !RTE_IS_POWER_OF_2(align))) {
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}

static void *
alloc_locked(size_t size, size_t align, int socket)
{
	int first = malloc_heap_idx_of_socket(socket == SOCKET_ID_ANY ?
		eal_memory_current_socket() : socket);
	unsigned int i;
	void *p;

	if (first < 0)
		first = 0; /* SOCKET_ID_ANY from a node without memory */
	p = malloc_heap_alloc((unsigned int)first, size, align);
	for (i = 0; socket == SOCKET_ID_ANY && p == NULL &&
			i < RTE_MAX_NUMA_NODES; i++)
		if (eal_mcfg->heaps[i].in_use && i != (unsigned int)first)
			p = malloc_heap_alloc(i, size, align);
	if (p == NULL && rte_eal_process_type() == RTE_PROC_PRIMARY)
		malloc_heap_log_failure((unsigned int)first, size);
	else if (p == NULL)
		EAL_LOG(ERR, "cannot allocate %zu bytes in a secondary process: no room in the pages the primary mapped (secondaries do not map pages; give the primary -m or --socket-mem)",
			size);
	if (p == NULL)
		rte_errno = ENOMEM;
	return p;
}

void *
rte_malloc_socket(const char *type, size_t size, unsigned int align,
		int socket)
{
	void *p;

	(void)type;
	if (check_args(size, align) != 0)
		return NULL;
	if (socket != SOCKET_ID_ANY && malloc_heap_idx_of_socket(socket) < 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (eal_mcfg_heap_lock() != 0)
		return NULL;
	p = alloc_locked(size, RTE_MAX((size_t)align,
		(size_t)RTE_CACHE_LINE_SIZE), socket);
	eal_mcfg_heap_unlock();
	return p;
}

void *
rte_malloc(const char *type, size_t size, unsigned int align)
{
	return rte_malloc_socket(type, size, align, SOCKET_ID_ANY);
}

void *
rte_zmalloc_socket(const char *type, size_t size, unsigned int align,
		int socket)
{
	void *p = rte_malloc_socket(type, size, align, socket);

	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void *
rte_zmalloc(const char *type, size_t size, unsigned int align)
{
	return rte_zmalloc_socket(type, size, align, SOCKET_ID_ANY);
}

void *
rte_calloc_socket(const char *type, size_t num, size_t size,
		unsigned int align, int socket)
{
	size_t total;

	if (__builtin_mul_overflow(num, size, &total)) {
		rte_errno = EINVAL;
		return NULL;
	}
	return rte_zmalloc_socket(type, total, align, socket);
}

void *
rte_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	return rte_calloc_socket(type, num, size, align, SOCKET_ID_ANY);
}

void
rte_free(void *ptr)
{
	struct malloc_elem *elem;

	if (ptr == NULL || eal_mcfg == NULL)
		return;
	if (eal_mcfg_heap_lock() != 0) {
		EAL_LOG(ERR, "rte_free(%p): this process cannot map the primary's memory: %s",
			ptr, rte_strerror(rte_errno));
		return;
	}
	elem = malloc_elem_from_data(ptr);
	if (elem != NULL)
		malloc_heap_free(elem);
	eal_mcfg_heap_unlock();
	if (elem == NULL)
		EAL_LOG(ERR, "rte_free: %p is not memory from rte_malloc (or was freed already)",
			ptr);
}

void *
rte_realloc_socket(void *ptr, size_t size, unsigned int align, int socket)
{
	struct malloc_elem *elem;
	size_t old_len;
	void *p;

	if (ptr == NULL)
		return rte_malloc_socket(NULL, size, align, socket);
	if (size == 0) {
		rte_free(ptr);
		return NULL;
	}
	if (check_args(size, align) != 0)
		return NULL;
	if (eal_mcfg_heap_lock() != 0)
		return NULL;
	elem = malloc_elem_from_data(ptr);
	if (elem == NULL) {
		eal_mcfg_heap_unlock();
		rte_errno = EINVAL;
		return NULL;
	}
	old_len = malloc_elem_data_len(elem);
	if ((align == 0 || (uintptr_t)ptr % align == 0) &&
			(socket == SOCKET_ID_ANY ||
			 eal_mcfg->heaps[elem->heap_idx].socket_id == socket) &&
			malloc_heap_resize(elem, size) == 0) {
		eal_mcfg_heap_unlock();
		return ptr;
	}
	eal_mcfg_heap_unlock();
	if (socket == SOCKET_ID_ANY)
		socket = eal_mcfg->heaps[elem->heap_idx].socket_id;
	p = rte_malloc_socket(NULL, size, align, socket);
	if (p == NULL)
		return NULL;
	memcpy(p, ptr, RTE_MIN(size, old_len));
	rte_free(ptr);
	return p;
}

void *
rte_realloc(void *ptr, size_t size, unsigned int align)
{
	return rte_realloc_socket(ptr, size, align, SOCKET_ID_ANY);
}

rte_iova_t
rte_malloc_virt2iova(const void *addr)
{
	return rte_mem_virt2iova(addr);
}

int
rte_malloc_get_socket_stats(int socket, struct rte_malloc_socket_stats *stats)
{
	int idx;

	if (eal_mcfg == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -1;
	}
	idx = malloc_heap_idx_of_socket(socket);
	if (idx < 0 || stats == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	if (eal_mcfg_heap_lock() != 0)
		return -1;
	malloc_heap_stats((unsigned int)idx, stats);
	eal_mcfg_heap_unlock();
	return 0;
}

int
rte_malloc_validate(const void *ptr, size_t *size)
{
	struct malloc_elem *elem;

	if (eal_mcfg == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	if (eal_mcfg_heap_lock() != 0)
		return -1;
	elem = malloc_elem_from_data(ptr);
	if (elem != NULL && size != NULL)
		*size = malloc_elem_data_len(elem);
	eal_mcfg_heap_unlock();
	if (elem == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}
