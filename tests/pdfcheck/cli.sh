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
expect_contains "$out" "page 1: content at x 13.0-14.0 mm, y 199.9-205.1 mm, in the left margin"
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
expect_contains "$out" '"line":4,"error":"<stdin>: line 4: not JSON'
expect_contains "$out" '{"nofile":1,"check":{"error":"the record has no \"file\" string"}}'
expect_contains "$err" "line 4: not JSON"
expect_status 1 "$LETTERKIT" check - <<<"{\"file\":\"$bad\"}"

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
finish
