#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-harness.sh: prove that the harness fails a run when something is
# wrong.  One lane is run three times, each time with one deliberate failure
# built in: a failing KUnit case, a failing userspace test, a WARN_ON in a
# module.  Each run must fail, and its report must name the failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lane=${1:-debug-6.12}
bad=0

expect_failure() {	# expect_failure INJECT PATTERN
	local inject=$1 pattern=$2 log
	echo "=== check-harness: $lane with an injected $inject failure ==="
	log=$(VMARENA_INJECT=$inject "$here/lane.sh" "$lane" check 2>&1)
	local rc=$?
	echo "$log" | grep -E '^(FAIL|LANE) '
	if [ $rc -eq 0 ]; then
		echo "check-harness: the run with an injected $inject failure PASSED: the harness is blind to it"
		bad=1
	elif ! echo "$log" | grep -qE "^FAIL .*$pattern"; then
		echo "check-harness: the run failed, but not on the injected $inject failure"
		bad=1
	else
		echo "check-harness: injected $inject failure -> the run failed, as it must"
	fi
}

expect_failure kunit 'kunit vmarena_harness_inject\.vmarena_harness_injected_failure'
expect_failure user 'user harness_injected_failure'
expect_failure warn 'kernel log clean.*WARNING'

if [ $bad -eq 0 ]; then
	echo "check-harness: every injected failure failed the run"
else
	echo "check-harness: the harness missed an injected failure"
fi
exit $bad
