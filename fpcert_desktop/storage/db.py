"""The local SQLite database: engine set-up, migrations and units of work.

Every connection runs in WAL mode with foreign keys on. The pysqlite driver's own
transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself, so that
:meth:`Database.write_session` can start with ``BEGIN IMMEDIATE`` and take SQLite's
write lock before its first read.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "FPCERT_DATA_DIR"
DATABASE_FILE_NAME = "fpcert.sqlite3"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000
# Copies taken before a migration; older ones are deleted.
BACKUPS_KEPT = 3

_BEGIN_MODE_OPTION = "fpcert_begin_mode"


def default_database_path() -> Path:
    """Return the database file in ``$FPCERT_DATA_DIR`` or else the platform's user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    folder = Path(override) if override else Path(user_data_dir("fpcert-desktop", "fpcert"))
    return folder / DATABASE_FILE_NAME


class Database:
    """One SQLite file and the engine over it.

    ``session()`` and ``write_session()`` are units of work: they commit when the block
    ends normally and roll back when it raises.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(f"sqlite+pysqlite:///{self.path}")
        event.listen(self.engine, "connect", _configure_connection)
        event.listen(self.engine, "begin", _emit_begin)
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            bind=self.engine.execution_options(**{_BEGIN_MODE_OPTION: "IMMEDIATE"}),
            expire_on_commit=False,
        )

    def upgrade(self, revision: str = "head") -> None:
        """Migrate the schema to ``revision`` (the newest by default) with Alembic."""
        logger.info("Upgrading database %s to %s", self.path, revision)
        self._back_up_before_migrating(revision)
        with self.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        # The file contains population records, so only the account that runs the app may read it.
        for path in (self.path, *self.path.parent.glob(f"{self.path.name}-*")):
            if path.exists():
                path.chmod(0o600)

    def current_revision(self) -> str | None:
        """Return the Alembic revision the file is at; None for a new, empty database."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def backups(self) -> list[Path]:
        """List the copies taken before migrations, oldest first."""
        return sorted(self.path.parent.glob(f"{self.path.name}.*.bak"))

    def _back_up_before_migrating(self, revision: str) -> Path | None:
        """Copy an existing database that ``revision`` would migrate, before migrating it."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        current = self.current_revision()
        if current is None:
            return None
        script = ScriptDirectory.from_config(alembic_config())
        target = script.get_revision(revision)
        if target is None or target.revision == current:
            return None
        return self.back_up(current)

    def back_up(self, revision: str) -> Path:
        """Copy the database with SQLite's online backup API into a 0600 file beside it.

        The name holds the UTC time and the revision the copy is at, for example
        ``fpcert.sqlite3.20261204T230512123456Z.rev-0003.bak``, so the names sort by
        time. Only the newest ``BACKUPS_KEPT`` copies are kept.
        """
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{self.path.name}.{stamp}.rev-{revision}.bak")
        # Create the file with its final mode first, so the copy is never readable by others.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        source = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        except sqlite3.Error:
            target.unlink(missing_ok=True)
            raise
        finally:
            source.close()
        logger.info("Backed up database %s at revision %s to %s", self.path, revision, target)
        for old in self.backups()[:-BACKUPS_KEPT]:
            old.unlink()
            logger.info("Deleted old database backup %s", old)
        return target

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open a unit of work with a deferred transaction, for reads and small writes."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """Open a unit of work that holds SQLite's write lock from ``BEGIN IMMEDIATE`` on.

        Use it for anything that reads a value and writes based on it, such as
        allocating a certificate serial or appending to the audit chain: no other
        connection can commit in between.
        """
        with self._write_sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection, for example before deleting the file."""
        self.engine.dispose()


def alembic_config(url: str | None = None) -> Config:
    """Build an Alembic configuration pointing at this package's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url)
    return config


def _configure_connection(dbapi_connection: Any, connection_record: Any) -> None:
    # Leave transactions to SQLAlchemy's "begin" event; pysqlite would otherwise
    # start them lazily and always as DEFERRED.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _emit_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(_BEGIN_MODE_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")
