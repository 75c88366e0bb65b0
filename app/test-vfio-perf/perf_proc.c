/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Measurements that need a process of their own, done by running this
 * program again (/proc/self/exe) with "--child KIND":
 * - secondary: rte_eal_init as a secondary of this process, then
 *   rte_vfio_setup_device/release of a device this primary holds;
 * - init: rte_eal_init of a new primary with -m X (hugepages or
 *   --no-huge), with VFIO and without it (RTE_EAL_SYSFS_ROOT pointed at an
 *   empty directory, so that the EAL finds no /sys/module/vfio), and the
 *   "VFIO memory init" stage alone, run again in the child (cleanup, then
 *   init, through the static EAL) so that its own duration is known.
 * A child reports "key value" lines on the descriptor given with
 * --child-fd; its log goes to the terminal as usual.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>
#include <rte_memory.h>
#include <rte_vfio.h>

#include "eal_private.h"
#include "eal_vfio_info.h"
#include "perf.h"
#include "perf_bare.h"
#include "perf_child.h"
#include "perf_fdpass.h"

#define SECTION_SEC "secondary"
#define SECTION_INIT "init"
#define CHILD_FD 3
#define CHILD_SOCK_FD 4
/* set in a secondary child that has the bare socket at CHILD_SOCK_FD */
#define CHILD_SOCK_ENV "VFIO_PERF_BARE_SOCK"
#define MAX_ARGS 128
#define INIT_PREFIX "vfio-perf-init"
#define SECONDARY_TRIES 5

/* ---- EAL arguments handed down to children -------------------------------- */

enum child_kind { CHILD_SECONDARY, CHILD_INIT, CHILD_INIT_NO_VFIO };
#define KEEP(k) (1u << (k))

/* EAL options a child of some kinds must not inherit */
static const struct {
	const char *name;   /* long name */
	char short_opt;     /* 0 when none */
	unsigned int keep;  /* KEEP() of the kinds that inherit it */
} drop_opts[] = {
	{ "memory", 'm', 0 },
	{ "socket-mem", 0, 0 },
	{ "no-huge", 0, KEEP(CHILD_SECONDARY) },
	{ "in-memory", 0, 0 },
	{ "proc-type", 0, 0 },
	{ "file-prefix", 0, KEEP(CHILD_SECONDARY) },
	/* a forced mode fails without VFIO */
	{ "vfio-mode", 0, KEEP(CHILD_SECONDARY) | KEEP(CHILD_INIT) },
};

/* EAL options that take a value (to keep or drop it with the option) */
static const char *const arg_opts[] = {
	"allow", "block", "log-level", "file-prefix", "proc-type", "iova-mode",
	"memory", "socket-mem", "huge-dir", "vfio-mode", "vfio-intr",
	"vfio-vf-token",
};
static const char arg_short[] = "abm";

/* a is the option name (--name[=v]) or its short form (-c[v]) */
static bool
opt_match(const char *a, const char *name, char short_opt, bool *attached)
{
	size_t l = strlen(name);

	if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, name, l) == 0 &&
			(a[2 + l] == '\0' || a[2 + l] == '=')) {
		*attached = a[2 + l] == '=';
		return true;
	}
	if (short_opt != 0 && a[0] == '-' && a[1] == short_opt) {
		*attached = a[2] != '\0';
		return true;
	}
	return false;
}

/* the next argument is the value of a */
static bool
value_follows(const char *a)
{
	bool attached;
	unsigned int i;

	for (i = 0; i < PERF_DIM(arg_opts); i++)
		if (opt_match(a, arg_opts[i], 0, &attached))
			return !attached;
	if (a[0] == '-' && a[1] != '-' && a[1] != '\0' &&
			strchr(arg_short, a[1]) != NULL)
		return a[2] == '\0';
	return false;
}

/* copy the parent's EAL arguments a child of this kind may use */
static int
child_eal_args(const struct perf_conf *conf, enum child_kind kind,
		char **out, int max)
{
	int i, n = 0;

	for (i = 0; i < conf->eal_argc; i++) {
		const char *a = conf->eal_argv[i];
		bool attached, drop = false, with_value;
		unsigned int k;

		for (k = 0; k < PERF_DIM(drop_opts); k++) {
			if (opt_match(a, drop_opts[k].name,
					drop_opts[k].short_opt, &attached)) {
				drop = (drop_opts[k].keep & KEEP(kind)) == 0;
				break;
			}
		}
		with_value = value_follows(a) && i + 1 < conf->eal_argc;
		if (!drop) {
			if (n + 2 >= max)
				return -1;
			out[n++] = conf->eal_argv[i];
			if (with_value)
				out[n++] = conf->eal_argv[i + 1];
		}
		if (with_value)
			i++;
	}
	return n;
}

/* ---- running a child ------------------------------------------------------ */

double
perf_child_get(const struct perf_child_result *r, const char *key)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->key[i], key) == 0)
			return r->val[i];
	return -1;
}

int
perf_child_start(char **argv, const char *env, int sock,
		struct perf_child *ch)
{
	int pfd[2];

	ch->pid = -1;
	ch->fd = -1;
	if (pipe(pfd) != 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	ch->pid = fork();
	if (ch->pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (ch->pid == 0) {
		close(pfd[0]);
		if (dup2(pfd[1], CHILD_FD) < 0 ||
				(sock >= 0 && dup2(sock, CHILD_SOCK_FD) < 0))
			_exit(126);
		if (env != NULL && putenv((char *)(uintptr_t)env) != 0)
			_exit(126);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(pfd[1]);
	ch->fd = pfd[0];
	return 0;
}

int
perf_child_finish(struct perf_child *ch, struct perf_child_result *res)
{
	char line[128];
	FILE *f;
	int st;

	memset(res, 0, sizeof(*res));
	res->status = -1;
	if (ch->pid < 0)
		return -1;
	f = fdopen(ch->fd, "r");
	if (f == NULL) {
		close(ch->fd);
	} else {
		while (fgets(line, sizeof(line), f) != NULL &&
				res->n < PERF_CHILD_MAX_KEYS) {
			if (sscanf(line, "%31s %lf", res->key[res->n],
					&res->val[res->n]) == 2)
				res->n++;
		}
		fclose(f);
	}
	ch->fd = -1;
	if (waitpid(ch->pid, &st, 0) != ch->pid)
		return -1;
	ch->pid = -1;
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return res->status == 0 ? 0 : -1;
}

/*
 * run this program with argv (NULL-terminated) and env extra (or NULL);
 * sock >= 0 becomes its descriptor CHILD_SOCK_FD
 */
static int
child_run(char **argv, const char *env, int sock,
		struct perf_child_result *res)
{
	struct perf_child ch;

	memset(res, 0, sizeof(*res));
	res->status = -1;
	if (perf_child_start(argv, env, sock, &ch) != 0)
		return -1;
	return perf_child_finish(&ch, res);
}

/* argv: program, EAL args, extra EAL args, "--", child options */
static int
child_argv_dev(const struct perf_conf *conf, enum child_kind kind,
		char **extra, int n_extra, const char *dev, char **argv,
		int max)
{
	static char fd_str[8];
	int n = 0, k, i;

	argv[n++] = (char *)(uintptr_t)"dpdk-test-vfio-perf";
	k = child_eal_args(conf, kind, argv + n, max - n - 16 - n_extra);
	if (k < 0)
		return -1;
	n += k;
	for (i = 0; i < n_extra; i++)
		argv[n++] = extra[i];
	snprintf(fd_str, sizeof(fd_str), "%d", CHILD_FD);
	argv[n++] = (char *)(uintptr_t)"--";
	argv[n++] = (char *)(uintptr_t)"--child";
	argv[n++] = (char *)(uintptr_t)(kind == CHILD_SECONDARY ?
		"secondary" : "init");
	argv[n++] = (char *)(uintptr_t)"--child-fd";
	argv[n++] = fd_str;
	argv[n++] = (char *)(uintptr_t)"--sysfs";
	argv[n++] = (char *)(uintptr_t)conf->sysfs;
	if (dev != NULL) {
		argv[n++] = (char *)(uintptr_t)"--dev";
		argv[n++] = (char *)(uintptr_t)dev;
	}
	argv[n] = NULL;
	return n;
}

static int
child_argv(const struct perf_conf *conf, enum child_kind kind,
		char **extra, int n_extra, char **argv, int max)
{
	return child_argv_dev(conf, kind, extra, n_extra,
		conf->n_devs > 0 ? conf->devs[0] : NULL, argv, max);
}

int
perf_child_secondary_argv(const struct perf_conf *conf, const char *dev,
		char **argv, int max)
{
	char *extra[] = { (char *)(uintptr_t)"--proc-type=secondary" };

	return child_argv_dev(conf, CHILD_SECONDARY, extra, 1, dev, argv, max);
}

static void
child_report(int fd, const char *key, double v)
{
	dprintf(fd, "%s %.0f\n", key, v);
}

static void
add_row(const char *section, const char *name, const char *params,
		uint64_t ops, double ns, double base_ns, const char *note)
{
	struct perf_row r = {
		.section = section,
		.ops = ops,
		.total_ns = ns,
		.base_total_ns = base_ns,
	};

	rte_strlcpy(r.name, name, sizeof(r.name));
	rte_strlcpy(r.params, params, sizeof(r.params));
	rte_strlcpy(r.note, note, sizeof(r.note));
	perf_report_add(&r);
}

/* ---- secondary attach ------------------------------------------------------ */

/* an mp request the primary answers at once: the channel's own cost */
#define PING_NAME "vfio_perf_ping"
#define PINGS 5
/* setup/release cycles after the first, in each secondary */
#define WARM_CYCLES 3

static int
ping_action(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg reply;

	memset(&reply, 0, sizeof(reply));
	rte_strlcpy(reply.name, msg->name, sizeof(reply.name));
	return rte_mp_reply(&reply, peer);
}

/* median of PINGS round trips to ping_action; -1 on failure */
static double
ping_primary(void)
{
	const struct timespec ts = { .tv_sec = 5 };
	double v[PINGS];
	struct rte_mp_msg msg;
	struct rte_mp_reply rep;
	unsigned int i;
	uint64_t t0;
	int ret;

	for (i = 0; i < PINGS; i++) {
		memset(&msg, 0, sizeof(msg));
		rte_strlcpy(msg.name, PING_NAME, sizeof(msg.name));
		memset(&rep, 0, sizeof(rep));
		t0 = perf_now_ns();
		ret = rte_mp_request_sync(&msg, &rep, &ts);
		v[i] = (double)(perf_now_ns() - t0);
		free(rep.msgs);
		if (ret != 0 || rep.nb_received != 1)
			return -1;
	}
	return perf_median(v, PINGS);
}

/* the bare fd receive: the first, then the medians of the next ones */
static int
secondary_bare_cycles(const struct perf_conf *conf, double *first_setup,
		double *first_release, double *setup_ns, double *release_ns)
{
	bool group = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP;
	double setup[WARM_CYCLES], release[WARM_CYCLES];
	unsigned int i;

	if (perf_fdpass_attach(CHILD_SOCK_FD, conf->devs[0], group,
			first_setup, first_release) != 0)
		return -1;
	for (i = 0; i < WARM_CYCLES; i++)
		if (perf_fdpass_attach(CHILD_SOCK_FD, conf->devs[0], group,
				&setup[i], &release[i]) != 0)
			return -1;
	*setup_ns = perf_median(setup, WARM_CYCLES);
	*release_ns = perf_median(release, WARM_CYCLES);
	return 0;
}

int
perf_child_secondary(const struct perf_conf *conf)
{
	double init_done, heap_init, setup_heap, setup_fds;
	double ws, wr, bs, br;
	uint64_t t0, t1, t2, t3;
	const char *failed;
	size_t heap;
	int fd, fds;

	/* absolute (CLOCK_MONOTONIC): the parent compares children's */
	init_done = (double)perf_now_ns();
	heap_init = (double)perf_heap_used();
	child_report(conf->child_fd, "init_ns", conf->eal_init_ns);
	child_report(conf->child_fd, "init_done_at_ns", init_done);
	child_report(conf->child_fd, "heap_after_init", heap_init);
	if (conf->n_devs == 0)
		return 0;
	/*
	 * Nothing is reported between the timestamps: a report wakes the
	 * parent, which would then run inside the timed calls.
	 */
	heap = perf_heap_used();
	fds = perf_fds_open();
	t0 = perf_now_ns();
	if (rte_vfio_setup_device(conf->sysfs, conf->devs[0], &fd) != 0) {
		fprintf(stderr, "secondary: rte_vfio_setup_device %s: %s\n",
			conf->devs[0], rte_strerror(rte_errno));
		return 1;
	}
	t1 = perf_now_ns();
	setup_heap = (double)perf_heap_growth(heap);
	setup_fds = (double)(perf_fds_open() - fds);
	t2 = perf_now_ns();
	if (rte_vfio_release_device(conf->sysfs, conf->devs[0], fd) != 0) {
		fprintf(stderr, "secondary: rte_vfio_release_device %s: %s\n",
			conf->devs[0], rte_strerror(rte_errno));
		return 1;
	}
	t3 = perf_now_ns();
	if (perf_setup_release(conf->sysfs, conf->devs[0], WARM_CYCLES, &ws,
			&wr, &failed) != 0) {
		fprintf(stderr, "secondary: rte_vfio_%s %s: %s\n", failed,
			conf->devs[0], rte_strerror(rte_errno));
		return 1;
	}
	child_report(conf->child_fd, "attached_at_ns", (double)t1);
	child_report(conf->child_fd, "setup_heap", setup_heap);
	child_report(conf->child_fd, "setup_fds", setup_fds);
	child_report(conf->child_fd, "setup_ns", (double)(t1 - t0));
	child_report(conf->child_fd, "release_ns", (double)(t3 - t2));
	child_report(conf->child_fd, "warm_setup_ns", ws);
	child_report(conf->child_fd, "warm_release_ns", wr);
	child_report(conf->child_fd, "ping_ns", ping_primary());
	if (getenv(CHILD_SOCK_ENV) == NULL)
		return 0;
	if (secondary_bare_cycles(conf, &bs, &br, &ws, &wr) != 0) {
		fprintf(stderr, "secondary: bare attach of %s: %s\n",
			conf->devs[0], strerror(errno));
		return 1;
	}
	child_report(conf->child_fd, "bare_setup_ns", bs);
	child_report(conf->child_fd, "bare_release_ns", br);
	child_report(conf->child_fd, "bare_warm_setup_ns", ws);
	child_report(conf->child_fd, "bare_warm_release_ns", wr);
	return 0;
}

void
perf_secondary(const struct perf_conf *conf)
{
	double init[PERF_MAX_REPS], setup[PERF_MAX_REPS], rel[PERF_MAX_REPS];
	double bsetup[PERF_MAX_REPS], brel[PERF_MAX_REPS], ping[PERF_MAX_REPS];
	double wsetup[PERF_MAX_REPS], wrel[PERF_MAX_REPS];
	double bwsetup[PERF_MAX_REPS], bwrel[PERF_MAX_REPS];
	static char bare_env[] = CHILD_SOCK_ENV "=1";
	struct perf_fdpass fdp = { .sock = { -1, -1 }, .fd = -1 };
	char err[80];
	const char *dev = conf->n_devs > 0 ? conf->devs[0] : NULL;
	char *argv[MAX_ARGS];
	char *extra[] = { (char *)(uintptr_t)"--proc-type=secondary" };
	struct perf_child_result res;
	unsigned int k, retries = 0;
	char note[96];
	int fd = -1;

	perf_report_section(SECTION_SEC,
		"Secondary process (this program run again with --proc-type=secondary), median");
	if (rte_vfio_get_mode() == RTE_VFIO_MODE_NONE) {
		perf_report_skip(SECTION_SEC, "attach", "-",
			"VFIO not in use (mode none)");
		return;
	}
	if (rte_eal_has_hugepages() == 0) {
		perf_report_skip(SECTION_SEC, "attach", "-",
			"--no-huge: secondaries need hugepage files");
		return;
	}
	/* the primary holds the device, as an application would */
	if (dev != NULL && rte_vfio_setup_device(conf->sysfs, dev, &fd) != 0) {
		perf_report_fail(SECTION_SEC, "attach", dev,
			"primary: rte_vfio_setup_device: %s",
			rte_strerror(rte_errno));
		return;
	}
	/* the channel alone: a request answered at once */
	if (rte_mp_action_register(PING_NAME, ping_action) != 0 &&
			rte_errno != EEXIST) {
		perf_report_fail(SECTION_SEC, "attach", "-",
			"rte_mp_action_register %s: %s", PING_NAME,
			rte_strerror(rte_errno));
		goto release;
	}
	/* the bare side: the same descriptor, over a plain socket pair */
	if (dev != NULL && perf_fdpass_start(&fdp, conf->sysfs, dev, err,
			sizeof(err)) != 0) {
		perf_report_fail(SECTION_SEC, "attach", dev, "bare: %s", err);
		goto release;
	}
	if (child_argv(conf, CHILD_SECONDARY, extra, 1, argv, MAX_ARGS) < 0) {
		perf_report_fail(SECTION_SEC, "attach", "-", "too many arguments");
		goto release;
	}
	for (k = 0; k < conf->reps; k++) {
		unsigned int tries = 0;

		/* the EAL's advice when ASLR put something at the
		 * primary's addresses: start the secondary again */
		while (child_run(argv, bare_env, fdp.sock[1], &res) != 0 &&
				res.status == PERF_CHILD_RETRY &&
				++tries < SECONDARY_TRIES)
			retries++;
		if (res.status != 0) {
			perf_report_fail(SECTION_SEC, "attach", dev != NULL ? dev : "-",
				"secondary exited with status %d (see its log)",
				res.status);
			goto release;
		}
		init[k] = perf_child_get(&res, "init_ns");
		setup[k] = perf_child_get(&res, "setup_ns");
		rel[k] = perf_child_get(&res, "release_ns");
		bsetup[k] = perf_child_get(&res, "bare_setup_ns");
		brel[k] = perf_child_get(&res, "bare_release_ns");
		wsetup[k] = perf_child_get(&res, "warm_setup_ns");
		wrel[k] = perf_child_get(&res, "warm_release_ns");
		bwsetup[k] = perf_child_get(&res, "bare_warm_setup_ns");
		bwrel[k] = perf_child_get(&res, "bare_warm_release_ns");
		ping[k] = perf_child_get(&res, "ping_ns");
	}
	snprintf(note, sizeof(note),
		"gets the container, mode and IOVA mode from the primary%s",
		retries > 0 ? "; some started again (addresses taken)" : "");
	add_row(SECTION_SEC, "eal_init (secondary)", "-", 1,
		perf_median(init, conf->reps), -1, note);
	if (dev != NULL) {
		add_row(SECTION_SEC, "setup_device (secondary)", dev, 1,
			perf_median(wsetup, conf->reps),
			perf_median(bwsetup, conf->reps),
			rte_vfio_get_interface() == RTE_VFIO_INTERFACE_CDEV ?
			"calls after the first: the primary's device fd over the mp channel; bare: over a socket pair" :
			"calls after the first: the primary's group fd, GET_DEVICE_FD; bare: fd over a socket pair, GET_DEVICE_FD");
		add_row(SECTION_SEC, "release_device (secondary)", dev, 1,
			perf_median(wrel, conf->reps),
			perf_median(bwrel, conf->reps), "calls after the first; bare: close");
		add_row(SECTION_SEC, "first setup (secondary)", dev, 1,
			perf_median(setup, conf->reps),
			perf_median(bsetup, conf->reps),
			"setup_device, the process's first (first-run costs: code page faults, TCG translation)");
		add_row(SECTION_SEC, "first release (secondary)", dev, 1,
			perf_median(rel, conf->reps),
			perf_median(brel, conf->reps),
			"release_device, the process's first");
		for (k = 0; k < conf->reps && ping[k] >= 0; k++)
			;
		if (k < conf->reps)
			perf_report_fail(SECTION_SEC, "mp round trip (secondary)",
				"-", "no answer to %s", PING_NAME);
		else
			add_row(SECTION_SEC, "mp round trip (secondary)", "-",
				1, perf_median(ping, conf->reps), -1,
				"rte_mp_request_sync answered at once: the channel's part of setup_device");
	}
release:
	perf_fdpass_stop(&fdp);
	if (fd >= 0 && rte_vfio_release_device(conf->sysfs, dev, fd) != 0)
		perf_report_fail(SECTION_SEC, "release", dev,
			"primary: rte_vfio_release_device: %s",
			rte_strerror(rte_errno));
}

/* ---- EAL init with -m X ------------------------------------------------- */

static int
count_page(const struct rte_memseg_list *msl __rte_unused,
		const struct rte_memseg *ms __rte_unused, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

/*
 * The stage's floor: one bare map of the same memory in the fewest calls
 * the kernel accepts, into a context like the library's (group: its
 * container, which holds the group; cdev: an IOAS of our own, without a
 * device like the library's at init), then an untimed unmap.
 */
static int
bare_stage(const struct perf_conf *conf, bool have_group)
{
	bool type1 = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP;
	struct perf_bare b;
	unsigned int calls = 0;
	char err[96];
	uint64_t t0;
	int ret;

	if ((rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) == 0 ||
			(type1 && !have_group))
		return 0; /* the kernel has no call to make */
	if (type1)
		perf_bare_use_container(&b, rte_vfio_get_container_fd());
	else if (perf_bare_open_iommufd(&b, conf->sysfs, NULL, err,
			sizeof(err)) != 0) {
		fprintf(stderr, "init child: bare: %s\n", err);
		return -1;
	}
	t0 = perf_now_ns();
	ret = perf_bare_map_eal(&b, &calls);
	if (ret == 0)
		child_report(conf->child_fd, "bare_stage_ns",
			(double)(perf_now_ns() - t0));
	else
		fprintf(stderr, "init child: bare map of the EAL memory: %s\n",
			strerror(errno));
	child_report(conf->child_fd, "bare_calls", calls);
	if (ret == 0 && perf_bare_unmap_eal(&b) != 0) {
		fprintf(stderr, "init child: bare unmap of the EAL memory: %s\n",
			strerror(errno));
		ret = -1;
	}
	perf_bare_close(&b);
	return ret;
}

int
perf_child_init(const struct perf_conf *conf)
{
	enum rte_vfio_mode mode = rte_vfio_get_mode();
	struct vfio_info_container info;
	unsigned int pages = 0;
	uint64_t t0, t1, t2;
	int fd = -1, ret = 0;
	size_t heap;

	child_report(conf->child_fd, "init_ns", conf->eal_init_ns);
	rte_memseg_walk(count_page, &pages);
	child_report(conf->child_fd, "pages", pages);
	if (mode == RTE_VFIO_MODE_NONE)
		return 0;
	/* group mode maps EAL memory once a group joins the container */
	if (rte_vfio_get_interface() == RTE_VFIO_INTERFACE_GROUP &&
			(rte_vfio_get_caps() & RTE_VFIO_CAP_IOMMU) != 0 &&
			conf->n_devs > 0) {
		t0 = perf_now_ns();
		if (rte_vfio_setup_device(conf->sysfs, conf->devs[0], &fd) != 0) {
			fprintf(stderr, "init child: rte_vfio_setup_device %s: %s\n",
				conf->devs[0], rte_strerror(rte_errno));
			return 1;
		}
		child_report(conf->child_fd, "first_setup_ns",
			(double)(perf_now_ns() - t0));
	}
	/* the stage again, alone: undo it, then time it */
	t0 = perf_now_ns();
	eal_vfio_mem_cleanup();
	t1 = perf_now_ns();
	child_report(conf->child_fd, "stage_cleanup_ns", (double)(t1 - t0));
	/* meanwhile the kernel holds no EAL memory: the bare side maps it */
	if (bare_stage(conf, fd >= 0) != 0)
		ret = 1;
	heap = perf_heap_used();
	t1 = perf_now_ns();
	if (eal_vfio_mem_init() != 0) {
		fprintf(stderr, "init child: eal_vfio_mem_init: %s\n",
			rte_strerror(rte_errno));
		ret = 1;
	}
	t2 = perf_now_ns();
	child_report(conf->child_fd, "stage_init_ns", (double)(t2 - t1));
	/* the stage's bookkeeping: nothing else allocates meanwhile */
	child_report(conf->child_fd, "stage_heap",
		(double)perf_heap_growth(heap));
	if (vfio_info_container(0, &info) == 0)
		child_report(conf->child_fd, "stage_maps", (double)info.mem_maps);
	if (fd >= 0)
		rte_vfio_release_device(conf->sysfs, conf->devs[0], fd);
	return ret;
}

/* median of key over the reps results; -1 when missing */
static double
med(struct perf_child_result *res, unsigned int n, const char *key)
{
	double v[PERF_MAX_REPS];
	unsigned int i;

	for (i = 0; i < n; i++) {
		v[i] = perf_child_get(&res[i], key);
		if (v[i] < 0)
			return -1;
	}
	return perf_median(v, n);
}

/* reps runs with VFIO and without, interleaved so that drift hits both */
static int
init_runs(const struct perf_conf *conf, char **extra, int n_extra,
		const char *no_vfio_env, struct perf_child_result *with,
		struct perf_child_result *without, char *err, size_t errlen)
{
	char *argv[MAX_ARGS], *argv_nv[MAX_ARGS];
	unsigned int k;

	if (child_argv(conf, CHILD_INIT, extra, n_extra, argv, MAX_ARGS) < 0 ||
			child_argv(conf, CHILD_INIT_NO_VFIO, extra, n_extra,
				argv_nv, MAX_ARGS) < 0) {
		snprintf(err, errlen, "too many arguments");
		return -1;
	}
	for (k = 0; k < conf->reps; k++) {
		if (child_run(argv, NULL, -1, &with[k]) != 0) {
			snprintf(err, errlen,
				"child with VFIO exited with status %d (see its log)",
				with[k].status);
			return -1;
		}
		if (child_run(argv_nv, no_vfio_env, -1, &without[k]) != 0) {
			snprintf(err, errlen,
				"child without VFIO exited with status %d (see its log)",
				without[k].status);
			return -1;
		}
	}
	return 0;
}

/* free hugepages of the default size, in MiB (/proc/meminfo) */
uint64_t
perf_hugepages_free_mb(void)
{
	uint64_t free_pages = 0, size_kb = 0, v;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "HugePages_Free: %" SCNu64, &v) == 1)
			free_pages = v;
		else if (sscanf(line, "Hugepagesize: %" SCNu64, &v) == 1)
			size_kb = v;
	}
	fclose(f);
	return free_pages * size_kb / 1024;
}

static void
init_case(const struct perf_conf *conf, const char *section, uint64_t mb,
		bool huge, const char *no_vfio_env)
{
	static struct perf_child_result with[PERF_MAX_REPS], without[PERF_MAX_REPS];
	char mem[24], params[48], note[128], err[96];
	char *extra[] = {
		(char *)(uintptr_t)"-m", mem,
		(char *)(uintptr_t)"--file-prefix=" INIT_PREFIX,
		(char *)(uintptr_t)"--no-huge",
	};
	int n_extra = huge ? 3 : 4;
	double pages, stage, t;

	snprintf(mem, sizeof(mem), "%" PRIu64, mb);
	snprintf(params, sizeof(params), "-m %" PRIu64 "%s", mb,
		huge ? " hugepages" : " --no-huge");
	if (huge && perf_hugepages_free_mb() < mb) {
		perf_report_skip(section, "eal_init", params,
			"%" PRIu64 " MiB of free hugepages needed, %" PRIu64 " free",
			mb, perf_hugepages_free_mb());
		return;
	}
	if (init_runs(conf, extra, n_extra, no_vfio_env, with, without, err,
			sizeof(err)) != 0) {
		perf_report_fail(section, "eal_init", params, "%s", err);
		return;
	}
	pages = med(with, conf->reps, "pages");
	add_row(section, "eal_init", params, 1,
		med(with, conf->reps, "init_ns"),
		med(without, conf->reps, "init_ns"),
		"bare = the same without VFIO");
	stage = med(with, conf->reps, "stage_init_ns");
	if (stage >= 0) {
		double maps = med(with, conf->reps, "stage_maps");
		double calls = med(with, conf->reps, "bare_calls");

		if (calls >= 0)
			snprintf(note, sizeof(note),
				"%.0f EAL pages in %.0f kernel mappings; bare: %.0f calls (VA+IOVA runs); cleanup %.1f ms; heap +%.1f KiB",
				pages, maps, calls,
				med(with, conf->reps, "stage_cleanup_ns") / 1e6,
				med(with, conf->reps, "stage_heap") / 1024);
		else
			snprintf(note, sizeof(note),
				"%.0f EAL pages, %.0f kernel mappings; no bare: the kernel has no call here; heap +%.1f KiB",
				pages, maps,
				med(with, conf->reps, "stage_heap") / 1024);
		add_row(section, "VFIO memory init stage", params,
			pages > 0 ? (uint64_t)pages : 1, stage,
			med(with, conf->reps, "bare_stage_ns"), note);
	}
	t = med(with, conf->reps, "first_setup_ns");
	if (t >= 0)
		add_row(section, "first setup_device", params, 1, t, -1,
			"group mode maps EAL memory when the first group joins");
}

/* an empty sysfs root: the EAL finds no /sys/module/vfio there */
static int
no_vfio_env(char *dir, char *env, size_t len)
{
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(env, len, "RTE_EAL_SYSFS_ROOT=%s", dir);
	return 0;
}

void
perf_init_mem(const struct perf_conf *conf, const char *section,
		uint64_t mb, bool huge)
{
	char dir[] = "/tmp/vfio-perf-nosysfs.XXXXXX";
	char env[sizeof(dir) + 32];

	if (no_vfio_env(dir, env, sizeof(env)) != 0) {
		perf_report_fail(section, "eal_init", "-", "mkdtemp: %s",
			strerror(errno));
		return;
	}
	init_case(conf, section, mb, huge, env);
	rmdir(dir);
}

void
perf_init(const struct perf_conf *conf)
{
	char dir[] = "/tmp/vfio-perf-nosysfs.XXXXXX";
	char env[sizeof(dir) + 32];
	unsigned int i, h;

	perf_report_section(SECTION_INIT,
		"EAL init of a new primary (child process) with -m X: with VFIO, and without (bare: RTE_EAL_SYSFS_ROOT=empty dir, no /sys/module/vfio), median");
	if (no_vfio_env(dir, env, sizeof(env)) != 0) {
		perf_report_fail(SECTION_INIT, "eal_init", "-", "mkdtemp: %s",
			strerror(errno));
		return;
	}
	for (i = 0; i < conf->n_init_mem; i++)
		for (h = 0; h < 2; h++)
			init_case(conf, SECTION_INIT, conf->init_mem[i], h == 0,
				env);
	rmdir(dir);
}
