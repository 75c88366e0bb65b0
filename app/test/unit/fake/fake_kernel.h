/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _FAKE_KERNEL_H_
#define _FAKE_KERNEL_H_

/**
 * @file
 * A fake VFIO/iommufd kernel for cmocka unit tests.
 *
 * Linked into a test with the meson dependency fake_kernel_dep and the
 * link arguments fake_kernel_wrap_args, it intercepts open/openat (and
 * their 64-bit names), close, ioctl, mmap/munmap, pread/pwrite, stat and
 * access. Paths of device nodes (/dev/vfio/vfio, /dev/vfio/<N>,
 * /dev/vfio/noiommu-<N>, /dev/vfio/devices/vfio<N> and noiommu-vfio<N>,
 * /dev/iommu) and fds returned for them are modelled here; everything else
 * goes to the C library. Sysfs is a real temporary directory built by this
 * module; RTE_EAL_SYSFS_ROOT and SYSFS_PCI_DEVICES point the code at it.
 *
 * Where the fake and a real kernel disagree, the fake is wrong: see
 * doc/guides/prog_guide/fake_kernel.rst for what is modelled.
 *
 * Nothing here is thread safe against fake_kernel_reset(); the wrappers
 * themselves serialise on one lock.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>

/** Kernel configuration presets for fake_machine_setup(). */
enum fake_mode {
	/** vfio module not loaded: no /sys/module/vfio, no device nodes */
	FAKE_MODE_NONE,
	/** groups + type1 container (type1, type1v2), IOMMU groups viable */
	FAKE_MODE_GROUP,
	/** no-IOMMU groups (/dev/vfio/noiommu-<N>), enable_unsafe_noiommu_mode=Y */
	FAKE_MODE_NOIOMMU,
	/** iommufd + device cdev (6.12-like; groups and container also exist) */
	FAKE_MODE_CDEV,
	/** no-IOMMU cdev: noiommu-vfio<N> nodes + IOMMU_IOAS_NOIOMMU_GET_PA */
	FAKE_MODE_NOIOMMU_CDEV,
};

/**
 * Kernel features. fake_machine_setup() fills it for a mode; tests may
 * change fields afterwards (through fake_config()). Fields are read when
 * used (e.g. dma_entry_limit at VFIO_SET_IOMMU); those marked (sysfs)
 * need fake_sysfs_refresh() to show in sysfs.
 */
struct fake_config {
	bool vfio_module;	/**< /sys/module/vfio exists (sysfs) */
	bool vfio_pci_module;	/**< /sys/module/vfio_pci exists (sysfs) */
	bool type1_module;	/**< /sys/module/vfio_iommu_type1 (sysfs) */
	bool container;		/**< /dev/vfio/vfio opens (VFIO_CONTAINER) */
	bool iommufd;		/**< /dev/iommu opens */
	bool cdev;		/**< /dev/vfio/devices and vfio-dev/ entries */
	bool noiommu;		/**< enable_unsafe_noiommu_mode=Y (sysfs) */
	/** kernel has no-IOMMU cdev: IOMMU_IOAS_NOIOMMU_GET_PA answers */
	bool noiommu_cdev;
	/** cdev bind accepts VFIO_DEVICE_BIND_FLAG_TOKEN (6.17); else EINVAL */
	bool bind_token;
	/** the container offers sPAPR TCE (v1, v2) instead of type1 */
	bool spapr;
	/** vfio_iommu_type1 dma_entry_limit (default 65535) */
	uint32_t dma_entry_limit;
	/** type1 iova_pgsizes (default 4K | 2M | 1G) */
	uint64_t iova_pgsizes;
	/** usable IOVA ranges, inclusive (type1 cap and IOAS ranges) */
	struct vfio_iova_range iova_ranges[8];
	unsigned int nb_iova_ranges;	/**< default 1: [0, 2^48 - 1] */
	/** pages per physically contiguous run reported by GET_PA (512) */
	unsigned int pa_contig_pages;
	/** enable_unsafe_noiommu_mode set to Y at run time on a machine with
	 * an IOMMU: the groups stay IOMMU groups
	 */
	bool noiommu_param_flipped;
	/** the process lacks CAP_SYS_RAWIO: no-IOMMU nodes and GET_PA EPERM */
	bool no_rawio;
	/** /proc/self/pagemap reports frame 0 (no CAP_SYS_ADMIN) */
	bool pagemap_no_frames;
	/** pages move when a device attach pins them: pagemap reports
	 * another address than GET_PA does once pinned
	 */
	bool pages_move_on_pin;
};

/** Description of a PCI device for fake_pci_add(). */
struct fake_pci_desc {
	char addr[32];		/**< "DDDD:BB:DD.F" */
	int group;		/**< IOMMU group number */
	uint16_t vendor, device;
	uint32_t class_code;	/**< 24-bit class, e.g. 0x020000 */
	int numa_node;
	/** driver link target name ("vfio-pci"); "" = no driver */
	char driver[32];
	/** SR-IOV PF able to hold a VF token */
	bool sriov_pf;
	/** VF: address of its PF ("" = not a VF) */
	char pf_addr[32];
	bool reset_works;	/**< VFIO_DEVICE_FLAGS_RESET */
	/** region sizes; BARs get READ|WRITE|MMAP when nonzero */
	uint64_t bar_size[6];
	uint32_t config_size;	/**< 256 or 4096 */
	uint32_t irq_count[VFIO_PCI_NUM_IRQS];	/**< per IRQ index */
};

/** A DMA mapping as the fake kernel holds it. */
struct fake_dma {
	uint64_t vaddr;
	uint64_t iova;
	uint64_t size;
};

/* ---- lifecycle ---------------------------------------------------------- */

/**
 * Forget everything: close fake fds still open (real close), unmap live
 * device mappings, clear faults and counters, remove the sysfs tree and
 * unset RTE_EAL_SYSFS_ROOT and SYSFS_PCI_DEVICES. The configuration goes
 * back to FAKE_MODE_NONE.
 */
void fake_kernel_reset(void);

/**
 * Reset, then build a machine: configuration for the mode, a sysfs tree,
 * and nb_pci PCI devices 0000:00:<01+i>.0 (vendor 0x1b36, device 0x11e8,
 * BAR0 4 KiB + BAR2 1 MiB, 256-byte config space, 1 INTx, 1 MSI,
 * 8 MSI-X, ERR and REQ), each in its own group 10+i, bound to vfio-pci.
 * Sets RTE_EAL_SYSFS_ROOT and SYSFS_PCI_DEVICES.
 *
 * @return 0, or -1 with errno (sysfs tree creation failed).
 */
int fake_machine_setup(enum fake_mode mode, unsigned int nb_pci);

/** The live configuration (change it between setup and use). */
struct fake_config *fake_config(void);

/** Rewrite the sysfs pieces that depend on the configuration. */
int fake_sysfs_refresh(void);

/** Root of the sysfs tree ("" before fake_machine_setup()). */
const char *fake_sysfs_root(void);

/** Fill desc with the defaults of fake_machine_setup() for addr, group. */
void fake_pci_desc_default(struct fake_pci_desc *desc, const char *addr,
	int group);

/**
 * Add a PCI device: kernel state and its sysfs entry (iommu_group link,
 * driver link, vfio-dev/vfio<N> or noiommu-vfio<N> when cdev, vendor,
 * device, class, numa_node, resource, physfn for VFs). The group is
 * created on first use (no-IOMMU when the configuration is no-IOMMU); a
 * device bound to another driver than vfio-pci makes it non-viable.
 * Device cdev numbers are given in order of addition, from 0.
 *
 * @return 0, or -1 with errno (EEXIST address taken, ENOSPC table full,
 *   EINVAL more than 2048 vectors for an IRQ index, ENXIO no machine set
 *   up, or the sysfs error).
 */
int fake_pci_add(const struct fake_pci_desc *desc);

/** Add an fsl-mc object ("dprc.1", "dpni.0"...) in group, bound to
 * vfio-fsl-mc. @return 0 or -1 with errno. */
int fake_fslmc_add(const char *name, int group);

/** Mark a group (not) viable: a device in it is bound to a host driver. */
int fake_group_set_viable(int group, bool viable);

/**
 * Make a region sparse-mmappable: nr areas (offset, size) within it; mmap
 * outside them fails with EINVAL. nr = 0 removes the capability.
 */
int fake_pci_set_sparse(const char *addr, unsigned int index,
	const struct vfio_region_sparse_mmap_area *areas, unsigned int nr);

/* ---- fault injection ---------------------------------------------------- */

/** Make the nth (1-based, counted from now) ioctl(req) fail with err. */
void fake_fault_ioctl(unsigned long req, unsigned int nth, int err);

/**
 * Make the nth open/openat whose path contains path_substr fail with err
 * (any path, faked or real).
 */
void fake_fault_open(const char *path_substr, unsigned int nth, int err);

/**
 * Same for another path call: "open" (open/openat), "stat", "access" or
 * "readlink". Calls the C library makes internally (fopen, opendir) are
 * not seen.
 */
void fake_fault_path(const char *call, const char *path_substr,
	unsigned int nth, int err);

/** Make the nth mmap of a fake device fd fail with err. */
void fake_fault_mmap(unsigned int nth, int err);

/**
 * Make the nth (1-based, counted from now) pread (write false) or pwrite
 * (write true) of a fake device fd fail with err: config space and
 * region accesses through the device fd.
 */
void fake_fault_rw(bool write, unsigned int nth, int err);

/** Disarm every fault. */
void fake_fault_clear(void);

/* ---- accounting --------------------------------------------------------- */

/** Number of fake fds open (containers, groups, devices, iommufds). */
unsigned int fake_open_fds(void);

/** Number of live mmaps of device regions. */
unsigned int fake_live_mappings(void);

/**
 * DMA mappings held by the fake kernel in all live containers and IOASes
 * (alive as long as an fd, group or bound device holds them).
 */
unsigned int fake_dma_mapping_count(void);

/** ioctl calls made with req on fake fds since the last reset. */
unsigned int fake_ioctl_calls(unsigned long req);

/** Reads of /proc/self/pagemap since the last reset. */
unsigned int fake_pagemap_reads(void);

/**
 * Fail the current cmocka test (after listing them) if any fake fd or
 * device mapping is still open.
 */
void fake_assert_no_leaks(void);

/**
 * cmocka teardown: reset the fake kernel, and fail the test if it leaked
 * fake fds or mappings. Use with cmocka_unit_test_setup_teardown().
 */
int fake_teardown(void **state);

/* ---- inspection --------------------------------------------------------- */

/**
 * DMA mappings of the container behind fd (container fd), sorted by IOVA.
 * @return number of mappings (may exceed max), or -1 if fd is not a
 *   container.
 */
int fake_container_mappings(int container_fd, struct fake_dma *out,
	unsigned int max);

/** IOMMU type set on the container (0 = none), -1 if not a container. */
int fake_container_iommu_type(int container_fd);

/** Group number of a group fd, or -1. */
int fake_group_of_fd(int group_fd);

/** Number of groups attached to the container behind fd (-1: not one). */
int fake_container_groups(int container_fd);

/**
 * Mappings of IOAS ioas_id in the iommufd behind fd.
 * @return number of mappings (may exceed max), or -1 (no such IOAS).
 */
int fake_ioas_mappings(int iommufd, uint32_t ioas_id, struct fake_dma *out,
	unsigned int max);

/** Number of IOASes alive in the iommufd behind fd (-1: not an iommufd). */
int fake_ioas_count(int iommufd);

/**
 * Eventfds the device holds for an IRQ index (-1 entries: vector without
 * trigger). @return number of enabled vectors (0 = disabled), -1 unknown.
 */
int fake_device_irq_eventfds(const char *addr, unsigned int index,
	int *fds, unsigned int max);

/** 1 if INTx of the device is masked, 0 if not, -1 unknown device. */
int fake_device_intx_masked(const char *addr);

/** Number of VFIO_DEVICE_RESET done on the device, -1 unknown. */
int fake_device_reset_count(const char *addr);

/** Open device fds of the device (group or bound cdev), -1 unknown. */
int fake_device_open_count(const char *addr);

/**
 * IOAS the cdev device is attached to (0 = bound, not attached), -1 if
 * not bound.
 */
int64_t fake_device_attached_ioas(const char *addr);

/** VF token of a PF (16 bytes). @return 0, -1 unknown or not a PF. */
int fake_device_vf_token(const char *addr, uint8_t uuid[16]);

/** Config space byte of a device (for pread/pwrite tests), -1 unknown. */
int fake_device_config_byte(const char *addr, unsigned int off);

/** Physical address GET_PA reports for a user virtual address. */
uint64_t fake_noiommu_pa(uint64_t va);

/**
 * Physical address /proc/self/pagemap reports (the fake models it: the
 * same as fake_noiommu_pa() unless pages_move_on_pin).
 */
uint64_t fake_pagemap_pa(uint64_t va);

#endif /* _FAKE_KERNEL_H_ */
