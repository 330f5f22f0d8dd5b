from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, inspect, text

from fpcert_desktop.storage import Database, default_database_path
from fpcert_desktop.storage.models import Base

TABLES = {
    "offices",
    "people",
    "children",
    "pregnancies",
    "users",
    "certificate_serials",
    "issuances",
    "audit_events",
    "problem_list_entries",
    "problem_list_changes",
    "referrals",
    "sync_streams",
    "sync_quarantine",
    "outbox",
    "institutions",
    "policies",
    "user_change_filings",
    "user_changes",
    "user_registry_snapshots",
    "signing_authorities",
    "signing_keys",
    "alembic_version",
}


def test_upgrade_from_empty_creates_tables(tmp_path: Path) -> None:
    database = Database(tmp_path / "fresh.sqlite3")
    database.upgrade()

    tables = set(inspect(database.engine).get_table_names())

    assert tables == TABLES
    with database.engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == "0005"
    database.dispose()


def test_upgrade_twice_is_noop(db: Database) -> None:
    db.upgrade()

    assert "people" in inspect(db.engine).get_table_names()


def test_connection_pragmas(db: Database) -> None:
    with db.engine.connect() as connection:
        journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        busy_timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()

    assert journal_mode == "wal"
    assert foreign_keys == 1
    assert busy_timeout == 5000
    assert synchronous == 1  # NORMAL


def test_models_match_migrations(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_compare_detects_extra_column(db: Database) -> None:
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("people", metadata, Column("extra", Integer), extend_existing=True)

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, metadata)

    assert [diff[0] for diff in differences] == ["add_column"]


def test_foreign_keys_enforced(db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), db.session() as session:
        session.execute(
            text(
                "INSERT INTO offices (code, name, level, parent_code) "
                "VALUES ('1', 'x', 'city', 'nope')"
            )
        )


def test_session_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.execute(
            text("INSERT INTO offices (code, name, level) VALUES ('440300', 'x', 'city')")
        )
        raise RuntimeError("abort")

    with db.session() as session:
        count = session.execute(text("SELECT count(*) FROM offices")).scalar()
    assert count == 0


def test_default_path_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FPCERT_DATA_DIR", str(tmp_path / "data"))

    assert default_database_path() == tmp_path / "data" / "fpcert.sqlite3"


def test_default_path_without_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FPCERT_DATA_DIR", raising=False)

    path = default_database_path()

    assert "fpcert-desktop" in str(path)
    assert path.name == "fpcert.sqlite3"
