#!/usr/bin/env bash
# The bash completion (completion/letterkit.bash) loads and completes commands,
# options (from the command's own table, through --list-options) and files;
# the zsh one is valid zsh when zsh is there.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$LETTERKIT" --list-commands
expect_contains "$out" "config"
expect_status 0 "$LETTERKIT" check --list-options
expect_contains "$out" "--strict"
expect_contains "$out" "--max-seconds="
expect_contains "$out" "--config="
complete_words() { # WORD...: what <TAB> after them offers, one a line
    bash --norc --noprofile -c '
        source "$1" || exit 3
        shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _letterkit
        printf "%s\n" "${COMPREPLY[@]}"' bash "$SOURCE_ROOT/completion/letterkit.bash" "$@"
}
got=$(complete_words "$LETTERKIT" ch)
[ "$got" = check ] || fail "letterkit ch<TAB>: '$got'"
got=$(complete_words "$LETTERKIT" check --stri)
[ "$got" = --strict ] || fail "letterkit check --stri<TAB>: '$got'"
got=$(complete_words "$LETTERKIT" scan --d)
[ "$got" = --db ] || fail "letterkit scan --d<TAB>: '$got'"
got=$(cd "$SOURCE_ROOT/specimens" && complete_words "$LETTERKIT" scan --db clam)
[ "$got" = clamav ] || fail "letterkit scan --db clam<TAB>: '$got'"
got=$(complete_words "$LETTERKIT" check --bogus-prefix)
[ -z "$got" ] || fail "an option no command has: '$got'"
# The installed layout: the standard places.
install_staged
[ -n "$(installed share/bash-completion/completions/letterkit)" ] || fail "bash completion not installed"
[ -n "$(installed share/zsh/vendor-completions/_letterkit)" ] || fail "zsh completion not installed"
if command -v zsh >/dev/null; then
    zsh -n "$SOURCE_ROOT/completion/_letterkit" || fail "zsh: syntax error in _letterkit"
    # What _letterkit hands zsh's completion system (_describe, _arguments
    # stubbed to print it) after WORD...: the commands, or the command's options.
    zsh_offers() {
        zsh -f -c '_describe() { print -rl -- "${(@P)4}" }
            _arguments() { print -rl -- "$@" }
            file=$1; shift; words=("$@"); CURRENT=$#
            source "$file"' zsh "$SOURCE_ROOT/completion/_letterkit" "$@"
    }
    got=$(zsh_offers "$LETTERKIT" ch)
    expect_contains "$got" "check"
    expect_contains "$got" "config"
    got=$(zsh_offers "$LETTERKIT" check --st)
    expect_contains "$got" "--strict"
    expect_contains "$got" "--max-seconds=[--max-seconds]:value:_files"
    got=$(zsh_offers "$LETTERKIT" scan --d)
    expect_contains "$got" "--db=[--db]:value:_files"
else
    echo "no zsh: the zsh completion is not tried"
fi
finish
