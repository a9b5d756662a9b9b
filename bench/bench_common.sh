# Shared by the bench scripts that use the big capture (run_packet_bench.sh, run_gui_bench.sh):
# the cache folder outside the repository, root for the first capture, missing tools installed
# with apt-get, and the N-packet capture made once by ../shared/bench/make_big_capture.sh.
# Source it after setting BENCH_NAME (for messages); it sets REPO, SHARED and CACHE.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED="$REPO/../shared/bench"
CACHE=${OSILAB_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/osilab-bench}

die() { echo "$BENCH_NAME: $*" >&2; exit 2; }
note() { echo "-- $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "needs root for: $*"
    fi
}

# prepare_cache: checks the shared generator is there and the cache is outside the repository.
prepare_cache() {
    [ -x "$SHARED/make_big_capture.sh" ] ||
        die "missing $SHARED/make_big_capture.sh (the shared bench folder beside the repo)"
    mkdir -p "$CACHE"
    CACHE=$(cd "$CACHE" && pwd)
    case "$CACHE/" in
        "$REPO"/*) die "the cache $CACHE is inside the repository; set OSILAB_BENCH_CACHE" ;;
    esac
}

# install_missing PACKAGE…: apt-get installs them (nothing when called without arguments).
install_missing() {
    [ $# -gt 0 ] || return 0
    note "installing $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# capture_for COUNT -> path of the COUNT-packet capture; made if missing (records loopback
# traffic, needs root).
capture_for() {
    local count=$1 out="$CACHE/big-$1.pcap"
    if [ ! -s "$out" ]; then
        note "making $out ($count packets; records loopback traffic, needs root)"
        as_root "$SHARED/make_big_capture.sh" "$count" "$out.tmp" >&2
        as_root mv "$out.tmp" "$out"
    fi
    echo "$out"
}
