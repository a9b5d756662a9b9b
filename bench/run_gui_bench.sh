#!/usr/bin/env bash
# run_gui_bench.sh [BUILD_DIR]
#
# Viewer benchmark: osilab-gui opens the 1,000,000-packet capture headless (real frames, Mesa
# software OpenGL under Xvfb) and reports, from inside the program (`--stats`):
#   - time to the first frame (from the start of main, window and fonts included),
#   - time to fully loaded and filterable: a BPF filter given at start, until it has run over
#     every packet of the fully loaded capture,
#   - CPU time per frame while the packet list scrolls (getrusage of the whole process, every
#     thread and the software renderer included, around N frames of scripted mouse-wheel input
#     that bring about a screenful of new rows each frame, divided by N),
#   - peak anonymous memory (RssAnon from /proc/self/status, sampled every frame).
# `tshark -r FILE > /dev/null` runs in the same script on the same file as the reference.
# Prints a Markdown table and PASS/FAIL per target. Not part of the test suite.
#
#   BUILD_DIR   a build directory with the GUI on to take osilab-gui from (brought up to date
#               with `cmake --build`); default: a Release build in the cache folder
#
# Env: RUNS (default 3)          runs per command, interleaved; the table shows medians (peak
#                                memory: the highest of the runs)
#      N (default 1000000)       packets in the capture
#      SCROLL_FRAMES (120)       frames of scripted scrolling
#      FILTER ("tcp port 8080")  the BPF filter of the load run
#      SIZE (1280x800)           window size
#      OSILAB_BENCH_CACHE        captures and builds (default
#                                ${XDG_CACHE_HOME:-$HOME/.cache}/osilab-bench, outside the repo),
#                                shared with run_packet_bench.sh
#      SKIP_TSHARK=1             leave tshark out
#      STRICT_GL=1               hold the whole process's CPU per frame (software OpenGL
#                                included) to the 4 ms target too
# Needs root the first time (make_big_capture.sh records loopback traffic; missing tools are
# installed with apt-get). Exit status: 0 all targets PASS, 1 a target FAILed, 2 could not run.
set -euo pipefail

BUILD_ARG=${1:-}
N=${N:-1000000}
RUNS=${RUNS:-3}
SCROLL_FRAMES=${SCROLL_FRAMES:-120}
FILTER=${FILTER:-tcp port 8080}
SIZE=${SIZE:-1280x800}
BENCH_NAME=run_gui_bench
source "$(dirname "$0")/bench_common.sh"

{ [[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 10 ]; } || die "N must be a number >= 10 (got '$N')"
{ [[ "$SCROLL_FRAMES" =~ ^[0-9]+$ ]] && [ "$SCROLL_FRAMES" -ge 1 ]; } ||
    die "SCROLL_FRAMES must be a number >= 1"
prepare_cache

# ---- tools -------------------------------------------------------------------------------------
need=()
[ -x /usr/bin/time ] || need+=(time)
command -v xvfb-run >/dev/null || need+=(xvfb xauth)
[ "${SKIP_TSHARK:-0}" = 1 ] || command -v tshark >/dev/null || need+=(tshark)
install_missing ${need[@]+"${need[@]}"}

# ---- the capture (made once, kept in the cache; the same file as run_packet_bench.sh) ----------
BIG=$(capture_for "$N")

# ---- osilab-gui ----------------------------------------------------------------------------------
if [ -n "$BUILD_ARG" ]; then
    BUILD=$(cd "$BUILD_ARG" && pwd)
    btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
    [ "$btype" = Release ] || note "WARNING: $BUILD is a '${btype:-?}' build, not Release: numbers are not comparable"
else
    BUILD="$CACHE/build-gui-release"
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S "$REPO" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DOSILAB_BUILD_GUI=ON \
            -DOSILAB_BUILD_TESTS=OFF >/dev/null || die "cmake configure failed"
    fi
fi
note "building osilab-gui in $BUILD"
cmake --build "$BUILD" --target osilab-gui -j 2 >/dev/null ||
    die "build failed (cmake --build $BUILD --target osilab-gui)"
GUI="$BUILD/visualizer/osilab-gui"
[ -x "$GUI" ] || die "osilab-gui not found in $BUILD (configured with -DOSILAB_BUILD_GUI=ON?)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/osilab-gui-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# One run of the viewer: prints its --stats lines ("key value").
gui_run() {  # gui_run OUT_PNG EXTRA_ARGS…
    local png=$1
    shift
    xvfb-run -a -s "-screen 0 1920x1080x24" \
        "$GUI" "$BIG" --screenshot "$png" --size "$SIZE" --lang en --stats "$@"
}
stat_of() { sed -n "s/^$1 //p" "$2" | head -n 1; }

# Sanity on the real file first: every packet loaded, nothing failed.
note "checking that osilab-gui loads all $N packets"
gui_run "$TMP/check.png" >"$TMP/check.out" 2>"$TMP/check.err" ||
    die "osilab-gui failed: $(head -c 400 "$TMP/check.err")"
[ "$(stat_of packets "$TMP/check.out")" = "$N" ] ||
    die "osilab-gui loaded $(stat_of packets "$TMP/check.out") packets, not $N"

cat "$BIG" >/dev/null  # everything reads from the page cache, as in the reference figures

# ---- measuring (rounds interleaved, so a burst of load from others hits every command alike) ----
declare -a FIRST LOADED FILTERED SCROLL_CPU SCROLL_VIEWER SCROLL_GL SCROLL_WALL TSHARK_WALL
PEAK_ANON=0 TSHARK_RSS=0
for ((round = 1; round <= RUNS; round++)); do
    note "round $round/$RUNS: osilab-gui, filter '$FILTER'"
    gui_run "$TMP/load.png" --filter "$FILTER" >"$TMP/load.out" 2>"$TMP/load.err" ||
        die "osilab-gui --filter failed: $(head -c 400 "$TMP/load.err")"
    FIRST+=("$(stat_of first_frame_s "$TMP/load.out")")
    LOADED+=("$(stat_of loaded_s "$TMP/load.out")")
    FILTERED+=("$(stat_of filtered_s "$TMP/load.out")")
    anon=$(stat_of peak_rss_anon_kb "$TMP/load.out")
    [ "$anon" -le "$PEAK_ANON" ] || PEAK_ANON=$anon

    note "round $round/$RUNS: osilab-gui, $SCROLL_FRAMES frames of scrolling"
    gui_run "$TMP/scroll.png" --scroll-frames "$SCROLL_FRAMES" >"$TMP/scroll.out" \
        2>"$TMP/scroll.err" || die "osilab-gui --scroll-frames failed: $(head -c 400 "$TMP/scroll.err")"
    FIRST+=("$(stat_of first_frame_s "$TMP/scroll.out")")
    LOADED+=("$(stat_of loaded_s "$TMP/scroll.out")")
    SCROLL_CPU+=("$(stat_of scroll_cpu_ms_per_frame "$TMP/scroll.out")")
    SCROLL_VIEWER+=("$(stat_of scroll_viewer_cpu_ms_per_frame "$TMP/scroll.out")")
    SCROLL_GL+=("$(stat_of scroll_opengl_cpu_ms_per_frame "$TMP/scroll.out")")
    SCROLL_WALL+=("$(stat_of scroll_wall_ms_per_frame "$TMP/scroll.out")")
    anon=$(stat_of peak_rss_anon_kb "$TMP/scroll.out")
    [ "$anon" -le "$PEAK_ANON" ] || PEAK_ANON=$anon

    if [ "${SKIP_TSHARK:-0}" != 1 ]; then
        note "round $round/$RUNS: tshark -r"
        t0=$(date +%s%N)
        /usr/bin/time -f %M -o "$TMP/time" tshark -r "$BIG" >/dev/null 2>"$TMP/tshark.err" ||
            die "tshark failed: $(head -c 300 "$TMP/tshark.err")"
        t1=$(date +%s%N)
        TSHARK_WALL+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
        rss=$(tail -n 1 "$TMP/time")
        [ "$rss" -le "$TSHARK_RSS" ] || TSHARK_RSS=$rss
    fi
done
cp "$TMP/scroll.png" "$CACHE/gui-bench-last.png"

median() { printf '%s\n' "$@" | sed '/^$/d' | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
M_FIRST=$(median "${FIRST[@]}")
M_LOADED=$(median "${LOADED[@]}")
M_FILTERED=$(median "${FILTERED[@]}")
M_CPU=$(median "${SCROLL_CPU[@]}")
M_VIEWER=$(median "${SCROLL_VIEWER[@]}")
M_GL=$(median "${SCROLL_GL[@]}")
M_WALL=$(median "${SCROLL_WALL[@]}")
M_TSHARK=$( [ ${#TSHARK_WALL[@]} -gt 0 ] && median "${TSHARK_WALL[@]}" || echo "")
ANON_LIMIT_KB=$(awk -v n="$N" 'BEGIN { printf "%d", 50 * 1024 + n * 64 / 1024 }')

# ---- report ------------------------------------------------------------------------------------
{
echo "### Viewer benchmark, $N packets"
echo
echo "$(date -u +%Y-%m-%d) · $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1))" \
     "· load $(cut -d' ' -f1-3 /proc/loadavg) · commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo ?)" \
     "· file $(( $(stat -c %s "$BIG") / 1000000 )) MB in page cache · window $SIZE," \
     "OpenGL: $(stat_of renderer "$TMP/scroll.out")" \
     "· median of $RUNS runs, peak = max of the runs"
echo
echo "| what | osilab-gui | target | tshark -r (reference) |"
echo "| --- | ---: | ---: | ---: |"
echo "| first frame | $M_FIRST s | ≤ 1 s | – |"
echo "| fully loaded | $M_LOADED s | – | ${M_TSHARK:-–} s (whole run) |"
echo "| loaded and filtered (\`$FILTER\`) | $M_FILTERED s | ≤ 3 s | – |"
echo "| CPU per frame, scrolling ($SCROLL_FRAMES frames), whole process | $M_CPU ms (wall $M_WALL ms) | – | – |"
echo "| … of which the viewer (UI thread without OpenGL) | $M_VIEWER ms | ≤ 4 ms | – |"
echo "| … of which OpenGL (the driver; Mesa's software rasteriser under Xvfb) | $M_GL ms | – | – |"
echo "| peak RssAnon | $(awk -v k="$PEAK_ANON" 'BEGIN { printf "%.1f", k / 1024 }') MB |" \
     "≤ $(awk -v k="$ANON_LIMIT_KB" 'BEGIN { printf "%.1f", k / 1024 }') MB |" \
     "$( [ "$TSHARK_RSS" -gt 0 ] && awk -v k="$TSHARK_RSS" 'BEGIN { printf "%.1f MB (peak RSS)", k / 1024 }' || echo –) |"
if [ -n "$M_TSHARK" ]; then
    echo
    awk -v t="$M_TSHARK" -v l="$M_FILTERED" 'BEGIN {
        printf "tshark takes %.1f× as long to read the file as osilab-gui takes to load and filter it.\n", t / l }'
fi
} | tee "$TMP/table.md"

# ---- targets (absolute, as the viewer issue states them; tshark shows how busy the machine was) -
STATUS=0
verdict() {  # verdict NAME VALUE LIMIT UNIT
    if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v != "" && v >= 0 && v <= l) }'; then
        echo "PASS  $1 ($2 $4 ≤ $3 $4)"
    else
        echo "FAIL  $1 ($2 $4, target ≤ $3 $4)"
        STATUS=1
    fi
}
{
echo
echo "Targets:"
verdict "first frame" "$M_FIRST" 1 s
verdict "fully loaded and filterable" "$M_FILTERED" 3 s
verdict "CPU per frame while scrolling, the viewer's own" "$M_VIEWER" 4 ms
# Under Xvfb the OpenGL work is done by Mesa's software rasteriser on the CPU (a GPU does it on a
# desktop); its share is shown in the table, and checked only when asked for.
if [ "${STRICT_GL:-0}" = 1 ]; then
    verdict "CPU per frame while scrolling, whole process with software OpenGL" "$M_CPU" 4 ms
fi
verdict "peak RssAnon <= 50 MB + 64 B per packet" "$PEAK_ANON" "$ANON_LIMIT_KB" kB
} | tee -a "$TMP/table.md"
cp "$TMP/table.md" "$CACHE/gui-latest-$N.md"
note "table saved to $CACHE/gui-latest-$N.md, last picture to $CACHE/gui-bench-last.png"
exit $STATUS
