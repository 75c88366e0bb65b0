/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Interrupt handles, callbacks on the interrupt thread (fired by writing
 * eventfds), unregistration (plain, pending, from inside a callback) and
 * the per-type operations. EAL runs with --in-memory: interrupts do not
 * depend on the runtime directory.
 */

#include <errno.h>
#include <inttypes.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_interrupts.h>

#include "test.h"

#define WAIT_FAILSAFE_S 10 /* only reached when the test already failed */

struct intr_probe {
	int fd;
	int read_fd;     /* the callback reads the counter (EXT handles) */
	uint64_t value;  /* sum of counter values read */
	int calls;
	int in_intr;     /* rte_thread_is_intr() inside the callback */
	sem_t sem;
	struct rte_intr_handle *handle;
	int unreg_ret;   /* unregister from inside the callback */
	int unreg_errno;
	int pending_ret;
	int ucb_calls;
};

static int
probe_wait(struct intr_probe *p)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_FAILSAFE_S;
	while (sem_timedwait(&p->sem, &ts) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static void
probe_cb(void *arg)
{
	struct intr_probe *p = arg;
	uint64_t v;

	if (p->read_fd && read(p->fd, &v, sizeof(v)) == sizeof(v))
		p->value += v;
	p->in_intr = rte_thread_is_intr();
	__atomic_add_fetch(&p->calls, 1, __ATOMIC_RELEASE);
	sem_post(&p->sem);
}

static void
probe_cb2(void *arg)
{
	probe_cb(arg);
}

static int
probe_init(struct intr_probe *p, enum rte_intr_handle_type type, int read_fd)
{
	memset(p, 0, sizeof(*p));
	sem_init(&p->sem, 0, 0);
	p->read_fd = read_fd;
	p->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	p->handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (p->fd < 0 || p->handle == NULL)
		return -1;
	rte_intr_fd_set(p->handle, p->fd);
	rte_intr_type_set(p->handle, type);
	return 0;
}

static void
probe_fini(struct intr_probe *p)
{
	rte_intr_instance_free(p->handle);
	if (p->fd >= 0)
		close(p->fd);
	sem_destroy(&p->sem);
}

static int
kick(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

static int
test_handle_accessors(void)
{
	struct rte_intr_handle *h;

	TEST_ASSERT_NULL(rte_intr_instance_alloc(0x80), "bad flags accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_SHARED);
	TEST_ASSERT_NOT_NULL(h, "alloc: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(rte_intr_fd_get(h), -1, "fd default");
	TEST_ASSERT_EQUAL(rte_intr_dev_fd_get(h), -1, "dev fd default");
	TEST_ASSERT_EQUAL(rte_intr_type_get(h), RTE_INTR_HANDLE_UNKNOWN, "type");
	TEST_ASSERT_EQUAL(rte_intr_nb_efd_get(h), 0, "nb_efd");
	TEST_ASSERT_EQUAL(rte_intr_efds_index_get(h, 0), -1, "efd 0");
	TEST_ASSERT_EQUAL(rte_intr_efds_index_get(h,
		RTE_MAX_RXTX_INTR_VEC_ID - 1), -1, "last efd");
	TEST_ASSERT_SUCCESS(rte_intr_efds_index_set(h, 3, 42), "efd set");
	TEST_ASSERT_EQUAL(rte_intr_efds_index_get(h, 3), 42, "efd get");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_intr_efds_index_get(h, RTE_MAX_RXTX_INTR_VEC_ID),
		-1, "index out of range");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_intr_efds_index_set(h, -1, 3), -1, "index -1");
	TEST_ASSERT_EQUAL(rte_intr_type_set(h, RTE_INTR_HANDLE_MAX), -1,
		"type out of range");
	TEST_ASSERT_EQUAL(rte_intr_max_intr_set(h, -1), -1, "max_intr -1");
	TEST_ASSERT_EQUAL(rte_intr_nb_efd_set(h, RTE_MAX_RXTX_INTR_VEC_ID + 1),
		-1, "nb_efd too large");
	TEST_ASSERT_SUCCESS(rte_intr_dev_fd_set(h, 7), "dev fd set");
	TEST_ASSERT_EQUAL(rte_intr_dev_fd_get(h), 7, "dev fd get");
	TEST_ASSERT_SUCCESS(rte_intr_max_intr_set(h, 5), "max_intr");
	TEST_ASSERT_EQUAL(rte_intr_max_intr_get(h), 5, "max_intr get");
	rte_intr_instance_free(h);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_intr_fd_get(NULL), -1, "NULL handle");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_intr_fd_set(NULL, 1), -1, "NULL handle set");
	rte_intr_instance_free(NULL);
	return TEST_SUCCESS;
}

/* EXT: the callback reads; duplicates refused; two callbacks on one fd. */
static int
test_ext_callbacks(void)
{
	static struct intr_probe p, q; /* outlive an early failure return */
	int ret = TEST_FAILED;

	if (probe_init(&p, RTE_INTR_HANDLE_EXT, 1) != 0 ||
			probe_init(&q, RTE_INTR_HANDLE_EXT, 0) != 0)
		goto out;
	TEST_ASSERT_SUCCESS(rte_intr_callback_register(p.handle, probe_cb, &p),
		"register: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(rte_intr_callback_register(p.handle, probe_cb, &p), -1,
		"duplicate accepted");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(kick(p.fd, 1), "write");
	TEST_ASSERT_SUCCESS(probe_wait(&p), "callback did not fire");
	TEST_ASSERT_EQUAL(p.value, 1, "value %" PRIu64, p.value);
	TEST_ASSERT_EQUAL(p.in_intr, 1, "callback not on the interrupt thread");
	TEST_ASSERT_EQUAL(rte_thread_is_intr(), 0, "main is the interrupt thread");
	TEST_ASSERT_SUCCESS(kick(p.fd, 5), "write");
	TEST_ASSERT_SUCCESS(probe_wait(&p), "callback did not fire again");
	TEST_ASSERT_EQUAL(p.value, 6, "value %" PRIu64, p.value);

	/* a second callback on the same fd: both run, in order */
	TEST_ASSERT_SUCCESS(rte_intr_callback_register(p.handle, probe_cb2, &q),
		"second callback");
	TEST_ASSERT_SUCCESS(kick(p.fd, 2), "write");
	TEST_ASSERT_SUCCESS(probe_wait(&p), "first callback");
	TEST_ASSERT_SUCCESS(probe_wait(&q), "second callback");
	TEST_ASSERT_EQUAL(p.calls, 3, "calls %d", p.calls);
	TEST_ASSERT_EQUAL(q.calls, 1, "calls %d", q.calls);

	/*
	 * (void *)-1 matches any argument. The round that posted the
	 * semaphores may still be running: the plain unregister could give
	 * EAGAIN, the sync one waits for the round to end.
	 */
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister_sync(p.handle, probe_cb2,
		(void *)-1), 1, "unregister cb2");
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister(p.handle, probe_cb2, &q),
		-1, "unregister twice");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister(p.handle, probe_cb, &p),
		1, "unregister cb");
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister(p.handle, probe_cb, &p),
		-1, "fd still known");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "errno %d", rte_errno);

	/*
	 * After unregister the fd left epoll: a write is not consumed. A
	 * marker on another fd proves the thread ran after the write.
	 */
	TEST_ASSERT_SUCCESS(kick(p.fd, 9), "write");
	q.read_fd = 1;
	TEST_ASSERT_SUCCESS(rte_intr_callback_register(q.handle, probe_cb, &q),
		"marker");
	TEST_ASSERT_SUCCESS(kick(q.fd, 1), "marker write");
	TEST_ASSERT_SUCCESS(probe_wait(&q), "marker did not fire");
	TEST_ASSERT_EQUAL(p.calls, 3, "callback ran after unregister");
	{
		uint64_t v = 0;

		TEST_ASSERT_EQUAL(read(p.fd, &v, sizeof(v)), (ssize_t)sizeof(v),
			"counter consumed after unregister");
		TEST_ASSERT_EQUAL(v, 9, "counter %" PRIu64, v);
	}
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister_sync(q.handle, probe_cb,
		&q), 1, "unregister marker");
	ret = TEST_SUCCESS;
out:
	probe_fini(&p);
	probe_fini(&q);
	return ret;
}

/* VFIO types: the EAL reads the eventfd counter before the callback. */
static int
test_vfio_type_acks(void)
{
	static struct intr_probe p;
	uint64_t v;
	int ret = TEST_FAILED;

	if (probe_init(&p, RTE_INTR_HANDLE_VFIO_MSI, 0) != 0)
		goto out;
	TEST_ASSERT_SUCCESS(rte_intr_callback_register(p.handle, probe_cb, &p),
		"register");
	TEST_ASSERT_SUCCESS(kick(p.fd, 3), "write");
	TEST_ASSERT_SUCCESS(probe_wait(&p), "callback did not fire");
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister_sync(p.handle, probe_cb,
		&p), 1, "unregister");
	TEST_ASSERT_EQUAL(read(p.fd, &v, sizeof(v)), -1, "counter not consumed");
	TEST_ASSERT_EQUAL(errno, EAGAIN, "errno %d", errno);
	TEST_ASSERT_EQUAL(p.calls, 1, "calls %d", p.calls);
	ret = TEST_SUCCESS;
out:
	probe_fini(&p);
	return ret;
}

static void
ucb(struct rte_intr_handle *h, void *arg)
{
	struct intr_probe *p = arg;

	if (rte_intr_fd_get(h) == p->fd)
		p->ucb_calls++;
}

static void
self_unregister_cb(void *arg)
{
	struct intr_probe *p = arg;
	uint64_t v;

	if (read(p->fd, &v, sizeof(v)) != sizeof(v))
		p->value = UINT64_MAX;
	p->unreg_ret = rte_intr_callback_unregister(p->handle,
		self_unregister_cb, p);
	p->unreg_errno = rte_errno;
	p->pending_ret = rte_intr_callback_unregister_pending(p->handle,
		self_unregister_cb, p, ucb);
	p->calls++;
	sem_post(&p->sem);
}

static int
test_unregister_from_callback(void)
{
	static struct intr_probe p, marker;
	int ret = TEST_FAILED;

	if (probe_init(&p, RTE_INTR_HANDLE_EXT, 1) != 0 ||
			probe_init(&marker, RTE_INTR_HANDLE_EXT, 1) != 0)
		goto out;
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister_pending(p.handle,
		self_unregister_cb, &p, ucb), -1, "pending on unknown fd");
	TEST_ASSERT_SUCCESS(rte_intr_callback_register(p.handle,
		self_unregister_cb, &p), "register");
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister_pending(p.handle,
		self_unregister_cb, &p, ucb), -1, "pending while idle");
	TEST_ASSERT_EQUAL(rte_errno, EAGAIN, "errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(kick(p.fd, 1), "write");
	TEST_ASSERT_SUCCESS(probe_wait(&p), "callback did not fire");
	/* ucb runs after the round, before the next event is handled */
	TEST_ASSERT_SUCCESS(rte_intr_callback_register(marker.handle, probe_cb,
		&marker), "marker");
	TEST_ASSERT_SUCCESS(kick(marker.fd, 1), "marker write");
	TEST_ASSERT_SUCCESS(probe_wait(&marker), "marker");
	TEST_ASSERT_EQUAL(p.unreg_ret, -1, "unregister inside callback");
	TEST_ASSERT_EQUAL(p.unreg_errno, EAGAIN, "errno %d", p.unreg_errno);
	TEST_ASSERT_EQUAL(p.pending_ret, 1, "pending %d", p.pending_ret);
	TEST_ASSERT_EQUAL(p.ucb_calls, 1, "ucb calls %d", p.ucb_calls);
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister(p.handle,
		self_unregister_cb, &p), -1, "still registered");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_intr_callback_unregister_sync(marker.handle,
		probe_cb, &marker), 1, "marker unregister");
	ret = TEST_SUCCESS;
out:
	probe_fini(&p);
	probe_fini(&marker);
	return ret;
}

static struct {
	int enable, disable, efd_enable, efd_disable;
	uint32_t nb_efd;
	int fd;
} ops_seen;

static int
fake_enable(const struct rte_intr_handle *h)
{
	ops_seen.enable++;
	ops_seen.fd = rte_intr_fd_get(h);
	return 0;
}

static int
fake_disable(const struct rte_intr_handle *h)
{
	ops_seen.disable++;
	ops_seen.fd = rte_intr_fd_get(h);
	rte_errno = EIO;
	return -1;
}

static int
fake_efd_enable(struct rte_intr_handle *h, uint32_t nb_efd)
{
	ops_seen.efd_enable++;
	ops_seen.nb_efd = nb_efd;
	rte_intr_nb_efd_set(h, (int)nb_efd);
	return 0;
}

static void
fake_efd_disable(struct rte_intr_handle *h)
{
	ops_seen.efd_disable++;
	rte_intr_nb_efd_set(h, 0);
}

static const struct rte_intr_type_ops fake_ops = {
	.enable = fake_enable,
	.disable = fake_disable,
	.efd_enable = fake_efd_enable,
	.efd_disable = fake_efd_disable,
};

static const struct rte_intr_type_ops other_ops = { .enable = fake_enable };

static int
test_type_ops(void)
{
	struct rte_intr_handle *h = rte_intr_instance_alloc(0);
	int ret = TEST_FAILED;

	TEST_ASSERT_NOT_NULL(h, "alloc");
	memset(&ops_seen, 0, sizeof(ops_seen));
	TEST_ASSERT_EQUAL(rte_intr_type_ops_register(RTE_INTR_HANDLE_EXT,
		&fake_ops), -1, "ops for EXT accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_intr_type_ops_register(RTE_INTR_HANDLE_MAX,
		&fake_ops), -1, "type out of range");
	TEST_ASSERT_SUCCESS(rte_intr_type_ops_register(RTE_INTR_HANDLE_VFIO_MSIX,
		&fake_ops), "register ops");
	TEST_ASSERT_EQUAL(rte_intr_type_ops_register(RTE_INTR_HANDLE_VFIO_MSIX,
		&other_ops), -1, "other ops replaced");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "errno %d", rte_errno);

	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_intr_enable(h), -1, "fd -1 enabled");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	rte_intr_fd_set(h, 100);
	rte_intr_type_set(h, RTE_INTR_HANDLE_VFIO_MSIX);
	TEST_ASSERT_SUCCESS(rte_intr_enable(h), "enable");
	TEST_ASSERT_EQUAL(ops_seen.enable, 1, "enable op not called");
	TEST_ASSERT_EQUAL(ops_seen.fd, 100, "op saw fd %d", ops_seen.fd);
	TEST_ASSERT_EQUAL(rte_intr_disable(h), -1, "failing disable");
	TEST_ASSERT_EQUAL(rte_errno, EIO, "op errno not kept: %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_intr_efd_enable(h, 4), "efd enable");
	TEST_ASSERT_EQUAL(ops_seen.nb_efd, 4, "nb_efd %u", ops_seen.nb_efd);
	TEST_ASSERT_EQUAL(rte_intr_nb_efd_get(h), 4, "nb_efd stored");
	TEST_ASSERT_EQUAL(rte_intr_efd_enable(h, 0), -1, "0 vectors");
	TEST_ASSERT_EQUAL(rte_intr_efd_enable(h, RTE_MAX_RXTX_INTR_VEC_ID + 1),
		-1, "too many vectors");
	rte_intr_efd_disable(h);
	TEST_ASSERT_EQUAL(ops_seen.efd_disable, 1, "efd disable op");
	TEST_ASSERT_EQUAL(rte_intr_nb_efd_get(h), 0, "nb_efd reset");

	rte_intr_type_set(h, RTE_INTR_HANDLE_VFIO_LEGACY);
	TEST_ASSERT_EQUAL(rte_intr_enable(h), -1, "no ops: enabled");
	TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_intr_efd_enable(h, 1), -1, "no ops: efd");
	TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "errno %d", rte_errno);
	rte_intr_type_set(h, RTE_INTR_HANDLE_EXT);
	TEST_ASSERT_SUCCESS(rte_intr_enable(h), "EXT needs no ops");
	TEST_ASSERT_SUCCESS(rte_intr_disable(h), "EXT needs no ops");
	TEST_ASSERT_EQUAL(ops_seen.enable, 1, "ops called for EXT");

	TEST_ASSERT_SUCCESS(rte_intr_type_ops_register(RTE_INTR_HANDLE_VFIO_MSIX,
		NULL), "remove ops");
	rte_intr_type_set(h, RTE_INTR_HANDLE_VFIO_MSIX);
	TEST_ASSERT_EQUAL(rte_intr_enable(h), -1, "removed ops still used");
	TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "errno %d", rte_errno);
	ret = TEST_SUCCESS;
	rte_intr_instance_free(h);
	return ret;
}

static int
test_not_running(void)
{
	struct intr_probe p;
	int ret = TEST_FAILED;

	if (probe_init(&p, RTE_INTR_HANDLE_EXT, 1) != 0)
		goto out;
	TEST_ASSERT_EQUAL(rte_intr_callback_register(p.handle, probe_cb, &p), -1,
		"registered without an interrupt thread");
	TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_intr_callback_register(NULL, probe_cb, &p), -1,
		"NULL handle");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	ret = TEST_SUCCESS;
out:
	probe_fini(&p);
	return ret;
}

static int
eal_start(void)
{
	/* no hugepages needed: this is not about memory */
	char *argv[] = { (char *)(uintptr_t)"dpdk-test",
		(char *)(uintptr_t)"--in-memory", (char *)(uintptr_t)"--no-huge",
		NULL };

	return rte_eal_init(3, argv) < 0 ? -1 : 0;
}

static int
test_interrupts(void)
{
	static struct intr_probe p;
	int ret;

	if (test_handle_accessors() != TEST_SUCCESS ||
			test_not_running() != TEST_SUCCESS ||
			test_type_ops() != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(eal_start(), "EAL init: %s", rte_strerror(rte_errno));
	ret = test_ext_callbacks();
	if (ret == TEST_SUCCESS)
		ret = test_vfio_type_acks();
	if (ret == TEST_SUCCESS)
		ret = test_unregister_from_callback();
	/* a callback still registered at cleanup is dropped, not leaked */
	if (ret == TEST_SUCCESS && (probe_init(&p, RTE_INTR_HANDLE_EXT, 1) != 0 ||
			rte_intr_callback_register(p.handle, probe_cb, &p) != 0))
		ret = TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_eal_cleanup(), "cleanup");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(rte_intr_callback_register(p.handle, probe_cb, &p), -1,
		"thread still running after cleanup");
	/* init again: a fresh thread serves the same fd */
	TEST_ASSERT_SUCCESS(eal_start(), "EAL re-init: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_intr_callback_register(p.handle, probe_cb, &p),
		"register after re-init");
	TEST_ASSERT_SUCCESS(kick(p.fd, 4), "write");
	ret = probe_wait(&p);
	TEST_ASSERT_SUCCESS(rte_eal_cleanup(), "cleanup");
	TEST_ASSERT_SUCCESS(ret, "callback after re-init did not fire");
	TEST_ASSERT_EQUAL(p.value, 4, "value %" PRIu64, p.value);
	probe_fini(&p);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND_EAL(interrupts_autotest, test_interrupts, TEST_EAL_NONE);
