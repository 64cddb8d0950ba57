#!/usr/bin/env bash
# letterkit send in a pipeline: NDJSON records in, each written back with "send" added.
. "$(dirname "$0")/lib.sh"
start
use_key live

pdf_file one.pdf
pdf_file two.pdf
pdf_file three.pdf
cat >in.ndjson <<'NDJSON'
{"file":"one.pdf","reference":"rec-1","postage":"economy","extra":42}
{"file":"two.pdf","check":{"valid":false,"message":"letter-too-long"}}
{"file":"three.pdf","scan":{"clean":false,"virus":"Eicar"}}
not json
{"reference":"no-file"}
{"file":"three.pdf","postage":"europe"}
{"file":"two.pdf","check":{"valid":true},"scan":{"clean":true}}
NDJSON
expect_status 2 "$send" <in.ndjson
[ "$(printf '%s\n' "$out" | wc -l)" = 7 ] || fail "want 7 records back (the bad line too): $out"
rec() { printf '%s\n' "$out" | grep -F "$1" | head -n 1; }
r=$(rec '"rec-1"')
[ "$(jget "$r" send.state)" = sent ] && [ "$(jget "$r" send.postage)" = economy ] && [ "$(jget "$r" extra)" = 42 ] ||
    fail "record 1: $r"
[ "$(count rec-1)" = 1 ] || fail "rec-1 sent $(count rec-1) times"
r=$(rec 'letter-too-long')
[ "$(jget "$r" send.skipped)" = "check: not valid: letter-too-long" ] || fail "skipped check: $r"
r=$(rec 'Eicar')
[ "$(jget "$r" send.skipped)" = "scan: not clean: Eicar" ] || fail "skipped scan: $r"
r=$(rec 'no-file')
[ "$(jget "$r" send.state)" = error ] || fail "no file: $r"
r=$(rec 'europe')
[ "$(jget "$r" send.state)" = refused ] || fail "europe: $r"
expect_contains "$err" "postage 'europe' is invalid"
expect_contains "$err" "<stdin>: line 4"
r=$(rec '"clean":true')
[ "$(jget "$r" send.state)" = sent ] || fail "checked and clean: $r"
[ "$(count two)" = 1 ] && [ "$(count three)" = 0 ] || fail "two $(count two), three $(count three)"

# Skipped records alone exit 1 (a letter failed an earlier check), and nothing is sent.
printf '{"file":"three.pdf","scan":{"clean":false}}\n' | expect_status 1 "$send"
[ "$(count three)" = 0 ] || fail "three was sent"
# An empty stream sends nothing and is fine.
expect_status 0 "$send" </dev/null
[ -z "$out" ] || fail "output for no input: $out"

# A PDF piped in: one error (send needs a file name), one record for it, the rest not read as lines.
expect_status 2 "$send" <one.pdf
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && [ "$(jget "$out" send.reason)" = bad-record ] || fail "a PDF on stdin: $out"
expect_contains "$err" "<stdin>: holds a PDF, but letterkit send reads only NDJSON records there"
case "$err" in *"line 2"*) fail "the PDF was read as lines: $err" ;; esac

# A folder: its PDFs, recursed, records in path order whatever order they finish in; a summary line.
mkdir -p dir/b dir/a
pdf_file dir/b/z.pdf; pdf_file dir/a/y.pdf; pdf_file dir/m.pdf; printf 'notes\n' >dir/notes.txt
expect_status 0 "$send" --parallel 4 dir
files=$(printf '%s\n' "$out" | "$py" -c 'import sys, json; print(" ".join(json.loads(l)["file"] for l in sys.stdin))')
[ "$files" = "dir/a/y.pdf dir/b/z.pdf dir/m.pdf" ] || fail "folder: $files"
expect_contains "$err" "letterkit send: all 3 letters sent"
case "$err" in *$'\r'*) fail "a progress line in a pipe: $err" ;; esac
# Refusals counted by reason, errors apart; a letter sent before counts as sent.
pdf_file big.pdf
truncate -s 2097153 big.pdf
expect_status 2 "$send" dir/m.pdf big.pdf no-such.pdf
expect_contains "$err" "letterkit send: 1 of 3 letters refused: 1 file-too-big; 1 could not be sent"
[ "$(jget "$(printf '%s\n' "$out" | sed -n 1p)" send.state)" = already-sent ] || fail "m.pdf: $out"
# --reference takes one FILE, not a folder.
expect_status 2 "$send" --reference r1 dir
expect_contains "$err" "--reference needs exactly one FILE"

# On a terminal, a batch of more than a second shows a progress line on stderr.
for i in 1 2 3 4 5 6; do pdf_file "tty-$i.pdf"; done
faults '{"slow_ms": 300}'
"$py" "$SOURCE_ROOT/tests/e2e/stderr-on-a-terminal.py" "$tmp/term" "$send" tty-*.pdf >/dev/null ||
    fail "send with stderr on a terminal exited $?"
grep -q $'\rletterkit send: sent ' "$tmp/term" && grep -q "all 6 letters sent" "$tmp/term" ||
    fail "no progress line on a terminal: $(head -c 300 "$tmp/term")"
faults '{}'

stop_sandbox
finish
