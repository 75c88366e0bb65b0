#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
#
# Run dpdk-test-vfio-perf in the test VM (run.sh) in each VFIO mode and
# print one table per mode. See doc/guides/howto/vfio_perf.rst.

set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$VM_DIR/../.." && pwd)

usage()
{
	cat <<EOF
usage: $0 [options] [-- PROGRAM OPTIONS]

Boots the VFIO test VM once per mode, runs dpdk-test-vfio-perf there with
--vfio-mode=MODE and prints its table. PROGRAM OPTIONS go to the program
(after its EAL '--'), e.g. '-- -n 1,64,4096,65536 -s 4K,2M,1G'.

options:
  --mode MODE       group, cdev, noiommu or noiommu-cdev (repeatable;
                    default: all four; noiommu-cdev boots Linux 7.3)
  --bin FILE        the program (default: $SRC_DIR/build/app/test-vfio-perf/dpdk-test-vfio-perf)
  --eal ARG         extra EAL argument (repeatable)
  --kvm | --tcg     accelerator (default: run.sh's choice, KVM when it works)
  --mem MB          guest memory (default 1024)
  --hugepages N     2 MiB hugepages in the guest (default 192)
  --edu N           edu devices (default 2: each DMA side gets one)
  --timeout SEC     per mode (default 1500)
  --csv PREFIX      also write PREFIX-MODE.csv
  --json PREFIX     also write PREFIX-MODE.json
  --log DIR         keep each mode's console log in DIR/MODE.log
  -h, --help        this text

exit status: 0 when every mode ran and measured everything, 1 otherwise.
EOF
}

die()
{
	echo "$0: $*" >&2
	exit 2
}

modes=()
bin=$SRC_DIR/build/app/test-vfio-perf/dpdk-test-vfio-perf
eal=()
accel=()
mem=1024
hugepages=192
edu=2
timeout_s=1500
csv=
json=
logdir=

while [ $# -gt 0 ]; do
	case $1 in
	--mode) [ $# -ge 2 ] || die "--mode needs a value"; modes+=("$2"); shift ;;
	--bin) [ $# -ge 2 ] || die "--bin needs a value"; bin=$2; shift ;;
	--eal) [ $# -ge 2 ] || die "--eal needs a value"; eal+=("$2"); shift ;;
	--kvm|--tcg) accel=("$1") ;;
	--mem) [ $# -ge 2 ] || die "--mem needs a value"; mem=$2; shift ;;
	--hugepages) [ $# -ge 2 ] || die "--hugepages needs a value"; hugepages=$2; shift ;;
	--edu) [ $# -ge 2 ] || die "--edu needs a value"; edu=$2; shift ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs a value"; timeout_s=$2; shift ;;
	--csv) [ $# -ge 2 ] || die "--csv needs a value"; csv=$2; shift ;;
	--json) [ $# -ge 2 ] || die "--json needs a value"; json=$2; shift ;;
	--log) [ $# -ge 2 ] || die "--log needs a value"; logdir=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
	shift
done
[ ${#modes[@]} -gt 0 ] || modes=(group cdev noiommu noiommu-cdev)
for m in "${modes[@]}"; do
	case $m in
	group|cdev|noiommu|noiommu-cdev) ;;
	*) die "unknown mode '$m' (group, cdev, noiommu or noiommu-cdev)" ;;
	esac
done
[ -x "$bin" ] || die "$bin: not found or not executable (build it with ninja, or give --bin)"
[ -z "$logdir" ] || mkdir -p "$logdir"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vfio-perf-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The guest side: run the program with its log apart from the table, then
# print the table, the files asked for and, on failure, the log, each
# after a marker line that this script splits on.
cat >"$tmp/guest.sh" <<'EOF'
#!/bin/sh
mode=$1
shift
/bin/dpdk-test-vfio-perf "$@" >/tmp/perf.out 2>/tmp/perf.err
rc=$?
echo "@@VFIO_PERF:table@@"
cat /tmp/perf.out
for f in csv json; do
	if [ -f /tmp/perf.$f ]; then
		echo "@@VFIO_PERF:$f@@"
		cat /tmp/perf.$f
	fi
done
echo "@@VFIO_PERF:log@@"
cat /tmp/perf.err
echo "@@VFIO_PERF:end@@"
exit $rc
EOF

# section NAME FILE: the lines after @@VFIO_PERF:NAME@@ up to the next marker
section()
{
	awk -v want="@@VFIO_PERF:$1@@" '
		/^@@VFIO_PERF:[a-z]+@@/ { on = ($0 == want); next }
		on { print }' "$2"
}

status=0
for m in "${modes[@]}"; do
	# --no-pci: the benchmark opens the edu devices itself; the PCI bus
	# would give them to the edu driver
	prog=(--vfio-mode="$m" --no-pci --file-prefix=vfio-perf "${eal[@]}" --)
	[ -z "$csv" ] || prog+=(--csv /tmp/perf.csv)
	[ -z "$json" ] || prog+=(--json /tmp/perf.json)
	prog+=("$@")
	# the first kernel with no-IOMMU cdev nodes
	kver=()
	[ "$m" != noiommu-cdev ] || kver=(--kernel-version 7.3)
	set +e
	bash "$VM_DIR/run.sh" --mode "$m" "${kver[@]}" "${accel[@]}" --mem "$mem" \
		--hugepages "$hugepages" --edu "$edu" --timeout "$timeout_s" \
		--bin "$bin" --file "$tmp/guest.sh:/bin/vfio-perf-guest" \
		${logdir:+--log "$logdir/$m.log"} \
		-- /bin/sh /bin/vfio-perf-guest "$m" "${prog[@]}" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	used=$(grep -o 'accel=[a-z]*' "$tmp/err" | head -n 1 | cut -d= -f2 || true)
	echo
	echo "===================== mode $m (QEMU ${used:-?}) ====================="
	if ! grep -q '^@@VFIO_PERF:table@@' "$tmp/out"; then
		echo "mode $m: the program did not run (run.sh status $rc):"
		cat "$tmp/err" "$tmp/out"
		status=1
		continue
	fi
	section table "$tmp/out"
	[ -z "$csv" ] || section csv "$tmp/out" >"$csv-$m.csv"
	[ -z "$json" ] || section json "$tmp/out" >"$json-$m.json"
	if [ $rc -ne 0 ]; then
		echo "mode $m: exit status $rc; the program's log:"
		section log "$tmp/out"
		status=1
	fi
done
exit $status
