"""Which files Database.upgrade may create or migrate, and the read-only open for readers."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from fpcert_desktop.storage import Database
from fpcert_desktop.storage.db import (
    DatabaseFileError,
    DatabaseProblem,
    alembic_config,
    file_error_from,
)

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign_database(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE foo (x)")
        connection.execute("INSERT INTO foo VALUES (1)")
    return path


def _tables(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    finally:
        connection.close()


def test_upgrade_rejects_foreign_database(tmp_path: Path) -> None:
    path = _foreign_database(tmp_path / "other.sqlite")
    before = _digest(path)

    with pytest.raises(DatabaseFileError) as raised:
        Database(path).upgrade()

    assert raised.value.problem is DatabaseProblem.FOREIGN
    assert str(path) in raised.value.message.english
    assert "database_path" in raised.value.message.english
    assert _digest(path) == before
    assert _tables(path) == {"foo"}
    assert list(tmp_path.glob("*.bak")) == []


def test_upgrade_rejects_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n" * 300, encoding="utf-8")
    before = _digest(path)

    with pytest.raises(DatabaseFileError) as raised:
        Database(path).upgrade()

    assert raised.value.problem is DatabaseProblem.DAMAGED
    message = raised.value.message.english
    assert str(path) in message
    assert "fpcert-desktop doctor" in message
    assert "notes.sqlite.*.bak" in message
    assert _digest(path) == before


def test_upgrade_rejects_unknown_revision(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    Database(path).upgrade()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")

    with pytest.raises(DatabaseFileError) as raised:
        Database(path).upgrade()

    assert raised.value.problem is DatabaseProblem.UNKNOWN_REVISION
    assert "9999" in raised.value.message.english


def test_upgrade_rejects_folder_as_file(tmp_path: Path) -> None:
    folder = tmp_path / "db.sqlite"
    folder.mkdir()

    with pytest.raises(DatabaseFileError) as raised:
        Database(folder).upgrade()

    assert raised.value.problem is DatabaseProblem.CANNOT_OPEN


@pytest.mark.parametrize("kind", ["missing", "empty", "sqlite_without_tables"])
def test_upgrade_creates_new_database(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "fpcert.sqlite3"
    if kind == "empty":
        path.touch()
    elif kind == "sqlite_without_tables":
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        assert path.stat().st_size > 0

    database = Database(path)
    database.upgrade()

    assert database.file_revision() == HEAD
    assert database.backups() == []
    database.dispose()


def test_file_revision_leaves_file_unchanged(tmp_path: Path) -> None:
    path = _foreign_database(tmp_path / "other.sqlite")
    before = _digest(path)

    with pytest.raises(DatabaseFileError):
        Database(path, read_only=True).file_revision()

    assert _digest(path) == before
    assert sorted(item.name for item in tmp_path.iterdir()) == ["other.sqlite"]


def test_require_newest_rejects_missing_and_empty(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "fpcert.sqlite3"
    with pytest.raises(DatabaseFileError) as raised:
        Database(missing, read_only=True).require_newest()
    assert raised.value.problem is DatabaseProblem.MISSING
    assert not missing.parent.exists()

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(DatabaseFileError) as raised:
        Database(empty, read_only=True).require_newest()
    assert raised.value.problem is DatabaseProblem.MISSING
    assert empty.stat().st_size == 0


def test_require_newest_rejects_older_revision(tmp_path: Path) -> None:
    path = tmp_path / "fpcert.sqlite3"
    old = Database(path)
    old.upgrade("0001")
    old.dispose()

    with pytest.raises(DatabaseFileError) as raised:
        Database(path, read_only=True).require_newest()

    assert raised.value.problem is DatabaseProblem.OUTDATED
    assert "0001" in raised.value.message.english
    assert "fpcert-desktop run" in raised.value.message.english
    assert Database(path, read_only=True).file_revision() == "0001"


def test_read_only_database_reads_and_rejects_writes(tmp_path: Path) -> None:
    path = tmp_path / "fpcert.sqlite3"
    writable = Database(path)
    writable.upgrade()
    writable.dispose()
    before = _digest(path)

    database = Database(path, read_only=True)
    database.require_newest()
    with database.session() as session:
        count = session.execute(text("SELECT COUNT(*) FROM offices")).scalar_one()
    assert count == 0
    with pytest.raises(OperationalError, match="readonly"), database.session() as session:
        session.execute(text("DELETE FROM offices"))
    database.dispose()

    assert _digest(path) == before


def test_file_error_from_extended_codes(tmp_path: Path) -> None:
    path = tmp_path / "fpcert.sqlite3"
    path.mkdir()
    with pytest.raises(sqlite3.Error) as raised:
        sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True).execute("SELECT 1 FROM x")

    problem = file_error_from(path, raised.value)

    assert problem is not None
    assert problem.problem is DatabaseProblem.CANNOT_OPEN
    assert file_error_from(path, sqlite3.OperationalError("no such table: x")) is None
