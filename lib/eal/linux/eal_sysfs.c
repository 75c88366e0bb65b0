/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <stdlib.h>

#include "eal_private.h"

/* Read at every call so that tests may point it at a new tree anytime. */
const char *
eal_sysfs_root(void)
{
	const char *root = getenv("RTE_EAL_SYSFS_ROOT");

	return root != NULL ? root : "";
}
