"""Offices (issuing units) and their tree."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.storage.models import OfficeRow


class OfficeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, code: str) -> Office | None:
        row = self._session.get(OfficeRow, code)
        return None if row is None else _to_office(row)

    def all(self) -> list[Office]:
        rows = self._session.scalars(select(OfficeRow).order_by(OfficeRow.code))
        return [_to_office(row) for row in rows]

    def children_of(self, code: str) -> list[Office]:
        """Return the offices directly under ``code``, ordered by code."""
        query = select(OfficeRow).where(OfficeRow.parent_code == code).order_by(OfficeRow.code)
        return [_to_office(row) for row in self._session.scalars(query)]

    def add_many(self, offices: Iterable[Office]) -> int:
        """Insert offices with one executemany; parents must come before their children."""
        rows = [
            {
                "code": office.code,
                "name": office.name,
                "level": office.level.value,
                "parent_code": office.parent_code,
            }
            for office in offices
        ]
        if rows:
            self._session.execute(insert(OfficeRow), rows)
        return len(rows)


def _to_office(row: OfficeRow) -> Office:
    return Office(
        code=row.code, name=row.name, level=OfficeLevel(row.level), parent_code=row.parent_code
    )
