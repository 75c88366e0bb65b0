/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_OPTIONS_H_
#define _EAL_OPTIONS_H_

#include <stdio.h>

#include "eal_internal_cfg.h"

/** Returned by an option handler that printed something (--version). */
#define EAL_OPT_PRINTED 1

/**
 * Parse the EAL options at the start of argv into cfg.
 *
 * Stops at "--" (consumed) or at the first non-option argument. Every
 * invalid value is reported in one log line naming the option and the
 * accepted values; cfg then holds nothing that needs freeing beyond what
 * eal_reset_internal_config() releases.
 *
 * @param argc
 *   Argument count.
 * @param argv
 *   Arguments.
 * @param cfg
 *   Configuration to fill (reset by the caller).
 * @return
 *   Index of the first argument that is not an EAL option (>= 1), 0 when
 *   an option that only prints was given (--help, --version,
 *   --log-level=help), or -1 with rte_errno EINVAL/ENOMEM.
 */
int eal_parse_args(int argc, char **argv, struct internal_config *cfg);

/**
 * Check combinations of options that are valid one by one.
 *
 * @param cfg
 *   Parsed configuration.
 * @return
 *   0, or -1 with rte_errno EINVAL (one log line says which options clash).
 */
int eal_check_options(const struct internal_config *cfg);

/**
 * Print the list of EAL options.
 *
 * @param f
 *   Output stream.
 * @param prgname
 *   Program name for the first line.
 */
void eal_usage(FILE *f, const char *prgname);

#endif /* _EAL_OPTIONS_H_ */
