/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_MEMORY_IOVA_H_
#define _EAL_MEMORY_IOVA_H_

/*
 * Where the memory code gets the IOVA of a page in PA mode. The default
 * reads /proc/self/pagemap; VFIO's no-IOMMU cdev backend installs a source
 * returning the physical addresses the kernel reports. In VA mode the
 * IOVA is the virtual address and no source is called.
 */

#include <stdbool.h>
#include <stddef.h>

#include <rte_common.h>

/** A provider of physical addresses for PA mode. */
struct eal_iova_source {
	const char *name; /**< For logs. */
	/**
	 * IOVA of [va, va + len) (one page, just mapped and populated).
	 * @return 0, or -1 with rte_errno on failure.
	 */
	int (*va2iova)(void *va, size_t len, rte_iova_t *iova, void *arg);
	/**
	 * IOVAs of n pages of pgsz from va, all or none: on failure nothing
	 * is held. whole: the pages are never freed one by one (they go
	 * together, at cleanup), so what is held for them may be one piece.
	 * May be NULL: va2iova is then asked page by page.
	 * @return 0, or -1 with rte_errno on failure.
	 */
	int (*va2iova_pages)(void *va, size_t pgsz, uint32_t n,
		rte_iova_t *iova, bool whole, void *arg);
	/**
	 * [va, va + len), one page or several that were allocated together
	 * or lie side by side, is about to be unmapped: drop what was held
	 * for it (may be NULL).
	 */
	void (*release)(void *va, size_t len, void *arg);
	void *arg; /**< Passed to each. */
};

/**
 * Install the IOVA source used for pages allocated from now on (call it
 * before the "memory" init stage). The structure is copied.
 *
 * @param src
 *   Source, or NULL for the default (pagemap).
 * @return
 *   0, or -1 with rte_errno EINVAL (src without va2iova).
 */
int eal_iova_source_set(const struct eal_iova_source *src);

/**
 * @return
 *   1 when PA mode can work: a source is installed, or
 *   /proc/self/pagemap reports page frame numbers (it reads them as 0
 *   without CAP_SYS_ADMIN).
 */
int eal_iova_pa_available(void);

/**
 * IOVAs of n pages through the current source (PA mode). The default
 * source reads /proc/self/pagemap once per 512 pages; another one is
 * asked for the n pages at once when it can be, else page by page. On
 * failure nothing is held.
 *
 * @param va
 *   First page (mapped and populated).
 * @param pgsz
 *   Page size.
 * @param n
 *   Number of pages.
 * @param iova
 *   Receives n IOVAs.
 * @param whole
 *   The pages are never freed one by one (RTE_MEMSEG_FLAG_DO_NOT_FREE).
 * @return
 *   0, or -1 with rte_errno (EIO: pagemap unreadable, EACCES: frame
 *   numbers read as 0 without CAP_SYS_ADMIN, or the source's own).
 */
int eal_iova_source_va2iova_pages(void *va, size_t pgsz, uint32_t n,
	rte_iova_t *iova, bool whole);

/**
 * Physical addresses of n pages from /proc/self/pagemap, one read per
 * 512 pages, whatever source is installed (a source may need them
 * before its own answer is valid).
 *
 * @param va
 *   First page (mapped and populated).
 * @param pgsz
 *   Page size.
 * @param n
 *   Number of pages.
 * @param iova
 *   Receives n physical addresses.
 * @return
 *   0, or -1 with rte_errno (EIO: pagemap unreadable, EACCES: frame
 *   numbers read as 0 without CAP_SYS_ADMIN).
 */
int eal_iova_pagemap_pages(void *va, size_t pgsz, uint32_t n,
	rte_iova_t *iova);

/**
 * Tell the current source pages are going away (PA mode): one page, or
 * a range of pages side by side that holds whole allocations only.
 *
 * @param va
 *   First page.
 * @param len
 *   Bytes (a multiple of the page size).
 */
void eal_iova_source_release(void *va, size_t len);

#endif /* _EAL_MEMORY_IOVA_H_ */
