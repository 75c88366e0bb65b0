/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/* Rows of results and their output: tables on stdout, CSV or JSON. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf.h"

#define MAX_ROWS 1024
#define MAX_SECTIONS 16
#define MAX_HEADERS 16

static struct perf_row rows[MAX_ROWS];
static unsigned int n_rows;
static unsigned int n_failed;

static struct {
	const char *section;
	char title[160];
} sections[MAX_SECTIONS];
static unsigned int n_sections;

static struct {
	const char *key;
	char value[160];
} headers[MAX_HEADERS];
static unsigned int n_headers;

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
perf_median(double *v, unsigned int n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const char *
perf_size_str(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	unsigned int u = 0;

	if (bytes == 0 || bytes % 1024 != 0) {
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
		return buf;
	}
	bytes /= 1024;
	while (bytes % 1024 == 0 && u + 1 < sizeof(units) - 1) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu%c", (unsigned long long)bytes, units[u]);
	return buf;
}

void
perf_report_header(const char *key, const char *fmt, ...)
{
	va_list ap;

	if (n_headers == MAX_HEADERS)
		return;
	headers[n_headers].key = key;
	va_start(ap, fmt);
	vsnprintf(headers[n_headers].value, sizeof(headers[0].value), fmt, ap);
	va_end(ap);
	n_headers++;
}

void
perf_report_section(const char *section, const char *title)
{
	unsigned int i;

	for (i = 0; i < n_sections; i++)
		if (strcmp(sections[i].section, section) == 0)
			break;
	if (i == MAX_SECTIONS)
		return;
	if (i == n_sections)
		n_sections++;
	sections[i].section = section;
	snprintf(sections[i].title, sizeof(sections[i].title), "%s", title);
}

/* a section seen for the first time keeps its place, titled by its name */
static void
section_declare(const char *section)
{
	unsigned int i;

	for (i = 0; i < n_sections; i++)
		if (strcmp(sections[i].section, section) == 0)
			return;
	perf_report_section(section, section);
}

void
perf_report_add(const struct perf_row *row)
{
	if (row->failed)
		n_failed++;
	if (n_rows == MAX_ROWS) {
		fprintf(stderr, "vfio-perf: more than %d results, dropping %s/%s\n",
			MAX_ROWS, row->section, row->name);
		return;
	}
	rows[n_rows++] = *row;
	section_declare(row->section);
}

static void __attribute__((format(printf, 5, 0)))
report_nomeasure(const char *section, const char *name, const char *params,
		bool failed, const char *fmt, va_list ap)
{
	struct perf_row r = {
		.section = section,
		.total_ns = -1,
		.base_total_ns = -1,
		.failed = failed,
	};

	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.params, sizeof(r.params), "%s", params);
	vsnprintf(r.note, sizeof(r.note), fmt, ap);
	perf_report_add(&r);
}

void
perf_report_fail(const char *section, const char *name, const char *params,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_nomeasure(section, name, params, true, fmt, ap);
	va_end(ap);
}

void
perf_report_row(const char *section, const char *name, const char *params,
		uint64_t ops, double ns, double bare_ns, const char *note)
{
	struct perf_row r = {
		.section = section,
		.ops = ops,
		.total_ns = ns,
		.base_total_ns = bare_ns,
	};

	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.params, sizeof(r.params), "%s", params);
	snprintf(r.note, sizeof(r.note), "%s", note);
	perf_report_add(&r);
}

void
perf_report_skip(const char *section, const char *name, const char *params,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_nomeasure(section, name, params, false, fmt, ap);
	va_end(ap);
}

unsigned int
perf_report_failures(void)
{
	return n_failed;
}

/* ---- table ----------------------------------------------------------------- */

static double
per_op(double total, uint64_t ops)
{
	return total < 0 || ops == 0 ? -1 : total / (double)ops;
}

static void
print_num(double v, int width, int prec)
{
	if (v < 0)
		printf(" %*s", width, "-");
	else
		printf(" %*.*f", width, prec, v);
}

static void
print_section(unsigned int s)
{
	unsigned int i;
	bool any_base = false;

	for (i = 0; i < n_rows; i++)
		if (rows[i].section == sections[s].section &&
				rows[i].base_total_ns >= 0)
			any_base = true;
	printf("\n== %s ==\n", sections[s].title);
	printf("%-26s %-18s %8s %11s %11s", "case", "parameters", "ops",
		"total ms", "us/op");
	if (any_base)
		printf(" %11s %11s %7s", "bare ms", "bare us/op", "ratio");
	printf("  %s\n", "note");
	for (i = 0; i < n_rows; i++) {
		const struct perf_row *r = &rows[i];

		if (r->section != sections[s].section)
			continue;
		printf("%-26s %-18s %8llu", r->name, r->params,
			(unsigned long long)r->ops);
		print_num(r->total_ns < 0 ? -1 : r->total_ns / 1e6, 11, 3);
		print_num(per_op(r->total_ns, r->ops) < 0 ? -1 :
			per_op(r->total_ns, r->ops) / 1e3, 11, 3);
		if (any_base) {
			print_num(r->base_total_ns < 0 ? -1 :
				r->base_total_ns / 1e6, 11, 3);
			print_num(per_op(r->base_total_ns, r->ops) < 0 ? -1 :
				per_op(r->base_total_ns, r->ops) / 1e3, 11, 3);
			print_num(r->total_ns < 0 || r->base_total_ns <= 0 ? -1 :
				r->total_ns / r->base_total_ns, 7, 2);
		}
		printf("  %s%s\n", r->failed ? "FAILED: " : "", r->note);
	}
}

void
perf_report_print_table(void)
{
	unsigned int i;

	for (i = 0; i < n_headers; i++)
		printf("%-12s %s\n", headers[i].key, headers[i].value);
	for (i = 0; i < n_sections; i++)
		print_section(i);
	if (n_failed > 0)
		printf("\n%u case(s) FAILED (see the notes above and the log)\n",
			n_failed);
}

/* ---- CSV / JSON ----------------------------------------------------------- */

static void
csv_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
num_or_null(FILE *f, double v, const char *null)
{
	if (v < 0)
		fputs(null, f);
	else
		fprintf(f, "%.1f", v);
}

static void
write_csv(FILE *f)
{
	unsigned int i;

	fputs("section,case,parameters,ops,total_ns,ns_per_op,bare_total_ns,bare_ns_per_op,ratio,failed,note\n",
		f);
	for (i = 0; i < n_rows; i++) {
		const struct perf_row *r = &rows[i];

		csv_str(f, r->section);
		fputc(',', f);
		csv_str(f, r->name);
		fputc(',', f);
		csv_str(f, r->params);
		fprintf(f, ",%llu,", (unsigned long long)r->ops);
		num_or_null(f, r->total_ns, "");
		fputc(',', f);
		num_or_null(f, per_op(r->total_ns, r->ops), "");
		fputc(',', f);
		num_or_null(f, r->base_total_ns, "");
		fputc(',', f);
		num_or_null(f, per_op(r->base_total_ns, r->ops), "");
		fputc(',', f);
		if (r->total_ns >= 0 && r->base_total_ns > 0)
			fprintf(f, "%.3f", r->total_ns / r->base_total_ns);
		fprintf(f, ",%d,", r->failed ? 1 : 0);
		csv_str(f, r->note);
		fputc('\n', f);
	}
}

static void
write_json(FILE *f)
{
	unsigned int i;

	fputs("{\n  \"run\": {", f);
	for (i = 0; i < n_headers; i++) {
		fprintf(f, "%s\n    ", i == 0 ? "" : ",");
		json_str(f, headers[i].key);
		fputs(": ", f);
		json_str(f, headers[i].value);
	}
	fputs("\n  },\n  \"results\": [", f);
	for (i = 0; i < n_rows; i++) {
		const struct perf_row *r = &rows[i];

		fprintf(f, "%s\n    {\"section\": ", i == 0 ? "" : ",");
		json_str(f, r->section);
		fputs(", \"case\": ", f);
		json_str(f, r->name);
		fputs(", \"parameters\": ", f);
		json_str(f, r->params);
		fprintf(f, ", \"ops\": %llu, \"total_ns\": ",
			(unsigned long long)r->ops);
		num_or_null(f, r->total_ns, "null");
		fputs(", \"ns_per_op\": ", f);
		num_or_null(f, per_op(r->total_ns, r->ops), "null");
		fputs(", \"bare_total_ns\": ", f);
		num_or_null(f, r->base_total_ns, "null");
		fputs(", \"bare_ns_per_op\": ", f);
		num_or_null(f, per_op(r->base_total_ns, r->ops), "null");
		fputs(", \"ratio\": ", f);
		if (r->total_ns >= 0 && r->base_total_ns > 0)
			fprintf(f, "%.3f", r->total_ns / r->base_total_ns);
		else
			fputs("null", f);
		fprintf(f, ", \"failed\": %s, \"note\": ",
			r->failed ? "true" : "false");
		json_str(f, r->note);
		fputc('}', f);
	}
	fputs("\n  ]\n}\n", f);
}

int
perf_report_write(const char *format, const char *path)
{
	bool to_stdout = path == NULL || strcmp(path, "-") == 0;
	FILE *f = to_stdout ? stdout : fopen(path, "w");
	int ret = 0;

	if (f == NULL) {
		fprintf(stderr, "vfio-perf: cannot open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (strcmp(format, "csv") == 0)
		write_csv(f);
	else
		write_json(f);
	if (fflush(f) != 0) {
		fprintf(stderr, "vfio-perf: cannot write %s: %s\n",
			to_stdout ? "stdout" : path, strerror(errno));
		ret = -1;
	}
	if (!to_stdout && fclose(f) != 0 && ret == 0) {
		fprintf(stderr, "vfio-perf: cannot write %s: %s\n", path,
			strerror(errno));
		ret = -1;
	}
	return ret;
}
