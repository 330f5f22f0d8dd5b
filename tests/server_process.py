"""Run the reference server as a real `fpcert-server serve` process on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(
    db: Path | str,
    log_path: Path,
    *,
    tls: tuple[Path, Path] | None = None,
    ca_bundle: Path | None = None,
) -> Iterator[str]:
    """Serve ``db`` on a free port and yield the base URL once the server answers.

    ``tls`` is the (certificate, key) pair for HTTPS, and ``ca_bundle`` verifies it while
    waiting. A server that exits or stays silent for 20 s fails the test with its log.
    """
    port = free_port()
    command = [sys.executable, "-m", "fpcert_server", "serve", "--db", str(db)]
    command += ["--port", str(port)]
    if tls is not None:
        command += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    scheme = "https" if tls is not None else "http"
    base = f"{scheme}://127.0.0.1:{port}"
    verify: str | bool = str(ca_bundle) if ca_bundle is not None else True

    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            _wait_until_answering(base, verify, process, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_answering(
    base: str, verify: str | bool, process: subprocess.Popen[bytes], log_path: Path
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            requests.get(f"{base}/v1/verify/x", timeout=1, verify=verify)
            return
        except (requests.ConnectionError, ssl.SSLError):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(log_path.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.2)


def server_command(*args: str, db: Path | str) -> str:
    """Run one `fpcert-server` command on ``db`` and return what it printed."""
    completed = subprocess.run(
        [sys.executable, "-m", "fpcert_server", *args, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return completed.stdout
