/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_INTERRUPTS_H_
#define _EAL_INTERRUPTS_H_

/* Layout of the opaque interrupt handle, shared by the EAL files only. */

#include <stdint.h>

#include <rte_interrupts.h>

struct rte_intr_handle {
	int fd;                                /* where interrupts arrive */
	int dev_fd;                            /* VFIO device fd */
	enum rte_intr_handle_type type;
	uint32_t alloc_flags;
	int max_intr;                          /* vectors used by the device */
	int nb_efd;                            /* per-vector fds in efds */
	int efds[RTE_MAX_RXTX_INTR_VEC_ID];
};

/**
 * Operations of a handle type, or NULL.
 *
 * @param type
 *   Handle type.
 */
const struct rte_intr_type_ops *eal_intr_type_ops(
		enum rte_intr_handle_type type);

#endif /* _EAL_INTERRUPTS_H_ */
