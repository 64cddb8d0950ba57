#!/usr/bin/env bash
# The letterkit driver: lists commands, runs stages, reports what is missing.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$LETTERKIT" --help
expect_contains "$out" "check"
expect_contains "$out" "letterkit COMMAND --help"
expect_status 0 "$LETTERKIT" --version
expect_contains "$out" "letterkit "
expect_status 2 "$LETTERKIT"
expect_contains "$err" "usage: letterkit"
expect_status 2 "$LETTERKIT" no-such-command
expect_contains "$err" "'no-such-command' is not a letterkit command"
# A known command whose executable is nowhere to be found says so, exit 2.
cp "$LETTERKIT" "$tmp/letterkit"
expect_status 2 env LETTERKIT_EXEC_PATH=/nonexistent "$tmp/letterkit" watch
expect_contains "$err" "'watch' is not installed"
finish
