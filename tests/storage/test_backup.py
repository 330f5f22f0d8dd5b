"""Database.upgrade copies an existing database that is behind before it migrates it."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from alembic.script import ScriptDirectory

from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.db import BACKUPS_KEPT, alembic_config
from fpcert_desktop.storage.repositories import OfficeRepository

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def _database_at(path: Path, revision: str) -> Database:
    database = Database(path)
    database.upgrade(revision)
    with database.session() as session:
        OfficeRepository(session).add_many(
            [Office("440304", "福田区卫生健康局", OfficeLevel.DISTRICT)]
        )
    return database


def _revision_in(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_upgrade_backs_up_older_revision(tmp_path: Path) -> None:
    database = _database_at(tmp_path / "fpcert.sqlite3", "0002")

    database.upgrade()

    (backup,) = database.backups()
    assert backup.parent == tmp_path
    assert backup.name.startswith("fpcert.sqlite3.")
    assert backup.name.endswith(".rev-0002.bak")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _revision_in(backup) == "0002"
    assert database.current_revision() == HEAD
    with sqlite3.connect(backup) as connection:
        names = connection.execute("SELECT name FROM offices").fetchall()
    assert names == [("福田区卫生健康局",)]
    database.dispose()


def test_upgrade_at_head_takes_no_backup(tmp_path: Path) -> None:
    database = _database_at(tmp_path / "fpcert.sqlite3", "head")

    database.upgrade()

    assert database.backups() == []
    database.dispose()


def test_new_database_takes_no_backup(tmp_path: Path) -> None:
    database = Database(tmp_path / "fpcert.sqlite3")

    database.upgrade()

    assert database.backups() == []
    assert database.current_revision() == HEAD
    database.dispose()


def test_backups_keep_only_newest(tmp_path: Path) -> None:
    database = _database_at(tmp_path / "fpcert.sqlite3", "head")

    made = [database.back_up(f"r{number}") for number in range(BACKUPS_KEPT + 2)]

    assert database.backups() == made[-BACKUPS_KEPT:]
    for old in made[:2]:
        assert not old.exists()
    database.dispose()


def test_failed_backup_leaves_no_file(tmp_path: Path) -> None:
    database = _database_at(tmp_path / "fpcert.sqlite3", "0001")
    database.dispose()
    (tmp_path / "fpcert.sqlite3").write_bytes(b"not a database" * 100)
    # Alembic cannot read the revision of a damaged file, so back it up directly.
    broken = Database(tmp_path / "fpcert.sqlite3")

    try:
        broken.back_up("0001")
    except sqlite3.DatabaseError:
        pass
    else:
        raise AssertionError("backing up a damaged file did not raise")

    assert broken.backups() == []
    broken.dispose()
