/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

#ifndef _RTE_TELEMETRY_H_
#define _RTE_TELEMETRY_H_

/**
 * @file
 * Telemetry: commands a running process answers on a local socket.
 *
 * rte_eal_init() opens a SOCK_SEQPACKET socket "dpdk_telemetry.v2" in the
 * runtime directory (a secondary process: "dpdk_telemetry.v2:<N>", the
 * first N free from 1) unless --no-telemetry or --in-memory is given. Only
 * processes of the same user may connect (checked with SO_PEERCRED). On
 * connect the server sends {"version": ..., "pid": ..., "max_output_len":
 * ...}; then every request "<command>[,<parameters>]" gets one JSON object
 * {"<command>": <data>}, <data> being null for an unknown command or bad
 * parameters. "/" lists the commands, "/help,<command>" describes one.
 *
 * A command fills a struct rte_tel_data with the functions below: a
 * dictionary, an array of one value type, or a single string.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest command name, '/' and the terminating NUL included. */
#define RTE_TEL_MAX_CMD_LEN 56
/** Longest request (command, ',' and parameters). */
#define RTE_TEL_MAX_REQUEST_LEN 1024
/** Longest reply sent. */
#define RTE_TEL_MAX_OUTPUT_LEN 16384
/** Longest name of a dictionary entry, NUL included. */
#define RTE_TEL_MAX_NAME_LEN 64
/** Longest string value, NUL included. */
#define RTE_TEL_MAX_STRING_LEN 128
/** Most entries in one dictionary or array. */
#define RTE_TEL_MAX_ENTRIES 256

/** Type of the values of an array. */
enum rte_tel_value_type {
	RTE_TEL_STRING_VAL,    /**< Strings. */
	RTE_TEL_INT_VAL,       /**< Signed 64-bit integers. */
	RTE_TEL_UINT_VAL,      /**< Unsigned 64-bit integers. */
	RTE_TEL_CONTAINER,     /**< Dictionaries or arrays. */
};

/** Data of a reply (opaque). */
struct rte_tel_data;

/**
 * A command handler.
 *
 * @param cmd
 *   The command ("/eal/params").
 * @param params
 *   What followed the ',' of the request, or NULL.
 * @param d
 *   Data to fill (empty).
 * @return
 *   0, or a negative value for bad parameters (the reply is then null).
 */
typedef int (*telemetry_cb)(const char *cmd, const char *params,
		struct rte_tel_data *d);

/**
 * Register a command; may be called from a constructor.
 *
 * @param cmd
 *   Name: '/' then letters, digits, '_' and '/', shorter than
 *   RTE_TEL_MAX_CMD_LEN.
 * @param fn
 *   Handler.
 * @param help
 *   One line for "/help,<cmd>" (kept by pointer).
 * @return
 *   0, or -EINVAL (bad name, NULL fn), -EEXIST (name taken), -ENOSPC.
 */
int rte_telemetry_register_cmd(const char *cmd, telemetry_cb fn,
		const char *help);

/**
 * Make d a dictionary.
 * @param d
 *   Data.
 * @return
 *   0.
 */
int rte_tel_data_start_dict(struct rte_tel_data *d);

/**
 * Make d an array of values of one type.
 * @param d
 *   Data.
 * @param type
 *   Type of every value added.
 * @return
 *   0, or -EINVAL for an unknown type.
 */
int rte_tel_data_start_array(struct rte_tel_data *d,
		enum rte_tel_value_type type);

/**
 * Make d a single string.
 * @param d
 *   Data.
 * @param str
 *   Value (cut to RTE_TEL_MAX_STRING_LEN - 1 bytes).
 * @return
 *   0, or -E2BIG when it was cut.
 */
int rte_tel_data_string(struct rte_tel_data *d, const char *str);

/**
 * Add a string to a dictionary.
 * @param d
 *   Dictionary.
 * @param name
 *   Entry name.
 * @param val
 *   Value (cut to RTE_TEL_MAX_STRING_LEN - 1 bytes).
 * @return
 *   0, -EINVAL (d not a dictionary, bad name), -ENOSPC (full), -E2BIG (cut).
 */
int rte_tel_data_add_dict_string(struct rte_tel_data *d, const char *name,
		const char *val);

/**
 * Add a signed integer to a dictionary. See rte_tel_data_add_dict_string().
 * @param d
 *   Dictionary.
 * @param name
 *   Entry name.
 * @param val
 *   Value.
 * @return
 *   0, -EINVAL, -ENOSPC.
 */
int rte_tel_data_add_dict_int(struct rte_tel_data *d, const char *name,
		int64_t val);

/**
 * Add an unsigned integer to a dictionary.
 * @param d
 *   Dictionary.
 * @param name
 *   Entry name.
 * @param val
 *   Value.
 * @return
 *   0, -EINVAL, -ENOSPC.
 */
int rte_tel_data_add_dict_uint(struct rte_tel_data *d, const char *name,
		uint64_t val);

/**
 * Add a dictionary or array made with rte_tel_data_alloc() to a dictionary.
 * @param d
 *   Dictionary.
 * @param name
 *   Entry name.
 * @param val
 *   Container; d owns it from now on, also on failure (it is freed).
 * @param keep
 *   Unused (kept for DPDK compatibility): val always belongs to d.
 * @return
 *   0, -EINVAL (val is not a dictionary or array), -ENOSPC.
 */
int rte_tel_data_add_dict_container(struct rte_tel_data *d, const char *name,
		struct rte_tel_data *val, int keep);

/**
 * Add a string to an array of strings.
 * @param d
 *   Array.
 * @param str
 *   Value.
 * @return
 *   0, -EINVAL (wrong array type), -ENOSPC, -E2BIG (cut).
 */
int rte_tel_data_add_array_string(struct rte_tel_data *d, const char *str);

/**
 * Add a signed integer to an array of RTE_TEL_INT_VAL.
 * @param d
 *   Array.
 * @param x
 *   Value.
 * @return
 *   0, -EINVAL, -ENOSPC.
 */
int rte_tel_data_add_array_int(struct rte_tel_data *d, int64_t x);

/**
 * Add an unsigned integer to an array of RTE_TEL_UINT_VAL.
 * @param d
 *   Array.
 * @param x
 *   Value.
 * @return
 *   0, -EINVAL, -ENOSPC.
 */
int rte_tel_data_add_array_uint(struct rte_tel_data *d, uint64_t x);

/**
 * Add a container to an array of RTE_TEL_CONTAINER; d owns val from now
 * on, also on failure.
 * @param d
 *   Array.
 * @param val
 *   Container from rte_tel_data_alloc().
 * @param keep
 *   Unused (DPDK compatibility).
 * @return
 *   0, -EINVAL, -ENOSPC.
 */
int rte_tel_data_add_array_container(struct rte_tel_data *d,
		struct rte_tel_data *val, int keep);

/**
 * @return
 *   A new empty data for a container, or NULL (ENOMEM).
 */
struct rte_tel_data *rte_tel_data_alloc(void);

/**
 * Free data from rte_tel_data_alloc() and the containers in it.
 * @param d
 *   Data, or NULL.
 */
void rte_tel_data_free(struct rte_tel_data *d);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_TELEMETRY_H_ */
