/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Segment lists seen through the shared configuration: hotplug lock,
 * walks, lookups, memory event callbacks.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"

struct eal_mem_config *eal_mcfg;

int
eal_mcfg_locks_init(struct eal_mem_config *mcfg)
{
	pthread_rwlockattr_t rwa;
	pthread_mutexattr_t ma;
	int ret;

	pthread_rwlockattr_init(&rwa);
	pthread_rwlockattr_setpshared(&rwa, PTHREAD_PROCESS_SHARED);
	ret = pthread_rwlock_init(&mcfg->mem_lock, &rwa);
	pthread_rwlockattr_destroy(&rwa);
	if (ret != 0)
		goto fail;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	ret = pthread_mutex_init(&mcfg->heap_lock, &ma);
	pthread_mutexattr_destroy(&ma);
	if (ret == 0)
		return 0;
	pthread_rwlock_destroy(&mcfg->mem_lock);
fail:
	EAL_LOG(ERR, "memory config: lock initialisation failed: %s",
		strerror(ret));
	rte_errno = ret;
	return -1;
}

void
rte_mcfg_mem_read_lock(void)
{
	if (eal_mcfg != NULL)
		pthread_rwlock_rdlock(&eal_mcfg->mem_lock);
}

void
rte_mcfg_mem_read_unlock(void)
{
	if (eal_mcfg != NULL)
		pthread_rwlock_unlock(&eal_mcfg->mem_lock);
}

void
rte_mcfg_mem_write_lock(void)
{
	if (eal_mcfg != NULL)
		pthread_rwlock_wrlock(&eal_mcfg->mem_lock);
}

void
rte_mcfg_mem_write_unlock(void)
{
	if (eal_mcfg != NULL)
		pthread_rwlock_unlock(&eal_mcfg->mem_lock);
}

int
eal_mcfg_heap_lock(void)
{
	pthread_mutex_lock(&eal_mcfg->heap_lock);
	/* a secondary must see every page the heap may touch */
	if (eal_memalloc_sync_with_primary() == 0)
		return 0;
	pthread_mutex_unlock(&eal_mcfg->heap_lock);
	return -1;
}

void
eal_mcfg_heap_unlock(void)
{
	pthread_mutex_unlock(&eal_mcfg->heap_lock);
}

/* Walks. */

/* Next used segment at or after *i, or 0 when none. */
static int
next_used(const struct rte_memseg_list *msl, uint32_t *i)
{
	const uint64_t *map = eal_list_bitmap(msl);
	uint32_t k = *i;

	while (k < msl->n_segs) {
		uint64_t w = map[k / 64] >> (k % 64);

		if (w == 0) {
			k = RTE_ALIGN_FLOOR(k, 64u) + 64;
			continue;
		}
		k += (uint32_t)__builtin_ctzll(w);
		if (k >= msl->n_segs)
			break;
		*i = k;
		return 1;
	}
	return 0;
}

int
rte_memseg_list_walk_thread_unsafe(rte_memseg_list_walk_t func, void *arg)
{
	unsigned int i;
	int ret;

	if (eal_mcfg == NULL)
		return 0;
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &eal_mcfg->lists[i];

		if (!eal_list_in_use(msl))
			continue;
		ret = func(msl, arg);
		if (ret != 0)
			return ret < 0 ? -1 : 1;
	}
	return 0;
}

int
rte_memseg_walk_thread_unsafe(rte_memseg_walk_t func, void *arg)
{
	unsigned int i;
	int ret;

	if (eal_mcfg == NULL)
		return 0;
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &eal_mcfg->lists[i];
		const struct rte_memseg *segs;
		uint32_t k = 0;

		if (!eal_list_in_use(msl))
			continue;
		segs = eal_list_segs(msl);
		for (; next_used(msl, &k); k++) {
			ret = func(msl, &segs[k], arg);
			if (ret != 0)
				return ret < 0 ? -1 : 1;
		}
	}
	return 0;
}

int
rte_memseg_contig_walk_thread_unsafe(rte_memseg_contig_walk_t func, void *arg)
{
	unsigned int i;
	int ret;

	if (eal_mcfg == NULL)
		return 0;
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &eal_mcfg->lists[i];
		const uint64_t *map;
		const struct rte_memseg *segs;
		uint32_t k = 0, end;

		if (!eal_list_in_use(msl))
			continue;
		segs = eal_list_segs(msl);
		map = eal_list_bitmap(msl);
		while (next_used(msl, &k)) {
			for (end = k + 1; end < msl->n_segs &&
					eal_bit_test(map, end); end++)
				;
			ret = func(msl, &segs[k], (size_t)(end - k) *
				msl->page_sz, arg);
			if (ret != 0)
				return ret < 0 ? -1 : 1;
			k = end;
		}
	}
	return 0;
}

/* A secondary first maps what the primary added. */
static void
walk_sync(void)
{
	if (rte_eal_process_type() == RTE_PROC_SECONDARY)
		eal_memalloc_sync_with_primary();
}

int
rte_memseg_walk(rte_memseg_walk_t func, void *arg)
{
	int ret;

	walk_sync();
	rte_mcfg_mem_read_lock();
	ret = rte_memseg_walk_thread_unsafe(func, arg);
	rte_mcfg_mem_read_unlock();
	return ret;
}

int
rte_memseg_contig_walk(rte_memseg_contig_walk_t func, void *arg)
{
	int ret;

	walk_sync();
	rte_mcfg_mem_read_lock();
	ret = rte_memseg_contig_walk_thread_unsafe(func, arg);
	rte_mcfg_mem_read_unlock();
	return ret;
}

int
rte_memseg_list_walk(rte_memseg_list_walk_t func, void *arg)
{
	int ret;

	walk_sync();
	rte_mcfg_mem_read_lock();
	ret = rte_memseg_list_walk_thread_unsafe(func, arg);
	rte_mcfg_mem_read_unlock();
	return ret;
}

/* Lookups. */

struct rte_memseg_list *
rte_mem_virt2memseg_list(const void *virt)
{
	uintptr_t va = (uintptr_t)virt;
	unsigned int i;

	if (eal_mcfg != NULL) {
		for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
			struct rte_memseg_list *msl = &eal_mcfg->lists[i];
			uintptr_t base = (uintptr_t)msl->base_va;

			if (eal_list_in_use(msl) && va >= base &&
					va - base < msl->len)
				return msl;
		}
	}
	rte_errno = ENOENT;
	return NULL;
}

struct rte_memseg *
rte_mem_virt2memseg(const void *virt, const struct rte_memseg_list *msl)
{
	uintptr_t off;
	uint32_t k;

	if (msl == NULL)
		msl = rte_mem_virt2memseg_list(virt);
	if (msl == NULL || (uintptr_t)virt < (uintptr_t)msl->base_va)
		goto none;
	off = (uintptr_t)virt - (uintptr_t)msl->base_va;
	if (off >= msl->len)
		goto none;
	k = (uint32_t)(off / msl->page_sz);
	if (!eal_bit_test(eal_list_bitmap(msl), k))
		goto none;
	return &eal_list_segs(msl)[k];
none:
	rte_errno = ENOENT;
	return NULL;
}

rte_iova_t
rte_mem_virt2iova(const void *virt)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(virt, NULL);

	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return ms->iova + RTE_PTR_DIFF(virt, ms->addr);
}

struct iova2virt {
	rte_iova_t iova;
	void *virt;
};

static int
iova2virt_cb(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct iova2virt *q = arg;

	if (ms->iova == RTE_BAD_IOVA || q->iova < ms->iova ||
			q->iova - ms->iova >= ms->len)
		return 0;
	q->virt = RTE_PTR_ADD(ms->addr, q->iova - ms->iova);
	return 1;
}

void *
rte_mem_iova2virt(rte_iova_t iova)
{
	struct iova2virt q = { .iova = iova, .virt = NULL };

	if (iova == RTE_BAD_IOVA)
		return NULL;
	rte_memseg_walk_thread_unsafe(iova2virt_cb, &q);
	return q.virt;
}

/* Memory event callbacks: process-local, in registration order. */

struct mem_event_callback {
	TAILQ_ENTRY(mem_event_callback) next;
	char name[RTE_MEM_EVENT_CALLBACK_NAME_LEN];
	rte_mem_event_callback_t clb;   /* or: */
	eal_mem_event_check_t check;    /* may refuse an allocation */
	void *arg;
};

static TAILQ_HEAD(mem_event_callback_list, mem_event_callback) callbacks =
	TAILQ_HEAD_INITIALIZER(callbacks);
static pthread_rwlock_t callbacks_lock = PTHREAD_RWLOCK_INITIALIZER;

static struct mem_event_callback *
callback_find(const char *name, void *arg)
{
	struct mem_event_callback *cb;

	TAILQ_FOREACH(cb, &callbacks, next)
		if (cb->arg == arg && strcmp(cb->name, name) == 0)
			return cb;
	return NULL;
}

static int
callback_add(const char *name, rte_mem_event_callback_t clb,
		eal_mem_event_check_t check, void *arg)
{
	struct mem_event_callback *cb;

	if (name == NULL || (clb == NULL && check == NULL) ||
			strlen(name) >= RTE_MEM_EVENT_CALLBACK_NAME_LEN) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_rwlock_wrlock(&callbacks_lock);
	if (callback_find(name, arg) != NULL) {
		pthread_rwlock_unlock(&callbacks_lock);
		rte_errno = EEXIST;
		return -1;
	}
	cb = calloc(1, sizeof(*cb));
	if (cb == NULL) {
		pthread_rwlock_unlock(&callbacks_lock);
		rte_errno = ENOMEM;
		return -1;
	}
	strcpy(cb->name, name);
	cb->clb = clb;
	cb->check = check;
	cb->arg = arg;
	TAILQ_INSERT_TAIL(&callbacks, cb, next);
	pthread_rwlock_unlock(&callbacks_lock);
	EAL_LOG(DEBUG, "memory event callback '%s' registered", name);
	return 0;
}

int
rte_mem_event_callback_register(const char *name, rte_mem_event_callback_t clb,
		void *arg)
{
	if (clb == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	return callback_add(name, clb, NULL, arg);
}

int
eal_mem_event_callback_register_checked(const char *name,
		eal_mem_event_check_t clb, void *arg)
{
	if (clb == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	return callback_add(name, NULL, clb, arg);
}

int
rte_mem_event_callback_unregister(const char *name, void *arg)
{
	struct mem_event_callback *cb;

	if (name == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_rwlock_wrlock(&callbacks_lock);
	cb = callback_find(name, arg);
	if (cb != NULL)
		TAILQ_REMOVE(&callbacks, cb, next);
	pthread_rwlock_unlock(&callbacks_lock);
	if (cb == NULL) {
		rte_errno = ENOENT;
		return -1;
	}
	free(cb);
	return 0;
}

static int
callback_call(const struct mem_event_callback *cb, enum rte_mem_event type,
		const void *addr, size_t len)
{
	if (cb->check != NULL)
		return cb->check(type, addr, len, cb->arg);
	cb->clb(type, addr, len, cb->arg);
	return 0;
}

int
eal_mem_event_notify(enum rte_mem_event type, const void *addr, size_t len)
{
	struct mem_event_callback *cb, *undo;
	int err;

	pthread_rwlock_rdlock(&callbacks_lock);
	TAILQ_FOREACH(cb, &callbacks, next) {
		if (callback_call(cb, type, addr, len) == 0 ||
				type != RTE_MEM_EVENT_ALLOC)
			continue;
		/* refused: the ones that took the pages give them back */
		err = rte_errno != 0 ? rte_errno : ENOMEM;
		EAL_LOG(DEBUG, "memory event callback '%s' refused %zu bytes at %p: %s",
			cb->name, len, addr, rte_strerror(err));
		for (undo = TAILQ_PREV(cb, mem_event_callback_list, next);
				undo != NULL;
				undo = TAILQ_PREV(undo, mem_event_callback_list, next))
			callback_call(undo, RTE_MEM_EVENT_FREE, addr, len);
		pthread_rwlock_unlock(&callbacks_lock);
		rte_errno = err;
		return -1;
	}
	pthread_rwlock_unlock(&callbacks_lock);
	return 0;
}

void
eal_mem_event_callbacks_clear(void)
{
	struct mem_event_callback *cb;

	pthread_rwlock_wrlock(&callbacks_lock);
	while ((cb = TAILQ_FIRST(&callbacks)) != NULL) {
		TAILQ_REMOVE(&callbacks, cb, next);
		free(cb);
	}
	pthread_rwlock_unlock(&callbacks_lock);
}
