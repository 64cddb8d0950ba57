#!/usr/bin/env bash
# Issue 14 item 14: a file name that is not UTF-8 keeps every output valid.
# In JSON "file" is readable (U+FFFD for the bad byte) and "file_base64"
# holds the exact bytes; a record carrying them is read back exactly; JUnit
# XML, the HTML report and GitHub annotations stay UTF-8.
# Failed before the fix: `check --json` dropped the record with "cannot
# write the standard output: Input/output error", and scan refused to write it.
. "$SOURCE_ROOT/tests/e2e/lib.sh"
db=$SOURCE_ROOT/specimens/clamav
gen=$BUILD_ROOT/specimens/generated
good=$tmp/$'x\xfe.pdf' bad=$tmp/$'y\xfe.pdf'
cp "$gen/valid-1-page.pdf" "$good"
cp "$gen/outside-left-margin-by-1mm.pdf" "$bad"

# json_names WHAT FILE NAME...: each line of FILE is JSON (strict UTF-8) whose
# "file_base64" gives back NAME exactly, in order.
json_names() {
    local what=$1 file=$2; shift 2
    python3 - "$file" "$@" <<'PY' || fail "$what: $(cat "$file")"
import base64, json, os, sys
lines = open(sys.argv[1], "rb").read().splitlines()
names = [os.fsencode(n) for n in sys.argv[2:]]
assert len(lines) == len(names), lines
for line, name in zip(lines, names):
    rec = json.loads(line.decode("utf-8"))
    assert base64.b64decode(rec["file_base64"]) == name, rec
    assert rec["file"] == name.decode("utf-8", "replace"), rec
PY
}

"$LETTERKIT" check --json "$good" "$bad" >"$tmp/check.ndjson" 2>"$tmp/err"
status=$?
[ "$status" -eq 1 ] || fail "check --json: exit $status, want 1: $(cat "$tmp/err")"
json_names "check --json" "$tmp/check.ndjson" "$good" "$bad"
grep -q "cannot write" "$tmp/err" && fail "check --json: $(cat "$tmp/err")"

# The records read back: the exact bytes are checked (the letter passes), and
# they keep file_base64 on the way out.
"$LETTERKIT" check - <"$tmp/check.ndjson" >"$tmp/again.ndjson" 2>"$tmp/err"
status=$?
[ "$status" -eq 1 ] || fail "check records: exit $status, want 1: $(cat "$tmp/err")"
json_names "check records" "$tmp/again.ndjson" "$good" "$bad"
python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert recs[0]["check"]["valid"] is True and recs[1]["check"]["valid"] is False, recs
' "$tmp/again.ndjson" || fail "the records were not checked by their exact names: $(cat "$tmp/again.ndjson")"

# JUnit XML and the HTML report parse as UTF-8.
"$LETTERKIT" check --junit "$tmp/junit.xml" --report "$tmp/report.html" "$good" "$bad" >/dev/null 2>&1
python3 - "$tmp/junit.xml" "$tmp/report.html" <<'PY' || fail "JUnit or HTML not UTF-8"
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().findall("./testsuite/testcase")
assert [c.get("name").endswith("x\ufffd.pdf") for c in cases] == [True, False], [c.attrib for c in cases]
open(sys.argv[2], "rb").read().decode("utf-8")
PY
# GitHub annotations and human lines are UTF-8.
for fmt in github human; do
    "$LETTERKIT" check --format $fmt "$good" "$bad" >"$tmp/$fmt.txt" 2>&1
    python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$tmp/$fmt.txt" ||
        fail "--format $fmt is not UTF-8: $(cat "$tmp/$fmt.txt")"
done

# scan: the same record form, and records read back by their exact names.
"$LETTERKIT" scan --json --db "$db" "$good" "$bad" >"$tmp/scan.ndjson" 2>"$tmp/err"
status=$?
[ "$status" -eq 0 ] || fail "scan --json: exit $status, want 0: $(cat "$tmp/err")"
json_names "scan --json" "$tmp/scan.ndjson" "$good" "$bad"
"$LETTERKIT" scan --db "$db" - <"$tmp/check.ndjson" >"$tmp/scan2.ndjson" 2>"$tmp/err"
status=$?
[ "$status" -eq 0 ] || fail "scan records: exit $status, want 0: $(cat "$tmp/err")"
json_names "scan records" "$tmp/scan2.ndjson" "$good" "$bad"
finish
