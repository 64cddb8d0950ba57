#!/usr/bin/env bash
# letterkit sandbox: options, start-up, keys, shutdown, missing stages.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$LETTERKIT" sandbox --help
expect_contains "$out" "usage: letterkit sandbox"
expect_contains "$out" "--drop-after-body"
expect_status 2 "$sandbox_exe" --no-such-option
expect_contains "$err" "unknown option"
expect_status 2 "$sandbox_exe" --port 70000
expect_contains "$err" "letterkit sandbox: --port must be a whole number from 0 to 65535, not '70000' (see 'letterkit sandbox --help')"
expect_status 2 "$sandbox_exe" --fail-rate 2
expect_contains "$err" "--fail-rate must be a number from 0 to 1, not '2'"
expect_status 2 "$sandbox_exe" --rate-limit 10/x
expect_contains "$err" "--rate-limit must be N or N/S: 1 to 100000000 requests per 1 to 86400 seconds, not '10/x'"
expect_status 2 "$sandbox_exe" --key live=not-a-key
expect_contains "$err" "live key: API key is"
expect_status 2 "$sandbox_exe" stray
expect_contains "$err" "unexpected argument 'stray'"

# A missing stage is a clear error at start-up.
mkdir "$tmp/empty"
cp "$sandbox_exe" "$tmp/empty/letterkit-sandbox"
expect_status 2 env LETTERKIT_EXEC_DIR="$tmp/empty" LETTERKIT_EXEC_PATH="$tmp/empty" "$tmp/empty/letterkit-sandbox" --port 0
expect_contains "$err" "letterkit-scan not found"

# A key file readable by others is refused; one of ours is accepted.
printf 'live=k-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0\n' >"$tmp/kf"
chmod 644 "$tmp/kf"
expect_status 2 env LETTERKIT_EXEC_DIR="$SANDBOX_DOUBLES" "$sandbox_exe" --key-file "$tmp/kf"
expect_contains "$err" "group or others may read it"

# Non-loopback: warns first (192.0.2.1 is TEST-NET, not ours, so the bind then fails).
expect_status 2 env LETTERKIT_EXEC_DIR="$SANDBOX_DOUBLES" "$sandbox_exe" --port 0 --listen 192.0.2.1
expect_contains "$err" "warning: listening on 192.0.2.1, not loopback"
expect_contains "$err" "cannot listen on 192.0.2.1"

# Start: first line is the URL on loopback; generated keys printed once when no --keys-out.
# Through the driver, which finds letterkit-sandbox and its stages in one directory.
mkdir "$tmp/exec"
cp "$SANDBOX_DOUBLES"/letterkit-* "$sandbox_exe" "$tmp/exec/"
start=$(date +%s%N)
LETTERKIT_EXEC_PATH=$tmp/exec "$LETTERKIT" sandbox --port 0 >"$tmp/o" 2>"$tmp/e" &
pid=$!
for i in $(seq 100); do grep -q '^key test ' "$tmp/o" && break; sleep 0.02; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 1000 ] || fail "start-up took $ms ms"
head -n 1 "$tmp/o" | grep -Eq '^listening http://127\.0\.0\.1:[0-9]+$' || fail "first line: $(head -n 1 "$tmp/o")"
[ "$(grep -c '^key \(live\|team\|test\) sandbox_' "$tmp/o")" = 3 ] || fail "keys: $(cat "$tmp/o")"
u=$(sed -n 's/^listening //p' "$tmp/o")
[ "$(curl -s "$u/_status")" = '{"status":"ok"}' ] || fail "/_status"
kill -INT $pid; wait $pid; rc=$?
[ $rc -eq 0 ] || fail "exit $rc after SIGINT"
grep -q 'SIGINT, stopping' "$tmp/e" || fail "no stop message: $(cat "$tmp/e")"

# --keys-out writes them 0600 and prints none; --key-file keys are accepted.
start_sandbox
[ "$(stat -c %a "$keys")" = 600 ] || fail "keys file mode $(stat -c %a "$keys")"
grep -q '^key ' "$tmp/sb.out" && fail "keys printed despite --keys-out"
grep -q '^live=sandbox_live-' "$keys" || fail "keys file: $(cat "$keys")"
stop_sandbox
chmod 600 "$tmp/kf"
start_sandbox --key-file "$tmp/kf"
[ "$(cat "$keys")" = "$(cat "$tmp/kf")" ] || fail "given key not the only key: $(cat "$keys")"
api GET /v2/notifications live
expect_code 200
stop_sandbox
# Keys from the environment, added to those of the file.
LETTERKIT_SANDBOX_KEYS="test=t-26785a09-ab16-4eb0-8407-a37497a57506-11111111-8d35-48ac-975b-e847b4f122b0" \
    start_sandbox --key-file "$tmp/kf"
[ "$(grep -c . "$keys")" = 2 ] && grep -q '^test=t-26785a09' "$keys" || fail "env keys: $(cat "$keys")"
api GET /v2/notifications test
expect_code 200 "key from the environment"
stop_sandbox
LETTERKIT_SANDBOX_KEYS="test=nonsense" expect_status 2 "$sandbox_exe"
expect_contains "$err" "LETTERKIT_SANDBOX_KEYS:1: test key: API key is"
finish
