/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Multi-process channel with real processes. This process is the primary;
 * it spawns dpdk-test as a secondary running "mp_secondary_child". Both
 * sides send sync and async requests, pass descriptors (a memfd from the
 * primary, a pipe through which the secondary writes back), and see
 * timeouts. The primary also receives hostile datagrams: from another uid
 * (root only), malformed ones, ones with bogus descriptor counts; each
 * carries a pipe's write end so that EOF on the read end proves the
 * primary closed what it dropped.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <semaphore.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "test.h"

#define FAILSAFE_S 30    /* waits end here only when the test already failed */
#define NOBODY_UID 65534
#define CHILD_TEST "mp_secondary_child"
#define FROM_PRIMARY "hello from primary"
#define FROM_SECONDARY "written by secondary"

extern char **environ;

/* snprintf into an array, failing the test when it does not fit */
#define FMT(buf, ...) \
	TEST_ASSERT(snprintf(buf, sizeof(buf), __VA_ARGS__) < (int)sizeof(buf), \
		"path too long")

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

static const struct timespec ts_answer = { FAILSAFE_S, 0 };
/* for requests nobody answers: the outcome does not depend on it */
static const struct timespec ts_silent = { 0, 100 * 1000 * 1000 };

static int
sem_wait_failsafe(sem_t *s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += FAILSAFE_S;
	while (sem_timedwait(s, &ts) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static void
msg_init(struct rte_mp_msg *m, const char *name, const void *param, int len)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (len > 0)
		memcpy(m->param, param, (size_t)len);
	m->len_param = len;
}

/* Handlers shared by both sides. */

static int
echo_plus_one(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg r;
	int i;

	msg_init(&r, msg->name, msg->param, msg->len_param);
	for (i = 0; i < r.len_param; i++)
		r.param[i]++;
	return rte_mp_reply(&r, peer);
}

static int
silent(const struct rte_mp_msg *msg, const void *peer __rte_unused)
{
	int i;

	for (i = 0; i < msg->num_fds; i++)
		close(msg->fds[i]);
	return 0;
}

/* Peers a request reaches: 1 from a secondary, the secondaries' count. */
static int peers = 1;

static struct {
	sem_t sem;
	int nb_sent, nb_received, ok;
} async_res;

/* Every reply is the echo (+1) of the request. */
static int
async_clb(const struct rte_mp_msg *req, const struct rte_mp_reply *reply)
{
	int i;

	async_res.nb_sent = reply->nb_sent;
	async_res.nb_received = reply->nb_received;
	async_res.ok = 1;
	for (i = 0; i < reply->nb_received; i++)
		if (strcmp(reply->msgs[i].name, req->name) != 0 ||
				reply->msgs[i].len_param != req->len_param ||
				reply->msgs[i].param[0] != req->param[0] + 1)
			async_res.ok = 0;
	sem_post(&async_res.sem);
	return 0;
}

/* Sync echo: one peer answers with every byte + 1. */
static int
check_echo(const char *name)
{
	const uint8_t p[3] = { 1, 2, 3 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	int ret, i;

	msg_init(&m, name, p, sizeof(p));
	ret = rte_mp_request_sync(&m, &reply, &ts_answer);
	TEST_ASSERT_SUCCESS(ret, "%s: %s", name, rte_strerror(rte_errno));
	TEST_ASSERT(reply.nb_sent == peers && reply.nb_received == peers,
		"%s: sent %d received %d, expected %d", name, reply.nb_sent,
		reply.nb_received, peers);
	for (i = 0; i < reply.nb_received; i++)
		TEST_ASSERT(strcmp(reply.msgs[i].name, name) == 0 &&
			reply.msgs[i].len_param == 3 &&
			reply.msgs[i].num_fds == 0 &&
			reply.msgs[i].param[0] == 2 &&
			reply.msgs[i].param[2] == 4,
			"%s: wrong reply %d", name, i);
	free(reply.msgs);
	return TEST_SUCCESS;
}

static int
check_async_echo(const char *name)
{
	const uint8_t p[1] = { 41 };
	struct rte_mp_msg m;

	msg_init(&m, name, p, sizeof(p));
	TEST_ASSERT_SUCCESS(rte_mp_request_async(&m, &ts_answer, async_clb),
		"async %s: %s", name, rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(sem_wait_failsafe(&async_res.sem),
		"async %s: no callback", name);
	TEST_ASSERT(async_res.nb_sent == peers &&
		async_res.nb_received == peers && async_res.ok,
		"async %s: sent %d received %d (ok %d), expected %d", name,
		async_res.nb_sent, async_res.nb_received, async_res.ok, peers);
	return TEST_SUCCESS;
}

/* A request whose handler never answers: ETIMEDOUT, the peer counted. */
static int
check_timeout(const char *name)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;

	msg_init(&m, name, NULL, 0);
	TEST_ASSERT_EQUAL(rte_mp_request_sync(&m, &reply, &ts_silent), -1,
		"%s answered", name);
	TEST_ASSERT_EQUAL(rte_errno, ETIMEDOUT, "errno %d", rte_errno);
	TEST_ASSERT(reply.nb_sent == peers && reply.nb_received == 0,
		"%s: sent %d received %d", name, reply.nb_sent, reply.nb_received);
	free(reply.msgs);
	TEST_ASSERT_SUCCESS(rte_mp_request_async(&m, &ts_silent, async_clb),
		"async %s", name);
	TEST_ASSERT_SUCCESS(sem_wait_failsafe(&async_res.sem),
		"async %s: no callback at timeout", name);
	TEST_ASSERT(async_res.nb_sent == peers && async_res.nb_received == 0,
		"async %s: sent %d received %d", name, async_res.nb_sent,
		async_res.nb_received);
	return TEST_SUCCESS;
}

/* No handler on the other side: answered at once, the peer not counted. */
static int
check_no_handler(void)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;

	msg_init(&m, "no_such_action", NULL, 0);
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts_answer),
		"request without handler: %s", rte_strerror(rte_errno));
	TEST_ASSERT(reply.nb_sent == 0 && reply.nb_received == 0,
		"sent %d received %d", reply.nb_sent, reply.nb_received);
	free(reply.msgs);
	return TEST_SUCCESS;
}

/* The secondary. */

static sem_t child_done;

static int
child_done_msg(const struct rte_mp_msg *msg __rte_unused,
		const void *peer __rte_unused)
{
	sem_post(&child_done);
	return 0;
}

/* Write through the pipe end the primary sent, then answer. */
static int
child_pipe_write(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg r;
	int ok;

	ok = msg->num_fds == 1 && write(msg->fds[0], FROM_SECONDARY,
		strlen(FROM_SECONDARY)) == (ssize_t)strlen(FROM_SECONDARY);
	if (msg->num_fds == 1)
		close(msg->fds[0]);
	msg_init(&r, msg->name, ok ? "ok" : "ko", 2);
	return rte_mp_reply(&r, peer);
}

/* Get the primary's memfd and read it. */
static int
child_check_memfd(void)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	char buf[64] = "";
	ssize_t n;

	msg_init(&m, "t_memfd", NULL, 0);
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts_answer),
		"t_memfd: %s", rte_strerror(rte_errno));
	TEST_ASSERT(reply.nb_received == 1 && reply.msgs[0].num_fds == 1,
		"t_memfd: %d replies", reply.nb_received);
	n = pread(reply.msgs[0].fds[0], buf, sizeof(buf) - 1, 0);
	close(reply.msgs[0].fds[0]);
	free(reply.msgs);
	TEST_ASSERT(n == (ssize_t)strlen(FROM_PRIMARY) &&
		memcmp(buf, FROM_PRIMARY, (size_t)n) == 0,
		"memfd holds '%s'", buf);
	return TEST_SUCCESS;
}

static int
child_steps(void)
{
	struct rte_mp_msg m;

	TEST_ASSERT_EQUAL(rte_eal_process_type(), RTE_PROC_SECONDARY, "role");
	if (rte_mp_action_register("s_echo", echo_plus_one) != 0 ||
			rte_mp_action_register("s_pipe", child_pipe_write) != 0 ||
			rte_mp_action_register("s_silent", silent) != 0 ||
			rte_mp_action_register("s_done", child_done_msg) != 0)
		return TEST_FAILED;
	if (check_echo("t_echo") != TEST_SUCCESS ||
			check_async_echo("t_echo") != TEST_SUCCESS ||
			child_check_memfd() != TEST_SUCCESS ||
			check_no_handler() != TEST_SUCCESS ||
			check_timeout("t_silent") != TEST_SUCCESS)
		return TEST_FAILED;
	msg_init(&m, "t_ready", NULL, 0);
	TEST_ASSERT_SUCCESS(rte_mp_sendmsg(&m), "t_ready: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(sem_wait_failsafe(&child_done), "no s_done");
	return TEST_SUCCESS;
}

static int
mp_secondary_child(void)
{
	int argc = test_eal_argc();
	char *args[argc + 1];
	int ret;

	memcpy(args, test_eal_argv(), argc * sizeof(char *));
	args[argc] = NULL;
	sem_init(&child_done, 0, 0);
	sem_init(&async_res.sem, 0, 0);
	if (rte_eal_init(argc, args) < 0)
		exit(rte_errno > 0 && rte_errno < 256 ? rte_errno : 255);
	ret = child_steps();
	if (rte_eal_cleanup() != 0)
		exit(254);
	exit(ret == TEST_SUCCESS ? 0 : 253);
}

REGISTER_TEST_COMMAND_EAL(mp_secondary_child, mp_secondary_child,
	TEST_EAL_NONE);

/* The primary. */

static char prefix[64];
static char rtdir[PATH_MAX];
static char primary_sock[PATH_MAX];
static sem_t ready_sem, marker_sem;
static int foreign_calls;

static int
primary_memfd(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg r;
	int fd, ret;

	fd = memfd_create("mp_test", MFD_CLOEXEC);
	if (fd < 0 || write(fd, FROM_PRIMARY, strlen(FROM_PRIMARY)) !=
			(ssize_t)strlen(FROM_PRIMARY)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	msg_init(&r, msg->name, NULL, 0);
	r.num_fds = 1;
	r.fds[0] = fd;
	ret = rte_mp_reply(&r, peer);
	close(fd); /* the peer has its own copy */
	return ret;
}

static int
primary_ready(const struct rte_mp_msg *msg __rte_unused,
		const void *peer __rte_unused)
{
	sem_post(&ready_sem);
	return 0;
}

static int
primary_marker(const struct rte_mp_msg *msg __rte_unused,
		const void *peer __rte_unused)
{
	sem_post(&marker_sem);
	return 0;
}

static int
primary_foreign(const struct rte_mp_msg *msg, const void *peer)
{
	foreign_calls++;
	return silent(msg, peer);
}

static void
runtime_dir_of(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (getuid() == 0)
		snprintf(buf, len, "/var/run/dpdk/%s", prefix);
	else
		snprintf(buf, len, "%s/dpdk/%s", xdg != NULL ? xdg : "/tmp", prefix);
}

static int
path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* A socket file nobody is bound to any more. */
static int
make_stale_socket(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	int ret;

	rte_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	ret = fd >= 0 && bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ?
		0 : -1;
	if (fd >= 0)
		close(fd);
	return ret;
}

static pid_t
spawn_self(const char *test, int stderr_fd)
{
	char opt[128];
	char *argv[] = { (char *)(uintptr_t)test_self_path(),
		(char *)(uintptr_t)"--proc-type=secondary", opt,
		(char *)(uintptr_t)"--", (char *)(uintptr_t)test, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	snprintf(opt, sizeof(opt), "--file-prefix=%s", prefix);
	posix_spawn_file_actions_init(&fa);
	if (stderr_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, stderr_fd, STDERR_FILENO);
	err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return err == 0 ? pid : -1;
}

static int
wait_exit(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static size_t
wire_build(void *buf, int type, uint64_t seq, const char *name,
		uint32_t len_param, uint32_t num_fds)
{
	struct wire_hdr h;

	memset(&h, 0, sizeof(h));
	h.magic = WIRE_MAGIC;
	h.version = 1;
	h.type = (uint8_t)type;
	h.len_param = len_param;
	h.seq = seq;
	h.num_fds = num_fds;
	snprintf(h.name, sizeof(h.name), "%s", name);
	memcpy(buf, &h, sizeof(h));
	memset((char *)buf + sizeof(h), 0xab, len_param);
	return sizeof(h) + len_param;
}

/* sendmsg with optional destination and descriptors; 0 or -errno. */
static int
raw_send(int s, const char *dst, const void *buf, size_t len,
		const int *fds, int nfds)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr align;
	} ctrl;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (dst != NULL) {
		rte_strlcpy(sun.sun_path, dst, sizeof(sun.sun_path));
		mh.msg_name = &sun;
		mh.msg_namelen = sizeof(sun);
	}
	if (nfds > 0) {
		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	return sendmsg(s, &mh, 0) < 0 ? -errno : 0;
}

/* Send the marker from s and wait until the primary handled it. */
static int
marker_roundtrip(int s)
{
	unsigned char buf[sizeof(struct wire_hdr)];
	size_t len = wire_build(buf, WIRE_MSG, 0, "t_marker", 0, 0);

	if (raw_send(s, primary_sock, buf, len, NULL, 0) != 0)
		return -1;
	return sem_wait_failsafe(&marker_sem);
}

/* 1 when every write end of the pipe is closed (read end sees EOF). */
static int
pipe_hung_up(int rfd)
{
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	char c;

	return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) != 0 &&
		read(rfd, &c, 1) == 0;
}

/*
 * From another uid. Layer 1: the child connects as root, drops to
 * nobody, sends a valid message with a descriptor: the primary must drop
 * it for its credentials and close the descriptor. Layer 2: nobody cannot
 * even connect, because of the socket file mode (the directory is opened
 * up to 0711 to test the file itself).
 */
static int
check_foreign_uid(void)
{
	unsigned char buf[sizeof(struct wire_hdr)];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int pfd[2], s, code;
	size_t len;
	pid_t pid;
	struct stat st;

	TEST_ASSERT_SUCCESS(stat(primary_sock, &st), "stat socket");
	TEST_ASSERT(S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600,
		"socket mode %o", (unsigned int)st.st_mode);
	if (getuid() != 0) {
		printf("foreign-uid checks need root: not run\n");
		return TEST_SKIPPED;
	}
	FMT(sun.sun_path, "%s", primary_sock);
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 0, 1);
	TEST_ASSERT_SUCCESS(pipe2(pfd, O_CLOEXEC), "pipe");
	pid = fork();
	if (pid == 0) {
		s = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			_exit(2);
		if (setgroups(0, NULL) != 0 || setgid(NOBODY_UID) != 0 ||
				setuid(NOBODY_UID) != 0)
			_exit(3);
		_exit(raw_send(s, NULL, buf, len, &pfd[1], 1) == 0 ? 0 : 4);
	}
	TEST_ASSERT(pid > 0, "fork");
	close(pfd[1]);
	code = wait_exit(pid);
	TEST_ASSERT_EQUAL(code, 0, "foreign sender failed at step %d", code);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	TEST_ASSERT(s >= 0 && marker_roundtrip(s) == 0, "marker lost");
	close(s);
	TEST_ASSERT_EQUAL(foreign_calls, 0, "message from uid %d handled",
		NOBODY_UID);
	TEST_ASSERT(pipe_hung_up(pfd[0]), "descriptor from uid %d not closed",
		NOBODY_UID);
	close(pfd[0]);

	TEST_ASSERT_SUCCESS(chmod(rtdir, 0711), "chmod dir");
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(NOBODY_UID) != 0 ||
				setuid(NOBODY_UID) != 0)
			_exit(3);
		s = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (s < 0)
			_exit(2);
		if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			_exit(1);
		_exit(errno == EACCES ? 0 : 4);
	}
	code = pid > 0 ? wait_exit(pid) : -1;
	chmod(rtdir, 0700);
	TEST_ASSERT_EQUAL(code, 0, "uid %d: connect to a 0600 socket: code %d",
		NOBODY_UID, code);
	return TEST_SUCCESS;
}

/*
 * A secondary started as another uid looks in its own runtime directory
 * (per uid) and finds no primary: it must say where it looked, for which
 * uid, and that this primary's directory belongs to another uid.
 */
static int
check_secondary_of_other_uid(void)
{
	static char out[16384];
	char xdg[] = "/tmp/mp_test_uid_XXXXXX", env[64], opt[128], base[96];
	char *envp[64];
	char want[PATH_MAX + 64];
	char *argv[] = { (char *)(uintptr_t)test_self_path(),
		(char *)(uintptr_t)"--proc-type=secondary", opt,
		(char *)(uintptr_t)"--no-huge", (char *)(uintptr_t)"--",
		(char *)(uintptr_t)"eal_init_child", NULL };
	size_t used = 0;
	int pfd[2], code, i, n;
	ssize_t r;
	pid_t pid;

	TEST_ASSERT(mkdtemp(xdg) != NULL && chown(xdg, NOBODY_UID,
		NOBODY_UID) == 0, "temporary runtime base: %s", strerror(errno));
	/* our environment (LD_LIBRARY_PATH in the VM), another runtime base */
	FMT(env, "XDG_RUNTIME_DIR=%s", xdg);
	envp[0] = env;
	for (n = 1, i = 0; environ[i] != NULL && n + 1 < (int)RTE_DIM(envp); i++)
		if (strncmp(environ[i], "XDG_RUNTIME_DIR=", 16) != 0)
			envp[n++] = environ[i];
	envp[n] = NULL;
	FMT(opt, "--file-prefix=%s", prefix);
	FMT(base, "%s/dpdk", xdg);
	TEST_ASSERT_SUCCESS(pipe2(pfd, O_CLOEXEC), "pipe");
	pid = fork();
	if (pid == 0) {
		if (dup2(pfd[1], STDERR_FILENO) < 0 ||
				dup2(pfd[1], STDOUT_FILENO) < 0 ||
				setgroups(0, NULL) != 0 || setgid(NOBODY_UID) != 0 ||
				setuid(NOBODY_UID) != 0)
			_exit(200);
		execve(argv[0], argv, envp);
		_exit(201);
	}
	close(pfd[1]);
	while (pid > 0 && used + 1 < sizeof(out) &&
			(r = read(pfd[0], out + used, sizeof(out) - used - 1)) > 0)
		used += (size_t)r;
	out[used] = '\0';
	close(pfd[0]);
	code = pid > 0 ? wait_exit(pid) : -1;
	FMT(want, "in %s/%s (the runtime directory of uid %d)", base, prefix,
		NOBODY_UID);
	rmdir(base);
	rmdir(xdg);
	printf("secondary of uid %d: exit %d, said:\n%s", NOBODY_UID, code, out);
	TEST_ASSERT_EQUAL(code, ENOENT, "secondary of uid %d: exit %d, output:\n%s",
		NOBODY_UID, code, out);
	TEST_ASSERT(strstr(out, want) != NULL &&
		strstr(out, "belongs to uid 0") != NULL &&
		strstr(out, "run the secondary as uid 0") != NULL,
		"secondary of uid %d does not say where it looked and that the primary's uid differs:\n%s",
		NOBODY_UID, out);
	return TEST_SUCCESS;
}

/*
 * Malformed datagrams, each carrying a write end of one pipe when it can:
 * the primary must survive, answer what deserves an answer and close
 * every descriptor it received.
 */
static int
check_garbage(void)
{
	unsigned char buf[sizeof(struct wire_hdr) + 2048];
	struct wire_hdr *h = (struct wire_hdr *)buf;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char me[PATH_MAX];
	int pfd[2], fds[9], s, u, i, n = 0;
	size_t len;
	ssize_t r;

	TEST_ASSERT_SUCCESS(pipe2(pfd, O_CLOEXEC), "pipe");
	for (i = 0; i < 9; i++)
		fds[i] = pfd[1];
	FMT(me, "%s/mp_test_garbage", rtdir);
	FMT(sun.sun_path, "%s", me);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	u = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	TEST_ASSERT(s >= 0 && u >= 0 &&
		bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0, "test socket");

	srand(1);
	for (i = 0; i < 64; i++)
		buf[i] = (unsigned char)rand();
	n += raw_send(s, primary_sock, buf, 64, fds, 1) == 0;
	n += raw_send(s, primary_sock, buf, 10, fds, 1) == 0; /* cut header */
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 10, 0);
	n += raw_send(s, primary_sock, buf, len - 5, fds, 0) == 0;
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 300, 0);
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 2000, 0);
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0; /* truncated */
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 4, 2);
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0; /* 2 said, 1 sent */
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 4, 0);
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0; /* 0 said, 1 sent */
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 0, 8);
	n += raw_send(s, primary_sock, buf, len, fds, 9) == 0; /* 9 fds: CTRUNC */
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 0, 1);
	memset(h->name, 'A', sizeof(h->name));               /* no NUL */
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, WIRE_MSG, 0, "", 0, 1);        /* empty name */
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 0, 1);
	h->magic = 0x1234;
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, 9, 0, "t_foreign", 0, 1);      /* unknown type */
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, WIRE_MSG, 0, "t_foreign", 0, 1);
	h->reserved = 1;
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, WIRE_REPLY, 999999, "t_echo", 0, 1); /* no request */
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, WIRE_REQ, 5, "t_echo", 0, 1); /* no return address */
	n += raw_send(u, primary_sock, buf, len, fds, 1) == 0;
	len = wire_build(buf, WIRE_REQ, 77, "no_such_action", 0, 1);
	n += raw_send(s, primary_sock, buf, len, fds, 1) == 0;
	TEST_ASSERT_EQUAL(n, 16, "only %d of 16 datagrams sent", n);
	close(pfd[1]);

	/* the unknown request is answered IGNORE, with its id */
	r = recv(s, buf, sizeof(buf), 0);
	TEST_ASSERT(r == (ssize_t)sizeof(*h) && h->type == WIRE_IGNORE &&
		h->seq == 77 && strcmp(h->name, "no_such_action") == 0,
		"no IGNORE answer (%zd bytes, type %u)", r, h->type);
	TEST_ASSERT_SUCCESS(marker_roundtrip(s), "primary stopped serving");
	TEST_ASSERT_EQUAL(foreign_calls, 0, "a malformed datagram was handled");
	TEST_ASSERT(pipe_hung_up(pfd[0]),
		"descriptors of dropped datagrams left open");
	close(pfd[0]);
	close(u);
	close(s);
	unlink(me);
	return TEST_SUCCESS;
}

/* Each secondary writes into our pipe through the end we sent. */
static int
check_pipe_to_secondary(void)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	char buf[256], expect[256] = "";
	size_t got = 0;
	ssize_t r;
	int pfd[2], ret, i;
	struct pollfd p;

	TEST_ASSERT_SUCCESS(pipe2(pfd, O_CLOEXEC), "pipe");
	msg_init(&m, "s_pipe", NULL, 0);
	m.num_fds = 1;
	m.fds[0] = pfd[1];
	ret = rte_mp_request_sync(&m, &reply, &ts_answer);
	close(pfd[1]);
	TEST_ASSERT_SUCCESS(ret, "s_pipe: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(reply.nb_received, peers, "s_pipe: %d replies",
		reply.nb_received);
	for (i = 0; i < reply.nb_received; i++)
		TEST_ASSERT(reply.msgs[i].len_param == 2 &&
			memcmp(reply.msgs[i].param, "ok", 2) == 0,
			"s_pipe reply %d", i);
	free(reply.msgs);
	for (;;) {
		p.fd = pfd[0];
		p.events = POLLIN;
		TEST_ASSERT_EQUAL(poll(&p, 1, FAILSAFE_S * 1000), 1,
			"secondary kept the pipe open");
		r = read(pfd[0], buf + got, sizeof(buf) - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(pfd[0]);
	buf[got] = '\0';
	for (i = 0; i < peers; i++)
		strcat(expect, FROM_SECONDARY);
	TEST_ASSERT(strcmp(buf, expect) == 0, "pipe carried '%s'", buf);
	return TEST_SUCCESS;
}

static int
count_secondary_sockets(void)
{
	struct dirent *d;
	DIR *dir = opendir(rtdir);
	int n = 0;

	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		if (strncmp(d->d_name, "mp_socket_", 10) == 0)
			n++;
	closedir(dir);
	return n;
}

static int
check_api_errors(void)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;

	TEST_ASSERT_EQUAL(rte_mp_action_register("t_echo", echo_plus_one), -1,
		"duplicate action");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_mp_action_register("", echo_plus_one), -1,
		"empty name");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	msg_init(&m, "t_echo", NULL, 0);
	m.len_param = RTE_MP_MAX_PARAM_LEN + 1;
	TEST_ASSERT_EQUAL(rte_mp_sendmsg(&m), -1, "len_param too large");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	m.len_param = 0;
	m.num_fds = RTE_MP_MAX_FD_NUM + 1;
	TEST_ASSERT_EQUAL(rte_mp_sendmsg(&m), -1, "too many fds");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	m.num_fds = 0;
	TEST_ASSERT_EQUAL(rte_mp_request_sync(&m, &reply, NULL), -1,
		"no timeout");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_mp_reply(&m, primary_sock), -1,
		"reply outside a handler");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	return TEST_SUCCESS;
}

/* No secondary: requests reach nobody; stale sockets are removed. */
static int
check_no_peers(void)
{
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	char stale[PATH_MAX];

	msg_init(&m, "s_echo", NULL, 0);
	FMT(stale, "%s/mp_socket_%d_999", rtdir, (int)getpid());
	TEST_ASSERT_SUCCESS(make_stale_socket(stale), "stale socket");
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts_answer),
		"request: %s", rte_strerror(rte_errno));
	TEST_ASSERT(reply.nb_sent == 0 && reply.nb_received == 0,
		"sent %d received %d", reply.nb_sent, reply.nb_received);
	free(reply.msgs);
	TEST_ASSERT(!path_exists(stale), "refusing socket %s not removed", stale);
	TEST_ASSERT_SUCCESS(rte_mp_sendmsg(&m), "message to nobody");
	return TEST_SUCCESS;
}

/* n secondaries at once: every request reaches all and collects all. */
static int
check_with_secondaries(int n)
{
	struct rte_mp_msg m;
	pid_t pid[4];
	int i, code, ret = TEST_FAILED;

	TEST_ASSERT(n <= (int)RTE_DIM(pid), "too many secondaries");
	for (i = 0; i < n; i++) {
		pid[i] = spawn_self(CHILD_TEST, -1);
		TEST_ASSERT(pid[i] > 0, "spawn secondary");
	}
	for (i = 0; i < n; i++) {
		if (sem_wait_failsafe(&ready_sem) != 0) {
			printf("secondary never became ready\n");
			goto wait;
		}
	}
	peers = n;
	if (count_secondary_sockets() != n) {
		printf("%d secondary sockets, expected %d\n",
			count_secondary_sockets(), n);
		goto wait;
	}
	if (check_echo("s_echo") == TEST_SUCCESS &&
			check_async_echo("s_echo") == TEST_SUCCESS &&
			check_pipe_to_secondary() == TEST_SUCCESS &&
			check_no_handler() == TEST_SUCCESS &&
			check_timeout("s_silent") == TEST_SUCCESS)
		ret = TEST_SUCCESS;
wait:
	msg_init(&m, "s_done", NULL, 0);
	if (rte_mp_sendmsg(&m) != 0)
		ret = TEST_FAILED;
	for (i = 0; i < n; i++) {
		code = wait_exit(pid[i]);
		if (code != 0) {
			printf("secondary %d exit code %d\n", (int)pid[i], code);
			ret = TEST_FAILED;
		}
	}
	TEST_ASSERT_EQUAL(count_secondary_sockets(), 0,
		"secondary left its socket");
	return ret;
}

/* Run a secondary that only initialises; its exit code, stderr in out. */
static int
run_init_child(char *out, size_t len)
{
	size_t used = 0;
	ssize_t r;
	pid_t pid;
	int pfd[2];

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -1;
	pid = spawn_self("eal_init_child", pfd[1]);
	close(pfd[1]);
	while (pid > 0 && used + 1 < len &&
			(r = read(pfd[0], out + used, len - used - 1)) > 0)
		used += (size_t)r;
	out[used] = '\0';
	close(pfd[0]);
	return pid > 0 ? wait_exit(pid) : -1;
}

/*
 * A secondary refuses to start when the primary's socket is missing, or
 * is a file nobody is bound to (refuses), while the primary lock is held.
 */
static int
check_secondary_needs_socket(void)
{
	static char out[16384];
	char moved[PATH_MAX];
	int refusing, code;

	FMT(moved, "%s.moved", primary_sock);
	TEST_ASSERT_SUCCESS(rename(primary_sock, moved), "rename");
	for (refusing = 0; refusing <= 1; refusing++) {
		if (refusing && make_stale_socket(primary_sock) != 0)
			break;
		code = run_init_child(out, sizeof(out));
		if (refusing)
			unlink(primary_sock);
		if (code != ENOENT ||
				strstr(out, "cannot reach the primary") == NULL)
			break;
	}
	TEST_ASSERT_SUCCESS(rename(moved, primary_sock), "rename back");
	TEST_ASSERT_EQUAL(refusing, 2, "%s primary socket: secondary exit %d, stderr:\n%s",
		refusing ? "refusing" : "missing", code, out);
	TEST_ASSERT_EQUAL(count_secondary_sockets(), 0,
		"refused secondary left a socket");
	return TEST_SUCCESS;
}

static int
check_in_memory(void)
{
	char *argv[] = { (char *)(uintptr_t)"dpdk-test",
		(char *)(uintptr_t)"--in-memory", (char *)(uintptr_t)"--no-huge",
		NULL };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	int ok;

	TEST_ASSERT(rte_eal_init(3, argv) >= 0, "in-memory init");
	msg_init(&m, "t_echo", NULL, 0);
	ok = rte_mp_action_register("t_echo", echo_plus_one) == -1 &&
		rte_errno == ENOTSUP &&
		rte_mp_sendmsg(&m) == -1 && rte_errno == ENOTSUP &&
		rte_mp_request_sync(&m, &reply, &ts_answer) == -1 &&
		rte_errno == ENOTSUP &&
		rte_mp_request_async(&m, &ts_answer, async_clb) == -1 &&
		rte_errno == ENOTSUP;
	rte_eal_cleanup();
	TEST_ASSERT(ok, "multi-process calls not ENOTSUP with --in-memory");
	return TEST_SUCCESS;
}

static int
primary_steps(void)
{
	int ret, foreign;

	if (rte_mp_action_register("t_echo", echo_plus_one) != 0 ||
			rte_mp_action_register("t_memfd", primary_memfd) != 0 ||
			rte_mp_action_register("t_silent", silent) != 0 ||
			rte_mp_action_register("t_ready", primary_ready) != 0 ||
			rte_mp_action_register("t_marker", primary_marker) != 0 ||
			rte_mp_action_register("t_foreign", primary_foreign) != 0)
		return TEST_FAILED;
	if (check_api_errors() != TEST_SUCCESS ||
			check_no_peers() != TEST_SUCCESS ||
			check_with_secondaries(2) != TEST_SUCCESS ||
			check_garbage() != TEST_SUCCESS)
		return TEST_FAILED;
	foreign = check_foreign_uid();
	if (foreign == TEST_FAILED)
		return TEST_FAILED;
	if (getuid() == 0 && check_secondary_of_other_uid() != TEST_SUCCESS)
		return TEST_FAILED;
	/* still serving after all that */
	ret = check_with_secondaries(1);
	if (ret == TEST_SUCCESS)
		ret = check_secondary_needs_socket();
	return ret == TEST_SUCCESS ? foreign : ret;
}

static int
test_mp(void)
{
	char opt[96], stale[PATH_MAX];
	/* no hugepages needed (secondaries take the primary's memory) */
	char *argv[] = { (char *)(uintptr_t)"dpdk-test", opt,
		(char *)(uintptr_t)"--no-huge", NULL };
	pid_t dead;
	int ret;

	sem_init(&ready_sem, 0, 0);
	sem_init(&marker_sem, 0, 0);
	sem_init(&async_res.sem, 0, 0);
	snprintf(prefix, sizeof(prefix), "mp_test_%d", (int)getpid());
	snprintf(opt, sizeof(opt), "--file-prefix=%s", prefix);
	runtime_dir_of(rtdir, sizeof(rtdir));
	FMT(primary_sock, "%s/mp_socket", rtdir);

	/* a socket left by a secondary that died before this primary */
	dead = fork();
	if (dead == 0)
		_exit(0);
	TEST_ASSERT(dead > 0 && wait_exit(dead) == 0, "fork");
	*strrchr(rtdir, '/') = '\0';
	mkdir(rtdir, 0700);
	rtdir[strlen(rtdir)] = '/';
	TEST_ASSERT(mkdir(rtdir, 0700) == 0, "mkdir %s: %s", rtdir,
		strerror(errno));
	FMT(stale, "%s/mp_socket_%d_0", rtdir, (int)dead);
	TEST_ASSERT_SUCCESS(make_stale_socket(stale), "stale socket");

	TEST_ASSERT(rte_eal_init(3, argv) >= 0, "primary init: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(strcmp(rte_eal_get_runtime_dir(), rtdir), 0,
		"runtime dir %s", rte_eal_get_runtime_dir());
	if (path_exists(stale)) {
		printf("socket of dead process %d not removed\n", (int)dead);
		ret = TEST_FAILED;
	} else {
		ret = primary_steps();
	}
	TEST_ASSERT_SUCCESS(rte_eal_cleanup(), "cleanup");
	TEST_ASSERT(!path_exists(rtdir), "runtime directory %s left behind",
		rtdir);
	if (ret == TEST_FAILED)
		return ret;
	if (check_in_memory() != TEST_SUCCESS)
		return TEST_FAILED;
	return ret;
}

REGISTER_TEST_COMMAND_EAL(mp_autotest, test_mp, TEST_EAL_NONE);
