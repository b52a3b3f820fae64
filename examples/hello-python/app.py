# A minimal web process on the standard library: answers with the interpreter that runs it, which is the
# virtualenv the Python buildpack made inside the slug.
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"Hello from Python {sys.version.split()[0]} in {sys.prefix}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000"))), Hello).serve_forever()
