/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The DPDK-VFIO Authors
 */

/*
 * Our kernel/linux/uapi headers against reference headers: every struct
 * size, field offset/size, flag and ioctl number listed in
 * test_uapi_items.h must be equal. The reference is the system's headers
 * here (meson) or a kernel tree (devtools/check-uapi.sh builds this same
 * test against one). Lists the reference lacks are reported as skipped.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_uapi_items.h"

/* number of items that differ, each printed when list is not NULL */
static unsigned int
uapi_compare(const char *list, const struct uapi_item *ours, size_t nb_ours,
		const struct uapi_item *ref, size_t nb_ref)
{
	unsigned int bad = 0;
	size_t i;

	if (nb_ours != nb_ref) {
		if (list != NULL)
			printf("uapi %s: %zu items in ours, %zu in the reference\n",
				list, nb_ours, nb_ref);
		return 1;
	}
	for (i = 0; i < nb_ours; i++) {
		if (strcmp(ours[i].name, ref[i].name) != 0) {
			if (list != NULL)
				printf("uapi %s: item %zu is %s in ours, %s in the reference\n",
					list, i, ours[i].name, ref[i].name);
			bad++;
		} else if (ours[i].value != ref[i].value) {
			if (list != NULL)
				printf("uapi %s: %s = %#llx in ours, %#llx in %s\n",
					list, ours[i].name, ours[i].value,
					ref[i].value, uapi_ref.headers);
			bad++;
		}
	}
	return bad;
}

static void
check_list(const char *list, const struct uapi_item *ours, size_t nb_ours,
		const struct uapi_item *ref, size_t nb_ref, const char *lacks)
{
	unsigned int bad;

	if (nb_ref == 0) {
		printf("uapi %s: NOT CHECKED: %s lack %s; run devtools/check-uapi.sh with a kernel tree\n",
			list, uapi_ref.headers, lacks);
		skip();
	}
	bad = uapi_compare(list, ours, nb_ours, ref, nb_ref);
	printf("uapi %s: %zu items compared with %s, %u differ\n",
		list, nb_ours, uapi_ref.headers, bad);
	assert_int_equal(bad, 0);
}

static void
test_vfio(void **state)
{
	(void)state;
	check_list("vfio.h", uapi_ours.vfio, uapi_ours.nb_vfio,
		uapi_ref.vfio, uapi_ref.nb_vfio, "<linux/vfio.h>");
}

static void
test_vfio_cdev(void **state)
{
	(void)state;
	check_list("vfio.h cdev", uapi_ours.vfio_cdev, uapi_ours.nb_vfio_cdev,
		uapi_ref.vfio_cdev, uapi_ref.nb_vfio_cdev,
		"the VFIO device cdev and padding of Linux >= 6.6");
}

static void
test_iommufd(void **state)
{
	(void)state;
	check_list("iommufd.h", uapi_ours.iommufd, uapi_ours.nb_iommufd,
		uapi_ref.iommufd, uapi_ref.nb_iommufd,
		"<linux/iommufd.h> (Linux >= 6.2)");
}

static void
test_linux73(void **state)
{
	(void)state;
	check_list("vfio.h/iommufd.h 7.3", uapi_ours.linux73,
		uapi_ours.nb_linux73, uapi_ref.linux73, uapi_ref.nb_linux73,
		"the PASID attach, cdev VF token and no-IOMMU GET_PA of Linux >= 7.3");
}

/* the comparison itself finds a changed value and a renamed item */
static void
test_compare_detects(void **state)
{
	struct uapi_item copy[3];

	(void)state;
	assert_true(uapi_ours.nb_vfio >= 3);
	memcpy(copy, uapi_ours.vfio, sizeof(copy));
	assert_int_equal(uapi_compare(NULL, uapi_ours.vfio, 3, copy, 3), 0);
	copy[1].value++;
	assert_int_equal(uapi_compare(NULL, uapi_ours.vfio, 3, copy, 3), 1);
	copy[2].name = "renamed";
	assert_int_equal(uapi_compare(NULL, uapi_ours.vfio, 3, copy, 3), 2);
	assert_int_equal(uapi_compare(NULL, uapi_ours.vfio, 3, copy, 2), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_detects),
		cmocka_unit_test(test_vfio),
		cmocka_unit_test(test_linux73),
		cmocka_unit_test(test_vfio_cdev),
		cmocka_unit_test(test_iommufd),
	};

	printf("uapi: reference headers: %s\n", uapi_ref.headers);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
