from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text

from fpcert_desktop.domain.history import (
    FeedbackState,
    MismatchField,
    ProblemCategory,
    Referral,
)
from fpcert_desktop.domain.policy import Retention
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import (
    IssuanceRepository,
    ProblemListRepository,
    ReferralRepository,
    history_for,
)

AT = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
MARRIAGE_DATE = MismatchField("marriage_date", "2015-10-01", "2015-11-01")
CHILD_NAME = MismatchField("child_name", "王小一", "王晓一")


def _refer(
    db: Database,
    person_id: int = 1,
    *,
    purpose_code: str = "birth_service",
    record_version: int = 1,
    office_code: str = "440304004001",
    at: datetime = AT,
) -> Referral:
    with db.session() as session:
        return ReferralRepository(session).add(
            person_id,
            purpose_code,
            record_version,
            [MARRIAGE_DATE, CHILD_NAME],
            office_code,
            7,
            at=at,
        )


def test_add_round_trip(staffed: Database) -> None:
    referral = _refer(staffed)

    with staffed.session() as session:
        repository = ReferralRepository(session)
        stored = repository.get(referral.referral_id)
        missing = repository.get(999)

    assert stored == referral
    assert missing is None
    assert referral.person_id == 1
    assert referral.purpose_code == "birth_service"
    assert referral.record_version == 1
    assert referral.fields == (MARRIAGE_DATE, CHILD_NAME)
    assert referral.responsible_office_code == "440304004001"
    assert referral.created_by == 7
    assert referral.created_on == date(2026, 3, 2)
    assert referral.open


def test_add_created_on_china_date(staffed: Database) -> None:
    # 23:30 UTC on 1 March is 07:30 on 2 March in China.
    referral = _refer(staffed, at=datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc))

    assert referral.created_on == date(2026, 3, 2)


def test_add_needs_fields(staffed: Database) -> None:
    with pytest.raises(ValueError, match="at least one"), staffed.session() as session:
        ReferralRepository(session).add(1, "birth_service", 1, [], "440304004001", 7, at=AT)

    with staffed.session() as session:
        assert ReferralRepository(session).open_for_person(1) == []


def test_add_rejects_blank_field_name(staffed: Database) -> None:
    with pytest.raises(ValueError, match="empty field name"), staffed.session() as session:
        ReferralRepository(session).add(
            1, "birth_service", 1, [MismatchField(" ", "a", "b")], "440304004001", 7, at=AT
        )


def test_open_for_person(staffed: Database) -> None:
    first = _refer(staffed)
    second = _refer(staffed, purpose_code="second_child_registration")
    _refer(staffed, person_id=2)

    with staffed.session() as session:
        found = ReferralRepository(session).open_for_person(1)

    assert found == [first, second]


def test_open_for_office_prefix(staffed: Database) -> None:
    futian = _refer(staffed)
    nanshan = _refer(staffed, person_id=2, office_code="440305001002")

    with staffed.session() as session:
        repository = ReferralRepository(session)
        district = repository.open_for_office("440304")
        community = repository.open_for_office("440304004001")
        other = repository.open_for_office("440305")
        city = repository.open_for_office("4403")

    assert district == [futian]
    assert community == [futian]
    assert other == [nanshan]
    assert city == [futian, nanshan]


def test_resolve_superseded_by_version(staffed: Database) -> None:
    old = _refer(staffed, record_version=1)
    older = _refer(staffed, record_version=2, purpose_code="second_child_registration")
    current = _refer(staffed, record_version=3)
    other_person = _refer(staffed, person_id=2, record_version=1)

    with staffed.session() as session:
        resolved = ReferralRepository(session).resolve_superseded(1, 3, on=date(2026, 3, 9))

    with staffed.session() as session:
        repository = ReferralRepository(session)
        still_open = repository.open_for_person(1)
        closed = repository.get(old.referral_id)
        other = repository.open_for_person(2)

    assert resolved == 2
    assert still_open == [current]
    assert closed is not None
    assert closed.resolved_on == date(2026, 3, 9)
    assert not closed.open
    assert older.referral_id not in [referral.referral_id for referral in still_open]
    assert other == [other_person]


def test_resolve_superseded_reason(staffed: Database) -> None:
    _refer(staffed, record_version=1)

    with staffed.session() as session:
        ReferralRepository(session).resolve_superseded(1, 2, on=date(2026, 3, 9))
        reason = session.execute(text("SELECT resolved_reason FROM referrals")).scalar_one()

    assert reason == "newer record"


def test_resolve_superseded_same_version(staffed: Database) -> None:
    _refer(staffed, record_version=2)

    with staffed.session() as session:
        resolved = ReferralRepository(session).resolve_superseded(1, 2, on=date(2026, 3, 9))
        still_open = ReferralRepository(session).open_for_person(1)

    assert resolved == 0
    assert len(still_open) == 1


def test_resolve_keeps_first_date(staffed: Database) -> None:
    referral = _refer(staffed, record_version=1)
    with staffed.session() as session:
        ReferralRepository(session).resolve_superseded(1, 2, on=date(2026, 3, 9))

    with staffed.session() as session:
        again = ReferralRepository(session).resolve_superseded(1, 3, on=date(2026, 4, 1))
        stored = ReferralRepository(session).get(referral.referral_id)

    assert again == 0
    assert stored is not None
    assert stored.resolved_on == date(2026, 3, 9)


def test_history_empty(staffed: Database) -> None:
    with staffed.session() as session:
        history = history_for(session, 1)

    assert history.problem_entries == ()
    assert history.last_issued_on is None
    assert history.open_referrals == ()


def test_history_collects_all(staffed: Database) -> None:
    referral = _refer(staffed)
    _refer(staffed, person_id=2)
    with staffed.session() as session:
        problems = ProblemListRepository(session)
        active = problems.add(
            1,
            ProblemCategory.ILLEGAL_BIRTH,
            date(2025, 5, 1),
            "third child without approval",
            "cabinet B-3",
            7,
            "440304004001",
            at=AT,
        )
        removed = problems.add(
            1,
            ProblemCategory.FALSE_MATERIALS,
            date(2025, 6, 1),
            "forged marriage certificate",
            "cabinet C-1",
            7,
            "440304004001",
            at=AT,
        )
        problems.remove(
            removed.entry_id, user_id=8, reason="court ruling", on=date(2025, 7, 1), at=AT
        )
    with staffed.write_session() as session:
        issuances = IssuanceRepository(session)
        issuance = issuances.create_with_number(
            office_code="440304004001",
            workstation="01",
            year=2026,
            person_id=1,
            purpose_code="birth_service",
            user_id=7,
            issued_at=datetime(2026, 1, 20, 20, 0, tzinfo=timezone.utc),
            valid_until=None,
            policy_version="2026.1",
            content_json="{}",
            retention=Retention.LONG_TERM,
        )
        issuances.mark_printed(issuance.issuance_id, "p", "1", AT)

    with staffed.session() as session:
        history = history_for(session, 1)

    assert history.problem_entries == (active,)
    assert history.problem_entries[0].feedback_state is FeedbackState.PENDING
    assert history.last_issued_on == date(2026, 1, 21)
    assert history.open_referrals == (referral,)
