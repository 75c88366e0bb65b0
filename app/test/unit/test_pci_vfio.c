/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Mapping a PCI device through VFIO, against a model of a vfio-pci device:
 * the device fd is a memfd whose regions sit at fixed offsets (so pread,
 * pwrite and mmap on it really work), and the VFIO ioctls on it are
 * answered here (region info with capability chains, IRQ info, SET_IRQS,
 * RESET). rte_vfio_setup/release_device, interrupt callback registration
 * and alarms are wrapped so that the request notifier can be fired by hand.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_file.h"

#include <linux/vfio.h>

#include <rte_alarm.h>
#include <rte_bus.h>
#include <rte_errno.h>
#include <rte_interrupts.h>
#include <rte_memzone.h>
#include <rte_vfio.h>

#include <bus_pci_driver.h>

#include "eal_internal_cfg.h"
#include "fault.h"

#define DEV_NAME "0000:00:03.0"
#define MEMFD_NAME "unit-vfio-dev"
#define REGION_STRIDE 0x100000u /* region i at offset i * stride in the fd */
#define BAR0_SIZE 0x100000u
#define BAR2_SIZE 0x10000u
#define BAR4_SIZE 0x4000u
#define CONFIG_SIZE 256u
#define MSIX_TABLE_OFF 0x2000u
#define MSIX_VECTORS 8u

/* ---- the device model ------------------------------------------------------ */

static struct model {
	int fd;               /* memfd standing for the VFIO device fd */
	int open;             /* setup_device minus release_device */
	int releases;
	uint32_t info_flags;  /* VFIO_DEVICE_GET_INFO flags */
	uint32_t msix_count;  /* MSI-X vectors offered (0: none) */
	uint32_t req_count;   /* request notifier offered (0/1) */
	int msix_mappable;    /* report VFIO_REGION_INFO_CAP_MSIX_MAPPABLE */
	int resets;
	int set_irqs_calls;
	int set_irqs_err;     /* the next SET_IRQS fails with it (0: none) */
	struct {
		uint32_t index, flags, count;
	} last_set;               /* last VFIO_DEVICE_SET_IRQS */
	int last_set_fd;
	int req_armed;        /* an eventfd is set on the REQ index */
	unsigned int nb_maps; /* MAP_FIXED mappings of the device fd */
	uint64_t map_off[16];
	uint64_t map_len[16];
} m;

static uint64_t
region_size(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX: return BAR0_SIZE;
	case VFIO_PCI_BAR2_REGION_INDEX: return BAR2_SIZE;
	case VFIO_PCI_BAR4_REGION_INDEX: return BAR4_SIZE;
	case VFIO_PCI_CONFIG_REGION_INDEX: return CONFIG_SIZE;
	default: return 0;
	}
}

static void
model_config_init(void)
{
	uint8_t c[CONFIG_SIZE];
	uint32_t table = MSIX_TABLE_OFF | 0; /* BIR 0 */
	uint16_t ctrl = MSIX_VECTORS - 1;

	memset(c, 0, sizeof(c));
	c[0] = 0x34; c[1] = 0x12; c[2] = 0xe8; c[3] = 0x11;
	c[4] = 0x02;          /* command: memory space */
	c[6] = 0x10;          /* status: capability list */
	c[0x0b] = 0x77;       /* class differs from the sysfs copy */
	c[0x34] = 0x40;       /* first capability */
	c[0x40] = 0x11;       /* MSI-X */
	c[0x41] = 0x00;       /* last */
	memcpy(&c[0x42], &ctrl, 2);
	memcpy(&c[0x44], &table, 4);
	assert_int_equal(pwrite(m.fd, c, sizeof(c),
		VFIO_PCI_CONFIG_REGION_INDEX * REGION_STRIDE), (ssize_t)sizeof(c));
}

static uint16_t
model_command(void)
{
	uint16_t cmd;

	assert_int_equal(pread(m.fd, &cmd, 2,
		VFIO_PCI_CONFIG_REGION_INDEX * REGION_STRIDE + 4), 2);
	return cmd;
}

static int
region_info(struct vfio_region_info *info)
{
	/* the capability and its two areas, laid out as the kernel does */
	uint64_t sparse_buf[(sizeof(struct vfio_region_info_cap_sparse_mmap) +
		2 * sizeof(struct vfio_region_sparse_mmap_area)) / 8];
	struct vfio_region_info_cap_sparse_mmap *sparse = (void *)sparse_buf;
	struct vfio_info_cap_header mappable = { VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 1, 0 };
	const void *cap = NULL;
	size_t cap_len = 0;
	unsigned int index = info->index;

	if (index >= VFIO_PCI_NUM_REGIONS) {
		errno = EINVAL;
		return -1;
	}
	if (fault_check("region_info") != 0 ||
			(index == VFIO_PCI_BAR2_REGION_INDEX &&
			fault_check("bar2_info") != 0)) {
		errno = EFAULT;
		return -1;
	}
	info->flags = region_size(index) != 0 ?
		VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE : 0;
	info->size = region_size(index);
	info->offset = (uint64_t)index * REGION_STRIDE;
	info->cap_offset = 0;
	if (index == VFIO_PCI_BAR0_REGION_INDEX || index == VFIO_PCI_BAR2_REGION_INDEX)
		info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
	if (index == VFIO_PCI_BAR2_REGION_INDEX) {
		memset(sparse_buf, 0, sizeof(sparse_buf));
		sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		sparse->header.version = 1;
		sparse->nr_areas = 2;
		sparse->areas[0].offset = 0;
		sparse->areas[0].size = 0x1000;
		sparse->areas[1].offset = 0x3000;
		sparse->areas[1].size = 0x2000;
		cap = sparse_buf;
		cap_len = sizeof(sparse_buf);
	} else if (index == VFIO_PCI_BAR0_REGION_INDEX && m.msix_mappable) {
		cap = &mappable;
		cap_len = sizeof(mappable);
	}
	if (cap == NULL)
		return 0;
	info->flags |= VFIO_REGION_INFO_FLAG_CAPS;
	if (info->argsz < sizeof(*info) + cap_len) {
		info->argsz = sizeof(*info) + cap_len;
		return 0;
	}
	info->cap_offset = sizeof(*info);
	memcpy((uint8_t *)info + sizeof(*info), cap, cap_len);
	return 0;
}

static int
irq_info(struct vfio_irq_info *info)
{
	static const uint32_t base[] = { 1, 1, 0, 0, 0 };

	if (info->index >= VFIO_PCI_NUM_IRQS) {
		errno = EINVAL;
		return -1;
	}
	info->count = base[info->index];
	if (info->index == VFIO_PCI_MSIX_IRQ_INDEX)
		info->count = m.msix_count;
	if (info->index == VFIO_PCI_REQ_IRQ_INDEX)
		info->count = m.req_count;
	info->flags = VFIO_IRQ_INFO_EVENTFD;
	if (info->index == VFIO_PCI_INTX_IRQ_INDEX)
		info->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	return 0;
}

static int
set_irqs(const struct vfio_irq_set *set)
{
	int fd = -1;

	if (fault_check("set_irqs") != 0) {
		errno = EINVAL;
		return -1;
	}
	if ((set->flags & VFIO_IRQ_SET_DATA_EVENTFD) != 0) {
		assert_true(set->count > 0);
		assert_true(set->argsz >= sizeof(*set) + sizeof(int) * set->count);
		memcpy(&fd, set->data, sizeof(fd));
	}
	m.set_irqs_calls++;
	if (m.set_irqs_err != 0) {
		errno = m.set_irqs_err;
		m.set_irqs_err = 0;
		return -1;
	}
	m.last_set.index = set->index;
	m.last_set.flags = set->flags;
	m.last_set.count = set->count;
	m.last_set_fd = fd;
	if (set->index == VFIO_PCI_REQ_IRQ_INDEX &&
			(set->flags & VFIO_IRQ_SET_ACTION_TRIGGER) != 0)
		m.req_armed = fd >= 0;
	return 0;
}

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

int
__wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != m.fd || m.fd < 0)
		return __real_ioctl(fd, req, arg);
	switch (req) {
	case VFIO_DEVICE_GET_REGION_INFO: return region_info(arg);
	case VFIO_DEVICE_GET_IRQ_INFO: return irq_info(arg);
	case VFIO_DEVICE_SET_IRQS: return set_irqs(arg);
	case VFIO_DEVICE_RESET: m.resets++; return 0;
	default: errno = ENOTTY; return -1;
	}
}

void *__real_mmap(void *a, size_t l, int p, int f, int fd, off_t o);
void *__wrap_mmap(void *a, size_t l, int p, int f, int fd, off_t o);
void *__real_mmap64(void *a, size_t l, int p, int f, int fd, off_t o);
void *__wrap_mmap64(void *a, size_t l, int p, int f, int fd, off_t o);

static void
record_map(int fd, size_t len, off_t off)
{
	if (fd != m.fd || m.fd < 0 || m.nb_maps >= RTE_DIM(m.map_off))
		return;
	m.map_off[m.nb_maps] = (uint64_t)off;
	m.map_len[m.nb_maps++] = len;
}

void *
__wrap_mmap(void *a, size_t l, int p, int f, int fd, off_t o)
{
	record_map(fd, l, o);
	return __real_mmap(a, l, p, f, fd, o);
}

void *
__wrap_mmap64(void *a, size_t l, int p, int f, int fd, off_t o)
{
	record_map(fd, l, o);
	return __real_mmap64(a, l, p, f, fd, o);
}

/*
 * Memzones without EAL memory: one zone is enough for one device (the
 * primary publishes its BAR addresses there for secondaries).
 */
static struct {
	struct rte_memzone mz;
	uint64_t data[64];
	bool used;
} zone;

const struct rte_memzone *__wrap_rte_memzone_reserve(const char *name,
	size_t len, int socket_id, unsigned int flags);
const struct rte_memzone *__wrap_rte_memzone_lookup(const char *name);
int __wrap_rte_memzone_free(const struct rte_memzone *mz);

const struct rte_memzone *
__wrap_rte_memzone_reserve(const char *name, size_t len, int socket_id,
		unsigned int flags)
{
	if (zone.used || len > sizeof(zone.data)) {
		rte_errno = zone.used ? EEXIST : ENOMEM;
		return NULL;
	}
	memset(&zone, 0, sizeof(zone));
	snprintf(zone.mz.name, sizeof(zone.mz.name), "%s", name);
	zone.mz.addr = zone.data;
	zone.mz.len = len;
	zone.used = true;
	return &zone.mz;
}

const struct rte_memzone *
__wrap_rte_memzone_lookup(const char *name)
{
	return zone.used && strcmp(zone.mz.name, name) == 0 ? &zone.mz : NULL;
}

int
__wrap_rte_memzone_free(const struct rte_memzone *mz)
{
	assert_ptr_equal(mz, &zone.mz);
	zone.used = false;
	return 0;
}

int __wrap_rte_vfio_setup_device(const char *b, const char *a, int *fd);
int __wrap_rte_vfio_release_device(const char *b, const char *a, int fd);
int __wrap_rte_vfio_get_device_info(int fd, struct vfio_device_info *info);
enum rte_iova_mode __wrap_rte_vfio_get_iova_mode(void);

int
__wrap_rte_vfio_setup_device(const char *b, const char *a, int *fd)
{
	if (strcmp(a, DEV_NAME) != 0) {
		rte_errno = ENODEV;
		return -1;
	}
	*fd = m.fd;
	m.open++;
	return 0;
}

int
__wrap_rte_vfio_release_device(const char *b, const char *a, int fd)
{
	assert_int_equal(fd, m.fd);
	m.open--;
	m.releases++;
	return 0;
}

int
__wrap_rte_vfio_get_device_info(int fd, struct vfio_device_info *info)
{
	assert_int_equal(fd, m.fd);
	info->argsz = sizeof(*info);
	info->flags = m.info_flags;
	info->num_regions = VFIO_PCI_NUM_REGIONS;
	info->num_irqs = VFIO_PCI_NUM_IRQS;
	return 0;
}

enum rte_iova_mode
__wrap_rte_vfio_get_iova_mode(void)
{
	return RTE_IOVA_VA;
}

/* Interrupt callbacks and alarms: recorded, fired by the tests. */
static struct {
	rte_intr_callback_fn cb;
	void *arg;
	int registered;
} req_cb;
static struct {
	rte_eal_alarm_callback cb;
	void *arg;
} pending_alarm;

int __wrap_rte_intr_callback_register(const struct rte_intr_handle *h,
		rte_intr_callback_fn cb, void *arg);
int __wrap_rte_intr_callback_unregister(const struct rte_intr_handle *h,
		rte_intr_callback_fn cb, void *arg);
int __wrap_rte_intr_callback_unregister_sync(const struct rte_intr_handle *h,
		rte_intr_callback_fn cb, void *arg);
int __wrap_rte_eal_alarm_set(uint64_t us, rte_eal_alarm_callback cb, void *arg);
int __wrap_rte_eal_alarm_cancel(rte_eal_alarm_callback cb, void *arg);

int
__wrap_rte_intr_callback_register(const struct rte_intr_handle *h,
		rte_intr_callback_fn cb, void *arg)
{
	if (rte_intr_type_get(h) == RTE_INTR_HANDLE_VFIO_REQ) {
		req_cb.cb = cb;
		req_cb.arg = arg;
		req_cb.registered++;
	}
	return 0;
}

int
__wrap_rte_intr_callback_unregister(const struct rte_intr_handle *h,
		rte_intr_callback_fn cb, void *arg)
{
	if (rte_intr_type_get(h) == RTE_INTR_HANDLE_VFIO_REQ)
		req_cb.registered--;
	return 1;
}

int
__wrap_rte_intr_callback_unregister_sync(const struct rte_intr_handle *h,
		rte_intr_callback_fn cb, void *arg)
{
	return __wrap_rte_intr_callback_unregister(h, cb, arg);
}

int
__wrap_rte_eal_alarm_set(uint64_t us, rte_eal_alarm_callback cb, void *arg)
{
	pending_alarm.cb = cb;
	pending_alarm.arg = arg;
	return 0;
}

int
__wrap_rte_eal_alarm_cancel(rte_eal_alarm_callback cb, void *arg)
{
	if (pending_alarm.cb == cb && pending_alarm.arg == arg)
		pending_alarm.cb = NULL;
	return 0;
}

/* ---- sysfs: one device on vfio-pci ------------------------------------------- */

static char root[64];

static int
group_setup(void **state)
{
	static const char res[] =
		"0x00000000fea00000 0x00000000feafffff 0x0000000000040200\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x00000000feb00000 0x00000000feb0ffff 0x0000000000040200\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x00000000feb10000 0x00000000feb13fff 0x0000000000040200\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
	uint8_t config[CONFIG_SIZE] = { 0x34, 0x12, 0xe8, 0x11 };
	char dir[128], link[160];

	snprintf(root, sizeof(root), "/tmp/unit-pcivfio-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/%s", root, DEV_NAME);
	assert_int_equal(mkdir(dir, 0755), 0);
	unit_write_file(dir, "vendor", "0x1234\n", 7);
	unit_write_file(dir, "device", "0x11e8\n", 7);
	unit_write_file(dir, "subsystem_vendor", "0x1af4\n", 7);
	unit_write_file(dir, "subsystem_device", "0x1100\n", 7);
	unit_write_file(dir, "class", "0x00ff00\n", 9);
	unit_write_file(dir, "resource", res, sizeof(res) - 1);
	unit_write_file(dir, "config", config, sizeof(config));
	snprintf(link, sizeof(link), "%s/driver", dir);
	assert_int_equal(symlink("../../../bus/pci/drivers/vfio-pci", link), 0);
	setenv("SYSFS_PCI_DEVICES", root, 1);
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* ---- helpers ------------------------------------------------------------------ */

static struct rte_bus *
pci(void)
{
	return rte_bus_find_by_name("pci");
}

static int
cmp_name(const struct rte_device *dev, const void *name)
{
	return strcmp(dev->name, name);
}

static struct rte_pci_device *
dev_get(void)
{
	struct rte_device *d = pci()->find_device(NULL, cmp_name, DEV_NAME);

	return d != NULL ? RTE_DEV_TO_PCI(d) : NULL;
}

static unsigned int
count_fds(void)
{
	unsigned int n = 0;
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Mappings of the device memfd in /proc/self/maps. */
static unsigned int
count_dev_maps(void)
{
	char line[512];
	unsigned int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, MEMFD_NAME) != NULL;
	fclose(f);
	return n;
}

static unsigned int fds_before;

static int
setup(void **state)
{
	struct internal_config *cfg = eal_get_internal_configuration();

	fault_reset();
	memset(&m, 0, sizeof(m));
	memset(&req_cb, 0, sizeof(req_cb));
	memset(&pending_alarm, 0, sizeof(pending_alarm));
	m.fd = memfd_create(MEMFD_NAME, MFD_CLOEXEC);
	assert_true(m.fd >= 0);
	assert_int_equal(ftruncate(m.fd, VFIO_PCI_NUM_REGIONS * REGION_STRIDE), 0);
	m.info_flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	m.msix_count = MSIX_VECTORS;
	m.req_count = 1;
	model_config_init();
	cfg->process_type = RTE_PROC_PRIMARY;
	cfg->vfio_intr_mode = RTE_INTR_MODE_NONE;
	fds_before = count_fds();
	assert_int_equal(pci()->scan(), 0);
	assert_non_null(dev_get());
	return 0;
}

static int
teardown(void **state)
{
	rte_bus_cleanup();
	assert_int_equal(m.open, 0);
	close(m.fd);
	m.fd = -1;
	return 0;
}

static int
map_off_len_seen(uint64_t off, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < m.nb_maps; i++)
		if (m.map_off[i] == off && m.map_len[i] == len)
			return 1;
	return 0;
}

static void
assert_nothing_left(struct rte_pci_device *dev)
{
	unsigned int i;

	assert_int_equal(m.open, 0);
	assert_null(dev->vfio);
	assert_null(dev->intr_handle);
	assert_null(dev->vfio_req_intr_handle);
	for (i = 0; i < PCI_MAX_RESOURCE; i++)
		assert_null(dev->mem_resource[i].addr);
	assert_int_equal(count_dev_maps(), 0);
	/* the memfd itself is the only descriptor the model added */
	assert_int_equal(count_fds(), fds_before);
}

/* ---- tests ------------------------------------------------------------------------ */

static void
test_map_skips_msix_table_and_sparse_holes(void **state)
{
	struct rte_pci_device *dev = dev_get();
	volatile uint32_t *bar0, *bar2;
	uint32_t v;

	assert_int_equal(rte_pci_map_device(dev), 0);
	/* BAR0 around the MSI-X table page; BAR2 only its sparse areas */
	assert_int_equal(m.nb_maps, 4);
	assert_true(map_off_len_seen(0, MSIX_TABLE_OFF));
	assert_true(map_off_len_seen(MSIX_TABLE_OFF + 0x1000,
		BAR0_SIZE - MSIX_TABLE_OFF - 0x1000));
	assert_true(map_off_len_seen(2 * REGION_STRIDE, 0x1000));
	assert_true(map_off_len_seen(2 * REGION_STRIDE + 0x3000, 0x2000));
	/* BAR4 is not mmappable, absent BARs stay unmapped */
	assert_null(dev->mem_resource[4].addr);
	assert_null(dev->mem_resource[1].addr);
	/* the mappings reach the device */
	bar0 = dev->mem_resource[0].addr;
	bar2 = dev->mem_resource[2].addr;
	assert_non_null(bar0);
	assert_non_null(bar2);
	bar0[0x10 / 4] = 0xfeedc0de;
	assert_int_equal(pread(m.fd, &v, 4, 0x10), 4);
	assert_int_equal(v, 0xfeedc0de);
	bar2[0x3004 / 4] = 0x600dcafe;
	assert_int_equal(pread(m.fd, &v, 4, 2 * REGION_STRIDE + 0x3004), 4);
	assert_int_equal(v, 0x600dcafe);
	assert_int_equal(rte_pci_vfio_dev_fd(dev), m.fd);
	rte_pci_unmap_device(dev);
	assert_nothing_left(dev);
	assert_int_equal(m.releases, 1);
}

static void
test_msix_mappable_bar_is_mapped_whole(void **state)
{
	struct rte_pci_device *dev = dev_get();

	m.msix_mappable = 1;
	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_true(map_off_len_seen(0, BAR0_SIZE));
	rte_pci_unmap_device(dev);
	assert_nothing_left(dev);
}

static void
test_config_space_goes_through_the_device_fd(void **state)
{
	struct rte_pci_device *dev = dev_get();
	uint8_t class_hi;
	uint32_t v = 0xa5a5a5a5;

	/* before mapping: the sysfs copy (class byte 0) */
	assert_int_equal(rte_pci_read_config(dev, &class_hi, 1, 0x0b), 1);
	assert_int_equal(class_hi, 0);
	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_int_equal(rte_pci_read_config(dev, &class_hi, 1, 0x0b), 1);
	assert_int_equal(class_hi, 0x77);
	assert_int_equal(rte_pci_write_config(dev, &v, 4, 0x80), 4);
	v = 0;
	assert_int_equal(pread(m.fd, &v, 4,
		VFIO_PCI_CONFIG_REGION_INDEX * REGION_STRIDE + 0x80), 4);
	assert_int_equal(v, 0xa5a5a5a5);
	rte_errno = 0;
	assert_int_equal(rte_pci_read_config(dev, &v, 4, CONFIG_SIZE - 2), -1);
	assert_int_equal(rte_errno, EINVAL);
	rte_pci_unmap_device(dev);
}

static void
test_map_resets_and_enables_bus_master_unmap_disables(void **state)
{
	struct rte_pci_device *dev = dev_get();

	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_int_equal(m.resets, 1);
	assert_int_equal(model_command() & 0x4, 0x4);
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(dev), -1);
	assert_int_equal(rte_errno, EEXIST);
	rte_pci_unmap_device(dev);
	assert_int_equal(model_command() & 0x4, 0);
	assert_nothing_left(dev);
}

static void
test_no_reset_when_the_device_cannot(void **state)
{
	struct rte_pci_device *dev = dev_get();

	m.info_flags = VFIO_DEVICE_FLAGS_PCI;
	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_int_equal(m.resets, 0);
	rte_pci_unmap_device(dev);
}

static void
test_not_a_pci_device_is_refused(void **state)
{
	struct rte_pci_device *dev = dev_get();

	m.info_flags = VFIO_DEVICE_FLAGS_PLATFORM;
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(dev), -1);
	assert_int_equal(rte_errno, EIO);
	assert_nothing_left(dev);
	assert_int_equal(m.releases, 1);
}

static void
test_default_interrupt_mode_is_the_best_offered(void **state)
{
	struct rte_pci_device *dev = dev_get();

	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_int_equal(rte_intr_type_get(dev->intr_handle),
		RTE_INTR_HANDLE_VFIO_MSIX);
	rte_pci_unmap_device(dev);
	m.msix_count = 0;
	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_int_equal(rte_intr_type_get(dev->intr_handle),
		RTE_INTR_HANDLE_VFIO_MSI);
	assert_int_equal(rte_intr_dev_fd_get(dev->intr_handle), m.fd);
	rte_pci_unmap_device(dev);
	assert_nothing_left(dev);
}

static void
test_forced_interrupt_mode(void **state)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	struct rte_pci_device *dev = dev_get();

	cfg->vfio_intr_mode = RTE_INTR_MODE_LEGACY;
	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_int_equal(rte_intr_type_get(dev->intr_handle),
		RTE_INTR_HANDLE_VFIO_LEGACY);
	rte_pci_unmap_device(dev);
	/* MSI-X forced on a device without it: refused, nothing left */
	cfg->vfio_intr_mode = RTE_INTR_MODE_MSIX;
	m.msix_count = 0;
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(dev), -1);
	assert_int_equal(rte_errno, ENOTSUP);
	assert_nothing_left(dev);
}

static void
test_intr_enable_and_disable_program_the_eventfd(void **state)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	struct rte_pci_device *dev = dev_get();
	int calls;

	m.msix_count = 0;
	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_int_equal(rte_intr_enable(dev->intr_handle), 0);
	assert_int_equal(m.last_set.index, VFIO_PCI_MSI_IRQ_INDEX);
	assert_int_equal(m.last_set.flags,
		VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER);
	assert_int_equal(m.last_set.count, 1);
	assert_int_equal(m.last_set_fd, rte_intr_fd_get(dev->intr_handle));
	assert_int_equal(rte_intr_disable(dev->intr_handle), 0);
	assert_int_equal(m.last_set.flags,
		VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER);
	assert_int_equal(m.last_set.count, 0);
	/* the kernel's EINVAL: this index is not the one enabled (a
	 * secondary or the removal turned it off already): nothing to do
	 */
	m.set_irqs_err = EINVAL;
	assert_int_equal(rte_intr_disable(dev->intr_handle), 0);
	m.set_irqs_err = EIO;
	assert_int_equal(rte_intr_disable(dev->intr_handle), -1);
	rte_pci_unmap_device(dev);
	/* INTx: trigger, then unmask */
	cfg->vfio_intr_mode = RTE_INTR_MODE_LEGACY;
	assert_int_equal(rte_pci_map_device(dev), 0);
	calls = m.set_irqs_calls;
	assert_int_equal(rte_intr_enable(dev->intr_handle), 0);
	assert_int_equal(m.set_irqs_calls, calls + 2);
	assert_int_equal(m.last_set.index, VFIO_PCI_INTX_IRQ_INDEX);
	assert_int_equal(m.last_set.flags,
		VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK);
	rte_pci_unmap_device(dev);
	assert_nothing_left(dev);
}

static void
test_region_info_failure_undoes_everything(void **state)
{
	struct rte_pci_device *dev = dev_get();

	fault_arm("bar2_info", 1, EFAULT);
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(dev), -1);
	assert_int_equal(rte_errno, EIO);
	assert_nothing_left(dev);
	assert_int_equal(m.releases, 1);
}

static void
test_request_notifier_arm_failure_undoes_everything(void **state)
{
	struct rte_pci_device *dev = dev_get();

	fault_arm("set_irqs", 1, EINVAL);
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(dev), -1);
	assert_int_equal(rte_errno, EIO);
	assert_int_equal(req_cb.registered, 0);
	assert_nothing_left(dev);
}

/* A driver that supports hot-unplug. */
static unsigned int drv_removed;

static int
rmv_probe(struct rte_pci_driver *drv, struct rte_pci_device *dev)
{
	return 0;
}

static int
rmv_remove(struct rte_pci_device *dev)
{
	drv_removed++;
	return 0;
}

static const struct rte_pci_id rmv_ids[] = {
	{ RTE_PCI_DEVICE(0x1234, 0x11e8) },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver rmv_drv = {
	.driver = { .name = "unit_rmv" },
	.probe = rmv_probe,
	.remove = rmv_remove,
	.id_table = rmv_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_INTR_RMV,
};

static void
fire_request(void)
{
	uint64_t one = 1;

	assert_non_null(req_cb.cb);
	assert_int_equal(write(rte_intr_fd_get(dev_get()->vfio_req_intr_handle),
		&one, sizeof(one)), sizeof(one));
	req_cb.cb(req_cb.arg);
}

static void
test_removal_request_hot_unplugs_the_device(void **state)
{
	rte_pci_register(&rmv_drv);
	drv_removed = 0;
	assert_int_equal(pci()->probe(), 0);
	assert_int_equal(req_cb.registered, 1);
	assert_true(m.req_armed);
	fire_request();
	/* removal runs from an alarm, not inside the notifier callback */
	assert_int_equal(drv_removed, 0);
	assert_non_null(pending_alarm.cb);
	pending_alarm.cb(pending_alarm.arg);
	assert_int_equal(drv_removed, 1);
	assert_null(dev_get());
	assert_int_equal(m.open, 0);
	assert_int_equal(req_cb.registered, 0);
	assert_int_equal(count_dev_maps(), 0);
	assert_int_equal(count_fds(), fds_before);
	rte_pci_unregister(&rmv_drv);
}

static void
test_removal_request_without_driver_support_is_only_logged(void **state)
{
	rmv_drv.drv_flags = RTE_PCI_DRV_NEED_MAPPING;
	rte_pci_register(&rmv_drv);
	drv_removed = 0;
	assert_int_equal(pci()->probe(), 0);
	fire_request();
	assert_null(pending_alarm.cb);
	assert_int_equal(drv_removed, 0);
	assert_non_null(dev_get()->driver);
	rte_bus_cleanup();
	assert_int_equal(drv_removed, 1);
	assert_int_equal(m.open, 0);
	rte_pci_unregister(&rmv_drv);
	rmv_drv.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_INTR_RMV;
}

/* What a primary that mapped the device leaves for its secondaries. */
static uint64_t *
primary_layout(void)
{
	struct rte_pci_device *dev = dev_get();
	uint64_t saved[2 * PCI_MAX_RESOURCE];
	uint64_t *layout;
	unsigned int i;

	assert_int_equal(rte_pci_map_device(dev), 0);
	assert_true(zone.used);
	layout = zone.data;
	for (i = 0; i < PCI_MAX_RESOURCE; i++)
		assert_int_equal(layout[i],
			(uintptr_t)dev->mem_resource[i].addr);
	assert_int_equal(layout[PCI_MAX_RESOURCE], BAR0_SIZE);
	/* forget the primary's mappings but keep its zone: a new process */
	memcpy(saved, layout, sizeof(saved));
	rte_pci_unmap_device(dev);
	assert_false(zone.used);
	assert_non_null(__wrap_rte_memzone_reserve("pci_bars_" DEV_NAME,
		sizeof(saved), 0, 0));
	memcpy(zone.data, saved, sizeof(saved));
	return zone.data;
}

static void
test_secondary_maps_at_the_primarys_addresses(void **state)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	struct rte_pci_device *dev = dev_get();
	uint64_t *layout = primary_layout();
	unsigned int i;

	cfg->process_type = RTE_PROC_SECONDARY;
	assert_int_equal(rte_pci_map_device(dev), 0);
	for (i = 0; i < PCI_MAX_RESOURCE; i++)
		assert_int_equal((uintptr_t)dev->mem_resource[i].addr, layout[i]);
	/* no reset, bus master or request notifier from a secondary */
	assert_int_equal(m.resets, 1); /* the primary's */
	assert_int_equal(req_cb.registered, 0);
	assert_null(dev->vfio_req_intr_handle);
	assert_non_null(dev->intr_handle);
	rte_pci_unmap_device(dev);
	assert_nothing_left(dev);
	assert_true(zone.used); /* the primary's zone stays */
	cfg->process_type = RTE_PROC_PRIMARY;
	zone.used = false;
}

static void
test_secondary_refuses_a_taken_bar_address(void **state)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	struct rte_pci_device *dev = dev_get();
	uint64_t *layout = primary_layout();
	void *squat;

	squat = mmap((void *)(uintptr_t)layout[0], 4096, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	assert_ptr_equal(squat, (void *)(uintptr_t)layout[0]);
	cfg->process_type = RTE_PROC_SECONDARY;
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(dev), -1);
	assert_int_equal(rte_errno, EADDRINUSE);
	assert_nothing_left(dev);
	munmap(squat, 4096);
	cfg->process_type = RTE_PROC_PRIMARY;
	zone.used = false;
}

static void
test_secondary_without_primary_mapping_is_enodev(void **state)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	struct rte_pci_device *dev = dev_get();

	cfg->process_type = RTE_PROC_SECONDARY;
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(dev), -1);
	assert_int_equal(rte_errno, ENODEV);
	assert_nothing_left(dev);
	cfg->process_type = RTE_PROC_PRIMARY;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_map_skips_msix_table_and_sparse_holes),
		T(test_msix_mappable_bar_is_mapped_whole),
		T(test_config_space_goes_through_the_device_fd),
		T(test_map_resets_and_enables_bus_master_unmap_disables),
		T(test_no_reset_when_the_device_cannot),
		T(test_not_a_pci_device_is_refused),
		T(test_default_interrupt_mode_is_the_best_offered),
		T(test_forced_interrupt_mode),
		T(test_intr_enable_and_disable_program_the_eventfd),
		T(test_region_info_failure_undoes_everything),
		T(test_request_notifier_arm_failure_undoes_everything),
		T(test_removal_request_hot_unplugs_the_device),
		T(test_removal_request_without_driver_support_is_only_logged),
		T(test_secondary_maps_at_the_primarys_addresses),
		T(test_secondary_refuses_a_taken_bar_address),
		T(test_secondary_without_primary_mapping_is_enodev),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
