/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EDU_REGS_H_
#define _EDU_REGS_H_

/*
 * Registers of QEMU's edu device (BAR0, 1 MiB of MMIO). Registers below
 * 0x80 take 32-bit accesses only; the DMA registers take 32 or 64 bits.
 */

#define EDU_REG_IDENT        0x00 /* RO: 0xMMmm00ed, major.minor version */
#define EDU_REG_LIVENESS     0x04 /* RW: reads back the bitwise inverse */
#define EDU_REG_IRQ_STATUS   0x24 /* RO: pending interrupt bits */
#define EDU_REG_IRQ_RAISE    0x60 /* WO: ORs the value into the status, raises */
#define EDU_REG_IRQ_ACK      0x64 /* WO: clears the bits, lowers when 0 */
#define EDU_REG_DMA_SRC      0x80 /* RW 64: source address */
#define EDU_REG_DMA_DST      0x88 /* RW 64: destination address */
#define EDU_REG_DMA_COUNT    0x90 /* RW 64: bytes */
#define EDU_REG_DMA_CMD      0x98 /* RW 64: EDU_DMA_CMD_* */

#define EDU_IDENT_MAGIC_MASK 0x000000ffu
#define EDU_IDENT_MAGIC      0x000000edu /* low byte of EDU_REG_IDENT */

#define EDU_DMA_CMD_START    0x1u /* set to start; the device clears it when done */
#define EDU_DMA_CMD_TO_RAM   0x2u /* direction: set = edu buffer -> RAM */
#define EDU_DMA_CMD_IRQ      0x4u /* raise EDU_IRQ_DMA_DONE when done */

#define EDU_IRQ_DMA_DONE     0x100u /* status bit of a finished DMA */

/* The device's internal DMA buffer, as seen in DMA addresses. */
#define EDU_BUF_ADDR         0x40000u
#define EDU_BUF_SIZE         4096u

/* QEMU's default dma_mask property: 28 bits. */
#define EDU_DEFAULT_DMA_MASK ((UINT64_C(1) << 28) - 1)

#endif /* _EDU_REGS_H_ */
