# bash completion for storesim(1): commands, options, their values, scenario
# files, and the SECTION.KEY names of --set and --vary.
#
# Installed as share/bash-completion/completions/storesim (docs/install.md);
# from a checkout: source completion/storesim.bash
#
# Nothing is listed here twice: the commands come from `storesim help`, each
# command's options from `storesim help COMMAND`, and the keys from `storesim
# help keys SCENARIO`, run with the very storesim being completed, so the
# completion always knows what that program knows.

# The storesim program being completed, as typed ($1: the first word).
_storesim_program() {
    local prog="$1"
    case "$prog" in
    "~"/*) prog="$HOME/${prog#"~/"}" ;;
    esac
    command -v "$prog" >/dev/null 2>&1 && printf '%s\n' "$prog"
}

# Commands: the "storesim NAME" lines of the usage.
_storesim_commands() {
    "$1" help 2>/dev/null | sed -n 's/^\(usage:\)\{0,1\} *storesim \([a-z][a-z]*\) .*/\2/p' |
        sort -u
}

# Options of one command: the first column of its help's option lines.
_storesim_options() {
    local line
    "$1" help "$2" 2>/dev/null | while IFS= read -r line; do
        case "$line" in
        "  --"* | "  -"[a-z]*) printf '%s\n' "${line:0:27}" | grep -o -- '--[a-z][a-z-]*' ;;
        esac
    done | sort -u
}

_storesim() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" prog cmd="" scenario="" i word
    [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD - 1]}"
    COMPREPLY=()
    prog="$(_storesim_program "${COMP_WORDS[0]}")" || return 0
    [ -n "$prog" ] || return 0

    # The command, and the scenario: the first word after it that is not an
    # option nor an option's value.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [ -z "$cmd" ]; then
            cmd="$word"
            continue
        fi
        case "$word" in
        --set | --json | --csv | --svg | --from | --to | --only | --replications | --vary | --variant) ((i++)) ;;
        -*) ;;
        *) [ -z "$scenario" ] && scenario="$word" ;;
        esac
    done

    if [ -z "$cmd" ]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_storesim_commands "$prog") --help --version" -- "$cur")
        return 0
    fi
    if [ "$cmd" = help ]; then
        if [ "$COMP_CWORD" -eq 2 ]; then
            mapfile -t COMPREPLY < <(compgen -W "$(_storesim_commands "$prog") keys" -- "$cur")
        elif [ "$COMP_CWORD" -eq 3 ] && [ "$prev" = keys ]; then
            _storesim_files "$cur"
        fi
        return 0
    fi

    case "$prev" in
    --set | --vary)
        _storesim_keys "$prog" "$scenario" "$cur"
        return 0
        ;;
    --json | --csv | --svg)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
        ;;
    --only)
        # A comma-separated list: complete the last kind.
        local done="" last="$cur"
        case "$cur" in *,*) done="${cur%,*},"; last="${cur##*,}" ;; esac
        mapfile -t COMPREPLY < <(compgen -P "$done" -W "delivery owa move flush event" -- "$last")
        return 0
        ;;
    --from | --to | --replications | --variant)
        return 0
        ;;
    esac

    case "$cur" in
    --trace=*)
        mapfile -t COMPREPLY < <(compgen -P "--trace=" -f -- "${cur#--trace=}")
        ;;
    -*)
        mapfile -t COMPREPLY < <(compgen -W "$(_storesim_options "$prog" "$cmd")" -- "$cur")
        ;;
    *)
        [ -z "$scenario" ] && _storesim_files "$cur"
        ;;
    esac
    return 0
}

# Scenario files (*.scn) and folders to look in.
_storesim_files() {
    mapfile -t COMPREPLY < <(compgen -f -X '!*.scn' -- "$1"; compgen -d -S / -- "$1")
    compopt -o nospace -o filenames 2>/dev/null
}

# SECTION.KEY= for --set and --vary: the scenario's own keys (its section
# names), then those of the sections it lacks. A key with a blank in it
# ("move batch1.mailboxes") is offered quoted, as it must be typed.
_storesim_keys() {
    local prog="$1" scenario="$2" cur="$3" quote="" key keys
    case "$cur" in
    \"* | \'*) quote="${cur:0:1}"; cur="${cur:1}" ;;
    esac
    if [ -n "$scenario" ] && keys="$("$prog" help keys "$scenario" 2>/dev/null)"; then :; else
        keys="$("$prog" help keys 2>/dev/null)"
    fi
    COMPREPLY=()
    while IFS= read -r key; do
        [ -n "$key" ] || continue
        case "$key" in
        "$cur"*)
            if [ -n "$quote" ]; then
                COMPREPLY+=("$quote$key=")
            elif [ "$key" != "${key#* }" ]; then
                COMPREPLY+=("\"$key=")
            else
                COMPREPLY+=("$key=")
            fi
            ;;
        esac
    done <<<"$keys"
    compopt -o nospace 2>/dev/null
}

complete -F _storesim storesim
