#!/usr/bin/env bash
# The sandbox decodes a letter's content exactly as Notify does: Python's
# base64.b64decode, lenient in its own ways ("=" early in a group skipped,
# decoding ended by a group's padding, other characters skipped, anything
# outside ASCII refused). 300 mangled contents, each answered as Python
# answers it: 201 with the very bytes Python decodes, or Notify's 400.
. "$(dirname "$0")/lib.sh"
st=$tmp/state
start_sandbox --state "$st" --scan-delay 600000
mkdir "$tmp/cases"
python3=$(command -v /usr/bin/python3 || command -v python3)
"$python3" "$(dirname "$0")/base64-cases.py" "$tmp/cases" 300 || { fail "no cases"; finish; }
declare -A seen
while read -r k verdict sha; do
    api POST /v2/notifications/letter live "$tmp/cases/case-$k.json"
    seen[$verdict]=1
    case $verdict in
    decode)
        expect_code 400 "case $k"
        [ "$(msg)" = "BadRequestError: Cannot decode letter content (invalid base64 encoding)" ] ||
            fail "case $k: want Cannot decode, got $body: $(cat "$tmp/cases/case-$k.json")" ;;
    not-pdf)
        expect_code 400 "case $k"
        [ "$(msg)" = "BadRequestError: Letter content is not a valid PDF" ] ||
            fail "case $k: want not a valid PDF, got $body: $(cat "$tmp/cases/case-$k.json")" ;;
    ok)
        expect_code 201 "case $k: $(cat "$tmp/cases/case-$k.json")"
        id=$(json_field "$body" id)
        got=$(sha256sum <"$st/letters/$id.pdf" | cut -d' ' -f1)
        [ "$got" = "$sha" ] || fail "case $k: kept other bytes than Python decodes: $(cat "$tmp/cases/case-$k.json")" ;;
    esac
done <"$tmp/cases/expected"
# The cases cover all three answers.
[ -n "${seen[decode]:-}" ] && [ -n "${seen[ok]:-}" ] && [ -n "${seen[not-pdf]:-}" ] ||
    fail "the cases miss an answer: ${!seen[*]}"
stop_sandbox
finish
