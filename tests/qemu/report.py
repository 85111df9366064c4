#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py: read what a test lane left behind and judge it.

  report.py lane NAME DIR [SUITE...]   print one line per test of the lane
                                       and write DIR/summary; exit 1 if any
                                       test failed or was missing
  report.py steps NAME DIR STEP...     judge the host-side steps of host.sh
                                       (DIR/results.log): each must end 0
  report.py total DIR...               print "N passed, N failed" over the
                                       lanes' summaries; exit 1 on failures

A lane directory holds console.log (the guest's serial console: the kernel
log), results.log (the report channel written by tests/qemu/init) and status
(how the boot ended: "ok", "timeout" or "qemu exit N").  SUITE... are the
KUnit suites the lane must have run: a suite that is missing fails.
"""
import json
import os
import re
import sys

# Anything the kernel prints that means a bug was seen.
KERNEL_REPORTS = re.compile(
    r"Kernel panic|BUG:|WARNING:|Oops|general protection fault|"
    r"KASAN:|KFENCE:|kmemleak: \d+ new suspected|UBSAN:|"
    r"possible circular locking|possible recursive locking|"
    r"inconsistent lock state|suspicious RCU usage|"
    r"hung_task|blocked for more than|soft lockup|hard LOCKUP|rcu.*stall|"
    r"list_add corruption|list_del corruption|Call Trace:|"
    r"DEBUG_LOCKS_WARN_ON|BAD_PAGE|Bad page state")

TAP_LINE = re.compile(r"^(\s*)(not ok|ok) (\d+)(?: -)? ([^#]*?)\s*(?:#\s*(.*))?$")
PLAN_LINE = re.compile(r"^(\s*)1\.\.(\d+)\s*$")


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().replace("\r", "")
    except FileNotFoundError:
        return ""


def sections(text):
    """Split results.log into {name: (lines, rc)}; rc is None if unfinished."""
    out, cur, lines = {}, None, []
    for line in text.splitlines():
        m = re.match(r"^@@ (BEGIN|END) (\S+)(?: (\d+))?$", line)
        if m and m.group(1) == "BEGIN":
            cur, lines = m.group(2), []
            out[cur] = (lines, None)
        elif m and m.group(1) == "END" and cur == m.group(2):
            out[cur] = (lines, int(m.group(3)))
            cur = None
        elif cur:
            lines.append(line)
    return out


def tap_results(lines):
    """Results of one TAP/KTAP document at its outermost test level.

    Returns (plan, [(ok, name, directive)]).  Deeper (nested) results are
    ignored: they belong to parameterised cases whose own line counts."""
    plan, indent, results = None, None, []
    for line in lines:
        m = PLAN_LINE.match(line)
        if m and indent is None:
            indent, plan = len(m.group(1)), int(m.group(2))
            continue
        m = TAP_LINE.match(line)
        if m and indent is not None and len(m.group(1)) == indent:
            results.append((m.group(2) == "ok", m.group(4).strip(), m.group(5) or ""))
    return plan, results


def judge_tap(prefix, lines, rc):
    """One test per TAP result; missing results (plan not met) fail."""
    tests = []
    plan, results = tap_results(lines)
    for ok, name, directive in results:
        if directive.upper().startswith("SKIP"):
            ok, name = False, name + " (skipped: " + directive[4:].strip() + ")"
        tests.append((ok, f"{prefix}{name}", ""))
    if plan is None:
        tests.append((False, f"{prefix}(no test plan: the runner did not start)", ""))
    elif len(results) != plan:
        tests.append((False, f"{prefix}(ran {len(results)} of {plan} planned tests)", ""))
    return tests


def suite_cases(doc, name):
    """The lines of a suite's KTAP document from its "# Subtest:" line on,
    so that the first plan is the plan of its cases."""
    for i, line in enumerate(doc):
        if line.strip() == f"# Subtest: {name}":
            return doc[i + 1:]
    return []


def judge_kunit(lines, suites):
    tests, seen, doc, name = [], set(), [], None
    for line in lines + ["@@ KTAP"]:
        if line.startswith("@@ KTAP"):
            if name:
                seen.add(name)
                tests += judge_tap(f"kunit {name}.", suite_cases(doc, name), 0)
            name, doc = line[8:].strip(), []
        else:
            doc.append(line)
    for s in suites:
        if s not in seen:
            tests.append((False, f"kunit {s} (suite did not run)", ""))
    return tests


def seed_of(lines):
    for line in lines:
        m = re.search(r"\bseed (\d+)", line)
        if m:
            return m.group(1)
    return "?"


def judge_lane(lane, d, suites):
    console, results = read(f"{d}/console.log"), read(f"{d}/results.log")
    status = read(f"{d}/status").strip() or "not run"
    secs = sections(results)
    m = re.search(r"^@@ MODE (\S+)$", results, re.M)
    mode = m.group(1) if m else "check"
    tests = []
    notes = []

    def step_ok(name, what):
        lines, rc = secs.get(name, ([], None))
        detail = "" if rc == 0 else ("did not run" if rc is None and name not in secs
                                     else f"exit {rc}")
        if rc != 0 and lines:
            detail += ": " + " | ".join(lines[-3:])
        tests.append((rc == 0, what, detail))

    def seeded(name, what):
        """A seeded run: pass on exit 0; the seed in its name either way."""
        lines = secs.get(name, ([], None))[0]
        step_ok(name, f"{what} (seed {seed_of(lines)})")
        notes.extend(l for l in lines if re.match(r"^(fuzz|torture): ", l))

    warnings = read(f"{d}/build-warnings").splitlines()
    tests.append((not warnings, "module builds with W=1 without warnings",
                  " | ".join(warnings[:3])))
    tests.append((status == "ok" and "@@ DONE" in results, "guest ran to completion",
                  "" if status == "ok" else status))
    reports = [l for l in console.splitlines() if KERNEL_REPORTS.search(l)]
    tests.append((not reports, "kernel log clean (panic, WARN, KASAN, KFENCE, lockdep, ...)",
                  " | ".join(reports[:3])))
    # The ext4 file system of the file-area tests, in every mode judged here.
    step_ok("ext4-mount", "ext4 on a loop device mounted for the tests")
    if mode == "check":
        if lane.startswith("stock"):
            host = sections(read(f"{d}/host-results.log"))
            for name in ("dkms-add", "dkms-build", "dkms-install", "dkms-remove"):
                lines, rc = host.get(name, ([], None))
                detail = "did not run" if rc is None else ("" if rc == 0 else f"exit {rc}")
                if rc != 0 and lines:
                    detail += ": " + " | ".join(lines[-3:])
                tests.append((rc == 0, f"host: make {name} against the lane's headers",
                              detail))
        tests += judge_tap("user ", *secs.get("autoload", ([], None)))
        step_ok("module-path", "modprobe found vmarena where it was installed"
                + (" (DKMS)" if lane.startswith("stock") else ""))
        if suites:
            step_ok("kunit-load", "kunit module loads")
            tests += judge_kunit(secs.get("kunit", ([], None))[0], suites)
            step_ok("kunit-unload", "kunit module unloads")
        tests += judge_tap("user ", *secs.get("user", ([], None)))
        tests += judge_tap("pkgconfig ", *secs.get("pkgconfig", ([], None)))
        seeded("fuzz", "ioctl fuzzer")
        seeded("torture", "concurrency torture with a shadow model")
        lines, rc = secs.get("failnth", ([], None))
        if "failnth: not in this kernel" in lines:
            notes.append("this kernel has no fault injection; the debug lanes run failnth")
        else:
            tests += judge_tap("failnth ", lines, rc)
            notes.extend(l for l in lines if l.startswith("# failnth:"))
        lines = secs.get("trinity", ([], None))[0]
        step_ok("trinity", f"trinity on /dev/vmarena (seed {seed_of(lines)})")
    elif mode == "exec":
        step_ok("exec", "the commands of VMARENA_EXEC")
        notes.extend(secs.get("exec", ([], None))[0])
    else:
        seeded(mode, {"fuzz": "ioctl fuzzer, long run",
                      "torture": "concurrency torture, long run"}.get(mode, mode))
    # Stock kernels have no kmemleak: say so instead of counting a pass.
    has_kmemleak = "kmemleak: not in this kernel" not in secs.get("kmemleak", ([], None))[0]
    if has_kmemleak:
        step_ok("kmemleak", "kmemleak clean after the tests")
    if mode == "check":
        tests += judge_tap("lifecycle ", *secs.get("lifecycle", ([], None)))
    step_ok("ext4-umount", "ext4 unmounts after the tests")
    step_ok("rmmod", "vmarena unloads")
    if mode == "check":
        step_ok("modprobe", "modprobe vmarena loads it again by name")
        step_ok("rmmod-again", "vmarena unloads again")
    if has_kmemleak:
        step_ok("kmemleak-after-rmmod", "kmemleak clean after unload")
    else:
        notes.append("this kernel has no kmemleak; the debug lanes scan for leaks")

    passed = sum(1 for ok, _, _ in tests if ok)
    failed = len(tests) - passed
    for ok, name, detail in tests:
        print(f"{'PASS' if ok else 'FAIL'} {lane}: {name}" + (f"  [{detail}]" if detail else ""))
    for note in notes:
        print(f"NOTE {lane}: {note}")
    print(f"LANE {lane}: {passed} passed, {failed} failed")
    with open(f"{d}/summary", "w") as f:
        json.dump({"lane": lane, "passed": passed, "failed": failed}, f)
    return failed == 0


def judge_steps(name, d, steps):
    """A host-side lane (host.sh): every step named must have run and ended 0."""
    secs = sections(read(f"{d}/results.log"))
    tests = []
    for step in steps:
        lines, rc = secs.get(step, ([], None))
        detail = "did not run" if rc is None else ("" if rc == 0 else f"exit {rc}")
        if rc != 0 and lines:
            detail += ": " + " | ".join(lines[-3:])
        tests.append((rc == 0, step, detail))
    passed = sum(1 for ok, _, _ in tests if ok)
    failed = len(tests) - passed
    for ok, step, detail in tests:
        print(f"{'PASS' if ok else 'FAIL'} {name}: {step}" + (f"  [{detail}]" if detail else ""))
    print(f"LANE {name}: {passed} passed, {failed} failed")
    with open(f"{d}/summary", "w") as f:
        json.dump({"lane": name, "passed": passed, "failed": failed}, f)
    return failed == 0


def total(dirs):
    passed = failed = 0
    for d in dirs:
        try:
            with open(f"{d}/summary") as f:
                s = json.load(f)
        except (FileNotFoundError, ValueError):
            print(f"FAIL {os.path.basename(d)}: lane left no summary")
            failed += 1
            continue
        passed += s["passed"]
        failed += s["failed"]
    print(f"{passed} passed, {failed} failed")
    return failed == 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "lane":
        return 0 if judge_lane(argv[2], argv[3], argv[4:]) else 1
    if len(argv) >= 4 and argv[1] == "steps":
        return 0 if judge_steps(argv[2], argv[3], argv[4:]) else 1
    if len(argv) >= 3 and argv[1] == "total":
        return 0 if total(argv[2:]) else 1
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
