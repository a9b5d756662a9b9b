# Sends a few hand-made ICMP/ICMPv6 messages to loopback only (127.0.0.1 / ::1).
import socket, struct

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def icmp(t, c, rest):
    h = struct.pack('!BBH', t, c, 0) + rest
    return struct.pack('!BBH', t, c, csum(h)) + rest

# A quoted IPv4/UDP datagram 127.0.0.1:40000 -> 127.0.0.1:33434, TTL 1 (as traceroute sends)
udp = struct.pack('!HHHH', 40000, 33434, 8 + 4, 0) + b'abcd'
iph = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0x1234, 0, 1, 17, 0,
                  socket.inet_aton('127.0.0.1'), socket.inet_aton('127.0.0.1'))
iph = iph[:10] + struct.pack('!H', csum(iph)) + iph[12:]
quoted = iph + udp

s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s4.sendto(icmp(11, 0, b'\0\0\0\0' + quoted), ('127.0.0.1', 0))                  # TTL exceeded
s4.sendto(icmp(3, 4, struct.pack('!HH', 0, 1280) + quoted), ('127.0.0.1', 0))     # frag needed
s4.sendto(icmp(3, 1, b'\0\0\0\0' + quoted[:28]), ('127.0.0.1', 0))               # host unreach
s4.sendto(icmp(12, 0, b'\x14\0\0\0' + quoted), ('127.0.0.1', 0))                 # param problem
s4.sendto(icmp(5, 1, socket.inet_aton('127.0.0.2') + quoted), ('127.0.0.1', 0))   # redirect host
s4.sendto(icmp(13, 0, struct.pack('!HHIII', 0x42, 7, 1000, 0, 0)), ('127.0.0.1', 0))  # timestamp

s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
lo6 = socket.inet_pton(socket.AF_INET6, '::1')
mac = bytes.fromhex('020000000001')
# quoted IPv6/UDP ::1:40000 -> ::1:33434
udp6 = struct.pack('!HHHH', 40000, 33434, 12, 0) + b'abcd'
ip6 = struct.pack('!IHBB', 0x60000000, len(udp6), 17, 1) + lo6 + lo6
q6 = ip6 + udp6
def send6(t, c, rest):
    # the kernel fills in the ICMPv6 checksum for raw ICMPv6 sockets
    s6.sendto(struct.pack('!BBH', t, c, 0) + rest, ('::1', 0))
send6(3, 0, b'\0\0\0\0' + q6)                                    # time exceeded (hop limit)
send6(2, 0, struct.pack('!I', 1280) + q6)                        # packet too big
send6(4, 0, struct.pack('!I', 6) + q6)                           # parameter problem, pointer 6
send6(133, 0, b'\0\0\0\0' + bytes([1, 1]) + mac)                 # router solicitation + SLLA
send6(135, 0, b'\0\0\0\0' + lo6 + bytes([1, 1]) + mac)           # neighbor solicitation
send6(136, 0, struct.pack('!I', 0x60000000) + lo6 + bytes([2, 1]) + mac)  # NA, S+O, TLLA
send6(137, 0, b'\0\0\0\0' + lo6 + lo6 + bytes([2, 1]) + mac)     # redirect + TLLA
ff = socket.inet_pton(socket.AF_INET6, 'ff02::1:ff00:1')
send6(130, 0, struct.pack('!HH', 1000, 0) + ff)                  # MLDv1 query
send6(131, 0, struct.pack('!HH', 0, 0) + ff)                     # MLDv1 report
send6(132, 0, struct.pack('!HH', 0, 0) + ff)                     # MLDv1 done
