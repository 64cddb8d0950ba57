#!/usr/bin/env bash
# letterkit send and encode: files to the sandbox, exit codes, Notify's errors, bad keys and input.
. "$(dirname "$0")/lib.sh"
start
use_key live

pdf_file a.pdf
pdf_file b.pdf
expect_status 0 "$send" --postage first a.pdf b.pdf
no_secret "$out" "$err"
line=$(printf '%s\n' "$out" | head -n 1)
[ "$(jget "$line" send.state)" = sent ] || fail "a.pdf: $line"
[ "$(jget "$line" send.reference)" = a ] || fail "reference from the file name: $line"
[ "$(jget "$line" send.postage)" = first ] || fail "postage: $line"
id=$(jget "$line" send.id)
[[ $id =~ ^[0-9a-f-]{36}$ ]] || fail "id: $line"
[ "$(count a)" = 1 ] && [ "$(count b)" = 1 ] || fail "counters: a $(count a), b $(count b)"
api GET "/v2/notifications/$id"
[ "$(json_field "$body" postage)" = first ] || fail "the sandbox has postage: $body"

# encode prints exactly what send posts.
expect_status 0 "$encode" --reference r-1 --postage economy a.pdf
[ "$out" = "{\"reference\":\"r-1\",\"content\":\"$(base64 -w0 a.pdf)\",\"postage\":\"economy\"}" ] ||
    fail "encode: $out"
expect_status 2 "$encode" --postage europe a.pdf
expect_contains "$err" "first, second or economy"
expect_status 1 "$encode" --reference 'SW1A 1AA' a.pdf
expect_contains "$err" "postcode"
# A folder is named as one: encode takes one letter.
mkdir -p a-folder
expect_status 2 "$encode" a-folder
expect_contains "$err" "a-folder: is a folder"
expect_status 2 "$encode" missing.pdf
expect_contains "$err" "missing.pdf"

# --reference for one file; letters Notify refuses exit 1 with Notify's text.
expect_status 0 "$send" --reference ref-c a.pdf
[ "$(count ref-c)" = 1 ] || fail "ref-c sent $(count ref-c) times"
printf 'not a pdf at all' >bad.pdf
expect_status 1 "$send" bad.pdf
expect_contains "$err" "Letter content is not a valid PDF"
[ "$(jget "$out" send.state)" = refused ] || fail "refused: $out"
[ "$(jget "$out" send.error.status_code)" = 400 ] || fail "status_code: $out"
: >empty.pdf
expect_status 1 "$send" empty.pdf
head -c $((2 * 1024 * 1024 + 1)) /dev/zero >big.pdf
expect_status 1 "$send" big.pdf
expect_contains "$err" "2 MiB"
pdf_file 'SW1A 1AA.pdf'
expect_status 1 "$send" 'SW1A 1AA.pdf'
expect_contains "$err" "postcode"
expect_status 2 "$send" missing.pdf
expect_contains "$err" "missing.pdf: No such file"
# The worst status wins: one refused and one missing is 2, and the good one still goes.
pdf_file d.pdf
expect_status 2 "$send" bad.pdf missing.pdf d.pdf
[ "$(count d)" = 1 ] || fail "d.pdf not sent beside the failures"

# Usage errors.
expect_status 2 "$send" --postage europe a.pdf
expect_contains "$err" "--postage"
expect_status 2 "$send" --parallel 0 a.pdf
expect_contains "$err" "--parallel must be a whole number from 1 to 64, not '0'"
expect_status 2 "$send" --reference x a.pdf b.pdf
expect_status 2 "$send" --bogus
expect_status 0 "$send" --help
expect_contains "$out" "usage: letterkit send"

# Keys: missing, malformed, world-readable file, wrong secret (403), team key, skewed clock.
saved=$NOTIFY_API_KEY
pdf_file e.pdf
unset NOTIFY_API_KEY
expect_status 2 "$send" e.pdf
expect_contains "$err" "no API key"
NOTIFY_API_KEY=not-a-key expect_status 2 "$send" e.pdf
expect_contains "$err" "malformed"
export NOTIFY_API_KEY=$saved
(umask 022; printf '%s\n' "$saved" >keyfile)
expect_status 2 env -u NOTIFY_API_KEY "$send" --key-file keyfile e.pdf
expect_contains "$err" "group or others may read it"
chmod 600 keyfile
expect_status 0 env -u NOTIFY_API_KEY "$send" --key-file keyfile e.pdf
[ "$(count e)" = 1 ] || fail "key file: e sent $(count e) times"
pdf_file f.pdf
NOTIFY_API_KEY=${saved%????????????}000000000000 expect_status 2 "$send" f.pdf
expect_contains "$err" "403"
no_secret "$out" "$err"
NOTIFY_API_KEY=$(sed -n 's/^team=//p' "$keys") expect_status 2 "$send" f.pdf
expect_contains "$err" "Cannot send letters with a team api key"
LETTERKIT_TEST_CLOCK_OFFSET=45 expect_status 2 "$send" f.pdf
expect_contains "$err" "clock"
[ "$(count f)" = 0 ] || fail "f was sent"
# After all that, f goes normally.
expect_status 0 "$send" f.pdf
[ "$(count f)" = 1 ] || fail "f sent $(count f) times"
expect_status 2 "$send" --base-url http://example.com f.pdf
expect_contains "$err" "https://"

stop_sandbox
finish
