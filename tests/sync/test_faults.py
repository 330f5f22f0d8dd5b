"""Sync through network faults, with the real server process and a fault proxy.

Every test ends with the same checks: the server stores each pushed item exactly once,
and the client stores each person of the server's ``people`` stream exactly once. Select
these tests with ``pytest -m faults``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import faultproxy
import pytest
from faultproxy import ClerkKey, FaultProxy, ServerProcess, make_clerk_key
from sqlalchemy import func, select

from fpcert_desktop.ekey.certificates import fingerprint_sha256
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.models import ChildRow, OutboxRow, PersonRow, PregnancyRow
from fpcert_desktop.storage.repositories import (
    OutboxRepository,
    QuarantineRepository,
    SyncStateRepository,
)
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.errors import SyncConnectionError, SyncProtocolError
from fpcert_desktop.sync.outbox import id_number_hash
from fpcert_desktop.sync.protocol import ClerkSession, PulledItem, WorkstationCredentials
from fpcert_desktop.sync.runner import SyncRunner

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

pytestmark = pytest.mark.faults

PEOPLE = 600
SEED = 5
# The city office: its workstations see every synthetic person, all of whom live in 4403.
OFFICE = "440300"
WORKSTATION = "01"


@dataclass
class World:
    """A running server with an enrolled workstation, a registered clerk and a client database."""

    server: ServerProcess
    credentials: WorkstationCredentials
    clerk: ClerkKey
    database: Database
    tmp_path: Path

    def client(
        self,
        base_url: str | None = None,
        *,
        sleeps: list[float] | None = None,
        **options: Any,
    ) -> SyncClient:
        """Build a client that records its waits in ``sleeps`` instead of sleeping."""
        recorded = sleeps if sleeps is not None else []
        return SyncClient(
            base_url or self.server.base_url,
            workstation_credentials=self.credentials,
            sleep=recorded.append,
            rng=random.Random(1),
            **options,
        )

    def runner(self, client: SyncClient, page_size: int = 100, **options: Any) -> SyncRunner:
        return SyncRunner(self.database, client, page_size=page_size, **options)


@pytest.fixture(scope="module")
def server_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A loaded server database, built once per module and copied for each test."""
    path = tmp_path_factory.mktemp("fault-server") / "template.sqlite3"
    faultproxy.server_command("init", "--people", str(PEOPLE), "--seed", str(SEED), db=path)
    return path


@pytest.fixture
def world(server_template: Path, tmp_path: Path) -> Iterator[World]:
    db = tmp_path / "server.sqlite3"
    shutil.copy(server_template, db)
    code = faultproxy.server_command("enrolment-code", "--office", OFFICE, db=db).split()[-1]
    clerk = make_clerk_key()
    fingerprint = fingerprint_sha256(clerk.certificate)
    faultproxy.server_command(
        "add-user",
        "--name",
        "测试打证员",
        "--role",
        "clerk",
        "--office",
        OFFICE,
        "--fingerprint",
        fingerprint,
        db=db,
    )
    server = ServerProcess(db, faultproxy.free_port(), tmp_path / "serve.log")
    database = Database(tmp_path / "client.sqlite3")
    database.upgrade()
    try:
        server.start()
        credentials = SyncClient(server.base_url, workstation_credentials=None).enrol(
            OFFICE, WORKSTATION, code
        )
        yield World(server, credentials, clerk, database, tmp_path)
    finally:
        server.stop()
        database.dispose()


@pytest.fixture
def proxy(world: World) -> Iterator[FaultProxy]:
    with FaultProxy(world.server.port) as running:
        yield running


# Invariant checks ---------------------------------------------------------------------


def server_people(world: World) -> dict[str, dict[str, Any]]:
    """Pull the whole ``people`` stream straight from the server; return the live records."""
    client = world.client()
    records: dict[str, dict[str, Any]] = {}
    cursor = None
    for _ in range(1000):
        page = client.pull("people", cursor, 5000)
        for item in page.items:
            if item.op == "upsert":
                assert item.data is not None
                records[item.id] = dict(item.data)
            else:
                records.pop(item.id, None)
        cursor = page.next_cursor
        if not page.has_more:
            return records
    raise AssertionError("the people stream did not end within 1000 pages")


def assert_people_pulled_once(world: World, *, quarantined: frozenset[str] = frozenset()) -> None:
    """Check that the client stores each live person of the server once, minus ``quarantined``."""
    expected = {
        person_id: data
        for person_id, data in server_people(world).items()
        if person_id not in quarantined
    }
    with world.database.session() as session:
        person_ids = [str(value) for value in session.scalars(select(PersonRow.person_id))]
        children = session.scalar(select(func.count()).select_from(ChildRow))
        pregnancies = session.scalar(select(func.count()).select_from(PregnancyRow))
        quarantine = QuarantineRepository(session).list()

    assert len(person_ids) == len(set(person_ids))
    assert set(person_ids) == set(expected)
    assert children == sum(len(data["children"]) for data in expected.values())
    expected_pregnancies = sum(
        1 for data in expected.values() if data["pregnancy"] and data["sex"] == "female"
    )
    assert pregnancies == expected_pregnancies
    assert {record.entity_id for record in quarantine if record.stream == "people"} == quarantined


def assert_pushed_once(world: World, uuids: set[str]) -> None:
    """Check that the server stores each of ``uuids`` once and the client marked them sent."""
    with sqlite3.connect(f"file:{world.server.db}?mode=ro", uri=True) as server_db:
        counts = dict(
            server_db.execute("SELECT uuid, COUNT(*) FROM pushed_issuances GROUP BY uuid")
        )
    assert set(counts) == uuids
    assert set(counts.values()) == {1}
    with world.database.session() as session:
        unsent = session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
        )
    assert unsent == 0


# Outbox and session helpers -----------------------------------------------------------


def queue_issuances(world: World, user_id: int, count: int, *, first_serial: int = 1) -> set[str]:
    """Write ``count`` printed-issuance push items to the client outbox; return their UUIDs."""
    people = sorted(server_people(world).values(), key=lambda data: data["person_id"])
    issued_at = dt.datetime.now(dt.timezone.utc)
    uuids = set()
    with world.database.session() as session:
        outbox = OutboxRepository(session)
        for index in range(count):
            person = people[index % len(people)]
            serial = first_serial + index
            item = {
                "number": f"{OFFICE}-{WORKSTATION}-{issued_at.year}-{serial:06d}",
                "office_code": OFFICE,
                "workstation": WORKSTATION,
                "person_id": person["person_id"],
                "id_number_hash": id_number_hash(person["id_number"]),
                "purpose_code": "first_child_registration",
                "issued_at": issued_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "valid_until": None,
                "status": "printed",
                "policy_version": "2026",
                "user_id": user_id,
            }
            uuids.add(outbox.add("issuances", item, at=issued_at))
    return uuids


def open_session(world: World, client: SyncClient) -> ClerkSession:
    return client.start_session(world.clerk.sign, world.clerk.certificate)


def people_count(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(PersonRow)) or 0)


def stored_cursor(database: Database, stream: str = "people") -> str | None:
    with database.session() as session:
        return SyncStateRepository(session).cursor(stream)


def items_before_cursor(world: World, cursor: str, page_size: int) -> list[PulledItem]:
    """Return the ``people`` items of the pages that end at ``cursor``, fetched again."""
    client = world.client()
    items: list[PulledItem] = []
    position = None
    for _ in range(1000):
        page = client.pull("people", position, page_size)
        items.extend(page.items)
        position = page.next_cursor
        if position == cursor:
            return items
        if not page.has_more:
            break
    raise AssertionError(f"cursor {cursor!r} is not a page boundary of size {page_size}")


def cursor_of(path: str) -> str | None:
    values = parse_qs(urlsplit(path).query).get("cursor")
    return values[0] if values else None


# Scenarios ----------------------------------------------------------------------------


def test_server_down_at_start(world: World) -> None:
    world.server.stop()
    sleeps: list[float] = []
    runner = world.runner(world.client(sleeps=sleeps, max_attempts=3))

    with pytest.raises(SyncConnectionError) as raised:
        runner.pull_all()

    assert raised.value.code == "unreachable"
    assert len(sleeps) == 2
    with world.database.session() as session:
        offices = SyncStateRepository(session).get("offices")
    assert offices is not None
    assert offices.cursor is None
    assert offices.last_error is not None
    assert people_count(world.database) == 0

    world.server.start()
    client = world.client()
    summary = runner.pull_all()
    session = open_session(world, client)
    uuids = queue_issuances(world, session.user_id, 20)
    pushed = world.runner(client).push_all(session.token, user_id=session.user_id)

    assert summary.quarantined == 0
    assert pushed.accepted == 20
    assert_people_pulled_once(world)
    assert_pushed_once(world, uuids)


def test_server_down_between_pages(world: World) -> None:
    page_size = 50
    stopped_after: list[int] = []

    def stop_after_two_pages(stream: str, done: int, total: int | None) -> None:
        if stream == "people" and done >= 2 * page_size and not stopped_after:
            stopped_after.append(done)
            world.server.stop()

    client = world.client(max_attempts=2)
    runner = world.runner(client, page_size, progress=stop_after_two_pages)
    with pytest.raises(SyncConnectionError) as raised:
        runner.pull_all()

    assert raised.value.code == "unreachable"
    assert stopped_after == [2 * page_size]
    assert people_count(world.database) == 2 * page_size
    cursor = stored_cursor(world.database)
    assert cursor is not None

    world.server.start()
    assert len(items_before_cursor(world, cursor, page_size)) == 2 * page_size

    summary = world.runner(world.client(), page_size).pull_all()

    people = next(stream for stream in summary.streams if stream.stream == "people")
    assert people.upserted == len(server_people(world)) - 2 * page_size
    assert_people_pulled_once(world)


def test_read_timeout_is_retried(world: World, proxy: FaultProxy) -> None:
    proxy.inject(faultproxy.DELAY, "/v1/streams/people", seconds=3)
    sleeps: list[float] = []
    client = world.client(proxy.base_url, sleeps=sleeps, timeout=(1.0, 2.0))

    started = time.monotonic()
    summary = world.runner(client).pull_all()
    elapsed = time.monotonic() - started

    assert proxy.faults_applied(faultproxy.DELAY) == 1
    assert len(sleeps) == 1
    assert elapsed >= 2.0
    assert summary.quarantined == 0
    assert_people_pulled_once(world)


def test_server_error_once_is_retried(world: World, proxy: FaultProxy) -> None:
    proxy.inject(faultproxy.ERROR_500, "/v1/streams/people", skip=1)
    proxy.inject(faultproxy.ERROR_500, "/v1/push/issuances")
    sleeps: list[float] = []
    client = world.client(proxy.base_url, sleeps=sleeps)

    world.runner(client).pull_all()
    session = open_session(world, client)
    uuids = queue_issuances(world, session.user_id, 30)
    pushed = world.runner(client).push_all(session.token, user_id=session.user_id)

    assert proxy.faults_applied(faultproxy.ERROR_500) == 2
    assert proxy.pending_faults() == []
    assert len(sleeps) == 2
    assert pushed.accepted == 30
    assert pushed.duplicates == 0
    assert_people_pulled_once(world)
    assert_pushed_once(world, uuids)


def test_busy_429_waits_retry_after(world: World, proxy: FaultProxy) -> None:
    proxy.inject(faultproxy.BUSY_429, "/v1/streams/people", retry_after="1")
    proxy.inject(faultproxy.BUSY_429, "/v1/push/issuances", retry_after="2")
    sleeps: list[float] = []
    client = world.client(proxy.base_url, sleeps=sleeps)

    world.runner(client).pull_all()
    session = open_session(world, client)
    uuids = queue_issuances(world, session.user_id, 10)
    pushed = world.runner(client).push_all(session.token, user_id=session.user_id)

    assert proxy.faults_applied(faultproxy.BUSY_429) == 2
    assert sleeps == [1.0, 2.0]
    assert pushed.accepted == 10
    assert_people_pulled_once(world)
    assert_pushed_once(world, uuids)


def test_push_response_lost_after_commit(world: World, proxy: FaultProxy) -> None:
    client = world.client(proxy.base_url)
    world.runner(client).pull_all()
    session = open_session(world, client)
    uuids = queue_issuances(world, session.user_id, 40)

    # First the client gives up after one attempt: the items stay in the outbox,
    # although the server has committed them.
    proxy.inject(faultproxy.CUT_AFTER_FORWARD, "/v1/push/issuances")
    single_try = world.client(proxy.base_url, max_attempts=1)
    with pytest.raises(SyncConnectionError):
        world.runner(single_try).push_all(session.token, user_id=session.user_id)
    with world.database.session() as local:
        assert len(OutboxRepository(local).pending("issuances")) == 40

    again = world.runner(client).push_all(session.token, user_id=session.user_id)

    assert again.accepted == 0
    assert again.duplicates == 40
    assert_pushed_once(world, uuids)

    # Then the response is lost inside one push_all: its own retry gets the duplicates.
    more = queue_issuances(world, session.user_id, 15, first_serial=100)
    proxy.inject(faultproxy.CUT_AFTER_FORWARD, "/v1/push/issuances")
    sleeps: list[float] = []
    retried = world.runner(world.client(proxy.base_url, sleeps=sleeps)).push_all(
        session.token, user_id=session.user_id
    )

    assert proxy.faults_applied(faultproxy.CUT_AFTER_FORWARD) == 2
    assert len(sleeps) == 1
    assert retried.accepted == 0
    assert retried.duplicates == 15
    assert_pushed_once(world, uuids | more)
    assert_people_pulled_once(world)


def test_malformed_page_keeps_cursor(world: World, proxy: FaultProxy) -> None:
    page_size = 50
    proxy.inject(faultproxy.MALFORMED_JSON, "/v1/streams/people", skip=1)
    runner = world.runner(world.client(proxy.base_url), page_size)

    with pytest.raises(SyncProtocolError) as raised:
        runner.pull_all()

    assert raised.value.code == "bad_response"
    assert "cannot read" in raised.value.message.english
    people_requests = proxy.paths(prefix="/v1/streams/people")
    assert len(people_requests) == 2
    assert stored_cursor(world.database) == cursor_of(people_requests[1])
    assert people_count(world.database) == page_size
    with world.database.session() as session:
        state = SyncStateRepository(session).get("people")
    assert state is not None
    assert state.last_error is not None

    runner.pull_all()

    retried = proxy.paths(prefix="/v1/streams/people")[2]
    assert cursor_of(retried) == cursor_of(people_requests[1])
    assert_people_pulled_once(world)


def test_invalid_id_number_is_quarantined(world: World, proxy: FaultProxy) -> None:
    proxy.inject(faultproxy.INVALID_ID_NUMBER, "/v1/streams/people", skip=2)

    summary = world.runner(world.client(proxy.base_url)).pull_all()

    assert len(proxy.broken_id_numbers) == 1
    broken_id, _ = proxy.broken_id_numbers[0]
    assert summary.quarantined == 1
    with world.database.session() as session:
        records = QuarantineRepository(session).list()
    assert [(record.stream, record.entity_id) for record in records] == [("people", broken_id)]
    assert "id_number is invalid" in records[0].reason
    assert_people_pulled_once(world, quarantined=frozenset({broken_id}))


# The pull that is killed: it runs SyncRunner in a separate Python process.
_CHILD_PULL = """
import json, sys
from fpcert_desktop.storage import Database
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.protocol import WorkstationCredentials
from fpcert_desktop.sync.runner import SyncRunner

options = json.loads(sys.argv[1])
database = Database(options["database"])
client = SyncClient(
    options["base_url"],
    workstation_credentials=WorkstationCredentials(options["workstation_id"], options["secret"]),
)
SyncRunner(database, client, page_size=options["page_size"]).pull_all()
"""


def test_client_killed_mid_pull(world: World) -> None:
    page_size = 25
    options = {
        "database": str(world.database.path),
        "base_url": world.server.base_url,
        "workstation_id": world.credentials.workstation_id,
        "secret": world.credentials.secret,
        "page_size": page_size,
    }
    pause_after_first_page = [0.0, 0.05, 0.15]
    for pause in pause_after_first_page:
        before = stored_cursor(world.database)
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD_PULL, json.dumps(options)],
            cwd=faultproxy.ROOT,
            env={**os.environ, "PYTHONPATH": str(faultproxy.ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 30
            while stored_cursor(world.database) == before:
                assert child.poll() is None, child.stderr.read() if child.stderr else ""
                assert time.monotonic() < deadline, "the child stored no cursor within 30 s"
                time.sleep(0.005)
            time.sleep(pause)
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
            if child.stderr is not None:
                child.stderr.close()

        # Each page is applied with its cursor in one transaction, so the people on
        # record are exactly those of the pages before the stored cursor.
        cursor = stored_cursor(world.database)
        assert cursor is not None
        assert child.returncode == -signal.SIGKILL
        applied = items_before_cursor(world, cursor, page_size)
        assert people_count(world.database) == len({item.id for item in applied})

    summary = world.runner(world.client(), page_size).pull_all()

    assert summary.quarantined == 0
    assert_people_pulled_once(world)


@pytest.mark.parametrize("offset_hours", [1, -1])
def test_client_clock_hour_off(world: World, proxy: FaultProxy, offset_hours: int) -> None:
    offset = dt.timedelta(hours=offset_hours)

    def skewed_clock() -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc) + offset

    # The proxy sends Retry-After as an HTTP date two seconds after the real clock,
    # which the server process shares, and a Date header from the same clock.
    proxy.inject(faultproxy.BUSY_429, "/v1/streams/people", retry_at_offset=2)
    sleeps: list[float] = []
    client = world.client(proxy.base_url, sleeps=sleeps, clock=skewed_clock)

    started = dt.datetime.now(dt.timezone.utc)
    session = open_session(world, client)
    world.runner(client).pull_all()
    uuids = queue_issuances(world, session.user_id, 5)
    pushed = world.runner(client).push_all(session.token, user_id=session.user_id)
    finished = dt.datetime.now(dt.timezone.utc)

    # Expiries and as_of are the server's times, which follow the real clock.
    second = dt.timedelta(seconds=1)
    assert started - second <= session.expires_at - dt.timedelta(hours=8) <= finished + second
    with world.database.session() as local:
        as_of = SyncStateRepository(local).data_as_of("people")
    assert as_of is not None
    assert started - second <= as_of <= finished + second
    assert len(sleeps) == 1
    assert 1.0 <= sleeps[0] <= 3.0
    assert pushed.accepted == 5
    assert_people_pulled_once(world)
    assert_pushed_once(world, uuids)
