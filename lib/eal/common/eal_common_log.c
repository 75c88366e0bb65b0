/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <fnmatch.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

#include <rte_errno.h>
#include <rte_log.h>
#include <rte_string_fns.h>

#include "eal_log.h"

/* A registered type; name == NULL means the slot is free. */
struct log_type {
	char *name;
	uint32_t level;
};

/*
 * A level given by pattern, remembered for types registered later: a shell
 * pattern (fnmatch) or, when is_regex, an extended regular expression.
 */
struct log_pattern {
	TAILQ_ENTRY(log_pattern) next;
	char *pattern;
	int is_regex;
	regex_t re;
	uint32_t level;
};

static struct {
	pthread_mutex_t lock;
	uint32_t global_level;
	FILE *stream;
	struct log_type types[RTE_LOG_TYPE_MAX];
	TAILQ_HEAD(, log_pattern) patterns;
} logs = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.global_level = RTE_LOG_DEBUG,
	.patterns = TAILQ_HEAD_INITIALIZER(logs.patterns),
};

static const char * const level_names[] = {
	[RTE_LOG_EMERG] = "emergency",
	[RTE_LOG_ALERT] = "alert",
	[RTE_LOG_CRIT] = "critical",
	[RTE_LOG_ERR] = "error",
	[RTE_LOG_WARNING] = "warning",
	[RTE_LOG_NOTICE] = "notice",
	[RTE_LOG_INFO] = "info",
	[RTE_LOG_DEBUG] = "debug",
};

static const struct {
	uint32_t id;
	const char *name;
} static_types[] = {
	{ RTE_LOGTYPE_EAL, "lib.eal" },
	{ EAL_LOGTYPE_VFIO, "lib.eal.vfio" },
	{ EAL_LOGTYPE_MEMORY, "lib.eal.memory" },
	{ EAL_LOGTYPE_MP, "lib.eal.mp" },
	{ EAL_LOGTYPE_INTR, "lib.eal.intr" },
	{ RTE_LOGTYPE_USER1, "user1" },
	{ RTE_LOGTYPE_USER2, "user2" },
	{ RTE_LOGTYPE_USER3, "user3" },
};

/* Log type of the EAL's source files by name prefix: one row per family. */
static const struct {
	const char *prefix;
	uint32_t type;
} file_types[] = {
	{ "eal_vfio", EAL_LOGTYPE_VFIO },
	{ "eal_memory", EAL_LOGTYPE_MEMORY },
	{ "eal_memalloc", EAL_LOGTYPE_MEMORY },
	{ "eal_hugepage", EAL_LOGTYPE_MEMORY },
	{ "eal_common_memory", EAL_LOGTYPE_MEMORY },
	{ "eal_common_memzone", EAL_LOGTYPE_MEMORY },
	{ "eal_common_extmem", EAL_LOGTYPE_MEMORY },
	{ "malloc_", EAL_LOGTYPE_MEMORY },
	{ "rte_malloc", EAL_LOGTYPE_MEMORY },
	{ "eal_common_proc", EAL_LOGTYPE_MP },
	{ "eal_mp_", EAL_LOGTYPE_MP },
	{ "eal_interrupts", EAL_LOGTYPE_INTR },
	{ "eal_common_interrupts", EAL_LOGTYPE_INTR },
	{ "eal_alarm", EAL_LOGTYPE_INTR },
};

uint32_t
eal_log_type_of_file(const char *file)
{
	const char *base = strrchr(file, '/');
	size_t i;

	base = base != NULL ? base + 1 : file;
	for (i = 0; i < RTE_DIM(file_types); i++)
		if (strncmp(base, file_types[i].prefix,
				strlen(file_types[i].prefix)) == 0)
			return file_types[i].type;
	return RTE_LOGTYPE_EAL;
}

static int
level_valid(uint32_t level)
{
	return level >= RTE_LOG_EMERG && level <= RTE_LOG_MAX;
}

static int
pattern_matches(const struct log_pattern *p, const char *name)
{
	if (p->is_regex)
		return regexec(&p->re, name, 0, NULL, 0) == 0;
	return fnmatch(p->pattern, name, 0) == 0;
}

/* Level for a new type: the last pattern that matches wins. */
static uint32_t
pattern_level(const char *name, uint32_t level_def)
{
	struct log_pattern *p;
	uint32_t level = level_def;

	TAILQ_FOREACH(p, &logs.patterns, next)
		if (pattern_matches(p, name))
			level = p->level;
	return level;
}

static void
pattern_free(struct log_pattern *p)
{
	if (p->is_regex)
		regfree(&p->re);
	free(p->pattern);
	free(p);
}

static int
type_add(uint32_t id, const char *name, uint32_t level_def)
{
	char *copy = strdup(name);

	if (copy == NULL) {
		rte_errno = ENOMEM;
		return -1;
	}
	logs.types[id].name = copy;
	logs.types[id].level = pattern_level(name, level_def);
	return (int)id;
}

RTE_INIT_PRIO(log_init, 101)
{
	size_t i;

	for (i = 0; i < RTE_DIM(static_types); i++)
		type_add(static_types[i].id, static_types[i].name, RTE_LOG_INFO);
}

RTE_FINI(log_fini)
{
	struct log_pattern *p;
	size_t i;

	for (i = 0; i < RTE_DIM(logs.types); i++) {
		free(logs.types[i].name);
		logs.types[i].name = NULL;
	}
	while ((p = TAILQ_FIRST(&logs.patterns)) != NULL) {
		TAILQ_REMOVE(&logs.patterns, p, next);
		pattern_free(p);
	}
}

int
rte_log_register_type_and_pick_level(const char *name, uint32_t level_def)
{
	uint32_t id;
	int ret = -1;

	if (name == NULL || name[0] == '\0' || !level_valid(level_def)) {
		rte_errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&logs.lock);
	for (id = 0; id < RTE_DIM(logs.types); id++) {
		if (logs.types[id].name != NULL &&
				strcmp(logs.types[id].name, name) == 0) {
			ret = (int)id;
			goto unlock;
		}
	}
	for (id = RTE_LOGTYPE_FIRST_EXT_ID; id < RTE_DIM(logs.types); id++) {
		if (logs.types[id].name == NULL) {
			ret = type_add(id, name, level_def);
			goto unlock;
		}
	}
	rte_errno = ENOSPC;
unlock:
	pthread_mutex_unlock(&logs.lock);
	return ret;
}

int
rte_log_register(const char *name)
{
	return rte_log_register_type_and_pick_level(name, RTE_LOG_INFO);
}

void
rte_log_set_global_level(uint32_t level)
{
	if (level_valid(level))
		__atomic_store_n(&logs.global_level, level, __ATOMIC_RELAXED);
}

uint32_t
rte_log_get_global_level(void)
{
	return __atomic_load_n(&logs.global_level, __ATOMIC_RELAXED);
}

static int
type_valid(uint32_t logtype)
{
	return logtype < RTE_DIM(logs.types) && logs.types[logtype].name != NULL;
}

int
rte_log_set_level(uint32_t logtype, uint32_t level)
{
	if (!type_valid(logtype) || !level_valid(level)) {
		rte_errno = EINVAL;
		return -1;
	}
	__atomic_store_n(&logs.types[logtype].level, level, __ATOMIC_RELAXED);
	return 0;
}

int
rte_log_get_level(uint32_t logtype)
{
	if (!type_valid(logtype)) {
		rte_errno = EINVAL;
		return -1;
	}
	return (int)__atomic_load_n(&logs.types[logtype].level, __ATOMIC_RELAXED);
}

/* Remember a pattern and apply it to the types registered so far. */
static int
pattern_add(const char *pattern, int is_regex, uint32_t level)
{
	struct log_pattern *p;
	size_t i;

	if (pattern == NULL || pattern[0] == '\0' || !level_valid(level)) {
		rte_errno = EINVAL;
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->pattern = strdup(pattern)) == NULL) {
		free(p);
		rte_errno = ENOMEM;
		return -1;
	}
	if (is_regex) {
		if (regcomp(&p->re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
			free(p->pattern);
			free(p);
			rte_errno = EINVAL;
			return -1;
		}
		p->is_regex = 1;
	}
	p->level = level;
	pthread_mutex_lock(&logs.lock);
	TAILQ_INSERT_TAIL(&logs.patterns, p, next);
	for (i = 0; i < RTE_DIM(logs.types); i++)
		if (logs.types[i].name != NULL &&
				pattern_matches(p, logs.types[i].name))
			logs.types[i].level = level;
	pthread_mutex_unlock(&logs.lock);
	return 0;
}

int
rte_log_set_level_pattern(const char *pattern, uint32_t level)
{
	return pattern_add(pattern, 0, level);
}

int
rte_log_set_level_regexp(const char *regex, uint32_t level)
{
	return pattern_add(regex, 1, level);
}

int
rte_log_can_log(uint32_t logtype, uint32_t level)
{
	if (level > rte_log_get_global_level())
		return 0;
	if (!type_valid(logtype))
		return 0;
	return level <= __atomic_load_n(&logs.types[logtype].level,
			__ATOMIC_RELAXED);
}

int
rte_log_level_from_name(const char *name)
{
	uint64_t num;
	uint32_t level;

	if (name == NULL)
		return -1;
	if (rte_str_to_dec_u64(name, &num) == 0)
		return (num >= RTE_LOG_EMERG && num <= RTE_LOG_MAX) ? (int)num : -1;
	for (level = RTE_LOG_EMERG; level <= RTE_LOG_MAX; level++)
		if (strcasecmp(name, level_names[level]) == 0)
			return (int)level;
	/* short forms users type */
	if (strcasecmp(name, "err") == 0)
		return RTE_LOG_ERR;
	if (strcasecmp(name, "warn") == 0)
		return RTE_LOG_WARNING;
	return -1;
}

const char *
rte_log_level_name(uint32_t level)
{
	return level_valid(level) ? level_names[level] : "unknown";
}

int
rte_openlog_stream(FILE *f)
{
	__atomic_store_n(&logs.stream, f, __ATOMIC_RELEASE);
	return 0;
}

FILE *
rte_log_get_stream(void)
{
	FILE *f = __atomic_load_n(&logs.stream, __ATOMIC_ACQUIRE);

	return f != NULL ? f : stderr;
}

int
rte_vlog(uint32_t level, uint32_t logtype, const char *format, va_list ap)
{
	FILE *f;
	int ret;

	if (!rte_log_can_log(logtype, level))
		return 0;
	f = rte_log_get_stream();
	ret = vfprintf(f, format, ap);
	fflush(f);
	return ret < 0 ? ret : 0;
}

int
rte_log(uint32_t level, uint32_t logtype, const char *format, ...)
{
	va_list ap;
	int ret;

	va_start(ap, format);
	ret = rte_vlog(level, logtype, format, ap);
	va_end(ap);
	return ret;
}

void
rte_log_dump(FILE *f)
{
	size_t i;

	fprintf(f, "global log level is %s\n",
		rte_log_level_name(rte_log_get_global_level()));
	pthread_mutex_lock(&logs.lock);
	for (i = 0; i < RTE_DIM(logs.types); i++)
		if (logs.types[i].name != NULL)
			fprintf(f, "id %zu: %s, level is %s\n", i,
				logs.types[i].name,
				rte_log_level_name(logs.types[i].level));
	pthread_mutex_unlock(&logs.lock);
}

void
rte_log_list_types(FILE *f, const char *prefix)
{
	size_t i;

	pthread_mutex_lock(&logs.lock);
	for (i = 0; i < RTE_DIM(logs.types); i++)
		if (logs.types[i].name != NULL)
			fprintf(f, "%s%-24s %s\n", prefix, logs.types[i].name,
				rte_log_level_name(logs.types[i].level));
	pthread_mutex_unlock(&logs.lock);
}

int
eal_log_types_print(FILE *f)
{
	fprintf(f, "Log types and their levels (--log-level=<glob>:<level> or <regex>,<level> sets them):\n");
	rte_log_list_types(f, "\t");
	return 1;
}

int
eal_log_level_regexp(const char *opt, const char *arg)
{
	const char *comma = strrchr(arg, ',');
	char regex[128];
	int level;

	level = rte_log_level_from_name(comma + 1);
	if (level < 0 || comma == arg || (size_t)(comma - arg) >= sizeof(regex)) {
		EAL_LOG(ERR, "invalid value '%s' for --%s: expected <regex>,<level> with a regular expression of 1 to %zu characters and a level among emergency, alert, critical, error, warning, notice, info, debug or 1-8",
			arg, opt, sizeof(regex) - 1);
		rte_errno = EINVAL;
		return -1;
	}
	memcpy(regex, arg, comma - arg);
	regex[comma - arg] = '\0';
	if (rte_log_set_level_regexp(regex, (uint32_t)level) != 0) {
		if (rte_errno == EINVAL)
			EAL_LOG(ERR, "invalid value '%s' for --%s: '%s' is not an extended regular expression",
				arg, opt, regex);
		return -1;
	}
	return 0;
}
