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

.PHONY: all modules userlib vmarenactl tests-user demo check check-harness run shell \
	setup style sparse clean help install bench bench-bin FORCE

all: modules userlib vmarenactl

help:
	@echo 'make                  build vmarena.ko (KDIR=...), libvmarena and vmarenactl'
	@echo 'make run              boot a stock kernel in qemu and run the demo'
	@echo 'make shell            boot a stock kernel in qemu with vmarena loaded, interactive'
	@echo 'make check            all test lanes: debug and stock kernels 6.1 and 6.12'
	@echo 'make check-harness    prove that the harness fails on injected failures'
	@echo 'make bench            benchmarks against native Linux (stock 6.1 and 6.12), build/bench/'
	@echo 'make style / sparse   checkpatch and sparse over the kernel sources'
	@echo 'make install          libvmarena, its headers and vmarena.pc (PREFIX=, DESTDIR=)'
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
install: userlib
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/vmarena \
		$(DESTDIR)$(INCLUDEDIR)/linux
	install -m 644 $(BUILD)/lib/libvmarena.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/lib/$(LIB_SONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libvmarena.so
	install -m 644 $(wildcard userlib/include/vmarena/*.h) $(DESTDIR)$(INCLUDEDIR)/vmarena/
	install -m 644 uapi/vmarena.h $(DESTDIR)$(INCLUDEDIR)/linux/vmarena.h
	install -m 644 $(BUILD)/lib/pkgconfig/vmarena.pc $(DESTDIR)$(LIBDIR)/pkgconfig/

FORCE:

CTL_SRCS := $(wildcard tools/vmarenactl/*.c)
$(BUILD)/bin/vmarenactl: $(CTL_SRCS) $(wildcard tools/vmarenactl/*.h) $(BUILD)/lib/libvmarena.a
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -static -o $@ $(CTL_SRCS) $(BUILD)/lib/libvmarena.a

vmarenactl: $(BUILD)/bin/vmarenactl

# The userspace test suite: one static binary, run inside the guest.
# TEST_EXTRA_SRCS adds sources (check-harness adds a failing test).
TESTS_BIN ?= $(BUILD)/bin/vmarena-tests
TEST_SRCS := $(wildcard tests/user/*.c) $(TEST_EXTRA_SRCS)
$(TESTS_BIN): $(TEST_SRCS) $(wildcard tests/user/*.h) $(BUILD)/lib/libvmarena.a
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -static -pthread -o $@ $(TEST_SRCS) $(BUILD)/lib/libvmarena.a

tests-user: $(TESTS_BIN)

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

# ---------------------------------------------------------------- harness --
# Everything that boots a kernel lives in tests/qemu/; see its README.
# Each of these first runs the idempotent set-up, then builds the userland
# with the packages it installed.
check:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo
	tests/qemu/check.sh

check-harness:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo
	tests/qemu/check-harness.sh

# make run / make shell boot Debian's stock kernel; STOCK=6.12 picks the other.
STOCK ?= 6.1
run:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo
	tests/qemu/lane.sh stock-$(STOCK) run

shell:
	tests/qemu/setup.sh
	$(MAKE) tests-user vmarenactl demo
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
