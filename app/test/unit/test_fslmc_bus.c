/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The fsl-mc bus against a sysfs tree laid out as the kernel does it and a
 * scripted rte_vfio API (wrapped with -Wl,--wrap=): scan, drivers by
 * object type, probe order, MC portal, IOVA vote, messages when the bus
 * is disabled, and a failure injected at every VFIO step leaving no
 * descriptor and no mapping behind. test_fslmc_vfio.c runs the same bus
 * over the real EAL VFIO layer and the fake kernel.
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/vfio.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_vfio.h>

#include <bus_fslmc_driver.h>

#include "eal_private.h"
#include "fault.h"

/* ---- the scripted VFIO API ---------------------------------------------- */

#define MOCK_MAX_DEV 32
#define MOCK_DEV_SIZE 0x10000
#define MOCK_REGION_SIZE 0x4000
#define MOCK_GROUP 7

static struct mock_dev {
	char name[RTE_DPAA2_NAME_LEN];
	int fd; /* memfd, -1 when closed */
} mock_devs[MOCK_MAX_DEV];

static enum rte_vfio_mode mock_mode;
static bool mock_cdev; /* interface cdev (else group, when mode is not NONE) */
static enum rte_iova_mode mock_iova;
static char mock_base[PATH_MAX];       /* sysfs_base the bus must pass */
static char mock_unbound[RTE_DPAA2_NAME_LEN]; /* setup answers ENODEV */
static char mock_last_release[RTE_DPAA2_NAME_LEN];
static unsigned int mock_live_maps;
static struct {
	int container_fd;
	uint64_t vaddr, iova, len;
	unsigned int maps, unmaps;
} mock_dma;

int __wrap_rte_vfio_setup_device(const char *base, const char *name, int *fd);
int __wrap_rte_vfio_release_device(const char *base, const char *name, int fd);
int __wrap_rte_vfio_get_device_info(int fd, struct vfio_device_info *info);
int __wrap_rte_vfio_get_group_num(const char *base, const char *name, int *n);
enum rte_vfio_mode __wrap_rte_vfio_get_mode(void);
enum rte_vfio_interface __wrap_rte_vfio_get_interface(void);
uint64_t __wrap_rte_vfio_get_caps(void);
enum rte_iova_mode __wrap_rte_vfio_get_iova_mode(void);
int __wrap_rte_vfio_container_dma_map(int cfd, uint64_t va, uint64_t iova,
	uint64_t len);
int __wrap_rte_vfio_container_dma_unmap(int cfd, uint64_t va, uint64_t iova,
	uint64_t len);
int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);
void *__real_mmap(void *a, size_t l, int p, int f, int fd, off_t o);
void *__wrap_mmap(void *a, size_t l, int p, int f, int fd, off_t o);
void *__real_mmap64(void *a, size_t l, int p, int f, int fd, off_t o);
void *__wrap_mmap64(void *a, size_t l, int p, int f, int fd, off_t o);
int __real_munmap(void *a, size_t l);
int __wrap_munmap(void *a, size_t l);

static struct mock_dev *
mock_by_fd(int fd)
{
	unsigned int i;

	for (i = 0; i < MOCK_MAX_DEV; i++)
		if (mock_devs[i].fd == fd && fd >= 0)
			return &mock_devs[i];
	return NULL;
}

static struct mock_dev *
mock_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < MOCK_MAX_DEV; i++)
		if (mock_devs[i].fd >= 0 && strcmp(mock_devs[i].name, name) == 0)
			return &mock_devs[i];
	return NULL;
}

static unsigned int
mock_open_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < MOCK_MAX_DEV; i++)
		if (mock_devs[i].fd >= 0)
			n++;
	return n;
}

static void
mock_reset(void)
{
	unsigned int i;

	for (i = 0; i < MOCK_MAX_DEV; i++) {
		if (mock_devs[i].fd >= 0)
			close(mock_devs[i].fd);
		mock_devs[i].fd = -1;
		mock_devs[i].name[0] = '\0';
	}
	mock_mode = RTE_VFIO_MODE_GROUP;
	mock_cdev = false;
	mock_iova = RTE_IOVA_VA;
	mock_unbound[0] = '\0';
	mock_last_release[0] = '\0';
	mock_live_maps = 0;
	memset(&mock_dma, 0, sizeof(mock_dma));
	fault_reset();
}

static int
mock_fail(const char *fn)
{
	int err = fault_check(fn);

	if (err != 0)
		rte_errno = err;
	return err;
}

int
__wrap_rte_vfio_setup_device(const char *base, const char *name, int *fd)
{
	unsigned int i;

	assert_string_equal(base, mock_base);
	assert_null(mock_by_name(name)); /* never opened twice */
	if (mock_fail("setup_device") != 0)
		return -1;
	/* a prefix ("dpmcp.") makes every object of that type unbound */
	if (mock_unbound[0] != '\0' &&
			strncmp(name, mock_unbound, strlen(mock_unbound)) == 0) {
		rte_errno = ENODEV;
		return -1;
	}
	for (i = 0; i < MOCK_MAX_DEV && mock_devs[i].fd >= 0; i++)
		;
	assert_true(i < MOCK_MAX_DEV);
	mock_devs[i].fd = memfd_create(name, 0);
	assert_true(mock_devs[i].fd >= 0);
	assert_int_equal(ftruncate(mock_devs[i].fd, MOCK_DEV_SIZE), 0);
	snprintf(mock_devs[i].name, sizeof(mock_devs[i].name), "%s", name);
	*fd = mock_devs[i].fd;
	return 0;
}

int
__wrap_rte_vfio_release_device(const char *base, const char *name, int fd)
{
	struct mock_dev *d = mock_by_fd(fd);

	assert_string_equal(base, mock_base);
	assert_non_null(d);
	assert_string_equal(d->name, name);
	close(d->fd);
	d->fd = -1;
	snprintf(mock_last_release, sizeof(mock_last_release), "%s", name);
	return 0;
}

/* Regions per type: the container and dpmcp one, dpni two, others one. */
int
__wrap_rte_vfio_get_device_info(int fd, struct vfio_device_info *info)
{
	struct mock_dev *d = mock_by_fd(fd);

	assert_non_null(d);
	assert_true(info->argsz >= sizeof(*info));
	if (mock_fail("get_device_info") != 0)
		return -1;
	info->flags = VFIO_DEVICE_FLAGS_FSL_MC;
	info->num_regions = strncmp(d->name, "dpni.", 5) == 0 ? 2 : 1;
	info->num_irqs = 1;
	if (fault_check("not_fsl_mc") != 0)
		info->flags = VFIO_DEVICE_FLAGS_PCI;
	return 0;
}

int
__wrap_rte_vfio_get_group_num(const char *base, const char *name, int *n)
{
	assert_string_equal(base, mock_base);
	assert_non_null(name);
	*n = MOCK_GROUP;
	return 0;
}

enum rte_vfio_mode
__wrap_rte_vfio_get_mode(void)
{
	return mock_mode;
}

enum rte_vfio_interface
__wrap_rte_vfio_get_interface(void)
{
	if (mock_mode == RTE_VFIO_MODE_NONE)
		return RTE_VFIO_INTERFACE_NONE;
	return mock_cdev || mock_mode == RTE_VFIO_MODE_CDEV ?
		RTE_VFIO_INTERFACE_CDEV : RTE_VFIO_INTERFACE_GROUP;
}

uint64_t
__wrap_rte_vfio_get_caps(void)
{
	uint64_t caps = 0;

	if (mock_mode == RTE_VFIO_MODE_NONE)
		return 0;
	if (mock_mode != RTE_VFIO_MODE_NOIOMMU)
		caps |= RTE_VFIO_CAP_IOMMU;
	if (__wrap_rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP)
		caps |= RTE_VFIO_CAP_GROUPS;
	return caps;
}

enum rte_iova_mode
__wrap_rte_vfio_get_iova_mode(void)
{
	return mock_iova;
}

int
__wrap_rte_vfio_container_dma_map(int cfd, uint64_t va, uint64_t iova,
		uint64_t len)
{
	mock_dma.container_fd = cfd;
	mock_dma.vaddr = va;
	mock_dma.iova = iova;
	mock_dma.len = len;
	mock_dma.maps++;
	return 0;
}

int
__wrap_rte_vfio_container_dma_unmap(int cfd, uint64_t va, uint64_t iova,
		uint64_t len)
{
	assert_int_equal(cfd, mock_dma.container_fd);
	assert_true(va == mock_dma.vaddr && iova == mock_dma.iova &&
		len == mock_dma.len);
	mock_dma.unmaps++;
	return 0;
}

/* Region info as vfio-fsl-mc gives it: no mmap of a container's region. */
int
__wrap_ioctl(int fd, unsigned long req, ...)
{
	struct mock_dev *d = mock_by_fd(fd);
	struct vfio_region_info *ri;
	va_list ap;
	void *arg;
	int err;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (d == NULL || req != VFIO_DEVICE_GET_REGION_INFO)
		return __real_ioctl(fd, req, arg);
	err = fault_check("region_info");
	if (err != 0) {
		errno = err;
		return -1;
	}
	ri = arg;
	ri->offset = (uint64_t)ri->index * MOCK_REGION_SIZE;
	ri->size = MOCK_REGION_SIZE;
	ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	if (strncmp(d->name, "dprc.", 5) != 0)
		ri->flags |= VFIO_REGION_INFO_FLAG_MMAP;
	return 0;
}

static void *
mock_mmap(void *(*real)(void *, size_t, int, int, int, off_t), void *a,
		size_t l, int p, int f, int fd, off_t o)
{
	void *addr;
	int err;

	if (mock_by_fd(fd) == NULL)
		return real(a, l, p, f, fd, o);
	err = fault_check("mmap");
	if (err != 0) {
		errno = err;
		return MAP_FAILED;
	}
	addr = real(a, l, p, f, fd, o);
	if (addr != MAP_FAILED)
		mock_live_maps++;
	return addr;
}

void *
__wrap_mmap(void *a, size_t l, int p, int f, int fd, off_t o)
{
	return mock_mmap(__real_mmap, a, l, p, f, fd, o);
}

void *
__wrap_mmap64(void *a, size_t l, int p, int f, int fd, off_t o)
{
	return mock_mmap(__real_mmap64, a, l, p, f, fd, o);
}

/* Only region mappings have this size in these tests. */
int
__wrap_munmap(void *a, size_t l)
{
	if (l == MOCK_REGION_SIZE && mock_live_maps > 0)
		mock_live_maps--;
	return __real_munmap(a, l);
}

/* ---- a sysfs tree as the kernel builds it ------------------------------- */

/*
 * Devices live under their container's device directory; the bus
 * directory links to each. dprc.2 holds a child container dprc.3 (with
 * its own dpni.9) and sibling container dprc.4 holds dpni.5: neither
 * belongs to dprc.2.
 */
#define MC_DIR "sys/devices/platform/80c000000.fsl-mc"

static const char *const dprc2_objects[] = {
	"dpni.1", "dpni.0", "dpbp.1", "dpio.3", "dpmcp.2", "dpmcp.1",
	"dpcon.4", "dpci.0", "dpseci.0", "dpdmux.0", "dpmac.7", "dprtc.0",
};
/* scan order: container, then by type (enum order), then by id */
static const char *const dprc2_scan_order[] = {
	"dprc.2", "dpni.0", "dpni.1", "dpio.3", "dpbp.1", "dpcon.4",
	"dpmcp.1", "dpmcp.2", "dpmac.7", "dprtc.0", "dpseci.0", "dpdmux.0",
	"dpci.0",
};

static char sysfs_root[64];

static void
mkpath(const char *rel)
{
	char path[PATH_MAX];
	char *p;

	snprintf(path, sizeof(path), "%s/%s", sysfs_root, rel);
	for (p = path + strlen(sysfs_root) + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	assert_int_equal(mkdir(path, 0755), 0);
}

static void
write_file(const char *rel, const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysfs_root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void
link_rel(const char *target, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", sysfs_root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* One device directory (dir relative to the root) and its bus link. */
static void
add_device(const char *dir, const char *name)
{
	char rel[1024], target[1024];

	mkpath(dir);
	snprintf(rel, sizeof(rel), "%s/driver_override", dir);
	write_file(rel, "vfio-fsl-mc\n");
	snprintf(rel, sizeof(rel), "%s/modalias", dir);
	write_file(rel, "fsl-mc:v00001957dobj\n");
	snprintf(rel, sizeof(rel), "%s/iommu_group", dir);
	link_rel("../../../../../kernel/iommu_groups/7", rel);
	snprintf(rel, sizeof(rel), "sys/bus/fsl-mc/devices/%s", name);
	snprintf(target, sizeof(target), "../../../../%s", dir);
	link_rel(target, rel);
}

static void
sysfs_build(void)
{
	char dir[512];
	unsigned int i;

	snprintf(sysfs_root, sizeof(sysfs_root), "/tmp/fslmc-sysfs-XXXXXX");
	assert_non_null(mkdtemp(sysfs_root));
	mkpath("sys/bus/fsl-mc/devices");
	mkpath("sys/kernel/iommu_groups/7");
	write_file("sys/bus/fsl-mc/rescan", "");
	add_device(MC_DIR "/dprc.1", "dprc.1");
	add_device(MC_DIR "/dprc.1/dprc.2", "dprc.2");
	mkpath(MC_DIR "/dprc.1/dprc.2/power");
	for (i = 0; i < RTE_DIM(dprc2_objects); i++) {
		snprintf(dir, sizeof(dir), MC_DIR "/dprc.1/dprc.2/%s",
			dprc2_objects[i]);
		add_device(dir, dprc2_objects[i]);
	}
	add_device(MC_DIR "/dprc.1/dprc.2/dprc.3", "dprc.3");
	add_device(MC_DIR "/dprc.1/dprc.2/dprc.3/dpni.9", "dpni.9");
	add_device(MC_DIR "/dprc.1/dprc.4", "dprc.4");
	add_device(MC_DIR "/dprc.1/dprc.4/dpni.5", "dpni.5");
	setenv("RTE_EAL_SYSFS_ROOT", sysfs_root, 1);
	snprintf(mock_base, sizeof(mock_base), "%s/sys/bus/fsl-mc/devices",
		sysfs_root);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void
sysfs_remove(void)
{
	if (sysfs_root[0] != '\0')
		nftw(sysfs_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	sysfs_root[0] = '\0';
	unsetenv("RTE_EAL_SYSFS_ROOT");
}

/* ---- test drivers: one per type, recording what they got --------------- */

struct test_drv {
	struct rte_dpaa2_driver drv;
	char name[32];
	unsigned int probed, removed;
	int probe_ret;
	struct rte_dpaa2_device *last;
};

static struct test_drv test_drvs[RTE_DPAA2_OBJ_MAX];

static int
test_drv_probe(struct rte_dpaa2_driver *drv, struct rte_dpaa2_device *dev)
{
	struct test_drv *t = container_of(drv, struct test_drv, drv);

	assert_int_equal(dev->obj_type, drv->obj_type);
	assert_true(dev->vfio_fd >= 0);
	assert_non_null(mock_by_fd(dev->vfio_fd));
	if (t->probe_ret != 0)
		return t->probe_ret;
	t->probed++;
	t->last = dev;
	return 0;
}

static int
test_drv_remove(struct rte_dpaa2_device *dev)
{
	struct test_drv *t = container_of(dev->driver, struct test_drv, drv);

	t->removed++;
	return 0;
}

static void
drivers_register(uint32_t flags)
{
	unsigned int t;

	for (t = RTE_DPAA2_OBJ_DPRC; t < RTE_DPAA2_OBJ_MAX; t++) {
		struct test_drv *d = &test_drvs[t];

		memset(d, 0, sizeof(*d));
		snprintf(d->name, sizeof(d->name), "test_%s",
			rte_fslmc_obj_type_name(t));
		d->drv.driver.name = d->name;
		d->drv.obj_type = t;
		d->drv.drv_flags = flags;
		d->drv.probe = test_drv_probe;
		d->drv.remove = test_drv_remove;
		rte_fslmc_driver_register(&d->drv);
	}
}

static void
drivers_unregister(void)
{
	unsigned int t;

	for (t = RTE_DPAA2_OBJ_DPRC; t < RTE_DPAA2_OBJ_MAX; t++)
		if (test_drvs[t].drv.probe != NULL)
			rte_fslmc_driver_unregister(&test_drvs[t].drv);
	memset(test_drvs, 0, sizeof(test_drvs));
}

/* ---- fixtures and helpers ----------------------------------------------- */

static struct rte_bus *bus;
static char log_buf[8192];
static FILE *log_stream;

static int
setup(void **state)
{
	(void)state;
	bus = rte_bus_find_by_name("fslmc");
	assert_non_null(bus);
	mock_reset();
	sysfs_build();
	setenv("DPRC", "dprc.2", 1);
	memset(log_buf, 0, sizeof(log_buf));
	log_stream = fmemopen(log_buf, sizeof(log_buf) - 1, "w");
	assert_non_null(log_stream);
	setvbuf(log_stream, NULL, _IONBF, 0);
	rte_openlog_stream(log_stream);
	rte_log_set_level_pattern("bus.fslmc", RTE_LOG_INFO);
	eal_iova_mode_set(RTE_IOVA_DC);
	return 0;
}

static void
assert_nothing_left(void)
{
	assert_int_equal(mock_open_count(), 0);
	assert_int_equal(mock_live_maps, 0);
}

static int
teardown(void **state)
{
	(void)state;
	bus->cleanup();
	drivers_unregister();
	/* the tree goes even when the check below fails */
	sysfs_remove();
	rte_openlog_stream(NULL);
	fclose(log_stream);
	assert_nothing_left();
	unsetenv("DPRC");
	eal_iova_mode_set(RTE_IOVA_DC);
	mock_reset();
	return 0;
}

static int
cmp_name(const struct rte_device *dev, const void *name)
{
	return strcmp(dev->name, name);
}

static int
cmp_name_any(const struct rte_device *dev, const void *unused)
{
	(void)dev; (void)unused;
	return 0;
}

static struct rte_dpaa2_device *
find_obj(const char *name)
{
	struct rte_device *d = bus->find_device(NULL, cmp_name, name);

	return d != NULL ? RTE_DEV_TO_DPAA2_DEV(d) : NULL;
}

static void
scan_ok(void)
{
	assert_int_equal(bus->scan(), 0);
}

static void
scan_probe_ok(void)
{
	scan_ok();
	assert_int_equal(bus->probe(), 0);
}

static unsigned int
devices_count(void)
{
	struct rte_device *d = NULL;
	unsigned int n = 0;

	while ((d = bus->find_device(d, cmp_name_any, NULL)) != NULL)
		n++;
	return n;
}

static void
assert_logged(const char *text)
{
	if (strstr(log_buf, text) == NULL)
		fail_msg("log lacks \"%s\"; it has:\n%s", text, log_buf);
}

static void
assert_bus_empty(void)
{
	assert_int_equal(devices_count(), 0);
	rte_errno = 0;
	assert_null(rte_fslmc_container_name());
	assert_int_equal(rte_errno, ENODEV);
}

/* ---- names -------------------------------------------------------------- */

static void
test_parse_accepts_kernel_names_only(void **state)
{
	static const char *const bad[] = {
		"", "dpni", "dpni.", "dpni.01", "dpni.-1", "dpni.+1", "dpni.1a",
		"dpni. 1", "dpfoo.1", "DPNI.1", ".1", "dpni.2147483648",
		"dpni.1.2", "0000:00:01.0",
	};
	enum rte_dpaa2_obj_type type;
	char addr[RTE_DPAA2_NAME_LEN];
	uint32_t id;
	unsigned int i;

	(void)state;
	assert_int_equal(rte_fslmc_parse_name("dpni.0", &type, &id), 0);
	assert_int_equal(type, RTE_DPAA2_OBJ_DPNI);
	assert_int_equal(id, 0);
	assert_int_equal(rte_fslmc_parse_name("dpdmux.15", &type, &id), 0);
	assert_int_equal(type, RTE_DPAA2_OBJ_DPDMUX);
	assert_int_equal(id, 15);
	assert_int_equal(rte_fslmc_parse_name("dprc.2147483647", &type, &id), 0);
	assert_int_equal(type, RTE_DPAA2_OBJ_DPRC);
	assert_int_equal(id, 2147483647);
	for (i = 0; i < RTE_DIM(bad); i++) {
		rte_errno = 0;
		if (rte_fslmc_parse_name(bad[i], NULL, NULL) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(rte_errno, EINVAL);
		assert_int_not_equal(bus->parse(bad[i], NULL), 0);
	}
	assert_int_equal(rte_fslmc_parse_name(NULL, NULL, NULL), -1);
	assert_int_equal(bus->parse("dpseci.3", addr), 0);
	assert_string_equal(addr, "dpseci.3");
	assert_null(rte_fslmc_obj_type_name(RTE_DPAA2_OBJ_UNKNOWN));
	assert_null(rte_fslmc_obj_type_name(RTE_DPAA2_OBJ_MAX));
	assert_string_equal(rte_fslmc_obj_type_name(RTE_DPAA2_OBJ_DPMCP), "dpmcp");
}

/* ---- when the bus is off ------------------------------------------------ */

static void
test_dprc_unset_disables_bus(void **state)
{
	(void)state;
	unsetenv("DPRC");
	assert_int_equal(bus->vfio_required_caps(), 0);
	scan_ok();
	assert_logged("fslmc: DPRC not set, bus disabled");
	assert_bus_empty();
	assert_int_equal(bus->get_iommu_class(), RTE_IOVA_DC);
	assert_int_equal(bus->probe(), 0);
	assert_nothing_left();
}

static void
test_dprc_not_a_container_name_disables_bus(void **state)
{
	(void)state;
	setenv("DPRC", "dpni.1", 1);
	assert_int_equal(bus->vfio_required_caps(), 0);
	scan_ok();
	assert_logged("DPRC='dpni.1' is not a container name");
	assert_bus_empty();
}

static void
test_dprc_absent_from_sysfs_disables_bus(void **state)
{
	(void)state;
	setenv("DPRC", "dprc.9", 1);
	assert_int_equal(bus->vfio_required_caps(), 0);
	scan_ok();
	assert_logged("DPRC=dprc.9 but ");
	assert_logged("/sys/bus/fsl-mc/devices/dprc.9 does not exist");
	assert_bus_empty();
}

static void
test_container_requires_vfio_groups(void **state)
{
	(void)state;
	/* asked before VFIO is enabled, and silent */
	mock_mode = RTE_VFIO_MODE_NONE;
	assert_int_equal(bus->vfio_required_caps(), RTE_VFIO_CAP_GROUPS);
	assert_string_equal(log_buf, "");
	/* combined over the buses, as VFIO mode selection asks */
	assert_int_equal(rte_bus_get_vfio_required_caps(), RTE_VFIO_CAP_GROUPS);
	unsetenv("DPRC");
	assert_int_equal(rte_bus_get_vfio_required_caps(), 0);
}

static void
test_cdev_mode_refused_with_message(void **state)
{
	(void)state;
	mock_mode = RTE_VFIO_MODE_CDEV;
	scan_ok();
	assert_logged("fslmc: VFIO is in cdev mode; the fsl-mc bus needs group mode (use --vfio-mode=group or auto)\n");
	assert_bus_empty();
	assert_int_equal(bus->get_iommu_class(), RTE_IOVA_DC);
	assert_int_equal(bus->probe(), 0);
	assert_nothing_left();
}

/* upstream's mode answer is NOIOMMU there too: the interface decides */
static void
test_noiommu_cdev_mode_refused_with_message(void **state)
{
	(void)state;
	mock_mode = RTE_VFIO_MODE_NOIOMMU;
	mock_cdev = true;
	mock_iova = RTE_IOVA_PA;
	scan_ok();
	assert_logged("fslmc: VFIO is in cdev mode; the fsl-mc bus needs group mode (use --vfio-mode=group or auto)\n");
	assert_bus_empty();
	assert_int_equal(bus->probe(), 0);
	assert_nothing_left();
}

static void
test_vfio_absent_disables_bus(void **state)
{
	(void)state;
	mock_mode = RTE_VFIO_MODE_NONE;
	scan_ok();
	assert_logged("fslmc: VFIO is not available");
	assert_bus_empty();
}

/* ---- scan --------------------------------------------------------------- */

static void
test_scan_lists_container_objects_in_order(void **state)
{
	struct rte_device *d = NULL;
	unsigned int i = 0;

	(void)state;
	scan_ok();
	while ((d = bus->find_device(d, cmp_name_any, NULL)) != NULL) {
		struct rte_dpaa2_device *dev = RTE_DEV_TO_DPAA2_DEV(d);

		assert_true(i < RTE_DIM(dprc2_scan_order));
		assert_string_equal(d->name, dprc2_scan_order[i]);
		assert_ptr_equal(d->bus, bus);
		assert_int_equal(dev->vfio_fd, -1);
		assert_null(d->driver);
		i++;
	}
	assert_int_equal(i, RTE_DIM(dprc2_scan_order));
	/* child and sibling containers and their objects are not ours */
	assert_null(find_obj("dprc.3"));
	assert_null(find_obj("dpni.9"));
	assert_null(find_obj("dpni.5"));
	assert_string_equal(rte_fslmc_container_name(), "dprc.2");
	assert_int_equal(rte_fslmc_object_count(RTE_DPAA2_OBJ_DPRC), 1);
	assert_int_equal(rte_fslmc_object_count(RTE_DPAA2_OBJ_DPNI), 2);
	assert_int_equal(rte_fslmc_object_count(RTE_DPAA2_OBJ_DPMCP), 2);
	assert_int_equal(rte_fslmc_object_count(RTE_DPAA2_OBJ_DPSW), 0);
	assert_int_equal(find_obj("dpmac.7")->object_id, 7);
	/* scanning again lists nothing twice; the scan opened nothing */
	scan_ok();
	assert_int_equal(devices_count(), RTE_DIM(dprc2_scan_order));
	assert_int_equal(mock_open_count(), 0);
}

/* ---- probe -------------------------------------------------------------- */

static void
test_probe_gives_each_type_to_its_driver(void **state)
{
	struct rte_device *d = NULL;

	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	eal_iova_mode_set(RTE_IOVA_VA);
	scan_probe_ok();
	assert_int_equal(mock_open_count(), RTE_DIM(dprc2_scan_order));
	while ((d = bus->find_device(d, cmp_name_any, NULL)) != NULL) {
		struct rte_dpaa2_device *dev = RTE_DEV_TO_DPAA2_DEV(d);
		struct mock_dev *m = mock_by_fd(dev->vfio_fd);

		assert_non_null(m);
		assert_string_equal(m->name, d->name);
		assert_int_equal(dev->num_regions,
			dev->obj_type == RTE_DPAA2_OBJ_DPNI ? 2 : 1);
		assert_int_equal(dev->num_irqs, 1);
		if (strcmp(d->name, "dpmcp.1") == 0) {
			/* the bus's own MC portal: no driver gets it */
			assert_true(dev->bus_owned);
			assert_false(rte_dev_is_probed(d));
			continue;
		}
		assert_true(rte_dev_is_probed(d));
		assert_ptr_equal(dev->driver, &test_drvs[dev->obj_type].drv);
	}
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPRC].probed, 1);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].probed, 2);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPMCP].probed, 1);
	assert_string_equal(test_drvs[RTE_DPAA2_OBJ_DPMCP].last->name, "dpmcp.2");
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPSW].probed, 0);
	assert_logged("fslmc: dprc.2: IOMMU group 7, 13 objects open, MC portal dpmcp.1");
	/* probing again changes nothing */
	assert_int_equal(bus->probe(), 0);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].probed, 2);
	assert_int_equal(mock_open_count(), RTE_DIM(dprc2_scan_order));
}

static void
test_portal_is_region0_of_first_dpmcp(void **state)
{
	struct rte_fslmc_mc_portal portal;
	const char pattern[] = "MC command";
	char back[sizeof(pattern)];

	(void)state;
	rte_errno = 0;
	assert_int_equal(rte_fslmc_get_mc_portal(&portal), -1);
	assert_int_equal(rte_errno, ENODEV);
	scan_probe_ok();
	assert_int_equal(rte_fslmc_get_mc_portal(&portal), 0);
	assert_string_equal(portal.dpmcp->name, "dpmcp.1");
	assert_int_equal(portal.len, MOCK_REGION_SIZE);
	assert_int_equal(mock_live_maps, 1);
	/* a shared mapping of the dpmcp's descriptor at region 0 */
	memcpy(portal.addr, pattern, sizeof(pattern));
	assert_int_equal(pread(portal.dpmcp->vfio_fd, back, sizeof(back), 0),
		sizeof(back));
	assert_memory_equal(back, pattern, sizeof(pattern));
	assert_int_equal(rte_fslmc_get_mc_portal(NULL), -1);
}

static void
test_region_map_honours_kernel_flags(void **state)
{
	struct rte_dpaa2_device *dprc, *dpni;
	uint64_t len = 0;
	char *addr;
	char back[4];

	(void)state;
	scan_probe_ok();
	dprc = find_obj("dprc.2");
	dpni = find_obj("dpni.0");
	/* vfio-fsl-mc never lets a container's region be mapped */
	rte_errno = 0;
	assert_null(rte_fslmc_region_map(dprc, 0, &len));
	assert_int_equal(rte_errno, ENOTSUP);
	rte_errno = 0;
	assert_null(rte_fslmc_region_map(dpni, 2, &len));
	assert_int_equal(rte_errno, EINVAL);
	assert_null(rte_fslmc_region_map(NULL, 0, &len));
	addr = rte_fslmc_region_map(dpni, 1, &len);
	assert_non_null(addr);
	assert_int_equal(len, MOCK_REGION_SIZE);
	memcpy(addr, "dpni", 4);
	assert_int_equal(pread(dpni->vfio_fd, back, 4, MOCK_REGION_SIZE), 4);
	assert_memory_equal(back, "dpni", 4);
	assert_ptr_equal(rte_fslmc_region_map(dpni, 1, NULL), addr);
	assert_int_equal(mock_live_maps, 2);
	assert_int_equal(rte_fslmc_region_unmap(dpni, 1), 0);
	assert_int_equal(mock_live_maps, 1);
	rte_errno = 0;
	assert_int_equal(rte_fslmc_region_unmap(dpni, 1), -1);
	assert_int_equal(rte_errno, ENOENT);
	/* left mapped: the cleanup in teardown must unmap it */
	assert_non_null(rte_fslmc_region_map(dpni, 0, NULL));
}

static void
test_iova_vote(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	assert_int_equal(bus->get_iommu_class(), RTE_IOVA_DC); /* not scanned */
	scan_ok();
	assert_int_equal(bus->get_iommu_class(), RTE_IOVA_VA);
	/* a driver for a type absent from the container does not count */
	test_drvs[RTE_DPAA2_OBJ_DPSW].drv.drv_flags = 0;
	assert_int_equal(bus->get_iommu_class(), RTE_IOVA_VA);
	/* one driver of a present type without VA support */
	test_drvs[RTE_DPAA2_OBJ_DPCI].drv.drv_flags = 0;
	assert_int_equal(bus->get_iommu_class(), RTE_IOVA_PA);
	test_drvs[RTE_DPAA2_OBJ_DPCI].drv.drv_flags = RTE_DPAA2_DRV_IOVA_AS_VA;
	/* no IOMMU translation */
	mock_iova = RTE_IOVA_PA;
	assert_int_equal(bus->get_iommu_class(), RTE_IOVA_PA);
}

static void
test_pa_only_driver_not_probed_with_iova_va(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	test_drvs[RTE_DPAA2_OBJ_DPNI].drv.drv_flags = 0;
	eal_iova_mode_set(RTE_IOVA_VA);
	scan_probe_ok();
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].probed, 0);
	assert_false(rte_dev_is_probed(&find_obj("dpni.0")->device));
	assert_logged("dpni.0: driver test_dpni needs IOVA as PA but the EAL uses VA");
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPBP].probed, 1);
	/* with PA it is offered */
	eal_iova_mode_set(RTE_IOVA_PA);
	assert_int_equal(bus->probe(), 0);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].probed, 2);
}

static void
test_failed_driver_probe_tries_next_driver(void **state)
{
	struct test_drv second;

	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	test_drvs[RTE_DPAA2_OBJ_DPIO].probe_ret = -EIO;
	memset(&second, 0, sizeof(second));
	second.drv.driver.name = "second_dpio";
	second.drv.obj_type = RTE_DPAA2_OBJ_DPIO;
	second.drv.probe = test_drv_probe;
	rte_fslmc_driver_register(&second.drv);
	scan_probe_ok();
	assert_logged("dpio.3: probe by driver test_dpio failed");
	assert_int_equal(second.probed, 1);
	assert_ptr_equal(find_obj("dpio.3")->driver, &second.drv);
	/* no remove op: removal just forgets the driver */
	assert_int_equal(rte_dev_remove(&find_obj("dpio.3")->device), 0);
	assert_false(rte_dev_is_probed(&find_obj("dpio.3")->device));
	rte_fslmc_driver_unregister(&second.drv);
}

static void
test_incomplete_driver_not_registered(void **state)
{
	struct rte_dpaa2_driver bad = { .obj_type = RTE_DPAA2_OBJ_DPNI };

	(void)state;
	rte_fslmc_driver_register(&bad); /* no name, no probe */
	bad.driver.name = "bad";
	rte_fslmc_driver_register(&bad); /* no probe */
	bad.probe = test_drv_probe;
	bad.obj_type = RTE_DPAA2_OBJ_UNKNOWN;
	rte_fslmc_driver_register(&bad);
	assert_logged("driver bad lacks a name, a probe or an object type");
	scan_probe_ok();
	assert_false(rte_dev_is_probed(&find_obj("dpni.0")->device));
}

static void
test_blocked_object_not_probed(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	assert_int_equal(rte_devargs_add(RTE_DEV_BLOCKED, "fslmc:dpni.1"), 0);
	scan_probe_ok();
	assert_false(rte_dev_is_probed(&find_obj("dpni.1")->device));
	assert_true(rte_dev_is_probed(&find_obj("dpni.0")->device));
	/* still open: the bus owns the whole group */
	assert_true(find_obj("dpni.1")->vfio_fd >= 0);
	rte_devargs_clear();
}

static void
test_object_with_unknown_device_argument_not_probed(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	/* the test drivers read no key at all */
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "fslmc:dpni.1,x=1"), 0);
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "fslmc:dpni.0"), 0);
	scan_probe_ok();
	assert_false(rte_dev_is_probed(&find_obj("dpni.1")->device));
	assert_true(rte_dev_is_probed(&find_obj("dpni.0")->device));
	assert_logged("dpni.1: unknown device argument 'x' for driver");
	rte_devargs_clear();
}

static void
test_unplug_then_plug(void **state)
{
	struct rte_dpaa2_device *dev;

	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	scan_probe_ok();
	dev = find_obj("dpbp.1");
	assert_int_equal(rte_dev_remove(&dev->device), 0);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPBP].removed, 1);
	assert_false(rte_dev_is_probed(&dev->device));
	assert_true(dev->vfio_fd >= 0);
	rte_errno = 0;
	assert_int_equal(rte_dev_remove(&dev->device), -1);
	assert_int_equal(rte_errno, ENOENT);
	assert_int_equal(bus->plug(&dev->device), 0);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPBP].probed, 2);
	assert_true(rte_dev_is_probed(&dev->device));
}

static void
test_cleanup_releases_objects_then_container(void **state)
{
	unsigned int t;

	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	scan_probe_ok();
	assert_non_null(rte_fslmc_region_map(find_obj("dpni.1"), 1, NULL));
	assert_int_equal(bus->cleanup(), 0);
	for (t = RTE_DPAA2_OBJ_DPRC; t < RTE_DPAA2_OBJ_MAX; t++)
		assert_int_equal(test_drvs[t].removed, test_drvs[t].probed);
	assert_string_equal(mock_last_release, "dprc.2");
	assert_nothing_left();
	assert_bus_empty();
	/* and the bus comes back */
	scan_probe_ok();
	assert_int_equal(mock_open_count(), RTE_DIM(dprc2_scan_order));
}

static void
test_unbound_object_skipped(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	snprintf(mock_unbound, sizeof(mock_unbound), "dpbp.1");
	scan_probe_ok();
	assert_logged("dpbp.1: not usable through VFIO, skipped");
	assert_int_equal(find_obj("dpbp.1")->vfio_fd, -1);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPBP].probed, 0);
	assert_int_equal(mock_open_count(), RTE_DIM(dprc2_scan_order) - 1);
}

static void
test_no_dpmcp_means_no_portal(void **state)
{
	(void)state;
	snprintf(mock_unbound, sizeof(mock_unbound), "dpmcp.");
	scan_ok();
	rte_errno = 0;
	assert_int_equal(bus->probe(), -1);
	assert_int_equal(rte_errno, ENODEV);
	assert_logged("dprc.2: no usable dpmcp object, so no MC command portal");
	assert_nothing_left();
}

/* A failure at each VFIO step: probe fails with its errno, nothing stays. */
static const struct vfio_fault {
	const char *fn;
	unsigned int nth;
	int err;
	int rte_err;
} vfio_faults[] = {
	{ "setup_device", 1, EIO, EIO },       /* the container */
	{ "setup_device", 2, EACCES, EACCES }, /* first object */
	{ "setup_device", 13, ENOSPC, ENOSPC }, /* last object */
	{ "get_device_info", 1, EIO, EIO },
	{ "get_device_info", 7, EIO, EIO },
	{ "not_fsl_mc", 1, 1, ENODEV },        /* container not vfio-fsl-mc */
	{ "region_info", 1, ENOTTY, EIO },
	{ "mmap", 1, ENOMEM, ENOMEM },
	{ "mmap", 1, EINVAL, ENOMEM },
};

static void
test_fault_at_each_vfio_step_leaves_nothing(void **state)
{
	struct rte_fslmc_mc_portal portal;
	unsigned int i;

	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	scan_ok();
	for (i = 0; i < RTE_DIM(vfio_faults); i++) {
		const struct vfio_fault *f = &vfio_faults[i];

		fault_reset();
		fault_arm(f->fn, f->nth, f->err);
		rte_errno = 0;
		if (bus->probe() != -1)
			fail_msg("probe survived %s #%u", f->fn, f->nth);
		assert_int_equal(rte_errno, f->rte_err);
		assert_nothing_left();
		assert_int_equal(rte_fslmc_get_mc_portal(&portal), -1);
		assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPRC].probed, 0);
		assert_int_equal(find_obj("dpni.0")->vfio_fd, -1);
		assert_int_equal(find_obj("dpni.0")->num_regions, 0);
	}
	/* the same bus then probes normally */
	fault_reset();
	assert_int_equal(bus->probe(), 0);
	assert_int_equal(mock_open_count(), RTE_DIM(dprc2_scan_order));
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].probed, 2);
}

static void
test_dma_map_goes_to_default_container(void **state)
{
	(void)state;
	rte_errno = 0;
	assert_int_equal(rte_fslmc_dma_map(0x10000, 0x20000, 0x1000), -1);
	assert_int_equal(rte_errno, ENODEV);
	assert_int_equal(mock_dma.maps, 0);
	scan_probe_ok();
	mock_dma.container_fd = 99;
	assert_int_equal(rte_fslmc_dma_map(0x10000, 0x20000, 0x1000), 0);
	assert_int_equal(mock_dma.container_fd, RTE_VFIO_DEFAULT_CONTAINER_FD);
	assert_true(mock_dma.vaddr == 0x10000 && mock_dma.iova == 0x20000 &&
		mock_dma.len == 0x1000);
	assert_int_equal(rte_fslmc_dma_unmap(0x10000, 0x20000, 0x1000), 0);
	assert_int_equal(mock_dma.unmaps, 1);
}

/* ---- through rte_eal_init ----------------------------------------------- */

static int
eal_start(const char *extra)
{
	char *argv[] = { (char *)(uintptr_t)"unit",
		(char *)(uintptr_t)"--in-memory", (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)extra, NULL };

	return rte_eal_init(extra != NULL ? 4 : 3, argv);
}

static void
test_eal_init_probes_container(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	assert_true(eal_start("--block=fslmc:dpni.0") >= 0);
	assert_int_equal(rte_eal_iova_mode(), RTE_IOVA_VA);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].probed, 1);
	assert_string_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].last->name, "dpni.1");
	assert_int_equal(mock_open_count(), RTE_DIM(dprc2_scan_order));
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].removed, 1);
	assert_nothing_left();
	assert_bus_empty();
}

static void
test_eal_init_votes_pa_without_iommu(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	mock_mode = RTE_VFIO_MODE_NOIOMMU;
	mock_iova = RTE_IOVA_PA;
	assert_true(eal_start(NULL) >= 0);
	assert_int_equal(rte_eal_iova_mode(), RTE_IOVA_PA);
	assert_int_equal(test_drvs[RTE_DPAA2_OBJ_DPNI].probed, 2);
	assert_int_equal(rte_eal_cleanup(), 0);
	assert_nothing_left();
}

static void
test_eal_init_in_cdev_mode_continues_without_bus(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	mock_mode = RTE_VFIO_MODE_CDEV;
	assert_true(eal_start(NULL) >= 0);
	assert_logged("fslmc: VFIO is in cdev mode; the fsl-mc bus needs group mode (use --vfio-mode=group or auto)");
	assert_bus_empty();
	assert_int_equal(mock_open_count(), 0);
	assert_int_equal(rte_eal_cleanup(), 0);
}

static void
test_eal_init_fails_cleanly_when_container_cannot_open(void **state)
{
	(void)state;
	drivers_register(RTE_DPAA2_DRV_IOVA_AS_VA);
	fault_arm("setup_device", 4, EIO);
	rte_errno = 0;
	assert_int_equal(eal_start(NULL), -1);
	assert_nothing_left();
	assert_bus_empty();
	/* and EAL starts once the cause is gone */
	assert_true(eal_start(NULL) >= 0);
	assert_int_equal(rte_eal_cleanup(), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_accepts_kernel_names_only),
		T(test_dprc_unset_disables_bus),
		T(test_dprc_not_a_container_name_disables_bus),
		T(test_dprc_absent_from_sysfs_disables_bus),
		T(test_container_requires_vfio_groups),
		T(test_cdev_mode_refused_with_message),
		T(test_noiommu_cdev_mode_refused_with_message),
		T(test_vfio_absent_disables_bus),
		T(test_scan_lists_container_objects_in_order),
		T(test_probe_gives_each_type_to_its_driver),
		T(test_portal_is_region0_of_first_dpmcp),
		T(test_region_map_honours_kernel_flags),
		T(test_iova_vote),
		T(test_pa_only_driver_not_probed_with_iova_va),
		T(test_failed_driver_probe_tries_next_driver),
		T(test_incomplete_driver_not_registered),
		T(test_blocked_object_not_probed),
		T(test_object_with_unknown_device_argument_not_probed),
		T(test_unplug_then_plug),
		T(test_cleanup_releases_objects_then_container),
		T(test_unbound_object_skipped),
		T(test_no_dpmcp_means_no_portal),
		T(test_fault_at_each_vfio_step_leaves_nothing),
		T(test_dma_map_goes_to_default_container),
		T(test_eal_init_probes_container),
		T(test_eal_init_votes_pa_without_iommu),
		T(test_eal_init_in_cdev_mode_continues_without_bus),
		T(test_eal_init_fails_cleanly_when_container_cannot_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
