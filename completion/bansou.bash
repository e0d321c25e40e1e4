# bash completion for bansou. The words come from the command itself
# (`bansou help --complete WORD…`, from the same tables as --help), so they
# never drift from it; engagement ids come from `bansou status` and theme ids
# from `bansou themes`, in the workspace given by -C DIR (else $BANSOU_DIR, .).

# The first column of a table's rows that is a number (engagement ids), or
# the column after it (theme ids): the headers may be in any language.
_bansou_ids() {
    local col=$1
    shift
    "$@" 2>/dev/null | awk -v c="$col" '$1 ~ /^[0-9]+$/ { print $c }'
}

_bansou() {
    local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} i
    local -a ws=() words=()
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -C) ws=(-C "${COMP_WORDS[i + 1]}") ;;
        -C?*) ws=(-C "${COMP_WORDS[i]#-C}") ;;
        esac
        words+=("${COMP_WORDS[i]}")
    done
    local out
    out=$("$bin" help --complete "${words[@]}" "$cur" 2>/dev/null) || return 0
    case $out in
    @eng) COMPREPLY=($(compgen -W "$(_bansou_ids 1 "$bin" "${ws[@]}" status)" -- "$cur")) ;;
    @theme) COMPREPLY=($(compgen -W "$(_bansou_ids 2 "$bin" "${ws[@]}" themes)" -- "$cur")) ;;
    @file) COMPREPLY=($(compgen -f -- "$cur")) ;;
    @dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "$out" -- "$cur")) ;;
    esac
    return 0
}

complete -o filenames -F _bansou bansou
