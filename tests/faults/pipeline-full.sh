#!/usr/bin/env bash
# run and watch on a full disk: run --results cannot be written (the file is
# named, exit 2, no partial or temporary results file, an earlier one stays
# whole); watch cannot write a letter's record, so it names the file, exits
# 2 and leaves the letter in the inbox (not half-filed).
. "$(dirname "$0")/lib.sh"
full=$tmp/full
small_fs "$full" 64k
mkdir "$full/inbox" "$full/inbox/passed" "$full/inbox/failed"
cp "$gen/valid-1-page.pdf" "$full/inbox/a.pdf"
echo '{"old":true}' >"$full/results.ndjson"
fill "$full"
before=$(listing "$full")
letters=()
for i in $(seq 1 40); do letters+=("$gen/valid-1-page.pdf"); done

expect_status 2 "$LETTERKIT" run --quiet --db "$db" --results "$full/results.ndjson" "${letters[@]}"
expect_contains "$err" "$full/results.ndjson"
expect_contains "$err" "No space left on device"
[ "$(cat "$full/results.ndjson")" = '{"old":true}' ] || fail "the earlier results were touched"

expect_status 2 "$LETTERKIT" watch --once --db "$db" "$full/inbox"
expect_contains "$err" "$full/inbox/a.pdf"
expect_contains "$err" "No space left on device"
[ "$(listing "$full")" = "$before" ] || fail "files changed on the full disk: $(diff <(echo "$before") <(listing "$full"))"
no_temp "$full"

# With space, both finish.
rm "$full/.filler"
expect_status 0 "$LETTERKIT" watch --once --db "$db" "$full/inbox"
[ -f "$full/inbox/passed/a.pdf" ] && [ -f "$full/inbox/passed/a.json" ] || fail "watch did not file a.pdf: $(listing "$full")"
expect_status 0 "$LETTERKIT" run --quiet --db "$db" --results "$full/results.ndjson" "${letters[@]}"
[ "$(wc -l <"$full/results.ndjson")" -eq 40 ] || fail "results: $(head -c 300 "$full/results.ndjson")"
finish
