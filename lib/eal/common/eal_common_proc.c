/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Multi-process channel: one AF_UNIX datagram socket per process in the
 * runtime directory ("mp_socket" for the primary, "mp_socket_<pid>_<n>"
 * for secondaries) and a thread that receives, validates and dispatches
 * datagrams. Requests carry a sequence number; their replies are matched
 * by sequence number and by the sender's socket path, which the kernel
 * reports and a peer cannot forge. Every datagram must carry the sender's
 * credentials (SO_PASSCRED) showing our uid.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_mp_wire.h"
#include "eal_private.h"

#define MP_PRIMARY_NAME "mp_socket"
#define MP_SECONDARY_PREFIX "mp_socket_"
#define MP_PATH_LEN sizeof(((struct sockaddr_un *)NULL)->sun_path)
#define MP_SEND_TIMEOUT_S 5  /* a peer that does not drain its queue */
#define MP_STALLED_MAX 64    /* peers remembered as not reading */
#define MP_RECV_BATCH 32
#define MP_CTRL_LEN (CMSG_SPACE(sizeof(int) * RTE_MP_MAX_FD_NUM) + \
	CMSG_SPACE(sizeof(struct ucred)))
#define NS_PER_S 1000000000L

/* What a handler gets as "peer": the path first, so it reads as one. */
struct mp_peer {
	char path[MP_PATH_LEN + 1];
	uint64_t seq;
	int is_req;
	const char *name;
};

struct mp_action {
	TAILQ_ENTRY(mp_action) next;
	char name[RTE_MP_MAX_NAME_LEN];
	rte_mp_t action;
};

enum mp_peer_state {
	MP_PEER_FAILED = 0, /* not sent: not counted */
	MP_PEER_SENT,       /* waiting for its answer */
	MP_PEER_ANSWERED,
	MP_PEER_IGNORED,    /* answered "no handler": not counted */
};

struct mp_pending {
	TAILQ_ENTRY(mp_pending) next;
	uint64_t seq;
	char name[RTE_MP_MAX_NAME_LEN];
	int nb_peers;
	char (*peers)[MP_PATH_LEN];
	uint8_t *state;         /* enum mp_peer_state per peer */
	int sending;            /* the requester is still sending */
	int nb_waiting;         /* peers in MP_PEER_SENT */
	struct rte_mp_msg *msgs;
	int nb_msgs;
	struct timespec deadline; /* CLOCK_MONOTONIC */
	int is_sync;
	pthread_cond_t cond;    /* sync: signalled when complete */
	rte_mp_async_reply_t clb;
	struct rte_mp_msg request;
};

TAILQ_HEAD(mp_pending_list, mp_pending);

static struct {
	pthread_mutex_t lock;
	TAILQ_HEAD(, mp_action) actions;
	struct mp_pending_list pending;
	int sock;
	int wake_fd;
	int stop;
	int running;
	pthread_t thread;
	char path[MP_PATH_LEN];
	char primary_path[MP_PATH_LEN];
	uint64_t next_seq;
} mp = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.actions = TAILQ_HEAD_INITIALIZER(mp.actions),
	.pending = TAILQ_HEAD_INITIALIZER(mp.pending),
	.sock = -1,
	.wake_fd = -1,
};

/*
 * Peers whose queue was full when the multi-process thread sent to them:
 * what it sends them is dropped, with one log line per peer (not one per
 * message) until a send to them works again.
 */
static struct {
	pthread_mutex_t lock;
	unsigned int n;
	unsigned int evict; /* next slot reused when the table is full */
	struct {
		char path[MP_PATH_LEN];
		uint64_t dropped;
	} peer[MP_STALLED_MAX];
} stalled = { .lock = PTHREAD_MUTEX_INITIALIZER };

static unsigned int mp_socket_counter;
/* The peer of the handler running in this thread (rte_mp_reply). */
static __thread const struct mp_peer *mp_handler_peer;
/* Set in the multi-process thread. */
static __thread int mp_on_thread;

static int
mp_disabled(void)
{
	return eal_get_internal_configuration()->in_memory;
}

static int
is_primary(void)
{
	return rte_eal_process_type() == RTE_PROC_PRIMARY;
}

/* The channel is usable; else -1 with rte_errno ENOTSUP. */
static int
mp_check_running(const char *what)
{
	if (mp_disabled() || !__atomic_load_n(&mp.running, __ATOMIC_ACQUIRE)) {
		EAL_LOG(DEBUG, "%s: multi-process channel %s", what,
			mp_disabled() ? "disabled (--in-memory)" : "not running");
		rte_errno = ENOTSUP;
		return -1;
	}
	return 0;
}

static int
mp_check_msg(const struct rte_mp_msg *msg, const char *what)
{
	const char *bad = mp_wire_check_msg(msg);

	if (bad != NULL) {
		EAL_LOG(ERR, "%s: invalid message: %s", what, bad);
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * Descriptors from peers. A TCP socket with SO_LINGER and unsent data
 * makes close() wait up to its linger time when it is the last
 * reference: turn lingering off first (graceful close in the background);
 * on anything but a socket setsockopt() fails with ENOTSOCK and does no
 * harm. AF_UNIX sockets never linger.
 */
void
eal_mp_close_received(const int *fds, int n)
{
	const struct linger off = { .l_onoff = 0, .l_linger = 0 };
	int i;

	for (i = 0; i < n; i++) {
		if (fds[i] < 0)
			continue;
		(void)setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &off,
			sizeof(off));
		close(fds[i]);
	}
}

/* Actions. */

static struct mp_action *
action_find(const char *name)
{
	struct mp_action *a;

	TAILQ_FOREACH(a, &mp.actions, next)
		if (strncmp(a->name, name, sizeof(a->name)) == 0)
			return a;
	return NULL;
}

static int
name_valid(const char *name)
{
	return name != NULL && name[0] != '\0' &&
		strnlen(name, RTE_MP_MAX_NAME_LEN) < RTE_MP_MAX_NAME_LEN;
}

int
rte_mp_action_register(const char *name, rte_mp_t action)
{
	struct mp_action *a;
	int ret = 0;

	if (!name_valid(name) || action == NULL) {
		EAL_LOG(ERR, "rte_mp_action_register: invalid name or action");
		rte_errno = EINVAL;
		return -1;
	}
	if (mp_disabled()) {
		rte_errno = ENOTSUP;
		return -1;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		rte_errno = ENOMEM;
		return -1;
	}
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->action = action;
	pthread_mutex_lock(&mp.lock);
	if (action_find(name) != NULL) {
		EAL_LOG(ERR, "multi-process action '%s' already registered",
			name);
		rte_errno = EEXIST;
		ret = -1;
	} else {
		TAILQ_INSERT_TAIL(&mp.actions, a, next);
		a = NULL;
	}
	pthread_mutex_unlock(&mp.lock);
	free(a);
	return ret;
}

void
rte_mp_action_unregister(const char *name)
{
	struct mp_action *a;

	if (!name_valid(name))
		return;
	pthread_mutex_lock(&mp.lock);
	a = action_find(name);
	if (a != NULL)
		TAILQ_REMOVE(&mp.actions, a, next);
	pthread_mutex_unlock(&mp.lock);
	free(a);
}

static void
actions_clear(void)
{
	struct mp_action *a;

	pthread_mutex_lock(&mp.lock);
	while ((a = TAILQ_FIRST(&mp.actions)) != NULL) {
		TAILQ_REMOVE(&mp.actions, a, next);
		free(a);
	}
	pthread_mutex_unlock(&mp.lock);
}

/* Sending. */

static int
sun_set(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path));
	return 0;
}

/*
 * The multi-process thread serves every peer: it never waits for one.
 * Other threads wait up to MP_SEND_TIMEOUT_S (SO_SNDTIMEO) for room.
 */
static int
mp_send_flags(void)
{
	if (mp_on_thread)
		return MSG_NOSIGNAL | MSG_DONTWAIT;
	return MSG_NOSIGNAL;
}

/* One datagram to path; -1 with errno on failure (not logged). */
static int
mp_send(const char *path, enum mp_wire_type type, uint64_t seq,
		const struct rte_mp_msg *msg)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * RTE_MP_MAX_FD_NUM)];
		struct cmsghdr align;
	} ctrl;
	unsigned char data[MP_WIRE_MAX_LEN];
	struct sockaddr_un dst;
	struct msghdr mh;
	struct cmsghdr *cm;
	struct iovec iov;
	ssize_t n;

	if (sun_set(&dst, path) != 0)
		return -1;
	iov.iov_base = data;
	iov.iov_len = mp_wire_encode(type, seq, msg, data);
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &dst;
	mh.msg_namelen = sizeof(dst);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (msg->num_fds > 0) {
		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * msg->num_fds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * msg->num_fds);
		memcpy(CMSG_DATA(cm), msg->fds, sizeof(int) * msg->num_fds);
	}
	do {
		n = sendmsg(mp.sock, &mh, mp_send_flags());
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

static int
stalled_find(const char *path)
{
	unsigned int i;

	for (i = 0; i < stalled.n; i++)
		if (strncmp(stalled.peer[i].path, path, MP_PATH_LEN) == 0)
			return (int)i;
	return -1;
}

/* A message to path was dropped: its queue is full. */
static void
stalled_drop(const char *path, const struct rte_mp_msg *msg)
{
	int i, first = 0;

	pthread_mutex_lock(&stalled.lock);
	i = stalled_find(path);
	if (i < 0) {
		first = 1;
		/* full: forget the oldest one (it may log once more) */
		i = stalled.n < MP_STALLED_MAX ? (int)stalled.n++ :
			(int)(stalled.evict++ % MP_STALLED_MAX);
		snprintf(stalled.peer[i].path, MP_PATH_LEN, "%s", path);
		stalled.peer[i].dropped = 0;
	}
	stalled.peer[i].dropped++;
	pthread_mutex_unlock(&stalled.lock);
	if (first)
		EAL_LOG(WARNING, "multi-process peer %s does not read its socket (queue full): '%s' and what follows to it are dropped until it reads again",
			path, msg->name);
}

/* A send to path worked: forget that it was stalled. */
static void
stalled_clear(const char *path)
{
	uint64_t dropped = 0;
	int i;

	pthread_mutex_lock(&stalled.lock);
	if (stalled.n == 0) {
		pthread_mutex_unlock(&stalled.lock);
		return;
	}
	i = stalled_find(path);
	if (i >= 0) {
		dropped = stalled.peer[i].dropped;
		stalled.peer[i] = stalled.peer[--stalled.n];
	}
	pthread_mutex_unlock(&stalled.lock);
	if (i >= 0)
		EAL_LOG(INFO, "multi-process peer %s reads again; %" PRIu64 " messages to it were dropped",
			path, dropped);
}

/*
 * Send to one peer and log the failure. The primary removes the socket
 * file of a secondary that is gone (nobody bound: ECONNREFUSED). A full
 * queue on the multi-process thread drops the message (stalled_drop).
 */
static int
mp_send_peer(const char *path, enum mp_wire_type type, uint64_t seq,
		const struct rte_mp_msg *msg)
{
	if (mp_send(path, type, seq, msg) == 0) {
		stalled_clear(path);
		return 0;
	}
	if (errno == EAGAIN && (mp_send_flags() & MSG_DONTWAIT) != 0) {
		stalled_drop(path, msg);
		errno = EAGAIN;
		return -1;
	}
	if (is_primary() && (errno == ECONNREFUSED || errno == ENOENT)) {
		struct stat st;

		if (errno == ECONNREFUSED && lstat(path, &st) == 0 &&
				S_ISSOCK(st.st_mode) && unlink(path) == 0)
			EAL_LOG(DEBUG, "removed stale multi-process socket %s",
				path);
		errno = ECONNREFUSED;
		return -1;
	}
	EAL_LOG(ERR, "multi-process message '%s' to %s: sendmsg failed: %s",
		msg->name, path, strerror(errno));
	return -1;
}

/* Peers: the primary's secondaries (from the runtime directory). */

static int
secondary_name(const char *name)
{
	return strncmp(name, MP_SECONDARY_PREFIX,
		strlen(MP_SECONDARY_PREFIX)) == 0;
}

static int
peers_append(char (**peers)[MP_PATH_LEN], int *n, const char *path)
{
	char (*p)[MP_PATH_LEN];

	p = realloc(*peers, (size_t)(*n + 1) * sizeof(*p));
	if (p == NULL) {
		rte_errno = ENOMEM;
		return -1;
	}
	snprintf(p[*n], MP_PATH_LEN, "%s", path);
	*peers = p;
	(*n)++;
	return 0;
}

/* Paths of the peers of this process; -1 with rte_errno on failure. */
static int
peers_list(char (**peers)[MP_PATH_LEN], int *n)
{
	char path[MP_PATH_LEN];
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	*peers = NULL;
	*n = 0;
	if (!is_primary())
		return peers_append(peers, n, mp.primary_path);
	dir = opendir(rte_eal_get_runtime_dir());
	if (dir == NULL) {
		EAL_LOG(ERR, "runtime directory %s: opendir failed: %s",
			rte_eal_get_runtime_dir(), strerror(errno));
		rte_errno = EIO;
		return -1;
	}
	while (ret == 0 && (d = readdir(dir)) != NULL) {
		if (!secondary_name(d->d_name) ||
				eal_runtime_path(d->d_name, path, sizeof(path)) != 0)
			continue;
		ret = peers_append(peers, n, path);
	}
	closedir(dir);
	if (ret != 0) {
		free(*peers);
		*peers = NULL;
		*n = 0;
	}
	return ret;
}

/* Primary start: remove sockets left by secondaries that died. */
static void
remove_dead_secondaries(void)
{
	char path[MP_PATH_LEN];
	struct dirent *d;
	unsigned int n;
	DIR *dir;
	int pid;

	dir = opendir(rte_eal_get_runtime_dir());
	if (dir == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (!secondary_name(d->d_name) ||
				sscanf(d->d_name, MP_SECONDARY_PREFIX "%d_%u",
					&pid, &n) != 2 || pid <= 0)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue; /* alive (or not ours to probe) */
		if (eal_runtime_path(d->d_name, path, sizeof(path)) == 0 &&
				unlink(path) == 0)
			EAL_LOG(DEBUG, "removed socket %s of dead process %d",
				path, pid);
	}
	closedir(dir);
}

/* Requests. */

static void
ts_deadline(struct timespec *deadline, const struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += ts->tv_sec;
	deadline->tv_nsec += ts->tv_nsec;
	while (deadline->tv_nsec >= NS_PER_S) {
		deadline->tv_sec++;
		deadline->tv_nsec -= NS_PER_S;
	}
}

static int
ts_passed(const struct timespec *deadline, const struct timespec *now)
{
	return now->tv_sec > deadline->tv_sec ||
		(now->tv_sec == deadline->tv_sec &&
		 now->tv_nsec >= deadline->tv_nsec);
}

static int
pending_complete(const struct mp_pending *p)
{
	return !p->sending && p->nb_waiting == 0;
}

static void
pending_free(struct mp_pending *p, int close_reply_fds)
{
	int i;

	if (close_reply_fds)
		for (i = 0; i < p->nb_msgs; i++)
			eal_mp_close_received(p->msgs[i].fds, p->msgs[i].num_fds);
	if (p->is_sync)
		pthread_cond_destroy(&p->cond);
	free(p->msgs);
	free(p->peers);
	free(p->state);
	free(p);
}

static struct mp_pending *
pending_new(const struct rte_mp_msg *req, const struct timespec *ts,
		int is_sync)
{
	pthread_condattr_t attr;
	struct mp_pending *p;

	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	if (peers_list(&p->peers, &p->nb_peers) != 0) {
		free(p);
		return NULL;
	}
	p->state = calloc((size_t)p->nb_peers + 1, 1);
	if (p->state == NULL) {
		free(p->peers);
		free(p);
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", req->name);
	ts_deadline(&p->deadline, ts);
	p->is_sync = is_sync;
	if (is_sync) {
		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		pthread_cond_init(&p->cond, &attr);
		pthread_condattr_destroy(&attr);
	}
	return p;
}

/* Number of peers that count in rte_mp_reply.nb_sent. Lock held. */
static int
pending_nb_sent(const struct mp_pending *p)
{
	int i, n = 0;

	for (i = 0; i < p->nb_peers; i++)
		if (p->state[i] == MP_PEER_SENT ||
				p->state[i] == MP_PEER_ANSWERED)
			n++;
	return n;
}

static void
mp_wake_thread(void)
{
	uint64_t one = 1;

	if (write(mp.wake_fd, &one, sizeof(one)) != sizeof(one))
		EAL_LOG(ERR, "multi-process thread: wake-up failed: %s",
			strerror(errno));
}

/*
 * Queue the request and send it to every peer. Returns the number of
 * peers it reached, or -1 with rte_errno EIO when a secondary cannot
 * reach the primary (the pending entry is then removed and freed).
 */
static int
request_send(struct mp_pending *p, const struct rte_mp_msg *req)
{
	int i, sent = 0;

	pthread_mutex_lock(&mp.lock);
	p->seq = ++mp.next_seq;
	p->sending = 1;
	TAILQ_INSERT_TAIL(&mp.pending, p, next);
	pthread_mutex_unlock(&mp.lock);
	for (i = 0; i < p->nb_peers; i++) {
		pthread_mutex_lock(&mp.lock);
		p->state[i] = MP_PEER_SENT;
		p->nb_waiting++;
		pthread_mutex_unlock(&mp.lock);
		if (mp_send_peer(p->peers[i], MP_WIRE_REQ, p->seq, req) == 0) {
			sent++;
			continue;
		}
		pthread_mutex_lock(&mp.lock);
		if (p->state[i] == MP_PEER_SENT) {
			p->state[i] = MP_PEER_FAILED;
			p->nb_waiting--;
		}
		pthread_mutex_unlock(&mp.lock);
	}
	pthread_mutex_lock(&mp.lock);
	p->sending = 0;
	if (!is_primary() && sent == 0) {
		TAILQ_REMOVE(&mp.pending, p, next);
		pthread_mutex_unlock(&mp.lock);
		/* mp_send_peer() logged why */
		EAL_LOG(DEBUG, "multi-process request '%s': the primary is not reachable",
			req->name);
		pending_free(p, 1);
		rte_errno = EIO;
		return -1;
	}
	if (p->is_sync && pending_complete(p))
		pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&mp.lock);
	return sent;
}

static int
request_check(const struct rte_mp_msg *req, const struct timespec *ts,
		const char *what)
{
	if (mp_check_msg(req, what) != 0)
		return -1;
	if (ts == NULL || ts->tv_sec < 0 || ts->tv_nsec < 0 ||
			ts->tv_nsec >= NS_PER_S) {
		EAL_LOG(ERR, "%s: invalid timeout", what);
		rte_errno = EINVAL;
		return -1;
	}
	return mp_check_running(what);
}

int
rte_mp_request_sync(struct rte_mp_msg *req, struct rte_mp_reply *reply,
		const struct timespec *ts)
{
	struct mp_pending *p;
	int complete;

	if (reply == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	memset(reply, 0, sizeof(*reply));
	if (request_check(req, ts, "rte_mp_request_sync") != 0)
		return -1;
	if (pthread_equal(pthread_self(), mp.thread)) {
		EAL_LOG(ERR, "rte_mp_request_sync '%s': called from the multi-process thread (would wait for itself)",
			req->name);
		rte_errno = EDEADLK;
		return -1;
	}
	p = pending_new(req, ts, 1);
	if (p == NULL)
		return -1;
	if (request_send(p, req) < 0)
		return -1;
	pthread_mutex_lock(&mp.lock);
	while (!pending_complete(p) && !mp.stop)
		if (pthread_cond_timedwait(&p->cond, &mp.lock,
				&p->deadline) == ETIMEDOUT)
			break;
	TAILQ_REMOVE(&mp.pending, p, next);
	complete = pending_complete(p);
	reply->nb_sent = pending_nb_sent(p);
	pthread_mutex_unlock(&mp.lock);
	reply->nb_received = p->nb_msgs;
	reply->msgs = p->msgs;
	p->msgs = NULL;
	p->nb_msgs = 0;
	pending_free(p, 0);
	if (!complete) {
		EAL_LOG(DEBUG, "multi-process request '%s': %d of %d peers answered before the timeout",
			req->name, reply->nb_received, reply->nb_sent);
		rte_errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

int
rte_mp_request_async(struct rte_mp_msg *req, const struct timespec *ts,
		rte_mp_async_reply_t clb)
{
	struct mp_pending *p;

	if (clb == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	if (request_check(req, ts, "rte_mp_request_async") != 0)
		return -1;
	p = pending_new(req, ts, 0);
	if (p == NULL)
		return -1;
	p->clb = clb;
	p->request = *req;
	if (request_send(p, req) < 0)
		return -1;
	mp_wake_thread(); /* new deadline, or already complete */
	return 0;
}

int
rte_mp_sendmsg(struct rte_mp_msg *msg)
{
	char (*peers)[MP_PATH_LEN];
	int i, n, failed = 0;

	if (mp_check_msg(msg, "rte_mp_sendmsg") != 0 ||
			mp_check_running("rte_mp_sendmsg") != 0)
		return -1;
	if (peers_list(&peers, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (mp_send_peer(peers[i], MP_WIRE_MSG, 0, msg) != 0 &&
				(errno != ECONNREFUSED || !is_primary()))
			failed++;
	free(peers);
	if (failed > 0) {
		rte_errno = EIO;
		return -1;
	}
	return 0;
}

int
rte_mp_reply(struct rte_mp_msg *msg, const char *peer)
{
	const struct mp_peer *p = mp_handler_peer;

	if (mp_check_msg(msg, "rte_mp_reply") != 0)
		return -1;
	if (peer == NULL || p == NULL || peer != p->path || !p->is_req ||
			strncmp(msg->name, p->name, RTE_MP_MAX_NAME_LEN) != 0) {
		EAL_LOG(ERR, "rte_mp_reply '%s': not answering the request given to the running handler",
			msg->name);
		rte_errno = EINVAL;
		return -1;
	}
	if (mp_check_running("rte_mp_reply") != 0)
		return -1;
	if (mp_send_peer(p->path, MP_WIRE_REPLY, p->seq, msg) != 0) {
		rte_errno = EIO;
		return -1;
	}
	return 0;
}

/* Receiving. */

static void
handle_request(const struct mp_wire_hdr *hdr, struct rte_mp_msg *msg,
		struct mp_peer *peer)
{
	struct rte_mp_msg ignore;
	struct mp_action *a;
	rte_mp_t action = NULL;

	pthread_mutex_lock(&mp.lock);
	a = action_find(msg->name);
	if (a != NULL)
		action = a->action;
	pthread_mutex_unlock(&mp.lock);
	peer->is_req = hdr->type == MP_WIRE_REQ;
	if (peer->is_req && peer->path[0] == '\0') {
		EAL_LOG(WARNING, "multi-process request '%s' without a return address dropped",
			msg->name);
		eal_mp_close_received(msg->fds, msg->num_fds);
		return;
	}
	if (action == NULL) {
		EAL_LOG(DEBUG, "multi-process %s '%s': no handler",
			peer->is_req ? "request" : "message", msg->name);
		eal_mp_close_received(msg->fds, msg->num_fds);
		if (!peer->is_req)
			return;
		memset(&ignore, 0, sizeof(ignore));
		memcpy(ignore.name, msg->name, sizeof(ignore.name));
		mp_send_peer(peer->path, MP_WIRE_IGNORE, hdr->seq, &ignore);
		return;
	}
	peer->seq = hdr->seq;
	peer->name = msg->name;
	mp_handler_peer = peer;
	if (action(msg, peer->path) < 0)
		EAL_LOG(DEBUG, "multi-process handler '%s' failed", msg->name);
	mp_handler_peer = NULL;
}

static struct mp_pending *
pending_find(uint64_t seq)
{
	struct mp_pending *p;

	TAILQ_FOREACH(p, &mp.pending, next)
		if (p->seq == seq)
			return p;
	return NULL;
}

/* Record an answer; 0 when it was taken, -1 when unexpected. Locked. */
static int
pending_answer(struct mp_pending *p, const struct mp_wire_hdr *hdr,
		const struct rte_mp_msg *msg, const char *from)
{
	struct rte_mp_msg *msgs;
	int i;

	if (strncmp(p->name, msg->name, sizeof(p->name)) != 0)
		return -1;
	for (i = 0; i < p->nb_peers; i++)
		if (p->state[i] == MP_PEER_SENT &&
				strcmp(p->peers[i], from) == 0)
			break;
	if (i == p->nb_peers)
		return -1;
	p->nb_waiting--;
	if (hdr->type == MP_WIRE_IGNORE) {
		p->state[i] = MP_PEER_IGNORED;
		return 0;
	}
	p->state[i] = MP_PEER_ANSWERED;
	msgs = realloc(p->msgs, (size_t)(p->nb_msgs + 1) * sizeof(*msgs));
	if (msgs == NULL) {
		EAL_LOG(ERR, "multi-process reply '%s' from %s: out of memory",
			msg->name, from);
		eal_mp_close_received(msg->fds, msg->num_fds);
		return 0;
	}
	msgs[p->nb_msgs++] = *msg;
	p->msgs = msgs;
	return 0;
}

static void
handle_reply(const struct mp_wire_hdr *hdr, struct rte_mp_msg *msg,
		const struct mp_peer *peer)
{
	struct mp_pending *p;
	int taken = -1;

	pthread_mutex_lock(&mp.lock);
	p = pending_find(hdr->seq);
	if (p != NULL)
		taken = pending_answer(p, hdr, msg, peer->path);
	if (taken == 0 && p->is_sync && pending_complete(p))
		pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&mp.lock);
	if (taken != 0) {
		EAL_LOG(DEBUG, "multi-process reply '%s' (request %llu) from %s unexpected or late: dropped",
			msg->name, (unsigned long long)hdr->seq, peer->path);
		eal_mp_close_received(msg->fds, msg->num_fds);
	}
}

/* Credentials and descriptors of a received datagram. */
struct mp_rx_ctrl {
	int fds[MP_CTRL_LEN / sizeof(int)];
	int nb_fds;
	int has_cred;
	struct ucred cred;
};

static void
rx_ctrl_parse(struct msghdr *mh, struct mp_rx_ctrl *rx)
{
	struct cmsghdr *cm;
	size_t n;

	rx->nb_fds = 0;
	rx->has_cred = 0;
	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET)
			continue;
		if (cm->cmsg_type == SCM_RIGHTS) {
			n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			if (n > RTE_DIM(rx->fds) - (size_t)rx->nb_fds)
				n = RTE_DIM(rx->fds) - (size_t)rx->nb_fds;
			memcpy(&rx->fds[rx->nb_fds], CMSG_DATA(cm),
				n * sizeof(int));
			rx->nb_fds += (int)n;
		} else if (cm->cmsg_type == SCM_CREDENTIALS &&
				cm->cmsg_len >= CMSG_LEN(sizeof(rx->cred))) {
			memcpy(&rx->cred, CMSG_DATA(cm), sizeof(rx->cred));
			rx->has_cred = 1;
		}
	}
}

static void
peer_from_addr(struct mp_peer *peer, const struct sockaddr_un *from,
		socklen_t len)
{
	size_t n;

	memset(peer, 0, sizeof(*peer));
	if (len <= offsetof(struct sockaddr_un, sun_path) ||
			from->sun_path[0] == '\0')
		return; /* unbound or abstract: no path to answer to */
	n = len - offsetof(struct sockaddr_un, sun_path);
	if (n > MP_PATH_LEN)
		n = MP_PATH_LEN;
	memcpy(peer->path, from->sun_path, n);
	peer->path[n] = '\0';
}

/* Receive one datagram; 0 when one was handled, -1 when none is queued. */
static int
mp_recv_one(void)
{
	union {
		char buf[MP_CTRL_LEN];
		struct cmsghdr align;
	} ctrl;
	unsigned char data[MP_WIRE_MAX_LEN + 1];
	struct mp_wire_hdr hdr;
	struct rte_mp_msg msg;
	struct mp_rx_ctrl rx;
	struct sockaddr_un from;
	struct mp_peer peer;
	struct msghdr mh;
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	const char *bad;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctrl.buf;
	mh.msg_controllen = sizeof(ctrl.buf);
	n = recvmsg(mp.sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			EAL_LOG(ERR, "multi-process socket %s: recvmsg failed: %s",
				mp.path, strerror(errno));
		return -1;
	}
	rx_ctrl_parse(&mh, &rx);
	peer_from_addr(&peer, &from, mh.msg_namelen);
	if (!rx.has_cred || rx.cred.uid != getuid()) {
		EAL_LOG(WARNING, "multi-process socket %s: dropped a datagram from %s (uid %d, pid %d): not our uid %u",
			mp.path, peer.path[0] != '\0' ? peer.path : "an unbound socket",
			rx.has_cred ? (int)rx.cred.uid : -1,
			rx.has_cred ? (int)rx.cred.pid : -1, (unsigned int)getuid());
		goto drop;
	}
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
		bad = (mh.msg_flags & MSG_TRUNC) != 0 ? "datagram too long" :
			"too many descriptors";
		goto malformed;
	}
	bad = mp_wire_decode(data, (size_t)n, rx.nb_fds, &hdr, &msg);
	if (bad != NULL)
		goto malformed;
	memcpy(msg.fds, rx.fds, sizeof(int) * (size_t)rx.nb_fds);
	if (hdr.type == MP_WIRE_MSG || hdr.type == MP_WIRE_REQ)
		handle_request(&hdr, &msg, &peer);
	else
		handle_reply(&hdr, &msg, &peer);
	return 0;
malformed:
	EAL_LOG(WARNING, "multi-process socket %s: dropped a malformed datagram from pid %d: %s",
		mp.path, (int)rx.cred.pid, bad);
drop:
	eal_mp_close_received(rx.fds, rx.nb_fds);
	return 0;
}

/*
 * Finish async requests that are complete or expired (callbacks run
 * here, unlocked); returns in *tmo the time to the next deadline.
 */
static int
async_process(struct timespec *tmo)
{
	struct mp_pending_list done = TAILQ_HEAD_INITIALIZER(done);
	struct mp_pending *p, *tmp;
	struct rte_mp_reply reply;
	struct timespec now, next = { 0, 0 };
	int have_next = 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&mp.lock);
	for (p = TAILQ_FIRST(&mp.pending); p != NULL; p = tmp) {
		tmp = TAILQ_NEXT(p, next);
		if (p->is_sync || p->sending)
			continue;
		if (pending_complete(p) || ts_passed(&p->deadline, &now)) {
			TAILQ_REMOVE(&mp.pending, p, next);
			TAILQ_INSERT_TAIL(&done, p, next);
		} else if (!have_next || !ts_passed(&p->deadline, &next)) {
			next = p->deadline;
			have_next = 1;
		}
	}
	TAILQ_FOREACH(p, &done, next)
		p->nb_waiting = pending_nb_sent(p); /* reused: nb_sent */
	pthread_mutex_unlock(&mp.lock);
	while ((p = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, p, next);
		reply.nb_sent = p->nb_waiting;
		reply.nb_received = p->nb_msgs;
		reply.msgs = p->msgs;
		p->clb(&p->request, &reply);
		pending_free(p, 0);
	}
	if (!have_next)
		return 0;
	tmo->tv_sec = next.tv_sec - now.tv_sec;
	tmo->tv_nsec = next.tv_nsec - now.tv_nsec;
	if (tmo->tv_nsec < 0) {
		tmo->tv_sec--;
		tmo->tv_nsec += NS_PER_S;
	}
	if (tmo->tv_sec < 0)
		tmo->tv_sec = tmo->tv_nsec = 0;
	return 1;
}

static void *
mp_thread_main(void *arg __rte_unused)
{
	struct pollfd pfd[2] = {
		{ .fd = mp.sock, .events = POLLIN },
		{ .fd = mp.wake_fd, .events = POLLIN },
	};
	struct timespec tmo;
	uint64_t v;
	int i, have_tmo = 0;

	mp_on_thread = 1;
	for (;;) {
		if (ppoll(pfd, RTE_DIM(pfd), have_tmo ? &tmo : NULL, NULL) < 0 &&
				errno != EINTR) {
			EAL_LOG(ERR, "multi-process thread: ppoll failed: %s",
				strerror(errno));
			return NULL;
		}
		if ((pfd[1].revents & POLLIN) != 0 &&
				read(mp.wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			EAL_LOG(DEBUG, "multi-process thread: wake-up read failed: %s",
				strerror(errno));
		if (__atomic_load_n(&mp.stop, __ATOMIC_ACQUIRE))
			return NULL;
		if ((pfd[0].revents & POLLIN) != 0)
			for (i = 0; i < MP_RECV_BATCH && mp_recv_one() == 0; i++)
				;
		have_tmo = async_process(&tmo);
	}
}

/* Setup and teardown. */

static int
mp_socket_open(const char *path)
{
	struct timeval snd_tmo = { .tv_sec = MP_SEND_TIMEOUT_S };
	struct sockaddr_un sun;
	int one = 1, fd;

	if (sun_set(&sun, path) != 0) {
		EAL_LOG(ERR, "multi-process socket %s: path too long", path);
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		EAL_LOG(ERR, "multi-process socket: socket failed: %s",
			strerror(errno));
		rte_errno = errno == ENOMEM || errno == ENOBUFS ? ENOMEM : EIO;
		return -1;
	}
	/* the file bind() creates takes the socket inode's mode */
	if (fchmod(fd, 0600) != 0 ||
			setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one,
				sizeof(one)) != 0 ||
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &snd_tmo,
				sizeof(snd_tmo)) != 0) {
		EAL_LOG(ERR, "multi-process socket %s: setup failed: %s", path,
			strerror(errno));
		rte_errno = EIO;
		goto close_fd;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		EAL_LOG(ERR, "multi-process socket %s: bind failed: %s", path,
			strerror(errno));
		rte_errno = errno == EACCES || errno == EPERM ? errno : EIO;
		goto close_fd;
	}
	if (chmod(path, 0600) != 0) {
		EAL_LOG(ERR, "multi-process socket %s: chmod failed: %s", path,
			strerror(errno));
		rte_errno = EIO;
		goto unlink_path;
	}
	return fd;
unlink_path:
	unlink(path);
close_fd:
	close(fd);
	return -1;
}

/* A secondary needs a primary socket that a datagram can reach. */
static int
primary_probe(const char *path)
{
	struct sockaddr_un sun;
	int fd, ret = 0;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sun_set(&sun, path) != 0 ||
			connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		EAL_LOG(ERR, "multi-process channel: cannot reach the primary at %s: %s; is the primary running with the same --file-prefix?",
			path, strerror(errno));
		rte_errno = errno == EACCES ? EACCES : ENOENT;
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

static int
mp_paths_set(void)
{
	char name[64];

	if (eal_runtime_path(MP_PRIMARY_NAME, mp.primary_path,
			sizeof(mp.primary_path)) != 0)
		goto too_long;
	if (is_primary()) {
		snprintf(mp.path, sizeof(mp.path), "%s", mp.primary_path);
		return 0;
	}
	snprintf(name, sizeof(name), MP_SECONDARY_PREFIX "%d_%u",
		(int)getpid(), mp_socket_counter++);
	if (eal_runtime_path(name, mp.path, sizeof(mp.path)) == 0)
		return 0;
too_long:
	EAL_LOG(ERR, "multi-process socket path in %s: %s",
		rte_eal_get_runtime_dir(), rte_strerror(rte_errno));
	return -1;
}

int
eal_mp_init(void)
{
	int err;

	if (mp_disabled())
		return 0;
	if (mp_paths_set() != 0)
		return -1;
	if (is_primary()) {
		remove_dead_secondaries();
		/* we hold the primary lock: an existing socket is stale */
		unlink(mp.path);
	} else if (primary_probe(mp.primary_path) != 0) {
		return -1;
	}
	mp.sock = mp_socket_open(mp.path);
	if (mp.sock < 0)
		return -1;
	mp.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (mp.wake_fd < 0) {
		EAL_LOG(ERR, "multi-process thread: eventfd failed: %s",
			strerror(errno));
		rte_errno = EIO;
		goto close_sock;
	}
	mp.stop = 0;
	err = pthread_create(&mp.thread, NULL, mp_thread_main, NULL);
	if (err != 0) {
		EAL_LOG(ERR, "multi-process thread: pthread_create failed: %s",
			strerror(err));
		rte_errno = err == EAGAIN ? ENOMEM : EIO;
		goto close_wake;
	}
	pthread_setname_np(mp.thread, "rte_mp_handle");
	__atomic_store_n(&mp.running, 1, __ATOMIC_RELEASE);
	return 0;
close_wake:
	close(mp.wake_fd);
	mp.wake_fd = -1;
close_sock:
	close(mp.sock);
	mp.sock = -1;
	unlink(mp.path);
	return -1;
}

/* Wake sync waiters; drop async requests (their callbacks never run). */
static void
pending_abort(void)
{
	struct mp_pending *p, *tmp;
	int dropped = 0;

	pthread_mutex_lock(&mp.lock);
	for (p = TAILQ_FIRST(&mp.pending); p != NULL; p = tmp) {
		tmp = TAILQ_NEXT(p, next);
		if (p->is_sync) {
			pthread_cond_signal(&p->cond);
			continue;
		}
		TAILQ_REMOVE(&mp.pending, p, next);
		pending_free(p, 1);
		dropped++;
	}
	pthread_mutex_unlock(&mp.lock);
	if (dropped > 0)
		EAL_LOG(DEBUG, "multi-process cleanup: %d async requests dropped",
			dropped);
}

void
eal_mp_cleanup(void)
{
	uint64_t one = 1;

	if (!__atomic_load_n(&mp.running, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&mp.running, 0, __ATOMIC_RELEASE);
	pthread_mutex_lock(&mp.lock);
	__atomic_store_n(&mp.stop, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&mp.lock);
	if (write(mp.wake_fd, &one, sizeof(one)) != sizeof(one))
		EAL_LOG(ERR, "multi-process thread: wake-up failed: %s",
			strerror(errno));
	pthread_join(mp.thread, NULL);
	memset(&mp.thread, 0, sizeof(mp.thread));
	pending_abort();
	close(mp.sock);
	mp.sock = -1;
	if (unlink(mp.path) != 0 && errno != ENOENT)
		EAL_LOG(DEBUG, "multi-process socket %s: unlink failed: %s",
			mp.path, strerror(errno));
	close(mp.wake_fd);
	mp.wake_fd = -1;
	actions_clear();
}
