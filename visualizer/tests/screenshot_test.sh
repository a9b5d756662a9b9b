#!/bin/sh
# screenshot_test.sh OSILAB_GUI PNG_CHECK CAPTURE SELECT LANG OUT_PREFIX [EXTRA_OPTION…]
# Renders CAPTURE headless under Xvfb (Mesa software OpenGL) with packet SELECT selected and
# checks the picture. Leaves OUT_PREFIX.png and OUT_PREFIX.layout for a person to look at.
set -eu
gui=$1 check=$2 capture=$3 select=$4 lang=$5 out=$6
shift 6
mkdir -p "$(dirname "$out")"
rm -f "$out.png" "$out.layout"
width=1280 height=800
# -a picks a free display, so tests may run in parallel.
xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$gui" "$capture" --screenshot "$out.png" --layout-out "$out.layout" \
    --select "$select" --lang "$lang" --size "${width}x${height}" "$@"
"$check" "$out.png" "$out.layout" "$width" "$height"
