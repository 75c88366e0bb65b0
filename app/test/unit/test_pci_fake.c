/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The PCI bus end to end on the fake kernel, in every VFIO mode: sysfs
 * scan, probe with a driver that needs mapping (real rte_vfio_* on fake
 * group/cdev nodes), BARs, config space, reset, bus master, interrupts,
 * the request notifier fired through the real interrupt thread and alarm,
 * and injected failures that must leave nothing open or mapped.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_alarm.h>
#include <rte_bus.h>
#include <rte_errno.h>
#include <rte_interrupts.h>
#include <rte_vfio.h>

#include <bus_pci_driver.h>

#include "eal_internal_cfg.h"
#include "eal_private.h"
#include "fake/fake_kernel.h"
#include "test_vfio_env.h"

#define DEV "0000:00:01.0"
#define PCI_COMMAND 4
#define PCI_COMMAND_MASTER 0x4

/* ---- a driver that needs mapping and supports hot-unplug ------------------ */

static unsigned int nb_probed, nb_removed;

static int
drv_probe(struct rte_pci_driver *drv, struct rte_pci_device *dev)
{
	__atomic_fetch_add(&nb_probed, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int
drv_remove(struct rte_pci_device *dev)
{
	__atomic_fetch_add(&nb_removed, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static const struct rte_pci_id ids[] = {
	{ RTE_PCI_DEVICE(0x1b36, 0x11e8) },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver drv = {
	.driver = { .name = "unit_fake_drv" },
	.probe = drv_probe,
	.remove = drv_remove,
	.id_table = ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_INTR_RMV,
};

/* ---- fixture ------------------------------------------------------------------ */

static int
setup(void **state)
{
	const struct vfio_mode_case *m = *state;
	struct internal_config *cfg = eal_get_internal_configuration();

	assert_int_equal(fake_machine_setup(m->fake, 2), 0);
	fake_config()->spapr = m->fake_spapr;
	eal_reset_internal_config(cfg);
	cfg->process_type = RTE_PROC_PRIMARY;
	cfg->vfio_mode = env_request(m);
	/* EAL memory exists before any bus probes (memzones, DMA buffers) */
	cfg->in_memory = 1;
	cfg->no_hugetlbfs = 1;
	cfg->memory = 8 << 20;
	assert_int_equal(eal_intr_init(), 0); /* and the alarms */
	assert_int_equal(rte_vfio_enable(RTE_VFIO_PCI_MODULE), 0);
	assert_int_equal(eal_iova_mode_select(), 0);
	assert_int_equal(eal_memory_init(), 0);
	nb_probed = nb_removed = 0;
	rte_pci_register(&drv);
	return 0;
}

static int
teardown(void **state)
{
	rte_bus_cleanup();
	rte_pci_unregister(&drv);
	eal_memory_cleanup();
	eal_vfio_cleanup();
	eal_intr_cleanup();
	eal_reset_internal_config(eal_get_internal_configuration());
	return fake_teardown(state);
}

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
dev_get(const char *name)
{
	struct rte_device *d = pci()->find_device(NULL, cmp_name, name);

	return d != NULL ? RTE_DEV_TO_PCI(d) : NULL;
}

static void
scan_probe(int expect)
{
	assert_int_equal(pci()->scan(), 0);
	assert_int_equal(pci()->probe(), expect);
}

static void
assert_released(const char *addr)
{
	int fds[4];

	assert_int_equal(fake_device_open_count(addr), 0);
	assert_int_equal(fake_device_irq_eventfds(addr, VFIO_PCI_REQ_IRQ_INDEX,
		fds, 4), 0);
	assert_int_equal(fake_live_mappings(), 0);
}

/* ---- tests ------------------------------------------------------------------------ */

static void
test_probe_maps_through_vfio(void **state)
{
	struct rte_pci_device *dev;
	uint32_t ids32 = 0;
	int fds[8];

	scan_probe(0);
	assert_int_equal(nb_probed, 2);
	dev = dev_get(DEV);
	assert_non_null(dev);
	assert_ptr_equal(dev->driver, &drv);
	assert_int_equal(fake_device_open_count(DEV), 1);
	assert_int_equal(fake_device_reset_count(DEV), 1);
	assert_true(fake_device_config_byte(DEV, PCI_COMMAND) & PCI_COMMAND_MASTER);
	/* BAR0 4 KiB and BAR2 1 MiB of each device are mapped */
	assert_non_null(dev->mem_resource[0].addr);
	assert_non_null(dev->mem_resource[2].addr);
	assert_null(dev->mem_resource[1].addr);
	assert_int_equal(fake_live_mappings(), 4);
	/* config space through the device fd */
	assert_int_equal(rte_pci_read_config(dev, &ids32, 4, 0), 4);
	assert_int_equal(ids32, 0x11e81b36);
	/* the request notifier is armed with our eventfd */
	assert_int_equal(fake_device_irq_eventfds(DEV, VFIO_PCI_REQ_IRQ_INDEX,
		fds, 8), 1);
	assert_int_equal(fds[0], rte_intr_fd_get(dev->vfio_req_intr_handle));
	/* best interrupt mode: MSI-X; enable hands our eventfd to the kernel */
	assert_int_equal(rte_intr_type_get(dev->intr_handle),
		RTE_INTR_HANDLE_VFIO_MSIX);
	assert_int_equal(rte_intr_enable(dev->intr_handle), 0);
	assert_true(fake_device_irq_eventfds(DEV, VFIO_PCI_MSIX_IRQ_INDEX,
		fds, 8) >= 1);
	assert_int_equal(fds[0], rte_intr_fd_get(dev->intr_handle));
	assert_int_equal(rte_intr_disable(dev->intr_handle), 0);
	assert_int_equal(fake_device_irq_eventfds(DEV, VFIO_PCI_MSIX_IRQ_INDEX,
		fds, 8), 0);
}

static void
test_remove_releases_everything(void **state)
{
	scan_probe(0);
	assert_int_equal(rte_dev_remove(&dev_get(DEV)->device), 0);
	assert_int_equal(nb_removed, 1);
	assert_null(dev_get(DEV));
	assert_int_equal(fake_device_open_count(DEV), 0);
	assert_int_equal(fake_device_config_byte(DEV, PCI_COMMAND) &
		PCI_COMMAND_MASTER, 0);
	rte_bus_cleanup();
	assert_released(DEV);
	assert_released("0000:00:02.0");
}

static void
test_sparse_bar_maps_only_its_areas(void **state)
{
	static const struct vfio_region_sparse_mmap_area areas[] = {
		{ 0x0, 0x1000 }, { 0x10000, 0x2000 }, { 0x80000, 0x1000 },
	};
	struct rte_pci_device *dev;

	assert_int_equal(fake_pci_set_sparse(DEV, VFIO_PCI_BAR2_REGION_INDEX,
		areas, RTE_DIM(areas)), 0);
	scan_probe(0);
	dev = dev_get(DEV);
	/* device 1: BAR0 + 3 areas; device 2: BAR0 + BAR2 */
	assert_int_equal(fake_live_mappings(), 1 + 3 + 2);
	*(volatile uint32_t *)RTE_PTR_ADD(dev->mem_resource[2].addr, 0x10004) = 7;
	assert_int_equal(*(volatile uint32_t *)RTE_PTR_ADD(
		dev->mem_resource[2].addr, 0x10004), 7);
}

static void
test_failed_bar_mmap_leaves_nothing(void **state)
{
	/* the second mmap of device 1 (its BAR2) fails */
	fake_fault_mmap(2, ENOMEM);
	assert_int_equal(pci()->scan(), 0);
	assert_int_equal(pci()->plug(&dev_get(DEV)->device), -1);
	assert_int_equal(nb_probed, 0);
	assert_null(dev_get(DEV)->vfio);
	assert_released(DEV);
}

static void
test_failed_set_irqs_leaves_nothing(void **state)
{
	fake_fault_ioctl(VFIO_DEVICE_SET_IRQS, 1, EINVAL);
	assert_int_equal(pci()->scan(), 0);
	rte_errno = 0;
	assert_int_equal(pci()->plug(&dev_get(DEV)->device), -1);
	assert_int_equal(rte_errno, EIO);
	assert_released(DEV);
}

/*
 * Every device ioctl of the PCI mapping path fails, with each errno the
 * kernel documents for it, at each of its calls: the plug fails (or lives
 * with it), and a failed plug leaves no fd, mapping or eventfd behind; the
 * next plug without the fault works and the removal releases everything.
 */
static const struct {
	unsigned long req;
	int errs[6];
} pci_calls[] = {
	{ VFIO_DEVICE_GET_INFO, { EFAULT, EINVAL, EIO } },
	{ VFIO_DEVICE_GET_REGION_INFO, { EFAULT, EINVAL, ENOMEM, EIO } },
	{ VFIO_DEVICE_GET_IRQ_INFO, { EFAULT, EINVAL, EIO } },
	{ VFIO_DEVICE_SET_IRQS, { EINVAL, ENOMEM, EBUSY, EFAULT, EIO } },
	{ VFIO_DEVICE_RESET, { EINVAL, ENOTTY, EAGAIN, EBUSY, EIO } },
};

/* nth calls after the last one the flow makes are not reached */
#define PCI_NTH_LIMIT 64

/* plug with the fault armed; 1 when the fault was reached */
static int
plug_with_fault(const char *what, void (*arm)(unsigned int nth, int err,
		unsigned long req), unsigned long req, unsigned int nth, int err,
		unsigned int (*calls)(unsigned long req))
{
	struct rte_pci_device *dev = dev_get(DEV);
	unsigned int before = calls(req);
	int ret, hit;

	assert_non_null(dev);
	nb_probed = 0;
	arm(nth, err, req);
	rte_errno = 0;
	ret = pci()->plug(&dev->device);
	fake_fault_clear();
	hit = calls(req) - before >= nth;
	if (ret != 0) {
		if (rte_errno == 0)
			fail_msg("plug with %s failing (%s, call %u): rte_errno not set",
				what, strerror(err), nth);
		assert_int_equal(nb_probed, 0);
		assert_null(dev->vfio);
		assert_null(dev->driver);
		assert_released(DEV);
		/* nothing half-built: the plug works without the fault */
		assert_int_equal(pci()->plug(&dev->device), 0);
	}
	assert_int_equal(rte_dev_remove(&dev->device), 0);
	assert_released(DEV);
	assert_int_equal(pci()->scan(), 0);
	return hit;
}

static void
arm_ioctl(unsigned int nth, int err, unsigned long req)
{
	fake_fault_ioctl(req, nth, err);
}

static unsigned int
ioctl_calls(unsigned long req)
{
	return fake_ioctl_calls(req);
}

static void
test_pci_ioctl_faults_at_every_call_leave_nothing(void **state)
{
	unsigned int i, j, nth, reached = 0;
	char what[64];

	assert_int_equal(pci()->scan(), 0);
	for (i = 0; i < RTE_DIM(pci_calls); i++) {
		for (j = 0; j < RTE_DIM(pci_calls[i].errs) &&
				pci_calls[i].errs[j] != 0; j++) {
			snprintf(what, sizeof(what), "ioctl %#lx", pci_calls[i].req);
			for (nth = 1; nth <= PCI_NTH_LIMIT; nth++) {
				if (!plug_with_fault(what, arm_ioctl,
						pci_calls[i].req, nth,
						pci_calls[i].errs[j], ioctl_calls))
					break;
				reached++;
			}
			assert_true(nth < PCI_NTH_LIMIT);
		}
	}
	/* every call above is made by a plug */
	assert_true(reached >= RTE_DIM(pci_calls));
}

/* pread (rw 0) and pwrite (rw 1) of the device fd: config space */
static void
test_pci_config_faults_during_plug_leave_nothing(void **state)
{
	static const int errs[] = { EIO, EINVAL, EFAULT, ENODEV };
	unsigned int i, nth, rw, failures[2] = { 0, 0 };
	int failed;

	assert_int_equal(pci()->scan(), 0);
	for (rw = 0; rw < 2; rw++) {
		for (i = 0; i < RTE_DIM(errs); i++) {
			failed = 1;
			for (nth = 1; nth <= PCI_NTH_LIMIT && failed; nth++) {
				struct rte_pci_device *dev = dev_get(DEV);
				int ret;

				fake_fault_rw(rw == 1, nth, errs[i]);
				rte_errno = 0;
				ret = pci()->plug(&dev->device);
				/* a fault left armed was never reached */
				failed = ret != 0;
				failures[rw] += failed;
				fake_fault_clear();
				if (ret != 0) {
					assert_int_not_equal(rte_errno, 0);
					assert_null(dev->vfio);
					assert_released(DEV);
					assert_int_equal(pci()->plug(&dev->device), 0);
				}
				assert_int_equal(rte_dev_remove(&dev->device), 0);
				assert_released(DEV);
				assert_int_equal(pci()->scan(), 0);
			}
		}
	}
	/* the plug reads and writes config space (bus master, capabilities) */
	printf("config faults that failed the plug: %u reads, %u writes\n",
		failures[0], failures[1]);
	assert_true(failures[0] > 0 && failures[1] > 0);
}

static void
test_config_access_faults_are_eio(void **state)
{
	static const int errs[] = { EIO, EINVAL, EFAULT, ENODEV, EAGAIN };
	struct rte_pci_device *dev;
	uint32_t v = 0;
	unsigned int i, fds;

	scan_probe(0);
	dev = dev_get(DEV);
	fds = fake_open_fds();
	for (i = 0; i < RTE_DIM(errs); i++) {
		fake_fault_rw(false, 1, errs[i]);
		rte_errno = 0;
		assert_int_equal(rte_pci_read_config(dev, &v, 4, 0), -1);
		assert_int_equal(rte_errno, EIO);
		fake_fault_rw(true, 1, errs[i]);
		rte_errno = 0;
		assert_int_equal(rte_pci_write_config(dev, &v, 2, PCI_COMMAND), -1);
		assert_int_equal(rte_errno, EIO);
		fake_fault_clear();
		assert_int_equal(fake_open_fds(), fds);
	}
	assert_int_equal(rte_pci_read_config(dev, &v, 4, 0), 4);
	assert_int_equal(v, 0x11e81b36);
}

static void
test_device_not_on_vfio_is_skipped(void **state)
{
	struct fake_pci_desc d;

	fake_pci_desc_default(&d, "0000:00:09.0", 19);
	d.vendor = 0x1b36;
	d.device = 0x11e8;
	d.driver[0] = '\0';
	assert_int_equal(fake_pci_add(&d), 0);
	scan_probe(0);
	assert_int_equal(nb_probed, 2);
	assert_null(dev_get("0000:00:09.0")->driver);
	assert_int_equal(dev_get("0000:00:09.0")->kdrv, RTE_PCI_KDRV_NONE);
	assert_int_equal(fake_device_open_count("0000:00:09.0"), 0);
}

static int removal_done;

static void
mark_done(void *arg)
{
	__atomic_store_n(&removal_done, 1, __ATOMIC_SEQ_CST);
}

static void
test_request_notifier_hot_unplugs(void **state)
{
	uint64_t one = 1;
	int fds[2], i;

	scan_probe(0);
	assert_int_equal(fake_device_irq_eventfds(DEV, VFIO_PCI_REQ_IRQ_INDEX,
		fds, 2), 1);
	/* what the kernel does on a removal request */
	assert_int_equal(write(fds[0], &one, sizeof(one)), sizeof(one));
	/* hang guard only: the interrupt thread runs it in microseconds */
	for (i = 0; i < 5000 && __atomic_load_n(&nb_removed, __ATOMIC_SEQ_CST) == 0; i++)
		usleep(1000);
	assert_int_equal(__atomic_load_n(&nb_removed, __ATOMIC_SEQ_CST), 1);
	/* alarms run in order on one thread: ours runs after the removal */
	removal_done = 0;
	assert_int_equal(rte_eal_alarm_set(1, mark_done, NULL), 0);
	for (i = 0; i < 5000 && __atomic_load_n(&removal_done, __ATOMIC_SEQ_CST) == 0; i++)
		usleep(1000);
	assert_int_equal(removal_done, 1);
	assert_null(dev_get(DEV));
	assert_int_equal(fake_device_open_count(DEV), 0);
	/* the other device is untouched */
	assert_non_null(dev_get("0000:00:02.0")->driver);
	assert_int_equal(fake_device_open_count("0000:00:02.0"), 1);
}

#define PCI_ALL_MODES(fn) VFIO_ALL_MODES_WITH(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		PCI_ALL_MODES(test_probe_maps_through_vfio)
		PCI_ALL_MODES(test_remove_releases_everything)
		PCI_ALL_MODES(test_sparse_bar_maps_only_its_areas)
		PCI_ALL_MODES(test_failed_bar_mmap_leaves_nothing)
		PCI_ALL_MODES(test_failed_set_irqs_leaves_nothing)
		PCI_ALL_MODES(test_pci_ioctl_faults_at_every_call_leave_nothing)
		PCI_ALL_MODES(test_pci_config_faults_during_plug_leave_nothing)
		PCI_ALL_MODES(test_config_access_faults_are_eio)
		PCI_ALL_MODES(test_device_not_on_vfio_is_skipped)
		PCI_ALL_MODES(test_request_notifier_hot_unplugs)
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
