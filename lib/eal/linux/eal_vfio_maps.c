/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * A treap keyed by IOVA: a binary search tree whose nodes also carry a
 * random priority, kept in heap order, so that its depth is O(log n)
 * whatever the insertion order. Ranges never overlap, so ordering by
 * start also orders by end.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "eal_vfio_maps.h"

struct vfio_map_node {
	struct vfio_map e;      /* first: vfio_maps_pos_first() casts */
	uint32_t prio;
	struct vfio_map_node *l, *r;
};

_Static_assert(offsetof(struct vfio_map_node, e) == 0,
	"a node must start with its entry");

/* inclusive end, so that a range ending at 2^64 does not wrap */
static inline uint64_t
map_last(const struct vfio_map *e)
{
	return e->iova + (e->len - 1);
}

/* same va -> iova translation (modulo 2^64, like the addresses) */
static inline int
same_delta(const struct vfio_map *e, uint64_t va, uint64_t iova)
{
	return e->va - e->iova == va - iova;
}

static uint32_t
next_prio(struct vfio_maps *m)
{
	/* xorshift32: cheap and good enough to balance */
	m->seed ^= m->seed << 13;
	m->seed ^= m->seed >> 17;
	m->seed ^= m->seed << 5;
	return m->seed;
}

/* first node ending at or after iova */
static struct vfio_map_node *
lower(const struct vfio_maps *m, uint64_t iova)
{
	struct vfio_map_node *t = m->root, *best = NULL;

	while (t != NULL) {
		if (map_last(&t->e) < iova) {
			t = t->r;
		} else {
			best = t;
			t = t->l;
		}
	}
	return best;
}

/* the node with the highest IOVA, found again after it was removed */
static struct vfio_map_node *
max_node(struct vfio_maps *m)
{
	struct vfio_map_node *t = m->root;

	if (m->max != NULL || t == NULL)
		return m->max;
	while (t->r != NULL)
		t = t->r;
	m->max = t;
	return t;
}

/*
 * One descent for both neighbours of iova: pos->first as lower(),
 * pos->prev the last node starting before iova. Ranges do not overlap, so
 * a node ending before iova also starts before it, and the node
 * containing iova (then pos->first) is the last one starting before it.
 * Past the highest entry (maps in increasing IOVA order): no descent.
 * The set is const to the callers; the links recorded and the cached
 * maximum are for the update that follows.
 */
static inline void
locate(const struct vfio_maps *cm, uint64_t iova, struct vfio_maps_pos *pos)
{
	struct vfio_maps *m = (struct vfio_maps *)(uintptr_t)cm;
	struct vfio_map_node **link = &m->root, **first_link = NULL;
	struct vfio_map_node *t, *first = NULL, *prev = NULL;

	t = max_node(m);
	if (t != NULL && map_last(&t->e) < iova) {
		pos->first = NULL;
		pos->first_link = NULL;
		pos->prev = t;
		return;
	}
	while ((t = *link) != NULL) {
		if (map_last(&t->e) < iova) {
			prev = t;
			link = &t->r;
		} else {
			first = t;
			first_link = link;
			link = &t->l;
		}
	}
	pos->first = first;
	pos->first_link = first_link;
	pos->prev = first != NULL && first->e.iova < iova ? first : prev;
}

void
vfio_maps_locate(const struct vfio_maps *m, uint64_t iova,
		struct vfio_maps_pos *where)
{
	locate(m, iova, where);
}

static struct vfio_map_node *
after(const struct vfio_maps *m, const struct vfio_map *e)
{
	if (map_last(e) == UINT64_MAX)
		return NULL;
	return lower(m, map_last(e) + 1);
}

/*
 * *l gets the nodes starting before key (or at it, when incl), *r the
 * rest. Loops rather than recursion, here and below: a descent costs a
 * compare per level, not a call and a return.
 */
static void
split(struct vfio_map_node *t, uint64_t key, bool incl,
		struct vfio_map_node **l, struct vfio_map_node **r)
{
	while (t != NULL) {
		if (t->e.iova < key || (incl && t->e.iova == key)) {
			*l = t;
			l = &t->r;
			t = t->r;
		} else {
			*r = t;
			r = &t->l;
			t = t->l;
		}
	}
	*l = NULL;
	*r = NULL;
}

/* every node of a starts before every node of b: *link gets both */
static void
join_into(struct vfio_map_node **link, struct vfio_map_node *a,
		struct vfio_map_node *b)
{
	while (a != NULL && b != NULL) {
		if (a->prio > b->prio) {
			*link = a;
			link = &a->r;
			a = a->r;
		} else {
			*link = b;
			link = &b->l;
			b = b->l;
		}
	}
	*link = a != NULL ? a : b;
}

static struct vfio_map_node *
join(struct vfio_map_node *a, struct vfio_map_node *b)
{
	struct vfio_map_node *t;

	join_into(&t, a, b);
	return t;
}

/* down to where x's priority belongs, then x takes that subtree apart */
static void
insert(struct vfio_maps *m, struct vfio_map_node *x)
{
	struct vfio_map_node **link = &m->root;

	x->prio = next_prio(m);
	while (*link != NULL && (*link)->prio >= x->prio)
		link = x->e.iova < (*link)->e.iova ? &(*link)->l : &(*link)->r;
	split(*link, x->e.iova, false, &x->l, &x->r);
	*link = x;
	if (m->n == 0 || (m->max != NULL && x->e.iova > m->max->e.iova))
		m->max = x;
	m->n++;
}

static void
node_put(struct vfio_maps *m, struct vfio_map_node *x)
{
	vfio_pool_put(&m->pool, x);
}

/* a node vfio_maps_reserve() made sure of */
static struct vfio_map_node *
node_get(struct vfio_maps *m)
{
	struct vfio_map_node *x = vfio_pool_get(&m->pool);

	if (x == NULL)
		abort(); /* add/remove without vfio_maps_reserve(): a bug */
	return x;
}

/* unlink x, found at *link, its children joined in its place */
static void
erase_at(struct vfio_maps *m, struct vfio_map_node **link,
		struct vfio_map_node *x)
{
	join_into(link, x->l, x->r);
	if (m->max == x)
		m->max = NULL;
	m->n--;
	node_put(m, x);
}

void
vfio_maps_init(struct vfio_maps *m, bool merge)
{
	memset(m, 0, sizeof(*m));
	vfio_pool_init(&m->pool, sizeof(struct vfio_map_node));
	m->merge = merge;
	m->seed = 2463534242u;
}

/* every node lives in the pool's blocks: freeing them frees the tree */
void
vfio_maps_clear(struct vfio_maps *m)
{
	vfio_pool_fini(&m->pool);
	m->root = NULL;
	m->max = NULL;
	m->n = 0;
}

void
vfio_maps_fini(struct vfio_maps *m)
{
	vfio_maps_clear(m);
}

size_t
vfio_maps_bytes(const struct vfio_maps *m)
{
	return vfio_pool_bytes(&m->pool);
}

static unsigned int
height(const struct vfio_map_node *t)
{
	unsigned int l, r;

	if (t == NULL)
		return 0;
	l = height(t->l);
	r = height(t->r);
	return 1 + (l > r ? l : r);
}

unsigned int
vfio_maps_height(const struct vfio_maps *m)
{
	return height(m->root);
}

enum vfio_result
vfio_maps_check_add_pos(const struct vfio_maps *m, uint64_t va, uint64_t iova,
		uint64_t len, struct vfio_map *conflict, struct vfio_maps_pos *where)
{
	uint64_t last = iova + (len - 1);
	const struct vfio_map_node *t;
	const struct vfio_map *e = NULL;
	uint64_t pos = iova;

	locate(m, iova, where);
	t = where->first;

	if (t == NULL || t->e.iova > last)
		return VFIO_OK;
	/* identical only if covered without a gap by the same translation */
	for (; t != NULL && t->e.iova <= last; t = after(m, &t->e)) {
		e = &t->e;
		if (e->iova > pos || !same_delta(e, va, iova))
			break;
		if (map_last(e) >= last)
			return VFIO_ALREADY;
		pos = map_last(e) + 1;
	}
	if (conflict != NULL)
		*conflict = *e;
	return VFIO_EXISTS;
}

enum vfio_result
vfio_maps_check_add(const struct vfio_maps *m, uint64_t va, uint64_t iova,
		uint64_t len, struct vfio_map *conflict)
{
	struct vfio_maps_pos where;

	return vfio_maps_check_add_pos(m, va, iova, len, conflict, &where);
}

enum vfio_result
vfio_maps_check_remove_pos(const struct vfio_maps *m, uint64_t va,
		uint64_t iova, uint64_t len, bool partial,
		struct vfio_maps_pos *where)
{
	uint64_t last = iova + (len - 1);
	const struct vfio_map_node *t, *first, *end;

	locate(m, iova, where);
	t = where->first;
	first = t;
	end = t;
	if (t == NULL || t->e.iova > last)
		return VFIO_NOT_FOUND;
	for (; t != NULL && t->e.iova <= last; t = after(m, &t->e)) {
		if (!same_delta(&t->e, va, iova))
			return VFIO_NOT_FOUND;
		end = t;
		/* ranges do not overlap: the next one starts after last */
		if (map_last(&t->e) >= last)
			break;
	}
	if (partial)
		return VFIO_OK;
	if (first->e.iova < iova || map_last(&end->e) > last)
		return VFIO_UNSUPPORTED;
	return VFIO_OK;
}

enum vfio_result
vfio_maps_check_remove(const struct vfio_maps *m, uint64_t va, uint64_t iova,
		uint64_t len, bool partial)
{
	struct vfio_maps_pos where;

	return vfio_maps_check_remove_pos(m, va, iova, len, partial, &where);
}

/* b directly follows a in both address spaces */
static int
contiguous(const struct vfio_map *a, const struct vfio_map *b)
{
	return a->iova + a->len == b->iova && a->va + a->len == b->va;
}

void
vfio_maps_add_pos(struct vfio_maps *m, const struct vfio_maps_pos *where,
		uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_map e = { .va = va, .iova = iova, .len = len };
	struct vfio_map_node *p, *s, *x;

	if (m->merge) {
		p = where->prev;
		s = where->first;
		if (p != NULL && contiguous(&p->e, &e)) {
			p->e.len += len;
			if (s != NULL && contiguous(&p->e, &s->e)) {
				p->e.len += s->e.len;
				erase_at(m, where->first_link, s);
			}
			return;
		}
		if (s != NULL && contiguous(&e, &s->e)) {
			/* nothing lies between p and s: the order holds */
			s->e.iova = iova;
			s->e.va = va;
			s->e.len += len;
			return;
		}
	}
	x = node_get(m);
	x->e = e;
	insert(m, x);
}

void
vfio_maps_add(struct vfio_maps *m, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_maps_pos where;

	locate(m, iova, &where);
	vfio_maps_add_pos(m, &where, va, iova, len);
}

/* free the nodes of t, except one reaching past last: returned, trimmed */
static struct vfio_map_node *
drop_range(struct vfio_maps *m, struct vfio_map_node *t, uint64_t last)
{
	struct vfio_map_node *keep = NULL, *k;

	if (t == NULL)
		return NULL;
	k = drop_range(m, t->l, last);
	if (k != NULL)
		keep = k;
	k = drop_range(m, t->r, last);
	if (k != NULL)
		keep = k;
	if (map_last(&t->e) > last) {
		uint64_t off = last + 1 - t->e.iova;

		t->e.iova += off;
		t->e.va += off;
		t->e.len -= off;
		t->l = NULL;
		t->r = NULL;
		return t;
	}
	m->n--;
	node_put(m, t);
	return keep;
}

void
vfio_maps_remove_pos(struct vfio_maps *m, const struct vfio_maps_pos *where,
		uint64_t iova, uint64_t len)
{
	uint64_t last = iova + (len - 1), off;
	struct vfio_map_node *e = where->first, *a, *mid, *b, *x;

	if (e == NULL || e->e.iova > last)
		return;
	if (e->e.iova == iova && map_last(&e->e) == last) {
		/* the usual unmap: exactly one entry, no descent */
		erase_at(m, where->first_link, e);
		return;
	}
	if (e->e.iova < iova && map_last(&e->e) > last) {
		/* hole in the middle: e keeps the head, a new node the tail */
		off = last + 1 - e->e.iova;
		x = node_get(m);
		x->e.va = e->e.va + off;
		x->e.iova = last + 1;
		x->e.len = e->e.len - off;
		e->e.len = iova - e->e.iova;
		insert(m, x);
		return;
	}
	if (e->e.iova < iova)
		e->e.len = iova - e->e.iova; /* keeps its head */
	split(m->root, iova, false, &a, &mid);
	split(mid, last, true, &mid, &b);
	x = drop_range(m, mid, last);
	if (x != NULL) {
		x->prio = next_prio(m);
		b = join(x, b);
	}
	m->root = join(a, b);
	m->max = NULL; /* found again when needed */
}

void
vfio_maps_remove(struct vfio_maps *m, uint64_t iova, uint64_t len)
{
	struct vfio_maps_pos where;

	locate(m, iova, &where);
	vfio_maps_remove_pos(m, &where, iova, len);
}

const struct vfio_map *
vfio_maps_first_from(const struct vfio_maps *m, uint64_t iova)
{
	const struct vfio_map_node *t = lower(m, iova);

	return t != NULL ? &t->e : NULL;
}

const struct vfio_map *
vfio_maps_first(const struct vfio_maps *m)
{
	return vfio_maps_first_from(m, 0);
}

const struct vfio_map *
vfio_maps_next_entry(const struct vfio_maps *m, const struct vfio_map *e)
{
	const struct vfio_map_node *t = after(m, e);

	return t != NULL ? &t->e : NULL;
}
