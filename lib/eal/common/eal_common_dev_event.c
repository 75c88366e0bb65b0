/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Device event callbacks (DPDK's rte_dev_event_callback_*): a list of
 * (device name or all, callback, argument). A callback runs without the
 * list lock held, marked active so that nobody frees it meanwhile: an
 * unregister that meets it answers -EAGAIN.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_dev.h>
#include <rte_errno.h>

#include "eal_log.h"
#include "eal_private.h"

struct dev_event_cb {
	TAILQ_ENTRY(dev_event_cb) next;
	char *name;              /* NULL: every device */
	rte_dev_event_cb_fn fn;
	void *arg;
	unsigned int active;     /* running now (in how many threads) */
};

static TAILQ_HEAD(, dev_event_cb) dev_event_cbs =
	TAILQ_HEAD_INITIALIZER(dev_event_cbs);
static pthread_mutex_t dev_event_lock = PTHREAD_MUTEX_INITIALIZER;

/* same registration name: both NULL, or equal strings */
static int
name_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
neg_errno(int err)
{
	rte_errno = err;
	return -err;
}

int
rte_dev_event_callback_register(const char *device_name,
		rte_dev_event_cb_fn cb_fn, void *cb_arg)
{
	struct dev_event_cb *c;

	if (cb_fn == NULL)
		return neg_errno(EINVAL);
	pthread_mutex_lock(&dev_event_lock);
	TAILQ_FOREACH(c, &dev_event_cbs, next) {
		if (c->fn == cb_fn && c->arg == cb_arg &&
				name_same(c->name, device_name)) {
			pthread_mutex_unlock(&dev_event_lock);
			return neg_errno(EEXIST);
		}
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto nomem;
	if (device_name != NULL) {
		c->name = strdup(device_name);
		if (c->name == NULL) {
			free(c);
			goto nomem;
		}
	}
	c->fn = cb_fn;
	c->arg = cb_arg;
	TAILQ_INSERT_TAIL(&dev_event_cbs, c, next);
	pthread_mutex_unlock(&dev_event_lock);
	return 0;
nomem:
	pthread_mutex_unlock(&dev_event_lock);
	EAL_LOG(ERR, "device event callback for %s: out of memory",
		device_name != NULL ? device_name : "every device");
	return neg_errno(ENOMEM);
}

int
rte_dev_event_callback_unregister(const char *device_name,
		rte_dev_event_cb_fn cb_fn, void *cb_arg)
{
	struct dev_event_cb *c, *tmp;
	int removed = 0, busy = 0;

	if (cb_fn == NULL)
		return neg_errno(EINVAL);
	pthread_mutex_lock(&dev_event_lock);
	for (c = TAILQ_FIRST(&dev_event_cbs); c != NULL; c = tmp) {
		tmp = TAILQ_NEXT(c, next);
		if (c->fn != cb_fn || !name_same(c->name, device_name) ||
				(cb_arg != (void *)-1 && c->arg != cb_arg))
			continue;
		if (c->active != 0) {
			busy = 1;
			break;
		}
		TAILQ_REMOVE(&dev_event_cbs, c, next);
		free(c->name);
		free(c);
		removed++;
	}
	pthread_mutex_unlock(&dev_event_lock);
	if (busy)
		return neg_errno(EAGAIN);
	if (removed == 0)
		return neg_errno(ENOENT);
	return removed;
}

void
rte_dev_event_callback_process(const char *device_name,
		enum rte_dev_event_type event)
{
	struct dev_event_cb *c;

	if (device_name == NULL || (unsigned int)event >= RTE_DEV_EVENT_MAX)
		return;
	pthread_mutex_lock(&dev_event_lock);
	TAILQ_FOREACH(c, &dev_event_cbs, next) {
		if (c->name != NULL && strcmp(c->name, device_name) != 0)
			continue;
		/* active: stays in the list, so c->next is valid afterwards */
		c->active++;
		pthread_mutex_unlock(&dev_event_lock);
		c->fn(device_name, event, c->arg);
		pthread_mutex_lock(&dev_event_lock);
		c->active--;
	}
	pthread_mutex_unlock(&dev_event_lock);
}

void
eal_dev_event_callbacks_clear(void)
{
	struct dev_event_cb *c, *tmp;

	pthread_mutex_lock(&dev_event_lock);
	for (c = TAILQ_FIRST(&dev_event_cbs); c != NULL; c = tmp) {
		tmp = TAILQ_NEXT(c, next);
		/* a running one is its thread's to finish with */
		if (c->active != 0)
			continue;
		TAILQ_REMOVE(&dev_event_cbs, c, next);
		free(c->name);
		free(c);
	}
	pthread_mutex_unlock(&dev_event_lock);
}
