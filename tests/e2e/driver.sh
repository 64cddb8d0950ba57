#!/usr/bin/env bash
# The letterkit driver: lists commands, runs stages, reports what is missing.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$LETTERKIT" --help
expect_contains "$out" "check"
expect_contains "$out" "letterkit COMMAND --help"
expect_status 0 "$LETTERKIT" --version
version=$(sed -n "s/^  version: '\\(.*\\)',/\\1/p" "$SOURCE_ROOT/meson.build")
[ "$out" = "letterkit $version" ] || fail "--version: '$out', want 'letterkit $version'"
expect_status 2 "$LETTERKIT"
expect_contains "$err" "usage: letterkit"
expect_status 2 "$LETTERKIT" no-such-command
[ "$err" = "letterkit: unknown command 'no-such-command' (see 'letterkit --help')" ] || fail "unknown command: $err"
expect_status 2 "$LETTERKIT" help no-such-command
[ "$err" = "letterkit: unknown command 'no-such-command' (see 'letterkit --help')" ] || fail "help of an unknown command: $err"
expect_status 2 "$LETTERKIT" --bogus
[ "$err" = "letterkit: unknown option '--bogus' (see 'letterkit --help')" ] || fail "unknown option: $err"
expect_status 0 "$LETTERKIT" help check
expect_contains "$out" "usage: letterkit check"
# A known command whose executable is nowhere to be found says so, exit 2.
cp "$LETTERKIT" "$tmp/letterkit"
expect_status 2 env LETTERKIT_EXEC_PATH=/nonexistent "$tmp/letterkit" watch
expect_contains "$err" "'watch' is not installed"
finish
