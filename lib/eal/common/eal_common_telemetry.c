/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* Telemetry commands: the table, request parsing and the built-in ones. */

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include "eal_telemetry.h"

#define MAX_COMMANDS 64

static struct {
	pthread_mutex_t lock;
	unsigned int n;
	struct {
		char name[RTE_TEL_MAX_CMD_LEN];
		telemetry_cb fn;
		const char *help;
	} cmds[MAX_COMMANDS];
	char **args;  /* /eal/params */
	int nargs;
} tel = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static int
name_valid(const char *cmd)
{
	const char *c;

	if (cmd == NULL || cmd[0] != '/' ||
			strlen(cmd) >= RTE_TEL_MAX_CMD_LEN)
		return 0;
	for (c = cmd; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '/')
			return 0;
	return 1;
}

/* caller holds tel.lock */
static int
cmd_index(const char *cmd)
{
	unsigned int i;

	for (i = 0; i < tel.n; i++)
		if (strcmp(tel.cmds[i].name, cmd) == 0)
			return (int)i;
	return -1;
}

int
rte_telemetry_register_cmd(const char *cmd, telemetry_cb fn, const char *help)
{
	int ret = 0;

	if (!name_valid(cmd) || fn == NULL)
		return -EINVAL;
	pthread_mutex_lock(&tel.lock);
	if (cmd_index(cmd) >= 0) {
		ret = -EEXIST;
	} else if (tel.n == MAX_COMMANDS) {
		ret = -ENOSPC;
	} else {
		rte_strlcpy(tel.cmds[tel.n].name, cmd, RTE_TEL_MAX_CMD_LEN);
		tel.cmds[tel.n].fn = fn;
		tel.cmds[tel.n].help = help != NULL ? help : "";
		tel.n++;
	}
	pthread_mutex_unlock(&tel.lock);
	return ret;
}

/* ---- built-in commands --------------------------------------------------- */

static int
cmd_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int i;

	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	pthread_mutex_lock(&tel.lock);
	for (i = 0; i < tel.n; i++)
		rte_tel_data_add_array_string(d, tel.cmds[i].name);
	pthread_mutex_unlock(&tel.lock);
	return 0;
}

static int
cmd_help(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int i, ret = -EINVAL;

	if (params == NULL)
		params = "/help";
	pthread_mutex_lock(&tel.lock);
	i = cmd_index(params);
	if (i >= 0) {
		rte_tel_data_start_dict(d);
		rte_tel_data_add_dict_string(d, params, tel.cmds[i].help);
		ret = 0;
	}
	pthread_mutex_unlock(&tel.lock);
	return ret;
}

static int
cmd_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", rte_version());
	rte_tel_data_add_dict_int(d, "pid", getpid());
	rte_tel_data_add_dict_int(d, "max_output_len", RTE_TEL_MAX_OUTPUT_LEN);
	return 0;
}

static int
cmd_eal_params(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int i;

	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	pthread_mutex_lock(&tel.lock);
	for (i = 0; i < tel.nargs; i++)
		rte_tel_data_add_array_string(d, tel.args[i]);
	pthread_mutex_unlock(&tel.lock);
	return 0;
}

RTE_INIT_PRIO(telemetry_builtin_init, 110)
{
	rte_telemetry_register_cmd("/", cmd_list,
		"Lists the commands. Takes no parameters");
	rte_telemetry_register_cmd("/help", cmd_help,
		"Describes a command. Parameter: the command, e.g. /help,/info");
	rte_telemetry_register_cmd("/info", cmd_info,
		"Version, pid and longest reply of this process. Takes no parameters");
	rte_telemetry_register_cmd("/eal/params", cmd_eal_params,
		"EAL arguments this process was started with. Takes no parameters");
}

void
eal_telemetry_save_args(int argc, char *const *argv)
{
	char **copy;
	int i, n = 0;

	if (argc > 0 && strcmp(argv[argc - 1], "--") == 0)
		argc--; /* the end of the EAL options, not one of them */
	copy = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*copy));

	for (i = 0; copy != NULL && i < argc; i++) {
		copy[n] = strdup(argv[i]);
		if (copy[n] != NULL)
			n++;
	}
	eal_telemetry_free_args();
	pthread_mutex_lock(&tel.lock);
	tel.args = copy;
	tel.nargs = n;
	pthread_mutex_unlock(&tel.lock);
}

void
eal_telemetry_free_args(void)
{
	int i;

	pthread_mutex_lock(&tel.lock);
	for (i = 0; i < tel.nargs; i++)
		free(tel.args[i]);
	free(tel.args);
	tel.args = NULL;
	tel.nargs = 0;
	pthread_mutex_unlock(&tel.lock);
}

/* ---- requests ------------------------------------------------------------ */

size_t
eal_telemetry_info_json(char *out, size_t out_len)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	int n = -1;

	if (d != NULL) {
		cmd_info(NULL, NULL, d);
		n = eal_tel_json(d, out, out_len);
		rte_tel_data_free(d);
	}
	if (n < 0)
		n = snprintf(out, out_len, "{}");
	return (size_t)n;
}

/* {"<key>":<body>} into out; the key is escaped */
static size_t
wrap_reply(const char *key, const char *body, char *out, size_t out_len)
{
	char k[2 * RTE_TEL_MAX_CMD_LEN + 8];
	int n;

	if (eal_tel_json_string(key, k, sizeof(k)) < 0)
		rte_strlcpy(k, "\"\"", sizeof(k));
	n = snprintf(out, out_len, "{%s:%s}", k, body);
	return n < 0 || (size_t)n >= out_len ? 0 : (size_t)n;
}

static size_t
error_reply(const char *msg, char *out, size_t out_len)
{
	char s[256];

	if (eal_tel_json_string(msg, s, sizeof(s)) < 0)
		rte_strlcpy(s, "\"bad request\"", sizeof(s));
	return (size_t)snprintf(out, out_len, "{\"error\":%s}", s);
}

/* printable ASCII only: the reply echoes the command */
static int
request_printable(const char *req, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isprint((unsigned char)req[i]))
			return 0;
	return 1;
}

size_t
eal_telemetry_reply(const char *req, size_t len, char *out, size_t out_len)
{
	char buf[RTE_TEL_MAX_REQUEST_LEN];
	char cmd[RTE_TEL_MAX_CMD_LEN];
	const char *params = NULL;
	struct rte_tel_data *d;
	telemetry_cb fn = NULL;
	char *comma, *body;
	size_t n;
	int i, ret;

	while (len > 0 && (req[len - 1] == '\n' || req[len - 1] == '\r'))
		len--;
	if (len == 0)
		return error_reply("empty request: send /<command>[,<parameters>], e.g. /help", out, out_len);
	if (len >= sizeof(buf))
		return error_reply("request too long: at most 1023 bytes", out, out_len);
	if (!request_printable(req, len))
		return error_reply("request has bytes that are not printable ASCII", out, out_len);
	memcpy(buf, req, len);
	buf[len] = '\0';
	comma = strchr(buf, ',');
	if (comma != NULL) {
		*comma = '\0';
		params = comma[1] != '\0' ? comma + 1 : NULL;
	}
	if (!name_valid(buf))
		return error_reply("not a command: commands start with '/' and hold letters, digits, '_' and '/'; send / for the list", out, out_len);
	rte_strlcpy(cmd, buf, sizeof(cmd));
	pthread_mutex_lock(&tel.lock);
	i = cmd_index(cmd);
	if (i >= 0)
		fn = tel.cmds[i].fn;
	pthread_mutex_unlock(&tel.lock);
	d = rte_tel_data_alloc();
	body = malloc(out_len);
	if (d == NULL || body == NULL) {
		rte_tel_data_free(d);
		free(body);
		return error_reply("out of memory", out, out_len);
	}
	ret = fn != NULL ? fn(cmd, params, d) : -ENOENT;
	if (ret < 0)
		rte_strlcpy(body, "null", out_len);
	else if (eal_tel_json(d, body, out_len - strlen(cmd) - 8) < 0)
		snprintf(body, out_len, "{\"error\":\"reply longer than %zu bytes: ask for less (a smaller page)\"}",
			out_len);
	n = wrap_reply(cmd, body, out, out_len);
	rte_tel_data_free(d);
	free(body);
	return n;
}
