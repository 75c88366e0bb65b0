#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Install a build into a staging directory and build an application the
# way users do: cc app.c $(pkg-config --cflags --libs libdpdk); then run it.
# Usage: devtools/check-pkgconfig.sh [BUILD_DIR]
set -euo pipefail

build=${1:-build}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --destdir "$stage" --quiet
prefix=$(meson introspect "$build" --buildoptions |
	/usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
pcdir=$(dirname "$(find "$stage$prefix" -name libdpdk.pc | head -n 1)")
[ -n "$pcdir" ] || { echo "libdpdk.pc was not installed" >&2; exit 1; }

cat > "$stage/app.c" <<'APP'
#include <stdio.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

int
main(int argc, char **argv)
{
	void *p;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	p = rte_malloc(NULL, 4096, 64);
	printf("malloc %s, IOVA mode %d\n", p != NULL ? "ok" : "failed",
		(int)rte_eal_iova_mode());
	rte_free(p);
	return rte_eal_cleanup() == 0 && p != NULL ? 0 : 1;
}
APP

# the .pc file names the final prefix: point a copy at the staging tree
mkdir "$stage/pc"
sed "s|^prefix=.*|prefix=$stage$prefix|" "$pcdir/libdpdk.pc" > "$stage/pc/libdpdk.pc"
export PKG_CONFIG_PATH=$stage/pc
flags=$(pkg-config --cflags --libs libdpdk)
echo "pkg-config --cflags --libs libdpdk: $flags"
# shellcheck disable=SC2086
cc -Wall -Werror -o "$stage/app" "$stage/app.c" $flags
libdir=$(pkg-config --variable=libdir libdpdk)
LD_LIBRARY_PATH=$libdir "$stage/app" --no-huge -m 16 --no-pci --in-memory
echo "application built with pkg-config and ran"
