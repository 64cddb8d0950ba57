#!/usr/bin/env bash
# Issue 14 items 4 and 14, for send and status: a file name that is not UTF-8 goes through
# send with valid JSON out ("file" readable, "file_base64" exact, read back the same way from
# NDJSON), and control characters in names, references and Notify's words reach the terminal
# escaped. Before the fix send said "cannot write to standard output" and printed ESC raw.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
start
use_key live
valid_json() { # TEXT: every line is JSON and UTF-8; prints nothing, fails otherwise
    printf '%s\n' "$1" | "$py" -c '
import json, sys
for line in sys.stdin.buffer:
    json.loads(line.decode("utf-8"))' || fail "not valid UTF-8 JSON: $(printf '%s' "$1" | od -c | head -5)"
}
name=$'x\xfe.pdf'
pdf_file "$name"
expect_status 0 "$send" "$name"
valid_json "$out"
[ "$(jget "$out" send.state)" = sent ] || fail "x\\xfe.pdf: $out"
[ "$(jget "$out" file_base64)" = "$(printf '%s' "$name" | base64)" ] || fail "file_base64: $out"
# The record read back (as the next stage gets it): the same file, so already sent, not refused.
expect_status 0 "$send" <<<"$out"
valid_json "$out"
[ "$(jget "$out" send.state)" = already-sent ] || fail "record read back: $out"

# A name with terminal escapes: shown escaped on stderr, never as ESC.
evil=$'\e]0;owned\a\e[2J.pdf'
pdf_file "$evil"
expect_status 1 "$send" --postage first --reference 'AB1 2CD' "$evil"
valid_json "$out"
case "$err" in *$'\e'*) fail "ESC reached stderr: $(printf '%s' "$err" | od -c | head -3)" ;; esac
expect_contains "$err" '\x1b]0;owned'
# Skipped records name their file escaped too.
expect_status 1 "$send" <<<'{"file":"\u001b[2Jy.pdf","check":{"valid":false,"message":"\u001b]0;t\u0007"}}'
case "$err" in *$'\e'*|*$'\a'*) fail "ESC or BEL reached stderr: $(printf '%s' "$err" | od -c | head -3)" ;; esac

# status: the ledger table and errors escaped (a status string as Notify might send it).
"$py" - <<'PY'
import sqlite3
db = sqlite3.connect("letterkit-ledger.sqlite")
db.execute("INSERT INTO letters (reference, file, sha256, postage, state, status, run) "
           "VALUES ('odd', 'odd.pdf', '', 'second', 'failed', 'gone\x1b[2J', 1)")
db.commit()
PY
expect_status 0 "$status_exe"
expect_contains "$out" 'gone\x1b[2J'
case "$out$err" in *$'\e'*) fail "ESC reached status's output: $(printf '%s' "$out" | od -c | head -3)" ;; esac
stop_sandbox
finish
