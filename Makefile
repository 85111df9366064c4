# SPDX-License-Identifier: GPL-2.0
#
# vmarena: top-level build.  `make` builds the module against KDIR, the
# library and the CLI; `make check` runs every test lane in qemu.  Build
# outputs go under build/ (git-ignored).  Kbuild (next to this file) is what
# the kernel's build system reads; this Makefile is for people.

TOP := $(CURDIR)
BUILD ?= $(TOP)/build

# The kernel to build against: the running kernel's headers when they exist,
# otherwise the newest installed Debian linux-headers-*-amd64.
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build), \
	     $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1))
# The release the module is built for (its vermagic): kernel.release is not
# it on Debian's headers packages, utsrelease.h is.
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
KOBJ = $(BUILD)/kmod/$(KREL)
# The KUnit module is built when the target kernel has KUnit.
VMARENA_KUNIT ?= $(shell grep -qs '^CONFIG_KUNIT=y' $(KDIR)/.config && echo y)

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)

CC ?= gcc
CFLAGS ?= -O2 -g
USER_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	       -D_GNU_SOURCE -I$(BUILD)/include -I$(TOP)/userlib/include

.PHONY: all modules modules_install userlib vmarenactl tests-user demo check check-harness \
	run shell setup style sparse clean help install uninstall dkms-source dkms-add \
	dkms-build dkms-install dkms-remove pkgconfig-hello deb FORCE fuzz torture bench bench-bin

all: modules userlib vmarenactl

help:
	@echo 'make                  build vmarena.ko (KDIR=...), libvmarena and vmarenactl'
	@echo 'make run              boot a stock kernel in qemu and run the demo'
	@echo 'make shell            boot a stock kernel in qemu with vmarena loaded, interactive'
	@echo 'make check            all test lanes: debug and stock kernels 6.1 and 6.12'
	@echo 'make check-harness    prove that the harness fails on injected failures'
	@echo 'make fuzz             a long ioctl fuzz run in a debug lane (SECONDS=600, SEED=, LANE=)'
	@echo 'make torture          a long concurrency torture run in a debug lane (SECONDS=1800)'
	@echo 'make bench            benchmarks against native Linux (stock 6.1 and 6.12), build/bench/'
	@echo 'make style / sparse   checkpatch and sparse over the kernel sources'
	@echo 'make install          library, headers, vmarena.pc, vmarenactl, man pages, udev rule'
	@echo '                      (PREFIX=/usr/local, DESTDIR=); make uninstall undoes it'
	@echo 'make modules_install  vmarena.ko into /lib/modules/KREL/updates, then depmod'
	@echo 'make dkms-install     the module through DKMS (also dkms-add, -build, -remove;'
	@echo '                      DKMS_KREL= kernels, DKMS_ROOT= a private DKMS tree for tests)'
	@echo 'make deb              Debian packages vmarena-dkms and vmarena into build/deb/'
	@echo 'make setup            install what the above need (Debian, apt-get)'

# ---------------------------------------------------------------- module --
# Kbuild writes objects next to the sources, so the module is built in a
# per-kernel mirror of the kernel payload made of symlinks under build/.
define mirror-kernel-payload
	mkdir -p $(1)/tests/qemu
	cp -rsf $(TOP)/Kbuild $(TOP)/dkms.conf $(TOP)/module $(TOP)/uapi $(1)/
	cp -rsf $(TOP)/tests/kunit $(1)/tests/
	cp -rsf $(TOP)/tests/qemu/inject $(1)/tests/qemu/
	find $(1) -xtype l -delete
endef

modules:
	@test -n "$(KREL)" || { echo "no kernel headers at KDIR='$(KDIR)'; try: make setup" >&2; exit 1; }
	@$(call mirror-kernel-payload,$(KOBJ))
	$(MAKE) -C $(KDIR) M=$(KOBJ) VMARENA_KUNIT=$(VMARENA_KUNIT) $(KBUILD_ARGS) modules

# Into /lib/modules/KREL/updates (INSTALL_MOD_PATH=$(DESTDIR)), then depmod.
# KERNELRELEASE: Debian's headers say 6.1.192 where the kernel is
# 6.1.0-56-amd64 (see KREL).  DKMS (below) is the way to keep the module
# across kernel upgrades.
modules_install: modules
	$(MAKE) -C $(KDIR) M=$(KOBJ) VMARENA_KUNIT=$(VMARENA_KUNIT) KERNELRELEASE=$(KREL) \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KREL)

# ------------------------------------------------------------------ dkms --
# The DKMS source package: dkms.conf, Kbuild, module/ and uapi/, sources
# only, in $(DKMS_SRCDIR)/vmarena-$(VERSION) where `dkms add` looks.
# DKMS_KREL picks kernels (default: the running one), DKMS_KDIR their build
# tree.  DKMS_ROOT=DIR runs DKMS on a private tree under DIR (source,
# dkms and install trees, signing key, no depmod): what the tests use, so
# that they never touch the machine's /lib/modules or /var/lib/dkms.
DKMS ?= dkms
DKMS_KREL ?=
DKMS_KDIR ?=
DKMS_ROOT ?=
DKMS_SRCDIR ?= $(if $(DKMS_ROOT),$(DKMS_ROOT)/src,/usr/src)
DKMS_RUN := $(if $(DKMS_ROOT),mok_signing_key=$(DKMS_ROOT)/mok.key \
	      mok_certificate=$(DKMS_ROOT)/mok.pub) $(DKMS)
DKMS_TREES := $(if $(DKMS_ROOT),--dkmstree $(DKMS_ROOT)/dkms --sourcetree $(DKMS_SRCDIR) \
	      --installtree $(DKMS_ROOT)/modules --no-depmod)
DKMS_KERNELS := $(foreach k,$(DKMS_KREL),-k $(k)) $(if $(DKMS_KDIR),--kernelsourcedir $(DKMS_KDIR))
DKMS_MODULE := vmarena/$(VERSION)
DKMS_PREP := $(if $(DKMS_ROOT),@mkdir -p $(DKMS_ROOT)/dkms \
	     $(addprefix $(DKMS_ROOT)/modules/,$(DKMS_KREL)),@:)
DKMS_PAYLOAD = Kbuild dkms.conf $(sort $(wildcard module/*.[ch] module/vmarena/*.[ch] uapi/*.h))

dkms-source:
	rm -rf $(DKMS_SRCDIR)/vmarena-$(VERSION)
	install -d $(DKMS_SRCDIR)/vmarena-$(VERSION)
	cp --parents $(DKMS_PAYLOAD) $(DKMS_SRCDIR)/vmarena-$(VERSION)/

# Replaces an earlier add of the same version.
dkms-add: dkms-source
	$(DKMS_PREP)
	@if [ -n "$$($(DKMS_RUN) status $(DKMS_TREES) $(DKMS_MODULE))" ]; then \
		echo "$(DKMS) remove $(DKMS_MODULE) --all"; \
		$(DKMS_RUN) remove $(DKMS_TREES) $(DKMS_MODULE) --all; fi
	$(DKMS_RUN) add $(DKMS_TREES) $(DKMS_MODULE)

dkms-build:
	$(DKMS_RUN) build $(DKMS_TREES) $(DKMS_KERNELS) $(DKMS_MODULE)

dkms-install:
	$(DKMS_PREP)
	@[ -n "$$($(DKMS_RUN) status $(DKMS_TREES) $(DKMS_MODULE))" ] || $(MAKE) --no-print-directory dkms-add
	$(DKMS_RUN) install $(DKMS_TREES) $(DKMS_KERNELS) $(DKMS_MODULE)

dkms-remove:
	$(DKMS_PREP)
	@if [ -n "$$($(DKMS_RUN) status $(DKMS_TREES) $(DKMS_MODULE))" ]; then \
		echo "$(DKMS) remove $(DKMS_MODULE) --all"; \
		$(DKMS_RUN) remove $(DKMS_TREES) $(DKMS_MODULE) --all; fi
	rm -rf $(DKMS_SRCDIR)/vmarena-$(VERSION)

# --------------------------------------------------------------- userland --
$(BUILD)/include/linux/vmarena.h: uapi/vmarena.h
	@mkdir -p $(@D)
	cp $< $@

LIB_SRCS := userlib/libvmarena.c userlib/os_area.c
LIB_HDRS := $(wildcard userlib/include/vmarena/*.h) $(BUILD)/include/linux/vmarena.h
LIB_SONAME := libvmarena.so.0

$(BUILD)/lib/%.o: userlib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(BUILD)/lib/libvmarena.a: $(LIB_SRCS:userlib/%.c=$(BUILD)/lib/%.o)
	$(AR) rcs $@ $^

$(BUILD)/lib/$(LIB_SONAME): $(LIB_SRCS:userlib/%.c=$(BUILD)/lib/%.o) userlib/libvmarena.map
	$(CC) -shared -Wl,-soname,$(LIB_SONAME) -Wl,--version-script,userlib/libvmarena.map \
		-o $@ $(filter %.o,$^)
	ln -sf $(LIB_SONAME) $(BUILD)/lib/libvmarena.so

# pkg-config file for the install location; rewritten only when it changes.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
$(BUILD)/lib/pkgconfig/vmarena.pc: userlib/vmarena.pc.in dkms.conf FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	     -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; echo "GEN $@"; fi

userlib: $(BUILD)/lib/libvmarena.a $(BUILD)/lib/$(LIB_SONAME) $(BUILD)/lib/pkgconfig/vmarena.pc

# The uapi header goes where `make headers_install` would put it,
# <linux/vmarena.h>, which <vmarena/vmarena.h> includes.
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/vmarena
# udev reads rules from /etc and /lib only: a /usr/local install puts its
# rule in /etc, a distribution package (PREFIX=/usr) in /lib.
UDEVRULESDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/udev/rules.d,/etc/udev/rules.d)
# Every function a page documents (its NAME section).
MAN3_NAMES = $(sort $(shell for p in $(MAN3); do awk -f userlib/man/names.awk $$p; done))
MAN4 := $(wildcard uapi/vmarena.4)
MAN3 := $(wildcard userlib/man/*.3)
# vmarenactl's own man page and bash completion, when the tree has them.
MAN8 := $(wildcard tools/vmarenactl/vmarenactl.8)
CTL_COMPLETION := $(wildcard tools/vmarenactl/vmarenactl.bash)
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL_DATA := install -m 644

install: userlib vmarenactl
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/vmarena \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man4 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL_DATA) $(BUILD)/lib/libvmarena.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/lib/$(LIB_SONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libvmarena.so
	$(INSTALL_DATA) $(wildcard userlib/include/vmarena/*.h) $(DESTDIR)$(INCLUDEDIR)/vmarena/
	$(INSTALL_DATA) uapi/vmarena.h $(DESTDIR)$(INCLUDEDIR)/linux/vmarena.h
	$(INSTALL_DATA) $(BUILD)/lib/pkgconfig/vmarena.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 755 $(BUILD)/bin/vmarenactl $(DESTDIR)$(BINDIR)/
	$(if $(MAN3),$(INSTALL_DATA) $(MAN3) $(DESTDIR)$(MANDIR)/man3/)
	@# man FUNCTION for every function a page documents: a .so link page.
	@for page in $(MAN3); do \
		for name in $$(awk -f userlib/man/names.awk $$page); do \
			[ "$$name.3" = "$${page##*/}" ] || \
			echo ".so man3/$${page##*/}" >$(DESTDIR)$(MANDIR)/man3/$$name.3; \
		done; done
	$(if $(MAN4),$(INSTALL_DATA) $(MAN4) $(DESTDIR)$(MANDIR)/man4/)
	$(if $(MAN8),$(INSTALL_DATA) $(MAN8) $(DESTDIR)$(MANDIR)/man8/)
	$(if $(CTL_COMPLETION),install -d $(DESTDIR)$(BASHCOMPDIR) && \
		$(INSTALL_DATA) $(CTL_COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/vmarenactl)
	$(INSTALL_DATA) module/60-vmarena.rules $(DESTDIR)$(UDEVRULESDIR)/
	$(INSTALL_DATA) module/vmarena.modules-load.conf $(DESTDIR)$(DOCDIR)/examples/
	@# The group the udev rule gives /dev/vmarena to, on a real install.
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && ! getent group vmarena >/dev/null; then \
		echo "groupadd --system vmarena"; groupadd --system vmarena; fi
	@if [ -z "$(DESTDIR)" ] && command -v udevadm >/dev/null && [ -d /run/udev ]; then \
		udevadm control --reload-rules || true; fi

# Everything `make install` put there (the vmarena group stays).
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libvmarena.a $(DESTDIR)$(LIBDIR)/$(LIB_SONAME) \
		$(DESTDIR)$(LIBDIR)/libvmarena.so $(DESTDIR)$(LIBDIR)/pkgconfig/vmarena.pc \
		$(DESTDIR)$(INCLUDEDIR)/linux/vmarena.h $(DESTDIR)$(BINDIR)/vmarenactl \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/vmarena/,$(notdir $(wildcard userlib/include/vmarena/*.h))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3)) $(MAN3_NAMES:=.3)) \
		$(DESTDIR)$(MANDIR)/man4/vmarena.4 $(DESTDIR)$(MANDIR)/man8/vmarenactl.8 \
		$(DESTDIR)$(BASHCOMPDIR)/vmarenactl $(DESTDIR)$(UDEVRULESDIR)/60-vmarena.rules \
		$(DESTDIR)$(DOCDIR)/examples/vmarena.modules-load.conf
	-rmdir $(DESTDIR)$(INCLUDEDIR)/vmarena $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

FORCE:

# vmarenactl is static (the guest has no shared libraries), libnl included:
# libnl-3-dev and libnl-genl-3-dev ship the .a files.
CTL_SRCS := $(wildcard tools/vmarenactl/*.c)
NL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0)
NL_LIBS = $(shell pkg-config --static --libs libnl-genl-3.0)
$(BUILD)/bin/vmarenactl: $(CTL_SRCS) $(wildcard tools/vmarenactl/*.h) $(BUILD)/lib/libvmarena.a
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(NL_CFLAGS) -static -o $@ $(CTL_SRCS) $(BUILD)/lib/libvmarena.a \
		$(NL_LIBS)

vmarenactl: $(BUILD)/bin/vmarenactl

# The userspace test suite: one static binary, run inside the guest.
# TEST_EXTRA_SRCS adds sources (check-harness adds a failing test).
TESTS_BIN ?= $(BUILD)/bin/vmarena-tests
TEST_SRCS := $(wildcard tests/user/*.c) $(TEST_EXTRA_SRCS)
$(TESTS_BIN): $(TEST_SRCS) $(wildcard tests/user/*.h) $(BUILD)/lib/libvmarena.a
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -static -pthread -o $@ $(TEST_SRCS) $(BUILD)/lib/libvmarena.a

# The hardening programs, static, run in the guest by tests/qemu/init:
# the ioctl fuzzer, the shadow-model torture, the allocation-failure
# injection driver and the load/unload life cycle.
HARDEN := fuzz torture failnth lifecycle
HARDEN_BINS := $(HARDEN:%=$(BUILD)/bin/vmarena-%)
define harden-bin
$(BUILD)/bin/vmarena-$(1): tests/$(1)/$(1).c $(BUILD)/include/linux/vmarena.h
	@mkdir -p $$(@D)
	$$(CC) $$(USER_CFLAGS) -static -pthread -o $$@ $$<
endef
$(foreach b,$(HARDEN),$(eval $(call harden-bin,$(b))))

tests-user: $(TESTS_BIN) $(HARDEN_BINS)

# The program `make run` shows in the guest (tests/qemu/demo.sh runs it).
DEMO_BIN := $(BUILD)/bin/vmarena-demo-app
$(DEMO_BIN): tests/qemu/demo.c $(BUILD)/include/linux/vmarena.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -static -o $@ $<

demo: $(DEMO_BIN)

# The benchmarks (tests/bench/bench.c), run in the guest by `make bench`.
BENCH_BIN := $(BUILD)/bin/vmarena-bench
$(BENCH_BIN): tests/bench/bench.c $(BUILD)/include/linux/vmarena.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -static -pthread -o $@ $<

bench-bin: $(BENCH_BIN)
# A program outside the tree, built only from what `make install
# DESTDIR=$(PKGTEST_ROOT) PREFIX=/usr` installed, found through pkg-config;
# the test lanes run it in the guest.
PKGTEST_ROOT := $(BUILD)/destdir
PKGTEST_BIN := $(BUILD)/bin/vmarena-pkgconfig-hello
$(PKGTEST_BIN): tests/pkgconfig/hello.c userlib vmarenactl FORCE
	rm -rf $(PKGTEST_ROOT) $(BUILD)/pkgtest
	$(MAKE) --no-print-directory install DESTDIR=$(PKGTEST_ROOT) PREFIX=/usr
	mkdir -p $(BUILD)/pkgtest && cp $< $(BUILD)/pkgtest/
	cd $(BUILD)/pkgtest && PKG_CONFIG_SYSROOT_DIR=$(PKGTEST_ROOT) \
		PKG_CONFIG_LIBDIR=$(PKGTEST_ROOT)/usr/lib/pkgconfig \
		sh -c 'set -x; $(CC) -O2 -Wall -Wextra -Werror -static -o $@ hello.c \
			$$(pkg-config --static --cflags --libs vmarena)'

pkgconfig-hello: $(PKGTEST_BIN)

# ------------------------------------------------------------------- deb --
# Debian packages with Debian's tooling: vmarena-dkms (the DKMS source
# package) and vmarena (library, headers, CLI, man pages, udev rule).  The
# tree (git's files) is copied to build/deb/vmarena-VERSION/ and the
# debian/ directory generated there from tools/debian/.
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/vmarena-$(VERSION)
DEB_MAINTAINER ?= vmarena developers <vmarena@localhost>
deb:
	@for p in dpkg-dev debhelper dh-dkms pkg-config; do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || \
		{ echo "make deb needs: sudo apt-get install dpkg-dev debhelper dh-dkms pkg-config" >&2; \
		  exit 1; }; done
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		xargs -0 cp --parents -t $(DEB_SRC)/
	cp -r tools/debian $(DEB_SRC)/debian
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@MAINTAINER@|$(DEB_MAINTAINER)|' \
	    -e "s|@REVISION@|$$(git describe --always --dirty 2>/dev/null || echo unknown)|" \
	    -e "s|@DATE@|$$(date -R)|" tools/debian/changelog.in >$(DEB_SRC)/debian/changelog
	sed -i 's|@MAINTAINER@|$(DEB_MAINTAINER)|' $(DEB_SRC)/debian/control
	rm $(DEB_SRC)/debian/changelog.in
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	@ls -l $(DEB_DIR)/*.deb

# ---------------------------------------------------------------- harness --
# Everything that boots a kernel lives in tests/qemu/; see its README.
# Each of these first runs the idempotent set-up, then builds the userland
# with the packages it installed.
check:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo pkgconfig-hello
	tests/qemu/check.sh

# Long runs, not part of `make check`: one debug lane (LANE=debug-6.12 by
# default) that runs only the fuzzer (or only the torture) for SECONDS, then
# scans kmemleak and unloads.  SEED=N replays a run (the seed is printed at
# the start of every run and in the lane's report).
LANE ?= debug-6.12
fuzz:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo pkgconfig-hello
	VMARENA_FUZZ_SECONDS=$(or $(SECONDS),600) VMARENA_SEED=$(SEED) \
		VMARENA_TIMEOUT=$$(( $(or $(SECONDS),600) + 900 )) tests/qemu/lane.sh $(LANE) fuzz

torture:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo pkgconfig-hello
	VMARENA_TORTURE_SECONDS=$(or $(SECONDS),1800) VMARENA_SEED=$(SEED) \
		VMARENA_TIMEOUT=$$(( $(or $(SECONDS),1800) + 900 )) tests/qemu/lane.sh $(LANE) torture

check-harness:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo pkgconfig-hello
	tests/qemu/check-harness.sh

# make run / make shell boot Debian's stock kernel; STOCK=6.12 picks the other.
STOCK ?= 6.1
run:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo pkgconfig-hello
	tests/qemu/lane.sh stock-$(STOCK) run

shell:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo pkgconfig-hello
	tests/qemu/lane.sh stock-$(STOCK) shell

# make bench: the benchmarks in one boot of each stock kernel; the table on
# stdout, build/bench/LANE.json and build/bench/ratios.png.  Not part of
# check.  VMARENA_BENCH_MS / VMARENA_BENCH_ROUNDS: time per side and rounds.
BENCH_LANES ?= stock-6.1 stock-6.12
bench:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo bench-bin
	@for lane in $(BENCH_LANES); do tests/qemu/lane.sh $$lane bench || exit 1; done
	tests/bench/report.py chart $(BUILD)/bench $(BENCH_LANES)

setup:
	tests/qemu/setup.sh

# ------------------------------------------------------------------ style --
KSRCS := $(wildcard module/*.[ch] module/vmarena/*.[ch] uapi/*.h tests/kunit/*.[ch])

style:
	tests/qemu/style.sh checkpatch $(KSRCS)

sparse:
	tests/qemu/style.sh sparse

clean:
	rm -rf $(BUILD)
