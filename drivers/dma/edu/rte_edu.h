/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_EDU_H_
#define _RTE_EDU_H_

/**
 * @file
 * Driver of QEMU's "edu" PCI device (1234:11e8): a DMA engine between RAM
 * and a 4 KiB buffer inside the device, and an interrupt that software
 * raises and acknowledges. It exists to exercise the whole VFIO path:
 * probe, BAR mapping, DMA mapping, device-initiated DMA through the IOMMU
 * and MSI/INTx interrupts through eventfds.
 *
 * Device arguments: `dma_mask=<mask>` (default 0xfffffff, QEMU's default
 * for the device) states the addresses the device can reach; set it when
 * QEMU runs the device with another dma_mask property.
 *
 * One DMA runs at a time per device (calls are serialised); the functions
 * may be called from any thread but not from an interrupt callback.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** PCI ids of the device. */
#define RTE_EDU_VENDOR_ID 0x1234
#define RTE_EDU_DEVICE_ID 0x11e8

/** Size of the device's internal buffer. */
#define RTE_EDU_BUF_SIZE 4096
/**
 * Largest transfer: QEMU 7.2 aborts the whole VM for a transfer that
 * reaches the last byte of the internal buffer, so offset + length must
 * stay below RTE_EDU_BUF_SIZE.
 */
#define RTE_EDU_DMA_MAX (RTE_EDU_BUF_SIZE - 1)

/** A probed edu device. */
struct rte_edu;

/** How to wait for the end of a DMA. */
enum rte_edu_wait {
	RTE_EDU_WAIT_POLL, /**< Poll the command register. */
	RTE_EDU_WAIT_INTR, /**< Sleep until the completion interrupt. */
};

/** DMA-able memory for one device. */
struct rte_edu_buf {
	void *addr;        /**< Virtual address (rte_malloc memory). */
	rte_iova_t iova;   /**< Address the device uses. */
	size_t len;        /**< Usable bytes. */
	rte_iova_t remap;  /**< Driver-made low IOVA mapping, or RTE_BAD_IOVA. */
	size_t remap_len;  /**< Its length. */
};

/**
 * @return
 *   Number of edu devices probed in this process.
 */
unsigned int rte_edu_count(void);

/**
 * @param index
 *   0 .. rte_edu_count() - 1, in PCI address order.
 * @return
 *   The device, or NULL (rte_errno ENODEV).
 */
struct rte_edu *rte_edu_get(unsigned int index);

/**
 * @param edu
 *   Device.
 * @return
 *   Its PCI address, e.g. "0000:00:03.0".
 */
const char *rte_edu_name(const struct rte_edu *edu);

/**
 * @param edu
 *   Device.
 * @return
 *   The identification register (0x010000ed for version 1.0).
 */
uint32_t rte_edu_ident(const struct rte_edu *edu);

/**
 * State the highest address the device can reach (QEMU's dma_mask
 * property, which the driver cannot read from the device). The default is
 * the dma_mask device argument, else 0xfffffff. A mask narrower than the
 * device's is always safe (buffers are then remapped behind an IOMMU);
 * a wider one makes the device truncate addresses. Applies to buffers
 * allocated and transfers started afterwards.
 *
 * @param edu
 *   Device.
 * @param mask
 *   2^n - 1, at least 0xfff.
 * @return
 *   0, or -1 with rte_errno EINVAL.
 */
int rte_edu_set_dma_mask(struct rte_edu *edu, uint64_t mask);

/**
 * @param edu
 *   Device.
 * @return
 *   The DMA mask in use.
 */
uint64_t rte_edu_dma_mask(const struct rte_edu *edu);

/**
 * @param edu
 *   Device.
 * @return
 *   Name of the interrupt mode in use ("MSI-X", "MSI", "INTx") or "none".
 */
const char *rte_edu_intr_mode(const struct rte_edu *edu);

/**
 * Liveness check: write value, read back its bitwise inverse.
 *
 * @param edu
 *   Device.
 * @param value
 *   Value to write.
 * @return
 *   0, or -1 with rte_errno EINVAL (NULL) or EIO (wrong value read back;
 *   logged with both values).
 */
int rte_edu_liveness(struct rte_edu *edu, uint32_t value);

/**
 * Allocate DMA-able memory for a device: rte_malloc memory whose IOVA the
 * device can reach. When the IOVA exceeds the device's DMA mask and an
 * IOMMU translates (IOVA as VA), the driver maps the buffer again at a low
 * IOVA in the default VFIO container (window 0x8000000-0xfffffff, 64 KiB
 * slots); without an IOMMU that is impossible.
 *
 * @param edu
 *   Device.
 * @param len
 *   Bytes (1 .. 64 KiB).
 * @param buf
 *   Receives the buffer.
 * @return
 *   0, or -1 with rte_errno: EINVAL (bad argument), ENOMEM (no memory),
 *   ERANGE (no IOMMU and the memory's physical address is beyond the
 *   device's mask: logged with the remedy), ENOSPC (IOVA window full), or
 *   the error of rte_vfio_container_dma_map().
 */
int rte_edu_buf_alloc(struct rte_edu *edu, size_t len, struct rte_edu_buf *buf);

/**
 * Free a buffer from rte_edu_buf_alloc() (its low mapping is removed).
 *
 * @param edu
 *   Device.
 * @param buf
 *   Buffer (may have been freed already: addr NULL).
 */
void rte_edu_buf_free(struct rte_edu *edu, struct rte_edu_buf *buf);

/**
 * One DMA between RAM and the device's buffer.
 *
 * @param edu
 *   Device.
 * @param ram_iova
 *   RAM side address (e.g. buf->iova + offset).
 * @param dev_off
 *   Offset in the device buffer.
 * @param len
 *   Bytes, 1 .. RTE_EDU_DMA_MAX, with dev_off + len < RTE_EDU_BUF_SIZE.
 * @param to_ram
 *   0: RAM -> device buffer; 1: device buffer -> RAM.
 * @param wait
 *   Polling or interrupt.
 * @return
 *   0, or -1 with rte_errno: EINVAL (range, or an address beyond the DMA
 *   mask), ENOTSUP (RTE_EDU_WAIT_INTR without interrupts), ETIMEDOUT (the
 *   device did not finish in 10 s), EIO (completion interrupt status wrong),
 *   ENODEV (the device is removed, or is being removed: a transfer in
 *   flight ends at once, without waiting for its completion).
 */
int rte_edu_dma(struct rte_edu *edu, rte_iova_t ram_iova, uint32_t dev_off,
		uint32_t len, int to_ram, enum rte_edu_wait wait);

/**
 * Raise the device interrupt with a value, wait for it through the
 * interrupt handle (eventfd), check the status register holds the value,
 * acknowledge, check the status is clear.
 *
 * @param edu
 *   Device.
 * @param value
 *   Non-zero bits to raise (not EDU_IRQ_DMA_DONE).
 * @return
 *   0, or -1 with rte_errno: EINVAL, ENOTSUP (no interrupts),
 *   ETIMEDOUT (no interrupt within 10 s), EIO (status mismatch), ENODEV
 *   (the device is removed or being removed).
 */
int rte_edu_irq_test(struct rte_edu *edu, uint32_t value);

/**
 * Take the device's interrupts for this process again (after a secondary
 * process used them): re-arm the eventfd with the kernel.
 *
 * @param edu
 *   Device.
 * @return
 *   0, or -1 with rte_errno from rte_intr_enable().
 */
int rte_edu_intr_rearm(struct rte_edu *edu);

/**
 * @param edu
 *   Device.
 * @return
 *   Number of interrupts this process received from the device.
 */
uint64_t rte_edu_irq_count(const struct rte_edu *edu);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_EDU_H_ */
