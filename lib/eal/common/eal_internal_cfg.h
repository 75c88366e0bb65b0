/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_INTERNAL_CFG_H_
#define _EAL_INTERNAL_CFG_H_

#include <limits.h>
#include <stdint.h>

#include <rte_config.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_uuid.h>

/** Longest --file-prefix accepted. */
#define EAL_FILE_PREFIX_MAX 64
/** Default --file-prefix. */
#define EAL_DEFAULT_FILE_PREFIX "rte"

/** VFIO mode requested with --vfio-mode. */
enum eal_vfio_mode_request {
	EAL_VFIO_MODE_AUTO = 0, /**< cdev when usable, else group. */
	EAL_VFIO_MODE_GROUP,    /**< Container/group with an IOMMU. */
	EAL_VFIO_MODE_NOIOMMU,  /**< No-IOMMU through any backend offering it. */
	EAL_VFIO_MODE_CDEV,     /**< Device cdev with IOMMUFD. */
	EAL_VFIO_MODE_NOIOMMU_GROUP, /**< No-IOMMU, group backend only. */
	EAL_VFIO_MODE_NOIOMMU_CDEV,  /**< No-IOMMU, cdev backend only. */
};

/** Device string given with -a or -b, parsed once buses are known. */
struct eal_devopt {
	enum rte_dev_policy policy;
	const char *str; /**< Points into argv. */
};

/** Everything the options set; read by the rest of the EAL. */
struct internal_config {
	enum rte_proc_type_t process_type;
	enum rte_iova_mode iova_mode;      /**< Requested (DC = let EAL decide). */
	char file_prefix[EAL_FILE_PREFIX_MAX + 1];
	int no_pci;
	int no_hugetlbfs;                  /**< --no-huge */
	int in_memory;                     /**< --in-memory: no shared files */
	int no_telemetry;                  /**< --no-telemetry: no socket */
	uint64_t memory;                   /**< -m, bytes; 0 = not given */
	uint64_t socket_mem[RTE_MAX_NUMA_NODES]; /**< --socket-mem, bytes */
	int force_sockets;                 /**< --socket-mem given */
	char hugepage_dir[PATH_MAX];       /**< --huge-dir, "" = search */
	enum eal_vfio_mode_request vfio_mode;
	enum rte_intr_mode vfio_intr_mode;
	rte_uuid_t vfio_vf_token;
	struct eal_devopt *devopts;        /**< -a/-b in command-line order */
	unsigned int nb_devopts;
};

/**
 * @return
 *   The process-wide configuration.
 */
struct internal_config *eal_get_internal_configuration(void);

/**
 * Reset the configuration to defaults, freeing what options allocated.
 *
 * @param cfg
 *   Configuration.
 */
void eal_reset_internal_config(struct internal_config *cfg);

#endif /* _EAL_INTERNAL_CFG_H_ */
