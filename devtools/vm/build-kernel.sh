#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Build (or find in the cache) the guest kernel of the VFIO test VM.
#
#   devtools/vm/build-kernel.sh [--kernel-version 6.12|7.3] [--force]
#                               [--print-path] [-j N]
#
# Gets the kernel source (linux-source-6.12 with apt-get; linux-source-7.3
# from Debian's experimental suite through a private apt configuration, see
# common.sh) and the build tools when missing, unpacks the source into the
# cache ($DPDK_VM_CACHE, default /var/cache/dpdk-vfio-vm), configures it
# with "make tinyconfig" plus kernel.config and kernel-<version>.config,
# checks that every option of the fragments is in the final .config, builds
# bzImage and stores it under kernels/<key>/ where <key> hashes the
# fragments and the kernel source version. A second run with the same
# inputs only prints the path. Builds are serialised with flock(1).
# The last line of the standard output is the path of bzImage.

set -euo pipefail

# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage()
{
	cat <<EOF
usage: $0 [--kernel-version V] [--force] [--print-path] [-j N]
  --kernel-version V  guest kernel: $VM_KERNELS (default \$DPDK_VM_KERNEL
                or 6.12)
  --force       rebuild even if the kernel is in the cache
  --print-path  print where the kernel is or would be cached, build nothing
  -j N          parallel jobs (default: nproc = $(nproc))
environment: DPDK_VM_CACHE (cache directory), DPDK_VM_KERNEL (version),
DPDK_VM_FRAGMENT (one config fragment instead of kernel.config +
kernel-<version>.config)
EOF
}

force=0
print_only=0
jobs=$(nproc)
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	--print-path) print_only=1 ;;
	--kernel-version) [ $# -ge 2 ] || { usage >&2; exit 2; }
		vm_select_kernel "$2"; shift ;;
	-j) [ $# -ge 2 ] || { usage >&2; exit 2; }; jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

for f in "${VM_FRAGMENTS[@]}"; do
	[ -r "$f" ] || vm_die "config fragment $f not readable"
done
vm_init_cache

if [ $print_only -eq 1 ]; then
	echo "$(vm_kernel_dir)/bzImage"
	exit 0
fi

# Fast path, no lock: a finished kernel directory is published atomically.
kdir=$(vm_kernel_dir)
if [ $force -eq 0 ] && [ -n "$(vm_source_version)" ] && [ -f "$kdir/bzImage" ]; then
	echo "$kdir/bzImage"
	exit 0
fi

vm_ensure_packages build-essential bc bison flex libelf-dev libssl-dev \
	xz-utils

exec 9>"$VM_CACHE/lock"
if ! flock -n 9; then
	vm_log "another build holds $VM_CACHE/lock, waiting for it"
	flock -w 3600 9 || vm_die "timed out waiting for $VM_CACHE/lock"
fi

# The source version may only be known now (package just installed or
# downloaded, under the lock: two runs do not download it twice).
vm_ensure_source
kdir=$(vm_kernel_dir)
if [ $force -eq 0 ] && [ -f "$kdir/bzImage" ]; then
	echo "$kdir/bzImage"
	exit 0
fi

start=$(date +%s)
version=$(vm_source_version)
srcdir=$(vm_source_dir)
tarball=$(vm_source_tarball)
objdir=$VM_CACHE/build-$VM_SRC_PKG
log=$VM_CACHE/build-$VM_SRC_PKG.log
: >"$log"

# 1. Unpack the source once per package version (pristine, never built in);
#    older versions of the same package go.
if [ ! -f "$srcdir/.unpacked" ]; then
	vm_log "unpacking $tarball ($version) into $VM_CACHE/src"
	rm -rf "$VM_CACHE"/src/*/"$VM_SRC_PKG"
	mkdir -p "$VM_CACHE/src/$version"
	tar -xJf "$tarball" -C "$VM_CACHE/src/$version" ||
		vm_die "cannot unpack $tarball"
	[ -f "$srcdir/Makefile" ] || vm_die "$srcdir/Makefile missing after unpacking"
	touch "$srcdir/.unpacked"
	vm_log "unpacked in $(($(date +%s) - start)) s"
fi

# 2. Object directory: reused between fragments (incremental rebuilds),
#    wiped when the source version changes.
if [ "$(cat "$objdir/.dpdk-vm-source" 2>/dev/null || true)" != "$version" ]; then
	rm -rf "$objdir"
	mkdir -p "$objdir"
	echo "$version" >"$objdir/.dpdk-vm-source"
fi

kmake()
{
	make -C "$srcdir" O="$objdir" ARCH=x86_64 "$@" >>"$log" 2>&1 || {
		tail -n 60 "$log" >&2
		vm_die "make $* failed (full log: $log)"
	}
}

# 3. Configure: tinyconfig + fragments, then resolve dependencies.
vm_log "configuring $VM_SRC_PKG $version (tinyconfig + $(for f in "${VM_FRAGMENTS[@]}"; do basename "$f"; done | tr '\n' ' '))"
kmake tinyconfig
(cd "$objdir" && "$srcdir/scripts/kconfig/merge_config.sh" -m -O "$objdir" \
	"$objdir/.config" "${VM_FRAGMENTS[@]}") >>"$log" 2>&1 ||
	vm_die "merge_config.sh failed (log: $log)"
kmake olddefconfig
t_config=$(date +%s)

# 4. Every option of the fragment must be in the final .config as requested.
missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=n)
		opt=${line%%=*}
		if grep -q "^$opt=" "$objdir/.config"; then
			missing+=("$line (got: $(grep "^$opt=" "$objdir/.config"))")
		fi
		;;
	CONFIG_*=*)
		opt=${line%%=*}
		if ! grep -qxF "$line" "$objdir/.config"; then
			got=$(grep -E "^$opt=|^# $opt is not set" "$objdir/.config" || true)
			missing+=("$line (got: ${got:-absent})")
		fi
		;;
	*)
		vm_die "cannot parse fragment line: $line"
		;;
	esac
done < <(vm_fragment_normalized)
if [ ${#missing[@]} -gt 0 ]; then
	printf 'dpdk-vm:   %s\n' "${missing[@]}" >&2
	vm_die "${#missing[@]} option(s) of ${VM_FRAGMENTS[*]} not set as requested after olddefconfig (unmet dependencies?)"
fi

# 5. Build.
vm_log "building bzImage with -j$jobs (log: $log)"
kmake -j"$jobs" bzImage
[ -f "$objdir/arch/x86/boot/bzImage" ] || vm_die "bzImage not produced (log: $log)"
vm_log "compiled in $(($(date +%s) - t_config)) s"

# 6. Publish atomically.
mkdir -p "$VM_CACHE/kernels"
tmp=$(mktemp -d "$VM_CACHE/kernels/.tmp.XXXXXX")
cp "$objdir/arch/x86/boot/bzImage" "$tmp/bzImage"
cp "$objdir/.config" "$tmp/config"
cp "$log" "$tmp/build.log"
end=$(date +%s)
{
	echo "source=$VM_SRC_PKG $version"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "seconds=$((end - start))"
	echo "jobs=$jobs"
} >"$tmp/info"
rm -rf "$kdir"
mv "$tmp" "$kdir"
vm_log "kernel ready in $((end - start)) s (all steps): $(du -h "$kdir/bzImage" | cut -f1)"
echo "$kdir/bzImage"
