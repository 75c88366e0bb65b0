/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_DEBUG_H_
#define _RTE_DEBUG_H_

/**
 * @file
 * Fatal errors.
 */

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Log a message at CRIT level and abort. For broken invariants only, never
 * for bad input.
 */
#define rte_panic(...) __rte_panic(__func__, __VA_ARGS__)

/**
 * Implementation of rte_panic(); use the macro.
 *
 * @param funcname
 *   Caller.
 * @param format
 *   printf-like format.
 */
void __rte_panic(const char *funcname, const char *format, ...)
	__rte_format_printf(2, 3) __rte_noreturn;

#ifdef __cplusplus
}
#endif

#endif /* _RTE_DEBUG_H_ */
