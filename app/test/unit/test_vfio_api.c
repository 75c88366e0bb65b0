/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The rte_vfio API on the fake kernel, every test in every mode (group,
 * no-IOMMU group, cdev, no-IOMMU cdev): mode selection, devices, custom
 * containers, VF tokens, user DMA maps.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include <rte_bus.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_uuid.h>
#include <rte_vfio.h>

#include "eal_private.h"
#include "test_vfio_env.h"

#define IOVA0 0x10000000ULL
#define MANY_MAPS 4096

static const struct vfio_mode_case *
mode_of(void **state)
{
	return *state;
}

static int
kernel_count(int cfd)
{
	return env_kernel_maps(cfd, NULL, 0);
}

/* ---- mode and numbers --------------------------------------------------- */

static void
test_enable_reports_mode_and_iova(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);

	assert_int_equal(rte_vfio_get_mode(), m->mode);
	assert_int_equal(rte_vfio_get_iova_mode(), m->iova);
	assert_int_equal(rte_vfio_get_interface(), m->interface);
	assert_int_equal(rte_vfio_get_caps(), m->caps);
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_mode(), m->mode);
	assert_int_equal(rte_vfio_is_enabled(RTE_VFIO_PCI_MODULE), 1);
	assert_int_equal(rte_vfio_is_enabled("no_such_module"), 0);
	assert_true(rte_vfio_get_container_fd() >= 0);
	/* only the default container is open */
	assert_int_equal(fake_open_fds(), 1);
	if (env_groups(m))
		assert_int_equal(fake_container_groups(
			rte_vfio_get_container_fd()), 0);
	else
		assert_int_equal(fake_ioas_count(rte_vfio_get_container_fd()),
			1);
}

static void
test_device_numbers_follow_the_mode(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	int num = -1;

	if (env_groups(m)) {
		assert_int_equal(rte_vfio_get_group_num(env_pci(), DEV0, &num),
			0);
		assert_int_equal(num, DEV0_GROUP);
		assert_rte_err(rte_vfio_get_device_num(env_pci(), DEV0, &num),
			ENOTSUP);
	} else {
		assert_int_equal(rte_vfio_get_device_num(env_pci(), DEV0,
			&num), 0);
		assert_true(num >= 0);
		assert_rte_err(rte_vfio_get_group_num(env_pci(), DEV0, &num),
			ENOTSUP);
	}
	assert_rte_err(rte_vfio_get_group_num(env_pci(), "0000:00:1f.0", &num),
		env_groups(m) ? ENODEV : ENOTSUP);
	assert_rte_err(rte_vfio_get_device_num(env_pci(), "0000:00:1f.0",
		&num), env_groups(m) ? ENOTSUP : ENODEV);
	assert_rte_err(rte_vfio_get_group_num(env_pci(), DEV0, NULL), EINVAL);
	assert_rte_err(rte_vfio_get_device_num(NULL, DEV0, &num), EINVAL);
}

/* numbers in sysfs names exactly as the kernel writes them: "+10", " 10" */
static void
test_device_numbers_refuse_lenient_names(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	char path[PATH_MAX], from[PATH_MAX + 300], to[PATH_MAX + 300];
	struct dirent *e;
	int num = -1;
	DIR *dir;

	if (env_groups(m)) {
		snprintf(path, sizeof(path), "%s/%s/iommu_group", env_pci(), DEV0);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(symlink("../../../kernel/iommu_groups/+10", path), 0);
		assert_rte_err(rte_vfio_get_group_num(env_pci(), DEV0, &num),
			ENODEV);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(symlink("../../../kernel/iommu_groups/ 10", path), 0);
		assert_rte_err(rte_vfio_get_group_num(env_pci(), DEV0, &num),
			ENODEV);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s/vfio-dev", env_pci(), DEV0);
	dir = opendir(path);
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL && e->d_name[0] == '.')
		;
	assert_non_null(e);
	snprintf(from, sizeof(from), "%s/%s", path, e->d_name);
	closedir(dir);
	snprintf(to, sizeof(to), "%s/%s+5", path, !env_iommu(m) ? "noiommu-vfio" : "vfio");
	assert_int_equal(rename(from, to), 0);
	assert_rte_err(rte_vfio_get_device_num(env_pci(), DEV0, &num), ENODEV);
	assert_int_equal(rename(to, from), 0);
}

static void
test_api_before_enable_is_enxio(void **state)
{
	int fd;

	(void)state;
	eal_vfio_cleanup();
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
	assert_int_equal(rte_vfio_get_iova_mode(), RTE_IOVA_DC);
	assert_int_equal(rte_vfio_is_enabled(RTE_VFIO_PCI_MODULE), 0);
	assert_rte_err(rte_vfio_get_container_fd(), ENXIO);
	assert_rte_err(rte_vfio_container_create(), ENXIO);
	assert_rte_err(rte_vfio_setup_device(env_pci(), DEV0, &fd), ENXIO);
	assert_rte_err(rte_vfio_container_dma_map(-1, 0x1000, 0x1000, 0x1000),
		ENXIO);
	assert_int_equal(fake_open_fds(), 0);
}

/* ---- mode selection ----------------------------------------------------- */

static void
test_no_vfio_module_is_mode_none(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	struct internal_config *cfg = eal_get_internal_configuration();

	eal_vfio_cleanup();
	fake_config()->vfio_module = false;
	assert_int_equal(fake_sysfs_refresh(), 0);
	cfg->vfio_mode = EAL_VFIO_MODE_AUTO;
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
	eal_vfio_cleanup();
	/* a forced mode without the module fails and names it */
	assert_rte_err(env_enable(m), ENODEV);
	assert_int_equal(fake_open_fds(), 0);
}

/*
 * /dev/iommu opens but no cdev node does (a user given the group nodes
 * only): auto falls back to the group interface, forced cdev names the
 * permission problem (issue 14, defect 7).
 */
static void
test_auto_falls_back_to_group_without_cdev_access(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i;

	eal_vfio_cleanup();
	for (i = 1; i <= ENV_NB_PCI; i++)
		fake_fault_path("access", "/dev/vfio/devices/", i, EACCES);
	cfg->vfio_mode = EAL_VFIO_MODE_AUTO;
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_interface(), RTE_VFIO_INTERFACE_GROUP);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_GROUP);
	eal_vfio_cleanup();
	fake_fault_clear();
	for (i = 1; i <= ENV_NB_PCI; i++)
		fake_fault_path("access", "/dev/vfio/devices/", i, EACCES);
	assert_rte_err(env_enable(m), EACCES);
	assert_int_equal(fake_open_fds(), 0);
	fake_fault_clear();
	/* one node the user may open is enough for cdev */
	fake_fault_path("access", "/dev/vfio/devices/", 1, EACCES);
	assert_int_equal(env_enable(m), 0);
	assert_int_equal(rte_vfio_get_interface(), RTE_VFIO_INTERFACE_CDEV);
}

/*
 * enable_unsafe_noiommu_mode set to Y at run time on a machine with an
 * IOMMU: the groups stay IOMMU groups (/dev/vfio/<N>), so the mode must
 * stay group and the device open (issue 14, defect 4).
 */
static void
test_noiommu_param_with_an_iommu_keeps_the_iommu(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	int fd;

	eal_vfio_cleanup();
	fake_config()->noiommu_param_flipped = true;
	assert_int_equal(fake_sysfs_refresh(), 0);
	assert_int_equal(env_enable(m), 0);
	assert_int_equal(rte_vfio_get_mode(), m->mode);
	assert_true((rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	/* and --vfio-mode=noiommu says there is no no-IOMMU to be had */
	eal_vfio_cleanup();
	eal_get_internal_configuration()->vfio_mode = EAL_VFIO_MODE_NOIOMMU;
	assert_rte_err(rte_vfio_enable(NULL), ENODEV);
	assert_int_equal(fake_open_fds(), 0);
}

static void
test_forced_mode_unusable_is_enodev(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);

	eal_vfio_cleanup();
	/* take the lane's interface away; noiommu takes either: both */
	if (env_groups(m) || env_request(m) == EAL_VFIO_MODE_NOIOMMU)
		fake_config()->container = false;
	if (!env_groups(m) || env_request(m) == EAL_VFIO_MODE_NOIOMMU)
		fake_config()->iommufd = false;
	assert_rte_err(env_enable(m), ENODEV);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NONE);
	assert_int_equal(fake_open_fds(), 0);
}

static void
test_auto_mode_picks_the_mode(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);

	eal_vfio_cleanup();
	eal_get_internal_configuration()->vfio_mode = EAL_VFIO_MODE_AUTO;
	assert_int_equal(rte_vfio_enable(NULL), 0);
	/* the fake cdev kernels also offer groups: auto prefers cdev */
	assert_int_equal(rte_vfio_get_mode(), m->mode);
	assert_int_equal(rte_vfio_get_iova_mode(), m->iova);
}

/* a bus like fslmc with a DPRC: cannot work with cdev */
static int
bus_nothing(void)
{
	return 0;
}

static int
bus_parse_none(const char *name, void *addr)
{
	(void)name;
	(void)addr;
	return 1;
}
static struct rte_device *
bus_find_none(const struct rte_device *start, rte_dev_cmp_t cmp,
		const void *data)
{
	(void)start;
	(void)cmp;
	(void)data;
	return NULL;
}
static uint64_t
bus_requires_groups(void)
{
	return RTE_VFIO_CAP_GROUPS;
}

static struct rte_bus group_bus = {
	.name = "needs_group",
	.scan = bus_nothing,
	.probe = bus_nothing,
	.find_device = bus_find_none,
	.parse = bus_parse_none,
	.vfio_required_caps = bus_requires_groups,
};

/* a requirement that does not name an interface */
static uint64_t
bus_requires_iommu(void)
{
	return RTE_VFIO_CAP_IOMMU;
}

static struct rte_bus iommu_bus = {
	.name = "needs_iommu",
	.scan = bus_nothing,
	.probe = bus_nothing,
	.find_device = bus_find_none,
	.parse = bus_parse_none,
	.vfio_required_caps = bus_requires_iommu,
};

/* the NOTICE line names interface and IOMMU, not only upstream's mode */
static void
test_enable_logs_interface_and_iommu(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	char buf[4096] = "", want[64];
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	assert_non_null(f);
	eal_vfio_cleanup();
	rte_openlog_stream(f);
	assert_int_equal(env_enable(m), 0);
	rte_openlog_stream(NULL);
	fclose(f);
	snprintf(want, sizeof(want), "VFIO: %s%s mode, ",
		!env_iommu(m) ? "no-IOMMU " : "", env_groups(m) ? "group" : "cdev");
	if (strstr(buf, want) == NULL)
		fail_msg("log lacks \"%s\"; it has:\n%s", want, buf);
}

static void
test_auto_mode_with_group_only_bus_picks_group(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);

	eal_vfio_cleanup();
	eal_get_internal_configuration()->vfio_mode = EAL_VFIO_MODE_AUTO;
	rte_bus_register(&group_bus);
	rte_bus_register(&iommu_bus);
	assert_int_equal(rte_bus_get_vfio_required_caps(),
		RTE_VFIO_CAP_GROUPS | RTE_VFIO_CAP_IOMMU);
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_mode(), !env_iommu(m) ?
		RTE_VFIO_MODE_NOIOMMU : RTE_VFIO_MODE_GROUP);
	assert_int_equal(rte_vfio_get_interface(), RTE_VFIO_INTERFACE_GROUP);
	assert_true((rte_vfio_get_caps() & RTE_VFIO_CAP_GROUPS) != 0);
	assert_int_equal(rte_vfio_get_iova_mode(), m->iova);

	/* without the groups requirement auto chooses as with no bus */
	eal_vfio_cleanup();
	rte_bus_unregister(&group_bus);
	assert_int_equal(rte_bus_get_vfio_required_caps(), RTE_VFIO_CAP_IOMMU);
	assert_int_equal(rte_vfio_enable(NULL), 0);
	rte_bus_unregister(&iommu_bus);
	assert_int_equal(rte_vfio_get_mode(), m->mode);
	assert_int_equal(rte_vfio_get_iova_mode(), m->iova);
}

static void
test_noiommu_mode_without_noiommu_is_enodev(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);

	eal_vfio_cleanup();
	if (!env_iommu(m)) {
		fake_config()->noiommu = false;
		assert_int_equal(fake_sysfs_refresh(), 0);
	}
	eal_get_internal_configuration()->vfio_mode = EAL_VFIO_MODE_NOIOMMU;
	assert_rte_err(rte_vfio_enable(NULL), ENODEV);
	assert_int_equal(fake_open_fds(), 0);
}

/* a reader that waited on a FIFO would hang: SIGALRM ends the test */
#define PARAM_HANG_LIMIT_S 10

/* the parameter reads "Y\n" or "N\n"; a FIFO or odd text means "not on" */
static void
test_noiommu_param_not_y_or_n_counts_as_disabled(void **state)
{
	static const char *const odd[] = { NULL, "Y\nY\n", "y\n", "1\n", "Y" };
	char path[PATH_MAX];
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path),
		"%s/sys/module/vfio/parameters/enable_unsafe_noiommu_mode",
		fake_sysfs_root());
	for (i = 0; i < RTE_DIM(odd); i++) {
		eal_vfio_cleanup();
		assert_int_equal(unlink(path), 0);
		if (odd[i] == NULL) {
			assert_int_equal(mkfifo(path, 0644), 0);
		} else {
			f = fopen(path, "w");
			assert_non_null(f);
			fputs(odd[i], f);
			fclose(f);
		}
		eal_get_internal_configuration()->vfio_mode =
			EAL_VFIO_MODE_NOIOMMU;
		alarm(PARAM_HANG_LIMIT_S);
		assert_rte_err(rte_vfio_enable(NULL), ENODEV);
		alarm(0);
		assert_int_equal(fake_open_fds(), 0);
	}
	assert_int_equal(fake_sysfs_refresh(), 0);
}

static void
test_noiommu_cdev_without_get_pa_falls_back_to_group(void **state)
{
	struct internal_config *cfg = eal_get_internal_configuration();

	(void)state;
	/* --vfio-mode=noiommu: no-IOMMU through cdev while the kernel has it */
	eal_vfio_cleanup();
	cfg->vfio_mode = EAL_VFIO_MODE_NOIOMMU;
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_interface(), RTE_VFIO_INTERFACE_CDEV);
	eal_vfio_cleanup();
	fake_config()->noiommu_cdev = false; /* 6.12: no no-IOMMU cdev */
	assert_int_equal(fake_sysfs_refresh(), 0);
	cfg->vfio_mode = EAL_VFIO_MODE_NOIOMMU;
	assert_int_equal(rte_vfio_enable(NULL), 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NOIOMMU);
	assert_int_equal(rte_vfio_get_interface(), RTE_VFIO_INTERFACE_GROUP);
	assert_int_equal(rte_vfio_get_iova_mode(), RTE_IOVA_PA);
}

/* ---- devices ------------------------------------------------------------- */

static void
test_setup_release_device(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	struct vfio_device_info info;
	unsigned int base = fake_open_fds();
	int fd = -1, fd2 = -1;

	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(fake_device_open_count(DEV0), 1);
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	assert_int_equal(rte_vfio_get_device_info(fd, &info), 0);
	assert_true((info.flags & VFIO_DEVICE_FLAGS_PCI) != 0);
	assert_true(info.num_regions >= VFIO_PCI_NUM_REGIONS);
	if (env_groups(m))
		assert_int_equal(fake_container_groups(
			rte_vfio_get_container_fd()), 1);
	else
		assert_true(fake_device_attached_ioas(DEV0) > 0);
	/* a second setup hands out the same descriptor */
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd2), 0);
	assert_int_equal(fd2, fd);
	assert_int_equal(fake_device_open_count(DEV0), 1);
	assert_rte_err(rte_vfio_release_device(env_pci(), DEV0, fd + 100),
		ENOENT);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	assert_int_equal(fake_device_open_count(DEV0), 0);
	assert_int_equal(fake_open_fds(), base);
	if (env_groups(m))
		assert_int_equal(fake_container_groups(
			rte_vfio_get_container_fd()), 0);
	assert_rte_err(rte_vfio_release_device(env_pci(), DEV0, fd), ENOENT);
}

static void
test_two_devices_share_the_default_container(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	unsigned int base = fake_open_fds();
	int fd0, fd1;

	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd0), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV1, &fd1), 0);
	assert_true(fd0 != fd1);
	if (env_groups(m))
		assert_int_equal(fake_container_groups(
			rte_vfio_get_container_fd()), 2);
	else
		assert_int_equal(fake_device_attached_ioas(DEV0),
			fake_device_attached_ioas(DEV1));
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV1, fd1), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd0), 0);
	assert_int_equal(fake_open_fds(), base);
}

static void
test_setup_unbound_device_is_enodev(void **state)
{
	unsigned int base = fake_open_fds();
	int fd = -1;

	(void)state;
	assert_rte_err(rte_vfio_setup_device(env_pci(), "0000:00:1f.0", &fd),
		ENODEV);
	assert_int_equal(fake_open_fds(), base);
	assert_rte_err(rte_vfio_setup_device(env_pci(), DEV0, NULL), EINVAL);
	assert_rte_err(rte_vfio_setup_device(env_pci(), "../x", &fd), EINVAL);
	assert_rte_err(rte_vfio_setup_device(NULL, DEV0, &fd), EINVAL);
}

static void
test_not_viable_group_is_eio(void **state)
{
	unsigned int base = fake_open_fds();
	int fd;

	assert_int_equal(fake_group_set_viable(DEV0_GROUP, false), 0);
	assert_rte_err(rte_vfio_setup_device(env_pci(), DEV0, &fd), EIO);
	assert_int_equal(fake_open_fds(), base);
	assert_int_equal(fake_group_set_viable(DEV0_GROUP, true), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

static void
test_get_device_info_bad_fd_is_einval(void **state)
{
	struct vfio_device_info info;

	(void)state;
	assert_rte_err(rte_vfio_get_device_info(-1, &info), EINVAL);
	assert_rte_err(rte_vfio_get_device_info(0, NULL), EINVAL);
}

/*
 * The caller's argsz reaches the kernel untouched, as upstream: the
 * struct alone learns the size of the chain, a buffer that large gets it,
 * and an argsz below the kernel's minimum is the caller's EINVAL.
 */
static void
test_get_device_info_passes_argsz_for_the_caps_chain(void **state)
{
	struct {
		struct vfio_device_info info;
		struct vfio_device_info_cap_pci_atomic_comp cap;
		uint8_t more[64];
	} buf;
	struct vfio_device_info_cap_pci_atomic_comp cap;
	uint32_t need;
	int fd;

	(void)state;
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	memset(&buf, 0, sizeof(buf));
	buf.info.argsz = sizeof(buf.info);
	assert_int_equal(rte_vfio_get_device_info(fd, &buf.info), 0);
	assert_true((buf.info.flags & VFIO_DEVICE_FLAGS_CAPS) != 0);
	need = buf.info.argsz;
	assert_true(need > sizeof(buf.info) && need <= sizeof(buf));
	assert_int_equal(buf.info.cap_offset, 0);
	/* a larger buffer: the chain follows the struct */
	memset(&buf, 0, sizeof(buf));
	buf.info.argsz = sizeof(buf);
	assert_int_equal(rte_vfio_get_device_info(fd, &buf.info), 0);
	assert_int_equal(buf.info.argsz, sizeof(buf));
	assert_int_equal(buf.info.cap_offset, sizeof(buf.info));
	memcpy(&cap, (uint8_t *)&buf + buf.info.cap_offset, sizeof(cap));
	assert_int_equal(cap.header.id, VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP);
	assert_int_equal(cap.header.next, 0);
	assert_true((cap.flags & VFIO_PCI_ATOMIC_COMP32) != 0);
	/* too small for the kernel */
	memset(&buf, 0, sizeof(buf));
	buf.info.argsz = 4;
	assert_rte_err(rte_vfio_get_device_info(fd, &buf.info), EINVAL);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

/* ---- custom containers --------------------------------------------------- */

static void
test_assign_then_setup_returns_that_fd(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	unsigned int base = fake_open_fds();
	int cfd, fd = -1;

	cfd = rte_vfio_container_create();
	assert_true(cfd >= 0);
	assert_true(cfd != rte_vfio_get_container_fd());
	assert_int_equal(rte_vfio_container_assign_device(cfd, env_pci(), DEV1),
		0);
	assert_int_equal(fake_device_open_count(DEV1), 1);
	assert_rte_err(rte_vfio_container_assign_device(cfd, env_pci(), DEV1),
		EEXIST);
	assert_rte_err(rte_vfio_container_assign_device(
		RTE_VFIO_DEFAULT_CONTAINER_FD, env_pci(), DEV1), EEXIST);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV1, &fd), 0);
	assert_int_equal(fake_device_open_count(DEV1), 1);
	if (env_groups(m)) {
		assert_int_equal(fake_container_groups(cfd), 1);
		assert_int_equal(fake_container_groups(
			rte_vfio_get_container_fd()), 0);
	}
	/* destroy closes its device; release then knows nothing */
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
	assert_int_equal(fake_device_open_count(DEV1), 0);
	assert_int_equal(fake_open_fds(), base);
	assert_rte_err(rte_vfio_release_device(env_pci(), DEV1, fd), ENOENT);
	assert_rte_err(rte_vfio_container_destroy(cfd), ENOENT);
}

static void
test_release_assigned_device_without_fd(void **state)
{
	unsigned int base = fake_open_fds();
	int cfd;

	(void)state;
	cfd = rte_vfio_container_create();
	assert_true(cfd >= 0);
	assert_int_equal(rte_vfio_container_assign_device(cfd, env_pci(), DEV0),
		0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, -1), 0);
	assert_int_equal(fake_device_open_count(DEV0), 0);
	/* the device can go to another container now */
	assert_int_equal(rte_vfio_container_assign_device(
		RTE_VFIO_DEFAULT_CONTAINER_FD, env_pci(), DEV0), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, -1), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
	assert_int_equal(fake_open_fds(), base);
}

static void
test_default_container_cannot_be_destroyed(void **state)
{
	(void)state;
	assert_rte_err(rte_vfio_container_destroy(
		RTE_VFIO_DEFAULT_CONTAINER_FD), EINVAL);
	assert_rte_err(rte_vfio_container_destroy(rte_vfio_get_container_fd()),
		EINVAL);
	assert_rte_err(rte_vfio_container_destroy(12345), ENOENT);
	assert_rte_err(rte_vfio_container_assign_device(12345, env_pci(), DEV0),
		ENOENT);
	assert_rte_err(rte_vfio_container_dma_map(12345, 0x1000, 0x1000,
		0x1000), ENOENT);
	assert_true(rte_vfio_get_container_fd() >= 0);
}

static void
test_container_table_full_is_enospc(void **state)
{
	int fds[RTE_MAX_VFIO_CONTAINERS];
	unsigned int base = fake_open_fds();
	int i;

	(void)state;
	for (i = 0; i < RTE_MAX_VFIO_CONTAINERS - 1; i++) {
		fds[i] = rte_vfio_container_create();
		assert_true(fds[i] >= 0);
	}
	assert_rte_err(rte_vfio_container_create(), ENOSPC);
	for (i = 0; i < RTE_MAX_VFIO_CONTAINERS - 1; i++)
		assert_int_equal(rte_vfio_container_destroy(fds[i]), 0);
	assert_int_equal(fake_open_fds(), base);
	fds[0] = rte_vfio_container_create();
	assert_true(fds[0] >= 0);
	assert_int_equal(rte_vfio_container_destroy(fds[0]), 0);
}

/* ---- VF tokens ------------------------------------------------------------ */

#define PF_ADDR "0000:00:05.0"
#define VF_ADDR "0000:00:05.1"

static void
add_pf_vf(void)
{
	struct fake_pci_desc d;

	fake_pci_desc_default(&d, PF_ADDR, 20);
	d.sriov_pf = true;
	assert_int_equal(fake_pci_add(&d), 0);
	fake_pci_desc_default(&d, VF_ADDR, 21);
	snprintf(d.pf_addr, sizeof(d.pf_addr), "%s", PF_ADDR);
	assert_int_equal(fake_pci_add(&d), 0);
}

static void
set_token(const char *uuid)
{
	struct internal_config *cfg = eal_get_internal_configuration();

	if (uuid == NULL)
		memset(cfg->vfio_vf_token, 0, sizeof(cfg->vfio_vf_token));
	else
		assert_int_equal(rte_uuid_parse(uuid, cfg->vfio_vf_token), 0);
}

#define TOKEN "e9a5d1a6-3c1f-4d67-9c3c-2d7f6e1b0a11"
#define OTHER "0b0a1c2d-0000-4000-8000-000000000001"

static void
test_vf_token_opens_the_vf(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint8_t got[16];
	rte_uuid_t want;
	int pf, vf;

	add_pf_vf();
	if (!env_groups(m))
		fake_config()->bind_token = true; /* Linux 6.17 */
	set_token(TOKEN);
	assert_int_equal(rte_vfio_setup_device(env_pci(), PF_ADDR, &pf), 0);
	assert_int_equal(fake_device_vf_token(PF_ADDR, got), 0);
	assert_int_equal(rte_uuid_parse(TOKEN, want), 0);
	assert_memory_equal(got, want, 16);
	assert_int_equal(rte_vfio_setup_device(env_pci(), VF_ADDR, &vf), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), VF_ADDR, vf), 0);
	set_token(OTHER);
	assert_rte_err(rte_vfio_setup_device(env_pci(), VF_ADDR, &vf), EACCES);
	set_token(NULL);
	assert_rte_err(rte_vfio_setup_device(env_pci(), VF_ADDR, &vf), EACCES);
	assert_int_equal(fake_device_open_count(VF_ADDR), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), PF_ADDR, pf), 0);
}

/* Linux refuses a token (EINVAL) for a device that is not a PF or a VF */
static void
test_vf_token_not_given_to_other_devices(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	unsigned int binds;
	int fd;

	if (!env_groups(m))
		fake_config()->bind_token = true; /* Linux 6.17 */
	set_token(TOKEN);
	binds = fake_ioctl_calls(VFIO_DEVICE_BIND_IOMMUFD);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	assert_int_equal(fake_device_open_count(DEV0), 1);
	/* cdev: bound at once, not refused and retried without the token */
	if (!env_groups(m))
		assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_BIND_IOMMUFD),
			binds + 1);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	set_token(NULL);
}

static void
test_cdev_token_refused_binds_without_it(void **state)
{
	unsigned int binds;
	int pf;

	add_pf_vf();
	fake_config()->bind_token = false; /* Linux 6.12 */
	set_token(TOKEN);
	binds = fake_ioctl_calls(VFIO_DEVICE_BIND_IOMMUFD);
	assert_int_equal(rte_vfio_setup_device(env_pci(), PF_ADDR, &pf), 0);
	/* refused with the flag, then bound without it */
	assert_int_equal(fake_ioctl_calls(VFIO_DEVICE_BIND_IOMMUFD), binds + 2);
	assert_true(fake_device_attached_ioas(PF_ADDR) > 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), PF_ADDR, pf), 0);
}

/* ---- user DMA maps -------------------------------------------------------- */

/* a custom container with a device, so that the kernel context exists */
static int
container_with_device(const char *dev)
{
	int cfd = rte_vfio_container_create();

	assert_true(cfd >= 0);
	assert_int_equal(rte_vfio_container_assign_device(cfd, env_pci(), dev),
		0);
	return cfd;
}

static void
test_map_semantics(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(8);
	int cfd = container_with_device(DEV1);
	int k = env_user_maps_in_kernel(m) ? 1 : 0;

	assert_int_equal(rte_vfio_container_dma_map(cfd, va, IOVA0, 4 * pg), 0);
	assert_int_equal(kernel_count(cfd), k);
	/* identical re-map: fine, nothing new in the kernel */
	assert_int_equal(rte_vfio_container_dma_map(cfd, va, IOVA0, 4 * pg), 0);
	assert_int_equal(rte_vfio_container_dma_map(cfd, va + pg, IOVA0 + pg,
		pg), 0);
	assert_int_equal(kernel_count(cfd), k);
	/* same IOVA, other memory */
	assert_rte_err(rte_vfio_container_dma_map(cfd, va + pg, IOVA0, pg),
		EEXIST);
	assert_rte_err(rte_vfio_container_dma_map(cfd, va + 2 * pg,
		IOVA0 + 2 * pg, 4 * pg), EEXIST);
	assert_int_equal(kernel_count(cfd), k);
	/* bad ranges */
	assert_rte_err(rte_vfio_container_dma_map(cfd, va, IOVA0, 0), EINVAL);
	assert_rte_err(rte_vfio_container_dma_map(cfd, va, UINT64_MAX - pg + 1,
		2 * pg), EINVAL);
	assert_rte_err(rte_vfio_container_dma_map(cfd, UINT64_MAX - pg + 1,
		IOVA0, 2 * pg), EINVAL);
	assert_rte_err(rte_vfio_container_dma_map(cfd, va + 1, IOVA0, pg),
		EINVAL);
	assert_rte_err(rte_vfio_container_dma_unmap(cfd, va, IOVA0, 0), EINVAL);
	/* unmapping what is not mapped */
	assert_rte_err(rte_vfio_container_dma_unmap(cfd, va, IOVA0 + 16 * pg,
		pg), ENOENT);
	assert_rte_err(rte_vfio_container_dma_unmap(cfd, va + pg, IOVA0,
		4 * pg), ENOENT);
	/* partial unmap: per backend */
	if (env_has(m, RTE_VFIO_CAP_PARTIAL_UNMAP)) {
		assert_int_equal(rte_vfio_container_dma_unmap(cfd, va + pg,
			IOVA0 + pg, pg), 0);
		assert_rte_err(rte_vfio_container_dma_unmap(cfd, va + pg,
			IOVA0 + pg, pg), ENOENT);
		assert_int_equal(rte_vfio_container_dma_map(cfd, va + pg,
			IOVA0 + pg, pg), 0);
	} else {
		assert_rte_err(rte_vfio_container_dma_unmap(cfd, va + pg,
			IOVA0 + pg, pg), ENOTSUP);
		assert_int_equal(kernel_count(cfd), k);
	}
	assert_int_equal(rte_vfio_container_dma_unmap(cfd, va, IOVA0, 4 * pg),
		0);
	assert_int_equal(kernel_count(cfd), 0);
	assert_rte_err(rte_vfio_container_dma_unmap(cfd, va, IOVA0, 4 * pg),
		ENOENT);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

static void
test_unmap_spanning_whole_mappings(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(8);
	int cfd = container_with_device(DEV1);
	int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(rte_vfio_container_dma_map(cfd, va + i * pg,
			IOVA0 + i * pg, pg), 0);
	if (env_user_maps_in_kernel(m))
		assert_int_equal(kernel_count(cfd), 4);
	/* one unmap over the four, kept apart for the kernel */
	assert_int_equal(rte_vfio_container_dma_unmap(cfd, va, IOVA0, 4 * pg),
		0);
	assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

static void
test_many_maps(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint64_t pg = env_pg();
	uint64_t va = (uintptr_t)env_buf(2 * MANY_MAPS);
	int cfd = container_with_device(DEV1);
	int i;

	/* every other page: nothing to merge */
	for (i = 0; i < MANY_MAPS; i++)
		assert_int_equal(rte_vfio_container_dma_map(cfd,
			va + 2 * i * pg, IOVA0 + 2 * i * pg, pg), 0);
	if (env_user_maps_in_kernel(m))
		assert_int_equal(kernel_count(cfd), MANY_MAPS);
	for (i = MANY_MAPS - 1; i >= 0; i--)
		assert_int_equal(rte_vfio_container_dma_map(cfd,
			va + 2 * i * pg, IOVA0 + 2 * i * pg, pg), 0);
	for (i = 0; i < MANY_MAPS; i++)
		assert_int_equal(rte_vfio_container_dma_unmap(cfd,
			va + 2 * i * pg, IOVA0 + 2 * i * pg, pg), 0);
	assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

/* regions i of n: every other page, so that nothing merges */
static void
batch_regions(struct rte_vfio_dma_region *g, unsigned int n, uint64_t va)
{
	uint64_t pg = env_pg();
	unsigned int i;

	for (i = 0; i < n; i++) {
		g[i].vaddr = va + 2 * i * pg;
		g[i].iova = IOVA0 + 2 * i * pg;
		g[i].len = pg;
	}
}

static void
test_batch_map_unmap(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	struct rte_vfio_dma_region g[8];
	int cfd = container_with_device(DEV1);
	int k = env_user_maps_in_kernel(m) ? 1 : 0;

	batch_regions(g, 8, (uintptr_t)env_buf(16));
	assert_int_equal(rte_vfio_container_dma_map_batch(cfd, g, 0), 0);
	assert_rte_err(rte_vfio_container_dma_map_batch(cfd, NULL, 1), EINVAL);
	assert_rte_err(rte_vfio_container_dma_unmap_batch(cfd, NULL, 1),
		EINVAL);
	assert_rte_err(rte_vfio_container_dma_map_batch(12345, g, 8), ENOENT);
	assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(rte_vfio_container_dma_map_batch(cfd, g, 8), 0);
	/* one kernel mapping per region: each can be unmapped alone */
	assert_int_equal(kernel_count(cfd), 8 * k);
	assert_int_equal(rte_vfio_container_dma_unmap(cfd, g[3].vaddr,
		g[3].iova, g[3].len), 0);
	assert_int_equal(kernel_count(cfd), 7 * k);
	assert_int_equal(rte_vfio_container_dma_map(cfd, g[3].vaddr, g[3].iova,
		g[3].len), 0);
	assert_int_equal(rte_vfio_container_dma_unmap_batch(cfd, g, 8), 0);
	assert_int_equal(kernel_count(cfd), 0);
	assert_rte_err(rte_vfio_container_dma_unmap(cfd, g[0].vaddr, g[0].iova,
		g[0].len), ENOENT);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

/* a bad region in the middle: what the call mapped is unmapped again */
static void
test_batch_map_failure_leaves_what_was_there(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint64_t va = (uintptr_t)env_buf(16);
	struct rte_vfio_dma_region g[8];
	int cfd = container_with_device(DEV1);
	int k = env_user_maps_in_kernel(m) ? 1 : 0;

	batch_regions(g, 8, va);
	/* region 2 mapped before, the same way: not undone by the failure */
	assert_int_equal(rte_vfio_container_dma_map(cfd, g[2].vaddr, g[2].iova,
		g[2].len), 0);
	g[5].vaddr += 1; /* region 5 misaligned... */
	assert_rte_err(rte_vfio_container_dma_map_batch(cfd, g, 8), EINVAL);
	assert_int_equal(kernel_count(cfd), k);
	/* ...or another translation of a mapped IOVA */
	g[5].vaddr = g[1].vaddr;
	g[5].iova = g[2].iova;
	assert_rte_err(rte_vfio_container_dma_map_batch(cfd, g, 8), EEXIST);
	assert_int_equal(kernel_count(cfd), k);
	assert_int_equal(rte_vfio_container_dma_unmap(cfd, g[2].vaddr,
		g[2].iova, g[2].len), 0);
	assert_rte_err(rte_vfio_container_dma_unmap(cfd, g[0].vaddr, g[0].iova,
		g[0].len), ENOENT);
	/* the kernel refusing the fourth region */
	if (k != 0) {
		batch_regions(g, 8, va);
		fake_fault_ioctl(env_groups(m) ? VFIO_IOMMU_MAP_DMA :
			IOMMU_IOAS_MAP, 4, ENOMEM);
		assert_rte_err(rte_vfio_container_dma_map_batch(cfd, g, 8),
			ENOMEM);
		fake_fault_clear();
		assert_int_equal(kernel_count(cfd), 0);
		assert_int_equal(rte_vfio_container_dma_map_batch(cfd, g, 8),
			0);
		assert_int_equal(kernel_count(cfd), 8);
		assert_int_equal(rte_vfio_container_dma_unmap_batch(cfd, g, 8),
			0);
	}
	assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

/* a region not mapped: what the call unmapped is mapped again */
static void
test_batch_unmap_failure_maps_back(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint64_t va = (uintptr_t)env_buf(16);
	struct rte_vfio_dma_region g[8];
	int cfd = container_with_device(DEV1);
	int k = env_user_maps_in_kernel(m) ? 1 : 0;

	batch_regions(g, 8, va);
	assert_int_equal(rte_vfio_container_dma_map_batch(cfd, g, 6), 0);
	/* regions 6 and 7 are not mapped */
	assert_rte_err(rte_vfio_container_dma_unmap_batch(cfd, g, 8), ENOENT);
	assert_int_equal(kernel_count(cfd), 6 * k);
	/* the same region twice: the second finds it gone */
	g[1] = g[0];
	assert_rte_err(rte_vfio_container_dma_unmap_batch(cfd, g, 2), ENOENT);
	assert_int_equal(kernel_count(cfd), 6 * k);
	batch_regions(g, 8, va);
	assert_int_equal(rte_vfio_container_dma_unmap_batch(cfd, g, 6), 0);
	assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

static void
test_dma_entry_limit_is_enospc(void **state)
{
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(8);
	int cfd, i;

	fake_config()->dma_entry_limit = 3;
	cfd = container_with_device(DEV1);
	for (i = 0; i < 3; i++)
		assert_int_equal(rte_vfio_container_dma_map(cfd, va + i * pg,
			IOVA0 + i * pg, pg), 0);
	assert_rte_err(rte_vfio_container_dma_map(cfd, va + 3 * pg,
		IOVA0 + 3 * pg, pg), ENOSPC);
	assert_int_equal(kernel_count(cfd), 3);
	assert_int_equal(rte_vfio_container_dma_unmap(cfd, va, IOVA0, pg), 0);
	assert_int_equal(rte_vfio_container_dma_map(cfd, va + 3 * pg,
		IOVA0 + 3 * pg, pg), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

static void
test_iova_outside_kernel_ranges_is_einval(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(2);
	int cfd;

	cfd = container_with_device(DEV1);
	/* the fake's x86 preset leaves out the MSI window 0xfee00000 */
	if (!m->fake_spapr)
		assert_rte_err(rte_vfio_container_dma_map(cfd, va,
			0xfee00000ULL, pg), EINVAL);
	assert_rte_err(rte_vfio_container_dma_map(cfd, va, 1ULL << 48, pg),
		EINVAL);
	assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

/*
 * The library records a user map of the default container and gives it
 * to the kernel whenever a kernel context (re)appears. Without one that
 * could hold it (no-IOMMU groups) the record alone is checked.
 */
static void
test_default_container_replays_user_maps(void **state)
{
	const struct vfio_mode_case *m = mode_of(state);
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(8);
	int cfd = rte_vfio_get_container_fd();
	bool in_kernel = env_user_maps_in_kernel(m);
	int fd;

	assert_int_equal(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, IOVA0, 4 * pg), 0);
	/* group: no IOMMU context before the first group; cdev: the IOAS */
	if (in_kernel)
		assert_int_equal(kernel_count(cfd), env_groups(m) ? 0 : 1);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	if (in_kernel)
		assert_int_equal(kernel_count(cfd), 1);
	/* the last group leaves: the kernel forgets; the next one replays */
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	if (in_kernel)
		assert_int_equal(kernel_count(cfd), 1);
	else
		assert_true(kernel_count(cfd) <= 0);
	/* in every lane the record outlived the device: it is the same map */
	assert_int_equal(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, IOVA0, 4 * pg), 0);
	assert_rte_err(rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va + 4 * pg, IOVA0, pg), EEXIST);
	assert_int_equal(rte_vfio_container_dma_unmap(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, IOVA0, 4 * pg), 0);
	assert_rte_err(rte_vfio_container_dma_unmap(
		RTE_VFIO_DEFAULT_CONTAINER_FD, va, IOVA0, 4 * pg), ENOENT);
	if (in_kernel)
		assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
}

static void
test_container_destroy_removes_mappings(void **state)
{
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(4);
	unsigned int base = fake_open_fds();
	int cfd = container_with_device(DEV2);

	(void)state;
	assert_int_equal(rte_vfio_container_dma_map(cfd, va, IOVA0, 4 * pg), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
	assert_int_equal(fake_open_fds(), base);
	/* the same IOVA maps again in a new container */
	cfd = container_with_device(DEV2);
	assert_int_equal(rte_vfio_container_dma_map(cfd, va, IOVA0, 4 * pg), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

/* ---- concurrency -------------------------------------------------------- */

#define THREAD_MAPS 256

struct thread_arg {
	int cfd;        /* container, or -1 for create/destroy churn */
	uint64_t va;
	uint64_t iova;
	unsigned int failures;
};

static void *
map_thread(void *p)
{
	struct thread_arg *a = p;
	uint64_t pg = env_pg();
	int i, c;

	if (a->cfd == -2) {
		/* containers come and go while others map */
		for (i = 0; i < THREAD_MAPS / 4; i++) {
			c = rte_vfio_container_create();
			if (c < 0 || rte_vfio_container_destroy(c) != 0)
				a->failures++;
		}
		return NULL;
	}
	for (i = 0; i < THREAD_MAPS; i++)
		if (rte_vfio_container_dma_map(a->cfd, a->va + i * pg,
				a->iova + i * pg, pg) != 0)
			a->failures++;
	for (i = 0; i < THREAD_MAPS; i++)
		if (rte_vfio_container_dma_unmap(a->cfd, a->va + i * pg,
				a->iova + i * pg, pg) != 0)
			a->failures++;
	return NULL;
}

static void
test_concurrent_maps_and_containers(void **state)
{
	uint64_t pg = env_pg(), va = (uintptr_t)env_buf(4 * THREAD_MAPS);
	struct thread_arg args[5];
	pthread_t th[5];
	int cfd, fd, i;

	(void)state;
	cfd = container_with_device(DEV1);
	assert_int_equal(rte_vfio_setup_device(env_pci(), DEV0, &fd), 0);
	for (i = 0; i < 4; i++) {
		args[i].cfd = i < 2 ? cfd : RTE_VFIO_DEFAULT_CONTAINER_FD;
		args[i].va = va + i * THREAD_MAPS * pg;
		args[i].iova = IOVA0 + i * THREAD_MAPS * pg;
		args[i].failures = 0;
	}
	args[4].cfd = -2;
	args[4].failures = 0;
	for (i = 0; i < 5; i++)
		assert_int_equal(pthread_create(&th[i], NULL, map_thread,
			&args[i]), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
	}
	assert_int_equal(kernel_count(cfd), 0);
	assert_int_equal(kernel_count(rte_vfio_get_container_fd()), 0);
	assert_int_equal(rte_vfio_release_device(env_pci(), DEV0, fd), 0);
	assert_int_equal(rte_vfio_container_destroy(cfd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		VFIO_ALL_MODES(test_enable_reports_mode_and_iova)
		VFIO_ALL_MODES(test_enable_logs_interface_and_iommu)
		VFIO_ALL_MODES(test_device_numbers_follow_the_mode)
		VFIO_ALL_MODES(test_device_numbers_refuse_lenient_names)
		VFIO_ALL_MODES(test_api_before_enable_is_enxio)
		VFIO_ALL_MODES(test_no_vfio_module_is_mode_none)
		VFIO_ALL_MODES(test_forced_mode_unusable_is_enodev)
		VFIO_LANE_TEST(test_auto_falls_back_to_group_without_cdev_access,
			cdev),
		VFIO_LANE_TEST(test_noiommu_param_with_an_iommu_keeps_the_iommu,
			group),
		VFIO_LANE_TEST(test_noiommu_param_with_an_iommu_keeps_the_iommu,
			cdev),
		VFIO_ALL_MODES(test_auto_mode_picks_the_mode)
		VFIO_ALL_MODES(test_auto_mode_with_group_only_bus_picks_group)
		VFIO_ALL_MODES(test_noiommu_mode_without_noiommu_is_enodev)
		VFIO_ALL_MODES(test_noiommu_param_not_y_or_n_counts_as_disabled)
		VFIO_LANE_TEST(test_noiommu_cdev_without_get_pa_falls_back_to_group,
			noiommu_cdev),
		VFIO_ALL_MODES(test_setup_release_device)
		VFIO_ALL_MODES(test_two_devices_share_the_default_container)
		VFIO_ALL_MODES(test_setup_unbound_device_is_enodev)
		/* a no-IOMMU group holds one device: always viable */
		VFIO_LANE_TEST(test_not_viable_group_is_eio, group),
		VFIO_LANE_TEST(test_not_viable_group_is_eio, spapr),
		VFIO_ALL_MODES(test_get_device_info_bad_fd_is_einval)
		VFIO_ALL_MODES(test_get_device_info_passes_argsz_for_the_caps_chain)
		VFIO_ALL_MODES(test_assign_then_setup_returns_that_fd)
		VFIO_ALL_MODES(test_release_assigned_device_without_fd)
		VFIO_ALL_MODES(test_default_container_cannot_be_destroyed)
		VFIO_ALL_MODES(test_container_table_full_is_enospc)
		VFIO_ALL_MODES(test_vf_token_opens_the_vf)
		VFIO_ALL_MODES(test_vf_token_not_given_to_other_devices)
		VFIO_LANE_TEST(test_cdev_token_refused_binds_without_it, cdev),
		VFIO_LANE_TEST(test_cdev_token_refused_binds_without_it,
			noiommu_cdev),
		VFIO_ALL_MODES(test_map_semantics)
		VFIO_ALL_MODES(test_unmap_spanning_whole_mappings)
		VFIO_ALL_MODES(test_many_maps)
		VFIO_ALL_MODES(test_batch_map_unmap)
		VFIO_ALL_MODES(test_batch_map_failure_leaves_what_was_there)
		VFIO_ALL_MODES(test_batch_unmap_failure_maps_back)
		/* type1's dma_entry_limit */
		VFIO_LANE_TEST(test_dma_entry_limit_is_enospc, group),
		/* the IOVA ranges of a translating IOMMU */
		VFIO_IOMMU_MODES(test_iova_outside_kernel_ranges_is_einval)
		VFIO_ALL_MODES(test_default_container_replays_user_maps)
		VFIO_ALL_MODES(test_container_destroy_removes_mappings)
		VFIO_ALL_MODES(test_concurrent_maps_and_containers)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
