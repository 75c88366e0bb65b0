/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

__thread int per_lcore__rte_errno;

static __thread char errbuf[256];

const char *
rte_strerror(int errnum)
{
	switch (errnum) {
	case E_RTE_SECONDARY:
		return "Invalid call in secondary process";
	case E_RTE_NO_CONFIG:
		return "Missing rte_config structure";
	default:
		break;
	}
	if (errnum > RTE_MIN_ERRNO && errnum < RTE_MAX_ERRNO) {
		snprintf(errbuf, sizeof(errbuf), "Unknown EAL error %d", errnum);
		return errbuf;
	}
	/* GNU strerror_r may return a static string instead of filling errbuf */
	return strerror_r(errnum, errbuf, sizeof(errbuf));
}
