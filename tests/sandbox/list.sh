#!/usr/bin/env bash
# GET /v2/notifications: filters, 250 a page, older_than paging, per key type and service.
. "$(dirname "$0")/lib.sh"
# One letter that fails validation, then (after a restart that delays all processing) the batch,
# so the batch costs no child processes.
start_sandbox --state "$tmp/state" --scan-delay 0
letter_body "$tmp/v" invalid-ref "" DOUBLE-INVALID
api POST /v2/notifications/letter live "$tmp/v"
invalid=$(json_field "$body" id)
wait_status "$invalid" validation-failed
stop_sandbox
start_sandbox --state "$tmp/state" --scan-delay 600000 --rate-limit 100000/60

# 260 more letters with a live key (two references), 3 with the test key.
letter_body "$tmp/b" batch
letter_body "$tmp/odd" odd-one
for i in $(seq 259); do printf '%s\n' "$tmp/b"; done >"$tmp/list"
tok=$("$SANDBOX_TOKEN" "$keys" live)
# One curl, many requests on one connection.
args=()
while read -r f; do args+=(-H "Authorization: Bearer $tok" -H 'Content-Type: application/json' --data-binary "@$f" "$url/v2/notifications/letter" --next); done <"$tmp/list"
curl -sS -o /dev/null "${args[@]}" -o /dev/null -H "Authorization: Bearer $tok" --data-binary "@$tmp/odd" "$url/v2/notifications/letter"
letter_body "$tmp/t" test-ref
for i in 1 2 3; do api POST /v2/notifications/letter test "$tmp/t"; expect_code 201; done

api GET /v2/notifications
expect_code 200
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 250 ] || fail "first page not 250"
[ "$(json_field "$body" notifications.0.reference)" = odd-one ] || fail "newest first: $body"
[ "$(json_field "$body" notifications.1.reference)" = batch ] || fail "second newest"
[ "$(json_field "$body" links.current)" = "$url/v2/notifications" ] || fail "links.current: $body"
next=$(json_field "$body" links.next)
last=$(json_field "$body" notifications.249.id)
[ "$next" = "$url/v2/notifications?older_than=$last" ] || fail "links.next: $next"
api GET "${next#"$url"}"
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 11 ] || fail "second page not 11"
[ "$(json_field "$body" notifications.10.id)" = "$invalid" ] || fail "oldest last"
last=$(json_field "$body" notifications.10.id)
api GET "/v2/notifications?older_than=$last"
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 0 ] || fail "third page not empty"
[ -z "$(json_field "$body" links.next)" ] || fail "an empty page has no next: $body"

api GET '/v2/notifications?reference=odd-one&template_type=letter'
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 1 ] || fail "by reference: $body"
[ "$(json_field "$body" links.current)" = "$url/v2/notifications?reference=odd-one&template_type=letter" ] || fail "current with args"
api GET '/v2/notifications?status=validation-failed'
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 1 ] || fail "by status: $body"
api GET '/v2/notifications?status=failed'
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 1 ] || fail "status=failed: $body"
api GET '/v2/notifications?status=received&status=validation-failed'
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 1 ] || fail "two statuses: $body"
api GET '/v2/notifications?template_type=sms'
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 0 ] || fail "sms: $body"
# A key sees the letters of its own type only.
api GET /v2/notifications test
[ "$(printf '%s' "$body" | "$SANDBOX_JSON" --length notifications)" = 3 ] || fail "test key: $body"

api GET '/v2/notifications?status=elephant'
expect_code 400
[ "$(msg)" = "ValidationError: status ‘elephant’ is not one of [cancelled, created, sending, sent, delivered, pending, failed, technical-failure, temporary-failure, permanent-failure, pending-virus-check, validation-failed, virus-scan-failed, returned-letter, accepted, received]" ] || fail "bad status: $body"
api GET '/v2/notifications?template_type=Apple'
[ "$(msg)" = "ValidationError: ‘Apple’ is not one of [sms, email, letter]" ] || fail "bad type: $body"
api GET '/v2/notifications?older_than=zzz'
[ "$(msg)" = "ValidationError: older_than is not a valid UUID" ] || fail "bad older_than: $body"
api GET '/v2/notifications?colour=red'
expect_code 400 "unknown argument"
api GET '/v2/notifications?status=%ff%fe'
expect_code 400 "a status that is not UTF-8"
expect_contains "$body" "not valid UTF-8"
stop_sandbox
finish
