/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The process's resources, to give the library's memory and descriptors
 * beside a time: the heap in use (mallinfo2: the library allocates its
 * bookkeeping with malloc) and the open descriptors (/proc/self/fd).
 */

#include <dirent.h>
#include <malloc.h>

#include "perf.h"

size_t
perf_heap_used(void)
{
	return mallinfo2().uordblks;
}

size_t
perf_heap_growth(size_t before)
{
	size_t now = perf_heap_used();

	return now > before ? now - before : 0;
}

int
perf_fds_open(void)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}
