#!/usr/bin/env bash
# run's accounting (issue 13): every letter that goes in comes out of the
# summary and of --results with its fate, and the exit status says so:
# a name that is not UTF-8, a wrong API key (403: send stops the batch), a
# stage killed in the middle of a batch. (A full disk: run-full.sh.)
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/../faults/lib.sh"
good=$gen/valid-1-page.pdf

# every_letter RESULTS N NAME...: RESULTS holds N records, one per letter named (exact bytes).
every_letter() {
    "$py" - "$@" <<'PY' || fail "results: $(head -c 800 "$1")"
import base64, json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1], "rb")]
assert len(recs) == int(sys.argv[2]), (len(recs), recs)
names = [base64.b64decode(r["file_base64"]) if "file_base64" in r else r["file"].encode() for r in recs]
want = [os.fsencode(n) for n in sys.argv[3:]]
assert sorted(names) == sorted(want), (names, want)
PY
}

# A name that is not UTF-8 is a letter like any other (it was dropped: "1 of 1").
cp "$good" good.pdf
cp "$good" $'bad\xff.pdf'
"$LETTERKIT" run --quiet --db "$db" --results names.ndjson $'bad\xff.pdf' good.pdf >out.txt 2>err.txt
grep -q "of 2 letters passed every stage" out.txt || fail "the summary lost a letter: $(cat out.txt err.txt)"
every_letter names.ndjson 2 $'bad\xff.pdf' good.pdf

# A wrong key: send stops at the first 403; the letters it never answered
# for are in the summary and --results as not reached, exit 2.
start
use_key live
NOTIFY_API_KEY=${NOTIFY_API_KEY%?}$([ "${NOTIFY_API_KEY: -1}" = 0 ] && echo 1 || echo 0)
files=()
for i in $(seq 1 10); do cp "$good" "k-$i.pdf"; files+=("k-$i.pdf"); done
expect_status 2 "$LETTERKIT" run --quiet --db "$db" --send --ledger ledger.sqlite --results key.ndjson "${files[@]}"
expect_contains "$out" "of 10 letters passed every stage"
expect_contains "$out" "0 of 10 letters"
every_letter key.ndjson 10 "${files[@]}"
"$py" - key.ndjson <<'PY' || fail "a letter without its fate: $(cat key.ndjson)"
import json, sys
for r in map(json.loads, open(sys.argv[1])):
    fate = r.get("run") or r.get("send")
    assert fate, r
    if "run" in r:
        assert r["run"]["reached"] is False and r["run"]["stage"] == "send", r
        assert "send ended with exit status 2" in r["run"]["reason"], r
PY
stop_sandbox

# check killed by SIGKILL with letters in hand: a stand-in check answers
# three of five letters and then waits, and is killed by its pid.
mkdir fake
cat >fake/letterkit-check <<'SH'
#!/usr/bin/env bash
echo $$ >"$STANDIN_PID"
for i in 1 2 3; do
    IFS= read -r line || exit 0
    printf '%s,"check":{"valid":true}}\n' "${line%\}}"
done
exec sleep 600
SH
chmod +x fake/letterkit-check
ln -s "$BUILD_ROOT/letterkit-scan" fake/letterkit-scan
files=()
for i in $(seq 1 5); do cp "$good" "d-$i.pdf"; files+=("d-$i.pdf"); done
export STANDIN_PID=$tmp/check.pid
LETTERKIT_EXEC_DIR=$tmp/fake "$BUILD_ROOT/letterkit-run" --quiet --db "$db" --results died.ndjson "${files[@]}" \
    >out.txt 2>err.txt &
run_pid=$!
answered_3() { [ -s "$STANDIN_PID" ] && grep -q sleep "/proc/$(cat "$STANDIN_PID")/cmdline" 2>/dev/null; }
wait_for 30 answered_3 || fail "the stand-in check did not answer"
sleep 0.3   # scan's answers reach run
kill -KILL "$(cat "$STANDIN_PID")"
wait "$run_pid"; st=$?
[ "$st" = 2 ] || fail "exit $st with check killed, want 2: $(cat err.txt)"
grep -q "3 of 5 letters passed every stage" out.txt || fail "summary: $(cat out.txt)"
grep -q "not reached: check stopped (killed by SIGKILL)" out.txt || fail "no reason: $(cat out.txt)"
every_letter died.ndjson 5 "${files[@]}"
[ "$(grep -c '"reached":false,"stage":"check","reason":"check stopped (killed by SIGKILL) before this letter"' died.ndjson)" = 2 ] ||
    fail "want two letters not reached: $(cat died.ndjson)"
finish
