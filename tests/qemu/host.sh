#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# host.sh: the packaging checks that run on the host, reported like a lane
# (build/lanes/host/: results.log, one section per step, and summary):
#   man-PAGE         `man --warnings -l PAGE` renders every man page of the
#                    tree without a single warning
#   man-covers-library  every function libvmarena.map exports is in the
#                    NAME section of a man page
#   install          `make install DESTDIR=... PREFIX=/usr` installs exactly
#                    the expected files, with the expected modes, and a
#                    vmarena.pc that pkg-config reads with the tree's version
#   uninstall        `make uninstall` with the same DESTDIR removes them all
#   modules-install  `make modules_install DESTDIR=...` against a Debian
#                    headers package puts vmarena.ko in the release's
#                    updates/ (the release of utsrelease.h, not the headers'
#                    kernel.release) and depmod indexes it with its aliases
#   dkms-exclusive   dkms.conf's BUILD_EXCLUSIVE_* guard: dkms refuses
#                    kernels older than 6.1 (exit 77) and accepts the others
#   deb              `make deb` builds vmarena-dkms and vmarena with Debian's
#                    tooling; each holds what it must (and the DKMS one
#                    nothing of the tests), vmarena-dkms depends on dkms and
#                    runs DKMS from its postinst
#   compat-only      no kernel-version test anywhere in the kernel sources:
#                    differences between kernels are probed (Kbuild) and
#                    filled in by module/compat.h
#   params-documented every module parameter has a MODULE_PARM_DESC and a
#                    line in the README
# The DKMS build and install against each installed headers package is
# part of the stock lanes (lane.sh), which then load that module.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/lanes/host
rm -rf "$out"
mkdir -p "$out"
results=$out/results.log
steps=()

step() {	# step NAME COMMAND...: run COMMAND, its output is the section
	local name=$1 rc=0
	shift
	steps+=("$name")
	echo "@@ BEGIN $name" >>"$results"
	"$@" >>"$results" 2>&1 || rc=$?
	echo "@@ END $name $rc" >>"$results"
}

# A page renders cleanly when man prints nothing on stderr (it exits 0 on
# warnings).
man_clean() {
	local warnings
	warnings=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)
	[ -z "$warnings" ] || { echo "$warnings"; return 1; }
}

cd "$top" || exit 1
pages=(uapi/vmarena.4 userlib/man/*.3)
[ -e tools/vmarenactl/vmarenactl.8 ] && pages+=(tools/vmarenactl/vmarenactl.8)
for page in "${pages[@]}"; do
	step "man-$(basename "$page")" man_clean "$page"
done

dest=$out/destdir
# What make install must put under DESTDIR for PREFIX=/usr: "mode path".
expected_files() {
	local f
	echo "644 usr/lib/libvmarena.a"
	echo "755 usr/lib/libvmarena.so.0"
	echo "link usr/lib/libvmarena.so"
	echo "644 usr/lib/pkgconfig/vmarena.pc"
	echo "644 usr/include/linux/vmarena.h"
	for f in userlib/include/vmarena/*.h; do echo "644 usr/include/vmarena/${f##*/}"; done
	echo "755 usr/bin/vmarenactl"
	for f in userlib/man/*.3; do
		echo "644 usr/share/man/man3/${f##*/}"
		awk -f userlib/man/names.awk "$f" | grep -vx "$(basename "$f" .3)" |
			sed 's|^\(.*\)$|644 usr/share/man/man3/\1.3|'
	done
	echo "644 usr/share/man/man4/vmarena.4"
	[ -e tools/vmarenactl/vmarenactl.8 ] && echo "644 usr/share/man/man8/vmarenactl.8"
	[ -e tools/vmarenactl/vmarenactl.bash ] &&
		echo "644 usr/share/bash-completion/completions/vmarenactl"
	echo "644 lib/udev/rules.d/60-vmarena.rules"
	echo "644 usr/share/doc/vmarena/examples/vmarena.modules-load.conf"
}

installed_files() {
	(cd "$dest" && find . ! -type d -printf '%y %m %P\n' |
		awk '$1 == "l" { print "link", $3; next } { print $2, $3 }' | sort)
}

check_install() {
	local version got
	make --no-print-directory install DESTDIR="$dest" PREFIX=/usr >"$out/install.log" 2>&1 ||
		{ tail -n 5 "$out/install.log"; return 1; }
	if ! diff -u <(expected_files | sort) <(installed_files); then
		echo "make install: the installed files differ from the expected ones (-expected +installed)"
		return 1
	fi
	version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
	got=$(PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig pkg-config --modversion vmarena)
	echo "pkg-config --modversion vmarena: $got (dkms.conf: $version)"
	[ "$got" = "$version" ] || return 1
	got=$(PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig pkg-config --variable=libdir vmarena)
	echo "libdir: $got"
	[ "$got" = /usr/lib ] || return 1
	cmp uapi/vmarena.h "$dest/usr/include/linux/vmarena.h" || return 1
	# A link page renders the page it points to.
	got=$(MANWIDTH=80 man --warnings -M "$dest/usr/share/man" 3 vmarena_area_resize 2>&1 | grep -c 'vmarena_area_resize(int')
	echo "man 3 vmarena_area_resize (a link page): $got synopsis line"
	[ "$got" = 1 ] || return 1
	echo "$(expected_files | wc -l) files as expected"
}

check_uninstall() {
	make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr >"$out/uninstall.log" 2>&1 ||
		{ tail -n 5 "$out/uninstall.log"; return 1; }
	local left
	left=$(cd "$dest" && find . ! -type d)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

# dkms.conf's guard.  The regular expression is checked over a table of
# releases, and dkms itself must refuse old ones: `dkms build` for such a
# release (against the 6.1 headers, which it never gets to) ends with 77.
check_dkms_exclusive() {
	local rel want got rc=0 log
	# shellcheck disable=SC1091
	BUILD_EXCLUSIVE_KERNEL=$(set +u && . ./dkms.conf && echo "$BUILD_EXCLUSIVE_KERNEL")
	echo "BUILD_EXCLUSIVE_KERNEL=$BUILD_EXCLUSIVE_KERNEL"
	[ -n "$BUILD_EXCLUSIVE_KERNEL" ] || return 1
	for rel in 6.1.0-56-amd64:yes 6.12.117+deb12-amd64:yes 6.0.12-1-amd64:no \
		   5.10.0-30-amd64:no 4.19.0-1-amd64:no 6.15.0:yes 7.0.1-1-amd64:yes \
		   10.2.0:yes 6.10.3-arch1-1:yes 3.16.0:no; do
		want=${rel#*:}
		rel=${rel%:*}
		got=no
		[[ $rel =~ $BUILD_EXCLUSIVE_KERNEL ]] && got=yes
		echo "$rel: builds=$got (want $want)"
		[ "$got" = "$want" ] || rc=1
	done
	local headers
	headers=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | head -n 1)
	[ -n "$headers" ] || { echo "no linux-headers-*-amd64 installed"; return 1; }
	local dkms=(make --no-print-directory DKMS_ROOT="$out/dkms" DKMS_KDIR="$headers")
	"${dkms[@]}" dkms-add >"$out/dkms-add.log" 2>&1 || { tail -n 5 "$out/dkms-add.log"; return 1; }
	for rel in 5.10.0-30-amd64 6.0.12-1-amd64; do
		log=$("${dkms[@]}" dkms-build DKMS_KREL=$rel 2>&1)
		if echo "$log" | grep -q 'Error 77$' &&
			echo "$log" | grep -q 'BUILD_EXCLUSIVE directive which does not match'; then
			echo "dkms build -k $rel: refused (77)"
		else
			echo "dkms build -k $rel: not refused:"
			echo "$log" | tail -n 3
			rc=1
		fi
	done
	return $rc
}

check_compat_only() {
	local hits
	hits=$(grep -rnE 'LINUX_VERSION_CODE|KERNEL_VERSION *\(|RHEL_RELEASE' \
		Kbuild module uapi tests/kunit)
	[ -z "$hits" ] || { echo "$hits"; return 1; }
	echo "no version tests in Kbuild, module/, uapi/, tests/kunit/"
}

check_params_documented() {
	local p rc=0 params
	params=$(grep -rhoE 'module_param(_cb)?\(([a-z_0-9]+)' module | sed 's/.*(//' | sort -u)
	[ -n "$params" ] || { echo "no module_param found"; return 1; }
	for p in $params; do
		if ! grep -rqE "MODULE_PARM_DESC\($p," module; then
			echo "$p: no MODULE_PARM_DESC"
			rc=1
		elif ! grep -qE "^\| \`$p\` \|" README.md; then
			echo "$p: not in the README's table of module parameters"
			rc=1
		else
			echo "$p: documented"
		fi
	done
	return $rc
}

check_deb() {
	local version dir=build/deb f rc=0
	version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
	make --no-print-directory deb >"$out/deb.log" 2>&1 || { tail -n 5 "$out/deb.log"; return 1; }
	local dkms_deb=$dir/vmarena-dkms_${version}-1_all.deb user_deb=$dir/vmarena_${version}-1_amd64.deb
	local dkms_files user_files
	dkms_files=$(dpkg-deb -c "$dkms_deb" | awk '{ print $6 }') || return 1
	user_files=$(dpkg-deb -c "$user_deb" | awk '{ print $6 }') || return 1
	for f in Kbuild dkms.conf module/main.c module/compat.h module/vmarena/core.c uapi/vmarena.h; do
		echo "$dkms_files" | grep -qx "./usr/src/vmarena-$version/$f" ||
			{ echo "vmarena-dkms: no /usr/src/vmarena-$version/$f"; rc=1; }
	done
	if echo "$dkms_files" | grep -q "/usr/src/vmarena-$version/tests"; then
		echo "vmarena-dkms: carries tests/"
		rc=1
	fi
	dpkg-deb -f "$dkms_deb" Depends | grep -q '\bdkms\b' || { echo "vmarena-dkms: no dependency on dkms"; rc=1; }
	dpkg-deb -I "$dkms_deb" postinst | grep -q 'common.postinst' ||
		{ echo "vmarena-dkms: postinst does not run DKMS"; rc=1; }
	for f in usr/bin/vmarenactl usr/include/linux/vmarena.h usr/include/vmarena/vmarena.h \
		 usr/include/vmarena/os_area.h usr/lib/x86_64-linux-gnu/libvmarena.so.0 \
		 usr/lib/x86_64-linux-gnu/libvmarena.a usr/lib/x86_64-linux-gnu/pkgconfig/vmarena.pc \
		 usr/share/man/man4/vmarena.4.gz usr/share/man/man3/libvmarena.3.gz \
		 lib/udev/rules.d/60-vmarena.rules; do
		echo "$user_files" | grep -qx "./$f" || { echo "vmarena: no /$f"; rc=1; }
	done
	dpkg-deb -I "$user_deb" postinst | grep -q 'groupadd --system vmarena' ||
		{ echo "vmarena: postinst does not create the vmarena group"; rc=1; }
	[ $rc -ne 0 ] || echo "vmarena-dkms and vmarena hold what they must"
	return $rc
}

# Every function libvmarena exports is documented: the NAME section of a
# page in userlib/man/ names it.
check_man_covers_library() {
	local documented exported f rc=0
	documented=$(for f in userlib/man/*.3; do awk -f userlib/man/names.awk "$f"; done | sort -u)
	exported=$(sed -n 's/^[[:space:]]*\([a-z_0-9]*\);$/\1/p' userlib/libvmarena.map | sort -u)
	[ -n "$exported" ] || { echo "no symbols in libvmarena.map"; return 1; }
	for f in $exported; do
		echo "$documented" | grep -qx "$f" || { echo "$f: in no man page"; rc=1; }
	done
	[ $rc -ne 0 ] || echo "$(echo "$exported" | wc -l) exported functions, each in a man page"
	return $rc
}

step man-covers-library check_man_covers_library
check_modules_install() {
	local headers krel mi=$out/modules-install
	headers=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | head -n 1)
	[ -n "$headers" ] || { echo "no linux-headers-*-amd64 installed"; return 1; }
	krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$headers/include/generated/utsrelease.h")
	make --no-print-directory modules_install KDIR="$headers" DESTDIR="$mi" \
		>"$out/modules-install.log" 2>&1 || { tail -n 5 "$out/modules-install.log"; return 1; }
	echo "installed: $(cd "$mi" && find . -name 'vmarena*.ko*')"
	[ -e "$mi/lib/modules/$krel/updates/vmarena.ko" ] ||
		{ echo "no lib/modules/$krel/updates/vmarena.ko"; return 1; }
	grep -q '^updates/vmarena\.ko:' "$mi/lib/modules/$krel/modules.dep" ||
		{ echo "modules.dep does not list it"; return 1; }
	grep -q '^vmarena vmarena c10:248$' "$mi/lib/modules/$krel/modules.devname" ||
		{ echo "modules.devname has no /dev/vmarena"; return 1; }
	echo "lib/modules/$krel/updates/vmarena.ko, in modules.dep and modules.devname"
}

step modules-install check_modules_install
step deb check_deb
step compat-only check_compat_only
step params-documented check_params_documented
step install check_install
step uninstall check_uninstall
step dkms-exclusive check_dkms_exclusive
echo "@@ DONE" >>"$results"

"$here/report.py" steps host "$out" "${steps[@]}"
