#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host side of make bench.

  report.py extract LANE RESULTS_LOG OUTDIR
      take the guest's JSON (section "bench-json" of results.log) to
      OUTDIR/LANE.json and print the guest's table (section "bench")
  report.py chart OUTDIR LANE...
      one table over the lanes, and OUTDIR/ratios.png (gnuplot): the
      median ratio of each metric per lane, with the goals
  report.py markdown OUTDIR LANE...
      the same table in Markdown, for the README

Exit status 1 when a lane gave no JSON (the guest did not finish).
"""
import json
import os
import shutil
import subprocess
import sys


def sections(path):
    """{name: (lines, rc)} of a results.log."""
    out, cur, lines = {}, None, []
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if line.startswith("@@ BEGIN "):
                cur, lines = line[len("@@ BEGIN "):], []
            elif line.startswith("@@ END ") and cur:
                out[cur] = (lines, line.split()[-1])
                cur = None
            elif cur:
                lines.append(line)
    return out


def extract(lane, log, outdir):
    if not os.path.exists(log):
        print(f"report.py: {lane}: no {log}", file=sys.stderr)
        return 1
    sec = sections(log)
    bench = sec.get("bench")
    if bench:
        print(f"== {lane} ==")
        print("\n".join(l for l in bench[0] if not l.startswith("vmarena-bench: ")))
    js = sec.get("bench-json")
    if not js or js[1] != "0" or (bench and bench[1] != "0"):
        print(f"report.py: {lane}: the benchmark did not finish (see {log})",
              file=sys.stderr)
        return 1
    # init's step() ends every section with what holds the module.
    data = json.loads("\n".join(l for l in js[0] if not l.startswith("(vmarena refcnt ")))
    data["lane"] = lane
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, f"{lane}.json"), "w") as f:
        json.dump(data, f, indent=1)
    print(f"report.py: wrote {os.path.join(outdir, lane + '.json')}")
    return 0


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def chart(outdir, lanes):
    runs = []
    for lane in lanes:
        path = os.path.join(outdir, f"{lane}.json")
        if not os.path.exists(path):
            print(f"report.py: no {path}", file=sys.stderr)
            return 1
        with open(path) as f:
            runs.append(json.load(f))

    # The combined table: one ratio column per lane.
    names = [m["name"] for m in runs[0]["metrics"]]
    print()
    print("ratios (native time / vmarena time; scaling rows: vmarena / native; "
          "memory rows: vmarena value)")
    print(f"{'metric':30} " + " ".join(f"{r['lane'] + ' (' + r['kernel'] + ')':>34}"
                                        for r in runs) + "  goal")
    for name in names:
        cells, goal = [], ""
        for r in runs:
            m = next((x for x in r["metrics"] if x["name"] == name), None)
            if m is None:
                cells.append(f"{'-':>34}")
                continue
            goal = m.get("goal", "")
            met = m.get("goal_met")
            mark = "" if met is None or not m.get("goal_ratio", 1) else \
                (" ok" if met else " MISS")
            if m.get("ratio") is None:
                cell = f"{fmt(m['vmarena'], '.1f')} {m['unit']}"
                if "goal_met" in m and m["goal"].startswith("<="):
                    mark = " ok" if m["goal_met"] else " MISS"
            else:
                cell = f"{m['ratio']:.2f}x ±{100 * m['spread']:.0f}%"
                if m.get("scaling"):
                    cell = f"va {m['vmarena']:.2f} nat {m['native']:.2f} " + cell
            cells.append(f"{cell + mark:>34}")
        print(f"{name:30} " + " ".join(cells) + f"  {goal}")

    # The chart: ratio metrics only, one bar per lane, log scale, 1.0 line.
    dat = os.path.join(outdir, "ratios.dat")
    rows = [n for n in names
            if all(next((x for x in r["metrics"] if x["name"] == n), {}).get("ratio")
                   is not None for r in runs)]
    with open(dat, "w") as f:
        f.write("metric " + " ".join(r["lane"] for r in runs) + "\n")
        for n in rows:
            vals = [next(x for x in r["metrics"] if x["name"] == n)["ratio"] for r in runs]
            f.write(n.replace("_", "-") + " " + " ".join(f"{v:.4f}" for v in vals) + "\n")
    png = os.path.join(outdir, "ratios.png")
    if not shutil.which("gnuplot"):
        print("report.py: gnuplot missing (tests/qemu/setup.sh installs it)",
              file=sys.stderr)
        return 1
    title = "vmarena vs native: ratio (>1: vmarena better), " + \
        ", ".join(f"{r['lane']} {r['kernel']}" for r in runs) + \
        f", {runs[0]['date'][:10]}, qemu TCG {runs[0]['cpus']} CPUs"
    plot = ", ".join(
        f"'{dat}' using {i + 2}:xtic(1) title columnheader({i + 2})"
        for i in range(len(runs)))
    script = f"""
set terminal pngcairo size 1200,580 font ',9'
set output '{png}'
set title "{title}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y 2
set yrange [0.03:256]
set ytics (0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256)
set grid ytics
set xtics rotate by -35 left
set key top right
set bmargin 12
set rmargin 14
plot {plot}, 1 with lines lw 2 lc rgb 'black' notitle
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"report.py: wrote {png}")
    return 0


def markdown(outdir, lanes):
    runs = []
    for lane in lanes:
        with open(os.path.join(outdir, f"{lane}.json")) as f:
            runs.append(json.load(f))
    head = "| metric | " + " | ".join(f"{r['lane']} ({r['kernel']})" for r in runs) + \
        " | goal |"
    print(head)
    print("| --- " * (len(runs) + 2) + "|")
    for m0 in runs[0]["metrics"]:
        cells = []
        for r in runs:
            m = next((x for x in r["metrics"] if x["name"] == m0["name"]), None)
            if m is None:
                cells.append("-")
            elif m.get("ratio") is None:
                extra = ""
                if "native" in m and m["native"] is not None:
                    extra = f" (native {m['native']:.0f})"
                cells.append(f"{m['vmarena']:.1f} {m['unit']}{extra}")
            elif m.get("scaling"):
                cells.append(f"vmarena {m['vmarena']:.2f}, native {m['native']:.2f} "
                             f"(±{100 * m['spread']:.0f}%)")
            else:
                f = m.get("vmarena_faults_per_page")
                fl = f", {f:.2f} faults/page" if f and m["unit"] == "us/page" else ""
                cells.append(f"**{m['ratio']:.2f}x** (±{100 * m['spread']:.0f}%{fl})")
        print(f"| `{m0['name']}` | " + " | ".join(cells) + f" | {m0.get('goal', '')} |")
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "extract":
        return extract(argv[2], argv[3], argv[4])
    if len(argv) >= 4 and argv[1] == "markdown":
        return markdown(argv[2], argv[3:])
    if len(argv) >= 4 and argv[1] == "chart":
        return chart(argv[2], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
