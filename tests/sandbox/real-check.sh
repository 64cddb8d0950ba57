#!/usr/bin/env bash
# With the real letterkit-check and letterkit-scan (its double when it is not built) and
# letterkit's own test signatures: specimens end as received, validation-failed with check's
# code, or virus-scan-failed.
. "$(dirname "$0")/lib.sh"
[ -x "$BUILD_ROOT/letterkit-check" ] || { echo "letterkit-check not built"; exit 77; }
mkdir "$tmp/exec"
ln -s "$BUILD_ROOT/letterkit-check" "$tmp/exec/letterkit-check"
if [ -x "$BUILD_ROOT/letterkit-scan" ]; then ln -s "$BUILD_ROOT/letterkit-scan" "$tmp/exec/"; else cp "$SANDBOX_DOUBLES/letterkit-scan" "$tmp/exec/"; fi
SANDBOX_DOUBLES=$tmp/exec start_sandbox --receive-delay 100 --clamav-db "$SOURCE_ROOT/specimens/clamav"

post_file() { # FILE REF
    printf '{"reference":"%s","content":"%s"}' "$2" "$(base64 -w0 "$1")" >"$tmp/b"
    api POST /v2/notifications/letter live "$tmp/b"
    expect_code 201 "posting $1"
    id=$(json_field "$body" id)
}
post_file "$SOURCE_ROOT/specimens/cairo/valid-1-page.pdf" valid; valid=$id
post_file "$SOURCE_ROOT/specimens/cairo/outside-rule-in-right-margin-page-2.pdf" outside; outside=$id
wait_status "$valid" received
wait_status "$outside" validation-failed
grep -q "$outside: validation-failed: content-outside-printable-area" "$tmp/sb.err" || fail "log: $(cat "$tmp/sb.err")"
if [ -x "$BUILD_ROOT/letterkit-scan" ] && [ -f /usr/share/clamav-testfiles/clam.pdf ]; then
    post_file /usr/share/clamav-testfiles/clam.pdf virus
    wait_status "$id" virus-scan-failed
    api GET "/v2/notifications/$id/pdf"
    [ "$(msg)" = "BadRequestError: File did not pass the virus scan" ] || fail "virus pdf: $body"
    grep -q "$id: virus-scan-failed: Letterkit.Test.ClamExe.UNOFFICIAL" "$tmp/sb.err" || fail "log: $(cat "$tmp/sb.err")"
fi
stop_sandbox
finish
