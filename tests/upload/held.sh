#!/usr/bin/env bash
# Records go out in input order, so one slow letter holds back every record
# after it. send used to keep taking letters meanwhile: a letter waiting seconds
# for its retry held the records of the whole batch (40 MB for 10,000
# letters). It now takes no letter while 1,024 wait for an earlier one: the
# batch pauses until that letter is done, then goes on, and every letter is
# still sent once, its record in its place.
. "$(dirname "$0")/lib.sh"
start --rate-limit 1000000/60
use_key live
n=1300          # more than the 1,024 send may hold
held_max=1040   # 1,024 held, and the slots (twice --parallel) around them
mkdir letters
for i in $(seq -w 1 $n); do pdf_file "letters/h-$i.pdf"; done
accepted() { jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts; }

# The first POST fails (500): its letter waits 10-20 s for its retry (half
# of --backoff-ms fixed, half random), time enough for 1,040 letters and a
# settled count on a loaded machine (ASan, other tests: about 1 s here).
faults '{"fail_next": 1, "fail_status": 500}'
"$send" --rate-limit 1000000/60 --backoff-ms 20000 --retries 2 --parallel 8 letters/*.pdf >out.ndjson 2>err.txt &
pid=$!
# The count of letters Notify holds, once it has passed 1,000 and stopped
# growing for half a second (or send ended).
last=-1 steady=0
for i in $(seq 300); do
    now=$(accepted)
    if [ "$now" = "$last" ]; then steady=$((steady + 1)); else steady=0; last=$now; fi
    [ "$steady" -ge 5 ] && [ "$last" -ge 1000 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$pid" 2>/dev/null || fail "send ended before its retry: $(cat err.txt)"
[ "$last" -le "$held_max" ] || fail "$last letters sent while one waited for its retry (at most $held_max)"
wait "$pid" || fail "send exit $?: $(cat err.txt)"

[ "$(accepted)" = "$n" ] || fail "Notify holds $(accepted) letters, want $n"
[ "$(wc -l <out.ndjson)" = "$n" ] || fail "$(wc -l <out.ndjson) records, want $n"
# In input order, every one sent.
"$py" - out.ndjson <<'PY' || fail "records out of order or not sent"
import json, sys
recs = [json.loads(line) for line in open(sys.argv[1])]
files = [r["file"] for r in recs]
assert files == sorted(files), "out of order"
assert all(r["send"]["state"] == "sent" for r in recs), "not all sent"
PY
stop_sandbox
finish
