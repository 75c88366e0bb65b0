/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The conformance scenarios (conformance/vfio_conformance.c) against the
 * running kernel. The VM harness names the mode (DPDK_VM_MODE) and the
 * devices bound to vfio-pci (DPDK_VM_EDU_DEVS); elsewhere the test says
 * why it cannot run.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/vfio_conformance.h"
#include "test.h"

static int
test_vfio_conformance(void)
{
	const char *mode_name = getenv("DPDK_VM_MODE");
	const char *devs = getenv("DPDK_VM_EDU_DEVS");
	const char *sysfs = getenv("SYSFS_PCI_DEVICES");
	enum conf_mode mode;
	char addr[64];
	int ret;

	if (mode_name == NULL || devs == NULL || devs[0] == '\0')
		TEST_SKIP("needs DPDK_VM_MODE and DPDK_VM_EDU_DEVS (devtools/vm/run.sh sets them)");
	if (conf_mode_parse(mode_name, &mode) != 0)
		TEST_ASSERT(0, "unknown DPDK_VM_MODE '%s'", mode_name);
	if (sscanf(devs, "%63s", addr) != 1)
		TEST_ASSERT(0, "bad DPDK_VM_EDU_DEVS '%s'", devs);
	ret = conf_run(mode, sysfs != NULL ? sysfs : "/sys/bus/pci/devices", addr);
	TEST_ASSERT(ret >= 0, "device %s not found", addr);
	TEST_ASSERT_EQUAL(ret, 0, "%d step(s) differ from the expected kernel behaviour",
		ret);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND_EAL(vfio_conformance_autotest, test_vfio_conformance,
	TEST_EAL_NONE);
