/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Telemetry socket: a SOCK_SEQPACKET listener in the runtime directory,
 * one thread accepting and one thread per client (at most
 * EAL_TELEMETRY_MAX_CLIENTS), every thread also polling a stop eventfd so
 * that eal_telemetry_cleanup() ends them all and joins them.
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_string_fns.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_telemetry.h"

/* secondaries take "<socket>:<N>", N from 1 */
#define MAX_INSTANCES 64

struct client {
	pthread_t tid;
	int fd;
	int used;            /* the slot holds a thread to join */
	volatile int done;   /* the thread has finished */
};

static struct {
	pthread_mutex_t lock;
	int listen_fd;
	int stop_fd;
	int running;
	pthread_t tid;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct client clients[EAL_TELEMETRY_MAX_CLIENTS];
} srv = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.listen_fd = -1,
	.stop_fd = -1,
};

const char *
eal_telemetry_socket_path(void)
{
	return srv.running ? srv.path : NULL;
}

int
eal_telemetry_peer_allowed(int fd, uid_t *uid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
			len != sizeof(cred))
		return 0;
	if (uid != NULL)
		*uid = cred.uid;
	return cred.uid == geteuid();
}

/*
 * Wait for fd to be readable: its poll events, 0 when the stop event came
 * first.
 */
static short
wait_readable(int fd)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN | POLLRDHUP },
		{ .fd = srv.stop_fd, .events = POLLIN },
	};

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (p[1].revents != 0)
			return 0;
		if (p[0].revents != 0)
			return p[0].revents;
	}
}

static void
send_all(int fd, const char *buf, size_t len)
{
	if (send(fd, buf, len, MSG_NOSIGNAL) < 0)
		EAL_LOG(DEBUG, "telemetry: reply to a client: %s", strerror(errno));
}

static void *
client_thread(void *arg)
{
	struct client *c = arg;
	char *out = malloc(RTE_TEL_MAX_OUTPUT_LEN);
	char req[RTE_TEL_MAX_REQUEST_LEN];
	short ev;
	size_t n;

	if (out == NULL)
		goto done;
	n = eal_telemetry_info_json(out, RTE_TEL_MAX_OUTPUT_LEN);
	send_all(c->fd, out, n);
	while ((ev = wait_readable(c->fd)) != 0) {
		/* MSG_TRUNC: the real length even when it did not fit */
		ssize_t r = recv(c->fd, req, sizeof(req), MSG_TRUNC);

		/* 0 bytes: an empty message, unless the client has gone */
		if (r < 0 || (r == 0 && (ev & (POLLHUP | POLLRDHUP)) != 0))
			break;
		n = eal_telemetry_reply(req, (size_t)r, out,
			RTE_TEL_MAX_OUTPUT_LEN);
		send_all(c->fd, out, n);
	}
done:
	free(out);
	close(c->fd);
	c->fd = -1;
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* join the clients that ended; caller holds srv.lock */
static void
clients_reap(int all)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(srv.clients); i++) {
		struct client *c = &srv.clients[i];

		if (c->used && (all || __atomic_load_n(&c->done,
				__ATOMIC_ACQUIRE))) {
			pthread_join(c->tid, NULL);
			c->used = 0;
		}
	}
}

static void
client_start(int fd)
{
	uid_t uid = (uid_t)-1;
	unsigned int i;

	if (!eal_telemetry_peer_allowed(fd, &uid)) {
		EAL_LOG(WARNING, "telemetry: refused a client of uid %d: only uid %d may connect",
			(int)uid, (int)geteuid());
		close(fd);
		return;
	}
	pthread_mutex_lock(&srv.lock);
	clients_reap(0);
	for (i = 0; i < RTE_DIM(srv.clients); i++)
		if (!srv.clients[i].used)
			break;
	if (i == RTE_DIM(srv.clients)) {
		pthread_mutex_unlock(&srv.lock);
		EAL_LOG(WARNING, "telemetry: refused a client: %d are connected already",
			EAL_TELEMETRY_MAX_CLIENTS);
		close(fd);
		return;
	}
	srv.clients[i].fd = fd;
	srv.clients[i].done = 0;
	if (pthread_create(&srv.clients[i].tid, NULL, client_thread,
			&srv.clients[i]) != 0) {
		EAL_LOG(WARNING, "telemetry: cannot start a client thread: %s",
			strerror(errno));
		close(fd);
	} else {
		srv.clients[i].used = 1;
	}
	pthread_mutex_unlock(&srv.lock);
}

static void *
listen_thread(void *arg)
{
	(void)arg;
	while (wait_readable(srv.listen_fd)) {
		int fd = accept4(srv.listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EINTR && errno != ECONNABORTED)
				EAL_LOG(DEBUG, "telemetry: accept: %s", strerror(errno));
			continue;
		}
		client_start(fd);
	}
	return NULL;
}

/* a socket file nobody listens on (left by a process that died) */
static int
socket_is_stale(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd, stale;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	rte_strlcpy(a.sun_path, path, sizeof(a.sun_path));
	stale = connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 &&
		errno == ECONNREFUSED;
	close(fd);
	return stale;
}

/* bind fd to path; a stale socket file is replaced */
static int
bind_path(int fd, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	rte_strlcpy(a.sun_path, path, sizeof(a.sun_path));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		return 0;
	if (errno != EADDRINUSE || !socket_is_stale(path))
		return -1;
	unlink(path);
	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

/* bind to the first free name: the primary's, or a secondary's ":<N>" */
static int
bind_socket(int fd, const char *dir)
{
	int i = rte_eal_process_type() == RTE_PROC_PRIMARY ? 0 : 1;
	int len;

	for (; i < MAX_INSTANCES; i++) {
		if (i == 0)
			len = snprintf(srv.path, sizeof(srv.path), "%s/%s", dir,
				EAL_TELEMETRY_SOCKET);
		else
			len = snprintf(srv.path, sizeof(srv.path), "%s/%s:%d",
				dir, EAL_TELEMETRY_SOCKET, i);
		if (len < 0 || (size_t)len >= sizeof(srv.path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (bind_path(fd, srv.path) == 0)
			return 0;
		if (errno != EADDRINUSE)
			return -1;
	}
	errno = EADDRINUSE;
	return -1;
}

int
eal_telemetry_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	const char *dir = rte_eal_get_runtime_dir();
	int fd;

	if (cfg->no_telemetry || cfg->in_memory || dir == NULL || dir[0] == '\0') {
		EAL_LOG(DEBUG, "telemetry: off (%s)", cfg->no_telemetry ?
			"--no-telemetry" : "no runtime directory");
		return 0;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		EAL_LOG(WARNING, "telemetry: off: socket: %s", strerror(errno));
		return 0;
	}
	if (bind_socket(fd, dir) != 0) {
		EAL_LOG(WARNING, "telemetry: off: cannot bind %s: %s", srv.path,
			strerror(errno));
		goto close_fd;
	}
	/* connect(2) needs write access: only the owner */
	if (chmod(srv.path, S_IRUSR | S_IWUSR) != 0 || listen(fd, 8) != 0) {
		EAL_LOG(WARNING, "telemetry: off: %s: %s", srv.path,
			strerror(errno));
		goto unlink_path;
	}
	srv.stop_fd = eventfd(0, EFD_CLOEXEC);
	if (srv.stop_fd < 0) {
		EAL_LOG(WARNING, "telemetry: off: eventfd: %s", strerror(errno));
		goto unlink_path;
	}
	srv.listen_fd = fd;
	if (pthread_create(&srv.tid, NULL, listen_thread, NULL) != 0) {
		EAL_LOG(WARNING, "telemetry: off: cannot start its thread");
		goto close_stop;
	}
	srv.running = 1;
	EAL_LOG(DEBUG, "telemetry: socket %s", srv.path);
	return 0;
close_stop:
	close(srv.stop_fd);
	srv.stop_fd = -1;
	srv.listen_fd = -1;
unlink_path:
	unlink(srv.path);
close_fd:
	close(fd);
	return 0;
}

void
eal_telemetry_cleanup(void)
{
	uint64_t one = 1;

	if (srv.running) {
		if (write(srv.stop_fd, &one, sizeof(one)) != sizeof(one))
			EAL_LOG(ERR, "telemetry: cannot stop the server: %s",
				strerror(errno));
		pthread_join(srv.tid, NULL);
		pthread_mutex_lock(&srv.lock);
		clients_reap(1);
		pthread_mutex_unlock(&srv.lock);
		close(srv.listen_fd);
		close(srv.stop_fd);
		unlink(srv.path);
		srv.listen_fd = -1;
		srv.stop_fd = -1;
		srv.running = 0;
	}
	eal_telemetry_free_args();
}
