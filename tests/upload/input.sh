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

stop_sandbox
finish
