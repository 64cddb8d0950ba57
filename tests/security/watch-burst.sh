#!/usr/bin/env bash
# Issue 14 item 7: the hot folder never forgets a burst. 17,500 files moved
# into a running watch left 886 unfiled with nothing said: inotify's queue
# (fs.inotify.max_queued_events) overflowed and IN_Q_OVERFLOW was ignored.
# On overflow watch sweeps the folder again (and says so with -v): every
# file of a burst larger than the queue is filed, each once.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../pipeline/lib-letters.sh"
inbox=$tmp/inbox
staging=$tmp/staging
mkdir -p "$inbox" "$staging"

# As root the queue is made small for the watch started below (an inotify
# instance keeps the limit it was made with), and put back at once: a burst
# of 1,000 then overflows it many times. Otherwise 20,000 files, more than
# the default queue of 16,384, moved in at once.
q=/proc/sys/fs/inotify/max_queued_events
saved=$(cat "$q")
lowered=
if [ -w "$q" ] && echo 64 >"$q" 2>/dev/null; then
    lowered=1
    trap 'echo "$saved" >"$q"' EXIT
    n=1000
else
    n=$((saved > 17000 ? saved + 3000 : 20000))
fi
"$LETTERKIT" watch -v --db "$db" "$inbox" >"$tmp/out" 2>"$tmp/err" &
pid=$!
for i in $(seq 100); do grep -q watching "$tmp/out" && break; sleep 0.05; done
[ -n "$lowered" ] && echo "$saved" >"$q"
grep -q watching "$tmp/out" || fail "watch did not start: $(cat "$tmp/err")"

# Small files, none a letter: each is checked, scanned and filed in failed/ quickly.
for i in $(seq "$n"); do printf 'not a letter %d\n' "$i" >"$staging/burst-$i.pdf"; done
# watch is stopped while the burst moves in, so the queue overflows for
# certain (a watch reading as fast as mv moves could keep up with it).
kill -STOP "$pid"
find "$staging" -name '*.pdf' -exec mv -t "$inbox" {} +
kill -CONT "$pid"

# Wait until every file is filed, or nothing has moved for 10 s (two sweeps' worth).
filed() { find "$inbox/failed" "$inbox/passed" -name '*.json' | wc -l; }
last=-1 still=0
while [ "$still" -lt 20 ]; do
    now=$(filed)
    [ "$now" -ge "$n" ] && break
    if [ "$now" = "$last" ]; then still=$((still + 1)); else still=0; last=$now; fi
    kill -0 "$pid" 2>/dev/null || { fail "watch ended: $(cat "$tmp/err")"; break; }
    sleep 0.5
done
left=$(find "$inbox" -maxdepth 1 -name '*.pdf' | wc -l)
[ "$(filed)" -eq "$n" ] || fail "$(filed) of $n files of the burst filed, $left left in the inbox"
[ "$left" -eq 0 ] || fail "$left files of the burst left in the inbox"
[ "$(find "$inbox/failed" -name 'burst-*.pdf' | wc -l)" -eq "$n" ] || fail "the burst's files were not each filed once"
[ -z "$(find "$inbox" -name 'burst-*-*.pdf')" ] || fail "a file of the burst was filed twice"
[ -n "$lowered" ] && expect_contains "$(cat "$tmp/out")" "sweeping $inbox again"
kill -TERM "$pid"
wait "$pid"
st=$?
[ "$st" -eq 1 ] || fail "watch exit $st, want 1 (the burst's files are not letters): $(tail -3 "$tmp/err")"
expect_contains "$(tail -1 "$tmp/out")" "$n letters: 0 passed, $n failed"
finish
