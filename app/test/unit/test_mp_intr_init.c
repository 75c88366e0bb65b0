/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The "multi-process channel" and "interrupt thread" init stages with a
 * system call failing at each step: rte_eal_init() fails with the right
 * rte_errno and leaves no descriptor, thread, socket file or runtime
 * directory behind.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "fault.h"
#include "unit_rundir.h"

#define FAIL_IF_ARMED(name) do { \
	int err_ = fault_check(name); \
	if (err_ != 0) { \
		errno = err_; \
		return -1; \
	} \
} while (0)

int __real_socket(int domain, int type, int protocol);
int __wrap_socket(int domain, int type, int protocol);
int __real_bind(int fd, const struct sockaddr *addr, socklen_t len);
int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len);
int __real_setsockopt(int fd, int level, int name, const void *val,
		socklen_t len);
int __wrap_setsockopt(int fd, int level, int name, const void *val,
		socklen_t len);
int __real_eventfd(unsigned int count, int flags);
int __wrap_eventfd(unsigned int count, int flags);
int __real_epoll_create1(int flags);
int __wrap_epoll_create1(int flags);
int __real_timerfd_create(int clockid, int flags);
int __wrap_timerfd_create(int clockid, int flags);
int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr,
		void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
		void *(*fn)(void *), void *arg);

int
__wrap_socket(int domain, int type, int protocol)
{
	FAIL_IF_ARMED("socket");
	return __real_socket(domain, type, protocol);
}

int
__wrap_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	FAIL_IF_ARMED("bind");
	return __real_bind(fd, addr, len);
}

int
__wrap_setsockopt(int fd, int level, int name, const void *val,
		socklen_t len)
{
	FAIL_IF_ARMED("setsockopt");
	return __real_setsockopt(fd, level, name, val, len);
}

int
__wrap_eventfd(unsigned int count, int flags)
{
	FAIL_IF_ARMED("eventfd");
	return __real_eventfd(count, flags);
}

int
__wrap_epoll_create1(int flags)
{
	FAIL_IF_ARMED("epoll_create1");
	return __real_epoll_create1(flags);
}

int
__wrap_timerfd_create(int clockid, int flags)
{
	FAIL_IF_ARMED("timerfd_create");
	return __real_timerfd_create(clockid, flags);
}

/* pthread_create returns the error instead of setting errno. */
int
__wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
		void *(*fn)(void *), void *arg)
{
	int err = fault_check("pthread_create");

	if (err != 0)
		return err;
	return __real_pthread_create(t, attr, fn, arg);
}

static char prefix_opt[64];
static char rundir[PATH_MAX];

static int
count_dir(const char *path)
{
	struct dirent *d;
	DIR *dir = opendir(path);
	int n = 0;

	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

static int
setup(void **state)
{
	unit_rundir("unit_mp", prefix_opt, sizeof(prefix_opt), rundir,
		sizeof(rundir));
	fault_reset();
	return 0;
}

static int
init(void)
{
	/* unit tests never depend on the host's hugepages */
	char *argv[] = { (char *)(uintptr_t)"unit", prefix_opt,
		(char *)(uintptr_t)"--no-huge", NULL };

	return rte_eal_init(3, argv);
}

struct init_fault {
	const char *fn;
	unsigned int nth;
	int err;
	int expect; /* rte_errno */
};

static const struct init_fault init_faults[] = {
	{ "socket", 1, EMFILE, EIO },           /* channel socket */
	{ "setsockopt", 1, ENOMEM, EIO },       /* SO_PASSCRED */
	{ "bind", 1, EACCES, EACCES },
	{ "eventfd", 1, EMFILE, EIO },          /* channel wake-up */
	{ "pthread_create", 1, EAGAIN, ENOMEM },/* channel thread */
	{ "epoll_create1", 1, EMFILE, EIO },
	{ "eventfd", 2, EMFILE, EIO },          /* interrupt wake-up */
	{ "pthread_create", 2, EAGAIN, ENOMEM },/* interrupt thread */
	{ "timerfd_create", 1, EMFILE, EIO },   /* alarms */
};

static void
test_each_failure_leaves_nothing(void **state)
{
	struct stat st;
	int fds, threads;
	size_t i;

	fds = count_dir("/proc/self/fd");
	threads = count_dir("/proc/self/task");
	for (i = 0; i < sizeof(init_faults) / sizeof(init_faults[0]); i++) {
		const struct init_fault *f = &init_faults[i];

		print_message("%s #%u fails with %s\n", f->fn, f->nth,
			strerror(f->err));
		fault_reset();
		fault_arm(f->fn, f->nth, f->err);
		rte_errno = 0;
		assert_int_equal(init(), -1);
		assert_int_equal(rte_errno, f->expect);
		assert_int_equal(stat(rundir, &st), -1);
		assert_int_equal(count_dir("/proc/self/fd"), fds);
		assert_int_equal(count_dir("/proc/self/task"), threads);
	}
	/* and then it works, and cleans up after itself */
	fault_reset();
	assert_true(init() >= 0);
	/* channel, interrupt and telemetry threads */
	assert_int_equal(count_dir("/proc/self/task"), threads + 3);
	assert_int_equal(stat(rundir, &st), 0);
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(stat(rundir, &st), -1);
	assert_int_equal(count_dir("/proc/self/fd"), fds);
	assert_int_equal(count_dir("/proc/self/task"), threads);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_each_failure_leaves_nothing, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
