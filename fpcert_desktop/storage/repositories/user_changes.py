"""Rows of the user change form, its filings and the registry snapshots they keep."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.user_changes import (
    ChangePerson,
    ChangeType,
    KnownPerson,
    RegistryUser,
    UserChange,
)
from fpcert_desktop.domain.users import Role
from fpcert_desktop.storage.models import (
    UserChangeFilingRow,
    UserChangeRow,
    UserRegistrySnapshotRow,
    UserRow,
)


@dataclass(frozen=True)
class UserChangeFiling:
    """One filed form."""

    filing_id: int
    reporting_office_code: str
    filler: str
    filed_on: date
    filed_at: datetime
    filed_by: int
    file_name: str


class UserChangeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- rows ---------------------------------------------------------------------------

    def get(self, change_id: int) -> tuple[str, UserChange] | None:
        """Return the reporting office and the row, or ``None``."""
        row = self._session.get(UserChangeRow, change_id)
        return None if row is None else (row.reporting_office_code, _to_change(row))

    def is_filed(self, change_id: int) -> bool:
        row = self._session.get(UserChangeRow, change_id)
        return row is not None and row.filing_id is not None

    def pending(self, reporting_office_code: str) -> list[UserChange]:
        """Return the rows not yet filed by the office, in the order they were recorded."""
        query = (
            select(UserChangeRow)
            .where(
                UserChangeRow.reporting_office_code == reporting_office_code,
                UserChangeRow.filing_id.is_(None),
            )
            .order_by(UserChangeRow.change_id)
        )
        return [_to_change(row) for row in self._session.scalars(query)]

    def in_area(self, office_code_prefix: str) -> list[UserChange]:
        """Return every row, filed or not and on any office's form, for units in the area."""
        query = (
            select(UserChangeRow)
            .where(UserChangeRow.unit_office_code.startswith(office_code_prefix, autoescape=True))
            .order_by(UserChangeRow.change_id)
        )
        return [_to_change(row) for row in self._session.scalars(query)]

    def filed(self, filing_id: int) -> list[UserChange]:
        query = (
            select(UserChangeRow)
            .where(UserChangeRow.filing_id == filing_id)
            .order_by(UserChangeRow.change_id)
        )
        return [_to_change(row) for row in self._session.scalars(query)]

    def add(
        self, change: UserChange, *, reporting_office_code: str, recorded_by: int, at: datetime
    ) -> UserChange:
        row = UserChangeRow(
            reporting_office_code=reporting_office_code,
            recorded_by=recorded_by,
            recorded_at=at,
            updated_at=at,
        )
        _fill(row, change)
        self._session.add(row)
        self._session.flush()
        return _to_change(row)

    def update(self, change_id: int, change: UserChange, *, at: datetime) -> UserChange:
        """Replace the values of a pending row. Raises ``LookupError`` for an unknown id."""
        row = self._session.get(UserChangeRow, change_id)
        if row is None:
            raise LookupError(f"user change {change_id} not found")
        _fill(row, change)
        row.updated_at = at
        self._session.flush()
        return _to_change(row)

    def remove(self, change_id: int) -> UserChange:
        row = self._session.get(UserChangeRow, change_id)
        if row is None:
            raise LookupError(f"user change {change_id} not found")
        change = _to_change(row)
        self._session.delete(row)
        self._session.flush()
        return change

    def known_people(self, reporting_office_code: str) -> dict[int, KnownPerson]:
        """Map registry users to the ID number and phone of the office's latest row naming them."""
        query = (
            select(UserChangeRow)
            .where(
                UserChangeRow.reporting_office_code == reporting_office_code,
                or_(UserChangeRow.user_id.is_not(None), UserChangeRow.new_user_id.is_not(None)),
            )
            .order_by(UserChangeRow.change_id)
        )
        known: dict[int, KnownPerson] = {}
        for row in self._session.scalars(query):
            if row.user_id is not None:
                known[row.user_id] = KnownPerson(row.id_number, row.phone)
            if row.new_user_id is not None and row.new_id_number and row.new_phone:
                known[row.new_user_id] = KnownPerson(row.new_id_number, row.new_phone)
        return known

    # -- registry -----------------------------------------------------------------------

    def registry(self, office_code_prefix: str) -> list[RegistryUser]:
        """Return the users of every office whose code starts with the prefix, active or not."""
        query = (
            select(UserRow)
            .where(UserRow.office_code.startswith(office_code_prefix, autoescape=True))
            .order_by(UserRow.office_code, UserRow.user_id)
        )
        return [
            RegistryUser(
                user_id=row.user_id,
                name=row.name,
                role=Role(row.role),
                office_code=row.office_code,
                cert_fingerprint=row.cert_fingerprint,
                active=row.active,
                workstation=row.workstation,
            )
            for row in self._session.scalars(query)
        ]

    def snapshot(self, filing_id: int) -> list[RegistryUser]:
        query = (
            select(UserRegistrySnapshotRow)
            .where(UserRegistrySnapshotRow.filing_id == filing_id)
            .order_by(UserRegistrySnapshotRow.user_id)
        )
        return [
            RegistryUser(
                user_id=row.user_id,
                name=row.name,
                role=Role(row.role),
                office_code=row.office_code,
                cert_fingerprint=row.cert_fingerprint,
                active=row.active,
                workstation=row.workstation,
            )
            for row in self._session.scalars(query)
        ]

    # -- filings ------------------------------------------------------------------------

    def last_filing(self, reporting_office_code: str) -> UserChangeFiling | None:
        query = (
            select(UserChangeFilingRow)
            .where(UserChangeFilingRow.reporting_office_code == reporting_office_code)
            .order_by(UserChangeFilingRow.filing_id.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else _to_filing(row)

    def file(
        self,
        *,
        reporting_office_code: str,
        filler: str,
        filed_on: date,
        filed_at: datetime,
        filed_by: int,
        file_name: str,
        change_ids: Sequence[int],
        registry: Iterable[RegistryUser],
    ) -> UserChangeFiling:
        """Record a filing: the rows it took and the registry it leaves as the next baseline."""
        filing = UserChangeFilingRow(
            reporting_office_code=reporting_office_code,
            filler=filler,
            filed_on=filed_on,
            filed_at=filed_at,
            filed_by=filed_by,
            file_name=file_name,
        )
        self._session.add(filing)
        self._session.flush()
        for change_id in change_ids:
            row = self._session.get(UserChangeRow, change_id)
            if row is None or row.filing_id is not None:
                raise LookupError(f"user change {change_id} is not pending")
            row.filing_id = filing.filing_id
        self._session.add_all(
            UserRegistrySnapshotRow(
                filing_id=filing.filing_id,
                user_id=user.user_id,
                name=user.name,
                role=user.role.value,
                office_code=user.office_code,
                cert_fingerprint=user.cert_fingerprint,
                active=user.active,
                workstation=user.workstation,
            )
            for user in registry
        )
        self._session.flush()
        return _to_filing(filing)


def _fill(row: UserChangeRow, change: UserChange) -> None:
    row.unit_office_code = change.unit_office_code
    row.unit_name = change.unit_name
    row.change_type = change.change_type.value
    row.name = change.person.name
    row.id_number = change.person.id_number
    row.role = change.person.role.value
    row.phone = change.person.phone
    new = change.new_person
    row.new_name = new.name if new else None
    row.new_id_number = new.id_number if new else None
    row.new_role = new.role.value if new else None
    row.new_phone = new.phone if new else None
    row.workstation = change.workstation
    row.remarks = change.remarks
    row.user_id = change.user_id
    row.new_user_id = change.new_user_id
    row.cert_fingerprint = change.cert_fingerprint


def _to_change(row: UserChangeRow) -> UserChange:
    new_person = None
    if row.new_name is not None and row.new_id_number is not None:
        new_person = ChangePerson(
            name=row.new_name,
            id_number=row.new_id_number,
            role=Role(row.new_role or Role.CLERK.value),
            phone=row.new_phone or "",
        )
    return UserChange(
        change_type=ChangeType(row.change_type),
        unit_office_code=row.unit_office_code or "",
        unit_name=row.unit_name,
        person=ChangePerson(row.name, row.id_number, Role(row.role), row.phone),
        new_person=new_person,
        workstation=row.workstation,
        remarks=row.remarks,
        change_id=row.change_id,
        user_id=row.user_id,
        new_user_id=row.new_user_id,
        cert_fingerprint=row.cert_fingerprint,
    )


def _to_filing(row: UserChangeFilingRow) -> UserChangeFiling:
    return UserChangeFiling(
        filing_id=row.filing_id,
        reporting_office_code=row.reporting_office_code,
        filler=row.filler,
        filed_on=row.filed_on,
        filed_at=row.filed_at,
        filed_by=row.filed_by,
        file_name=row.file_name,
    )
