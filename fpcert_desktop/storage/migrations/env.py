"""Alembic environment for the local SQLite database.

``Database.upgrade`` passes its open connection in ``config.attributes["connection"]``;
the ``alembic`` command line falls back to ``sqlalchemy.url``. Batch mode is on
because SQLite can alter a table only by copying it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from fpcert_desktop.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database given: set sqlalchemy.url or pass a connection")
    engine = create_engine(url)
    with engine.connect() as new_connection:
        _run_with(new_connection)
    engine.dispose()


def _run_with(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
