/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fsl-mc bus in a secondary process: its container's group comes
 * from the primary through the EAL VFIO multi-process sync, and the
 * container and every object are opened from that group. The channel is
 * replaced by wrappers of rte_mp_*: the test plays the primary with the
 * fake kernel's descriptors (container and group set up as the primary
 * would), whose ownership passes to the secondary as SCM_RIGHTS would.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/vfio.h>

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include <bus_fslmc_driver.h>

#include "eal_internal_cfg.h"
#include "eal_private.h"
#include "eal_vfio.h"
#include "fake_kernel.h"

#define GROUP 42

static const char *const objects[] = {
	"dpni.0", "dpbp.0", "dpio.0", "dpmcp.1", "dpcon.0",
};
#define NB_DEVICES (RTE_DIM(objects) + 1)

int __wrap_rte_mp_action_register(const char *name, rte_mp_t action);
void __wrap_rte_mp_action_unregister(const char *name);
int __wrap_rte_mp_request_sync(struct rte_mp_msg *req,
	struct rte_mp_reply *reply, const struct timespec *ts);

int
__wrap_rte_mp_action_register(const char *name, rte_mp_t action)
{
	(void)name;
	(void)action;
	return 0;
}

void
__wrap_rte_mp_action_unregister(const char *name)
{
	(void)name;
}

/* ---- the primary -------------------------------------------------------- */

static struct {
	int cfd;        /* handed over once */
	int gfd;        /* handed over once; -1: the primary has no such group */
	uint32_t type;
	unsigned int requests[VFIO_MP_REQUEST_MAX];
	int64_t asked_group;
} primary;

/* a reply the primary gets wrong, for one request */
enum tamper_kind {
	TAMPER_NONE,
	TAMPER_WRONG_ID,     /* answers another request */
	TAMPER_ERROR,        /* status ERROR */
	TAMPER_EXTRA_FD,     /* a second descriptor with the first */
	TAMPER_NO_FD,        /* status NO_FD (container: while a mode is set) */
	TAMPER_BAD_MODE,     /* a mode value no backend has */
};

static struct {
	int req;
	enum tamper_kind kind;
} tamper;

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
	assert_string_equal(req->name, VFIO_MP_NAME);
	assert_int_equal(req->len_param, sizeof(in));
	memcpy(&in, req->param, sizeof(in));
	assert_true(in.req > 0 && in.req < VFIO_MP_REQUEST_MAX);
	primary.requests[in.req]++;
	memset(&out, 0, sizeof(out));
	out.req = in.req;
	out.status = VFIO_MP_OK;
	switch (in.req) {
	case VFIO_MP_CONTAINER:
		out.value = RTE_VFIO_MODE_GROUP;
		fd = give(&primary.cfd);
		break;
	case VFIO_MP_IOVA_MODE:
		out.value = RTE_IOVA_VA;
		break;
	case VFIO_MP_IOMMU_TYPE:
		out.value = primary.type;
		break;
	case VFIO_MP_GROUP:
		primary.asked_group = in.value;
		if (in.value == GROUP)
			fd = give(&primary.gfd);
		break;
	default:
		out.status = VFIO_MP_ERROR;
	}
	if ((in.req == VFIO_MP_CONTAINER || in.req == VFIO_MP_GROUP) && fd < 0)
		out.status = VFIO_MP_NO_FD;
	m = calloc(1, sizeof(*m));
	assert_non_null(m);
	rte_strlcpy(m->name, VFIO_MP_NAME, sizeof(m->name));
	if (fd >= 0) {
		m->fds[0] = fd;
		m->num_fds = 1;
	}
	if (tamper.req == in.req) {
		switch (tamper.kind) {
		case TAMPER_WRONG_ID:
			out.req = in.req == VFIO_MP_CONTAINER ?
				VFIO_MP_IOVA_MODE : VFIO_MP_CONTAINER;
			break;
		case TAMPER_ERROR:
			out.status = VFIO_MP_ERROR;
			break;
		case TAMPER_EXTRA_FD:
			/* a fake fd: the leak check counts it */
			m->fds[m->num_fds++] = open("/dev/vfio/vfio", O_RDWR);
			assert_true(m->fds[m->num_fds - 1] >= 0);
			break;
		case TAMPER_NO_FD:
			out.status = VFIO_MP_NO_FD;
			if (fd >= 0)
				close(fd); /* what the primary would not send */
			m->num_fds = 0;
			break;
		case TAMPER_BAD_MODE:
			out.value = 99;
			break;
		case TAMPER_NONE:
			break;
		}
	}
	m->len_param = sizeof(out);
	memcpy(m->param, &out, sizeof(out));
	rep->nb_sent = 1;
	rep->nb_received = 1;
	rep->msgs = m;
	return 0;
}

/* What the primary did: container, group attached, IOMMU set. */
static void
primary_setup(bool group_open)
{
	memset(&primary, 0, sizeof(primary));
	primary.gfd = -1;
	primary.cfd = open("/dev/vfio/vfio", O_RDWR);
	assert_true(primary.cfd >= 0);
	primary.type = VFIO_TYPE1v2_IOMMU;
	if (!group_open)
		return;
	primary.gfd = open("/dev/vfio/42", O_RDWR);
	assert_true(primary.gfd >= 0);
	assert_int_equal(ioctl(primary.gfd, VFIO_GROUP_SET_CONTAINER,
		&primary.cfd), 0);
	assert_int_equal(ioctl(primary.cfd, VFIO_SET_IOMMU,
		(unsigned long)primary.type), 0);
}

/* ---- machine and drivers ------------------------------------------------ */

static void
contain(const char *container, const char *obj)
{
	char path[PATH_MAX], target[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/sys/bus/fsl-mc/devices/%s/%s",
		fake_sysfs_root(), container, obj);
	if (stat(path, &st) == 0)
		return;
	snprintf(target, sizeof(target), "../%s", obj);
	assert_int_equal(symlink(target, path), 0);
}

static struct rte_dpaa2_driver drv;
static unsigned int probed;

static int
drv_probe(struct rte_dpaa2_driver *d, struct rte_dpaa2_device *dev)
{
	(void)d;
	assert_true(dev->vfio_fd >= 0);
	probed++;
	return 0;
}

static struct rte_bus *bus;

static int
setup(void **state)
{
	unsigned int i;

	(void)state;
	bus = rte_bus_find_by_name("fslmc");
	assert_non_null(bus);
	assert_int_equal(fake_machine_setup(FAKE_MODE_GROUP, 0), 0);
	assert_int_equal(fake_fslmc_add("dprc.2", GROUP), 0);
	for (i = 0; i < RTE_DIM(objects); i++) {
		assert_int_equal(fake_fslmc_add(objects[i], GROUP), 0);
		contain("dprc.2", objects[i]);
	}
	setenv("DPRC", "dprc.2", 1);
	eal_get_internal_configuration()->process_type = RTE_PROC_SECONDARY;
	memset(&drv, 0, sizeof(drv));
	drv.driver.name = "mp_dpni";
	drv.obj_type = RTE_DPAA2_OBJ_DPNI;
	drv.drv_flags = RTE_DPAA2_DRV_IOVA_AS_VA;
	drv.probe = drv_probe;
	rte_fslmc_driver_register(&drv);
	probed = 0;
	return 0;
}

static int
teardown(void **state)
{
	bus->cleanup();
	eal_vfio_cleanup();
	rte_fslmc_driver_unregister(&drv);
	unsetenv("DPRC");
	eal_get_internal_configuration()->process_type = RTE_PROC_PRIMARY;
	tamper.req = 0;
	if (primary.gfd >= 0)
		close(primary.gfd);
	if (primary.cfd >= 0)
		close(primary.cfd);
	return fake_teardown(state);
}

static void
test_secondary_opens_objects_from_primarys_group(void **state)
{
	struct rte_fslmc_mc_portal portal;
	unsigned int set_iommu, set_container, i;

	(void)state;
	primary_setup(true);
	set_iommu = fake_ioctl_calls(VFIO_SET_IOMMU);
	set_container = fake_ioctl_calls(VFIO_GROUP_SET_CONTAINER);
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_GROUP);
	assert_int_equal(bus->scan(), 0);
	assert_int_equal(bus->probe(), 0);
	/* the group was asked for once and serves the container and objects */
	assert_int_equal(primary.requests[VFIO_MP_GROUP], 1);
	assert_int_equal(primary.asked_group, GROUP);
	assert_int_equal(fake_device_open_count("dprc.2"), 1);
	for (i = 0; i < RTE_DIM(objects); i++)
		assert_int_equal(fake_device_open_count(objects[i]), 1);
	/* the secondary neither attached the group nor set an IOMMU */
	assert_int_equal(fake_ioctl_calls(VFIO_SET_IOMMU), set_iommu);
	assert_int_equal(fake_ioctl_calls(VFIO_GROUP_SET_CONTAINER),
		set_container);
	assert_int_equal(rte_fslmc_get_mc_portal(&portal), 0);
	assert_string_equal(portal.dpmcp->name, "dpmcp.1");
	assert_int_equal(fake_live_mappings(), 1);
	assert_int_equal(probed, 1);
	/* container + group + devices, all the secondary's now */
	assert_int_equal(fake_open_fds(), 2 + NB_DEVICES);
	assert_int_equal(bus->cleanup(), 0);
	assert_int_equal(fake_device_open_count("dprc.2"), 0);
	assert_int_equal(fake_live_mappings(), 0);
	eal_vfio_cleanup();
	assert_int_equal(fake_open_fds(), 0);
}

/* the log of one call, through rte_openlog_stream() */
static char log_buf[4096];

static FILE *
log_start(void)
{
	FILE *f;

	memset(log_buf, 0, sizeof(log_buf));
	f = fmemopen(log_buf, sizeof(log_buf) - 1, "w");
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	rte_openlog_stream(f);
	return f;
}

static void
log_stop(FILE *f)
{
	rte_openlog_stream(NULL);
	fclose(f);
}

static void
test_secondary_says_its_vfio_mode_is_overridden(void **state)
{
	static const struct {
		enum eal_vfio_mode_request req;
		const char *warning; /* NULL: none expected */
	} cases[] = {
		{ EAL_VFIO_MODE_CDEV,
		  "--vfio-mode=cdev overridden: the primary process uses group mode" },
		{ EAL_VFIO_MODE_NOIOMMU, "--vfio-mode=noiommu overridden" },
		{ EAL_VFIO_MODE_GROUP, NULL },
		{ EAL_VFIO_MODE_AUTO, NULL },
	};
	struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i;
	FILE *log;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		primary_setup(false);
		cfg->vfio_mode = cases[i].req;
		log = log_start();
		assert_int_equal(rte_vfio_enable(NULL), 0);
		log_stop(log);
		assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_GROUP);
		if (cases[i].warning != NULL &&
				strstr(log_buf, cases[i].warning) == NULL)
			fail_msg("log lacks \"%s\": %s", cases[i].warning, log_buf);
		if (cases[i].warning == NULL && strstr(log_buf, "overridden") != NULL)
			fail_msg("unexpected warning: %s", log_buf);
		eal_vfio_cleanup();
		assert_int_equal(fake_open_fds(), 0);
	}
	cfg->vfio_mode = EAL_VFIO_MODE_AUTO;
}

/*
 * Replies the primary gets wrong: the secondary refuses them (VFIO not
 * enabled, or the device not opened), says so, and keeps no descriptor it
 * was sent.
 */
static void
test_secondary_refuses_bad_replies_and_keeps_no_fd(void **state)
{
	static const struct {
		int req;
		enum tamper_kind kind;
		bool enable_fails;  /* else the bus probe fails */
	} cases[] = {
		{ VFIO_MP_CONTAINER, TAMPER_WRONG_ID, true },
		{ VFIO_MP_CONTAINER, TAMPER_ERROR, true },
		{ VFIO_MP_CONTAINER, TAMPER_EXTRA_FD, true },
		{ VFIO_MP_CONTAINER, TAMPER_NO_FD, true },
		{ VFIO_MP_CONTAINER, TAMPER_BAD_MODE, true },
		{ VFIO_MP_IOVA_MODE, TAMPER_WRONG_ID, true },
		{ VFIO_MP_IOVA_MODE, TAMPER_ERROR, true },
		{ VFIO_MP_IOMMU_TYPE, TAMPER_ERROR, true },
		{ VFIO_MP_GROUP, TAMPER_WRONG_ID, false },
		{ VFIO_MP_GROUP, TAMPER_ERROR, false },
		{ VFIO_MP_GROUP, TAMPER_EXTRA_FD, false },
		{ VFIO_MP_GROUP, TAMPER_NO_FD, false },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		int ret;

		primary_setup(true);
		tamper.req = cases[i].req;
		tamper.kind = cases[i].kind;
		rte_errno = 0;
		ret = rte_vfio_enable(NULL);
		if (cases[i].enable_fails) {
			if (ret != -1 || rte_vfio_get_mode() != RTE_VFIO_MODE_NONE)
				fail_msg("case %u: secondary accepted a bad reply (ret %d, mode %d)",
					i, ret, rte_vfio_get_mode());
		} else {
			assert_int_equal(ret, 0);
			assert_int_equal(bus->scan(), 0);
			assert_int_equal(bus->probe(), -1);
			assert_int_equal(probed, 0);
			assert_int_equal(fake_device_open_count("dprc.2"), 0);
			bus->cleanup();
		}
		tamper.req = 0;
		eal_vfio_cleanup();
		/* the primary keeps what it did not send */
		if (primary.gfd >= 0)
			close(primary.gfd);
		if (primary.cfd >= 0)
			close(primary.cfd);
		primary.gfd = primary.cfd = -1;
		if (fake_open_fds() != 0)
			fail_msg("case %u: %u descriptors left", i, fake_open_fds());
	}
}

/*
 * The kernel fails on descriptors received from the primary: the group's
 * GET_DEVICE_FD and the devices' GET_INFO, with their errnos. The probe
 * fails or skips the object, and nothing stays open.
 */
static void
test_kernel_faults_on_received_fds_leave_nothing(void **state)
{
	static const struct {
		unsigned long req;
		int errs[6];
	} calls[] = {
		{ VFIO_GROUP_GET_DEVICE_FD, { EIO, ENODEV, EPERM, EBUSY, EACCES,
			EMFILE } },
		{ VFIO_DEVICE_GET_INFO, { EIO, EFAULT, EINVAL } },
		{ VFIO_DEVICE_GET_REGION_INFO, { EIO, EFAULT, EINVAL } },
	};
	unsigned int i, e, nth, reached = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(calls); i++) {
		for (e = 0; e < RTE_DIM(calls[i].errs) && calls[i].errs[e] != 0;
				e++) {
			for (nth = 1; nth <= NB_DEVICES + 1; nth++) {
				unsigned int before;
				int hit;

				primary_setup(true);
				assert_int_equal(rte_vfio_enable(NULL), 0);
				assert_int_equal(bus->scan(), 0);
				before = fake_ioctl_calls(calls[i].req);
				fake_fault_ioctl(calls[i].req, nth, calls[i].errs[e]);
				bus->probe();
				fake_fault_clear();
				hit = fake_ioctl_calls(calls[i].req) - before >= nth;
				assert_int_equal(bus->cleanup(), 0);
				assert_int_equal(fake_live_mappings(), 0);
				assert_int_equal(fake_device_open_count("dprc.2"), 0);
				eal_vfio_cleanup();
				if (primary.gfd >= 0)
					close(primary.gfd);
				if (primary.cfd >= 0)
					close(primary.cfd);
				primary.gfd = primary.cfd = -1;
				if (fake_open_fds() != 0)
					fail_msg("ioctl %#lx call %u failing with %s: %u descriptors left",
						calls[i].req, nth,
						strerror(calls[i].errs[e]),
						fake_open_fds());
				probed = 0;
				if (!hit)
					break;
				reached++;
			}
		}
	}
	assert_true(reached > 0);
}

static void
test_secondary_without_primarys_group_opens_nothing(void **state)
{
	(void)state;
	primary_setup(false);
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(bus->scan(), 0);
	rte_errno = 0;
	assert_int_equal(bus->probe(), -1);
	assert_int_equal(rte_errno, ENODEV);
	assert_int_equal(primary.requests[VFIO_MP_GROUP], 1);
	assert_int_equal(fake_device_open_count("dprc.2"), 0);
	assert_int_equal(fake_live_mappings(), 0);
	assert_int_equal(probed, 0);
	assert_int_equal(fake_open_fds(), 1); /* the container from the primary */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_secondary_opens_objects_from_primarys_group),
		T(test_secondary_without_primarys_group_opens_nothing),
		T(test_secondary_says_its_vfio_mode_is_overridden),
		T(test_secondary_refuses_bad_replies_and_keeps_no_fd),
		T(test_kernel_faults_on_received_fds_leave_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
