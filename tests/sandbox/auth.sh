#!/usr/bin/env bash
# Authentication as Notify answers it: 401 without a bearer token, 403 AuthError otherwise.
. "$(dirname "$0")/lib.sh"
start_sandbox

api GET /v2/notifications none
expect_code 401
[ "$(msg)" = "AuthError: Unauthorized: authentication token must be provided" ] || fail "no header: $body"
expect_contains "$body" '"status_code":401'
expect_contains "$body" '"error":"AuthError"'

body=$(curl -s -w '\n%{http_code}' -H 'Authorization: Basic abc' "$url/v2/notifications"); code=${body##*$'\n'}; body=${body%$'\n'*}
[ "$code" = 401 ] && [ "$(msg)" = "AuthError: Unauthorized: authentication bearer scheme must be used" ] || fail "basic: $code $body"

call_with() { body=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $1" "$url/v2/notifications"); code=${body##*$'\n'}; body=${body%$'\n'*}; }
call_with garbage
[ "$code" = 403 ] && expect_contains "$(msg)" "AuthError: Invalid token: make sure your API token matches the example"

sid=$(sed -n 's/^live=sandbox_live-\(.\{36\}\)-.*/\1/p' "$keys")
secret=$(sed -n 's/^live=.*-\(.\{36\}\)$/\1/p' "$keys")
now=$(date +%s)
call_with "$("$SANDBOX_TOKEN" --raw '{"typ":"JWT","alg":"HS256"}' "{\"iat\":$now}" "$secret")"
[ "$code" = 403 ] && [ "$(msg)" = "AuthError: Invalid token: iss field not provided" ] || fail "no iss: $code $body"
call_with "$("$SANDBOX_TOKEN" --raw '{"typ":"JWT","alg":"HS256"}' "{\"iss\":\"not-a-uuid\",\"iat\":$now}" "$secret")"
[ "$code" = 403 ] && [ "$(msg)" = "AuthError: Invalid token: service id is not the right data type" ] || fail "bad iss: $code $body"
call_with "$("$SANDBOX_TOKEN" --raw '{"typ":"JWT","alg":"HS256"}' "{\"iss\":\"26785a09-ab16-4eb0-8407-a37497a57506\",\"iat\":$now}" "$secret")"
[ "$code" = 403 ] && [ "$(msg)" = "AuthError: Invalid token: service not found" ] || fail "unknown service: $code $body"
call_with "$("$SANDBOX_TOKEN" --raw '{"typ":"JWT","alg":"HS256"}' "{\"iss\":\"$sid\",\"iat\":$now}" "3d844edf-8d35-48ac-975b-e847b4f122b0")"
[ "$code" = 403 ] && [ "$(msg)" = "AuthError: Invalid token: API key not found" ] || fail "wrong secret: $code $body"
call_with "$("$SANDBOX_TOKEN" --raw '{"typ":"JWT","alg":"none"}' "{\"iss\":\"$sid\",\"iat\":$now}" "$secret")"
[ "$code" = 403 ] && [ "$(msg)" = "AuthError: Invalid token: algorithm used is not HS256" ] || fail "alg none: $code $body"

# The clock: 30 s either way is fine, 31 s is not.
for off in -25 25; do
    call_with "$("$SANDBOX_TOKEN" "$keys" live "$off")"
    [ "$code" = 200 ] || fail "iat offset $off: $code $body"
done
for off in -40 40; do
    call_with "$("$SANDBOX_TOKEN" "$keys" live "$off")"
    [ "$code" = 403 ] && [ "$(msg)" = "AuthError: Error: Your system clock must be accurate to within 30 seconds" ] ||
        fail "iat offset $off: $code $body"
done
# Every key type authenticates.
for t in live team test; do api GET /v2/notifications $t; expect_code 200 "$t key"; done
stop_sandbox
finish
