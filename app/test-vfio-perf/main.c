/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * dpdk-test-vfio-perf [EAL options] -- [options]
 *
 * Measures what the VFIO subsystem adds to the kernel's own cost in the
 * mode the EAL selected; see doc/guides/howto/vfio_perf.rst.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_vfio.h>

#include "perf.h"

#define EDU_ENV "DPDK_VM_EDU_DEVS"

static const struct {
	const char *name;
	unsigned int bit;
	void (*run)(const struct perf_conf *conf);
} tests[] = {
	/* the order they run in: the init children need no device held */
	{ "maps", PERF_TEST_MAPS, perf_maps },
	{ "dma", PERF_TEST_DMA, perf_dma },
	{ "scale", PERF_TEST_SCALE, perf_scale },
	{ "scale-devices", PERF_TEST_SCALE_DEVICES, perf_scale_devices },
	{ "scale-containers", PERF_TEST_SCALE_CONTAINERS,
		perf_scale_containers },
	{ "device", PERF_TEST_DEVICE, perf_device },
	{ "container", PERF_TEST_CONTAINER, perf_container },
	{ "secondary", PERF_TEST_SECONDARY, perf_secondary },
	{ "scale-secondaries", PERF_TEST_SCALE_SECONDARIES,
		perf_scale_secondaries },
	{ "scale-mem", PERF_TEST_SCALE_MEM, perf_scale_mem },
	{ "init", PERF_TEST_INIT, perf_init },
};

static void
usage(const char *prg)
{
	printf("usage: %s [EAL options] -- [options]\n"
		"\n"
		"Measures VFIO DMA map/unmap against bare ioctls, the map\n"
		"bookkeeping, device and container set-up, secondary attach and\n"
		"EAL init, in the VFIO mode the EAL selected.\n"
		"\n"
		"  -n, --count LIST      regions per DMA round (default 1,64,4096;\n"
		"                        1 to 65536)\n"
		"  -s, --size LIST       bytes per region, 4K to 1G, suffixes K M G\n"
		"                        (default 4K,2M)\n"
		"  --map-entries LIST    live entries for the bookkeeping benchmark\n"
		"                        (default 10,1000,100000)\n"
		"  --init-mem LIST       -m values (MiB) for the EAL init benchmark\n"
		"                        (default 64)\n"
		"  --scale-maps N        user maps of the scale row (default: type1's\n"
		"                        dma_entry_limit + 1 in group mode, else\n"
		"                        65536; at most 10000000)\n"
		"  --scale-devs N        devices of scale-devices (default: all\n"
		"                        given; at most %d, no more than given)\n"
		"  --scale-secondaries N secondaries started at once by\n"
		"                        scale-secondaries (default 8, at most %d)\n"
		"  --scale-mem MB        -m of scale-mem (default 4096)\n"
		"  --reps R              repetitions of each case, median reported\n"
		"                        (default 5, at most %d)\n"
		"  --max-mem MB          distinct memory for a DMA round at most\n"
		"                        (default 256); beyond, one buffer is mapped\n"
		"                        N times\n"
		"  --backing auto|distinct|shared\n"
		"                        memory behind the regions (default auto)\n"
		"  --dev ADDR            PCI device bound to vfio-pci (repeatable;\n"
		"                        default: $%s); two give both DMA sides\n"
		"                        a device of their own\n"
		"  --sysfs DIR           bus directory (default /sys/bus/pci/devices)\n"
		"  --tests LIST          maps,dma,scale,scale-devices,\n"
		"                        scale-containers,device,container,\n"
		"                        secondary,scale-secondaries,scale-mem,\n"
		"                        init (default all)\n"
		"  --csv FILE            also write the results as CSV (- = stdout)\n"
		"  --json FILE           also write the results as JSON (- = stdout)\n"
		"  -h, --help            this text\n"
		"\n"
		"Exit status: 0, or 1 when a case failed (the table says which).\n",
		prg, PERF_MAX_DEVS, PERF_SCALE_MAX_SECONDARIES, PERF_MAX_REPS,
		EDU_ENV);
}

/* "4K", "2M", "1G" or a plain number; 0 on error */
static uint64_t
parse_size(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s)
		return 0;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	return *end == '\0' ? v : 0;
}

static int
parse_list(const char *arg, uint64_t *v, unsigned int *n, uint64_t min,
		uint64_t max, const char *what)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		uint64_t x = parse_size(tok);

		if (x < min || x > max || *n == PERF_MAX_LIST) {
			fprintf(stderr, "bad %s '%s' (%" PRIu64 " to %" PRIu64
				", at most %d values)\n", what, tok, min, max,
				PERF_MAX_LIST);
			return -1;
		}
		v[(*n)++] = x;
	}
	return *n > 0 ? 0 : -1;
}

static int
parse_tests(const char *arg, unsigned int *bits)
{
	char buf[256], *tok, *save = NULL;
	unsigned int i;

	snprintf(buf, sizeof(buf), "%s", arg);
	*bits = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < PERF_DIM(tests); i++)
			if (strcmp(tok, tests[i].name) == 0)
				break;
		if (i == PERF_DIM(tests)) {
			fprintf(stderr, "unknown test '%s'\n", tok);
			return -1;
		}
		*bits |= tests[i].bit;
	}
	return 0;
}

static int
add_dev(struct perf_conf *conf, const char *addr)
{
	if (conf->n_devs == PERF_MAX_DEVS || strlen(addr) >= PERF_DEV_LEN) {
		fprintf(stderr, "too many devices, or name too long: %s\n",
			addr);
		return -1;
	}
	snprintf(conf->devs[conf->n_devs++], PERF_DEV_LEN, "%s", addr);
	return 0;
}

static int
devs_from_env(struct perf_conf *conf)
{
	const char *env = getenv(EDU_ENV);
	char buf[512], *tok, *save = NULL;

	if (env == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", env);
	for (tok = strtok_r(buf, " ,", &save); tok != NULL;
			tok = strtok_r(NULL, " ,", &save))
		if (add_dev(conf, tok) != 0)
			return -1;
	return 0;
}

enum {
	OPT_REPS = 256, OPT_MAP_ENTRIES, OPT_INIT_MEM, OPT_MAX_MEM,
	OPT_BACKING, OPT_DEV, OPT_SYSFS, OPT_TESTS, OPT_CSV, OPT_JSON,
	OPT_CHILD, OPT_CHILD_FD, OPT_SCALE_MAPS, OPT_SCALE_DEVS,
	OPT_SCALE_SECONDARIES, OPT_SCALE_MEM,
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "size", required_argument, NULL, 's' },
	{ "map-entries", required_argument, NULL, OPT_MAP_ENTRIES },
	{ "init-mem", required_argument, NULL, OPT_INIT_MEM },
	{ "scale-maps", required_argument, NULL, OPT_SCALE_MAPS },
	{ "scale-devs", required_argument, NULL, OPT_SCALE_DEVS },
	{ "scale-secondaries", required_argument, NULL, OPT_SCALE_SECONDARIES },
	{ "scale-mem", required_argument, NULL, OPT_SCALE_MEM },
	{ "reps", required_argument, NULL, OPT_REPS },
	{ "max-mem", required_argument, NULL, OPT_MAX_MEM },
	{ "backing", required_argument, NULL, OPT_BACKING },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "sysfs", required_argument, NULL, OPT_SYSFS },
	{ "tests", required_argument, NULL, OPT_TESTS },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "child", required_argument, NULL, OPT_CHILD },
	{ "child-fd", required_argument, NULL, OPT_CHILD_FD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct outputs {
	const char *csv;
	const char *json;
};

/* 0, 1 for --help, -1 on error */
static int
parse_args(int argc, char **argv, struct perf_conf *conf, struct outputs *o)
{
	bool devs_given = false;
	uint64_t x;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_list(optarg, conf->counts, &conf->n_counts, 1,
					65536, "count") != 0)
				return -1;
			break;
		case 's':
			if (parse_list(optarg, conf->sizes, &conf->n_sizes,
					4096, UINT64_C(1) << 30, "size") != 0)
				return -1;
			break;
		case OPT_MAP_ENTRIES:
			if (parse_list(optarg, conf->map_entries,
					&conf->n_map_entries, 1, 10000000,
					"entry count") != 0)
				return -1;
			break;
		case OPT_INIT_MEM:
			if (parse_list(optarg, conf->init_mem,
					&conf->n_init_mem, 1, 1 << 20,
					"memory size") != 0)
				return -1;
			break;
		case OPT_SCALE_MAPS:
			x = parse_size(optarg);
			if (x < 1 || x > 10000000) {
				fprintf(stderr, "--scale-maps: 1 to 10000000\n");
				return -1;
			}
			conf->scale_maps = x;
			break;
		case OPT_SCALE_DEVS:
			x = parse_size(optarg);
			if (x < 1 || x > PERF_MAX_DEVS) {
				fprintf(stderr, "--scale-devs: 1 to %d\n",
					PERF_MAX_DEVS);
				return -1;
			}
			conf->scale_devs = (unsigned int)x;
			break;
		case OPT_SCALE_SECONDARIES:
			x = parse_size(optarg);
			if (x < 1 || x > PERF_SCALE_MAX_SECONDARIES) {
				fprintf(stderr, "--scale-secondaries: 1 to %d\n",
					PERF_SCALE_MAX_SECONDARIES);
				return -1;
			}
			conf->scale_secondaries = (unsigned int)x;
			break;
		case OPT_SCALE_MEM:
			x = parse_size(optarg);
			if (x < 1 || x > (1 << 20)) {
				fprintf(stderr, "--scale-mem: 1 to %d MiB\n",
					1 << 20);
				return -1;
			}
			conf->scale_mem = x;
			break;
		case OPT_REPS:
			x = parse_size(optarg);
			if (x < 1 || x > PERF_MAX_REPS) {
				fprintf(stderr, "--reps: 1 to %d\n",
					PERF_MAX_REPS);
				return -1;
			}
			conf->reps = (unsigned int)x;
			break;
		case OPT_MAX_MEM:
			x = parse_size(optarg);
			if (x == 0 && strcmp(optarg, "0") != 0) {
				fprintf(stderr, "--max-mem: a number of MiB\n");
				return -1;
			}
			conf->max_mem = x << 20;
			break;
		case OPT_BACKING:
			if (strcmp(optarg, "auto") == 0)
				conf->backing = PERF_BACKING_AUTO;
			else if (strcmp(optarg, "distinct") == 0)
				conf->backing = PERF_BACKING_DISTINCT;
			else if (strcmp(optarg, "shared") == 0)
				conf->backing = PERF_BACKING_SHARED;
			else {
				fprintf(stderr, "--backing: auto, distinct or shared\n");
				return -1;
			}
			break;
		case OPT_DEV:
			if (add_dev(conf, optarg) != 0)
				return -1;
			devs_given = true;
			break;
		case OPT_SYSFS:
			conf->sysfs = optarg;
			break;
		case OPT_TESTS:
			if (parse_tests(optarg, &conf->tests) != 0)
				return -1;
			break;
		case OPT_CSV:
			o->csv = optarg;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case OPT_CHILD:
			conf->child = optarg;
			break;
		case OPT_CHILD_FD:
			conf->child_fd = atoi(optarg);
			break;
		case 'h':
			usage(argv[0]);
			return 1;
		default:
			fprintf(stderr, "try '%s -- --help'\n", argv[0]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!devs_given && devs_from_env(conf) != 0)
		return -1;
	if (conf->scale_devs > conf->n_devs) {
		fprintf(stderr, "--scale-devs %u: only %u device(s) given (--dev or $%s)\n",
			conf->scale_devs, conf->n_devs, EDU_ENV);
		return -1;
	}
	return 0;
}

static void
conf_defaults(struct perf_conf *conf)
{
	static const uint64_t counts[] = { 1, 64, 4096 };
	static const uint64_t sizes[] = { 4096, 2u << 20 };
	static const uint64_t entries[] = { 10, 1000, 100000 };
	unsigned int i;

	memset(conf, 0, sizeof(*conf));
	for (i = 0; i < PERF_DIM(counts); i++)
		conf->counts[conf->n_counts++] = counts[i];
	for (i = 0; i < PERF_DIM(sizes); i++)
		conf->sizes[conf->n_sizes++] = sizes[i];
	for (i = 0; i < PERF_DIM(entries); i++)
		conf->map_entries[conf->n_map_entries++] = entries[i];
	conf->init_mem[conf->n_init_mem++] = 64;
	conf->scale_secondaries = 8;
	conf->scale_mem = 4096;
	conf->reps = 5;
	conf->max_mem = UINT64_C(256) << 20;
	conf->backing = PERF_BACKING_AUTO;
	conf->sysfs = "/sys/bus/pci/devices";
	conf->tests = PERF_TEST_ALL;
	conf->child_fd = -1;
}

const char *
perf_mode_name(void)
{
	bool iommu = (rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0;

	switch (rte_vfio_get_interface()) {
	case RTE_VFIO_INTERFACE_GROUP: return iommu ? "group" : "noiommu";
	case RTE_VFIO_INTERFACE_CDEV: return iommu ? "cdev" : "cdev (no-IOMMU)";
	default: return "none";
	}
}

/* the machine the figures come from */
static void
report_machine(const struct perf_conf *conf)
{
	char line[256], cpu[160] = "?";
	bool hypervisor = false;
	struct utsname u;
	unsigned int i;
	FILE *f;

	f = fopen("/proc/cpuinfo", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, "model name", 10) == 0 && cpu[0] == '?')
				snprintf(cpu, sizeof(cpu), "%s",
					strchr(line, ':') + 2);
			if (strncmp(line, "flags", 5) == 0 &&
					strstr(line, " hypervisor") != NULL)
				hypervisor = true;
		}
		fclose(f);
		cpu[strcspn(cpu, "\n")] = '\0';
	}
	perf_report_header("mode", "%s, IOVA as %s", perf_mode_name(),
		rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "VA");
	if (uname(&u) == 0)
		perf_report_header("kernel", "%s %s %s", u.sysname, u.release,
			u.machine);
	perf_report_header("cpu", "%s%s", cpu,
		hypervisor ? " (virtual machine)" : "");
	line[0] = '\0';
	for (i = 0; i < conf->n_devs; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			"%s%s", i == 0 ? "" : " ", conf->devs[i]);
	/* many devices do not fit a header line: the first and the last */
	if (conf->n_devs > 4)
		perf_report_header("devices", "%u: %s ... %s", conf->n_devs,
			conf->devs[0], conf->devs[conf->n_devs - 1]);
	else
		perf_report_header("devices", "%s",
			conf->n_devs > 0 ? line : "none");
	perf_report_header("reps", "%u (median reported)", conf->reps);
}

static int
run_child(const struct perf_conf *conf)
{
	if (strcmp(conf->child, "secondary") == 0)
		return perf_child_secondary(conf);
	if (strcmp(conf->child, "init") == 0)
		return perf_child_init(conf);
	fprintf(stderr, "unknown --child '%s'\n", conf->child);
	return 2;
}

static bool
is_child(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--child") == 0)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct outputs out = { NULL, NULL };
	struct perf_conf conf;
	char **eal_argv;
	uint64_t t0;
	int ret, i;

	conf_defaults(&conf);
	/* the EAL's getopt may permute argv: keep a copy for the children */
	eal_argv = calloc(argc + 1, sizeof(*eal_argv));
	if (eal_argv == NULL)
		return 1;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		eal_argv[conf.eal_argc++] = argv[i];
	conf.eal_argv = eal_argv;

	rte_set_application_usage_hook(usage);
	t0 = perf_now_ns();
	ret = rte_eal_init(argc, argv);
	conf.eal_init_ns = (double)(perf_now_ns() - t0);
	if (ret < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n",
			rte_strerror(rte_errno));
		free(eal_argv);
		/* a secondary that found the primary's addresses taken */
		return rte_errno == EEXIST && is_child(argc, argv) ?
			PERF_CHILD_RETRY : 1;
	}
	argc -= ret;
	argv += ret;
	ret = parse_args(argc, argv, &conf, &out);
	if (ret != 0)
		goto cleanup;
	if (conf.child != NULL) {
		ret = run_child(&conf);
		goto cleanup;
	}
	report_machine(&conf);
	for (i = 0; i < (int)PERF_DIM(tests); i++)
		if ((conf.tests & tests[i].bit) != 0)
			tests[i].run(&conf);
	perf_report_print_table();
	if (out.csv != NULL && perf_report_write("csv", out.csv) != 0)
		ret = -1;
	if (out.json != NULL && perf_report_write("json", out.json) != 0)
		ret = -1;
	if (perf_report_failures() > 0)
		ret = -1;
cleanup:
	rte_eal_cleanup();
	free(eal_argv);
	if (ret == 1 && conf.child == NULL)
		return 0; /* --help */
	return ret == 0 ? 0 : (ret < 0 ? 1 : ret);
}
