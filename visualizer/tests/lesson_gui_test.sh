#!/bin/sh
# lesson_gui_test.sh OSILAB_GUI OSILAB LESSONS_DIR CAPTURES_DIR OUT_DIR
# Runs tcp-server-client live through the headless screenshot mode up to the handshake (6 steps)
# and checks what the model holds (--dump-timeline: steps, packets, TCP states); then replays a
# recording of the same lesson, made here with the CLI, and the committed one in CAPTURES_DIR
# when there is one, and expects exactly the same steps, packets and states.
# Exits 77 (skipped) where the lab network cannot start (no user namespaces).
set -eu
gui=$1 osilab=$2 lessons=$3 captures=$4 out=$5
mkdir -p "$out"
rm -f "$out"/live.* "$out"/replay.* "$out"/committed.* "$out/recorded.pcapng"

status=0
"$osilab" run tcp-server-client --lessons "$lessons" --save "$out/recorded.pcapng" \
    >/dev/null 2>"$out/record.err" || status=$?
if [ "$status" -eq 5 ]; then cat "$out/record.err" >&2; exit 77; fi
if [ "$status" -ne 0 ]; then cat "$out/record.err" >&2; exit 1; fi

run_gui() {
    # -a picks a free display, so tests may run in parallel.
    xvfb-run -a -s "-screen 0 1920x1080x24" "$gui" --osilab "$osilab" --lessons "$lessons" \
        --size 1600x1000 --lang en "$@"
}
run_gui --lesson tcp-server-client --steps 6 --screenshot "$out/live.png" \
    --dump-timeline "$out/live.txt"
run_gui "$out/recorded.pcapng" --steps 6 --screenshot "$out/replay.png" \
    --dump-timeline "$out/replay.txt"
dumps="$out/live.txt $out/replay.txt"
if [ -f "$captures/tcp-server-client.pcapng" ]; then
    run_gui "$captures/tcp-server-client.pcapng" --steps 6 --screenshot "$out/committed.png" \
        --dump-timeline "$out/committed.txt"
    dumps="$dumps $out/committed.txt"
fi

expect() {
    grep -qxF -- "$2" "$1" || { echo "missing in $1: '$2'" >&2; cat "$1" >&2; exit 1; }
}
for dump in $dumps; do
    expect "$dump" "lesson tcp-server-client"
    expect "$dump" "steps_shown 6"
    expect "$dump" "step 6 client connect packets 3"
    expect "$dump" "  packet TCP [SYN]"
    expect "$dump" "  packet TCP [SYN, ACK]"
    expect "$dump" "  packet TCP [ACK]"
    expect "$dump" "  state server.sk LISTEN"
    expect "$dump" "  state client.sk ESTABLISHED"
    expect "$dump" "  state server.conn ESTABLISHED"
done
expect "$out/live.txt" "mode live"
expect "$out/replay.txt" "mode recorded"
# A replay shows exactly what the live run showed.
for dump in $dumps; do
    sed '/^mode /d' "$dump" > "$dump.cmp"
    diff -u "$out/live.txt.cmp" "$dump.cmp"
done
for png in "$out"/*.png; do
    [ "$(head -c 4 "$png" | od -An -tx1 | tr -d ' ')" = "89504e47" ] || {
        echo "not a PNG: $png" >&2
        exit 1
    }
done
