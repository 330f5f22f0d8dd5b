"""Engine set-up for SQLite and PostgreSQL, and the change-log writer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, text
from sqlalchemy.orm import Session

from fpcert_server.models import ChangeRow

SQLITE_BUSY_TIMEOUT_MS = 10_000


def database_url(value: str) -> str:
    """Turn a bare file path into a SQLite URL and leave any URL unchanged."""
    if "://" in value:
        return value
    return f"sqlite+pysqlite:///{value}"


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` (a SQLAlchemy URL or a SQLite file path)."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        if not _is_memory_database(dbapi_connection):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _is_memory_database(dbapi_connection: Any) -> bool:
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return any(row[1] == "main" and not row[2] for row in rows)


def lock_change_log(bind: Session | Connection) -> None:
    """Serialise writers of ``changes`` until the transaction ends.

    A pull returns rows after the client's last ``seq``. If two PostgreSQL
    transactions took sequence values and the later one committed first, a client
    could pull past the earlier one's rows and never see them. The table lock
    (which still lets readers in) makes commit order equal ``seq`` order. SQLite
    already allows one writer at a time, so it needs nothing.
    """
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    if dialect.name == "postgresql":
        bind.execute(text("LOCK TABLE changes IN EXCLUSIVE MODE"))


def change_row(
    stream: str,
    entity_id: str,
    version: int,
    payload: Mapping[str, Any] | None,
    at: datetime,
    *,
    scope: tuple[str | None, str | None] = (None, None),
    kept: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    """Build one ``changes`` row; a None payload makes a delete."""
    return {
        "stream": stream,
        "entity_id": entity_id,
        "op": "upsert" if payload is not None else "delete",
        "version": version,
        "payload_json": None if payload is None else dump_json(payload),
        "at": at,
        "scope_code_1": scope[0],
        "scope_code_2": scope[1],
        "kept_code_1": kept[0],
        "kept_code_2": kept[1],
    }


def append_changes(bind: Session | Connection, rows: Iterable[dict[str, Any]]) -> int:
    """Insert change rows with one executemany, in the order given. Returns the count."""
    batch = list(rows)
    if batch:
        bind.execute(insert(ChangeRow), batch)
    return len(batch)


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
