/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_MP_WIRE_H_
#define _EAL_MP_WIRE_H_

/*
 * Wire format of the multi-process channel: one datagram is a header
 * followed by exactly len_param bytes of parameters; the descriptors
 * travel as SCM_RIGHTS ancillary data and their count is in the header.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_eal.h>

#define MP_WIRE_MAGIC 0x504d   /* "MP" */
#define MP_WIRE_VERSION 1

enum mp_wire_type {
	MP_WIRE_MSG = 1,   /* one-way message */
	MP_WIRE_REQ,       /* request: the peer answers REPLY or IGNORE */
	MP_WIRE_REPLY,     /* answer from the request's handler */
	MP_WIRE_IGNORE,    /* answer: no handler for this name */
	MP_WIRE_TYPE_END
};

struct mp_wire_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t type;        /* enum mp_wire_type */
	uint32_t len_param;
	uint64_t seq;        /* request id (0 for MSG) */
	uint32_t num_fds;
	uint32_t reserved;   /* must be 0 */
	char name[RTE_MP_MAX_NAME_LEN]; /* NUL-terminated, not empty */
};

/** Largest datagram. */
#define MP_WIRE_MAX_LEN (sizeof(struct mp_wire_hdr) + RTE_MP_MAX_PARAM_LEN)

/**
 * Check a message built by the application before sending it.
 *
 * @return
 *   NULL when valid, else what is wrong.
 */
const char *mp_wire_check_msg(const struct rte_mp_msg *msg);

/**
 * Encode a checked message.
 *
 * @param buf
 *   At least MP_WIRE_MAX_LEN bytes.
 * @return
 *   Datagram length.
 */
size_t mp_wire_encode(enum mp_wire_type type, uint64_t seq,
		const struct rte_mp_msg *msg, void *buf);

/**
 * Validate a received datagram and decode it. The descriptors received
 * are not touched: the caller copies them into msg->fds when this
 * succeeds, and closes them when it fails.
 *
 * @param buf
 *   Datagram.
 * @param len
 *   Its length.
 * @param nb_fds
 *   Descriptors that came with it (SCM_RIGHTS).
 * @param hdr
 *   Receives the header.
 * @param msg
 *   Receives name, len_param, num_fds and the parameters.
 * @return
 *   NULL when valid, else what is wrong (for the log).
 */
const char *mp_wire_decode(const void *buf, size_t len, int nb_fds,
		struct mp_wire_hdr *hdr, struct rte_mp_msg *msg);

#endif /* _EAL_MP_WIRE_H_ */
