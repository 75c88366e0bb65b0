/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * An application built the way users do, against the installed tree:
 *   cc app.c $(pkg-config --cflags --libs libdpdk)
 * Arguments after "--" name what must be there after rte_eal_init():
 * "bus:<name>" a registered bus, "log:<name>" a registered log type (each
 * driver registers one), "edu-dma" a DMA round trip through every edu
 * device probed (built with -DAPP_EDU_DMA only: without it the
 * application references no driver symbol, which is the point).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_malloc.h>
#ifdef APP_EDU_DMA
#include <rte_edu.h>
#endif

#define PATTERN_LEN 256

static int
has_log_type(const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int found;

	if (f == NULL)
		return 0;
	rte_log_dump(f);
	fclose(f);
	found = buf != NULL && strstr(buf, name) != NULL;
	free(buf);
	return found;
}

#ifdef APP_EDU_DMA
static int
edu_round_trip(void)
{
	struct rte_edu_buf buf;
	unsigned int i, n = rte_edu_count();
	uint8_t *p;
	int j, ret = 0;

	if (n == 0) {
		fprintf(stderr, "no edu device probed\n");
		return -1;
	}
	for (i = 0; i < n && ret == 0; i++) {
		struct rte_edu *edu = rte_edu_get(i);

		if (rte_edu_buf_alloc(edu, 2 * PATTERN_LEN, &buf) != 0) {
			fprintf(stderr, "%s: buffer: %s\n", rte_edu_name(edu),
				rte_strerror(rte_errno));
			return -1;
		}
		p = buf.addr;
		for (j = 0; j < PATTERN_LEN; j++) {
			p[j] = (uint8_t)(j * 7 + i);
			p[PATTERN_LEN + j] = 0;
		}
		if (rte_edu_dma(edu, buf.iova, 0, PATTERN_LEN, 0,
				RTE_EDU_WAIT_POLL) != 0 ||
				rte_edu_dma(edu, buf.iova + PATTERN_LEN, 0,
				PATTERN_LEN, 1, RTE_EDU_WAIT_POLL) != 0) {
			fprintf(stderr, "%s: DMA: %s\n", rte_edu_name(edu),
				rte_strerror(rte_errno));
			ret = -1;
		} else if (memcmp(p, p + PATTERN_LEN, PATTERN_LEN) != 0) {
			fprintf(stderr, "%s: DMA returned other bytes\n",
				rte_edu_name(edu));
			ret = -1;
		} else {
			printf("%s: %d bytes RAM -> device -> RAM intact\n",
				rte_edu_name(edu), PATTERN_LEN);
		}
		rte_edu_buf_free(edu, &buf);
	}
	return ret;
}
#endif

int
main(int argc, char **argv)
{
	int i, n, failed = 0;
	void *p;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	p = rte_malloc(NULL, 4096, 64);
	printf("malloc %s, IOVA mode %d\n", p != NULL ? "ok" : "failed",
		(int)rte_eal_iova_mode());
	failed |= p == NULL;
	rte_free(p);
	for (i = n + 1; i < argc; i++) {
		int ok;

		if (strncmp(argv[i], "bus:", 4) == 0)
			ok = rte_bus_find_by_name(argv[i] + 4) != NULL;
		else if (strncmp(argv[i], "log:", 4) == 0)
			ok = has_log_type(argv[i] + 4);
#ifdef APP_EDU_DMA
		else if (strcmp(argv[i], "edu-dma") == 0)
			ok = edu_round_trip() == 0;
#endif
		else
			ok = 0;
		printf("%s: %s\n", argv[i], ok ? "present" : "MISSING");
		failed |= !ok;
	}
	if (rte_eal_cleanup() != 0)
		failed = 1;
	return failed ? 1 : 0;
}
