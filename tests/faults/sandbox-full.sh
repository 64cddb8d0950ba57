#!/usr/bin/env bash
# The sandbox with its --state on a disk that fills up: a letter it cannot
# store is refused (an error answer, not a letter half-stored), no partial
# PDF or temporary file is left, the client does not call it sent, and once
# there is space the same send goes through exactly once. --keys-out on a
# full disk is an error naming the file. pdf -o onto a full disk or into a
# missing folder: exit 2, the file named, nothing left.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/lib.sh"
full=$tmp/full
small_fs "$full" 1m
start --state "$full/state"
use_key live
pdf_file s-1.pdf
expect_status 0 "$send" --ledger "$tmp/ledger.sqlite" s-1.pdf
id=$(jget "$out" send.id)
[ -n "$id" ] || fail "no id: $out"
wait_status "$id" received

# pdf: a missing folder is made (as every output option does), then a full disk.
expect_status 0 "$pdf_exe" --max-wait 10 "$id" -o "$tmp/missing/letter.pdf"
[ -s "$tmp/missing/letter.pdf" ] || fail "pdf -o did not make its folder"
mkdir "$full/out"
fill "$full"
before=$(listing "$full/out")
expect_status 2 "$pdf_exe" --max-wait 10 "$id" -o "$full/out/letter.pdf"
expect_contains "$err" "$full/out/letter.pdf"
expect_contains "$err" "No space left on device"
[ "$(listing "$full/out")" = "$before" ] || fail "pdf left files: $(listing "$full/out")"

# The sandbox on the full disk: the letter is not stored and not called sent.
letters_before=$(listing "$full/state")
pdf_file s-2.pdf
expect_status 2 "$send" --ledger "$tmp/ledger.sqlite" --retries 0 s-2.pdf
case "$out" in *'"state":"sent"'*) fail "a letter the sandbox could not store was called sent: $out" ;; esac
kill -0 "$sb_pid" 2>/dev/null || fail "the sandbox died on a full disk: $(tail -n 5 "$tmp/sb.err")"
expect_contains "$(cat "$tmp/sb.err")" "No space left on device"
no_temp "$full/state"
# No PDF was left for a letter that was not stored.
[ "$(find "$full/state" -name '*.pdf' | wc -l)" -eq 1 ] || fail "PDFs in the state: $(find "$full/state" -name '*.pdf')"

# --keys-out on the full disk.
"$sandbox_exe" --port 0 --keys-out "$full/keys" --quiet >"$tmp/sb2.out" 2>"$tmp/sb2.err" &
pid2=$!
gone() { ! kill -0 "$pid2" 2>/dev/null; }
wait_for 20 gone || { fail "the sandbox started without writing its keys"; kill "$pid2"; }
wait "$pid2"; st=$?
[ "$st" -eq 2 ] || fail "sandbox --keys-out on a full disk: exit $st, want 2"
expect_contains "$(cat "$tmp/sb2.err")" "--keys-out $full/keys"
expect_contains "$(cat "$tmp/sb2.err")" "No space left on device"
[ ! -e "$full/keys" ] || fail "a keys file was left"
no_temp "$full"

# With space again the letter goes, once.
rm -f "$full/.filler"
expect_status 0 "$send" --ledger "$tmp/ledger.sqlite" s-2.pdf
expect_contains "$out" '"state":"sent"'
[ "$(count s-2)" = 1 ] || fail "s-2 accepted $(count s-2) times"
[ "$(count s-1)" = 1 ] || fail "s-1 accepted $(count s-1) times"
stop_sandbox
finish
