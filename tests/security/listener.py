#!/usr/bin/env python3
"""listener.py LOG [HOST]: a TCP server that must hear nothing.

Listens on HOST (default every address), any port, prints the port on a
line, then appends every byte any client sends to LOG and closes the
connection. A test points letterkit at it (as a host or a proxy) where no
request should ever go: a non-empty LOG is the proof that one went.
"""
import socket
import sys

log, host = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "0.0.0.0"
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, 0))
srv.listen(16)
print(srv.getsockname()[1], flush=True)
while True:
    conn, _ = srv.accept()
    conn.settimeout(2)
    try:
        data = conn.recv(65536)
    except OSError:
        data = b"(connected, sent nothing)\n"
    with open(log, "ab") as f:
        f.write(data or b"(connected)\n")
    conn.close()
