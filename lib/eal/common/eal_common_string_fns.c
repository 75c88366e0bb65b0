/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

size_t
rte_strlcpy(char *dst, const char *src, size_t dsize)
{
	size_t len = strlen(src);

	if (dsize != 0) {
		size_t n = RTE_MIN(len, dsize - 1);

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

ssize_t
rte_strscpy(char *dst, const char *src, size_t dsize)
{
	size_t len = rte_strlcpy(dst, src, dsize);

	if (len >= dsize) {
		rte_errno = E2BIG;
		return -1;
	}
	return (ssize_t)len;
}

int
rte_strsplit(char *string, int stringlen, char **tokens, int maxtokens,
		char delim)
{
	int i, tok = 0;
	int tokstart = 1;

	if (string == NULL || tokens == NULL || stringlen < 0 || maxtokens < 0) {
		rte_errno = EINVAL;
		return -1;
	}
	for (i = 0; i < stringlen && string[i] != '\0' && tok < maxtokens; i++) {
		if (tokstart) {
			tokstart = 0;
			tokens[tok++] = &string[i];
		}
		if (string[i] == delim) {
			string[i] = '\0';
			tokstart = 1;
		}
	}
	return tok;
}

/* Digits of base (10 or 16) up to the end of str: no sign, space, prefix. */
static int
str_to_u64_base(const char *str, unsigned int base, uint64_t *val)
{
	uint64_t v = 0;
	const char *p;

	if (str == NULL || str[0] == '\0') {
		rte_errno = EINVAL;
		return -1;
	}
	for (p = str; *p != '\0'; p++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = (unsigned int)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = (unsigned int)(tolower((unsigned char)*p) - 'a' + 10);
		else {
			rte_errno = EINVAL;
			return -1;
		}
		if (v > (UINT64_MAX - d) / base) {
			rte_errno = ERANGE;
			return -1;
		}
		v = v * base + d;
	}
	*val = v;
	return 0;
}

int
rte_str_to_dec_u64(const char *str, uint64_t *val)
{
	return str_to_u64_base(str, 10, val);
}

int
rte_str_to_u64(const char *str, uint64_t *val)
{
	/* never octal: a leading 0 is only a decimal digit */
	if (str != NULL && str[0] == '0' && (str[1] == 'x' || str[1] == 'X'))
		return str_to_u64_base(str + 2, 16, val);
	return str_to_u64_base(str, 10, val);
}

int
rte_str_to_size(const char *str, uint64_t *size)
{
	static const struct {
		char suffix;
		unsigned int shift;
	} units[] = { { 'K', 10 }, { 'M', 20 }, { 'G', 30 } };
	char buf[32];
	size_t len, i;
	unsigned int shift = 0;
	uint64_t v;

	if (str == NULL || (len = strlen(str)) == 0 || len >= sizeof(buf)) {
		rte_errno = EINVAL;
		return -1;
	}
	memcpy(buf, str, len + 1);
	for (i = 0; i < RTE_DIM(units); i++) {
		if (toupper((unsigned char)buf[len - 1]) == units[i].suffix) {
			shift = units[i].shift;
			buf[len - 1] = '\0';
			break;
		}
	}
	if (rte_str_to_u64(buf, &v) != 0)
		return -1;
	if (shift != 0 && v > (UINT64_MAX >> shift)) {
		rte_errno = ERANGE;
		return -1;
	}
	*size = v << shift;
	return 0;
}
