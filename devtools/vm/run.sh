#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Run a command inside a QEMU VM whose edu devices are bound to vfio-pci in
# the requested VFIO mode, and return the command's exit status. See
# doc/guides/howto/vm_tests.rst and "run.sh --help".

set -euo pipefail

# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Exit status for failures of the harness itself (no marker, timeout, panic,
# guest set-up check). meson reports 99 as ERROR, not as a test failure.
RC_HARNESS=99
VM_DIE_RC=$RC_HARNESS

usage()
{
	cat <<EOF
usage: $0 --mode group|noiommu|cdev|noiommu-cdev [options] -- COMMAND [ARG...]

Boots the test kernel with an initramfs (busybox + the given files), binds
every edu device to vfio-pci, checks the VFIO nodes of the mode, runs
COMMAND in the guest and exits with its status.

options:
  --mode MODE        group (vIOMMU, /dev/vfio/<N>), noiommu (no vIOMMU,
                     /dev/vfio/noiommu-<N>), cdev (vIOMMU, /dev/iommu and
                     /dev/vfio/devices/vfio<N>) or noiommu-cdev (no vIOMMU,
                     /dev/iommu and /dev/vfio/devices/noiommu-vfio<N>;
                     Linux 7.3 and later); required
  --kernel-version V guest kernel, one of: $VM_KERNELS (default
                     \$DPDK_VM_KERNEL or 6.12)
  --timeout SEC      kill the VM after SEC seconds (default 300)
  --bin FILE         copy FILE to /bin/ in the guest, with its shared
                     libraries (repeatable)
  --file SRC[:DST]   copy a file or directory to DST (default: the same
                     absolute path) with the libraries of the ELF files in
                     it (repeatable)
  --env NAME=VALUE   set an environment variable for COMMAND (repeatable)
  --edu N            number of edu devices (default 2)
  --edu-dma-mask M   dma_mask property of the edu devices (default
                     0xffffffffffffffff; QEMU's own default, 0xfffffff,
                     clamps every DMA address to 28 bits, which breaks
                     IOVA-as-VA and any guest-physical address >= 256 MiB)
  --iommu-aw-bits N  address width of the vIOMMU, 39 or 48 (default 48 so
                     that any user-space virtual address can be an IOVA)
  --mem MB           guest memory (default 512)
  --smp N            guest CPUs (default 2)
  --hugepages N      2 MiB hugepages to reserve (default 64)
  --sriov            add an emulated NVMe PF with 2 VFs and bind it too
                     (VF token tests); its address is in DPDK_VM_SRIOV_PF
  --bridge           add a PCIe-to-PCI bridge with one more edu device and a
                     virtio-rng device behind it: one IOMMU group with a
                     vIOMMU. The edu is bound to vfio-pci, the virtio one
                     stays with virtio-pci (a group that is not viable);
                     their addresses are in DPDK_VM_BRIDGE_EDU and
                     DPDK_VM_BRIDGE_OTHER, not in DPDK_VM_EDU_DEVS
  --kvm | --tcg      force the accelerator (default: KVM if a probe boot
                     under KVM works, else TCG)
  --no-viommu        do not add the vIOMMU even in group/cdev mode (to test
                     that the guest checks fail)
  --kernel FILE      use this bzImage (default: the cached one, built with
                     build-kernel.sh on demand)
  --no-build         fail instead of building a missing kernel
  --append ARGS      extra kernel command line arguments
  --qemu-arg ARG     extra QEMU argument (repeatable)
  --fail-on-skip     treat exit status 77 (skip) of COMMAND as a failure
  --log FILE         also save the whole console log to FILE
  --verbose          stream the whole console (kernel log included)
  -h, --help         this text

exit status: the status of COMMAND; $RC_HARNESS when the harness failed
(timeout, kernel panic, QEMU error, guest set-up check, missing marker);
2 for a usage error.
guest environment: DPDK_VM_MODE, DPDK_VM_KERNEL, DPDK_VM_EDU_DEVS (PCI addresses),
DPDK_VM_IOMMU_GROUPS, DPDK_VM_VFIO_CDEVS, DPDK_VM_SRIOV_PF,
DPDK_VM_BRIDGE_EDU, DPDK_VM_BRIDGE_OTHER,
DPDK_VM_HUGEPAGES, DPDK_VM_EDU_DMA_MASK, DPDK_VM_IOMMU_AW_BITS (empty
without vIOMMU), DPDK_VM_BINS; LD_LIBRARY_PATH lists the library
directories copied into the guest.
EOF
}

usage_error()
{
	echo "$0: $*" >&2
	echo "try '$0 --help'" >&2
	exit 2
}

mode=
timeout_s=300
bins=()
files=()
envs=()
edu=2
edu_dma_mask=0xffffffffffffffff
aw_bits=48
mem=512
smp=2
hugepages=64
sriov=0
bridge=0
accel=auto
viommu=1
kernel=
build=1
append=
qemu_extra=()
fail_on_skip=0
save_log=
verbose=0

need_arg()
{
	[ "$2" -ge 2 ] || usage_error "option $1 needs an argument"
}

while [ $# -gt 0 ]; do
	case $1 in
	--mode) need_arg "$1" $#; mode=$2; shift ;;
	--kernel-version) need_arg "$1" $#; vm_select_kernel "$2"; shift ;;
	--timeout) need_arg "$1" $#; timeout_s=$2; shift ;;
	--bin) need_arg "$1" $#; bins+=("$2"); shift ;;
	--file) need_arg "$1" $#; files+=("$2"); shift ;;
	--env) need_arg "$1" $#; envs+=("$2"); shift ;;
	--edu) need_arg "$1" $#; edu=$2; shift ;;
	--edu-dma-mask) need_arg "$1" $#; edu_dma_mask=$2; shift ;;
	--iommu-aw-bits) need_arg "$1" $#; aw_bits=$2; shift ;;
	--mem) need_arg "$1" $#; mem=$2; shift ;;
	--smp) need_arg "$1" $#; smp=$2; shift ;;
	--hugepages) need_arg "$1" $#; hugepages=$2; shift ;;
	--sriov) sriov=1 ;;
	--bridge) bridge=1 ;;
	--kvm) accel=kvm ;;
	--tcg) accel=tcg ;;
	--no-viommu) viommu=0 ;;
	--kernel) need_arg "$1" $#; kernel=$2; shift ;;
	--no-build) build=0 ;;
	--append) need_arg "$1" $#; append="$append $2"; shift ;;
	--qemu-arg) need_arg "$1" $#; qemu_extra+=("$2"); shift ;;
	--fail-on-skip) fail_on_skip=1 ;;
	--log) need_arg "$1" $#; save_log=$2; shift ;;
	--verbose) verbose=1 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage_error "unknown option '$1'" ;;
	esac
	shift
done
[ $# -gt 0 ] || usage_error "no command given (put it after --)"
case $mode in
group|noiommu|cdev|noiommu-cdev) ;;
"") usage_error "--mode is required" ;;
*) usage_error "unknown mode '$mode' (group, noiommu, cdev or noiommu-cdev)" ;;
esac
case $mode in
noiommu|noiommu-cdev) noiommu_boot=1 ;;
*) noiommu_boot=0 ;;
esac
for n in "$timeout_s" "$edu" "$mem" "$smp" "$hugepages"; do
	[[ $n =~ ^[0-9]+$ ]] || usage_error "not a number: '$n'"
done
for e in "${envs[@]}"; do
	[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || usage_error "--env wants NAME=VALUE, got '$e'"
done
[[ $edu_dma_mask =~ ^(0x[0-9a-fA-F]+|[0-9]+)$ ]] ||
	usage_error "bad --edu-dma-mask '$edu_dma_mask'"
[[ $aw_bits =~ ^(39|48)$ ]] || usage_error "--iommu-aw-bits must be 39 or 48"

vm_ensure_packages qemu-system-x86 busybox-static cpio gzip
vm_init_cache

# --- kernel -------------------------------------------------------------------
if [ -z "$kernel" ]; then
	if [ -z "$(vm_source_version)" ] || [ ! -f "$(vm_kernel_dir)/bzImage" ]; then
		[ $build -eq 1 ] ||
			vm_die "no $VM_SRC_PKG kernel built for ${VM_FRAGMENTS[*]}; run $VM_DIR/build-kernel.sh --kernel-version $VM_KERNEL first"
		vm_log "$VM_SRC_PKG kernel not in the cache, running build-kernel.sh (a few minutes)"
		"$VM_DIR/build-kernel.sh" --kernel-version "$VM_KERNEL" >&2 ||
			vm_die "kernel build failed"
	fi
	kernel=$(vm_kernel_dir)/bzImage
fi
[ -f "$kernel" ] || vm_die "kernel $kernel not found (run $VM_DIR/build-kernel.sh)"

# --- initramfs ------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dpdk-vm.XXXXXX")
vm_pid=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ -n "$vm_pid" ]; then
		kill -TERM "$vm_pid" 2>/dev/null
		wait "$vm_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'vm_log "interrupted, stopping the VM"; exit 130' INT
trap 'vm_log "terminated, stopping the VM"; exit 143' TERM
root=$tmp/root
mkdir -p "$root"/{bin,dev,etc,proc,sys,tmp,run,root,mnt,usr}
ln -s bin "$root/sbin"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"

busybox=/bin/busybox
if ldd "$busybox" >/dev/null 2>&1; then
	vm_die "$busybox is not static (package busybox-static needed)"
fi
cp "$busybox" "$root/bin/busybox"
# The other applet links are made by /init (busybox --install), which is
# much faster than hundreds of ln(1) here.
ln -s busybox "$root/bin/sh"

declare -A libdirs=()
# copy_file SRC DST: copy SRC (following links) to DST inside the root.
copy_file()
{
	mkdir -p "$root$(dirname "$2")"
	cp -L "$1" "$root$2" || vm_die "cannot copy $1"
}

is_elf()
{
	[ -f "$1" ] && [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# add_libs FILE: copy the shared libraries and the loader FILE needs, each
# at the path ldd resolved it to.
add_libs()
{
	local out line lib
	is_elf "$1" || return 0
	out=$(ldd "$1" 2>&1) || return 0 # static or not for this machine
	if grep -q 'not found' <<<"$out"; then
		vm_die "$1: missing shared libraries: $(grep 'not found' <<<"$out" | tr -s ' \t\n' ' ')"
	fi
	while read -r line; do
		case $line in
		*'=> /'*) lib=${line#*=> }; lib=${lib%% (*} ;;
		/*) lib=${line%% (*} ;;
		*) continue ;;
		esac
		# Lexical clean-up only (keep the soname as the file name).
		lib=$(realpath -s -m "$lib")
		[ -e "$root$lib" ] && continue
		copy_file "$lib" "$lib"
		libdirs[$(dirname "$lib")]=1
	done <<<"$out"
}

vm_bins=
for b in "${bins[@]}"; do
	[ -f "$b" ] || vm_die "--bin $b: no such file"
	copy_file "$b" "/bin/$(basename "$b")"
	chmod +x "$root/bin/$(basename "$b")"
	add_libs "$b"
	vm_bins="$vm_bins /bin/$(basename "$b")"
done
for f in "${files[@]}"; do
	src=${f%%:*}
	if [ "$src" != "$f" ]; then dst=${f#*:}; else dst=$(realpath "$src"); fi
	[ -e "$src" ] || vm_die "--file $src: no such file or directory"
	[[ $dst == /* ]] || vm_die "--file $f: destination must be absolute"
	if [ -d "$src" ]; then
		mkdir -p "$root$dst"
		cp -a "$src/." "$root$dst/"
		while IFS= read -r -d '' x; do
			add_libs "$x"
		done < <(find "$src" -type f \( -perm -u+x -o -name '*.so*' \) -print0)
	else
		copy_file "$src" "$dst"
		add_libs "$src"
	fi
done

nonce=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
sq()
{
	# Quote for sh: wrap in single quotes, escape embedded ones.
	printf "'%s'" "${1//\'/\'\\\'\'}"
}
ld_path=$(IFS=:; echo "${!libdirs[*]}")
{
	echo "VM_MODE=$mode"
	echo "VM_KERNEL=$VM_KERNEL"
	echo "VM_NONCE=$nonce"
	echo "VM_EDU_COUNT=$edu"
	echo "VM_EDU_DMA_MASK=$edu_dma_mask"
	echo "VM_AW_BITS=$( [ $noiommu_boot -eq 0 ] && [ $viommu -eq 1 ] && echo "$aw_bits")"
	echo "VM_HUGEPAGES=$hugepages"
	echo "VM_SRIOV=$sriov"
	echo "VM_BRIDGE=$bridge"
	echo "VM_VERBOSE=$verbose"
	echo "VM_BINS=$(sq "${vm_bins# }")"
	echo "VM_LD_LIBRARY_PATH=$(sq "$ld_path")"
} >"$root/etc/dpdk-vm.conf"
: >"$root/etc/dpdk-vm-env"
for e in "${envs[@]}"; do
	echo "export ${e%%=*}=$(sq "${e#*=}")" >>"$root/etc/dpdk-vm-env"
done
{
	printf 'exec'
	for a in "$@"; do
		printf ' %s' "$(sq "$a")"
	done
	printf '\n'
} >"$root/etc/dpdk-vm-cmd"
cp "$VM_DIR/guest-init.sh" "$root/init"
chmod 755 "$root/init"

(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$tmp/initramfs.cpio.gz" || vm_die "cannot create the initramfs"

# --- accelerator ------------------------------------------------------------------
# kvm_works: /dev/kvm usable and a probe boot of the kernel under KVM
# reaches the point where it looks for init. The answer is cached per host
# boot and QEMU version.
kvm_works()
{
	local key probe_log
	[ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	key="$(cat /proc/sys/kernel/random/boot_id) $(qemu-system-x86_64 --version | head -n 1)"
	if [ -f "$VM_CACHE/kvm-probe" ] && [ "$(head -n 1 "$VM_CACHE/kvm-probe")" = "$key" ]; then
		[ "$(sed -n 2p "$VM_CACHE/kvm-probe")" = yes ] && return 0
		vm_log "KVM does not work here (cached probe result $VM_CACHE/kvm-probe), using TCG"
		return 1
	fi
	probe_log=$tmp/kvm-probe.log
	local result=no
	# No init in the probe: the kernel panics after a full boot and QEMU
	# exits (-no-reboot). A KVM that does not work fails or hangs before.
	local qrc=0
	timeout -k 5 20 qemu-system-x86_64 -accel kvm -cpu host \
		-machine q35,kernel-irqchip=split -m 128 -smp 1 -nographic \
		-no-reboot -vga none -nic none -kernel "$kernel" \
		-append "console=ttyS0 panic=-1 rdinit=/dpdk-vm-kvm-probe" \
		</dev/null >"$probe_log" 2>&1 || qrc=$?
	if grep -q 'Linux version' "$probe_log" && grep -q 'Kernel panic' "$probe_log"; then
		result=yes
	elif [ $qrc -eq 124 ]; then
		vm_log "KVM probe: no kernel boot within 20 s under KVM, using TCG"
	else
		vm_log "KVM probe failed (status $qrc), using TCG:" \
			"$(tr -cd '[:print:]\n' <"$probe_log" | grep -m1 qemu || true)"
	fi
	printf '%s\n%s\n' "$key" "$result" >"$VM_CACHE/kvm-probe"
	[ $result = yes ]
}

case $accel in
auto) if kvm_works; then accel=kvm; else accel=tcg; fi ;;
kvm) [ -c /dev/kvm ] || vm_die "--kvm: /dev/kvm missing" ;;
esac

# --- QEMU -----------------------------------------------------------------------------
# shellcheck disable=SC2054 # commas separate QEMU sub-options
qemu=(qemu-system-x86_64 -machine q35,kernel-irqchip=split -m "$mem"
	-smp "$smp" -nographic -no-reboot -vga none -nic none)
if [ $accel = kvm ]; then
	qemu+=(-accel kvm -cpu host)
else
	qemu+=(-accel tcg)
fi
cmdline="console=ttyS0 panic=-1 rdinit=/init"
if [ $noiommu_boot -eq 1 ]; then
	cmdline="$cmdline vfio.enable_unsafe_noiommu_mode=1"
elif [ $viommu -eq 1 ]; then
	# The vIOMMU must come before the devices it translates for.
	qemu+=(-device "intel-iommu,intremap=on,caching-mode=on,aw-bits=$aw_bits")
	cmdline="$cmdline intel_iommu=on"
fi
for ((i = 0; i < edu; i++)); do
	qemu+=(-device "edu,dma_mask=$edu_dma_mask")
done
if [ $sriov -eq 1 ]; then
	# shellcheck disable=SC2054
	qemu+=(-device nvme-subsys,id=dpdkvmsubsys
		-device nvme,serial=dpdkvm0,subsys=dpdkvmsubsys,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2,max_ioqpairs=6,msix_qsize=4)
	cmdline="$cmdline vfio_pci.enable_sriov=1"
fi
if [ $bridge -eq 1 ]; then
	# Behind a PCIe-to-PCI bridge requester IDs alias to the bridge: both
	# functions land in one IOMMU group. virtio-rng needs no backend.
	# shellcheck disable=SC2054
	qemu+=(-device pcie-root-port,id=dpdkvmrp,chassis=1
		-device pcie-pci-bridge,id=dpdkvmbr,bus=dpdkvmrp
		-device "edu,bus=dpdkvmbr,addr=1,dma_mask=$edu_dma_mask"
		-device virtio-rng-pci,bus=dpdkvmbr,addr=2)
fi
qemu+=(-kernel "$kernel" -initrd "$tmp/initramfs.cpio.gz"
	-append "$cmdline${append}" "${qemu_extra[@]}")

vm_log "mode=$mode linux=$VM_KERNEL accel=$accel edu=$edu bridge=$bridge mem=${mem}M timeout=${timeout_s}s kernel=$kernel"
console=$tmp/console.log
start=$(date +%s.%N)
# QEMU runs in the background so that a signal to this script (Ctrl-C,
# meson's timeout) stops the VM at once (see cleanup).
: >"$console"
timeout -k 10 "$timeout_s" "${qemu[@]}" </dev/null >"$console" 2>&1 &
vm_pid=$!
if [ $verbose -eq 1 ]; then
	tail -n +1 -f --pid="$vm_pid" "$console" >&2 &
fi
qrc=0
wait "$vm_pid" || qrc=$?
vm_pid=
[ $verbose -eq 1 ] && wait
end=$(date +%s.%N)
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
[ -n "$save_log" ] && cp "$console" "$save_log"

# --- result ---------------------------------------------------------------------------
tr -d '\r' <"$console" >"$tmp/console.txt"
console=$tmp/console.txt
begin_re="@@DPDK_VM_CMD_BEGIN:$nonce@@"
rc_re="@@DPDK_VM_RC:$nonce=[0-9]+@@"
setup_re="@@DPDK_VM_SETUP_FAILED:$nonce@@"

tail_console()
{
	echo "----- guest console (last 60 lines) -----" >&2
	tail -n 60 "$console" >&2
	echo "----- end of guest console -----" >&2
}

# Print what the command wrote: the lines between the two markers (the
# part of the last line before the RC marker included).
if [ $verbose -eq 0 ]; then
	awk -v b="$begin_re" -v r="@@DPDK_VM_RC:$nonce=" '
		on && index($0, r) { s = substr($0, 1, index($0, r) - 1); if (s != "") print s; exit }
		on { print }
		index($0, b) { on = 1 }' "$console"
fi

if grep -q 'EDU: clamping DMA' "$console"; then
	vm_log "WARNING: the edu device clamped DMA addresses to its dma_mask" \
		"($edu_dma_mask): $(grep -m1 'EDU: clamping DMA' "$console")"
fi

rc_line=$(grep -aEo "$rc_re.*" "$console" | tail -n 1 || true)
if [ -z "$rc_line" ]; then
	if grep -q "$setup_re" "$console"; then
		reason="guest set-up failed: $(grep -m1 "$setup_re" "$console" | sed "s/.*$setup_re *//")"
	elif [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
		reason="timeout after ${timeout_s}s"
	elif grep -q 'Kernel panic' "$console"; then
		reason="kernel panic: $(grep -m1 'Kernel panic' "$console")"
	elif grep -q 'hardware error' "$console"; then
		reason="QEMU aborted: $(grep -m1 'hardware error' "$console")"
	elif [ $qrc -ne 0 ]; then
		reason="QEMU exited with status $qrc"
	else
		reason="the guest stopped without reporting the command's exit status"
	fi
	tail_console
	vm_die "mode $mode (Linux $VM_KERNEL): $reason (after ${elapsed}s)"
fi

cmd_rc=${rc_line#*=}
cmd_rc=${cmd_rc%%@@*}
up_begin=$(grep -m1 "$begin_re" "$console" | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p')
up_end=$(sed -n 's/.*uptime=\([0-9.]*\).*/\1/p' <<<"$rc_line")
vm_log "mode=$mode linux=$VM_KERNEL accel=$accel: command exited with status $cmd_rc" \
	"(guest boot ${up_begin:-?}s, command $(awk -v a="${up_begin:-0}" -v b="${up_end:-0}" 'BEGIN { printf "%.1f", b - a }')s, total ${elapsed}s)"
if [ "$cmd_rc" -ne 0 ]; then
	tail_console
	if [ "$cmd_rc" -eq 77 ] && [ $fail_on_skip -eq 1 ]; then
		vm_log "FAIL: the command reported 77 (skipped) and --fail-on-skip is set"
		exit 1
	fi
fi
exit "$cmd_rc"
