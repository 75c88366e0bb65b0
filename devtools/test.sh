#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Install what the tests need, build, and run every test suite:
#   unit      cmocka tests against the fake kernel
#   autotest  dpdk-test autotests on this machine
#   vm        real-kernel tests in a QEMU VM, one per (suite x VFIO mode)
#   uapi      kernel/linux/uapi against the VM kernel tree (devtools/check-uapi.sh)
# then the same unit suite under AddressSanitizer + UBSan, and a clang build.
# The build matrix: gcc debug (build/, debugoptimized: every suite), gcc
# release (its unit suite), clang debug (its unit suite) and release
# (compiles). Every build directory gets -Dwerror=true
# (users build without it: meson.build's default_options).
# Skip parts with DPDK_TEST_SKIP="vm asan clang release" (local iterations
# only).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH=/usr/bin:$PATH # Debian's python3 for meson, not a pyenv one

packages="meson ninja-build pkg-config gcc clang libcmocka-dev libnuma-dev
	python3-pyelftools python3-docutils qemu-system-x86 busybox-static linux-source-6.12
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod"
missing=""
for p in $packages; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

skip=" ${DPDK_TEST_SKIP:-} "

step() { printf '\n==== %s\n' "$*"; }

# setup_dir DIR [meson args]: a build directory with -Dwerror=true, also
# when it already exists from an earlier run without it
setup_dir() {
	local dir=$1
	shift
	if [ ! -d "$dir" ]; then
		meson setup "$dir" -Dwerror=true "$@"
	elif ! grep -q '"name": "werror", "value": true' \
			"$dir/meson-info/intro-buildoptions.json" 2>/dev/null; then
		meson configure "$dir" -Dwerror=true
	fi
}

step "build (gcc, debugoptimized, -Werror)"
setup_dir build
ninja -C build

step "unit and autotest suites"
meson test -C build --suite unit --suite autotest --print-errorlogs

step "documentation parses without warnings"
/usr/bin/python3 devtools/check-doc.py $(git ls-files 'doc/*.rst')

step "exported symbols are each library's version.map only"
/usr/bin/python3 devtools/check-symbols.py build

step "no VFIO mode comparison or backend name outside the backends and mode selection"
/usr/bin/python3 devtools/check-vfio-layers.py

step "an application built with pkg-config against the installed tree"
devtools/check-pkgconfig.sh build
devtools/check-pkgconfig.sh --static build

if [[ $skip != *" release "* ]]; then
	step "release build (gcc -Dbuildtype=release, -Werror) and its unit suite"
	setup_dir build-release --buildtype=release
	ninja -C build-release
	/usr/bin/python3 devtools/check-symbols.py build-release
	meson test -C build-release --suite unit --print-errorlogs
fi

step "documented commands on this machine (devtools/check-doc-commands.py)"
/usr/bin/python3 devtools/check-doc-commands.py --where host README.md \
	$(git ls-files 'doc/*.rst')

if [[ $skip != *" vm "* ]]; then
	step "real-kernel suite in QEMU"
	meson test -C build --suite vm --print-errorlogs --num-processes 1
	step "uapi headers against the VM's kernel tree (cached by the vm suite)"
	devtools/check-uapi.sh
	step "documented commands in the VM (one boot per mode)"
	/usr/bin/python3 devtools/check-doc-commands.py --where vm README.md \
		$(git ls-files 'doc/*.rst')
fi

if [[ $skip != *" asan "* ]]; then
	step "unit suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	setup_dir build-asan -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C build-asan
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --suite unit --suite autotest --print-errorlogs
fi

if [[ $skip != *" clang "* ]]; then
	step "build with clang (-Werror) and its unit suite"
	CC=clang setup_dir build-clang
	ninja -C build-clang
	meson test -C build-clang --suite unit --print-errorlogs
	step "release build with clang (-Werror, compiles only)"
	CC=clang setup_dir build-clang-release --buildtype=release -Dtests=false
	ninja -C build-clang-release
fi

step "all test suites passed"
