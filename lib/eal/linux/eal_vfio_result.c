/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "eal_log.h"
#include "eal_vfio_result.h"

/* the one place where internal results become rte_errno values */
static const int result_errno[VFIO_RESULT_MAX] = {
	[VFIO_OK] = 0,
	[VFIO_ALREADY] = 0,
	[VFIO_INVALID] = EINVAL,
	[VFIO_NOT_INIT] = ENXIO,
	[VFIO_NOT_MANAGED] = ENODEV,
	[VFIO_NOT_FOUND] = ENOENT,
	[VFIO_EXISTS] = EEXIST,
	[VFIO_NO_SPACE] = ENOSPC,
	[VFIO_UNSUPPORTED] = ENOTSUP,
	[VFIO_NO_MEMORY] = ENOMEM,
	[VFIO_ACCESS] = EACCES,
	[VFIO_PERM] = EPERM,
	[VFIO_KERNEL_ERROR] = EIO,
};

int
vfio_result_errno(enum vfio_result r)
{
	if ((unsigned int)r >= RTE_DIM(result_errno))
		return EIO;
	return result_errno[r];
}

int
vfio_result_ret(enum vfio_result r)
{
	int err = vfio_result_errno(r);

	if (err == 0)
		return 0;
	rte_errno = err;
	return -1;
}

/* kernel errno -> result: the errnos callers can act on keep their meaning */
enum vfio_result
vfio_result_from_errno(int err)
{
	switch (err) {
	case EACCES:
		return VFIO_ACCESS;
	case EPERM:
		return VFIO_PERM;
	case ENOMEM:
		return VFIO_NO_MEMORY;
	case ENOSPC:
		return VFIO_NO_SPACE;
	case EEXIST:
		return VFIO_EXISTS;
	case ENOENT:
	case ENODEV:
		return VFIO_NOT_MANAGED;
	default:
		return VFIO_KERNEL_ERROR;
	}
}

enum vfio_result
vfio_kernel_error(const char *what, const char *obj, int err)
{
	EAL_LOG(ERR, "VFIO: %s %s failed: %s", obj, what, strerror(err));
	return vfio_result_from_errno(err);
}

enum vfio_result
vfio_open_error(const char *path, int err, char *why, size_t len)
{
	snprintf(why, len, "cannot open %s: %s", path, strerror(err));
	if (err == EACCES)
		return VFIO_ACCESS;
	if (err == EPERM)
		return VFIO_PERM;
	return VFIO_NOT_MANAGED;
}

enum vfio_result
vfio_result_from_unmap_errno(int err)
{
	return err == ENOENT ? VFIO_NOT_FOUND : VFIO_KERNEL_ERROR;
}

enum vfio_result
vfio_result_from_query_errno(int err)
{
	return err == EBADF || err == ENOTTY || err == EINVAL ? VFIO_INVALID :
		VFIO_KERNEL_ERROR;
}
