"""Issuance records and certificate numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from fpcert_desktop.domain.history import CheckCertificate, OriginalsConfirmation
from fpcert_desktop.domain.policy import Retention
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate

_NUMBER_PATTERN = re.compile(r"^(\d{6}|\d{9}|\d{12})-([0-9A-Z]{2,4})-(\d{4})-(\d{6})$")


class IssuanceStatus(str, Enum):
    """``NOT_PRINTED`` until the printer confirms the job; a failed print stays there."""

    NOT_PRINTED = "not_printed"
    PRINTED = "printed"
    VOIDED = "voided"

    @property
    def label(self) -> MessageTemplate:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    IssuanceStatus.NOT_PRINTED: QT_TRANSLATE_NOOP("IssuanceStatus", "not printed"),
    IssuanceStatus.PRINTED: QT_TRANSLATE_NOOP("IssuanceStatus", "printed"),
    IssuanceStatus.VOIDED: QT_TRANSLATE_NOOP("IssuanceStatus", "voided"),
}


@dataclass(frozen=True, order=True)
class CertificateNumber:
    """Office code + workstation + year + serial: unique without a network.

    Each workstation of an office keeps its own serial per year, so two workstations
    never hand out the same number even when offline. Printed as
    ``440304001003-01-2026-000042``.
    """

    office_code: str
    workstation: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.office_code}-{self.workstation}-{self.year:04d}-{self.serial:06d}"

    @classmethod
    def parse(cls, text: str) -> CertificateNumber:
        match = _NUMBER_PATTERN.match(text.strip().upper())
        if match is None:
            raise ValueError(f"not a certificate number: {text!r}")
        office, workstation, year, serial = match.groups()
        return cls(office, workstation, int(year), int(serial))


@dataclass(frozen=True)
class Issuance:
    """One certificate issued to one person for one purpose.

    ``retention`` and ``dispose_after`` are None for certificates issued before they
    were recorded, and ``dispose_after`` is also None for long-term retention.
    """

    issuance_id: str
    number: CertificateNumber
    person_id: int
    purpose_code: str
    office_code: str
    workstation: str
    user_id: int
    issued_at: datetime
    valid_until: date | None
    status: IssuanceStatus
    policy_version: str
    print_attempts: int = 0
    printed_at: datetime | None = None
    printer: str | None = None
    print_job: str | None = None
    last_error: str | None = None
    originals: OriginalsConfirmation | None = None
    check_certificate: CheckCertificate | None = None
    retention: Retention | None = None
    dispose_after: date | None = None
    voided_at: datetime | None = None
    voided_by: int | None = None
    void_reason: str | None = None
    reprint_count: int = 0
    last_reprint_reason: str | None = None
    last_reprinted_at: datetime | None = None
