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

/* Default source: the page frame number from /proc/self/pagemap. */
static int
pagemap_va2iova(void *va, size_t len, rte_iova_t *iova, void *arg)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t entry;
	off_t off;
	int fd;

	(void)len;
	(void)arg;
	fd = open(PAGEMAP_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		EAL_LOG(ERR, "%s: open failed: %s", PAGEMAP_PATH, strerror(errno));
		rte_errno = EIO;
		return -1;
	}
	off = (off_t)((uintptr_t)va / (uintptr_t)psz * sizeof(entry));
	if (pread(fd, &entry, sizeof(entry), off) != (ssize_t)sizeof(entry)) {
		EAL_LOG(ERR, "%s: read for %p failed: %s", PAGEMAP_PATH, va,
			strerror(errno));
		close(fd);
		rte_errno = EIO;
		return -1;
	}
	close(fd);
	if ((entry & PAGEMAP_PRESENT) == 0 || (entry & PAGEMAP_PFN_MASK) == 0) {
		rte_errno = EACCES;
		return -1;
	}
	*iova = (entry & PAGEMAP_PFN_MASK) * (uint64_t)psz +
		(uintptr_t)va % (uintptr_t)psz;
	return 0;
}

int
eal_iova_pagemap(void *va, size_t len, rte_iova_t *iova)
{
	return pagemap_va2iova(va, len, iova, NULL);
}

static const struct eal_iova_source pagemap_source = {
	.name = "pagemap",
	.va2iova = pagemap_va2iova,
};

static struct eal_iova_source source = {
	.name = "pagemap",
	.va2iova = pagemap_va2iova,
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
eal_iova_source_va2iova(void *va, size_t len, rte_iova_t *iova)
{
	return source.va2iova(va, len, iova, source.arg);
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
