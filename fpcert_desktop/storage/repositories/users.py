"""Staff accounts, found by the fingerprint of their e-key certificate."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.users import Role, User
from fpcert_desktop.storage.models import UserRow


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, user_id: int) -> User | None:
        row = self._session.get(UserRow, user_id)
        return None if row is None else _to_user(row)

    def by_fingerprint(self, fingerprint: str) -> User | None:
        """Find the user of a certificate by its SHA-256 fingerprint in hex (any case)."""
        query = select(UserRow).where(UserRow.cert_fingerprint == fingerprint.lower())
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _to_user(row)

    def add(
        self,
        *,
        name: str,
        role: Role,
        office_code: str,
        cert_fingerprint: str,
        active: bool = True,
        workstation: str | None = None,
        user_id: int | None = None,
    ) -> User:
        """Insert a user; ``user_id`` is assigned by the database unless given."""
        row = UserRow(
            user_id=user_id,
            name=name,
            role=role.value,
            office_code=office_code,
            cert_fingerprint=cert_fingerprint.lower(),
            active=active,
            workstation=workstation,
        )
        self._session.add(row)
        self._session.flush()
        return _to_user(row)

    def set_active(self, user_id: int, active: bool) -> User:
        """Enable or disable an account; raises ``LookupError`` for an unknown ``user_id``."""
        row = self._session.get(UserRow, user_id)
        if row is None:
            raise LookupError(f"user {user_id} not found")
        row.active = active
        self._session.flush()
        return _to_user(row)


def _to_user(row: UserRow) -> User:
    return User(
        user_id=row.user_id,
        name=row.name,
        role=Role(row.role),
        office_code=row.office_code,
        cert_fingerprint=row.cert_fingerprint,
        active=row.active,
    )
