from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.domain.issuance import IssuanceStatus
from fpcert_desktop.domain.users import Role
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import (
    IssuanceRepository,
    PeopleRepository,
    UserRepository,
)

OFFICE = "440304004001"


@pytest.fixture
def ready(db: Database, offices: None, person_row: Callable[..., dict[str, Any]]) -> Database:
    with db.session() as session:
        PeopleRepository(session).add_people([person_row(1, "李娜")])
        UserRepository(session).add(
            user_id=7,
            name="陈静",
            role=Role.CLERK,
            office_code=OFFICE,
            cert_fingerprint="AB" * 32,
            workstation="01",
        )
    return db


def _issue(
    db: Database,
    workstation: str = "01",
    *,
    year: int = 2026,
    issued_at: datetime | None = None,
) -> str:
    with db.write_session() as session:
        issuance = IssuanceRepository(session).create_with_number(
            office_code=OFFICE,
            workstation=workstation,
            year=year,
            person_id=1,
            purpose_code="birth_service",
            user_id=7,
            issued_at=issued_at or datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc),
            valid_until=date(2026, 9, 2),
            policy_version="2026.1",
            content_json={"number": "x", "applicant_name": "李娜"},
        )
    return str(issuance.number)


def test_serials_count_up(ready: Database) -> None:
    numbers = [_issue(ready) for _ in range(3)]

    assert numbers == [
        "440304004001-01-2026-000001",
        "440304004001-01-2026-000002",
        "440304004001-01-2026-000003",
    ]


def test_serials_restart_each_year(ready: Database) -> None:
    _issue(ready, year=2026)

    assert _issue(ready, year=2027).endswith("-2027-000001")


def test_workstations_never_collide(ready: Database) -> None:
    first = [_issue(ready, "01") for _ in range(2)]
    second = [_issue(ready, "02") for _ in range(2)]

    assert first[0].endswith("-01-2026-000001")
    assert second[0].endswith("-02-2026-000001")
    assert not set(first) & set(second)


def test_rollback_keeps_serial(ready: Database) -> None:
    with pytest.raises(RuntimeError), ready.write_session() as session:
        IssuanceRepository(session).create_with_number(
            office_code=OFFICE,
            workstation="01",
            year=2026,
            person_id=1,
            purpose_code="birth_service",
            user_id=7,
            issued_at=datetime(2026, 3, 2, tzinfo=timezone.utc),
            valid_until=None,
            policy_version="2026.1",
            content_json="{}",
        )
        raise RuntimeError("printer preview failed")

    assert _issue(ready) == "440304004001-01-2026-000001"


def test_failed_insert_keeps_serial(ready: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), ready.write_session() as session:
        IssuanceRepository(session).create_with_number(
            office_code=OFFICE,
            workstation="01",
            year=2026,
            person_id=999,
            purpose_code="birth_service",
            user_id=7,
            issued_at=datetime(2026, 3, 2, tzinfo=timezone.utc),
            valid_until=None,
            policy_version="2026.1",
            content_json="{}",
        )

    assert _issue(ready) == "440304004001-01-2026-000001"


def test_concurrent_allocation_unique(ready: Database) -> None:
    per_thread = 25
    results: dict[str, list[str]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(key: str) -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                results[key].append(_issue(ready, "01"))
        except BaseException as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(key,)) for key in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = results["a"] + results["b"]
    assert len(set(numbers)) == 2 * per_thread
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert serials == list(range(1, 2 * per_thread + 1))


def test_new_issuance_not_printed(ready: Database) -> None:
    number = _issue(ready)

    with ready.session() as session:
        issuance = IssuanceRepository(session).get_by_number(number)

    assert issuance is not None
    assert issuance.status is IssuanceStatus.NOT_PRINTED
    assert issuance.print_attempts == 0
    assert issuance.issued_at == datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def test_print_failed_then_printed(ready: Database) -> None:
    number = _issue(ready)
    with ready.session() as session:
        repository = IssuanceRepository(session)
        found = repository.get_by_number(number)
        assert found is not None
        failed = repository.mark_print_failed(found.issuance_id, "printer offline")
        printed_at = datetime(2026, 3, 2, 9, 30, tzinfo=CHINA_TZ)
        repository.mark_printed(found.issuance_id, "HP-LaserJet", "42", printed_at)

    with ready.session() as session:
        stored = IssuanceRepository(session).get(found.issuance_id)

    assert failed.status is IssuanceStatus.NOT_PRINTED
    assert failed.print_attempts == 1
    assert failed.last_error == "printer offline"
    assert stored is not None
    assert stored.status is IssuanceStatus.PRINTED
    assert stored.print_attempts == 2
    assert stored.printer == "HP-LaserJet"
    assert stored.print_job == "42"
    assert stored.printed_at == printed_at


def test_content_round_trip(ready: Database) -> None:
    number = _issue(ready)
    with ready.session() as session:
        repository = IssuanceRepository(session)
        issuance = repository.get_by_number(number)
        assert issuance is not None
        content = repository.content(issuance.issuance_id)

    assert content == {"number": "x", "applicant_name": "李娜"}


def test_list_for_day_uses_china_time(ready: Database) -> None:
    # 2026-03-02 in China runs from 2026-03-01 16:00 to 2026-03-02 16:00 UTC.
    day_start = datetime(2026, 3, 1, 16, 0, tzinfo=timezone.utc)
    before = _issue(ready, issued_at=day_start - timedelta(seconds=1))
    first = _issue(ready, issued_at=day_start)
    last = _issue(ready, issued_at=day_start + timedelta(hours=23, minutes=59))
    after = _issue(ready, issued_at=day_start + timedelta(days=1))
    other = _issue(ready, "02", issued_at=day_start + timedelta(hours=1))

    with ready.session() as session:
        repository = IssuanceRepository(session)
        workstation_day = repository.list_for_day(OFFICE, "01", date(2026, 3, 2))
        office_day = repository.list_for_day(OFFICE, None, date(2026, 3, 2))

    assert [str(i.number) for i in workstation_day] == [first, last]
    assert [str(i.number) for i in office_day] == [first, other, last]
    assert before not in [str(i.number) for i in office_day]
    assert after not in [str(i.number) for i in office_day]


def test_last_for_person(ready: Database) -> None:
    _issue(ready, issued_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    latest = _issue(ready, issued_at=datetime(2026, 2, 1, tzinfo=timezone.utc))

    with ready.session() as session:
        repository = IssuanceRepository(session)
        found = repository.last_for_person(1)
        nobody = repository.last_for_person(2)

    assert found is not None
    assert str(found.number) == latest
    assert nobody is None


def test_naive_issued_at_rejected(ready: Database) -> None:
    with pytest.raises(ValueError, match="naive"):
        _issue(ready, issued_at=datetime(2026, 3, 2))


def test_users_by_fingerprint(ready: Database) -> None:
    with ready.session() as session:
        repository = UserRepository(session)
        user = repository.by_fingerprint("ab" * 32)
        disabled = repository.set_active(7, False)
        missing = repository.by_fingerprint("00" * 32)

    assert user is not None
    assert user.user_id == 7
    assert user.role is Role.CLERK
    assert user.active
    assert not disabled.active
    assert missing is None
