#!/usr/bin/env python3
"""Check that osilab's dissection agrees with tshark, field by field.

    crosscheck.py [options] OSILAB CAPTURE...

For every capture this runs `OSILAB show --json CAPTURE` and `tshark -r CAPTURE -T pdml`, pairs
the packets by frame number and checks, for every field osilab prints, that tshark has a field
of the same name in the same packet whose `show`, normalised, equals osilab's typed `value`, at
the same byte position and size whenever both sides say the field has bytes. It also compares
frame.number/len/cap_len/time_epoch, the layer protocol sequence (against frame.protocols), each
layer's byte span, and the per-packet extras (tcp.stream, udp.stream, frame.comment).

Output: a report grouped by field name, then `N passed, M failed` counting packets. The exit
status is 1 when anything disagrees, 2 on a usage or tool error, 0 otherwise.

Only the standard library is used (xml.etree for PDML), so any python3 runs it.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import decimal
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Iterable, Iterator

# ------------------------------------------------------------------------------------------------
# Policy: every exception to "tshark must agree" lives here, each with its reason.
# ------------------------------------------------------------------------------------------------

# tshark preferences for the comparison run. osilab dissects each frame on its own, so tshark is
# asked to do the same; otherwise it moves fields of a multi-segment message into the last
# segment, with positions in a reassembled buffer that are not frame offsets.
TSHARK_PREFS: list[tuple[str, str]] = [
    ("tcp.desegment_tcp_streams:FALSE",
     "osilab does not reassemble TCP: each segment's payload is dissected where it lies"),
    ("ip.defragment:FALSE", "osilab does not reassemble IPv4 fragments"),
    ("ipv6.defragment:FALSE", "osilab does not reassemble IPv6 fragments"),
    ("data.show_as_text:TRUE",
     "osilab also shows undissected payload as text (data.text); tshark prints data.text only "
     "with this preference, and then it can be checked like any other field"),
]
# Preferences above that must not be used for --summary: they change tshark's columns, not just
# its fields (data.show_as_text puts the payload text into the Info column).
FIELDS_ONLY_PREFS: frozenset[str] = frozenset({"data.show_as_text:TRUE"})

# Field names osilab may print although tshark never does (names containing ".osilab." are
# always allowed: they are ours by construction). name -> reason.
ALLOWLIST: dict[str, str] = {
}

# Per-packet keys of `osilab show --json` that are not tshark fields. key -> reason.
PACKET_KEYS_NOT_COMPARED: dict[str, str] = {
    "summary": "the packet-list columns; compared softly by --summary against tshark's columns",
    "layers": "compared field by field below",
    "problems": "osilab's teaching remarks; tshark's expert info is worded differently",
}

# LINKTYPE_* (what osilab's frame.link_type holds) -> Wireshark's WTAP_ENCAP_* (tshark's
# frame.encap_type). Link types not listed here are not compared.
LINKTYPE_TO_WTAP_ENCAP: dict[int, int] = {
    0: 15,     # NULL (BSD loopback)
    1: 1,      # ETHERNET
    101: 7,    # RAW (IPv4 or IPv6 by version nibble)
    108: 15,   # LOOP (OpenBSD loopback): tshark shows it as NULL too
    113: 25,   # LINUX_SLL
    228: 129,  # IPV4
    229: 130,  # IPV6
    276: 210,  # LINUX_SLL2
}

# tshark protocol names in frame.protocols that are not layers osilab shows: tshark's
# bookkeeping pseudo-protocols. name -> reason.
TSHARK_PSEUDO_PROTOCOLS: dict[str, str] = {
    "ethertype": "tshark's dispatch step after an EtherType, not a header of its own",
}
# tshark protocol name -> osilab layer protocol name, where they differ.
TSHARK_PROTOCOL_ALIASES: dict[str, str] = {
    "ieee8021ad": "vlan",  # 802.1ad (QinQ) outer tag: osilab shows every VLAN tag as "vlan"
}
# tshark protocols that are parts of an osilab layer rather than layers of their own, unless
# osilab prints them as layers: IPv6 extension headers belong to osilab's "ipv6" layer.
TSHARK_SUBLAYER_PREFIXES: tuple[str, ...] = ("ipv6.",)
# tshark's link pseudo-layer for LINKTYPE_RAW when osilab starts directly with the IP layer.
TSHARK_OPTIONAL_LINK: frozenset[str] = frozenset({"raw"})
# Protocols whose message quotes another packet (an ICMP error carries the start of the packet
# that caused it). tshark lists the quoted packet's protocols in frame.protocols; osilab shows
# them inside its ICMP layer (as fields named "ip", "udp"... spanning the quoted headers), so
# the sequence check stops after these unless osilab continues with layers of its own.
TSHARK_QUOTING_PROTOCOLS: frozenset[str] = frozenset({"icmp", "icmpv6"})

# Layers whose byte span means something different in tshark. protocol -> reason. Only the
# start is compared for these.
LAYER_SPAN_START_ONLY: dict[str, str] = {
    "icmp": "tshark's ICMP item covers the whole message; osilab's ICMP layer is the header, "
            "with the echo data as its own Data layer",
    "icmpv6": "as for icmp",
    "http": "tshark ends its HTTP item where a body dissector (xml, data-text-lines...) takes "
            "over; osilab's HTTP layer is the whole message",
}

# Protocols tshark finds from context osilab does not use, so osilab shows Data where tshark
# names the protocol: the payload is then compared like that of a protocol osilab does not know.
# name -> reason.
TSHARK_CONTEXT_ONLY: dict[str, str] = {
    "http": "an HTTP body continuing in a later TCP segment: tshark remembers the stream is HTTP "
            "(\"Continuation\"); osilab does not reassemble, so it shows the segment as data",
    "dns": "DNS on a port other than 53/5353: tshark recognises it by a heuristic osilab lacks",
}

# Protocol layers osilab knows (lab/packet/protocol.cpp). A tshark protocol not in this set (quic,
# tls, syslog, xml, data-text-lines...) is payload osilab leaves as Data, so the sequence check
# stops there.
OSILAB_PROTOCOLS: frozenset[str] = frozenset({
    "eth", "vlan", "sll", "null", "raw", "arp", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp",
    "dns", "http", "data",
})

MAX_EXAMPLES_DEFAULT = 5
SKIP = 77  # CTest SKIP_RETURN_CODE

# ------------------------------------------------------------------------------------------------
# tshark's PDML
# ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class TsharkField:
    name: str
    show: str | None
    pos: int | None
    size: int | None
    proto: str  # the protocol element it sits in


@dataclasses.dataclass
class TsharkProto:
    name: str
    pos: int | None
    size: int | None


@dataclasses.dataclass
class TsharkPacket:
    number: int
    length: int | None = None
    cap_len: int | None = None
    time_epoch: str | None = None
    encap_type: int | None = None
    protocols: list[str] = dataclasses.field(default_factory=list)
    fields: dict[str, list[TsharkField]] = dataclasses.field(default_factory=dict)
    protos: list[TsharkProto] = dataclasses.field(default_factory=list)
    proto_items: dict[str, list[TsharkField]] = dataclasses.field(default_factory=dict)
    comments: list[str] = dataclasses.field(default_factory=list)


_QUOTED = re.compile(r'"[^"]*"')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Control characters other than \t \n \r cannot appear in XML even as references; they are
# moved to the private-use area on both sides of the comparison.
PRIVATE_BASE = 0xE000


def _protect_control(m: re.Match[str]) -> str:
    c = m.group(0)
    if c == "\t":
        return "&#9;"
    if c == "\n":
        return "&#10;"
    if c == "\r":
        return "&#13;"
    return chr(PRIVATE_BASE + ord(c))


def _protect_attribute(m: re.Match[str]) -> str:
    s = m.group(0)
    if not _CONTROL.search(s):
        return s
    return _CONTROL.sub(_protect_control, s)


def protect_pdml(text: str) -> str:
    """tshark writes some `show` values with raw CR/LF (e.g. http.request.line); an XML parser
    would normalise those to spaces. PDML has no text content and escapes every '"' inside
    values, so each "..." is exactly one attribute value and can be fixed up in place."""
    return _QUOTED.sub(_protect_attribute, text)


def _int_attr(e: ET.Element, key: str) -> int | None:
    v = e.get(key)
    if v is None:
        return None
    try:
        return int(v)
    except ValueError:
        return None


def parse_pdml(text: str) -> Iterator[TsharkPacket]:
    root_iter = ET.iterparse(_StringSource(protect_pdml(text)), events=("end",))
    for _event, elem in root_iter:
        if elem.tag != "packet":
            continue
        yield _packet_from_element(elem)
        elem.clear()


class _StringSource:
    """A file-like object over a str, encoded as UTF-8, for iterparse."""

    def __init__(self, text: str) -> None:
        self._data = text.encode("utf-8", "surrogatepass")
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        if n < 0:
            n = len(self._data) - self._pos
        chunk = self._data[self._pos:self._pos + n]
        self._pos += len(chunk)
        return chunk


def _packet_from_element(packet: ET.Element) -> TsharkPacket:
    pkt = TsharkPacket(number=-1)

    def walk(elem: ET.Element, proto: str) -> None:
        for child in elem:
            if child.tag == "proto":
                name = child.get("name", "")
                if name not in ("geninfo", "frame", "fake-field-wrapper", "data"):
                    pkt.protos.append(TsharkProto(name, _int_attr(child, "pos"),
                                                  _int_attr(child, "size")))
                if name == "geninfo":
                    for f in child:
                        if f.get("name") == "num":
                            pkt.number = int(f.get("show", "-1"))
                walk(child, name)
            elif child.tag == "field":
                name = child.get("name", "")
                if name:
                    tf = TsharkField(name, child.get("show"), _int_attr(child, "pos"),
                                     _int_attr(child, "size"), proto)
                    pkt.fields.setdefault(name, []).append(tf)
                    if name == "data.data":
                        # tshark prints the Data protocol as a field without position (or as
                        # a "fake-field-wrapper"): its bytes are those of data.data
                        pkt.protos.append(TsharkProto("data", tf.pos, tf.size))
                walk(child, proto)

    walk(packet, "")
    first = lambda n: (pkt.fields.get(n) or [None])[0]  # noqa: E731
    if (f := first("frame.number")) is not None and f.show is not None:
        pkt.number = int(f.show)
    if (f := first("frame.len")) is not None and f.show is not None:
        pkt.length = int(f.show)
    if (f := first("frame.cap_len")) is not None and f.show is not None:
        pkt.cap_len = int(f.show)
    if (f := first("frame.time_epoch")) is not None:
        pkt.time_epoch = f.show
    if (f := first("frame.encap_type")) is not None and f.show is not None:
        try:
            pkt.encap_type = int(f.show)
        except ValueError:
            pass
    if (f := first("frame.protocols")) is not None and f.show:
        pkt.protocols = f.show.split(":")
    pkt.comments = [f.show or "" for f in pkt.fields.get("frame.comment", [])]
    # A protocol item can stand where osilab prints a label field of the same name (the packet
    # quoted in an ICMP error: osilab's "ip" label spans what tshark shows as a nested "ip").
    for p in pkt.protos:
        pkt.proto_items.setdefault(p.name, []).append(TsharkField(p.name, None, p.pos, p.size,
                                                                  p.name))
    return pkt


# ------------------------------------------------------------------------------------------------
# Comparing values
# ------------------------------------------------------------------------------------------------

_HEX_BYTES = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$")
_DEC = re.compile(r"^-?[0-9]+$")
_HEX = re.compile(r"^0[xX][0-9A-Fa-f]+$")
_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34,
            "'": 39}


def parse_int(show: str) -> int | None:
    s = show.strip()
    if _DEC.match(s):
        return int(s, 10)
    if _HEX.match(s):
        return int(s, 16)
    if s in ("True", "true"):
        return 1
    if s in ("False", "false"):
        return 0
    return None


def unescape_tshark(show: str) -> str:
    """Undo tshark's format_text(): \\r \\n \\t \\\\ \\xHH \\ooo ... back to the characters."""
    if "\\" not in show:
        return show
    out = bytearray()
    i, n = 0, len(show)
    while i < n:
        c = show[i]
        if c != "\\" or i + 1 >= n:
            out += c.encode("utf-8", "surrogatepass")
            i += 1
            continue
        d = show[i + 1]
        if d in _ESCAPES:
            out.append(_ESCAPES[d])
            i += 2
        elif d == "x" and re.match(r"[0-9A-Fa-f]{2}", show[i + 2:i + 4]):
            out.append(int(show[i + 2:i + 4], 16))
            i += 4
        elif d in "01234567":
            m = re.match(r"[0-7]{1,3}", show[i + 1:i + 4])
            assert m is not None
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            out += c.encode()
            i += 1
    return out.decode("utf-8", "replace")


_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def protect_ours(s: str) -> str:
    """Apply to osilab's strings the same private-use mapping protect_pdml() applies to tshark's."""
    return _XML_FORBIDDEN.sub(lambda m: chr(PRIVATE_BASE + ord(m.group(0))), s)


def ascii_masked(s: str) -> str:
    """How tshark shows an ASCII-decoded field: every byte >= 0x80 becomes U+FFFD."""
    return "".join(c if ord(c) < 0x80 else "\ufffd" * len(c.encode("utf-8", "surrogatepass"))
                   for c in s)


def values_agree(ours: object, show: str | None) -> tuple[bool, str]:
    """(agree?, how) for osilab's typed JSON value against tshark's `show` text."""
    if ours is None:
        return True, "no value (label)"
    if show is None:
        return False, "tshark has no show"
    if isinstance(ours, bool):
        n = parse_int(show)
        return (n is not None and n == int(ours)), "boolean"
    if isinstance(ours, int):
        n = parse_int(show)
        return (n is not None and n == ours), "number"
    if isinstance(ours, decimal.Decimal):
        try:
            return decimal.Decimal(show.strip()) == ours, "decimal"
        except decimal.InvalidOperation:
            return False, "decimal"
    if isinstance(ours, str):
        mine = protect_ours(ours)
        if mine == show:
            return True, "text"
        if mine == mine.lower() and _HEX_BYTES.match(mine) and _HEX_BYTES.match(show):
            # osilab writes bytes in lower case; tshark's case is not part of the value
            return mine == show.lower(), "bytes"
        unescaped = unescape_tshark(show)
        if mine == unescaped:
            return True, "text (tshark escaped)"
        if "\ufffd" in show:
            masked = ascii_masked(mine)
            if masked in (show, unescaped):
                return True, "text (tshark shows non-ASCII bytes as U+FFFD)"
        return False, "text"
    return False, f"unexpected JSON type {type(ours).__name__}"


# ------------------------------------------------------------------------------------------------
# Bookkeeping and report
# ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    checked: int = 0
    agree: int = 0
    differ: int = 0
    allowed: int = 0  # printed by osilab only, allowed by name
    examples: list[str] = dataclasses.field(default_factory=list)
    notes: collections.Counter = dataclasses.field(default_factory=collections.Counter)


class Report:
    def __init__(self, max_examples: int) -> None:
        self.by_name: dict[str, Tally] = collections.defaultdict(Tally)
        self.max_examples = max_examples
        self.packets_passed = 0
        self.packets_failed = 0
        self.file_notes: list[str] = []
        self.soft: dict[str, Tally] = collections.defaultdict(Tally)
        self.unemitted: collections.Counter | None = None

    def agree(self, name: str, how: str = "") -> None:
        t = self.by_name[name]
        t.checked += 1
        t.agree += 1
        if how.startswith("text ("):
            t.notes[how] += 1

    def allowed(self, name: str, note: str = "") -> None:
        t = self.by_name[name]
        t.checked += 1
        t.allowed += 1
        if note:
            t.notes[note] += 1

    def differ(self, name: str, where: str, message: str) -> None:
        t = self.by_name[name]
        t.checked += 1
        t.differ += 1
        if not self.max_examples or len(t.examples) < self.max_examples:
            t.examples.append(f"{where}: {message}")

    def soft_result(self, name: str, ok: bool, where: str = "", message: str = "") -> None:
        t = self.soft[name]
        t.checked += 1
        if ok:
            t.agree += 1
        else:
            t.differ += 1
            if not self.max_examples or len(t.examples) < self.max_examples:
                t.examples.append(f"{where}: {message}")

    def print(self, out, verbose: bool) -> None:
        w = out.write
        names = sorted(self.by_name)
        bad = [n for n in names if self.by_name[n].differ]
        w("\n== Field agreement with tshark (checked / agree / differ / osilab-only allowed)\n")
        for n in names:
            t = self.by_name[n]
            if t.differ or verbose:
                w(f"  {'DIFF' if t.differ else 'ok  '} {n:<40} {t.checked:6} {t.agree:6} "
                  f"{t.differ:6} {t.allowed:6}\n")
        if not verbose:
            good = len(names) - len(bad)
            w(f"  ({good} more names agree everywhere; --verbose lists them)\n")
        notes = collections.Counter()
        for n in names:
            for how, c in self.by_name[n].notes.items():
                notes[f"{n}: {how}"] += c
        if notes:
            w("\n== Notes (agreements that needed tshark's text undone; allowed osilab-only "
              "fields)\n")
            for k, c in sorted(notes.items()):
                w(f"  {k}: {c}\n")
        if bad:
            w("\n== Disagreements (first examples per name)\n")
            for n in bad:
                t = self.by_name[n]
                w(f"  {n}: {t.differ} of {t.checked} differ\n")
                for e in t.examples:
                    w(f"      {e}\n")
        if self.soft:
            w("\n== Soft checks (reported, never failing)\n")
            for n in sorted(self.soft):
                t = self.soft[n]
                w(f"  {n:<40} checked {t.checked}, agree {t.agree}, differ {t.differ}\n")
                for e in t.examples:
                    w(f"      {e}\n")
        if self.unemitted:
            w("\n== tshark fields of the shown protocols that osilab does not print "
              "(packets)\n")
            for name, count in sorted(self.unemitted.items()):
                w(f"  {name:<48} {count}\n")
        if self.file_notes:
            w("\n== Files\n")
            quiet = 0
            for note in self.file_notes:
                if verbose or not note.startswith("ok ") or " says: " in note:
                    w(f"  {note}\n")
                else:
                    quiet += 1
            if quiet:
                w(f"  ({quiet} more files agree everywhere; --verbose lists them)\n")


# ------------------------------------------------------------------------------------------------
# Running the two programs
# ------------------------------------------------------------------------------------------------


def run(cmd: list[str], timeout: int) -> tuple[int, str, str]:
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout}s: {' '.join(cmd)}"
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


# Protocols tshark guesses from a port alone where osilab shows the payload as data. name -> why.
TSHARK_DISABLED: dict[str, str] = {
    "wtp": "WAP's WTP on UDP 9200-9203, which the lessons use for plain UDP datagrams",
    "wsp": "WAP's WSP, idem",
    "wtls": "WAP's WTLS, idem (also inside ICMP errors quoting such a datagram)",
}


def tshark_cmd(tshark: str, capture: str, prefs: list[str]) -> list[str]:
    cmd = [tshark, "-n", "-r", capture]
    for name in TSHARK_DISABLED:
        cmd += ["--disable-protocol", name]
    for p in prefs:
        cmd += ["-o", p]
    return cmd


def osilab_packets(osilab: str, capture: str, timeout: int) -> tuple[int, list[dict], str]:
    rc, out, err = run([osilab, "show", "--json", capture], timeout)
    packets = []
    for i, line in enumerate(out.splitlines()):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_float=decimal.Decimal)
            # A lesson run's steps, calls and states (objects with an "event" key) are no packets.
            if "event" not in record:
                packets.append(record)
        except json.JSONDecodeError as e:
            err += f"\nline {i + 1} of osilab's output is not JSON ({e}): {line[:200]}"
            rc = rc or 1
    return rc, packets, err.strip()


def tshark_packets(tshark: str, capture: str, prefs: list[str],
                   timeout: int) -> tuple[int, list[TsharkPacket], str]:
    rc, out, err = run(tshark_cmd(tshark, capture, prefs) + ["-T", "pdml"], timeout)
    err = "\n".join(line for line in err.splitlines() if "Running as user" not in line)
    try:
        packets = list(parse_pdml(out)) if out.strip() else []
    except ET.ParseError as e:
        return 2, [], f"cannot parse tshark's PDML: {e}"
    # tshark lists pcapng Custom Blocks (a lesson run's steps, calls, states) as frames without
    # an encapsulation; osilab numbers packets only. Pair packets with packets.
    if any(p.encap_type is None for p in packets):
        packets = [p for p in packets if p.encap_type is not None]
        for i, p in enumerate(packets, 1):
            p.number = i
    return rc, packets, err.strip()


# ------------------------------------------------------------------------------------------------
# The comparison
# ------------------------------------------------------------------------------------------------


def unknown_payload_protocol(ts: list[str]) -> str | None:
    """The first protocol in tshark's frame.protocols that osilab does not dissect, if any."""
    for p in ts:
        p = TSHARK_PROTOCOL_ALIASES.get(p, p)
        if (p in TSHARK_PSEUDO_PROTOCOLS or p.startswith(TSHARK_SUBLAYER_PREFIXES)
                or p in TSHARK_OPTIONAL_LINK):
            continue
        if p not in OSILAB_PROTOCOLS:
            return p
    return None


def normalised_tshark_protocols(ts: list[str], ours: list[str]) -> list[str]:
    seq = []
    for i, p in enumerate(ts):
        if p in TSHARK_PSEUDO_PROTOCOLS and p not in ours:
            continue
        p = TSHARK_PROTOCOL_ALIASES.get(p, p)
        if p.startswith(TSHARK_SUBLAYER_PREFIXES) and p not in ours:
            continue
        if i == 0 and p in TSHARK_OPTIONAL_LINK and p not in ours:
            continue
        if p not in OSILAB_PROTOCOLS:
            break  # payload osilab does not dissect: osilab shows it as Data (or nothing)
        seq.append(p)
        if p in TSHARK_QUOTING_PROTOCOLS:
            n = len(seq)
            if strip_data(ours[n:]) == [] and ours[:n] == seq:
                break  # the rest is the quoted packet, which osilab shows inside this layer
    return seq


def strip_data(seq: list[str]) -> list[str]:
    seq = list(seq)
    while seq and seq[-1] == "data":
        seq.pop()
    return seq


class PacketCheck:
    """Collects the disagreements of one packet."""

    def __init__(self, report: Report, where: str) -> None:
        self.report = report
        self.where = where
        self.failed = False
        # set when tshark dissects the payload with a protocol osilab leaves as Data
        self.payload_protocol: str | None = None

    def agree(self, name: str, how: str = "") -> None:
        self.report.agree(name, how)

    def differ(self, name: str, message: str) -> None:
        self.failed = True
        self.report.differ(name, self.where, message)


LONG = 120  # characters of a value shown in an example


def clip(text: str) -> str:
    return text if len(text) <= LONG else f"{text[:LONG]}…({len(text)} chars)"


def fmt(v: object) -> str:
    if isinstance(v, str):
        return clip(json.dumps(v, ensure_ascii=False))
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return clip(str(v))


def fmt_show(f: TsharkField) -> str:
    show = "(no show)" if f.show is None else clip(json.dumps(f.show, ensure_ascii=False))
    return f"{show} @{f.pos}+{f.size}"


def check_field(pc: PacketCheck, fld: dict, ts: TsharkPacket, layer: str = "") -> None:
    name = fld.get("name", "")
    value = fld.get("value")
    span = fld.get("span") or [0, 0]
    begin, end = int(span[0]), int(span[1])
    cands = ts.fields.get(name) or (ts.proto_items.get(name, []) if value is None else [])
    if not cands:
        if ".osilab." in name or name in ALLOWLIST:
            pc.report.allowed(name)
        elif layer == "data" and pc.payload_protocol:
            # payload tshark understands (quic, syslog...) and osilab shows as bytes
            pc.report.allowed(name, f"tshark dissects this payload as {pc.payload_protocol}")
        else:
            pc.differ(name, f"tshark has no field {name} in this packet; osilab: {fmt(value)} "
                            f"@{begin}+{end - begin}")
        return
    has_bytes = end > begin
    if has_bytes:
        at_span = [c for c in cands if c.size and c.pos == begin and c.size == end - begin]
        for c in at_span:
            ok, how = values_agree(value, c.show)
            if ok:
                pc.agree(name, how)
                return
        if at_span:
            pc.differ(name, f"osilab {fmt(value)} vs tshark {fmt_show(at_span[0])}")
            return
        for c in cands:
            if not c.size:  # tshark generated it: no bytes to compare positions with
                ok, how = values_agree(value, c.show)
                if ok:
                    pc.agree(name, how)
                    return
        same_value = [c for c in cands if values_agree(value, c.show)[0]]
        if same_value:
            c = same_value[0]
            pc.differ(name, f"span: osilab @{begin}+{end - begin}, tshark @{c.pos}+{c.size} "
                            f"(value {fmt(value)} agrees)")
        else:
            shows = "; ".join(fmt_show(c) for c in cands[:3])
            pc.differ(name, f"osilab {fmt(value)} @{begin}+{end - begin} vs tshark {shows}")
        return
    for c in cands:
        ok, how = values_agree(value, c.show)
        if ok:
            pc.agree(name, how)
            return
    shows = "; ".join(fmt_show(c) for c in cands[:3])
    pc.differ(name, f"osilab {fmt(value)} (generated) vs tshark {shows}")


def check_layers(pc: PacketCheck, ours: dict, ts: TsharkPacket) -> None:
    layers = ours.get("layers") or []
    our_seq = [str(layer.get("protocol", "")) for layer in layers]
    # A context-only protocol osilab did not show counts as a protocol osilab does not know.
    ts_protocols = [p + " (context)" if p in TSHARK_CONTEXT_ONLY and p not in our_seq else p
                    for p in ts.protocols]
    pc.payload_protocol = unknown_payload_protocol(ts_protocols)
    ts_seq = normalised_tshark_protocols(ts_protocols, our_seq)
    if strip_data(our_seq) == strip_data(ts_seq):
        pc.agree("(layer sequence)")
    else:
        pc.differ("(layer sequence)", f"osilab {':'.join(our_seq) or '(none)'} vs tshark "
                                      f"{':'.join(ts.protocols) or '(none)'}")
    # Each layer's bytes against the tshark protocol of the same name that starts there.
    for layer in layers:
        proto = str(layer.get("protocol", ""))
        span = layer.get("span") or [0, 0]
        begin, end = int(span[0]), int(span[1])
        names = {proto} | {k for k, v in TSHARK_PROTOCOL_ALIASES.items() if v == proto}
        extents = [x for i, p in enumerate(ts.protos) if p.name in names and p.pos is not None
                   for x in [tshark_extent(ts.protos, i)]]
        if not extents:
            continue  # tshark has no such layer here: the sequence check reports that
        key = f"(layer span) {proto}"
        start_only = proto in LAYER_SPAN_START_ONLY
        if any(b == begin and (start_only or e == end) for b, e in extents):
            pc.agree(key)
        else:
            alts = ", ".join(f"@{b}+{e - b}" for b, e in extents[:3])
            pc.differ(key, f"osilab @{begin}+{end - begin} vs tshark {alts}")


def tshark_extent(protos: list[TsharkProto], i: int) -> tuple[int, int]:
    """Bytes of tshark's protocol item i, extended over the sub-protocol items right after it
    (ipv6.fraghdr after ipv6: tshark does not always count a Fragment header in the IPv6 item,
    osilab's ipv6 layer always holds its extension headers)."""
    p = protos[i]
    begin = p.pos or 0
    end = begin + (p.size or 0)
    for q in protos[i + 1:]:
        if not q.name.startswith(p.name + ".") or q.pos is None or q.pos > end:
            break
        end = max(end, q.pos + (q.size or 0))
    return begin, end


def check_frame(pc: PacketCheck, ours: dict, ts: TsharkPacket) -> None:
    for key, theirs in (("frame.number", ts.number), ("frame.len", ts.length),
                        ("frame.cap_len", ts.cap_len)):
        mine = ours.get(key)
        if mine == theirs:
            pc.agree(key)
        else:
            pc.differ(key, f"osilab {fmt(mine)} vs tshark {fmt(theirs)}")
    mine = ours.get("frame.time_epoch")
    if mine is not None and ts.time_epoch is not None:
        ok, _ = values_agree(decimal.Decimal(str(mine)), ts.time_epoch)
        if ok:
            pc.agree("frame.time_epoch")
        else:
            pc.differ("frame.time_epoch", f"osilab {mine} vs tshark {ts.time_epoch}")
    link = ours.get("frame.link_type")
    if isinstance(link, int) and link in LINKTYPE_TO_WTAP_ENCAP and ts.encap_type is not None:
        if LINKTYPE_TO_WTAP_ENCAP[link] == ts.encap_type:
            pc.agree("frame.link_type")
        else:
            pc.differ("frame.link_type", f"osilab LINKTYPE {link} vs tshark encap "
                                         f"{ts.encap_type} (expected "
                                         f"{LINKTYPE_TO_WTAP_ENCAP[link]})")
    if "frame.comment" in ours or ts.comments:
        mine = ours.get("frame.comment") or []
        if mine == ts.comments:
            pc.agree("frame.comment")
        else:
            pc.differ("frame.comment", f"osilab {fmt(mine)} vs tshark {fmt(ts.comments)}")
    for key in ("tcp.stream", "udp.stream"):
        if key in ours:
            check_field(pc, {"name": key, "value": ours[key], "span": [0, 0]}, ts)


KNOWN_PACKET_KEYS = {"frame.number", "frame.time_epoch", "frame.len", "frame.cap_len",
                     "frame.link_type", "frame.comment", "tcp.stream", "udp.stream"}


def check_packet(report: Report, capture: str, ours: dict, ts: TsharkPacket) -> bool:
    pc = PacketCheck(report, f"{os.path.basename(capture)} #{ts.number}")
    check_frame(pc, ours, ts)
    for key in ours:
        if key not in KNOWN_PACKET_KEYS and key not in PACKET_KEYS_NOT_COMPARED:
            # a new per-packet key: treat it as a field so it is not silently unchecked
            check_field(pc, {"name": key, "value": ours[key], "span": [0, 0]}, ts)
    check_layers(pc, ours, ts)
    emitted = set()
    for layer in ours.get("layers") or []:
        for fld in layer.get("fields") or []:
            check_field(pc, fld, ts, str(layer.get("protocol", "")))
            emitted.add(fld.get("name"))
    if report.unemitted is not None:
        # tshark fields of the protocols osilab shows that osilab does not print (--unemitted)
        shown = {str(layer.get("protocol", "")) for layer in ours.get("layers") or []}
        for name, occurrences in ts.fields.items():
            if (name not in emitted and occurrences[0].proto in shown
                    and not name.startswith("_ws.")):
                report.unemitted[name] += 1
    return not pc.failed


@dataclasses.dataclass
class Fetched:
    """Everything the two programs said about one capture."""
    capture: str
    osilab: tuple[int, list[dict], str]
    tshark: tuple[int, list[TsharkPacket], str]
    osilab_summary: str = ""
    tshark_columns: str = ""


SUMMARY_COLUMNS = ["frame.number", "_ws.col.Source", "_ws.col.Destination", "_ws.col.Protocol",
                   "frame.len", "_ws.col.Info"]


def fetch(osilab: str, tshark: str, capture: str, prefs: list[str], timeout: int,
          summary: bool) -> Fetched:
    f = Fetched(capture, osilab_packets(osilab, capture, timeout),
                tshark_packets(tshark, capture, prefs, timeout))
    if summary:
        f.osilab_summary = run([osilab, "show", capture], timeout)[1]
        column_prefs = [p for p in prefs if p not in FIELDS_ONLY_PREFS]
        cmd = tshark_cmd(tshark, capture, column_prefs)
        cmd += ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
        for c in SUMMARY_COLUMNS:
            cmd += ["-e", c]
        f.tshark_columns = run(cmd, timeout)[1]
    return f


def check_capture(report: Report, fetched: Fetched) -> None:
    capture = fetched.capture
    base = os.path.basename(capture)
    o_rc, ours, o_err = fetched.osilab
    t_rc, theirs, t_err = fetched.tshark
    passed_before, failed_before = report.packets_passed, report.packets_failed
    ours_by_number = {}
    for p in ours:
        n = p.get("frame.number")
        if not isinstance(n, int) or isinstance(n, bool) or n in ours_by_number:
            report.differ("(packet)", base, f"osilab printed a packet with bad or repeated "
                                            f"frame.number {fmt(n)}")
            report.packets_failed += 1
            continue
        ours_by_number[n] = p
    seen = set()
    for ts in theirs:
        seen.add(ts.number)
        mine = ours_by_number.get(ts.number)
        if mine is None:
            report.differ("(packet)", f"{base} #{ts.number}", "tshark shows this packet, "
                                                               "osilab does not")
            report.packets_failed += 1
            continue
        if check_packet(report, capture, mine, ts):
            report.packets_passed += 1
        else:
            report.packets_failed += 1
    for n in sorted(set(ours_by_number) - seen):
        report.differ("(packet)", f"{base} #{n}", "osilab shows this packet, tshark does not")
        report.packets_failed += 1
    failed = report.packets_failed - failed_before
    note = (f"{'FAIL' if failed else 'ok  '} {base}: "
            f"{report.packets_passed - passed_before} passed, {failed} failed; "
            f"osilab {len(ours)} packets (exit {o_rc}), tshark {len(theirs)} (exit {t_rc})")
    if o_err:
        note += f"; osilab says: {o_err.splitlines()[0][:160]}"
    if t_err:
        note += f"; tshark says: {t_err.splitlines()[0][:160]}"
    report.file_notes.append(note)


# ------------------------------------------------------------------------------------------------
# --summary: the packet-list columns (soft)
# ------------------------------------------------------------------------------------------------

_SUMMARY_LINE = re.compile(r"^\s*(\d+)\s+(-?\d+\.\d+)\s+(.*?)\s*→\s*(.*?)\s+(\S+)\s+(\d+)"
                           r"(?: (.*))?$")


def summary_columns(report: Report, fetched: Fetched, compare_info: bool) -> None:
    base = os.path.basename(fetched.capture)
    mine = {}
    for line in fetched.osilab_summary.splitlines():
        m = _SUMMARY_LINE.match(line)
        if m:
            mine[int(m.group(1))] = m.groups()
    out = fetched.tshark_columns
    n = 0
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 5 or not parts[0].isdigit() or parts[3] == "PCAPNG":
            continue  # a pcapng Custom Block, which tshark lists as a frame (see tshark_packets)
        n += 1
        where = f"{base} #{n}"
        m = mine.get(n)
        if m is None:
            report.soft_result("summary line", False, where, "no osilab summary line")
            continue
        _num, _time, src, dst, proto, length, info = m
        info = info or ""
        for name, a, b in (("summary source", src, parts[1]),
                           ("summary destination", dst, parts[2]),
                           ("summary protocol", proto, parts[3]),
                           ("summary length", length, parts[4])):
            report.soft_result(name, a == b, where, f"osilab {a!r} vs tshark {b!r}")
        if compare_info and len(parts) > 5 and proto == parts[3]:
            # Info only where both name the same protocol: otherwise the protocol line above
            # already reports the difference, and tshark's Info is about a protocol osilab
            # does not dissect.
            theirs = parts[5].rstrip()
            report.soft_result("summary info", info.rstrip() == theirs, where,
                               f"osilab {info.rstrip()!r} vs tshark {theirs!r}")


# ------------------------------------------------------------------------------------------------


CAPTURE_MAGICS = (b"\xa1\xb2\xc3\xd4", b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\x3c\x4d",
                  b"\x4d\x3c\xb2\xa1", b"\x0a\x0d\x0d\x0a")


def looks_like_capture(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) in CAPTURE_MAGICS
    except OSError:
        return False


def expand(paths: Iterable[str]) -> list[str]:
    """Files as given; folders as the pcap/pcapng files directly inside them (by magic number,
    so scripts and notes next to the captures are left out)."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if os.path.isfile(os.path.join(p, f))
                            and looks_like_capture(os.path.join(p, f)))
        else:
            files.append(p)
    return files


def main(argv: list[str]) -> int:
    if argv == ["--self-test"]:
        sys.dont_write_bytecode = True  # no __pycache__ in the source tree
        import selftest  # beside this file
        return selftest.self_test()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("osilab", help="the osilab program")
    ap.add_argument("captures", nargs="+", help="capture files, or folders of them")
    ap.add_argument("--tshark", default=os.environ.get("TSHARK", "tshark"))
    ap.add_argument("--summary", action="store_true",
                    help="also compare the summary columns with tshark's (soft: never fails)")
    ap.add_argument("--info", action="store_true",
                    help="with --summary, also compare the Info column")
    ap.add_argument("--unemitted", action="store_true",
                    help="list tshark's fields, in the protocols osilab shows, that osilab never "
                         "prints (information, never failing)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every field name")
    ap.add_argument("--max-examples", type=int, default=MAX_EXAMPLES_DEFAULT,
                    help="examples listed per field name (0: all)")
    ap.add_argument("--jobs", "-j", type=int, default=min(2, os.cpu_count() or 1),
                    help="captures processed at the same time (default: 2 at most)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per program run")
    ap.add_argument("--tshark-defaults", action="store_true",
                    help="run tshark with its own preferences (reassembly on); positions in "
                         "reassembled data will then disagree")
    ap.add_argument("--skip-if-missing", action="store_true",
                    help=f"exit {SKIP} (CTest's skip code) instead of failing when tshark or a "
                         "capture folder is absent")
    args = ap.parse_args(argv)
    missing_code = SKIP if args.skip_if_missing else 2

    if shutil.which(args.tshark) is None:
        print(f"crosscheck: SKIPPED: tshark not found ({args.tshark}); apt-get install tshark",
              file=sys.stderr)
        return missing_code
    if not os.access(args.osilab, os.X_OK):
        print(f"crosscheck: osilab not executable: {args.osilab}", file=sys.stderr)
        return 2
    absent = [p for p in args.captures if not os.path.exists(p)]
    if absent:
        print(f"crosscheck: SKIPPED: no such capture file or folder: {', '.join(absent)}",
              file=sys.stderr)
        return missing_code
    captures = expand(args.captures)
    if not captures:
        print(f"crosscheck: SKIPPED: no capture files in {' '.join(args.captures)}",
              file=sys.stderr)
        return missing_code
    prefs = [] if args.tshark_defaults else [p for p, _why in TSHARK_PREFS]

    report = Report(args.max_examples)
    if args.unemitted:
        report.unemitted = collections.Counter()
    # The programs run in a few worker threads (tshark's start-up dominates); the comparison
    # runs here, in capture order, so the report does not depend on timing.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(fetch, args.osilab, args.tshark, c, prefs, args.timeout,
                               args.summary) for c in captures]
        for fut in futures:
            fetched = fut.result()
            check_capture(report, fetched)
            if args.summary:
                summary_columns(report, fetched, args.info)
    report.print(sys.stdout, args.verbose)
    print(f"\n{report.packets_passed} passed, {report.packets_failed} failed")
    return 1 if report.packets_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
