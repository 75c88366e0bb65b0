/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_TELEMETRY_H_
#define _EAL_TELEMETRY_H_

/*
 * Telemetry inside the EAL: the data builder (eal_common_telemetry_data.c),
 * the command table and request handling (eal_common_telemetry.c) and the
 * socket server (eal_common_telemetry_sock.c).
 */

#include <stddef.h>
#include <sys/types.h>

#include <rte_telemetry.h>

/** Name of the primary's socket in the runtime directory. */
#define EAL_TELEMETRY_SOCKET "dpdk_telemetry.v2"
/** Most clients connected at once; more are refused. */
#define EAL_TELEMETRY_MAX_CLIENTS 16

/**
 * Write d as JSON.
 *
 * @param d
 *   Data (a dictionary, array, string, or nothing: "null").
 * @param buf
 *   Output, NUL-terminated on success.
 * @param len
 *   Size of buf.
 * @return
 *   Length written, or -1 when it does not fit.
 */
int eal_tel_json(const struct rte_tel_data *d, char *buf, size_t len);

/** Write s as a JSON string (quoted, escaped); -1 when it does not fit. */
int eal_tel_json_string(const char *s, char *buf, size_t len);

/**
 * Answer one request as the socket does.
 *
 * @param req
 *   Request bytes (not NUL-terminated).
 * @param len
 *   Their number.
 * @param out
 *   Reply (JSON, NUL-terminated).
 * @param out_len
 *   Size of out (at least 128).
 * @return
 *   Length of the reply.
 */
size_t eal_telemetry_reply(const char *req, size_t len, char *out,
		size_t out_len);

/** The info object sent on connect ({"version", "pid", "max_output_len"}). */
size_t eal_telemetry_info_json(char *out, size_t out_len);

/** Keep a copy of the EAL arguments for /eal/params (argv[0] excluded). */
void eal_telemetry_save_args(int argc, char *const *argv);

/** Drop the copy. */
void eal_telemetry_free_args(void);

/**
 * Open the socket and start the server thread (EAL init stage). Without a
 * runtime directory (--in-memory) or with --no-telemetry it does nothing.
 * A socket that cannot be opened is logged and is not an error.
 *
 * @return
 *   0.
 */
int eal_telemetry_init(void);

/** Stop the server, disconnect its clients, remove the socket. */
void eal_telemetry_cleanup(void);

/**
 * Path of the socket in use, or NULL when telemetry is off.
 */
const char *eal_telemetry_socket_path(void);

/**
 * Whether a peer may talk to us: the same effective uid as this process.
 *
 * @param fd
 *   Connected socket.
 * @param uid
 *   Receives the peer's uid (may be NULL).
 * @return
 *   1 allowed, 0 refused (or credentials unreadable).
 */
int eal_telemetry_peer_allowed(int fd, uid_t *uid);

#endif /* _EAL_TELEMETRY_H_ */
