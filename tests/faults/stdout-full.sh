#!/usr/bin/env bash
# Standard output redirected to a file on a full disk: every command that
# writes records or results there says so, with the reason, and exits 2 (a
# lost manifest or verdict must never pass for a whole one).
. "$(dirname "$0")/lib.sh"
spec=$SOURCE_ROOT/specimens/compose
full=$tmp/full
small_fs "$full" 16k
fill "$full"
good=$gen/valid-1-page.pdf
to_full() { "$@" >"$full/out"; }

expect_status 2 to_full "$LETTERKIT" check --json "$good" "$gen/outside-left-margin-by-1mm.pdf"
expect_contains "$err" "cannot write the standard output: No space left on device"
expect_status 2 to_full "$LETTERKIT" check "$good"
expect_contains "$err" "No space left on device"
for jobs in 1 2; do
    expect_status 2 to_full "$LETTERKIT" compose -t "$spec/letter.conf" -o "$tmp/letters" --jobs $jobs \
        --date 2026-11-23 "$spec/people.csv"
    expect_contains "$err" "cannot write the manifest to standard output: No space left on device"
done
expect_status 2 to_full "$LETTERKIT" encode "$good"
expect_contains "$err" "No space left on device"
expect_status 2 to_full "$LETTERKIT" scan --db "$db" "$good"
expect_contains "$err" "No space left on device"
printf '{"address":"Ann Jones\\n1 High Street\\nCardiff\\nCF10 1AA"}\n' >"$tmp/addr.ndjson"
expect_status 2 to_full "$LETTERKIT" address --ndjson "$tmp/addr.ndjson"
expect_contains "$err" "No space left on device"
printf 'Ann Jones\n1 High Street\nCardiff\nCF10 1AA\n' >"$tmp/addr.txt"
expect_status 2 to_full "$LETTERKIT" address "$tmp/addr.txt"
expect_contains "$err" "No space left on device"
[ ! -s "$full/out" ] || fail "output reached the full disk?"
finish
