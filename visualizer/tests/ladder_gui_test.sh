#!/bin/sh
# ladder_gui_test.sh OSILAB OSILAB_GUI LADDER_CHECK LESSONS CAPTURES OUT_DIR LESSON LANG [TEXT…]
# Records LESSON with the real runner (or, when the lab network cannot start here, takes its
# recorded capture from CAPTURES), opens it in osilab-gui headless under Xvfb on the Ladder tab
# with the first six steps revealed (the handshake),
# exports the ladder as PNG and SVG (from the app and without a window) and checks all of them;
# each TEXT must be in both SVGs.
# Exits 77 (skipped) when there is neither a lab network nor a recorded capture, unless
# OSILAB_REQUIRE_LABNET is set. Leaves the pictures in OUT_DIR for a person to look at.
set -eu
osilab=$1 gui=$2 check=$3 lessons=$4 captures=$5 out=$6 lesson=$7 lang=$8
shift 8
mkdir -p "$out"
name="$lesson-$lang"
capture="$out/$name.pcapng"
rm -f "$capture" "$out/$name".png "$out/$name".layout "$out/$name"-ladder.* "$out/$name"-nowindow.svg
set +e
"$osilab" run "$lesson" --lessons "$lessons" --save "$capture" > "$out/$name.run.log" 2>&1
code=$?
set -e
if [ "$code" -eq 5 ]; then  # the lab network cannot start here
    if [ -n "${OSILAB_REQUIRE_LABNET:-}" ]; then cat "$out/$name.run.log"; exit 1; fi
    if [ -f "$captures/$lesson.pcapng" ]; then
        echo "no lab network here: using the recorded $captures/$lesson.pcapng"
        capture="$captures/$lesson.pcapng"
    else
        echo "skipped: no lab network here and no $captures/$lesson.pcapng"; cat "$out/$name.run.log"
        exit 77
    fi
elif [ "$code" -ne 0 ] && [ "$code" -ne 4 ]; then
    cat "$out/$name.run.log"; exit 1
fi
xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$gui" "$capture" --ladder --screenshot "$out/$name.png" --layout-out "$out/$name.layout" \
    --steps 6 --lang "$lang" --size 1280x900 \
    --ladder-png "$out/$name-ladder.png" --ladder-svg "$out/$name-ladder.svg"
"$gui" "$capture" --lang "$lang" --ladder-svg "$out/$name-nowindow.svg"
"$check" "$out/$name.png" "$out/$name.layout" "$out/$name-ladder.png" \
    "$out/$name-ladder.svg" "$out/$name-nowindow.svg" "$@"
