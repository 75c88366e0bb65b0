/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * edu DMA: buffers whose IOVA the device can reach, and transfers between
 * RAM and the device's internal buffer.
 *
 * The device only reaches addresses within its dma_mask (28 bits by
 * default in QEMU; higher bits are silently dropped by the device). Behind
 * an IOMMU (IOVA as VA) the IOVAs of EAL memory are user virtual addresses,
 * far above that, so the driver maps each buffer a second time at a low
 * IOVA taken from its own window; without an IOMMU the physical address
 * must already fit.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_vfio.h>

#include "edu_private.h"

/* Low IOVA window for remapped buffers: 128 MiB below the 28-bit limit. */
#define EDU_IOVA_WINDOW_BASE UINT64_C(0x8000000)
#define EDU_IOVA_WINDOW_SIZE UINT64_C(0x8000000)
#define EDU_IOVA_SLOT_SIZE UINT64_C(0x10000)
#define EDU_IOVA_SLOTS (EDU_IOVA_WINDOW_SIZE / EDU_IOVA_SLOT_SIZE)
/* Poll interval of the DMA command register. */
#define EDU_POLL_US 100

/* Slots used by this process, or found used by another one (EEXIST). */
static uint64_t slot_used[EDU_IOVA_SLOTS / 64];
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;

static int
slot_test(unsigned int s)
{
	return (slot_used[s / 64] >> (s % 64)) & 1;
}

static void
slot_set(unsigned int s, int used)
{
	if (used)
		slot_used[s / 64] |= UINT64_C(1) << (s % 64);
	else
		slot_used[s / 64] &= ~(UINT64_C(1) << (s % 64));
}

/* Map [va, va + len) at the first free low IOVA of the window. */
static int
remap_low(const struct rte_edu *edu, void *va, size_t len, rte_iova_t *iova)
{
	unsigned int s;
	int ret = -1;

	pthread_mutex_lock(&slot_lock);
	for (s = 0; s < EDU_IOVA_SLOTS; s++) {
		rte_iova_t try = EDU_IOVA_WINDOW_BASE + s * EDU_IOVA_SLOT_SIZE;

		if (slot_test(s))
			continue;
		if (try + len - 1 > edu->dma_mask)
			break;
		if (rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
				(uintptr_t)va, try, len) == 0) {
			slot_set(s, 1);
			*iova = try;
			ret = 0;
			break;
		}
		if (rte_errno != EEXIST)
			goto unlock; /* logged by VFIO */
		/* another process (primary/secondary) holds it */
		slot_set(s, 1);
	}
	if (ret != 0) {
		EDU_LOG(ERR, "%s: no free IOVA below 0x%" PRIx64 " in the window at 0x%" PRIx64,
			edu->name, edu->dma_mask + 1, EDU_IOVA_WINDOW_BASE);
		rte_errno = ENOSPC;
	}
unlock:
	pthread_mutex_unlock(&slot_lock);
	return ret;
}

static void
unmap_low(void *va, rte_iova_t iova, size_t len)
{
	unsigned int s = (unsigned int)((iova - EDU_IOVA_WINDOW_BASE) /
		EDU_IOVA_SLOT_SIZE);

	pthread_mutex_lock(&slot_lock);
	if (rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD,
			(uintptr_t)va, iova, len) == 0)
		slot_set(s, 0);
	pthread_mutex_unlock(&slot_lock);
}

int
rte_edu_buf_alloc(struct rte_edu *edu, size_t len, struct rte_edu_buf *buf)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), maplen;
	rte_iova_t iova;
	void *va;

	if (edu == NULL || buf == NULL || len == 0 || len > EDU_IOVA_SLOT_SIZE) {
		rte_errno = EINVAL;
		return -1;
	}
	memset(buf, 0, sizeof(*buf));
	buf->remap = RTE_BAD_IOVA;
	maplen = RTE_ALIGN_CEIL(len, page);
	va = rte_malloc("edu_dma", maplen, page);
	if (va == NULL) {
		EDU_LOG(ERR, "%s: cannot allocate %zu bytes of DMA memory",
			edu->name, maplen);
		rte_errno = ENOMEM;
		return -1;
	}
	iova = rte_malloc_virt2iova(va);
	if (iova != RTE_BAD_IOVA && iova + maplen - 1 <= edu->dma_mask)
		goto done;
	if (rte_vfio_get_iova_mode() != RTE_IOVA_VA) {
		EDU_LOG(ERR, "%s: buffer at IOVA 0x%" PRIx64 " is beyond the device's DMA mask 0x%" PRIx64
			" and there is no IOMMU to remap it: give the machine less memory or run the device with a wider dma_mask (and say so with the dma_mask device argument)",
			edu->name, iova, edu->dma_mask);
		rte_free(va);
		rte_errno = ERANGE;
		return -1;
	}
	if (remap_low(edu, va, maplen, &iova) != 0) {
		rte_free(va);
		return -1;
	}
	buf->remap = iova;
	buf->remap_len = maplen;
	EDU_LOG(DEBUG, "%s: buffer %p mapped at low IOVA 0x%" PRIx64, edu->name,
		va, iova);
done:
	buf->addr = va;
	buf->iova = iova;
	buf->len = len;
	return 0;
}

void
rte_edu_buf_free(struct rte_edu *edu __rte_unused, struct rte_edu_buf *buf)
{
	if (buf == NULL || buf->addr == NULL)
		return;
	if (buf->remap != RTE_BAD_IOVA)
		unmap_low(buf->addr, buf->remap, buf->remap_len);
	rte_free(buf->addr);
	memset(buf, 0, sizeof(*buf));
	buf->remap = RTE_BAD_IOVA;
}

static int
dma_args_check(const struct rte_edu *edu, rte_iova_t ram_iova,
		uint32_t dev_off, uint32_t len)
{
	if (len == 0 || len > RTE_EDU_DMA_MAX ||
			dev_off >= RTE_EDU_BUF_SIZE ||
			dev_off + len >= RTE_EDU_BUF_SIZE) {
		EDU_LOG(ERR, "%s: DMA of %u bytes at buffer offset %u: must stay below byte %u",
			edu->name, len, dev_off, RTE_EDU_BUF_SIZE - 1);
		return -1;
	}
	if (ram_iova + len - 1 < ram_iova || ram_iova + len - 1 > edu->dma_mask) {
		EDU_LOG(ERR, "%s: DMA at IOVA 0x%" PRIx64 " (+%u) is beyond the DMA mask 0x%" PRIx64,
			edu->name, ram_iova, len, edu->dma_mask);
		return -1;
	}
	return 0;
}

static int
dma_poll(struct rte_edu *edu)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((edu_read32(edu, EDU_REG_DMA_CMD) & EDU_DMA_CMD_START) != 0) {
		if (edu_removing(edu)) {
			rte_errno = ENODEV;
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 +
				(now.tv_nsec - start.tv_nsec) / 1000000 > EDU_TIMEOUT_MS) {
			EDU_LOG(ERR, "%s: DMA not finished after %d ms", edu->name,
				EDU_TIMEOUT_MS);
			rte_errno = ETIMEDOUT;
			return -1;
		}
		usleep(EDU_POLL_US);
	}
	return 0;
}

int
rte_edu_dma(struct rte_edu *edu, rte_iova_t ram_iova, uint32_t dev_off,
		uint32_t len, int to_ram, enum rte_edu_wait wait)
{
	uint64_t dev_addr = EDU_BUF_ADDR + dev_off;
	uint32_t cmd = EDU_DMA_CMD_START;
	int ret;

	if (edu == NULL || dma_args_check(edu, ram_iova, dev_off, len) != 0 ||
			(wait != RTE_EDU_WAIT_POLL && wait != RTE_EDU_WAIT_INTR)) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&edu->dma_lock);
	if (edu->pci == NULL || edu_removing(edu)) {
		pthread_mutex_unlock(&edu->dma_lock);
		rte_errno = ENODEV;
		return -1;
	}
	if (wait == RTE_EDU_WAIT_INTR && edu->pci->intr_handle == NULL) {
		pthread_mutex_unlock(&edu->dma_lock);
		rte_errno = ENOTSUP;
		return -1;
	}
	edu_write64(edu, EDU_REG_DMA_SRC, to_ram ? dev_addr : ram_iova);
	edu_write64(edu, EDU_REG_DMA_DST, to_ram ? ram_iova : dev_addr);
	edu_write64(edu, EDU_REG_DMA_COUNT, len);
	if (to_ram)
		cmd |= EDU_DMA_CMD_TO_RAM;
	if (wait == RTE_EDU_WAIT_INTR) {
		cmd |= EDU_DMA_CMD_IRQ;
		edu_irq_forget(edu, EDU_IRQ_DMA_DONE);
	}
	/* the data written to RAM must be visible before the device reads it */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	edu_write64(edu, EDU_REG_DMA_CMD, cmd);
	if (wait == RTE_EDU_WAIT_INTR)
		ret = edu_irq_wait(edu, EDU_IRQ_DMA_DONE);
	else
		ret = dma_poll(edu);
	/* and what the device wrote is read only after completion */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&edu->dma_lock);
	return ret;
}
