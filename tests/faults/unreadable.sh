#!/usr/bin/env bash
# Inputs that cannot be read: a file its user may not read (the command runs
# as nobody), a folder, a FIFO with no writer (must not hang), a dangling
# symbolic link. Each is named in a message, the command exits 2, and in a
# batch the other letters are still done.
. "$(dirname "$0")/lib.sh"
spec=$SOURCE_ROOT/specimens/compose
in=$tmp/in
mkdir -p "$in/folder.pdf"
chmod 755 "$tmp"
cp "$gen/valid-1-page.pdf" "$in/good.pdf"
cp "$gen/valid-1-page.pdf" "$in/secret.pdf"
chmod 000 "$in/secret.pdf"
mkfifo "$in/fifo.pdf"
ln -s "$in/gone.pdf" "$in/dangling.pdf"
chmod 755 "$in"
"${nobody[@]}" true 2>"$tmp/setpriv.err" || { echo "SKIP: cannot run as nobody: $(cat "$tmp/setpriv.err")" >&2; rm -rf "$tmp"; exit 77; }
# Bounded: a command that hangs on the FIFO fails the test instead of the timeout.
lk() { timeout 20 "$@"; }

# check: each bad file named, the good one still checked, exit 2.
# (a folder, even one called folder.pdf, is taken as a folder of letters: see the conformance suite)
for bad in secret fifo dangling; do
    expect_status 2 lk "${nobody[@]}" "$LETTERKIT" check "$in/$bad.pdf" "$in/good.pdf"
    expect_contains "$err" "$in/$bad.pdf"
    expect_contains "$out" "good.pdf"
done
expect_status 2 lk "${nobody[@]}" "$LETTERKIT" check "$in/secret.pdf"
expect_contains "$err" "Permission denied"
expect_status 2 lk "$LETTERKIT" check "$in/dangling.pdf"
expect_contains "$err" "No such file or directory"
# ... and as records on standard input: an error for that record, the rest go on.
printf '{"file":"%s"}\n' "$in/secret.pdf" "$in/fifo.pdf" "$in/good.pdf" >"$tmp/records"
expect_status 2 lk "${nobody[@]}" "$LETTERKIT" check <"$tmp/records"
[ "$(grep -c '"error"' <<<"$out")" -eq 2 ] || fail "want 2 records with an error: $out"
expect_contains "$out" '"file":"'"$in"'/good.pdf","check":{"valid":true'

# compose: the data file and the template.
expect_status 2 lk "${nobody[@]}" "$LETTERKIT" compose -t "$spec/letter.conf" -o "$tmp/letters" "$in/secret.pdf"
expect_contains "$err" "$in/secret.pdf"
for bad in folder fifo dangling; do
    expect_status 2 lk "$LETTERKIT" compose -t "$spec/letter.conf" -o "$tmp/letters" "$in/$bad.pdf"
    expect_contains "$err" "$in/$bad.pdf"
    expect_status 2 lk "$LETTERKIT" compose -t "$in/$bad.pdf" -o "$tmp/letters" "$spec/people.csv"
    expect_contains "$err" "$in/$bad.pdf"
done
[ ! -e "$tmp/letters" ] || [ -z "$(ls -A "$tmp/letters")" ] || fail "compose made letters: $(ls "$tmp/letters")"

# address: its input file.
for bad in folder fifo dangling; do
    expect_status 2 lk "$LETTERKIT" address "$in/$bad.pdf"
    expect_contains "$err" "$in/$bad.pdf"
done
expect_status 2 lk "${nobody[@]}" "$LETTERKIT" address "$in/secret.pdf"
expect_contains "$err" "$in/secret.pdf"

# encode (send's own reading of the letter; send is tested with the sandbox).
for bad in folder fifo dangling; do
    expect_status 2 lk "$LETTERKIT" encode "$in/$bad.pdf"
    expect_contains "$err" "$in/$bad.pdf"
done
expect_status 2 lk "${nobody[@]}" "$LETTERKIT" encode "$in/secret.pdf"
expect_contains "$err" "$in/secret.pdf"

# scan: each bad file named (on its ERROR line of standard output), the good one still scanned.
for bad in fifo dangling; do
    expect_status 2 lk "$LETTERKIT" scan --db "$db" "$in/$bad.pdf" "$in/good.pdf"
    expect_contains "$out" "ERROR $in/$bad.pdf"
    expect_contains "$out" "good.pdf"
done
expect_status 2 lk "${nobody[@]}" "$LETTERKIT" scan --db "$db" "$in/secret.pdf" "$in/good.pdf"
expect_contains "$out" "ERROR $in/secret.pdf"
expect_contains "$out" "good.pdf"
finish
