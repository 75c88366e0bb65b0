/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The conformance scenarios against the fake kernel, in every mode. The VM
 * suite runs the same scenarios (same table) against Linux: when one passes
 * and the other fails, the fake is wrong.
 */

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conformance/vfio_conformance.h"
#include "fake_kernel.h"
#include "vfio_lanes.h"

/* the VM lanes with the fake kernel preset that plays their kernel */
static const struct {
	enum fake_mode fake;
	struct vfio_lane lane;
} lanes[] = {
#define CONF_LANE_(ctx, id, preset, ...) \
	{ FAKE_MODE_ ## preset, { __VA_ARGS__ } },
	VFIO_LANES(CONF_LANE_, )
};

/* First device the fake machine created. */
static void
first_device(char *addr, size_t len)
{
	const char *dir = getenv("SYSFS_PCI_DEVICES");
	struct dirent *e;
	DIR *d;

	assert_non_null(dir);
	d = opendir(dir);
	assert_non_null(d);
	addr[0] = '\0';
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && strlen(e->d_name) < len &&
				(addr[0] == '\0' || strcmp(e->d_name, addr) < 0))
			memcpy(addr, e->d_name, strlen(e->d_name) + 1);
	closedir(d);
	assert_true(addr[0] != '\0');
}

static void
test_fake_kernel_conforms_in_every_vm_lane(void **state)
{
	char addr[64];
	size_t i;

	for (i = 0; i < sizeof(lanes) / sizeof(lanes[0]); i++) {
		enum conf_mode conf;

		/* the scenarios are the VM kernels' (x86: no sPAPR) */
		if (lanes[i].lane.vm_kernels == NULL)
			continue;
		/* as vfio_conformance_autotest: by the lane's name */
		assert_int_equal(conf_mode_parse(lanes[i].lane.name, &conf), 0);
		assert_int_equal(fake_machine_setup(lanes[i].fake, 1), 0);
		first_device(addr, sizeof(addr));
		assert_int_equal(conf_run(conf, getenv("SYSFS_PCI_DEVICES"),
			addr), 0);
		fake_assert_no_leaks();
		fake_kernel_reset();
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fake_kernel_conforms_in_every_vm_lane,
			fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
