/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Log types of the EAL's components: which type a source file logs with,
 * and that EAL_LOG goes through it (its level filters the message).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_log.h>

/* this file logs as lib.eal.mp, as if it were part of the channel */
#define EAL_LOG_TYPE EAL_LOGTYPE_MP
#include "eal_log.h"

static const struct {
	const char *file;
	const char *type;
} files[] = {
	{ "../lib/eal/linux/eal_vfio.c", "lib.eal.vfio" },
	{ "../lib/eal/linux/eal_vfio_cdev.c", "lib.eal.vfio" },
	{ "../lib/eal/linux/eal_vfio_group.c", "lib.eal.vfio" },
	{ "../lib/eal/linux/eal_vfio_mp_sync.c", "lib.eal.vfio" },
	{ "/abs/lib/eal/linux/eal_vfio_info.c", "lib.eal.vfio" },
	{ "../lib/eal/linux/eal_memory.c", "lib.eal.memory" },
	{ "../lib/eal/linux/eal_memalloc.c", "lib.eal.memory" },
	{ "../lib/eal/linux/eal_hugepage_info.c", "lib.eal.memory" },
	{ "../lib/eal/common/malloc_heap.c", "lib.eal.memory" },
	{ "../lib/eal/common/rte_malloc.c", "lib.eal.memory" },
	{ "../lib/eal/common/eal_common_memzone.c", "lib.eal.memory" },
	{ "../lib/eal/common/eal_common_proc.c", "lib.eal.mp" },
	{ "../lib/eal/common/eal_mp_wire.c", "lib.eal.mp" },
	{ "../lib/eal/linux/eal_interrupts.c", "lib.eal.intr" },
	{ "../lib/eal/linux/eal_alarm.c", "lib.eal.intr" },
	{ "../lib/eal/linux/eal.c", "lib.eal" },
	{ "../lib/eal/common/eal_common_options.c", "lib.eal" },
	{ "eal_common_bus.c", "lib.eal" },
};

static void
test_files_log_with_their_component_type(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		uint32_t t = eal_log_type_of_file(files[i].file);
		int want = rte_log_register(files[i].type);

		if ((int)t != want)
			fail_msg("%s logs as type %u, expected %s (%d)",
				files[i].file, t, files[i].type, want);
	}
}

static void
test_eal_log_is_filtered_by_the_file_type(void **state)
{
	int mp = rte_log_register("lib.eal.mp");
	char buf[256];
	FILE *f = tmpfile();
	size_t n;

	(void)state;
	assert_non_null(f);
	rte_openlog_stream(f);
	assert_int_equal(rte_log_set_level_pattern("lib.eal.mp", RTE_LOG_ERR), 0);
	EAL_LOG(NOTICE, "filtered-notice");
	EAL_LOG(ERR, "kept-error");
	/* lib.eal itself stays at its level: the type really is mp's */
	assert_int_equal(rte_log_get_level(RTE_LOGTYPE_EAL), RTE_LOG_INFO);
	assert_int_equal(rte_log_get_level(mp), RTE_LOG_ERR);
	rte_openlog_stream(NULL);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_null(strstr(buf, "filtered-notice"));
	assert_non_null(strstr(buf, "EAL: kept-error\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_log_with_their_component_type),
		cmocka_unit_test(test_eal_log_is_filtered_by_the_file_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
