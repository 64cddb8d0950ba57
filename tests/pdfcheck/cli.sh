#!/usr/bin/env bash
# letterkit check's command line: exit statuses, output forms, pipes.
. "$(dirname "$0")/../e2e/lib.sh"
gen=$BUILD_ROOT/specimens/generated
valid=$gen/valid-1-page.pdf
bad=$gen/outside-left-margin-by-1mm.pdf

expect_status 0 "$LETTERKIT" check --help
expect_contains "$out" "usage: letterkit check"
expect_status 2 "$LETTERKIT" check --no-such-option
expect_contains "$err" "letterkit check --help"

expect_status 0 "$LETTERKIT" check "$valid"
[ "$out" = "PASS $valid" ] || fail "human output: $out"
expect_status 1 "$LETTERKIT" check "$valid" "$bad"
expect_contains "$out" "FAIL $bad: content-outside-printable-area on page 1"
expect_contains "$out" "  something is printed where Notify prints nothing ('letterkit explain content-outside-printable-area' says how to fix it)"
expect_contains "$out" "  page 1: something is printed in the left margin (x 13.0-14.0 mm, y 200.0-205.0 mm)"
# A wrong page size in people's words, the figures after them.
expect_status 1 "$LETTERKIT" check "$gen/not-a4-page-2-a5.pdf"
expect_contains "$out" "  page 2 is A5 (148 x 210 mm): letters must be A4 portrait (210 x 297 mm, 2 mm either way)"
expect_status 1 "$LETTERKIT" check --quiet "$valid" "$bad"
case "$out" in *PASS*) fail "--quiet printed a PASS line" ;; esac

# A missing file is a system error (2), and the batch goes on past it.
expect_status 2 "$LETTERKIT" check "$tmp/missing.pdf" "$bad"
expect_contains "$err" "$tmp/missing.pdf: No such file or directory"
expect_contains "$out" "FAIL $bad"

# --json: one object per file, fields in place.
expect_status 1 "$LETTERKIT" check --json "$bad"
echo "$out" | /usr/bin/python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert list(o)[:6] == ["file", "valid", "message", "invalid_pages", "page_count", "findings"], list(o)
assert o["valid"] is False and o["invalid_pages"] == [1] and o["page_count"] == 2, o
f = o["findings"][0]
assert f["code"] == "content-outside-printable-area" and f["severity"] == "error" and f["page"] == 1, f
x0, y0, x1, y1 = f["box_mm"]
assert 12.9 <= x0 <= 13.0 and 199.8 <= y0 <= 200.0 and 13.9 <= x1 <= 14.0 and 205.0 <= y1 <= 205.2, f
' || fail "JSON fields"
expect_status 1 "$LETTERKIT" check --json "$gen/too-long-11-pages.pdf"
expect_contains "$out" '"message":"letter-too-long","invalid_pages":null,"page_count":11'
expect_status 1 "$LETTERKIT" check --json "$gen/empty.pdf"
expect_contains "$out" '"message":"unable-to-read-the-file","invalid_pages":null,"page_count":null'

# The pipeline form: NDJSON records in, each written back with "check".
records=$(printf '{"file":"%s","reference":"a"}\n\n{"file":"%s"}\nnot json\n{"nofile":1}\n' "$valid" "$bad")
expect_status 2 "$LETTERKIT" check <<<"$records"
[ "$(echo "$out" | wc -l)" -eq 4 ] || fail "want 4 output records, got: $out"
expect_contains "$out" '{"file":"'"$valid"'","reference":"a","check":{"valid":true'
# A bad line and a record without "file" are letters with an error: each
# written back with its "check" object, said once on stderr.
expect_contains "$out" '{"line":4,"check":{"error":"<stdin>: line 4: not JSON'
expect_contains "$out" '{"nofile":1,"check":{"error":"<stdin>: line 5: the record has no \"file\" string'
[ "$(grep -c 'line 4: not JSON' <<<"$err")" -eq 1 ] || fail "the bad line not said once: $err"
[ "$(grep -c 'line 5: the record has no' <<<"$err")" -eq 1 ] || fail "the record without file not said once: $err"
expect_status 1 "$LETTERKIT" check - <<<"{\"file\":\"$bad\"}"

# A folder: its PDFs, recursed, in path order; hidden files and other names left.
mkdir -p "$tmp/tree/sub"
cp "$valid" "$tmp/tree/b.pdf"
cp "$bad" "$tmp/tree/sub/a.PDF"
cp "$valid" "$tmp/tree/.hidden.pdf"
echo notes >"$tmp/tree/notes.txt"
expect_status 1 "$LETTERKIT" check "$tmp/tree"
[ "$out" = "PASS $tmp/tree/b.pdf
FAIL $tmp/tree/sub/a.PDF: content-outside-printable-area on page 1
  something is printed where Notify prints nothing ('letterkit explain content-outside-printable-area' says how to fix it)
  page 1: something is printed in the left margin (x 13.0-14.0 mm, y 200.0-205.0 mm)" ] || fail "check DIR: $out"

# A PDF on standard input.
expect_status 0 "$LETTERKIT" check < "$valid"
[ "$out" = "PASS -" ] || fail "stdin PDF: $out"
expect_status 1 "$LETTERKIT" check --json - < "$gen/truncated.pdf"
expect_contains "$out" '"file":"-","valid":false,"message":"unable-to-read-the-file"'

# An address failure shows the address as read, and the JSON carries it.
expect_status 1 "$LETTERKIT" check "$gen/address-no-fixed-abode.pdf"
expect_contains "$out" "FAIL $gen/address-no-fixed-abode.pdf: no-fixed-abode-address on page 1"
expect_contains "$out" "address as read: Mr A Example / No fixed abode / Exampleton / SW1A 1AA"
expect_status 0 "$LETTERKIT" check --json "$valid"
expect_contains "$out" '"address":"Ms A Example\n1 Example Street\nExampletown\nSW1A 1AA","postage_zone":"united-kingdom"'

# A file over 2 MiB fails (send refuses it too), quiet or not; --strict is still accepted.
head -c $((2 * 1024 * 1024)) /dev/zero > "$tmp/padding"
cat "$valid" "$tmp/padding" > "$tmp/big.pdf"
printf '\n%%%%EOF\n' >> "$tmp/big.pdf"
expect_status 1 "$LETTERKIT" check "$tmp/big.pdf"
expect_contains "$out" "file-too-big"
expect_status 1 "$LETTERKIT" check -q "$tmp/big.pdf"
expect_contains "$out" "file-too-big"
expect_status 1 "$LETTERKIT" check --strict --json "$tmp/big.pdf"
expect_contains "$out" '"message":"file-too-big"'
# --quiet filters --json too: only the letters that did not pass.
expect_status 1 "$LETTERKIT" check --json --quiet "$valid" "$bad"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "--json --quiet: $out"
expect_contains "$out" "\"file\":\"$bad\""
expect_status 0 "$LETTERKIT" check --json --quiet "$valid"
[ -z "$out" ] || fail "--json --quiet printed a valid letter: $out"

# Record mode honours an explicit --format: github annotations and lines for
# people instead of records (the README's CI gate); without --format records stay records.
manifest=$(printf '{"file":"%s"}\n{"file":"%s"}\n{"nofile":1}\n' "$valid" "$bad")
expect_status 2 "$LETTERKIT" check --format github - <<<"$manifest"
[ "$out" = "::error file=${bad//\//\/},title=content-outside-printable-area::page 1: content at x 13.0-14.0 mm, y 200.0-205.0 mm, in the left margin (x < 15 mm)" ] \
    || fail "record mode --format github: $out"
expect_contains "$err" 'the record has no "file" string'
expect_status 2 "$LETTERKIT" check --format human <<<"$manifest"
expect_contains "$out" "PASS $valid"
expect_contains "$out" "FAIL $bad: content-outside-printable-area on page 1"
case "$out" in *'{'*) fail "record mode --format human wrote records: $out" ;; esac
expect_status 2 "$LETTERKIT" check --format human --quiet <<<"$manifest"
case "$out" in *PASS*) fail "record mode --quiet printed a PASS line: $out" ;; esac
# A record is never dropped from a pipe: --quiet or not, every record comes back.
expect_status 2 "$LETTERKIT" check --json --quiet <<<"$manifest"
[ "$(echo "$out" | wc -l)" -eq 3 ] || fail "record mode --json --quiet dropped records: $out"

# The summary line ends every batch on stderr, by code, most first, errors apart.
cp "$gen/too-long-11-pages.pdf" "$tmp/long.pdf"
expect_status 2 "$LETTERKIT" check "$valid" "$bad" "$tmp/long.pdf" "$bad" "$tmp/missing.pdf"
expect_contains "$err" "letterkit check: 3 of 5 letters failed: 2 content-outside-printable-area, 1 letter-too-long; 1 could not be checked"
expect_status 1 "$LETTERKIT" check --json "$bad"
expect_contains "$err" "letterkit check: 1 of 1 letter failed: 1 content-outside-printable-area"
expect_status 0 "$LETTERKIT" check --format github "$valid" "$valid"
[ "$err" = "letterkit check: all 2 letters passed" ] || fail "summary: $err"
[ -z "$out" ] || fail "github output for valid letters: $out"
# ... but not from a stage in a pipe (records in, records out): the pipe's end sums up.
expect_status 1 "$LETTERKIT" check <<<"{\"file\":\"$bad\"}"
[ -z "$err" ] || fail "a summary in a pipe: $err"

# No colour and no progress line outside a terminal.
case "$out$err" in *$'\e'*|*$'\r'*) fail "escape sequences in a pipe" ;; esac

# JSON numbers: mm to 0.1 (no 20.299999999).
expect_status 1 "$LETTERKIT" check --json "$gen/outside-on-pages-1-and-3.pdf" "$bad" "$gen/address-no-fixed-abode.pdf"
echo "$out" | /usr/bin/python3 -c '
import json, re, sys
for line in sys.stdin:
    for n in re.findall(r"-?\d+\.\d+", line.split("\"detail\"")[0]):
        assert len(n.split(".")[1]) == 1, (n, line)
    for f in json.loads(line)["findings"]:
        for v in f["box_mm"] or []:
            assert round(v, 1) == v, f
' || fail "JSON numbers not rounded to 0.1: $out"
expect_status 1 "$LETTERKIT" check <<<"{\"file\":\"$bad\",\"x\":0.30000000000000004}"
expect_contains "$out" '"x":0.30000000000000004,"check":{'
expect_contains "$out" '"box_mm":[13.0,200.0,14.0,205.0]'
# On a terminal: PASS/FAIL in colour, and a progress line on stderr for a
# batch past a second, rewritten with \r and cleared before the summary.
# NO_COLOR turns colour off; TERM=dumb turns off both.
term=$SOURCE_ROOT/tests/pdfcheck/on-a-terminal.py
manifest=$(printf '{"file":"%s"}\n{"file":"%s"}\n' "$valid" "$bad")
python3 "$term" -- "$LETTERKIT" check --format human - <<<"$manifest" >"$tmp/tty"
python3 - "$tmp/tty" <<'PY' || fail "on a terminal: $(od -c "$tmp/tty" | head -n 20)"
import sys
got = open(sys.argv[1], "rb").read()
assert b"\x1b[1;32mPASS\x1b[0m " in got and b"\x1b[1;31mFAIL\x1b[0m " in got, got
drawn = got.index(b"\rletterkit check: checked 2 letters\x1b[K")
cleared = got.index(b"\r\x1b[K", drawn + 1)
assert got.index(b"letterkit check: 1 of 2 letters failed") > cleared, got
PY
python3 "$term" NO_COLOR=1 -- "$LETTERKIT" check --format human - <<<"$manifest" >"$tmp/tty"
grep -q $'\e\\[1;3' "$tmp/tty" && fail "colour with NO_COLOR set: $(od -c "$tmp/tty" | head)"
grep -q "checked 2 letters" "$tmp/tty" || fail "no progress line with NO_COLOR set"
python3 "$term" TERM=dumb -- "$LETTERKIT" check --format human - <<<"$manifest" >"$tmp/tty"
grep -q $'\e' "$tmp/tty" && fail "escape sequences with TERM=dumb: $(od -c "$tmp/tty" | head)"
finish
