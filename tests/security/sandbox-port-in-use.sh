#!/usr/bin/env bash
# Issue 14 item 11: a second sandbox on a port one already listens on must be
# refused (exit 2, "port P is already in use"), not share it: with
# SO_REUSEPORT both listened and requests reached either at random.
. "$(dirname "$0")/../sandbox/lib.sh"
start_sandbox
port=${url##*:}
expect_status 2 timeout 20 env LETTERKIT_EXEC_DIR="$SANDBOX_DOUBLES" LETTERKIT_EXEC_PATH= \
    "$sandbox_exe" --port "$port" --quiet
expect_contains "$err" "port $port is already in use"
case "$out" in *listening*) fail "the second sandbox said it listens: $out" ;; esac
# Every request still reaches the first one (the second, had it listened, knows none of its keys).
for i in $(seq 10); do
    api GET /v2/notifications
    expect_code 200 "request $i to the first sandbox"
done
stop_sandbox

# Its port free again (the first stopped), a new sandbox takes it at once.
LETTERKIT_EXEC_DIR=$SANDBOX_DOUBLES LETTERKIT_EXEC_PATH= "$sandbox_exe" --port "$port" --quiet \
    --keys-out "$keys" >"$tmp/again.out" 2>&1 &
pid=$!
for i in $(seq 100); do grep -q listening "$tmp/again.out" && break; sleep 0.05; done
expect_contains "$(cat "$tmp/again.out")" "listening http://127.0.0.1:$port"
kill -TERM "$pid"; wait "$pid"
finish
