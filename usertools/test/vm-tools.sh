#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# usage: vm-tools.sh MODE BUILD_DIR [--script FILE] [run.sh options]
#
# Boots the test VM in MODE with python3 (the part of the standard library
# the tools import, see stage-python.py), the user tools, dpdk-test,
# dpdk-edu-demo, dpdk-test-vfio-perf and, with an IOMMU, two virtio devices
# behind a PCIe-to-PCI bridge (one IOMMU group), and runs guest-tools.sh
# there, or FILE (devtools/check-doc-commands.py: the documented commands).
set -euo pipefail

mode=$1
build=$2
shift 2
script=$(cd "$(dirname "$0")" && pwd)/guest-tools.sh
if [ "${1:-}" = --script ]; then
	script=$2
	shift 2
fi
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
pylib=$("$py" -c 'import sys; print(sys.base_prefix + "/lib/python%d.%d" % sys.version_info[:2])')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/stage-python.py" "$tmp/py" "$top/usertools/dpdk-devbind.py" \
	"$top/usertools/dpdk-telemetry.py"

args=(--mode "$mode" --timeout 400 --fail-on-skip
	--bin "$build/app/edu-demo/dpdk-edu-demo"
	--bin "$build/app/test/dpdk-test"
	--bin "$build/app/test-vfio-perf/dpdk-test-vfio-perf"
	--file "$py:/usr/bin/python3"
	--file "$tmp/py$pylib:$pylib"
	--file "$top/usertools/dpdk-devbind.py:/bin/dpdk-devbind.py"
	--file "$top/usertools/dpdk-telemetry.py:/bin/dpdk-telemetry.py"
	--file "$script:/bin/guest-script.sh")
if [ "$mode" = group ] || [ "$mode" = cdev ]; then
	args+=(--env DPDK_TOOLS_SHARED=1
		--qemu-arg -device --qemu-arg pcie-root-port,id=tools_rp,chassis=9,bus=pcie.0
		--qemu-arg -device --qemu-arg pcie-pci-bridge,id=tools_br,bus=tools_rp
		--qemu-arg -device --qemu-arg virtio-rng-pci,disable-legacy=on,bus=tools_br,addr=1
		--qemu-arg -device --qemu-arg virtio-rng-pci,disable-legacy=on,bus=tools_br,addr=2)
fi
exec "$top/devtools/vm/run.sh" "${args[@]}" "$@" -- /bin/sh /bin/guest-script.sh
