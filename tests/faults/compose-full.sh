#!/usr/bin/env bash
# compose filling the disk in the middle of a batch: the row whose letter
# could not be written names the file and "No space left on device", the exit
# status is 2, no temporary or partial PDF is left, and every letter that is
# there is whole and listed in the manifest (and only those).
. "$(dirname "$0")/lib.sh"
spec=$SOURCE_ROOT/specimens/compose
full=$tmp/full
small_fs "$full" 256k
{
    head -n 1 "$spec/people.csv"
    yes "$(sed -n 2p "$spec/people.csv")" | head -n 40
} >"$tmp/rows.csv"

expect_status 2 "$LETTERKIT" compose -t "$spec/letter.conf" -o "$full/letters" --date 2026-11-23 "$tmp/rows.csv"
expect_contains "$err" "$full/letters/letter-0000"
expect_contains "$err" "No space left on device"
no_temp "$full"
made=$(cd "$full/letters" && ls | LC_ALL=C sort)
[ -n "$made" ] || fail "no letter fitted on the disk: the test proves nothing"
[ "$(printf '%s\n' "$made" | wc -l)" -lt 40 ] || fail "every letter fitted: the disk was not full"
# The manifest lists exactly the letters on the disk, and each of them is whole.
listed=$(printf '%s\n' "$out" | sed -n 's#.*"file":"'"$full"'/letters/\([^"]*\)".*#\1#p' | LC_ALL=C sort)
[ "$listed" = "$made" ] || fail "the manifest lists: $listed; the folder holds: $made"
expect_status 0 "$LETTERKIT" check --quiet <<<"$out"

# The same batch into a folder on a disk that is already full: every row
# fails with the file named, and nothing is left.
rm -rf "$full/letters"
fill "$full"
before=$(listing "$full")
expect_status 2 "$LETTERKIT" compose -t "$spec/letter.conf" -o "$full/letters" --date 2026-11-23 "$tmp/rows.csv"
expect_contains "$err" "No space left on device"
[ -z "$out" ] || fail "a manifest record for a letter that was not written: $out"
no_temp "$full"
after=$(listing "$full")
[ "$after" = "$before" ] || [ "$after" = "$(printf '%s\n./letters' "$before" | LC_ALL=C sort)" ] ||
    fail "files left on the full disk: $after"
finish
