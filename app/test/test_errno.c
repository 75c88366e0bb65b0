/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <pthread.h>
#include <string.h>

#include <rte_errno.h>

#include "test.h"

static void *
set_errno_in_thread(void *arg)
{
	rte_errno = 42;
	*(int *)arg = rte_errno;
	return NULL;
}

static int
test_errno(void)
{
	pthread_t th;
	int seen = 0;

	TEST_ASSERT(strcmp(rte_strerror(EINVAL), strerror(EINVAL)) == 0,
		"system errno text differs: %s", rte_strerror(EINVAL));
	TEST_ASSERT(strcmp(rte_strerror(E_RTE_SECONDARY),
		"Invalid call in secondary process") == 0, "E_RTE_SECONDARY text");
	TEST_ASSERT(strcmp(rte_strerror(E_RTE_NO_CONFIG),
		"Missing rte_config structure") == 0, "E_RTE_NO_CONFIG text");
	TEST_ASSERT(strstr(rte_strerror(RTE_MIN_ERRNO + 100), "Unknown") != NULL,
		"out-of-range errno must be described as unknown");

	/* rte_errno is per thread */
	rte_errno = 7;
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, set_errno_in_thread, &seen),
		"pthread_create");
	pthread_join(th, NULL);
	TEST_ASSERT_EQUAL(seen, 42, "thread did not see its own value");
	TEST_ASSERT_EQUAL(rte_errno, 7, "another thread changed our rte_errno");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND_EAL(errno_autotest, test_errno, TEST_EAL_NONE);
