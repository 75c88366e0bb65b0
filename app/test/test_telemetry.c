/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * telemetry_autotest: this process's telemetry socket, as a client sees
 * it: the info on connect, the built-in and VFIO commands (checked against
 * the VFIO API in every mode the VM runs it in), malformed requests, and
 * many clients at once. telemetry_uid_autotest: a client of another uid is
 * refused (needs root to be that other uid).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_telemetry.h>
#include <rte_vfio.h>

#include "test.h"

#define SOCK_NAME "dpdk_telemetry.v2"
#define MAX_CLIENTS 16 /* EAL_TELEMETRY_MAX_CLIENTS */

static char reply[RTE_TEL_MAX_OUTPUT_LEN + 1];

static void
sock_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", rte_eal_get_runtime_dir(), SOCK_NAME);
}

/* connected socket, or -1 */
static int
tel_connect(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sock_path(a.sun_path, sizeof(a.sun_path));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* one message into reply; its length, 0 when the server closed, -1 */
static ssize_t
tel_recv(int fd)
{
	struct timeval tv = { .tv_sec = 5 };
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(fd, reply, sizeof(reply) - 1, 0);
	reply[n > 0 ? n : 0] = '\0';
	return n;
}

/* send len bytes of req, receive the reply; its length or -1 */
static ssize_t
tel_query(int fd, const char *req, size_t len)
{
	if (send(fd, req, len, MSG_NOSIGNAL) != (ssize_t)len)
		return -1;
	return tel_recv(fd);
}

static int
expect(int fd, const char *req, const char *want)
{
	TEST_ASSERT(tel_query(fd, req, strlen(req)) > 0, "%s: no reply", req);
	TEST_ASSERT(strstr(reply, want) != NULL,
		"%s: reply lacks '%s':\n%s", req, want, reply);
	return TEST_SUCCESS;
}

static int
check_connect_info(int fd)
{
	char want[64];

	TEST_ASSERT(tel_recv(fd) > 0, "no info on connect");
	snprintf(want, sizeof(want), "\"pid\":%d,", (int)getpid());
	TEST_ASSERT(strstr(reply, "{\"version\":\"DPDK-VFIO ") == reply &&
		strstr(reply, want) != NULL &&
		strstr(reply, "\"max_output_len\":16384}") != NULL,
		"info on connect: %s", reply);
	return TEST_SUCCESS;
}

static int
check_builtin(int fd)
{
	char want[128];
	int i;

	if (expect(fd, "/", "\"/vfio/dma_maps\"") != 0 ||
			expect(fd, "/info", "{\"/info\":{\"version\":") != 0 ||
			expect(fd, "/help,/vfio/info", "{\"/help\":{\"/vfio/info\":\"VFIO mode") != 0 ||
			expect(fd, "/help", "{\"/help\":{\"/help\":\"Describes") != 0 ||
			expect(fd, "/help,/nope", "{\"/help\":null}") != 0)
		return TEST_FAILED;
	/* every EAL argument the runner got, in order, without "--" */
	snprintf(want, sizeof(want), "{\"/eal/params\":[");
	if (expect(fd, "/eal/params", want) != 0)
		return TEST_FAILED;
	for (i = 1; i < test_eal_argc(); i++) {
		if (strcmp(test_eal_argv()[i], "--") == 0)
			continue;
		snprintf(want, sizeof(want), "\"%s\"", test_eal_argv()[i]);
		TEST_ASSERT(strstr(reply, want) != NULL,
			"/eal/params lacks %s: %s", want, reply);
	}
	return TEST_SUCCESS;
}

static int
check_malformed(int fd)
{
	char big[2000];

	TEST_ASSERT(tel_query(fd, "", 0) > 0 &&
		strstr(reply, "{\"error\":\"empty request") == reply,
		"empty: %s", reply);
	if (expect(fd, "hello", "{\"error\":\"not a command") != 0 ||
			expect(fd, "/in fo", "{\"error\":\"not a command") != 0 ||
			expect(fd, "/nope", "{\"/nope\":null}") != 0 ||
			expect(fd, "/info\x01", "not printable") != 0 ||
			expect(fd, "/info\n", "{\"/info\":{") != 0 ||
			expect(fd, "/vfio/dma_maps,abc", "{\"/vfio/dma_maps\":null}") != 0 ||
			expect(fd, "/vfio/dma_maps,0,both", "{\"/vfio/dma_maps\":null}") != 0 ||
			expect(fd, "/vfio/dma_maps,99", "{\"/vfio/dma_maps\":null}") != 0 ||
			expect(fd, "/vfio/dma_maps,-1", "{\"/vfio/dma_maps\":null}") != 0 ||
			expect(fd, "/vfio/devices,x", "{\"/vfio/devices\":null}") != 0 ||
			expect(fd, "/vfio/info,extra", "{\"/vfio/info\":null}") != 0)
		return TEST_FAILED;
	/* a request beyond the limit: an error, and the connection goes on */
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	TEST_ASSERT(tel_query(fd, big, sizeof(big)) > 0 &&
		strstr(reply, "request too long") != NULL, "2000 bytes: %s", reply);
	return expect(fd, "/info", "{\"/info\":{");
}

static const char *
mode_name(enum rte_vfio_mode m)
{
	static const char * const names[] = { "none", "group", "noiommu", "cdev" };

	return (unsigned int)m < RTE_DIM(names) ? names[m] : "?";
}

/* the VFIO commands agree with the API, and show a map we make */
/* a container the application created is listed, with its IOAS in cdev */
static int
check_custom_container(int fd)
{
	bool cdev = rte_vfio_get_interface() == RTE_VFIO_INTERFACE_CDEV;
	const char *at;
	int cfd, ret;

	cfd = rte_vfio_container_create();
	TEST_ASSERT(cfd >= 0, "container create: %s", rte_strerror(rte_errno));
	ret = expect(fd, "/vfio/containers", "\"default\":0,");
	at = ret == 0 ? strstr(reply, "\"default\":0,") : NULL;
	if (at != NULL && cdev && strstr(at, "\"ioas_id\":") == NULL) {
		printf("custom cdev container without its IOAS: %s\n", reply);
		ret = TEST_FAILED;
	}
	if (at != NULL && !cdev && strstr(at, "\"ioas_id\":") != NULL) {
		printf("IOAS in a group container: %s\n", reply);
		ret = TEST_FAILED;
	}
	rte_vfio_container_destroy(cfd);
	if (ret != 0)
		return TEST_FAILED;
	/* gone once destroyed */
	if (expect(fd, "/vfio/containers", "{\"/vfio/containers\":[") != 0)
		return TEST_FAILED;
	TEST_ASSERT(strstr(reply, "\"default\":0,") == NULL,
		"destroyed container still listed: %s", reply);
	return 0;
}

static int
check_vfio(int fd)
{
	enum rte_vfio_mode m = rte_vfio_get_mode();
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	const uint64_t iova = 0x7e000000;
	char want[160];
	void *buf;
	int ret;

	snprintf(want, sizeof(want), "{\"/vfio/info\":{\"mode\":\"%s\"",
		mode_name(m));
	if (expect(fd, "/vfio/info", want) != 0)
		return TEST_FAILED;
	snprintf(want, sizeof(want), "\"iova_mode\":\"%s\"",
		rte_eal_iova_mode() == RTE_IOVA_VA ? "VA" : "PA");
	TEST_ASSERT(strstr(reply, want) != NULL, "%s in %s", want, reply);
	if (m == RTE_VFIO_MODE_NONE) {
		printf("VFIO mode none: /vfio/containers must be empty\n");
		return expect(fd, "/vfio/containers", "{\"/vfio/containers\":[]}");
	}
	snprintf(want, sizeof(want), "\"interface\":\"%s\"",
		rte_vfio_get_interface() == RTE_VFIO_INTERFACE_CDEV ? "cdev" :
		"group");
	TEST_ASSERT(strstr(reply, want) != NULL, "%s in %s", want, reply);
	snprintf(want, sizeof(want),
		"{\"/vfio/containers\":[{\"index\":0,\"fd\":%d,\"default\":1,",
		rte_vfio_get_container_fd());
	if (expect(fd, "/vfio/containers", want) != 0)
		return TEST_FAILED;
	if (rte_vfio_get_interface() == RTE_VFIO_INTERFACE_CDEV)
		TEST_ASSERT(strstr(reply, "\"ioas_id\":") != NULL,
			"cdev container without IOAS: %s", reply);
	buf = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	TEST_ASSERT(buf != MAP_FAILED, "mmap: %s", strerror(errno));
	ret = rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
		(uint64_t)(uintptr_t)buf, iova, 2 * pg);
	if (ret != 0) {
		munmap(buf, 2 * pg);
		TEST_ASSERT(0, "dma map: %s", strerror(rte_errno));
	}
	snprintf(want, sizeof(want),
		"{\"iova\":\"0x%" PRIx64 "\",\"va\":\"%p\",\"len\":\"0x%zx\"}",
		iova, buf, 2 * pg);
	ret = expect(fd, "/vfio/dma_maps,0,user", want);
	if (ret == 0)
		ret = expect(fd, "/vfio/dma_maps", "\"kind\":\"user\",\"count\":1,\"start\":0,");
	/* start past the end: the count, no entries */
	if (ret == 0)
		ret = expect(fd, "/vfio/dma_maps,0,user,1", "\"count\":1,\"start\":1,\"entries\":[]");
	rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD,
		(uint64_t)(uintptr_t)buf, iova, 2 * pg);
	munmap(buf, 2 * pg);
	if (ret != 0)
		return ret;
	if (expect(fd, "/vfio/dma_maps,0,user", "\"count\":0,") != 0)
		return TEST_FAILED;
	/* the primary maps EAL memory in the IOMMU modes */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY &&
			rte_eal_iova_mode() == RTE_IOVA_VA) {
		if (expect(fd, "/vfio/dma_maps,0,mem", "\"kind\":\"mem\",\"count\":") != 0)
			return TEST_FAILED;
		TEST_ASSERT(strstr(reply, "\"count\":0,") == NULL,
			"no EAL memory mapping in %s mode: %s", mode_name(m), reply);
	}
	if (check_custom_container(fd) != 0)
		return TEST_FAILED;
	return expect(fd, "/vfio/devices", "{\"/vfio/devices\":{\"count\":");
}

/* MAX_CLIENTS at once are served, one more is closed at once */
static int
check_many_clients(void)
{
	int fds[MAX_CLIENTS + 1];
	int i, n, ret = TEST_FAILED, extra;

	for (n = 0; n < MAX_CLIENTS; n++) {
		fds[n] = tel_connect();
		if (fds[n] < 0 || tel_recv(fds[n]) <= 0) {
			printf("client %d: no connection or no info\n", n);
			goto close_all;
		}
	}
	for (i = 0; i < n; i++)
		if (expect(fds[i], "/info", "{\"/info\":{") != 0)
			goto close_all;
	extra = tel_connect();
	if (extra < 0 || tel_recv(extra) != 0) {
		printf("client %d: served (%s) instead of refused\n",
			MAX_CLIENTS + 1, reply);
		if (extra >= 0)
			close(extra);
		goto close_all;
	}
	close(extra);
	/* a slot frees when its client leaves */
	close(fds[--n]);
	for (i = 0; i < 100; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		fds[n] = tel_connect();
		if (fds[n] >= 0 && tel_recv(fds[n]) > 0)
			break;
		if (fds[n] >= 0)
			close(fds[n]);
		fds[n] = -1;
		nanosleep(&ts, NULL);
	}
	if (fds[n] < 0) {
		printf("no slot after a client left\n");
		goto close_all;
	}
	n++;
	ret = TEST_SUCCESS;
close_all:
	while (n-- > 0)
		if (fds[n] >= 0)
			close(fds[n]);
	return ret;
}

static int
test_telemetry(void)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, ret;

	sock_path(path, sizeof(path));
	TEST_ASSERT(stat(path, &st) == 0 && S_ISSOCK(st.st_mode),
		"no socket %s: %s", path, strerror(errno));
	TEST_ASSERT((st.st_mode & 077) == 0, "socket mode %o lets others in",
		(unsigned int)(st.st_mode & 0777));
	fd = tel_connect();
	TEST_ASSERT(fd >= 0, "connect %s: %s", path, strerror(errno));
	ret = check_connect_info(fd);
	if (ret == 0)
		ret = check_builtin(fd);
	if (ret == 0)
		ret = check_malformed(fd);
	if (ret == 0)
		ret = check_vfio(fd);
	close(fd);
	if (ret == 0)
		ret = check_many_clients();
	return ret;
}

/*
 * child: become uid 65534 and report what a connection gives (exit code).
 * It connects from inside the runtime directory, so that only that
 * directory's and the socket's modes matter, not those above.
 */
static int
foreign_client(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (chdir(rte_eal_get_runtime_dir()) != 0)
		_exit(9);
	if (setgid(65534) != 0 || setuid(65534) != 0)
		_exit(10);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", SOCK_NAME);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		_exit(errno == EACCES ? 11 : 12);
	_exit(tel_recv(fd) == 0 ? 0 : 13); /* 0: closed, no info */
}

static int
run_foreign(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		foreign_client();
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
test_telemetry_uid(void)
{
	char path[PATH_MAX];
	const char *dir = rte_eal_get_runtime_dir();
	struct stat dst;
	int code;

	if (geteuid() != 0)
		TEST_SKIP("needs root, to connect as another uid");
	sock_path(path, sizeof(path));
	/* the file mode alone keeps others out */
	code = run_foreign();
	TEST_ASSERT(code == 11, "uid 65534 through mode 0600: exit %d (11: EACCES)",
		code);
	/* open the file system way: then SO_PEERCRED must refuse */
	TEST_ASSERT(stat(dir, &dst) == 0, "stat %s", dir);
	TEST_ASSERT(chmod(dir, dst.st_mode | 0011) == 0 &&
		chmod(path, 0666) == 0, "chmod: %s", strerror(errno));
	code = run_foreign();
	chmod(path, 0600);
	chmod(dir, dst.st_mode & 07777);
	TEST_ASSERT(code == 0, "uid 65534 with the socket open to all: exit %d (0: refused, 13: served)",
		code);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(telemetry_autotest, test_telemetry);
REGISTER_TEST_COMMAND(telemetry_uid_autotest, test_telemetry_uid);
