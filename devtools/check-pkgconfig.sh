#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Install a build into a staging directory and build an application the
# way users do: cc app.c $(pkg-config --cflags --libs libdpdk) (shared) or
# libdpdk-static (--static); then run it with -a <PCI address> and check
# that the drivers it never references are there (buses and their log
# types): a linker that dropped them fails with "no bus recognises".
# --out DIR also leaves DIR/app-edu (shared, with the edu DMA check) and
# DIR/lib (its libraries) for the VM test (devtools/check-pkgconfig-vm.sh).
# Usage: devtools/check-pkgconfig.sh [--static] [--out DIR] [BUILD_DIR]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
pc=libdpdk
out=
while [ $# -gt 0 ]; do
	case $1 in
	--static) pc=libdpdk-static ;;
	--out) out=$2; shift ;;
	-*) echo "$0: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
build=${1:-build}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --destdir "$stage" --quiet
prefix=$(meson introspect "$build" --buildoptions |
	/usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
pcdir=$(dirname "$(find "$stage$prefix" -name libdpdk.pc | head -n 1)")
[ -f "$pcdir/$pc.pc" ] || { echo "$pc.pc was not installed" >&2; exit 1; }

# the .pc files name the final prefix: point copies at the staging tree
mkdir "$stage/pc"
for f in "$pcdir"/libdpdk*.pc; do
	sed "s|^prefix=.*|prefix=$stage$prefix|" "$f" > "$stage/pc/$(basename "$f")"
done
export PKG_CONFIG_PATH=$stage/pc
libdir=$(pkg-config --variable=libdir libdpdk)
flags=$(pkg-config --cflags --libs $pc)
echo "pkg-config --cflags --libs $pc: $flags"
# shellcheck disable=SC2086
cc -Wall -Werror -o "$stage/app" "$top/devtools/pkgconfig-app/app.c" $flags

if [ $pc = libdpdk-static ]; then
	! ldd "$stage/app" | grep -q librte_ ||
		{ echo "static application needs shared DPDK libraries:" >&2; ldd "$stage/app" >&2; exit 1; }
fi

# what must be there: every installed driver's bus or log type
expect=()
[ -e "$libdir/librte_bus_pci.a" ] && expect+=(bus:pci log:bus.pci)
[ -e "$libdir/librte_bus_fslmc.a" ] && expect+=(bus:fslmc log:bus.fslmc)
[ -e "$libdir/librte_dma_edu.a" ] && expect+=(log:dma.edu)
# an empty PCI sysfs: the allowed device is absent, but some bus must
# parse its address for rte_eal_init() to succeed
mkdir "$stage/no-pci"
dev=()
[ -e "$libdir/librte_bus_pci.a" ] && dev=(-a 0000:00:1f.7)
SYSFS_PCI_DEVICES=$stage/no-pci LD_LIBRARY_PATH=$libdir "$stage/app" \
	--no-huge -m 16 --in-memory "${dev[@]}" -- "${expect[@]}"
echo "application built with pkg-config ($pc) and ran with its drivers"

if [ -n "$out" ]; then
	mkdir -p "$out"
	flags=$(pkg-config --cflags --libs libdpdk)
	# shellcheck disable=SC2086
	cc -Wall -Werror -DAPP_EDU_DMA -o "$out/app-edu" \
		"$top/devtools/pkgconfig-app/app.c" $flags
	rm -rf "$out/lib"
	cp -a "$libdir" "$out/lib"
	echo "left $out/app-edu and $out/lib"
fi
