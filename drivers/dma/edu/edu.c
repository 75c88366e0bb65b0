/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * edu driver: probe/remove, the device list, liveness check and the
 * interrupt (callback on the PCI device's interrupt handle).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_devargs.h>
#include <rte_errno.h>
#include <rte_interrupts.h>

#include "edu_private.h"

RTE_LOG_REGISTER(edu_logtype, "dma.edu", NOTICE);

/* Smallest BAR0 holding every register. */
#define EDU_BAR_MIN 0x100

/* Every device ever probed; removed ones stay (pci NULL) so that stale
 * pointers held by applications fail cleanly instead of crashing. */
static TAILQ_HEAD(, rte_edu) edu_list = TAILQ_HEAD_INITIALIZER(edu_list);
static pthread_mutex_t edu_list_lock = PTHREAD_MUTEX_INITIALIZER;

unsigned int
rte_edu_count(void)
{
	const struct rte_edu *edu;
	unsigned int n = 0;

	pthread_mutex_lock(&edu_list_lock);
	TAILQ_FOREACH(edu, &edu_list, next)
		n += edu->pci != NULL;
	pthread_mutex_unlock(&edu_list_lock);
	return n;
}

struct rte_edu *
rte_edu_get(unsigned int index)
{
	struct rte_edu *edu;

	pthread_mutex_lock(&edu_list_lock);
	TAILQ_FOREACH(edu, &edu_list, next)
		if (edu->pci != NULL && index-- == 0)
			break;
	pthread_mutex_unlock(&edu_list_lock);
	if (edu == NULL)
		rte_errno = ENODEV;
	return edu;
}

const char *
rte_edu_name(const struct rte_edu *edu)
{
	return edu->name;
}

uint32_t
rte_edu_ident(const struct rte_edu *edu)
{
	return edu->ident;
}

const char *
rte_edu_intr_mode(const struct rte_edu *edu)
{
	return edu->intr_mode;
}

uint64_t
rte_edu_irq_count(const struct rte_edu *edu)
{
	return __atomic_load_n(&edu->irq_count, __ATOMIC_RELAXED);
}

int
rte_edu_liveness(struct rte_edu *edu, uint32_t value)
{
	uint32_t got;

	if (edu == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&edu->dma_lock);
	if (edu->pci == NULL) {
		pthread_mutex_unlock(&edu->dma_lock);
		rte_errno = ENODEV;
		return -1;
	}
	edu_write32(edu, EDU_REG_LIVENESS, value);
	got = edu_read32(edu, EDU_REG_LIVENESS);
	pthread_mutex_unlock(&edu->dma_lock);
	if (got != ~value) {
		EDU_LOG(ERR, "%s: liveness check: wrote 0x%08x, read 0x%08x instead of 0x%08x",
			edu->name, value, got, ~value);
		rte_errno = EIO;
		return -1;
	}
	return 0;
}

/* Interrupt thread: acknowledge what the device raised, wake waiters. */
static void
edu_intr_cb(void *arg)
{
	struct rte_edu *edu = arg;
	struct rte_intr_handle *h = edu->pci->intr_handle;
	uint64_t n;
	uint32_t status;

	/* the eventfd counts interrupts; drain it (EAGAIN when already read) */
	if (read(rte_intr_fd_get(h), &n, sizeof(n)) < 0 && errno != EAGAIN)
		EDU_LOG(DEBUG, "%s: reading the interrupt eventfd: %s", edu->name,
			strerror(errno));
	status = edu_read32(edu, EDU_REG_IRQ_STATUS);
	if (status != 0)
		edu_write32(edu, EDU_REG_IRQ_ACK, status);
	pthread_mutex_lock(&edu->irq_lock);
	edu->irq_seen |= status;
	edu->irq_count++;
	pthread_cond_broadcast(&edu->irq_cond);
	pthread_mutex_unlock(&edu->irq_lock);
	/* INTx stays masked after each interrupt until enabled again */
	if (rte_intr_type_get(h) == RTE_INTR_HANDLE_VFIO_LEGACY)
		rte_intr_enable(h);
}

void
edu_irq_forget(struct rte_edu *edu, uint32_t mask)
{
	pthread_mutex_lock(&edu->irq_lock);
	edu->irq_seen &= ~mask;
	pthread_mutex_unlock(&edu->irq_lock);
}

int
edu_irq_wait(struct rte_edu *edu, uint32_t mask)
{
	struct timespec deadline;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += EDU_TIMEOUT_MS / 1000;
	pthread_mutex_lock(&edu->irq_lock);
	while ((edu->irq_seen & mask) != mask && ret == 0 && !edu_removing(edu))
		ret = pthread_cond_timedwait(&edu->irq_cond, &edu->irq_lock,
			&deadline);
	if ((edu->irq_seen & mask) == mask) {
		edu->irq_seen &= ~mask;
		ret = 0;
	} else if (edu_removing(edu)) {
		pthread_mutex_unlock(&edu->irq_lock);
		EDU_LOG(DEBUG, "%s: removed while waiting for interrupt 0x%x",
			edu->name, mask);
		rte_errno = ENODEV;
		return -1;
	}
	pthread_mutex_unlock(&edu->irq_lock);
	if (ret != 0) {
		EDU_LOG(ERR, "%s: no interrupt with status 0x%x within %d ms",
			edu->name, mask, EDU_TIMEOUT_MS);
		rte_errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

int
rte_edu_irq_test(struct rte_edu *edu, uint32_t value)
{
	uint32_t left;
	int ret;

	if (edu == NULL || value == 0 || (value & EDU_IRQ_DMA_DONE) != 0) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&edu->dma_lock);
	if (edu->pci == NULL || edu->pci->intr_handle == NULL) {
		pthread_mutex_unlock(&edu->dma_lock);
		rte_errno = edu->pci == NULL ? ENODEV : ENOTSUP;
		return -1;
	}
	edu_irq_forget(edu, value);
	edu_write32(edu, EDU_REG_IRQ_RAISE, value);
	ret = edu_irq_wait(edu, value);
	left = edu_read32(edu, EDU_REG_IRQ_STATUS);
	pthread_mutex_unlock(&edu->dma_lock);
	if (ret != 0)
		return -1;
	if ((left & value) != 0) {
		EDU_LOG(ERR, "%s: status 0x%x still set after the acknowledgement",
			edu->name, left);
		rte_errno = EIO;
		return -1;
	}
	return 0;
}

int
rte_edu_intr_rearm(struct rte_edu *edu)
{
	if (edu == NULL || edu->pci == NULL || edu->pci->intr_handle == NULL) {
		rte_errno = edu == NULL ? EINVAL : ENODEV;
		return -1;
	}
	return rte_intr_enable(edu->pci->intr_handle);
}

static const char *
intr_mode_name(const struct rte_intr_handle *h)
{
	static const struct {
		enum rte_intr_handle_type type;
		const char *name;
	} names[] = {
		{ RTE_INTR_HANDLE_VFIO_MSIX, "MSI-X" },
		{ RTE_INTR_HANDLE_VFIO_MSI, "MSI" },
		{ RTE_INTR_HANDLE_VFIO_LEGACY, "INTx" },
	};
	unsigned int i;

	if (h == NULL)
		return "none";
	for (i = 0; i < RTE_DIM(names); i++)
		if (names[i].type == rte_intr_type_get(h))
			return names[i].name;
	return "other";
}

static int
edu_intr_start(struct rte_edu *edu)
{
	struct rte_intr_handle *h = edu->pci->intr_handle;

	edu->intr_mode = intr_mode_name(h);
	if (h == NULL) {
		EDU_LOG(WARNING, "%s: no interrupts: only polling works", edu->name);
		return 0;
	}
	if (rte_intr_callback_register(h, edu_intr_cb, edu) != 0) {
		EDU_LOG(ERR, "%s: cannot register the interrupt callback: %s",
			edu->name, rte_strerror(rte_errno));
		return -1;
	}
	if (rte_intr_enable(h) != 0) {
		rte_intr_callback_unregister(h, edu_intr_cb, edu);
		return -1;
	}
	return 0;
}

static void
edu_intr_stop(struct rte_edu *edu)
{
	struct rte_intr_handle *h = edu->pci->intr_handle;

	if (h == NULL)
		return;
	rte_intr_disable(h);
	/* waits for a running callback (removal never runs inside it) */
	if (rte_intr_callback_unregister_sync(h, edu_intr_cb, edu) < 0)
		EDU_LOG(ERR, "%s: unregistering the interrupt callback: %s",
			edu->name, rte_strerror(rte_errno));
}

/* A mask is 2^n - 1 and covers at least the first page. */
static int
dma_mask_valid(uint64_t mask)
{
	return mask >= 0xfff && ((mask + 1) & mask) == 0;
}

int
rte_edu_set_dma_mask(struct rte_edu *edu, uint64_t mask)
{
	if (edu == NULL || !dma_mask_valid(mask)) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&edu->dma_lock);
	edu->dma_mask = mask;
	pthread_mutex_unlock(&edu->dma_lock);
	return 0;
}

uint64_t
rte_edu_dma_mask(const struct rte_edu *edu)
{
	return edu->dma_mask;
}

static int
dma_mask_parse(const struct rte_pci_device *pci, uint64_t *mask)
{
	const char *s = pci->device.devargs != NULL ?
		rte_devargs_get(pci->device.devargs, "dma_mask") : NULL;
	char *end;

	*mask = EDU_DEFAULT_DMA_MASK;
	if (s == NULL)
		return 0;
	errno = 0;
	*mask = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || !dma_mask_valid(*mask)) {
		EDU_LOG(ERR, "%s: dma_mask=%s is not a mask like 0xfffffff",
			pci->name, s);
		rte_errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
edu_probe(struct rte_pci_driver *drv, struct rte_pci_device *pci)
{
	struct rte_edu *edu;

	if (pci->mem_resource[0].addr == NULL ||
			pci->mem_resource[0].len < EDU_BAR_MIN) {
		EDU_LOG(ERR, "%s: BAR0 is not mapped", pci->name);
		rte_errno = ENODEV;
		return -1;
	}
	edu = calloc(1, sizeof(*edu));
	if (edu == NULL) {
		EDU_LOG(ERR, "%s: cannot allocate the device", pci->name);
		rte_errno = ENOMEM;
		return -1;
	}
	edu->pci = pci;
	edu->bar = pci->mem_resource[0].addr;
	memcpy(edu->name, pci->name, sizeof(edu->name));
	pthread_mutex_init(&edu->dma_lock, NULL);
	pthread_mutex_init(&edu->irq_lock, NULL);
	pthread_cond_init(&edu->irq_cond, NULL);
	if (dma_mask_parse(pci, &edu->dma_mask) != 0)
		goto free_edu;
	edu->ident = edu_read32(edu, EDU_REG_IDENT);
	if ((edu->ident & EDU_IDENT_MAGIC_MASK) != EDU_IDENT_MAGIC) {
		EDU_LOG(ERR, "%s: identification 0x%08x is not an edu's (0x..00ed)",
			pci->name, edu->ident);
		rte_errno = ENODEV;
		goto free_edu;
	}
	if (rte_edu_liveness(edu, 0x12345678) != 0 || edu_intr_start(edu) != 0)
		goto free_edu;
	pthread_mutex_lock(&edu_list_lock);
	TAILQ_INSERT_TAIL(&edu_list, edu, next);
	pthread_mutex_unlock(&edu_list_lock);
	EDU_LOG(INFO, "%s: edu version %u.%u, interrupts %s, DMA mask 0x%" PRIx64,
		pci->name, edu->ident >> 24, (edu->ident >> 16) & 0xff,
		edu->intr_mode, edu->dma_mask);
	return 0;
free_edu:
	pthread_cond_destroy(&edu->irq_cond);
	pthread_mutex_destroy(&edu->irq_lock);
	pthread_mutex_destroy(&edu->dma_lock);
	free(edu);
	return -1;
}

static int
edu_remove(struct rte_pci_device *pci)
{
	struct rte_edu *edu;

	pthread_mutex_lock(&edu_list_lock);
	TAILQ_FOREACH(edu, &edu_list, next)
		if (edu->pci == pci)
			break;
	pthread_mutex_unlock(&edu_list_lock);
	if (edu == NULL) {
		rte_errno = ENOENT;
		return -1;
	}
	/*
	 * A DMA in flight ends now with ENODEV: its completion interrupt may
	 * never come (the interrupt thread runs this removal), and the BAR
	 * goes away only after it released dma_lock.
	 */
	pthread_mutex_lock(&edu->irq_lock);
	__atomic_store_n(&edu->removing, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&edu->irq_cond);
	pthread_mutex_unlock(&edu->irq_lock);
	edu_intr_stop(edu);
	pthread_mutex_lock(&edu->dma_lock);
	edu->pci = NULL;
	edu->bar = NULL;
	pthread_mutex_unlock(&edu->dma_lock);
	EDU_LOG(INFO, "%s: removed", edu->name);
	return 0;
}

RTE_FINI(edu_fini)
{
	struct rte_edu *edu;

	while ((edu = TAILQ_FIRST(&edu_list)) != NULL) {
		TAILQ_REMOVE(&edu_list, edu, next);
		free(edu);
	}
}

static const struct rte_pci_id edu_ids[] = {
	{ RTE_PCI_DEVICE(RTE_EDU_VENDOR_ID, RTE_EDU_DEVICE_ID) },
	{ .vendor_id = 0 },
};

/* Device arguments the driver reads (-a <addr>,dma_mask=0xfffffff). */
static const char *const edu_devargs_keys[] = { "dma_mask", NULL };

static struct rte_pci_driver edu_driver = {
	.driver = { .devargs_keys = edu_devargs_keys },
	.probe = edu_probe,
	.remove = edu_remove,
	.id_table = edu_ids,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_INTR_RMV,
};

RTE_PMD_REGISTER_PCI(dma_edu, edu_driver);
