#!/usr/bin/env bash
# docs/lesson.sh: the teaching guide's commands, one at a time, for the
# trainer at the projector. Each command is printed, and run when you press
# Enter (s and Enter skips it, q and Enter stops). The commands are read from
# docs/teaching-guide.md itself (every "$ storesim ..." line of its session),
# so they are always the guide's; storesim is build/storesim unless STORESIM
# says otherwise.
#
#   docs/lesson.sh            from the first exercise
#   docs/lesson.sh 5          from the fifth command
set -u
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
guide="$repo/docs/teaching-guide.md"
bin="${STORESIM:-$repo/build/storesim}"
from="${1:-1}"

if [ ! -x "$bin" ]; then
    echo "docs/lesson.sh: $bin is not built: run tools/build first" >&2
    exit 1
fi

# The session's commands, in order: "$ storesim ARGS" lines after "## The session".
mapfile -t commands < <(awk '/^## The session/ { on = 1 } on && /^\$ storesim / { sub(/^\$ storesim /, ""); print }' "$guide")
if [ "${#commands[@]}" -eq 0 ]; then
    echo "docs/lesson.sh: no commands found in $guide" >&2
    exit 1
fi

cd "$repo" || exit 1
for ((i = from - 1; i < ${#commands[@]}; i++)); do
    printf '\n\033[1m[%d/%d] $ storesim %s\033[0m\n' "$((i + 1))" "${#commands[@]}" "${commands[$i]}"
    read -r -p "Enter to run, s to skip, q to stop: " answer || break
    case "$answer" in
    q*) break ;;
    s*) continue ;;
    esac
    # The guide's line is shell text (quotes included): let the shell split it.
    eval "\"\$bin\" ${commands[$i]}"
done
