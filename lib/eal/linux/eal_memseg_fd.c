/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Backing descriptor and offset of an EAL page (DPDK's
 * rte_memseg_get_fd*_thread_unsafe). A list has one backing file or memfd,
 * page k at offset k * page_sz (eal_memalloc.c); --no-huge pages are in a
 * file of the runtime directory here, so they have a descriptor too.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_errno.h>
#include <rte_memory.h>

#include "eal_memalloc.h"
#include "eal_memcfg.h"

/* list of the mapped EAL page ms, or NULL with rte_errno set */
static const struct rte_memseg_list *
memseg_list_of(const struct rte_memseg *ms)
{
	const struct rte_memseg_list *msl;

	if (ms == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	msl = rte_mem_virt2memseg_list(ms->addr);
	if (msl == NULL || rte_mem_virt2memseg(ms->addr, msl) == NULL) {
		rte_errno = ENODEV;
		return NULL;
	}
	if (msl->external != 0) {
		rte_errno = ENOTSUP;
		return NULL;
	}
	return msl;
}

int
rte_memseg_get_fd_thread_unsafe(const struct rte_memseg *ms)
{
	const struct rte_memseg_list *msl = memseg_list_of(ms);
	int fd;

	if (msl == NULL)
		return -1;
	fd = eal_memalloc_list_fd((unsigned int)(msl - eal_mcfg->lists));
	if (fd < 0) {
		rte_errno = ENOENT;
		return -1;
	}
	return fd;
}

int
rte_memseg_get_fd_offset_thread_unsafe(const struct rte_memseg *ms,
		size_t *offset)
{
	const struct rte_memseg_list *msl;
	uintptr_t off;

	if (offset == NULL) {
		rte_errno = EINVAL;
		return -1;
	}
	if (rte_memseg_get_fd_thread_unsafe(ms) < 0)
		return -1;
	msl = rte_mem_virt2memseg_list(ms->addr);
	off = (uintptr_t)ms->addr - (uintptr_t)msl->base_va;
	*offset = (size_t)(off - off % msl->page_sz);
	return 0;
}
