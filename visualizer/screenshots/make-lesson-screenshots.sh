#!/bin/sh
# make-lesson-screenshots.sh BUILD_DIR
# Regenerates visualizer/screenshots/lessons/: every lesson at its key step (its first packets),
# run live in the headless screenshot mode, in English and in Chinese; and presenter mode at
# 1920x1080 for the three lessons a first lecture uses. Needs xvfb-run and a build with the GUI.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gui="$build/visualizer/osilab-gui"
osilab="$build/lab/cli/osilab"
out="$here/lessons"
mkdir -p "$out"

shot() {
    xvfb-run -a -s "-screen 0 1920x1080x24" "$gui" --osilab "$osilab" --lessons "$root/lessons" \
        --key-step --animation-at 0.5 "$@"
}
for file in "$root"/lessons/*.json; do
    id=$(basename "$file" .json)
    case "$id" in *.schema) continue ;; esac
    for lang in en zh; do
        echo "$id $lang"
        shot --lesson "$id" --lang "$lang" --size 1600x1000 --screenshot "$out/$id-$lang.png"
    done
done
for id in tcp-server-client so-reuseaddr udp-chat; do
    for lang in en zh; do
        echo "$id presenter $lang"
        shot --lesson "$id" --lang "$lang" --size 1920x1080 --presenter \
            --screenshot "$out/$id-presenter-$lang.png"
    done
done
