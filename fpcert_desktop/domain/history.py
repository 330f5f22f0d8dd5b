"""What the rules need beyond the record: the applicant's history and the counter's input.

The history comes from the local database (problem list, earlier certificates,
correction referrals). The counter input is what the clerk records for this print: the
copies checked against their originals and, inside the re-issue window, the ring and
pregnancy check certificate (查环查孕证明).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate


class ProblemCategory(str, Enum):
    """Why a person is on the problem list (问题名单)."""

    ILLEGAL_BIRTH = "illegal_birth"
    FALSE_MATERIALS = "false_materials"

    @property
    def zh(self) -> str:
        return "违法生育" if self is ProblemCategory.ILLEGAL_BIRTH else "提供虚假证明材料"

    @property
    def label(self) -> MessageTemplate:
        return _CATEGORY_LABELS[self]


class FeedbackState(str, Enum):
    """Whether the entry has been fed back to the person's community workstation."""

    PENDING = "pending"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"

    @property
    def label(self) -> MessageTemplate:
        return _FEEDBACK_LABELS[self]


class CheckOwner(str, Enum):
    """Whose ring and pregnancy check certificate the clerk saw."""

    APPLICANT = "applicant"
    SPOUSE = "spouse"

    @property
    def label(self) -> MessageTemplate:
        return _OWNER_LABELS[self]


class OriginalDocument(str, Enum):
    """Copies the applicant hands in, each compared with its original and stamped 与原件相符."""

    ID_CARD = "id_card"
    HUKOU_BOOK = "hukou_book"
    MARRIAGE_CERTIFICATE = "marriage_certificate"
    BIRTH_CERTIFICATE = "birth_certificate"
    RESIDENCE_PERMIT = "residence_permit"
    OTHER = "other"

    @property
    def zh(self) -> str:
        return _DOCUMENT_ZH[self]

    @property
    def label(self) -> MessageTemplate:
        return _DOCUMENT_LABELS[self]


_CATEGORY_LABELS = {
    ProblemCategory.ILLEGAL_BIRTH: QT_TRANSLATE_NOOP("ProblemCategory", "birth outside the rules"),
    ProblemCategory.FALSE_MATERIALS: QT_TRANSLATE_NOOP(
        "ProblemCategory", "false certificate or materials"
    ),
}
_FEEDBACK_LABELS = {
    FeedbackState.PENDING: QT_TRANSLATE_NOOP("FeedbackState", "not yet sent"),
    FeedbackState.SENT: QT_TRANSLATE_NOOP("FeedbackState", "sent to the community"),
    FeedbackState.ACKNOWLEDGED: QT_TRANSLATE_NOOP("FeedbackState", "acknowledged"),
}
_OWNER_LABELS = {
    CheckOwner.APPLICANT: QT_TRANSLATE_NOOP("CheckOwner", "applicant"),
    CheckOwner.SPOUSE: QT_TRANSLATE_NOOP("CheckOwner", "spouse"),
}
_DOCUMENT_ZH = {
    OriginalDocument.ID_CARD: "居民身份证",
    OriginalDocument.HUKOU_BOOK: "户口簿",
    OriginalDocument.MARRIAGE_CERTIFICATE: "结婚证",
    OriginalDocument.BIRTH_CERTIFICATE: "出生医学证明",
    OriginalDocument.RESIDENCE_PERMIT: "居住证",
    OriginalDocument.OTHER: "其他材料",
}
_DOCUMENT_LABELS = {
    OriginalDocument.ID_CARD: QT_TRANSLATE_NOOP("OriginalDocument", "ID card"),
    OriginalDocument.HUKOU_BOOK: QT_TRANSLATE_NOOP("OriginalDocument", "household register"),
    OriginalDocument.MARRIAGE_CERTIFICATE: QT_TRANSLATE_NOOP(
        "OriginalDocument", "marriage certificate"
    ),
    OriginalDocument.BIRTH_CERTIFICATE: QT_TRANSLATE_NOOP(
        "OriginalDocument", "birth certificates of the children"
    ),
    OriginalDocument.RESIDENCE_PERMIT: QT_TRANSLATE_NOOP("OriginalDocument", "residence permit"),
    OriginalDocument.OTHER: QT_TRANSLATE_NOOP("OriginalDocument", "other materials"),
}


@dataclass(frozen=True)
class ProblemListEntry:
    """One problem-list entry; ``removed_on`` is set when an administrator removed it."""

    entry_id: int
    person_id: int
    category: ProblemCategory
    listed_on: date
    facts: str
    materials_location: str
    entered_by: int
    office_code: str
    feedback_state: FeedbackState = FeedbackState.PENDING
    removed_on: date | None = None
    removal_reason: str = ""

    @property
    def active(self) -> bool:
        return self.removed_on is None


@dataclass(frozen=True)
class MismatchField:
    """One difference between the provincial record and a document the applicant showed."""

    field: str
    record_value: str
    document_value: str


@dataclass(frozen=True)
class Referral:
    """A correction referral (材料与省系统登记不符) sent to the responsible office.

    It blocks printing the certificate for ``purpose_code`` to the person until a record
    newer than ``record_version`` arrives.
    """

    referral_id: int
    person_id: int
    purpose_code: str
    record_version: int
    fields: tuple[MismatchField, ...]
    responsible_office_code: str
    created_by: int
    created_on: date
    resolved_on: date | None = None

    @property
    def open(self) -> bool:
        return self.resolved_on is None


@dataclass(frozen=True)
class Institution:
    """A Shenzhen family-planning technical service institution that issues check certificates."""

    code: str
    name: str
    district_code: str


@dataclass(frozen=True)
class CheckCertificate:
    """The ring and pregnancy check certificate (查环查孕证明) the clerk recorded."""

    owner: CheckOwner
    issued_on: date
    number: str
    institution_code: str


@dataclass(frozen=True)
class OriginalsConfirmation:
    """The copies compared with their originals and stamped, and the applicant's signature."""

    documents: tuple[OriginalDocument, ...]
    applicant_signed: bool


@dataclass(frozen=True)
class ApplicantHistory:
    """The applicant's history as the local database has it.

    ``last_issued_on`` is the issue date of the applicant's latest certificate that was
    printed and not voided, whatever its purpose.
    """

    problem_entries: tuple[ProblemListEntry, ...] = ()
    last_issued_on: date | None = None
    open_referrals: tuple[Referral, ...] = ()


@dataclass(frozen=True)
class CounterInput:
    """What the clerk records at the counter before printing."""

    originals: OriginalsConfirmation | None = None
    check_certificate: CheckCertificate | None = None
