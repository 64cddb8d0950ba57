#!/usr/bin/env bash
# Issue 14 item 13: a NUL byte in a CSV field used to cut the field short
# silently ("Flat 9\0 Evil Tower" made a letter to "Flat 9", exit 0) in compose
# and in `address --csv`. Both read CSV through address/csv.c, which now
# refuses the row, naming the file, the row and the column; the other rows go on.
. "$SOURCE_ROOT/tests/e2e/lib.sh"
bad() { fail "$@"; }

printf 'name,address_line_1,address_line_2,address_line_3,postcode\n' >"$tmp/nul.csv"
printf 'Ann,Ann Jones,Flat 9\0 Evil Tower,Cardiff,CF10 1AA\n' >>"$tmp/nul.csv"
printf 'Bob,Bob Smith,1 High Street,Cardiff,CF10 1AA\n' >>"$tmp/nul.csv"
printf 'Dear ((name))\n' >"$tmp/body.md"

# address --csv: the row is refused (an input error, exit 2), the next one checked.
expect_status 2 "$LETTERKIT" address --csv "$tmp/nul.csv"
expect_contains "$err" "nul.csv: row 2 (line 2), column 3 (address_line_2): the field holds a NUL byte"
grep -q 'Flat 9' <<<"$out" && bad "a row with a NUL byte was checked: $out"
expect_contains "$out" '{"row":3,'

# compose: the row is skipped, an input error (exit 2, as every unreadable row), with the same message; no letter to "Flat 9".
expect_status 2 "$LETTERKIT" compose -t "$tmp/body.md" -o "$tmp/out" --date 2026-11-23 "$tmp/nul.csv"
expect_contains "$err" "nul.csv: row 2 (line 2), column 3 (address_line_2): the field holds a NUL byte"
expect_contains "$err" "(row skipped)"
grep -q 'Flat 9' <<<"$out" && bad "a letter was made from a row with a NUL byte: $out"
expect_contains "$out" '"row":3,'
[ "$(grep -c '"file"' <<<"$out")" -eq 1 ] || bad "one letter wanted: $out"

# A NUL byte in the header names the header row.
printf 'address_line_1,address\0_line_2,postcode\nA,B,CF10 1AA\n' >"$tmp/head.csv"
expect_status 2 "$LETTERKIT" address --csv "$tmp/head.csv"
expect_contains "$err" "head.csv: row 1 (line 1), column 2: the field holds a NUL byte"
expect_status 2 "$LETTERKIT" compose -t "$tmp/body.md" -o "$tmp/out2" "$tmp/head.csv"
expect_contains "$err" "head.csv:1: row 1 (line 1), column 2: the field holds a NUL byte"
finish
