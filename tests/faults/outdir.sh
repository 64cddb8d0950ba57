#!/usr/bin/env bash
# Output folders that are missing or not writable: the command names the
# file or folder, exits 2, and leaves nothing behind (compose alone makes a
# missing --output-dir, with its parents, as documented).
. "$(dirname "$0")/lib.sh"
spec=$SOURCE_ROOT/specimens/compose
bad=$gen/outside-left-margin-by-1mm.pdf good=$gen/valid-1-page.pdf
chmod 755 "$tmp"
mkdir -m 755 "$tmp/locked"   # owned by root: nobody may not write in it
"${nobody[@]}" true 2>"$tmp/setpriv.err" || { echo "SKIP: cannot run as nobody: $(cat "$tmp/setpriv.err")" >&2; rm -rf "$tmp"; exit 77; }
: >"$tmp/stderr"   # expect_status keeps standard error there
before=$(listing "$tmp")

# check: --overlay, --report, --junit. A missing folder is made (as compose
# makes --output-dir); one it may not write in is refused before the batch.
expect_status 1 "$LETTERKIT" check --overlay "$tmp/missing/overlays" "$bad"
[ "$(ls "$tmp/missing/overlays" | wc -l)" -eq 1 ] || fail "--overlay did not make the missing folder"
rm -r "$tmp/missing"
expect_status 2 "${nobody[@]}" "$LETTERKIT" check --overlay "$tmp/locked" "$good" "$bad"
expect_contains "$err" "--overlay $tmp/locked"
expect_contains "$err" "Permission denied"
[ -z "$out" ] || fail "letters checked before --overlay was refused: $out"
for opt in --report --junit; do
    expect_status 1 "$LETTERKIT" check $opt "$tmp/missing/out" "$good" "$bad"
    [ -s "$tmp/missing/out" ] || fail "$opt did not make the missing folder"
    rm -r "$tmp/missing"
    expect_status 2 "${nobody[@]}" "$LETTERKIT" check $opt "$tmp/locked/out" "$good"
    expect_contains "$err" "$tmp/locked/out"
    expect_contains "$err" "Permission denied"
    [ -z "$out" ] || fail "letters checked before $opt was refused: $out"
done

# run --results: a missing folder is made (as every output option does); an unwritable one refused.
expect_status 0 "$LETTERKIT" run --quiet --db "$db" --results "$tmp/missing/results.ndjson" "$good"
[ -s "$tmp/missing/results.ndjson" ] || fail "run --results did not make its folder"
rm -rf "$tmp/missing"
expect_status 2 "${nobody[@]}" "$LETTERKIT" run --quiet --db "$db" --results "$tmp/locked/results.ndjson" "$good"
expect_contains "$err" "$tmp/locked/results.ndjson"
expect_contains "$err" "Permission denied"

# compose: a folder it may not write in, and a parent that is a file.
expect_status 2 "${nobody[@]}" "$LETTERKIT" compose -t "$spec/letter.conf" -o "$tmp/locked/letters" "$spec/people.csv"
expect_contains "$err" "--output-dir $tmp/locked/letters"
expect_contains "$err" "Permission denied"
mkdir -m 755 "$tmp/locked/letters"
expect_status 2 "${nobody[@]}" "$LETTERKIT" compose -t "$spec/letter.conf" -o "$tmp/locked/letters" "$spec/people.csv"
expect_contains "$err" "$tmp/locked/letters/letter-000002.pdf"   # CSV row 2, the first letter
expect_contains "$err" "Permission denied"
[ -z "$out" ] || fail "a manifest record for a letter not written: $out"
rmdir "$tmp/locked/letters"
echo x >"$tmp/plain"
expect_status 2 "$LETTERKIT" compose -t "$spec/letter.conf" -o "$tmp/plain/letters" "$spec/people.csv"
expect_contains "$err" "--output-dir $tmp/plain/letters"
rm "$tmp/plain"

[ "$(listing "$tmp")" = "$before" ] || fail "files were left: $(diff <(echo "$before") <(listing "$tmp"))"
# ... and a missing --output-dir is made, with its parents.
expect_status 0 "$LETTERKIT" compose -t "$spec/letter.conf" -o "$tmp/new/deep/letters" --date 2026-11-23 "$spec/people.csv"
[ "$(ls "$tmp/new/deep/letters" | wc -l)" -eq 4 ] || fail "compose did not make the missing folder: $(ls -R "$tmp/new")"
finish
