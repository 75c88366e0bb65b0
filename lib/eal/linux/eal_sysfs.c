/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * sysfs: where it is (tests move it), and reading its attributes in
 * exactly the format the kernel writes them.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_sysfs.h>

#include "eal_log.h"
#include "eal_private.h"

/* Longest excerpt of a refused content shown in a log line. */
#define SYSFS_SHOW_MAX 40
/* A file type that is not regular, in words for the log. */
#define SYSFS_TYPE_NAME(m) (S_ISFIFO(m) ? "a FIFO" : S_ISDIR(m) ? \
	"a directory" : S_ISCHR(m) || S_ISBLK(m) ? "a device node" : \
	S_ISSOCK(m) ? "a socket" : "not a regular file")

/* Read at every call so that tests may point it at a new tree anytime. */
const char *
eal_sysfs_root(void)
{
	const char *root = getenv("RTE_EAL_SYSFS_ROOT");

	return root != NULL ? root : "";
}

/* Printable excerpt of s for a log line: control bytes become '?'. */
static const char *
show(const char *s, size_t len, char *out, size_t size)
{
	size_t i, n = len < SYSFS_SHOW_MAX ? len : SYSFS_SHOW_MAX;

	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		out[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	out[n] = '\0';
	if (n < len && n >= 3)
		memcpy(out + n - 3, "...", 3);
	return out;
}

static int
fail(int err)
{
	errno = err;
	rte_errno = err;
	return -1;
}

int
rte_sysfs_open(const char *path, int flags)
{
	struct stat st;
	int fd, err;

	fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail(errno);
	if (fstat(fd, &st) != 0) {
		err = errno;
		close(fd);
		return fail(err);
	}
	if (!S_ISREG(st.st_mode)) {
		EAL_LOG(ERR, "%s: %s, not a sysfs attribute: refused", path,
			SYSFS_TYPE_NAME(st.st_mode));
		close(fd);
		return fail(EINVAL);
	}
	return fd;
}

ssize_t
rte_sysfs_read(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	char extra;
	int fd, err;

	if (path == NULL || buf == NULL || size == 0)
		return fail(EINVAL);
	fd = rte_sysfs_open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	/* sysfs returns the whole attribute in one read; files may not */
	while (len < size - 1 &&
			(n = read(fd, buf + len, size - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			close(fd);
			return fail(err);
		}
		len += (size_t)n;
	}
	n = len == size - 1 ? read(fd, &extra, 1) : 0;
	close(fd);
	buf[len] = '\0';
	if (n != 0) {
		EAL_LOG(ERR, "%s: longer than %zu bytes, not what the kernel writes there: refused",
			path, size - 1);
		return fail(EINVAL);
	}
	if (memchr(buf, '\0', len) != NULL) {
		EAL_LOG(ERR, "%s: holds a NUL byte, not what the kernel writes there: refused",
			path);
		return fail(EINVAL);
	}
	return (ssize_t)len;
}

ssize_t
rte_sysfs_read_line(const char *path, char *buf, size_t size)
{
	char excerpt[SYSFS_SHOW_MAX + 1];
	ssize_t len = rte_sysfs_read(path, buf, size);
	char *nl;

	if (len < 0)
		return -1;
	nl = strchr(buf, '\n');
	if (nl == NULL || nl != buf + len - 1) {
		EAL_LOG(ERR, "%s: '%s' is not one line ending in a newline, as the kernel writes it: refused",
			path, show(buf, (size_t)len, excerpt, sizeof(excerpt)));
		return fail(EINVAL);
	}
	*nl = '\0';
	return len - 1;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
rte_sysfs_parse_hex(const char *s, unsigned int digits, uint64_t *val)
{
	uint64_t v = 0;
	unsigned int i;
	int d;

	if (s == NULL || digits == 0 || digits > 16 || s[0] != '0' ||
			s[1] != 'x')
		return fail(EINVAL);
	for (i = 0; i < digits; i++) {
		d = hex_digit(s[2 + i]);
		if (d < 0)
			return fail(EINVAL);
		v = (v << 4) | (uint64_t)d;
	}
	if (s[2 + digits] != '\0')
		return fail(EINVAL);
	*val = v;
	return 0;
}

int
rte_sysfs_parse_dec(const char *s, int64_t min, int64_t max, int64_t *val)
{
	bool neg;
	uint64_t v = 0, limit;
	const char *p;

	if (s == NULL || min > max)
		return fail(EINVAL);
	neg = s[0] == '-';
	p = neg ? s + 1 : s;
	/* "0" only alone; "-0" is not printed by the kernel */
	if (p[0] < '0' || p[0] > '9' || (p[0] == '0' && (p[1] != '\0' || neg)))
		return fail(EINVAL);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p != '\0'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (*p < '0' || *p > '9')
			return fail(EINVAL);
		if (v > (limit - d) / 10)
			return fail(ERANGE);
		v = v * 10 + d;
	}
	if (neg) {
		/* -(2^63) is INT64_MIN; the subtraction avoids overflow */
		int64_t n = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
			-(int64_t)v;

		if (n < min || n > max)
			return fail(ERANGE);
		*val = n;
		return 0;
	}
	if ((int64_t)v < min || (int64_t)v > max)
		return fail(ERANGE);
	*val = (int64_t)v;
	return 0;
}

int
rte_sysfs_read_hex(const char *path, unsigned int digits, uint64_t *val)
{
	char line[32], excerpt[SYSFS_SHOW_MAX + 1];
	ssize_t len = rte_sysfs_read_line(path, line, sizeof(line));

	if (len < 0)
		return -1;
	if (rte_sysfs_parse_hex(line, digits, val) != 0) {
		EAL_LOG(ERR, "%s: '%s' is not 0x and %u lowercase hex digits, as the kernel writes it: refused",
			path, show(line, (size_t)len, excerpt, sizeof(excerpt)),
			digits);
		return -1;
	}
	return 0;
}

int
rte_sysfs_read_dec(const char *path, int64_t min, int64_t max, int64_t *val)
{
	char line[32], excerpt[SYSFS_SHOW_MAX + 1];
	ssize_t len = rte_sysfs_read_line(path, line, sizeof(line));

	if (len < 0)
		return -1;
	if (rte_sysfs_parse_dec(line, min, max, val) != 0) {
		show(line, (size_t)len, excerpt, sizeof(excerpt));
		if (rte_errno == ERANGE)
			EAL_LOG(ERR, "%s: %s is outside [%" PRId64 ", %" PRId64 "]: refused",
				path, excerpt, min, max);
		else
			EAL_LOG(ERR, "%s: '%s' is not a decimal number as the kernel writes it: refused",
				path, excerpt);
		return -1;
	}
	return 0;
}

int
rte_sysfs_link_num(const char *path, int *num)
{
	char target[PATH_MAX], excerpt[SYSFS_SHOW_MAX + 1];
	const char *last;
	int64_t v;
	ssize_t n;

	if (path == NULL || num == NULL)
		return fail(EINVAL);
	n = readlink(path, target, sizeof(target));
	if (n < 0)
		return fail(errno);
	if ((size_t)n >= sizeof(target)) {
		EAL_LOG(ERR, "%s: link target longer than %zu bytes: refused",
			path, sizeof(target) - 1);
		return fail(ENAMETOOLONG);
	}
	target[n] = '\0';
	last = strrchr(target, '/');
	last = last != NULL ? last + 1 : target;
	if (rte_sysfs_parse_dec(last, 0, INT32_MAX, &v) != 0) {
		EAL_LOG(ERR, "%s: link target ends in '%s', not a number from 0 to %d: refused",
			path, show(last, strlen(last), excerpt, sizeof(excerpt)),
			INT32_MAX);
		return fail(EINVAL);
	}
	*num = (int)v;
	return 0;
}
