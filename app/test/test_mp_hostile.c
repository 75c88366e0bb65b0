/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The primary's multi-process thread keeps serving while a peer of the
 * same uid misbehaves: one that never reads the answers to its requests,
 * one that sends a TCP socket set to linger on close. After each, another
 * peer (a raw socket playing a secondary) asks something and must get its
 * answer within the timeout secondaries use for their VFIO requests. The
 * measured answer time is printed; it is not compared with anything else:
 * the bound that matters is the secondary's, and a thread that blocks
 * misses it by seconds.
 */

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "test.h"

/* A secondary's VFIO requests give up after this (eal_vfio_mp_sync.c). */
#define PEER_TIMEOUT_S 5
/* Longer than PEER_TIMEOUT_S: a close that lingers misses it. */
#define LINGER_S 8
#define FAILSAFE_S 30
#define ECHO_NAME "t_hostile_echo"
#define HOLD_NAME "t_hostile_hold"
#define QLEN_PATH "/proc/sys/net/unix/max_dgram_qlen"

/* Mirror of the wire header (lib/eal/common/eal_mp_wire.h). */
struct wire_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t type;
	uint32_t len_param;
	uint64_t seq;
	uint32_t num_fds;
	uint32_t reserved;
	char name[RTE_MP_MAX_NAME_LEN];
};
#define WIRE_MAGIC 0x504d
enum { WIRE_MSG = 1, WIRE_REQ, WIRE_REPLY, WIRE_IGNORE };

static sem_t hold_entered, hold_release;

static int
echo(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg r;

	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s", msg->name);
	return rte_mp_reply(&r, peer);
}

/* Keeps the multi-process thread here until the test lets it go. */
static int
hold(const struct rte_mp_msg *msg __rte_unused, const void *peer __rte_unused)
{
	struct timespec ts;

	sem_post(&hold_entered);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += FAILSAFE_S;
	while (sem_timedwait(&hold_release, &ts) != 0 && errno == EINTR)
		;
	return 0;
}

/* A bound datagram socket in the runtime directory; -1 on failure. */
static int
peer_socket(const char *name, char *path, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s;

	if ((size_t)snprintf(path, len, "%s/%s", rte_eal_get_runtime_dir(),
			name) >= len ||
			strlen(path) >= sizeof(sun.sun_path))
		return -1;
	unlink(path);
	memcpy(sun.sun_path, path, strlen(path));
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0 && bind(s, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(s);
		s = -1;
	}
	return s;
}

/* One datagram to the primary, with an optional descriptor; 0 or -1. */
static int
send_to_primary(int s, int type, uint64_t seq, const char *name, int fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct wire_hdr h;
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };
	struct msghdr mh = {
		.msg_name = &sun, .msg_namelen = sizeof(sun),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct cmsghdr *cm;

	memset(&h, 0, sizeof(h));
	h.magic = WIRE_MAGIC;
	h.version = 1;
	h.type = (uint8_t)type;
	h.seq = seq;
	h.num_fds = fd >= 0 ? 1 : 0;
	snprintf(h.name, sizeof(h.name), "%s", name);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/mp_socket",
		rte_eal_get_runtime_dir());
	if (fd >= 0) {
		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.b;
		mh.msg_controllen = sizeof(ctrl.b);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(s, &mh, 0) == (ssize_t)sizeof(h) ? 0 : -1;
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
		(double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * Another peer asks: the answer (a REPLY with our id) must come within
 * PEER_TIMEOUT_S. Prints how long it took.
 */
static int
probe_answer_time(const char *after)
{
	struct wire_hdr h;
	struct pollfd p;
	struct timespec t0;
	char path[PATH_MAX];
	double ms;
	ssize_t r;
	int s, ret = TEST_FAILED;

	s = peer_socket("mp_test_probe", path, sizeof(path));
	TEST_ASSERT(s >= 0, "probe socket: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (send_to_primary(s, WIRE_REQ, 4242, ECHO_NAME, -1) != 0) {
		printf("probe request: %s\n", strerror(errno));
		goto close_s;
	}
	p.fd = s;
	p.events = POLLIN;
	if (poll(&p, 1, PEER_TIMEOUT_S * 1000) != 1) {
		printf("after %s: another peer got no answer within %d s (the timeout of a secondary's VFIO request): the multi-process thread is blocked\n",
			after, PEER_TIMEOUT_S);
		goto close_s;
	}
	ms = ms_since(&t0);
	r = recv(s, &h, sizeof(h), 0);
	if (r != (ssize_t)sizeof(h) || h.type != WIRE_REPLY || h.seq != 4242) {
		printf("probe: wrong answer (%zd bytes, type %u)\n", r, h.type);
		goto close_s;
	}
	printf("after %s: another peer answered in %.3f ms (bound: %d s)\n",
		after, ms, PEER_TIMEOUT_S);
	ret = TEST_SUCCESS;
close_s:
	close(s);
	unlink(path);
	return ret;
}

static int
read_qlen(void)
{
	FILE *f = fopen(QLEN_PATH, "re");
	int v = 10; /* the kernel's default */

	if (f != NULL) {
		if (fscanf(f, "%d", &v) != 1 || v < 1 || v > 4096)
			v = 10;
		fclose(f);
	}
	return v;
}

/* Lines of the file at fd that contain what. */
static int
count_lines(int fd, const char *what)
{
	char line[1024];
	FILE *f;
	int n = 0;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	f = fdopen(dup(fd), "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, what) != NULL)
			n++;
	fclose(f);
	return n;
}

/* stderr goes to a temporary file; returns the saved stderr. */
static int
stderr_capture(int *tmp)
{
	char path[] = "/tmp/mp_hostile_XXXXXX";
	int saved;

	*tmp = mkstemp(path);
	if (*tmp < 0)
		return -1;
	unlink(path);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (saved < 0 || dup2(*tmp, STDERR_FILENO) < 0) {
		close(*tmp);
		return -1;
	}
	return saved;
}

static void
stderr_restore(int saved)
{
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/*
 * A peer sends qlen + 4 requests and never reads: the answers beyond its
 * queue are dropped with one log line, and another peer is answered at
 * once. When it reads again, it gets answers again.
 */
static int
test_mp_slow_peer(void)
{
	char path[PATH_MAX];
	struct wire_hdr h;
	int qlen = read_qlen(), s, i, tmp, saved, lines, queued = 0, ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY ||
			rte_mp_action_register(ECHO_NAME, echo) != 0)
		TEST_SKIP("needs a primary with the multi-process channel (%s)",
			rte_strerror(rte_errno));
	s = peer_socket("mp_test_slow", path, sizeof(path));
	TEST_ASSERT(s >= 0, "slow peer socket: %s", strerror(errno));
	saved = stderr_capture(&tmp);
	TEST_ASSERT(saved >= 0, "capture stderr: %s", strerror(errno));
	for (i = 0; i < qlen + 4; i++)
		if (send_to_primary(s, WIRE_REQ, (uint64_t)i + 1, ECHO_NAME,
				-1) != 0)
			break;
	ret = i == qlen + 4 ? probe_answer_time("a peer that does not read") :
		TEST_FAILED;
	stderr_restore(saved);
	lines = count_lines(tmp, path);
	close(tmp);
	if (i != qlen + 4)
		printf("slow peer: only %d of %d requests sent\n", i, qlen + 4);
	while (recv(s, &h, sizeof(h), MSG_DONTWAIT) == (ssize_t)sizeof(h))
		queued += h.type == WIRE_REPLY;
	/* the kernel queues max_dgram_qlen + 1 datagrams */
	if (ret == TEST_SUCCESS && (lines != 1 || queued < qlen ||
			queued > qlen + 1)) {
		printf("slow peer: %d log lines name it (expected 1), %d answers queued for it (expected its queue length, %d or %d)\n",
			lines, queued, qlen, qlen + 1);
		ret = TEST_FAILED;
	}
	/* it reads again: answered again */
	if (ret == TEST_SUCCESS) {
		struct pollfd p = { .fd = s, .events = POLLIN };

		if (send_to_primary(s, WIRE_REQ, 999, ECHO_NAME, -1) != 0 ||
				poll(&p, 1, FAILSAFE_S * 1000) != 1 ||
				recv(s, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
				h.seq != 999) {
			printf("slow peer not answered after it drained its queue\n");
			ret = TEST_FAILED;
		}
	}
	close(s);
	unlink(path);
	rte_mp_action_unregister(ECHO_NAME);
	return ret;
}

REGISTER_TEST_COMMAND(mp_slow_peer_autotest, test_mp_slow_peer);

static int
count_fds(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

/*
 * A TCP connection to a listener that never reads, with unsent data in
 * its send queue and SO_LINGER: closing its last descriptor waits up to
 * LINGER_S. Returns the connected socket, -1 with errno.
 */
static int
lingering_socket(int *listener)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct linger lg = { .l_onoff = 1, .l_linger = LINGER_S };
	socklen_t alen = sizeof(a);
	int small = 4096, c;
	char buf[4096] = { 0 };

	*listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*listener < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(*listener, SOL_SOCKET, SO_RCVBUF, &small,
			sizeof(small)) != 0 ||
			bind(*listener, (struct sockaddr *)&a, sizeof(a)) != 0 ||
			listen(*listener, 1) != 0 ||
			getsockname(*listener, (struct sockaddr *)&a, &alen) != 0)
		goto close_listener;
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		goto close_listener;
	if (setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)) != 0 ||
			connect(c, (struct sockaddr *)&a, sizeof(a)) != 0 ||
			fcntl(c, F_SETFL, O_NONBLOCK) != 0)
		goto close_c;
	while (send(c, buf, sizeof(buf), MSG_NOSIGNAL) > 0)
		;
	if (errno != EAGAIN ||
			setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) != 0)
		goto close_c;
	return c;
close_c:
	close(c);
close_listener:
	close(*listener);
	*listener = -1;
	return -1;
}

/*
 * A peer sends that socket to the primary and closes its own copy while
 * the multi-process thread is held in a handler, so that the primary
 * holds the last reference when it drops the unexpected descriptor.
 */
static int
test_mp_linger_fd(void)
{
	struct timespec ts;
	char path[PATH_MAX];
	int listener, c, s, fds_before, ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY ||
			rte_mp_action_register(ECHO_NAME, echo) != 0 ||
			rte_mp_action_register(HOLD_NAME, hold) != 0)
		TEST_SKIP("needs a primary with the multi-process channel (%s)",
			rte_strerror(rte_errno));
	sem_init(&hold_entered, 0, 0);
	sem_init(&hold_release, 0, 0);
	fds_before = count_fds();
	c = lingering_socket(&listener);
	if (c < 0 && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)) {
		rte_mp_action_unregister(HOLD_NAME);
		rte_mp_action_unregister(ECHO_NAME);
		/* AF_UNIX stream sockets ignore SO_LINGER: no stand-in */
		TEST_SKIP("no TCP in this kernel (%s): only a TCP socket lingers on close",
			strerror(errno));
	}
	TEST_ASSERT(c >= 0, "lingering TCP socket: %s", strerror(errno));
	s = peer_socket("mp_test_linger", path, sizeof(path));
	TEST_ASSERT(s >= 0, "peer socket: %s", strerror(errno));
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += FAILSAFE_S;
	TEST_ASSERT(send_to_primary(s, WIRE_MSG, 0, HOLD_NAME, -1) == 0 &&
		sem_timedwait(&hold_entered, &ts) == 0,
		"the multi-process thread did not run the hold handler");
	ret = send_to_primary(s, WIRE_MSG, 0, "t_hostile_nobody", c);
	close(c);
	sem_post(&hold_release);
	TEST_ASSERT_SUCCESS(ret, "send the socket: %s", strerror(errno));
	ret = probe_answer_time("an unexpected lingering socket");
	close(s);
	unlink(path);
	close(listener);
	rte_mp_action_unregister(HOLD_NAME);
	rte_mp_action_unregister(ECHO_NAME);
	if (ret == TEST_SUCCESS)
		TEST_ASSERT_EQUAL(count_fds(), fds_before,
			"descriptors open: %d, before: %d (the socket sent was not closed)",
			count_fds(), fds_before);
	return ret;
}

REGISTER_TEST_COMMAND(mp_linger_fd_autotest, test_mp_linger_fd);
