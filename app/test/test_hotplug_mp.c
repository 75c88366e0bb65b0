/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * hotplug_mp_autotest: hotplug on the test bus (test_bus.c) with a real
 * secondary process (dpdk-test running hotplug_mp_child with
 * --proc-type=secondary and the same --file-prefix):
 *   - the primary's add and remove reach the secondary, with arguments;
 *   - the secondary's add and remove go through the primary and both
 *     processes see the device come and go; twice is EEXIST / ENOENT;
 *   - the primary's failure (EIO) changes nobody; a secondary's failure
 *     (testdev0 refuses to plug in a secondary: EPERM) is rolled back in
 *     the primary, whether the primary or the secondary asked;
 *   - malformed hotplug messages sent to the primary (wrong length,
 *     unknown type, unterminated name, wrong direction, with an fd) get
 *     an EINVAL answer and change nothing.
 * The two talk over the child's stdin/stdout, one word per line.
 * hotplug_mp_timeout_autotest (below) is the same pair with a peer that
 * never answers.
 */

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "test.h"

extern char **environ;

static int
cmp_name(const struct rte_device *dev, const void *name)
{
	return strcmp(dev->name, name) == 0 ? 0 : 1;
}

/*
 * Whether this process has the device probed, with drvargs mode=<mode>
 * (NULL: not probed and not listed). 0 when so.
 */
static int
dev_state(const char *name, const char *mode)
{
	struct rte_bus *bus = rte_bus_find_by_name("test");
	struct rte_device *dev = bus->find_device(NULL, cmp_name, name);
	struct rte_devargs *da = rte_devargs_find(bus, name);
	const char *v;

	TEST_ASSERT_NOT_NULL(dev, "%s not on the bus", name);
	if (mode == NULL) {
		TEST_ASSERT(!rte_dev_is_probed(dev), "%s probed", name);
		TEST_ASSERT_NULL(da, "%s still listed", name);
		return TEST_SUCCESS;
	}
	TEST_ASSERT(rte_dev_is_probed(dev), "%s not probed", name);
	TEST_ASSERT_NOT_NULL(da, "%s not listed", name);
	v = rte_devargs_get(da, "mode");
	TEST_ASSERT(mode[0] == '\0' ? v == NULL :
		v != NULL && strcmp(v, mode) == 0, "%s: mode '%s', want '%s'",
		name, v != NULL ? v : "(none)", mode);
	return TEST_SUCCESS;
}

/* rte_eal_hotplug_*() failing with err */
#define ASSERT_HOTPLUG_ERR(call, err) do { \
	rte_errno = 0; \
	TEST_ASSERT_EQUAL((call), -1, #call " succeeded"); \
	TEST_ASSERT_EQUAL(rte_errno, (err), #call ": %s, want %s", \
		rte_strerror(rte_errno), rte_strerror(err)); \
} while (0)

/* Read lines until one equals word; 0 on success. */
static int
expect_line(int fd, const char *word)
{
	char line[256];
	size_t n = 0;
	char c;

	while (read(fd, &c, 1) == 1) {
		if (c != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = c;
			continue;
		}
		line[n] = '\0';
		if (strcmp(line, word) == 0)
			return 0;
		printf("child: %s\n", line);
		if (strncmp(line, "FAIL", 4) == 0)
			return -1;
		n = 0;
	}
	printf("child ended before saying '%s'\n", word);
	return -1;
}

/* ask the child to do step, wait for its "ok" */
static int
step(int to, int from, const char *word)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s\n", word);

	if (write(to, line, (size_t)n) != n)
		return -1;
	if (expect_line(from, "ok") != 0) {
		printf("step '%s' failed in the secondary\n", word);
		return -1;
	}
	return 0;
}

/* a secondary dpdk-test running the command child */
static pid_t
spawn_child(int *to_child, int *from_child, const char *child)
{
	const char *dir = rte_eal_get_runtime_dir();
	char prefix_opt[128];
	char *argv[] = { (char *)(uintptr_t)test_self_path(),
		(char *)(uintptr_t)"--proc-type=secondary", prefix_opt,
		(char *)(uintptr_t)"--", (char *)(uintptr_t)child,
		NULL };
	posix_spawn_file_actions_t fa;
	int in[2], out[2];
	pid_t pid;

	snprintf(prefix_opt, sizeof(prefix_opt), "--file-prefix=%s",
		strrchr(dir, '/') + 1);
	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	fflush(stdout);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	*to_child = in[1];
	*from_child = out[0];
	return pid;
}

static int
primary_steps(int to, int from)
{
	if (expect_line(from, "ready") != 0)
		return TEST_FAILED;
	/* the primary's add and remove reach the secondary */
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_add("test", "testdev1", "mode=fast"),
		"add: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(step(to, from, "check-fast"), "secondary");
	/* the secondary's remove, through the primary */
	TEST_ASSERT_SUCCESS(step(to, from, "sec-remove"), "secondary");
	if (dev_state("testdev1", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	/* the secondary's add */
	TEST_ASSERT_SUCCESS(step(to, from, "sec-add"), "secondary");
	if (dev_state("testdev1", "slow") != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_remove("test", "testdev1"),
		"remove: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(step(to, from, "check-gone"), "secondary");
	/* failures, and the rollback of the secondary's */
	TEST_ASSERT_SUCCESS(step(to, from, "sec-fail"), "secondary");
	if (dev_state("testdev0", NULL) != TEST_SUCCESS ||
			dev_state("testdev2", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("test", "testdev0", NULL), EPERM);
	if (dev_state("testdev0", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(step(to, from, "check-gone0"), "secondary");
	TEST_ASSERT_SUCCESS(step(to, from, "hostile"), "secondary");
	if (dev_state("testdev1", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

static int
test_hotplug_mp(void)
{
	unsigned int listed = rte_devargs_type_count(RTE_DEV_ALLOWED);
	int to = -1, from = -1, status, ret;
	pid_t pid;

	if (rte_eal_get_runtime_dir()[0] == '\0')
		TEST_SKIP("--in-memory: no secondary process can attach");
	if (rte_devargs_type_count(RTE_DEV_BLOCKED) != 0)
		TEST_SKIP("run without -b: hotplug adds allowed entries");
	TEST_ASSERT_NOT_NULL(rte_bus_find_by_name("test"), "no test bus");
	pid = spawn_child(&to, &from, "hotplug_mp_child");
	TEST_ASSERT(pid > 0, "spawn %s", test_self_path());
	ret = primary_steps(to, from);
	if (ret == TEST_SUCCESS && write(to, "quit\n", 5) != 5)
		ret = TEST_FAILED;
	close(to);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0) {
		printf("secondary failed (status 0x%x)\n", status);
		ret = TEST_FAILED;
	}
	close(from);
	/* whatever failed: leave nothing plugged */
	rte_eal_hotplug_remove("test", "testdev1");
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), listed,
		"devargs entries left behind");
	return ret;
}

REGISTER_TEST_COMMAND(hotplug_mp_autotest, test_hotplug_mp);

/* the wire format of eal_common_hotplug_mp.c, for hostile messages */
struct hp_wire {
	uint32_t type;
	int32_t result;
	uint64_t id;
	char bus[32];
	char dev[RTE_DEV_NAME_MAX_LEN];
	char args[128];
};
#define HP_WIRE_REQ_ADD 1
#define HP_WIRE_DO_ADD 3
#define HP_WIRE_ACK 5

/* send a hotplug request to the primary; its answer must be EINVAL */
static int
hostile_one(const char *what, const struct hp_wire *m, int len, int with_fd)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply = { 0 };
	struct rte_mp_msg msg;
	struct hp_wire a;
	int ret;

	memset(&msg, 0, sizeof(msg));
	snprintf(msg.name, sizeof(msg.name), "eal_hotplug");
	msg.len_param = len;
	memcpy(msg.param, m, sizeof(*m));
	if (with_fd) {
		msg.num_fds = 1;
		msg.fds[0] = STDERR_FILENO;
	}
	ret = rte_mp_request_sync(&msg, &reply, &ts);
	TEST_ASSERT_SUCCESS(ret, "%s: request: %s", what, rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(reply.nb_received, 1, "%s: %d answers", what,
		reply.nb_received);
	TEST_ASSERT_EQUAL(reply.msgs[0].len_param, (int)sizeof(a),
		"%s: answer of %d bytes", what, reply.msgs[0].len_param);
	memcpy(&a, reply.msgs[0].param, sizeof(a));
	free(reply.msgs);
	TEST_ASSERT(a.type == HP_WIRE_ACK && a.result == EINVAL,
		"%s: answered type %u result %d, want an EINVAL ack", what,
		a.type, a.result);
	return TEST_SUCCESS;
}

static int
child_hostile(void)
{
	struct hp_wire m;

	memset(&m, 0, sizeof(m));
	m.type = HP_WIRE_REQ_ADD;
	snprintf(m.bus, sizeof(m.bus), "test");
	snprintf(m.dev, sizeof(m.dev), "testdev1");
	if (hostile_one("short", &m, (int)sizeof(m) - 1, 0) != 0 ||
			hostile_one("with an fd", &m, (int)sizeof(m), 1) != 0)
		return TEST_FAILED;
	m.type = 99;
	if (hostile_one("unknown type", &m, (int)sizeof(m), 0) != 0)
		return TEST_FAILED;
	m.type = HP_WIRE_DO_ADD;
	if (hostile_one("secondary's order sent to the primary", &m,
			(int)sizeof(m), 0) != 0)
		return TEST_FAILED;
	m.type = HP_WIRE_REQ_ADD;
	memset(m.dev, 'x', sizeof(m.dev));
	if (hostile_one("unterminated device name", &m, (int)sizeof(m), 0) != 0)
		return TEST_FAILED;
	m.dev[0] = '\0';
	if (hostile_one("empty device name", &m, (int)sizeof(m), 0) != 0)
		return TEST_FAILED;
	/* and the primary still works */
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_add("test", "testdev1", NULL),
		"add after hostile messages: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_eal_hotplug_remove("test", "testdev1"),
		"remove after hostile messages: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static int
child_fail(void)
{
	char big[512];

	ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("test", "testdev2", NULL), EIO);
	if (dev_state("testdev2", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	ASSERT_HOTPLUG_ERR(rte_eal_hotplug_remove("test", "testdev1"), ENOENT);
	/* this process refuses testdev0: the primary unplugs it again */
	ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("test", "testdev0", NULL), EPERM);
	if (dev_state("testdev0", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("nobus", "testdev1", NULL), ENOENT);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = 'k';
	big[1] = '=';
	ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("test", "testdev1", big),
		ENAMETOOLONG);
	return TEST_SUCCESS;
}

static int
child_step(const char *w)
{
	if (strcmp(w, "check-fast") == 0)
		return dev_state("testdev1", "fast");
	if (strcmp(w, "sec-remove") == 0) {
		TEST_ASSERT_SUCCESS(rte_eal_hotplug_remove("test", "testdev1"),
			"remove: %s", rte_strerror(rte_errno));
		return dev_state("testdev1", NULL);
	}
	if (strcmp(w, "sec-add") == 0) {
		TEST_ASSERT_SUCCESS(rte_eal_hotplug_add("test", "testdev1",
			"mode=slow"), "add: %s", rte_strerror(rte_errno));
		if (dev_state("testdev1", "slow") != TEST_SUCCESS)
			return TEST_FAILED;
		/* same arguments: a refused add still updates the entry */
		ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("test", "testdev1",
			"mode=slow"), EEXIST);
		return dev_state("testdev1", "slow");
	}
	if (strcmp(w, "check-gone") == 0)
		return dev_state("testdev1", NULL);
	if (strcmp(w, "check-gone0") == 0)
		return dev_state("testdev0", NULL);
	if (strcmp(w, "sec-fail") == 0)
		return child_fail();
	if (strcmp(w, "hostile") == 0)
		return child_hostile();
	printf("unknown step '%s'\n", w);
	return TEST_FAILED;
}

static int
hotplug_mp_child(void)
{
	char line[64];

	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		printf("FAIL: not a secondary process\n");
		return TEST_FAILED;
	}
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			return TEST_SUCCESS;
		if (child_step(line) != TEST_SUCCESS) {
			printf("FAIL: %s\n", line);
			fflush(stdout);
			return TEST_FAILED;
		}
		printf("ok\n");
		fflush(stdout);
	}
	return TEST_FAILED;
}

REGISTER_TEST_COMMAND(hotplug_mp_child, hotplug_mp_child);

/*
 * hotplug_mp_timeout_autotest: the ETIMEDOUT paths, with a peer whose
 * hotplug handler takes every message and never answers (it replaces
 * the EAL's "eal_hotplug" action, for the rest of that process):
 *   - the primary's add, with such a secondary: ETIMEDOUT, the rollback
 *     (a remove that times out as well) unplugs it from the primary;
 *   - a secondary's add, with such a primary: ETIMEDOUT, nothing plugged
 *     or listed in the secondary nor in the primary.
 * Each side then has no devargs entry and no probed device left. The
 * hotplug handler stays replaced until the process ends: this test has
 * a process of its own (meson runs every autotest in one).
 */

/* an "eal_hotplug" handler that never answers */
static int
silent_handler(const struct rte_mp_msg *msg __rte_unused,
		const void *peer __rte_unused)
{
	return 0;
}

static int
go_silent(void)
{
	rte_mp_action_unregister("eal_hotplug");
	TEST_ASSERT_SUCCESS(rte_mp_action_register("eal_hotplug",
		silent_handler), "register the silent handler: %s",
		rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static int
timeout_primary_steps(int to, int from, unsigned int listed)
{
	if (expect_line(from, "ready") != 0)
		return TEST_FAILED;
	/* the secondary never answers: 5 s for the add, 5 s for its rollback */
	ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("test", "testdev1", "mode=fast"),
		ETIMEDOUT);
	if (dev_state("testdev1", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), listed,
		"devargs entries left behind by the timed-out add");
	/* now the primary never answers the secondary's request */
	if (go_silent() != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(step(to, from, "sec-add-timeout"), "secondary");
	if (dev_state("testdev1", NULL) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED), listed,
		"devargs entries left behind by the secondary's add");
	return TEST_SUCCESS;
}

static int
test_hotplug_mp_timeout(void)
{
	unsigned int listed = rte_devargs_type_count(RTE_DEV_ALLOWED);
	int to = -1, from = -1, status, ret;
	pid_t pid;

	if (rte_eal_get_runtime_dir()[0] == '\0')
		TEST_SKIP("--in-memory: no secondary process can attach");
	if (rte_devargs_type_count(RTE_DEV_BLOCKED) != 0)
		TEST_SKIP("run without -b: hotplug adds allowed entries");
	TEST_ASSERT_NOT_NULL(rte_bus_find_by_name("test"), "no test bus");
	pid = spawn_child(&to, &from, "hotplug_mp_timeout_child");
	TEST_ASSERT(pid > 0, "spawn %s", test_self_path());
	ret = timeout_primary_steps(to, from, listed);
	if (ret == TEST_SUCCESS && write(to, "quit\n", 5) != 5)
		ret = TEST_FAILED;
	close(to);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0) {
		printf("secondary failed (status 0x%x)\n", status);
		ret = TEST_FAILED;
	}
	close(from);
	return ret;
}

REGISTER_TEST_COMMAND(hotplug_mp_timeout_autotest, test_hotplug_mp_timeout);

static int
timeout_child_step(const char *w)
{
	unsigned int listed = rte_devargs_type_count(RTE_DEV_ALLOWED);

	if (strcmp(w, "sec-add-timeout") == 0) {
		/* 5 s: the primary takes the request and never answers */
		ASSERT_HOTPLUG_ERR(rte_eal_hotplug_add("test", "testdev1",
			"mode=slow"), ETIMEDOUT);
		TEST_ASSERT_EQUAL(rte_devargs_type_count(RTE_DEV_ALLOWED),
			listed, "devargs entries left behind");
		return dev_state("testdev1", NULL);
	}
	printf("unknown step '%s'\n", w);
	return TEST_FAILED;
}

static int
hotplug_mp_timeout_child(void)
{
	char line[64];

	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		printf("FAIL: not a secondary process\n");
		return TEST_FAILED;
	}
	/* the primary's add and remove orders go unanswered */
	if (go_silent() != TEST_SUCCESS) {
		printf("FAIL: silent handler\n");
		return TEST_FAILED;
	}
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			return TEST_SUCCESS;
		if (timeout_child_step(line) != TEST_SUCCESS) {
			printf("FAIL: %s\n", line);
			fflush(stdout);
			return TEST_FAILED;
		}
		printf("ok\n");
		fflush(stdout);
	}
	return TEST_FAILED;
}

REGISTER_TEST_COMMAND(hotplug_mp_timeout_child, hotplug_mp_timeout_child);
