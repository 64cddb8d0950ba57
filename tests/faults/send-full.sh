#!/usr/bin/env bash
# send with its ledger on a disk that fills in the middle of a batch: the
# ledger's file is named with "No space left on device" (or SQLite's "database
# or disk is full"), the exit status is 2, no letter is reported sent that the
# ledger did not record, and a rerun with space sends every letter exactly once
# (the sandbox's counters).
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/lib.sh"
start
use_key live
n=60
for i in $(seq 1 $n); do pdf_file "f-$i.pdf"; done
full=$tmp/full
small_fs "$full" 96k

expect_status 2 "$send" --ledger "$full/ledger.sqlite" f-*.pdf
expect_contains "$err" "$full/ledger.sqlite"
case "$err" in *"No space left on device"* | *"database or disk is full"*) ;;
    *) fail "the error does not say the disk is full: $err" ;; esac
claimed=$(printf '%s\n' "$out" | grep -c '"state":"sent"')
[ "$claimed" -lt $n ] || fail "every letter was sent: the disk was not full"
# Each letter reported sent is in the ledger (read with sqlite3 when it exists).
if command -v sqlite3 >/dev/null; then
    for ref in $(printf '%s\n' "$out" | grep '"state":"sent"' | sed -n 's/.*"reference":"\([^"]*\)".*/\1/p'); do
        [ "$(sqlite3 "$full/ledger.sqlite" "select state from letters where reference='$ref'")" = sent ] ||
            fail "$ref reported sent but not recorded so"
    done
fi
no_temp "$full"
[ -n "${FAULTS_DEBUG:-}" ] && { echo "$err" | tail -3; echo "claimed $claimed"; } >&2

# With space again (a bigger disk, the same ledger), the rerun finishes the batch.
mkdir "$tmp/roomy"
cp -a "$full"/. "$tmp/roomy/"
expect_status 0 "$send" --ledger "$tmp/roomy/ledger.sqlite" f-*.pdf
[ "$(printf '%s\n' "$out" | grep -c '"state":"\(already-\)\{0,1\}sent"')" = $n ] || fail "not all sent: $out"
sent_once f $n
stop_sandbox
finish
