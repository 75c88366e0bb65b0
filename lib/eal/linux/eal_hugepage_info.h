/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_HUGEPAGE_INFO_H_
#define _EAL_HUGEPAGE_INFO_H_

#include <limits.h>
#include <stdint.h>

#include <rte_config.h>

/* One hugepage size the system offers. */
struct eal_hugepage_type {
	uint64_t size;       /* bytes */
	char mount[PATH_MAX]; /* hugetlbfs mount ("" when none) */
	unsigned long nr;    /* nr_hugepages + nr_overcommit_hugepages */
	unsigned long free;  /* free_hugepages */
};

/**
 * Find the hugepage sizes usable now: pages reserved (or overcommit
 * allowed) and, unless need_mount is 0 (--in-memory uses memfd), a
 * hugetlbfs mount (--huge-dir restricts to that mount). Sorted by size.
 *
 * @return
 *   Number of types (>= 1), or -1 with rte_errno ENOMEM after logging
 *   what is missing and how to fix it, or EINVAL (--huge-dir is not a
 *   hugetlbfs mount).
 */
int eal_hugepage_info_init(struct eal_hugepage_type *types, unsigned int max,
		int need_mount, const char *huge_dir);

#endif /* _EAL_HUGEPAGE_INFO_H_ */
