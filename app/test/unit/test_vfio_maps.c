/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* The DMA mapping bookkeeping on its own: semantics and scale. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_common.h>

#include "eal_vfio_maps.h"

#define PG 4096ULL

static void
add_ok(struct vfio_maps *m, uint64_t va, uint64_t iova, uint64_t len)
{
	assert_int_equal(vfio_maps_check_add(m, va, iova, len, NULL), VFIO_OK);
	assert_int_equal(vfio_maps_reserve(m), VFIO_OK);
	vfio_maps_add(m, va, iova, len);
}

static void
remove_ok(struct vfio_maps *m, uint64_t va, uint64_t iova, uint64_t len,
		bool partial)
{
	assert_int_equal(vfio_maps_check_remove(m, va, iova, len, partial),
		VFIO_OK);
	assert_int_equal(vfio_maps_reserve(m), VFIO_OK);
	vfio_maps_remove(m, iova, len);
}

/* the entry containing iova, or NULL */
static const struct vfio_map *
containing(const struct vfio_maps *m, uint64_t iova)
{
	const struct vfio_map *e = vfio_maps_first_from(m, iova);

	return e != NULL && e->iova <= iova ? e : NULL;
}

/* the i-th entry in IOVA order */
static const struct vfio_map *
entry(const struct vfio_maps *m, size_t i)
{
	const struct vfio_map *e = vfio_maps_first(m);

	while (e != NULL && i-- > 0)
		e = vfio_maps_next_entry(m, e);
	assert_non_null(e);
	return e;
}

/* entries sorted, non-overlapping and non-empty, as many as counted */
static void
check_invariants(const struct vfio_maps *m)
{
	const struct vfio_map *e, *prev = NULL;
	size_t n = 0;

	for (e = vfio_maps_first(m); e != NULL; e = vfio_maps_next_entry(m, e)) {
		assert_true(e->len > 0);
		if (prev != NULL)
			assert_true(prev->iova + prev->len <= e->iova);
		prev = e;
		n++;
	}
	assert_int_equal(n, m->n);
}

static void
test_identical_remap_is_already(void **state)
{
	struct vfio_maps m;

	(void)state;
	vfio_maps_init(&m, false);
	add_ok(&m, 0x100000, 0x10000, 4 * PG);
	assert_int_equal(vfio_maps_check_add(&m, 0x100000, 0x10000, 4 * PG,
		NULL), VFIO_ALREADY);
	/* a sub-range with the same translation is already mapped too */
	assert_int_equal(vfio_maps_check_add(&m, 0x101000, 0x11000, PG, NULL),
		VFIO_ALREADY);
	assert_int_equal(m.n, 1);
	vfio_maps_fini(&m);
}

static void
test_overlap_other_vaddr_is_exists(void **state)
{
	struct vfio_maps m;
	struct vfio_map c = { 0, 0, 0 };

	(void)state;
	vfio_maps_init(&m, false);
	add_ok(&m, 0x100000, 0x10000, 4 * PG);
	assert_int_equal(vfio_maps_check_add(&m, 0x200000, 0x12000, 4 * PG,
		&c), VFIO_EXISTS);
	assert_int_equal(c.va, 0x100000);
	assert_int_equal(c.iova, 0x10000);
	assert_int_equal(c.len, 4 * PG);
	/* same translation but sticking out of the mapping: not identical */
	assert_int_equal(vfio_maps_check_add(&m, 0x102000, 0x12000, 4 * PG,
		NULL), VFIO_EXISTS);
	/* same translation, two entries with a gap between them */
	add_ok(&m, 0x106000, 0x16000, PG);
	assert_int_equal(vfio_maps_check_add(&m, 0x100000, 0x10000, 7 * PG,
		NULL), VFIO_EXISTS);
	assert_int_equal(m.n, 2);
	vfio_maps_fini(&m);
}

static void
test_adjacent_ranges_do_not_conflict(void **state)
{
	struct vfio_maps m;

	(void)state;
	vfio_maps_init(&m, false);
	add_ok(&m, 0x100000, 0x10000, PG);
	add_ok(&m, 0x500000, 0x11000, PG);
	add_ok(&m, 0x900000, 0xf000, PG);
	assert_int_equal(m.n, 3);
	check_invariants(&m);
	assert_non_null(containing(&m, 0x11fff));
	assert_int_equal(containing(&m, 0x11fff)->va, 0x500000);
	assert_null(containing(&m, 0x12000));
	assert_null(containing(&m, 0xe000));
	vfio_maps_fini(&m);
}

static void
test_unmap_nothing_is_not_found(void **state)
{
	struct vfio_maps m;

	(void)state;
	vfio_maps_init(&m, false);
	assert_int_equal(vfio_maps_check_remove(&m, 0, 0, PG, false),
		VFIO_NOT_FOUND);
	add_ok(&m, 0x100000, 0x10000, PG);
	assert_int_equal(vfio_maps_check_remove(&m, 0x200000, 0x20000, PG,
		false), VFIO_NOT_FOUND);
	/* right IOVA, other vaddr: not this mapping */
	assert_int_equal(vfio_maps_check_remove(&m, 0x200000, 0x10000, PG,
		false), VFIO_NOT_FOUND);
	vfio_maps_fini(&m);
}

static void
test_partial_unmap_unsupported_keeps_entries(void **state)
{
	struct vfio_maps m;

	(void)state;
	vfio_maps_init(&m, false);
	add_ok(&m, 0x100000, 0x10000, 4 * PG);
	assert_int_equal(vfio_maps_check_remove(&m, 0x100000, 0x10000, PG,
		false), VFIO_UNSUPPORTED);
	assert_int_equal(vfio_maps_check_remove(&m, 0x0ff000, 0xf000, 2 * PG,
		false), VFIO_UNSUPPORTED);
	assert_int_equal(m.n, 1);
	assert_int_equal(entry(&m, 0)->len, 4 * PG);
	vfio_maps_fini(&m);
}

static void
test_unmap_whole_entries_at_once(void **state)
{
	struct vfio_maps m;

	(void)state;
	vfio_maps_init(&m, false);
	add_ok(&m, 0x100000, 0x10000, PG);
	add_ok(&m, 0x101000, 0x11000, PG);
	add_ok(&m, 0x103000, 0x13000, PG);
	add_ok(&m, 0x104000, 0x14000, PG);
	/* not merged: each one stays as the kernel knows it */
	assert_int_equal(m.n, 4);
	remove_ok(&m, 0x101000, 0x11000, 3 * PG, false);
	assert_int_equal(m.n, 2);
	assert_int_equal(entry(&m, 0)->iova, 0x10000);
	assert_int_equal(entry(&m, 1)->iova, 0x14000);
	vfio_maps_fini(&m);
}

static void
test_merge_and_partial_unmap(void **state)
{
	struct vfio_maps m;

	(void)state;
	vfio_maps_init(&m, true);
	add_ok(&m, 0x100000, 0x10000, PG);
	add_ok(&m, 0x102000, 0x12000, PG);
	add_ok(&m, 0x101000, 0x11000, PG);
	assert_int_equal(m.n, 1);
	assert_int_equal(entry(&m, 0)->len, 3 * PG);
	/* contiguous in IOVA but not in VA: kept apart */
	add_ok(&m, 0x900000, 0x13000, PG);
	assert_int_equal(m.n, 2);
	/* hole in the middle */
	remove_ok(&m, 0x101000, 0x11000, PG, true);
	assert_int_equal(m.n, 3);
	assert_int_equal(entry(&m, 0)->iova, 0x10000);
	assert_int_equal(entry(&m, 0)->len, PG);
	assert_int_equal(entry(&m, 1)->iova, 0x12000);
	assert_int_equal(entry(&m, 1)->va, 0x102000);
	/* head of one, whole of the next */
	remove_ok(&m, 0x102000, 0x12000, PG, true);
	assert_int_equal(m.n, 2);
	add_ok(&m, 0x901000, 0x14000, 2 * PG);
	assert_int_equal(m.n, 2);
	remove_ok(&m, 0x901000, 0x14000, PG, true);
	assert_int_equal(m.n, 3);
	assert_int_equal(entry(&m, 2)->iova, 0x15000);
	assert_int_equal(entry(&m, 2)->va, 0x902000);
	check_invariants(&m);
	vfio_maps_fini(&m);
}

static void
test_range_ending_at_top_of_space(void **state)
{
	struct vfio_maps m;
	uint64_t top = UINT64_MAX - PG + 1;

	(void)state;
	vfio_maps_init(&m, false);
	add_ok(&m, 0x100000, top, PG);
	assert_non_null(containing(&m, UINT64_MAX));
	assert_int_equal(vfio_maps_check_add(&m, 0x100000, top, PG, NULL),
		VFIO_ALREADY);
	add_ok(&m, 0x200000, 0, PG);
	remove_ok(&m, 0x100000, top, PG, false);
	assert_int_equal(m.n, 1);
	vfio_maps_fini(&m);
}

#define MANY 100000

static void
test_many_maps_random_order(void **state)
{
	struct vfio_maps m;
	uint32_t *order;
	size_t i;

	(void)state;
	order = malloc(MANY * sizeof(*order));
	assert_non_null(order);
	for (i = 0; i < MANY; i++)
		order[i] = i;
	srand(1);
	for (i = MANY - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	vfio_maps_init(&m, false);
	/* every other page, so that nothing is adjacent */
	for (i = 0; i < MANY; i++)
		add_ok(&m, 0x40000000 + order[i] * 2 * PG,
			order[i] * 2 * PG, PG);
	assert_int_equal(m.n, MANY);
	check_invariants(&m);
	for (i = 0; i < MANY; i++) {
		const struct vfio_map *e = containing(&m, i * 2 * PG + 7);

		assert_non_null(e);
		assert_int_equal(e->va, 0x40000000 + i * 2 * PG);
		assert_null(containing(&m, i * 2 * PG + PG));
	}
	for (i = 0; i < MANY; i += 2)
		remove_ok(&m, 0x40000000 + i * 2 * PG, i * 2 * PG, PG, false);
	assert_int_equal(m.n, MANY / 2);
	check_invariants(&m);
	vfio_maps_fini(&m);
	free(order);
}

/* ---- random operations against a page-by-page model ------------------- */

#define MODEL_PAGES 512
#define MODEL_OPS 20000

/* va of each IOVA page, 0 when unmapped */
static uint64_t model[MODEL_PAGES];

static void
check_model(const struct vfio_maps *m)
{
	uint64_t seen[MODEL_PAGES] = { 0 };
	const struct vfio_map *e, *prev = NULL;
	uint64_t i;

	for (e = vfio_maps_first(m); e != NULL; e = vfio_maps_next_entry(m, e)) {
		/* merged as far as possible */
		if (prev != NULL)
			assert_false(prev->iova + prev->len == e->iova &&
				prev->va + prev->len == e->va);
		for (i = 0; i < e->len / PG; i++)
			seen[e->iova / PG + i] = e->va + i * PG;
		prev = e;
	}
	assert_memory_equal(seen, model, sizeof(model));
	check_invariants(m);
}

/*
 * use_pos: the one-lookup calls of the DMA transaction (check_*_pos, then
 * add_pos/remove_pos after a reserve that must not move the position);
 * else the plain calls, each with its own lookup.
 */
static void
random_ops(bool use_pos)
{
	struct vfio_maps_pos where;
	struct vfio_maps m;
	int op;

	memset(model, 0, sizeof(model));
	vfio_maps_init(&m, true);
	srand(7);
	for (op = 0; op < MODEL_OPS; op++) {
		uint64_t first = (uint64_t)rand() % MODEL_PAGES;
		uint64_t n = 1 + (uint64_t)rand() % 16;
		/* few translations, so that identical re-maps happen */
		uint64_t delta = (1 + (uint64_t)rand() % 3) << 32;
		uint64_t iova = first * PG, va = iova + delta, i;
		bool any = false, all = true, same = true;
		enum vfio_result want, got;

		if (first + n > MODEL_PAGES)
			n = MODEL_PAGES - first;
		for (i = first; i < first + n; i++) {
			any |= model[i] != 0;
			all &= model[i] != 0;
			same &= model[i] == 0 || model[i] == va + (i - first) * PG;
		}
		if (rand() % 2 == 0) {
			want = !any ? VFIO_OK : all && same ? VFIO_ALREADY :
				VFIO_EXISTS;
			got = use_pos ? vfio_maps_check_add_pos(&m, va, iova,
					n * PG, NULL, &where) :
				vfio_maps_check_add(&m, va, iova, n * PG, NULL);
			assert_int_equal(got, want);
			if (got == VFIO_OK) {
				assert_int_equal(vfio_maps_reserve(&m), VFIO_OK);
				if (use_pos)
					vfio_maps_add_pos(&m, &where, va, iova,
						n * PG);
				else
					vfio_maps_add(&m, va, iova, n * PG);
				for (i = first; i < first + n; i++)
					model[i] = va + (i - first) * PG;
			}
		} else {
			want = any && same ? VFIO_OK : VFIO_NOT_FOUND;
			got = use_pos ? vfio_maps_check_remove_pos(&m, va,
					iova, n * PG, true, &where) :
				vfio_maps_check_remove(&m, va, iova, n * PG,
					true);
			assert_int_equal(got, want);
			if (got == VFIO_OK) {
				assert_int_equal(vfio_maps_reserve(&m), VFIO_OK);
				if (use_pos)
					vfio_maps_remove_pos(&m, &where, iova,
						n * PG);
				else
					vfio_maps_remove(&m, iova, n * PG);
				for (i = first; i < first + n; i++)
					model[i] = 0;
			}
		}
		check_model(&m);
	}
	vfio_maps_fini(&m);
}

static void
test_random_ops_match_page_model(void **state)
{
	(void)state;
	random_ops(false);
}

static void
test_random_ops_one_lookup_match_page_model(void **state)
{
	(void)state;
	random_ops(true);
}

/*
 * The position a check records: the entry containing or following the
 * range, and the one before it; the unmap of exactly one entry, of the
 * first, the last and a middle one, keeps the others in order.
 */
static void
test_position_of_a_check(void **state)
{
	struct vfio_maps_pos where;
	const struct vfio_map *e;
	struct vfio_maps m;
	uint64_t i;

	(void)state;
	vfio_maps_init(&m, false);
	for (i = 0; i < 8; i++)
		add_ok(&m, 0x10000000 + i * 4 * PG, i * 4 * PG, PG);
	/* in a gap: first is the next entry, the previous one before it */
	assert_int_equal(vfio_maps_check_add_pos(&m, 0x10000000 + 9 * PG,
		9 * PG, PG, NULL, &where), VFIO_OK);
	e = vfio_maps_pos_first(&where);
	assert_non_null(e);
	assert_int_equal(e->iova, 12 * PG);
	/* below everything, above everything */
	vfio_maps_locate(&m, 0, &where);
	assert_int_equal(vfio_maps_pos_first(&where)->iova, 0);
	vfio_maps_locate(&m, 29 * PG, &where);
	assert_null(vfio_maps_pos_first(&where));
	/* inside an entry: that entry */
	vfio_maps_locate(&m, 8 * PG + 100, &where);
	assert_int_equal(vfio_maps_pos_first(&where)->iova, 8 * PG);
	/* exact unmaps: last, first, a middle one */
	for (i = 7; ; i = i == 7 ? 0 : 4) {
		assert_int_equal(vfio_maps_check_remove_pos(&m,
			0x10000000 + i * 4 * PG, i * 4 * PG, PG, false, &where),
			VFIO_OK);
		assert_int_equal(vfio_maps_reserve(&m), VFIO_OK);
		vfio_maps_remove_pos(&m, &where, i * 4 * PG, PG);
		assert_null(containing(&m, i * 4 * PG));
		check_invariants(&m);
		if (i == 4)
			break;
	}
	assert_int_equal(m.n, 5);
	assert_int_equal(entry(&m, 0)->iova, 4 * PG);
	assert_int_equal(entry(&m, 2)->iova, 12 * PG);
	assert_int_equal(entry(&m, 3)->iova, 20 * PG);
	vfio_maps_fini(&m);
}

/* ---- increasing order (no descent), links, node blocks ---------------- */

#define ORDERED 65536

/* the one-lookup sequence of the DMA path: check, reserve, update */
static void
add_pos_ok(struct vfio_maps *m, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_maps_pos where;

	assert_int_equal(vfio_maps_check_add_pos(m, va, iova, len, NULL,
		&where), VFIO_OK);
	assert_int_equal(vfio_maps_reserve(m), VFIO_OK);
	vfio_maps_add_pos(m, &where, va, iova, len);
}

static void
remove_pos_ok(struct vfio_maps *m, uint64_t va, uint64_t iova, uint64_t len)
{
	struct vfio_maps_pos where;

	assert_int_equal(vfio_maps_check_remove_pos(m, va, iova, len, false,
		&where), VFIO_OK);
	assert_int_equal(vfio_maps_reserve(m), VFIO_OK);
	vfio_maps_remove_pos(m, &where, iova, len);
}

static void
test_increasing_order_stays_balanced(void **state)
{
	struct vfio_maps m;
	size_t i;

	(void)state;
	vfio_maps_init(&m, false);
	for (i = 0; i < ORDERED; i++)
		add_pos_ok(&m, 0x40000000 + i * 2 * PG, i * 2 * PG, PG);
	check_invariants(&m);
	/* a list would be 65536 deep; a treap about 3 log2(n) */
	assert_true(vfio_maps_height(&m) <= 64);
	/* about 48 bytes an entry, in 4 KiB blocks */
	assert_true(vfio_maps_bytes(&m) >= ORDERED * 40);
	assert_true(vfio_maps_bytes(&m) <= ORDERED * 64);
	/* in map order: each entry removed where its check found it */
	for (i = 0; i < ORDERED; i++) {
		remove_pos_ok(&m, 0x40000000 + i * 2 * PG, i * 2 * PG, PG);
		if (i % 4096 == 0) {
			check_invariants(&m);
			assert_true(vfio_maps_height(&m) <= 64);
		}
	}
	assert_int_equal(m.n, 0);
	assert_null(vfio_maps_first(&m));
	/* the blocks went back as they emptied: at most two kept */
	assert_true(vfio_maps_bytes(&m) <= 2 * VFIO_POOL_BLOCK_SIZE);
	vfio_maps_fini(&m);
	assert_int_equal(vfio_maps_bytes(&m), 0);
}

/*
 * Removing the highest entry forgets it; the next check past it must find
 * the new highest one, not the old, and conflicts with it.
 */
static void
test_highest_entry_removed_then_found_again(void **state)
{
	struct vfio_maps m;
	struct vfio_map c;
	size_t i;

	(void)state;
	vfio_maps_init(&m, false);
	for (i = 0; i < 1000; i++)
		add_pos_ok(&m, 0x40000000 + i * 2 * PG, i * 2 * PG, PG);
	/*
	 * the highest entry goes and its node is used again lower down: the
	 * set must not take that node for the highest one
	 */
	remove_pos_ok(&m, 0x40000000 + 999 * 2 * PG, 999 * 2 * PG, PG);
	add_pos_ok(&m, 0x1000, 10 * 2 * PG + PG, PG);
	assert_int_equal(vfio_maps_check_add(&m, 0x1000, 998 * 2 * PG, PG,
		NULL), VFIO_EXISTS);
	remove_pos_ok(&m, 0x1000, 10 * 2 * PG + PG, PG);
	/* reverse order: the highest entry each time */
	for (i = 998; i >= 500; i--)
		remove_pos_ok(&m, 0x40000000 + i * 2 * PG, i * 2 * PG, PG);
	assert_int_equal(m.n, 500);
	/* the highest is now entry 499 */
	assert_int_equal(vfio_maps_check_add(&m, 0x40000000 + 499 * 2 * PG,
		499 * 2 * PG, PG, NULL), VFIO_ALREADY);
	assert_int_equal(vfio_maps_check_add(&m, 0x1000, 499 * 2 * PG, PG,
		&c), VFIO_EXISTS);
	assert_int_equal(c.iova, 499 * 2 * PG);
	/* past it, where entries used to be */
	assert_int_equal(vfio_maps_check_add(&m, 0x1000, 500 * 2 * PG, PG,
		NULL), VFIO_OK);
	add_pos_ok(&m, 0x1000, 700 * 2 * PG, PG);
	add_pos_ok(&m, 0x2000, 600 * 2 * PG, PG);
	assert_int_equal(vfio_maps_check_add(&m, 0x3000, 700 * 2 * PG, PG,
		NULL), VFIO_EXISTS);
	check_invariants(&m);
	assert_int_equal(entry(&m, 500)->iova, 600 * 2 * PG);
	assert_int_equal(entry(&m, 501)->iova, 700 * 2 * PG);
	/* a removal across entries rebuilds the tree: found again too */
	remove_ok(&m, 0x40000000 + 400 * 2 * PG, 400 * 2 * PG, 100 * 2 * PG - PG,
		false);
	assert_int_equal(m.n, 402);
	assert_int_equal(vfio_maps_check_add(&m, 0x2000, 600 * 2 * PG, PG,
		NULL), VFIO_ALREADY);
	assert_int_equal(vfio_maps_check_add(&m, 0x5000, 800 * 2 * PG, PG,
		NULL), VFIO_OK);
	check_invariants(&m);
	vfio_maps_fini(&m);
}

static void
test_pool_blocks_follow_use(void **state)
{
	struct vfio_pool p;
	void *obj[256], *extra;
	unsigned int i, n;

	(void)state;
	vfio_pool_init(&p, 48);
	n = p.per_block;
	assert_true(n >= 64 && 2 * n <= RTE_DIM(obj));
	assert_null(vfio_pool_get(&p)); /* nothing reserved */
	for (i = 0; i < n; i++) {
		assert_int_equal(vfio_pool_reserve(&p, 1), VFIO_OK);
		obj[i] = vfio_pool_get(&p);
		assert_non_null(obj[i]);
		memset(obj[i], 0xa5, 48); /* whole object: ASan checks it */
	}
	assert_int_equal(vfio_pool_bytes(&p), VFIO_POOL_BLOCK_SIZE);
	/* a second block for the next one; kept while it is all the room */
	assert_int_equal(vfio_pool_reserve(&p, 1), VFIO_OK);
	assert_int_equal(vfio_pool_bytes(&p), 2 * VFIO_POOL_BLOCK_SIZE);
	for (i = 0; i < 100; i++) {
		extra = vfio_pool_get(&p);
		assert_non_null(extra);
		vfio_pool_put(&p, extra);
		assert_int_equal(vfio_pool_bytes(&p),
			2 * VFIO_POOL_BLOCK_SIZE);
	}
	/* objects are distinct */
	for (i = 1; i < n; i++)
		assert_ptr_not_equal(obj[i], obj[i - 1]);
	/* the first block empties while the second is free: it goes */
	for (i = 0; i < n; i++)
		vfio_pool_put(&p, obj[i]);
	assert_int_equal(vfio_pool_bytes(&p), VFIO_POOL_BLOCK_SIZE);
	/* a reservation of more than a block */
	assert_int_equal(vfio_pool_reserve(&p, 2 * n), VFIO_OK);
	for (i = 0; i < 2 * n; i++)
		obj[i] = vfio_pool_get(&p);
	assert_non_null(obj[2 * n - 1]);
	assert_null(vfio_pool_get(&p));
	vfio_pool_fini(&p); /* objects in use go with it */
	assert_int_equal(vfio_pool_bytes(&p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_remap_is_already),
		cmocka_unit_test(test_overlap_other_vaddr_is_exists),
		cmocka_unit_test(test_adjacent_ranges_do_not_conflict),
		cmocka_unit_test(test_unmap_nothing_is_not_found),
		cmocka_unit_test(test_partial_unmap_unsupported_keeps_entries),
		cmocka_unit_test(test_unmap_whole_entries_at_once),
		cmocka_unit_test(test_merge_and_partial_unmap),
		cmocka_unit_test(test_range_ending_at_top_of_space),
		cmocka_unit_test(test_many_maps_random_order),
		cmocka_unit_test(test_random_ops_match_page_model),
		cmocka_unit_test(test_random_ops_one_lookup_match_page_model),
		cmocka_unit_test(test_position_of_a_check),
		cmocka_unit_test(test_increasing_order_stays_balanced),
		cmocka_unit_test(test_highest_entry_removed_then_found_again),
		cmocka_unit_test(test_pool_blocks_follow_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
