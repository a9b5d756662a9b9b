#!/usr/bin/env bash
# run_packet_bench.sh [N] [BUILD_DIR]
#
# Packet-engine benchmark: runs OSI Lab and the reference tools side by side over the same
# N-packet capture (default 1,000,000) and prints a Markdown table plus PASS/FAIL per target.
# The machine is shared and noisy, so every target is a ratio to a tool measured in the same run,
# never an absolute time. Not part of the test suite.
#
#   N           packets in the big capture (a second file of N/10 packets checks memory)
#   BUILD_DIR   an existing build directory to take osilab and osilab_dissect_bench from (it is
#               brought up to date with `cmake --build`); default: a Release build in the cache
#
# Env: RUNS (default 3)        runs per command; the table shows the median wall time and the
#                              highest peak RSS of the runs
#      OSILAB_BENCH_CACHE      where captures and builds go (default
#                              ${XDG_CACHE_HOME:-$HOME/.cache}/osilab-bench, outside the repo)
#      MEM_TOLERANCE_MB        allowed peak-memory difference of osilab show, N vs N/10 (4)
#      SKIP_TSHARK=1           leave tshark out (its runs take most of the time)
#
# Needs root the first time: make_big_capture.sh records loopback traffic (ports 7, 53, 8080 on
# 127.0.0.1/::1 only) and missing tools are installed with apt-get.
# Exit status: 0 all targets PASS, 1 a target FAILed, 2 the benchmark could not run.
set -euo pipefail

N=${1:-1000000}
BUILD_ARG=${2:-}
RUNS=${RUNS:-3}
MEM_TOLERANCE_MB=${MEM_TOLERANCE_MB:-4}
BENCH_NAME=run_packet_bench
source "$(dirname "$0")/bench_common.sh"

{ [[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 10 ]; } || die "N must be a number >= 10 (got '$N')"
prepare_cache
[ -f "$SHARED/pcap_floor.c" ] || die "missing $SHARED/pcap_floor.c"

# ---- tools -------------------------------------------------------------------------------------
need=()
[ -x /usr/bin/time ] || need+=(time)
command -v tcpdump >/dev/null || need+=(tcpdump)
[ "${SKIP_TSHARK:-0}" = 1 ] || command -v tshark >/dev/null || need+=(tshark)
command -v cc >/dev/null || need+=(gcc)
pkg-config --exists libpcap 2>/dev/null || need+=(libpcap-dev)
install_missing ${need[@]+"${need[@]}"}

# ---- captures (made once, kept in the cache) ----------------------------------------------------
SMALL_N=$((N / 10))
BIG=$(capture_for "$N")
SMALL=$(capture_for "$SMALL_N")

# ---- binaries ----------------------------------------------------------------------------------
FLOOR="$CACHE/pcap_floor"
if [ ! -x "$FLOOR" ] || [ "$SHARED/pcap_floor.c" -nt "$FLOOR" ]; then
    read -r -a pcap_flags < <(pkg-config --cflags --libs libpcap)
    cc -O2 -Wall -o "$FLOOR" "$SHARED/pcap_floor.c" "${pcap_flags[@]}" ||
        die "could not build pcap_floor"
fi

if [ -n "$BUILD_ARG" ]; then
    BUILD=$(cd "$BUILD_ARG" && pwd)
    btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
    [ "$btype" = Release ] || note "WARNING: $BUILD is a '${btype:-?}' build, not Release: numbers are not comparable"
else
    BUILD="$CACHE/build-release"
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S "$REPO" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DOSILAB_BUILD_GUI=OFF \
            -DOSILAB_BUILD_TESTS=OFF -DOSILAB_BUILD_BENCH=ON >/dev/null || die "cmake configure failed"
    fi
fi
note "building osilab and osilab_dissect_bench in $BUILD"
cmake --build "$BUILD" --target osilab osilab_dissect_bench -j 2 >/dev/null \
    || die "build failed (cmake --build $BUILD --target osilab osilab_dissect_bench)"
OSILAB="$BUILD/lab/cli/osilab"
DBENCH="$BUILD/bench/osilab_dissect_bench"
{ [ -x "$OSILAB" ] && [ -x "$DBENCH" ]; } || die "binaries not found in $BUILD"

# ---- sanity: each tool reads every packet ------------------------------------------------------
# (on the small file, so a broken tool shows up before minutes of timing)
count_of() { sed -n 's/.* packets=\([0-9]*\) .*/\1/p' <<<"$1"; }
floor_small=$("$FLOOR" "$SMALL")
[ "$(count_of "$floor_small")" = "$SMALL_N" ] || die "pcap_floor read a wrong count: $floor_small"
bench_small=$("$DBENCH" "$SMALL") || die "osilab_dissect_bench failed on $SMALL"
[ "$(count_of "$bench_small")" = "$SMALL_N" ] || die "osilab_dissect_bench read a wrong count: $bench_small"
show_lines=$("$OSILAB" show "$SMALL" 2>/dev/null | wc -l) || true
SHOW_OK=1
if [ "$show_lines" -lt "$SMALL_N" ]; then
    note "WARNING: 'osilab show' printed $show_lines lines for $SMALL_N packets: is it implemented?"
    SHOW_OK=0
fi

# Everything reads from the page cache, as in the reference figures.
cat "$BIG" "$SMALL" >/dev/null

# ---- measuring ---------------------------------------------------------------------------------
# Each command runs RUNS times; the runs are interleaved (round 1 of every command, then round 2…)
# so a burst of load from another user hits all commands alike.
NAMES=()   # table label
CMDS=()    # shell command line (words quoted with printf %q)
PKTS=()    # packets the command reads
KEEP=()    # 1: keep its stdout (one result line); 0: stdout to /dev/null, as the user would
add_cmd() { NAMES+=("$1"); PKTS+=("$2"); CMDS+=("$3"); KEEP+=("${4:-0}"); }
q() { printf '%q' "$1"; }
add_cmd "bare libpcap loop (pcap_floor)" "$N" "$(q "$FLOOR") $(q "$BIG")" 1
add_cmd "\`osilab show\` (summary lines)" "$N" "$(q "$OSILAB") show $(q "$BIG")"
add_cmd "\`osilab show\`, N/10 file" "$SMALL_N" "$(q "$OSILAB") show $(q "$SMALL")"
add_cmd "osilab_dissect_bench (all layers, all fields)" "$N" "$(q "$DBENCH") $(q "$BIG")" 1
add_cmd "osilab_dissect_bench --summary-only" "$N" "$(q "$DBENCH") $(q "$BIG") --summary-only" 1
add_cmd "\`tcpdump -nn -r\`" "$N" "tcpdump -nn -r $(q "$BIG")"
[ "${SKIP_TSHARK:-0}" = 1 ] || add_cmd "\`tshark -n -r\` (summary lines)" "$N" "tshark -n -r $(q "$BIG")"
I_FLOOR=0 I_SHOW=1 I_SHOW_SMALL=2 I_FULL=3 I_TCPDUMP=5 I_TSHARK=6

TMP=$(mktemp -d "${TMPDIR:-/tmp}/osilab-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
declare -A WALLS RSS FAILED
for ((round = 1; round <= RUNS; round++)); do
    for i in "${!CMDS[@]}"; do
        note "round $round/$RUNS: ${NAMES[$i]}"
        out=/dev/null
        if [ "${KEEP[$i]}" = 1 ]; then out="$TMP/out.$i"; fi
        # GNU time gives the peak RSS; its %e has only 10 ms steps, so the wall time is taken
        # around it in nanoseconds (the fork of time itself costs well under a millisecond).
        t0=$(date +%s%N)
        if eval "/usr/bin/time -f %M -o $(q "$TMP/time") ${CMDS[$i]}" >"$out" 2>"$TMP/err"; then
            t1=$(date +%s%N)
            wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
            rss=$(tail -n 1 "$TMP/time")
            WALLS[$i]="${WALLS[$i]:-} $wall"
            [ "${RSS[$i]:-0}" -ge "$rss" ] || RSS[$i]=$rss
        else
            FAILED[$i]=1
            note "FAILED: ${CMDS[$i]}: $(head -c 300 "$TMP/err")"
        fi
    done
done

median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
declare -A MED
for i in "${!CMDS[@]}"; do
    [ -n "${FAILED[$i]:-}" ] || MED[$i]=$(median "${WALLS[$i]}")
done
# Never divide by zero, whatever the clock said.
wall_of() { awk -v w="${MED[$1]}" 'BEGIN { print (w < 0.0001 ? 0.0001 : w) }'; }

# ---- report ------------------------------------------------------------------------------------
{
echo "### Packet engine benchmark, $N packets"
echo
echo "$(date -u +%Y-%m-%d) · $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1))" \
     "· load $(cut -d' ' -f1-3 /proc/loadavg) · commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo ?)" \
     "· file $(( $(stat -c %s "$BIG") / 1000000 )) MB in page cache · median of $RUNS runs, peak = max of the runs"
echo
echo "| what | wall s | packets/s | peak MB | bare-loop rate ÷ rate | rate ÷ tshark rate |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for i in "${!CMDS[@]}"; do
    if [ -n "${FAILED[$i]:-}" ]; then
        echo "| ${NAMES[$i]} | failed | | | | |"
        continue
    fi
    w=$(wall_of "$i")
    floor_w=$( [ -n "${MED[$I_FLOOR]:-}" ] && wall_of $I_FLOOR || echo "")
    tshark_w=$( [ -n "${MED[$I_TSHARK]:-}" ] && wall_of $I_TSHARK || echo "")
    # Ratios of packet rates, so the N/10 row compares fairly too.
    awk -v name="${NAMES[$i]}" -v w="$w" -v raw="${MED[$i]}" -v p="${PKTS[$i]}" -v rss="${RSS[$i]}" \
        -v fw="$floor_w" -v tw="$tshark_w" -v n="$N" 'BEGIN {
        pps = p / w
        rate = pps >= 1e6 ? sprintf("%.2f M", pps / 1e6) : sprintf("%.0f k", pps / 1e3)
        rf = fw == "" ? "–" : sprintf("%.1f×", (n / fw) / pps)
        rt = tw == "" ? "–" : sprintf("%.1f×", pps / (n / tw))
        printf "| %s | %.3f | %s | %.1f | %s | %s |\n", name, raw, rate, rss / 1024, rf, rt
    }'
done
echo
echo "What the tools measured inside themselves (open to last packet, no process start-up; last run):"
echo
for i in "${!CMDS[@]}"; do
    if [ "${KEEP[$i]}" = 1 ] && [ -s "$TMP/out.$i" ]; then echo "    $(tail -n 1 "$TMP/out.$i")"; fi
done
} | tee "$TMP/table.md"

# ---- targets -----------------------------------------------------------------------------------
STATUS=0
verdict() {  # verdict NAME CONDITION(awk expr over a b c) a b c DETAIL
    local name=$1 cond=$2 a=$3 b=$4 c=$5 detail=$6
    if awk -v a="$a" -v b="$b" -v c="$c" "BEGIN { exit !($cond) }"; then
        echo "PASS  $name ($detail)"
    else
        echo "FAIL  $name ($detail)"
        STATUS=1
    fi
}
skip() { echo "SKIP  $1 ($2)"; }
have() { for k in "$@"; do [ -n "${MED[$k]:-}" ] || return 1; done; }
{
echo
echo "Targets (ratios measured in this run):"
if have $I_FULL $I_FLOOR; then
    verdict "full dissection rate >= 1/4 of the bare loop's" "a <= 4 * b" \
        "$(wall_of $I_FULL)" "$(wall_of $I_FLOOR)" 0 \
        "$(wall_of $I_FULL) s vs bare loop $(wall_of $I_FLOOR) s = $(awk -v a="$(wall_of $I_FULL)" -v b="$(wall_of $I_FLOOR)" 'BEGIN{printf "1/%.1f", a/b}') of its rate"
else skip "full dissection rate >= 1/4 of the bare loop's" "a run failed"; fi
if [ "$SHOW_OK" = 1 ] && have $I_SHOW $I_TSHARK; then
    verdict "osilab show >= 20x faster than tshark -n -r" "20 * a <= b" \
        "$(wall_of $I_SHOW)" "$(wall_of $I_TSHARK)" 0 \
        "$(awk -v a="$(wall_of $I_SHOW)" -v b="$(wall_of $I_TSHARK)" 'BEGIN{printf "%.1fx", b/a}')"
else skip "osilab show >= 20x faster than tshark -n -r" "osilab show or tshark not measured"; fi
if [ "$SHOW_OK" = 1 ] && have $I_SHOW $I_TCPDUMP; then
    verdict "osilab show faster than tcpdump -nn -r" "a < b" \
        "$(wall_of $I_SHOW)" "$(wall_of $I_TCPDUMP)" 0 \
        "$(wall_of $I_SHOW) s vs $(wall_of $I_TCPDUMP) s"
else skip "osilab show faster than tcpdump -nn -r" "osilab show or tcpdump not measured"; fi
if [ "$SHOW_OK" = 1 ] && have $I_SHOW $I_SHOW_SMALL; then
    verdict "osilab show peak memory independent of file size" "a - b <= c && b - a <= c" \
        "${RSS[$I_SHOW]}" "${RSS[$I_SHOW_SMALL]}" "$((MEM_TOLERANCE_MB * 1024))" \
        "$(awk -v a="${RSS[$I_SHOW]}" -v b="${RSS[$I_SHOW_SMALL]}" -v n="$N" -v m="$SMALL_N" \
            'BEGIN { printf "%d packets: %.1f MB, %d packets: %.1f MB", n, a / 1024, m, b / 1024 }'), tolerance $MEM_TOLERANCE_MB MB"
else skip "osilab show peak memory independent of file size" "osilab show not measured"; fi
} | tee -a "$TMP/table.md" | tee "$TMP/verdicts"
grep -q '^FAIL' "$TMP/verdicts" && STATUS=1
cp "$TMP/table.md" "$CACHE/latest-$N.md"
note "table saved to $CACHE/latest-$N.md"
exit $STATUS
