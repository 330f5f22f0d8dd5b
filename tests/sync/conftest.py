from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fpcert_desktop.storage import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "client.sqlite3")
    database.upgrade()
    yield database
    database.dispose()
