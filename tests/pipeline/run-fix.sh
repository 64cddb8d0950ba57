#!/usr/bin/env bash
# run --fix (issue 17): fix runs between check and scan on the letters check
# failed. A letter whose footer is 2 mm into the bottom margin of page 2
# (reportlab) is fixed, scanned and sent as the fixed copy; a letter whose
# address has two lines (data: no fixup touches it) stays failed with fix's
# reason; a letter that passes goes through untouched, not copied. Every
# letter is in the summary and in --results with one fate; a rerun sends
# nothing twice.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/../faults/lib.sh"

# footer_letter PATH PAGE [LINES]: two pages, the address (its first LINES
# lines, default 4) in the window, an 8 pt footer from 3 mm above the bottom
# edge (2 mm into the 5 mm margin) on PAGE (0: none).
footer_letter() {
    "$py" - "$@" <<'PY' || fail "reportlab could not make $1"
import sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
MM = 72 / 25.4
path, footer_page = sys.argv[1], int(sys.argv[2])
lines = int(sys.argv[3]) if len(sys.argv) > 3 else 4
w, h = A4
c = canvas.Canvas(path, pagesize=A4, invariant=1)
for page in (1, 2):
    c.setFont("Helvetica", 10)
    if page == 1:
        for i, line in enumerate(["Ms A Person", "1 High Street", "Leeds", "LS1 1AA"][4 - lines:]):
            c.drawString(30 * MM, h - (45 + 5 * i) * MM, line)
        c.drawString(20 * MM, h - 120 * MM, "Dear Ms Person, this is page one.")
    else:
        c.drawString(20 * MM, h - 40 * MM, "Page two of the letter.")
    if page == footer_page:
        c.setFont("Helvetica", 8)
        c.drawString(20 * MM, 3 * MM, "Department of Examples, 1 Example Street, London SW1A 1AA")
    c.showPage()
c.save()
PY
}
footer_letter fixable.pdf 2
footer_letter unfixable.pdf 0 2
cp "$gen/valid-1-page.pdf" valid.pdf
"$LETTERKIT" check -q fixable.pdf >/dev/null && fail "fixable.pdf passes check before fixing: the generator is wrong"

# Usage: --fix-dir goes with --fix; an unusable one is refused before any letter.
expect_status 2 "$LETTERKIT" run --fix-dir somewhere valid.pdf
expect_contains "$err" "--fix-dir needs --fix"
: >a-file
expect_status 2 "$LETTERKIT" run --quiet --db "$db" --fix --fix-dir a-file/fixed valid.pdf
expect_contains "$err" "a-file"
[ -z "$out" ] || fail "run wrote records before refusing --fix-dir: $out"
# --fix-only and --fix-min-scale: fix's --only and --min-scale, read as fix
# reads them, refused before any letter when wrong.
expect_status 2 "$LETTERKIT" run --fix-only a4 valid.pdf
expect_contains "$err" "--fix-only needs --fix"
expect_status 2 "$LETTERKIT" run --fix-min-scale 0.95 valid.pdf
expect_contains "$err" "--fix-min-scale needs --fix"
expect_status 2 "$LETTERKIT" run --quiet --db "$db" --fix --fix-only a4,bogus valid.pdf
expect_contains "$err" "bogus"
[ -z "$out" ] || fail "run wrote records before refusing --fix-only: $out"
expect_status 2 "$LETTERKIT" run --quiet --db "$db" --fix --fix-min-scale 1.5 valid.pdf
expect_contains "$err" "--fix-min-scale"
# Passed on: with only notify-tag allowed, the footer is not moved or scaled,
# and the letter stays failed with check's reason.
expect_status 1 "$LETTERKIT" run --quiet --db "$db" --fix --fix-dir only-tag --fix-only notify-tag \
    --results only-tag.ndjson fixable.pdf
"$py" - only-tag.ndjson <<'PY' || fail "--fix-only notify-tag: $(cat only-tag.ndjson)"
import json, sys
(r,) = [json.loads(l) for l in open(sys.argv[1])]
assert r["check"]["valid"] is False and r["fix"]["valid"] is False and not r["fix"]["changed"], r
PY
[ -z "$(ls -A only-tag)" ] || fail "--fix-only notify-tag wrote a letter: $(ls only-tag)"

start
use_key live
expect_status 1 "$LETTERKIT" run --db "$db" --fix --fix-dir fixed --send --ledger ledger.sqlite \
    --results results.ndjson --report report.html fixable.pdf unfixable.pdf valid.pdf
expect_contains "$out" "2 of 3 letters passed every stage (1 of them once fixed)"
expect_contains "$out" "fixed            1 of the 2 letters check failed"
expect_contains "$out" "fixed letters: fixed"
printf '%s\n' "$out" | grep -Eq '^fix +1 +1 +0 +1$' || fail "fix's row (1 fixed, 1 not, 1 skipped): $out"
printf '%s\n' "$out" | grep -Eq '^check +1 +2 +0 +0$' || fail "check's row: $out"
printf '%s\n' "$out" | grep -Eq '^not-enough-address-lines +1 ' || fail "the reasons table: $out"
case "$out" in *content-outside-printable-area*) fail "the fixed letter's reason is in the table: $out" ;; esac
"$py" - results.ndjson <<'PY' || fail "results: $(cat results.ndjson)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 3, recs
by = {(r["fix"].get("from") if r.get("fix", {}).get("changed") else r["file"]): r for r in recs}
assert sorted(by) == ["fixable.pdf", "unfixable.pdf", "valid.pdf"], sorted(by)
f = by["fixable.pdf"]
assert f["file"] == "fixed/fixable.pdf" and f["fix"]["written"] == "fixed/fixable.pdf", f
assert f["fix"]["valid"] and f["fix"]["check"]["valid"], f
assert any("moved by" in d or "scale" in d for p in f["fix"]["pages"] if p["page"] == 2 for d in p["did"]), f
assert "check" not in f, f   # check's verdict on the original no longer holds
assert f["scan"]["clean"] and f["send"]["state"] == "sent", f
u = by["unfixable.pdf"]
assert u["check"]["valid"] is False and u["check"]["message"] == "not-enough-address-lines", u
assert u["fix"]["valid"] is False and not u["fix"]["changed"], u
assert "not fixable: the address breaks" in u["fix"]["notes"][0], u
assert "skipped" in u["send"], u
v = by["valid.pdf"]
assert "fix" not in v and v["check"]["valid"] and v["send"]["state"] == "sent", v
PY
# --report with --fix is fix's: every letter as it ended, the fixed one with its page 2 before and after.
"$py" - report.html <<'PY' || fail "the report: $(head -c 600 report.html)"
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
fates = {re.sub(r"<wbr>", "", m.group(2)): m.group(1) for m in
         re.finditer(r'class="letter (\w+)" id=letter-\d+>.*?<span class=file>(.*?)</span>', doc, re.S)}
assert fates == {"fixable.pdf": "fixed", "unfixable.pdf": "fail", "valid.pdf": "pass"}, fates
assert 'alt="page 2: before (left) and after (right)" src="data:image/png;base64,' in doc
assert "page 2: moved by" in doc or "page 2: scale" in doc
PY
[ "$(ls fixed)" = fixable.pdf ] || fail "the fix folder holds more than the fixed letter: $(ls fixed)"
"$LETTERKIT" check -q fixed/fixable.pdf >/dev/null || fail "the fixed copy does not pass check"
cmp -s "$gen/valid-1-page.pdf" valid.pdf || fail "the letter that passed was changed"

# A rerun fixes the letter again into the same bytes (its /ID kept), so send
# knows it as already sent: nothing goes twice and the rerun ends cleanly.
expect_status 1 "$LETTERKIT" run --quiet --db "$db" --fix --fix-dir fixed --send --ledger ledger.sqlite \
    --results rerun.ndjson fixable.pdf unfixable.pdf valid.pdf
"$py" - rerun.ndjson <<'PY' || fail "the rerun: $(cat rerun.ndjson)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
states = sorted(r["send"].get("state", "skipped") for r in recs)
assert states == ["already-sent", "already-sent", "skipped"], [r.get("send") for r in recs]
PY

stop_sandbox

# --format github: the letter fix could not fix, with fix's reason; none for the others.
expect_status 1 "$LETTERKIT" run --quiet --db "$db" --fix --fix-dir fixed --format github \
    --results again.ndjson fixable.pdf unfixable.pdf valid.pdf
expect_contains "$out" "::error file=unfixable.pdf::check: not-enough-address-lines (not fixed: not fixable: the address breaks"
case "$out" in *"file=fixable.pdf"* | *"file=valid.pdf"*) fail "an annotation for a letter that passed: $out" ;; esac
[ "$(wc -l <again.ndjson)" = 3 ] || fail "--results lost a letter: $(cat again.ndjson)"

# fix --trust-check alone: a record check passed comes back byte for byte, not copied.
printf '{"file":"valid.pdf","ref":"x","check":{"valid":true}}\n' >passed.ndjson
expect_status 0 "$LETTERKIT" fix --trust-check --output-dir trusted - <passed.ndjson
[ "$out" = "$(cat passed.ndjson)" ] || fail "--trust-check changed a passing record: $out"
[ -z "$(ls -A trusted)" ] || fail "--trust-check copied a passing letter: $(ls trusted)"
finish
