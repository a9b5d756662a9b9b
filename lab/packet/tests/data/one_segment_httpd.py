#!/usr/bin/env python3
# Minimal HTTP/1.1 server: each response leaves in one send() so it fits one TCP segment.
import socket, sys
pages = {
    '/index.html': ('text/html; charset=utf-8', '<html><body><h1>你好, OSI Lab</h1></body></html>\n'.encode()),
    '/hello.txt': ('text/plain', b'hello, world\n'),
    '/data.bin': ('application/octet-stream', bytes(range(0, 32))),
}
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 80)); s.listen(5)
for _ in range(int(sys.argv[1])):
    c, _ = s.accept()
    req = b''
    while b'\r\n\r\n' not in req:
        d = c.recv(4096)
        if not d: break
        req += d
    path = req.split(b' ')[1].decode() if req else '/'
    if path in pages:
        ctype, body = pages[path]
        head = 'HTTP/1.1 200 OK\r\nServer: osilab-test/1.0\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' % (ctype, len(body))
    else:
        body = b'not found\n'
        head = 'HTTP/1.1 404 Not Found\r\nServer: osilab-test/1.0\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' % len(body)
    c.sendall(head.encode() + body)
    c.close()
