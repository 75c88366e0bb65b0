/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_FSLMC_H_
#define _RTE_FSLMC_H_

/**
 * @file
 * The NXP DPAA2 fsl-mc bus, as seen by applications.
 *
 * The Management Complex (MC) firmware groups hardware objects (network
 * interfaces "dpni", buffer pools "dpbp", I/O portals "dpio", ...) into
 * containers ("dprc"). The environment variable DPRC names the container
 * this process uses (e.g. DPRC=dprc.2); the bus lists the objects of that
 * container, opens them through the EAL's VFIO layer (group mode only) and
 * hands each to the driver registered for its type.
 */

#include <stdint.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Environment variable naming the container, e.g. "dprc.2". */
#define RTE_FSLMC_DPRC_ENV "DPRC"

/** Name of the bus ("fslmc"), as used in "-a fslmc:dpni.1". */
#define RTE_FSLMC_BUS_NAME "fslmc"

/** Longest object name, "<type>.<id>", with its terminating NUL. */
#define RTE_DPAA2_NAME_LEN 32

/** Object types the kernel's fsl-mc bus knows, one per sysfs name prefix. */
enum rte_dpaa2_obj_type {
	RTE_DPAA2_OBJ_UNKNOWN = 0, /**< Not an fsl-mc object name. */
	RTE_DPAA2_OBJ_DPRC,   /**< "dprc": resource container. */
	RTE_DPAA2_OBJ_DPNI,   /**< "dpni": network interface. */
	RTE_DPAA2_OBJ_DPIO,   /**< "dpio": I/O (software) portal. */
	RTE_DPAA2_OBJ_DPSW,   /**< "dpsw": L2 switch. */
	RTE_DPAA2_OBJ_DPBP,   /**< "dpbp": buffer pool. */
	RTE_DPAA2_OBJ_DPCON,  /**< "dpcon": concentrator. */
	RTE_DPAA2_OBJ_DPMCP,  /**< "dpmcp": MC command portal. */
	RTE_DPAA2_OBJ_DPMAC,  /**< "dpmac": MAC. */
	RTE_DPAA2_OBJ_DPRTC,  /**< "dprtc": real-time clock. */
	RTE_DPAA2_OBJ_DPSECI, /**< "dpseci": SEC (crypto) interface. */
	RTE_DPAA2_OBJ_DPDMUX, /**< "dpdmux": demultiplexer. */
	RTE_DPAA2_OBJ_DPDCEI, /**< "dpdcei": compression engine interface. */
	RTE_DPAA2_OBJ_DPAIOP, /**< "dpaiop": AIOP. */
	RTE_DPAA2_OBJ_DPCI,   /**< "dpci": communication interface. */
	RTE_DPAA2_OBJ_DPDMAI, /**< "dpdmai": DMA interface. */
	RTE_DPAA2_OBJ_DPDBG,  /**< "dpdbg": debug object. */
	RTE_DPAA2_OBJ_MAX     /**< Number of values. */
};

/**
 * @param type
 *   An object type.
 * @return
 *   Its sysfs prefix ("dpni"), or NULL for RTE_DPAA2_OBJ_UNKNOWN and
 *   out-of-range values.
 */
const char *rte_fslmc_obj_type_name(enum rte_dpaa2_obj_type type);

/**
 * Parse an object name as the kernel writes it: "<type>.<id>".
 *
 * @param name
 *   E.g. "dpni.1".
 * @param type
 *   Receives the type (may be NULL).
 * @param id
 *   Receives the object id (may be NULL).
 * @return
 *   0, or -1 with rte_errno EINVAL (not "<known type>.<decimal id>").
 */
int rte_fslmc_parse_name(const char *name, enum rte_dpaa2_obj_type *type,
		uint32_t *id);

/**
 * @return
 *   Name of the container the bus scanned ("dprc.2"), or NULL with
 *   rte_errno ENODEV when the bus is disabled (DPRC unset, container
 *   absent, VFIO not in a group mode).
 */
const char *rte_fslmc_container_name(void);

/**
 * @param type
 *   An object type.
 * @return
 *   Number of scanned objects of that type in the container (the
 *   container itself counts as one RTE_DPAA2_OBJ_DPRC).
 */
unsigned int rte_fslmc_object_count(enum rte_dpaa2_obj_type type);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_FSLMC_H_ */
