/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_CONFIG_H_
#define _RTE_CONFIG_H_

/* Values chosen at configure time (meson_options.txt). */
#include <rte_build_config.h>

/* Fixed limits. */
#define RTE_DEV_NAME_MAX_LEN 64
#define RTE_LOG_TYPE_MAX 128
#define RTE_MP_MAX_FD_NUM 8
#define RTE_MP_MAX_NAME_LEN 64
#define RTE_MP_MAX_PARAM_LEN 256
#define RTE_MAX_HUGEPAGE_SIZES 3
#define RTE_CACHE_LINE_SIZE 64
#define RTE_MAX_MEMZONE 2560

#endif /* _RTE_CONFIG_H_ */
