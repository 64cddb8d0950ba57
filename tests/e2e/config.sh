#!/usr/bin/env bash
# letterkit.conf: the files read in order through lk_opt, what wins (command
# line, environment, later file, command section, default), `letterkit config`
# and its origins, and bad files named with their line (exit 2).
. "$(dirname "$0")/lib.sh"

sys=$tmp/etc xdg=$tmp/xdg
mkdir -p "$sys" "$xdg/letterkit"
export LETTERKIT_SYSCONFDIR=$sys XDG_CONFIG_HOME=$xdg
unset NOTIFY_BASE_URL NOTIFY_API_KEY LETTERKIT_CLAMAV_DB
pdf=$SOURCE_ROOT/specimens/cairo/valid-1-page.pdf
postage() { # the postage encode puts in its body, with the files as they are
    expect_status 0 "$LETTERKIT" encode "$@" "$pdf"
    sed -n 's/.*"postage": *"\([a-z]*\)".*/\1/p' <<<"$out"
}

# Nothing set: the built-in default.
[ "$(postage)" = second ] || fail "default postage: $(postage)"
# /etc's file; then the user's wins; then --config; then the command line.
printf '# the site\n[shared]\npostage = first\n' >"$sys/letterkit.conf"
[ "$(postage)" = first ] || fail "from /etc: $(postage)"
expect_status 0 "$LETTERKIT" config
[ "$out" = "file:$sys/letterkit.conf:3	postage=first" ] || fail "config: $out"
printf '[shared]\npostage = economy\n' >"$xdg/letterkit/letterkit.conf"
[ "$(postage)" = economy ] || fail "user's over /etc: $(postage)"
printf '[encode]\npostage = second\n' >"$tmp/extra.conf"
[ "$(postage --config "$tmp/extra.conf")" = second ] || fail "--config over the user's"
[ "$(postage --config "$tmp/extra.conf" --postage first)" = first ] || fail "command line over --config"
[ "$(postage --postage first --config="$tmp/extra.conf")" = first ] || fail "--config after the option"
# Within a file the command's section wins over [shared], wherever it is;
# a later file's [shared] wins over an earlier file's section.
rm "$xdg/letterkit/letterkit.conf"
printf '[encode]\npostage = economy\n[shared]\npostage = first\n' >"$sys/letterkit.conf"
[ "$(postage)" = economy ] || fail "[encode] over [shared]: $(postage)"
printf '[shared]\npostage = first\n' >"$xdg/letterkit/letterkit.conf"
[ "$(postage)" = first ] || fail "later [shared] over earlier [encode]: $(postage)"
expect_status 0 "$LETTERKIT" config encode
[ "$out" = "file:$xdg/letterkit/letterkit.conf:2	postage=first" ] || fail "config encode: $out"

# A value the command refuses is its own message, with the file and line.
printf '[shared]\npostage = fourth\n' >"$xdg/letterkit/letterkit.conf"
expect_status 2 "$LETTERKIT" encode "$pdf"
[ "$err" = "letterkit encode: $xdg/letterkit/letterkit.conf:2: --postage must be first, second or economy, not 'fourth' (see 'letterkit encode --help')" ] ||
    fail "bad postage: $err"
# ... but not when the command line gives the option: it is still read first.
rm "$xdg/letterkit/letterkit.conf"

# The environment wins over the files; the command line over the environment.
# scan's signatures: a relative path in a file is relative to the file's folder.
cp -r "$SOURCE_ROOT/specimens/clamav" "$sys/sigs"
printf '[scan]\ndb = sigs\n' >"$sys/letterkit.conf"
expect_status 0 "$LETTERKIT" scan "$pdf"
expect_status 2 env LETTERKIT_CLAMAV_DB="$tmp/none" "$LETTERKIT" scan "$pdf"
expect_status 0 env LETTERKIT_CLAMAV_DB="$tmp/none" "$LETTERKIT" scan --db "$sys/sigs" "$pdf"
LETTERKIT_CLAMAV_DB=$tmp/none expect_status 0 "$LETTERKIT" config scan
[ "$out" = "env:LETTERKIT_CLAMAV_DB	db=$tmp/none" ] || fail "config with the environment: $out"
printf '[scan]\ndb = %s/none\n' "$tmp" >"$sys/letterkit.conf"
expect_status 2 "$LETTERKIT" scan "$pdf"
expect_status 0 "$LETTERKIT" scan --db "$sys/sigs" "$pdf"
# The key itself is never printed, only that the environment holds it.
NOTIFY_API_KEY=secret-key-text expect_status 0 "$LETTERKIT" config --all
expect_contains "$out" "env:NOTIFY_API_KEY	key-file=(from the environment)"
expect_contains "$out" "default	jobs="
case "$out" in *secret-key-text*) fail "config printed the key" ;; esac

# Bad files: exit 2, the file and line named, for every command.
bad() { # WANT-IN-MESSAGE LINE FILE-TEXT
    printf "$3" >"$sys/letterkit.conf"
    for c in encode check config; do
        expect_status 2 "$LETTERKIT" "$c" "$pdf"
        expect_contains "$err" "letterkit $c: $sys/letterkit.conf:$2: $1"
    done
}
bad "unknown key 'postgae'" 2 '[shared]\npostgae = first\n'
bad "unknown section (use [shared] or [COMMAND]): 'chekc'" 3 '# x\n\n[chekc]\nstrict = yes\n'
bad "strict must be yes or no" 2 '[check]\nstrict = maybe\n'
bad "jobs must be a whole number" 2 '[shared]\njobs = -3\n'
bad "the API key never goes in a configuration file" 2 '[shared]\nkey = abc-123\n'
bad "the API key never goes in a configuration file" 2 '[send]\napi-key = abc-123\n'
bad "key before any section" 1 'postage = first\n'
bad "no value for 'postage'" 2 '[shared]\npostage =\n'
bad "expected 'key = value'" 2 '[shared]\npostage first\n'
bad "a section is [name] alone on its line" 1 '[shared] x\n'
rm "$sys/letterkit.conf"
# --config FILE must exist; a folder is refused.
expect_status 2 "$LETTERKIT" encode --config "$tmp/missing.conf" "$pdf"
expect_contains "$err" "$tmp/missing.conf"
expect_status 2 "$LETTERKIT" encode --config "$tmp" "$pdf"
expect_status 2 "$LETTERKIT" config no-such-command
expect_contains "$err" "unknown command 'no-such-command'"
# A command's --config files reach the stages it runs ($LETTERKIT_CONFIG): a hot
# folder's file sets its scan's signatures (here none, so the scan fails).
rm -f "$sys/letterkit.conf" "$xdg/letterkit/letterkit.conf"
mkdir "$tmp/inbox" && cp "$pdf" "$tmp/inbox/"
printf '[scan]\ndb = %s/no-signatures\n' "$tmp" >"$tmp/hot.conf"
expect_status 2 "$LETTERKIT" watch --once --config "$tmp/hot.conf" "$tmp/inbox"
expect_contains "$err" "no-signatures"
printf '[scan]\ndb = %s/specimens/clamav\n' "$SOURCE_ROOT" >"$tmp/hot.conf"
cp "$pdf" "$tmp/inbox/again.pdf"
expect_status 0 "$LETTERKIT" watch --once --config "$tmp/hot.conf" "$tmp/inbox"
[ -f "$tmp/inbox/passed/again.pdf" ] || fail "watch with its scan's db from --config did not file the letter"
# Flags: yes gives the flag, a later no takes it back.
printf '[check]\nquiet = yes\n' >"$sys/letterkit.conf"
expect_status 0 "$LETTERKIT" check "$pdf"
[ -z "$out" ] || fail "quiet = yes: check printed $out"
printf '[check]\nquiet = no\n' >"$xdg/letterkit/letterkit.conf"
expect_status 0 "$LETTERKIT" check "$pdf"
[ -n "$out" ] || fail "quiet = no in a later file: check printed nothing"
finish
