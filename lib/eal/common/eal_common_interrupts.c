/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The interrupt handle object, its accessors, and the per-type operations
 * that enable interrupts in the device. The interrupt thread lives in
 * linux/eal_interrupts.c.
 */

#include <pthread.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_interrupts.h>

#include "eal_interrupts.h"
#include "eal_log.h"

static const struct rte_intr_type_ops *type_ops[RTE_INTR_HANDLE_MAX];
static pthread_mutex_t type_ops_lock = PTHREAD_MUTEX_INITIALIZER;

/* Types whose interrupt is not a device's: nothing to enable. */
static int
type_needs_no_ops(enum rte_intr_handle_type type)
{
	return type == RTE_INTR_HANDLE_EXT || type == RTE_INTR_HANDLE_ALARM ||
		type == RTE_INTR_HANDLE_DEV_EVENT;
}

int
rte_intr_type_ops_register(enum rte_intr_handle_type type,
		const struct rte_intr_type_ops *ops)
{
	int ret = 0;

	if ((unsigned int)type >= RTE_INTR_HANDLE_MAX ||
			type == RTE_INTR_HANDLE_UNKNOWN || type_needs_no_ops(type)) {
		EAL_LOG(ERR, "interrupt type %d: cannot register operations",
			(int)type);
		rte_errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&type_ops_lock);
	if (ops != NULL && type_ops[type] != NULL && type_ops[type] != ops) {
		EAL_LOG(ERR, "interrupt type %d: operations already registered",
			(int)type);
		rte_errno = EEXIST;
		ret = -1;
	} else {
		__atomic_store_n(&type_ops[type], ops, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&type_ops_lock);
	return ret;
}

const struct rte_intr_type_ops *
eal_intr_type_ops(enum rte_intr_handle_type type)
{
	if ((unsigned int)type >= RTE_INTR_HANDLE_MAX)
		return NULL;
	return __atomic_load_n(&type_ops[type], __ATOMIC_ACQUIRE);
}

struct rte_intr_handle *
rte_intr_instance_alloc(uint32_t flags)
{
	struct rte_intr_handle *h;
	int i;

	if ((flags & ~RTE_INTR_INSTANCE_F_SHARED) != 0) {
		EAL_LOG(ERR, "interrupt handle: unknown flags 0x%x", flags);
		rte_errno = EINVAL;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	h->fd = -1;
	h->dev_fd = -1;
	h->type = RTE_INTR_HANDLE_UNKNOWN;
	h->alloc_flags = flags;
	for (i = 0; i < RTE_MAX_RXTX_INTR_VEC_ID; i++)
		h->efds[i] = -1;
	return h;
}

void
rte_intr_instance_free(struct rte_intr_handle *intr_handle)
{
	free(intr_handle);
}

#define CHECK_HANDLE(h, ret) do { \
	if ((h) == NULL) { \
		rte_errno = EINVAL; \
		return ret; \
	} \
} while (0)

int
rte_intr_fd_set(struct rte_intr_handle *intr_handle, int fd)
{
	CHECK_HANDLE(intr_handle, -1);
	intr_handle->fd = fd;
	return 0;
}

int
rte_intr_fd_get(const struct rte_intr_handle *intr_handle)
{
	CHECK_HANDLE(intr_handle, -1);
	return intr_handle->fd;
}

int
rte_intr_type_set(struct rte_intr_handle *intr_handle,
		enum rte_intr_handle_type type)
{
	CHECK_HANDLE(intr_handle, -1);
	if ((unsigned int)type >= RTE_INTR_HANDLE_MAX) {
		rte_errno = EINVAL;
		return -1;
	}
	intr_handle->type = type;
	return 0;
}

enum rte_intr_handle_type
rte_intr_type_get(const struct rte_intr_handle *intr_handle)
{
	CHECK_HANDLE(intr_handle, RTE_INTR_HANDLE_UNKNOWN);
	return intr_handle->type;
}

int
rte_intr_dev_fd_set(struct rte_intr_handle *intr_handle, int fd)
{
	CHECK_HANDLE(intr_handle, -1);
	intr_handle->dev_fd = fd;
	return 0;
}

int
rte_intr_dev_fd_get(const struct rte_intr_handle *intr_handle)
{
	CHECK_HANDLE(intr_handle, -1);
	return intr_handle->dev_fd;
}

int
rte_intr_max_intr_set(struct rte_intr_handle *intr_handle, int max_intr)
{
	CHECK_HANDLE(intr_handle, -1);
	if (max_intr < 0 || max_intr > RTE_MAX_RXTX_INTR_VEC_ID + 1) {
		rte_errno = EINVAL;
		return -1;
	}
	intr_handle->max_intr = max_intr;
	return 0;
}

int
rte_intr_max_intr_get(const struct rte_intr_handle *intr_handle)
{
	CHECK_HANDLE(intr_handle, -1);
	return intr_handle->max_intr;
}

int
rte_intr_nb_efd_set(struct rte_intr_handle *intr_handle, int nb_efd)
{
	CHECK_HANDLE(intr_handle, -1);
	if (nb_efd < 0 || nb_efd > RTE_MAX_RXTX_INTR_VEC_ID) {
		rte_errno = EINVAL;
		return -1;
	}
	intr_handle->nb_efd = nb_efd;
	return 0;
}

int
rte_intr_nb_efd_get(const struct rte_intr_handle *intr_handle)
{
	CHECK_HANDLE(intr_handle, -1);
	return intr_handle->nb_efd;
}

int
rte_intr_efds_index_set(struct rte_intr_handle *intr_handle, int index,
		int fd)
{
	CHECK_HANDLE(intr_handle, -1);
	if (index < 0 || index >= RTE_MAX_RXTX_INTR_VEC_ID) {
		rte_errno = EINVAL;
		return -1;
	}
	intr_handle->efds[index] = fd;
	return 0;
}

int
rte_intr_efds_index_get(const struct rte_intr_handle *intr_handle, int index)
{
	CHECK_HANDLE(intr_handle, -1);
	if (index < 0 || index >= RTE_MAX_RXTX_INTR_VEC_ID) {
		rte_errno = EINVAL;
		return -1;
	}
	return intr_handle->efds[index];
}

/* Operations for a device interrupt: NULL with rte_errno when unusable. */
static const struct rte_intr_type_ops *
ops_for(const struct rte_intr_handle *h, const char *what)
{
	const struct rte_intr_type_ops *ops = eal_intr_type_ops(h->type);

	if (ops == NULL) {
		EAL_LOG(ERR, "interrupt %s on fd %d: no operations for handle type %d",
			what, h->fd, (int)h->type);
		rte_errno = ENOTSUP;
	}
	return ops;
}

static int
intr_toggle(const struct rte_intr_handle *h, int enable)
{
	const char *what = enable ? "enable" : "disable";
	const struct rte_intr_type_ops *ops;
	int (*fn)(const struct rte_intr_handle *);

	if (h == NULL || h->fd < 0) {
		EAL_LOG(ERR, "interrupt %s: invalid handle", what);
		rte_errno = EINVAL;
		return -1;
	}
	if (type_needs_no_ops(h->type))
		return 0;
	ops = ops_for(h, what);
	if (ops == NULL)
		return -1;
	fn = enable ? ops->enable : ops->disable;
	if (fn == NULL) {
		rte_errno = ENOTSUP;
		return -1;
	}
	return fn(h) == 0 ? 0 : -1;
}

int
rte_intr_enable(const struct rte_intr_handle *intr_handle)
{
	return intr_toggle(intr_handle, 1);
}

int
rte_intr_disable(const struct rte_intr_handle *intr_handle)
{
	return intr_toggle(intr_handle, 0);
}

int
rte_intr_efd_enable(struct rte_intr_handle *intr_handle, uint32_t nb_efd)
{
	const struct rte_intr_type_ops *ops;

	if (intr_handle == NULL || nb_efd == 0 ||
			nb_efd > RTE_MAX_RXTX_INTR_VEC_ID) {
		EAL_LOG(ERR, "interrupt event fds: invalid handle or count %u",
			nb_efd);
		rte_errno = EINVAL;
		return -1;
	}
	if (type_needs_no_ops(intr_handle->type))
		return 0;
	ops = ops_for(intr_handle, "event fd enable");
	if (ops == NULL)
		return -1;
	if (ops->efd_enable == NULL) {
		rte_errno = ENOTSUP;
		return -1;
	}
	return ops->efd_enable(intr_handle, nb_efd) == 0 ? 0 : -1;
}

void
rte_intr_efd_disable(struct rte_intr_handle *intr_handle)
{
	const struct rte_intr_type_ops *ops;

	if (intr_handle == NULL)
		return;
	ops = eal_intr_type_ops(intr_handle->type);
	if (ops != NULL && ops->efd_disable != NULL)
		ops->efd_disable(intr_handle);
}
