"""pull_all from `fpcert-server serve` running as a real subprocess on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import (
    OfficeRepository,
    PeopleRepository,
    QuarantineRepository,
    SyncStateRepository,
)
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.protocol import STREAMS
from fpcert_desktop.sync.runner import SyncRunner

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]
STREET = "440304004"


def _server(*args: str, db: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "fpcert_server", *args, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return completed.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Return the base URL of a running server and an enrolment code for the street office."""
    db = tmp_path / "server.sqlite3"
    _server("init", "--people", "200", "--seed", "5", db=db)
    code = _server("enrolment-code", "--office", STREET, db=db).strip().splitlines()[-1]
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "fpcert_server", "serve", "--db", str(db), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{base}/v1/verify/x", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail((tmp_path / "serve.log").read_text())
                time.sleep(0.2)
        yield base, code
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_pull_all_into_empty_database(served: tuple[str, str], tmp_path: Path) -> None:
    base, code = served
    credentials = SyncClient(base, workstation_credentials=None).enrol(STREET, "01", code)
    database = Database(tmp_path / "client.sqlite3")
    database.upgrade()
    progress: list[tuple[str, int]] = []

    runner = SyncRunner(
        database,
        SyncClient(base, workstation_credentials=credentials),
        progress=lambda stream, done, total: progress.append((stream, done)),
        page_size=50,
    )
    summary = runner.pull_all()
    again = runner.pull_all()

    with database.session() as session:
        people = PeopleRepository(session).count()
        office = OfficeRepository(session).get(STREET)
        quarantined = QuarantineRepository(session).list()
        as_of = SyncStateRepository(session).data_as_of("people")
    assert [stream.stream for stream in summary.streams] == list(STREAMS)
    assert people > 0
    assert office is not None
    assert quarantined == [], [record.reason for record in quarantined]
    assert as_of is not None
    assert {stream for stream, _ in progress} >= {"offices", "people"}
    assert sum(stream.upserted for stream in again.streams) == 0
    database.dispose()
