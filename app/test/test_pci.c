/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * pci_autotest: address parsing, the scan against sysfs, and on a device
 * bound to vfio-pci (an edu in the test VM): map/unmap, config space, bus
 * master, BAR access, block list, hot-plug of an unprobed device. Without
 * such a device the VFIO part skips (77) and says why.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_devargs.h>
#include <rte_errno.h>

#include <bus_pci_driver.h>

#include "test.h"

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MASTER 0x4

struct addr_case {
	const char *str;
	int valid;
	struct rte_pci_addr addr;
};

static const struct addr_case addr_cases[] = {
	{ "0000:00:02.0", 1, { 0, 0, 2, 0 } },
	{ "0001:af:1f.7", 1, { 1, 0xaf, 0x1f, 7 } },
	{ "ABCD:EF:01.3", 1, { 0xabcd, 0xef, 1, 3 } },
	{ "10000:00:00.0", 1, { 0x10000, 0, 0, 0 } },
	{ "03:00.1", 1, { 0, 3, 0, 1 } },
	{ "", 0, { 0 } },
	{ "0000:00:02", 0, { 0 } },
	{ "0000:00:20.0", 0, { 0 } },     /* device > 0x1f */
	{ "0000:00:02.8", 0, { 0 } },     /* function > 7 */
	{ "0000:100:02.0", 0, { 0 } },    /* bus > 0xff */
	{ "0000:00:02.0,x=1", 0, { 0 } },
	{ "0000:00:02.0 ", 0, { 0 } },
	{ "123456789:00:02.0", 0, { 0 } },
	{ "g0:00.0", 0, { 0 } },
	{ "00:-1.0", 0, { 0 } },
	{ "testdev0", 0, { 0 } },
};

static int
test_addr_parse(void)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	struct rte_pci_addr a;
	char name[PCI_PRI_STR_SIZE];
	size_t i;

	TEST_ASSERT_NOT_NULL(bus, "the pci bus is not registered");
	for (i = 0; i < RTE_DIM(addr_cases); i++) {
		const struct addr_case *c = &addr_cases[i];

		rte_errno = 0;
		memset(&a, 0xff, sizeof(a));
		if (!c->valid) {
			TEST_ASSERT_EQUAL(rte_pci_addr_parse(c->str, &a), -1,
				"'%s' accepted", c->str);
			TEST_ASSERT_EQUAL(rte_errno, EINVAL, "'%s': errno %d", c->str,
				rte_errno);
			TEST_ASSERT(bus->parse(c->str, NULL) != 0,
				"bus parse accepts '%s'", c->str);
			continue;
		}
		TEST_ASSERT_SUCCESS(rte_pci_addr_parse(c->str, &a), "'%s' rejected",
			c->str);
		TEST_ASSERT(rte_pci_addr_cmp(&a, &c->addr) == 0,
			"'%s' parsed as %x:%x:%x.%x", c->str, a.domain, a.bus,
			a.devid, a.function);
		TEST_ASSERT_SUCCESS(bus->parse(c->str, NULL),
			"bus parse rejects '%s'", c->str);
	}
	a = (struct rte_pci_addr){ 0x12, 0x3, 0x1f, 7 };
	rte_pci_device_name(&a, name, sizeof(name));
	TEST_ASSERT(strcmp(name, "0012:03:1f.7") == 0, "formatted as %s", name);
	return TEST_SUCCESS;
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
pci_find(const char *name)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	struct rte_device *d = bus->find_device(NULL, cmp_name, name);

	return d != NULL ? RTE_DEV_TO_PCI(d) : NULL;
}

static const char *
sysfs_dir(void)
{
	const char *d = getenv("SYSFS_PCI_DEVICES");

	return d != NULL && d[0] != '\0' ? d : "/sys/bus/pci/devices";
}

static long
sysfs_hex(const char *dev, const char *file)
{
	char path[512];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", sysfs_dir(), dev, file);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fscanf(f, "%li", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Every sysfs entry is on the bus with the ids sysfs gives, and no other. */
static int
test_scan(void)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	unsigned int in_sysfs = 0, on_bus = 0;
	struct rte_device *d = NULL;
	struct dirent *e;
	DIR *dir;

	if (!rte_eal_has_pci())
		TEST_SKIP("--no-pci: scan not checked");
	dir = opendir(sysfs_dir());
	if (dir == NULL)
		TEST_SKIP("%s: %s: scan not checked", sysfs_dir(), strerror(errno));
	while ((e = readdir(dir)) != NULL) {
		struct rte_pci_device *dev;

		if (e->d_name[0] == '.')
			continue;
		in_sysfs++;
		dev = pci_find(e->d_name);
		TEST_ASSERT_NOT_NULL(dev, "%s is not on the bus", e->d_name);
		TEST_ASSERT_EQUAL((long)dev->id.vendor_id,
			sysfs_hex(e->d_name, "vendor"), "%s: vendor", e->d_name);
		TEST_ASSERT_EQUAL((long)dev->id.device_id,
			sysfs_hex(e->d_name, "device"), "%s: device", e->d_name);
		TEST_ASSERT_EQUAL((long)dev->id.class_id,
			sysfs_hex(e->d_name, "class"), "%s: class", e->d_name);
	}
	closedir(dir);
	while ((d = bus->find_device(d, cmp_any, NULL)) != NULL)
		on_bus++;
	TEST_ASSERT_EQUAL(in_sysfs, on_bus, "%u devices in sysfs, %u on the bus",
		in_sysfs, on_bus);
	printf("scan: %u devices, as in %s\n", on_bus, sysfs_dir());
	return TEST_SUCCESS;
}

/* A device bound to vfio-pci, an edu preferably. */
static struct rte_pci_device *
vfio_device_pick(void)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	struct rte_pci_device *best = NULL;
	struct rte_device *d = NULL;

	while ((d = bus->find_device(d, cmp_any, NULL)) != NULL) {
		struct rte_pci_device *dev = RTE_DEV_TO_PCI(d);

		if (dev->kdrv != RTE_PCI_KDRV_VFIO)
			continue;
		if (dev->id.vendor_id == EDU_VENDOR && dev->id.device_id == EDU_DEVICE)
			return dev;
		if (best == NULL)
			best = dev;
	}
	return best;
}

static int
fd_is_closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

/* Remove the device from its driver (it leaves the bus) and rescan it. */
static struct rte_pci_device *
detach_and_rescan(struct rte_pci_device *dev)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	char name[PCI_PRI_STR_SIZE];
	int fd;

	memcpy(name, dev->name, sizeof(name));
	if (dev->driver != NULL) {
		fd = rte_pci_vfio_dev_fd(dev);
		if (rte_dev_remove(&dev->device) != 0) {
			printf("rte_dev_remove(%s): %s\n", name, rte_strerror(rte_errno));
			return NULL;
		}
		if (fd >= 0 && !fd_is_closed(fd)) {
			printf("%s: VFIO fd %d still open after remove\n", name, fd);
			return NULL;
		}
		if (pci_find(name) != NULL) {
			printf("%s: still on the bus after remove\n", name);
			return NULL;
		}
	}
	if (bus->scan() != 0)
		return NULL;
	return pci_find(name);
}

static int
test_config_space(struct rte_pci_device *dev)
{
	uint32_t ids;
	uint16_t cmd;
	uint8_t byte;

	TEST_ASSERT_EQUAL(rte_pci_read_config(dev, &ids, sizeof(ids), 0), 4,
		"config read: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(ids, (uint32_t)dev->id.vendor_id |
		((uint32_t)dev->id.device_id << 16), "ids 0x%08x", ids);
	TEST_ASSERT_SUCCESS(rte_pci_set_bus_master(dev, false), "bus master off");
	TEST_ASSERT_EQUAL(rte_pci_read_config(dev, &cmd, 2, PCI_COMMAND), 2, "read");
	TEST_ASSERT_EQUAL(cmd & PCI_COMMAND_MASTER, 0, "bus master still on");
	cmd |= PCI_COMMAND_MASTER;
	TEST_ASSERT_EQUAL(rte_pci_write_config(dev, &cmd, 2, PCI_COMMAND), 2,
		"config write: %s", rte_strerror(rte_errno));
	cmd = 0;
	TEST_ASSERT_EQUAL(rte_pci_read_config(dev, &cmd, 2, PCI_COMMAND), 2, "read");
	TEST_ASSERT(cmd & PCI_COMMAND_MASTER, "bus master not set by write: 0x%x",
		cmd);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_pci_read_config(dev, &byte, 1, 1 << 20), -1,
		"read beyond the config space worked");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "errno %d", rte_errno);
	return TEST_SUCCESS;
}

static int
test_map_unmap(struct rte_pci_device *dev)
{
	volatile uint32_t *bar;
	int fd;

	TEST_ASSERT_SUCCESS(rte_pci_map_device(dev), "map %s: %s", dev->name,
		rte_strerror(rte_errno));
	fd = rte_pci_vfio_dev_fd(dev);
	TEST_ASSERT(fd >= 0, "no VFIO fd after map");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_pci_map_device(dev), -1, "mapped twice");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "errno %d", rte_errno);
	if (test_config_space(dev) != TEST_SUCCESS)
		goto fail;
	bar = dev->mem_resource[0].addr;
	if (dev->id.vendor_id == EDU_VENDOR && dev->id.device_id == EDU_DEVICE) {
		TEST_ASSERT_NOT_NULL(bar, "edu BAR0 not mapped");
		TEST_ASSERT_EQUAL(bar[0] & 0xff, 0xedu, "edu ident 0x%08x", bar[0]);
		bar[1] = 0x0f0f1234;
		TEST_ASSERT_EQUAL(bar[1], ~0x0f0f1234u, "edu liveness 0x%08x", bar[1]);
		TEST_ASSERT_NOT_NULL(dev->intr_handle, "edu has MSI and INTx");
	}
	rte_pci_unmap_device(dev);
	TEST_ASSERT_NULL(dev->mem_resource[0].addr, "BAR0 still mapped");
	TEST_ASSERT_NULL(dev->intr_handle, "interrupt handle left");
	TEST_ASSERT(fd_is_closed(fd), "VFIO fd %d open after unmap", fd);
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_pci_vfio_dev_fd(dev), -1, "fd after unmap");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "errno %d", rte_errno);
	return TEST_SUCCESS;
fail:
	rte_pci_unmap_device(dev);
	return TEST_FAILED;
}

/* A blocked device is not plugged; unblocked, its driver takes it. */
static int
test_block_and_plug(struct rte_pci_device *dev)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	char name[PCI_PRI_STR_SIZE];
	struct rte_devargs *da;

	memcpy(name, dev->name, sizeof(name));
	if (rte_devargs_type_count(RTE_DEV_ALLOWED) != 0)
		TEST_SKIP("allow list given: block and plug not checked");
	TEST_ASSERT_SUCCESS(rte_devargs_add(RTE_DEV_BLOCKED, name), "block %s",
		name);
	TEST_ASSERT_SUCCESS(bus->scan(), "rescan");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(bus->plug(&dev->device), -1, "blocked device plugged");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "errno %d", rte_errno);
	TEST_ASSERT_NULL(dev->driver, "blocked device has a driver");
	da = rte_devargs_find(bus, name);
	TEST_ASSERT_NOT_NULL(da, "devargs entry gone");
	TEST_ASSERT_SUCCESS(rte_devargs_remove(da), "unblock");
	TEST_ASSERT_SUCCESS(bus->scan(), "rescan");
	if (bus->plug(&dev->device) != 0) {
		TEST_ASSERT_EQUAL(rte_errno, ENODEV, "plug: %s",
			rte_strerror(rte_errno));
		TEST_SKIP("%s: no driver in dpdk-test for it: plug not checked",
			name);
	}
	TEST_ASSERT_NOT_NULL(dev->driver, "plugged without a driver");
	TEST_ASSERT(rte_pci_vfio_dev_fd(dev) >= 0, "probed device not mapped");
	return TEST_SUCCESS;
}

/* a sub-check that skips makes the whole test a skip (77), said once more */
static int
test_pci(void)
{
	struct rte_pci_device *dev;
	int ret;

	if (test_addr_parse() != TEST_SUCCESS)
		return TEST_FAILED;
	ret = test_scan();
	if (ret != TEST_SUCCESS && ret != TEST_SKIPPED)
		return TEST_FAILED;
	dev = vfio_device_pick();
	if (dev == NULL)
		TEST_SKIP("no PCI device bound to vfio-pci: map, config space and plug not tested");
	printf("using %s (%04x:%04x)\n", dev->name, dev->id.vendor_id,
		dev->id.device_id);
	dev = detach_and_rescan(dev);
	TEST_ASSERT_NOT_NULL(dev, "device lost across remove and rescan");
	ret = test_result_merge(ret, test_map_unmap(dev));
	if (ret == TEST_FAILED)
		return TEST_FAILED;
	ret = test_result_merge(ret, test_block_and_plug(dev));
	if (ret == TEST_SKIPPED)
		printf("pci_autotest: some checks skipped (see TEST SKIPPED above)\n");
	return ret;
}

REGISTER_TEST_COMMAND(pci_autotest, test_pci);
