#!/usr/bin/env bash
# golden.sh OSILAB NAME EXPECTED_EXIT ARGS...
# Runs `osilab ARGS...` from the repository root and compares stdout (and stderr, when an
# expected/NAME.err exists) with the files in expected/, and the exit code with EXPECTED_EXIT.
# OSILAB_UPDATE_GOLDEN=1 rewrites the expected files instead; review the diff before committing.
set -uo pipefail
osilab=$1 name=$2 want_exit=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
LC_ALL=C.UTF-8 LANG=C.UTF-8 "$osilab" "$@" >"$out" 2>"$err"
got_exit=$?
# stderr names the file; keep it independent of the build folder's location.
sed -i "s|$root/||g" "$err"

if [ "${OSILAB_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$out" "$here/expected/$name.out"
    if [ -s "$err" ]; then cp "$err" "$here/expected/$name.err"; else rm -f "$here/expected/$name.err"; fi
    echo "updated $name (exit $got_exit)"
    exit 0
fi

status=0
if [ "$got_exit" != "$want_exit" ]; then
    echo "exit code $got_exit, expected $want_exit"; cat "$err"; status=1
fi
if ! diff -u "$here/expected/$name.out" "$out"; then
    echo "stdout differs from tests/golden/expected/$name.out"; status=1
fi
if [ -f "$here/expected/$name.err" ] && ! diff -u "$here/expected/$name.err" "$err"; then
    echo "stderr differs from tests/golden/expected/$name.err"; status=1
fi
exit $status
