#!/usr/bin/env bash
# A letter's life: every status path (with test doubles of letterkit-scan and -check), the PDF endpoint.
. "$(dirname "$0")/lib.sh"
export SCAN_DOUBLE_LOG=$tmp/scan.log
mkdir "$tmp/db"
start_sandbox --scan-delay 4000 --receive-delay 2500 --clamav-db "$tmp/db"

post() { # REF MARKER: posts a letter, sets $id
    letter_body "$tmp/b" "$1" "" "$2"
    api POST /v2/notifications/letter live "$tmp/b"
    expect_code 201 "posting $1"
    id=$(json_field "$body" id)
}
pdf_error() { # ID "ERROR: message"
    api GET "/v2/notifications/$1/pdf"
    expect_code 400 "pdf of $1"
    [ "$(msg)" = "$2" ] || fail "pdf of $1: want '$2', got $body"
}

post good ""; good=$id
# Before the scan: pending-virus-check, no PDF yet, no sent_at.
api GET "/v2/notifications/$good"
[ "$(json_field "$body" status)" = pending-virus-check ] || fail "first status: $body"
[ -z "$(json_field "$body" sent_at)" ] || fail "sent_at before sending: $body"
pdf_error "$good" "PDFNotReadyError: PDF not available yet, try again later"
post virus DOUBLE-VIRUS; virus=$id
post invalid DOUBLE-INVALID; invalid=$id
post scanerr DOUBLE-SCAN-ERROR; scanerr=$id
post checkerr DOUBLE-CHECK-ERROR; checkerr=$id

wait_status "$good" accepted
[ -n "$(json_field "$body" sent_at)" ] || fail "accepted without sent_at: $body"
[ -z "$(json_field "$body" completed_at)" ] || fail "accepted with completed_at: $body"
wait_status "$good" received
[ -n "$(json_field "$body" completed_at)" ] || fail "received without completed_at: $body"
wait_status "$virus" virus-scan-failed
wait_status "$invalid" validation-failed
wait_status "$scanerr" technical-failure
wait_status "$checkerr" technical-failure

# The PDF: the very bytes sent, for accepted/received and validation-failed letters.
curl -sS -o "$tmp/got.pdf" -w '%{http_code} %{content_type}' \
    -H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" live)" "$url/v2/notifications/$good/pdf" >"$tmp/meta"
[ "$(cat "$tmp/meta")" = "200 application/pdf" ] || fail "pdf: $(cat "$tmp/meta")"
printf '%%PDF-1.4\n%% a stand-in letter for the test doubles \n%%%%EOF' | cmp -s - "$tmp/got.pdf" || fail "pdf bytes differ"
api GET "/v2/notifications/$invalid/pdf"
expect_code 200 "pdf of a validation-failed letter"
pdf_error "$virus" "BadRequestError: File did not pass the virus scan"
pdf_error "$scanerr" "BadRequestError: PDF not available for letters in technical-failure"

grep -q -- "--db $tmp/db --json " "$SCAN_DOUBLE_LOG" || fail "scan not given --db: $(cat "$SCAN_DOUBLE_LOG")"
# Failures are logged with the reason.
grep -q "$virus: virus-scan-failed: Eicar-Signature.UNOFFICIAL" "$tmp/sb.err" || fail "log: $(cat "$tmp/sb.err")"
grep -q "$scanerr: technical-failure: .*letterkit-scan exited 2: letterkit-scan (double): cannot scan" "$tmp/sb.err" ||
    fail "log: $(cat "$tmp/sb.err")"
stop_sandbox
finish
