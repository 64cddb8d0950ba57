#!/usr/bin/env bash
# The conformance suite (conformance.py: one table of cases, every command).
# This wrapper starts the sandbox, with upload/lib.sh's helpers, for the rows
# of send, status and pdf, makes one letter it has a PDF for ($CONFORMANCE_ID),
# and runs the table. CONFORMANCE_ONLY=check,scan runs those commands' rows
# only (no sandbox unless send, status or pdf is named; "driver" for the
# driver's own rows); CONFORMANCE_CASES=fifo,tty those cases only.
here=$(dirname "$(readlink -f "$0")")
. "$here/../upload/lib.sh"
export LETTERKIT_CLAMAV_DB=${LETTERKIT_CLAMAV_DB:-$SOURCE_ROOT/specimens/clamav}
only=,${CONFORMANCE_ONLY:-send,status,pdf},
unset NOTIFY_API_KEY NOTIFY_BASE_URL
if [[ $only == *,send,* || $only == *,status,* || $only == *,pdf,* ]]; then
    start --rate-limit 6000/60
    use_key live
    pdf_file "$tmp/for-pdf.pdf"
    rec=$("$send" --ledger "$tmp/ledger.sqlite" "$tmp/for-pdf.pdf" 2>"$tmp/send.err")
    CONFORMANCE_ID=$(jget "$rec" send.id)
    [ -n "$CONFORMANCE_ID" ] || fail "could not send a letter for the pdf rows: $rec $(cat "$tmp/send.err")"
    export CONFORMANCE_ID
fi
CONFORMANCE_TMP=$tmp "$py" "$here/conformance.py"
rc=$?
[ -n "${sb_pid:-}" ] && stop_sandbox
[ "$rc" -eq 0 ] || failures=$((failures + 1))
finish
