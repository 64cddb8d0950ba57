#!/usr/bin/env bash
# letterkit status (poll to final statuses, summary, --json) and letterkit pdf (PDFNotReadyError, atomic writes).
. "$(dirname "$0")/lib.sh"
start --scan-delay 5000
use_key live

pdf_file ok.pdf
pdf_file invalid.pdf DOUBLE-INVALID
pdf_file virus.pdf DOUBLE-VIRUS
expect_status 2 "$status_exe"
expect_contains "$err" "no ledger"
expect_status 0 "$send" --parallel 3 ok.pdf invalid.pdf virus.pdf
ok_id=$(printf '%s\n' "$out" | grep -F '"ok.pdf"' | "$SANDBOX_JSON" send.id)
virus_id=$(printf '%s\n' "$out" | grep -F '"virus.pdf"' | "$SANDBOX_JSON" send.id)

# Without --wait, one round: every letter is still waiting for its scan.
expect_status 0 "$status_exe"
expect_contains "$out" "pending-virus-check"

# The PDF is not ready while the letter waits for its scan: retried until it is.
expect_status 2 "$pdf_exe" --max-wait 0 "$ok_id" -o got.pdf
expect_contains "$err" "PDFNotReadyError"
[ ! -e got.pdf ] || fail "a file was left behind"
expect_status 0 "$pdf_exe" --backoff-ms 100 "$ok_id" -o got.pdf
cmp -s got.pdf ok.pdf || fail "the fetched PDF differs from the one sent"
[ -z "$(ls -A | grep -E '^got\.pdf.+')" ] || fail "temporary files left: $(ls)"
# -o - is standard output; -o DIR/x.pdf makes DIR; a path that cannot be written is refused
# before any request (a server that is not there would be named otherwise).
"$pdf_exe" "$ok_id" -o - >stdout.pdf 2>pdf.err || fail "-o -: $(cat pdf.err)"
cmp -s stdout.pdf ok.pdf || fail "-o -: not the PDF sent"
[ ! -e ./- ] || fail "a file called - was made"
expect_status 0 "$pdf_exe" "$ok_id" -o new/deeper/got.pdf
cmp -s new/deeper/got.pdf ok.pdf || fail "-o new/deeper/got.pdf: not the PDF sent"
printf 'a file\n' >a-file
expect_status 2 "$pdf_exe" --base-url http://127.0.0.1:9 --retries 0 "$ok_id" -o a-file/x.pdf
expect_contains "$err" "a-file"
case "$err" in *127.0.0.1*) fail "the server was asked before the path was refused: $err" ;; esac

expect_status 1 "$status_exe" --wait --max-wait 30
expect_contains "$out" "received"
expect_contains "$out" "validation-failed"
expect_contains "$out" "virus-scan-failed"
expect_status 1 "$status_exe" --json
[ "$(jget "$out" summary.sent.received)" = 1 ] || fail "json summary: $out"
[ "$(jget "$out" summary.sent.validation-failed)" = 1 ] || fail "json summary: $out"
[ "$(jget "$out" open)" = 0 ] || fail "open: $out"

# By id.
expect_status 0 "$status_exe" "$ok_id"
expect_contains "$out" "$ok_id  received"
expect_status 1 "$status_exe" --json "$virus_id"
[ "$(jget "$out" status)" = virus-scan-failed ] || fail "by id: $out"
expect_status 2 "$status_exe" not-a-uuid
expect_status 2 "$status_exe" 26785a09-ab16-4eb0-8407-a37497a57506
expect_contains "$err" "No result found"

# A virus has no PDF: exit 1 with Notify's message, no file.
expect_status 1 "$pdf_exe" "$virus_id" -o v.pdf
expect_contains "$err" "File did not pass the virus scan"
[ ! -e v.pdf ] || fail "v.pdf written"
expect_status 2 "$pdf_exe" "$ok_id"
expect_contains "$err" "-o FILE"
expect_status 2 "$pdf_exe" bad-id -o x.pdf
expect_status 0 "$pdf_exe" --help
expect_status 0 "$status_exe" --help
stop_sandbox
finish
