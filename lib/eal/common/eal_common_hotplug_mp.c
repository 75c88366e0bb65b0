/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Hotplug across processes, with DPDK's semantics: every process has a
 * hotplugged device, or none.
 *
 * add:    the primary plugs the device, then asks every secondary to;
 *         if one fails, the secondaries and the primary unplug it again.
 * remove: the secondaries unplug first, then the primary; if one fails,
 *         those that unplugged plug it again.
 * A secondary's call is sent to the primary, which does the above (the
 * caller is one of the secondaries asked) and tells it the result.
 *
 * The channel only lets a handler answer while it runs, and a handler
 * cannot wait for other peers (it runs in the channel thread), so every
 * step is a request answered at once with an ACK, the work runs in a
 * thread of its own ("job"), and its result comes back as a message:
 *   secondary -> primary  REQ_ADD/REQ_REMOVE (ACK), later DONE <- primary
 *   primary -> secondary  DO_ADD/DO_REMOVE (ACK), later RESULT -> primary
 * DONE goes to every secondary; the one whose id it is takes it.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_hotplug.h"
#include "eal_log.h"
#include "eal_private.h"

#define HP_MP_NAME "eal_hotplug"
#define HP_BUS_LEN 32
#define HP_ARGS_LEN 128
/* a peer answers a request at once: it only checks and starts a job */
#define HP_ACK_TIMEOUT_S 5
/* the secondaries' plug or unplug */
#define HP_RESULT_TIMEOUT_S 20
/* the primary's whole operation: its own step and two rounds of the above */
#define HP_DONE_TIMEOUT_S (3 * (HP_ACK_TIMEOUT_S + HP_RESULT_TIMEOUT_S))
/* rte_eal_cleanup() waits this long for running jobs */
#define HP_JOBS_WAIT_MS 5000

enum hp_type {
	HP_REQ_ADD = 1, /* secondary -> primary, request */
	HP_REQ_REMOVE,  /* secondary -> primary, request */
	HP_DO_ADD,      /* primary -> secondaries, request */
	HP_DO_REMOVE,   /* primary -> secondaries, request */
	HP_ACK,         /* reply to the four above */
	HP_RESULT,      /* secondary -> primary: outcome of a DO_* */
	HP_DONE,        /* primary -> secondaries: outcome of a REQ_* */
	HP_TYPE_MAX,
};

static const char *const hp_type_name[HP_TYPE_MAX] = {
	[HP_REQ_ADD] = "add request", [HP_REQ_REMOVE] = "remove request",
	[HP_DO_ADD] = "add", [HP_DO_REMOVE] = "remove", [HP_ACK] = "ack",
	[HP_RESULT] = "result", [HP_DONE] = "done",
};

struct hp_msg {
	uint32_t type;     /* enum hp_type */
	int32_t result;    /* 0 or a positive errno (ACK, RESULT, DONE) */
	uint64_t id;       /* matches RESULT to DO_*, DONE to REQ_* */
	char bus[HP_BUS_LEN];
	char dev[RTE_DEV_NAME_MAX_LEN];
	char args[HP_ARGS_LEN];
};

_Static_assert(sizeof(struct hp_msg) <= RTE_MP_MAX_PARAM_LEN,
	"hotplug message larger than a multi-process message");

/* Someone waiting for messages carrying its id: RESULTs or one DONE. */
struct hp_wait {
	TAILQ_ENTRY(hp_wait) next;
	uint64_t id;
	unsigned int received; /* messages counted */
	int err;               /* first error among them */
};

static struct {
	pthread_mutex_t lock;  /* waits, jobs, next_id */
	pthread_cond_t cond;   /* a wait got a message, or a job ended */
	TAILQ_HEAD(, hp_wait) waits;
	unsigned int jobs;
	uint64_t next_id;
	int registered;
	/* one plug/unplug sequence at a time in this process */
	pthread_mutex_t op_lock;
} hp = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.waits = TAILQ_HEAD_INITIALIZER(hp.waits),
	.op_lock = PTHREAD_MUTEX_INITIALIZER,
};

static pthread_once_t hp_cond_once = PTHREAD_ONCE_INIT;

/* waits use CLOCK_MONOTONIC: a clock step must not shorten a timeout */
static void
hp_cond_init(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&hp.cond, &attr);
	pthread_condattr_destroy(&attr);
}

static const char *
type_str(uint32_t type)
{
	return type > 0 && type < HP_TYPE_MAX ? hp_type_name[type] : "unknown";
}

static int
str_in(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

/*
 * A received message as a struct hp_msg: right size, no fds, a known
 * type, NUL-terminated strings, names present where they are needed.
 */
static int
msg_parse(const struct rte_mp_msg *msg, struct hp_msg *m)
{
	const char *why = NULL;

	if (msg->num_fds != 0) {
		eal_mp_close_received(msg->fds, msg->num_fds);
		why = "carries file descriptors";
	} else if (msg->len_param != (int)sizeof(*m)) {
		why = "wrong length";
	}
	if (why != NULL) {
		EAL_LOG(ERR, "hotplug message: %s (%d bytes, %d fds): dropped",
			why, msg->len_param, msg->num_fds);
		return -1;
	}
	memcpy(m, msg->param, sizeof(*m));
	if (m->type == 0 || m->type >= HP_TYPE_MAX)
		why = "unknown type";
	else if (!str_in(m->bus, sizeof(m->bus)) ||
			!str_in(m->dev, sizeof(m->dev)) ||
			!str_in(m->args, sizeof(m->args)))
		why = "a name is not NUL-terminated";
	else if (m->type <= HP_DO_REMOVE &&
			(m->bus[0] == '\0' || m->dev[0] == '\0'))
		why = "no bus or device name";
	else if (m->result < 0)
		why = "negative result";
	if (why != NULL) {
		EAL_LOG(ERR, "hotplug message (type %u, %s): %s: dropped",
			m->type, type_str(m->type), why);
		return -1;
	}
	return 0;
}

static void
msg_fill(struct rte_mp_msg *msg, const struct hp_msg *m)
{
	memset(msg, 0, sizeof(*msg));
	snprintf(msg->name, sizeof(msg->name), "%s", HP_MP_NAME);
	msg->len_param = sizeof(*m);
	memcpy(msg->param, m, sizeof(*m));
}

/* names into m; ENAMETOOLONG when they do not fit a message */
static int
msg_names(struct hp_msg *m, const char *bus, const char *dev,
		const char *args)
{
	if (snprintf(m->bus, sizeof(m->bus), "%s", bus) >= (int)sizeof(m->bus) ||
			snprintf(m->dev, sizeof(m->dev), "%s", dev) >=
				(int)sizeof(m->dev) ||
			snprintf(m->args, sizeof(m->args), "%s",
				args != NULL ? args : "") >= (int)sizeof(m->args)) {
		EAL_LOG(ERR, "hotplug %s:%s: names or arguments too long for a multi-process message (bus %d, device %d, arguments %d bytes at most)",
			bus, dev, HP_BUS_LEN - 1, RTE_DEV_NAME_MAX_LEN - 1,
			HP_ARGS_LEN - 1);
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Answer the request being handled; errors are the channel's to log. */
static void
ack(const struct hp_msg *req, int result, const void *peer)
{
	struct hp_msg a = { .type = HP_ACK, .result = result, .id = req->id };
	struct rte_mp_msg msg;

	msg_fill(&msg, &a);
	rte_mp_reply(&msg, peer);
}

static void
deadline_set(struct timespec *ts, int seconds)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += seconds;
}

static void
wait_add(struct hp_wait *w, uint64_t id)
{
	memset(w, 0, sizeof(*w));
	pthread_once(&hp_cond_once, hp_cond_init);
	pthread_mutex_lock(&hp.lock);
	w->id = id != 0 ? id : ++hp.next_id;
	TAILQ_INSERT_TAIL(&hp.waits, w, next);
	pthread_mutex_unlock(&hp.lock);
}

/* Until w counted n messages or the deadline; 0, or ETIMEDOUT. */
static int
wait_for(struct hp_wait *w, unsigned int n, const struct timespec *deadline)
{
	int ret = 0;

	pthread_mutex_lock(&hp.lock);
	while (w->received < n && ret == 0)
		ret = pthread_cond_timedwait(&hp.cond, &hp.lock, deadline);
	if (w->received >= n)
		ret = 0;
	TAILQ_REMOVE(&hp.waits, w, next);
	pthread_mutex_unlock(&hp.lock);
	return ret != 0 ? ETIMEDOUT : 0;
}

/* Stop waiting without having waited. */
static void
wait_drop(struct hp_wait *w)
{
	pthread_mutex_lock(&hp.lock);
	TAILQ_REMOVE(&hp.waits, w, next);
	pthread_mutex_unlock(&hp.lock);
}

/* A RESULT or DONE: count it for whoever waits for its id. */
static void
wait_post(const struct hp_msg *m)
{
	struct hp_wait *w;

	pthread_mutex_lock(&hp.lock);
	TAILQ_FOREACH(w, &hp.waits, next)
		if (w->id == m->id)
			break;
	if (w != NULL) {
		w->received++;
		if (w->err == 0)
			w->err = m->result;
		pthread_cond_broadcast(&hp.cond);
	}
	pthread_mutex_unlock(&hp.lock);
	if (w == NULL && m->type == HP_RESULT)
		EAL_LOG(DEBUG, "hotplug %s %s:%s: late or unknown (id %" PRIu64 ") ignored",
			type_str(m->type), m->bus, m->dev, m->id);
}

/*
 * Primary: ask every secondary to do type (DO_ADD or DO_REMOVE) and wait
 * for their results. 0 when all did it (or there is no secondary), else
 * the first positive errno.
 */
static int
secondaries_do(uint32_t type, const char *bus, const char *dev,
		const char *args)
{
	struct hp_msg m = { .type = type };
	struct timespec ts = { .tv_sec = HP_ACK_TIMEOUT_S }, deadline;
	struct rte_mp_reply reply = { 0 };
	struct rte_mp_msg msg;
	unsigned int expected = 0;
	struct hp_wait w;
	int i, err = 0, ret;

	if (!hp.registered)
		return 0; /* --in-memory: no secondary can exist */
	if (msg_names(&m, bus, dev, args) != 0)
		return rte_errno;
	wait_add(&w, 0);
	m.id = w.id;
	msg_fill(&msg, &m);
	ret = rte_mp_request_sync(&msg, &reply, &ts);
	if (ret != 0 && rte_errno == ENOTSUP)
		ret = 0; /* --in-memory: no secondary can exist */
	else if (ret != 0)
		err = rte_errno;
	for (i = 0; i < reply.nb_received; i++) {
		struct hp_msg a;

		if (msg_parse(&reply.msgs[i], &a) != 0 || a.type != HP_ACK) {
			err = err != 0 ? err : EPROTO;
			continue;
		}
		if (a.result == 0)
			expected++;
		else if (err == 0)
			err = a.result;
	}
	free(reply.msgs);
	deadline_set(&deadline, HP_RESULT_TIMEOUT_S);
	if (wait_for(&w, expected, &deadline) != 0) {
		EAL_LOG(ERR, "hotplug %s %s:%s: %u of %u secondaries answered within %d s",
			type_str(type), bus, dev, w.received, expected,
			HP_RESULT_TIMEOUT_S);
		err = err != 0 ? err : ETIMEDOUT;
	}
	if (err == 0)
		err = w.err;
	if (err != 0)
		EAL_LOG(ERR, "hotplug %s %s:%s in the secondary processes failed: %s",
			type_str(type), bus, dev, rte_strerror(err));
	return err;
}

/* Primary: plug everywhere, or nowhere. 0 or a positive errno. */
static int
primary_add(const char *bus, const char *dev, const char *args)
{
	struct hp_msg m;
	int err;

	/* what the secondaries cannot be told is not plugged here either */
	if (hp.registered && msg_names(&m, bus, dev, args) != 0)
		return rte_errno;
	if (eal_hotplug_local_add(bus, dev, args) != 0)
		return rte_errno;
	err = secondaries_do(HP_DO_ADD, bus, dev, args);
	if (err == 0)
		return 0;
	/* roll back: whoever plugged it unplugs it */
	if (secondaries_do(HP_DO_REMOVE, bus, dev, NULL) != 0)
		EAL_LOG(ERR, "hotplug add %s:%s: rollback left it plugged in some secondary",
			bus, dev);
	if (eal_hotplug_local_remove(bus, dev) != 0)
		EAL_LOG(ERR, "hotplug add %s:%s: rollback in the primary failed: %s",
			bus, dev, rte_strerror(rte_errno));
	return err;
}

/* Primary: unplug everywhere, or nowhere. 0 or a positive errno. */
static int
primary_remove(const char *bus, const char *dev)
{
	char *args;
	int err;

	/* its arguments: a rollback plugs it again with them */
	if (eal_hotplug_local_find(bus, dev, &args) != 0)
		return rte_errno;
	err = secondaries_do(HP_DO_REMOVE, bus, dev, NULL);
	if (err == 0 && eal_hotplug_local_remove(bus, dev) == 0) {
		free(args);
		return 0;
	}
	if (err == 0)
		err = rte_errno;
	/* roll back: the secondaries that unplugged it plug it again */
	if (secondaries_do(HP_DO_ADD, bus, dev, args) != 0)
		EAL_LOG(ERR, "hotplug remove %s:%s: rollback left it unplugged in some secondary",
			bus, dev);
	free(args);
	return err;
}

static int
primary_op(uint32_t type, const char *bus, const char *dev, const char *args)
{
	int err;

	pthread_mutex_lock(&hp.op_lock);
	if (type == HP_REQ_ADD)
		err = primary_add(bus, dev, args);
	else
		err = primary_remove(bus, dev);
	pthread_mutex_unlock(&hp.op_lock);
	return err;
}

/* Secondary: what the primary asks for; already so counts as done. */
static int
secondary_op(uint32_t type, const char *bus, const char *dev, const char *args)
{
	int ret, err = 0;

	pthread_mutex_lock(&hp.op_lock);
	if (type == HP_DO_ADD)
		ret = eal_hotplug_local_add(bus, dev, args);
	else
		ret = eal_hotplug_local_remove(bus, dev);
	if (ret != 0) {
		err = rte_errno;
		if ((type == HP_DO_ADD && err == EEXIST) ||
				(type == HP_DO_REMOVE &&
				 (err == ENOENT || err == ENODEV)))
			err = 0;
	}
	pthread_mutex_unlock(&hp.op_lock);
	return err;
}

/* Job thread: do what a request asked, send its outcome. */
static void *
job_run(void *arg)
{
	struct hp_msg *m = arg;
	struct rte_mp_msg msg;
	int err;

	if (m->type == HP_REQ_ADD || m->type == HP_REQ_REMOVE) {
		err = primary_op(m->type, m->bus, m->dev, m->args);
		m->type = HP_DONE;
	} else {
		err = secondary_op(m->type, m->bus, m->dev, m->args);
		m->type = HP_RESULT;
	}
	m->result = err;
	msg_fill(&msg, m);
	if (rte_mp_sendmsg(&msg) != 0)
		EAL_LOG(ERR, "hotplug %s:%s: sending the %s failed: %s", m->bus,
			m->dev, type_str(m->type), rte_strerror(rte_errno));
	free(m);
	pthread_mutex_lock(&hp.lock);
	hp.jobs--;
	pthread_cond_broadcast(&hp.cond);
	pthread_mutex_unlock(&hp.lock);
	return NULL;
}

/* 0, or a positive errno to put in the ACK */
static int
job_start(const struct hp_msg *req)
{
	pthread_attr_t attr;
	struct hp_msg *m;
	pthread_t th;
	int err;

	m = malloc(sizeof(*m));
	if (m == NULL)
		return ENOMEM;
	*m = *req;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&hp.lock);
	err = pthread_create(&th, &attr, job_run, m);
	if (err == 0)
		hp.jobs++;
	pthread_mutex_unlock(&hp.lock);
	pthread_attr_destroy(&attr);
	if (err != 0) {
		EAL_LOG(ERR, "hotplug %s %s:%s: cannot start its thread: %s",
			type_str(req->type), req->bus, req->dev, strerror(err));
		free(m);
		return ENOMEM;
	}
	return 0;
}

/* Channel thread: every hotplug message of this process's peers. */
static int
hp_handler(const struct rte_mp_msg *msg, const void *peer)
{
	int primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
	struct hp_msg m;

	if (msg_parse(msg, &m) != 0) {
		struct hp_msg bad = { .type = HP_ACK };

		/* answer in case it was a request, so nobody waits for it */
		ack(&bad, EINVAL, peer);
		return -1;
	}
	switch (m.type) {
	case HP_REQ_ADD:
	case HP_REQ_REMOVE:
	case HP_DO_ADD:
	case HP_DO_REMOVE:
		if (primary != (m.type == HP_REQ_ADD || m.type == HP_REQ_REMOVE))
			break;
		ack(&m, job_start(&m), peer);
		return 0;
	case HP_RESULT:
	case HP_DONE:
		if (primary != (m.type == HP_RESULT))
			break;
		wait_post(&m);
		return 0;
	default:
		break;
	}
	EAL_LOG(ERR, "hotplug message '%s' for %s:%s is not for a %s process: dropped",
		type_str(m.type), m.bus, m.dev, primary ? "primary" : "secondary");
	if (m.type != HP_RESULT && m.type != HP_DONE) {
		m.id = 0;
		ack(&m, EINVAL, peer);
	}
	return -1;
}

/* Secondary: have the primary do it; 0 or -1 with rte_errno. */
static int
secondary_request(uint32_t type, const char *bus, const char *dev,
		const char *args)
{
	const char *op = type == HP_REQ_ADD ? "add" : "remove";
	struct hp_msg m = { .type = type };
	struct timespec ts = { .tv_sec = HP_ACK_TIMEOUT_S }, deadline;
	struct rte_mp_reply reply = { 0 };
	struct rte_mp_msg msg;
	struct hp_msg a;
	struct hp_wait w;
	int err = 0;

	if (msg_names(&m, bus, dev, args) != 0)
		return -1;
	pthread_mutex_lock(&hp.lock);
	/* unique among the secondaries: DONE goes to all of them */
	m.id = ((uint64_t)getpid() << 32) | (uint32_t)++hp.next_id;
	pthread_mutex_unlock(&hp.lock);
	wait_add(&w, m.id);
	msg_fill(&msg, &m);
	if (rte_mp_request_sync(&msg, &reply, &ts) != 0)
		err = rte_errno;
	else if (reply.nb_received != 1)
		err = ENOTSUP; /* the primary has no hotplug handler */
	else if (msg_parse(&reply.msgs[0], &a) != 0 || a.type != HP_ACK)
		err = EPROTO;
	else
		err = a.result;
	free(reply.msgs);
	if (err != 0) {
		wait_drop(&w);
		EAL_LOG(ERR, "hotplug %s %s:%s: the primary did not take the request: %s",
			op, bus, dev, rte_strerror(err));
		rte_errno = err;
		return -1;
	}
	deadline_set(&deadline, HP_DONE_TIMEOUT_S);
	if (wait_for(&w, 1, &deadline) != 0) {
		EAL_LOG(ERR, "hotplug %s %s:%s: no answer from the primary within %d s",
			op, bus, dev, HP_DONE_TIMEOUT_S);
		rte_errno = ETIMEDOUT;
		return -1;
	}
	if (w.err != 0) {
		EAL_LOG(ERR, "hotplug %s %s:%s: the primary reports: %s", op,
			bus, dev, rte_strerror(w.err));
		rte_errno = w.err;
		return -1;
	}
	return 0;
}

static int
hotplug_op(uint32_t type, const char *bus, const char *dev, const char *args)
{
	int err;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return secondary_request(type, bus, dev, args);
	err = primary_op(type, bus, dev, args);
	if (err != 0) {
		rte_errno = err;
		return -1;
	}
	return 0;
}

int
eal_hotplug_mp_add(const char *busname, const char *devname,
		const char *drvargs)
{
	return hotplug_op(HP_REQ_ADD, busname, devname, drvargs);
}

int
eal_hotplug_mp_remove(const char *busname, const char *devname)
{
	return hotplug_op(HP_REQ_REMOVE, busname, devname, NULL);
}

int
eal_hotplug_init(void)
{
	pthread_once(&hp_cond_once, hp_cond_init);
	if (rte_mp_action_register(HP_MP_NAME, hp_handler) != 0) {
		if (rte_errno == ENOTSUP)
			return 0; /* --in-memory: single process */
		EAL_LOG(ERR, "hotplug: registering multi-process action '%s' failed: %s",
			HP_MP_NAME, rte_strerror(rte_errno));
		return -1;
	}
	hp.registered = 1;
	return 0;
}

void
eal_hotplug_cleanup(void)
{
	struct timespec deadline;
	int ret = 0;

	if (hp.registered) {
		rte_mp_action_unregister(HP_MP_NAME);
		hp.registered = 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += HP_JOBS_WAIT_MS / 1000;
	pthread_mutex_lock(&hp.lock);
	while (hp.jobs > 0 && ret == 0)
		ret = pthread_cond_timedwait(&hp.cond, &hp.lock, &deadline);
	if (hp.jobs > 0)
		EAL_LOG(WARNING, "hotplug: %u operations still running at cleanup",
			hp.jobs);
	pthread_mutex_unlock(&hp.lock);
	eal_dev_event_monitor_cleanup();
	eal_dev_event_callbacks_clear();
}
