#!/bin/sh
# interaction_test.sh OSILAB_GUI CAPTURE OUT_PREFIX
# The scripted interaction a student makes, through the App under Xvfb: filter to one TCP stream,
# select packet 15 ("hello 1 你好"), follow its stream; then asserts on what the model holds
# (--state-out), not only on the picture.
set -eu
gui=$1 capture=$2 out=$3
mkdir -p "$(dirname "$out")"
rm -f "$out.png" "$out.state"
xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$gui" "$capture" --screenshot "$out.png" --state-out "$out.state" --size 1280x800 \
    --lang zh --filter "tcp port 54554" --select 15 --follow
status=0
expect() {
    if ! grep -qxF "$1" "$out.state"; then
        echo "missing line: $1" >&2
        status=1
    fi
}
expect "packets 38"
expect "rows 10"
expect "load finished"
expect "filter tcp port 54554"
expect "selected 15"
expect "selected_row 3"
expect "followed 127.0.0.1:54554 127.0.0.1:9000"
expect "piece hello 1 你好"
expect "piece echo:hello 1 你好"
[ "$status" = 0 ] || { echo "--- $out.state:" >&2; cat "$out.state" >&2; }
exit $status
