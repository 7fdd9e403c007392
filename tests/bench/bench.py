#!/usr/bin/env python3
"""Benchmark: the full pipeline per fixture (local file to every artifact),
with --workers 1 and the default, all checked-in versions in one invocation,
and two references measured in the same run: `cat` of the fixture and a
minimal Python json.load of the schema slice.

Prints min / median wall time and peak RSS (the largest of the process and
its script sandbox, from wait4) per case.

usage: tests/bench/bench.py [--runs N] [--bin PATH] [--fixtures DIR]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = ("pve-9.1.js", "pve-8.4.js", "pbs-4.js")


def measure(argv, runs, cwd=None, stdin=None):
    walls, rss = [], []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, stdin=stdin)
        _, status, usage = os.wait4(p.pid, 0)
        walls.append(time.perf_counter() - t)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"bench: {' '.join(argv)} failed: {err}")
        rss.append(usage.ru_maxrss / 1024.0)
    return min(walls), statistics.median(walls), max(rss)


def measure_fresh(argv, runs):
    """Each run writes a new version directory (nothing to hard-link)."""
    res = [measure(argv + ["--version-tag", f"fresh{i}"], 1) for i in range(runs)]
    return (min(r[0] for r in res), statistics.median(r[1] for r in res),
            max(r[2] for r in res))


def row(name, res):
    lo, med, rss = res
    print(f"{name:<52} {lo * 1e3:9.1f} {med * 1e3:9.1f} {rss:9.1f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "proxmox-sdk-codegen"))
    ap.add_argument("--fixtures", default=os.environ.get(
        "PVECG_FIXTURES", os.path.join(ROOT, "tests", "fixtures", "apidoc")))
    a = ap.parse_args()
    fx = os.path.abspath(a.fixtures)
    a.bin = os.path.abspath(a.bin)
    out = tempfile.mkdtemp(prefix="pvecg-bench-")
    slice_py = ("import json,sys;s=open(sys.argv[1]).read();"
                "i=s.index('[');json.JSONDecoder().raw_decode(s,i)")
    print(f"{a.runs} runs each; {os.cpu_count()} cores; binary {a.bin}")
    print(f"{'case':<52} {'min ms':>9} {'median ms':>9} {'peak MiB':>9}")
    for f in FIXTURES:
        path = os.path.join(fx, f)
        base = [a.bin, "--quiet", "--source", path, "--version-tag", "b",
                "--output-dir", os.path.join(out, f)]
        row(f"{f}: pipeline, default workers", measure(base, a.runs))
        row(f"{f}: pipeline, --workers 1", measure(base + ["--workers", "1"], a.runs))
        fresh = [a.bin, "--quiet", "--source", path, "--output-dir", os.path.join(out, "fresh")]
        row(f"{f}: pipeline, new tag every run", measure_fresh(fresh, a.runs))
        row(f"{f}: reference cat", measure(["cat", path], a.runs))
        row(f"{f}: reference python json.load of the slice",
            measure([sys.executable, "-c", slice_py, path], a.runs))
    every = [a.bin, "--quiet"]
    for f, tag, prod in (("pve-8.4.js", "8.4", "pve"), ("pve-9.1.js", "9.1", "pve"),
                         ("pbs-4.js", "4", "pbs")):
        every += ["--source", os.path.join(fx, f), "--product", prod, "--version-tag", tag]
    row("all checked-in versions, one invocation", measure(every, a.runs, cwd=out))
    subprocess.run(["rm", "-rf", out], check=True)


if __name__ == "__main__":
    main()
