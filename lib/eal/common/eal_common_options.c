/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_string_fns.h>
#include <rte_uuid.h>
#include <rte_version.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_options.h"

static struct internal_config internal_config;

struct internal_config *
eal_get_internal_configuration(void)
{
	return &internal_config;
}

void
eal_reset_internal_config(struct internal_config *cfg)
{
	free(cfg->devopts);
	memset(cfg, 0, sizeof(*cfg));
	cfg->process_type = RTE_PROC_PRIMARY;
	cfg->iova_mode = RTE_IOVA_DC;
	rte_strlcpy(cfg->file_prefix, EAL_DEFAULT_FILE_PREFIX,
		sizeof(cfg->file_prefix));
	cfg->vfio_mode = EAL_VFIO_MODE_AUTO;
	cfg->vfio_intr_mode = RTE_INTR_MODE_NONE;
}

/* A word accepted by an option, and the value it stands for. */
struct option_choice {
	const char *name;
	int value;
};

/* Match arg against choices; on failure name the option and list them. */
static int
parse_choice(const char *opt, const char *arg,
		const struct option_choice *choices, size_t n, int *value)
{
	char accepted[128] = "";
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(arg, choices[i].name) == 0) {
			*value = choices[i].value;
			return 0;
		}
	}
	for (i = 0; i < n; i++) {
		strncat(accepted, i == 0 ? "" : ", ",
			sizeof(accepted) - strlen(accepted) - 1);
		strncat(accepted, choices[i].name,
			sizeof(accepted) - strlen(accepted) - 1);
	}
	EAL_LOG(ERR, "invalid value '%s' for --%s: accepted values are %s",
		arg, opt, accepted);
	return -1;
}

#define CHOICE(opt, arg, table, out) \
	parse_choice(opt, arg, table, RTE_DIM(table), (int *)(out))

static int
opt_proc_type(struct internal_config *cfg, const char *opt, const char *arg)
{
	static const struct option_choice t[] = {
		{ "primary", RTE_PROC_PRIMARY },
		{ "secondary", RTE_PROC_SECONDARY },
		{ "auto", RTE_PROC_AUTO },
	};

	return CHOICE(opt, arg, t, &cfg->process_type);
}

static int
opt_iova_mode(struct internal_config *cfg, const char *opt, const char *arg)
{
	static const struct option_choice t[] = {
		{ "pa", RTE_IOVA_PA },
		{ "va", RTE_IOVA_VA },
	};

	return CHOICE(opt, arg, t, &cfg->iova_mode);
}

static int
opt_vfio_mode(struct internal_config *cfg, const char *opt, const char *arg)
{
	static const struct option_choice t[] = {
		{ "auto", EAL_VFIO_MODE_AUTO },
		{ "group", EAL_VFIO_MODE_GROUP },
		{ "noiommu", EAL_VFIO_MODE_NOIOMMU },
		{ "cdev", EAL_VFIO_MODE_CDEV },
		{ "noiommu-group", EAL_VFIO_MODE_NOIOMMU_GROUP },
		{ "noiommu-cdev", EAL_VFIO_MODE_NOIOMMU_CDEV },
	};

	return CHOICE(opt, arg, t, &cfg->vfio_mode);
}

static int
opt_vfio_intr(struct internal_config *cfg, const char *opt, const char *arg)
{
	static const struct option_choice t[] = {
		{ "legacy", RTE_INTR_MODE_LEGACY },
		{ "msi", RTE_INTR_MODE_MSI },
		{ "msix", RTE_INTR_MODE_MSIX },
	};

	return CHOICE(opt, arg, t, &cfg->vfio_intr_mode);
}

static int
opt_vf_token(struct internal_config *cfg, const char *opt, const char *arg)
{
	if (rte_uuid_parse(arg, cfg->vfio_vf_token) != 0) {
		EAL_LOG(ERR, "invalid value '%s' for --%s: expected a UUID such as 14d63f20-8445-11ea-8900-1f9ce7d5650d",
			arg, opt);
		return -1;
	}
	return 0;
}

static int
opt_file_prefix(struct internal_config *cfg, const char *opt, const char *arg)
{
	const char *c;

	for (c = arg; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && strchr("-_.", *c) == NULL)
			break;
	if (arg[0] == '\0' || arg[0] == '.' || *c != '\0' ||
			strlen(arg) > EAL_FILE_PREFIX_MAX) {
		EAL_LOG(ERR, "invalid value '%s' for --%s: use 1 to %d letters, digits, '-', '_' or '.', not starting with '.'",
			arg, opt, EAL_FILE_PREFIX_MAX);
		return -1;
	}
	rte_strlcpy(cfg->file_prefix, arg, sizeof(cfg->file_prefix));
	return 0;
}

static int
opt_log_level(struct internal_config *cfg, const char *opt, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	char pattern[128];
	int level;

	if (strcmp(arg, "help") == 0)
		return eal_log_types_print(stdout);
	if (strchr(arg, ',') != NULL)
		return eal_log_level_regexp(opt, arg);
	level = rte_log_level_from_name(colon != NULL ? colon + 1 : arg);
	if (level < 0 || (colon != NULL &&
			((size_t)(colon - arg) >= sizeof(pattern) || colon == arg))) {
		EAL_LOG(ERR, "invalid value '%s' for --%s: expected [<pattern>:]<level> with a level among emergency, alert, critical, error, warning, notice, info, debug or 1-8",
			arg, opt);
		return -1;
	}
	if (colon == NULL) {
		/* a bare level is for everything, not only the global cap */
		rte_log_set_global_level((uint32_t)level);
		return rte_log_set_level_pattern("*", (uint32_t)level);
	}
	memcpy(pattern, arg, colon - arg);
	pattern[colon - arg] = '\0';
	return rte_log_set_level_pattern(pattern, (uint32_t)level);
}

static int
add_devopt(struct internal_config *cfg, enum rte_dev_policy policy,
		const char *opt, const char *arg)
{
	struct eal_devopt *d;

	if (arg[0] == '\0') {
		EAL_LOG(ERR, "invalid value '' for --%s: expected [<bus>:]<device>[,<key>=<value>...]",
			opt);
		return -1;
	}
	d = realloc(cfg->devopts, (cfg->nb_devopts + 1) * sizeof(*d));
	if (d == NULL) {
		EAL_LOG(ERR, "cannot store --%s %s: %s", opt, arg, strerror(ENOMEM));
		rte_errno = ENOMEM;
		return -1;
	}
	cfg->devopts = d;
	d[cfg->nb_devopts].policy = policy;
	d[cfg->nb_devopts].str = arg;
	cfg->nb_devopts++;
	return 0;
}

static int
opt_allow(struct internal_config *cfg, const char *opt, const char *arg)
{
	return add_devopt(cfg, RTE_DEV_ALLOWED, opt, arg);
}

static int
opt_block(struct internal_config *cfg, const char *opt, const char *arg)
{
	return add_devopt(cfg, RTE_DEV_BLOCKED, opt, arg);
}

static int
opt_no_pci(struct internal_config *cfg, const char *opt, const char *arg)
{
	cfg->no_pci = 1;
	return 0;
}

static int
opt_no_huge(struct internal_config *cfg, const char *opt, const char *arg)
{
	cfg->no_hugetlbfs = 1;
	return 0;
}

static int
opt_no_telemetry(struct internal_config *cfg, const char *opt, const char *arg)
{
	cfg->no_telemetry = 1;
	return 0;
}

static int
opt_in_memory(struct internal_config *cfg, const char *opt, const char *arg)
{
	cfg->in_memory = 1;
	return 0;
}

static int
opt_memory(struct internal_config *cfg, const char *opt, const char *arg)
{
	uint64_t mb;

	if (rte_str_to_dec_u64(arg, &mb) != 0 || mb == 0 || mb > (UINT64_MAX >> 20)) {
		EAL_LOG(ERR, "invalid value '%s' for --%s: expected a number of megabytes greater than 0",
			arg, opt);
		return -1;
	}
	cfg->memory = mb << 20;
	return 0;
}

static int
opt_socket_mem(struct internal_config *cfg, const char *opt, const char *arg)
{
	char buf[256];
	char *tok[RTE_MAX_NUMA_NODES + 1];
	int n, i;

	if (rte_strscpy(buf, arg, sizeof(buf)) < 0)
		goto invalid;
	n = rte_strsplit(buf, sizeof(buf), tok, RTE_DIM(tok), ',');
	if (n <= 0 || n > RTE_MAX_NUMA_NODES)
		goto invalid;
	for (i = 0; i < n; i++) {
		uint64_t mb;

		if (rte_str_to_dec_u64(tok[i], &mb) != 0 || mb > (UINT64_MAX >> 20))
			goto invalid;
		cfg->socket_mem[i] = mb << 20;
	}
	cfg->force_sockets = 1;
	return 0;
invalid:
	EAL_LOG(ERR, "invalid value '%s' for --%s: expected megabytes per NUMA node separated by ',' (at most %d nodes), e.g. 512,512",
		arg, opt, RTE_MAX_NUMA_NODES);
	return -1;
}

static int
opt_huge_dir(struct internal_config *cfg, const char *opt, const char *arg)
{
	if (arg[0] != '/' || rte_strscpy(cfg->hugepage_dir, arg,
			sizeof(cfg->hugepage_dir)) < 0) {
		EAL_LOG(ERR, "invalid value '%s' for --%s: expected an absolute path to a hugetlbfs mount",
			arg, opt);
		return -1;
	}
	return 0;
}

/* An option that only prints: the parser stops, rte_eal_init() exits 0. */
static int
opt_version(struct internal_config *cfg, const char *opt, const char *arg)
{
	printf("%s\n", rte_version());
	return EAL_OPT_PRINTED;
}

/* DPDK's -v: the version in the log, and the program goes on */
static int
opt_version_at_startup(struct internal_config *cfg, const char *opt,
		const char *arg)
{
	EAL_LOG(NOTICE, "version %s", rte_version());
	return 0;
}

/* Every EAL option: one row each. */
static const struct eal_option {
	const char *name;
	int short_opt;       /* 0 when the option has no short form */
	/* name is NULL for a row with a short form only */
	int has_arg;
	int (*handler)(struct internal_config *cfg, const char *opt,
		const char *arg);
	const char *help;
} eal_options[] = {
	{ "allow", 'a', required_argument, opt_allow,
	  "<[bus:]dev[,k=v...]>  probe only this device (repeatable)" },
	{ "block", 'b', required_argument, opt_block,
	  "<[bus:]dev>  never probe this device (repeatable)" },
	{ "log-level", 0, required_argument, opt_log_level,
	  "<[glob:]level|regex,level|help>  global level, or level of matching log types; help lists them" },
	{ "file-prefix", 0, required_argument, opt_file_prefix,
	  "<name>  runtime directory and shared files name (default rte)" },
	{ "proc-type", 0, required_argument, opt_proc_type,
	  "<primary|secondary|auto>  process role (default primary)" },
	{ "iova-mode", 0, required_argument, opt_iova_mode,
	  "<pa|va>  force the IOVA mode (default: decided by buses and VFIO)" },
	{ "no-pci", 0, no_argument, opt_no_pci,
	  "  do not scan or probe the PCI bus" },
	{ "memory", 'm', required_argument, opt_memory,
	  "<MB>  memory to allocate at start-up" },
	{ "socket-mem", 0, required_argument, opt_socket_mem,
	  "<MB,MB,...>  memory per NUMA node at start-up" },
	{ "no-huge", 0, no_argument, opt_no_huge,
	  "  use anonymous memory instead of hugepages" },
	{ "in-memory", 0, no_argument, opt_in_memory,
	  "  no shared files: no secondary processes, memfd-backed memory" },
	{ "huge-dir", 0, required_argument, opt_huge_dir,
	  "<path>  hugetlbfs mount to use" },
	{ "vfio-mode", 0, required_argument, opt_vfio_mode,
	  "<auto|group|cdev|noiommu|noiommu-group|noiommu-cdev>  VFIO interface (default auto)" },
	{ "vfio-intr", 0, required_argument, opt_vfio_intr,
	  "<legacy|msi|msix>  interrupt mode for VFIO devices" },
	{ "vfio-vf-token", 0, required_argument, opt_vf_token,
	  "<uuid>  VF token shared between a PF and its VFs" },
	{ "no-telemetry", 0, no_argument, opt_no_telemetry,
	  "  no telemetry socket in the runtime directory" },
	{ "version", 0, no_argument, opt_version,
	  "  print the version and return" },
	{ NULL, 'v', no_argument, opt_version_at_startup,
	  "  log the version at startup and go on (DPDK's -v)" },
	{ "help", 'h', no_argument, NULL,
	  "  print this help and return" },
};

static rte_usage_hook_t app_usage_hook;

rte_usage_hook_t
rte_set_application_usage_hook(rte_usage_hook_t usage_func)
{
	rte_usage_hook_t old = app_usage_hook;

	app_usage_hook = usage_func;
	return old;
}

void
eal_usage(FILE *f, const char *prgname)
{
	size_t i;

	fprintf(f, "Usage: %s [EAL options] [-- application options]\n\nEAL options:\n",
		prgname);
	for (i = 0; i < RTE_DIM(eal_options); i++) {
		const struct eal_option *o = &eal_options[i];

		if (o->name == NULL)
			fprintf(f, "  -%c %s\n", o->short_opt, o->help);
		else if (o->short_opt != 0)
			fprintf(f, "  -%c, --%s %s\n", o->short_opt, o->name, o->help);
		else
			fprintf(f, "  --%s %s\n", o->name, o->help);
	}
	if (app_usage_hook != NULL) {
		fflush(f);
		app_usage_hook(prgname);
	}
}

/* Build getopt's tables from eal_options; val is the row index + 256. */
static void
build_getopt_tables(struct option *longopts, char *shortopts, size_t len)
{
	size_t i, l = 0, n = 0;

	shortopts[n++] = '+'; /* stop at the first non-option */
	shortopts[n++] = ':'; /* report a missing argument as ':' */
	for (i = 0; i < RTE_DIM(eal_options); i++) {
		if (eal_options[i].name != NULL) {
			longopts[l].name = eal_options[i].name;
			longopts[l].has_arg = eal_options[i].has_arg;
			longopts[l].flag = NULL;
			longopts[l].val = (int)i + 256;
			l++;
		}
		if (eal_options[i].short_opt != 0 && n + 2 < len) {
			shortopts[n++] = (char)eal_options[i].short_opt;
			if (eal_options[i].has_arg == required_argument)
				shortopts[n++] = ':';
		}
	}
	memset(&longopts[l], 0, sizeof(longopts[l]));
	shortopts[n] = '\0';
}

static const struct eal_option *
option_by_short(int c)
{
	size_t i;

	for (i = 0; i < RTE_DIM(eal_options); i++)
		if (eal_options[i].short_opt == c)
			return &eal_options[i];
	return NULL;
}

/*
 * getopt's '?' or ':' as one line naming the option the user wrote. optopt
 * holds the short option character, the long option's val (row + 256) when
 * a long option was recognised, or 0 for an unknown long option; optind
 * has not moved past a cluster of short options ("-zq") yet, so argv[]
 * cannot tell which one was wrong.
 */
static void
log_getopt_error(int c, char **argv)
{
	if (optopt >= 256) {
		const struct eal_option *o = &eal_options[optopt - 256];

		if (c == ':')
			EAL_LOG(ERR, "option --%s needs a value; see --help",
				o->name);
		else
			EAL_LOG(ERR, "option --%s takes no value, '%s' gives one; see --help",
				o->name, argv[optind - 1]);
	} else if (optopt != 0) {
		if (c == ':')
			EAL_LOG(ERR, "option -%c needs a value; see --help", optopt);
		else
			EAL_LOG(ERR, "unknown EAL option '-%c'; see --help", optopt);
	} else {
		EAL_LOG(ERR, "unknown EAL option '%s' (or the start of several); see --help",
			argv[optind - 1]);
	}
}

int
eal_parse_args(int argc, char **argv, struct internal_config *cfg)
{
	struct option longopts[RTE_DIM(eal_options) + 1];
	char shortopts[2 * RTE_DIM(eal_options) + 3];
	int c, ret;

	build_getopt_tables(longopts, shortopts, sizeof(shortopts));
	optind = 0; /* full re-initialisation of getopt */
	opterr = 0;
	optopt = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct eal_option *o;

		if (c == '?' || c == ':') {
			log_getopt_error(c, argv);
			optind = 0;
			rte_errno = EINVAL;
			return -1;
		}
		o = c >= 256 ? &eal_options[c - 256] : option_by_short(c);
		if (o->handler == NULL) {
			eal_usage(stdout, argv[0]);
			optind = 0;
			return 0;
		}
		ret = o->handler(cfg, o->name, optarg);
		if (ret == EAL_OPT_PRINTED)
			return 0;
		if (ret != 0) {
			if (rte_errno != ENOMEM)
				rte_errno = EINVAL;
			optind = 0;
			return -1;
		}
		optopt = 0;
	}
	ret = optind;
	optind = 0;
	return ret;
}

#define OPTIONS_CLASH(a, b) \
	EAL_LOG(ERR, "options %s and %s cannot be used together", a, b)

int
eal_check_options(const struct internal_config *cfg)
{
	if (cfg->memory != 0 && cfg->force_sockets) {
		OPTIONS_CLASH("-m", "--socket-mem");
		goto einval;
	}
	if (cfg->no_hugetlbfs && cfg->force_sockets) {
		OPTIONS_CLASH("--no-huge", "--socket-mem");
		goto einval;
	}
	if (cfg->no_hugetlbfs && cfg->hugepage_dir[0] != '\0') {
		OPTIONS_CLASH("--no-huge", "--huge-dir");
		goto einval;
	}
	if (cfg->in_memory && cfg->process_type == RTE_PROC_SECONDARY) {
		OPTIONS_CLASH("--in-memory", "--proc-type=secondary");
		goto einval;
	}
	if (cfg->in_memory && cfg->process_type == RTE_PROC_AUTO) {
		OPTIONS_CLASH("--in-memory", "--proc-type=auto");
		goto einval;
	}
	return 0;
einval:
	rte_errno = EINVAL;
	return -1;
}
