"""The sample API: standard library only, shaped like a small FastAPI/Django service.

GET /health      -> {"status": "ok", "version": "<commit sha>", "venv": true} (the smoke test's version
                    check; venv says whether it runs in the release's virtualenv, python-venv)
GET /api/hello   -> a JSON greeting
anything else    -> the built single-page app from ./static (monolithic strategy)
"""
import json
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REVISION = (HERE / "REVISION").read_text().strip() if (HERE / "REVISION").exists() else "dev"

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


class Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(HERE / "static"), **kwargs)

    def end_headers(self):
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def send_json(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            return self.send_json(200, {"status": "ok", "version": REVISION, "venv": sys.prefix != sys.base_prefix})
        if self.path == "/api/hello":
            return self.send_json(200, {"message": "hello from deploy-kit", "version": REVISION})
        return super().do_GET()

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
