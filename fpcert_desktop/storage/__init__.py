"""Local SQLite storage: models, Alembic migrations and repositories that return domain types."""

from fpcert_desktop.storage.db import Database, default_database_path

__all__ = ["Database", "default_database_path"]
