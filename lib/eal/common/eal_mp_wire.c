/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <string.h>

#include "eal_mp_wire.h"

static int
name_ok(const char *name)
{
	size_t n = strnlen(name, RTE_MP_MAX_NAME_LEN);

	return n > 0 && n < RTE_MP_MAX_NAME_LEN;
}

const char *
mp_wire_check_msg(const struct rte_mp_msg *msg)
{
	int i;

	if (msg == NULL)
		return "no message";
	if (!name_ok(msg->name))
		return "name empty or not NUL-terminated";
	if (msg->len_param < 0 || msg->len_param > RTE_MP_MAX_PARAM_LEN)
		return "len_param out of range";
	if (msg->num_fds < 0 || msg->num_fds > RTE_MP_MAX_FD_NUM)
		return "num_fds out of range";
	for (i = 0; i < msg->num_fds; i++)
		if (msg->fds[i] < 0)
			return "negative file descriptor";
	return NULL;
}

size_t
mp_wire_encode(enum mp_wire_type type, uint64_t seq,
		const struct rte_mp_msg *msg, void *buf)
{
	struct mp_wire_hdr hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = MP_WIRE_MAGIC;
	hdr.version = MP_WIRE_VERSION;
	hdr.type = (uint8_t)type;
	hdr.len_param = (uint32_t)msg->len_param;
	hdr.seq = seq;
	hdr.num_fds = (uint32_t)msg->num_fds;
	memcpy(hdr.name, msg->name, strnlen(msg->name, RTE_MP_MAX_NAME_LEN));
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy((char *)buf + sizeof(hdr), msg->param, (size_t)msg->len_param);
	return sizeof(hdr) + (size_t)msg->len_param;
}

const char *
mp_wire_decode(const void *buf, size_t len, int nb_fds,
		struct mp_wire_hdr *hdr, struct rte_mp_msg *msg)
{
	if (len < sizeof(*hdr))
		return "shorter than the header";
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->magic != MP_WIRE_MAGIC)
		return "bad magic";
	if (hdr->version != MP_WIRE_VERSION)
		return "unknown version";
	if (hdr->type < MP_WIRE_MSG || hdr->type >= MP_WIRE_TYPE_END)
		return "unknown message type";
	if (hdr->reserved != 0)
		return "reserved field not zero";
	if (!name_ok(hdr->name))
		return "name empty or not NUL-terminated";
	if (hdr->len_param > RTE_MP_MAX_PARAM_LEN)
		return "len_param too large";
	if (len != sizeof(*hdr) + hdr->len_param)
		return "length does not match len_param";
	if (hdr->num_fds > RTE_MP_MAX_FD_NUM)
		return "num_fds too large";
	if (nb_fds < 0 || hdr->num_fds != (uint32_t)nb_fds)
		return "num_fds does not match the descriptors received";
	memset(msg, 0, sizeof(*msg));
	memcpy(msg->name, hdr->name, sizeof(msg->name));
	msg->len_param = (int)hdr->len_param;
	msg->num_fds = (int)hdr->num_fds;
	memcpy(msg->param, (const char *)buf + sizeof(*hdr), hdr->len_param);
	return NULL;
}
