/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * PCI bus without VFIO: the sysfs scan of a fake tree (SYSFS_PCI_DEVICES),
 * address parsing, allow/block lists, driver matching and probe/remove,
 * the IOVA vote, and configuration space through sysfs.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_file.h"

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_vfio.h>

#include <bus_pci_driver.h>

#include "fault.h"

/* ---- wrapped calls ------------------------------------------------------ */

DIR *__real_opendir(const char *name);
DIR *__wrap_opendir(const char *name);
enum rte_iova_mode __wrap_rte_vfio_get_iova_mode(void);
int __wrap_rte_vfio_setup_device(const char *sysfs_base, const char *dev_addr,
		int *fd);

DIR *
__wrap_opendir(const char *name)
{
	int err = fault_check("opendir");

	if (err != 0) {
		errno = err;
		return NULL;
	}
	return __real_opendir(name);
}

static enum rte_iova_mode vfio_iova_mode = RTE_IOVA_DC;

enum rte_iova_mode
__wrap_rte_vfio_get_iova_mode(void)
{
	return vfio_iova_mode;
}

/* VFIO not initialised: mapping any device fails */
int
__wrap_rte_vfio_setup_device(const char *sysfs_base, const char *dev_addr,
		int *fd)
{
	rte_errno = ENXIO;
	return -1;
}

/* ---- a fake /sys/bus/pci/devices ------------------------------------------ */

static char root[64];

struct fake_dev {
	const char *addr;
	const char *vendor;
	const char *device;
	const char *class;
	const char *kdrv;  /* NULL: no driver link */
	const char *numa;  /* NULL: no numa_node file */
};

static const struct fake_dev fake_devs[] = {
	{ "0000:00:03.0", "0x1234", "0x11e8", "0x00ff00", "vfio-pci", "-1" },
	{ "0000:00:02.0", "0x8086", "0x100e", "0x020000", "e1000", "0" },
	{ "0000:00:04.0", "0x1234", "0x11e8", "0x00ff00", NULL, NULL },
	{ "0001:10:00.1", "0x1af4", "0x1041", "0x020000", "vfio-pci", "1" },
	{ "0000:00:05.0", "zzz", "0x0001", "0x000000", "vfio-pci", "0" },
};
#define NB_GOOD_DEVS 4

static void
write_str(const char *dir, const char *name, const char *s)
{
	unit_write_file(dir, name, s, strlen(s));
}

static void
fake_dev_create(const struct fake_dev *f)
{
	char dir[128], line[64], target[128], link[160];
	uint8_t config[256];
	unsigned int v, d;

	snprintf(dir, sizeof(dir), "%s/%s", root, f->addr);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(line, sizeof(line), "%s\n", f->vendor);
	write_str(dir, "vendor", line);
	snprintf(line, sizeof(line), "%s\n", f->device);
	write_str(dir, "device", line);
	write_str(dir, "subsystem_vendor", "0x1af4\n");
	write_str(dir, "subsystem_device", "0x1100\n");
	snprintf(line, sizeof(line), "%s\n", f->class);
	write_str(dir, "class", line);
	if (f->numa != NULL) {
		snprintf(line, sizeof(line), "%s\n", f->numa);
		write_str(dir, "numa_node", line);
	}
	write_str(dir, "resource",
		"0x00000000fea00000 0x00000000feafffff 0x0000000000040200\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x000000000000c000 0x000000000000c03f 0x0000000000040101\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x0000000fe0000000 0x0000000fe0003fff 0x000000000014220c\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	memset(config, 0, sizeof(config));
	v = (unsigned int)strtoul(f->vendor, NULL, 0);
	d = (unsigned int)strtoul(f->device, NULL, 0);
	config[0] = v & 0xff;
	config[1] = v >> 8;
	config[2] = d & 0xff;
	config[3] = d >> 8;
	config[4] = 0x03; /* command: I/O + memory */
	unit_write_file(dir, "config", config, sizeof(config));
	if (f->kdrv != NULL) {
		snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s",
			f->kdrv);
		snprintf(link, sizeof(link), "%s/driver", dir);
		assert_int_equal(symlink(target, link), 0);
	}
}

static int
tree_create(void **state)
{
	char dir[128];
	size_t i;

	snprintf(root, sizeof(root), "/tmp/unit-pci-XXXXXX");
	assert_non_null(mkdtemp(root));
	for (i = 0; i < RTE_DIM(fake_devs); i++)
		fake_dev_create(&fake_devs[i]);
	snprintf(dir, sizeof(dir), "%s/not-a-device", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	setenv("SYSFS_PCI_DEVICES", root, 1);
	return 0;
}

static int
tree_remove(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	unsetenv("SYSFS_PCI_DEVICES");
	return 0;
}

/* ---- helpers ------------------------------------------------------------------ */

static struct rte_bus *
pci(void)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");

	assert_non_null(bus);
	return bus;
}

static int
cmp_any(const struct rte_device *dev, const void *data)
{
	return 0;
}

static int
cmp_name(const struct rte_device *dev, const void *name)
{
	return strcmp(dev->name, name);
}

static struct rte_pci_device *
find(const char *name)
{
	struct rte_device *d = pci()->find_device(NULL, cmp_name, name);

	return d != NULL ? RTE_DEV_TO_PCI(d) : NULL;
}

static unsigned int
count_devices(void)
{
	struct rte_device *d = NULL;
	unsigned int n = 0;

	while ((d = pci()->find_device(d, cmp_any, NULL)) != NULL)
		n++;
	return n;
}

/* A driver that needs no mapping, so probing works without VFIO. */
static unsigned int probed, removed;
static int probe_ret;

static int
test_drv_probe(struct rte_pci_driver *drv, struct rte_pci_device *dev)
{
	probed++;
	if (probe_ret != 0)
		rte_errno = EIO;
	return probe_ret;
}

static int
test_drv_remove(struct rte_pci_device *dev)
{
	removed++;
	return 0;
}

static const struct rte_pci_id test_ids[] = {
	{ RTE_PCI_DEVICE(0x1234, 0x11e8) },
	{ .class_id = 0x020000, .vendor_id = 0x8086, .device_id = RTE_PCI_ANY_ID,
	  .subsystem_vendor_id = RTE_PCI_ANY_ID,
	  .subsystem_device_id = RTE_PCI_ANY_ID },
	{ .vendor_id = 0 },
};

static const char *const test_drv_keys[] = { "foo", "mode", NULL };

static struct rte_pci_driver test_drv = {
	.driver = { .name = "unit_test_drv", .devargs_keys = test_drv_keys },
	.probe = test_drv_probe,
	.remove = test_drv_remove,
	.id_table = test_ids,
};

/* Same ids, but needs mapping: only vfio-pci devices qualify. */
static struct rte_pci_driver map_drv = {
	.driver = { .name = "unit_map_drv" },
	.probe = test_drv_probe,
	.remove = test_drv_remove,
	.id_table = test_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING,
};

static int
setup(void **state)
{
	fault_reset();
	probed = removed = 0;
	probe_ret = 0;
	vfio_iova_mode = RTE_IOVA_DC;
	rte_devargs_clear();
	assert_int_equal(pci()->scan(), 0);
	return 0;
}

static int
teardown(void **state)
{
	rte_bus_cleanup();
	rte_devargs_clear();
	return 0;
}

/* ---- tests ------------------------------------------------------------------------ */

static void
test_scan_lists_good_entries_in_address_order(void **state)
{
	static const char *const order[] = {
		"0000:00:02.0", "0000:00:03.0", "0000:00:04.0", "0001:10:00.1",
	};
	struct rte_device *d = NULL;
	size_t i = 0;

	assert_int_equal(count_devices(), NB_GOOD_DEVS);
	while ((d = pci()->find_device(d, cmp_any, NULL)) != NULL)
		assert_string_equal(d->name, order[i++]);
	/* the entry with an unreadable vendor is skipped, not fatal */
	assert_null(find("0000:00:05.0"));
}

static void
test_scan_reads_ids_numa_and_memory_bars(void **state)
{
	struct rte_pci_device *dev = find("0000:00:03.0");

	assert_non_null(dev);
	assert_int_equal(dev->id.vendor_id, 0x1234);
	assert_int_equal(dev->id.device_id, 0x11e8);
	assert_int_equal(dev->id.subsystem_vendor_id, 0x1af4);
	assert_int_equal(dev->id.subsystem_device_id, 0x1100);
	assert_int_equal(dev->id.class_id, 0x00ff00);
	assert_int_equal(dev->device.numa_node, -1);
	assert_int_equal(find("0001:10:00.1")->device.numa_node, 1);
	assert_int_equal(find("0000:00:04.0")->device.numa_node, -1);
	assert_true(dev->mem_resource[0].phys_addr == 0xfea00000);
	assert_true(dev->mem_resource[0].len == 0x100000);
	/* the I/O BAR and absent BARs have no memory resource */
	assert_true(dev->mem_resource[1].len == 0);
	assert_true(dev->mem_resource[2].len == 0);
	assert_true(dev->mem_resource[4].phys_addr == 0xfe0000000ULL);
	assert_true(dev->mem_resource[4].len == 0x4000);
	assert_null(dev->mem_resource[0].addr);
}

static void
test_scan_detects_kernel_driver(void **state)
{
	assert_int_equal(find("0000:00:03.0")->kdrv, RTE_PCI_KDRV_VFIO);
	assert_string_equal(find("0000:00:03.0")->kdrv_name, "vfio-pci");
	assert_int_equal(find("0000:00:02.0")->kdrv, RTE_PCI_KDRV_OTHER);
	assert_string_equal(find("0000:00:02.0")->kdrv_name, "e1000");
	assert_int_equal(find("0000:00:04.0")->kdrv, RTE_PCI_KDRV_NONE);
	assert_string_equal(find("0000:00:04.0")->kdrv_name, "");
}

static void
test_rescan_adds_no_duplicates(void **state)
{
	assert_int_equal(pci()->scan(), 0);
	assert_int_equal(count_devices(), NB_GOOD_DEVS);
}

static void
test_scan_of_unreadable_dir_fails_with_errno(void **state)
{
	rte_bus_cleanup();
	fault_arm("opendir", 1, EACCES);
	rte_errno = 0;
	assert_int_equal(pci()->scan(), -1);
	assert_int_equal(rte_errno, EACCES);
	assert_int_equal(count_devices(), 0);
}

static void
test_scan_of_missing_dir_is_empty(void **state)
{
	char missing[PATH_MAX];

	rte_bus_cleanup();
	snprintf(missing, sizeof(missing), "%s/nope", root);
	setenv("SYSFS_PCI_DEVICES", missing, 1);
	assert_int_equal(pci()->scan(), 0);
	setenv("SYSFS_PCI_DEVICES", root, 1);
	assert_int_equal(count_devices(), 0);
}

/* A device directory like a good one, with one attribute replaced. */
#define ODD_DEV "0000:00:1f.0"

static void
odd_dev_create(const char *file, const char *content)
{
	const struct fake_dev good = {
		ODD_DEV, "0x1234", "0x11e8", "0x00ff00", "vfio-pci", "0"
	};
	char dir[128], path[160];

	fake_dev_create(&good);
	snprintf(dir, sizeof(dir), "%s/%s", root, ODD_DEV);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	assert_int_equal(unlink(path), 0);
	if (content != NULL)
		write_str(dir, file, content);
	else
		assert_int_equal(mkfifo(path, 0644), 0);
}

static void
odd_dev_remove(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s'", root, ODD_DEV);
	assert_int_equal(system(cmd), 0);
}

/* a reader that waited on the FIFO would hang: SIGALRM ends the test */
#define SCAN_HANG_LIMIT_S 10

static void
test_scan_skips_a_fifo_in_place_of_an_attribute(void **state)
{
	static const char *const files[] = { "vendor", "resource", "class" };
	size_t i;

	for (i = 0; i < RTE_DIM(files); i++) {
		rte_bus_cleanup();
		odd_dev_create(files[i], NULL);
		alarm(SCAN_HANG_LIMIT_S);
		assert_int_equal(pci()->scan(), 0);
		alarm(0);
		odd_dev_remove();
		assert_null(find(ODD_DEV));
		assert_int_equal(count_devices(), NB_GOOD_DEVS);
	}
}

static void
test_config_read_refuses_a_fifo_without_waiting(void **state)
{
	uint32_t ids = 0;

	rte_bus_cleanup();
	odd_dev_create("config", NULL);
	assert_int_equal(pci()->scan(), 0);
	assert_non_null(find(ODD_DEV));
	alarm(SCAN_HANG_LIMIT_S);
	rte_errno = 0;
	assert_int_equal(rte_pci_read_config(find(ODD_DEV), &ids, 4, 0), -1);
	assert_int_equal(rte_errno, EIO);
	assert_int_equal(rte_pci_write_config(find(ODD_DEV), &ids, 4, 0), -1);
	alarm(0);
	odd_dev_remove();
}

static void
test_scan_refuses_attributes_not_as_the_kernel_writes_them(void **state)
{
	static const struct {
		const char *file;
		const char *content;
	} bad[] = {
		{ "vendor", " 0x1234\n" }, { "vendor", "0x1234\n0x0000\n" },
		{ "vendor", "4660\n" }, { "vendor", "0X1234\n" },
		{ "vendor", "+0x1234\n" }, { "vendor", "0x01234\n" },
		{ "class", "0xff00\n" }, { "device", "011e8\n" },
		{ "resource", "0x00000000fea00000 0x00000000feafffff 0x0000000000040200\n" },
		{ "resource", "0xfea00000 0xfeafffff 0x40200\n0 0 0\n0 0 0\n0 0 0\n"
			"0 0 0\n0 0 0\n0 0 0\n" },
	};
	char long_vendor[128];
	size_t i;

	/* 0x, 70 zeros and 1b36: a 63-byte buffer kept "0x000..." = 0 */
	snprintf(long_vendor, sizeof(long_vendor), "0x%070d1b36\n", 0);
	for (i = 0; i <= RTE_DIM(bad); i++) {
		rte_bus_cleanup();
		if (i < RTE_DIM(bad))
			odd_dev_create(bad[i].file, bad[i].content);
		else
			odd_dev_create("vendor", long_vendor);
		assert_int_equal(pci()->scan(), 0);
		odd_dev_remove();
		if (find(ODD_DEV) != NULL)
			fail_msg("%s '%s' accepted",
				i < RTE_DIM(bad) ? bad[i].file : "vendor",
				i < RTE_DIM(bad) ? bad[i].content : long_vendor);
		assert_int_equal(count_devices(), NB_GOOD_DEVS);
	}
}

static void
test_scan_ignores_odd_optional_attributes(void **state)
{
	static const char *const numa[] = { "+1\n", " 1\n", "-0\n", "01\n" };
	size_t i;

	for (i = 0; i < RTE_DIM(numa); i++) {
		rte_bus_cleanup();
		odd_dev_create("numa_node", numa[i]);
		assert_int_equal(pci()->scan(), 0);
		odd_dev_remove();
		assert_non_null(find(ODD_DEV));
		assert_int_equal(find(ODD_DEV)->device.numa_node, -1);
	}
}

static void
test_parse_op_accepts_both_forms(void **state)
{
	struct rte_pci_addr a;

	assert_int_equal(pci()->parse("0000:00:03.0", &a), 0);
	assert_int_equal(a.devid, 3);
	assert_int_equal(pci()->parse("10:00.1", &a), 0);
	assert_int_equal(a.bus, 0x10);
	assert_int_equal(a.function, 1);
	assert_int_equal(a.domain, 0);
	assert_int_not_equal(pci()->parse("10:00", NULL), 0);
	assert_int_not_equal(pci()->parse("0000:00:03.0x", NULL), 0);
	assert_int_not_equal(pci()->parse("dpni.1", NULL), 0);
	assert_ptr_equal(rte_bus_find_by_device_name("00:03.0"), pci());
}

static void
test_probe_calls_matching_drivers_only(void **state)
{
	rte_pci_register(&test_drv);
	assert_int_equal(pci()->probe(), 0);
	/* 00:02.0 (8086, class match), 00:03.0 and 00:04.0 (edu ids) */
	assert_int_equal(probed, 3);
	assert_ptr_equal(find("0000:00:03.0")->driver, &test_drv);
	assert_ptr_equal(find("0000:00:03.0")->device.driver, &test_drv.driver);
	assert_null(find("0001:10:00.1")->driver);
	/* probed devices are not probed again */
	assert_int_equal(pci()->probe(), 0);
	assert_int_equal(probed, 3);
	rte_bus_cleanup();
	assert_int_equal(removed, 3);
	rte_pci_unregister(&test_drv);
}

static void
test_mapping_driver_skips_devices_not_on_vfio(void **state)
{
	rte_pci_register(&map_drv);
	/* 00:02.0 is on e1000, 00:04.0 on nothing: neither is tried; 00:03.0
	 * is on vfio-pci but VFIO is not there: its mapping fails */
	rte_errno = 0;
	assert_int_equal(pci()->probe(), -1);
	assert_int_equal(probed, 0);
	assert_null(find("0000:00:02.0")->driver);
	assert_null(find("0000:00:04.0")->driver);
	assert_null(find("0000:00:03.0")->driver);
	assert_null(find("0000:00:03.0")->vfio);
	rte_pci_unregister(&map_drv);
}

static void
test_failed_probe_leaves_device_unprobed(void **state)
{
	rte_pci_register(&test_drv);
	probe_ret = -1;
	assert_int_equal(pci()->probe(), -1);
	assert_int_equal(probed, 3);
	assert_null(find("0000:00:03.0")->driver);
	assert_null(find("0000:00:03.0")->device.driver);
	rte_pci_unregister(&test_drv);
}

static void
test_block_list_in_short_form_blocks(void **state)
{
	assert_int_equal(rte_devargs_add(RTE_DEV_BLOCKED, "00:03.0"), 0);
	assert_int_equal(pci()->scan(), 0); /* picks up the devargs */
	rte_pci_register(&test_drv);
	assert_int_equal(pci()->probe(), 0);
	assert_int_equal(probed, 2);
	assert_null(find("0000:00:03.0")->driver);
	assert_non_null(find("0000:00:02.0")->driver);
	rte_bus_cleanup();
	rte_pci_unregister(&test_drv);
}

static void
test_allow_list_probes_only_allowed(void **state)
{
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "0000:00:04.0,foo=1"), 0);
	assert_int_equal(pci()->scan(), 0);
	rte_pci_register(&test_drv);
	assert_int_equal(pci()->probe(), 0);
	assert_int_equal(probed, 1);
	assert_non_null(find("0000:00:04.0")->driver);
	assert_string_equal(rte_devargs_get(find("0000:00:04.0")->device.devargs,
		"foo"), "1");
	rte_bus_cleanup();
	rte_pci_unregister(&test_drv);
}

static void
test_unknown_device_argument_is_refused_at_probe(void **state)
{
	char log_buf[1024] = "";
	FILE *log = fmemopen(log_buf, sizeof(log_buf) - 1, "w");

	assert_non_null(log);
	setvbuf(log, NULL, _IONBF, 0);
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "0000:00:04.0,fooo=1"), 0);
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "0000:00:03.0,mode=x"), 0);
	assert_int_equal(pci()->scan(), 0);
	rte_pci_register(&test_drv);
	rte_openlog_stream(log);
	/* one device probed: the bus succeeds, like DPDK's */
	assert_int_equal(pci()->probe(), 0);
	rte_openlog_stream(NULL);
	fclose(log);
	/* the device with a known key is probed, the other one is not */
	assert_int_equal(probed, 1);
	assert_null(find("0000:00:04.0")->driver);
	assert_non_null(find("0000:00:03.0")->driver);
	assert_non_null(strstr(log_buf,
		"0000:00:04.0: unknown device argument 'fooo' for driver unit_test_drv (known: foo, mode)"));
	/* alone, the refused device makes the probe fail with EINVAL */
	rte_bus_cleanup();
	rte_devargs_clear();
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "0000:00:04.0,fooo=1"), 0);
	assert_int_equal(pci()->scan(), 0);
	rte_errno = 0;
	assert_int_equal(pci()->probe(), -1);
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(probed, 1);
	rte_bus_cleanup();
	rte_pci_unregister(&test_drv);
}

static void
test_allow_list_refuses_one_device_in_two_spellings(void **state)
{
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "0000:00:04.0,foo=1"), 0);
	rte_errno = 0;
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "00:04.0,foo=2"), -1);
	assert_int_equal(rte_errno, EEXIST);
	rte_errno = 0;
	assert_int_equal(rte_devargs_add(RTE_DEV_ALLOWED, "pci:0:0:4.0"), -1);
	assert_int_equal(rte_errno, EEXIST);
	assert_int_equal(rte_devargs_type_count(RTE_DEV_ALLOWED), 1);
	assert_string_equal(rte_devargs_get(rte_devargs_find(pci(), "00:04.0"),
		"foo"), "1");
}

static void
test_unplug_removes_and_forgets_then_plug(void **state)
{
	struct rte_pci_device *dev;

	rte_pci_register(&test_drv);
	assert_int_equal(pci()->probe(), 0);
	dev = find("0000:00:03.0");
	assert_int_equal(rte_dev_remove(&dev->device), 0);
	assert_int_equal(removed, 1);
	assert_null(find("0000:00:03.0"));
	assert_int_equal(pci()->scan(), 0);
	dev = find("0000:00:03.0");
	assert_non_null(dev);
	assert_null(dev->driver);
	assert_int_equal(pci()->plug(&dev->device), 0);
	assert_ptr_equal(dev->driver, &test_drv);
	/* plugging a probed device: EEXIST */
	rte_errno = 0;
	assert_int_equal(pci()->plug(&dev->device), -1);
	assert_int_equal(rte_errno, EEXIST);
	/* a device no driver wants: ENODEV */
	rte_errno = 0;
	assert_int_equal(pci()->plug(&find("0001:10:00.1")->device), -1);
	assert_int_equal(rte_errno, ENODEV);
	rte_bus_cleanup();
	rte_pci_unregister(&test_drv);
}

static void
test_iova_vote_follows_vfio_when_a_driver_wants_a_vfio_device(void **state)
{
	vfio_iova_mode = RTE_IOVA_VA;
	/* no driver for the vfio devices yet */
	assert_int_equal(pci()->get_iommu_class(), RTE_IOVA_DC);
	rte_pci_register(&map_drv);
	assert_int_equal(pci()->get_iommu_class(), RTE_IOVA_VA);
	vfio_iova_mode = RTE_IOVA_PA;
	assert_int_equal(pci()->get_iommu_class(), RTE_IOVA_PA);
	vfio_iova_mode = RTE_IOVA_DC; /* VFIO absent */
	assert_int_equal(pci()->get_iommu_class(), RTE_IOVA_DC);
	/* the only wanted vfio device is blocked: no vote */
	vfio_iova_mode = RTE_IOVA_VA;
	assert_int_equal(rte_devargs_add(RTE_DEV_BLOCKED, "0000:00:03.0"), 0);
	assert_int_equal(pci()->scan(), 0);
	assert_int_equal(pci()->get_iommu_class(), RTE_IOVA_DC);
	rte_pci_unregister(&map_drv);
}

static void
test_config_space_through_sysfs(void **state)
{
	struct rte_pci_device *dev = find("0000:00:03.0");
	char path[PATH_MAX];
	uint8_t config[256];
	uint32_t ids = 0;
	uint16_t cmd;
	int fd;

	assert_int_equal(rte_pci_read_config(dev, &ids, 4, 0), 4);
	assert_int_equal(ids, 0x11e81234);
	assert_int_equal(rte_pci_set_bus_master(dev, true), 0);
	snprintf(path, sizeof(path), "%s/0000:00:03.0/config", root);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, config, sizeof(config)), 256);
	close(fd);
	assert_int_equal(config[4], 0x07);
	assert_int_equal(rte_pci_read_config(dev, &cmd, 2, 4), 2);
	assert_int_equal(cmd, 0x0007);
	assert_int_equal(rte_pci_set_bus_master(dev, false), 0);
	assert_int_equal(rte_pci_read_config(dev, &cmd, 2, 4), 2);
	assert_int_equal(cmd, 0x0003);
	/* past the end of the file: short read */
	rte_errno = 0;
	assert_int_equal(rte_pci_read_config(dev, &ids, 4, 254), -1);
	assert_int_equal(rte_errno, EIO);
	rte_errno = 0;
	assert_int_equal(rte_pci_read_config(NULL, &ids, 4, 0), -1);
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_int_equal(rte_pci_write_config(dev, &ids, 4, -1), -1);
	assert_int_equal(rte_errno, EINVAL);
}

static void
test_map_refuses_devices_not_on_vfio(void **state)
{
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(find("0000:00:02.0")), -1);
	assert_int_equal(rte_errno, ENODEV);
	rte_errno = 0;
	assert_int_equal(rte_pci_map_device(NULL), -1);
	assert_int_equal(rte_errno, EINVAL);
	/* unmapping something not mapped is harmless */
	rte_pci_unmap_device(find("0000:00:02.0"));
	rte_errno = 0;
	assert_int_equal(rte_pci_vfio_dev_fd(find("0000:00:03.0")), -1);
	assert_int_equal(rte_errno, ENODEV);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_scan_lists_good_entries_in_address_order),
		T(test_scan_reads_ids_numa_and_memory_bars),
		T(test_scan_detects_kernel_driver),
		T(test_rescan_adds_no_duplicates),
		T(test_scan_of_unreadable_dir_fails_with_errno),
		T(test_scan_of_missing_dir_is_empty),
		T(test_scan_skips_a_fifo_in_place_of_an_attribute),
		T(test_config_read_refuses_a_fifo_without_waiting),
		T(test_scan_refuses_attributes_not_as_the_kernel_writes_them),
		T(test_scan_ignores_odd_optional_attributes),
		T(test_parse_op_accepts_both_forms),
		T(test_probe_calls_matching_drivers_only),
		T(test_mapping_driver_skips_devices_not_on_vfio),
		T(test_failed_probe_leaves_device_unprobed),
		T(test_block_list_in_short_form_blocks),
		T(test_allow_list_probes_only_allowed),
		T(test_unknown_device_argument_is_refused_at_probe),
		T(test_allow_list_refuses_one_device_in_two_spellings),
		T(test_unplug_removes_and_forgets_then_plug),
		T(test_iova_vote_follows_vfio_when_a_driver_wants_a_vfio_device),
		T(test_config_space_through_sysfs),
		T(test_map_refuses_devices_not_on_vfio),
	};

	return cmocka_run_group_tests(tests, tree_create, tree_remove);
}
