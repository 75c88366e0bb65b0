/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <string.h>

#include "fault.h"

#define FAULT_MAX 16

static struct {
	char fn[32];
	unsigned int countdown;
	int err;
} faults[FAULT_MAX];

void
fault_arm(const char *fn, unsigned int nth, int err)
{
	int i, slot = -1;

	for (i = 0; i < FAULT_MAX; i++) {
		if (strcmp(faults[i].fn, fn) == 0 ||
				(slot < 0 && faults[i].fn[0] == '\0'))
			slot = i;
		if (strcmp(faults[i].fn, fn) == 0)
			break;
	}
	if (slot < 0)
		return;
	strncpy(faults[slot].fn, fn, sizeof(faults[slot].fn) - 1);
	faults[slot].countdown = nth;
	faults[slot].err = err;
}

void
fault_reset(void)
{
	memset(faults, 0, sizeof(faults));
}

int
fault_check(const char *fn)
{
	int i;

	for (i = 0; i < FAULT_MAX; i++) {
		if (faults[i].fn[0] == '\0' || strcmp(faults[i].fn, fn) != 0)
			continue;
		if (faults[i].countdown == 0 || --faults[i].countdown != 0)
			return 0;
		faults[i].fn[0] = '\0';
		return faults[i].err;
	}
	return 0;
}
