"""GET /v1/reports/daily: counts of pushed records, limited to the caller's jurisdiction."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.reports import DailyReport, ReportSource
from fpcert_desktop.domain.users import Role
from fpcert_desktop.services.context import ServiceContext, UserSession, Workstation
from fpcert_desktop.services.reports import ReportService
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import OfficeRepository, UserRepository
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.protocol import WorkstationCredentials
from fpcert_server.app import create_app
from fpcert_server.models import OfficeRow, UserRow
from tests.server.conftest import NOW, STREET, Clock, KeyPair, enrol, open_session
from tests.server_process import free_port

DAY = "2026-12-04"


@dataclass
class Caller:
    headers: dict[str, str]
    user_id: int
    office: str
    key: KeyPair


def add_user(db: Callable[[], Session], key: KeyPair, office: str, role: str, name: str) -> int:
    with db() as session, session.begin():
        user = UserRow(
            name=name,
            role=role,
            office_code=office,
            cert_fingerprint=key.fingerprint,
            active=True,
            version=1,
        )
        session.add(user)
        session.flush()
        return user.user_id


def caller(
    client: TestClient,
    db: Callable[[], Session],
    make_key: Callable[..., KeyPair],
    office: str,
    *,
    role: str = "clerk",
    name: str = "测试打证员",
    workstation: str = "01",
) -> Caller:
    headers = enrol(client, db, office, workstation)
    key = make_key(name)
    user_id = add_user(db, key, office, role, name)
    response = open_session(client, headers, key)
    assert response.status_code == 200, response.text
    token = response.json()["session_token"]
    return Caller({**headers, "X-Clerk-Session": token}, user_id, office, key)


def children(db: Callable[[], Session], parent: str) -> list[str]:
    with db() as session:
        query = select(OfficeRow.code).where(OfficeRow.parent_code == parent)
        return sorted(session.scalars(query))


def push(client: TestClient, who: Caller, kind: str, items: list[dict[str, object]]) -> None:
    response = client.post(f"/v1/push/{kind}", headers=who.headers, json={"items": items})
    assert response.status_code == 200, response.text
    assert response.json()["rejected"] == [], response.text


def issuance(
    who: Caller, serial: int, issued_at: str, status: str = "printed"
) -> dict[str, object]:
    return {
        "uuid": str(uuid.uuid4()),
        "number": f"{who.office}-01-2026-{serial:06d}",
        "office_code": who.office,
        "workstation": "01",
        "person_id": 1,
        "id_number_hash": "ab" * 32,
        "purpose_code": "child_medical_insurance",
        "issued_at": issued_at,
        "valid_until": None,
        "status": status,
        "policy_version": "2012-04-25",
        "user_id": who.user_id,
    }


def refusal(who: Caller, seq: int, at: str, rule: str) -> dict[str, object]:
    return {
        "uuid": str(uuid.uuid4()),
        "seq": seq,
        "at": at,
        "user_id": who.user_id,
        "user_name": "测试打证员",
        "workstation": "01",
        "event": "print_refused",
        "subject": "440304********9805",
        "details": {"rule": rule, "purpose": "birth_hukou_registration", "office": who.office},
        "prev_hash": f"{seq - 1:064x}",
        "hash": f"{seq:064x}",
    }


@dataclass
class Area:
    community: Caller
    sibling: Caller
    supervisor: Caller
    sibling_street: str


@pytest.fixture
def area(client: TestClient, db: Callable[[], Session], make_key: Callable[..., KeyPair]) -> Area:
    """A clerk in a community of STREET and one in a sibling street, each with pushes."""
    community = children(db, STREET)[0]
    sibling_street = next(code for code in children(db, STREET[:6]) if code != STREET)
    sibling_community = children(db, sibling_street)[0]
    clerk = caller(client, db, make_key, community, name="王小红")
    sibling = caller(client, db, make_key, sibling_community, name="陈平")
    supervisor = caller(
        client, db, make_key, STREET, role="supervisor", name="周主任", workstation="09"
    )

    # 09:00 and 23:30 China time on DAY, 00:30 the next day, and one the day before.
    first = issuance(clerk, 1, "2026-12-04T01:00:00Z")
    push(
        client,
        clerk,
        "issuances",
        [
            issuance(clerk, 1, "2026-12-04T01:00:00Z", "not_printed"),
            first,
            issuance(clerk, 2, "2026-12-04T15:30:00Z"),
            issuance(clerk, 3, "2026-12-04T16:30:00Z"),
            issuance(clerk, 4, "2026-12-03T02:00:00Z"),
            issuance(clerk, 5, "2026-12-04T03:00:00Z", "not_printed"),
        ],
    )
    push(
        client,
        clerk,
        "voids",
        [
            {
                "uuid": str(uuid.uuid4()),
                "number": first["number"],
                "reason": "卡纸",
                "voided_at": "2026-12-04T05:00:00Z",
                "user_id": clerk.user_id,
            }
        ],
    )
    push(
        client,
        clerk,
        "reprints",
        [
            {
                "uuid": str(uuid.uuid4()),
                "number": first["number"],
                "reason": "卡纸",
                "reprinted_at": "2026-12-04T02:00:00Z",
                "user_id": clerk.user_id,
            }
        ],
    )
    push(
        client,
        clerk,
        "audit_events",
        [
            refusal(clerk, 1, "2026-12-04T03:00:00.000000+00:00", "level"),
            refusal(clerk, 2, "2026-12-04T03:10:00.000000+00:00", "problem_list"),
            refusal(clerk, 3, "2026-12-03T03:00:00.000000+00:00", "level"),
        ],
    )
    push(client, sibling, "issuances", [issuance(sibling, 1, "2026-12-04T02:00:00Z")])
    return Area(clerk, sibling, supervisor, sibling_street)


def get_report(client: TestClient, who: Caller, office: str, day: str = DAY):  # noqa: ANN201
    return client.get(
        "/v1/reports/daily", headers=who.headers, params={"date": day, "office": office}
    )


def test_street_supervisor_sees_its_communities(client: TestClient, area: Area) -> None:
    response = get_report(client, area.supervisor, STREET)
    assert response.status_code == 200, response.text
    report = DailyReport.from_json_dict(response.json())

    assert report.source is ReportSource.SERVER
    assert [row.office_code for row in report.rows] == [area.community.office]
    row = report.rows[0]
    assert row.clerk_name == "王小红"
    assert row.printed_for("child_medical_insurance") == 2
    assert row.not_printed == 1
    assert row.voids == 1
    assert row.reprints == 1
    assert row.refused_for("level") == 1
    assert row.refused_for("problem_list") == 1
    assert row.waiting_sync is None
    assert report.totals.printed == 2
    assert report.previous_day.printed == 1
    assert report.previous_day.refusals == 1
    assert report.change_from_previous_day.printed == 1


def test_next_day_counts_midnight_print(client: TestClient, area: Area) -> None:
    response = get_report(client, area.supervisor, STREET, "2026-12-05")
    assert response.status_code == 200, response.text
    assert response.json()["totals"]["printed"] == 1


def test_sibling_street_is_outside(client: TestClient, area: Area) -> None:
    for office in (area.sibling_street, area.sibling.office):
        response = get_report(client, area.supervisor, office)
        assert response.status_code == 403, office
        assert response.json()["error"] == "outside_jurisdiction"


def test_clerk_reads_only_own_office(client: TestClient, area: Area) -> None:
    assert get_report(client, area.community, STREET).status_code == 403
    own = get_report(client, area.community, area.community.office)
    assert own.status_code == 200
    assert own.json()["totals"]["printed"] == 2


def test_report_needs_session_and_known_office(client: TestClient, area: Area) -> None:
    without_session = {
        key: value for key, value in area.supervisor.headers.items() if key != "X-Clerk-Session"
    }
    response = client.get(
        "/v1/reports/daily", headers=without_session, params={"date": DAY, "office": STREET}
    )
    assert response.status_code == 401
    assert get_report(client, area.supervisor, "440304999").status_code == 404
    bad_date = get_report(client, area.supervisor, STREET, "2026-13-01")
    assert bad_date.status_code == 400
    assert bad_date.json()["error"] == "invalid_request"


# --- the report service against the server over real HTTP ---------------------------


@pytest.fixture
def live_url(database_url: str, clock: Clock) -> Iterator[str]:
    """Serve the same database over HTTP on 127.0.0.1 in a thread."""
    port = free_port()
    config = uvicorn.Config(
        create_app(database_url, clock=clock), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_report_service_asks_server(
    area: Area, live_url: str, tmp_path: Path, db: Callable[[], Session]
) -> None:
    database = Database(tmp_path / "client.sqlite3")
    database.upgrade()
    with db() as server_db:
        offices = list(
            server_db.scalars(select(OfficeRow).where(OfficeRow.code.startswith("4403")))
        )
    with database.write_session() as local:
        from fpcert_desktop.domain.offices import Office, OfficeLevel

        OfficeRepository(local).add_many(
            Office(row.code, row.name, OfficeLevel(row.level), row.parent_code)
            for row in sorted(offices, key=lambda row: len(row.code))
        )
        user = UserRepository(local).add(
            name="周主任",
            role=Role.SUPERVISOR,
            office_code=STREET,
            cert_fingerprint=area.supervisor.key.fingerprint,
        )
        office = OfficeRepository(local).get(STREET)
    assert office is not None
    context = ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="09"),
        printer_factory=lambda: None,  # type: ignore[arg-type, return-value]
        clock=lambda: NOW + dt.timedelta(hours=1),
    )
    credentials = WorkstationCredentials(*area.supervisor.headers["Authorization"][7:].split("."))
    service = ReportService(
        context,
        client_factory=lambda: SyncClient(live_url, workstation_credentials=credentials),
    )
    session = UserSession(
        user=user,
        office=office,
        workstation=Workstation(code="09"),
        token_serial="test",
        fingerprint=user.cert_fingerprint,
        logged_in_at=NOW,
        certificate_der=area.supervisor.key.certificate,
    )

    report = service.daily(session, dt.date(2026, 12, 4), STREET, sign=area.supervisor.key.sign)

    assert report.source is ReportSource.SERVER
    assert report.fallback_reason == ""
    assert report.totals.printed == 2
    assert report.purposes[0].name == "办理少儿医保"
    assert report.outbox_pending == 0
    database.dispose()
