/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * IOVA mode selection and the source of IOVAs in PA mode.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_vfio.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"

#define PAGEMAP_PATH "/proc/self/pagemap"
#define PAGEMAP_PFN_MASK ((UINT64_C(1) << 55) - 1)
#define PAGEMAP_PRESENT (UINT64_C(1) << 63)
/* entries read at once: 4 KiB of stack */
#define PAGEMAP_BATCH 512

static enum rte_iova_mode iova_mode = RTE_IOVA_DC;

enum rte_iova_mode
rte_eal_iova_mode(void)
{
	return iova_mode;
}

void
eal_iova_mode_set(enum rte_iova_mode mode)
{
	iova_mode = mode;
}

/* entries of pages first, first + stride, ... (n of them) */
static int
pagemap_entries(int fd, uint64_t first, uint64_t stride, uint32_t n,
		uint64_t *entry)
{
	size_t want = (size_t)n * sizeof(*entry), got = 0;
	uint32_t i;
	ssize_t r;

	if (stride != 1) {
		for (i = 0; i < n; i++)
			if (pread(fd, &entry[i], sizeof(*entry),
					(off_t)((first + i * stride) *
					sizeof(*entry))) != (ssize_t)sizeof(*entry))
				return -1;
		return 0;
	}
	/* contiguous pages: one read for the run */
	while (got < want) {
		r = pread(fd, (char *)entry + got, want - got,
			(off_t)(first * sizeof(*entry) + got));
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/*
 * Default source: page frame numbers from /proc/self/pagemap, for n
 * pages of pgsz from va (the first one may start inside its page).
 */
int
eal_iova_pagemap_pages(void *va, size_t pgsz, uint32_t n, rte_iova_t *iova)
{
	uint64_t psz = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t entry[PAGEMAP_BATCH];
	uint32_t done, k, i;
	int fd;

	fd = open(PAGEMAP_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		EAL_LOG(ERR, "%s: open failed: %s", PAGEMAP_PATH, strerror(errno));
		rte_errno = EIO;
		return -1;
	}
	for (done = 0; done < n; done += k) {
		uintptr_t start = (uintptr_t)va + (uintptr_t)done * pgsz;

		k = RTE_MIN(n - done, (uint32_t)PAGEMAP_BATCH);
		if (pagemap_entries(fd, start / psz, RTE_MAX(pgsz / psz,
				UINT64_C(1)), k, entry) != 0) {
			EAL_LOG(ERR, "%s: read for %p failed: %s",
				PAGEMAP_PATH, (void *)start, strerror(errno));
			close(fd);
			rte_errno = EIO;
			return -1;
		}
		for (i = 0; i < k; i++) {
			if ((entry[i] & PAGEMAP_PRESENT) == 0 ||
					(entry[i] & PAGEMAP_PFN_MASK) == 0) {
				close(fd);
				rte_errno = EACCES;
				return -1;
			}
			iova[done + i] = (entry[i] & PAGEMAP_PFN_MASK) * psz +
				(start + (uintptr_t)i * pgsz) % psz;
		}
	}
	close(fd);
	return 0;
}

static int
pagemap_va2iova(void *va, size_t len, rte_iova_t *iova, void *arg)
{
	(void)arg;
	return eal_iova_pagemap_pages(va, len, 1, iova);
}

/* pagemap holds nothing: pages never freed apart need nothing else */
static int
pagemap_va2iova_pages(void *va, size_t pgsz, uint32_t n, rte_iova_t *iova,
		bool whole, void *arg)
{
	(void)whole;
	(void)arg;
	return eal_iova_pagemap_pages(va, pgsz, n, iova);
}

static const struct eal_iova_source pagemap_source = {
	.name = "pagemap",
	.va2iova = pagemap_va2iova,
	.va2iova_pages = pagemap_va2iova_pages,
};

static struct eal_iova_source source = {
	.name = "pagemap",
	.va2iova = pagemap_va2iova,
	.va2iova_pages = pagemap_va2iova_pages,
};

int
eal_iova_source_set(const struct eal_iova_source *src)
{
	if (src != NULL && src->va2iova == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	source = src != NULL ? *src : pagemap_source;
	EAL_LOG(DEBUG, "IOVA source for PA mode: %s",
		source.name != NULL ? source.name : "(unnamed)");
	return 0;
}

int
eal_iova_source_va2iova_pages(void *va, size_t pgsz, uint32_t n,
		rte_iova_t *iova, bool whole)
{
	uint32_t i;

	if (source.va2iova_pages != NULL)
		return source.va2iova_pages(va, pgsz, n, iova, whole,
			source.arg);
	for (i = 0; i < n; i++) {
		if (source.va2iova(RTE_PTR_ADD(va, (size_t)i * pgsz), pgsz,
				&iova[i], source.arg) == 0)
			continue;
		while (i-- > 0)
			eal_iova_source_release(RTE_PTR_ADD(va,
				(size_t)i * pgsz), pgsz);
		return -1;
	}
	return 0;
}

void
eal_iova_source_release(void *va, size_t len)
{
	if (source.release != NULL)
		source.release(va, len, source.arg);
}

int
eal_iova_pa_available(void)
{
	static volatile uint64_t probe;
	rte_iova_t pa;

	if (source.va2iova != pagemap_va2iova)
		return 1;
	probe = 1; /* make sure the page is present */
	return pagemap_va2iova((void *)(uintptr_t)&probe, sizeof(probe), &pa,
		NULL) == 0;
}

/*
 * The rules, in order (doc/guides/prog_guide/memory.rst):
 *   --iova-mode given        -> that mode (PA needs physical addresses)
 *   buses vote PA or VA      -> that mode (PA needs physical addresses)
 *   VFIO without IOMMU       -> PA (rte_vfio_get_iova_mode())
 *   no preference            -> VA
 * "Physical addresses" means an IOVA source is installed or
 * /proc/self/pagemap reports page frames (root / CAP_SYS_ADMIN).
 */
static const char *const mode_name[] = {
	[RTE_IOVA_DC] = "DC", [RTE_IOVA_PA] = "PA", [RTE_IOVA_VA] = "VA",
};

/*
 * --iova-mode=va with VFIO but no IOMMU: nothing would translate the
 * virtual addresses devices get. Refused when a bus has a device to
 * probe (it votes PA); without one no DMA can happen, which is said.
 */
static int
iova_va_untranslated(void)
{
	if (rte_vfio_get_iova_mode() != RTE_IOVA_PA)
		return 0;
	if (rte_bus_get_iommu_class() == RTE_IOVA_PA) {
		EAL_LOG(ERR, "--iova-mode=va refused: VFIO runs without an IOMMU (no-IOMMU mode), so devices would get virtual addresses nothing translates and their DMA would go to the wrong memory; leave --iova-mode out or use --iova-mode=pa (or boot with an IOMMU)");
		rte_errno = EINVAL;
		return -1;
	}
	EAL_LOG(WARNING, "--iova-mode=va with VFIO in no-IOMMU mode: no device may do DMA in this process (none is to be probed now; one plugged later would get untranslated addresses)");
	return 0;
}

int
eal_iova_mode_select(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	enum rte_iova_mode mode;
	const char *why;

	if (cfg->iova_mode != RTE_IOVA_DC) {
		mode = cfg->iova_mode;
		why = "forced by --iova-mode";
		if (mode == RTE_IOVA_VA && iova_va_untranslated() != 0)
			return -1;
	} else {
		mode = rte_bus_get_iommu_class();
		why = "voted by the buses";
		if (mode == RTE_IOVA_DC) {
			/* no bus voted: VFIO without an IOMMU still needs PA */
			mode = rte_vfio_get_iova_mode();
			why = "needed by VFIO";
		}
		if (mode == RTE_IOVA_DC) {
			mode = RTE_IOVA_VA;
			why = "default: no bus needs PA";
		}
	}
	if (mode == RTE_IOVA_PA && !eal_iova_pa_available()) {
		EAL_LOG(ERR, "IOVA as PA (%s) needs physical addresses, but %s reports none (page frame numbers read as 0): run as root (CAP_SYS_ADMIN) or use --iova-mode=va with an IOMMU",
			why, PAGEMAP_PATH);
		rte_errno = EINVAL;
		return -1;
	}
	EAL_LOG(DEBUG, "IOVA mode %s (%s)", mode_name[mode], why);
	eal_iova_mode_set(mode);
	return 0;
}
