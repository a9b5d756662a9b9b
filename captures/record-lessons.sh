#!/usr/bin/env bash
# Re-records captures/<lesson-id>.pcapng for every lesson of the course: `osilab run LESSON
# --save`, each in a fresh private network (no root needed where user namespaces are allowed).
# A lesson whose expectations do not hold is not recorded (the script fails on it).
#   captures/record-lessons.sh [BUILD_DIR]     (default BUILD_DIR: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
osilab=$build/lab/cli/osilab
lessons=$here/../lessons
[ -x "$osilab" ] || { echo "record-lessons.sh: no $osilab (build first, or give BUILD_DIR)" >&2; exit 1; }

for id in $("$osilab" list --lessons "$lessons" | awk '{print $2}'); do
    tmp=$here/.$id.pcapng.part
    if ! "$osilab" run "$id" --lessons "$lessons" --lang en --save "$tmp" >"$here/.$id.log"; then
        echo "record-lessons.sh: $id did not hold, not recorded:" >&2
        grep MISMATCH "$here/.$id.log" >&2 || tail -5 "$here/.$id.log" >&2
        rm -f "$tmp" "$here/.$id.log"
        exit 1
    fi
    mv "$tmp" "$here/$id.pcapng"
    rm -f "$here/.$id.log"
    echo "$id.pcapng: $(stat -c %s "$here/$id.pcapng") bytes"
done
