"""Staff accounts: each e-key certificate maps to one user with a role and an office."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate


class Role(str, Enum):
    CLERK = "clerk"
    ADMINISTRATOR = "administrator"
    SUPERVISOR = "supervisor"
    PARTNER = "partner"

    @property
    def label(self) -> MessageTemplate:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.CLERK: QT_TRANSLATE_NOOP("Role", "print clerk"),
    Role.ADMINISTRATOR: QT_TRANSLATE_NOOP("Role", "administrator"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("Role", "supervisor"),
    Role.PARTNER: QT_TRANSLATE_NOOP("Role", "partner-unit query user"),
}


@dataclass(frozen=True)
class User:
    """An account; ``cert_fingerprint`` is the lower-case hex SHA-256 of its e-key certificate."""

    user_id: int
    name: str
    role: Role
    office_code: str
    cert_fingerprint: str
    active: bool = True
