/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_INTERRUPTS_H_
#define _RTE_INTERRUPTS_H_

/**
 * @file
 * Interrupt handles and the EAL interrupt thread.
 *
 * An interrupt handle describes where an interrupt arrives: a file
 * descriptor (eventfd, timerfd, UIO fd ...), its type, the VFIO device fd
 * it belongs to and the per-vector event fds of a device. Callbacks
 * registered on a handle run in the EAL interrupt thread when its fd
 * becomes readable. Enabling and disabling the interrupt in the device is
 * done by the operations the bus driver registered for the handle type.
 */

#include <stdint.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest number of per-vector event fds in a handle. */
#define RTE_MAX_RXTX_INTR_VEC_ID 512

/** Handle memory is private to the process (the only kind supported). */
#define RTE_INTR_INSTANCE_F_PRIVATE 0x00000000
/** Handle memory shared between processes (accepted, allocated privately). */
#define RTE_INTR_INSTANCE_F_SHARED 0x00000001

/** Kind of interrupt source. */
enum rte_intr_handle_type {
	RTE_INTR_HANDLE_UNKNOWN = 0, /**< Not set. */
	RTE_INTR_HANDLE_UIO,         /**< UIO device fd. */
	RTE_INTR_HANDLE_VFIO_LEGACY, /**< VFIO INTx eventfd. */
	RTE_INTR_HANDLE_VFIO_MSI,    /**< VFIO MSI eventfd. */
	RTE_INTR_HANDLE_VFIO_MSIX,   /**< VFIO MSI-X eventfd. */
	RTE_INTR_HANDLE_VFIO_REQ,    /**< VFIO device request (removal). */
	RTE_INTR_HANDLE_EXT,         /**< External fd: the callback reads it. */
	RTE_INTR_HANDLE_ALARM,       /**< EAL alarm timerfd. */
	RTE_INTR_HANDLE_DEV_EVENT,   /**< Device event socket. */
	RTE_INTR_HANDLE_MAX          /**< Number of types. */
};

/** Opaque interrupt handle. */
struct rte_intr_handle;

/**
 * Interrupt callback, run in the interrupt thread.
 *
 * @param cb_arg
 *   Argument given at registration.
 */
typedef void (*rte_intr_callback_fn)(void *cb_arg);

/**
 * Called for a callback unregistered with
 * rte_intr_callback_unregister_pending(), once it is really removed.
 *
 * @param intr_handle
 *   Handle it was registered on.
 * @param cb_arg
 *   Its argument.
 */
typedef void (*rte_intr_unregister_callback_fn)(
		struct rte_intr_handle *intr_handle, void *cb_arg);

/** Device-side operations for one handle type (registered by a bus). */
struct rte_intr_type_ops {
	/** Enable the interrupt in the device; 0 or -1 with rte_errno. */
	int (*enable)(const struct rte_intr_handle *intr_handle);
	/** Disable it; 0 or -1 with rte_errno. */
	int (*disable)(const struct rte_intr_handle *intr_handle);
	/**
	 * Create nb_efd per-vector event fds and store them in the handle
	 * (rte_intr_efds_index_set, rte_intr_nb_efd_set,
	 * rte_intr_max_intr_set); 0 or -1 with rte_errno, leaving none.
	 */
	int (*efd_enable)(struct rte_intr_handle *intr_handle,
			uint32_t nb_efd);
	/** Close the per-vector event fds and reset their count. */
	void (*efd_disable)(struct rte_intr_handle *intr_handle);
};

/**
 * Install the operations of a handle type; NULL removes them.
 *
 * @param type
 *   Handle type (not UNKNOWN, EXT, ALARM, DEV_EVENT: they need none).
 * @param ops
 *   Operations (kept by pointer: static storage), or NULL.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad type), EEXIST (other operations
 *   already registered for this type).
 */
__rte_internal
int rte_intr_type_ops_register(enum rte_intr_handle_type type,
		const struct rte_intr_type_ops *ops);

/**
 * Allocate an interrupt handle: fd and device fd -1, type UNKNOWN, no
 * event fds.
 *
 * @param flags
 *   RTE_INTR_INSTANCE_F_PRIVATE or RTE_INTR_INSTANCE_F_SHARED.
 * @return
 *   The handle, or NULL with rte_errno EINVAL (unknown flag), ENOMEM.
 */
struct rte_intr_handle *rte_intr_instance_alloc(uint32_t flags);

/**
 * Free a handle (NULL is accepted). Descriptors stored in it are not
 * closed: their owner closes them.
 *
 * @param intr_handle
 *   Handle.
 */
void rte_intr_instance_free(struct rte_intr_handle *intr_handle);

/**
 * Set the fd interrupts arrive on.
 *
 * @param intr_handle
 *   Handle.
 * @param fd
 *   Descriptor, or -1.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL handle).
 */
int rte_intr_fd_set(struct rte_intr_handle *intr_handle, int fd);

/**
 * @param intr_handle
 *   Handle.
 * @return
 *   The fd, or -1 (also with rte_errno EINVAL for a NULL handle).
 */
int rte_intr_fd_get(const struct rte_intr_handle *intr_handle);

/**
 * Set the handle type.
 *
 * @param intr_handle
 *   Handle.
 * @param type
 *   Type.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL handle, type out of range).
 */
int rte_intr_type_set(struct rte_intr_handle *intr_handle,
		enum rte_intr_handle_type type);

/**
 * @param intr_handle
 *   Handle.
 * @return
 *   The type; RTE_INTR_HANDLE_UNKNOWN with rte_errno EINVAL for NULL.
 */
enum rte_intr_handle_type rte_intr_type_get(
		const struct rte_intr_handle *intr_handle);

/**
 * Set the device fd (the VFIO device the interrupt belongs to).
 *
 * @param intr_handle
 *   Handle.
 * @param fd
 *   Descriptor, or -1.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL handle).
 */
int rte_intr_dev_fd_set(struct rte_intr_handle *intr_handle, int fd);

/**
 * @param intr_handle
 *   Handle.
 * @return
 *   The device fd, or -1 (also with rte_errno EINVAL for NULL).
 */
int rte_intr_dev_fd_get(const struct rte_intr_handle *intr_handle);

/**
 * Set the number of interrupt vectors the device uses.
 *
 * @param intr_handle
 *   Handle.
 * @param max_intr
 *   Vectors (at most RTE_MAX_RXTX_INTR_VEC_ID + 1).
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL handle, out of range).
 */
int rte_intr_max_intr_set(struct rte_intr_handle *intr_handle, int max_intr);

/**
 * @param intr_handle
 *   Handle.
 * @return
 *   Vectors, or -1 with rte_errno EINVAL for NULL.
 */
int rte_intr_max_intr_get(const struct rte_intr_handle *intr_handle);

/**
 * Set the number of per-vector event fds in use.
 *
 * @param intr_handle
 *   Handle.
 * @param nb_efd
 *   Count (at most RTE_MAX_RXTX_INTR_VEC_ID).
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL handle, out of range).
 */
int rte_intr_nb_efd_set(struct rte_intr_handle *intr_handle, int nb_efd);

/**
 * @param intr_handle
 *   Handle.
 * @return
 *   Count, or -1 with rte_errno EINVAL for NULL.
 */
int rte_intr_nb_efd_get(const struct rte_intr_handle *intr_handle);

/**
 * Store the event fd of one vector.
 *
 * @param intr_handle
 *   Handle.
 * @param index
 *   Vector index, below RTE_MAX_RXTX_INTR_VEC_ID.
 * @param fd
 *   Descriptor, or -1.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL handle, index out of range).
 */
int rte_intr_efds_index_set(struct rte_intr_handle *intr_handle, int index,
		int fd);

/**
 * @param intr_handle
 *   Handle.
 * @param index
 *   Vector index.
 * @return
 *   The event fd (-1 when unset), or -1 with rte_errno EINVAL (NULL
 *   handle, index out of range).
 */
int rte_intr_efds_index_get(const struct rte_intr_handle *intr_handle,
		int index);

/**
 * Call cb(cb_arg) in the interrupt thread each time the handle's fd is
 * readable. For UIO, VFIO and ALARM handles the EAL consumes the event
 * (reads the counter) before calling; for EXT and DEV_EVENT handles the
 * callback must read the fd itself.
 *
 * @param intr_handle
 *   Handle with a valid fd. Callbacks are keyed by fd: the handle may be
 *   freed while they stay registered.
 * @param cb
 *   Callback.
 * @param cb_arg
 *   Its argument.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL handle or callback, fd < 0),
 *   EEXIST (same cb and cb_arg already registered on this fd), ENOMEM,
 *   ENOTSUP (interrupt thread not running: EAL not initialised), EIO
 *   (epoll refused the fd).
 */
int rte_intr_callback_register(const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg);

/**
 * Remove callbacks from a handle's fd. When the last one goes, the fd
 * leaves the interrupt thread's epoll set before this returns.
 *
 * @param intr_handle
 *   Handle.
 * @param cb
 *   Callback.
 * @param cb_arg
 *   Its argument, or (void *)-1 for every argument.
 * @return
 *   Number of callbacks removed (>0), or -1 with rte_errno EINVAL (NULL
 *   handle or callback, fd < 0), ENOENT (no such callback), EAGAIN (the
 *   fd's callbacks are running now: retry, or use
 *   rte_intr_callback_unregister_pending() from inside a callback).
 */
int rte_intr_callback_unregister(const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg);

/**
 * Like rte_intr_callback_unregister(), but waits while the callbacks are
 * running. Must not be called from a callback of the same fd.
 *
 * @param intr_handle
 *   Handle.
 * @param cb
 *   Callback.
 * @param cb_arg
 *   Its argument, or (void *)-1.
 * @return
 *   As rte_intr_callback_unregister(), never EAGAIN; EDEADLK when called
 *   from the interrupt thread while that fd's callbacks run.
 */
int rte_intr_callback_unregister_sync(
		const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg);

/**
 * Unregister callbacks of an fd whose callbacks are running (typically
 * from one of them): they are removed when the running round ends, and
 * ucb_fn (if not NULL) is then called for each.
 *
 * @param intr_handle
 *   Handle.
 * @param cb
 *   Callback.
 * @param cb_arg
 *   Its argument, or (void *)-1.
 * @param ucb_fn
 *   Called after removal, or NULL.
 * @return
 *   Number of callbacks marked, or -1 with rte_errno EINVAL, ENOENT,
 *   EAGAIN (the fd's callbacks are not running: use
 *   rte_intr_callback_unregister()).
 */
int rte_intr_callback_unregister_pending(
		const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg,
		rte_intr_unregister_callback_fn ucb_fn);

/**
 * Enable the interrupt in the device through the operations of its type.
 *
 * @param intr_handle
 *   Handle.
 * @return
 *   0 (EXT, ALARM, DEV_EVENT: nothing to do), or -1 with rte_errno EINVAL
 *   (NULL handle, fd < 0), ENOTSUP (no operations registered for the
 *   type), or the rte_errno of the operation.
 */
int rte_intr_enable(const struct rte_intr_handle *intr_handle);

/**
 * Disable the interrupt in the device.
 *
 * @param intr_handle
 *   Handle.
 * @return
 *   As rte_intr_enable().
 */
int rte_intr_disable(const struct rte_intr_handle *intr_handle);

/**
 * Set up nb_efd per-vector event fds through the operations of the type.
 *
 * @param intr_handle
 *   Handle.
 * @param nb_efd
 *   Vectors wanted, 1..RTE_MAX_RXTX_INTR_VEC_ID.
 * @return
 *   0 (EXT: the driver stores its own fds), or -1 with rte_errno EINVAL
 *   (NULL handle, nb_efd out of range), ENOTSUP (no operations for the
 *   type), or the rte_errno of the operation.
 */
int rte_intr_efd_enable(struct rte_intr_handle *intr_handle, uint32_t nb_efd);

/**
 * Release the per-vector event fds (no-op when the type has no
 * operations).
 *
 * @param intr_handle
 *   Handle (NULL is ignored).
 */
void rte_intr_efd_disable(struct rte_intr_handle *intr_handle);

/**
 * @return
 *   1 when the caller runs in the EAL interrupt thread, else 0.
 */
int rte_thread_is_intr(void);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_INTERRUPTS_H_ */
