/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Each block starts with its header; its objects follow. Free objects of a
 * block are chained through their first word. Blocks with room stay ahead
 * of full ones in the pool's list, so vfio_pool_get() looks at the head
 * only.
 */

#include <stdlib.h>
#include <string.h>

#include "eal_vfio_pool.h"

struct vfio_pool_block {
	struct vfio_pool_block *prev, *next;
	void *free;             /* chain of free objects */
	unsigned int n_free;
};

/* objects start after the header, pointer aligned */
#define HEADER_SIZE \
	((sizeof(struct vfio_pool_block) + sizeof(void *) - 1) & \
	 ~(sizeof(void *) - 1))

static struct vfio_pool_block *
block_of(const void *obj)
{
	return (struct vfio_pool_block *)((uintptr_t)obj &
		~(uintptr_t)(VFIO_POOL_BLOCK_SIZE - 1));
}

static void
unlink_block(struct vfio_pool *p, struct vfio_pool_block *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		p->head = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
	else
		p->tail = b->prev;
}

static void
push_head(struct vfio_pool *p, struct vfio_pool_block *b)
{
	b->prev = NULL;
	b->next = p->head;
	if (p->head != NULL)
		p->head->prev = b;
	else
		p->tail = b;
	p->head = b;
}

static void
push_tail(struct vfio_pool *p, struct vfio_pool_block *b)
{
	b->next = NULL;
	b->prev = p->tail;
	if (p->tail != NULL)
		p->tail->next = b;
	else
		p->head = b;
	p->tail = b;
}

void
vfio_pool_init(struct vfio_pool *p, size_t obj_size)
{
	memset(p, 0, sizeof(*p));
	p->obj_size = (obj_size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
	p->per_block = (unsigned int)((VFIO_POOL_BLOCK_SIZE - HEADER_SIZE) /
		p->obj_size);
}

void
vfio_pool_fini(struct vfio_pool *p)
{
	struct vfio_pool_block *b, *next;

	for (b = p->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	p->head = NULL;
	p->tail = NULL;
	p->n_free = 0;
	p->n_blocks = 0;
}

static enum vfio_result
block_add(struct vfio_pool *p)
{
	struct vfio_pool_block *b;
	char *obj;
	unsigned int i;

	if (posix_memalign((void **)&b, VFIO_POOL_BLOCK_SIZE,
			VFIO_POOL_BLOCK_SIZE) != 0)
		return VFIO_NO_MEMORY;
	b->free = NULL;
	obj = (char *)b + HEADER_SIZE + (size_t)p->per_block * p->obj_size;
	for (i = 0; i < p->per_block; i++) {
		obj -= p->obj_size;
		*(void **)obj = b->free;
		b->free = obj;
	}
	b->n_free = p->per_block;
	push_head(p, b);
	p->n_free += p->per_block;
	p->n_blocks++;
	return VFIO_OK;
}

enum vfio_result
vfio_pool_grow(struct vfio_pool *p, unsigned int n)
{
	while (p->n_free < n)
		if (block_add(p) != VFIO_OK)
			return VFIO_NO_MEMORY;
	return VFIO_OK;
}

void *
vfio_pool_get(struct vfio_pool *p)
{
	struct vfio_pool_block *b = p->head;
	void *obj;

	if (b == NULL || b->n_free == 0)
		return NULL;
	obj = b->free;
	b->free = *(void **)obj;
	b->n_free--;
	p->n_free--;
	if (b->n_free == 0 && b != p->tail) {
		unlink_block(p, b);
		push_tail(p, b);
	}
	return obj;
}

void
vfio_pool_put(struct vfio_pool *p, void *obj)
{
	struct vfio_pool_block *b = block_of(obj);

	*(void **)obj = b->free;
	b->free = obj;
	b->n_free++;
	p->n_free++;
	if (b->n_free == 1 && b != p->head) {
		unlink_block(p, b); /* it has room again: ahead of full ones */
		push_head(p, b);
	} else if (b->n_free == p->per_block &&
			p->n_free - b->n_free >= p->per_block) {
		/* empty, and a block's worth of room remains elsewhere */
		unlink_block(p, b);
		p->n_free -= b->n_free;
		p->n_blocks--;
		free(b);
	}
}

size_t
vfio_pool_bytes(const struct vfio_pool *p)
{
	return p->n_blocks * VFIO_POOL_BLOCK_SIZE;
}
