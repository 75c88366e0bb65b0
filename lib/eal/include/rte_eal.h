/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_EAL_H_
#define _RTE_EAL_H_

/**
 * @file
 * EAL initialisation, process roles, IOVA mode and the multi-process
 * channel (rte_mp_*).
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rte_common.h>
#include <rte_config.h>
#include <rte_uuid.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Role of this process. */
enum rte_proc_type_t {
	RTE_PROC_AUTO = -1,  /**< Decide at init: secondary if a primary runs. */
	RTE_PROC_PRIMARY = 0, /**< Owns hardware and shared configuration. */
	RTE_PROC_SECONDARY,  /**< Attaches to a running primary. */
	RTE_PROC_INVALID
};

/** How devices address memory. */
enum rte_iova_mode {
	RTE_IOVA_DC = 0,        /**< Don't care (undecided vote). */
	RTE_IOVA_PA = (1 << 0), /**< IOVA = physical address. */
	RTE_IOVA_VA = (1 << 1), /**< IOVA = virtual address. */
};

/** Interrupt mode requested with --vfio-intr. */
enum rte_intr_mode {
	RTE_INTR_MODE_NONE = 0, /**< Not set: the driver picks the best. */
	RTE_INTR_MODE_LEGACY,   /**< INTx. */
	RTE_INTR_MODE_MSI,      /**< MSI. */
	RTE_INTR_MODE_MSIX,     /**< MSI-X. */
};

/**
 * Initialise the EAL: parse options, set up logging, the runtime
 * directory, the multi-process channel, VFIO, buses, memory, and probe
 * devices.
 *
 * On failure nothing is left behind: no file in the runtime directory, no
 * thread, no open file descriptor.
 *
 * @param argc
 *   Argument count.
 * @param argv
 *   Arguments; EAL options come first and end at "--" or at the first
 *   argument that is not an EAL option.
 * @return
 *   Number of arguments consumed (argv[0] included), or -1 with rte_errno:
 *   EINVAL an invalid option (one log line names it and the accepted
 *   values), EALREADY already initialised, EACCES/EPERM permission on the
 *   runtime directory or devices, ENOTSUP a requested mode not available,
 *   ENOMEM, ENODEV a forced VFIO mode that the kernel does not offer,
 *   ENOENT secondary without a primary, EIO other system failure.
 */
int rte_eal_init(int argc, char **argv);

/** Prints the application's own options; see rte_set_application_usage_hook(). */
typedef void (*rte_usage_hook_t)(const char *prgname);

/**
 * Have -h/--help print the application's options after the EAL's.
 *
 * Call it before rte_eal_init(): with -h or --help, rte_eal_init() prints
 * the EAL options, calls the hook, and exits with status 0.
 *
 * @param usage_func
 *   Prints the application's options to stdout; NULL removes the hook.
 * @return
 *   The previous hook, or NULL.
 */
rte_usage_hook_t rte_set_application_usage_hook(rte_usage_hook_t usage_func);

/**
 * Release everything rte_eal_init() acquired (devices, VFIO, memory,
 * threads, runtime-directory files). rte_eal_init() may be called again
 * afterwards.
 *
 * @return
 *   0, or -1 with rte_errno EALREADY when the EAL is not initialised.
 */
int rte_eal_cleanup(void);

/**
 * @return
 *   Role of this process (valid after rte_eal_init()).
 */
enum rte_proc_type_t rte_eal_process_type(void);

/**
 * @return
 *   The IOVA mode chosen at init (RTE_IOVA_PA or RTE_IOVA_VA).
 */
enum rte_iova_mode rte_eal_iova_mode(void);

/**
 * @return
 *   1 when PCI is enabled (no --no-pci), 0 otherwise.
 */
int rte_eal_has_pci(void);

/**
 * @return
 *   1 when memory is backed by hugepages (no --no-huge), 0 otherwise.
 */
int rte_eal_has_hugepages(void);

/**
 * @return
 *   The runtime directory of this EAL instance
 *   (/var/run/dpdk/<prefix>, or $XDG_RUNTIME_DIR/dpdk/<prefix> when not
 *   root), or "" before init.
 */
const char *rte_eal_get_runtime_dir(void);

/**
 * @return
 *   The interrupt mode requested with --vfio-intr.
 */
enum rte_intr_mode rte_eal_vfio_intr_mode(void);

/**
 * Copy the VF token given with --vfio-vf-token.
 *
 * @param vf_token
 *   Receives the token (all zero when none was given).
 */
void rte_eal_vfio_get_vf_token(rte_uuid_t vf_token);

/* Multi-process channel. */

/** A message on the multi-process channel. */
struct rte_mp_msg {
	char name[RTE_MP_MAX_NAME_LEN];     /**< Action name, NUL-terminated. */
	int len_param;                      /**< Bytes used in param. */
	int num_fds;                        /**< File descriptors carried. */
	uint8_t param[RTE_MP_MAX_PARAM_LEN]; /**< Payload. */
	int fds[RTE_MP_MAX_FD_NUM];         /**< Descriptors (SCM_RIGHTS). */
};

/** Replies collected by a request. */
struct rte_mp_reply {
	int nb_sent;              /**< Peers the request was sent to. */
	int nb_received;          /**< Replies received before the timeout. */
	struct rte_mp_msg *msgs;  /**< nb_received replies; caller frees. */
};

/**
 * Handler for a named action.
 *
 * @param msg
 *   Received message (fds are owned by the handler).
 * @param peer
 *   Opaque peer address, to pass to rte_mp_reply().
 * @return
 *   0 on success, negative on failure.
 */
typedef int (*rte_mp_t)(const struct rte_mp_msg *msg, const void *peer);

/**
 * Callback for an asynchronous request.
 *
 * @param request
 *   The request sent.
 * @param reply
 *   Replies collected (the callback does not free them).
 * @return
 *   0 on success, negative on failure.
 */
typedef int (*rte_mp_async_reply_t)(const struct rte_mp_msg *request,
		const struct rte_mp_reply *reply);

/**
 * Register a handler for messages with a given name.
 *
 * @param name
 *   Action name (shorter than RTE_MP_MAX_NAME_LEN).
 * @param action
 *   Handler.
 * @return
 *   0, or -1 with rte_errno EINVAL, EEXIST (name taken), ENOMEM, ENOTSUP
 *   (multi-process disabled, e.g. --in-memory).
 */
int rte_mp_action_register(const char *name, rte_mp_t action);

/**
 * Unregister a handler.
 *
 * @param name
 *   Action name.
 */
void rte_mp_action_unregister(const char *name);

/**
 * Send a message without waiting for a reply: from the primary to every
 * secondary, from a secondary to the primary.
 *
 * @param msg
 *   Message.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad message), ENOTSUP, EIO.
 */
int rte_mp_sendmsg(struct rte_mp_msg *msg);

/**
 * Send a request and wait for the replies. A peer without a handler for
 * the name answers at once and is not counted in reply->nb_sent.
 * Must not be called from an action handler (use
 * rte_mp_request_async() there).
 *
 * @param req
 *   Request.
 * @param reply
 *   Replies; reply->msgs must be freed by the caller (also on failure);
 *   descriptors in the replies belong to the caller.
 * @param ts
 *   Timeout.
 * @return
 *   0 when every peer answered, or -1 with rte_errno ETIMEDOUT (some did
 *   not; the others' replies are in reply), EINVAL, ENOTSUP, EIO (a
 *   secondary cannot reach the primary), ENOMEM, EDEADLK (called from
 *   the multi-process thread).
 */
int rte_mp_request_sync(struct rte_mp_msg *req, struct rte_mp_reply *reply,
		const struct timespec *ts);

/**
 * Send a request; clb is called from the channel thread when every peer
 * answered or the timeout expired.
 *
 * @param req
 *   Request.
 * @param ts
 *   Timeout.
 * @param clb
 *   Callback.
 * @return
 *   0, or -1 with rte_errno EINVAL, ENOMEM, ENOTSUP, EIO.
 */
int rte_mp_request_async(struct rte_mp_msg *req, const struct timespec *ts,
		rte_mp_async_reply_t clb);

/**
 * Answer a request, from its handler.
 *
 * @param msg
 *   Reply; its name must be the request's.
 * @param peer
 *   Peer address given to the handler (valid during the handler call
 *   only).
 * @return
 *   0, or -1 with rte_errno EINVAL (bad message, name differs from the
 *   request's, or not called from the request's handler), ENOTSUP, EIO.
 */
int rte_mp_reply(struct rte_mp_msg *msg, const char *peer);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_EAL_H_ */
