#!/usr/bin/env bash
# A live run and its saved file agree: `osilab run LESSON --save F` prints per step its calls and
# packets; `osilab show F` must give the same number of steps, returned calls and packets.
#   check-live-replay.sh OSILAB LESSONS_DIR [LESSON]     (default LESSON: tcp-server-client)
set -euo pipefail
osilab=$1
lessons=$2
id=${3:-tcp-server-client}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

set +e
"$osilab" run "$id" --lessons "$lessons" --save "$work/run.pcapng" >"$work/live.txt" 2>"$work/live.err"
code=$?
set -e
if [ "$code" = 5 ] && [ -z "${OSILAB_REQUIRE_LABNET:-}" ]; then
    echo "SKIP: no lab network here: $(cat "$work/live.err")"; exit 77
fi
[ "$code" = 0 ] || { echo "FAIL: osilab run exited $code"; cat "$work/live.err"; exit 1; }
"$osilab" show "$work/run.pcapng" >"$work/replay.txt"

live_steps=$(grep -c '^── [0-9]*/[0-9]* · ' "$work/live.txt" || true)
live_calls=$(grep -cE '^  call( \(after the last step\))?: ' "$work/live.txt" || true)
live_packets=$(grep -cE '^    +[0-9]+ ' "$work/live.txt" || true)
show_steps=$(grep -c '^── step ' "$work/replay.txt" || true)
show_calls=$(grep -c '^   returned ' "$work/replay.txt" || true)
show_packets=$(grep -cE '^ *[0-9]+ ' "$work/replay.txt" || true)
echo "live:   $live_steps steps, $live_calls calls, $live_packets packets"
echo "replay: $show_steps steps, $show_calls calls, $show_packets packets"
[ "$live_steps" -gt 0 ] && [ "$live_packets" -gt 0 ] || { echo "FAIL: the live run printed nothing"; exit 1; }
[ "$live_steps" = "$show_steps" ] && [ "$live_calls" = "$show_calls" ] &&
    [ "$live_packets" = "$show_packets" ] || { echo "FAIL: the replay differs from the live run"; exit 1; }
# The same calls with the same results (the text lists a step's calls in step order, the file
# in the order they returned).
diff <(grep -oE '^  call( \(after the last step\))?: [a-z0-9]+ [a-z]+\(.*\) = -?[0-9]+( E[A-Z]+)?' "$work/live.txt" |
       sed -E 's/^  call( \(after the last step\))?: //' | sort) \
     <(grep -oE '^   returned [a-z0-9]+ [a-z]+\(.*\) = -?[0-9]+( E[A-Z]+)?' "$work/replay.txt" |
       sed -E 's/^   returned //' | sort) || { echo "FAIL: calls differ"; exit 1; }
echo ok
