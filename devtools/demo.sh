#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# The demo: install what is needed, build, boot the test VM once per VFIO
# mode (group, noiommu, cdev on Linux 6.12; noiommu-cdev on Linux 7.3, the
# first kernel with it) and run dpdk-edu-demo in it: DMA to and from QEMU
# edu devices, verified byte by byte, with an interrupt round trip, in a
# primary and a secondary process. See doc/guides/howto/demo.rst.
# Modes can be chosen with DPDK_DEMO_MODES="group cdev".
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH=/usr/bin:$PATH # Debian's python3 for meson, not a pyenv one

packages="meson ninja-build pkg-config gcc libcmocka-dev libnuma-dev
	qemu-system-x86 busybox-static linux-source-6.12 build-essential bc
	bison flex libelf-dev libssl-dev cpio xz-utils kmod"
missing=""
for p in $packages; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "demo: missing packages:$missing (run as root)" >&2; exit 1; }
	echo "installing:$missing"
	apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

step() { printf '\n==== %s\n' "$*"; }

step "build"
[ -d build ] || meson setup build
ninja -C build
demo=build/app/edu-demo/dpdk-edu-demo
[ -x "$demo" ] || { echo "demo: $demo was not built" >&2; exit 1; }

modes=${DPDK_DEMO_MODES:-group noiommu cdev noiommu-cdev}
declare -A result
failed=0
for mode in $modes; do
	step "mode $mode: edu DMA in the VM (primary, then a secondary)"
	# the edu devices as QEMU makes them by default: 28-bit DMA mask; the
	# driver remaps its buffers low behind the vIOMMU
	vm_args=(--mode "$mode" --edu 2 --edu-dma-mask 0xfffffff --bin "$demo")
	# no-IOMMU cdev needs Linux 7.3
	[ "$mode" = noiommu-cdev ] && vm_args+=(--kernel-version 7.3)
	# no IOMMU: buffers are used at their physical address, which must be
	# below the mask: keep all of the guest's RAM there
	case $mode in
	noiommu*) vm_args+=(--mem 256 --hugepages 32) ;;
	esac
	if devtools/vm/run.sh "${vm_args[@]}" -- \
			dpdk-edu-demo --vfio-mode="$mode" -- --with-secondary; then
		result[$mode]=ok
	else
		result[$mode]="FAILED (status $?)"
		failed=1
	fi
done

step "summary"
for mode in $modes; do
	printf '  %-12s %s\n' "$mode" "${result[$mode]}"
done
exit $failed
