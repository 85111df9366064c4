#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lane.sh LANE [MODE]: run one test lane in qemu and report on it.
#   LANE  debug-6.1, debug-6.12, stock-6.1 or stock-6.12
#   MODE  check (default): the tests, judged by report.py
#         fuzz, torture: only the long fuzz (or torture) run, judged by report.py
#         exec: only the shell commands in VMARENA_EXEC (debugging), judged so
#         run: the demo, its transcript on stdout;  shell: an interactive guest
#         bench: the benchmarks (tests/bench/), results in results.log
#         (VMARENA_BENCH_MS, VMARENA_BENCH_ROUNDS and VMARENA_BENCH_ONLY
#         tune them)
#
# The hardening steps take their length and seed from the environment:
# VMARENA_FUZZ_SECONDS (20 in check mode), VMARENA_TORTURE_SECONDS (20),
# VMARENA_TRINITY_OPS (syscalls, 20000), VMARENA_SEED (random when empty);
# they go to the guest on the kernel command line.
#
# The lane's files go to build/lanes/LANE/: build.log (the module build),
# build-warnings (its compiler warnings), console.log (kernel log), results.log (the guest's report), status.
# VMARENA_INJECT=kunit|user|warn builds a deliberate failure into the lane
# (see check-harness.sh); its files then go to build/lanes/LANE-inject-X/.
set -euo pipefail

lane=${1:?usage: lane.sh LANE [check|run|shell]}
mode=${2:-check}
kind=${lane%%-*}
series=${lane#*-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
inject=${VMARENA_INJECT:-}
out=$top/build/lanes/$lane${inject:+-inject-$inject}
bin=$top/build/bin

rm -rf "$out"
mkdir -p "$out"
eval "$("$here/kernel.sh" "$kind" "$series")"

# The module, built against this lane's kernel, W=1.
if ! make -C "$top" --no-print-directory modules KDIR="$KDIR" \
	KBUILD_ARGS="W=1 VMARENA_INJECT=$inject" >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	echo "lane.sh: $lane: the module does not build" >&2
	echo "FAIL $lane: module builds" >"$out/status"
	exit 1
fi
kobj=$top/build/kmod/$KREL
# report.py fails the lane on any compiler warning.
grep -E 'warning:' "$out/build.log" >"$out/build-warnings" || true

# Steps that run on the host are reported like the guest's, in
# host-results.log: "@@ BEGIN name", their output, "@@ END name rc".
host_step() {
	local name=$1 rc=0
	shift
	echo "@@ BEGIN $name" >>"$out/host-results.log"
	"$@" >"$out/host-$name.log" 2>&1 || rc=$?
	cat "$out/host-$name.log" >>"$out/host-results.log"
	echo "@@ END $name $rc" >>"$out/host-results.log"
	cat "$out/host-$name.log" >>"$out/build.log"
}

# On Debian's stock kernels the module the guest loads is the one DKMS
# installs: `make dkms-add/-build/-install` against the lane's headers
# package, on a private DKMS tree under the lane's directory (DKMS_ROOT), so
# that the machine's /lib/modules and /var/lib/dkms are never touched.
dkms_root=$out/dkms
if [ "$kind" = stock ]; then
	dkms_make=(make -C "$top" --no-print-directory DKMS_ROOT="$dkms_root"
		   DKMS_KREL="$KREL" DKMS_KDIR="$KDIR")
	host_step dkms-add "${dkms_make[@]}" dkms-add
	host_step dkms-build "${dkms_make[@]}" dkms-build
	host_step dkms-install "${dkms_make[@]}" dkms-install
fi

# The userspace tests; an injected failing test is built into its own copy.
tests_bin=$bin/vmarena-tests
if [ "$inject" = user ]; then
	tests_bin=$out/vmarena-tests
	make -C "$top" --no-print-directory tests-user TESTS_BIN="$tests_bin" \
		TEST_EXTRA_SRCS=tests/qemu/inject/user_fail.c >>"$out/build.log" 2>&1
fi

# The initramfs: busybox, init, the modules where modprobe finds them, the
# test binaries.
root=$out/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,lib/modules/"$KREL"/extra}
cp /bin/busybox "$root/bin/"
for applet in $(/bin/busybox --list-full); do
	mkdir -p "$root/$(dirname "$applet")"
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
install -m 0755 "$here/init" "$root/init"
mkdir -p "$root/etc"
[ "$mode" != exec ] || printf '%s\n' "${VMARENA_EXEC:?}" >"$root/etc/vmarena-exec"
install -m 0755 "$here/demo.sh" "$root/bin/vmarena-demo"
install -m 0755 "$tests_bin" "$root/bin/vmarena-tests"
install -m 0755 "$bin/vmarenactl" "$root/bin/vmarenactl"
install -m 0755 "$bin/vmarena-demo-app" "$root/bin/vmarena-demo-app"
for b in fuzz torture failnth lifecycle; do
	install -m 0755 "$bin/vmarena-$b" "$root/bin/vmarena-$b"
done
# trinity (Debian's, dynamically linked) and the libraries it needs.
trinity=$(command -v trinity || true)
if [ -n "$trinity" ]; then
	install -D -m 0755 "$trinity" "$root/usr/bin/trinity"
	for lib in $(ldd "$trinity" | grep -o '/[^ ]*'); do
		install -D -m 0755 "$lib" "$root$lib"
	done
fi
[ "$mode" = bench ] && install -m 0755 "$bin/vmarena-bench" "$root/bin/vmarena-bench"
# The host's perf (Debian's linux-perf) and the shared libraries it needs:
# the tests read vmarena's tracepoints with it (trace_test.c), and
# VMARENA_BENCH_PERF=1 profiles the benchmark in the guest.
if [ "$mode" != bench ] || [ -n "${VMARENA_BENCH_PERF:-}" ]; then
	command -v perf >/dev/null || {
		echo "lane.sh: no perf on the host: run tests/qemu/setup.sh (linux-perf)" >&2
		exit 1
	}
	perf=$(readlink -f "$(command -v perf)")
	install -D -m 0755 "$perf" "$root/usr/bin/perf"
	ldd "$perf" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
		install -D -m 0755 "$lib" "$root$lib"
	done
fi
[ -e "$bin/vmarena-pkgconfig-hello" ] &&
	install -m 0755 "$bin/vmarena-pkgconfig-hello" "$root/bin/vmarena-pkgconfig-hello"
# The file-area tests' real block file system: a fresh ext4 image each
# boot, which init mounts on a loop device.  Sparse, so it packs into a few
# KiB of the initramfs.  4 KiB blocks as on a disk (mke2fs would choose
# 1 KiB for a file system this small); inode tables and journal zeroed here,
# so that the guest's ext4 starts no lazy-init thread writing behind the
# tests; nothing reserved for root, since the tests drop to nobody; mounted
# with the defaults (an ordered journal, delalloc).
mkfs_ext4=$(PATH=$PATH:/usr/sbin:/sbin command -v mkfs.ext4) || {
	echo "lane.sh: no mkfs.ext4: run tests/qemu/setup.sh (e2fsprogs)" >&2
	exit 1
}
truncate -s 64M "$root/vmarena-ext4.img"
"$mkfs_ext4" -q -F -b 4096 -m 0 -L vmarena \
	-E lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0 "$root/vmarena-ext4.img"
# Only the modules this build made (modules.order): an earlier build with
# a deliberate failure (check-harness) leaves its .ko behind in $kobj.
# vmarena.ko itself comes from the DKMS install tree on stock kernels.
modules=$(sed 's/\.o$/.ko/' "$kobj/modules.order")
if [ "$kind" = stock ]; then
	modules=$(echo "$modules" | grep -v '/vmarena\.ko$' || true)
	(cd "$dkms_root/modules/$KREL" 2>/dev/null && find . -name 'vmarena.ko*' |
		cpio -pdm --quiet "$root/lib/modules/$KREL/")
	module_path=$(cd "$root/lib/modules/$KREL" && find updates -name 'vmarena.ko*' 2>/dev/null)
else
	module_path=extra/vmarena.ko
fi
[ -z "$modules" ] || echo "$modules" | xargs cp -t "$root/lib/modules/$KREL/extra/"
# The ext4 image's loop device and file system: built into the debug
# kernels, modules in Debian's.  These come from the unpacked image, with
# whatever kmod says they need (modules.dep, and ext4's and jbd2's softdep
# on the crc32c they checksum with), at their paths under kernel/.
if [ "$kind" = stock ]; then
	stock_mods=${KERNEL%/boot/*}/lib/modules/$KREL
	modprobe -d "${KERNEL%/boot/*}" -S "$KREL" --show-depends -a loop ext4 |
		awk -v dir="$stock_mods/" '$1 == "insmod" && index($2, dir) == 1 {
			print substr($2, length(dir) + 1) }' | sort -u |
		(cd "$stock_mods" && cpio -pdm --quiet "$root/lib/modules/$KREL/")
fi
touch "$root/lib/modules/$KREL/"modules.{order,builtin,builtin.modinfo}
depmod -b "$root" "$KREL"
# With the module packed, `make dkms-remove` must take it all away again.
dkms_removed() {
	"${dkms_make[@]}" dkms-remove || return 1
	local left
	left=$(find "$dkms_root/modules" "$dkms_root/src" "$dkms_root/dkms" -name 'vmarena*' 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
[ "$kind" = stock ] && host_step dkms-remove dkms_removed
# What the guest checks modprobe resolves vmarena to (modules.dep's path).
mkdir -p "$root/etc"
echo "VMARENA_MODULE_PATH=${module_path:-none}" >"$root/etc/vmarena-lane"
"$here/mkinitramfs.py" "$root" "$out/initramfs.cpio.gz"

# The boot.  Debug kernels stop at the first warning (panic_on_warn); any
# panic reboots, and -no-reboot turns the reboot into qemu's exit.
seed=${VMARENA_SEED:-}
[ -n "$seed" ] || seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
append="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 reboot=t vmarena_guest=$mode"
append="$append vmarena_seed=$seed vmarena_fuzz=${VMARENA_FUZZ_SECONDS:-20}"
append="$append vmarena_torture=${VMARENA_TORTURE_SECONDS:-20}"
append="$append vmarena_trinity=${VMARENA_TRINITY_OPS:-20000}"
[ "$kind" = debug ] && append="$append kfence.sample_interval=10"
[ "$mode" = bench ] && append="$append vmarena_bench_ms=${VMARENA_BENCH_MS:-1000} vmarena_bench_rounds=${VMARENA_BENCH_ROUNDS:-5}${VMARENA_BENCH_ONLY:+ vmarena_bench_only=$VMARENA_BENCH_ONLY}${VMARENA_BENCH_SIDE:+ vmarena_bench_side=$VMARENA_BENCH_SIDE}${VMARENA_BENCH_PERF:+ vmarena_bench_perf=1}"
qemu=(qemu-system-x86_64 -accel tcg -smp 2 -m 2G -nodefaults -display none
      -no-reboot -kernel "$KERNEL" -initrd "$out/initramfs.cpio.gz" -append "$append")
case $mode in
check | fuzz | torture | exec)
	# A hang detector: a debug lane alone takes 15 to 17 minutes under
	# TCG on two cores, and a busy host (a second guest, a kernel build)
	# once pushed one past 20.
	timeout=${VMARENA_TIMEOUT:-$([ "$kind" = debug ] && echo 1800 || echo 1200)}
	boot() {
		timeout --kill-after=10 "$timeout" "${qemu[@]}" -monitor none \
			-serial stdio -serial "file:$out/results.log" </dev/null \
			>"$out/console.log" 2>&1
	}
	set +e
	boot
	rc=$?
	# A kernel that dies before /init has written anything never loaded
	# vmarena (init loads it).  Under TCG with two vCPUs this happens
	# rarely (an int3 Oops while the kernel patches its own code during
	# boot, a qemu cross-modifying-code race): say so and boot once more.
	if [ "$rc" != 0 ] && ! grep -q '^@@ ' "$out/results.log" 2>/dev/null &&
	   grep -qE 'Oops|Kernel panic' "$out/console.log"; then
		mv "$out/console.log" "$out/console-early-crash.log"
		echo "lane $lane: the kernel crashed before /init ran (no module loaded;" \
		     "see console-early-crash.log): booting once more" >&2
		boot
		rc=$?
	fi
	set -e
	case $rc in
	0) echo ok ;;
	124 | 137) echo "timeout after ${timeout}s" ;;
	*) echo "qemu exit $rc" ;;
	esac >"$out/status"
	# Every struct kunit_suite in the sources the KUnit module was built
	# from (Kbuild lists its objects in vmarena_kunit.mod).
	suites=
	if [ -e "$kobj/vmarena_kunit.ko" ]; then
		suites=$(awk '/struct kunit_suite .* = \{/ { s = 1 }
			s && /\.name = "/ { split($0, q, "\""); print q[2]; s = 0 }' \
			$(sed 's/\.o$/.c/' "$kobj/vmarena_kunit.mod") | sort -u)
	fi
	"$here/report.py" lane "$lane${inject:+-inject-$inject}" "$out" $suites
	;;
bench)
	# The guest's section "bench-json" becomes build/bench/LANE.json.
	timeout=${VMARENA_TIMEOUT:-3600}
	set +e
	timeout --kill-after=10 "$timeout" "${qemu[@]}" -monitor none \
		-serial stdio -serial "file:$out/results.log" </dev/null >"$out/console.log" 2>&1
	rc=$?
	set -e
	[ "$rc" = 0 ] || echo "lane.sh: $lane: qemu exit $rc" >&2
	"$top/tests/bench/report.py" extract "$lane" "$out/results.log" "$top/build/bench"
	;;
run)
	timeout --kill-after=10 600 "${qemu[@]}" -monitor none -serial stdio </dev/null |
		tr -d '\r' | tee "$out/console.log" |
		sed -n '/^== vmarena demo/,/^== demo exit/p'
	grep -q '^== demo exit status 0 ==' "$out/console.log"
	;;
shell)
	exec "${qemu[@]}" -serial mon:stdio
	;;
esac
