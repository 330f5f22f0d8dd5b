from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.domain.history import (
    CheckCertificate,
    CheckOwner,
    OriginalDocument,
    OriginalsConfirmation,
)
from fpcert_desktop.domain.issuance import IssuanceStatus
from fpcert_desktop.domain.policy import Retention
from fpcert_desktop.domain.users import Role
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import (
    IssuanceRepository,
    IssuanceStateError,
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


def _issue_printed(db: Database, issued_at: datetime, **extra: Any) -> str:
    """Issue a certificate, mark it printed and return its issuance id."""
    with db.write_session() as session:
        repository = IssuanceRepository(session)
        issuance = repository.create_with_number(
            office_code=OFFICE,
            workstation="01",
            year=issued_at.year,
            person_id=1,
            purpose_code="birth_service",
            user_id=7,
            issued_at=issued_at,
            valid_until=None,
            policy_version="2026.1",
            content_json="{}",
            **extra,
        )
        repository.mark_printed(issuance.issuance_id, "HP-LaserJet", "1", issued_at)
    return issuance.issuance_id


def _id_of(db: Database, number: str) -> str:
    with db.session() as session:
        issuance = IssuanceRepository(session).get_by_number(number)
    assert issuance is not None
    return issuance.issuance_id


def test_counter_fields_round_trip(ready: Database) -> None:
    originals = OriginalsConfirmation(
        documents=(OriginalDocument.ID_CARD, OriginalDocument.MARRIAGE_CERTIFICATE),
        applicant_signed=True,
    )
    check = CheckCertificate(
        owner=CheckOwner.SPOUSE,
        issued_on=date(2026, 2, 20),
        number="FT-2026-0153",
        institution_code="440304-01",
    )
    issuance_id = _issue_printed(
        ready,
        datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc),
        originals=originals,
        check_certificate=check,
        retention=Retention.ONE_YEAR,
        dispose_after=date(2027, 3, 2),
    )

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)

    assert stored is not None
    assert stored.originals == originals
    assert stored.check_certificate == check
    assert stored.retention is Retention.ONE_YEAR
    assert stored.dispose_after == date(2027, 3, 2)
    assert stored.reprint_count == 0


def test_counter_fields_default_empty(ready: Database) -> None:
    number = _issue(ready)

    with ready.session() as session:
        stored = IssuanceRepository(session).get_by_number(number)

    assert stored is not None
    assert stored.originals is None
    assert stored.check_certificate is None
    assert stored.retention is None
    assert stored.dispose_after is None


def test_retention_given_as_text(ready: Database) -> None:
    issuance_id = _issue_printed(
        ready, datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc), retention="long_term"
    )

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)

    assert stored is not None
    assert stored.retention is Retention.LONG_TERM
    assert stored.dispose_after is None


@pytest.mark.parametrize(
    ("retention", "dispose_after", "message"),
    [
        ("forever", None, "invalid retention"),
        (Retention.LONG_TERM, date(2027, 1, 1), "long-term"),
        (Retention.ONE_YEAR, None, "requires a dispose_after"),
        (None, date(2027, 1, 1), "without a retention"),
    ],
)
def test_retention_checked(
    ready: Database, retention: str | None, dispose_after: date | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _issue_printed(
            ready,
            datetime(2026, 3, 2, tzinfo=timezone.utc),
            retention=retention,
            dispose_after=dispose_after,
        )

    assert _issue(ready).endswith("-000001")


def test_void_records_who_and_why(ready: Database) -> None:
    issuance_id = _id_of(ready, _issue(ready))
    voided_at = datetime(2026, 3, 2, 10, 0, tzinfo=CHINA_TZ)

    with ready.session() as session:
        voided = IssuanceRepository(session).void(
            issuance_id, user_id=7, reason="  paper jammed, number spoiled ", at=voided_at
        )

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)

    assert voided.status is IssuanceStatus.VOIDED
    assert stored == voided
    assert stored.voided_at == voided_at
    assert stored.voided_by == 7
    assert stored.void_reason == "paper jammed, number spoiled"


def test_void_printed_certificate(ready: Database) -> None:
    issuance_id = _issue_printed(ready, datetime(2026, 3, 2, tzinfo=timezone.utc))

    with ready.session() as session:
        voided = IssuanceRepository(session).void(
            issuance_id, user_id=7, reason="wrong purpose", at=datetime.now(timezone.utc)
        )

    assert voided.status is IssuanceStatus.VOIDED
    assert voided.printed_at is not None


@pytest.mark.parametrize("reason", ["", "   "])
def test_void_needs_reason(ready: Database, reason: str) -> None:
    issuance_id = _id_of(ready, _issue(ready))

    with pytest.raises(ValueError, match="void reason is missing"), ready.session() as session:
        IssuanceRepository(session).void(
            issuance_id, user_id=7, reason=reason, at=datetime.now(timezone.utc)
        )

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)
    assert stored is not None
    assert stored.status is IssuanceStatus.NOT_PRINTED


def test_void_reason_rejects_full_id_number(ready: Database) -> None:
    issuance_id = _id_of(ready, _issue(ready))

    with pytest.raises(ValueError, match="full ID number"), ready.session() as session:
        IssuanceRepository(session).void(
            issuance_id,
            user_id=7,
            reason="issued to 440304199005010027 by mistake",
            at=datetime.now(timezone.utc),
        )


def test_void_twice_rejected(ready: Database) -> None:
    issuance_id = _id_of(ready, _issue(ready))
    first_at = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
    with ready.session() as session:
        IssuanceRepository(session).void(issuance_id, user_id=7, reason="spoiled", at=first_at)

    with pytest.raises(IssuanceStateError, match="already voided"), ready.session() as session:
        IssuanceRepository(session).void(
            issuance_id, user_id=7, reason="again", at=datetime.now(timezone.utc)
        )

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)
    assert stored is not None
    assert stored.void_reason == "spoiled"
    assert stored.voided_at == first_at


def test_void_unknown_issuance(ready: Database) -> None:
    with pytest.raises(LookupError, match="not found"), ready.session() as session:
        IssuanceRepository(session).void(
            "missing", user_id=7, reason="spoiled", at=datetime.now(timezone.utc)
        )


def test_voided_cannot_be_printed(ready: Database) -> None:
    issuance_id = _id_of(ready, _issue(ready))
    with ready.session() as session:
        IssuanceRepository(session).void(
            issuance_id, user_id=7, reason="spoiled", at=datetime.now(timezone.utc)
        )

    with pytest.raises(IssuanceStateError, match="voided"), ready.session() as session:
        IssuanceRepository(session).mark_printed(
            issuance_id, "HP-LaserJet", "9", datetime.now(timezone.utc)
        )

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)
    assert stored is not None
    assert stored.status is IssuanceStatus.VOIDED
    assert stored.printed_at is None


def test_voided_number_not_reused(ready: Database) -> None:
    first = _issue(ready)
    second = _issue(ready)
    with ready.session() as session:
        IssuanceRepository(session).void(
            _id_of(ready, second), user_id=7, reason="spoiled", at=datetime.now(timezone.utc)
        )

    third = _issue(ready)

    assert first.endswith("-000001")
    assert second.endswith("-000002")
    assert third.endswith("-000003")
    with ready.session() as session:
        voided = IssuanceRepository(session).get_by_number(second)
    assert voided is not None
    assert voided.status is IssuanceStatus.VOIDED


def test_record_reprint_counts(ready: Database) -> None:
    issuance_id = _issue_printed(ready, datetime(2026, 3, 2, tzinfo=timezone.utc))
    second_at = datetime(2026, 3, 5, 9, 0, tzinfo=CHINA_TZ)

    with ready.session() as session:
        repository = IssuanceRepository(session)
        first = repository.record_reprint(
            issuance_id, reason="applicant lost it", at=datetime(2026, 3, 3, tzinfo=timezone.utc)
        )
        second = repository.record_reprint(issuance_id, reason="toner smudged", at=second_at)

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)

    assert first.reprint_count == 1
    assert second.reprint_count == 2
    assert stored == second
    assert stored.last_reprint_reason == "toner smudged"
    assert stored.last_reprinted_at == second_at
    assert stored.status is IssuanceStatus.PRINTED
    assert stored.print_attempts == 1


def test_reprint_needs_reason(ready: Database) -> None:
    issuance_id = _issue_printed(ready, datetime(2026, 3, 2, tzinfo=timezone.utc))

    with pytest.raises(ValueError, match="reprint reason"), ready.session() as session:
        IssuanceRepository(session).record_reprint(
            issuance_id, reason=" ", at=datetime.now(timezone.utc)
        )


def test_reprint_only_printed(ready: Database) -> None:
    not_printed = _id_of(ready, _issue(ready))
    voided = _issue_printed(ready, datetime(2026, 3, 2, tzinfo=timezone.utc))
    with ready.session() as session:
        IssuanceRepository(session).void(
            voided, user_id=7, reason="spoiled", at=datetime.now(timezone.utc)
        )

    for issuance_id in (not_printed, voided):
        with (
            pytest.raises(IssuanceStateError, match="only a printed"),
            ready.session() as session,
        ):
            IssuanceRepository(session).record_reprint(
                issuance_id, reason="lost", at=datetime.now(timezone.utc)
            )

    with ready.session() as session:
        repository = IssuanceRepository(session)
        stored = [repository.get(issuance_id) for issuance_id in (not_printed, voided)]
    assert [issuance.reprint_count if issuance else None for issuance in stored] == [0, 0]


def test_last_issued_on_none(ready: Database) -> None:
    with ready.session() as session:
        assert IssuanceRepository(session).last_issued_on(1) is None


def test_last_issued_on_latest_printed(ready: Database) -> None:
    _issue_printed(ready, datetime(2026, 1, 10, 2, 0, tzinfo=timezone.utc))
    _issue_printed(ready, datetime(2026, 2, 10, 2, 0, tzinfo=timezone.utc))
    _issue_printed(ready, datetime(2025, 12, 1, 2, 0, tzinfo=timezone.utc))

    with ready.session() as session:
        assert IssuanceRepository(session).last_issued_on(1) == date(2026, 2, 10)


def test_last_issued_on_skips_voided_unprinted(ready: Database) -> None:
    _issue_printed(ready, datetime(2026, 1, 10, 2, 0, tzinfo=timezone.utc))
    voided = _issue_printed(ready, datetime(2026, 2, 10, 2, 0, tzinfo=timezone.utc))
    _issue(ready, issued_at=datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc))
    with ready.session() as session:
        IssuanceRepository(session).void(
            voided, user_id=7, reason="wrong person", at=datetime.now(timezone.utc)
        )

    with ready.session() as session:
        assert IssuanceRepository(session).last_issued_on(1) == date(2026, 1, 10)


def test_last_issued_on_only_unprinted(ready: Database) -> None:
    _issue(ready, issued_at=datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc))

    with ready.session() as session:
        assert IssuanceRepository(session).last_issued_on(1) is None


def test_last_issued_on_other_workstation(ready: Database) -> None:
    with ready.write_session() as session:
        repository = IssuanceRepository(session)
        issuance = repository.create_with_number(
            office_code=OFFICE,
            workstation="02",
            year=2026,
            person_id=1,
            purpose_code="other_purpose",
            user_id=7,
            issued_at=datetime(2026, 4, 1, 3, 0, tzinfo=timezone.utc),
            valid_until=None,
            policy_version="2026.1",
            content_json="{}",
        )
        repository.mark_printed(issuance.issuance_id, "p", None, datetime.now(timezone.utc))

    with ready.session() as session:
        assert IssuanceRepository(session).last_issued_on(1) == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("issued_at", "china_day"),
    [
        # 23:30 UTC is 07:30 the next morning in China.
        (datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc), date(2026, 3, 2)),
        (datetime(2026, 3, 1, 15, 59, 59, tzinfo=timezone.utc), date(2026, 3, 1)),
        (datetime(2026, 3, 1, 16, 0, tzinfo=timezone.utc), date(2026, 3, 2)),
        (datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc), date(2027, 1, 1)),
    ],
)
def test_last_issued_on_china_day(ready: Database, issued_at: datetime, china_day: date) -> None:
    _issue_printed(ready, issued_at)

    with ready.session() as session:
        assert IssuanceRepository(session).last_issued_on(1) == china_day


def test_due_for_disposal_edges(ready: Database) -> None:
    issued = datetime(2026, 3, 2, tzinfo=timezone.utc)
    before = _issue_printed(
        ready, issued, retention=Retention.ONE_YEAR, dispose_after=date(2027, 3, 1)
    )
    on_day = _issue_printed(
        ready, issued, retention=Retention.ONE_YEAR, dispose_after=date(2027, 3, 2)
    )
    _issue_printed(ready, issued, retention=Retention.ONE_YEAR, dispose_after=date(2027, 3, 3))
    _issue_printed(ready, issued, retention=Retention.LONG_TERM)
    _issue_printed(ready, issued)

    with ready.session() as session:
        repository = IssuanceRepository(session)
        due = repository.due_for_disposal(date(2027, 3, 2))
        due_later = repository.due_for_disposal(date(2027, 3, 3))
        none_due = repository.due_for_disposal(date(2027, 3, 1))

    assert [issuance.issuance_id for issuance in due] == [before]
    assert [issuance.issuance_id for issuance in due_later] == [before, on_day]
    assert none_due == []


def test_due_for_disposal_by_office(ready: Database) -> None:
    issued = datetime(2026, 3, 2, tzinfo=timezone.utc)
    issuance_id = _issue_printed(
        ready, issued, retention=Retention.ONE_YEAR, dispose_after=date(2027, 3, 2)
    )

    with ready.session() as session:
        repository = IssuanceRepository(session)
        district = repository.due_for_disposal(date(2027, 3, 3), "440304")
        community = repository.due_for_disposal(date(2027, 3, 3), OFFICE)
        other = repository.due_for_disposal(date(2027, 3, 3), "440305")

    assert [issuance.issuance_id for issuance in district] == [issuance_id]
    assert [issuance.issuance_id for issuance in community] == [issuance_id]
    assert other == []


def test_counter_fields_accept_value_text(ready: Database) -> None:
    check = CheckCertificate(
        owner="applicant",  # type: ignore[arg-type]
        issued_on=date(2026, 2, 20),
        number="FT-2026-0154",
        institution_code="440304-01",
    )
    originals = OriginalsConfirmation(documents=("id_card",), applicant_signed=True)  # type: ignore[arg-type]
    issuance_id = _issue_printed(
        ready,
        datetime(2026, 3, 2, tzinfo=timezone.utc),
        originals=originals,
        check_certificate=check,
    )

    with ready.session() as session:
        stored = IssuanceRepository(session).get(issuance_id)

    assert stored is not None
    assert stored.check_certificate is not None
    assert stored.check_certificate.owner is CheckOwner.APPLICANT
    assert stored.originals is not None
    assert stored.originals.documents == (OriginalDocument.ID_CARD,)


def test_counter_fields_reject_unknown_owner(ready: Database) -> None:
    check = CheckCertificate(
        owner="neighbour",  # type: ignore[arg-type]
        issued_on=date(2026, 2, 20),
        number="FT-2026-0155",
        institution_code="440304-01",
    )

    with pytest.raises(ValueError, match="neighbour"):
        _issue_printed(ready, datetime(2026, 3, 2, tzinfo=timezone.utc), check_certificate=check)

    assert _issue(ready).endswith("-000001")
