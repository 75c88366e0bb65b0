/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fsl-mc bus over the real EAL VFIO layer and the fake kernel, through
 * rte_eal_init(): VFIO mode selection with a container present, the
 * container's group in the default container, object descriptors, the MC
 * portal mapping, DMA mappings, and a kernel failure at each step leaving
 * no descriptor and no mapping behind.
 *
 * Not covered here: a secondary process. It would need a second process
 * whose fake kernel shares the primary's fds; the EAL VFIO sync that
 * serves it is the same one PCI uses and is tested by the VFIO unit tests
 * and the VM harness.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/vfio.h>

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_memory.h>
#include <rte_vfio.h>

#include <bus_fslmc_driver.h>

#include "fake_kernel.h"

#define GROUP 42
#define GROUP_NODE "/dev/vfio/42"

static const char *const objects[] = {
	"dpni.0", "dpni.1", "dpbp.0", "dpio.0", "dpmcp.1", "dpmcp.2",
	"dpcon.0", "dpci.0", "dpseci.0", "dpdmux.0", "dpmac.1", "dprtc.0",
};
#define NB_DEVICES (RTE_DIM(objects) + 1) /* and the container */

/* ---- machine ------------------------------------------------------------ */

/*
 * The kernel makes objects children of their container's device, so they
 * show as /sys/bus/fsl-mc/devices/dprc.2/<obj>. Add those entries where
 * the fake's builder did not.
 */
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

static void
machine(enum fake_mode mode)
{
	unsigned int i;

	assert_int_equal(fake_machine_setup(mode, 0), 0);
	assert_int_equal(fake_fslmc_add("dprc.2", GROUP), 0);
	for (i = 0; i < RTE_DIM(objects); i++) {
		assert_int_equal(fake_fslmc_add(objects[i], GROUP), 0);
		contain("dprc.2", objects[i]);
	}
	setenv("DPRC", "dprc.2", 1);
}

/* ---- drivers ------------------------------------------------------------ */

static struct test_drv {
	struct rte_dpaa2_driver drv;
	char name[32];
	unsigned int probed, removed;
} drvs[RTE_DPAA2_OBJ_MAX];

static int
drv_probe(struct rte_dpaa2_driver *drv, struct rte_dpaa2_device *dev)
{
	struct test_drv *t = container_of(drv, struct test_drv, drv);

	assert_true(dev->vfio_fd >= 0);
	t->probed++;
	return 0;
}

static int
drv_remove(struct rte_dpaa2_device *dev)
{
	container_of(dev->driver, struct test_drv, drv)->removed++;
	return 0;
}

static void
drivers_register(void)
{
	unsigned int t;

	for (t = RTE_DPAA2_OBJ_DPRC; t < RTE_DPAA2_OBJ_MAX; t++) {
		memset(&drvs[t], 0, sizeof(drvs[t]));
		snprintf(drvs[t].name, sizeof(drvs[t].name), "fake_%s",
			rte_fslmc_obj_type_name(t));
		drvs[t].drv.driver.name = drvs[t].name;
		drvs[t].drv.obj_type = t;
		drvs[t].drv.drv_flags = RTE_DPAA2_DRV_IOVA_AS_VA;
		drvs[t].drv.probe = drv_probe;
		drvs[t].drv.remove = drv_remove;
		rte_fslmc_driver_register(&drvs[t].drv);
	}
}

static void
drivers_reset_counts(void)
{
	unsigned int t;

	for (t = RTE_DPAA2_OBJ_DPRC; t < RTE_DPAA2_OBJ_MAX; t++)
		drvs[t].probed = drvs[t].removed = 0;
}

static void
drivers_unregister(void)
{
	unsigned int t;

	for (t = RTE_DPAA2_OBJ_DPRC; t < RTE_DPAA2_OBJ_MAX; t++)
		rte_fslmc_driver_unregister(&drvs[t].drv);
}

/* ---- fixture ------------------------------------------------------------ */

static char log_buf[16384];
static FILE *log_stream;

static int
setup(void **state)
{
	(void)state;
	memset(log_buf, 0, sizeof(log_buf));
	log_stream = fmemopen(log_buf, sizeof(log_buf) - 1, "w");
	assert_non_null(log_stream);
	setvbuf(log_stream, NULL, _IONBF, 0);
	rte_openlog_stream(log_stream);
	rte_log_set_level_pattern("bus.fslmc", RTE_LOG_INFO);
	drivers_register();
	return 0;
}

static int
teardown(void **state)
{
	rte_eal_cleanup(); /* after a failed assertion; EALREADY otherwise */
	drivers_unregister();
	unsetenv("DPRC");
	rte_openlog_stream(NULL);
	fclose(log_stream);
	return fake_teardown(state);
}

static int
eal_start_args(const char *mode, const char *extra)
{
	char opt[64];
	char *argv[] = { (char *)(uintptr_t)"unit",
		(char *)(uintptr_t)"--in-memory", (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"8", opt,
		(char *)(uintptr_t)extra, NULL };

	snprintf(opt, sizeof(opt), "--vfio-mode=%s", mode);
	return rte_eal_init(extra != NULL ? 7 : 6, argv);
}

static int
eal_start(const char *mode)
{
	return eal_start_args(mode, NULL);
}

static void
assert_logged(const char *text)
{
	if (strstr(log_buf, text) == NULL)
		fail_msg("log lacks \"%s\"; it has:\n%s", text, log_buf);
}

static void
assert_all_probed(void)
{
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPRC].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPNI].probed, 2);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPMCP].probed, 1); /* one is the portal */
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPBP].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPIO].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPCON].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPCI].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPSECI].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPDMUX].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPMAC].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPRTC].probed, 1);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPSW].probed, 0);
}

/* Every object open once, in one group, in the default container. */
static void
assert_group_setup(void)
{
	int cfd = rte_vfio_get_container_fd();
	unsigned int i;

	assert_true(cfd >= 0);
	assert_int_equal(fake_container_groups(cfd), 1);
	assert_int_equal(fake_device_open_count("dprc.2"), 1);
	for (i = 0; i < RTE_DIM(objects); i++)
		assert_int_equal(fake_device_open_count(objects[i]), 1);
	/* container + group + devices */
	assert_int_equal(fake_open_fds(), 2 + NB_DEVICES);
	assert_int_equal(fake_live_mappings(), 1); /* the MC portal */
}

static void
assert_all_closed(void)
{
	unsigned int i;

	assert_int_equal(fake_device_open_count("dprc.2"), 0);
	for (i = 0; i < RTE_DIM(objects); i++)
		assert_int_equal(fake_device_open_count(objects[i]), 0);
	assert_int_equal(fake_live_mappings(), 0);
}

/* ---- modes -------------------------------------------------------------- */

static void
test_auto_picks_group_when_container_present(void **state)
{
	(void)state;
	machine(FAKE_MODE_CDEV); /* cdev usable: auto would pick it */
	assert_true(eal_start("auto") >= 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_GROUP);
	assert_string_equal(rte_fslmc_container_name(), "dprc.2");
	assert_int_equal(rte_eal_iova_mode(), RTE_IOVA_VA);
	assert_all_probed();
	assert_group_setup();
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPNI].removed, 2);
	assert_all_closed();
}

static void
test_auto_without_dprc_keeps_cdev(void **state)
{
	(void)state;
	machine(FAKE_MODE_CDEV);
	unsetenv("DPRC");
	assert_true(eal_start("auto") >= 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_CDEV);
	assert_logged("fslmc: DPRC not set, bus disabled");
	assert_null(rte_fslmc_container_name());
	assert_int_equal(fake_device_open_count("dprc.2"), 0);
	assert_int_equal(rte_eal_cleanup(), 0);
}

static void
test_cdev_mode_disables_bus_with_message(void **state)
{
	(void)state;
	machine(FAKE_MODE_CDEV);
	assert_true(eal_start("cdev") >= 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_CDEV);
	assert_logged("fslmc: VFIO is in cdev mode; the fsl-mc bus needs group mode (use --vfio-mode=group or auto)");
	assert_null(rte_fslmc_container_name());
	assert_int_equal(drvs[RTE_DPAA2_OBJ_DPNI].probed, 0);
	assert_int_equal(fake_device_open_count("dprc.2"), 0);
	assert_int_equal(rte_eal_cleanup(), 0);
}

/* no-IOMMU through cdev reports upstream's NOIOMMU mode: still no groups */
static void
test_noiommu_cdev_disables_bus_with_message(void **state)
{
	(void)state;
	machine(FAKE_MODE_NOIOMMU_CDEV);
	assert_true(eal_start("noiommu") >= 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NOIOMMU);
	assert_int_equal(rte_vfio_get_interface(), RTE_VFIO_INTERFACE_CDEV);
	assert_logged("fslmc: VFIO is in cdev mode; the fsl-mc bus needs group mode (use --vfio-mode=group or auto)");
	assert_null(rte_fslmc_container_name());
	assert_int_equal(fake_device_open_count("dprc.2"), 0);
	assert_int_equal(rte_eal_cleanup(), 0);
}

static void
test_group_mode_probes_each_type(void **state)
{
	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_true(eal_start("group") >= 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_GROUP);
	assert_all_probed();
	assert_group_setup();
	assert_logged("fslmc: dprc.2: IOMMU group 42, 13 objects open, MC portal dpmcp.1");
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_all_closed();
}

/* vfio-fsl-mc matches names exactly: a VF token (vfio-pci) must not reach it */
static void
test_vf_token_option_does_not_break_fslmc(void **state)
{
	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_true(eal_start_args("group",
		"--vfio-vf-token=14d63f20-8445-11ea-8900-1f9ce7d5650d") >= 0);
	assert_all_probed();
	assert_group_setup();
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_all_closed();
}

static void
test_noiommu_mode_votes_pa(void **state)
{
	(void)state;
	machine(FAKE_MODE_NOIOMMU);
	assert_true(eal_start("auto") >= 0);
	assert_int_equal(rte_vfio_get_mode(), RTE_VFIO_MODE_NOIOMMU);
	assert_int_equal(rte_eal_iova_mode(), RTE_IOVA_PA);
	assert_all_probed();
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_all_closed();
}

static void
test_without_vfio_bus_is_disabled(void **state)
{
	(void)state;
	machine(FAKE_MODE_NONE);
	assert_true(eal_start("auto") >= 0);
	assert_logged("fslmc: VFIO is not available");
	assert_null(rte_fslmc_container_name());
	assert_int_equal(rte_eal_cleanup(), 0);
}

/* ---- portal and DMA ----------------------------------------------------- */

static void
test_portal_mapped_from_dpmcp(void **state)
{
	struct rte_fslmc_mc_portal portal;

	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_true(eal_start("group") >= 0);
	assert_int_equal(rte_fslmc_get_mc_portal(&portal), 0);
	assert_string_equal(portal.dpmcp->name, "dpmcp.1");
	assert_non_null(portal.addr);
	assert_true(portal.len > 0);
	assert_int_equal(fake_live_mappings(), 1);
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(fake_live_mappings(), 0);
}

static void
test_dma_map_lands_in_the_groups_container(void **state)
{
	struct fake_dma maps[64];
	size_t len = 2 * 1024 * 1024;
	const uint64_t iova = 0x40000000;
	int cfd, n, i, found = 0;
	void *buf;

	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_true(eal_start("group") >= 0);
	cfd = rte_vfio_get_container_fd();
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	assert_int_equal(rte_fslmc_dma_map((uintptr_t)buf, iova, len), 0);
	n = fake_container_mappings(cfd, maps, RTE_DIM(maps));
	assert_true(n >= 1);
	for (i = 0; i < n && i < (int)RTE_DIM(maps); i++)
		if (maps[i].iova == iova && maps[i].vaddr == (uintptr_t)buf &&
				maps[i].size == len)
			found = 1;
	assert_true(found);
	assert_int_equal(rte_fslmc_dma_unmap((uintptr_t)buf, iova, len), 0);
	assert_int_equal(fake_container_mappings(cfd, maps, RTE_DIM(maps)),
		n - 1);
	munmap(buf, len);
	assert_int_equal(rte_eal_cleanup(), 0);
}

/*
 * The kernel refuses the map or the unmap of rte_fslmc_dma_map/unmap with
 * each errno it documents: the call fails with rte_errno set, the
 * container holds exactly what it held before (map) or still holds the
 * mapping (unmap), and the same call then works.
 */
static void
test_dma_map_faults_leave_the_container_as_it_was(void **state)
{
	static const int map_errs[] = { EIO, EINVAL, ENOMEM, ENOSPC, EFAULT,
		EBUSY, EPERM };
	static const int unmap_errs[] = { EIO, EINVAL, EFAULT, EBUSY };
	const uint64_t iova = 0x40000000;
	size_t len = 2 * 1024 * 1024;
	int cfd, n;
	unsigned int i;
	void *buf;

	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_true(eal_start("group") >= 0);
	cfd = rte_vfio_get_container_fd();
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	n = fake_container_mappings(cfd, NULL, 0);
	for (i = 0; i < RTE_DIM(map_errs); i++) {
		fake_fault_ioctl(VFIO_IOMMU_MAP_DMA, 1, map_errs[i]);
		rte_errno = 0;
		assert_int_equal(rte_fslmc_dma_map((uintptr_t)buf, iova, len), -1);
		assert_int_not_equal(rte_errno, 0);
		fake_fault_clear();
		assert_int_equal(fake_container_mappings(cfd, NULL, 0), n);
		/* nothing half-recorded: the unmap finds nothing */
		rte_errno = 0;
		assert_int_equal(rte_fslmc_dma_unmap((uintptr_t)buf, iova, len),
			-1);
		assert_int_equal(rte_errno, ENOENT);
	}
	assert_int_equal(rte_fslmc_dma_map((uintptr_t)buf, iova, len), 0);
	assert_int_equal(fake_container_mappings(cfd, NULL, 0), n + 1);
	for (i = 0; i < RTE_DIM(unmap_errs); i++) {
		fake_fault_ioctl(VFIO_IOMMU_UNMAP_DMA, 1, unmap_errs[i]);
		rte_errno = 0;
		assert_int_equal(rte_fslmc_dma_unmap((uintptr_t)buf, iova, len),
			-1);
		assert_int_not_equal(rte_errno, 0);
		fake_fault_clear();
		assert_int_equal(fake_container_mappings(cfd, NULL, 0), n + 1);
	}
	assert_int_equal(rte_fslmc_dma_unmap((uintptr_t)buf, iova, len), 0);
	assert_int_equal(fake_container_mappings(cfd, NULL, 0), n);
	munmap(buf, len);
	assert_int_equal(rte_eal_cleanup(), 0);
}

/* Each page of EAL memory is mapped vaddr -> iova in the container. */
struct seg_check {
	struct fake_dma *maps;
	int nb;
	unsigned int pages;
};

static int
seg_mapped(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		void *arg)
{
	struct seg_check *c = arg;
	int i;

	(void)msl;
	c->pages++;
	for (i = 0; i < c->nb; i++) {
		const struct fake_dma *m = &c->maps[i];

		if (ms->iova >= m->iova && ms->iova + ms->len <= m->iova + m->size &&
				(uintptr_t)ms->addr - m->vaddr == ms->iova - m->iova)
			return 0;
	}
	fail_msg("page %p (IOVA 0x%" PRIx64 ", %zu bytes) is not mapped",
		ms->addr, ms->iova, ms->len);
	return -1;
}

static void
test_eal_memory_mapped_when_group_joins(void **state)
{
	struct seg_check c;

	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_true(eal_start("group") >= 0);
	memset(&c, 0, sizeof(c));
	c.nb = fake_container_mappings(rte_vfio_get_container_fd(), NULL, 0);
	assert_true(c.nb > 0);
	c.maps = calloc(c.nb, sizeof(*c.maps));
	assert_non_null(c.maps);
	assert_int_equal(fake_container_mappings(rte_vfio_get_container_fd(),
		c.maps, c.nb), c.nb);
	assert_int_equal(rte_memseg_walk(seg_mapped, &c), 0);
	assert_true(c.pages > 0); /* there was memory to check */
	free(c.maps);
	assert_int_equal(rte_eal_cleanup(), 0);
}

/* ---- failures ----------------------------------------------------------- */

static const struct {
	unsigned long req;
	unsigned int nth;
	int err;
} ioctl_faults[] = {
	{ VFIO_GROUP_GET_STATUS, 1, EIO },
	{ VFIO_GROUP_SET_CONTAINER, 1, EBUSY },
	{ VFIO_GROUP_GET_DEVICE_FD, 1, EIO },   /* the container */
	{ VFIO_GROUP_GET_DEVICE_FD, 2, EIO },  /* first object */
	{ VFIO_GROUP_GET_DEVICE_FD, NB_DEVICES, EIO }, /* last object */
	{ VFIO_DEVICE_GET_INFO, 1, EIO },
	{ VFIO_DEVICE_GET_INFO, 6, EFAULT },
	{ VFIO_DEVICE_GET_REGION_INFO, 1, EINVAL },
};

static void
assert_init_fails_leaving_nothing(void)
{
	rte_errno = 0;
	assert_int_equal(eal_start("group"), -1);
	assert_int_not_equal(rte_errno, 0);
	assert_all_closed();
	fake_assert_no_leaks();
	assert_null(rte_fslmc_container_name());
	fake_fault_clear();
}

/*
 * The bus's own rollback, with the EAL up: its probe must release what it
 * opened before returning (the EAL's cleanup would hide a leak).
 */
static void
test_kernel_failure_at_each_step_leaves_nothing(void **state)
{
	struct rte_bus *bus = rte_bus_find_by_name("fslmc");
	unsigned int i, base_fds;

	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_true(eal_start("group") >= 0);
	assert_int_equal(bus->cleanup(), 0);
	assert_all_closed();
	drivers_reset_counts();
	base_fds = fake_open_fds(); /* the default container */
	for (i = 0; i < RTE_DIM(ioctl_faults) + 2; i++) {
		if (i < RTE_DIM(ioctl_faults))
			fake_fault_ioctl(ioctl_faults[i].req,
				ioctl_faults[i].nth, ioctl_faults[i].err);
		else if (i == RTE_DIM(ioctl_faults))
			fake_fault_mmap(1, ENOMEM);
		else
			fake_fault_open(GROUP_NODE, 1, EACCES);
		assert_int_equal(bus->scan(), 0);
		rte_errno = 0;
		if (bus->probe() != -1)
			fail_msg("probe survived fault %u", i);
		assert_int_not_equal(rte_errno, 0);
		assert_all_closed();
		assert_int_equal(fake_open_fds(), base_fds);
		assert_int_equal(drvs[RTE_DPAA2_OBJ_DPNI].probed, 0);
		assert_int_equal(bus->cleanup(), 0);
		fake_fault_clear();
	}
	/* and then it works */
	assert_int_equal(bus->scan(), 0);
	assert_int_equal(bus->probe(), 0);
	assert_all_probed();
	assert_group_setup();
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_all_closed();
}

static void
test_init_fails_cleanly_on_kernel_failure(void **state)
{
	(void)state;
	machine(FAKE_MODE_GROUP);
	fake_fault_ioctl(VFIO_GROUP_GET_DEVICE_FD, 1, EIO);
	assert_init_fails_leaving_nothing();
	fake_fault_mmap(1, ENOMEM);
	assert_init_fails_leaving_nothing();
	assert_true(eal_start("group") >= 0);
	assert_all_probed();
	assert_int_equal(rte_eal_cleanup(), 0);
}

static void
test_group_not_viable_fails_cleanly(void **state)
{
	(void)state;
	machine(FAKE_MODE_GROUP);
	assert_int_equal(fake_group_set_viable(GROUP, false), 0);
	assert_init_fails_leaving_nothing();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_auto_picks_group_when_container_present),
		T(test_auto_without_dprc_keeps_cdev),
		T(test_cdev_mode_disables_bus_with_message),
		T(test_noiommu_cdev_disables_bus_with_message),
		T(test_group_mode_probes_each_type),
		T(test_vf_token_option_does_not_break_fslmc),
		T(test_noiommu_mode_votes_pa),
		T(test_without_vfio_bus_is_disabled),
		T(test_portal_mapped_from_dpmcp),
		T(test_dma_map_lands_in_the_groups_container),
		T(test_dma_map_faults_leave_the_container_as_it_was),
		T(test_eal_memory_mapped_when_group_joins),
		T(test_kernel_failure_at_each_step_leaves_nothing),
		T(test_init_fails_cleanly_on_kernel_failure),
		T(test_group_not_viable_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
