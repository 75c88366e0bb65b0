/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_vfio.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"

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

/*
 * Rules (doc/guides/prog_guide/iova.rst): --iova-mode wins; otherwise the
 * buses' common vote; otherwise what VFIO needs (PA without IOMMU);
 * otherwise VA, which needs no physical addresses.
 */
int
eal_iova_mode_select(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	enum rte_iova_mode mode;

	if (cfg->iova_mode != RTE_IOVA_DC) {
		mode = cfg->iova_mode;
		EAL_LOG(DEBUG, "IOVA mode %s forced by --iova-mode",
			mode == RTE_IOVA_VA ? "VA" : "PA");
	} else {
		mode = rte_bus_get_iommu_class();
		/* no bus voted: VFIO without an IOMMU still needs PA */
		if (mode == RTE_IOVA_DC)
			mode = rte_vfio_get_iova_mode();
		if (mode == RTE_IOVA_DC)
			mode = RTE_IOVA_VA;
	}
	eal_iova_mode_set(mode);
	return 0;
}
