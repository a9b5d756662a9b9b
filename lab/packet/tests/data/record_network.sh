#!/bin/sh
# Re-records the network-layer test captures. Loopback only, inside a private network
# namespace (run as root, or under `unshare -r -n`):   unshare -n sh record_network.sh
# icmp_loopback.pcap        ping / ping -6, UDP to a closed port (ICMP port unreachable),
#                           ping -R / -T (IPv4 options), DSCP / flow label, and fragments
#                           (lo MTU 1280 with 1400-byte pings)
# icmp_errors_loopback.pcap ICMP/ICMPv6 errors and neighbour discovery sent by
#                           craft_icmp.py through raw sockets to 127.0.0.1 / ::1
# sll_loopback.pcap / sll2_loopback.pcap   ping on the "any" device (Linux cooked v1 / v2)
# rarp_req_reply.pcap       not recorded: the corpus file good/rarp_req_reply.pcapng (BSD,
#                           libpcap tests) converted with `editcap -F pcap`, since test_pcap.h
#                           reads classic pcap only
set -e
here=$(cd "$(dirname "$0")" && pwd)
ip link set lo up

tcpdump -i lo -U -w "$here/icmp_loopback.pcap" 2>/dev/null & tp=$!
sleep 1
ping -c1 -W1 127.0.0.1
ping -6 -c1 -W1 ::1
echo hi | nc -u -w1 127.0.0.1 9 || true
echo hi | nc -u -w1 ::1 9 || true
ping -c1 -W1 -R 127.0.0.1
ping -c1 -W1 -T tsonly 127.0.0.1
ping -c1 -W1 -Q 0xb8 127.0.0.1
ping -6 -c1 -W1 -F 0x12345 -Q 0x2e ::1
ip link set lo mtu 1280
ping -c1 -W1 -s 1400 127.0.0.1
ping -6 -c1 -W1 -s 1400 ::1
ip link set lo mtu 65536
sleep 1; kill $tp; wait $tp || true

tcpdump -i lo -U -w "$here/icmp_errors_loopback.pcap" 2>/dev/null & tp=$!
sleep 1
python3 "$here/craft_icmp.py"
sleep 1; kill $tp; wait $tp || true

tcpdump -i any -y LINUX_SLL -U -w "$here/sll_loopback.pcap" 2>/dev/null & t1=$!
tcpdump -i any -y LINUX_SLL2 -U -w "$here/sll2_loopback.pcap" 2>/dev/null & t2=$!
sleep 1
ping -c1 -W1 127.0.0.1
ping -6 -c1 -W1 ::1
sleep 1; kill $t1 $t2; wait || true
