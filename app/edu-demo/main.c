/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * dpdk-edu-demo: initialise the EAL, and for every probed edu device copy
 * a pattern to the device's buffer and back by DMA, verify every byte,
 * raise and acknowledge an interrupt, and print one table row per device.
 *
 *   dpdk-edu-demo [EAL options] -- [--size N] [--poll] [--dma-mask M]
 *                                   [--with-secondary] [--rounds N]
 *                                   [--until-removal] [--hold SEC]
 *
 * --rounds N: run N rounds (default 1). A device removed by the kernel
 * (hot-unplug) during a round is reported as "removed" and is not a
 * failure; the others go on.
 * --until-removal: stop early, one round after the first device removal
 * (which proves that the remaining devices still work).
 *
 * --with-secondary: after its own round the primary runs the same binary
 * as a secondary process (--proc-type=secondary) that uses the devices the
 * primary probed, waits for it, takes the interrupts back and runs a
 * second round.
 */

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_vfio.h>

#include <rte_edu.h>

#define DEMO_DEFAULT_SIZE 4000
#define DEMO_IRQ_VALUE 0x5a

struct demo_opts {
	uint64_t dma_mask; /* 0: the driver's (dma_mask device argument) */
	uint32_t size;
	enum rte_edu_wait wait;
	int with_secondary;
	unsigned int hold; /* seconds to keep the devices open at the end */
	unsigned long rounds;
	int until_removal;
};

static volatile sig_atomic_t hold_stop;

static void
hold_signal(int sig)
{
	(void)sig;
	hold_stop = 1;
}

/*
 * --hold: keep the devices, mappings and telemetry socket for a while, so
 * that dpdk-telemetry.py or dpdk-devbind.py can look at a live process;
 * SIGINT/SIGTERM end it early (and cleanly).
 */
static void
hold(unsigned int sec)
{
	struct sigaction sa = { .sa_handler = hold_signal };
	unsigned int i;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("%s: holding the devices for %u s (SIGTERM ends it)\n",
		rte_eal_process_type() == RTE_PROC_PRIMARY ? "primary" :
		"secondary", sec);
	fflush(stdout);
	for (i = 0; i < sec && !hold_stop; i++)
		sleep(1);
}

struct demo_row {
	int ok;           /* every step worked and every byte matched */
	const char *fail; /* step that failed */
	uint32_t bytes;
	uint32_t bad;     /* mismatching bytes */
	double usec;
};

/* interface and IOMMU: upstream's mode alone says "noiommu" for both */
static const char *
vfio_mode_name(void)
{
	bool iommu = (rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0;

	switch (rte_vfio_get_interface()) {
	case RTE_VFIO_INTERFACE_GROUP: return iommu ? "group" : "noiommu";
	case RTE_VFIO_INTERFACE_CDEV: return iommu ? "cdev" : "noiommu-cdev";
	default: return "none";
	}
}

static const char *
proc_name(void)
{
	return rte_eal_process_type() == RTE_PROC_SECONDARY ? "secondary" :
		"primary";
}

static uint8_t
pattern_byte(unsigned int dev, uint32_t i)
{
	return (uint8_t)(i * 7 + dev * 31 + (i >> 8));
}

static double
elapsed_us(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e6 +
		(double)(b->tv_nsec - a->tv_nsec) / 1e3;
}

/* RAM -> edu -> RAM through two buffers, then the interrupt round trip. */
static void
demo_one(struct rte_edu *edu, unsigned int idx, const struct demo_opts *o,
		struct demo_row *row)
{
	struct rte_edu_buf src, dst;
	struct timespec t0, t1;
	uint8_t *s, *d;
	uint32_t i;

	memset(row, 0, sizeof(*row));
	row->bytes = o->size;
	if (rte_edu_liveness(edu, 0xa5a5f00d + idx) != 0) {
		row->fail = rte_errno == ENODEV ? "removed" : "liveness";
		return;
	}
	if (rte_edu_buf_alloc(edu, o->size, &src) != 0) {
		row->fail = "buffer";
		return;
	}
	if (rte_edu_buf_alloc(edu, o->size, &dst) != 0) {
		row->fail = "buffer";
		goto free_src;
	}
	s = src.addr;
	d = dst.addr;
	for (i = 0; i < o->size; i++) {
		s[i] = pattern_byte(idx, i);
		d[i] = (uint8_t)~s[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (rte_edu_dma(edu, src.iova, 0, o->size, 0, o->wait) != 0) {
		row->fail = rte_errno == ENODEV ? "removed" : "DMA to device";
		goto free_dst;
	}
	if (rte_edu_dma(edu, dst.iova, 0, o->size, 1, o->wait) != 0) {
		row->fail = rte_errno == ENODEV ? "removed" : "DMA from device";
		goto free_dst;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	row->usec = elapsed_us(&t0, &t1);
	for (i = 0; i < o->size; i++)
		row->bad += d[i] != pattern_byte(idx, i);
	if (row->bad != 0) {
		row->fail = "verify";
		goto free_dst;
	}
	if (strcmp(rte_edu_intr_mode(edu), "none") != 0 &&
			rte_edu_irq_test(edu, DEMO_IRQ_VALUE + idx) != 0) {
		row->fail = rte_errno == ENODEV ? "removed" : "interrupt";
		goto free_dst;
	}
	row->ok = 1;
free_dst:
	rte_edu_buf_free(edu, &dst);
free_src:
	rte_edu_buf_free(edu, &src);
}

static int
row_removed(const struct demo_row *row)
{
	return row->fail != NULL && strcmp(row->fail, "removed") == 0;
}

static int
demo_round(const struct demo_opts *o)
{
	unsigned int n = rte_edu_count(), i, failed = 0;

	printf("%-9s %-7s %-4s %-12s %-5s %-5s %5s %-9s %10s\n", "process",
		"vfio", "iova", "device", "intr", "wait", "bytes", "verified",
		"time(us)");
	for (i = 0; i < n; i++) {
		struct rte_edu *edu = rte_edu_get(i);
		struct demo_row row;
		char verified[32];

		if (edu == NULL)
			break; /* removed since rte_edu_count() */
		if (o->dma_mask != 0)
			rte_edu_set_dma_mask(edu, o->dma_mask);
		demo_one(edu, i, o, &row);
		if (row.ok)
			snprintf(verified, sizeof(verified), "yes");
		else if (row.bad != 0)
			snprintf(verified, sizeof(verified), "NO(%u bad)", row.bad);
		else
			snprintf(verified, sizeof(verified), "FAIL:%s", row.fail);
		printf("%-9s %-7s %-4s %-12s %-5s %-5s %5u %-9s %10.0f\n",
			proc_name(), vfio_mode_name(),
			rte_eal_iova_mode() == RTE_IOVA_VA ? "VA" : "PA",
			rte_edu_name(edu), rte_edu_intr_mode(edu),
			o->wait == RTE_EDU_WAIT_INTR ? "intr" : "poll", row.bytes,
			verified, row.usec);
		/* hot-unplug ends a device's DMA with ENODEV: not a failure */
		failed += !row.ok && !row_removed(&row);
	}
	fflush(stdout);
	if (n == 0) {
		printf("no edu device was probed (bound to vfio-pci? see --log-level=bus.pci:debug)\n");
		return -1;
	}
	return failed == 0 ? 0 : -1;
}

/* o->rounds rounds; stops early on a failure or when every device is gone. */
static int
demo_rounds(const struct demo_opts *o)
{
	unsigned int start = rte_edu_count();
	unsigned long r;

	if (demo_round(o) != 0)
		return -1;
	for (r = 1; r < o->rounds; r++) {
		unsigned int left = rte_edu_count();

		if (left == 0) {
			printf("every edu device was removed after %lu round(s)\n", r);
			return 0;
		}
		if (demo_round(o) != 0)
			return -1;
		if (o->until_removal && left < start) {
			printf("%u of %u edu device(s) removed; the other(s) still work after %lu round(s)\n",
				start - left, start, r + 1);
			return 0;
		}
	}
	return 0;
}

/* Run argv[0] again as a secondary with the same EAL and demo options. */
static int
run_secondary(int eal_argc, char **eal_argv, const struct demo_opts *o)
{
	char size[16], mask[24];
	char *args[eal_argc + 10];
	int n = 0, i, status;
	pid_t pid;

	args[n++] = eal_argv[0];
	for (i = 1; i < eal_argc; i++)
		if (strncmp(eal_argv[i], "--proc-type", 11) != 0 &&
				strcmp(eal_argv[i], "--") != 0)
			args[n++] = eal_argv[i];
	args[n++] = (char *)(uintptr_t)"--proc-type=secondary";
	args[n++] = (char *)(uintptr_t)"--";
	snprintf(size, sizeof(size), "%u", o->size);
	args[n++] = (char *)(uintptr_t)"--size";
	args[n++] = size;
	if (o->wait == RTE_EDU_WAIT_POLL)
		args[n++] = (char *)(uintptr_t)"--poll";
	if (o->dma_mask != 0) {
		snprintf(mask, sizeof(mask), "0x%" PRIx64, o->dma_mask);
		args[n++] = (char *)(uintptr_t)"--dma-mask";
		args[n++] = mask;
	}
	args[n] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		execv("/proc/self/exe", args);
		perror("execv");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void
usage(const char *prgname)
{
	printf("\nUsage: %s [EAL options] -- [options]\n"
		"Copies a pattern to every probed edu device and back by DMA, checks it,\n"
		"raises an interrupt, and prints one row per device.\n\n"
		"  --size N          bytes per transfer, 1 .. %d (default %d)\n"
		"  --poll            poll the status register instead of waiting for the interrupt\n"
		"  --dma-mask M      DMA mask of the devices, like 0xfffffff (default: the device's)\n"
		"  --with-secondary  then run a secondary process on the same devices\n"
		"  --rounds N        N rounds per device (default 1)\n"
		"  --until-removal   stop one round after the first device removal\n"
		"  --hold SEC        then keep the devices open SEC seconds (for dpdk-telemetry.py)\n"
		"  -h, --help        this text (EAL options and these)\n",
		prgname, RTE_EDU_DMA_MAX, DEMO_DEFAULT_SIZE);
}

static int
parse_opts(int argc, char **argv, struct demo_opts *o)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "poll", no_argument, NULL, 'p' },
		{ "with-secondary", no_argument, NULL, 'S' },
		{ "dma-mask", required_argument, NULL, 'm' },
		{ "hold", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "until-removal", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	char *end;
	int c;

	o->dma_mask = 0;
	o->size = DEMO_DEFAULT_SIZE;
	o->wait = RTE_EDU_WAIT_INTR;
	o->with_secondary = 0;
	o->hold = 0;
	o->rounds = 1;
	o->until_removal = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			v = strtoul(optarg, &end, 0);
			if (*end != '\0' || v == 0 || v > RTE_EDU_DMA_MAX) {
				fprintf(stderr, "--size: 1 .. %d bytes\n", RTE_EDU_DMA_MAX);
				return -1;
			}
			o->size = (uint32_t)v;
			break;
		case 'p':
			o->wait = RTE_EDU_WAIT_POLL;
			break;
		case 'S':
			o->with_secondary = 1;
			break;
		case 'm':
			o->dma_mask = strtoull(optarg, &end, 0);
			if (*end != '\0' || o->dma_mask < 0xfff ||
					((o->dma_mask + 1) & o->dma_mask) != 0) {
				fprintf(stderr, "--dma-mask: a mask like 0xfffffff\n");
				return -1;
			}
			break;
		case 'u':
			o->until_removal = 1;
			break;
		case 'r':
			o->rounds = strtoul(optarg, &end, 0);
			if (*end != '\0' || o->rounds == 0) {
				fprintf(stderr, "--rounds: a number >= 1\n");
				return -1;
			}
			break;
		case 'H':
			v = strtoul(optarg, &end, 0);
			if (*end != '\0' || optarg[0] == '-' || v > 86400) {
				fprintf(stderr, "--hold: 0 .. 86400 seconds\n");
				return -1;
			}
			o->hold = (unsigned int)v;
			break;
		case 'h':
			usage(argv[0]);
			return 1;
		default:
			fprintf(stderr, "%s: unknown option '%s'; see --help\n",
				argv[0], argv[optind - 1]);
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char *saved[argc + 1];
	struct demo_opts o;
	int consumed, ret;

	memcpy(saved, argv, sizeof(char *) * (argc + 1));
	rte_set_application_usage_hook(usage);
	consumed = rte_eal_init(argc, argv);
	if (consumed < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	/* argv[consumed] is the program name again, then our options */
	ret = parse_opts(argc - consumed, argv + consumed, &o);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret > 0 ? 0 : 2; /* --help after "--": 0 */
	}
	ret = demo_rounds(&o);
	if (ret == 0 && o.with_secondary &&
			rte_eal_process_type() == RTE_PROC_PRIMARY) {
		/*
		 * A secondary allocates only inside pages the primary has
		 * mapped: keep one mapped (the rest of it is free for the
		 * secondary's buffers) while it runs.
		 */
		void *keep = rte_malloc("edu_demo_keep", 64, 0);
		unsigned int i;

		if (run_secondary(consumed + 1, saved, &o) != 0) {
			printf("secondary process failed\n");
			ret = -1;
		}
		rte_free(keep);
		/* the secondary took the interrupts: take them back */
		for (i = 0; i < rte_edu_count(); i++)
			rte_edu_intr_rearm(rte_edu_get(i));
		if (demo_round(&o) != 0)
			ret = -1;
	}
	if (o.hold > 0) {
		/* a secondary started meanwhile allocates in mapped pages */
		void *keep = rte_eal_process_type() == RTE_PROC_PRIMARY ?
			rte_malloc("edu_demo_hold", 64, 0) : NULL;

		hold(o.hold);
		rte_free(keep);
	}
	rte_eal_cleanup();
	return ret == 0 ? 0 : 1;
}
