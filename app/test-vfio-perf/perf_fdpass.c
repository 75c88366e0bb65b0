/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* The bare fd receive + GET_DEVICE_FD of a secondary's device attach. */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "eal_vfio.h"
#include "perf.h"
#include "perf_fdpass.h"

static int
send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;

	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int
recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&m);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS) {
		errno = EPROTO;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* one descriptor per request byte, until the peer goes */
static void *
serve(void *arg)
{
	struct perf_fdpass *p = arg;
	char req;

	while (recv(p->sock[0], &req, 1, 0) == 1)
		if (send_fd(p->sock[0], p->fd) != 0)
			break;
	return NULL;
}

int
perf_fdpass_start(struct perf_fdpass *p, const char *sysfs, const char *dev,
		char *err, size_t errlen)
{
	const struct vfio_backend_ops *ops = vfio_state.ops;
	pthread_t t;
	int64_t value;
	int num;

	p->running = false;
	p->fd = -1;
	p->sock[0] = p->sock[1] = -1;
	/* what the primary's multi-process handler would send */
	if (ops == NULL || ops->device_num(sysfs, dev, &num) != VFIO_OK ||
			vfio_export(ops->device_request, num, &value,
				&p->fd) != VFIO_OK) {
		snprintf(err, errlen, "no descriptor to export for %s", dev);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p->sock) != 0 ||
			pthread_create(&t, NULL, serve, p) != 0) {
		snprintf(err, errlen, "socketpair/thread: %s", strerror(errno));
		perf_fdpass_stop(p);
		return -1;
	}
	p->thread = (unsigned long)t;
	p->running = true;
	return 0;
}

void
perf_fdpass_stop(struct perf_fdpass *p)
{
	if (p->sock[1] >= 0)
		close(p->sock[1]);
	/* the server's recv() sees the peer go */
	if (p->running)
		pthread_join((pthread_t)p->thread, NULL);
	if (p->sock[0] >= 0)
		close(p->sock[0]);
	if (p->fd >= 0)
		close(p->fd);
	p->running = false;
	p->sock[0] = p->sock[1] = p->fd = -1;
}

int
perf_fdpass_attach(int sock, const char *dev, bool group, double *setup_ns,
		double *release_ns)
{
	uint64_t t0 = perf_now_ns(), t1;
	char req = 0;
	int fd, dev_fd;

	if (send(sock, &req, 1, 0) != 1)
		return -1;
	fd = recv_fd(sock);
	if (fd < 0)
		return -1;
	dev_fd = group ? ioctl(fd, VFIO_GROUP_GET_DEVICE_FD, dev) : fd;
	t1 = perf_now_ns();
	if (dev_fd < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(dev_fd);
	if (dev_fd != fd)
		close(fd);
	*setup_ns = (double)(t1 - t0);
	*release_ns = (double)(perf_now_ns() - t1);
	return 0;
}
