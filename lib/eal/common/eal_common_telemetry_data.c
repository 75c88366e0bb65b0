/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* The data a telemetry command returns, and its JSON form. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "eal_telemetry.h"

enum tel_kind {
	TEL_NONE,
	TEL_DICT,
	TEL_ARRAY,
	TEL_STRING,
};

struct tel_value {
	char name[RTE_TEL_MAX_NAME_LEN]; /* dictionaries only */
	enum rte_tel_value_type type;
	union {
		int64_t i;
		uint64_t u;
		char *s;
		struct rte_tel_data *c;
	};
};

struct rte_tel_data {
	enum tel_kind kind;
	enum rte_tel_value_type array_type;
	unsigned int n;
	unsigned int cap;
	struct tel_value *v;
	char *str;
};

struct rte_tel_data *
rte_tel_data_alloc(void)
{
	return calloc(1, sizeof(struct rte_tel_data));
}

static void
data_clear(struct rte_tel_data *d)
{
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		if (d->v[i].type == RTE_TEL_STRING_VAL)
			free(d->v[i].s);
		else if (d->v[i].type == RTE_TEL_CONTAINER)
			rte_tel_data_free(d->v[i].c);
	}
	free(d->v);
	free(d->str);
	memset(d, 0, sizeof(*d));
}

void
rte_tel_data_free(struct rte_tel_data *d)
{
	if (d == NULL)
		return;
	data_clear(d);
	free(d);
}

int
rte_tel_data_start_dict(struct rte_tel_data *d)
{
	data_clear(d);
	d->kind = TEL_DICT;
	return 0;
}

int
rte_tel_data_start_array(struct rte_tel_data *d, enum rte_tel_value_type type)
{
	if (type > RTE_TEL_CONTAINER)
		return -EINVAL;
	data_clear(d);
	d->kind = TEL_ARRAY;
	d->array_type = type;
	return 0;
}

/* strndup that says whether it had to cut */
static char *
copy_string(const char *s, int *cut)
{
	size_t n = strnlen(s, RTE_TEL_MAX_STRING_LEN);

	*cut = n == RTE_TEL_MAX_STRING_LEN;
	if (*cut)
		n--;
	return strndup(s, n);
}

int
rte_tel_data_string(struct rte_tel_data *d, const char *str)
{
	int cut;

	data_clear(d);
	d->kind = TEL_STRING;
	d->str = copy_string(str, &cut);
	if (d->str == NULL)
		return -ENOMEM;
	return cut ? -E2BIG : 0;
}

/* a new slot in d, or NULL (-ENOSPC / -ENOMEM in *err) */
static struct tel_value *
slot_add(struct rte_tel_data *d, int *err)
{
	struct tel_value *v;

	if (d->n == RTE_TEL_MAX_ENTRIES) {
		*err = -ENOSPC;
		return NULL;
	}
	if (d->n == d->cap) {
		unsigned int cap = d->cap == 0 ? 8 : d->cap * 2;

		if (cap > RTE_TEL_MAX_ENTRIES)
			cap = RTE_TEL_MAX_ENTRIES;
		v = realloc(d->v, cap * sizeof(*v));
		if (v == NULL) {
			*err = -ENOMEM;
			return NULL;
		}
		d->v = v;
		d->cap = cap;
	}
	v = &d->v[d->n];
	memset(v, 0, sizeof(*v));
	return v;
}

static struct tel_value *
dict_slot(struct rte_tel_data *d, const char *name, int *err)
{
	struct tel_value *v;

	if (d->kind != TEL_DICT || name == NULL || name[0] == '\0' ||
			strlen(name) >= RTE_TEL_MAX_NAME_LEN) {
		*err = -EINVAL;
		return NULL;
	}
	v = slot_add(d, err);
	if (v != NULL)
		rte_strlcpy(v->name, name, sizeof(v->name));
	return v;
}

static struct tel_value *
array_slot(struct rte_tel_data *d, enum rte_tel_value_type type, int *err)
{
	if (d->kind != TEL_ARRAY || d->array_type != type) {
		*err = -EINVAL;
		return NULL;
	}
	return slot_add(d, err);
}

static int
set_string(struct rte_tel_data *d, struct tel_value *v, const char *s)
{
	int cut;

	v->type = RTE_TEL_STRING_VAL;
	v->s = copy_string(s != NULL ? s : "", &cut);
	if (v->s == NULL)
		return -ENOMEM;
	d->n++;
	return cut ? -E2BIG : 0;
}

static int
container_ok(const struct rte_tel_data *val)
{
	return val != NULL && (val->kind == TEL_DICT || val->kind == TEL_ARRAY);
}

int
rte_tel_data_add_dict_string(struct rte_tel_data *d, const char *name,
		const char *val)
{
	int err = 0;
	struct tel_value *v = dict_slot(d, name, &err);

	return v == NULL ? err : set_string(d, v, val);
}

int
rte_tel_data_add_dict_int(struct rte_tel_data *d, const char *name,
		int64_t val)
{
	int err = 0;
	struct tel_value *v = dict_slot(d, name, &err);

	if (v == NULL)
		return err;
	v->type = RTE_TEL_INT_VAL;
	v->i = val;
	d->n++;
	return 0;
}

int
rte_tel_data_add_dict_uint(struct rte_tel_data *d, const char *name,
		uint64_t val)
{
	int err = 0;
	struct tel_value *v = dict_slot(d, name, &err);

	if (v == NULL)
		return err;
	v->type = RTE_TEL_UINT_VAL;
	v->u = val;
	d->n++;
	return 0;
}

int
rte_tel_data_add_dict_container(struct rte_tel_data *d, const char *name,
		struct rte_tel_data *val, int keep)
{
	int err = 0;
	struct tel_value *v;

	(void)keep;
	if (!container_ok(val)) {
		rte_tel_data_free(val);
		return -EINVAL;
	}
	v = dict_slot(d, name, &err);
	if (v == NULL) {
		rte_tel_data_free(val);
		return err;
	}
	v->type = RTE_TEL_CONTAINER;
	v->c = val;
	d->n++;
	return 0;
}

int
rte_tel_data_add_array_string(struct rte_tel_data *d, const char *str)
{
	int err = 0;
	struct tel_value *v = array_slot(d, RTE_TEL_STRING_VAL, &err);

	return v == NULL ? err : set_string(d, v, str);
}

int
rte_tel_data_add_array_int(struct rte_tel_data *d, int64_t x)
{
	int err = 0;
	struct tel_value *v = array_slot(d, RTE_TEL_INT_VAL, &err);

	if (v == NULL)
		return err;
	v->type = RTE_TEL_INT_VAL;
	v->i = x;
	d->n++;
	return 0;
}

int
rte_tel_data_add_array_uint(struct rte_tel_data *d, uint64_t x)
{
	int err = 0;
	struct tel_value *v = array_slot(d, RTE_TEL_UINT_VAL, &err);

	if (v == NULL)
		return err;
	v->type = RTE_TEL_UINT_VAL;
	v->u = x;
	d->n++;
	return 0;
}

int
rte_tel_data_add_array_container(struct rte_tel_data *d,
		struct rte_tel_data *val, int keep)
{
	int err = 0;
	struct tel_value *v;

	(void)keep;
	if (!container_ok(val)) {
		rte_tel_data_free(val);
		return -EINVAL;
	}
	v = array_slot(d, RTE_TEL_CONTAINER, &err);
	if (v == NULL) {
		rte_tel_data_free(val);
		return err;
	}
	v->type = RTE_TEL_CONTAINER;
	v->c = val;
	d->n++;
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

struct json_out {
	char *buf;
	size_t len;
	size_t used;
	int full;
};

static void __rte_format_printf(2, 3)
out_printf(struct json_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->used)
		o->full = 1;
	else
		o->used += (size_t)n;
}

static void
out_string(struct json_out *o, const char *s)
{
	const unsigned char *p;

	out_printf(o, "\"");
	for (p = (const unsigned char *)s; *p != '\0' && !o->full; p++) {
		if (*p == '"' || *p == '\\')
			out_printf(o, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			out_printf(o, "\\u%04x", *p);
		else
			out_printf(o, "%c", *p);
	}
	out_printf(o, "\"");
}

static void out_data(struct json_out *o, const struct rte_tel_data *d);

static void
out_value(struct json_out *o, const struct tel_value *v)
{
	switch (v->type) {
	case RTE_TEL_STRING_VAL:
		out_string(o, v->s);
		break;
	case RTE_TEL_INT_VAL:
		out_printf(o, "%" PRId64, v->i);
		break;
	case RTE_TEL_UINT_VAL:
		out_printf(o, "%" PRIu64, v->u);
		break;
	case RTE_TEL_CONTAINER:
		out_data(o, v->c);
		break;
	}
}

static void
out_data(struct json_out *o, const struct rte_tel_data *d)
{
	unsigned int i;

	if (d == NULL || d->kind == TEL_NONE) {
		out_printf(o, "null");
		return;
	}
	if (d->kind == TEL_STRING) {
		out_string(o, d->str != NULL ? d->str : "");
		return;
	}
	out_printf(o, d->kind == TEL_DICT ? "{" : "[");
	for (i = 0; i < d->n; i++) {
		if (i > 0)
			out_printf(o, ",");
		if (d->kind == TEL_DICT) {
			out_string(o, d->v[i].name);
			out_printf(o, ":");
		}
		out_value(o, &d->v[i]);
	}
	out_printf(o, d->kind == TEL_DICT ? "}" : "]");
}

int
eal_tel_json(const struct rte_tel_data *d, char *buf, size_t len)
{
	struct json_out o = { buf, len, 0, 0 };

	if (len == 0)
		return -1;
	out_data(&o, d);
	if (o.full) {
		buf[0] = '\0';
		return -1;
	}
	return (int)o.used;
}

int
eal_tel_json_string(const char *s, char *buf, size_t len)
{
	struct json_out o = { buf, len, 0, 0 };

	if (len == 0)
		return -1;
	out_string(&o, s);
	return o.full ? -1 : (int)o.used;
}
