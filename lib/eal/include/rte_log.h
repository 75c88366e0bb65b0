/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_LOG_H_
#define _RTE_LOG_H_

/**
 * @file
 * Logging: log types (one per component), levels, output stream.
 *
 * Every message has a type and a level. A message is written when its level
 * is at most the global level and at most the level of its type. Types have
 * dotted names ("lib.eal", "bus.pci") so that a pattern such as "bus.*" can
 * set the level of a family; `--log-level=<pattern>:<level>` does that from
 * the command line, also for types registered later.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, most severe first. */
#define RTE_LOG_EMERG   1U  /**< System is unusable. */
#define RTE_LOG_ALERT   2U  /**< Action must be taken immediately. */
#define RTE_LOG_CRIT    3U  /**< Critical conditions. */
#define RTE_LOG_ERR     4U  /**< Error conditions. */
#define RTE_LOG_WARNING 5U  /**< Warning conditions. */
#define RTE_LOG_NOTICE  6U  /**< Normal but significant condition. */
#define RTE_LOG_INFO    7U  /**< Informational. */
#define RTE_LOG_DEBUG   8U  /**< Debug-level messages. */
#define RTE_LOG_MAX RTE_LOG_DEBUG /**< Most verbose level. */

/** Static log types; registered at start-up. */
#define RTE_LOGTYPE_EAL    0  /**< "lib.eal": the EAL itself. */
#define RTE_LOGTYPE_USER1 24  /**< "user1": application. */
#define RTE_LOGTYPE_USER2 25  /**< "user2": application. */
#define RTE_LOGTYPE_USER3 26  /**< "user3": application. */
/** First identifier handed out by rte_log_register(). */
#define RTE_LOGTYPE_FIRST_EXT_ID 32

/**
 * Write a log message.
 *
 * @param level
 *   RTE_LOG_EMERG .. RTE_LOG_DEBUG.
 * @param logtype
 *   A static type or one returned by rte_log_register().
 * @param format
 *   printf-like format string.
 * @return
 *   0 on success (also when the message is filtered out), negative on error.
 */
int rte_log(uint32_t level, uint32_t logtype, const char *format, ...)
	__rte_format_printf(3, 4);

/**
 * Write a log message from a va_list. See rte_log().
 *
 * @param level
 *   Log level.
 * @param logtype
 *   Log type.
 * @param format
 *   printf-like format string.
 * @param ap
 *   Arguments.
 * @return
 *   0 on success, negative on error.
 */
int rte_vlog(uint32_t level, uint32_t logtype, const char *format, va_list ap)
	__rte_format_printf(3, 0);

/**
 * Register a log type, or find it when the name is already registered.
 *
 * Level patterns given earlier (rte_log_set_level_pattern(), --log-level)
 * apply to the new type.
 *
 * @param name
 *   Dotted name, e.g. "bus.pci".
 * @return
 *   The type identifier (>= 0); -1 with rte_errno ENOSPC when the table is
 *   full, EINVAL for an empty name, ENOMEM.
 */
int rte_log_register(const char *name);

/**
 * Register a log type with a default level. See rte_log_register().
 *
 * @param name
 *   Dotted name.
 * @param level_def
 *   Level used unless a pattern given earlier matches the name.
 * @return
 *   Type identifier or -1 with rte_errno set.
 */
int rte_log_register_type_and_pick_level(const char *name, uint32_t level_def);

/**
 * Set the global level: messages above it are never written.
 *
 * @param level
 *   RTE_LOG_EMERG .. RTE_LOG_DEBUG; other values are ignored.
 */
void rte_log_set_global_level(uint32_t level);

/**
 * @return
 *   The global level.
 */
uint32_t rte_log_get_global_level(void);

/**
 * Set the level of one type.
 *
 * @param logtype
 *   Type identifier.
 * @param level
 *   New level.
 * @return
 *   0, or -1 with rte_errno EINVAL (unknown type or level out of range).
 */
int rte_log_set_level(uint32_t logtype, uint32_t level);

/**
 * @param logtype
 *   Type identifier.
 * @return
 *   The level of the type, or -1 with rte_errno EINVAL for an unknown type.
 */
int rte_log_get_level(uint32_t logtype);

/**
 * Set the level of every type whose name matches a shell pattern
 * (fnmatch(3)), now and for types registered later.
 *
 * @param pattern
 *   Pattern such as "lib.eal" or "bus.*".
 * @param level
 *   New level.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad level or empty pattern), ENOMEM.
 */
int rte_log_set_level_pattern(const char *pattern, uint32_t level);

/**
 * Set the level of every type whose name matches an extended regular
 * expression (regcomp(3), unanchored: "vfio" matches "lib.eal.vfio"), now
 * and for types registered later.
 *
 * @param regex
 *   Regular expression such as "^bus\\." or "eal\\.(vfio|mp)".
 * @param level
 *   New level.
 * @return
 *   0, or -1 with rte_errno EINVAL (bad level, empty or invalid
 *   expression), ENOMEM.
 */
int rte_log_set_level_regexp(const char *regex, uint32_t level);

/**
 * Tell whether a message of this type and level would be written.
 *
 * @param logtype
 *   Type identifier.
 * @param level
 *   Level.
 * @return
 *   1 when it would be written, 0 otherwise.
 */
int rte_log_can_log(uint32_t logtype, uint32_t level);

/**
 * Translate a level name ("error", "debug", ...) or number ("4") to a level.
 *
 * @param name
 *   Level name, case-insensitive, or a number between 1 and 8.
 * @return
 *   The level, or -1 when the name is not a level.
 */
int rte_log_level_from_name(const char *name);

/**
 * @param level
 *   A level.
 * @return
 *   Its lower-case name, or "unknown".
 */
const char *rte_log_level_name(uint32_t level);

/**
 * Send log messages to a stream instead of stderr.
 *
 * @param f
 *   Stream; NULL restores stderr.
 * @return
 *   0.
 */
int rte_openlog_stream(FILE *f);

/**
 * @return
 *   The current log stream.
 */
FILE *rte_log_get_stream(void);

/**
 * Print every registered type with its level.
 *
 * @param f
 *   Output stream.
 */
void rte_log_dump(FILE *f);

/**
 * Print the name and level of every registered type, one per line.
 *
 * @param f
 *   Output stream.
 * @param prefix
 *   Written before each line (e.g. a tab).
 */
void rte_log_list_types(FILE *f, const char *prefix);

/** Log a message with a static type: RTE_LOG(ERR, EAL, "x %d\n", 1). */
#define RTE_LOG(l, t, ...) \
	rte_log(RTE_LOG_ ## l, RTE_LOGTYPE_ ## t, # t ": " __VA_ARGS__)

/** Log one line (the newline is added) with a static or registered type. */
#define RTE_LOG_LINE(l, t, fmt, ...) \
	rte_log(RTE_LOG_ ## l, RTE_LOGTYPE_ ## t, # t ": " fmt "\n", ## __VA_ARGS__)

/**
 * Define a log type variable and register it at start-up:
 * RTE_LOG_REGISTER(pci_logtype, "bus.pci", NOTICE).
 */
#define RTE_LOG_REGISTER(type, name, level) \
	int type; \
	RTE_INIT_PRIO(__rte_log_init_ ## type, 150) \
	{ \
		type = rte_log_register_type_and_pick_level(name, \
			RTE_LOG_ ## level); \
		if (type < 0) \
			type = RTE_LOGTYPE_EAL; \
	}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_LOG_H_ */
