#!/usr/bin/env python3
"""Benchmark: the full pipeline per fixture (local file to every artifact,
into a fresh output directory every run, the in-memory self-check
included), with --workers 1 and the default, and the yardstick measured
pairwise in the same run: Debian's /usr/bin/python3 reading the fixture and
running json.loads on the schema slice. Runs are interleaved (pipeline,
reference, pipeline, ...), so a change in machine load hits both sides of
a pair; the ratio reported is the median of the per-pair ratios.

Also prints `cat` of the fixture, all checked-in versions in one
invocation, and the per-stage medians of --timings. With --baseline BIN a
second binary (say, the build before a change) is measured in the same
interleaved loop, for a before/after table taken under the same load.

Peak RSS is the largest of the process and its script sandbox (wait4):
the largest over the runs, and the median of the runs.

With --floors, per fixture, the work no pipeline over that input can skip,
timed by bench_floors in one process (parse the slice, write the documents,
hash the files, parse the documents again, write the files), and the
start-up of this binary and of the Python yardstick: the measured floor the
stages are compared with.

usage: tests/bench/bench.py [--runs N] [--bin PATH] [--baseline PATH]
                            [--fixtures DIR] [--python PATH] [--only FIXTURE]
                            [--floors] [--floors-bin PATH]
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = ("pve-9.1.js", "pve-8.4.js", "pbs-4.js")
SLICE_PY = ("import json,sys;s=open(sys.argv[1]).read();"
            "i=s.index('[');json.JSONDecoder().raw_decode(s,i)")
STAGE_RE = re.compile(r"^\s+(\w+)\s+([0-9.]+) ms$")


def run_once(argv, cwd=None):
    """(wall seconds, peak RSS MiB, stderr text) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {err}")
    return wall, usage.ru_maxrss / 1024.0, err


class Series:
    def __init__(self, name):
        self.name, self.walls, self.rss, self.stages = name, [], [], {}

    def add(self, wall, rss, err=""):
        self.walls.append(wall)
        self.rss.append(rss)
        for line in err.splitlines():
            m = STAGE_RE.match(line)
            if m:
                self.stages.setdefault(m.group(1), []).append(float(m.group(2)))

    def med(self):
        return statistics.median(self.walls)


def has_workers(binary):
    out = subprocess.run([binary, "--help"], capture_output=True, text=True)
    return "--workers" in out.stdout + out.stderr


def row(name, s, ref=None):
    ratio = ""
    if ref is not None:
        r = statistics.median(a / b for a, b in zip(s.walls, ref.walls))
        ratio = f"{r:8.2f}x"
    print(f"{name:<50} {min(s.walls) * 1e3:8.1f} {s.med() * 1e3:9.1f} "
          f"{max(s.rss):8.1f} {statistics.median(s.rss):8.1f} {ratio}")


def stage_table(series):
    names = []
    for s in series:
        for k in s.stages:
            if k not in names:
                names.append(k)
    if not names:
        return
    print(f"\nper-stage medians (ms, --timings of the default-workers runs)")
    print(f"{'stage':<10}" + "".join(f" {s.name:>14}" for s in series))
    for k in names:
        cells = []
        for s in series:
            v = s.stages.get(k)
            cells.append(f" {statistics.median(v):14.1f}" if v else f" {'-':>14}")
        print(f"{k:<10}" + "".join(cells))


def bench_fixture(a, f, bins, out):
    path = os.path.join(a.fixtures, f)
    py = Series("python")
    cat = Series("cat")
    per_bin = []
    for label, b, workers in bins:
        variants = [("default", [])]
        if workers:
            variants.append(("--workers 1", ["--workers", "1"]))
        per_bin.append([(label, b, v, extra, Series(label)) for v, extra in variants])
    for i in range(a.runs):
        for group in per_bin:
            for label, b, v, extra, s in group:
                d = os.path.join(out, f"run{i}")
                argv = [b, "--quiet", "--source", path, "--version-tag", "t",
                        "--output-dir", d] + extra
                if v == "default":
                    argv.append("--timings")
                s.add(*run_once(argv))
                shutil.rmtree(d)
        py.add(*run_once([a.python, "-c", SLICE_PY, path])[:2])
        cat.add(*run_once(["cat", path])[:2])
    print(f"\n{f}")
    print(f"{'case':<50} {'min ms':>8} {'median ms':>9} {'peak MiB':>8} {'med MiB':>8} "
          f"{'vs python':>9}")
    for group in per_bin:
        for label, b, v, extra, s in group:
            row(f"  pipeline {label}, {v}, fresh dir", s, py)
    row(f"  reference {a.python} json.loads of the slice", py)
    row("  reference cat", cat)
    stage_table([g[0][4] for g in per_bin])
    if a.floors:
        floors(a, path, bins[-1][1], out)


# The Python yardstick's own split: start-up, then the parse in-process.
PY_PARSE = ("import json,sys,time;s=open(sys.argv[1]).read();i=s.index('[');"
            "t=time.perf_counter();json.JSONDecoder().raw_decode(s,i);"
            "print(time.perf_counter()-t)")


def floors(a, path, binary, out):
    d = os.path.join(out, "floors")
    run_once([binary, "--quiet", "--source", path, "--version-tag", "t", "--output-dir", d])
    print()
    sys.stdout.flush()
    subprocess.run([a.floors_bin, path, os.path.join(d, "t"), str(max(a.runs, 3))],
                   check=True)
    shutil.rmtree(d)
    start, py_start, py_parse = Series("start"), Series("python start"), []
    for _ in range(max(a.runs, 3)):
        start.add(*run_once([binary, "--version"])[:2])
        py_start.add(*run_once([a.python, "-c", "pass"])[:2])
        p = subprocess.run([a.python, "-c", PY_PARSE, path], check=True,
                           capture_output=True, text=True)
        py_parse.append(float(p.stdout) * 1e3)
    print(f"  {'start-up: this binary, --version':<40} {'':>9} "
          f"{min(start.walls) * 1e3:9.1f} {start.med() * 1e3:9.1f}")
    print(f"  {'start-up: ' + a.python + ' -c pass':<40} {'':>9} "
          f"{min(py_start.walls) * 1e3:9.1f} {py_start.med() * 1e3:9.1f}")
    print(f"  {'python json.loads of the slice, in-process':<40} {'':>9} "
          f"{min(py_parse):9.1f} {statistics.median(py_parse):9.1f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "proxmox-sdk-codegen"))
    ap.add_argument("--baseline", help="a second binary measured in the same loop")
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--only", help="one fixture file name, e.g. pve-9.1.js")
    ap.add_argument("--floors", action="store_true",
                    help="also time the unavoidable work (bench_floors) and start-up")
    ap.add_argument("--floors-bin",
                    default=os.path.join(ROOT, "build", "tests", "bench_floors"))
    ap.add_argument("--fixtures", default=os.environ.get(
        "PVECG_FIXTURES", os.path.join(ROOT, "tests", "fixtures", "apidoc")))
    a = ap.parse_args()
    a.fixtures = os.path.abspath(a.fixtures)
    bins = [("this", os.path.abspath(a.bin))]
    if a.baseline:
        bins.insert(0, ("baseline", os.path.abspath(a.baseline)))
    bins = [(label, b, has_workers(b)) for label, b in bins]
    out = tempfile.mkdtemp(prefix="pvecg-bench-")
    load = os.getloadavg()
    print(f"{a.runs} pairs each; {os.cpu_count()} cores; load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    for label, b, w in bins:
        print(f"{label}: {b}{'' if w else ' (no --workers option)'}")
    try:
        for f in ([a.only] if a.only else FIXTURES):
            bench_fixture(a, f, bins, out)
        every = []
        for f, tag, prod in (("pve-8.4.js", "8.4", "pve"), ("pve-9.1.js", "9.1", "pve"),
                             ("pbs-4.js", "4", "pbs")):
            every += ["--source", os.path.join(a.fixtures, f), "--product", prod,
                      "--version-tag", tag]
        if not a.only:
            print()
            for label, b, w in bins:
                s = Series(label)
                for i in range(a.runs):
                    d = os.path.join(out, f"all{i}")
                    os.mkdir(d)
                    s.add(*run_once([b, "--quiet"] + every, cwd=d)[:2])
                    shutil.rmtree(d)
                row(f"all checked-in versions, one invocation ({label})", s)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
