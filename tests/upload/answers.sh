#!/usr/bin/env bash
# Hostile answers and references: a server whose answers never end, stall, are
# not JSON, not objects, not UTF-8 or hold terminal escapes (answers.py); and
# references with line breaks, control characters, bad UTF-8 or too long, which
# are refused before anything is sent, while odd but valid ones are looked up
# percent-encoded.
. "$(dirname "$0")/lib.sh"
"$py" "$(dirname "$0")/answers.py" "$tmp/port" &
server=$!
for i in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || { fail "answers.py did not start"; kill "$server"; finish; }
export NOTIFY_BASE_URL=http://127.0.0.1:$(cat "$tmp/port")
export NOTIFY_API_KEY=test-26785a09-ab16-4eb0-8407-a37497a57506-6f0f7c3e-1d0b-4a59-9a55-1b2c3d4e5f60
id() { printf '26785a09-ab16-4eb0-8407-a374970000%s' "$1"; }
quick=(--timeout 2 --retries 0)

SECONDS=0
expect_status 2 "$status_exe" "${quick[@]}" "$(id 01)"
expect_contains "$err" "$(id 01): the answer is longer than 8 MiB, the limit: transfer stopped"
expect_status 2 "$pdf_exe" "${quick[@]}" "$(id 01)" -o endless.pdf
expect_contains "$err" "the answer is longer than 8 MiB, the limit: transfer stopped"
[ ! -e endless.pdf ] || fail "a partial PDF was written"
[ "$SECONDS" -lt 10 ] || fail "endless answers took $SECONDS s"
SECONDS=0
expect_status 2 "$status_exe" "${quick[@]}" "$(id 02)"
expect_contains "$err" "Operation timed out after 2"
expect_status 2 "$pdf_exe" "${quick[@]}" "$(id 02)" -o stalled.pdf
[ ! -e stalled.pdf ] || fail "a partial PDF was written"
[ "$SECONDS" -lt 10 ] || fail "two stalled answers with --timeout 2 took $SECONDS s"
for n in 03 04 05; do
    expect_status 2 "$status_exe" "${quick[@]}" "$(id $n)"
    expect_contains "$err" "$(id $n): HTTP 200: HTTP 200 with an answer that is not a JSON object"
done
expect_status 2 "$pdf_exe" "${quick[@]}" "$(id 03)" -o html.pdf
expect_contains "$err" "the answer is not a PDF"
expect_status 2 "$status_exe" "${quick[@]}" "$(id 06)"
expect_contains "$err" "HTTP 400 Bad [31mRequest: line one line two  ]0;title  end"
case "$err" in *$'\e'*|*$'\a'*) fail "an escape character reached the terminal: $err" ;; esac
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "the message was split over lines: $err"
expect_status 2 "$status_exe" "${quick[@]}" "$(id 07)"
expect_contains "$err" "HTTP 404: HTTP 404 with no Notify error in the answer"
kill "$server"
wait "$server" 2>/dev/null

# References: refused per letter before any request, never put into a header or URL as they are.
start
use_key live
pdf_file r.pdf
printf '%s\n' '{"file":"r.pdf","reference":"a\r\nX-Injected: 1"}' '{"file":"r.pdf","reference":"tab\there"}' \
    '{"file":"r.pdf","reference":"esc\u001b[31m"}' \
    "{\"file\":\"r.pdf\",\"reference\":\"$(head -c 256 /dev/zero | tr '\0' r)\"}" >refs.ndjson
printf '{"file":"r.pdf","reference":"caf\xe9"}\n' >>refs.ndjson
expect_status 2 "$send" <refs.ndjson
[ "$(printf '%s\n' "$out" | wc -l)" = 5 ] || fail "want 5 records back (the line that is not UTF-8 too): $out"
r=$(printf '%s\n' "$out" | sed -n 5p)
[ "$(jget "$r" line)" = 5 ] && [ "$(jget "$r" send.error.reason)" = bad-record ] || fail "the bad line's record: $r"
[ "$(printf '%s\n' "$err" | grep -c "the reference contains a control character")" = 3 ] || fail "control: $err"
expect_contains "$err" "the reference is longer than 255 bytes"
expect_contains "$err" "<stdin>: line 5: not JSON: unable to decode byte 0xe9"
[ "$(jget "$(curl -sS "$url/_sandbox/counters")" accepted_posts)" = 0 ] || fail "a refused reference was sent"
# Odd but valid: the lookup after a dropped connection percent-encodes it, finds the letter, sends nothing twice.
ref='R&D 50%=x y#z?+/é'
printf '{"file":"r.pdf","reference":"%s"}\n' "$ref" >odd.ndjson
faults '{"drop_next": 1}'
expect_status 0 "$send" --backoff-ms 20 --retries 3 <odd.ndjson
[ "$(jget "$out" send.state)" = sent ] || fail "odd reference: $out"
c=$(curl -sS "$url/_sandbox/counters")
[ "$(jget "$c" accepted_posts)" = 1 ] || fail "sent more than once: $c"
[ "$(jget "$c" faults_injected.dropped)" = 1 ] || fail "no drop injected: $c"
[ "$(jget "$(curl -sS -G --data-urlencode "reference=$ref" "$url/_sandbox/counters")" accepted_posts)" = 1 ] ||
    fail "the reference was not stored as given"
# The NDJSON reader: a line of 20 MB, then a good record, then a truncated last line: one error
# for each bad line (said once, and a record with the error), and the good record in between is sent.
pdf_file good.pdf
{ printf '{"file":"r.pdf","reference":"'; head -c 20000000 /dev/zero | tr '\0' x; printf '"}\n';
  printf '{"file":"good.pdf"}\n{"file":"r.pdf","refer'; } >long.ndjson
expect_status 2 "$send" <long.ndjson
expect_contains "$err" "<stdin>: line 1: longer than 16777216 bytes"
expect_contains "$err" "<stdin>: line 3: truncated record: "
[ "$(printf '%s\n' "$err" | wc -l)" = 2 ] || fail "want two errors: ${err:0:600}"
[ "$(printf '%s\n' "$out" | wc -l)" = 3 ] || fail "want 3 records back: ${out:0:600}"
r=$(printf '%s\n' "$out" | sed -n 2p)
[ "$(jget "$r" send.state)" = sent ] && [ "$(jget "$r" file)" = good.pdf ] || fail "good record: ${r:0:300}"
for n in 1 3; do
    r=$(printf '%s\n' "$out" | sed -n ${n}p)
    [ "$(jget "$r" line)" = $n ] && [ "$(jget "$r" send.state)" = error ] || fail "line $n's record: ${r:0:300}"
done
stop_sandbox
finish
