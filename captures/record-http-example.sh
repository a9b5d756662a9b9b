#!/usr/bin/env bash
# Re-records captures/http-get-loopback.pcap: curl fetching a small page (with Chinese text) from
# python's http.server, on the loopback of a private network namespace made for this run only,
# so no other traffic is captured and nothing leaves the machine.
# Needs: tcpdump, curl, python3, iproute2 (ss). Run as root, or as a user allowed to make user
# namespaces (the script re-executes itself with `unshare`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/http-get-loopback.pcap}

if [ "${OSILAB_IN_NETNS:-}" != 1 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        exec env OSILAB_IN_NETNS=1 unshare --net "$0" "$out"
    else
        exec env OSILAB_IN_NETNS=1 unshare --user --map-root-user --net "$0" "$out"
    fi
fi

work=$(mktemp -d)
trap 'kill ${server:-} ${dump:-} 2>/dev/null || true; rm -rf "$work"' EXIT
ip link set lo up
mkdir "$work/www"
printf '<!doctype html>\n<title>OSI Lab</title>\n<p>Hello, 你好, OSI Lab!</p>\n' >"$work/www/index.html"

tcpdump -i lo -U --immediate-mode -s 0 -w "$work/out.pcap" 'tcp port 8000' 2>"$work/tcpdump.log" &
dump=$!
for _ in $(seq 100); do grep -q "listening on" "$work/tcpdump.log" && break; sleep 0.05; done
python3 -m http.server 8000 --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
server=$!
# Wait until the server listens, without sending it a probe that would show up in the capture.
for _ in $(seq 100); do ss -Hltn "sport = :8000" | grep -q . && break; sleep 0.05; done
curl -s -o /dev/null http://127.0.0.1:8000/
kill "$server"
wait "$server" 2>/dev/null || true
kill -INT "$dump"
wait "$dump" || true
cp "$work/out.pcap" "$out"
echo "wrote $out" >&2
