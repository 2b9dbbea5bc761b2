"""The HTTP server the runtime's unit tests send their requests to (see _Api)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest


class _Api(BaseHTTPRequestHandler):
    """Answers every request with a pet (or what the path asks for) and records it. Under /r the query says
    what to answer: status, ct (Content-Type; "-" for none), body, and h_<Name> headers."""

    seen: list = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        _Api.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
        if self.path.startswith("/r"):
            self._answer_as_asked()
            return
        if self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "/pets/1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, content_type, text = 200, "application/json", json.dumps({"id": 7, "name": "Rex"})
        if self.path.startswith("/bad"):
            text = json.dumps({"id": "x", "name": "Rex"})
        elif self.path.startswith("/boom"):
            status, content_type, text = 503, "text/plain", "down"
        elif self.path.startswith("/html"):
            content_type, text = "text/html", "<p>hi</p>"
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _answer_as_asked(self):
        asked = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        status = int(asked.get("status", "200"))
        payload = asked.get("body", "").encode("utf-8")
        self.send_response(status)
        if asked.get("ct", "application/json") != "-":
            self.send_header("Content-Type", asked.get("ct", "application/json"))
        for name, value in asked.items():
            if name.startswith("h_"):
                self.send_header(name[2:], value)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def seen():
    """The requests the server received in this test."""
    _Api.seen.clear()
    return _Api.seen
