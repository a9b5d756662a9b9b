#!/bin/sh
# make-screenshots.sh [BUILD_DIR]
# Regenerates the README's viewer pictures, visualizer/screenshots/*.png (1280x800), with
# osilab-gui's headless screenshot mode under Xvfb (Mesa software OpenGL):
#   http-zh.png          the lesson capture captures/http-get-loopback.pcap, the GET, in Chinese
#   corpus-dns-en.png    ../shared/corpus/good/dns_udp.pcap, the answer, in English
#   follow-stream-zh.png TCP streams carrying Chinese text, Follow stream open, in Chinese
#   million-en.png       the 1,000,000-packet benchmark capture, loaded and filtered, in English
# BUILD_DIR (default: build) must have the GUI on. A picture whose capture is missing (the shared
# corpus beside the repository; the big capture, made by bench/run_gui_bench.sh in
# ${OSILAB_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/osilab-bench}) is skipped with a message.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
gui="$build/visualizer/osilab-gui"
[ -x "$gui" ] || { echo "make-screenshots: no $gui (configure with -DOSILAB_BUILD_GUI=ON)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "make-screenshots: needs xvfb-run (apt-get install xvfb)" >&2; exit 2; }
cache=${OSILAB_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/osilab-bench}

shot() {  # shot NAME CAPTURE OPTION…
    name=$1 capture=$2
    shift 2
    if [ ! -f "$capture" ]; then
        echo "skipped $name.png: no $capture" >&2
        return 0
    fi
    echo "$name.png"
    # From the capture's folder, so the status bar shows its name, not this machine's paths.
    (cd "$(dirname "$capture")" && xvfb-run -a -s "-screen 0 1920x1080x24" \
        "$gui" "$(basename "$capture")" --size 1280x800 --screenshot "$here/$name.png" "$@")
}

shot http-zh "$root/captures/http-get-loopback.pcap" --lang zh --select 4
shot corpus-dns-en "$root/../shared/corpus/good/dns_udp.pcap" --lang en --select 2
shot follow-stream-zh "$root/lab/session/tests/data/interleaved-streams.pcap" --lang zh \
    --select 15 --follow
shot million-en "$cache/big-1000000.pcap" --lang en --filter "tcp port 8080" --select 30
