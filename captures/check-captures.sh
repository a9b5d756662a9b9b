#!/usr/bin/env bash
# Checks the recorded lesson runs in captures/ (CTest runs it; see captures/README.md).
#   check-captures.sh replay OSILAB   every lesson has its capture, and `osilab show` on it gives
#                                     the lesson's steps, one returned call per step, and packets
#                                     (as many as tshark reads when tshark is there)
#   check-captures.sh tshark OSILAB   `tshark -r` opens each capture with no warning at all and
#                                     reads as many packets and custom blocks as `osilab show`
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=$1
fail=0
say() { echo "$*"; }

if [ "$mode" = replay ]; then
    osilab=$2
    lessons=$here/../lessons
    while read -r _order id steps _; do
        file=$here/$id.pcapng
        if [ ! -f "$file" ]; then say "FAIL $id: no $file (run captures/record-lessons.sh)"; fail=1; continue; fi
        out=$("$osilab" show "$file")
        got_steps=$(grep -c '^── step ' <<<"$out" || true)
        got_calls=$(grep -c '^   returned ' <<<"$out" || true)
        got_started=$(grep -c '^   call ' <<<"$out" || true)
        got_packets=$(grep -cE '^ *[0-9]+ ' <<<"$out" || true)
        got_states=$(grep -c '^   states ' <<<"$out" || true)
        problem=""
        [ "$got_steps" = "$steps" ] || problem+=" steps $got_steps of $steps;"
        [ "$got_calls" = "$steps" ] || problem+=" returned calls $got_calls of $steps;"
        [ "$got_started" = "$steps" ] || problem+=" started calls $got_started of $steps;"
        [ "$got_states" -ge "$steps" ] || problem+=" state snapshots $got_states < $steps;"
        [ "$got_packets" -gt 0 ] || problem+=" no packets;"
        grep -q '^== lesson '"$id"': ' <<<"$out" || problem+=" no run start naming $id;"
        # -V and --json show the same records.
        json_steps=$("$osilab" show --json "$file" | grep -c '^{"event":"step",' || true)
        [ "$json_steps" = "$steps" ] || problem+=" --json steps $json_steps of $steps;"
        if [ -n "$problem" ]; then say "FAIL $id:$problem"; fail=1
        else say "ok   $id: $got_steps steps, $got_calls calls, $got_packets packets"; fi
    done < <("$osilab" list --lessons "$lessons" | awk '{print $1, $2, $3}')
elif [ "$mode" = tshark ]; then
    osilab=$2
    command -v tshark >/dev/null || { echo "SKIP: tshark is not installed"; exit 77; }
    for file in "$here"/*.pcapng; do
        err=$(mktemp)
        # tshark lists each pcapng Custom Block (our records) as a frame without an encapsulation.
        # Its note about running as root is about tshark, not the file.
        if ! encaps=$(tshark -n -r "$file" -T fields -e frame.number -e frame.encap_type 2> >(grep -v 'Running as user' >"$err")) ||
            { wait; [ -s "$err" ]; }; then
            say "FAIL $(basename "$file"): tshark says: $(cat "$err")"; fail=1
        else
            packets=$(grep -cP '^\d+\t\S' <<<"$encaps" || true)
            blocks=$(grep -cP '^\d+\t?$' <<<"$encaps" || true)
            ours=$("$osilab" show "$file" | grep -cE '^ *[0-9]+ ' || true)
            records=$("$osilab" show --json "$file" | grep -c '^{"event":' || true)
            if [ "$ours" != "$packets" ] || [ "$records" != "$blocks" ]; then
                say "FAIL $(basename "$file"): tshark reads $packets packets and $blocks custom blocks, osilab $ours and $records"; fail=1
            else
                say "ok   $(basename "$file"): tshark reads $packets packets and $blocks custom blocks, no warning"
            fi
        fi
        rm -f "$err"
    done
else
    echo "usage: check-captures.sh replay|tshark OSILAB" >&2; exit 2
fi
exit $fail
