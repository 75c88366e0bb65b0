/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_ERRNO_H_
#define _RTE_ERRNO_H_

/**
 * @file
 * Per-thread error number set by EAL functions that fail.
 */

#include <errno.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Storage behind rte_errno; use the macro. */
extern __thread int per_lcore__rte_errno;

/** Error number of the last failing EAL call in this thread. */
#define rte_errno per_lcore__rte_errno

/** First error number private to the EAL (above all system errno values). */
#define __ELASTERROR 1000

/** EAL-specific error numbers. */
enum {
	RTE_MIN_ERRNO = __ELASTERROR, /**< Start of the EAL range. */
	E_RTE_SECONDARY,              /**< Operation not allowed in a secondary process. */
	E_RTE_NO_CONFIG,              /**< Missing rte_config structure. */
	RTE_MAX_ERRNO                 /**< End of the EAL range. */
};

/**
 * Describe an error number.
 *
 * Thread-safe: the string lives in thread-local storage when it has to be
 * built, so it stays valid until the next call in the same thread.
 *
 * @param errnum
 *   A system errno value or one of the E_RTE_* values.
 * @return
 *   A human-readable description; never NULL.
 */
const char *rte_strerror(int errnum);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_ERRNO_H_ */
