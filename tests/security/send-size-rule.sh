#!/usr/bin/env bash
# Issue 14 item 12: one size rule in check and send. A valid letter one byte over 2 MiB
# (2097152 bytes) fails check with file-too-big (exit 1, quiet or not) and send refuses it
# with the same code before any POST; one of exactly 2 MiB passes both. Before the fix check
# passed it (exit 0, a warning that -q hid) and only send refused it.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
start
use_key live
sized() { # SRC DEST BYTES: SRC padded with a PDF comment before a final %%EOF to exactly BYTES
    "$py" - "$1" "$2" "$3" <<'PY'
import sys
src, dest, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
tail = b"\n%%EOF\n"
pad = size - len(data) - len(b"\n%") - len(tail)
open(dest, "wb").write(data + b"\n%" + b"x" * pad + tail)
PY
}
valid=$BUILD_ROOT/specimens/generated/valid-1-page.pdf
sized "$valid" over.pdf $((2 * 1024 * 1024 + 1))
sized "$valid" limit.pdf $((2 * 1024 * 1024))
[ "$(stat -c %s over.pdf)" = 2097153 ] && [ "$(stat -c %s limit.pdf)" = 2097152 ] || fail "sizes"

expect_status 1 "$LETTERKIT" check over.pdf
expect_contains "$out" "file-too-big"
expect_status 1 "$LETTERKIT" check -q over.pdf
expect_contains "$out" "file-too-big"
expect_status 1 "$LETTERKIT" check --json over.pdf
expect_contains "$out" '"valid":false,"message":"file-too-big"'
expect_status 0 "$LETTERKIT" check limit.pdf

expect_status 1 "$send" over.pdf
[ "$(jget "$out" send.state)" = refused ] || fail "over: $out"
[ "$(jget "$out" send.reason)" = file-too-big ] || fail "over's reason: $out"
expect_contains "$err" "file-too-big"
[ "$(count over)" = 0 ] || fail "over.pdf was posted"
expect_status 0 "$send" limit.pdf
[ "$(count limit)" = 1 ] || fail "limit.pdf sent $(count limit) times"
stop_sandbox
finish
