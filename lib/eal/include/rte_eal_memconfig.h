/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_EAL_MEMCONFIG_H_
#define _RTE_EAL_MEMCONFIG_H_

/**
 * @file
 * Locks of the shared memory configuration. They are process-shared: a
 * secondary takes the same locks as the primary.
 *
 * The memory hotplug lock guards the segment lists: pages are mapped and
 * unmapped under the write lock (memory event callbacks run under it);
 * rte_memseg_*walk() take the read lock. Code that must see a stable set
 * of pages across several calls (e.g. VFIO mapping all EAL memory) takes
 * the read lock and uses the *_thread_unsafe walks. The read lock may be
 * taken recursively; the write lock may not be taken by a thread holding
 * the read lock. Calling these before rte_eal_init() or after
 * rte_eal_cleanup() does nothing.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** Take the memory hotplug lock for reading. */
void rte_mcfg_mem_read_lock(void);

/** Release the memory hotplug read lock. */
void rte_mcfg_mem_read_unlock(void);

/** Take the memory hotplug lock for writing. */
void rte_mcfg_mem_write_lock(void);

/** Release the memory hotplug write lock. */
void rte_mcfg_mem_write_unlock(void);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_EAL_MEMCONFIG_H_ */
