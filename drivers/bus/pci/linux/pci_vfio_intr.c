/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Interrupts of VFIO PCI devices: the mode chosen with --vfio-intr (best
 * available by default), eventfds programmed with VFIO_DEVICE_SET_IRQS
 * through the interrupt type operations (so rte_intr_enable/disable work
 * on the handle), and the request notifier that turns a kernel removal
 * request into a clean hot-unplug.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <rte_alarm.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_interrupts.h>

#include "../private.h"
#include "pci_vfio.h"

/* Most vectors programmed at once (vector 0 + per-queue eventfds). */
#define PCI_VFIO_MAX_VECTORS 64
/* Delay before the removal runs outside the notifier callback. */
#define PCI_VFIO_REQ_DELAY_US 1
/* Retry delay of a removal while the bus is busy (probe, unplug). */
#define PCI_VFIO_REQ_RETRY_US 1000

/* Interrupt modes, best first. */
static const struct intr_mode {
	enum rte_intr_mode mode;
	int index;
	enum rte_intr_handle_type type;
	const char *name;
} intr_modes[] = {
	{ RTE_INTR_MODE_MSIX, VFIO_PCI_MSIX_IRQ_INDEX, RTE_INTR_HANDLE_VFIO_MSIX, "MSI-X" },
	{ RTE_INTR_MODE_MSI, VFIO_PCI_MSI_IRQ_INDEX, RTE_INTR_HANDLE_VFIO_MSI, "MSI" },
	{ RTE_INTR_MODE_LEGACY, VFIO_PCI_INTX_IRQ_INDEX, RTE_INTR_HANDLE_VFIO_LEGACY, "INTx" },
};

static int
type_to_index(enum rte_intr_handle_type type)
{
	unsigned int i;

	if (type == RTE_INTR_HANDLE_VFIO_REQ)
		return VFIO_PCI_REQ_IRQ_INDEX;
	for (i = 0; i < RTE_DIM(intr_modes); i++)
		if (intr_modes[i].type == type)
			return intr_modes[i].index;
	return -1;
}

/* VFIO_DEVICE_SET_IRQS with count eventfds (count 0: disable the index). */
static int
irqs_set(int dev_fd, int index, uint32_t action, const int *fds,
		uint32_t count)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int) * PCI_VFIO_MAX_VECTORS];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(*set) + sizeof(int) * count;
	set->flags = action | (fds != NULL ? VFIO_IRQ_SET_DATA_EVENTFD :
		VFIO_IRQ_SET_DATA_NONE);
	set->index = (uint32_t)index;
	set->start = 0;
	set->count = count;
	if (fds != NULL)
		memcpy(set->data, fds, sizeof(int) * count);
	return ioctl(dev_fd, VFIO_DEVICE_SET_IRQS, set);
}

static int
handle_index(const struct rte_intr_handle *h, int *dev_fd)
{
	int index = type_to_index(rte_intr_type_get(h));

	*dev_fd = rte_intr_dev_fd_get(h);
	if (index < 0 || *dev_fd < 0) {
		rte_errno = EINVAL;
		return -1;
	}
	return index;
}

static int
vfio_intr_enable(const struct rte_intr_handle *h)
{
	int fds[PCI_VFIO_MAX_VECTORS];
	int dev_fd, index, nb_efd, i;
	uint32_t count = 1;

	index = handle_index(h, &dev_fd);
	if (index < 0)
		return -1;
	fds[0] = rte_intr_fd_get(h);
	nb_efd = rte_intr_nb_efd_get(h);
	if (index == VFIO_PCI_MSI_IRQ_INDEX || index == VFIO_PCI_MSIX_IRQ_INDEX) {
		for (i = 0; i < nb_efd && count < PCI_VFIO_MAX_VECTORS; i++)
			fds[count++] = rte_intr_efds_index_get(h, i);
	}
	if (irqs_set(dev_fd, index, VFIO_IRQ_SET_ACTION_TRIGGER, fds, count) != 0)
		goto fail;
	/* INTx is masked by the kernel after each interrupt: enable unmasks */
	if (index == VFIO_PCI_INTX_IRQ_INDEX &&
			irqs_set(dev_fd, index, VFIO_IRQ_SET_ACTION_UNMASK, NULL, 1) != 0)
		goto fail;
	return 0;
fail:
	RTE_LOG_LINE(ERR, PCI, "VFIO device fd %d: enabling IRQ index %d: %s",
		dev_fd, index, strerror(errno));
	rte_errno = EIO;
	return -1;
}

static int
vfio_intr_disable(const struct rte_intr_handle *h)
{
	int dev_fd, index;

	index = handle_index(h, &dev_fd);
	if (index < 0)
		return -1;
	if (irqs_set(dev_fd, index, VFIO_IRQ_SET_ACTION_TRIGGER, NULL, 0) != 0) {
		/* vfio-pci: EINVAL when another index (or none) is enabled,
		 * i.e. this one is off already (a secondary that exited, or
		 * the removal, disabled it)
		 */
		if (errno == EINVAL) {
			RTE_LOG_LINE(DEBUG, PCI, "VFIO device fd %d: IRQ index %d already disabled",
				dev_fd, index);
			return 0;
		}
		RTE_LOG_LINE(ERR, PCI, "VFIO device fd %d: disabling IRQ index %d: %s",
			dev_fd, index, strerror(errno));
		rte_errno = EIO;
		return -1;
	}
	return 0;
}

static void
vfio_efd_disable(struct rte_intr_handle *h)
{
	int i, n = rte_intr_nb_efd_get(h);

	for (i = 0; i < n; i++) {
		int fd = rte_intr_efds_index_get(h, i);

		if (fd >= 0)
			close(fd);
		rte_intr_efds_index_set(h, i, -1);
	}
	rte_intr_nb_efd_set(h, 0);
}

/* Per-vector eventfds (vectors 1..nb_efd) for MSI/MSI-X queues. */
static int
vfio_efd_enable(struct rte_intr_handle *h, uint32_t nb_efd)
{
	enum rte_intr_handle_type type = rte_intr_type_get(h);
	uint32_t i;
	int fd;

	if (type != RTE_INTR_HANDLE_VFIO_MSI && type != RTE_INTR_HANDLE_VFIO_MSIX) {
		rte_errno = ENOTSUP; /* INTx and the notifier have one vector */
		return -1;
	}
	if (nb_efd >= PCI_VFIO_MAX_VECTORS ||
			(int)nb_efd >= rte_intr_max_intr_get(h)) {
		rte_errno = EINVAL;
		return -1;
	}
	vfio_efd_disable(h);
	for (i = 0; i < nb_efd; i++) {
		fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd < 0) {
			RTE_LOG_LINE(ERR, PCI, "eventfd for vector %u: %s", i + 1,
				strerror(errno));
			rte_intr_nb_efd_set(h, (int)i);
			vfio_efd_disable(h);
			rte_errno = ENOMEM;
			return -1;
		}
		rte_intr_efds_index_set(h, (int)i, fd);
		rte_intr_nb_efd_set(h, (int)i + 1);
	}
	return 0;
}

static const struct rte_intr_type_ops vfio_intr_ops = {
	.enable = vfio_intr_enable,
	.disable = vfio_intr_disable,
	.efd_enable = vfio_efd_enable,
	.efd_disable = vfio_efd_disable,
};

int
pci_vfio_intr_ops_register(void)
{
	static const enum rte_intr_handle_type types[] = {
		RTE_INTR_HANDLE_VFIO_LEGACY, RTE_INTR_HANDLE_VFIO_MSI,
		RTE_INTR_HANDLE_VFIO_MSIX, RTE_INTR_HANDLE_VFIO_REQ,
	};
	static int registered;
	unsigned int i;

	if (registered)
		return 0;
	for (i = 0; i < RTE_DIM(types); i++) {
		if (rte_intr_type_ops_register(types[i], &vfio_intr_ops) != 0 &&
				rte_errno != EEXIST) {
			PCI_LOG(ERR, "cannot register the VFIO interrupt operations: %s",
				rte_strerror(rte_errno));
			return -1;
		}
	}
	registered = 1;
	return 0;
}

/* Vectors of an IRQ index usable with eventfds (0 when none). */
static uint32_t
irq_count(const struct rte_pci_device *dev, int index)
{
	struct vfio_irq_info info;

	if ((uint32_t)index >= dev->vfio->num_irqs)
		return 0;
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	info.index = (uint32_t)index;
	if (ioctl(dev->vfio->fd, VFIO_DEVICE_GET_IRQ_INFO, &info) != 0) {
		PCI_LOG(DEBUG, "%s: VFIO_DEVICE_GET_IRQ_INFO of index %d: %s",
			dev->name, index, strerror(errno));
		return 0;
	}
	return (info.flags & VFIO_IRQ_INFO_EVENTFD) != 0 ? info.count : 0;
}

/* A handle of the given type on a new eventfd; NULL with rte_errno. */
static struct rte_intr_handle *
handle_create(const struct rte_pci_device *dev, enum rte_intr_handle_type type,
		uint32_t max_intr)
{
	struct rte_intr_handle *h;
	int efd;

	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL) {
		PCI_LOG(ERR, "%s: cannot allocate an interrupt handle", dev->name);
		rte_errno = ENOMEM;
		return NULL;
	}
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (efd < 0) {
		PCI_LOG(ERR, "%s: eventfd: %s", dev->name, strerror(errno));
		rte_intr_instance_free(h);
		rte_errno = errno == EMFILE || errno == ENFILE ? ENOSPC : ENOMEM;
		return NULL;
	}
	if (rte_intr_fd_set(h, efd) != 0 || rte_intr_type_set(h, type) != 0 ||
			rte_intr_dev_fd_set(h, dev->vfio->fd) != 0 ||
			rte_intr_max_intr_set(h, (int)max_intr) != 0) {
		PCI_LOG(ERR, "%s: cannot fill the interrupt handle: %s", dev->name,
			rte_strerror(rte_errno));
		close(efd);
		rte_intr_instance_free(h);
		return NULL;
	}
	return h;
}

static void
handle_destroy(struct rte_intr_handle *h)
{
	int efd = rte_intr_fd_get(h);

	vfio_efd_disable(h);
	if (efd >= 0)
		close(efd);
	rte_intr_instance_free(h);
}

/*
 * Runs from an alarm, outside the notifier callback it unregisters. It
 * never waits for the bus lock: whoever holds it may be waiting for this
 * alarm to end (rte_eal_alarm_cancel() in req_notifier_teardown()), so a
 * busy bus makes it try again a little later.
 */
static void
req_remove(void *arg)
{
	struct rte_pci_device *dev = arg;

	if (pthread_mutex_trylock(&pci_bus.lock) != 0) {
		if (rte_eal_alarm_set(PCI_VFIO_REQ_RETRY_US, req_remove, dev) != 0)
			PCI_LOG(ERR, "%s: cannot schedule the removal again: %s",
				dev->name, rte_strerror(rte_errno));
		return;
	}
	if (pci_bus.closing || !pci_device_listed(dev))
		goto unlock; /* cleanup releases it, or it is gone already */
	if (dev->driver != NULL) {
		/* the device is freed when this succeeds */
		if (pci_device_unplug_locked(dev) != 0)
			PCI_LOG(ERR, "%s: hot-unplug failed: %s; the kernel keeps waiting",
				dev->name, rte_strerror(rte_errno));
	} else {
		rte_pci_unmap_device(dev);
	}
unlock:
	pthread_mutex_unlock(&pci_bus.lock);
}

void
pci_vfio_req_quiesce(void)
{
	pthread_mutex_lock(&pci_bus.lock);
	pci_bus.closing = 1;
	pthread_mutex_unlock(&pci_bus.lock);
	/* waits for a removal that runs; it sees closing if it retries */
	rte_eal_alarm_cancel(req_remove, (void *)-1);
}

static void
req_handler(void *arg)
{
	struct rte_pci_device *dev = arg;
	uint64_t count;
	int closing;

	/* drain the eventfd: the kernel repeats the request until released */
	if (read(rte_intr_fd_get(dev->vfio_req_intr_handle), &count,
			sizeof(count)) < 0 && errno != EAGAIN)
		PCI_LOG(DEBUG, "%s: reading the request eventfd: %s", dev->name,
			strerror(errno));
	pthread_mutex_lock(&pci_bus.lock);
	closing = pci_bus.closing;
	pthread_mutex_unlock(&pci_bus.lock);
	if (closing) {
		PCI_LOG(DEBUG, "%s: removal requested during cleanup, which releases it",
			dev->name);
		return;
	}
	if (dev->driver != NULL &&
			(dev->driver->drv_flags & RTE_PCI_DRV_INTR_RMV) == 0) {
		PCI_LOG(WARNING, "%s: the kernel asks to remove the device but driver %s does not support hot-unplug",
			dev->name, dev->driver->driver.name);
		return;
	}
	PCI_LOG(NOTICE, "%s: removal requested by the kernel: releasing the device",
		dev->name);
	if (rte_eal_alarm_set(PCI_VFIO_REQ_DELAY_US, req_remove, dev) != 0)
		PCI_LOG(ERR, "%s: cannot schedule the removal: %s", dev->name,
			rte_strerror(rte_errno));
}

/* Arm the request notifier (primary only); a device without one is fine. */
static int
req_notifier_setup(struct rte_pci_device *dev)
{
	struct rte_intr_handle *h;

	if (irq_count(dev, VFIO_PCI_REQ_IRQ_INDEX) == 0) {
		PCI_LOG(DEBUG, "%s: no VFIO request notifier", dev->name);
		return 0;
	}
	h = handle_create(dev, RTE_INTR_HANDLE_VFIO_REQ, 1);
	if (h == NULL)
		return -1;
	dev->vfio_req_intr_handle = h;
	if (rte_intr_callback_register(h, req_handler, dev) != 0) {
		PCI_LOG(ERR, "%s: cannot register the request notifier callback: %s",
			dev->name, rte_strerror(rte_errno));
		goto destroy;
	}
	if (rte_intr_enable(h) != 0)
		goto unregister;
	return 0;
unregister:
	rte_intr_callback_unregister(h, req_handler, dev);
destroy:
	dev->vfio_req_intr_handle = NULL;
	handle_destroy(h);
	return -1;
}

static void
req_notifier_teardown(struct rte_pci_device *dev)
{
	struct rte_intr_handle *h = dev->vfio_req_intr_handle;

	/*
	 * Drops repeated requests still queued; on the interrupt thread (the
	 * removal itself) it does not wait for the alarm that runs.
	 */
	rte_eal_alarm_cancel(req_remove, dev);
	if (h == NULL)
		return;
	rte_intr_disable(h);
	rte_intr_callback_unregister_sync(h, req_handler, dev);
	dev->vfio_req_intr_handle = NULL;
	handle_destroy(h);
}

static const char *
intr_mode_name(enum rte_intr_mode mode)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(intr_modes); i++)
		if (intr_modes[i].mode == mode)
			return intr_modes[i].name;
	return "unknown";
}

static const struct intr_mode *
intr_mode_pick(const struct rte_pci_device *dev, uint32_t *count)
{
	enum rte_intr_mode want = rte_eal_vfio_intr_mode();
	unsigned int i;

	for (i = 0; i < RTE_DIM(intr_modes); i++) {
		if (want != RTE_INTR_MODE_NONE && intr_modes[i].mode != want)
			continue;
		*count = irq_count(dev, intr_modes[i].index);
		if (*count != 0)
			return &intr_modes[i];
		if (want != RTE_INTR_MODE_NONE)
			break;
	}
	return NULL;
}

int
pci_vfio_intr_setup(struct rte_pci_device *dev)
{
	const struct intr_mode *m;
	uint32_t count = 0;

	m = intr_mode_pick(dev, &count);
	if (m == NULL && rte_eal_vfio_intr_mode() != RTE_INTR_MODE_NONE) {
		PCI_LOG(ERR, "%s: --vfio-intr asks for %s interrupts, which the device does not offer",
			dev->name, intr_mode_name(rte_eal_vfio_intr_mode()));
		rte_errno = ENOTSUP;
		return -1;
	}
	if (m != NULL) {
		dev->intr_handle = handle_create(dev, m->type, count);
		if (dev->intr_handle == NULL)
			return -1;
		dev->vfio->irq_index = m->index;
		dev->vfio->irq_count = count;
		PCI_LOG(DEBUG, "%s: interrupts: %s, %u vector(s)", dev->name,
			m->name, count);
	} else {
		PCI_LOG(DEBUG, "%s: the device has no interrupts", dev->name);
	}
	if (rte_eal_process_type() == RTE_PROC_PRIMARY &&
			req_notifier_setup(dev) != 0) {
		if (dev->intr_handle != NULL) {
			handle_destroy(dev->intr_handle);
			dev->intr_handle = NULL;
		}
		return -1;
	}
	return 0;
}

void
pci_vfio_intr_teardown(struct rte_pci_device *dev)
{
	req_notifier_teardown(dev);
	if (dev->intr_handle == NULL)
		return;
	/* the driver may have left it on; the kernel keeps nothing after this */
	if (irqs_set(dev->vfio->fd, dev->vfio->irq_index,
			VFIO_IRQ_SET_ACTION_TRIGGER, NULL, 0) != 0)
		PCI_LOG(DEBUG, "%s: disabling interrupts: %s", dev->name,
			strerror(errno));
	handle_destroy(dev->intr_handle);
	dev->intr_handle = NULL;
	dev->vfio->irq_index = -1;
	dev->vfio->irq_count = 0;
}
