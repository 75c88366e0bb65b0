#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Compare our kernel/linux/uapi headers with a kernel source tree's
# include/uapi/linux/vfio.h and iommufd.h: builds the unit-uapi test
# (app/test/unit/test_uapi*.c) with the tree's headers as the reference
# and runs it. The meson unit test compares with the system headers,
# which may lack iommufd.h; this script covers it whenever a tree exists.
#
# usage: devtools/check-uapi.sh [KERNEL_TREE...]
# Default trees: those devtools/vm/build-kernel.sh unpacked in its cache,
# one per guest kernel (6.12 and 7.3: 7.3 has IOMMU_IOAS_NOIOMMU_GET_PA and
# the cdev VF token flag, which 6.12 lacks). Every list must be compared:
# a tree lacking one of the headers fails, and so does finding no tree.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

die()
{
	echo "check-uapi: ERROR: $*" >&2
	exit 1
}

trees=("$@")
if [ ${#trees[@]} -eq 0 ]; then
	# shellcheck source=devtools/vm/common.sh
	. "$top/devtools/vm/common.sh"
	vm_init_cache
	for k in $VM_KERNELS; do
		vm_select_kernel "$k"
		[ -n "$(vm_source_version)" ] && [ -d "$(vm_source_dir)" ] ||
			die "no $VM_SRC_PKG tree unpacked in $VM_CACHE (run devtools/vm/build-kernel.sh --kernel-version $k)"
		trees+=("$(vm_source_dir)")
	done
fi

cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unit=$top/app/test/unit
cflags=(-std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE)

check_tree()
{
	local tree=$1 h
	for h in vfio.h iommufd.h; do
		[ -f "$tree/include/uapi/linux/$h" ] ||
			die "$tree/include/uapi/linux/$h not found (give a kernel tree >= 6.6)"
	done
	rm -rf "$tmp/inc" "$tmp/ref.o" "$tmp/check-uapi"
	# only these two headers from the tree; linux/types.h etc. from the system
	mkdir -p "$tmp/inc/linux"
	cp "$tree/include/uapi/linux/vfio.h" "$tree/include/uapi/linux/iommufd.h" \
		"$tmp/inc/linux/"
	# __user is stripped by "make headers_install"; do the same here, and
	# for __counted_by (Linux 7.3), which older system headers lack
	"$cc" "${cflags[@]}" -D__user= -D'__counted_by(m)=' -I"$tmp/inc" \
		-DUAPI_REF_HEADERS="\"$tree/include/uapi\"" -DUAPI_REF_HAS_IOMMUFD=1 \
		-c "$unit/test_uapi_ref.c" -o "$tmp/ref.o"
	"$cc" "${cflags[@]}" -I"$top/kernel/linux/uapi" \
		"$unit/test_uapi.c" "$unit/test_uapi_ours.c" "$tmp/ref.o" \
		-lcmocka -o "$tmp/check-uapi"
	"$tmp/check-uapi" | tee "$tmp/log"
	sed -n 's/^uapi \(.*\): NOT CHECKED.*/\1/p' "$tmp/log" >>"$tmp/unchecked"
	sed -n 's/^uapi \(.*\): [0-9]* items compared.*/\1/p' "$tmp/log" >>"$tmp/checked"
	echo "check-uapi: kernel/linux/uapi matches $tree"
}

: >"$tmp/unchecked"
: >"$tmp/checked"
for t in "${trees[@]}"; do
	check_tree "$t"
done
# a list an older tree lacks must be compared with a newer one
missing=$(sort -u "$tmp/unchecked" | comm -23 - <(sort -u "$tmp/checked"))
[ -z "$missing" ] || die "lists compared with no tree: $(echo $missing)"
echo "check-uapi: every list compared (trees: ${#trees[@]})"
