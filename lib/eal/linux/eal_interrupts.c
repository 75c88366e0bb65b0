/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The interrupt thread: one epoll set holding every fd that has callbacks,
 * plus an eventfd that asks the thread to stop. Callbacks are grouped by
 * fd ("sources"); while a source's callbacks run it is "active" and can
 * only be unregistered by marking (rte_intr_callback_unregister_pending)
 * or by waiting (rte_intr_callback_unregister_sync).
 */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/queue.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_interrupts.h>

#include "eal_interrupts.h"
#include "eal_log.h"
#include "eal_private.h"

#define INTR_EVENTS_MAX 16
#define INTR_ANY_ARG ((void *)-1)

struct intr_callback {
	TAILQ_ENTRY(intr_callback) next;
	rte_intr_callback_fn cb;
	void *arg;
	int pending_delete;
	rte_intr_unregister_callback_fn ucb;
};

TAILQ_HEAD(intr_callback_list, intr_callback);

struct intr_source {
	TAILQ_ENTRY(intr_source) next;
	int fd;
	struct rte_intr_handle handle; /* copy: the caller's may be freed */
	struct intr_callback_list callbacks;
	int active; /* the thread is running this source's callbacks */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t idle; /* a source finished a round of callbacks */
	TAILQ_HEAD(, intr_source) sources;
	int epfd;
	int wake_fd;
	int stop;
	int running;
	pthread_t thread;
} intr = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.idle = PTHREAD_COND_INITIALIZER,
	.sources = TAILQ_HEAD_INITIALIZER(intr.sources),
	.epfd = -1,
	.wake_fd = -1,
};

/* Bytes the EAL reads to acknowledge an event, per handle type. */
static const size_t intr_ack_size[RTE_INTR_HANDLE_MAX] = {
	[RTE_INTR_HANDLE_UIO] = sizeof(uint32_t),
	[RTE_INTR_HANDLE_VFIO_LEGACY] = sizeof(uint64_t),
	[RTE_INTR_HANDLE_VFIO_MSI] = sizeof(uint64_t),
	[RTE_INTR_HANDLE_VFIO_MSIX] = sizeof(uint64_t),
	[RTE_INTR_HANDLE_VFIO_REQ] = sizeof(uint64_t),
	[RTE_INTR_HANDLE_ALARM] = sizeof(uint64_t),
};

int
rte_thread_is_intr(void)
{
	return __atomic_load_n(&intr.running, __ATOMIC_ACQUIRE) &&
		pthread_equal(pthread_self(), intr.thread);
}

static struct intr_source *
source_find(int fd)
{
	struct intr_source *src;

	TAILQ_FOREACH(src, &intr.sources, next)
		if (src->fd == fd)
			return src;
	return NULL;
}

/* Remove a source without callbacks: out of epoll, freed. Lock held. */
static void
source_drop(struct intr_source *src)
{
	if (epoll_ctl(intr.epfd, EPOLL_CTL_DEL, src->fd, NULL) != 0 &&
			errno != ENOENT && errno != EBADF)
		EAL_LOG(DEBUG, "interrupt fd %d: epoll_ctl(DEL) failed: %s",
			src->fd, strerror(errno));
	TAILQ_REMOVE(&intr.sources, src, next);
	free(src);
}

static int
handle_check(const struct rte_intr_handle *h, rte_intr_callback_fn cb,
		const char *what)
{
	if (h == NULL || cb == NULL || h->fd < 0) {
		EAL_LOG(ERR, "interrupt callback %s: invalid handle, fd or callback",
			what);
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}

static struct intr_source *
source_add(const struct rte_intr_handle *h)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLPRI };
	struct intr_source *src;

	src = calloc(1, sizeof(*src));
	if (src == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	src->fd = h->fd;
	src->handle = *h;
	TAILQ_INIT(&src->callbacks);
	ev.data.fd = h->fd;
	if (epoll_ctl(intr.epfd, EPOLL_CTL_ADD, h->fd, &ev) != 0) {
		EAL_LOG(ERR, "interrupt fd %d: epoll_ctl(ADD) failed: %s",
			h->fd, strerror(errno));
		free(src);
		rte_errno = errno == EBADF || errno == EPERM ? EINVAL : EIO;
		return NULL;
	}
	TAILQ_INSERT_TAIL(&intr.sources, src, next);
	return src;
}

int
rte_intr_callback_register(const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg)
{
	struct intr_callback *c, *it;
	struct intr_source *src;
	int ret = -1;

	if (handle_check(intr_handle, cb, "register") != 0)
		return -1;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rte_errno = ENOMEM;
		return -1;
	}
	c->cb = cb;
	c->arg = cb_arg;
	pthread_mutex_lock(&intr.lock);
	if (!intr.running) {
		EAL_LOG(ERR, "interrupt fd %d: no interrupt thread (EAL not initialised)",
			intr_handle->fd);
		rte_errno = ENOTSUP;
		goto unlock;
	}
	src = source_find(intr_handle->fd);
	if (src != NULL) {
		TAILQ_FOREACH(it, &src->callbacks, next) {
			if (it->cb == cb && it->arg == cb_arg &&
					!it->pending_delete) {
				rte_errno = EEXIST;
				goto unlock;
			}
		}
	} else {
		src = source_add(intr_handle);
		if (src == NULL)
			goto unlock;
	}
	TAILQ_INSERT_TAIL(&src->callbacks, c, next);
	c = NULL;
	ret = 0;
unlock:
	pthread_mutex_unlock(&intr.lock);
	free(c);
	return ret;
}

static int
cb_matches(const struct intr_callback *c, rte_intr_callback_fn cb, void *arg)
{
	return c->cb == cb && (arg == INTR_ANY_ARG || c->arg == arg) &&
		!c->pending_delete;
}

/* Remove matching callbacks of an idle source. Lock held. */
static int
source_unregister(struct intr_source *src, rte_intr_callback_fn cb,
		void *arg)
{
	struct intr_callback *c, *tmp;
	int n = 0;

	for (c = TAILQ_FIRST(&src->callbacks); c != NULL; c = tmp) {
		tmp = TAILQ_NEXT(c, next);
		if (cb_matches(c, cb, arg)) {
			TAILQ_REMOVE(&src->callbacks, c, next);
			free(c);
			n++;
		}
	}
	if (TAILQ_EMPTY(&src->callbacks))
		source_drop(src);
	if (n == 0)
		rte_errno = ENOENT;
	return n > 0 ? n : -1;
}

static int
callback_unregister(const struct rte_intr_handle *h, rte_intr_callback_fn cb,
		void *arg, int wait)
{
	struct intr_source *src;
	int ret;

	if (handle_check(h, cb, "unregister") != 0)
		return -1;
	pthread_mutex_lock(&intr.lock);
	for (;;) {
		src = source_find(h->fd);
		if (src == NULL) {
			rte_errno = ENOENT;
			ret = -1;
			break;
		}
		if (!src->active) {
			ret = source_unregister(src, cb, arg);
			break;
		}
		if (!wait || rte_thread_is_intr()) {
			rte_errno = wait ? EDEADLK : EAGAIN;
			ret = -1;
			break;
		}
		pthread_cond_wait(&intr.idle, &intr.lock);
	}
	pthread_mutex_unlock(&intr.lock);
	return ret;
}

int
rte_intr_callback_unregister(const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg)
{
	return callback_unregister(intr_handle, cb, cb_arg, 0);
}

int
rte_intr_callback_unregister_sync(const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg)
{
	return callback_unregister(intr_handle, cb, cb_arg, 1);
}

int
rte_intr_callback_unregister_pending(const struct rte_intr_handle *intr_handle,
		rte_intr_callback_fn cb, void *cb_arg,
		rte_intr_unregister_callback_fn ucb_fn)
{
	struct intr_source *src;
	struct intr_callback *c;
	int n = 0;

	if (handle_check(intr_handle, cb, "unregister pending") != 0)
		return -1;
	pthread_mutex_lock(&intr.lock);
	src = source_find(intr_handle->fd);
	if (src == NULL) {
		rte_errno = ENOENT;
		n = -1;
	} else if (!src->active) {
		rte_errno = EAGAIN;
		n = -1;
	} else {
		TAILQ_FOREACH(c, &src->callbacks, next) {
			if (cb_matches(c, cb, cb_arg)) {
				c->pending_delete = 1;
				c->ucb = ucb_fn;
				n++;
			}
		}
		if (n == 0) {
			rte_errno = ENOENT;
			n = -1;
		}
	}
	pthread_mutex_unlock(&intr.lock);
	return n;
}

/*
 * Consume the event for types whose fd is a counter; 0 to run the
 * callbacks, 1 when there is nothing to run, -1 when the fd is broken.
 */
static int
source_ack(const struct intr_source *src, uint32_t events)
{
	size_t len = intr_ack_size[src->handle.type];
	uint64_t buf;
	ssize_t n;

	if ((events & (EPOLLIN | EPOLLPRI)) == 0)
		return -1; /* EPOLLERR or EPOLLHUP alone */
	if (len == 0)
		return 0;
	n = read(src->fd, &buf, len);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	EAL_LOG(ERR, "interrupt fd %d: read failed: %s", src->fd,
		n < 0 ? strerror(errno) : "short read");
	return -1;
}

/* Run one source's callbacks; the lock is dropped around each call. */
static void
source_dispatch(int fd, uint32_t events)
{
	struct intr_callback_list removed = TAILQ_HEAD_INITIALIZER(removed);
	struct intr_callback *c, *tmp, *last;
	struct rte_intr_handle handle;
	struct intr_source *src;
	int ack;

	pthread_mutex_lock(&intr.lock);
	src = source_find(fd);
	if (src == NULL) {
		pthread_mutex_unlock(&intr.lock);
		return;
	}
	ack = source_ack(src, events);
	if (ack != 0) {
		if (ack < 0) {
			EAL_LOG(WARNING, "interrupt fd %d: error or hang-up, removed from the interrupt thread",
				fd);
			epoll_ctl(intr.epfd, EPOLL_CTL_DEL, fd, NULL);
		}
		pthread_mutex_unlock(&intr.lock);
		return;
	}
	src->active = 1;
	/*
	 * Callbacks registered during the round wait for the next event;
	 * entries are not freed while active, so "last" stays valid.
	 */
	last = TAILQ_LAST(&src->callbacks, intr_callback_list);
	for (c = TAILQ_FIRST(&src->callbacks); c != NULL;
			c = TAILQ_NEXT(c, next)) {
		rte_intr_callback_fn cb = c->cb;
		void *arg = c->arg;

		if (!c->pending_delete) {
			pthread_mutex_unlock(&intr.lock);
			cb(arg);
			pthread_mutex_lock(&intr.lock);
		}
		if (c == last)
			break;
	}
	for (c = TAILQ_FIRST(&src->callbacks); c != NULL; c = tmp) {
		tmp = TAILQ_NEXT(c, next);
		if (c->pending_delete) {
			TAILQ_REMOVE(&src->callbacks, c, next);
			TAILQ_INSERT_TAIL(&removed, c, next);
		}
	}
	handle = src->handle;
	src->active = 0;
	if (TAILQ_EMPTY(&src->callbacks))
		source_drop(src);
	pthread_cond_broadcast(&intr.idle);
	pthread_mutex_unlock(&intr.lock);
	while ((c = TAILQ_FIRST(&removed)) != NULL) {
		TAILQ_REMOVE(&removed, c, next);
		if (c->ucb != NULL)
			c->ucb(&handle, c->arg);
		free(c);
	}
}

static void *
intr_thread_main(void *arg __rte_unused)
{
	struct epoll_event events[INTR_EVENTS_MAX];
	int i, n;

	for (;;) {
		n = epoll_wait(intr.epfd, events, INTR_EVENTS_MAX, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			EAL_LOG(ERR, "interrupt thread: epoll_wait failed: %s",
				strerror(errno));
			return NULL;
		}
		for (i = 0; i < n; i++) {
			if (events[i].data.fd == intr.wake_fd) {
				if (__atomic_load_n(&intr.stop, __ATOMIC_ACQUIRE))
					return NULL;
				continue;
			}
			source_dispatch(events[i].data.fd, events[i].events);
		}
	}
}

static int
intr_thread_start(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int err;

	intr.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (intr.epfd < 0) {
		EAL_LOG(ERR, "interrupt thread: epoll_create1 failed: %s",
			strerror(errno));
		rte_errno = errno == ENOMEM ? ENOMEM : EIO;
		return -1;
	}
	intr.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (intr.wake_fd < 0) {
		EAL_LOG(ERR, "interrupt thread: eventfd failed: %s",
			strerror(errno));
		rte_errno = EIO;
		goto close_epoll;
	}
	ev.data.fd = intr.wake_fd;
	if (epoll_ctl(intr.epfd, EPOLL_CTL_ADD, intr.wake_fd, &ev) != 0) {
		EAL_LOG(ERR, "interrupt thread: epoll_ctl(ADD) failed: %s",
			strerror(errno));
		rte_errno = EIO;
		goto close_wake;
	}
	intr.stop = 0;
	err = pthread_create(&intr.thread, NULL, intr_thread_main, NULL);
	if (err != 0) {
		EAL_LOG(ERR, "interrupt thread: pthread_create failed: %s",
			strerror(err));
		rte_errno = err == EAGAIN ? ENOMEM : EIO;
		goto close_wake;
	}
	pthread_setname_np(intr.thread, "rte_intr");
	pthread_mutex_lock(&intr.lock);
	__atomic_store_n(&intr.running, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&intr.lock);
	return 0;
close_wake:
	close(intr.wake_fd);
	intr.wake_fd = -1;
close_epoll:
	close(intr.epfd);
	intr.epfd = -1;
	return -1;
}

static void
intr_thread_stop(void)
{
	struct intr_callback *c;
	struct intr_source *src;
	uint64_t one = 1;
	int left = 0;

	pthread_mutex_lock(&intr.lock);
	__atomic_store_n(&intr.running, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&intr.lock);
	__atomic_store_n(&intr.stop, 1, __ATOMIC_RELEASE);
	if (write(intr.wake_fd, &one, sizeof(one)) != sizeof(one))
		EAL_LOG(ERR, "interrupt thread: wake-up write failed: %s",
			strerror(errno));
	pthread_join(intr.thread, NULL);
	pthread_mutex_lock(&intr.lock);
	while ((src = TAILQ_FIRST(&intr.sources)) != NULL) {
		while ((c = TAILQ_FIRST(&src->callbacks)) != NULL) {
			TAILQ_REMOVE(&src->callbacks, c, next);
			free(c);
			left++;
		}
		source_drop(src);
	}
	pthread_mutex_unlock(&intr.lock);
	if (left > 0)
		EAL_LOG(DEBUG, "interrupt thread: %d callbacks were still registered",
			left);
	close(intr.wake_fd);
	intr.wake_fd = -1;
	close(intr.epfd);
	intr.epfd = -1;
}

int
eal_intr_init(void)
{
	if (intr_thread_start() != 0)
		return -1;
	if (eal_alarm_init() != 0) {
		int err = rte_errno;

		intr_thread_stop();
		rte_errno = err;
		return -1;
	}
	return 0;
}

void
eal_intr_cleanup(void)
{
	if (intr.epfd < 0)
		return;
	eal_alarm_cleanup();
	intr_thread_stop();
}
