"""Migration 0003 and the sync repositories: cursors, quarantine and outbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from fpcert_desktop.storage import Database
from fpcert_desktop.storage.db import alembic_config
from fpcert_desktop.storage.repositories import (
    OutboxRepository,
    QuarantineRepository,
    SyncStateRepository,
)

SYNC_TABLES = {"sync_streams", "sync_quarantine", "outbox", "institutions", "policies"}
AS_OF = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)
# Shaped like an ID number. Masking looks at the shape only, not the check character.
ID_NUMBER = "440304199001011234"


def test_migration_0003_upgrade_and_downgrade(tmp_path: Path) -> None:
    database = Database(tmp_path / "old.sqlite3")
    database.upgrade("0002")
    with database.session() as session:
        session.execute(
            text("INSERT INTO offices (code, name, level) VALUES ('440304', '福田区', 'district')")
        )

    database.upgrade()
    tables = set(inspect(database.engine).get_table_names())
    with database.session() as session:
        offices = session.execute(text("SELECT code FROM offices")).scalars().all()

    assert tables >= SYNC_TABLES
    assert offices == ["440304"]

    with database.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")

    assert not SYNC_TABLES & set(inspect(database.engine).get_table_names())
    database.dispose()


def test_stream_position_round_trip(db: Database) -> None:
    with db.session() as session:
        repository = SyncStateRepository(session)
        assert repository.data_as_of("people") is None
        repository.set_position("people", "c-1", AS_OF)
        repository.set_error("people", f"timed out on {ID_NUMBER}")

    with db.session() as session:
        state = SyncStateRepository(session).get("people")

    assert state is not None
    assert state.cursor == "c-1"
    assert state.as_of == AS_OF
    assert state.last_success_at is not None
    assert state.last_error is not None
    assert ID_NUMBER not in state.last_error


def test_quarantine_masks_id_numbers(db: Database) -> None:
    payload = {"id_number": ID_NUMBER, "children": [{"id_number": ID_NUMBER}], "age": 3}
    with db.session() as session:
        QuarantineRepository(session).add(
            "people", "12", f"invalid spouse {ID_NUMBER}", payload, received_at=AS_OF
        )

    with db.session() as session:
        (record,) = QuarantineRepository(session).list("people")
        raw = session.execute(text("SELECT payload_json || reason FROM sync_quarantine")).scalar()

    assert record.payload["id_number"] == "440304********1234"
    assert record.payload["children"][0]["id_number"] == "440304********1234"
    assert record.payload["age"] == 3
    assert ID_NUMBER not in raw


def test_outbox_pending_sent_and_failed(db: Database) -> None:
    with db.session() as session:
        outbox = OutboxRepository(session)
        first = outbox.add("voids", {"number": "A"}, at=AS_OF)
        second = outbox.add("voids", {"number": "B"}, at=AS_OF + timedelta(seconds=1))
        third = outbox.add("voids", {"number": "C"}, at=AS_OF + timedelta(seconds=2))
        outbox.add("reprints", {"number": "A"}, at=AS_OF)

    with db.session() as session:
        outbox = OutboxRepository(session)
        assert [item.uuid for item in outbox.pending("voids", 2)] == [first, second]
        assert outbox.count_pending() == 4
        assert outbox.mark_sent([first]) == 1
        assert outbox.mark_failed([second], "unknown number") == 1

    with db.session() as session:
        outbox = OutboxRepository(session)
        pending = outbox.pending("voids")
        rejected = outbox.rejected("voids")
        sent = outbox.get(first)

    assert [item.uuid for item in pending] == [third]
    assert [(item.uuid, item.last_error) for item in rejected] == [(second, "unknown number")]
    assert sent is not None
    assert sent.sent_at is not None
    assert sent.attempts == 1
