#!/usr/bin/python3
"""Every specimen in specimens/index.tsv gets its indexed verdict from
`letterkit check --json`: the same message and the same invalid_pages, and
the exit status that goes with them (0 valid, 1 invalid). Prints each
disagreement; exits 1 if there is any."""
import json
import os
import subprocess
import sys

source = os.environ["SOURCE_ROOT"]
build = os.environ["BUILD_ROOT"]
letterkit = os.environ["LETTERKIT"]
only = sys.argv[1:]   # rerun one case: specimens.py generated/truncated.pdf


def path_of(name):
    if name.startswith("generated/"):
        return os.path.join(build, "specimens", name)
    return os.path.join(source, "specimens", name)


failures = cases = 0
with open(os.path.join(source, "specimens", "index.tsv"), encoding="utf-8") as index:
    for line in index:
        if line.startswith("#") or not line.strip():
            continue
        name, producer, options, verdict, pages, what = line.rstrip("\n").split("\t")
        if only and name not in only:
            continue
        cases += 1
        args = [letterkit, "check", "--json"] + ([] if options == "-" else options.split())
        run = subprocess.run(args + [path_of(name)], capture_output=True, text=True, timeout=60)
        want_pages = None if pages == "-" else [int(p) for p in pages.split(",")]
        want_message = None if verdict == "valid" else verdict
        want_status = 0 if verdict == "valid" else 1
        problems = []
        try:
            got = json.loads(run.stdout)
        except json.JSONDecodeError:
            got = {}
            problems.append(f"output is not JSON: {run.stdout!r} {run.stderr!r}")
        if got.get("message") != want_message:
            problems.append(f"message {got.get('message')!r}, want {want_message!r}")
        if got.get("invalid_pages") != want_pages:
            problems.append(f"invalid_pages {got.get('invalid_pages')!r}, want {want_pages!r}")
        if got.get("valid") != (verdict == "valid"):
            problems.append(f"valid {got.get('valid')!r}")
        if run.returncode != want_status:
            problems.append(f"exit {run.returncode}, want {want_status}")
        if problems:
            failures += 1
            print(f"FAIL {name} [{producer}] {options} ({what}): " + "; ".join(problems))
print(f"{cases - failures} of {cases} specimens got their indexed verdict")
sys.exit(1 if failures or cases == 0 else 0)
