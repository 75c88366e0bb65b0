/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * External memory: application-owned areas described as segment lists
 * (external = 1) so that walks and IOVA lookups cover them. Their
 * segments live in a reserved pool at the end of the shared
 * configuration.
 */

#include <errno.h>
#include <string.h>

#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_log.h"
#include "eal_memcfg.h"

static int
check_args(const void *va, size_t len, const rte_iova_t *iova,
		unsigned int n_pages, size_t page_sz)
{
	if (va == NULL || len == 0 || page_sz < RTE_PGSIZE_4K ||
			!RTE_IS_POWER_OF_2(page_sz) ||
			(uintptr_t)va % page_sz != 0 || len % page_sz != 0 ||
			(uintptr_t)va + len < (uintptr_t)va ||
			len / page_sz > UINT32_MAX ||
			(iova != NULL && n_pages != len / page_sz)) {
		rte_errno = EINVAL;
		return -1;
	}
	if (eal_mcfg == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -1;
	}
	return 0;
}

static int
overlaps_any(uintptr_t start, size_t len)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &eal_mcfg->lists[i];
		uintptr_t b = (uintptr_t)msl->base_va;

		if (eal_list_in_use(msl) && start < b + msl->len &&
				b < start + len)
			return 1;
	}
	return 0;
}

/* First-fit offset of bytes in the external pool, or 0. */
static uint64_t
pool_alloc(uint64_t bytes)
{
	uint64_t cand = eal_mcfg->ext_pool_off;
	unsigned int i;

restart:
	if (cand + bytes > eal_mcfg->ext_pool_off + eal_mcfg->ext_pool_len)
		return 0;
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &eal_mcfg->lists[i];
		uint64_t end;

		if (!eal_list_in_use(msl) || !msl->external)
			continue;
		end = msl->seg_off + eal_list_area_bytes(msl->n_segs);
		if (cand < end && msl->seg_off < cand + bytes) {
			cand = end;
			goto restart;
		}
	}
	return cand;
}

static struct rte_memseg_list *
free_list_slot(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		if (!eal_list_in_use(&eal_mcfg->lists[i]))
			return &eal_mcfg->lists[i];
	return NULL;
}

int
rte_extmem_register(void *va_addr, size_t len, rte_iova_t iova_addrs[],
		unsigned int n_pages, size_t page_sz)
{
	struct rte_memseg_list *msl;
	struct rte_memseg *segs;
	uint32_t n, k;
	uint64_t off;
	int ret = -1;

	if (check_args(va_addr, len, iova_addrs, n_pages, page_sz) != 0)
		return -1;
	n = (uint32_t)(len / page_sz);
	rte_mcfg_mem_write_lock();
	if (overlaps_any((uintptr_t)va_addr, len)) {
		EAL_LOG(ERR, "extmem %p-%p: register failed: overlaps EAL or registered memory",
			va_addr, RTE_PTR_ADD(va_addr, len));
		rte_errno = EEXIST;
		goto unlock;
	}
	msl = free_list_slot();
	off = pool_alloc(eal_list_area_bytes(n));
	if (msl == NULL || off == 0) {
		EAL_LOG(ERR, "extmem %p-%p: register failed: no free %s",
			va_addr, RTE_PTR_ADD(va_addr, len), msl == NULL ?
				"segment list" : "segment slots for that many pages");
		rte_errno = ENOSPC;
		goto unlock;
	}
	if (eal_mcfg_reserve(off, eal_list_area_bytes(n)) != 0) {
		EAL_LOG(ERR, "extmem %p-%p: register failed: no space for its %u segments in the shared configuration file (%s)",
			va_addr, RTE_PTR_ADD(va_addr, len), n,
			rte_strerror(rte_errno));
		goto unlock;
	}
	memset(msl, 0, sizeof(*msl));
	msl->base_va = va_addr;
	msl->page_sz = page_sz;
	msl->socket_id = SOCKET_ID_ANY;
	msl->external = 1;
	msl->n_segs = n;
	msl->seg_off = off;
	memset(eal_list_segs(msl), 0, eal_list_area_bytes(n));
	segs = eal_list_segs(msl);
	for (k = 0; k < n; k++) {
		segs[k].addr = RTE_PTR_ADD(va_addr, (uint64_t)k * page_sz);
		segs[k].iova = iova_addrs != NULL ? iova_addrs[k] : RTE_BAD_IOVA;
		segs[k].len = page_sz;
		segs[k].hugepage_sz = page_sz;
		segs[k].socket_id = SOCKET_ID_ANY;
		eal_bit_set(eal_list_bitmap(msl), k);
	}
	msl->n_used = n;
	msl->version++;
	msl->len = len; /* in use from here on */
	ret = 0;
unlock:
	rte_mcfg_mem_write_unlock();
	return ret;
}

int
rte_extmem_unregister(void *va_addr, size_t len)
{
	unsigned int i;

	if (va_addr == NULL || len == 0) {
		rte_errno = EINVAL;
		return -1;
	}
	if (eal_mcfg == NULL) {
		rte_errno = E_RTE_NO_CONFIG;
		return -1;
	}
	rte_mcfg_mem_write_lock();
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &eal_mcfg->lists[i];

		if (eal_list_in_use(msl) && msl->external &&
				msl->base_va == va_addr && msl->len == len) {
			memset(msl, 0, sizeof(*msl));
			rte_mcfg_mem_write_unlock();
			return 0;
		}
	}
	rte_mcfg_mem_write_unlock();
	rte_errno = ENOENT;
	return -1;
}
