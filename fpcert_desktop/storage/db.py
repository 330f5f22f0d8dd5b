"""The local SQLite database: engine set-up, migrations and units of work.

Every connection runs in WAL mode with foreign keys on. The pysqlite driver's own
transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself, so that
:meth:`Database.write_session` can start with ``BEGIN IMMEDIATE`` and take SQLite's
write lock before its first read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "FPCERT_DATA_DIR"
DATABASE_FILE_NAME = "fpcert.sqlite3"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000

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
        with self.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        # The file contains population records, so only the account that runs the app may read it.
        for path in (self.path, *self.path.parent.glob(f"{self.path.name}-*")):
            if path.exists():
                path.chmod(0o600)

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
