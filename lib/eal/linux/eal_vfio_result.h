/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_VFIO_RESULT_H_
#define _EAL_VFIO_RESULT_H_

#include <stddef.h>

/*
 * Result of every internal VFIO helper. Only the public rte_vfio_*
 * wrappers turn it into -1 + rte_errno, through one table
 * (vfio_result_errno()).
 */
enum vfio_result {
	VFIO_OK = 0,
	VFIO_ALREADY,      /**< Nothing to do: already in the wanted state. */
	VFIO_INVALID,      /**< Bad argument (EINVAL). */
	VFIO_NOT_INIT,     /**< VFIO not initialised (ENXIO). */
	VFIO_NOT_MANAGED,  /**< Device not bound to VFIO (ENODEV). */
	VFIO_NOT_FOUND,    /**< No such container, device, mapping (ENOENT). */
	VFIO_EXISTS,       /**< Already assigned / mapped differently (EEXIST). */
	VFIO_NO_SPACE,     /**< Table or kernel entries full (ENOSPC). */
	VFIO_UNSUPPORTED,  /**< Not possible in this mode (ENOTSUP). */
	VFIO_NO_MEMORY,    /**< Allocation or locked memory (ENOMEM). */
	VFIO_ACCESS,       /**< Kernel refused access, e.g. VF token (EACCES). */
	VFIO_PERM,         /**< Kernel refused: permission (EPERM). */
	VFIO_KERNEL_ERROR, /**< Kernel refused for another reason (EIO). */
	VFIO_RESULT_MAX
};

/**
 * @return
 *   The rte_errno value for a result (0 for VFIO_OK and VFIO_ALREADY).
 */
int vfio_result_errno(enum vfio_result r);

/**
 * The public functions' return: 0 for VFIO_OK and VFIO_ALREADY, else -1
 * with rte_errno set from the table.
 */
int vfio_result_ret(enum vfio_result r);

/**
 * @return
 *   The result for an errno a system call returned.
 */
enum vfio_result vfio_result_from_errno(int err);

/**
 * A kernel call failed: log "VFIO: <obj> <what> failed: <strerror>" and
 * return the result for err (vfio_result_from_errno()).
 */
enum vfio_result vfio_kernel_error(const char *what, const char *obj,
		int err);

/**
 * Opening a node a backend needs failed (probe): write "cannot open
 * <path>: <strerror>" into why.
 *
 * @return
 *   VFIO_ACCESS, VFIO_PERM, or VFIO_NOT_MANAGED (the node is not there to
 *   use) for anything else.
 */
enum vfio_result vfio_open_error(const char *path, int err, char *why,
		size_t len);

/**
 * @return
 *   The result for the errno of a DMA unmap: ENOENT is VFIO_NOT_FOUND,
 *   anything else VFIO_KERNEL_ERROR.
 */
enum vfio_result vfio_result_from_unmap_errno(int err);

/**
 * @return
 *   The result for the errno of a query on a descriptor the caller gave
 *   (VFIO_DEVICE_GET_INFO): EBADF, ENOTTY and EINVAL mean it is not a
 *   device descriptor, the caller's mistake (VFIO_INVALID); anything else
 *   is VFIO_KERNEL_ERROR.
 */
enum vfio_result vfio_result_from_query_errno(int err);

#endif /* _EAL_VFIO_RESULT_H_ */
