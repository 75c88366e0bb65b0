/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _UNIT_RUNDIR_H_
#define _UNIT_RUNDIR_H_

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A --file-prefix unique to this process, and the runtime directory EAL
 * derives from it (doc/guides/linux_gsg/eal_args.rst), so that a test can
 * check what EAL leaves there.
 */
static inline void
unit_rundir(const char *tag, char *prefix_opt, size_t opt_len, char *dir,
		size_t dir_len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	const char *prefix;

	snprintf(prefix_opt, opt_len, "--file-prefix=%s_%d", tag, (int)getpid());
	prefix = strchr(prefix_opt, '=') + 1;
	if (getuid() == 0)
		snprintf(dir, dir_len, "/var/run/dpdk/%s", prefix);
	else
		snprintf(dir, dir_len, "%s/dpdk/%s", xdg != NULL ? xdg : "/tmp",
			prefix);
}

#endif /* _UNIT_RUNDIR_H_ */
