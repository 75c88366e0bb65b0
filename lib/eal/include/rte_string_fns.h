/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_STRING_FNS_H_
#define _RTE_STRING_FNS_H_

/**
 * @file
 * String helpers that are safe against truncation.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Copy a string into a buffer, always NUL-terminated.
 *
 * @param dst
 *   Destination.
 * @param src
 *   NUL-terminated source.
 * @param dsize
 *   Size of dst in bytes.
 * @return
 *   Length of src; a value >= dsize means the copy was truncated.
 */
size_t rte_strlcpy(char *dst, const char *src, size_t dsize);

/**
 * Copy a string into a buffer, failing instead of truncating.
 *
 * @param dst
 *   Destination.
 * @param src
 *   NUL-terminated source.
 * @param dsize
 *   Size of dst in bytes.
 * @return
 *   Number of characters copied, or -1 with rte_errno E2BIG when src does
 *   not fit (dst then holds a truncated copy, or is empty when dsize is 0).
 */
ssize_t rte_strscpy(char *dst, const char *src, size_t dsize);

/**
 * Split a string in place at every delimiter.
 *
 * @param string
 *   String to split; delimiters are replaced by NUL.
 * @param stringlen
 *   Length of string.
 * @param tokens
 *   Array that receives pointers to the pieces.
 * @param maxtokens
 *   Size of tokens.
 * @param delim
 *   Delimiter character.
 * @return
 *   Number of pieces, or -1 with rte_errno EINVAL for bad arguments.
 */
int rte_strsplit(char *string, int stringlen, char **tokens, int maxtokens,
		char delim);

/**
 * Parse an unsigned decimal number, refusing empty strings, signs, spaces,
 * any other base, trailing characters and overflow. Leading zeros are
 * decimal digits ("010" is ten): what users mean for sizes and levels.
 *
 * @param str
 *   Text to parse.
 * @param val
 *   Where the value is stored on success.
 * @return
 *   0, or -1 with rte_errno EINVAL (not a number) or ERANGE.
 */
int rte_str_to_dec_u64(const char *str, uint64_t *val);

/**
 * Parse an unsigned decimal or 0x-prefixed hexadecimal number, refusing
 * empty strings, signs, trailing characters and overflow. Never octal: a
 * leading 0 without x is a decimal digit.
 *
 * @param str
 *   Text to parse.
 * @param val
 *   Where the value is stored on success.
 * @return
 *   0, or -1 with rte_errno EINVAL (not a number) or ERANGE.
 */
int rte_str_to_u64(const char *str, uint64_t *val);

/**
 * Parse a size with an optional K, M or G suffix (powers of 1024).
 *
 * @param str
 *   Text such as "512", "64M", "1G".
 * @param size
 *   Where the size in bytes is stored.
 * @return
 *   0, or -1 with rte_errno EINVAL or ERANGE.
 */
int rte_str_to_size(const char *str, uint64_t *size);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_STRING_FNS_H_ */
