#!/usr/bin/env bash
# run_lab_bench.sh [BUILD_DIR]
#
# The lab network's capture path (issue 3, item 9): runs osilab_lab_bench from BUILD_DIR
# (default: build/release, what .ci/test builds; nothing is built here) inside its own private
# lab network, prints its figures and one PASS / FAIL line per target:
#   - the median time from a socket call's return to its packets reaching the consumer of
#     LiveCapture's read loop is under 5 ms, for UDP sendto, TCP connect and TCP send, and no
#     call's packets went missing;
#   - the same end to end through the lesson runner (osilab_runner_bench: every lesson of
#     lessons/ RUNNER_ROUNDS times, the runner's on_call/on_packet reports), if it was built;
#   - a burst of BURST small UDP datagrams loses nothing by libpcap's own counters (ps_drop and
#     ps_ifdrop 0, every datagram delivered), in every one of RUNS bursts, with the large ring
#     and the sender scheduled freely.
# The other burst set-ups (the runner's default ring; a sender that yields the reader's CPU)
# are printed as INFO lines, with the ring's capacity, to show why they behave as they do.
# As root it runs everything twice: as root, then as uid 65534 (setpriv, a copy of the binary
# in a temporary folder), as .ci/test does for the lab network tests.
#
# Env: CALLS (1000) calls per kind; BURST (100000) datagrams per burst; RUNS (3) bursts per
#      set-up; BUFFER_MIB (128) the large ring; RUNNER_ROUNDS (3) runs of every lesson;
#      AS_NOBODY=0 skips the uid 65534 round.
# Exit status: 0 all targets PASS, 1 a target FAILed, 2 the benchmark could not run.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-$REPO/build/release}
CALLS=${CALLS:-1000}
BURST=${BURST:-100000}
RUNS=${RUNS:-3}
BUFFER_MIB=${BUFFER_MIB:-128}
RUNNER_ROUNDS=${RUNNER_ROUNDS:-3}
AS_NOBODY=${AS_NOBODY:-1}
TARGET_MEDIAN_US=5000

die() { echo "run_lab_bench: $*" >&2; exit 2; }

BIN="$BUILD_DIR/bench/osilab_lab_bench"
RUNNER_BIN="$BUILD_DIR/bench/osilab_runner_bench"
[ -x "$BIN" ] || die "no $BIN; build it first: cmake --build $BUILD_DIR -t osilab_lab_bench"
for n in "$CALLS" "$BURST" "$RUNS" "$BUFFER_MIB" "$RUNNER_ROUNDS"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] ||
        die "CALLS, BURST, RUNS, BUFFER_MIB and RUNNER_ROUNDS must be positive numbers"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_round LABEL [COMMAND PREFIX...]: the latency part once, the bursts RUNS times; the
# metric lines of all go to $work/LABEL.metrics, the rest is shown.
run_round() {
    local label=$1 bin=$BIN runner_bin=$RUNNER_BIN lessons=$REPO/lessons
    shift
    if [ $# -gt 0 ]; then
        # Another user may not be able to open the build folder's parents.
        mkdir -p "$work/bin" && cp "$BIN" "$work/bin/" && cp -r "$REPO/lessons" "$work/"
        [ ! -x "$RUNNER_BIN" ] || cp "$RUNNER_BIN" "$work/bin/"
        chmod -R a+rX "$work"
        bin="$work/bin/osilab_lab_bench" runner_bin="$work/bin/osilab_runner_bench"
        lessons="$work/lessons"
    fi
    echo "=================== $label"
    : > "$work/$label.metrics"
    local args=(--buffer-mib "$BUFFER_MIB" --calls "$CALLS" --burst "$BURST")
    "$@" "$bin" "${args[@]}" --only latency > "$work/out" || die "osilab_lab_bench failed ($label)"
    grep -v '^metric ' "$work/out" || true
    grep '^metric ' "$work/out" >> "$work/$label.metrics" || true
    if [ -x "$runner_bin" ]; then
        "$@" "$runner_bin" --lessons "$lessons" --rounds "$RUNNER_ROUNDS" > "$work/out" ||
            die "osilab_runner_bench failed ($label)"
        grep -v '^metric ' "$work/out" || true
        grep '^metric ' "$work/out" >> "$work/$label.metrics" || true
    fi
    for ((run = 1; run <= RUNS; run++)); do
        "$@" "$bin" "${args[@]}" --only burst > "$work/out" || die "osilab_lab_bench failed ($label)"
        echo "-- burst run $run of $RUNS"
        grep -v '^metric \|^network:\|^uid ' "$work/out" || true
        grep '^metric ' "$work/out" | sed "s/^metric /metric run$run./" \
            >> "$work/$label.metrics" || true
    done
}

status=0
verdict() {  # verdict OK TEXT
    if [ "$1" = 1 ]; then echo "PASS  $2"; else echo "FAIL  $2"; status=1; fi
}

judge() {
    local label=$1 m="$work/$1.metrics"
    get() { awk -v k="$1" '$1 == "metric" && $2 == k { print $3 }' "$m"; }
    echo
    echo "== targets ($label)"
    for call in udp_sendto tcp_connect tcp_send; do
        local median p90 max lost
        median=$(get "latency.$call.median_us"); p90=$(get "latency.$call.p90_us")
        max=$(get "latency.$call.max_us"); lost=$(get "latency.$call.lost")
        [ -n "$median" ] || die "no latency figures for $call"
        local ok
        ok=$(awk -v m="$median" -v l="$lost" -v t="$TARGET_MEDIAN_US" \
            'BEGIN { print (m < t && l == 0) ? 1 : 0 }')
        verdict "$ok" "$(printf '%-11s call -> packets in the session: median %.1f us (< %d), p90 %.1f us, max %.1f us, %s lost' \
            "$call" "$median" "$TARGET_MEDIAN_US" "$p90" "$max" "$lost")"
    done
    local runner_median
    runner_median=$(get runner.median_us)
    if [ -n "$runner_median" ]; then
        local ok
        ok=$(awk -v m="$runner_median" -v t="$TARGET_MEDIAN_US" 'BEGIN { print (m < t) ? 1 : 0 }')
        verdict "$ok" "$(printf 'through the runner: call -> on_packet median %.1f us (< %d), p90 %.1f us, max %.1f us (%s calls); %s packets dropped' \
            "$runner_median" "$TARGET_MEDIAN_US" "$(get runner.p90_us)" "$(get runner.max_us)" \
            "$(get runner.calls)" "$(get runner.dropped)")"
    else
        echo "SKIP  through the runner: no $RUNNER_BIN (build target osilab_runner_bench)"
    fi
    for setup in large_free default_free large_yield; do
        local all_zero=1 line=""
        for ((run = 1; run <= RUNS; run++)); do
            local drop ifdrop seen
            drop=$(get "run$run.burst.$setup.ps_drop"); ifdrop=$(get "run$run.burst.$setup.ps_ifdrop")
            seen=$(get "run$run.burst.$setup.seen")
            [ -n "$drop" ] || die "no burst figures for $setup"
            [ "$drop" = 0 ] && [ "$ifdrop" = 0 ] && [ "$seen" = "$BURST" ] || all_zero=0
            line+=" ${drop}/${ifdrop}/${seen}"
        done
        local mib text
        mib=$( [ "$setup" = default_free ] && get run1.ring.default.mib || get run1.ring.large.mib )
        text="burst of $BURST, $setup ($mib MiB ring): ps_drop/ps_ifdrop/seen per run:$line"
        if [ "$setup" = large_free ]; then
            verdict "$all_zero" "$text"
        else
            echo "INFO  $text"
        fi
    done
    echo "INFO  ring capacity with no reader: $(get run1.ring.default.held) packets in" \
        "$(get run1.ring.default.mib) MiB, $(get run1.ring.large.held) in $(get run1.ring.large.mib) MiB"
}

run_round "$(id -un)"
judge "$(id -un)"
if [ "$(id -u)" -eq 0 ] && [ "$AS_NOBODY" = 1 ]; then
    command -v setpriv >/dev/null || die "setpriv (util-linux) is needed for the uid 65534 round"
    run_round uid65534 setpriv --reuid=65534 --regid=65534 --clear-groups
    judge uid65534
fi
exit $status
