/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * The lane table (app/test/vfio_lanes.h) is the only definition of the
 * lanes: the VM suite's lists in devtools/vm/meson.build (given as the
 * argument: lanes, their --vfio-mode, kernels, IOMMU lanes) must say the
 * same, the IOMMU-only registration must list the
 * lanes that have the capability, and the conformance scenarios must know
 * every VM lane.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/vfio_conformance.h"
#include "test_vfio_env.h"

#define LINE_MAX_LEN 512

static const char *vm_meson;

/*
 * The lines between "<var> = {" and the closing "}" of the VM meson file,
 * each reduced to its words (quotes, brackets, colons and commas are
 * separators): "'6.12': ['group', 'cdev']," gives "6.12 group cdev".
 */
static unsigned int
read_dict(const char *var, char out[][LINE_MAX_LEN], unsigned int max)
{
	char line[LINE_MAX_LEN], start[128];
	unsigned int n = 0;
	bool in = false;
	FILE *f;

	snprintf(start, sizeof(start), "%s = {", var);
	f = fopen(vm_meson, "r");
	if (f == NULL)
		fail_msg("cannot open %s", vm_meson);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *w, *save = NULL, *o;

		if (!in) {
			in = strncmp(line, start, strlen(start)) == 0;
			continue;
		}
		if (line[0] == '}')
			break;
		if (n == max)
			fail_msg("%s: more than %u entries", var, max);
		o = out[n];
		o[0] = '\0';
		for (w = strtok_r(line, " \t'\":,[]\n", &save); w != NULL;
				w = strtok_r(NULL, " \t'\":,[]\n", &save)) {
			if (w[0] == '#')
				break;
			if (o[0] != '\0')
				strcat(o, " ");
			strcat(o, w);
		}
		if (o[0] != '\0')
			n++;
	}
	fclose(f);
	if (!in)
		fail_msg("%s: no \"%s\" line", vm_meson, start);
	return n;
}

/* The words of the one-line list "<var> = ['a', 'b']": "a b". */
static void
read_list(const char *var, char *out, size_t len)
{
	char line[LINE_MAX_LEN], start[128], *w, *save = NULL;
	bool found = false;
	FILE *f;

	snprintf(start, sizeof(start), "%s = [", var);
	f = fopen(vm_meson, "r");
	if (f == NULL)
		fail_msg("cannot open %s", vm_meson);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strncmp(line, start, strlen(start)) == 0;
	fclose(f);
	if (!found)
		fail_msg("%s: no \"%s\" line", vm_meson, start);
	out[0] = '\0';
	for (w = strtok_r(line + strlen(start), " \t',]\n", &save); w != NULL;
			w = strtok_r(NULL, " \t',]\n", &save)) {
		if (out[0] != '\0')
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, w, len - strlen(out) - 1);
	}
}

static bool
has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while (p != NULL && (p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
				(p[len] == ' ' || p[len] == '\0'))
			return true;
		p += len;
	}
	return false;
}

/* vm_lane_mode: each VM lane and its --vfio-mode, nothing else */
static void
test_vm_lane_modes_match_the_table(void **state)
{
	char got[16][LINE_MAX_LEN], want[LINE_MAX_LEN];
	unsigned int n, i, k = 0;

	(void)state;
	n = read_dict("vm_lane_mode", got, RTE_DIM(got));
	for (i = 0; i < VFIO_NB_LANES; i++) {
		const struct vfio_mode_case *m = &vfio_mode_cases[i];

		if (m->vm_kernels == NULL)
			continue;
		snprintf(want, sizeof(want), "%s %s", m->name, m->vfio_mode);
		if (k >= n || strcmp(got[k], want) != 0)
			fail_msg("vm_lane_mode entry %u: \"%s\", the table says \"%s\"",
				k, k < n ? got[k] : "(none)", want);
		k++;
	}
	if (k != n)
		fail_msg("vm_lane_mode has %u lanes, the table %u", n, k);
}

/* vm_kernel_lanes: per kernel, the lanes whose row names it, in order */
static void
test_vm_kernel_lanes_match_the_table(void **state)
{
	char got[8][LINE_MAX_LEN], want[LINE_MAX_LEN], kver[32];
	unsigned int n, i, k;

	(void)state;
	n = read_dict("vm_kernel_lanes", got, RTE_DIM(got));
	assert_true(n > 0);
	for (k = 0; k < n; k++) {
		assert_int_equal(sscanf(got[k], "%31s", kver), 1);
		snprintf(want, sizeof(want), "%s", kver);
		for (i = 0; i < VFIO_NB_LANES; i++) {
			const struct vfio_mode_case *m = &vfio_mode_cases[i];

			if (m->vm_kernels != NULL &&
					has_word(m->vm_kernels, kver)) {
				strcat(want, " ");
				strcat(want, m->name);
			}
		}
		if (strcmp(got[k], want) != 0)
			fail_msg("vm_kernel_lanes: \"%s\", the table says \"%s\"",
				got[k], want);
	}
	/* and no row names a kernel the VM suite does not boot */
	for (i = 0; i < VFIO_NB_LANES; i++) {
		const char *list = vfio_mode_cases[i].vm_kernels;
		char words[LINE_MAX_LEN], *w, *save = NULL;
		bool found;

		if (list == NULL)
			continue;
		snprintf(words, sizeof(words), "%s", list);
		for (w = strtok_r(words, " ", &save); w != NULL;
				w = strtok_r(NULL, " ", &save)) {
			found = false;
			for (k = 0; k < n; k++)
				found = found || (strncmp(got[k], w, strlen(w)) == 0 &&
					got[k][strlen(w)] == ' ');
			if (!found)
				fail_msg("lane %s names kernel %s, not in vm_kernel_lanes",
					vfio_mode_cases[i].name, w);
		}
	}
}

/* vm_iommu_lanes: the VM lanes with RTE_VFIO_CAP_IOMMU, in order */
static void
test_vm_iommu_lanes_match_the_caps(void **state)
{
	char got[LINE_MAX_LEN], want[LINE_MAX_LEN] = "";
	unsigned int i;

	(void)state;
	read_list("vm_iommu_lanes", got, sizeof(got));
	for (i = 0; i < VFIO_NB_LANES; i++) {
		const struct vfio_mode_case *m = &vfio_mode_cases[i];

		if (m->vm_kernels == NULL || !env_iommu(m))
			continue;
		if (want[0] != '\0')
			strcat(want, " ");
		strcat(want, m->name);
	}
	if (strcmp(got, want) != 0)
		fail_msg("vm_iommu_lanes: \"%s\", the table says \"%s\"", got,
			want);
}

static void
dummy(void **state)
{
	(void)state;
}

/* VFIO_IOMMU_MODES lists exactly the lanes with RTE_VFIO_CAP_IOMMU */
static void
test_iommu_registration_follows_the_caps(void **state)
{
	const struct CMUnitTest reg[] = { VFIO_IOMMU_MODES(dummy) };
	bool listed[VFIO_NB_LANES] = { false };
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(reg); i++) {
		const struct vfio_mode_case *m = reg[i].initial_state;

		listed[m - vfio_mode_cases] = true;
	}
	for (i = 0; i < VFIO_NB_LANES; i++)
		if (listed[i] != env_iommu(&vfio_mode_cases[i]))
			fail_msg("lane %s: %s VFIO_IOMMU_MODES but caps %#" PRIx64,
				vfio_mode_cases[i].name,
				listed[i] ? "in" : "not in",
				vfio_mode_cases[i].caps);
}

/* vfio_conformance_autotest looks its scenarios up by the VM lane name */
static void
test_conformance_knows_every_vm_lane(void **state)
{
	enum conf_mode mode;
	unsigned int i;

	(void)state;
	for (i = 0; i < VFIO_NB_LANES; i++)
		if (vfio_mode_cases[i].vm_kernels != NULL &&
				conf_mode_parse(vfio_mode_cases[i].name,
					&mode) != 0)
			fail_msg("no conformance scenarios for lane %s",
				vfio_mode_cases[i].name);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_lane_modes_match_the_table),
		cmocka_unit_test(test_vm_kernel_lanes_match_the_table),
		cmocka_unit_test(test_vm_iommu_lanes_match_the_caps),
		cmocka_unit_test(test_iommu_registration_follows_the_caps),
		cmocka_unit_test(test_conformance_knows_every_vm_lane),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s devtools/vm/meson.build\n", argv[0]);
		return EXIT_FAILURE;
	}
	vm_meson = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
