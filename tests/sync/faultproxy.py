"""Test helpers for sync over real sockets: the server as a subprocess, a fault proxy.

``ServerProcess`` runs ``fpcert-server serve`` on a fixed 127.0.0.1 port, so a test can
stop it and start it again on the same port. ``FaultProxy`` is an HTTP/1.0 proxy on
127.0.0.1 that forwards each request to the server unless a queued fault matches it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SERVER_START_SECONDS = 30.0


@dataclass
class ClerkKey:
    key: ec.EllipticCurvePrivateKey
    certificate: bytes

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


def make_clerk_key() -> ClerkKey:
    """Make an EC key and a self-signed certificate valid from yesterday to tomorrow."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试打证员")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return ClerkKey(key, certificate.public_bytes(serialization.Encoding.DER))


def server_command(*args: str, db: Path) -> str:
    """Run one ``fpcert-server`` command on ``db`` and return its standard output."""
    completed = subprocess.run(
        [sys.executable, "-m", "fpcert_server", *args, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    return completed.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """``fpcert-server serve`` on 127.0.0.1:``port``; call :meth:`stop` in a ``finally``."""

    def __init__(self, db: Path, port: int, log_path: Path) -> None:
        self.db = db
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Start the server and wait until it accepts requests, at most 30 s."""
        if self.process is not None:
            raise RuntimeError("the server is already running")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "fpcert_server",
                    "serve",
                    "--db",
                    str(self.db),
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                requests.get(f"{self.base_url}/v1/verify/x", timeout=1)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"the server did not start; its log follows\n{self.log_path.read_text()}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Terminate the server (SIGTERM, then SIGKILL after 10 s) and wait for it."""
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# Fault kinds. Each one replaces the normal forwarding of one request.
RESET = "reset"  # close the connection with a TCP reset before forwarding anything
DELAY = "delay"  # wait ``seconds``, then forward; the client has usually timed out
ERROR_500 = "error_500"  # respond with HTTP 500 without forwarding
# Respond with HTTP 429 and ``Retry-After``: ``retry_after`` seconds, or with
# ``retry_at_offset`` set, the HTTP date that many seconds after the proxy's clock.
BUSY_429 = "busy_429"
CUT_AFTER_FORWARD = "cut_after_forward"  # forward, then close without a response
MALFORMED_JSON = "malformed_json"  # forward, then respond 200 with half of the body
INVALID_ID_NUMBER = "invalid_id_number"  # forward, then break one person's ID number
FAULT_KINDS = frozenset(
    {RESET, DELAY, ERROR_500, BUSY_429, CUT_AFTER_FORWARD, MALFORMED_JSON, INVALID_ID_NUMBER}
)


@dataclass
class Fault:
    """A fault for the next ``times`` requests whose path starts with ``path``.

    ``skip`` matching requests are forwarded normally first.
    """

    kind: str
    path: str = "/"
    times: int = 1
    skip: int = 0
    seconds: float = 0.0
    retry_after: str = "1"
    retry_at_offset: float | None = None


@dataclass(frozen=True)
class Exchange:
    """One request the proxy received, and the fault applied to it (None when forwarded)."""

    method: str
    path: str
    fault: str | None


class FaultProxy:
    """A proxy on 127.0.0.1 in front of ``upstream_port``, run in a daemon thread.

    Use it as a context manager so the listening socket and the thread are closed.
    """

    def __init__(self, upstream_port: int, *, upstream_timeout: float = 60.0) -> None:
        self.upstream_port = upstream_port
        self.upstream_timeout = upstream_timeout
        self.exchanges: list[Exchange] = []
        self.broken_id_numbers: list[tuple[str, str]] = []  # (item id, ID number sent)
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer((HOST, 0), _handler_class(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def inject(self, kind: str, path: str = "/", **options: Any) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; known faults: {sorted(FAULT_KINDS)}")
        with self._lock:
            self._faults.append(Fault(kind, path, **options))

    def pending_faults(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def faults_applied(self, kind: str) -> int:
        with self._lock:
            return sum(1 for exchange in self.exchanges if exchange.fault == kind)

    def paths(self, method: str = "GET", prefix: str = "/") -> list[str]:
        with self._lock:
            return [
                exchange.path
                for exchange in self.exchanges
                if exchange.method == method and exchange.path.startswith(prefix)
            ]

    def _take_fault(self, method: str, path: str) -> Fault | None:
        """Record the request and return the fault to apply to it, if any."""
        with self._lock:
            chosen = None
            for fault in self._faults:
                if not path.startswith(fault.path):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                chosen = fault
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                break
            self.exchanges.append(Exchange(method, path, chosen.kind if chosen else None))
            return chosen

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(
            HOST, self.upstream_port, timeout=self.upstream_timeout
        )
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()


# Headers that describe one hop of a connection and are not copied across the proxy.
_HOP_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "server"}
)


def _handler_class(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fault = proxy._take_fault(self.command, self.path)
            kind = fault.kind if fault else None
            if fault is not None and kind == RESET:
                self._reset()
                return
            if fault is not None and kind == ERROR_500:
                self._send(500, {"error": "internal", "detail": "injected failure"})
                return
            if fault is not None and kind == BUSY_429:
                retry_after = fault.retry_after
                if fault.retry_at_offset is not None:
                    retry_at = time.time() + fault.retry_at_offset
                    retry_after = email.utils.formatdate(retry_at, usegmt=True)
                self._send(429, {"error": "busy", "detail": "injected"}, retry_after)
                return
            if fault is not None and kind == DELAY and proxy._closing.wait(fault.seconds):
                return

            headers = {
                name: value
                for name, value in self.headers.items()
                if name.lower() not in _HOP_HEADERS
            }
            try:
                status, response_headers, content = proxy._forward(
                    self.command, self.path, headers, body
                )
            except OSError:
                # The server is down or failed mid-response, so the client gets a TCP reset.
                self._reset()
                return

            if kind == CUT_AFTER_FORWARD:
                self._reset()
                return
            if kind == MALFORMED_JSON:
                content = content[: len(content) // 2]
            elif kind == INVALID_ID_NUMBER:
                content = _break_one_id_number(content, proxy)
            try:
                self.send_response(status)
                for name, value in response_headers:
                    if name.lower() not in _HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            except OSError:
                pass  # the client gave up (for example after its read timeout)

        def _send(self, status: int, body: dict[str, str], retry_after: str | None = None) -> None:
            content = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            if retry_after is not None:
                self.send_header("Retry-After", retry_after)
            self.end_headers()
            self.wfile.write(content)

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

    return Handler


def _break_one_id_number(content: bytes, proxy: FaultProxy) -> bytes:
    """Give the first person upsert of a page an ID number with a wrong check digit."""
    page = json.loads(content)
    for item in page.get("items", []):
        data = item.get("data")
        if item.get("op") != "upsert" or not data or "id_number" not in data:
            continue
        number = data["id_number"]
        wrong_check = "0" if number[-1] != "0" else "1"
        data["id_number"] = number[:17] + wrong_check
        proxy.broken_id_numbers.append((str(item["id"]), data["id_number"]))
        break
    return json.dumps(page, ensure_ascii=False).encode()
