#!/bin/sh
# Re-records the loopback captures used by the transport/application tests, inside a private
# network namespace so nothing leaves the machine:
#   unshare -n sh record_transport.sh      (run from this folder; needs tcpdump, curl, dig,
#                                           dnsmasq, nc, python3)
# The tests assert what tshark shows for these exact files; after re-recording, update the
# expected values from `tshark -r FILE` (sequence numbers, ports and IDs change every time).
set -e
ip link set lo up
here=$(pwd)

# HTTP: a tiny server answering each request in one segment, curl as the client.
tcpdump -i lo -U -w http_loopback.pcap 'tcp port 80' 2>/dev/null & TD=$!
sleep 1.5
python3 "$here/one_segment_httpd.py" 4 & SV=$!
sleep 1.5
for path in index.html hello.txt data.bin missing; do
    curl -s -A 'curl/7.88.1' "http://127.0.0.1/$path" >/dev/null
done
wait $SV
sleep 1; kill $TD; wait $TD || true

# DNS: dig against dnsmasq, over UDP and TCP, with and without EDNS.
tcpdump -i lo -U -w dns_loopback.pcap 'port 53' 2>/dev/null & TD=$!
sleep 1.5
dnsmasq --no-daemon --no-resolv --no-hosts --listen-address=127.0.0.1 --bind-interfaces \
  --port=53 --address=/www.osilab.test/10.1.2.3 --address=/www.osilab.test/fd00::1 \
  --cname=alias.osilab.test,www.osilab.test --mx-host=osilab.test,mail.osilab.test,10 \
  --txt-record=osilab.test,"hello world","第二段" \
  --ptr-record=3.2.1.10.in-addr.arpa,www.osilab.test \
  --srv-host=_http._tcp.osilab.test,www.osilab.test,80,0,5 --user=root 2>/dev/null & DM=$!
sleep 1.5
dig +short @127.0.0.1 www.osilab.test A >/dev/null
dig +short @127.0.0.1 www.osilab.test AAAA >/dev/null
dig +short @127.0.0.1 alias.osilab.test A >/dev/null
dig +short @127.0.0.1 osilab.test MX >/dev/null
dig +short @127.0.0.1 osilab.test TXT >/dev/null
dig +short @127.0.0.1 -x 10.1.2.3 >/dev/null
dig +short @127.0.0.1 _http._tcp.osilab.test SRV >/dev/null
dig +short @127.0.0.1 nothere.osilab.test A >/dev/null || true
dig +short +tcp @127.0.0.1 www.osilab.test A >/dev/null
dig +short +noedns @127.0.0.1 www.osilab.test A >/dev/null
sleep 1; kill $DM; kill $TD; wait $TD || true

# A TCP chat with Chinese text, UDP datagrams (text and binary), a refused connection.
tcpdump -i lo -U -w chat_loopback.pcap 'tcp or udp' 2>/dev/null & TD=$!
sleep 1.5
nc -l 127.0.0.1 9000 > /dev/null & NS=$!
sleep 0.5
( printf 'hello\n'; sleep 0.3; printf '你好,世界\n'; sleep 0.3 ) | nc -q 0 127.0.0.1 9000
wait $NS
printf '你好 UDP\n' | nc -u -w 0 127.0.0.1 9001
printf '\000\001\002\377' | nc -u -w 0 127.0.0.1 9001
nc -z 127.0.0.1 9002 || true
sleep 1; kill $TD; wait $TD || true
