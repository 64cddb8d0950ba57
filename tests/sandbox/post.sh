#!/usr/bin/env bash
# POST /v2/notifications/letter and GET /v2/notifications/{id}: success and every documented error.
. "$(dirname "$0")/lib.sh"
start_sandbox

letter_body "$tmp/b" ref-1
api POST /v2/notifications/letter live "$tmp/b"
expect_code 201
id=$(json_field "$body" id)
[ "$(json_field "$body" reference)" = ref-1 ] || fail "reference: $body"
[ "$(json_field "$body" postage)" = second ] || fail "default postage: $body"
[[ $id =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] || fail "id $id"

api GET "/v2/notifications/$id"
expect_code 200
for f in '"type":"letter"' '"reference":"ref-1"' '"postage":"second"' '"line_1":"Provided as PDF"' \
    '"subject":"Pre-compiled PDF"' '"email_address":null' '"scheduled_for":null'; do
    expect_contains "$body" "$f"
done
[[ $(json_field "$body" created_at) =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$ ]] ||
    fail "created_at: $body"
# Upper-case ids are the same id.
api GET "/v2/notifications/${id^^}"
expect_code 200 "upper-case id"

for p in first second economy; do
    letter_body "$tmp/b" "ref-$p" "$p"
    api POST /v2/notifications/letter live "$tmp/b"
    expect_code 201 "postage $p"
    [ "$(json_field "$body" postage)" = "$p" ] || fail "postage $p: $body"
done

check_error() { # CODE "ERROR: message" BODY_FILE [TYPE]
    api POST /v2/notifications/letter "${4:-live}" "$3"
    expect_code "$1" "for $2"
    [ "$(msg)" = "$2" ] || fail "want '$2', got: $body"
    expect_contains "$body" "\"status_code\":$1"
}
letter_body "$tmp/b" r europe
check_error 400 "ValidationError: postage invalid. It must be either first, second or economy." "$tmp/b"
printf '{"content":"JVBERi0="}' >"$tmp/b"
check_error 400 "ValidationError: reference is a required property" "$tmp/b"
printf '{"reference":"r"}' >"$tmp/b"
check_error 400 "ValidationError: content is a required property" "$tmp/b"
printf '{"reference":5,"content":"JVBERi0=","postage":"first"}' >"$tmp/b"
check_error 400 "ValidationError: reference is not of type string" "$tmp/b"
printf '{"reference":"r","content":"JVBERi0=","colour":"red"}' >"$tmp/b"
check_error 400 "ValidationError: Additional properties are not allowed (colour was unexpected)" "$tmp/b"
printf '{}' >"$tmp/b"
check_error 400 "ValidationError: reference is a required property|ValidationError: content is a required property" "$tmp/b"
printf '{"reference": "r", ' >"$tmp/b"
check_error 400 "BadRequestError: Invalid JSON supplied in POST data" "$tmp/b"
printf '{"reference":"r","content":"hi"}' >"$tmp/b"
check_error 400 "BadRequestError: Cannot decode letter content (invalid base64 encoding)" "$tmp/b"
printf '{"reference":"r","content":"%s"}' "$(printf 'hello, not a PDF' | base64 -w0)" >"$tmp/b"
check_error 400 "BadRequestError: Letter content is not a valid PDF" "$tmp/b"
letter_body "$tmp/b" team-ref
check_error 403 "BadRequestError: Cannot send letters with a team api key" "$tmp/b" team

# Bodies over the limit: 413 without reading them (a 3 MB letter is over Notify's 2 MiB).
head -c 3000000 /dev/zero | tr '\0' A >"$tmp/big"
printf '{"reference":"big","content":"%s"}' "$(cat "$tmp/big")" >"$tmp/b"
check_error 413 "RequestEntityTooLarge: Request body is larger than 2812588 bytes (a letter may be at most 2 MiB)" "$tmp/b"
# A client that waits for 100 Continue (curl's default above 1 MiB) gets the 413 before sending.
code=$(curl -s -o "$tmp/r" -w '%{http_code}' -H "Authorization: Bearer $("$SANDBOX_TOKEN" "$keys" live)" \
    -H 'Content-Type: application/json' --expect100-timeout 10 --data-binary "@$tmp/b" "$url/v2/notifications/letter")
[ "$code" = 413 ] || fail "with Expect: 100-continue: HTTP $code $(cat "$tmp/r")"
# A 2 MiB PDF fits.
{ printf '%%PDF-1.4\n'; head -c $((2 * 1024 * 1024 - 9)) /dev/zero; } | base64 -w0 >"$tmp/big"
printf '{"reference":"two-mib","content":"%s"}' "$(cat "$tmp/big")" >"$tmp/b"
api POST /v2/notifications/letter live "$tmp/b"
expect_code 201 "2 MiB letter"

api GET /v2/notifications/not-a-uuid
expect_code 400
[ "$(msg)" = "ValidationError: id is not a valid UUID" ] || fail "bad uuid: $body"
api GET /v2/notifications/26785a09-ab16-4eb0-8407-a37497a57506
expect_code 404
[ "$(msg)" = "NoResultFound: No result found" ] || fail "unknown id: $body"
api GET /v2/nothing-here
expect_code 404
api DELETE "/v2/notifications/$id"
expect_code 405
api GET /v2/notifications/letter
expect_code 405 "GET of the POST endpoint"

# Garbage never crashes it: random bodies, random paths, random auth headers.
tok=$("$SANDBOX_TOKEN" "$keys" live)
for i in $(seq 30); do
    head -c $((RANDOM % 3000)) /dev/urandom >"$tmp/g"
    curl -s -o /dev/null -H "Authorization: Bearer $tok" --data-binary "@$tmp/g" "$url/v2/notifications/letter"
    curl -s -o /dev/null -H "Authorization: Bearer $(head -c 200 /dev/urandom | base64 -w0 | tr '+/' '-_' | cut -c1-$((RANDOM % 200)))" \
        "$url/v2/notifications/$(head -c 40 /dev/urandom | base64 -w0 | tr '+/' '-_')/pdf"
done
printf '{"reference":"%s","content":"JVBERi0xLjQK","postage":null}' "$(head -c 5000 /dev/zero | tr '\0' x)" >"$tmp/g"
api POST /v2/notifications/letter live "$tmp/g"
expect_code 400 "postage null"
[ "$(curl -s "$url/_status")" = '{"status":"ok"}' ] || fail "server gone after garbage"

# Nothing rejected was stored: 5 letters were accepted.
c=$(curl -s "$url/_sandbox/counters")
expect_contains "$c" '"accepted_posts":5'
expect_contains "$c" '"ref-1":1'
stop_sandbox
finish
