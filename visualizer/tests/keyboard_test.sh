#!/bin/sh
# keyboard_test.sh OSILAB_GUI LESSONS_DIR OUT_DIR
# A student's keys typed into the viewer's real window (Xvfb; xdotool sends them through the X
# server's XTEST, as a keyboard would): a recorded lesson stepped with Space and →, a question
# answered with its digit, ← back, F5 into presenter mode and Page Down from a presenter's
# clicker, Ctrl+Q to quit. xdotool taps each key (press and release at once), which is how a
# clicker sends them: a key the frame loop saw only as "up" would be lost. The window title
# names the step, so the script waits for it instead of sleeping; the model is checked from
# --state-out, written as the window closes.
set -eu
gui=$1 lessons=$2 out=$3
command -v xdotool >/dev/null || { echo "keyboard_test: xdotool is needed (apt-get install xdotool)" >&2; exit 1; }
mkdir -p "$out"
state="$out/keyboard.state"
rm -f "$state"
# No settings of the user's: a folder of its own for the viewer's settings.
export HOME="$out/home" XDG_CONFIG_HOME="$out/home/.config"
mkdir -p "$HOME"

cat > "$out/keys.sh" <<SCRIPT
set -eu
"$gui" --lesson tcp-server-client --recorded --lessons "$lessons" --lang en --size 1280x800 \
    --state-out "$state" &
gui_pid=\$!
# Bounded waits: a window that never shows the awaited title fails the test, not CI.
wait_title() { timeout 60 xdotool search --sync --name "\$1" | head -n 1; }
window=\$(wait_title "Step 0 of 14")
xdotool windowfocus --sync "\$window"
# Step 1 asks a question first: answer 2 (right), then Space shows its packets; → and Space
# run steps 2 and 3.
xdotool key space 2 space Right space
wait_title "Step 3 of 14" >/dev/null
# ← goes back a step on a recorded run; F5 is presenter mode, where a clicker's Page Down is
# Next.
xdotool key Left
wait_title "Step 2 of 14" >/dev/null
xdotool key F5 Next
wait_title "Step 3 of 14" >/dev/null
xdotool key ctrl+q
wait \$gui_pid
SCRIPT
xvfb-run -a -s "-screen 0 1920x1080x24" sh "$out/keys.sh"

status=0
expect() {
    if ! grep -qxF "$1" "$state"; then
        echo "missing line: $1" >&2
        status=1
    fi
}
expect "lesson tcp-server-client"
expect "lesson_mode recorded"
expect "presenter 1"
expect "lesson_cursor 3"
expect "lesson_shown_steps 3"
expect "answer 1 2 right"
[ "$status" = 0 ] || { echo "--- $state:" >&2; cat "$state" >&2; }
exit $status
