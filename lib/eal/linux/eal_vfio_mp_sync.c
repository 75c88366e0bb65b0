/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Multi-process sync: the primary answers a secondary's requests for the
 * default container (fd, mode, IOVA mode, IOMMU type, IOAS id) and for the
 * group and device descriptors it holds. Every request is checked; a bad
 * one gets an error reply.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "eal_log.h"
#include "eal_private.h"
#include "eal_vfio.h"

#define VFIO_MP_TIMEOUT_S 5

static const char *const req_names[VFIO_MP_REQUEST_MAX] = {
	[VFIO_MP_CONTAINER] = "CONTAINER",
	[VFIO_MP_IOVA_MODE] = "IOVA_MODE",
	[VFIO_MP_IOMMU_TYPE] = "IOMMU_TYPE",
	[VFIO_MP_GROUP] = "GROUP",
	[VFIO_MP_CDEV] = "CDEV",
	[VFIO_MP_IOAS_ID] = "IOAS_ID",
	[VFIO_MP_INTERFACE] = "INTERFACE",
};

/*
 * Each fills value and *fd (-1 for none); returns the status. A
 * descriptor is a duplicate taken under the container lock, which the
 * handler closes after sending: the primary may close the original (a
 * device released, a group dropped) before the reply is sent, and its
 * number may then name another file.
 */
typedef enum vfio_mp_status (*answer_t)(enum vfio_mp_request req,
		int64_t arg, int64_t *value, int *fd);

static enum vfio_mp_status
answer_container(enum vfio_mp_request req __rte_unused,
		int64_t arg __rte_unused, int64_t *value, int *fd)
{
	struct vfio_container *c = vfio_default_container();

	*value = rte_vfio_get_mode();
	*fd = -1;
	if (rte_vfio_get_container_fd() < 0 || c == NULL)
		return VFIO_MP_NO_FD;
	vfio_lock_take(&c->lock);
	if (c->used && c->fd >= 0)
		*fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 0);
	vfio_lock_release(&c->lock);
	return *fd < 0 ? VFIO_MP_NO_FD : VFIO_MP_OK;
}

static enum vfio_mp_status
answer_iova_mode(enum vfio_mp_request req __rte_unused,
		int64_t arg __rte_unused, int64_t *value, int *fd)
{
	*value = rte_vfio_get_iova_mode();
	*fd = -1;
	return VFIO_MP_OK;
}

/* IOMMU_TYPE, IOAS_ID, GROUP, CDEV: whatever the backend in use exports */
static enum vfio_mp_status
answer_export(enum vfio_mp_request req, int64_t arg, int64_t *value, int *fd)
{
	enum vfio_result r = vfio_export(req, arg, value, fd);

	if (r == VFIO_NOT_FOUND)
		return VFIO_MP_NO_FD;
	return r == VFIO_OK ? VFIO_MP_OK : VFIO_MP_ERROR;
}

/* the mode does not tell the interface of no-IOMMU: group or cdev */
static enum vfio_mp_status
answer_interface(enum vfio_mp_request req __rte_unused,
		int64_t arg __rte_unused, int64_t *value, int *fd)
{
	*fd = -1;
	*value = rte_vfio_get_interface();
	return VFIO_MP_OK;
}

static const answer_t answers[VFIO_MP_REQUEST_MAX] = {
	[VFIO_MP_CONTAINER] = answer_container,
	[VFIO_MP_IOVA_MODE] = answer_iova_mode,
	[VFIO_MP_IOMMU_TYPE] = answer_export,
	[VFIO_MP_GROUP] = answer_export,
	[VFIO_MP_CDEV] = answer_export,
	[VFIO_MP_IOAS_ID] = answer_export,
	[VFIO_MP_INTERFACE] = answer_interface,
};

static int
primary_handler(const struct rte_mp_msg *msg, const void *peer)
{
	struct vfio_mp_param in, out = { .req = -1, .status = VFIO_MP_ERROR };
	struct rte_mp_msg reply;
	int ret, fd = -1;

	/* descriptors sent to us are ours to close: none is expected */
	eal_mp_close_received(msg->fds, RTE_MIN(msg->num_fds,
		RTE_MP_MAX_FD_NUM));
	memset(&reply, 0, sizeof(reply));
	rte_strlcpy(reply.name, VFIO_MP_NAME, sizeof(reply.name));
	if (msg->len_param != (int)sizeof(in)) {
		EAL_LOG(ERR, "VFIO: multi-process request of %d bytes, expected %zu",
			msg->len_param, sizeof(in));
		goto send;
	}
	memcpy(&in, msg->param, sizeof(in));
	out.req = in.req;
	if (in.req <= 0 || in.req >= VFIO_MP_REQUEST_MAX) {
		EAL_LOG(ERR, "VFIO: unknown multi-process request %d", in.req);
		goto send;
	}
	out.status = answers[in.req](in.req, in.value, &out.value, &fd);
	if (out.status == VFIO_MP_ERROR)
		EAL_LOG(ERR, "VFIO: multi-process request %s (%" PRId64
			") refused", req_names[in.req], in.value);
	if (out.status == VFIO_MP_OK && fd >= 0) {
		reply.fds[0] = fd;
		reply.num_fds = 1;
	}
send:
	reply.len_param = sizeof(out);
	memcpy(reply.param, &out, sizeof(out));
	ret = rte_mp_reply(&reply, peer);
	if (fd >= 0)
		close(fd); /* our duplicate; the peer got its own */
	return ret;
}

enum vfio_result
vfio_mp_sync_register(void)
{
	if (rte_mp_action_register(VFIO_MP_NAME, primary_handler) == 0)
		return VFIO_OK;
	if (rte_errno == ENOTSUP)
		return VFIO_OK; /* no channel (--in-memory): no secondaries */
	EAL_LOG(ERR, "VFIO: cannot register the multi-process handler: %s",
		rte_strerror(rte_errno));
	return rte_errno == ENOMEM ? VFIO_NO_MEMORY : VFIO_KERNEL_ERROR;
}

void
vfio_mp_sync_unregister(void)
{
	rte_mp_action_unregister(VFIO_MP_NAME);
}

static void
close_fds(const struct rte_mp_reply *rep)
{
	int i, j;

	for (i = 0; i < rep->nb_received; i++)
		for (j = 0; j < rep->msgs[i].num_fds &&
				j < RTE_MP_MAX_FD_NUM; j++)
			close(rep->msgs[i].fds[j]);
}

static bool
wants_fd(enum vfio_mp_request req)
{
	return req == VFIO_MP_CONTAINER || req == VFIO_MP_GROUP ||
		req == VFIO_MP_CDEV;
}

enum vfio_result
vfio_mp_request(enum vfio_mp_request req, int64_t arg, int64_t *value,
		int *fd)
{
	struct vfio_mp_param p = { .req = req, .value = arg };
	const struct timespec ts = { .tv_sec = VFIO_MP_TIMEOUT_S };
	struct rte_mp_reply rep = { 0 };
	enum vfio_result r = VFIO_KERNEL_ERROR;
	const struct rte_mp_msg *m;
	struct rte_mp_msg msg;

	if (fd != NULL)
		*fd = -1;
	memset(&msg, 0, sizeof(msg));
	rte_strlcpy(msg.name, VFIO_MP_NAME, sizeof(msg.name));
	msg.len_param = sizeof(p);
	memcpy(msg.param, &p, sizeof(p));
	if (rte_mp_request_sync(&msg, &rep, &ts) != 0 || rep.nb_received != 1) {
		EAL_LOG(ERR, "VFIO: request %s to the primary process: no answer (%s)",
			req_names[req], rte_strerror(rte_errno));
		goto out;
	}
	m = &rep.msgs[0];
	if (m->len_param != (int)sizeof(p)) {
		EAL_LOG(ERR, "VFIO: request %s: malformed answer", req_names[req]);
		goto out;
	}
	memcpy(&p, m->param, sizeof(p));
	if (p.req != (int32_t)req || p.status == VFIO_MP_ERROR) {
		EAL_LOG(ERR, "VFIO: request %s refused by the primary process",
			req_names[req]);
		goto out;
	}
	if (value != NULL)
		*value = p.value;
	if (p.status == VFIO_MP_NO_FD) {
		r = VFIO_NOT_FOUND;
		goto out;
	}
	if (wants_fd(req)) {
		if (m->num_fds != 1 || fd == NULL) {
			EAL_LOG(ERR, "VFIO: request %s: answer without descriptor",
				req_names[req]);
			goto out;
		}
		*fd = m->fds[0];
		r = VFIO_OK;
		goto free; /* the fd is the caller's now */
	}
	r = VFIO_OK;
out:
	close_fds(&rep);
free:
	free(rep.msgs);
	return r;
}
