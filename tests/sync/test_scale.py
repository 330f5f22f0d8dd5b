"""Sync at scale: 100,000 people pulled and 1,000 issuances pushed between real processes.

The server runs as a subprocess on 127.0.0.1 and the client in this process. On a
2-core machine loading the server takes about 12 s and the pull about 100 s, because the
client applies about 1,000 people per second, so the test is marked ``slow``: run it
with ``pytest -m slow``.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from pathlib import Path

import faultproxy
import pytest
from faultproxy import ServerProcess, make_clerk_key
from sqlalchemy import func, select

from fpcert_desktop.ekey.certificates import fingerprint_sha256
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.models import ChildRow, OutboxRow, PersonRow
from fpcert_desktop.storage.repositories import OutboxRepository, QuarantineRepository
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.outbox import id_number_hash
from fpcert_desktop.sync.protocol import MAX_PAGE_SIZE
from fpcert_desktop.sync.runner import SyncRunner

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

pytestmark = pytest.mark.slow

PEOPLE = 100_000
ISSUANCES = 1_000
# The city office's area includes every synthetic person, because all of them live in 4403.
OFFICE = "440300"
WORKSTATION = "01"

log = logging.getLogger(__name__)


def test_pull_and_push_at_scale(tmp_path: Path) -> None:
    db = tmp_path / "server.sqlite3"
    started = time.monotonic()
    faultproxy.server_command("init", "--people", str(PEOPLE), db=db)
    loaded = time.monotonic()
    code = faultproxy.server_command("enrolment-code", "--office", OFFICE, db=db).split()[-1]
    clerk = make_clerk_key()
    faultproxy.server_command(
        "add-user",
        "--name",
        "测试打证员",
        "--role",
        "clerk",
        "--office",
        OFFICE,
        "--fingerprint",
        fingerprint_sha256(clerk.certificate),
        db=db,
    )
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as server_db:
        server_person_ids = {row[0] for row in server_db.execute("SELECT person_id FROM people")}
    assert len(server_person_ids) >= PEOPLE

    server = ServerProcess(db, faultproxy.free_port(), tmp_path / "serve.log")
    database = Database(tmp_path / "client.sqlite3")
    database.upgrade()
    try:
        server.start()
        credentials = SyncClient(server.base_url, workstation_credentials=None).enrol(
            OFFICE, WORKSTATION, code
        )
        client = SyncClient(server.base_url, workstation_credentials=credentials)
        runner = SyncRunner(database, client, page_size=MAX_PAGE_SIZE)

        pull_started = time.monotonic()
        summary = runner.pull_all()
        pulled = time.monotonic()

        people = next(stream for stream in summary.streams if stream.stream == "people")
        assert people.upserted == len(server_person_ids)
        assert summary.quarantined == 0
        with database.session() as session:
            client_person_ids = list(session.scalars(select(PersonRow.person_id)))
            children = session.scalar(select(func.count()).select_from(ChildRow))
            quarantined = QuarantineRepository(session).list()
        assert len(client_person_ids) == len(set(client_person_ids))
        assert set(client_person_ids) == server_person_ids
        assert children is not None
        assert children > 0
        assert quarantined == []

        clerk_session = client.start_session(clerk.sign, clerk.certificate)
        uuids = queue_issuances(database, clerk_session.user_id, sorted(server_person_ids))
        push_started = time.monotonic()
        pushed = runner.push_all(clerk_session.token, user_id=clerk_session.user_id)
        finished = time.monotonic()

        assert pushed.accepted == ISSUANCES
        assert pushed.duplicates == 0
        assert pushed.rejected == 0
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as server_db:
            stored = [row[0] for row in server_db.execute("SELECT uuid FROM pushed_issuances")]
        assert len(stored) == ISSUANCES
        assert set(stored) == uuids
        with database.session() as session:
            unsent = session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
            )
        assert unsent == 0
    finally:
        server.stop()
        database.dispose()

    log.info(
        "server init %.1f s, pull of %d people %.1f s, push of %d issuances %.1f s, total %.1f s",
        loaded - started,
        len(server_person_ids),
        pulled - pull_started,
        ISSUANCES,
        finished - push_started,
        finished - started,
    )


def queue_issuances(database: Database, user_id: int, person_ids: list[int]) -> set[str]:
    """Write one printed-issuance push item per person (the first 1,000) to the outbox."""
    with sqlite3.connect(f"file:{database.path}?mode=ro", uri=True) as client_db:
        id_numbers = dict(
            client_db.execute(
                f"SELECT person_id, id_number FROM people ORDER BY person_id LIMIT {ISSUANCES}"
            )
        )
    issued_at = dt.datetime.now(dt.timezone.utc)
    uuids = set()
    with database.session() as session:
        outbox = OutboxRepository(session)
        for serial, person_id in enumerate(person_ids[:ISSUANCES], start=1):
            item = {
                "number": f"{OFFICE}-{WORKSTATION}-{issued_at.year}-{serial:06d}",
                "office_code": OFFICE,
                "workstation": WORKSTATION,
                "person_id": person_id,
                "id_number_hash": id_number_hash(id_numbers[person_id]),
                "purpose_code": "first_child_registration",
                "issued_at": issued_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "valid_until": None,
                "status": "printed",
                "policy_version": "2026",
                "user_id": user_id,
            }
            uuids.add(outbox.add("issuances", item, at=issued_at))
    return uuids
