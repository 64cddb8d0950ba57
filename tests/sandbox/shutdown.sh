#!/usr/bin/env bash
# SIGTERM while clients are posting, with --state: every letter that got its 201 is there after
# the restart, and the server stopped cleanly.
. "$(dirname "$0")/lib.sh"
start_sandbox --state "$tmp/state" --scan-delay 600000
letter_body "$tmp/b" shutdown
tok=$("$SANDBOX_TOKEN" "$keys" live)
post_loop() { # N: posts until the server stops answering, one id per line on stdout
    local out
    for _ in $(seq 300); do
        out=$(curl -s --max-time 5 -H "Authorization: Bearer $tok" -H 'Expect:' --data-binary "@$tmp/b" \
            "$url/v2/notifications/letter") || break
        sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$out"
    done
}
for i in 1 2 3 4 5 6 7 8; do post_loop >"$tmp/ids.$i" & done
# Stop in the middle of the stream, once some letters are in.
for _ in $(seq 200); do [ "$(cat "$tmp"/ids.* | wc -l)" -ge 40 ] && break; sleep 0.05; done
stop_sandbox TERM
wait
cat "$tmp"/ids.* >"$tmp/ids"
n=$(wc -l <"$tmp/ids")
[ "$n" -gt 10 ] || fail "only $n letters posted before the stop"
start_sandbox --state "$tmp/state" --scan-delay 600000
c=$(curl -s "$url/_sandbox/counters?reference=shutdown" | "$SANDBOX_JSON" accepted_posts)
# Every answered POST is kept; a POST cut off by the stop may be kept without an answer.
[ "$c" -ge "$n" ] || fail "$n letters answered 201, $c kept"
missing=0
while read -r id; do
    api GET "/v2/notifications/$id"
    [ "$code" = 200 ] || missing=$((missing + 1))
done < <(shuf -n 20 "$tmp/ids")
[ "$missing" = 0 ] || fail "$missing of 20 sampled letters lost"
stop_sandbox
finish
