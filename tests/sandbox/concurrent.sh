#!/usr/bin/env bash
# 100 concurrent connections (a libcurl multi client): every letter accepted once, every GET right.
. "$(dirname "$0")/lib.sh"
start_sandbox --receive-delay 100
expect_status 0 "$SANDBOX_CONCURRENT" "$url" "$keys" 100
expect_contains "$out" "100 concurrent POSTs and GETs"
stop_sandbox
grep -q 'http:' "$tmp/sb.err" && fail "server logged HTTP errors: $(cat "$tmp/sb.err")"
finish
