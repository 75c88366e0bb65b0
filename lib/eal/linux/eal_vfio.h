/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_VFIO_H_
#define _EAL_VFIO_H_

/*
 * VFIO internals shared by the front end (eal_vfio.c, eal_vfio_mem.c: no
 * ioctl), the backends (eal_vfio_group.c, eal_vfio_cdev.c: only kernel
 * calls, no bookkeeping) and the multi-process sync (eal_vfio_mp_sync.c).
 *
 * Generic code reaches a backend only through its operations table.
 */

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_config.h>
#include <rte_eal.h>
#include <rte_vfio.h>

#include "eal_vfio_lock.h"
#include "eal_vfio_maps.h"
#include "eal_vfio_result.h"

/** Index of the default container in the container table. */
#define VFIO_DEFAULT_CONTAINER 0

/* paths: the driver-facing macros of rte_vfio.h, plus what only we need */
#define VFIO_CONTAINER_PATH RTE_VFIO_CONTAINER_PATH
#define VFIO_GROUP_PATH_FMT RTE_VFIO_DIR "/%d"
#define VFIO_NOIOMMU_GROUP_PATH_FMT RTE_VFIO_DIR "/noiommu-%d"
#define VFIO_IOMMUFD_PATH RTE_VFIO_IOMMUFD_PATH
#define VFIO_CDEV_DIR RTE_VFIO_CDEV_DEVICES_PATH
#define VFIO_CDEV_PATH_FMT RTE_VFIO_CDEV_DEVICES_PATH "/vfio%d"
#define VFIO_NOIOMMU_CDEV_PATH_FMT RTE_VFIO_CDEV_DEVICES_PATH "/noiommu-vfio%d"
#define VFIO_MODULE_DIR "/sys/module/vfio"
#define VFIO_NOIOMMU_PARAM RTE_VFIO_NOIOMMU_MODE

/** Requests a secondary sends (DESIGN section 7). */
enum vfio_mp_request {
	VFIO_MP_CONTAINER = 1, /**< fd + mode */
	VFIO_MP_IOVA_MODE,     /**< IOVA mode */
	VFIO_MP_IOMMU_TYPE,    /**< group: IOMMU type */
	VFIO_MP_GROUP,         /**< group number -> group fd or no fd */
	VFIO_MP_CDEV,          /**< cdev number -> device fd or no fd */
	VFIO_MP_IOAS_ID,       /**< cdev: IOAS of the default container */
	VFIO_MP_INTERFACE,     /**< enum rte_vfio_interface (group or cdev) */
	VFIO_MP_REQUEST_MAX
};

/** A device opened through VFIO. */
struct vfio_device {
	TAILQ_ENTRY(vfio_device) next;
	char sysfs_base[PATH_MAX];
	char addr[RTE_DEV_NAME_MAX_LEN];
	int fd;          /**< Device descriptor. */
	/**
	 * N of the node the device is reached through: its IOMMU group
	 * /dev/vfio/N (VFIO_CAP_GROUPS) or its cdev /dev/vfio/devices/vfioN.
	 */
	int node_num;
	bool setup;      /**< Handed out by rte_vfio_setup_device(). */
	bool vf_token;   /**< SR-IOV PF or VF: --vfio-vf-token applies. */
	bool attached;   /**< cdev: attached to the IOAS by this process. */
};

TAILQ_HEAD(vfio_device_list, vfio_device);

/*
 * What a container's kernel context can do: data the backend sets when it
 * opens or adopts the container, read by the front end instead of asking
 * the backend (struct vfio_container.caps).
 */
/** An IOMMU translates: the IOVA ranges apply to mappings. */
#define VFIO_CAP_TRANSLATION (UINT32_C(1) << 0)
/** The kernel can unmap part of a mapping. */
#define VFIO_CAP_PARTIAL_UNMAP (UINT32_C(1) << 1)
/** Devices come in IOMMU groups: struct vfio_device.node_num is a group. */
#define VFIO_CAP_GROUPS (UINT32_C(1) << 2)
/** No translation, the kernel only pins the pages of a mapping. */
#define VFIO_CAP_PIN_ONLY (UINT32_C(1) << 3)
/** The front end maps the EAL memory into the default container. */
#define VFIO_CAP_MAPS_EAL_MEMORY (UINT32_C(1) << 4)

/** A usable IOVA range [start, last] of a kernel context. */
struct vfio_window {
	uint64_t start;
	uint64_t last;
};

/** A container: group mode /dev/vfio/vfio, cdev mode an iommufd + IOAS. */
struct vfio_container {
	struct vfio_lock lock;      /**< Serialises everything below. */
	bool used;
	bool is_default;
	int fd;                     /**< Container descriptor or iommufd. */
	bool adopted;               /**< The primary's default one (secondary). */
	bool slot_ready;            /**< lock and lists initialised. */
	struct vfio_device_list devices;
	struct vfio_maps user_maps; /**< rte_vfio_container_dma_map(). */
	/** EAL memory (default, primary): freeable pages, fixed runs. */
	struct vfio_maps mem_maps;
	bool mem_mapped;            /**< EAL memory is in the kernel context. */
	uint32_t caps;              /**< VFIO_CAP_*, set by the backend. */
	/** The kernel context exists: mappings reach the kernel. */
	bool kernel_context;
	/** Usable IOVA ranges (VFIO_CAP_TRANSLATION): vfio_windows_set(). */
	struct vfio_window *windows;
	uint32_t n_windows;
	bool windows_valid;         /**< windows are current. */
};

/**
 * A backend: everything that talks to the kernel for one interface. The
 * table is embedded in the backend's own state.
 */
struct vfio_backend_ops {
	const char *name;
	/**
	 * Can the backend run here? When not, why receives the missing piece
	 * (module, node, permission).
	 */
	enum vfio_result (*probe)(bool noiommu, char *why, size_t len);
	/** Global setup once chosen (a secondary asks the primary). */
	enum vfio_result (*setup)(bool noiommu);
	void (*teardown)(void);
	/** IOMMU in use, for the log: "type1v2", "iommufd", ... */
	const char *(*iommu_name)(void);
	/** Group number (VFIO_CAP_GROUPS) or cdev number of a device. */
	enum vfio_result (*device_num)(const char *sysfs_base,
		const char *addr, int *num);
	/**
	 * The container of slot index (0: the default one), embedded in the
	 * backend's own state of it (container_of()); the front end's table
	 * points at these while the backend is in use.
	 */
	struct vfio_container *(*container_slot)(unsigned int index);
	/**
	 * Create a container: sets c->fd, c->caps and c->kernel_context.
	 */
	enum vfio_result (*container_open)(struct vfio_container *c);
	/** Close everything container_open() or _adopt() acquired. */
	void (*container_close)(struct vfio_container *c);
	/**
	 * Open d (sysfs_base, addr, node_num set) and attach it to c; sets
	 * d->fd.
	 * shared_fd: what the primary sent for device_request (-1: nothing);
	 * the backend owns it, also on failure. *new_context: the kernel
	 * context of c was created by this open (mappings must be replayed).
	 */
	enum vfio_result (*device_open)(struct vfio_container *c,
		struct vfio_device *d, int shared_fd, bool *new_context);
	/** Close d; returns true when c's kernel context went with it. */
	bool (*device_close)(struct vfio_container *c, struct vfio_device *d);
	/**
	 * Optional: read the usable IOVA ranges of c into c->windows
	 * (vfio_windows_set()) when they are not current. Without it the
	 * backend sets them when the kernel context appears.
	 */
	enum vfio_result (*iova_ranges)(struct vfio_container *c);
	/** Kernel calls, installed for the IOMMU type in use. */
	enum vfio_result (*dma_map)(struct vfio_container *c, uint64_t va,
		uint64_t iova, uint64_t len);
	enum vfio_result (*dma_unmap)(struct vfio_container *c, uint64_t va,
		uint64_t iova, uint64_t len);

	/*
	 * Multi-process: the primary exports, a secondary adopts; the front
	 * end carries the requests, backends never send one.
	 */
	/** Request answered with container_export(). */
	enum vfio_mp_request container_request;
	/**
	 * Primary: the number a secondary needs to use the default container
	 * (group: IOMMU type; cdev: IOAS id), -1 when there is none. Caller
	 * holds c->lock.
	 */
	int64_t (*container_export)(const struct vfio_container *c);
	/**
	 * Secondary: use the primary's container fd (the caller's again on
	 * failure) with what container_export() gave.
	 */
	enum vfio_result (*container_adopt)(struct vfio_container *c, int fd,
		int64_t exported);
	/** Request answered with device_export(). */
	enum vfio_mp_request device_request;
	/**
	 * Primary: a duplicate (the caller closes it) of the descriptor a
	 * secondary needs for device number num (group: the group fd; cdev:
	 * the bound device fd), -1 when there is none. Caller holds c->lock.
	 */
	int (*device_export)(const struct vfio_container *c, int num);
	/** Secondary: opening d in the adopted c needs device_request. */
	bool (*device_needs_export)(const struct vfio_container *c,
		const struct vfio_device *d);
};


/** Front end state (eal_vfio.c), shared with eal_vfio_mode.c and _dma.c. */
struct vfio_state {
	pthread_mutex_t lock;       /**< State and container table. */
	bool enabled;               /**< rte_vfio_enable() done. */
	enum rte_vfio_mode mode;
	enum rte_iova_mode iova_mode;
	const struct vfio_backend_ops *ops; /**< NULL in mode NONE. */
	/** The backend's container slots; all NULL without a backend. */
	struct vfio_container *containers[RTE_MAX_VFIO_CONTAINERS];
};

extern struct vfio_state vfio_state;

/* containers (eal_vfio.c) */

/**
 * Point the container table at the slots of ops (initialising their locks
 * and lists the first time), or at nothing (ops NULL). Caller holds the
 * state lock; no container is in use.
 */
void vfio_tables_bind(const struct vfio_backend_ops *ops);

/** Open c through the backend (fd >= 0: adopt the primary's). */
enum vfio_result vfio_container_open(struct vfio_container *c,
		bool is_default, int fd);

/** Close c, its devices and mappings; caller holds c->lock. */
void vfio_container_close(struct vfio_container *c);

/**
 * VFIO_NOT_INIT unless enabled with a mode (a backend in use): the one
 * "VFIO ready" check of the front end.
 */
enum vfio_result vfio_check_ready(void);

/**
 * Find a container (RTE_VFIO_DEFAULT_CONTAINER_FD: the default one) and
 * return it locked; the caller unlocks c->lock.
 */
enum vfio_result vfio_container_get(int fd, struct vfio_container **out);

/* front end services for backends and mp sync (eal_vfio.c) */

/** The default container; NULL without a backend. */
struct vfio_container *vfio_default_container(void);


/**
 * Primary's answer to req when the backend in use exports for it: its
 * container_request (the value a secondary adopts the default container
 * with) or its device_request for number arg (a duplicate descriptor,
 * taken under the container lock, that the caller closes).
 *
 * @return
 *   VFIO_OK; VFIO_NOT_FOUND when the primary has no such device;
 *   VFIO_INVALID for a bad number; VFIO_UNSUPPORTED when the backend in
 *   use does not answer req or has nothing to export.
 */
enum vfio_result vfio_export(enum vfio_mp_request req, int64_t arg,
		int64_t *value, int *fd);

/** "<root>/sys/..." where root is eal_sysfs_root(). */
int vfio_sysfs_path(char *buf, size_t len, const char *path);

/** 1 when path exists and is a directory (goes through stat()). */
bool vfio_dir_exists(const char *path);

/* multi-process (eal_vfio_mp_sync.c) */


/** Name of the multi-process action. */
#define VFIO_MP_NAME "eal_vfio_mp_sync"

/** Reply status. */
enum vfio_mp_status {
	VFIO_MP_OK = 0,
	VFIO_MP_NO_FD = 1,   /**< the primary has no such object */
	VFIO_MP_ERROR = -1,  /**< bad request or wrong mode */
};

/** Request and reply payload. */
struct vfio_mp_param {
	int32_t req;     /**< enum vfio_mp_request; echoed in the reply */
	int32_t status;  /**< reply: enum vfio_mp_status */
	int64_t value;   /**< request: group/cdev number; reply: the answer */
};

/** Register the primary's handler (ENOTSUP without channel is fine). */
enum vfio_result vfio_mp_sync_register(void);
void vfio_mp_sync_unregister(void);

/**
 * Ask the primary (secondary only).
 *
 * @param req
 *   Request.
 * @param arg
 *   Group or cdev number for GROUP and CDEV.
 * @param value
 *   Receives the numeric answer (mode, IOVA mode, IOMMU type, IOAS id).
 * @param fd
 *   Receives the descriptor for CONTAINER, GROUP, CDEV (-1: no fd); may
 *   be NULL for the others.
 * @return
 *   VFIO_OK, VFIO_NOT_FOUND (the primary has no such object),
 *   VFIO_KERNEL_ERROR (no answer or an error answer).
 */
enum vfio_result vfio_mp_request(enum vfio_mp_request req, int64_t arg,
		int64_t *value, int *fd);

/* DMA transactions (eal_vfio_dma.c); caller holds c->lock */

/**
 * Map [iova, iova + len) at va and book it in set (c->user_maps or
 * c->mem_maps): check both sets, the IOVA ranges, reserve, kernel call
 * (when the kernel context exists), then commit. Nothing is booked on
 * failure.
 *
 * @return
 *   VFIO_OK (also when the range is booked the same way already),
 *   VFIO_EXISTS, VFIO_INVALID (outside the IOVA ranges), VFIO_NO_MEMORY,
 *   or the kernel's refusal.
 */
enum vfio_result vfio_dma_map(struct vfio_container *c, struct vfio_maps *set,
		uint64_t va, uint64_t iova, uint64_t len);

/**
 * Unmap a booked range of set, piece by piece so that the books follow
 * every kernel success. Unbooked EAL memory is not an error worth a log.
 *
 * @return
 *   VFIO_OK, VFIO_NOT_FOUND, VFIO_UNSUPPORTED (part of a mapping the
 *   IOMMU cannot split), VFIO_NO_MEMORY or the kernel's refusal.
 */
enum vfio_result vfio_dma_unmap(struct vfio_container *c,
		struct vfio_maps *set, uint64_t va, uint64_t iova, uint64_t len);

/** The kernel call of a booked mapping, for replays (IOVA ranges checked). */
enum vfio_result vfio_dma_kernel_map(struct vfio_container *c, uint64_t va,
		uint64_t iova, uint64_t len);

/**
 * Last IOVA a mapping starting at iova may reach without leaving its
 * usable IOVA range: UINT64_MAX when the ranges do not apply or are
 * unknown, iova itself when iova is in none (the map then fails and says
 * why). Lets EAL memory runs stop at range boundaries.
 */
uint64_t vfio_dma_window_last(struct vfio_container *c, uint64_t iova);

/** Backends: the usable IOVA ranges of c are w[0..n) (c owns w now). */
void vfio_windows_set(struct vfio_container *c, struct vfio_window *w,
		uint32_t n);

/** Backends: the IOVA ranges of c changed or went; free them. */
void vfio_windows_forget(struct vfio_container *c);

/* EAL memory (eal_vfio_mem.c) */

/**
 * Map the EAL memory into c when c is the default container of a
 * primary whose memory is initialised and c's context is ready. Caller
 * holds the memory hotplug lock (read or write) and c->lock.
 */
enum vfio_result vfio_mem_map_all(struct vfio_container *c);

/** c lost its kernel context: forget EAL memory mappings. */
void vfio_mem_forget(struct vfio_container *c);

/**
 * The kernel could not pin the pages mapped in c (ENOMEM, e.g. at the
 * first device attach of an IOAS): log whether RLIMIT_MEMLOCK is the
 * reason, the size needed and how to raise it. Caller holds c->lock.
 */
void vfio_mem_explain_enomem(const struct vfio_container *c);

/**
 * Take / drop the memory hotplug read lock once memory is initialised
 * (before that nothing can change the memory map).
 */
bool vfio_mem_lock(void);
void vfio_mem_unlock(bool locked);

#endif /* _EAL_VFIO_H_ */
