/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EDU_PRIVATE_H_
#define _EDU_PRIVATE_H_

#include <pthread.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_log.h>

#include <bus_pci_driver.h>

#include "edu_regs.h"
#include "rte_edu.h"

extern int edu_logtype;
#define RTE_LOGTYPE_EDU edu_logtype
/** One log line of the driver; the newline is added. */
#define EDU_LOG(level, ...) RTE_LOG_LINE(level, EDU, __VA_ARGS__)

/* Hang guard for DMA completion and interrupts (TCG is slow, not this slow). */
#define EDU_TIMEOUT_MS 10000

struct rte_edu {
	TAILQ_ENTRY(rte_edu) next;
	struct rte_pci_device *pci;  /* NULL once removed */
	volatile uint8_t *bar;       /* BAR0 */
	uint64_t dma_mask;           /* highest address the device reaches */
	uint32_t ident;
	const char *intr_mode;       /* "MSI", "INTx", ... or "none" */
	char name[PCI_PRI_STR_SIZE];
	pthread_mutex_t dma_lock;    /* one DMA at a time; removal waits on it */
	pthread_mutex_t irq_lock;
	pthread_cond_t irq_cond;
	uint32_t irq_seen;           /* status bits the callback acknowledged */
	int removing;                /* remove() started: waits end with ENODEV */
	uint64_t irq_count;
};

static inline uint32_t
edu_read32(const struct rte_edu *edu, uint32_t reg)
{
	return *(volatile const uint32_t *)(edu->bar + reg);
}

static inline void
edu_write32(struct rte_edu *edu, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(edu->bar + reg) = v;
}

static inline void
edu_write64(struct rte_edu *edu, uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(edu->bar + reg) = v;
}

/**
 * Wait until the interrupt callback has seen all bits of mask, then clear
 * them from irq_seen. 0, or -1 with rte_errno ETIMEDOUT, or ENODEV when
 * the device is being removed.
 */
int edu_irq_wait(struct rte_edu *edu, uint32_t mask);

/** Whether remove() has started (a DMA in flight must end now). */
static inline int
edu_removing(const struct rte_edu *edu)
{
	return __atomic_load_n(&edu->removing, __ATOMIC_ACQUIRE);
}

/** Forget status bits seen before a new request. */
void edu_irq_forget(struct rte_edu *edu, uint32_t mask);

#endif /* _EDU_PRIVATE_H_ */
