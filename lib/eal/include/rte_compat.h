/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_COMPAT_H_
#define _RTE_COMPAT_H_

/**
 * @file
 * API stability markers. __rte_internal and __rte_experimental are defined
 * in rte_common.h; this header exists so that code written for DPDK, which
 * includes it, builds unchanged.
 */

#include <rte_common.h>

#endif /* _RTE_COMPAT_H_ */
