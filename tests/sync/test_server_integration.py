"""pull_all from `fpcert-server serve` running as a real subprocess on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
from tests.server_process import running_server, server_command

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]
STREET = "440304004"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Return the base URL of a running server and an enrolment code for the street office."""
    db = tmp_path / "server.sqlite3"
    server_command("init", "--people", "200", "--seed", "5", db=db)
    code = server_command("enrolment-code", "--office", STREET, db=db).strip().splitlines()[-1]
    with running_server(db, tmp_path / "serve.log") as base:
        yield base, code


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
