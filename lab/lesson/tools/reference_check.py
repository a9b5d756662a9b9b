#!/usr/bin/env python3
"""Reference check: runs lessons with real sockets and checks every expectation against the kernel.

    python3 lab/lesson/tools/reference_check.py lessons/*.json        # each in a private netns
    python3 lab/lesson/tools/reference_check.py --here -v lessons/x.json  # already inside one

It implements the runner's contract of lessons/README.md in a few hundred lines of Python (packets
from an AF_PACKET socket on lo, states from `ss`), so the lessons could be verified against the
kernel before the C++ runner existed, and so that runner has an executable reference. It trusts
the C++ loader for validation (run lesson_tests first) and is not part of the product: `osilab
check` replaces it.
"""
import argparse, json, os, queue, re, socket, struct, subprocess, sys, tempfile, threading, time

FLAGS = [("FIN", 1), ("SYN", 2), ("RST", 4), ("PSH", 8), ("ACK", 16), ("URG", 32), ("ECE", 64), ("CWR", 128)]
OPTS = {"SO_REUSEADDR": (socket.SOL_SOCKET, socket.SO_REUSEADDR), "SO_REUSEPORT": (socket.SOL_SOCKET, socket.SO_REUSEPORT),
        "SO_KEEPALIVE": (socket.SOL_SOCKET, socket.SO_KEEPALIVE), "SO_BROADCAST": (socket.SOL_SOCKET, socket.SO_BROADCAST),
        "SO_RCVBUF": (socket.SOL_SOCKET, socket.SO_RCVBUF), "SO_SNDBUF": (socket.SOL_SOCKET, socket.SO_SNDBUF),
        "SO_RCVTIMEO": (socket.SOL_SOCKET, socket.SO_RCVTIMEO), "SO_SNDTIMEO": (socket.SOL_SOCKET, socket.SO_SNDTIMEO),
        "SO_LINGER": (socket.SOL_SOCKET, socket.SO_LINGER), "TCP_NODELAY": (socket.IPPROTO_TCP, socket.TCP_NODELAY)}
SS_STATE = {"ESTAB": "ESTABLISHED", "UNCONN": "CLOSED"}
CALL_TIMEOUT = 5.0


def flags_of(text):
    if text in ("UDP", "ICMP port unreachable"):
        return None
    v = 0
    for f in text.split(","):
        v |= dict(FLAGS)[f.strip()]
    return v


def kind_of(text):
    return "udp" if text == "UDP" else "icmp" if text == "ICMP port unreachable" else "tcp"


class Capture:
    def __init__(self):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        self.s.bind(("lo", 0))
        self.s.settimeout(0.01)
        self.packets = []
        self.last = time.monotonic()
        self.stop = False
        self.lock = threading.Lock()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while not self.stop:
            try:
                data, addr = self.s.recvfrom(65535)
            except socket.timeout:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            with self.lock:
                self.packets.append(parse_frame(data))
                self.last = time.monotonic()

    def settle(self, quiet):
        """Quiet for `quiet` seconds, counted from now or from the last packet, whichever is later."""
        start = time.monotonic()
        while True:
            with self.lock:
                idle = time.monotonic() - max(self.last, start)
            if idle >= quiet:
                return
            time.sleep(quiet - idle)


def parse_frame(d):
    et = struct.unpack("!H", d[12:14])[0]
    p = d[14:]
    pk = {"kind": None, "ip": 0, "flags": 0, "src": None, "dst": None, "payload": b""}
    if et == 0x0800:
        ihl = (p[0] & 15) * 4
        proto = p[9]
        tot = struct.unpack("!H", p[2:4])[0]
        l4 = p[ihl:tot]
        src, dst = socket.inet_ntop(socket.AF_INET, p[12:16]), socket.inet_ntop(socket.AF_INET, p[16:20])
        pk["ip"] = 4
    elif et == 0x86DD:
        proto = p[6]
        pl = struct.unpack("!H", p[4:6])[0]
        l4 = p[40:40 + pl]
        src, dst = socket.inet_ntop(socket.AF_INET6, p[8:24]), socket.inet_ntop(socket.AF_INET6, p[24:40])
        pk["ip"] = 6
    else:
        return pk
    if proto == 6:
        sp, dp = struct.unpack("!HH", l4[:4])
        off = (l4[12] >> 4) * 4
        pk.update(kind="tcp", flags=l4[13], src=(src, sp), dst=(dst, dp), payload=bytes(l4[off:]))
    elif proto == 17:
        sp, dp = struct.unpack("!HH", l4[:4])
        pk.update(kind="udp", src=(src, sp), dst=(dst, dp), payload=bytes(l4[8:]))
    elif (proto == 1 and l4[0] == 3 and l4[1] == 3) or (proto == 58 and l4[0] == 1 and l4[1] == 4):
        pk.update(kind="icmp")
    return pk


def norm(addr):
    """(host, port) from Python's address forms; unix paths stay strings."""
    if isinstance(addr, tuple):
        return (addr[0], addr[1])
    return addr


class Sock:
    def __init__(self, actor, name, obj):
        self.actor, self.name, self.obj = actor, name, obj
        self.local = None
        self.peer = None
        self.listening = False
        self.tcp = obj.type == socket.SOCK_STREAM and obj.family != socket.AF_UNIX

    def refresh(self):
        try:
            self.local = norm(self.obj.getsockname())
        except OSError:
            pass
        try:
            self.peer = norm(self.obj.getpeername())
        except OSError:
            pass


class Runner:
    def __init__(self, lesson, settle_ms, verbose):
        self.L = lesson
        self.settle = settle_ms / 1000.0
        self.verbose = verbose
        self.sockets = {}      # (actor, name) -> Sock (current definition)
        self.all_sockets = []  # every Sock ever made
        self.messages = {}     # (actor, name) -> (bytes, addr)
        self.jobs = {a["name"]: queue.Queue() for a in lesson["actors"]}
        self.pending = {}      # actor -> (step index, job)
        self.failures = []
        self.cap = Capture()
        for a in lesson["actors"]:
            threading.Thread(target=self.actor_loop, args=(a["name"],), daemon=True).start()

    def actor_loop(self, actor):
        while True:
            job = self.jobs[actor].get()
            job["run"]()
            job["done"].set()

    # --- owners of addresses --------------------------------------------------------------
    @staticmethod
    def same(a, b):
        """a is a socket's local address, b a packet's: a wildcard host (autobind) matches any."""
        if a is None or b is None or isinstance(a, str) or isinstance(b, str):
            return a == b
        return a[1] == b[1] and (a[0] == b[0] or a[0] in ("0.0.0.0", "::"))

    def owner(self, local, peer=None):
        if local is None:
            return None
        for s in self.all_sockets:
            if self.same(s.local, local) and peer is not None and s.peer == peer:
                return s
        for s in self.all_sockets:
            if self.same(s.local, local) and (s.peer is None or s.listening):
                return s
        for s in self.all_sockets:
            if self.same(s.local, local):
                return s
        return None

    def ref_matches(self, ref, sock):
        if ref is None:
            return True
        if sock is None:
            return False
        actor, _, name = ref.partition(".")
        return sock.actor == actor and (not name or sock.name == name)

    # --- calls ------------------------------------------------------------------------------
    def addr_of(self, text):
        if text.startswith("["):
            host, port = text[1:].split("]:")
            return (host, int(port))
        if ":" in text:
            host, port = text.rsplit(":", 1)
            return (host, int(port))
        return text

    def payload(self, actor, st):
        if "data" in st:
            return st["data"].encode()
        df = st["data_from"]
        msg = self.messages[(actor, df["strftime"])][0].decode()
        return time.strftime(msg or df["default"]).encode()

    def execute(self, st, out):
        actor, call = st["actor"], st["call"]
        sk = self.sockets.get((actor, st.get("sock"))) if "sock" in st else None
        o = sk.obj if sk else None
        try:
            if call == "socket":
                fam = {"inet": socket.AF_INET, "inet6": socket.AF_INET6, "unix": socket.AF_UNIX}[st["family"]]
                typ = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM}[st["type"]]
                proto = {"default": 0, "tcp": socket.IPPROTO_TCP, "udp": socket.IPPROTO_UDP}[st.get("proto", "default")]
                s = socket.socket(fam, typ, proto)
                new = Sock(actor, st["as"], s)
                self.sockets[(actor, st["as"])] = new
                self.all_sockets.append(new)
                out["result"] = s.fileno()
            elif call == "setsockopt":
                level, opt = OPTS[st["option"]]
                v = st["value"]
                if st["option"] in ("SO_RCVTIMEO", "SO_SNDTIMEO"):
                    o.setsockopt(level, opt, struct.pack("ll", v // 1000, (v % 1000) * 1000))
                elif st["option"] == "SO_LINGER":
                    o.setsockopt(level, opt, struct.pack("ii", 1, v))
                else:
                    o.setsockopt(level, opt, v)
            elif call == "bind":
                o.bind(self.addr_of(st["addr"]))
            elif call == "listen":
                o.listen(st["backlog"])
                sk.listening = True
            elif call == "accept":
                c, addr = o.accept()
                new = Sock(actor, st["as"], c)
                new.refresh()
                self.sockets[(actor, st["as"])] = new
                self.all_sockets.append(new)
                out["peer"] = norm(addr)
            elif call == "connect":
                o.connect(self.addr_of(st["addr"]))
            elif call == "send":
                out["result"] = o.send(self.payload(actor, st))
            elif call == "sendall":
                data = self.payload(actor, st)
                o.sendall(data)
                out["result"] = len(data)
            elif call == "recv":
                data = o.recv(st["bufsize"])
                out["result"], out["data"] = len(data), data
                if "as" in st:
                    self.messages[(actor, st["as"])] = (data, None)
            elif call == "sendto":
                to = self.addr_of(st["addr"]) if "addr" in st else self.messages[(actor, st["to"])][1]
                out["result"] = o.sendto(self.payload(actor, st), to)
            elif call == "recvfrom":
                data, addr = o.recvfrom(st["bufsize"])
                out["result"], out["data"], out["peer"] = len(data), data, norm(addr)
                if "as" in st:
                    self.messages[(actor, st["as"])] = (data, addr)
            elif call == "shutdown":
                o.shutdown({"rd": socket.SHUT_RD, "wr": socket.SHUT_WR, "rdwr": socket.SHUT_RDWR}[st["how"]])
            elif call == "close":
                o.close()
            else:
                raise RuntimeError("unknown call " + call)
            out["error"] = 0
        except OSError as e:
            out["error"] = e.errno or -1
        if sk and call != "close":
            sk.refresh()
        out["returned"] = True

    # --- states -------------------------------------------------------------------------------
    def states(self):
        text = subprocess.run(["ss", "-tanH"], capture_output=True, text=True).stdout
        rows = []
        for line in text.splitlines():
            parts = line.split()
            st = SS_STATE.get(parts[0], parts[0])

            def ep(t):
                host, _, port = t.rpartition(":")
                host = host.strip("[]")
                return (host, int(port)) if port != "*" else None
            rows.append((st, ep(parts[3]), ep(parts[4])))
        return rows

    def state_of(self, s, rows):
        for st, local, peer in rows:
            if local == s.local and peer is not None and peer == s.peer:
                return st
        if s.listening:
            for st, local, peer in rows:
                if st == "LISTEN" and local == s.local and s.obj.fileno() != -1:
                    return st
        return "CLOSED"

    # --- checks ------------------------------------------------------------------------------
    def fail(self, i, what):
        self.failures.append(f"/steps/{i}: {what}")
        print(f"   !! MISMATCH: {what}")

    def check_call(self, i, st, out):
        ex = st.get("expect", {})
        name = st["call"] + "()"
        if ex.get("pending") and not out.get("pending_at_step_end"):
            self.fail(i, name + " was expected to stay blocked, but it returned in its step")
        if not out.get("returned"):
            self.fail(i, name + " never returned")
            return
        err = out["error"]
        if "error" in ex:
            want = getattr(__import__("errno"), ex["error"])
            if err != want:
                self.fail(i, f"{name} expected {ex['error']}, got {err and os.strerror(err)}")
            return
        if err:
            import errno
            self.fail(i, f"{name} failed with {errno.errorcode.get(err, err)} but should succeed")
            return
        if "returns" in ex and ex["returns"] != out.get("result"):
            self.fail(i, f"{name} returned {out.get('result')}, expected {ex['returns']}")
        if "data" in ex and ex["data"].encode() != out.get("data"):
            self.fail(i, f"{name} received {out.get('data')!r}, expected {ex['data']!r}")
        if "data_matches" in ex and not re.fullmatch(ex["data_matches"], out.get("data", b"").decode()):
            self.fail(i, f"{name} received {out.get('data')!r}, not matching {ex['data_matches']}")
        if "peer" in ex:
            owner = self.owner(out.get("peer"))
            if not self.ref_matches(ex["peer"], owner):
                self.fail(i, f"{name} peer {out.get('peer')} is {owner and owner.actor}, expected {ex['peer']}")

    def pattern_matches(self, pat, pk):
        if isinstance(pat, str):
            pat = {"kind": pat}
        if pk["kind"] != kind_of(pat["kind"]):
            return False
        if pk["kind"] == "tcp" and pk["flags"] != flags_of(pat["kind"]):
            return False
        if "ip" in pat and pat["ip"] != pk["ip"]:
            return False
        if "len" in pat and pat["len"] != len(pk["payload"]):
            return False
        if "data" in pat and pat["data"].encode() != pk["payload"]:
            return False
        if "from" in pat and not self.ref_matches(pat["from"], self.owner(pk["src"], pk["dst"])):
            return False
        if "to" in pat and not self.ref_matches(pat["to"], self.owner(pk["dst"], pk["src"])):
            return False
        return True

    def describe(self, pk):
        if pk["kind"] is None:
            return "other"
        if pk["kind"] == "icmp":
            return "ICMP port unreachable"
        s, d = self.owner(pk["src"], pk["dst"]), self.owner(pk["dst"], pk["src"])
        who = f"{s.actor + '.' + s.name if s else pk['src']} -> {d.actor + '.' + d.name if d else pk['dst']}"
        what = "UDP" if pk["kind"] == "udp" else ",".join(n for n, b in FLAGS if pk["flags"] & b)
        return f"{who} {what} len={len(pk['payload'])}"

    def check_packets(self, i, ex, packets):
        if "packets" in ex:
            pats = ex["packets"]
            ok = len(pats) == len(packets) and all(self.pattern_matches(p, k) for p, k in zip(pats, packets))
        elif "packets_include" in ex:
            pats = ex["packets_include"]
            n = 0
            for k in packets:
                if n < len(pats) and self.pattern_matches(pats[n], k):
                    n += 1
            ok = n == len(pats)
        else:
            return
        if not ok:
            self.fail(i, f"packets expected {pats}, captured {[self.describe(k) for k in packets]}")

    # --- the lesson ---------------------------------------------------------------------------
    def run(self):
        for i, st in enumerate(self.L["steps"]):
            actor = st["actor"]
            ex = st.get("expect", {})
            if actor in self.pending:
                pi, pjob = self.pending.pop(actor)
                if not pjob["done"].wait(CALL_TIMEOUT):
                    self.fail(pi, "pending call never returned")
            with self.cap.lock:
                first = len(self.cap.packets)
            out = {"returned": False}
            job = {"run": lambda st=st, out=out: self.execute(st, out), "done": threading.Event(), "out": out, "st": st, "i": i}
            self.jobs[actor].put(job)
            if ex.get("pending"):
                time.sleep(self.settle)
                self.cap.settle(self.settle)
                out["pending_at_step_end"] = not job["done"].is_set()
                self.pending[actor] = (i, job)
            else:
                if not job["done"].wait(CALL_TIMEOUT):
                    out["pending_at_step_end"] = True
                self.cap.settle(self.settle)
            with self.cap.lock:
                packets = self.cap.packets[first:]
            rows = self.states()
            res = out.get("error")
            print(f"[{i:2}] {actor:8} {st['call']}{'(' + st.get('sock', '') + ')'}"
                  f" -> {'pending' if not job['done'].is_set() else ('errno ' + str(res) if res else out.get('result', 'ok'))}"
                  f" {out.get('data', b'')!r:.60}")
            if self.verbose:
                for k in packets:
                    print("        pkt", self.describe(k))
            self.check_packets(i, ex, packets)
            if job["done"].is_set():
                self.check_call(i, st, out)
            else:
                job["check_later"] = True
            # pending calls that returned during this step get checked now
            for a, (pi, pjob) in list(self.pending.items()):
                if pjob["done"].is_set() and pjob.get("check_later") and pi != i:
                    self.check_call(pi, pjob["st"], pjob["out"])
                    pjob["check_later"] = False
            for key, want in ex.get("states", {}).items():
                a, _, n = key.rpartition(".")
                s = self.sockets.get((a or actor, n))
                got = self.state_of(s, rows) if s else "CLOSED"
                if self.verbose or got != want:
                    print(f"        state {a or actor}.{n} = {got}")
                if got != want:
                    self.fail(i, f"state of {key}: expected {want}, kernel shows {got}")
        for a, (pi, pjob) in self.pending.items():
            if not pjob["done"].wait(CALL_TIMEOUT):
                pjob["out"]["returned"] = False
            if pjob.get("check_later"):
                self.check_call(pi, pjob["st"], pjob["out"])
        return not self.failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lessons", nargs="+")
    ap.add_argument("--settle-ms", type=int, default=150)
    ap.add_argument("--here", action="store_true", help="run in this network namespace (lo up)")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    if not args.here:
        failed = 0
        for path in args.lessons:
            if path.endswith(".schema.json"):
                continue
            cmd = [sys.executable, os.path.abspath(__file__), "--here", "--settle-ms",
                   str(args.settle_ms)] + (["-v"] if args.v else []) + [os.path.abspath(path)]
            shell = "ip link set lo up && exec " + " ".join(f"'{c}'" for c in cmd)
            failed += subprocess.run(["unshare", "-rn", "sh", "-c", shell]).returncode != 0
        sys.exit(1 if failed else 0)
    if len(args.lessons) != 1:
        ap.error("--here runs one lesson")
    lesson = json.load(open(args.lessons[0]))
    os.chdir(tempfile.mkdtemp(prefix="osilab-run-"))
    print(f"== {lesson['id']}")
    ok = Runner(lesson, args.settle_ms, args.v).run()
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
