#!/usr/bin/env bash
# The cs-bs lesson's lecture mode: `osilab run cs-bs --net host` waits for a real browser at
# the url it prints; here curl plays the browser. To stay off the machine's real ports, the
# whole test runs in a network namespace of its own, where "the host's loopback" is that
# namespace's lo (root inside it, which --net host needs).
#   host_browser_test.sh OSILAB LESSONS_DIR
# Exit 77 (skipped) without curl, or where no namespace can be made and OSILAB_REQUIRE_LABNET
# is unset.
set -euo pipefail
osilab=$1 lessons=$2
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
if [ "${OSILAB_IN_NETNS:-}" != 1 ]; then
    if [ "$(id -u)" -eq 0 ]; then unshare_args=(--net); else unshare_args=(--user --map-root-user --net); fi
    if ! unshare "${unshare_args[@]}" true 2>/dev/null; then
        [ -n "${OSILAB_REQUIRE_LABNET:-}" ] && { echo "FAIL: cannot make a network namespace"; exit 1; }
        echo "SKIP: cannot make a network namespace here"; exit 77
    fi
    exec env OSILAB_IN_NETNS=1 unshare "${unshare_args[@]}" bash "$0" "$@"
fi
ip link set lo up
work=$(mktemp -d)
trap 'kill ${run:-} 2>/dev/null || true; rm -rf "$work"' EXIT
mkfifo "$work/out"
"$osilab" run cs-bs --lessons "$lessons" --net host --lang en --save "$work/run.pcapng" >"$work/out" &
run=$!
# The header of the web server's accept step is printed once its listen step has ended: from
# then on a browser can connect.
exec 3<"$work/out"
while IFS= read -r line <&3; do
    printf '%s\n' "$line" >>"$work/live.txt"
    case $line in *"http://127.0.0.1:8080/"*) url_seen=1 ;; "── 18/28 · web · accept ──") break ;; esac
done
[ "${url_seen:-}" = 1 ] || { echo "FAIL: the url was not printed"; cat "$work/live.txt"; exit 1; }
page=$(curl -sS -m 30 http://127.0.0.1:8080/)
cat <&3 >>"$work/live.txt"
set +e; wait "$run"; code=$?; set -e
run=""
cat "$work/live.txt"
[ "$code" = 0 ] || { echo "FAIL: osilab exited $code"; exit 1; }
grep -q '你好，浏览器' <<<"$page" || { echo "FAIL: curl got: $page"; exit 1; }
grep -q '^  call: web recv(conn, [0-9]*) = [0-9]* data "GET / HTTP/1.1' "$work/live.txt" ||
    { echo "FAIL: the web server did not receive curl's request"; exit 1; }
! grep -qE '^  call: browser ' "$work/live.txt" ||
    { echo "FAIL: the browser's own steps ran"; exit 1; }
steps=$("$osilab" show "$work/run.pcapng" | grep -c '^── step ')
echo "ok: curl played the browser; $steps steps recorded"
