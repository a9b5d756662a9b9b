#!/bin/sh
# lessons_complete_test.sh OSILAB_GUI OSILAB LESSONS_DIR OUT_DIR [LESSON…]
# The lessons a first lecture uses, completed in the viewer as a student would: each run live to
# its last step, in English and in Chinese, then its recorded run from the lessons' captures/
# folder; the two must show the same steps, packets, call results and TCP states
# (--dump-timeline). CI runs it once as root (ctest) and once as an unprivileged user, which is
# how students run it. Exits 77 (skipped) where the lab network cannot start.
set -eu
gui=$1 osilab=$2 lessons=$3 out=$4
shift 4
[ $# -gt 0 ] || set -- tcp-server-client so-reuseaddr udp-chat
mkdir -p "$out"

status=0
for id in "$@"; do
    steps=$("$osilab" list --json --lessons "$lessons" | python3 -c \
        "import json, sys; print(next(l['steps'] for l in json.load(sys.stdin) if l['id'] == '$id'))")
    for lang in en zh; do
        for mode in live recorded; do
            dump="$out/$id-$lang-$mode.txt"
            rm -f "$dump"
            extra=""
            [ "$mode" = recorded ] && extra=--recorded
            code=0
            xvfb-run -a -s "-screen 0 1920x1080x24" "$gui" --osilab "$osilab" --lessons "$lessons" \
                --lesson "$id" $extra --steps "$steps" --lang "$lang" --size 1280x800 \
                --screenshot "$out/$id-$lang-$mode.png" --dump-timeline "$dump" \
                2>"$out/$id-$lang-$mode.err" || code=$?
            if [ "$code" -ne 0 ]; then
                if grep -q "lab network" "$out/$id-$lang-$mode.err"; then
                    cat "$out/$id-$lang-$mode.err" >&2
                    exit 77
                fi
                echo "$id $lang $mode: osilab-gui exited with $code" >&2
                cat "$out/$id-$lang-$mode.err" >&2
                status=1
                continue
            fi
            grep -qxF "steps_shown $steps" "$dump" || {
                echo "$id $lang $mode: not every step was shown" >&2
                cat "$dump" >&2
                status=1
            }
        done
        # Everything but the mode line is the same, live or recorded.
        for mode in live recorded; do
            grep -v '^mode ' "$out/$id-$lang-$mode.txt" >"$out/$id-$lang-$mode.cmp" 2>/dev/null || true
        done
        if ! diff "$out/$id-$lang-live.cmp" "$out/$id-$lang-recorded.cmp" >&2; then
            echo "$id $lang: the live run and the recorded run differ (above)" >&2
            status=1
        fi
        echo "$id $lang: $steps steps live and recorded"
    done
done
exit $status
