#!/usr/bin/env python3
"""The comparison rules of crosscheck.py on hand-made input, so that a broken rule cannot pass
silently. Needs neither osilab nor tshark:

    python3 selftest.py        (or: crosscheck.py --self-test)
"""

from __future__ import annotations

import decimal
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from crosscheck import (PacketCheck, Report, TsharkProto, check_field,
                        normalised_tshark_protocols, parse_pdml, tshark_extent, values_agree)


_SELF_TEST_PDML = """<?xml version="1.0" encoding="utf-8"?>
<pdml version="0" creator="wireshark/4.0.17">
<packet>
  <proto name="geninfo" pos="0" showname="General information" size="60">
    <field name="num" pos="0" show="7" showname="Number" value="7" size="60"/>
  </proto>
  <proto name="frame" showname="Frame 7" size="60" pos="0">
    <field name="frame.time_epoch" size="0" pos="0" show="1120622255.938066000"/>
    <field name="frame.number" size="0" pos="0" show="7"/>
    <field name="frame.len" size="0" pos="0" show="60"/>
    <field name="frame.cap_len" size="0" pos="0" show="60"/>
    <field name="frame.protocols" size="0" pos="0" show="eth:ethertype:ip:icmp:ip:udp:data"/>
  </proto>
  <proto name="eth" showname="Ethernet II" size="14" pos="0">
    <field name="eth.type" showname="Type: IPv4 (0x0800)" size="2" pos="12" show="0x0800"/>
  </proto>
  <proto name="ip" size="20" pos="14">
    <field name="ip.flags.df" size="1" pos="20" show="1"/>
    <field name="ip.src" size="4" pos="26" show="127.0.0.1"/>
  </proto>
  <proto name="icmp" size="36" pos="34">
    <field name="icmp.type" size="1" pos="34" show="3"/>
    <proto name="ip" size="20" pos="42">
      <field name="ip.src" size="4" pos="54" show="127.0.0.2"/>
    </proto>
  </proto>
  <proto name="http" size="18" pos="42">
    <field name="http.request.line" size="18" pos="42" show="Host: a\r\n" hide="yes"/>
    <field name="http.host" size="18" pos="42" show="a\\tb\\x41"/>
    <field name="tcp.options" size="4" pos="54" show="02:04:FF:d7"/>
  </proto>
</packet>
</pdml>
"""


def self_test() -> int:
    checks = 0

    def expect(cond: bool, what: str) -> None:
        nonlocal checks
        checks += 1
        if not cond:
            raise AssertionError(f"self-test failed: {what}")

    pkt = list(parse_pdml(_SELF_TEST_PDML))
    expect(len(pkt) == 1 and pkt[0].number == 7, "packet number from PDML")
    p = pkt[0]
    expect(p.length == 60 and p.cap_len == 60, "frame lengths")
    expect(p.fields["http.request.line"][0].show == "Host: a\r\n", "raw CR LF kept in show")
    expect(values_agree(True, "1")[0] and not values_agree(False, "1")[0], "booleans")
    expect(values_agree(False, "False")[0], "booleans shown as words")
    expect(values_agree(2048, "0x0800")[0] and values_agree(18, "18")[0], "numbers")
    expect(not values_agree(2049, "0x0800")[0], "numbers differ")
    expect(not values_agree(1, "1.5")[0], "a number is not a float text")
    expect(values_agree("02:04:ff:d7", "02:04:FF:d7")[0], "bytes ignore case")
    expect(not values_agree("Ab", "ab")[0], "text is case-sensitive")
    expect(values_agree("a\tbA", "a\\tb\\x41")[0], "tshark escapes undone")
    expect(values_agree("你好!", "\ufffd" * 6 + "!")[0], "ASCII-decoded text masks to U+FFFD")
    expect(not values_agree("你!", "\ufffd" * 6 + "!")[0], "U+FFFD count must match bytes")
    expect(values_agree(decimal.Decimal("1120622255.938066000"), "1120622255.938066")[0],
           "times compare as decimals")
    expect(not values_agree(decimal.Decimal("1120622255.938066001"), "1120622255.938066")[0],
           "times differ by a nanosecond")
    expect(values_agree(None, "anything")[0], "labels have no value to compare")
    expect(normalised_tshark_protocols(p.protocols, ["eth", "ip", "icmp"])
           == ["eth", "ip", "icmp"], "ethertype dropped, quoted packet inside icmp")
    expect(normalised_tshark_protocols(p.protocols, ["eth", "ip", "icmp", "ip", "udp"])
           == ["eth", "ip", "icmp", "ip", "udp", "data"],
           "quoted layers kept when osilab shows them")
    expect(normalised_tshark_protocols(["null", "ipv6", "udp", "quic", "tls"],
                                       ["null", "ipv6", "udp", "data"])
           == ["null", "ipv6", "udp"], "stops at a protocol osilab does not dissect")

    def field_agrees(fld: dict) -> bool:
        pc = PacketCheck(Report(1), "self-test")
        check_field(pc, fld, p)
        return not pc.failed

    expect(field_agrees({"name": "ip.src", "value": "127.0.0.2", "span": [54, 58]}),
           "repeated name matched at osilab's span")
    expect(not field_agrees({"name": "ip.src", "value": "127.0.0.2", "span": [26, 30]}),
           "value at the wrong occurrence differs")
    expect(not field_agrees({"name": "ip.src", "value": "127.0.0.1", "span": [27, 31]}),
           "span must match when both have bytes")
    expect(field_agrees({"name": "ip.flags.df", "value": True, "span": [20, 21]}), "flag")
    expect(not field_agrees({"name": "ip.flags.df", "value": False, "span": [20, 21]}),
           "flag differs")
    expect(not field_agrees({"name": "ip.bogus", "value": 1, "span": [0, 0]}),
           "a name tshark lacks fails")
    expect(field_agrees({"name": "ip.osilab.note", "value": 1, "span": [0, 0]}),
           ".osilab. names are allowed")
    expect(field_agrees({"name": "ip", "value": None, "span": [42, 62]}),
           "a label matches a protocol item at the same bytes")
    expect(not field_agrees({"name": "ip", "value": None, "span": [42, 60]}),
           "a label at other bytes differs")
    protos = [TsharkProto("ipv6", 14, 40), TsharkProto("ipv6.fraghdr", 54, 8),
              TsharkProto("udp", 62, 8)]
    expect(tshark_extent(protos, 0) == (14, 62), "IPv6 extent covers its extension headers")
    expect(tshark_extent(protos, 2) == (62, 70), "other items keep their own extent")
    print(f"crosscheck self-test: {checks} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(self_test())
