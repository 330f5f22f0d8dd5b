from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import AuditLog
from fpcert_desktop.storage.repositories.audit import GENESIS_HASH

FULL_ID = "440304199005010027"


def _append(db: Database, count: int) -> None:
    with db.write_session() as session:
        log = AuditLog(session)
        for index in range(count):
            log.append(
                "person.viewed",
                user_id=7,
                user_name="陈静",
                workstation="01",
                subject="440304********0027",
                details={"index": index, "purpose": "birth_service"},
            )


def test_append_links_chain(db: Database) -> None:
    _append(db, 3)

    with db.session() as session:
        newest_first = AuditLog(session).recent(10)

    events = list(reversed(newest_first))
    assert [event.seq for event in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert events[2].details == {"index": 2, "purpose": "birth_service"}


def test_chain_verifies(db: Database) -> None:
    _append(db, 5)

    with db.session() as session:
        result = AuditLog(session).verify_chain()

    assert result
    assert result.first_broken_seq is None
    assert result.checked == 5


def test_empty_chain_verifies(db: Database) -> None:
    with db.session() as session:
        assert AuditLog(session).verify_chain()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET user_name = 'x' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1",
    ],
)
def test_trigger_rejects_change(db: Database, statement: str) -> None:
    _append(db, 1)

    with pytest.raises(DatabaseError, match="append-only"), db.session() as session:
        session.execute(text(statement))


def _drop_triggers(db: Database) -> None:
    with db.session() as session:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(text("DROP TRIGGER audit_events_no_delete"))


def test_chain_detects_edit(db: Database) -> None:
    _append(db, 4)
    _drop_triggers(db)
    with db.session() as session:
        session.execute(text("UPDATE audit_events SET user_name = '王五' WHERE seq = 3"))

    with db.session() as session:
        result = AuditLog(session).verify_chain()

    assert not result
    assert result.first_broken_seq == 3
    assert result.checked == 2


def test_chain_detects_deletion(db: Database) -> None:
    _append(db, 4)
    _drop_triggers(db)
    with db.session() as session:
        session.execute(text("DELETE FROM audit_events WHERE seq = 2"))

    with db.session() as session:
        result = AuditLog(session).verify_chain()

    assert not result
    assert result.first_broken_seq == 3


def test_chain_detects_rehashed_edit(db: Database) -> None:
    """An attacker who recomputes one row's hash still breaks the next link."""
    from fpcert_desktop.storage.repositories.audit import compute_hash

    _append(db, 3)
    _drop_triggers(db)
    with db.session() as session:
        row = session.execute(text("SELECT * FROM audit_events WHERE seq = 2")).mappings().one()
        fields = {
            key: row[key]
            for key in ("seq", "at", "user_id", "user_name", "workstation", "event", "subject")
        }
        fields["details_json"] = '{"index":99}'
        new_hash = compute_hash(row["prev_hash"], fields)
        session.execute(
            text("UPDATE audit_events SET details_json = :d, hash = :h WHERE seq = 2"),
            {"d": fields["details_json"], "h": new_hash},
        )

    with db.session() as session:
        result = AuditLog(session).verify_chain()

    assert result.first_broken_seq == 3


@pytest.mark.parametrize(
    ("subject", "details"),
    [
        (FULL_ID, {}),
        ("44030419900501002X", {}),
        ("7", {"id_number": FULL_ID}),
        ("7", {"spouse": {"ids": [FULL_ID]}}),
        ("7", {"note": f"checked {FULL_ID} at counter"}),
        ("7", {"number": 440304199005010027}),
        ("7", {FULL_ID: "key"}),
    ],
)
def test_full_id_number_rejected(db: Database, subject: str, details: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="full ID number"), db.write_session() as session:
        AuditLog(session).append(
            "person.viewed",
            user_id=7,
            user_name="陈静",
            workstation="01",
            subject=subject,
            details=details,
        )

    with db.session() as session:
        assert AuditLog(session).count() == 0


def test_masked_and_person_id_subjects_accepted(db: Database) -> None:
    with db.write_session() as session:
        log = AuditLog(session)
        log.append("a", user_id=None, user_name="", workstation="01", subject=12345, details={})
        log.append(
            "b",
            user_id=None,
            user_name="",
            workstation="01",
            subject="440304********0027",
            details={"number": "440304004001-01-2026-000042"},
        )

    with db.session() as session:
        assert AuditLog(session).count() == 2
