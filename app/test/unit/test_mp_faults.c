/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The multi-process channel at run time with system calls failing: the
 * primary's sendmsg (requests, messages and the multi-process thread's
 * replies), its recvmsg, the allocation of pending requests and of their
 * answers, and the listing of peers in the runtime directory. Each
 * failure is reported to the caller with the documented rte_errno (or
 * counted as a peer not reached), loses no descriptor, and the channel
 * serves normally once the fault is gone. The test plays a secondary
 * with a raw socket bound under a secondary's name.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_mp_wire.h"
#include "fault.h"
#include "unit_rundir.h"

#define FAILSAFE_MS 10000
#define REPLY_NAME "t_reply"

ssize_t __real_sendmsg(int fd, const struct msghdr *mh, int flags);
ssize_t __wrap_sendmsg(int fd, const struct msghdr *mh, int flags);
ssize_t __real_recvmsg(int fd, struct msghdr *mh, int flags);
ssize_t __wrap_recvmsg(int fd, struct msghdr *mh, int flags);
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__real_calloc(size_t n, size_t sz);
void *__wrap_calloc(size_t n, size_t sz);
DIR *__real_opendir(const char *path);
DIR *__wrap_opendir(const char *path);

/* The test's own calls (playing the secondary) never fail. */
static __thread int is_peer;

ssize_t
__wrap_sendmsg(int fd, const struct msghdr *mh, int flags)
{
	int err = is_peer ? 0 : fault_check("sendmsg");

	if (err != 0) {
		errno = err;
		return -1;
	}
	return __real_sendmsg(fd, mh, flags);
}

ssize_t
__wrap_recvmsg(int fd, struct msghdr *mh, int flags)
{
	int err = is_peer ? 0 : fault_check("recvmsg");

	if (err != 0) {
		errno = err;
		return -1;
	}
	return __real_recvmsg(fd, mh, flags);
}

void *
__wrap_realloc(void *p, size_t n)
{
	int err = is_peer ? 0 : fault_check("realloc");

	if (err != 0) {
		errno = err;
		return NULL;
	}
	return __real_realloc(p, n);
}

void *
__wrap_calloc(size_t n, size_t sz)
{
	int err = is_peer ? 0 : fault_check("calloc");

	if (err != 0) {
		errno = err;
		return NULL;
	}
	return __real_calloc(n, sz);
}

DIR *
__wrap_opendir(const char *path)
{
	int err = is_peer ? 0 : fault_check("opendir");

	if (err != 0) {
		errno = err;
		return NULL;
	}
	return __real_opendir(path);
}

static char prefix_opt[64];
static char rundir[96];
static const struct timespec ts_answer = { FAILSAFE_MS / 1000, 0 };

/* The secondary the test plays. */
static struct {
	int s;
	char path[128];
} peer = { .s = -1 };

/* What the handler of REPLY_NAME saw when it answered. */
static struct {
	sem_t done;
	int ret, err;
} handler_res;

static int
reply_handler(const struct rte_mp_msg *msg, const void *from)
{
	struct rte_mp_msg r;

	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s", msg->name);
	rte_errno = 0;
	handler_res.ret = rte_mp_reply(&r, from);
	handler_res.err = rte_errno;
	sem_post(&handler_res.done);
	return 0;
}

static void
peer_open(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	assert_true((size_t)snprintf(peer.path, sizeof(peer.path),
		"%s/mp_socket_%d_900", rundir, (int)getpid()) <
		sizeof(sun.sun_path));
	unlink(peer.path);
	memcpy(sun.sun_path, peer.path, strlen(peer.path));
	peer.s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(peer.s >= 0);
	assert_int_equal(bind(peer.s, (struct sockaddr *)&sun, sizeof(sun)), 0);
}

static void
peer_close(void)
{
	if (peer.s >= 0)
		close(peer.s);
	peer.s = -1;
	unlink(peer.path);
}

/* Send one datagram to the primary, with an optional descriptor. */
static void
peer_send(enum mp_wire_type type, uint64_t seq, const char *name, int fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	unsigned char data[MP_WIRE_MAX_LEN];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct rte_mp_msg m;
	struct iovec iov = { .iov_base = data };
	struct msghdr mh = {
		.msg_name = &sun, .msg_namelen = sizeof(sun),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct cmsghdr *cm;

	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "%s", name);
	m.num_fds = fd >= 0 ? 1 : 0;
	m.fds[0] = fd;
	iov.iov_len = mp_wire_encode(type, seq, &m, data);
	assert_true((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path),
		"%.*s/mp_socket", (int)(sizeof(sun.sun_path) - 11), rundir) <
		sizeof(sun.sun_path));
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
	is_peer = 1;
	assert_int_equal(sendmsg(peer.s, &mh, 0), (ssize_t)iov.iov_len);
	is_peer = 0;
}

/* Wait for a datagram; its header, or -1 when none came in timeout_ms. */
static int
peer_recv(struct mp_wire_hdr *hdr, int timeout_ms)
{
	unsigned char data[MP_WIRE_MAX_LEN];
	struct pollfd p = { .fd = peer.s, .events = POLLIN };
	struct rte_mp_msg m;
	ssize_t n;

	if (poll(&p, 1, timeout_ms) != 1)
		return -1;
	n = recv(peer.s, data, sizeof(data), 0);
	assert_true(n > 0);
	assert_null(mp_wire_decode(data, (size_t)n, 0, hdr, &m));
	return 0;
}

static void
peer_nothing_queued(void)
{
	char c;

	assert_int_equal(recv(peer.s, &c, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
}

static void
wait_handler(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += FAILSAFE_MS / 1000;
	assert_int_equal(sem_timedwait(&handler_res.done, &ts), 0);
}

/* The peer asks, the primary answers: the channel works. */
static void
channel_serves(void)
{
	struct mp_wire_hdr h;

	peer_send(MP_WIRE_REQ, 7, REPLY_NAME, -1);
	wait_handler();
	assert_int_equal(handler_res.ret, 0);
	assert_int_equal(peer_recv(&h, FAILSAFE_MS), 0);
	assert_int_equal(h.type, MP_WIRE_REPLY);
	assert_int_equal(h.seq, 7);
}

static int
setup(void **state)
{
	char *argv[] = { (char *)(uintptr_t)"unit", prefix_opt,
		(char *)(uintptr_t)"--no-huge", NULL };

	(void)state;
	unit_rundir("unit_mpf", prefix_opt, sizeof(prefix_opt), rundir,
		sizeof(rundir));
	fault_reset();
	sem_init(&handler_res.done, 0, 0);
	if (rte_eal_init(3, argv) < 0 ||
			rte_mp_action_register(REPLY_NAME, reply_handler) != 0)
		return -1;
	peer_open();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fault_reset();
	peer_close();
	rte_eal_cleanup();
	sem_destroy(&handler_res.done);
	return 0;
}

static const int sendmsg_errors[] = {
	EAGAIN, EBADF, EFAULT, EINVAL, EMSGSIZE, ENOBUFS, ENOMEM, ENOTSOCK,
	EPERM, EPIPE, EIO,
};

/*
 * A request or message the primary cannot send: the peer is not counted
 * as reached (a request) or the call fails with EIO (a message); the
 * peer got nothing; the next request reaches it.
 */
static void
test_request_sendmsg_errors(void **state)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	size_t i;

	(void)state;
	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "s_nobody_answers");
	for (i = 0; i < sizeof(sendmsg_errors) / sizeof(int); i++) {
		print_message("sendmsg fails with %s\n",
			strerror(sendmsg_errors[i]));
		fault_arm("sendmsg", 1, sendmsg_errors[i]);
		assert_int_equal(rte_mp_request_sync(&m, &reply, &ts_answer),
			0);
		assert_int_equal(reply.nb_sent, 0);
		assert_int_equal(reply.nb_received, 0);
		free(reply.msgs);
		fault_arm("sendmsg", 1, sendmsg_errors[i]);
		rte_errno = 0;
		assert_int_equal(rte_mp_sendmsg(&m), -1);
		assert_int_equal(rte_errno, EIO);
		peer_nothing_queued();
	}
	/* and the message goes through once the kernel takes it */
	assert_int_equal(rte_mp_sendmsg(&m), 0);
	{
		struct mp_wire_hdr h;

		assert_int_equal(peer_recv(&h, FAILSAFE_MS), 0);
		assert_int_equal(h.type, MP_WIRE_MSG);
	}
}

/* EINTR is retried: the request reaches the peer. */
static void
test_request_sendmsg_eintr_is_retried(void **state)
{
	struct mp_wire_hdr h;
	struct rte_mp_msg m;

	(void)state;
	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "s_msg");
	fault_arm("sendmsg", 1, EINTR);
	assert_int_equal(rte_mp_sendmsg(&m), 0);
	assert_int_equal(peer_recv(&h, FAILSAFE_MS), 0);
	assert_int_equal(h.type, MP_WIRE_MSG);
}

/*
 * A peer that is gone (ECONNREFUSED: nobody bound) is not an error for
 * the primary: its socket file is removed and it is not counted.
 */
static void
test_request_to_gone_peer_removes_its_socket(void **state)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	struct stat st;

	(void)state;
	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "s_gone");
	fault_arm("sendmsg", 1, ECONNREFUSED);
	assert_int_equal(rte_mp_request_sync(&m, &reply, &ts_answer), 0);
	assert_int_equal(reply.nb_sent, 0);
	free(reply.msgs);
	assert_int_equal(stat(peer.path, &st), -1);
	assert_int_equal(errno, ENOENT);
}

/*
 * The multi-process thread cannot send its reply: the handler's
 * rte_mp_reply() fails with EIO, the peer gets nothing, the thread goes
 * on serving.
 */
static void
test_reply_sendmsg_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sendmsg_errors) / sizeof(int); i++) {
		print_message("reply: sendmsg fails with %s\n",
			strerror(sendmsg_errors[i]));
		fault_arm("sendmsg", 1, sendmsg_errors[i]);
		peer_send(MP_WIRE_REQ, 100 + i, REPLY_NAME, -1);
		wait_handler();
		assert_int_equal(handler_res.ret, -1);
		assert_int_equal(handler_res.err, EIO);
		peer_nothing_queued();
		channel_serves();
	}
}

/*
 * recvmsg fails once: the datagram stays queued and is handled on the
 * next round; nothing is lost.
 */
static void
test_recvmsg_errors(void **state)
{
	static const int errs[] = { EINTR, EAGAIN, ENOMEM, ENOBUFS, EFAULT,
		EIO };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		print_message("recvmsg fails with %s\n", strerror(errs[i]));
		fault_arm("recvmsg", 1, errs[i]);
		channel_serves();
	}
}

/* A request run in another thread while the test plays the peer. */
struct bg_request {
	pthread_t t;
	int ret, err;
	struct rte_mp_reply reply;
};

static void *
bg_request_run(void *arg)
{
	struct bg_request *b = arg;
	struct rte_mp_msg m;

	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "s_answer");
	b->ret = rte_mp_request_sync(&m, &b->reply, &ts_answer);
	b->err = rte_errno;
	return NULL;
}

/*
 * The answer arrives but there is no memory to keep it: the request
 * completes without it, and the descriptor it carried is closed.
 */
static void
test_answer_allocation_failure_closes_its_fds(void **state)
{
	struct bg_request b;
	struct mp_wire_hdr h;
	int pfd[2], round;
	char c;

	(void)state;
	for (round = 0; round < 2; round++) {
		assert_int_equal(pipe2(pfd, O_CLOEXEC | O_NONBLOCK), 0);
		memset(&b, 0, sizeof(b));
		assert_int_equal(pthread_create(&b.t, NULL, bg_request_run, &b),
			0);
		assert_int_equal(peer_recv(&h, FAILSAFE_MS), 0);
		assert_int_equal(h.type, MP_WIRE_REQ);
		/* the multi-process thread's realloc is the next one */
		if (round == 0)
			fault_arm("realloc", 1, ENOMEM);
		peer_send(MP_WIRE_REPLY, h.seq, "s_answer", pfd[1]);
		close(pfd[1]);
		assert_int_equal(pthread_join(b.t, NULL), 0);
		assert_int_equal(b.ret, 0);
		assert_int_equal(b.reply.nb_sent, 1);
		if (round == 0) {
			assert_int_equal(b.reply.nb_received, 0);
		} else {
			assert_int_equal(b.reply.nb_received, 1);
			assert_int_equal(b.reply.msgs[0].num_fds, 1);
			close(b.reply.msgs[0].fds[0]);
		}
		free(b.reply.msgs);
		/* every write end is closed: the primary kept none */
		assert_int_equal(read(pfd[0], &c, 1), 0);
		close(pfd[0]);
	}
}

static int
async_never_called(const struct rte_mp_msg *req,
		const struct rte_mp_reply *reply)
{
	(void)req;
	(void)reply;
	fail_msg("the callback of a request that failed ran");
	return 0;
}

/* No memory for the pending request: ENOMEM, nothing sent. */
static void
test_pending_allocation_failure_is_enomem(void **state)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	unsigned int nth;

	(void)state;
	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "s_nomem");
	for (nth = 1; nth <= 2; nth++) {
		fault_arm("calloc", nth, ENOMEM);
		rte_errno = 0;
		assert_int_equal(rte_mp_request_sync(&m, &reply, &ts_answer),
			-1);
		assert_int_equal(rte_errno, ENOMEM);
		fault_arm("calloc", nth, ENOMEM);
		rte_errno = 0;
		assert_int_equal(rte_mp_request_async(&m, &ts_answer,
			async_never_called), -1);
		assert_int_equal(rte_errno, ENOMEM);
		peer_nothing_queued();
	}
	fault_reset();
	channel_serves();
}

/*
 * The peers cannot be listed (the runtime directory cannot be opened,
 * or no memory for the list): requests and messages fail, nothing is
 * sent.
 */
static void
test_peer_listing_failures(void **state)
{
	static const int errs[] = { EACCES, EMFILE, ENFILE, ENOMEM, ENOENT };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	size_t i;

	(void)state;
	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "s_list");
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		print_message("opendir fails with %s\n", strerror(errs[i]));
		fault_arm("opendir", 1, errs[i]);
		rte_errno = 0;
		assert_int_equal(rte_mp_request_sync(&m, &reply, &ts_answer),
			-1);
		assert_int_equal(rte_errno, EIO);
		fault_arm("opendir", 1, errs[i]);
		assert_int_equal(rte_mp_sendmsg(&m), -1);
		assert_int_equal(rte_errno, EIO);
		fault_arm("opendir", 1, errs[i]);
		assert_int_equal(rte_mp_request_async(&m, &ts_answer,
			async_never_called), -1);
		assert_int_equal(rte_errno, EIO);
	}
	/* the list of one peer cannot grow */
	fault_arm("realloc", 1, ENOMEM);
	rte_errno = 0;
	assert_int_equal(rte_mp_sendmsg(&m), -1);
	assert_int_equal(rte_errno, ENOMEM);
	fault_arm("realloc", 1, ENOMEM);
	assert_int_equal(rte_mp_request_sync(&m, &reply, &ts_answer), -1);
	assert_int_equal(rte_errno, ENOMEM);
	peer_nothing_queued();
	channel_serves();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request_sendmsg_errors,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_request_sendmsg_eintr_is_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_request_to_gone_peer_removes_its_socket, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_reply_sendmsg_errors,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_recvmsg_errors, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_answer_allocation_failure_closes_its_fds, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_pending_allocation_failure_is_enomem, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_peer_listing_failures,
			setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
