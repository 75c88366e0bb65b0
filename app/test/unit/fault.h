/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _UNIT_FAULT_H_
#define _UNIT_FAULT_H_

/*
 * Fault injection for wrapped system calls: arm a call site by name so that
 * its Nth call from now fails with a given errno.
 */

/**
 * Make the nth (1-based) next call of fn fail with err. One fault per
 * name; arming again replaces it.
 */
void fault_arm(const char *fn, unsigned int nth, int err);

/** Forget every armed fault. */
void fault_reset(void);

/**
 * Called by wrappers: 0 to go ahead, or the errno to fail with (the fault
 * is then disarmed).
 */
int fault_check(const char *fn);

#endif /* _UNIT_FAULT_H_ */
