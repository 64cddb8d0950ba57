#!/usr/bin/env bash
# SIGTERM to compose in the middle of a big batch (two workers): exit 2 and a
# message; every PDF in the folder is whole (check passes them all), the
# manifest lists only letters that are there, no temporary file is left; a
# rerun makes the whole batch.
. "$(dirname "$0")/lib.sh"
spec=$SOURCE_ROOT/specimens/compose
n=1500
{
    head -n 1 "$spec/people.csv"
    yes "$(sed -n 2p "$spec/people.csv")" | head -n $n
} >"$tmp/rows.csv"
letters=$tmp/letters
for jobs in 2 1; do
    rm -rf "$letters"
    : >"$tmp/manifest"
    "$LETTERKIT" compose -t "$spec/letter.conf" -o "$letters" --date 2026-11-23 --jobs $jobs "$tmp/rows.csv" \
        >"$tmp/manifest" 2>"$tmp/stderr" &
    pid=$!
    some() { [ "$(wc -l <"$tmp/manifest")" -ge 20 ]; }
    wait_for 30 some || fail "compose made nothing: $(cat "$tmp/stderr")"
    kill -TERM "$pid"
    wait "$pid"; status=$?
    [ "$status" -eq 2 ] || fail "--jobs $jobs: exit $status after SIGTERM, want 2: $(tail -n 3 "$tmp/stderr")"
    expect_contains "$(cat "$tmp/stderr")" "stopped by SIGTERM"
    no_temp "$letters"
    made=$(ls "$letters" | wc -l)
    [ "$made" -lt $n ] || fail "--jobs $jobs: the whole batch was made: the signal came too late to prove anything"
    # Every letter there is whole, and the manifest names no letter that is not.
    expect_status 0 "$LETTERKIT" check --quiet "$letters"/*.pdf
    while read -r f; do
        [ -f "$f" ] || fail "the manifest lists $f, which is not there"
    done < <(sed -n 's/.*"file":"\([^"]*\)".*/\1/p' "$tmp/manifest")
done
# A rerun finishes the batch.
expect_status 0 "$LETTERKIT" compose -t "$spec/letter.conf" -o "$letters" --date 2026-11-23 --jobs 2 "$tmp/rows.csv"
[ "$(ls "$letters" | wc -l)" -eq $n ] || fail "the rerun did not make all $n letters"
[ "$(printf '%s\n' "$out" | wc -l)" -eq $n ] || fail "the rerun's manifest is not whole"
no_temp "$letters"
finish
