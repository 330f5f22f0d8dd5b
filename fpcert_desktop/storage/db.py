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
from enum import Enum
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "FPCERT_DATA_DIR"
DATABASE_FILE_NAME = "fpcert.sqlite3"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000
# Copies taken before a migration; older ones are deleted.
BACKUPS_KEPT = 3

_BEGIN_MODE_OPTION = "fpcert_begin_mode"

# SQLite result codes (``sqlite3.Error.sqlite_errorname``) that mean the file is not a
# usable SQLite database, and those that mean it cannot be opened or written at all.
_DAMAGED_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
_CANNOT_OPEN_CODES = frozenset(
    {"SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_FULL"}
)

_DAMAGED = QT_TRANSLATE_NOOP(
    "Database",
    "The database file {path} is damaged or is not a database of this program. Run "
    "fpcert-desktop doctor. Then restore the newest backup {name}.*.bak in the same folder "
    "if there is one, or move the file aside and synchronise again to create a new database.",
)
_FOREIGN = QT_TRANSLATE_NOOP(
    "Database",
    "The file {path} is an SQLite database without this program's tables and schema "
    "version, so it is not a database of this program. The program left it unchanged. "
    "Check the database_path setting, or move the file aside and start the program "
    "again to create a new database.",
)
_UNKNOWN_REVISION = QT_TRANSLATE_NOOP(
    "Database",
    "The database {path} has the schema version {revision}, which this version of the "
    "program does not know: a newer version of the program or another program wrote it. "
    "Install the newest version of the program, or check the database_path setting.",
)
_CANNOT_OPEN = QT_TRANSLATE_NOOP(
    "Database",
    "The database file {path} could not be opened or written. Check that its folder "
    "exists, that the disk is not full, and that this user account may read and write the "
    "file and its folder, then try again. Run fpcert-desktop doctor for details.",
)
_MISSING = QT_TRANSLATE_NOOP(
    "Database",
    "There is no database at {path} yet. Start the program once (fpcert-desktop run) or "
    "synchronise to create it, then try again.",
)
_OUTDATED = QT_TRANSLATE_NOOP(
    "Database",
    "The database {path} has the older schema version {revision}. Start the program once "
    "(fpcert-desktop run) so that it upgrades the database, then try again.",
)


class DatabaseProblem(Enum):
    """The reason a database file cannot be used."""

    DAMAGED = "damaged"
    FOREIGN = "foreign"
    UNKNOWN_REVISION = "unknown_revision"
    CANNOT_OPEN = "cannot_open"
    MISSING = "missing"
    OUTDATED = "outdated"


class DatabaseFileError(Exception):
    """The database file cannot be used; ``message`` names the file and what to do."""

    def __init__(self, path: Path, problem: DatabaseProblem, *, revision: str = "") -> None:
        templates = {
            DatabaseProblem.DAMAGED: _DAMAGED,
            DatabaseProblem.FOREIGN: _FOREIGN,
            DatabaseProblem.UNKNOWN_REVISION: _UNKNOWN_REVISION,
            DatabaseProblem.CANNOT_OPEN: _CANNOT_OPEN,
            DatabaseProblem.MISSING: _MISSING,
            DatabaseProblem.OUTDATED: _OUTDATED,
        }
        self.message: Message = templates[problem].format(
            path=str(path), name=path.name, revision=revision
        )
        super().__init__(self.message.english)
        self.path = path
        self.problem = problem


def file_error_from(path: Path, error: BaseException) -> DatabaseFileError | None:
    """Return the :class:`DatabaseFileError` that an SQLite error on ``path`` means.

    Returns None for errors that do not concern the file itself, such as a lock held by
    another program (``SQLITE_BUSY``) or an SQL mistake.
    """
    cause = error.orig if isinstance(error, DBAPIError) else error
    # Extended codes such as SQLITE_IOERR_SHORT_READ carry the primary code as prefix.
    name = "_".join(str(getattr(cause, "sqlite_errorname", "")).split("_")[:2])
    if name in _DAMAGED_CODES:
        return DatabaseFileError(path, DatabaseProblem.DAMAGED)
    if name in _CANNOT_OPEN_CODES:
        return DatabaseFileError(path, DatabaseProblem.CANNOT_OPEN)
    return None


def default_database_path() -> Path:
    """Return the database file in ``$FPCERT_DATA_DIR`` or else the platform's user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    folder = Path(override) if override else Path(user_data_dir("fpcert-desktop", "fpcert"))
    return folder / DATABASE_FILE_NAME


class Database:
    """One SQLite file and the engine over it.

    ``session()`` and ``write_session()`` are units of work: they commit when the block
    ends normally and roll back when it raises. A ``read_only`` database opens the file
    with SQLite's ``mode=ro``, creates no folder and no file, and leaves the journal mode
    as it is; any write raises.
    """

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only:
            # The URL still names the file, so SQLAlchemy picks the pool for a file database.
            self.engine: Engine = create_engine(
                f"sqlite+pysqlite:///{self.path}", creator=self._connect_read_only
            )
            event.listen(self.engine, "connect", _configure_read_only_connection)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(f"sqlite+pysqlite:///{self.path}")
            event.listen(self.engine, "connect", _configure_connection)
        event.listen(self.engine, "begin", _emit_begin)
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            bind=self.engine.execution_options(**{_BEGIN_MODE_OPTION: "IMMEDIATE"}),
            expire_on_commit=False,
        )

    def upgrade(self, revision: str = "head") -> None:
        """Migrate the schema to ``revision`` (the newest by default) with Alembic.

        A missing file, an empty one or an SQLite file without tables becomes a new
        database. Raises :class:`DatabaseFileError`, and changes nothing, when the file is
        damaged, belongs to another program or has a schema version this program does
        not know.
        """
        logger.info("Upgrading database %s to %s", self.path, revision)
        current = self.file_revision()
        try:
            self._back_up_before_migrating(current, revision)
            with self.engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        except (DBAPIError, sqlite3.Error) as error:
            problem = file_error_from(self.path, error)
            if problem is None:
                raise
            logger.info("Database %s cannot be upgraded", self.path, exc_info=True)
            raise problem from error
        # The file contains population records, so only the account that runs the app may read it.
        for path in (self.path, *self.path.parent.glob(f"{self.path.name}-*")):
            if path.exists():
                path.chmod(0o600)

    def file_revision(self) -> str | None:
        """Return the schema revision of the file, read without changing it.

        Returns None for a missing or empty file and for an SQLite file without tables,
        which hold nothing to lose. Raises :class:`DatabaseFileError` for a damaged file,
        one that cannot be opened, another program's database (tables but no
        ``alembic_version``) and a revision these migrations do not contain.
        """
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        try:
            connection = self._connect_read_only()
            try:
                tables = {
                    row[0]
                    for row in connection.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                }
                versions = []
                if "alembic_version" in tables:
                    rows = connection.execute("SELECT version_num FROM alembic_version")
                    versions = [row[0] for row in rows]
            finally:
                connection.close()
        except sqlite3.Error as error:
            problem = file_error_from(self.path, error)
            if problem is None:
                raise
            logger.info("Database %s cannot be read", self.path, exc_info=True)
            raise problem from error
        if not tables - {"alembic_version"} and not versions:
            return None
        if len(versions) != 1:
            logger.info("Database %s has no single schema version: %s", self.path, versions)
            raise DatabaseFileError(self.path, DatabaseProblem.FOREIGN)
        revision = str(versions[0])
        known = {script.revision for script in _script_directory().walk_revisions()}
        if revision not in known:
            raise DatabaseFileError(self.path, DatabaseProblem.UNKNOWN_REVISION, revision=revision)
        return revision

    def require_newest(self) -> None:
        """Raise :class:`DatabaseFileError` unless the file exists at the newest revision.

        For readers that must not create or migrate the database, such as the report
        command.
        """
        revision = self.file_revision()
        if revision is None:
            raise DatabaseFileError(self.path, DatabaseProblem.MISSING)
        if revision != _script_directory().get_current_head():
            raise DatabaseFileError(self.path, DatabaseProblem.OUTDATED, revision=revision)

    def current_revision(self) -> str | None:
        """Return the Alembic revision the file is at; None for a new, empty database."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def backups(self) -> list[Path]:
        """List the copies taken before migrations, oldest first."""
        return sorted(self.path.parent.glob(f"{self.path.name}.*.bak"))

    def _back_up_before_migrating(self, current: str | None, revision: str) -> Path | None:
        """Copy an existing database that ``revision`` would migrate, before migrating it."""
        if current is None:
            return None
        target = _script_directory().get_revision(revision)
        if target is None or target.revision == current:
            return None
        return self.back_up(current)

    def back_up(self, revision: str) -> Path:
        """Copy the database with SQLite's online backup API into a 0600 file beside it.

        The name contains the UTC time and the revision the copy is at, for example
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

    def _connect_read_only(self) -> sqlite3.Connection:
        return sqlite3.connect(
            f"{self.path.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )


def alembic_config(url: str | None = None) -> Config:
    """Build an Alembic configuration pointing at this package's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url)
    return config


def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


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


def _configure_read_only_connection(dbapi_connection: Any, connection_record: Any) -> None:
    # Setting WAL mode writes the file header, which a read-only connection may not do.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA query_only=ON")
    finally:
        cursor.close()


def _emit_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(_BEGIN_MODE_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")
