/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * VFIO multi-process sync in every mode: the primary's handler answers
 * (and refuses bad requests), and a secondary attaches to a primary's
 * container without setting an IOMMU or mapping EAL memory. The channel
 * is replaced by wrappers: the secondary's primary is played by the test
 * with the fake kernel's descriptors, whose ownership passes to the
 * secondary as SCM_RIGHTS would.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/kcmp.h>
#include <netinet/in.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "eal_private.h"
#include "eal_vfio.h"
#include "test_vfio_env.h"

#define IOVA0 0x10000000ULL

int __wrap_rte_mp_action_register(const char *name, rte_mp_t action);
void __wrap_rte_mp_action_unregister(const char *name);
int __wrap_rte_mp_reply(struct rte_mp_msg *msg, const char *peer);
int __wrap_rte_mp_request_sync(struct rte_mp_msg *req,
	struct rte_mp_reply *reply, const struct timespec *ts);

static rte_mp_t handler;
static struct rte_mp_msg reply;
static unsigned int nb_replies;

int
__wrap_rte_mp_action_register(const char *name, rte_mp_t action)
{
	if (strcmp(name, VFIO_MP_NAME) == 0)
		handler = action;
	return 0;
}

void
__wrap_rte_mp_action_unregister(const char *name)
{
	if (strcmp(name, VFIO_MP_NAME) == 0)
		handler = NULL;
}

/* What the descriptor of the last reply was when it was sent. */
static struct {
	int expect;            /* same file as this fd (-1: not checked) */
	bool same;             /* the reply's fd is that file */
	bool valid;            /* an open descriptor */
	int group;             /* fake_group_of_fd() */
	bool device;           /* a device fd (GET_INFO works) */
	void (*before)(void);  /* runs first: the primary changing things */
} sent = { .expect = -1 };

/* the two descriptors are one open file (kcmp KCMP_FILE) */
static bool
same_file(int a, int b)
{
	return syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, a, b) == 0;
}

int
__wrap_rte_mp_reply(struct rte_mp_msg *msg, const char *peer)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int fd;

	(void)peer;
	if (sent.before != NULL)
		sent.before();
	reply = *msg;
	nb_replies++;
	sent.same = sent.valid = sent.device = false;
	sent.group = -1;
	if (msg->num_fds == 1) {
		fd = msg->fds[0];
		sent.valid = fcntl(fd, F_GETFD) >= 0;
		sent.group = fake_group_of_fd(fd);
		sent.device = ioctl(fd, VFIO_DEVICE_GET_INFO, &info) == 0;
		sent.same = sent.expect >= 0 && same_file(fd, sent.expect);
	}
	return 0;
}

/* the primary a secondary talks to */
static struct {
	bool silent;       /* no answer */
	bool bad_size;     /* malformed answer */
	int64_t mode, iova, type, ioas, itf;
	int cfd;           /* handed over once */
	int group_num, gfd;
	int cdev_num, dfd;
	unsigned int requests[VFIO_MP_REQUEST_MAX];
} primary;

static void
primary_reset(void)
{
	memset(&primary, 0, sizeof(primary));
	primary.cfd = primary.gfd = primary.dfd = -1;
	primary.group_num = primary.cdev_num = -1;
}

/* hand a descriptor over: the secondary owns it now */
static int
give(int *fd)
{
	int v = *fd;

	*fd = -1;
	return v;
}

int
__wrap_rte_mp_request_sync(struct rte_mp_msg *req, struct rte_mp_reply *rep,
		const struct timespec *ts)
{
	struct vfio_mp_param in, out;
	struct rte_mp_msg *m;
	int fd = -1;

	(void)ts;
	rep->nb_sent = 1;
	rep->nb_received = 0;
	rep->msgs = NULL;
	if (primary.silent || strcmp(req->name, VFIO_MP_NAME) != 0) {
		rte_errno = ETIMEDOUT;
		return -1;
	}
	assert_int_equal(req->len_param, sizeof(in));
	memcpy(&in, req->param, sizeof(in));
	assert_true(in.req > 0 && in.req < VFIO_MP_REQUEST_MAX);
	primary.requests[in.req]++;
	out.req = in.req;
	out.status = VFIO_MP_OK;
	out.value = 0;
	switch (in.req) {
	case VFIO_MP_CONTAINER:
		out.value = primary.mode;
		fd = give(&primary.cfd);
		break;
	case VFIO_MP_IOVA_MODE:
		out.value = primary.iova;
		break;
	case VFIO_MP_IOMMU_TYPE:
		out.value = primary.type;
		break;
	case VFIO_MP_IOAS_ID:
		out.value = primary.ioas;
		break;
	case VFIO_MP_INTERFACE:
		out.value = primary.itf;
		break;
	case VFIO_MP_GROUP:
		if (in.value == primary.group_num)
			fd = give(&primary.gfd);
		break;
	case VFIO_MP_CDEV:
		if (in.value == primary.cdev_num)
			fd = give(&primary.dfd);
		break;
	}
	if ((in.req == VFIO_MP_CONTAINER || in.req == VFIO_MP_GROUP ||
			in.req == VFIO_MP_CDEV) && fd < 0)
		out.status = VFIO_MP_NO_FD;
	m = calloc(1, sizeof(*m));
	assert_non_null(m);
	rte_strlcpy(m->name, VFIO_MP_NAME, sizeof(m->name));
	m->len_param = primary.bad_size ? 3 : (int)sizeof(out);
	memcpy(m->param, &out, sizeof(out));
	if (fd >= 0) {
		m->fds[0] = fd;
		m->num_fds = 1;
	}
	rep->msgs = m;
	rep->nb_received = 1;
	return 0;
}

/* ---- the primary's handler ------------------------------------------------ */

/* the IOMMU type the group backend picks in a group mode */
static int64_t
iommu_type(const struct vfio_mode_case *m)
{
	return !env_iommu(m) ? VFIO_NOIOMMU_IOMMU : m->fake_spapr ?
		VFIO_SPAPR_TCE_v2_IOMMU : VFIO_TYPE1v2_IOMMU;
}

static struct vfio_mp_param
ask(int32_t req, int64_t value, int *fd)
{
	struct vfio_mp_param p = { .req = req, .value = value };
	struct rte_mp_msg msg;

	memset(&msg, 0, sizeof(msg));
	rte_strlcpy(msg.name, VFIO_MP_NAME, sizeof(msg.name));
	msg.len_param = sizeof(p);
	memcpy(msg.param, &p, sizeof(p));
	assert_non_null(handler);
	nb_replies = 0;
	memset(&reply, 0, sizeof(reply));
	handler(&msg, "peer");
	assert_int_equal(nb_replies, 1);
	assert_int_equal(reply.len_param, sizeof(p));
	memcpy(&p, reply.param, sizeof(p));
	*fd = reply.num_fds == 1 ? reply.fds[0] : -1;
	if (p.status != VFIO_MP_OK)
		assert_int_equal(reply.num_fds, 0);
	return p;
}

static void
test_primary_refuses_bad_requests(void **state)
{
	struct rte_mp_msg msg;
	int fds[2], fd;

	(void)state;
	assert_int_equal(ask(0, 0, &fd).status, VFIO_MP_ERROR);
	assert_int_equal(ask(VFIO_MP_REQUEST_MAX, 0, &fd).status,
		VFIO_MP_ERROR);
	assert_int_equal(ask(-7, 0, &fd).status, VFIO_MP_ERROR);
	assert_int_equal(ask(VFIO_MP_GROUP, -1, &fd).status, VFIO_MP_ERROR);
	assert_int_equal(ask(VFIO_MP_CDEV, 1LL << 40, &fd).status,
		VFIO_MP_ERROR);
	/* wrong size, with a descriptor the handler must close */
	assert_int_equal(pipe(fds), 0);
	memset(&msg, 0, sizeof(msg));
	rte_strlcpy(msg.name, VFIO_MP_NAME, sizeof(msg.name));
	msg.len_param = 5;
	msg.num_fds = 1;
	msg.fds[0] = fds[0];
	nb_replies = 0;
	handler(&msg, "peer");
	assert_int_equal(nb_replies, 1);
	assert_int_equal(((struct vfio_mp_param *)reply.param)->status,
		VFIO_MP_ERROR);
	assert_int_equal(fcntl(fds[0], F_GETFD), -1);
	close(fds[1]);
}

/*
 * A descriptor the handler does not expect is closed without lingering:
 * a TCP socket with SO_LINGER would block the multi-process thread in
 * close(). The test keeps a second reference and sees the option off.
 */
static void
test_primary_closes_lingering_socket_without_waiting(void **state)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 8 };
	socklen_t len = sizeof(lg);
	struct rte_mp_msg msg;
	int s, mine;

	(void)state;
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		/* a kernel without TCP has no socket that lingers */
		assert_true(errno == EAFNOSUPPORT);
		skip();
	}
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg,
		sizeof(lg)), 0);
	mine = dup(s);
	assert_true(mine >= 0);
	memset(&msg, 0, sizeof(msg));
	rte_strlcpy(msg.name, VFIO_MP_NAME, sizeof(msg.name));
	msg.len_param = 0;
	msg.num_fds = 1;
	msg.fds[0] = s;
	nb_replies = 0;
	handler(&msg, "peer");
	assert_int_equal(nb_replies, 1);
	assert_int_equal(fcntl(s, F_GETFD), -1);
	assert_int_equal(getsockopt(mine, SOL_SOCKET, SO_LINGER, &lg, &len), 0);
	assert_int_equal(lg.l_onoff, 0);
	close(mine);
}

static void
test_primary_answers(void **state)
{
	const struct vfio_mode_case *m = *state;
	struct vfio_mp_param p;
	int fd, dev_fd, num;

	sent.expect = rte_vfio_get_container_fd();
	p = ask(VFIO_MP_CONTAINER, 0, &fd);
	assert_int_equal(p.status, VFIO_MP_OK);
	assert_int_equal(p.value, m->mode);
	assert_true(sent.same);
	p = ask(VFIO_MP_IOVA_MODE, 0, &fd);
	assert_int_equal(p.value, m->iova);
	p = ask(VFIO_MP_IOMMU_TYPE, 0, &fd);
	if (env_groups(m))
		assert_int_equal(p.value, iommu_type(m));
	else
		assert_int_equal(p.status, VFIO_MP_ERROR);
	p = ask(VFIO_MP_IOAS_ID, 0, &fd);
	assert_int_equal(p.status, env_groups(m) ? VFIO_MP_ERROR : VFIO_MP_OK);
	p = ask(VFIO_MP_INTERFACE, 0, &fd);
	assert_int_equal(p.status, VFIO_MP_OK);
	assert_int_equal(p.value, env_groups(m) ? RTE_VFIO_INTERFACE_GROUP :
		RTE_VFIO_INTERFACE_CDEV);
	/* nothing open yet */
	p = ask(env_groups(m) ? VFIO_MP_GROUP : VFIO_MP_CDEV, DEV0_GROUP, &fd);
	assert_int_equal(p.status, VFIO_MP_NO_FD);
	p = ask(env_groups(m) ? VFIO_MP_CDEV : VFIO_MP_GROUP, 0, &fd);
	assert_int_equal(p.status, VFIO_MP_ERROR);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &dev_fd), 0);
	if (env_groups(m)) {
		p = ask(VFIO_MP_GROUP, DEV0_GROUP, &fd);
		assert_int_equal(p.status, VFIO_MP_OK);
		assert_int_equal(sent.group, DEV0_GROUP);
	} else {
		assert_int_equal(rte_vfio_get_device_num(env_pci(), DEV0, &num),
			0);
		sent.expect = dev_fd;
		p = ask(VFIO_MP_CDEV, num, &fd);
		assert_int_equal(p.status, VFIO_MP_OK);
		assert_true(sent.same);
	}
	sent.expect = -1;
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, dev_fd), 0);
}

/* the race: the primary releases the device while the reply is on its way */
static struct {
	int dev_fd;
	int reuse_fd;      /* opened after the release: may take its number */
} race = { -1, -1 };

static void
release_before_send(void)
{
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0,
		race.dev_fd), 0);
	race.reuse_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(race.reuse_fd >= 0);
}

/*
 * The descriptor the handler found is released (and its number reused)
 * before the reply is sent: the reply still carries the group (device)
 * itself, and the handler's duplicate is closed afterwards.
 */
static void
test_primary_reply_survives_release(void **state)
{
	const struct vfio_mode_case *m = *state;
	unsigned int open_before = fake_open_fds();
	struct vfio_mp_param p;
	int fd, num;

	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &race.dev_fd),
		0);
	if (env_groups(m))
		num = DEV0_GROUP;
	else
		assert_int_equal(rte_vfio_get_device_num(env_pci(), DEV0, &num),
			0);
	sent.before = release_before_send;
	p = ask(env_groups(m) ? VFIO_MP_GROUP : VFIO_MP_CDEV, num, &fd);
	sent.before = NULL;
	assert_int_equal(p.status, VFIO_MP_OK);
	assert_true(sent.valid);
	if (env_groups(m))
		assert_int_equal(sent.group, DEV0_GROUP);
	else
		assert_true(sent.device);
	close(race.reuse_fd);
	/* the duplicate went with the reply: the device is fully closed */
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(fake_open_fds(), open_before);
	assert_int_equal(fake_device_open_count(DEV0), 0);
}

/* ---- a secondary ------------------------------------------------------------ */

static void
become_secondary(void)
{
	eal_vfio_cleanup();
	primary_reset();
	eal_get_internal_configuration()->process_type = RTE_PROC_SECONDARY;
}

static void
test_secondary_without_answer_is_eio(void **state)
{
	(void)state;
	become_secondary();
	primary.silent = true;
	assert_rte_err(rte_vfio_enable(NULL), EIO);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
	primary.silent = false;
	primary.bad_size = true;
	assert_rte_err(rte_vfio_enable(NULL), EIO);
	assert_int_equal(fake_open_fds(), 0);
}

static void
test_secondary_of_primary_without_vfio(void **state)
{
	(void)state;
	become_secondary();
	primary.mode = RTE_VFIO_MODE_NONE;
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
	assert_int_equal(fake_open_fds(), 0);
}

/* the primary's side, built by hand: container with group, IOMMU set */
static void
primary_group(const struct vfio_mode_case *m)
{
	char path[64];

	primary.cfd = open("/dev/vfio/vfio", O_RDWR);
	assert_true(primary.cfd >= 0);
	snprintf(path, sizeof(path), !env_iommu(m) ? "/dev/vfio/noiommu-%d" :
		"/dev/vfio/%d", DEV0_GROUP);
	primary.gfd = open(path, O_RDWR);
	assert_true(primary.gfd >= 0);
	assert_int_equal(ioctl(primary.gfd, VFIO_GROUP_SET_CONTAINER,
		&primary.cfd), 0);
	primary.type = iommu_type(m);
	assert_int_equal(ioctl(primary.cfd, VFIO_SET_IOMMU,
		(unsigned long)primary.type), 0);
	primary.group_num = DEV0_GROUP;
}

static void
primary_cdev(void)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	primary.cfd = open("/dev/iommu", O_RDWR);
	assert_true(primary.cfd >= 0);
	assert_int_equal(ioctl(primary.cfd, IOMMU_IOAS_ALLOC, &a), 0);
	primary.ioas = a.out_ioas_id;
}

/* the primary's bound device: open, bind, attach */
static void
primary_cdev_device(const struct vfio_mode_case *m, int num, int iommufd)
{
	struct vfio_device_bind_iommufd b = {
		.argsz = offsetof(struct vfio_device_bind_iommufd,
			token_uuid_ptr),
		.iommufd = iommufd,
	};
	struct vfio_device_attach_iommufd_pt at = {
		.argsz = sizeof(at), .pt_id = (uint32_t)primary.ioas,
	};
	char path[64];

	snprintf(path, sizeof(path), !env_iommu(m) ?
		"/dev/vfio/devices/noiommu-vfio%d" : "/dev/vfio/devices/vfio%d",
		num);
	primary.dfd = open(path, O_RDWR);
	assert_true(primary.dfd >= 0);
	assert_int_equal(ioctl(primary.dfd, VFIO_DEVICE_BIND_IOMMUFD, &b), 0);
	assert_int_equal(ioctl(primary.dfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at),
		0);
	primary.cdev_num = num;
}

static void
test_secondary_attaches(void **state)
{
	const struct vfio_mode_case *m = *state;
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(4);
	unsigned int set_iommu, ioas_maps;
	int cfd, fd0, fd1, num;

	become_secondary();
	primary.mode = m->mode;
	primary.iova = m->iova;
	primary.itf = env_groups(m) ? RTE_VFIO_INTERFACE_GROUP :
		RTE_VFIO_INTERFACE_CDEV;
	if (env_groups(m))
		primary_group(m);
	else
		primary_cdev();
	cfd = primary.cfd;
	set_iommu = fake_ioctl_calls(VFIO_SET_IOMMU);
	ioas_maps = fake_ioctl_calls(IOMMU_IOAS_MAP);
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_mode(), m->mode);
	assert_int_equal(rte_vfio_get_iova_mode(), m->iova);
	/* no-IOMMU is ambiguous: the secondary asked the interface */
	assert_int_equal(rte_vfio_get_interface(), primary.itf);
	assert_int_equal(primary.requests[VFIO_MP_INTERFACE],
		m->mode == RTE_VFIO_MODE_NOIOMMU ? 1 : 0);
	assert_int_equal(rte_vfio_get_container_fd(), cfd);
	assert_int_equal(primary.requests[env_groups(m) ? VFIO_MP_IOMMU_TYPE :
		VFIO_MP_IOAS_ID], 1);
	if (!env_groups(m)) {
		assert_int_equal(rte_vfio_get_device_num(env_pci(), DEV0, &num),
			0);
		primary_cdev_device(m, num, cfd);
	}
	/* the primary's device (cdev) or group (group) */
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd0), 0);
	assert_int_equal(fake_device_open_count(DEV0), 1);
	if (!env_groups(m)) {
		/* not in the primary: bound here to the shared iommufd */
		assert_int_equal(rte_vfio_setup_device(env_pci(), DEV1, &fd1),
			0);
		assert_int_equal(fake_device_attached_ioas(DEV1), primary.ioas);
		assert_int_equal(rte_vfio_release_device(env_pci(), DEV1, fd1),
			0);
	} else {
		/* a group the primary has not opened cannot be used */
		assert_rte_err(rte_vfio_setup_device(env_pci(), DEV1, &fd1),
			ENODEV);
	}
	/* never an IOMMU set, never EAL memory mapped */
	assert_int_equal(eal_vfio_mem_init(), 0);
	assert_int_equal(fake_ioctl_calls(VFIO_SET_IOMMU), set_iommu);
	assert_int_equal(fake_ioctl_calls(IOMMU_IOAS_MAP), ioas_maps);
	assert_int_equal(env_kernel_maps(cfd, NULL, 0) > 0, 0);
	/* user maps go to the shared container */
	assert_int_equal(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, IOVA0, 4 * pg), 0);
	assert_int_equal(env_kernel_maps(cfd, NULL, 0) > 0, env_user_maps_in_kernel(m));
	assert_int_equal(rte_vfio_container_dma_unmap(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, IOVA0, 4 * pg), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd0), 0);
	eal_vfio_mem_cleanup();
	/* everything handed over is closed with the secondary's VFIO */
	eal_vfio_cleanup();
	assert_int_equal(fake_open_fds(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		VFIO_ALL_MODES(test_primary_refuses_bad_requests)
		VFIO_ALL_MODES(test_primary_closes_lingering_socket_without_waiting)
		VFIO_ALL_MODES(test_primary_answers)
		VFIO_ALL_MODES(test_primary_reply_survives_release)
		VFIO_ALL_MODES(test_secondary_without_answer_is_eio)
		VFIO_ALL_MODES(test_secondary_of_primary_without_vfio)
		VFIO_ALL_MODES(test_secondary_attaches)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
