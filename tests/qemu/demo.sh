#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo that `make run` shows, run inside the guest after vmarena is
# loaded.  Each step prints the command it runs, then its output.
set -e

run() {
	echo "\$ $*"
	"$@"
	echo
}

run ls -l /dev/vmarena
run vmarenactl version
run cat /sys/module/vmarena/version
run vmarena-demo-app
