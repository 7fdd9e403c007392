#!/usr/bin/env python3
"""Checks rules of the tool's own sources that no compiler checks:

- the Proxmox products are listed only in src/product.c: no other file
  under src/ or include/ has string literals naming three or more
  different products ("pve", "pbs", "pmg", "pdm") within WINDOW lines;
- the HTTP methods are listed only in src/httpmethod.c: no other file has
  string literals naming four or more different methods ("GET", "post",
  ...; either case) within WINDOW lines;
- every .c file under src/ opens with a comment (what the file is for);
- no comment under src/, include/, tests/ or scripts/ points at documents
  outside the repository (the design notes, a brief) or at an issue
  number, or says who wrote what.

Files are the tracked ones (git ls-files) when ROOT is a git work tree,
else every file below the scanned directories.

usage: source_rules.py ROOT
Prints one line per violation ("path:line: rule: text") and the number of
files scanned; exits 1 when there is a violation.
"""
import os
import re
import subprocess
import sys

WINDOW = 8
PRODUCTS = ("pve", "pbs", "pmg", "pdm")
METHODS = ("get", "post", "put", "delete", "patch", "head", "options")
PRODUCT_RX = re.compile(r'"(%s)"' % "|".join(PRODUCTS))
METHOD_RX = re.compile(r'"(%s)"' % "|".join(METHODS), re.IGNORECASE)
# Written so that this file does not match itself.
REFERENCE_RX = re.compile(
    r"(DESIGN|STYLE|BRIEF)\.md|team\s+brief|\bissues?\s+#?[0-9]+\b|\bthe\s+lead\b"
    r"|\bowner:\s+[a-z ]*helper", re.IGNORECASE)

# The one table of each fact.
TABLE = {"products": "src/product.c", "methods": "src/httpmethod.c"}


def tracked(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "src", "include",
                              "tests", "scripts"], check=True,
                             capture_output=True, text=True).stdout
        files = out.split()
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:
        for top in ("src", "include", "tests", "scripts"):
            for d, _, names in os.walk(os.path.join(root, top)):
                files += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return sorted(f for f in files if not f.startswith("tests/fixtures/")
                  and not f.startswith("tests/npm/package")
                  and os.path.isfile(os.path.join(root, f)))


def list_hits(lines, rx, need):
    """(line number, names) of the first window holding need distinct names."""
    found = []  # (line index, lower-case name)
    for i, line in enumerate(lines):
        for m in rx.finditer(line):
            found.append((i, m.group(1).lower()))
    for k, (start, _) in enumerate(found):
        names = {n for j, n in found[k:] if j < start + WINDOW}
        if len(names) >= need:
            return start + 1, sorted(names)
    return None


def check_file(path, text, bad):
    lines = text.split("\n")
    code = path.endswith((".c", ".h"))
    if code and (path.startswith("src/") or path.startswith("include/")):
        for rule, rx, need in (("products", PRODUCT_RX, 3), ("methods", METHOD_RX, 4)):
            if path == TABLE[rule]:
                continue
            hit = list_hits(lines, rx, need)
            if hit:
                bad.append("%s:%d: %s: a list of %s outside %s" %
                           (path, hit[0], rule, ", ".join(hit[1]), TABLE[rule]))
    if path.startswith("src/") and path.endswith(".c") and not text.startswith("/*"):
        bad.append("%s:1: opening comment: the file does not open with a comment "
                   "saying what it is for" % path)
    for i, line in enumerate(lines):
        m = REFERENCE_RX.search(line)
        if m:
            bad.append("%s:%d: references: '%s' points outside the code" %
                       (path, i + 1, m.group(0)))


def main():
    root = sys.argv[1]
    bad = []
    files = tracked(root)
    for path in files:
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            continue
        check_file(path, text, bad)
    for line in bad:
        print(line)
    print("%d files scanned, %d violations" % (len(files), len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
