#!/usr/bin/env bash
# Issue 14 item 9: a server that is down fails within seconds, names the host and what to
# check, leaves the letters unsent in the ledger (a rerun sends them) and accounts for each
# letter. Before the fix, 10 letters to a closed port took a minute (6 tries each, "gave up
# after 6 tries", no file, no host), and a DNS failure was tried 6 times.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/../faults/lib.sh"
start
use_key live
# A loopback port with nothing listening: bind one, note it, let it go.
closed=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir letters
for i in $(seq 1 10); do pdf_file "letters/down-$i.pdf"; done
timed() { # SECONDS CMD...: runs CMD (through expect_status), failing when it takes longer
    local limit=$1 t0=$SECONDS; shift
    "$@"
    [ $((SECONDS - t0)) -le "$limit" ] || fail "took $((SECONDS - t0)) s (at most $limit): ${*:3}"
}

# Connection refused: exit 2 at once, with the host and the advice; every letter has a record.
timed 5 expect_status 2 "$send" --ledger l.sqlite --base-url "http://127.0.0.1:$closed" letters/*.pdf
expect_contains "$err" "cannot connect to 127.0.0.1 port $closed"
expect_contains "$err" "is the sandbox"
expect_contains "$err" "letters/down-1.pdf: not sent"
[ "$(printf '%s\n' "$out" | grep -c '"state":"error"')" = 10 ] || fail "10 error records wanted: $out"
[ "$(printf '%s\n' "$out" | grep -c '"reason":"unreachable"')" -ge 1 ] || fail "no reason unreachable: $out"
[ "$(printf '%s\n' "$out" | grep -c '"reason":"\(unreachable\|batch-stopped\)"')" = 10 ] || fail "reasons: $out"
states=$("$py" -c 'import sqlite3; print(sorted(set(r[0] for r in sqlite3.connect("l.sqlite").execute("select state from letters"))))')
[ "$states" = "['queued']" ] || fail "ledger states after a refused connection: $states"
# The same through several in parallel, and from NDJSON records.
timed 5 expect_status 2 "$send" --ledger l.sqlite --parallel 4 --base-url "http://127.0.0.1:$closed" letters/*.pdf
[ "$(printf '%s\n' "$out" | grep -c '"state":"error"')" = 10 ] || fail "parallel: $out"
timed 5 expect_status 2 sh -c 'ls letters/*.pdf | sed "s/.*/{\"file\":\"&\"}/" | "$0" --ledger l.sqlite --base-url "$1"' \
    "$send" "http://127.0.0.1:$closed"
[ "$(printf '%s\n' "$out" | grep -c '"state":"error"')" = 10 ] || fail "ndjson: $out"

# An unknown host: one try, named, with the network and DNS to check.
timed 5 expect_status 2 "$send" --ledger l.sqlite --base-url "https://letterkit-no-such-host.invalid" letters/down-1.pdf letters/down-2.pdf
expect_contains "$err" "cannot find host letterkit-no-such-host.invalid"
expect_contains "$err" "DNS"

# status and pdf stop at once too.
timed 5 expect_status 2 "$status_exe" --base-url "http://127.0.0.1:$closed" 00000000-0000-4000-8000-000000000000
expect_contains "$err" "is the sandbox"

# The server back: a rerun sends each letter exactly once.
expect_status 0 "$send" --ledger l.sqlite letters/*.pdf
sent_once down 10

# run --send on 10 real letters to a closed port: seconds, exit 2, every letter in the results.
. "$SOURCE_ROOT/tests/pipeline/lib-letters.sh"
mkdir run
for i in $(seq 1 10); do cp "$tmp/letters/valid.pdf" "run/r-$i.pdf"; done
timed 20 expect_status 2 "$LETTERKIT" run --db "$db" --send --ledger run.sqlite --base-url "http://127.0.0.1:$closed" \
    --results run.ndjson run/*.pdf
[ "$(grep -c '"send":{[^}]*"state":"error"' run.ndjson)" = 10 ] || fail "run's results: $(cat run.ndjson)"
stop_sandbox
finish
