#!/usr/bin/env python3
"""answers.py PORTFILE: a hostile stand-in for Notify, for tests/upload/answers.sh.

The last digits of the notification id pick the answer. Writes its port to
PORTFILE and serves until killed.
"""
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "01": "endless",        # 200, a JSON body that never ends
    "02": "stalled",        # 200, one byte then nothing until the client gives up
    "03": "html",           # 200, not JSON
    "04": "array",          # 200, JSON that is not an object
    "05": "latin1",         # 200, not UTF-8
    "06": "escapes",        # 400 whose message holds terminal escapes and line breaks
    "07": "error-array",    # 404 whose body is a JSON array
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body, length=True):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        notification = self.path.split("/")[3] if self.path.count("/") >= 3 else ""
        kind = ANSWERS.get(notification[-2:], "array")
        try:
            if kind == "endless":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id":"')
                chunk = b"x" * 65536
                while True:
                    self.wfile.write(chunk)
            elif kind == "stalled":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"{")
                self.wfile.flush()
                time.sleep(30)
            elif kind == "html":
                self.send(200, b"<html><body>Service unavailable</body></html>")
            elif kind == "array":
                self.send(200, b"[1, 2, 3]")
            elif kind == "latin1":
                self.send(200, b'{"id": "caf\xe9", "status": "received"}')
            elif kind == "escapes":
                self.send(400, b'{"status_code": 400, "errors": [{"error": "Bad\\u001b[31mRequest",'
                          b' "message": "line one\\nline two \\u001b]0;title\\u0007 end"}]}')
            else:
                self.send(404, b"[]")
        except (BrokenPipeError, ConnectionResetError):
            pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
