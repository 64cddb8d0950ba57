#!/usr/bin/env python3
"""Every code the sources can emit has an explanation in common/lk_explain.c.

The codes are found in the sources, not listed here, so a new code without
text fails this test: the #define'd codes of check, address and compose, the
codes send's outcomes are recorded under, run's tally codes, Notify's status
names (the client's and the sandbox's lists) and its API error names. Each is
asked of the real `letterkit explain CODE`, which must answer 0 with the code,
its short form and a long form; the whole table must keep to 76 columns.
Needs LETTERKIT and SOURCE_ROOT.
"""
import glob
import os
import re
import subprocess
import sys

root = os.environ["SOURCE_ROOT"]
letterkit = os.environ["LETTERKIT"]
CODE = r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z]+)"'


def text(pattern):
    for path in sorted(glob.glob(os.path.join(root, pattern))):
        with open(path, encoding="utf-8") as f:
            yield path, f.read()


def strings(s):
    return re.findall(CODE, s)


codes = {}


def found(code, where):
    codes.setdefault(code, where)


# 1. the #define'd codes: check's verdicts, the address rules, address's batch errors, compose's
for path, src in text("*/*.[ch]"):
    if "/tests/" in path or "/fuzz/" in path:
        continue
    for m in re.finditer(r'#define\s+(?:PDFCHECK|ADDRESS_ERR|COMPOSE_ERR|ERR)_[A-Z0-9_]+\s+"([a-z0-9-]+)"', src):
        found(m.group(1), path)
# 2. send's outcomes: finish()/record_unsent() codes, refusals, unreachable, .code/->code/*code assignments
for pattern in ("upload/*.c", "pipeline/*.c"):
    for path, src in text(pattern):
        for m in re.finditer(r'(?:finish|record_unsent)\([^;]*?UPLOAD_R_[A-Z]+,\s*"([a-z-]+)"', src):
            found(m.group(1), path)
        for m in re.finditer(r'(?:\*code|\.code|->code|->refusal|->unreachable)\s*=\s*([^;,}]+(?:\?[^;]+)?)[;,}]', src):
            for c in strings(m.group(1)):
                found(c, path)
        for m in re.finditer(r'count_code\(t,\s*"([a-z-]+)"\)', src):
            found(m.group(1), path)
# 3. the lists of states and statuses: send's result states, Notify's statuses (client and sandbox)
for path, src in text("*/*.c"):
    for m in re.finditer(r'(?:result_state|terminal|status_names|statuses)\[[A-Z_]*\]\s*=\s*\{([^}]*)\}', src):
        for c in strings(m.group(1)):
            found(c, path)
# 4. Notify's API error names, as the sandbox gives them and the client counts refusals under
for pattern in ("sandbox/*.c", "upload/*.c"):
    for path, src in text(pattern):
        for c in re.findall(r'"([A-Z][A-Za-z]+Error)"', src):
            found(c, path)
# 5. check's verdict for a letter that passed, as the summaries name it
found("valid", "the summaries")

if len(codes) < 60:
    print(f"only {len(codes)} codes found in the sources: the patterns above no longer match them")
    sys.exit(1)

if os.environ.get("EXPLAIN_LIST"):
    print(" ".join(sorted(codes)))
failures = 0
for code, where in sorted(codes.items()):
    p = subprocess.run([letterkit, "explain", code], capture_output=True, text=True)
    lines = p.stdout.splitlines()
    if p.returncode != 0 or not lines or not lines[0].startswith(code + " (") or len(lines) < 4:
        print(f"FAIL {code} (from {os.path.relpath(where, root)}): no explanation "
              f"(exit {p.returncode}: {p.stderr.strip()})")
        failures += 1

everything = subprocess.run([letterkit, "explain"], capture_output=True, text=True)
wide = [l for l in everything.stdout.splitlines() if len(l) > 80]
if everything.returncode != 0 or wide:
    print(f"FAIL letterkit explain: exit {everything.returncode}, lines over 80 columns: {wide[:3]}")
    failures += 1
unknown = subprocess.run([letterkit, "explain", "no-such-code"], capture_output=True, text=True)
if unknown.returncode != 2 or "no-such-code" not in unknown.stderr:
    print(f"FAIL an unknown code: exit {unknown.returncode}, stderr {unknown.stderr!r}")
    failures += 1
print(f"{len(codes)} codes found in the sources, {failures} failures")
sys.exit(1 if failures else 0)
