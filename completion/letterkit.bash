# bash completion for letterkit. The words come from the programs themselves:
# `letterkit --list-commands` and `letterkit COMMAND --list-options` (lk_opt's
# table of the command's options), so a new command or option needs no edit here.
_letterkit()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local prog=${COMP_WORDS[0]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$("$prog" --list-commands 2>/dev/null) --help --version" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]} opts
    opts=$("$prog" "$cmd" --list-options 2>/dev/null) || opts=
    # After an option that takes a value ("--db=" in the list): a file name.
    case " ${opts//$'\n'/ } " in
        *" $prev= "*) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "${opts//=/}" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
}
complete -F _letterkit letterkit
