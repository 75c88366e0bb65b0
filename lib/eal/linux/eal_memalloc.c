/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Mapping and unmapping pages of segment lists.
 *
 * Every list has one backing object: a file in a hugetlbfs mount, a file
 * in the runtime directory (--no-huge) or a memfd (--in-memory). Page k of
 * the list is at offset k * page_sz of that object and at base_va +
 * k * page_sz in every process. Allocating pages is fallocate() + mmap()
 * over the reservation; freeing them is mmap(PROT_NONE) over them +
 * punching a hole, so the system gets the memory back at once.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <rte_config.h>
#if RTE_HAS_LIBNUMA
#include <numa.h>
#include <numaif.h>
#endif

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT 26
#endif

#define RESERVE_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)
/* IOVAs asked of the source at once (4 KiB of stack) */
#define PAGES_IOVA_BATCH 512

static struct list_local {
	int fd;           /* backing, -1 when none */
	int reserved;     /* this process reserved base_va..+len */
	uint64_t *mapped; /* secondary: pages mapped here */
	uint64_t version; /* secondary: list version last synced */
} local[RTE_MAX_MEMSEG_LISTS];

static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;

RTE_INIT(memalloc_local_init)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		local[i].fd = -1;
}

static int
is_secondary(void)
{
	return rte_eal_process_type() == RTE_PROC_SECONDARY;
}

int
eal_memalloc_list_reserve(unsigned int idx, void *hint)
{
	struct rte_memseg_list *msl = &eal_mcfg->lists[idx];
	size_t align = msl->page_sz, total;
	void *va, *aligned;

	if (is_secondary()) {
		va = mmap(msl->base_va, msl->len, PROT_NONE,
			RESERVE_FLAGS | MAP_FIXED_NOREPLACE, -1, 0);
		if (va != MAP_FAILED && va != msl->base_va) {
			munmap(va, msl->len);
			va = MAP_FAILED;
			errno = EEXIST;
		}
		if (va == MAP_FAILED) {
			EAL_LOG(ERR, "segment list %u: cannot map %p-%p at the primary's address: %s; part of that range is in use in this process (address space layout randomisation placed something there): start the secondary again, or run both processes with ASLR disabled (setarch -R)",
				idx, msl->base_va,
				RTE_PTR_ADD(msl->base_va, msl->len),
				strerror(errno));
			rte_errno = EEXIST;
			return -1;
		}
		local[idx].reserved = 1;
		local[idx].mapped = calloc((msl->n_segs + 63) / 64,
			sizeof(uint64_t));
		local[idx].version = 0;
		if (local[idx].mapped == NULL) {
			munmap(va, msl->len);
			local[idx].reserved = 0;
			rte_errno = ENOMEM;
			return -1;
		}
		return 0;
	}
	total = msl->len + align;
	va = mmap(hint, total, PROT_NONE, RESERVE_FLAGS, -1, 0);
	if (va == MAP_FAILED) {
		EAL_LOG(ERR, "segment list %u: cannot reserve %zu MiB of address space: %s",
			idx, msl->len >> 20, strerror(errno));
		rte_errno = ENOMEM;
		return -1;
	}
	aligned = RTE_PTR_ALIGN_CEIL(va, align);
	if (aligned != va)
		munmap(va, RTE_PTR_DIFF(aligned, va));
	munmap(RTE_PTR_ADD(aligned, msl->len),
		RTE_PTR_DIFF(RTE_PTR_ADD(va, total), RTE_PTR_ADD(aligned, msl->len)));
	msl->base_va = aligned;
	local[idx].reserved = 1;
	return 0;
}

static int
memfd_open(unsigned int idx, const struct rte_memseg_list *msl)
{
	unsigned int flags = MFD_CLOEXEC;
	char name[32];

	if (!eal_mcfg->no_hugetlbfs)
		flags |= MFD_HUGETLB |
			((unsigned int)__builtin_ctzll(msl->page_sz) << MFD_HUGE_SHIFT);
	snprintf(name, sizeof(name), "rte_seglist_%u", idx);
	return memfd_create(name, flags);
}

int
eal_memalloc_list_open(unsigned int idx)
{
	const struct rte_memseg_list *msl = &eal_mcfg->lists[idx];
	const struct eal_list_priv *priv = &eal_mcfg->lists_priv[idx];
	int fd;

	if (priv->backing == EAL_BACKING_MEMFD)
		fd = memfd_open(idx, msl);
	else if (is_secondary())
		fd = open(priv->path, O_RDWR | O_CLOEXEC);
	else
		fd = open(priv->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
			0600);
	if (fd < 0) {
		EAL_LOG(ERR, "segment list %u: cannot open backing %s: %s", idx,
			priv->backing == EAL_BACKING_MEMFD ? "memfd" : priv->path,
			strerror(errno));
		rte_errno = errno == EACCES || errno == EPERM ? errno :
			errno == ENOMEM || errno == ENOSPC ? ENOMEM : EIO;
		return -1;
	}
	if (!is_secondary() && ftruncate(fd, (off_t)msl->len) != 0) {
		EAL_LOG(ERR, "segment list %u: cannot size backing %s to %zu bytes: %s",
			idx, priv->backing == EAL_BACKING_MEMFD ? "memfd" :
				priv->path, msl->len, strerror(errno));
		close(fd);
		if (priv->backing != EAL_BACKING_MEMFD)
			unlink(priv->path);
		rte_errno = EIO;
		return -1;
	}
	local[idx].fd = fd;
	return 0;
}

void
eal_memalloc_list_release(unsigned int idx)
{
	struct rte_memseg_list *msl = &eal_mcfg->lists[idx];
	const struct eal_list_priv *priv = &eal_mcfg->lists_priv[idx];

	if (local[idx].reserved)
		munmap(msl->base_va, msl->len);
	local[idx].reserved = 0;
	if (local[idx].fd >= 0) {
		close(local[idx].fd);
		if (!is_secondary() && priv->path[0] != '\0')
			unlink(priv->path);
	}
	local[idx].fd = -1;
	free(local[idx].mapped);
	local[idx].mapped = NULL;
	local[idx].version = 0;
}

int
eal_memalloc_list_fd(unsigned int idx)
{
	return idx < RTE_MAX_MEMSEG_LISTS ? local[idx].fd : -1;
}

/* First run of n free pages, or UINT32_MAX. */
static uint32_t
find_free_run(const struct rte_memseg_list *msl, uint32_t n)
{
	const uint64_t *map = eal_list_bitmap(msl);
	uint32_t k, run = 0;

	for (k = 0; k < msl->n_segs; k++) {
		if (run == 0 && k % 64 == 0 && map[k / 64] == UINT64_MAX) {
			k += 63;
			continue;
		}
		if (eal_bit_test(map, k)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return k + 1 - n;
	}
	return UINT32_MAX;
}

/* Place the pages of the next allocation on the list's node. */
static void
list_numa_bind(const struct rte_memseg_list *msl, int *saved_mode,
		unsigned long *saved_mask)
{
	*saved_mode = -1;
#if RTE_HAS_LIBNUMA
	if (eal_memory_socket_count() > 1 && msl->socket_id >= 0 &&
			msl->socket_id < (int)(8 * sizeof(unsigned long)) &&
			get_mempolicy(saved_mode, saved_mask,
				8 * sizeof(unsigned long), NULL, 0) == 0) {
		unsigned long mask = 1UL << msl->socket_id;

		if (set_mempolicy(MPOL_BIND, &mask, 8 * sizeof(mask)) != 0)
			*saved_mode = -1;
	}
#else
	(void)msl;
	(void)saved_mask;
#endif
}

static void
list_numa_restore(int saved_mode, unsigned long *saved_mask)
{
#if RTE_HAS_LIBNUMA
	if (saved_mode >= 0)
		set_mempolicy(saved_mode, saved_mask, 8 * sizeof(unsigned long));
#else
	(void)saved_mode;
	(void)saved_mask;
#endif
}

static int
backing_fill(const struct rte_memseg_list *msl, int fd, off_t off, size_t len)
{
	unsigned long saved_mask = 0;
	int saved_mode, ret;

	list_numa_bind(msl, &saved_mode, &saved_mask);
	do {
		ret = fallocate(fd, 0, off, (off_t)len);
	} while (ret != 0 && errno == EINTR);
	list_numa_restore(saved_mode, &saved_mask);
	return ret;
}

static void
backing_punch(int fd, off_t off, size_t len)
{
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off,
			(off_t)len) != 0)
		EAL_LOG(WARNING, "cannot release %zu bytes of backing at offset %jd: %s",
			len, (intmax_t)off, strerror(errno));
}

/* Put the PROT_NONE reservation back over [addr, addr + len). */
static void
unmap_pages(void *addr, size_t len)
{
	if (mmap(addr, len, PROT_NONE, RESERVE_FLAGS | MAP_FIXED, -1, 0) ==
			MAP_FAILED)
		EAL_LOG(ERR, "cannot unmap pages %p-%p: %s", addr,
			RTE_PTR_ADD(addr, len), strerror(errno));
}

static int
map_pages(int fd, void *addr, size_t len, off_t off)
{
	void *va = mmap(addr, len, PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_FIXED | MAP_POPULATE, fd, off);

	return va == MAP_FAILED ? -1 : 0;
}

/* set when an allocation fails with pages free: the heap must not say
 * "exhausted" (written under the hotplug write lock)
 */
static const char *fail_cause;

const char *
eal_memalloc_fail_cause(void)
{
	return fail_cause;
}

/*
 * IOVAs of freshly mapped pages (whole: never freed one by one); on
 * failure releases what it got.
 */
static int
pages_iova(struct rte_memseg *segs, void *addr, uint32_t n, uint64_t pgsz,
		bool whole)
{
	rte_iova_t iova[PAGES_IOVA_BATCH];
	uint32_t done, k, i;

	if (rte_eal_iova_mode() != RTE_IOVA_PA) {
		for (i = 0; i < n; i++)
			segs[i].iova = (rte_iova_t)(uintptr_t)
				RTE_PTR_ADD(addr, (uint64_t)i * pgsz);
		return 0;
	}
	for (done = 0; done < n; done += k) {
		void *va = RTE_PTR_ADD(addr, (uint64_t)done * pgsz);

		k = RTE_MIN(n - done, (uint32_t)PAGES_IOVA_BATCH);
		if (eal_iova_source_va2iova_pages(va, pgsz, k, iova,
				whole) != 0) {
			EAL_LOG(ERR, "pages %p-%p: no physical address (IOVA as PA): %s",
				va, RTE_PTR_ADD(va, (uint64_t)k * pgsz),
				rte_strerror(rte_errno));
			if (done > 0)
				eal_iova_source_release(addr,
					(size_t)done * pgsz);
			return -1;
		}
		for (i = 0; i < k; i++)
			segs[done + i].iova = iova[i];
	}
	return 0;
}

/*
 * Give back n pages from segment start of a list, whose callbacks have
 * seen them go (or never accepted them). Hotplug write lock held.
 */
static void
run_release(struct rte_memseg_list *msl, uint32_t start, uint32_t n)
{
	unsigned int idx = eal_list_idx(msl);
	struct rte_memseg *segs = eal_list_segs(msl);
	uint64_t *map = eal_list_bitmap(msl);
	size_t len = (size_t)n * msl->page_sz;
	void *addr = RTE_PTR_ADD(msl->base_va, (uint64_t)start * msl->page_sz);
	uint32_t i;

	/* one allocation, or pages allocated one by one: the run at once */
	if (rte_eal_iova_mode() == RTE_IOVA_PA)
		eal_iova_source_release(addr, len);
	unmap_pages(addr, len);
	backing_punch(local[idx].fd, (off_t)((uint64_t)start * msl->page_sz),
		len);
	memset(&segs[start], 0, (size_t)n * sizeof(*segs));
	for (i = 0; i < n; i++)
		eal_bit_clear(map, start + i);
	msl->n_used -= n;
	__atomic_add_fetch(&msl->version, 1, __ATOMIC_RELEASE);
}

/* the last allocation of this thread was refused by a callback */
static __thread bool alloc_refused;

bool
eal_memalloc_refused(void)
{
	return alloc_refused;
}

void *
eal_memalloc_alloc_run(struct rte_memseg_list *msl, uint32_t n,
		uint32_t seg_flags)
{
	unsigned int idx = eal_list_idx(msl);
	struct rte_memseg *segs = eal_list_segs(msl);
	uint64_t *map = eal_list_bitmap(msl);
	size_t len = (size_t)n * msl->page_sz;
	uint32_t start, i;
	void *addr = NULL;
	off_t off;

	alloc_refused = false;
	rte_mcfg_mem_write_lock();
	fail_cause = NULL;
	start = find_free_run(msl, n);
	if (start == UINT32_MAX) {
		rte_errno = ENOMEM;
		goto unlock;
	}
	addr = RTE_PTR_ADD(msl->base_va, (uint64_t)start * msl->page_sz);
	off = (off_t)((uint64_t)start * msl->page_sz);
	/* the segments written below live in the configuration file */
	if (eal_mcfg_reserve(msl->seg_off + (uint64_t)start * sizeof(*segs),
			(uint64_t)n * sizeof(*segs)) != 0) {
		addr = NULL;
		goto unlock;
	}
	if (backing_fill(msl, local[idx].fd, off, len) != 0) {
		EAL_LOG(DEBUG, "segment list %u: cannot get %u pages of %" PRIu64 " kB on socket %d: %s",
			idx, n, msl->page_sz >> 10, msl->socket_id,
			strerror(errno));
		rte_errno = ENOMEM;
		addr = NULL;
		goto unlock;
	}
	if (map_pages(local[idx].fd, addr, len, off) != 0) {
		EAL_LOG(ERR, "segment list %u: mmap of %u pages at %p failed: %s",
			idx, n, addr, strerror(errno));
		fail_cause = "the pages could not be mapped";
		rte_errno = ENOMEM;
		goto punch;
	}
	if (pages_iova(&segs[start], addr, n, msl->page_sz,
			(seg_flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) != 0) != 0) {
		fail_cause = "the pages got no IOVA";
		rte_errno = ENOMEM;
		unmap_pages(addr, len);
		goto punch;
	}
	for (i = 0; i < n; i++) {
		struct rte_memseg *ms = &segs[start + i];

		ms->addr = RTE_PTR_ADD(addr, (uint64_t)i * msl->page_sz);
		ms->len = msl->page_sz;
		ms->hugepage_sz = msl->page_sz;
		ms->socket_id = msl->socket_id;
		ms->flags = seg_flags;
		eal_bit_set(map, start + i);
	}
	msl->n_used += n;
	__atomic_add_fetch(&msl->version, 1, __ATOMIC_RELEASE);
	if (eal_mem_event_notify(RTE_MEM_EVENT_ALLOC, addr, len) != 0) {
		/* e.g. VFIO cannot map it for DMA: never hand it out */
		int err = rte_errno;

		run_release(msl, start, n);
		rte_errno = err;
		alloc_refused = true;
		addr = NULL;
	}
	goto unlock;
punch:
	backing_punch(local[idx].fd, off, len);
	addr = NULL;
unlock:
	rte_mcfg_mem_write_unlock();
	return addr;
}

void
eal_memalloc_free_run(struct rte_memseg_list *msl, void *addr, uint32_t n)
{
	size_t len = (size_t)n * msl->page_sz;
	uint32_t start = (uint32_t)(RTE_PTR_DIFF(addr, msl->base_va) /
		msl->page_sz);

	rte_mcfg_mem_write_lock();
	eal_mem_event_notify(RTE_MEM_EVENT_FREE, addr, len);
	run_release(msl, start, n);
	rte_mcfg_mem_write_unlock();
}

/* Secondary: bring one list in line with the shared bitmap. */
static int
sync_list(unsigned int idx)
{
	struct rte_memseg_list *msl = &eal_mcfg->lists[idx];
	const uint64_t *shared = eal_list_bitmap(msl);
	uint64_t *mine = local[idx].mapped;
	uint64_t version = __atomic_load_n(&msl->version, __ATOMIC_ACQUIRE);
	uint32_t k = 0, end;
	int ret = 0;

	if (mine == NULL || local[idx].version == version)
		return 0;
	while (k < msl->n_segs) {
		int want;
		void *addr;
		size_t len;

		if ((shared[k / 64] ^ mine[k / 64]) == 0) {
			k = RTE_ALIGN_FLOOR(k, 64u) + 64;
			continue;
		}
		want = eal_bit_test(shared, k);
		if (want == eal_bit_test(mine, k)) {
			k++;
			continue;
		}
		for (end = k + 1; end < msl->n_segs &&
				eal_bit_test(shared, end) == want &&
				eal_bit_test(mine, end) != want; end++)
			;
		addr = RTE_PTR_ADD(msl->base_va, (uint64_t)k * msl->page_sz);
		len = (size_t)(end - k) * msl->page_sz;
		if (want) {
			if (map_pages(local[idx].fd, addr, len,
					(off_t)((uint64_t)k * msl->page_sz)) != 0) {
				EAL_LOG(ERR, "segment list %u: cannot map the primary's pages %p-%p: %s",
					idx, addr, RTE_PTR_ADD(addr, len),
					strerror(errno));
				rte_errno = EIO;
				ret = -1;
				k = end;
				continue;
			}
			for (; k < end; k++)
				eal_bit_set(mine, k);
			/* nothing refuses in a secondary (it maps no DMA) */
			(void)eal_mem_event_notify(RTE_MEM_EVENT_ALLOC, addr,
				len);
		} else {
			eal_mem_event_notify(RTE_MEM_EVENT_FREE, addr, len);
			unmap_pages(addr, len);
			for (; k < end; k++)
				eal_bit_clear(mine, k);
		}
	}
	if (ret == 0)
		local[idx].version = version;
	return ret;
}

int
eal_memalloc_sync_with_primary(void)
{
	unsigned int i;
	int ret = 0;

	if (!is_secondary() || eal_mcfg == NULL)
		return 0;
	pthread_mutex_lock(&sync_lock);
	rte_mcfg_mem_read_lock();
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		if (eal_list_in_use(&eal_mcfg->lists[i]) &&
				!eal_mcfg->lists[i].external &&
				sync_list(i) != 0)
			ret = -1;
	rte_mcfg_mem_read_unlock();
	pthread_mutex_unlock(&sync_lock);
	return ret;
}
