/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * dpdk-test-compat [EAL options]
 *
 * Checks upstream's path macros, initialises the EAL (the driver of
 * compat_driver.c probes every edu device bound to vfio-pci and does one
 * DMA round trip each), then checks that every device listed in
 * DPDK_VM_EDU_DEVS passed and was released by rte_eal_cleanup().
 * Exit status: 0 pass, 1 failure, 77 skipped (no VFIO, or no edu device
 * listed: the reason is printed).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_vfio.h>

#include "compat.h"

#define EXIT_SKIP 77
#define EDU_ENV "DPDK_VM_EDU_DEVS"

struct compat_path {
	const char *name;
	const char *value;
	const char *expect;
};

int
compat_check_names(void)
{
	char buf[64];
	const struct compat_path paths[] = {
		{ "RTE_VFIO_DIR", RTE_VFIO_DIR, "/dev/vfio" },
		{ "RTE_VFIO_CONTAINER_PATH", RTE_VFIO_CONTAINER_PATH, "/dev/vfio/vfio" },
		{ "RTE_VFIO_IOMMUFD_PATH", RTE_VFIO_IOMMUFD_PATH, "/dev/iommu" },
		{ "RTE_VFIO_CDEV_DEVICES_PATH", RTE_VFIO_CDEV_DEVICES_PATH,
			"/dev/vfio/devices" },
		{ "RTE_VFIO_NOIOMMU_MODE", RTE_VFIO_NOIOMMU_MODE,
			"/sys/module/vfio/parameters/enable_unsafe_noiommu_mode" },
		{ "RTE_VFIO_GROUP_FMT", buf, "/dev/vfio/12" },
	};
	unsigned int i, bad = 0;

	snprintf(buf, sizeof(buf), RTE_VFIO_GROUP_FMT, 12u);
	for (i = 0; i < RTE_DIM(paths); i++) {
		if (strcmp(paths[i].value, paths[i].expect) == 0)
			continue;
		printf("%s is '%s', upstream's is '%s'\n", paths[i].name,
			paths[i].value, paths[i].expect);
		bad++;
	}
	snprintf(buf, sizeof(buf), RTE_VFIO_NOIOMMU_GROUP_FMT, 3u);
	if (strcmp(buf, "/dev/vfio/noiommu-3") != 0) {
		printf("RTE_VFIO_NOIOMMU_GROUP_FMT gives '%s'\n", buf);
		bad++;
	}
	if (RTE_VFIO_DEFAULT_CONTAINER_FD != -1) {
		printf("RTE_VFIO_DEFAULT_CONTAINER_FD is %d, upstream's is -1\n",
			RTE_VFIO_DEFAULT_CONTAINER_FD);
		bad++;
	}
	return bad == 0 ? 0 : -1;
}

static unsigned int
count_words(const char *s)
{
	unsigned int n = 0;
	int in = 0;

	for (; s != NULL && *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n')
			in = 0;
		else if (!in) {
			in = 1;
			n++;
		}
	}
	return n;
}

static const char *
mode_name(enum rte_vfio_mode mode)
{
	static const char * const names[] = {
		[RTE_VFIO_MODE_NONE] = "none",
		[RTE_VFIO_MODE_GROUP] = "group",
		[RTE_VFIO_MODE_NOIOMMU] = "noiommu",
		[RTE_VFIO_MODE_CDEV] = "cdev",
	};

	if ((unsigned int)mode >= RTE_DIM(names) || names[mode] == NULL)
		return "invalid";
	return names[mode];
}

int
main(int argc, char **argv)
{
	unsigned int expect = count_words(getenv(EDU_ENV));
	enum rte_vfio_mode mode;
	int ret = EXIT_SUCCESS;

	if (compat_check_names() != 0)
		return EXIT_FAILURE;
	if (rte_eal_init(argc, argv) < 0) {
		printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	mode = rte_vfio_get_mode();
	printf("VFIO mode %s (%d), %u probed, %u passed, %u failed\n",
		mode_name(mode), mode, compat_result.probed,
		compat_result.passed, compat_result.failed);
	if (strcmp(mode_name(mode), "invalid") == 0) {
		printf("rte_vfio_get_mode() answered %d, not an upstream mode\n", mode);
		ret = EXIT_FAILURE;
	} else if (compat_result.failed != 0) {
		ret = EXIT_FAILURE;
	} else if (mode == RTE_VFIO_MODE_NONE && expect == 0) {
		printf("skipped: no VFIO (rte_vfio_get_mode() is RTE_VFIO_MODE_NONE)\n");
		ret = EXIT_SKIP;
	} else if (expect == 0) {
		printf("skipped: no edu device listed in %s (the vm suite sets it)\n",
			EDU_ENV);
		ret = EXIT_SKIP;
	} else if (compat_result.passed != expect) {
		printf("%u edu devices in %s, %u passed the round trip\n", expect,
			EDU_ENV, compat_result.passed);
		ret = EXIT_FAILURE;
	}
	if (rte_eal_cleanup() != 0) {
		printf("rte_eal_cleanup failed: %s\n", rte_strerror(rte_errno));
		ret = EXIT_FAILURE;
	}
	if (compat_result.released != compat_result.passed) {
		printf("%u devices released by rte_eal_cleanup, %u were open\n",
			compat_result.released, compat_result.passed);
		ret = EXIT_FAILURE;
	}
	return ret;
}
