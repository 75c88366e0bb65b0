/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Device event monitor (DPDK's rte_dev_event_monitor_start/stop): a
 * NETLINK_KOBJECT_UEVENT socket read in the EAL interrupt thread. The
 * kernel's uevents of PCI devices ("add@..."/"remove@..." followed by
 * NUL-separated KEY=value fields) become RTE_DEV_EVENT_ADD/REMOVE for
 * the device named by PCI_SLOT_NAME. Anything else is dropped: messages
 * not sent by the kernel (netlink port 0), truncated or malformed ones
 * with a debug line, other subsystems and actions silently.
 */

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_interrupts.h>

#include "eal_log.h"
#include "eal_private.h"

/* the kernel's uevent buffer is 2 KiB; more room detects truncation */
#define UEVENT_MSG_MAX 8192
/* multicast group the kernel sends its uevents to (udev uses 2) */
#define UEVENT_GROUP_KERNEL 1

static struct {
	pthread_mutex_t lock;
	unsigned int refs;
	int fd;
	struct rte_intr_handle *handle;
} monitor = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
};

/* the fields a PCI uevent must carry */
struct uevent {
	const char *action;
	const char *subsystem;
	const char *slot;
};

/* "dddd:bb:dd.f" with hex digits, nothing else */
static int
pci_slot_valid(const char *s)
{
	static const char fmt[] = "xxxx:xx:xx.x";
	size_t i;

	if (strlen(s) != sizeof(fmt) - 1)
		return 0;
	for (i = 0; i < sizeof(fmt) - 1; i++) {
		int ok = fmt[i] == 'x' ? isxdigit((unsigned char)s[i]) != 0 :
			s[i] == fmt[i];

		if (!ok)
			return 0;
	}
	return 1;
}

/*
 * Split buf (len bytes, fields NUL-terminated) into ev. 0 when well
 * formed, or -1 with *why saying what is wrong.
 */
static int
uevent_split(const char *buf, size_t len, struct uevent *ev, const char **why)
{
	size_t off, flen;
	const char *at;

	memset(ev, 0, sizeof(*ev));
	if (len == 0 || buf[len - 1] != '\0') {
		*why = "not NUL-terminated";
		return -1;
	}
	/* header "<action>@<devpath>" */
	at = strchr(buf, '@');
	if (at == NULL || at == buf) {
		*why = "no <action>@<devpath> header";
		return -1;
	}
	for (off = strlen(buf) + 1; off < len; off += flen + 1) {
		const char *f = buf + off;

		flen = strlen(f);
		if (strncmp(f, "ACTION=", 7) == 0)
			ev->action = f + 7;
		else if (strncmp(f, "SUBSYSTEM=", 10) == 0)
			ev->subsystem = f + 10;
		else if (strncmp(f, "PCI_SLOT_NAME=", 14) == 0)
			ev->slot = f + 14;
		else if (flen != 0 && strchr(f, '=') == NULL) {
			*why = "a field without '='";
			return -1;
		}
	}
	if (ev->action == NULL || ev->subsystem == NULL) {
		*why = "no ACTION or SUBSYSTEM";
		return -1;
	}
	if ((size_t)(at - buf) != strlen(ev->action) ||
			strncmp(buf, ev->action, (size_t)(at - buf)) != 0) {
		*why = "header and ACTION disagree";
		return -1;
	}
	return 0;
}

static void
uevent_dispatch(const char *buf, size_t len)
{
	enum rte_dev_event_type type;
	const char *why;
	struct uevent ev;

	if (uevent_split(buf, len, &ev, &why) != 0) {
		EAL_LOG(DEBUG, "device event: uevent of %zu bytes dropped: %s",
			len, why);
		return;
	}
	if (strcmp(ev.subsystem, "pci") != 0)
		return;
	if (strcmp(ev.action, "add") == 0)
		type = RTE_DEV_EVENT_ADD;
	else if (strcmp(ev.action, "remove") == 0)
		type = RTE_DEV_EVENT_REMOVE;
	else
		return;
	if (ev.slot == NULL || !pci_slot_valid(ev.slot)) {
		EAL_LOG(DEBUG, "device event: PCI %s uevent dropped: bad PCI_SLOT_NAME '%s'",
			ev.action, ev.slot != NULL ? ev.slot : "(none)");
		return;
	}
	EAL_LOG(DEBUG, "device event: %s %s", ev.slot, ev.action);
	rte_dev_event_callback_process(ev.slot, type);
}

/* interrupt thread: drain the socket */
static void
monitor_read(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static char buf[UEVENT_MSG_MAX];

	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t n;

		memset(&from, 0, sizeof(from));
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				EAL_LOG(WARNING, "device event: uevents lost (socket buffer full)");
				continue;
			}
			if (errno != EAGAIN && errno != EINTR)
				EAL_LOG(ERR, "device event: recvmsg failed: %s",
					strerror(errno));
			return;
		}
		if (mh.msg_namelen != sizeof(from) ||
				from.nl_family != AF_NETLINK || from.nl_pid != 0) {
			EAL_LOG(DEBUG, "device event: message from netlink port %u dropped: not the kernel",
				(unsigned int)from.nl_pid);
			continue;
		}
		if ((mh.msg_flags & MSG_TRUNC) != 0) {
			EAL_LOG(DEBUG, "device event: truncated uevent dropped");
			continue;
		}
		uevent_dispatch(buf, (size_t)n);
	}
}

static int
monitor_open(void)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = UEVENT_GROUP_KERNEL,
	};
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		EAL_LOG(ERR, "device event monitor: netlink uevent socket failed: %s",
			strerror(errno));
		rte_errno = errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT ?
			ENOTSUP : EIO;
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		EAL_LOG(ERR, "device event monitor: bind to the kernel's uevents failed: %s",
			strerror(errno));
		close(fd);
		rte_errno = EIO;
		return -1;
	}
	return fd;
}

int
rte_dev_event_monitor_start(void)
{
	int ret = -1;

	pthread_mutex_lock(&monitor.lock);
	if (monitor.refs > 0) {
		monitor.refs++;
		ret = 0;
		goto unlock;
	}
	monitor.handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (monitor.handle == NULL)
		goto unlock;
	monitor.fd = monitor_open();
	if (monitor.fd < 0)
		goto free_handle;
	rte_intr_fd_set(monitor.handle, monitor.fd);
	rte_intr_type_set(monitor.handle, RTE_INTR_HANDLE_DEV_EVENT);
	if (rte_intr_callback_register(monitor.handle, monitor_read,
			(void *)(intptr_t)monitor.fd) != 0)
		goto close_fd;
	monitor.refs = 1;
	EAL_LOG(DEBUG, "device event monitor started (fd %d)", monitor.fd);
	ret = 0;
	goto unlock;
close_fd:
	close(monitor.fd);
	monitor.fd = -1;
free_handle:
	rte_intr_instance_free(monitor.handle);
	monitor.handle = NULL;
unlock:
	pthread_mutex_unlock(&monitor.lock);
	return ret;
}

/* after the interrupt thread let go of the callback */
static void
monitor_closed(struct rte_intr_handle *h __rte_unused, void *arg)
{
	close((int)(intptr_t)arg);
}

static int
monitor_close(void)
{
	void *arg = (void *)(intptr_t)monitor.fd;

	if (rte_thread_is_intr()) {
		/* from a callback: maybe ours, which cannot wait for itself */
		if (rte_intr_callback_unregister_pending(monitor.handle,
				monitor_read, arg, monitor_closed) > 0)
			goto done;
		if (rte_errno != EAGAIN)
			return -1;
		if (rte_intr_callback_unregister(monitor.handle, monitor_read,
				arg) < 0)
			return -1;
	} else if (rte_intr_callback_unregister_sync(monitor.handle,
			monitor_read, arg) < 0) {
		return -1;
	}
	close(monitor.fd);
done:
	monitor.fd = -1;
	rte_intr_instance_free(monitor.handle);
	monitor.handle = NULL;
	return 0;
}

int
rte_dev_event_monitor_stop(void)
{
	int ret = 0;

	pthread_mutex_lock(&monitor.lock);
	if (monitor.refs == 0) {
		EAL_LOG(DEBUG, "device event monitor: stop without start ignored");
	} else if (monitor.refs > 1) {
		monitor.refs--;
	} else if (monitor_close() != 0) {
		EAL_LOG(ERR, "device event monitor: unregistering fd %d failed: %s",
			monitor.fd, rte_strerror(rte_errno));
		ret = -1;
	} else {
		monitor.refs = 0;
		EAL_LOG(DEBUG, "device event monitor stopped");
	}
	pthread_mutex_unlock(&monitor.lock);
	return ret;
}

void
eal_dev_event_monitor_cleanup(void)
{
	pthread_mutex_lock(&monitor.lock);
	if (monitor.refs > 0 && monitor_close() == 0)
		monitor.refs = 0;
	pthread_mutex_unlock(&monitor.lock);
}
