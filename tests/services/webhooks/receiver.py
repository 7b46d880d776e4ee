"""A webhook receiver for tests: an HTTP server in a thread on a free port that checks every
signature with `signing.verify`, as a client would, and answers the statuses it is given in turn."""

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from services.webhooks.signing import VerificationError, verify


@dataclass
class Received:
    headers: dict[str, str]
    body: dict
    verified: bool


@dataclass
class Receiver:
    secret: str = ""
    statuses: list[int] = field(default_factory=list)  # answered in turn; 200 once they run out
    received: list[Received] = field(default_factory=list)
    port: int = 0
    host: str = "127.0.0.1"
    scheme: str = "http"
    server_names: list[str | None] = field(default_factory=list)  # TLS SNI of each connection

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/hooks"


@contextmanager
def receiving(
    statuses: list[int] | None = None, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"
) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1; with `tls`, an https one whose URL names `host` (resolve it to 127.0.0.1)."""
    receiver = Receiver(statuses=list(statuses or []), host=host, scheme="https" if tls else "http")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            headers = dict(self.headers.items())
            try:
                verify(receiver.secret, headers, raw)
                verified = True
            except VerificationError:
                verified = False
            with lock:
                receiver.received.append(Received(headers=headers, body=json.loads(raw), verified=verified))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status if verified else 401)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    if tls is not None:
        tls.sni_callback = lambda sock, name, context: receiver.server_names.append(name)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
