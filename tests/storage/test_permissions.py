"""The database file contains population records, so only its owner may read it."""

from __future__ import annotations

import stat
from pathlib import Path

from fpcert_desktop.storage.db import Database


def test_database_file_owner_only(tmp_path: Path) -> None:
    database = Database(tmp_path / "fpcert.sqlite")
    database.upgrade()
    assert stat.S_IMODE(database.path.stat().st_mode) == 0o600
