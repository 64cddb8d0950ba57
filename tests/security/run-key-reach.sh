#!/usr/bin/env bash
# Issue 14 item 2: the API key reaches only the stages that talk to Notify.
# During run --send and watch --send (stages alive on a FIFO-held batch and
# an empty hot folder), /proc/PID/environ of letterkit-check (MuPDF) and
# letterkit-scan (libclamav) holds no NOTIFY_API_KEY; letterkit-send's does.
# Failed before the fix: check and scan inherited the whole environment.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
. "$here/../faults/lib.sh"
. "$here/lib-stages.sh"
start
use_key live

# key_only_in_send PARENT WHAT: the three stages of PARENT, the key in send's alone.
key_only_in_send() {
    local s pid
    for s in check scan send; do
        three() { [ -n "$(stage_pid "$1" send)" ] && [ -n "$(stage_pid "$1" scan)" ] && [ -n "$(stage_pid "$1" check)" ]; }
        wait_for 20 three "$1" || { fail "$2: the stages did not start"; return; }
        pid=$(stage_pid "$1" "$s")
        if [ "$s" = send ]; then
            has_key "$pid" || fail "$2: send does not have the key"
        else
            has_key "$pid" && fail "$2: letterkit-$s holds NOTIFY_API_KEY in /proc/$pid/environ"
        fi
    done
}

mkfifo in
"$LETTERKIT" run --quiet --db "$db" --send --ledger ledger.sqlite - <in >run.out 2>run.err &
run_pid=$!
exec 3>in
printf '{"file":"%s"}\n' "$gen/valid-1-page.pdf" >&3
# The driver execs letterkit-run, so run's pid is the stages' parent.
key_only_in_send "$run_pid" "run --send"
exec 3>&-
wait "$run_pid"

mkdir inbox
"$LETTERKIT" watch --quiet --db "$db" --send --ledger ledger2.sqlite inbox >watch.out 2>watch.err &
watch_pid=$!
key_only_in_send "$watch_pid" "watch --send"
kill -TERM "$watch_pid"
wait "$watch_pid"
stop_sandbox
finish
