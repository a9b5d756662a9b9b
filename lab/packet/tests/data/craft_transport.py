#!/usr/bin/env python3
"""Writes the tiny crafted captures used by the transport/application tests.

Each file holds edge cases real traffic rarely shows (port reuse, window-scale rules, broken
options, bogus lengths, odd DNS names, HTTP media types). The expected values in the tests
are what tshark 4.0 shows for these exact bytes. Run from this folder: python3 craft_transport.py
"""
import struct


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(src, dst, proto, payload):
    s = bytes(map(int, src.split('.')))
    d = bytes(map(int, dst.split('.')))
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0, s, d)
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def tcp(sport, dport, seq, ack, flags, win=65535, opts=b'', payload=b'', hlen=None, urg=0):
    if hlen is None:
        while len(opts) % 4:
            opts += b'\0'
        hlen = 20 + len(opts)
    return struct.pack('!HHIIHHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                       (hlen // 4) << 12 | flags, win, 0x1234, urg) + opts + payload


def udp(sport, dport, payload, length=None, cks=0x4321):
    return struct.pack('!HHHH', sport, dport, 8 + len(payload) if length is None else length,
                       cks) + payload


def eth(payload):
    return b'\0' * 12 + b'\x08\x00' + payload


def write(path, pkts):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack('<IIII', 1700000000 + i, 0, len(p), len(p)))
            f.write(p)


F = {'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16, 'U': 32, 'E': 64, 'C': 128, 'N': 256}


def fl(s):
    return sum(F[c] for c in s)


C, S = '10.0.0.1', '10.0.0.2'
MSS = b'\x02\x04\x05\xb4'
SP = b'\x04\x02'


def ws(n):
    return b'\x01\x03\x03' + bytes([n])


def t(pkts, src, dst, *a, **k):
    pkts.append(eth(ip4(src, dst, 6, tcp(*a, **k))))


def tracking():
    P = []
    # stream 0: handshake with window scaling, data, SACK, FIN teardown
    t(P, C, S, 1000, 80, 1000, 555, fl('S'), opts=MSS + ws(7) + SP)
    t(P, S, C, 80, 1000, 5000, 1001, fl('SA'), opts=MSS + ws(2))
    t(P, C, S, 1000, 80, 1001, 5001, fl('A'), win=100)
    t(P, C, S, 1000, 80, 1001, 5001, fl('PA'), win=100, payload=b'hello')
    t(P, S, C, 80, 1000, 5001, 1001, fl('A'), win=200,
      opts=b'\x01\x01\x05\x0a' + struct.pack('!II', 1003, 1006))
    t(P, C, S, 1000, 80, 1006, 5001, fl('FA'), win=100)
    t(P, S, C, 80, 1000, 5001, 1007, fl('FA'), win=200)
    t(P, C, S, 1000, 80, 1007, 5002, fl('A'), win=100)
    # stream 1: same ports, a SYN with a new ISN; SYN/ACK without window scale
    t(P, C, S, 1000, 80, 9000, 0, fl('S'), opts=MSS + ws(3))
    t(P, S, C, 80, 1000, 7000, 9001, fl('SA'), opts=MSS)
    t(P, C, S, 1000, 80, 9001, 7001, fl('A'), win=100)
    # stream 2: joined in the middle
    t(P, '10.0.0.3', S, 2000, 80, 7000, 8000, fl('PA'), win=10, payload=b'abc')
    t(P, S, '10.0.0.3', 80, 2000, 8000, 7003, fl('A'), win=20)
    # stream 3: refused, then the same SYN again (same ISN: same stream)
    t(P, '10.0.0.4', S, 3000, 80, 100, 0, fl('S'))
    t(P, S, '10.0.0.4', 80, 3000, 0, 101, fl('RA'))
    t(P, '10.0.0.4', S, 3000, 80, 100, 0, fl('S'))
    t(P, S, '10.0.0.4', 80, 3000, 300, 101, fl('SA'))
    # stream 4: closed by FINs, then the same SYN again (same ISN: same stream)
    t(P, '10.0.0.5', S, 4000, 80, 100, 0, fl('S'))
    t(P, S, '10.0.0.5', 80, 4000, 500, 101, fl('SA'))
    t(P, '10.0.0.5', S, 4000, 80, 101, 501, fl('FA'))
    t(P, S, '10.0.0.5', 80, 4000, 501, 102, fl('FA'))
    t(P, '10.0.0.5', S, 4000, 80, 102, 502, fl('A'))
    t(P, '10.0.0.5', S, 4000, 80, 100, 0, fl('S'))
    # stream 5: urgent data; stream 6: no flags but reserved ones, then ACK+AE
    t(P, '10.0.0.6', S, 5000, 80, 1, 2, fl('UA'), urg=7, payload=b'xyzxyzxyz')
    P.append(eth(ip4('10.0.0.7', S, 6, tcp(6000, 80, 1, 0, 0x0e00))))
    P.append(eth(ip4('10.0.0.7', S, 6, tcp(6000, 80, 1, 0, 0x0100 | fl('A')))))
    # stream 7: only the client's SYN seen; stream 8: SYN/ACK sent twice with new seq
    t(P, C, S, 1001, 81, 1000, 0, fl('S'), opts=MSS + ws(7))
    t(P, C, S, 1001, 81, 1001, 5001, fl('A'), win=100)
    t(P, S, C, 81, 1001, 5001, 1001, fl('A'), win=100)
    t(P, C, S, 1002, 81, 2000, 0, fl('S'), opts=ws(1))
    t(P, S, C, 81, 1002, 6000, 2001, fl('SA'), opts=ws(1))
    t(P, S, C, 81, 1002, 6500, 2001, fl('SA'), opts=ws(1))
    t(P, C, S, 1002, 81, 2001, 6501, fl('A'), win=100)
    # stream 9: SYN without window scale, SYN/ACK with one: nobody scales
    t(P, C, S, 1003, 81, 1000, 0, fl('S'))
    t(P, S, C, 81, 1003, 5000, 1001, fl('SA'), opts=ws(2))
    t(P, S, C, 81, 1003, 5001, 1001, fl('A'), win=100)
    # stream 1 again from the old server's side: a SYN with a new ISN makes stream 10
    t(P, S, C, 80, 1000, 9999, 0, fl('S'))
    write('tcp_tracking.pcap', P)


def options():
    P = []
    q = '10.0.0.8'
    t(P, C, q, 1004, 80, 1000, 0, fl('S'), opts=ws(15))
    t(P, q, C, 80, 1004, 5000, 1001, fl('SA'), opts=ws(2))
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), win=100)
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\x13\x12' + b'\xaa' * 16 + b'\x01\x01')
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\x22\x0a' + b'\xbb' * 8)
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\xfd\x06\x12\x34\x56\x78')
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\x63\x04\x01\x02')
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\x02\x10\x05\xb4')   # length overruns
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\x02\x01\x05\xb4')   # length too short
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\x00\x02\x04\x05\xb4\x00\x00\x00')
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'), opts=b'\x03\x04\x01\x00')   # WS of length 4
    t(P, C, q, 1004, 80, 1001, 5001, fl('A'),
      opts=b'\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x02\x05\x0a\x00\x00\x00\x05\x00\x00\x00\x09')
    write('tcp_options.pcap', P)


def malformed():
    P = []
    P.append(eth(ip4(C, S, 17, udp(5000, 9999, '你好, world\n'.encode()))))
    P.append(eth(ip4(C, S, 17, udp(5000, 9999, b'\x00\x01\x02binary\xff'))))
    P.append(eth(ip4(C, S, 17, udp(5000, 9999, b'hello\tthere\r\n'))))
    P.append(eth(ip4(C, S, 17, udp(5000, 9999, b'abc', length=5))))
    P.append(eth(ip4(C, S, 17, udp(5000, 9999, b'abc', length=50))))
    P.append(eth(ip4(C, S, 17, udp(5000, 9999, b'abcdef', length=9))))
    P.append(eth(ip4(C, S, 17, udp(5000, 9999, b'', cks=0))))
    P.append(eth(ip4(C, S, 6, tcp(5000, 9999, 1, 1, fl('PA'), payload='中文 text'.encode()))))
    P.append(eth(ip4(C, S, 6, tcp(5000, 9999, 1, 1, fl('PA'), hlen=12, payload=b'0123456789'))))
    P.append(eth(ip4(C, S, 6, tcp(5000, 9999, 1, 1, fl('PA'), hlen=60, payload=b'0123456789'))))
    P.append(eth(ip4(C, S, 6, tcp(5000, 9999, 1, 1, 0))))
    write('transport_malformed.pcap', P)


def dns_names():
    def q(qid, name_wire, qtype=1, qclass=1, flags=0x0100):
        return struct.pack('!HHHHHH', qid, flags, 1, 0, 0, 0) + name_wire + struct.pack(
            '!HH', qtype, qclass)
    names = [
        (b'\x07example\x03com\x00', 255, 1, 0x0100),
        (b'\x05a\x01b.c\x03com\x00', 1, 1, 0x0100),
        (b'\x06a b\xe4\xbd\xa0\x03com\x00', 1, 1, 0x0100),
        (b'\xc0\x0c', 1, 1, 0x0100),                      # pointer to itself
        (b'\x41abc\x00', 1, 1, 0x0100),                   # label type 01
        (b'\x05abc', 1, 1, 0x0100),                       # message ends inside a label
        (b'\x07example\x03com\x00', 0x1234, 0x00fe, 0x0100),
        (b'\x07example\x03com\x00', 1, 1, 0x7800),        # unknown opcode
        (b'\x07example\x03com\x00', 1, 1, 0x8183),        # response, no such name
        (b'\x07example\x03com\x00', 1, 1, 0x2800),        # dynamic update
        (b'\x04\x10\x7f\x80\\\x00', 1, 1, 0x0100),         # control bytes in a label
        ((b'\x3f' + b'a' * 63) * 5 + b'\x00', 1, 1, 0x0100),  # 319 bytes: too long
        (b'\xc0\xff', 1, 1, 0x0100),                      # pointer beyond the message
    ]
    P = [eth(ip4(C, S, 17, udp(1000, 53, q(i + 1, n, ty, cl, fg))))
         for i, (n, ty, cl, fg) in enumerate(names)]
    write('dns_names.pcap', P)


def http_media():
    P = []
    types = ['text/html', 'text/plain; charset=utf-8', 'text/xml', 'application/json', 'text/css',
             'application/javascript', 'image/png', 'TEXT/PLAIN',
             'application/x-www-form-urlencoded', 'text/csv', 'multipart/form-data']
    for i, ty in enumerate(types):
        body = b'{"a":1}' if 'json' in ty else b'hello'
        r = ('HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n'
             % (ty, len(body))).encode() + body
        P.append(eth(ip4(S, C, 6, tcp(80, 2000 + i, 1, 1, fl('PA'), payload=r))))
    P.append(eth(ip4(S, C, 6, tcp(80, 3000, 1, 1, fl('PA'),
                                  payload=b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'))))
    P.append(eth(ip4(S, C, 6, tcp(80, 3001, 1, 1, fl('PA'),
                                  payload=b'HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\n\r\n'))))
    P.append(eth(ip4(C, S, 6, tcp(3002, 80, 1, 1, fl('PA'), payload=(
        b'POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
        b'Content-Length: 5\r\n\r\nhello')))))
    P.append(eth(ip4(C, S, 6, tcp(3003, 80, 1, 1, fl('PA'),
                                  payload=b'GET / HTTP/1.1\r\nHost:   spaced  \r\nX-Thing: 1\r\n\r\n'))))
    P.append(eth(ip4(C, S, 6, tcp(3004, 80, 1, 1, fl('PA'),
                                  payload=b'GET / HTTP/1.1\nHost: lfonly\n\n'))))
    # a response whose body continues in a later segment
    P.append(eth(ip4(S, C, 6, tcp(80, 3005, 1, 1, fl('A'), payload=(
        b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\npart')))))
    write('http_media.pcap', P)


if __name__ == '__main__':
    tracking()
    options()
    malformed()
    dns_names()
    http_media()
