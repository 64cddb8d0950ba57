#!/usr/bin/env bash
# Issue 14 item 8: killing run leaves no work behind. SIGKILL of run in the
# middle of a batch: within two seconds no stage of it is still running
# (they got SIGTERM when run died), and a rerun clears the dead run's
# temporary results file (no *.tmp-* left). Failed before the fix: the
# orphaned check carried on through its backlog, and results.ndjson.tmp-PID
# stayed forever.
here=$(dirname "$(readlink -f "$0")")
. "$here/../faults/lib.sh"
. "$here/lib-stages.sh"
cd "$tmp" || exit 99
mkdir out
letters=()
for i in $(seq 1 20000); do letters+=("$gen/valid-1-page.pdf"); done   # some 15 s of work
"$BUILD_ROOT/letterkit-run" --quiet --db "$db" --results out/results.ndjson "${letters[@]}" >/dev/null 2>&1 &
run_pid=$!
both() { [ -n "$(stage_pid "$run_pid" check)" ] && [ -n "$(stage_pid "$run_pid" scan)" ]; }
wait_for 20 both || fail "the stages did not start"
check_pid=$(stage_pid "$run_pid" check)
scan_pid=$(stage_pid "$run_pid" scan)
sleep 0.5   # under way
kill -KILL "$run_pid"
wait "$run_pid" 2>/dev/null
gone() { ! running "$check_pid" && ! running "$scan_pid"; }
wait_for 2 gone || fail "stages still running 2 s after run was killed: check $(running "$check_pid" && echo yes), scan $(running "$scan_pid" && echo yes)"
kill -KILL "$check_pid" "$scan_pid" 2>/dev/null
ls out/results.ndjson.tmp-* >/dev/null 2>&1 || fail "the killed run left no temporary file: the test proves nothing"
expect_status 0 "$BUILD_ROOT/letterkit-run" --quiet --db "$db" --results out/results.ndjson "$gen/valid-1-page.pdf"
no_temp out
[ "$(wc -l <out/results.ndjson)" = 1 ] || fail "the rerun's results: $(cat out/results.ndjson)"
finish
