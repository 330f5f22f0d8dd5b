"""Pydantic models of every request and response body of the sync API."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

OFFICE_CODE_PATTERN = r"^(\d{6}|\d{9}|\d{12})$"
WORKSTATION_CODE_PATTERN = r"^[0-9A-Z]{2,4}$"
SHA256_HEX_PATTERN = r"^[0-9a-f]{64}$"
MAX_PUSH_ITEMS = 500
MAX_PULL_LIMIT = 5000


class Stream(str, Enum):
    PEOPLE = "people"
    OFFICES = "offices"
    USERS = "users"
    INSTITUTIONS = "institutions"
    POLICIES = "policies"
    PROBLEM_LIST = "problem_list"


class PushKind(str, Enum):
    ISSUANCES = "issuances"
    VOIDS = "voids"
    REPRINTS = "reprints"
    PROBLEM_LIST = "problem_list"
    REFERRALS = "referrals"
    AUDIT_EVENTS = "audit_events"


class ErrorResponse(BaseModel):
    error: str = Field(description="Machine-readable error code, such as invalid_cursor.")
    detail: str = Field(description="English description of the error.")


class EnrolRequest(BaseModel):
    office_code: str = Field(pattern=OFFICE_CODE_PATTERN)
    workstation_code: str = Field(pattern=WORKSTATION_CODE_PATTERN)
    enrolment_code: str = Field(min_length=1, max_length=64)


class EnrolResponse(BaseModel):
    workstation_id: str
    secret: str = Field(description="Shown once; the client keeps it in the OS keyring.")


class ChallengeResponse(BaseModel):
    challenge: str = Field(description="base64 of 32 random bytes; sign these bytes.")
    expires_at: AwareDatetime


class SessionRequest(BaseModel):
    challenge: str = Field(min_length=1, max_length=128)
    certificate: str = Field(min_length=1, max_length=20_000, description="base64 of DER")
    signature: str = Field(min_length=1, max_length=2_000, description="base64")


class SessionResponse(BaseModel):
    session_token: str
    user_id: int
    expires_at: AwareDatetime


class StreamItem(BaseModel):
    op: Literal["upsert", "delete"]
    id: str
    version: int
    data: dict[str, Any] | None = Field(
        description="The entity for an upsert (fields per stream in docs/sync-api.md); "
        "null for a delete."
    )


class StreamPage(BaseModel):
    stream: Stream
    items: list[StreamItem]
    next_cursor: str
    has_more: bool
    as_of: AwareDatetime


class RejectedItem(BaseModel):
    uuid: str
    reason: str


class PushResponse(BaseModel):
    accepted: list[str]
    duplicates: list[str]
    rejected: list[RejectedItem]


class VerifyStatus(str, Enum):
    VALID = "valid"
    VOIDED = "voided"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class VerifyResponse(BaseModel):
    number: str
    status: VerifyStatus
    purpose_code: str | None
    issued_on: date | None
    valid_until: date | None
    office_code: str | None


# --- push items --------------------------------------------------------------------
# Unknown fields are ignored, so a newer client may send more than this server reads.


class _PushItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    uuid: UUID


class IssuancePushItem(_PushItem):
    number: str = Field(max_length=40)
    office_code: str = Field(pattern=OFFICE_CODE_PATTERN)
    workstation: str = Field(pattern=WORKSTATION_CODE_PATTERN)
    person_id: int
    id_number_hash: str = Field(min_length=1, max_length=128)
    purpose_code: str = Field(min_length=1, max_length=32)
    issued_at: AwareDatetime
    valid_until: date | None
    status: Literal["not_printed", "printed", "voided"]
    policy_version: str = Field(min_length=1, max_length=32)
    user_id: int


class VoidPushItem(_PushItem):
    number: str = Field(max_length=40)
    reason: str = Field(min_length=1, max_length=2000)
    voided_at: AwareDatetime
    user_id: int


class ReprintPushItem(_PushItem):
    number: str = Field(max_length=40)
    reason: str = Field(min_length=1, max_length=2000)
    reprinted_at: AwareDatetime
    user_id: int


class ProblemListPushItem(_PushItem):
    entry_id: int | None = Field(default=None, description="The client's local entry id.")
    id_number: str = Field(min_length=18, max_length=18)
    category: Literal["illegal_birth", "false_materials"]
    listed_on: date
    facts: str = Field(max_length=10_000)
    materials_location: str = Field(max_length=2000)
    entered_by: int
    office_code: str = Field(pattern=OFFICE_CODE_PATTERN)
    feedback_state: Literal["pending", "sent", "acknowledged"]
    removed_on: date | None = None
    removal_reason: str = Field(default="", max_length=2000)
    user_id: int = Field(description="The user who made this change.")


class MismatchFieldModel(BaseModel):
    field: str = Field(min_length=1, max_length=64)
    record_value: str = Field(max_length=500)
    document_value: str = Field(max_length=500)


class ReferralPushItem(_PushItem):
    person_id: int
    purpose_code: str = Field(min_length=1, max_length=32)
    record_version: int = Field(ge=1)
    fields: list[MismatchFieldModel] = Field(min_length=1)
    responsible_office_code: str = Field(pattern=OFFICE_CODE_PATTERN)
    created_on: date
    resolved_on: date | None = None
    user_id: int


class AuditEventPushItem(_PushItem):
    seq: int = Field(ge=1)
    # Kept as sent, because the client's hash chain covers this exact text.
    at: str = Field(min_length=1, max_length=40)
    user_id: int | None
    workstation: str = Field(min_length=1, max_length=16)
    event: str = Field(min_length=1, max_length=64)
    subject: str | None = Field(default=None, max_length=64)
    details: dict[str, Any]
    prev_hash: str = Field(pattern=SHA256_HEX_PATTERN)
    hash: str = Field(pattern=SHA256_HEX_PATTERN)


PUSH_ITEM_MODELS: dict[PushKind, type[_PushItem]] = {
    PushKind.ISSUANCES: IssuancePushItem,
    PushKind.VOIDS: VoidPushItem,
    PushKind.REPRINTS: ReprintPushItem,
    PushKind.PROBLEM_LIST: ProblemListPushItem,
    PushKind.REFERRALS: ReferralPushItem,
    PushKind.AUDIT_EVENTS: AuditEventPushItem,
}


class PushRequest(BaseModel):
    """Items are validated one by one, so one invalid item is rejected alone."""

    items: list[Any] = Field(max_length=MAX_PUSH_ITEMS)


# --- reports -----------------------------------------------------------------------


class ReportTotalsModel(BaseModel):
    day: date
    printed: int
    voids: int
    reprints: int
    not_printed: int
    refusals: int


class ReportRowModel(BaseModel):
    office_code: str
    office_name: str
    workstation: str
    user_id: int
    clerk_name: str
    printed: dict[str, int] = Field(description="Printed certificates per purpose code.")
    voids: int
    reprints: int
    not_printed: int
    refusals: dict[str, int] = Field(description="Refused prints per eligibility rule.")
    first_print: AwareDatetime | None
    last_print: AwareDatetime | None
    waiting_sync: int | None = Field(description="Always null: the server sees no outbox.")


class PurposeColumnModel(BaseModel):
    code: str
    name: str


class DailyReportResponse(BaseModel):
    day: date
    office_code: str
    office_name: str
    source: Literal["server", "local"]
    generated_at: AwareDatetime
    purposes: list[PurposeColumnModel]
    rules: list[str]
    rows: list[ReportRowModel]
    totals: ReportTotalsModel
    previous_day: ReportTotalsModel
    same_weekday_last_week: ReportTotalsModel
    outbox_pending: int | None


class SigningKeyItem(BaseModel):
    certificate: str = Field(description="The DER X.509 certificate, base64.")
    holder_name: str
    office_code: str
    revoked: bool = Field(description="True when the holder's user is no longer active.")


class SigningKeysResponse(BaseModel):
    keys: list[SigningKeyItem]
