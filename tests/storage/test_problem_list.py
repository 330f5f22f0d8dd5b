from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text

from fpcert_desktop.domain.history import FeedbackState, ProblemCategory, ProblemListEntry
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import (
    ChangeAction,
    ProblemListRepository,
)

FUTIAN_COMMUNITY = "440304004001"
NANSHAN = "440305"
AT = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 3, 9, 2, 0, tzinfo=timezone.utc)


def _add(
    db: Database,
    person_id: int = 1,
    *,
    category: ProblemCategory = ProblemCategory.ILLEGAL_BIRTH,
    listed_on: date = date(2026, 3, 2),
    office_code: str = FUTIAN_COMMUNITY,
    entered_by: int = 7,
) -> ProblemListEntry:
    with db.session() as session:
        return ProblemListRepository(session).add(
            person_id,
            category,
            listed_on,
            "third child born 2025-11 without approval",
            "福山社区工作站 档案柜 B-3, 违法生育类",
            entered_by,
            office_code,
            at=AT,
        )


def test_add_returns_entry(staffed: Database) -> None:
    entry = _add(staffed)

    assert entry.entry_id > 0
    assert entry.person_id == 1
    assert entry.category is ProblemCategory.ILLEGAL_BIRTH
    assert entry.listed_on == date(2026, 3, 2)
    assert entry.materials_location == "福山社区工作站 档案柜 B-3, 违法生育类"
    assert entry.entered_by == 7
    assert entry.office_code == FUTIAN_COMMUNITY
    assert entry.feedback_state is FeedbackState.PENDING
    assert entry.active
    assert entry.removal_reason == ""


def test_add_writes_change(staffed: Database) -> None:
    entry = _add(staffed)

    with staffed.session() as session:
        (change,) = ProblemListRepository(session).changes(entry.entry_id)

    assert change.action is ChangeAction.ADD
    assert change.user_id == 7
    assert change.changed_at == AT
    assert change.reason is None
    assert change.before is None
    assert change.after is not None
    assert change.after["facts"] == "third child born 2025-11 without approval"
    assert change.after["person_id"] == 1


def test_get_round_trip(staffed: Database) -> None:
    entry = _add(staffed)

    with staffed.session() as session:
        repository = ProblemListRepository(session)
        stored = repository.get(entry.entry_id)
        missing = repository.get(999)

    assert stored == entry
    assert missing is None


@pytest.mark.parametrize(
    ("facts", "materials", "message"),
    [
        ("", "cabinet B-3", "facts is missing"),
        ("  ", "cabinet B-3", "facts is missing"),
        ("third child", "", "materials location is missing"),
        ("ID 440304199005010027 on the form", "cabinet B-3", "full ID number"),
    ],
)
def test_add_checks_texts(staffed: Database, facts: str, materials: str, message: str) -> None:
    with pytest.raises(ValueError, match=message), staffed.session() as session:
        ProblemListRepository(session).add(
            1,
            ProblemCategory.FALSE_MATERIALS,
            date(2026, 3, 2),
            facts,
            materials,
            7,
            FUTIAN_COMMUNITY,
            at=AT,
        )

    with staffed.session() as session:
        assert ProblemListRepository(session).for_person(1) == []


def test_add_rejects_unknown_category(staffed: Database) -> None:
    with pytest.raises(ValueError, match="ProblemCategory"), staffed.session() as session:
        ProblemListRepository(session).add(
            1, "late_marriage", date(2026, 3, 2), "x", "y", 7, FUTIAN_COMMUNITY, at=AT
        )


def test_add_rejects_naive_time(staffed: Database) -> None:
    with pytest.raises(ValueError, match="naive"), staffed.session() as session:
        ProblemListRepository(session).add(
            1,
            ProblemCategory.ILLEGAL_BIRTH,
            date(2026, 3, 2),
            "x",
            "y",
            7,
            FUTIAN_COMMUNITY,
            at=datetime(2026, 3, 2),
        )


def test_correct_changes_fields(staffed: Database) -> None:
    entry = _add(staffed)

    with staffed.session() as session:
        corrected = ProblemListRepository(session).correct(
            entry.entry_id,
            user_id=8,
            reason="wrong category entered",
            at=LATER,
            category=ProblemCategory.FALSE_MATERIALS,
            facts="forged marriage certificate",
        )

    with staffed.session() as session:
        repository = ProblemListRepository(session)
        stored = repository.get(entry.entry_id)
        changes = repository.changes(entry.entry_id)

    assert corrected.category is ProblemCategory.FALSE_MATERIALS
    assert corrected.facts == "forged marriage certificate"
    assert corrected.listed_on == entry.listed_on
    assert stored == corrected
    assert [change.action for change in changes] == [ChangeAction.ADD, ChangeAction.CORRECT]
    correction = changes[1]
    assert correction.user_id == 8
    assert correction.reason == "wrong category entered"
    assert correction.changed_at == LATER
    assert correction.before is not None
    assert correction.after is not None
    assert correction.before["category"] == "illegal_birth"
    assert correction.after["category"] == "false_materials"
    assert correction.before["facts"] == "third child born 2025-11 without approval"
    assert correction.after["facts"] == "forged marriage certificate"


@pytest.mark.parametrize("reason", ["", "   "])
def test_correct_needs_reason(staffed: Database, reason: str) -> None:
    entry = _add(staffed)

    with pytest.raises(ValueError, match="correction reason"), staffed.session() as session:
        ProblemListRepository(session).correct(
            entry.entry_id, user_id=8, reason=reason, at=LATER, facts="changed"
        )

    with staffed.session() as session:
        repository = ProblemListRepository(session)
        assert repository.get(entry.entry_id) == entry
        assert len(repository.changes(entry.entry_id)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "no fields"),
        ({"person_id": 2}, "cannot correct person_id"),
        ({"feedback_state": "sent"}, "cannot correct feedback_state"),
        ({"listed_on": "2026-03-01"}, "must be a date"),
        ({"facts": " "}, "facts is missing"),
        ({"category": "unknown"}, "ProblemCategory"),
    ],
)
def test_correct_rejects_fields(staffed: Database, fields: dict[str, object], message: str) -> None:
    entry = _add(staffed)

    with pytest.raises(ValueError, match=message), staffed.session() as session:
        ProblemListRepository(session).correct(
            entry.entry_id, user_id=8, reason="typo", at=LATER, **fields
        )


def test_correct_unknown_entry(staffed: Database) -> None:
    with pytest.raises(LookupError, match="not found"), staffed.session() as session:
        ProblemListRepository(session).correct(999, user_id=8, reason="typo", at=LATER, facts="x")


def test_correct_removed_rejected(staffed: Database) -> None:
    entry = _add(staffed)
    with staffed.session() as session:
        ProblemListRepository(session).remove(
            entry.entry_id, user_id=8, reason="court ruling", on=date(2026, 3, 9), at=LATER
        )

    with pytest.raises(ValueError, match="was removed"), staffed.session() as session:
        ProblemListRepository(session).correct(
            entry.entry_id, user_id=8, reason="typo", at=LATER, facts="x"
        )


def test_remove_keeps_row(staffed: Database) -> None:
    entry = _add(staffed)

    with staffed.session() as session:
        removed = ProblemListRepository(session).remove(
            entry.entry_id,
            user_id=8,
            reason="listed in error: the child was born before 2016",
            on=date(2026, 3, 9),
            at=LATER,
        )

    with staffed.session() as session:
        repository = ProblemListRepository(session)
        active = repository.for_person(1)
        everything = repository.for_person(1, include_removed=True)
        changes = repository.changes(entry.entry_id)

    assert not removed.active
    assert removed.removed_on == date(2026, 3, 9)
    assert removed.removal_reason == "listed in error: the child was born before 2016"
    assert active == []
    assert everything == [removed]
    assert changes[-1].action is ChangeAction.REMOVE
    assert changes[-1].reason == removed.removal_reason
    assert changes[-1].before is not None
    assert changes[-1].before["removed_on"] is None
    assert changes[-1].after is not None
    assert changes[-1].after["removed_on"] == "2026-03-09"


def test_remove_needs_reason(staffed: Database) -> None:
    entry = _add(staffed)

    with pytest.raises(ValueError, match="removal reason"), staffed.session() as session:
        ProblemListRepository(session).remove(
            entry.entry_id, user_id=8, reason=" ", on=date(2026, 3, 9), at=LATER
        )

    with staffed.session() as session:
        stored = ProblemListRepository(session).get(entry.entry_id)
    assert stored is not None
    assert stored.active


def test_remove_twice_rejected(staffed: Database) -> None:
    entry = _add(staffed)
    with staffed.session() as session:
        ProblemListRepository(session).remove(
            entry.entry_id, user_id=8, reason="court ruling", on=date(2026, 3, 9), at=LATER
        )

    with pytest.raises(ValueError, match="already removed"), staffed.session() as session:
        ProblemListRepository(session).remove(
            entry.entry_id, user_id=8, reason="again", on=date(2026, 3, 10), at=LATER
        )

    with staffed.session() as session:
        stored = ProblemListRepository(session).get(entry.entry_id)
    assert stored is not None
    assert stored.removed_on == date(2026, 3, 9)


def test_set_feedback(staffed: Database) -> None:
    entry = _add(staffed)

    with staffed.session() as session:
        repository = ProblemListRepository(session)
        sent = repository.set_feedback(entry.entry_id, FeedbackState.SENT, user_id=7, at=LATER)
        acknowledged = repository.set_feedback(entry.entry_id, "acknowledged", user_id=7, at=LATER)
        changes = repository.changes(entry.entry_id)
        feedback_updated_at = session.execute(
            text("SELECT feedback_updated_at FROM problem_list_entries WHERE entry_id = :id"),
            {"id": entry.entry_id},
        ).scalar_one()

    assert sent.feedback_state is FeedbackState.SENT
    assert acknowledged.feedback_state is FeedbackState.ACKNOWLEDGED
    assert [change.action for change in changes] == [
        ChangeAction.ADD,
        ChangeAction.FEEDBACK,
        ChangeAction.FEEDBACK,
    ]
    assert changes[1].before is not None
    assert changes[1].before["feedback_state"] == "pending"
    assert changes[2].after is not None
    assert changes[2].after["feedback_state"] == "acknowledged"
    assert feedback_updated_at is not None


def test_set_feedback_rejects_unknown_state(staffed: Database) -> None:
    entry = _add(staffed)

    with pytest.raises(ValueError, match="FeedbackState"), staffed.session() as session:
        ProblemListRepository(session).set_feedback(entry.entry_id, "lost", user_id=7, at=LATER)


def test_for_person_order(staffed: Database) -> None:
    later = _add(staffed, listed_on=date(2026, 3, 5))
    earlier = _add(staffed, listed_on=date(2025, 6, 1))
    _add(staffed, person_id=2)

    with staffed.session() as session:
        entries = ProblemListRepository(session).for_person(1)

    assert [entry.entry_id for entry in entries] == [earlier.entry_id, later.entry_id]


def test_search_filters(staffed: Database) -> None:
    futian_old = _add(staffed, listed_on=date(2025, 1, 10))
    futian_new = _add(staffed, category=ProblemCategory.FALSE_MATERIALS, listed_on=date(2026, 2, 1))
    nanshan = _add(staffed, person_id=2, office_code=NANSHAN, listed_on=date(2026, 1, 1))
    removed = _add(staffed, listed_on=date(2026, 2, 15))
    with staffed.session() as session:
        ProblemListRepository(session).remove(
            removed.entry_id, user_id=8, reason="court ruling", on=date(2026, 3, 1), at=LATER
        )

    def ids(**filters: object) -> list[int]:
        with staffed.session() as session:
            found = ProblemListRepository(session).search(**filters)  # type: ignore[arg-type]
        return [entry.entry_id for entry in found]

    assert ids() == [futian_new.entry_id, nanshan.entry_id, futian_old.entry_id]
    assert ids(include_removed=True)[0] == removed.entry_id
    assert ids(office_code_prefix="440304") == [futian_new.entry_id, futian_old.entry_id]
    assert ids(office_code_prefix="440304004001") == [futian_new.entry_id, futian_old.entry_id]
    assert ids(office_code_prefix=NANSHAN) == [nanshan.entry_id]
    assert ids(office_code_prefix="4403") == ids()
    assert ids(category=ProblemCategory.FALSE_MATERIALS) == [futian_new.entry_id]
    assert ids(category="illegal_birth") == [nanshan.entry_id, futian_old.entry_id]
    assert ids(listed_from=date(2026, 1, 1)) == [futian_new.entry_id, nanshan.entry_id]
    assert ids(listed_to=date(2026, 1, 1)) == [nanshan.entry_id, futian_old.entry_id]
    assert ids(listed_from=date(2026, 1, 1), listed_to=date(2026, 1, 1)) == [nanshan.entry_id]
    assert ids(limit=1) == [futian_new.entry_id]
    assert ids(limit=0) == []


def test_changes_omit_id_number(staffed: Database) -> None:
    entry = _add(staffed)
    with staffed.session() as session:
        repository = ProblemListRepository(session)
        repository.correct(entry.entry_id, user_id=8, reason="typo", at=LATER, facts="fixed")
        repository.remove(
            entry.entry_id, user_id=8, reason="court ruling", on=date(2026, 3, 9), at=LATER
        )
        id_number = session.execute(
            text("SELECT id_number FROM people WHERE person_id = 1")
        ).scalar_one()
        stored = session.execute(
            text("SELECT before_json, after_json, reason FROM problem_list_changes")
        ).all()

    text_of_changes = " ".join(str(value) for row in stored for value in row)
    assert id_number not in text_of_changes
