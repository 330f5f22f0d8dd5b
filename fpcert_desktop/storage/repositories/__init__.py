"""Repositories: queries over one session that return frozen domain types, never ORM rows."""

from fpcert_desktop.storage.repositories.audit import AuditEvent, AuditLog, ChainVerification
from fpcert_desktop.storage.repositories.history import history_for
from fpcert_desktop.storage.repositories.issuances import IssuanceRepository, IssuanceStateError
from fpcert_desktop.storage.repositories.offices import OfficeRepository
from fpcert_desktop.storage.repositories.people import PeopleRepository, PersonSummary
from fpcert_desktop.storage.repositories.problem_list import (
    ChangeAction,
    ProblemListChange,
    ProblemListRepository,
)
from fpcert_desktop.storage.repositories.referrals import ReferralRepository
from fpcert_desktop.storage.repositories.sync import (
    OutboxItem,
    OutboxRepository,
    QuarantinedRecord,
    QuarantineRepository,
    StreamState,
    SyncStateRepository,
)
from fpcert_desktop.storage.repositories.users import UserRepository

__all__ = [
    "AuditEvent",
    "AuditLog",
    "ChainVerification",
    "ChangeAction",
    "IssuanceRepository",
    "IssuanceStateError",
    "OfficeRepository",
    "OutboxItem",
    "OutboxRepository",
    "PeopleRepository",
    "PersonSummary",
    "ProblemListChange",
    "ProblemListRepository",
    "QuarantineRepository",
    "QuarantinedRecord",
    "ReferralRepository",
    "StreamState",
    "SyncStateRepository",
    "UserRepository",
    "history_for",
]
