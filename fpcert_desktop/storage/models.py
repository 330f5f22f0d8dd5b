"""SQLAlchemy models of the local database.

Enumerations are stored as their ``.value`` strings, dates as ISO text and timestamps
as naive UTC (see :class:`UtcDateTime`). Repositories convert rows to the frozen
domain types; no code outside ``storage`` uses these classes.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and returned as an aware UTC ``datetime``.

    Naive values on the way in are rejected, because their zone cannot be known.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OfficeRow(Base):
    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("offices.code"), index=True)


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_name_birth_date", "name", "birth_date"),
        Index("ix_people_name_district_code", "name", "district_code"),
    )

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(8))
    birth_date: Mapped[date] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(16))
    population_type: Mapped[str] = mapped_column(String(16))
    hukou_category: Mapped[str] = mapped_column(String(24))
    hukou_address: Mapped[str] = mapped_column(String(200))
    hukou_division_code: Mapped[str] = mapped_column(String(12))
    residence_address: Mapped[str] = mapped_column(String(200))
    residence_division_code: Mapped[str] = mapped_column(String(12))
    # The 6-digit district code of the residence, kept separately for the name index.
    district_code: Mapped[str] = mapped_column(String(6))
    marital_status: Mapped[str] = mapped_column(String(16))
    marriage_date: Mapped[date | None] = mapped_column(Date)
    # Deferred to commit, so both spouses of a couple can be inserted in one statement.
    # The index keeps that check fast: without it SQLite scans the table for each
    # inserted person while a spouse link is still unresolved.
    spouse_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.person_id", deferrable=True, initially="DEFERRED"), index=True
    )
    spouse_name: Mapped[str | None] = mapped_column(String(64))
    spouse_id_number: Mapped[str | None] = mapped_column(String(18))
    record_version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ChildRow(Base):
    __tablename__ = "children"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mother_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.person_id"), index=True)
    father_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.person_id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(8))
    birth_date: Mapped[date] = mapped_column(Date)
    birth_order: Mapped[int] = mapped_column(Integer)
    id_number: Mapped[str | None] = mapped_column(String(18))


class PregnancyRow(Base):
    """The current pregnancy of a woman; at most one row per woman."""

    __tablename__ = "pregnancies"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.person_id"), primary_key=True)
    registered_on: Mapped[date] = mapped_column(Date)
    expected_delivery: Mapped[date | None] = mapped_column(Date)
    planned_birth_order: Mapped[int] = mapped_column(Integer)


class UserRow(Base):
    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    cert_fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    workstation: Mapped[str | None] = mapped_column(String(4))


class CertificateSerialRow(Base):
    """The next unused serial per office, workstation and year."""

    __tablename__ = "certificate_serials"

    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), primary_key=True)
    workstation: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_serial: Mapped[int] = mapped_column(Integer)


class IssuanceRow(Base):
    __tablename__ = "issuances"
    __table_args__ = (
        UniqueConstraint("office_code", "workstation", "year", "serial"),
        Index(
            "ix_issuances_office_code_workstation_issued_at",
            "office_code",
            "workstation",
            "issued_at",
        ),
        Index("ix_issuances_person_id_issued_at", "person_id", "issued_at"),
    )

    issuance_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    workstation: Mapped[str] = mapped_column(String(4))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.person_id"))
    purpose_code: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    policy_version: Mapped[str] = mapped_column(String(32))
    print_attempts: Mapped[int] = mapped_column(Integer, default=0)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    printer: Mapped[str | None] = mapped_column(String(100))
    print_job: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    # The printed CertificateContent as JSON, so a reprint shows what the first print showed.
    content_json: Mapped[str] = mapped_column(Text)
    # {"documents": [OriginalDocument values], "applicant_signed": bool}, or NULL when not
    # recorded, as in every row issued before migration 0002.
    originals_json: Mapped[str | None] = mapped_column(Text)
    # {"owner", "issued_on", "number", "institution_code"} of the ring and pregnancy
    # check certificate, when the clerk recorded one.
    check_certificate_json: Mapped[str | None] = mapped_column(Text)
    # A policy Retention value. NULL for rows issued before migration 0002, whose
    # retention was never recorded and cannot be derived safely.
    retention: Mapped[str | None] = mapped_column(String(16))
    dispose_after: Mapped[date | None] = mapped_column(Date, index=True)
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("users.user_id"))
    reprint_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_reprint_reason: Mapped[str | None] = mapped_column(Text)
    last_reprinted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The signed verification QR text (FPC1:...) printed on the certificate, or NULL for
    # certificates printed before migration 0005 or without an e-key signature.
    qr_payload: Mapped[str | None] = mapped_column(Text)


class ProblemListEntryRow(Base):
    """One problem-list (问题名单) entry. Entries are removed by date, never deleted."""

    __tablename__ = "problem_list_entries"

    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.person_id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    listed_on: Mapped[date] = mapped_column(Date)
    facts: Mapped[str] = mapped_column(Text)
    # Where the supporting materials are filed, by category. They are kept long-term.
    materials_location: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    feedback_state: Mapped[str] = mapped_column(String(16))
    feedback_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    removed_on: Mapped[date | None] = mapped_column(Date)
    removal_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProblemListChangeRow(Base):
    """One change to a problem-list entry, with the entry as JSON before and after it."""

    __tablename__ = "problem_list_changes"

    change_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("problem_list_entries.entry_id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)


class ReferralRow(Base):
    """A correction referral: the record and the applicant's documents disagree."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_person_id_purpose_code", "person_id", "purpose_code"),)

    referral_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.person_id"))
    purpose_code: Mapped[str] = mapped_column(String(32))
    # The person's record_version when the referral was made.
    record_version: Mapped[int] = mapped_column(Integer)
    # A JSON list of {"field", "record_value", "document_value"}.
    fields_json: Mapped[str] = mapped_column(Text)
    # No foreign key: the office that keeps the record may be outside the local office tree.
    responsible_office_code: Mapped[str] = mapped_column(String(12), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The China Standard Time date of created_at.
    created_on: Mapped[date] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolved_reason: Mapped[str | None] = mapped_column(Text)


class AuditEventRow(Base):
    """One entry of the append-only, hash-chained audit trail.

    ``subject`` is a masked ID number or a person id, never a full ID number. Triggers
    created by the migration reject UPDATE and DELETE.
    """

    __tablename__ = "audit_events"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(16))
    event: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(64))
    details_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class SyncStreamRow(Base):
    """The pull position of one sync stream: the server's cursor and the age of the data."""

    __tablename__ = "sync_streams"

    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Opaque to the client; NULL until the first page was applied.
    cursor: Mapped[str | None] = mapped_column(Text)
    # The server time the last applied page reflects.
    as_of: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncQuarantineRow(Base):
    """A pulled record that was not applied, with the reason. Full ID numbers are masked."""

    __tablename__ = "sync_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(32), index=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    payload_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxRow(Base):
    """One item waiting to be pushed to the server, written with the change it reports.

    ``sent_at`` is set when the server accepted it or already had it. ``last_error``
    contains the server's reason when it rejected the item.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_kind_sent_at_created_at", "kind", "sent_at", "created_at"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)


class InstitutionRow(Base):
    """A check-certificate institution pulled from the server."""

    __tablename__ = "institutions"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str] = mapped_column(String(6))


class PolicyRow(Base):
    """A policy file pulled from the server, kept as its TOML text."""

    __tablename__ = "policies"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    effective_date: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class UserChangeFilingRow(Base):
    """One filed user change form (用户变更表): who filled it in, when, and the file name."""

    __tablename__ = "user_change_filings"

    filing_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The office of the administrator who filed it; its level and the levels below.
    reporting_office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    filler: Mapped[str] = mapped_column(String(64))
    # The China Standard Time date printed on the form and in the file name.
    filed_on: Mapped[date] = mapped_column(Date)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    filed_by: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    file_name: Mapped[str] = mapped_column(String(200))


class UserChangeRow(Base):
    """One row of the user change form, pending until a filing takes it.

    A replacement (离职换人) carries the leaving person in the main columns and the new
    person in the ``new_*`` columns.
    """

    __tablename__ = "user_changes"

    change_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reporting_office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    # No foreign key: a unit may be typed in for an office not yet in the local tree.
    unit_office_code: Mapped[str | None] = mapped_column(String(12))
    unit_name: Mapped[str] = mapped_column(String(100))
    change_type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18))
    role: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(20))
    new_name: Mapped[str | None] = mapped_column(String(64))
    new_id_number: Mapped[str | None] = mapped_column(String(18))
    new_role: Mapped[str | None] = mapped_column(String(16))
    new_phone: Mapped[str | None] = mapped_column(String(20))
    workstation: Mapped[str | None] = mapped_column(String(4))
    remarks: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    # The registry users and key the row was proposed from, so a later proposal skips it.
    user_id: Mapped[int | None] = mapped_column(Integer)
    new_user_id: Mapped[int | None] = mapped_column(Integer)
    cert_fingerprint: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.user_id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    filing_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_change_filings.filing_id"), index=True
    )


class UserRegistrySnapshotRow(Base):
    """The users table as it stood in the reporting office's scope when a form was filed."""

    __tablename__ = "user_registry_snapshots"

    filing_id: Mapped[int] = mapped_column(
        ForeignKey("user_change_filings.filing_id"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    office_code: Mapped[str] = mapped_column(String(12))
    cert_fingerprint: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean)
    workstation: Mapped[str | None] = mapped_column(String(4))


class SigningAuthorityRow(Base):
    """A city CA certificate that clerks' signing certificates must chain to."""

    __tablename__ = "signing_authorities"

    # Lower-case hex SHA-256 of the DER certificate.
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    certificate_der: Mapped[bytes] = mapped_column(LargeBinary)
    name: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SigningKeyRow(Base):
    """A clerk's signing certificate, as the central server lists it, checked against a CA."""

    __tablename__ = "signing_keys"

    # Hex of the payload key id: the first 8 bytes of the certificate's SHA-256.
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    certificate_der: Mapped[bytes] = mapped_column(LargeBinary)
    holder_name: Mapped[str] = mapped_column(String(64))
    office_code: Mapped[str] = mapped_column(String(12))
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    not_after: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
