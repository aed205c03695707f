#!/usr/bin/env bash
# docs/lesson.sh: the teaching guide's commands, one at a time, for the
# trainer at the projector. Each command is printed under the exercise it
# belongs to, and run when you press Enter (s and Enter skips it, q and Enter
# stops). The commands are read from docs/teaching-guide.md itself (every
# "$ storesim ..." line from its section "The session" on, the extras of "If
# you have more time" after the session's own), so they are always the
# guide's; storesim is build/storesim unless STORESIM says otherwise.
#
#   docs/lesson.sh            from the first exercise
#   docs/lesson.sh 9          from the ninth command
#   docs/lesson.sh --list     number the commands with their exercises, run nothing
set -u
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
guide="$repo/docs/teaching-guide.md"
bin="${STORESIM:-$repo/build/storesim}"

list=0
from=1
case "${1:-}" in
--list | -l) list=1 ;;
-h | --help)
    sed -n '2,12s/^# \{0,1\}//p' "$0"
    exit 0
    ;;
'') ;;
*[!0-9]* | 0)
    echo "docs/lesson.sh: '$1' is not a command number (try docs/lesson.sh --list)" >&2
    exit 2
    ;;
*) from="$1" ;;
esac

# The session's commands, in order: "$ storesim ARGS" lines after "## The
# session", each with the "### " heading it comes under (tab-separated; the
# guide's commands hold no tab).
mapfile -t headings < <(awk '/^## The session/ { on = 1 } on && /^### / { h = substr($0, 5) } on && /^\$ storesim / { print h }' "$guide")
mapfile -t commands < <(awk '/^## The session/ { on = 1 } on && /^\$ storesim / { sub(/^\$ storesim /, ""); print }' "$guide")
if [ "${#commands[@]}" -eq 0 ]; then
    echo "docs/lesson.sh: no commands found in $guide" >&2
    exit 1
fi

if [ "$list" -eq 1 ]; then
    last=""
    for ((i = 0; i < ${#commands[@]}; i++)); do
        if [ "${headings[$i]}" != "$last" ]; then
            printf '%s\n' "${headings[$i]}"
            last="${headings[$i]}"
        fi
        printf '  %2d  storesim %s\n' "$((i + 1))" "${commands[$i]}"
    done
    exit 0
fi

if [ "$from" -gt "${#commands[@]}" ]; then
    echo "docs/lesson.sh: the guide has ${#commands[@]} commands, not $from (try docs/lesson.sh --list)" >&2
    exit 2
fi

if [ ! -x "$bin" ]; then
    echo "docs/lesson.sh: $bin is not built: run tools/build first" >&2
    exit 1
fi

cd "$repo" || exit 1
last=""
for ((i = from - 1; i < ${#commands[@]}; i++)); do
    if [ "${headings[$i]}" != "$last" ]; then
        printf '\n\033[1m== %s ==\033[0m\n' "${headings[$i]}"
        last="${headings[$i]}"
    fi
    printf '\n\033[1m[%d/%d] $ storesim %s\033[0m\n' "$((i + 1))" "${#commands[@]}" "${commands[$i]}"
    read -r -p "Enter to run, s to skip, q to stop: " answer || break
    case "$answer" in
    q*) break ;;
    s*) continue ;;
    esac
    # The guide's line is shell text (quotes included): let the shell split it.
    eval "\"\$bin\" ${commands[$i]}"
done
