"""Repositories: queries over one session that return frozen domain types, never ORM rows."""

from fpcert_desktop.storage.repositories.audit import AuditEvent, AuditLog, ChainVerification
from fpcert_desktop.storage.repositories.issuances import IssuanceRepository, IssuanceStateError
from fpcert_desktop.storage.repositories.offices import OfficeRepository
from fpcert_desktop.storage.repositories.people import PeopleRepository, PersonSummary
from fpcert_desktop.storage.repositories.users import UserRepository

__all__ = [
    "AuditEvent",
    "AuditLog",
    "ChainVerification",
    "IssuanceRepository",
    "IssuanceStateError",
    "OfficeRepository",
    "PeopleRepository",
    "PersonSummary",
    "UserRepository",
]
