"""Migration 0004: the user change form tables appear on upgrade and go on downgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from fpcert_desktop.storage import Database
from fpcert_desktop.storage.db import alembic_config

USER_CHANGE_TABLES = {"user_changes", "user_change_filings", "user_registry_snapshots"}


def test_migration_0004_upgrade_and_downgrade(tmp_path: Path) -> None:
    database = Database(tmp_path / "old.sqlite3")
    database.upgrade("0003")
    with database.session() as session:
        session.execute(
            text("INSERT INTO offices (code, name, level) VALUES ('440305', '南山区', 'district')")
        )

    database.upgrade("0004")
    tables = set(inspect(database.engine).get_table_names())
    with database.session() as session:
        offices = session.execute(text("SELECT code FROM offices")).scalars().all()

    assert tables >= USER_CHANGE_TABLES
    assert offices == ["440305"]

    with database.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")

    assert not USER_CHANGE_TABLES & set(inspect(database.engine).get_table_names())
    database.dispose()
