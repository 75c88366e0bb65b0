/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_LOG_H_
#define _EAL_LOG_H_

#include <rte_log.h>

/** EAL log line; the newline is added. */
#define EAL_LOG(level, ...) RTE_LOG_LINE(level, EAL, __VA_ARGS__)

#endif /* _EAL_LOG_H_ */
