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
# usage: devtools/check-uapi.sh [KERNEL_TREE]
# Default tree: the one devtools/vm/build-kernel.sh unpacked in its cache.
# Every list must be compared: a tree lacking one of the headers fails.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

die()
{
	echo "check-uapi: ERROR: $*" >&2
	exit 1
}

tree=${1:-}
if [ -z "$tree" ]; then
	# shellcheck source=devtools/vm/common.sh
	. "$top/devtools/vm/common.sh"
	vm_init_cache
	version=$(vm_source_version)
	[ -n "$version" ] || die "no kernel tree given and $VM_SRC_PKG is not installed"
	tree=$VM_CACHE/src/$version/$VM_SRC_PKG
fi
for h in vfio.h iommufd.h; do
	[ -f "$tree/include/uapi/linux/$h" ] ||
		die "$tree/include/uapi/linux/$h not found (give a kernel tree >= 6.6)"
done

cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# only these two headers from the tree; linux/types.h etc. from the system
mkdir -p "$tmp/inc/linux"
cp "$tree/include/uapi/linux/vfio.h" "$tree/include/uapi/linux/iommufd.h" \
	"$tmp/inc/linux/"

unit=$top/app/test/unit
cflags=(-std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE)
# __user is stripped by "make headers_install"; do the same here
"$cc" "${cflags[@]}" -D__user= -I"$tmp/inc" \
	-DUAPI_REF_HEADERS="\"$tree/include/uapi\"" -DUAPI_REF_HAS_IOMMUFD=1 \
	-c "$unit/test_uapi_ref.c" -o "$tmp/ref.o"
"$cc" "${cflags[@]}" -I"$top/kernel/linux/uapi" \
	"$unit/test_uapi.c" "$unit/test_uapi_ours.c" "$tmp/ref.o" \
	-lcmocka -o "$tmp/check-uapi"

"$tmp/check-uapi" | tee "$tmp/log"
if grep -q 'NOT CHECKED' "$tmp/log"; then
	die "some lists were not compared with $tree"
fi
echo "check-uapi: kernel/linux/uapi matches $tree"
