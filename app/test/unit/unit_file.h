/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _UNIT_FILE_H_
#define _UNIT_FILE_H_

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* Write a file of a fake sysfs tree; the test fails if it cannot. */
static inline void
unit_write_file(const char *dir, const char *name, const void *data,
		size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

#endif /* _UNIT_FILE_H_ */
