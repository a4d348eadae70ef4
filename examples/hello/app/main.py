"""The hello example's app: answers every GET with a visit count kept in
Redis (found through CACHE_URL, which dvm wires from the `cache` instance).
Standard library only: it speaks the few Redis commands it needs itself."""

import os
import socket
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse


def incr(key: str) -> int:
    url = urlparse(os.environ.get("CACHE_URL", "redis://localhost:6379"))
    with socket.create_connection((url.hostname, url.port or 6379), timeout=2) as s:
        s.sendall(f"*2\r\n$4\r\nINCR\r\n${len(key)}\r\n{key}\r\n".encode())
        reply = s.recv(64).decode()
    return int(reply.strip().lstrip(":"))


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body = b"ok\n"
        else:
            body = f"hello, visitor {incr('visits')}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8000), Hello).serve_forever()
