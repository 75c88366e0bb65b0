/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_VERSION_H_
#define _RTE_VERSION_H_

/**
 * @file
 * Version of the library, as set in the top-level meson.build.
 */

#include <rte_config.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version string: "DPDK-VFIO <major>.<minor>.<patch>". */
#define RTE_VERSION_STR "DPDK-VFIO " RTE_VER_STRING

/**
 * @return
 *   The version string the caller was compiled with (RTE_VERSION_STR).
 */
static inline const char *
rte_version(void)
{
	return RTE_VERSION_STR;
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_VERSION_H_ */
