#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# In the VM: an application built with pkg-config against the installed
# tree (devtools/check-pkgconfig.sh --out) probes an edu device with
# -a <address> and does a DMA round trip through it.
# Usage: devtools/check-pkgconfig-vm.sh MODE [BUILD_DIR]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:?usage: $0 MODE [BUILD_DIR]}
build=${2:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$top/devtools/check-pkgconfig.sh" --out "$work" "$build"
cat > "$work/guest.sh" <<'GUEST'
#!/bin/sh
# shellcheck disable=SC2086 # one word per address
set -- $DPDK_VM_EDU_DEVS
[ $# -gt 0 ] || { echo "no edu device in the VM"; exit 1; }
# the device's real mask: without an IOMMU the buffer's physical address may
# lie above the driver's default 28 bits
exec /bin/dpdk-pkgconfig-app --vfio-mode="$DPDK_VM_MODE" \
	-a "$1,dma_mask=$DPDK_VM_EDU_DMA_MASK" -- \
	bus:pci log:dma.edu edu-dma
GUEST
chmod +x "$work/guest.sh"
# ldd (in run.sh) resolves the installed libraries, as a user's loader would
LD_LIBRARY_PATH=$work/lib bash "$top/devtools/vm/run.sh" --mode "$mode" \
	--timeout 500 --fail-on-skip \
	--file "$work/app-edu:/bin/dpdk-pkgconfig-app" \
	--file "$work/guest.sh:/bin/dpdk-pkgconfig-guest" \
	-- /bin/dpdk-pkgconfig-guest
