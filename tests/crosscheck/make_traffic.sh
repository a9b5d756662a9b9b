#!/usr/bin/env bash
# Record real traffic between real programs, one capture per scenario, for the tshark cross-check.
#
#   make_traffic.sh OUTDIR
#
# Everything runs inside a private network namespace that this script creates, so the only
# interface is its own `lo`: no packet can reach or come from another machine, ports never clash
# with the host, and the captures hold nothing but the scenario's own traffic. Only 127.0.0.1 and
# ::1 are ever used.
#
# Scenarios (OUTDIR/NAME.pcap):
#   http4, http6     curl -> python3 -m http.server: a UTF-8 HTML page (Chinese text) and a 404
#   dns              dig -> dnsmasq: A, AAAA, CNAME, MX, TXT, NXDOMAIN over UDP, and A over TCP
#   tcp_text         nc <-> nc over TCP (IPv4 and IPv6), text including 你好, both directions
#   udp_text         nc <-> nc over UDP (IPv4 and IPv6), a datagram each way
#   icmp_unreach     a UDP datagram to a closed port: ICMP / ICMPv6 port unreachable
#   ping             ping -c 2 127.0.0.1 and ping -6 -c 2 ::1
#   ip_frag          ping -R (IPv4 options); 3000-byte pings and UDP datagrams over a 1500-byte
#                    MTU: IPv4 fragments and IPv6 Fragment headers
#
# A scenario whose programs are missing is skipped with a message naming them (set
# OSILAB_XCHECK_REQUIRE_ALL=1 to make that an error, as CI should). Exit status: 0 when every
# scenario that could run produced its capture, 77 when nothing can run here (no capture tool,
# no way to make a network namespace), 1 on a failure.
set -u
set -o pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
readonly SELF
readonly SKIP=77
readonly OVERALL_TIMEOUT=${OSILAB_XCHECK_TIMEOUT:-150}

say() { printf 'make_traffic: %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Outside the namespace: check the tools, then re-run this script inside a fresh one.
# ---------------------------------------------------------------------------------------------
outer() {
    if [[ $# -ne 1 ]]; then
        echo "usage: $0 OUTDIR" >&2
        exit 2
    fi
    local outdir
    mkdir -p "$1" || exit 1
    outdir=$(readlink -f "$1")

    local missing=()
    for tool in unshare ip ss timeout; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if ! command -v tcpdump >/dev/null && ! command -v dumpcap >/dev/null; then
        missing+=("tcpdump (or dumpcap)")
    fi
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "cannot record anything, missing: ${missing[*]}"
        say "install with: apt-get install util-linux iproute2 coreutils tcpdump"
        exit $SKIP
    fi

    # Root only needs a network namespace. A normal user also needs a user namespace; mapping the
    # user to itself and keeping the namespace's capabilities (instead of --map-root-user) lets
    # tcpdump run without trying to switch to its 'tcpdump' account, which a user namespace
    # cannot do.
    local how=()
    if [[ $(id -u) -eq 0 && -z ${OSILAB_XCHECK_USERNS:-} ]]; then
        how=(unshare --net)
    elif [[ ${OSILAB_XCHECK_USERNS:-} != map-root ]] \
        && unshare --help 2>&1 | grep -q -- --map-current-user; then
        how=(unshare --user --map-current-user --keep-caps --net)
    else
        how=(unshare --user --map-root-user --net)
    fi
    if ! "${how[@]}" true 2>/dev/null; then
        say "cannot create a private network namespace with: ${how[*]}"
        say "user namespaces may be disabled; try:" \
            "sudo sysctl -w kernel.unprivileged_userns_clone=1"
        say "(or kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu), or run as root"
        exit $SKIP
    fi
    say "recording into $outdir inside: ${how[*]}"
    OSILAB_XCHECK_INNER=1 timeout --kill-after=5 "$OVERALL_TIMEOUT" \
        "${how[@]}" bash "$SELF" "$outdir"
    local rc=$?
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        say "FAILED: gave up after ${OVERALL_TIMEOUT}s"
        exit 1
    fi
    exit $rc
}

# ---------------------------------------------------------------------------------------------
# Inside the namespace.
# ---------------------------------------------------------------------------------------------
OUT=
WORK=
PIDS=()          # background processes this script started (servers, capture)
SKIPPED=()
FAILED=()
PRODUCED=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    [[ -n $WORK ]] && rm -rf "$WORK"
}

forget_pid() {
    local keep=() p
    for p in "${PIDS[@]}"; do [[ $p != "$1" ]] && keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# Bounded poll: run "$@" every 50 ms until it succeeds or about $1 seconds have passed.
wait_until() {
    local seconds=$1
    shift
    local tries=$((seconds * 20)) i
    for ((i = 0; i < tries; i++)); do
        "$@" && return 0
        sleep 0.05
    done
    return 1
}

listening_tcp() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
listening_udp() { ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; }
file_has() { grep -q "$2" "$1" 2>/dev/null; }

need() {
    local scenario=$1 missing=() tool
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "SKIPPED $scenario: missing ${missing[*]}" \
            "(apt-get install curl dnsutils dnsmasq-base netcat-openbsd iputils-ping python3)"
        SKIPPED+=("$scenario")
        return 1
    fi
    return 0
}

# Start a server in the background and remember its pid.
start_bg() {
    local log=$1
    shift
    "$@" >"$log" 2>&1 &
    PIDS+=($!)
    LAST_PID=$!
}

stop_bg() {
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    forget_pid "$1"
}

CAP_PID=
CAP_FILE=
CAP_ERR=

capture_start() {
    CAP_FILE="$OUT/$1.pcap"
    CAP_ERR="$WORK/$1.capture.log"
    rm -f "$CAP_FILE"
    if command -v tcpdump >/dev/null && [[ $(id -u) -ne 0 || -z ${OSILAB_XCHECK_MAPPED_ROOT:-} ]]
    then
        # -U with --immediate-mode: every packet is written the moment the kernel hands it over.
        tcpdump -i lo -n -U --immediate-mode -s 262144 -w "$CAP_FILE" 2>"$CAP_ERR" &
        CAP_PID=$!
        PIDS+=("$CAP_PID")
        # tcpdump says "listening on" once the capture socket is bound: from then on, nothing
        # on lo is missed.
        if ! wait_until 10 file_has "$CAP_ERR" "listening on"; then
            say "tcpdump did not start: $(cat "$CAP_ERR")"
            return 1
        fi
    else
        dumpcap -i lo -n -P -q -s 262144 -w "$CAP_FILE" 2>"$CAP_ERR" &
        CAP_PID=$!
        PIDS+=("$CAP_PID")
        if ! wait_until 10 file_has "$CAP_ERR" "^File:"; then
            say "dumpcap did not start: $(cat "$CAP_ERR")"
            return 1
        fi
        # dumpcap writes the file header before its capture loop starts; wait for that too.
        wait_until 5 test -s "$CAP_FILE"
    fi
    return 0
}

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

capture_stop() {
    # Wait until the file has stopped growing (the last ACK or FIN of a teardown may still be on
    # its way after the client exits), bounded to about 3 seconds, then stop the capture.
    local last=-1 now stable=0 i
    for ((i = 0; i < 60 && stable < 4; i++)); do
        now=$(size_of "$CAP_FILE")
        if [[ $now == "$last" ]]; then stable=$((stable + 1)); else stable=0; fi
        last=$now
        sleep 0.05
    done
    kill -INT "$CAP_PID" 2>/dev/null
    local k
    for ((k = 0; k < 100; k++)); do
        kill -0 "$CAP_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill "$CAP_PID" 2>/dev/null
    wait "$CAP_PID" 2>/dev/null
    forget_pid "$CAP_PID"
    if [[ ! -s $CAP_FILE ]] || [[ $(size_of "$CAP_FILE") -le 24 ]]; then
        say "capture $CAP_FILE is empty: $(cat "$CAP_ERR")"
        return 1
    fi
    PRODUCED+=("$(basename "$CAP_FILE")")
    return 0
}

run_scenario() {
    local name=$1
    shift
    say "scenario $name"
    if ! "$@"; then
        say "FAILED scenario $name"
        FAILED+=("$name")
        # leave no stray capture running into the next scenario
        if [[ -n $CAP_PID ]] && kill -0 "$CAP_PID" 2>/dev/null; then
            kill "$CAP_PID" 2>/dev/null
            wait "$CAP_PID" 2>/dev/null
            forget_pid "$CAP_PID"
        fi
    fi
    CAP_PID=
}

# Clients never wait long: each one is bounded.
client() { timeout 10 "$@"; }

# ---- HTTP ---------------------------------------------------------------------------------------

make_site() {
    mkdir -p "$WORK/www"
    cat >"$WORK/www/hello.html" <<'EOF'
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>OSI Lab 网络实验</title></head>
<body><p>你好，世界! Hello from the OSI Lab loopback.</p></body></html>
EOF
}

http_scenario() {
    local bind=$1 port=$2 host=$3
    need "http" python3 curl || return 0
    make_site
    start_bg "$WORK/http.$port.log" python3 -m http.server "$port" --bind "$bind" \
        --directory "$WORK/www"
    local server=$LAST_PID
    if ! wait_until 10 listening_tcp "$port"; then
        say "http.server did not listen on $bind port $port: $(cat "$WORK/http.$port.log")"
        stop_bg "$server"
        return 1
    fi
    capture_start "$4" || { stop_bg "$server"; return 1; }
    local ok=0
    # --noproxy: a proxy from the environment must never see these requests.
    client curl -sS --noproxy '*' -o /dev/null "http://$host:$port/hello.html" || ok=1
    client curl -sS --noproxy '*' -o /dev/null "http://$host:$port/no-such-page.html" || ok=1
    capture_stop || ok=1
    stop_bg "$server"
    return $ok
}

# ---- DNS ----------------------------------------------------------------------------------------

dns_scenario() {
    need "dns" dnsmasq dig || return 0
    local user_opts=()
    # As real root dnsmasq would switch to 'nobody'; keep it simple and stay who we are.
    [[ $(id -u) -eq 0 ]] && user_opts=(--user=root --group=root)
    start_bg "$WORK/dnsmasq.log" dnsmasq --no-daemon --conf-file=/dev/null --no-resolv \
        --no-hosts --port=53 --listen-address=127.0.0.1 --bind-interfaces \
        --local=/osilab.test/ --local-ttl=300 \
        --host-record=www.osilab.test,127.0.0.10,::10 \
        --host-record=v6only.osilab.test,::20 \
        --cname=alias.osilab.test,www.osilab.test \
        --mx-host=osilab.test,mail.osilab.test,10 \
        --host-record=mail.osilab.test,127.0.0.25 \
        '--txt-record=osilab.test,hello world,你好，世界' \
        "${user_opts[@]}"
    local server=$LAST_PID
    if ! wait_until 10 listening_udp 53 || ! wait_until 5 listening_tcp 53; then
        say "dnsmasq did not listen on 127.0.0.1:53: $(cat "$WORK/dnsmasq.log")"
        stop_bg "$server"
        return 1
    fi
    capture_start dns || { stop_bg "$server"; return 1; }
    local ok=0 q
    local dig=(dig @127.0.0.1 -p 53 +tries=1 +time=3)
    for q in "www.osilab.test A" "www.osilab.test AAAA" "alias.osilab.test A" \
             "osilab.test MX" "osilab.test TXT" "nope.osilab.test A"; do
        # shellcheck disable=SC2086
        client "${dig[@]}" $q >"$WORK/dig.out" 2>&1 || { ok=1; cat "$WORK/dig.out" >&2; }
    done
    grep -q NXDOMAIN "$WORK/dig.out" || { say "expected NXDOMAIN for nope.osilab.test"; ok=1; }
    client "${dig[@]}" +tcp www.osilab.test A >"$WORK/dig.out" 2>&1 \
        || { ok=1; cat "$WORK/dig.out" >&2; }
    capture_stop || ok=1
    stop_bg "$server"
    return $ok
}

# ---- TCP and UDP text with netcat -------------------------------------------------------------

tcp_text_scenario() {
    need "tcp_text" nc || return 0
    capture_start tcp_text || return 1
    local ok=0 addr port=9000
    for addr in 127.0.0.1 ::1; do
        port=$((port + 1))
        # Each side sends its text, shuts its half down (-N) and exits once the other side has
        # closed too: a full handshake, data both ways and a FIN teardown.
        printf '服务器: 你好! server says hello\n' \
            | timeout 10 nc -N -l "$addr" "$port" >"$WORK/tcp_server.out" 2>&1 &
        local server=$!
        PIDS+=("$server")
        wait_until 10 listening_tcp "$port" || { say "nc did not listen on $port"; ok=1; }
        printf 'client: 你好, OSI Lab!\nsecond line\n' \
            | client nc -N "$addr" "$port" >"$WORK/tcp_client.out" 2>&1 || ok=1
        wait "$server" || ok=1
        forget_pid "$server"
        grep -q '你好' "$WORK/tcp_client.out" || { say "tcp client got no reply"; ok=1; }
    done
    capture_stop || ok=1
    return $ok
}

udp_text_scenario() {
    need "udp_text" nc || return 0
    capture_start udp_text || return 1
    local ok=0 addr port=9100
    for addr in 127.0.0.1 ::1; do
        port=$((port + 1))
        # The listener answers the first datagram with its own text; the client leaves after
        # one datagram back (-W 1), so nobody waits on a timer.
        printf 'server: 你好 UDP\n' \
            | timeout 10 nc -u -l "$addr" "$port" >"$WORK/udp_server.out" 2>&1 &
        local server=$!
        PIDS+=("$server")
        wait_until 10 listening_udp "$port" || { say "nc did not listen on udp $port"; ok=1; }
        printf 'client: 你好, datagram!\n' \
            | client nc -u -W 1 "$addr" "$port" >"$WORK/udp_client.out" 2>&1 || ok=1
        stop_bg "$server"
        grep -q '你好' "$WORK/udp_client.out" || { say "udp client got no reply"; ok=1; }
    done
    capture_stop || ok=1
    return $ok
}

# ---- ICMP -------------------------------------------------------------------------------------

icmp_unreach_scenario() {
    need "icmp_unreach" python3 || return 0
    capture_start icmp_unreach || return 1
    local ok=0
    # A connected UDP socket learns of the ICMP error as ECONNREFUSED: that is the event we wait
    # for, not a timer.
    client python3 - <<'EOF' || ok=1
import socket, sys
for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.connect((addr, 9))  # discard port: nothing listens on it here
    s.send("nobody is listening 你好\n".encode())
    try:
        s.recv(100)
        sys.exit(f"{addr}: expected a port unreachable error")
    except ConnectionRefusedError:
        pass
    s.close()
EOF
    capture_stop || ok=1
    return $ok
}

ping_scenario() {
    need "ping" ping || return 0
    capture_start ping || return 1
    local ok=0
    client ping -n -c 2 -i 0.2 -W 2 127.0.0.1 >/dev/null || ok=1
    client ping -6 -n -c 2 -i 0.2 -W 2 ::1 >/dev/null || ok=1
    capture_stop || ok=1
    return $ok
}

# IPv4 options (ping -R records the route in the IP header) and fragments: with lo's MTU
# lowered to Ethernet's 1500, 3000-byte pings and UDP datagrams are split into IPv4 fragments
# and IPv6 Fragment headers.
ip_frag_scenario() {
    need "ip_frag" ping python3 || return 0
    ip link set lo mtu 1500 || return 1
    capture_start ip_frag || { ip link set lo mtu 65536; return 1; }
    local ok=0
    client ping -n -c 1 -R 127.0.0.1 >/dev/null || ok=1
    client ping -n -c 1 -s 3000 127.0.0.1 >/dev/null || ok=1
    client ping -6 -n -c 1 -s 3000 ::1 >/dev/null || ok=1
    client python3 - <<'PYEOF' || ok=1
import socket
for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    rx = socket.socket(family, socket.SOCK_DGRAM)
    rx.bind((addr, 0))
    rx.settimeout(5)
    tx = socket.socket(family, socket.SOCK_DGRAM)
    message = ("分片 fragment %s " % addr).encode() * 150
    tx.sendto(message, rx.getsockname()[:2])
    assert rx.recv(65536) == message  # reassembled by the kernel: every fragment arrived
PYEOF
    capture_stop || ok=1
    ip link set lo mtu 65536 || ok=1
    return $ok
}

inner() {
    OUT=$1
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/osilab-traffic.XXXXXX") || exit 1
    trap cleanup EXIT
    trap 'exit 1' INT TERM
    [[ $(id -u) -eq 0 && -r /proc/self/uid_map ]] \
        && ! grep -q '^ *0 *0 ' /proc/self/uid_map && export OSILAB_XCHECK_MAPPED_ROOT=1

    ip link set lo up || { say "cannot bring lo up"; exit 1; }
    # Nothing but lo may be up here (a fresh namespace may hold tunnel devices such as sit0,
    # always down): refuse to run if this does not look like a private namespace.
    if ip -o link show up | grep -v ': lo[:@]' | grep -q .; then
        say "refusing to run: this network namespace has interfaces up other than lo"
        exit 1
    fi

    run_scenario http4 http_scenario 127.0.0.1 8000 127.0.0.1 http4
    run_scenario http6 http_scenario ::1 8001 '[::1]' http6
    run_scenario dns dns_scenario
    run_scenario tcp_text tcp_text_scenario
    run_scenario udp_text udp_text_scenario
    run_scenario icmp_unreach icmp_unreach_scenario
    run_scenario ping ping_scenario
    run_scenario ip_frag ip_frag_scenario

    say "produced: ${PRODUCED[*]:-nothing}"
    if [[ ${#SKIPPED[@]} -gt 0 ]]; then
        say "skipped (tools missing): ${SKIPPED[*]}"
        [[ -n ${OSILAB_XCHECK_REQUIRE_ALL:-} ]] && FAILED+=("${SKIPPED[@]}")
    fi
    if [[ ${#FAILED[@]} -gt 0 ]]; then
        say "FAILED: ${FAILED[*]}"
        exit 1
    fi
    [[ ${#PRODUCED[@]} -eq 0 ]] && exit $SKIP
    exit 0
}

if [[ -n ${OSILAB_XCHECK_INNER:-} ]]; then
    inner "$@"
else
    outer "$@"
fi
