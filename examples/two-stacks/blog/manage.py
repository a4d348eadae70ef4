"""A placeholder for the Django blog: answers /health, and says where its
database is (DB_URL is wired by dvm from the `db` instance)."""

import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Blog(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok\n" if self.path == "/health" else f"blog, on database {os.environ.get('DB_HOST')}\n".encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8000), Blog).serve_forever()
