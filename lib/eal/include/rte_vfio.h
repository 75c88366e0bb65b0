/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_VFIO_H_
#define _RTE_VFIO_H_

/**
 * @file
 * VFIO: the EAL's access to devices and DMA through the kernel's VFIO
 * interfaces, whatever the kernel offers:
 *
 * - group mode: /dev/vfio/vfio containers and /dev/vfio/<N> groups with an
 *   IOMMU (type1v2 preferred, type1, sPAPR TCE);
 * - no-IOMMU group mode: /dev/vfio/noiommu-<N> groups (no isolation, IOVA =
 *   physical address);
 * - cdev mode: /dev/iommu (IOMMUFD, one IOAS per container) and
 *   /dev/vfio/devices/vfio<N>; no-IOMMU cdev (noiommu-vfio<N>).
 *
 * rte_vfio_get_mode() answers RTE_VFIO_MODE_NOIOMMU whenever no IOMMU
 * translates, through either interface, so that a driver testing it to
 * decide that device addresses are physical is right. A driver that needs
 * the interface (group or cdev) or a capability asks
 * rte_vfio_get_interface() and rte_vfio_get_caps() instead of comparing
 * modes.
 *
 * Internal API for bus drivers and the EAL. Conventions: success returns 0
 * (or a file descriptor >= 0); failure returns -1 with rte_errno set:
 *
 * - EINVAL: bad argument;
 * - ENXIO: VFIO is not initialised (mode NONE);
 * - ENOTSUP: not possible in the current mode or with this IOMMU type;
 * - ENODEV: the device is not bound to a VFIO driver / not managed;
 * - ENOENT: not found (container, mapping);
 * - EEXIST: already assigned, or already mapped differently;
 * - ENOSPC: a table is full (containers, groups, kernel DMA entries);
 * - ENOMEM: out of memory;
 * - EACCES/EPERM: the kernel refused for permissions (VF token, node mode);
 * - EIO: the kernel refused for another reason (logged with strerror).
 *
 * Thread safety: every function may be called from any thread; calls on
 * the same container are serialised by a per-container lock, and DMA map
 * and unmap also hold the memory hotplug read lock.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_compat.h>
#include <rte_config.h>
#include <rte_eal.h>
#include <rte_errno.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Directory of the VFIO group nodes and of the container node. */
#define RTE_VFIO_DIR "/dev/vfio"
/** Container node of the group interface. */
#define RTE_VFIO_CONTAINER_PATH RTE_VFIO_DIR "/vfio"
/** IOMMUFD node of the cdev interface. */
#define RTE_VFIO_IOMMUFD_PATH "/dev/iommu"
/** Directory of the VFIO device nodes (cdev interface). */
#define RTE_VFIO_CDEV_DEVICES_PATH RTE_VFIO_DIR "/devices"
/** Group node of IOMMU group N (printf format, unsigned argument). */
#define RTE_VFIO_GROUP_FMT RTE_VFIO_DIR "/%u"
/** Group node of no-IOMMU group N (printf format, unsigned argument). */
#define RTE_VFIO_NOIOMMU_GROUP_FMT RTE_VFIO_DIR "/noiommu-%u"
/** Module parameter that reads Y when no-IOMMU mode is allowed. */
#define RTE_VFIO_NOIOMMU_MODE \
	"/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"

/** Pass as container_fd to mean the default container. */
#define RTE_VFIO_DEFAULT_CONTAINER_FD (-1)

/** Name of the vfio-pci kernel module, for rte_vfio_enable(). */
#define RTE_VFIO_PCI_MODULE "vfio_pci"

/** Mode in use: interface and IOMMU together, as upstream reports it. */
enum rte_vfio_mode {
	RTE_VFIO_MODE_NONE = 0, /**< VFIO unavailable or not initialised. */
	RTE_VFIO_MODE_GROUP,    /**< Container/group with an IOMMU. */
	RTE_VFIO_MODE_NOIOMMU,  /**< No IOMMU (group or cdev): IOVA is physical. */
	RTE_VFIO_MODE_CDEV,     /**< Device cdev + IOMMUFD with an IOMMU. */
};

/** Kernel interface in use, whatever the IOMMU. */
enum rte_vfio_interface {
	RTE_VFIO_INTERFACE_NONE = 0, /**< VFIO unavailable or not initialised. */
	RTE_VFIO_INTERFACE_GROUP,    /**< /dev/vfio/vfio container + groups. */
	RTE_VFIO_INTERFACE_CDEV,     /**< /dev/iommu + /dev/vfio/devices. */
};

/**
 * Capability of rte_vfio_get_caps(): an IOMMU translates device addresses
 * (IOVA as VA, devices isolated). Without it IOVAs are physical addresses.
 */
#define RTE_VFIO_CAP_IOMMU (UINT64_C(1) << 0)
/**
 * Capability: rte_vfio_container_dma_unmap() may unmap part of a mapping
 * (no-IOMMU groups); otherwise only whole mappings (ENOTSUP).
 */
#define RTE_VFIO_CAP_PARTIAL_UNMAP (UINT64_C(1) << 1)
/**
 * Capability: devices belong to IOMMU groups (rte_vfio_get_group_num()
 * works); otherwise devices are numbered cdevs (rte_vfio_get_device_num()).
 */
#define RTE_VFIO_CAP_GROUPS (UINT64_C(1) << 2)

struct vfio_device_info;
struct vfio_region_info;

/** One region of rte_vfio_container_dma_map_batch() and _unmap_batch(). */
struct rte_vfio_dma_region {
	uint64_t vaddr; /**< Start of the memory in this process. */
	uint64_t iova;  /**< Device address. */
	uint64_t len;   /**< Length in bytes, page aligned. */
};

#if RTE_EXEC_ENV_LINUX

/**
 * Detect and initialise VFIO according to --vfio-mode. Idempotent: a
 * second call returns 0 without doing anything.
 *
 * Without /sys/module/vfio the mode stays RTE_VFIO_MODE_NONE and the call
 * still returns 0. A secondary process obtains the mode, container and
 * IOVA mode from the primary.
 *
 * @param modname
 *   Kernel module that must be loaded for devices (e.g. "vfio_pci"), or
 *   NULL; only logged when absent.
 * @return
 *   0, or -1 with rte_errno: ENODEV a forced --vfio-mode is unusable (one
 *   log line names the missing module, node or parameter), EACCES/EPERM
 *   no permission on a node, EIO the primary did not answer (secondary),
 *   ENOMEM.
 */
__rte_internal
int rte_vfio_enable(const char *modname);

/**
 * @param modname
 *   Kernel module name (e.g. "vfio_pci").
 * @return
 *   1 when VFIO is initialised (mode not NONE) and /sys/module/<modname>
 *   exists, 0 otherwise.
 */
__rte_internal
int rte_vfio_is_enabled(const char *modname);

/**
 * @return
 *   The VFIO mode in use; RTE_VFIO_MODE_NONE before rte_vfio_enable() or
 *   without VFIO. RTE_VFIO_MODE_NOIOMMU whenever there is no IOMMU, group
 *   and cdev alike (rte_vfio_get_interface() tells them apart).
 */
__rte_internal
enum rte_vfio_mode rte_vfio_get_mode(void);

/**
 * Kernel interface in use, for a driver that opens nodes itself or needs
 * to know whether devices come from groups or cdevs.
 *
 * @return
 *   RTE_VFIO_INTERFACE_GROUP or RTE_VFIO_INTERFACE_CDEV;
 *   RTE_VFIO_INTERFACE_NONE before rte_vfio_enable() or without VFIO.
 */
__rte_internal
enum rte_vfio_interface rte_vfio_get_interface(void);

/**
 * What the VFIO set-up in use can do (also in a secondary process, which
 * has the primary's).
 *
 * @return
 *   A mask of RTE_VFIO_CAP_IOMMU, RTE_VFIO_CAP_PARTIAL_UNMAP and
 *   RTE_VFIO_CAP_GROUPS; 0 before rte_vfio_enable() or without VFIO.
 */
__rte_internal
uint64_t rte_vfio_get_caps(void);

/**
 * IOVA mode devices need through VFIO; buses vote with it.
 *
 * @return
 *   RTE_IOVA_VA when an IOMMU translates (group, cdev), RTE_IOVA_PA
 *   without one (no-IOMMU group or cdev), RTE_IOVA_DC when VFIO is not
 *   in use.
 */
__rte_internal
enum rte_iova_mode rte_vfio_get_iova_mode(void);

/**
 * Open a device and make it usable for DMA.
 *
 * When rte_vfio_container_assign_device() assigned the device before, the
 * descriptor opened then is returned and its container is kept (the same
 * holds for a device already set up: its descriptor is returned); otherwise
 * the device joins the default container (group mode: its group is
 * attached and, for the first group, the IOMMU is set and EAL memory
 * mapped; cdev mode: it is bound to the iommufd and attached to the IOAS).
 * A VF token given with --vfio-vf-token is presented to the kernel.
 *
 * @param sysfs_base
 *   Bus directory in sysfs, e.g. "/sys/bus/pci/devices".
 * @param dev_addr
 *   Device name in that directory, e.g. "0000:00:03.0".
 * @param vfio_dev_fd
 *   Receives the device descriptor.
 * @return
 *   0, or -1 with rte_errno: EINVAL bad argument, ENXIO VFIO not
 *   initialised, ENODEV the device is not bound to VFIO (not an error for
 *   a bus scan: skip the device), EACCES VF token refused, EPERM no
 *   permission, ENOSPC too many groups, EIO the kernel refused (group not
 *   viable, ...), ENOMEM.
 */
__rte_internal
int rte_vfio_setup_device(const char *sysfs_base, const char *dev_addr,
		int *vfio_dev_fd);

/**
 * Close a device opened with rte_vfio_setup_device(); its group is
 * released when its last device goes, and its container assignment is
 * forgotten. A device assigned with rte_vfio_container_assign_device()
 * but never set up is released with vfio_dev_fd -1.
 *
 * @param sysfs_base
 *   Bus directory in sysfs.
 * @param dev_addr
 *   Device name.
 * @param vfio_dev_fd
 *   Descriptor returned by rte_vfio_setup_device().
 * @return
 *   0, or -1 with rte_errno: EINVAL bad argument, ENXIO VFIO not
 *   initialised, ENOENT the device is not open under this descriptor.
 */
__rte_internal
int rte_vfio_release_device(const char *sysfs_base, const char *dev_addr,
		int vfio_dev_fd);

/**
 * Query a device with VFIO_DEVICE_GET_INFO. Sets nothing up.
 *
 * The caller sets device_info->argsz, as for the ioctl: sizeof(struct
 * vfio_device_info) for the struct alone (the kernel then raises argsz to
 * the size its capability chain needs, with VFIO_DEVICE_FLAGS_CAPS), or
 * the size of a larger buffer that receives the chain at cap_offset.
 *
 * @param vfio_dev_fd
 *   Device descriptor.
 * @param device_info
 *   In: argsz. Out: the information.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad argument, not a device descriptor,
 *   argsz below the kernel's minimum) or EIO.
 */
__rte_internal
int rte_vfio_get_device_info(int vfio_dev_fd,
		struct vfio_device_info *device_info);

/**
 * Query a region of a device with VFIO_DEVICE_GET_REGION_INFO, capability
 * chain included: the buffer grows to the argsz the kernel asks for (a
 * second call then receives the chain at cap_offset when
 * VFIO_REGION_INFO_FLAG_CAPS is set). The same in every mode; sets nothing
 * up. One log line names the descriptor, the region and the reason of a
 * failure.
 *
 * @param vfio_dev_fd
 *   Device descriptor (from rte_vfio_setup_device()).
 * @param index
 *   Region index (VFIO_PCI_BAR0_REGION_INDEX ..., or an fsl-mc region).
 * @param info
 *   Receives a buffer (calloc()) of at least (*info)->argsz bytes; the
 *   caller frees it with free(). Set to NULL on failure.
 * @return
 *   0, or -1 with rte_errno: EINVAL (info NULL or vfio_dev_fd negative),
 *   ENOMEM (no memory for the buffer), EIO (the kernel refused, e.g. no
 *   such region, or kept asking for a larger buffer).
 */
__rte_internal
int rte_vfio_get_region_info(int vfio_dev_fd, unsigned int index,
		struct vfio_region_info **info);

/**
 * IOMMU group number of a device, from its iommu_group link.
 *
 * @param sysfs_base
 *   Bus directory in sysfs.
 * @param dev_addr
 *   Device name.
 * @param iommu_group_num
 *   Receives the group number.
 * @return
 *   0, or -1 with rte_errno: EINVAL, ENXIO, ENOTSUP (cdev mode),
 *   ENODEV (no IOMMU group: not bound to VFIO).
 */
__rte_internal
int rte_vfio_get_group_num(const char *sysfs_base, const char *dev_addr,
		int *iommu_group_num);

/**
 * VFIO device number N of <dev>/vfio-dev/vfio<N> (or noiommu-vfio<N>).
 *
 * @param sysfs_base
 *   Bus directory in sysfs.
 * @param dev_addr
 *   Device name.
 * @param vfio_device_num
 *   Receives N.
 * @return
 *   0, or -1 with rte_errno: EINVAL, ENXIO, ENOTSUP (group modes),
 *   ENODEV (no vfio-dev entry: not bound to VFIO).
 */
__rte_internal
int rte_vfio_get_device_num(const char *sysfs_base, const char *dev_addr,
		int *vfio_device_num);

/**
 * Default container: the /dev/vfio/vfio descriptor (group modes) or the
 * iommufd (cdev). Never creates one.
 *
 * @return
 *   The descriptor, or -1 with rte_errno ENXIO (VFIO not initialised).
 */
__rte_internal
int rte_vfio_get_container_fd(void);

/**
 * Create a custom container (group modes: a new /dev/vfio/vfio; cdev: a
 * new iommufd with its own IOAS). Custom containers are process-local.
 *
 * @return
 *   Its descriptor, or -1 with rte_errno: ENXIO, ENOSPC (all
 *   RTE_MAX_VFIO_CONTAINERS in use), EIO, ENOMEM.
 */
__rte_internal
int rte_vfio_container_create(void);

/**
 * Destroy a custom container: its devices are closed, its groups released,
 * its mappings removed.
 *
 * @param container_fd
 *   Descriptor from rte_vfio_container_create().
 * @return
 *   0, or -1 with rte_errno: EINVAL (default container or bad value),
 *   ENXIO, ENOENT (not a container).
 */
__rte_internal
int rte_vfio_container_destroy(int container_fd);

/**
 * Open a device and attach it to a container now; a later
 * rte_vfio_setup_device() returns the descriptor opened here.
 *
 * @param container_fd
 *   Container descriptor (RTE_VFIO_DEFAULT_CONTAINER_FD for the default).
 * @param sysfs_base
 *   Bus directory in sysfs.
 * @param dev_addr
 *   Device name.
 * @return
 *   0, or -1 with rte_errno: EINVAL, ENXIO, ENOENT (no such container),
 *   EEXIST (already assigned), ENODEV (not bound to VFIO), EACCES, EIO,
 *   ENOSPC, ENOMEM.
 */
__rte_internal
int rte_vfio_container_assign_device(int container_fd, const char *sysfs_base,
		const char *dev_addr);

/**
 * Map user memory for DMA in a container.
 *
 * Mapping a range that is already mapped succeeds only when it is the same
 * vaddr -> iova mapping. The range must lie in an IOVA window the kernel
 * reports.
 *
 * @param container_fd
 *   Container descriptor, or RTE_VFIO_DEFAULT_CONTAINER_FD.
 * @param vaddr
 *   Start of the memory in this process.
 * @param iova
 *   Device address (in no-IOMMU modes only recorded).
 * @param len
 *   Length in bytes, page aligned.
 * @return
 *   0, or -1 with rte_errno: EINVAL (zero length, wrap, misaligned,
 *   outside the kernel's IOVA ranges), ENXIO, ENOENT (no such container),
 *   EEXIST (overlaps a different mapping), ENOSPC (the kernel's DMA entry
 *   limit is reached), ENOMEM (e.g. RLIMIT_MEMLOCK), EIO.
 */
__rte_internal
int rte_vfio_container_dma_map(int container_fd, uint64_t vaddr,
		uint64_t iova, uint64_t len);

/**
 * Unmap user memory mapped with rte_vfio_container_dma_map().
 *
 * type1 and iommufd (no-IOMMU cdev included) unmap whole mappings only: a
 * range that covers part of a mapping fails with ENOTSUP and changes
 * nothing; a range covering several whole mappings is fine. sPAPR too
 * (its memory pre-registration is undone whole). No-IOMMU groups allow
 * partial unmaps.
 *
 * @param container_fd
 *   Container descriptor, or RTE_VFIO_DEFAULT_CONTAINER_FD.
 * @param vaddr
 *   Start of the memory as mapped.
 * @param iova
 *   Device address as mapped.
 * @param len
 *   Length in bytes.
 * @return
 *   0, or -1 with rte_errno: EINVAL (zero length, wrap, misaligned),
 *   ENXIO, ENOENT (no such container, or nothing mapped there with this
 *   vaddr), ENOTSUP (partial unmap the backend cannot do), EIO.
 */
__rte_internal
int rte_vfio_container_dma_unmap(int container_fd, uint64_t vaddr,
		uint64_t iova, uint64_t len);

/**
 * Map several regions for DMA in a container, all or none.
 *
 * Each region is mapped as by rte_vfio_container_dma_map(), in array
 * order, under one lookup and one lock of the container: for a caller
 * that maps many regions at once (a memory pool of many chunks, a VM's
 * memory layout), this saves the per-call cost of the library. One kernel
 * mapping is still made per region, so that each can be unmapped on its
 * own later. When a region fails, the regions of this call mapped before
 * it are unmapped again and nothing is left.
 *
 * @param container_fd
 *   Container descriptor, or RTE_VFIO_DEFAULT_CONTAINER_FD.
 * @param regions
 *   The regions.
 * @param n
 *   Number of regions (0: nothing to do, returns 0).
 * @return
 *   0, or -1 with rte_errno as for rte_vfio_container_dma_map() (EINVAL
 *   also for regions NULL with n > 0); the first failing region is logged.
 */
__rte_internal
int rte_vfio_container_dma_map_batch(int container_fd,
		const struct rte_vfio_dma_region *regions, unsigned int n);

/**
 * Unmap several regions mapped with rte_vfio_container_dma_map() or
 * rte_vfio_container_dma_map_batch(), all or none.
 *
 * Each region is unmapped as by rte_vfio_container_dma_unmap(), in array
 * order, under one lookup and one lock of the container. When a region
 * fails, the regions of this call unmapped before it are mapped again.
 *
 * @param container_fd
 *   Container descriptor, or RTE_VFIO_DEFAULT_CONTAINER_FD.
 * @param regions
 *   The regions, as mapped.
 * @param n
 *   Number of regions (0: nothing to do, returns 0).
 * @return
 *   0, or -1 with rte_errno as for rte_vfio_container_dma_unmap() (EINVAL
 *   also for regions NULL with n > 0); the first failing region is logged.
 */
__rte_internal
int rte_vfio_container_dma_unmap_batch(int container_fd,
		const struct rte_vfio_dma_region *regions, unsigned int n);

#else /* !RTE_EXEC_ENV_LINUX: every call fails with ENOTSUP */

#define RTE_VFIO_STUB(ret) { rte_errno = ENOTSUP; return ret; }
static inline int rte_vfio_enable(const char *m __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_is_enabled(const char *m __rte_unused) { return 0; }
static inline enum rte_vfio_mode rte_vfio_get_mode(void) { return RTE_VFIO_MODE_NONE; }
static inline enum rte_iova_mode rte_vfio_get_iova_mode(void) { return RTE_IOVA_DC; }
static inline enum rte_vfio_interface rte_vfio_get_interface(void)
{ return RTE_VFIO_INTERFACE_NONE; }
static inline uint64_t rte_vfio_get_caps(void) { return 0; }
static inline int rte_vfio_setup_device(const char *b __rte_unused,
	const char *a __rte_unused, int *fd __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_release_device(const char *b __rte_unused,
	const char *a __rte_unused, int fd __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_get_device_info(int fd __rte_unused,
	struct vfio_device_info *i __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_get_region_info(int fd __rte_unused,
	unsigned int index __rte_unused,
	struct vfio_region_info **i __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_get_group_num(const char *b __rte_unused,
	const char *a __rte_unused, int *n __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_get_device_num(const char *b __rte_unused,
	const char *a __rte_unused, int *n __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_get_container_fd(void) RTE_VFIO_STUB(-1)
static inline int rte_vfio_container_create(void) RTE_VFIO_STUB(-1)
static inline int rte_vfio_container_destroy(int c __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_container_assign_device(int c __rte_unused,
	const char *b __rte_unused, const char *a __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_container_dma_map(int c __rte_unused,
	uint64_t v __rte_unused, uint64_t i __rte_unused,
	uint64_t l __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_container_dma_unmap(int c __rte_unused,
	uint64_t v __rte_unused, uint64_t i __rte_unused,
	uint64_t l __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_container_dma_map_batch(int c __rte_unused,
	const struct rte_vfio_dma_region *r __rte_unused,
	unsigned int n __rte_unused) RTE_VFIO_STUB(-1)
static inline int rte_vfio_container_dma_unmap_batch(int c __rte_unused,
	const struct rte_vfio_dma_region *r __rte_unused,
	unsigned int n __rte_unused) RTE_VFIO_STUB(-1)
#undef RTE_VFIO_STUB

#endif /* RTE_EXEC_ENV_LINUX */

#ifdef __cplusplus
}
#endif

#endif /* _RTE_VFIO_H_ */
