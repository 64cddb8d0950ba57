#!/usr/bin/env bash
# run on a full disk (issue 13): --results cannot be written, and still every
# letter that went in is in the summary; the file is named, exit 2, and no
# temporary file is left. Needs root (tmpfs); skipped (77) otherwise.
. "$(dirname "$0")/../faults/lib.sh"
full=$tmp/full
small_fs "$full" 64k
fill "$full"
letters=()
for i in $(seq 1 7); do letters+=("$gen/valid-1-page.pdf"); done
letters+=("$gen/outside-left-margin-by-1mm.pdf")
expect_status 2 "$LETTERKIT" run --quiet --db "$db" --results "$full/results.ndjson" "${letters[@]}"
expect_contains "$out" "7 of 8 letters passed every stage"
expect_contains "$out" "content-outside-printable-area"
expect_contains "$err" "$full/results.ndjson"
expect_contains "$err" "No space left on device"
[ ! -e "$full/results.ndjson" ] || fail "a results file on a full disk"
no_temp "$full"
finish
