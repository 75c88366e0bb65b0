/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * dev_event_autotest: rte_dev_event_callback_register/unregister with
 * DPDK's return values (-EINVAL, -EEXIST, -ENOENT, count removed, -EAGAIN
 * while the callback runs, (void *)-1 for any argument); the callbacks
 * get the device name and event given to rte_dev_event_callback_process(),
 * per device or for all; the monitor starts and stops by count, reads its
 * netlink socket in the interrupt thread and drops a uevent forged by a
 * user process (not the kernel) without calling anybody.
 */

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <rte_dev.h>
#include <rte_errno.h>

#include "test.h"

#define NB_SEEN 8

static struct {
	pthread_mutex_t lock;
	unsigned int n;
	struct {
		char name[RTE_DEV_NAME_MAX_LEN];
		enum rte_dev_event_type event;
		void *arg;
	} seen[NB_SEEN];
} rec = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
record_cb(const char *name, enum rte_dev_event_type event, void *arg)
{
	pthread_mutex_lock(&rec.lock);
	if (rec.n < NB_SEEN) {
		snprintf(rec.seen[rec.n].name, sizeof(rec.seen[0].name), "%s",
			name);
		rec.seen[rec.n].event = event;
		rec.seen[rec.n].arg = arg;
	}
	rec.n++;
	pthread_mutex_unlock(&rec.lock);
}

static unsigned int
rec_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&rec.lock);
	n = rec.n;
	pthread_mutex_unlock(&rec.lock);
	return n;
}

/* each of the first n calls had this name and event; how many had arg */
static int
rec_check(unsigned int n, const char *name, enum rte_dev_event_type event,
		void *arg, unsigned int with_arg)
{
	unsigned int i, got = 0;

	TEST_ASSERT_EQUAL(rec.n, n, "%u callbacks called, want %u", rec.n, n);
	for (i = 0; i < n; i++) {
		TEST_ASSERT(strcmp(rec.seen[i].name, name) == 0,
			"call %u: device '%s', want '%s'", i, rec.seen[i].name,
			name);
		TEST_ASSERT_EQUAL(rec.seen[i].event, event, "call %u: event %d",
			i, (int)rec.seen[i].event);
		got += rec.seen[i].arg == arg;
	}
	TEST_ASSERT_EQUAL(got, with_arg, "%u calls with arg %p, want %u", got,
		arg, with_arg);
	rec.n = 0;
	return TEST_SUCCESS;
}

static int a1, a2;

static int
test_register_errors(void)
{
	TEST_ASSERT_EQUAL(rte_dev_event_callback_register(NULL, NULL, &a1),
		-EINVAL, "NULL callback accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister(NULL, NULL, &a1),
		-EINVAL, "unregister NULL callback");
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister(NULL, record_cb,
		&a1), -ENOENT, "unregister of nothing");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "rte_errno %d", rte_errno);
	return TEST_SUCCESS;
}

static int
test_calls(void)
{
	TEST_ASSERT_SUCCESS(rte_dev_event_callback_register(NULL, record_cb,
		&a1), "register all/a1");
	TEST_ASSERT_EQUAL(rte_dev_event_callback_register(NULL, record_cb,
		&a1), -EEXIST, "duplicate accepted");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_dev_event_callback_register(NULL, record_cb,
		&a2), "register all/a2");
	TEST_ASSERT_SUCCESS(rte_dev_event_callback_register("testdev0",
		record_cb, &a1), "register testdev0/a1");
	TEST_ASSERT_EQUAL(rte_dev_event_callback_register("testdev0",
		record_cb, &a1), -EEXIST, "duplicate named accepted");

	rec.n = 0;
	rte_dev_event_callback_process("testdev0", RTE_DEV_EVENT_ADD);
	if (rec_check(3, "testdev0", RTE_DEV_EVENT_ADD, &a1, 2) != 0)
		return TEST_FAILED;
	rte_dev_event_callback_process("testdev1", RTE_DEV_EVENT_REMOVE);
	if (rec_check(2, "testdev1", RTE_DEV_EVENT_REMOVE, &a2, 1) != 0)
		return TEST_FAILED;
	rte_dev_event_callback_process(NULL, RTE_DEV_EVENT_ADD);
	rte_dev_event_callback_process("testdev1", RTE_DEV_EVENT_MAX);
	TEST_ASSERT_EQUAL(rec.n, 0, "NULL name or bad event reached callbacks");

	/* (void *)-1: both registrations for every device */
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister(NULL, record_cb,
		(void *)-1), 2, "unregister all/any");
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister(NULL, record_cb,
		(void *)-1), -ENOENT, "unregistered twice");
	rte_dev_event_callback_process("testdev1", RTE_DEV_EVENT_ADD);
	TEST_ASSERT_EQUAL(rec.n, 0, "an unregistered callback was called");
	/* NULL does not match a named registration */
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister("testdev1",
		record_cb, &a1), -ENOENT, "wrong name matched");
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister("testdev0",
		record_cb, &a1), 1, "unregister testdev0/a1");
	rte_dev_event_callback_process("testdev0", RTE_DEV_EVENT_ADD);
	TEST_ASSERT_EQUAL(rec.n, 0, "callbacks left");
	return TEST_SUCCESS;
}

/* a callback that stays running until told to return */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int running, release;
	int self_unregister; /* what unregistering itself gave */
} blk = {
	.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
};

static void
block_cb(const char *name __rte_unused,
		enum rte_dev_event_type event __rte_unused, void *arg)
{
	blk.self_unregister = rte_dev_event_callback_unregister(NULL,
		block_cb, arg);
	pthread_mutex_lock(&blk.lock);
	blk.running = 1;
	pthread_cond_broadcast(&blk.cond);
	while (!blk.release)
		pthread_cond_wait(&blk.cond, &blk.lock);
	pthread_mutex_unlock(&blk.lock);
}

static void *
process_thread(void *arg __rte_unused)
{
	rte_dev_event_callback_process("testdev2", RTE_DEV_EVENT_REMOVE);
	return NULL;
}

static int
test_unregister_running(void)
{
	pthread_t th;
	int ret;

	memset(&blk, 0, sizeof(blk));
	pthread_mutex_init(&blk.lock, NULL);
	pthread_cond_init(&blk.cond, NULL);
	TEST_ASSERT_SUCCESS(rte_dev_event_callback_register(NULL, block_cb,
		&a1), "register");
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, process_thread, NULL),
		"thread");
	pthread_mutex_lock(&blk.lock);
	while (!blk.running)
		pthread_cond_wait(&blk.cond, &blk.lock);
	pthread_mutex_unlock(&blk.lock);
	ret = rte_dev_event_callback_unregister(NULL, block_cb, (void *)-1);
	pthread_mutex_lock(&blk.lock);
	blk.release = 1;
	pthread_cond_broadcast(&blk.cond);
	pthread_mutex_unlock(&blk.lock);
	pthread_join(th, NULL);
	TEST_ASSERT_EQUAL(ret, -EAGAIN, "unregister while running gave %d", ret);
	TEST_ASSERT_EQUAL(blk.self_unregister, -EAGAIN,
		"unregister from inside the callback gave %d", blk.self_unregister);
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister(NULL, block_cb,
		&a1), 1, "unregister after it returned");
	return TEST_SUCCESS;
}

/* this process's NETLINK_KOBJECT_UEVENT sockets: count, last fd */
static int
uevent_sockets(int *last)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	*last = -1;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name), proto = 0;
		struct sockaddr_nl sa;
		socklen_t len = sizeof(proto), alen = sizeof(sa);

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) != 0 ||
				getsockname(fd, (struct sockaddr *)&sa, &alen) != 0 ||
				sa.nl_family != AF_NETLINK ||
				proto != NETLINK_KOBJECT_UEVENT)
			continue;
		n++;
		*last = fd;
	}
	closedir(d);
	return n;
}

/* a PCI add uevent, as the kernel writes it, from a user process */
static int
forge_uevent(int target)
{
	static const char msg[] =
		"add@/devices/pci0000:00/0000:00:1f.7\0ACTION=add\0"
		"DEVPATH=/devices/pci0000:00/0000:00:1f.7\0SUBSYSTEM=pci\0"
		"PCI_SLOT_NAME=0000:00:1f.7\0SEQNUM=1";
	struct sockaddr_nl to = { .nl_family = AF_NETLINK }, me;
	socklen_t alen = sizeof(me);
	int s, avail = 1, i;

	if (getsockname(target, (struct sockaddr *)&me, &alen) != 0)
		return -1;
	to.nl_pid = me.nl_pid;
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (s < 0)
		return -1;
	if (sendto(s, msg, sizeof(msg), 0, (struct sockaddr *)&to,
			sizeof(to)) != (ssize_t)sizeof(msg)) {
		printf("sending a forged uevent: %s\n", strerror(errno));
		close(s);
		return -1;
	}
	close(s);
	/* the interrupt thread drains the queue: then it has judged it */
	for (i = 0; i < 200 && avail != 0; i++) {
		char c;

		if (recv(target, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 &&
				errno == EAGAIN)
			avail = 0;
		else
			usleep(10000);
	}
	usleep(50000); /* the dispatch after the read */
	return avail == 0 ? 0 : -1;
}

static int
test_monitor(void)
{
	int before, fd, fd2;

	before = uevent_sockets(&fd);
	TEST_ASSERT(before >= 0, "/proc/self/fd: %s", strerror(errno));
	if (rte_dev_event_monitor_start() != 0) {
		if (rte_errno == ENOTSUP)
			TEST_SKIP("no netlink uevents here: %s",
				rte_strerror(rte_errno));
		TEST_ASSERT(0, "start: %s", rte_strerror(rte_errno));
	}
	TEST_ASSERT_EQUAL(uevent_sockets(&fd), before + 1, "no uevent socket");
	TEST_ASSERT_SUCCESS(rte_dev_event_monitor_start(), "second start");
	TEST_ASSERT_EQUAL(uevent_sockets(&fd2), before + 1,
		"a second start opened another socket");
	TEST_ASSERT_SUCCESS(rte_dev_event_callback_register(NULL, record_cb,
		&a1), "register");
	rec.n = 0;
	TEST_ASSERT_SUCCESS(forge_uevent(fd),
		"the monitor did not read a uevent sent to its socket");
	TEST_ASSERT_EQUAL(rec_count(), 0,
		"a uevent from a user process reached the callbacks");
	TEST_ASSERT_EQUAL(rte_dev_event_callback_unregister(NULL, record_cb,
		&a1), 1, "unregister");
	TEST_ASSERT_SUCCESS(rte_dev_event_monitor_stop(), "first stop");
	TEST_ASSERT_EQUAL(uevent_sockets(&fd2), before + 1,
		"the first of two stops closed the socket");
	TEST_ASSERT_SUCCESS(rte_dev_event_monitor_stop(), "second stop");
	TEST_ASSERT_EQUAL(uevent_sockets(&fd2), before,
		"the socket is still open after the last stop");
	TEST_ASSERT_SUCCESS(rte_dev_event_monitor_stop(),
		"stop without start is a no-op returning 0");
	return TEST_SUCCESS;
}

static int
test_dev_event(void)
{
	if (test_register_errors() != TEST_SUCCESS ||
			test_calls() != TEST_SUCCESS ||
			test_unregister_running() != TEST_SUCCESS)
		return TEST_FAILED;
	return test_monitor();
}

REGISTER_TEST_COMMAND(dev_event_autotest, test_dev_event);
