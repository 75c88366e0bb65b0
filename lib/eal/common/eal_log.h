/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _EAL_LOG_H_
#define _EAL_LOG_H_

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_log.h>

/*
 * Static log types of the EAL's components ("lib.eal.<component>"), in the
 * range reserved below RTE_LOGTYPE_FIRST_EXT_ID.
 */
#define EAL_LOGTYPE_VFIO   1  /**< "lib.eal.vfio": eal_vfio*.c */
#define EAL_LOGTYPE_MEMORY 2  /**< "lib.eal.memory": memory, malloc, memzones */
#define EAL_LOGTYPE_MP     3  /**< "lib.eal.mp": multi-process channel */
#define EAL_LOGTYPE_INTR   4  /**< "lib.eal.intr": interrupts and alarms */

/**
 * Log type of an EAL source file, from its name (the table in
 * eal_common_log.c): "eal_vfio_cdev.c" logs as lib.eal.vfio.
 *
 * @param file
 *   __FILE__ of the caller.
 * @return
 *   A static type; RTE_LOGTYPE_EAL for a file the table does not name.
 */
uint32_t eal_log_type_of_file(const char *file);

/**
 * --log-level=help: print the log types and their levels.
 *
 * @param f
 *   Output stream.
 * @return
 *   1 (EAL_OPT_PRINTED: the option parser stops).
 */
int eal_log_types_print(FILE *f);

/**
 * --log-level=<regex>,<level>: set the level of the types matching an
 * extended regular expression.
 *
 * @param opt
 *   Option name, for the error message.
 * @param arg
 *   Option value.
 * @return
 *   0, or -1 with rte_errno EINVAL (one log line says what was wrong),
 *   ENOMEM.
 */
int eal_log_level_regexp(const char *opt, const char *arg);

#ifndef EAL_LOG_TYPE
/*
 * The log type of a file is chosen by its name (one row in the table of
 * eal_common_log.c), found at the first message and kept in a variable of
 * the file. A file may choose another one by defining EAL_LOG_TYPE before
 * including this header.
 */
static int eal_log_file_type __rte_unused = -1;

static inline uint32_t __rte_unused
eal_log_type_cached(int *cache, const char *file)
{
	int t = __atomic_load_n(cache, __ATOMIC_RELAXED);

	if (t < 0) {
		t = (int)eal_log_type_of_file(file);
		__atomic_store_n(cache, t, __ATOMIC_RELAXED);
	}
	return (uint32_t)t;
}

#define EAL_LOG_TYPE eal_log_type_cached(&eal_log_file_type, __FILE__)
#endif

/** EAL log line, with the type of the component; the newline is added. */
#define EAL_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, EAL_LOG_TYPE, "EAL: " fmt "\n", \
		## __VA_ARGS__)

#endif /* _EAL_LOG_H_ */
