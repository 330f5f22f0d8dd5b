"""SQLAlchemy models of the reference server's database.

The schema is created with ``Base.metadata.create_all`` (see :func:`create_schema`)
because this server is a reference implementation for development and tests, not a
production deployment with migrations. Every column type and query works on SQLite
and on PostgreSQL (psycopg 3).

Population tables hold the current state. Every write to them also appends a row to
``changes``, and the pull streams read only ``changes``.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
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

# SQLite autoincrements only an INTEGER PRIMARY KEY, PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and returned as an aware UTC ``datetime``."""

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


# --- population and reference data -------------------------------------------------


class OfficeRow(Base):
    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(12))


class PersonRow(Base):
    __tablename__ = "people"

    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
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
    marital_status: Mapped[str] = mapped_column(String(16), index=True)
    marriage_date: Mapped[date | None] = mapped_column(Date)
    spouse_person_id: Mapped[int | None] = mapped_column(BigInteger)
    spouse_name: Mapped[str | None] = mapped_column(String(64))
    spouse_id_number: Mapped[str | None] = mapped_column(String(18))
    # A JSON list of {"name", "sex", "birth_date", "birth_order", "id_number"}.
    children_json: Mapped[str] = mapped_column(Text)
    # The woman's own registered pregnancy as JSON, or NULL.
    pregnancy_json: Mapped[str | None] = mapped_column(Text)
    record_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class UserRow(Base):
    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    office_code: Mapped[str] = mapped_column(String(12))
    # Lower-case hex SHA-256 of the DER e-key certificate.
    cert_fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)


class InstitutionRow(Base):
    __tablename__ = "institutions"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str] = mapped_column(String(12))


class PolicyRow(Base):
    __tablename__ = "policies"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    effective_date: Mapped[date] = mapped_column(Date)
    # The policy TOML file, unchanged.
    text: Mapped[str] = mapped_column(Text)


class ProblemListEntryRow(Base):
    """The server's copy of a problem-list entry, built from pushed snapshots.

    An entry is identified by (office, person, category, listing date), so a later
    push about the same listing from any workstation updates it.
    """

    __tablename__ = "problem_list"
    __table_args__ = (UniqueConstraint("office_code", "id_number", "category", "listed_on"),)

    entry_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id_number: Mapped[str] = mapped_column(String(18))
    category: Mapped[str] = mapped_column(String(24))
    listed_on: Mapped[date] = mapped_column(Date)
    facts: Mapped[str] = mapped_column(Text)
    materials_location: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[int] = mapped_column(BigInteger)
    office_code: Mapped[str] = mapped_column(String(12))
    feedback_state: Mapped[str] = mapped_column(String(16))
    removed_on: Mapped[date | None] = mapped_column(Date)
    removal_reason: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)


class ChangeRow(Base):
    """One entry of the change log that the pull streams read in ``seq`` order.

    ``scope_code_1`` and ``scope_code_2`` are the hukou and residence division codes
    for the ``people`` and ``problem_list`` streams (NULL elsewhere). A workstation
    receives a row when either starts with its office's prefix. A delete sent because a
    person moved away also carries the new codes in ``kept_code_1``/``kept_code_2``,
    and offices that still cover the person skip it, because they get the upsert.
    """

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_stream_seq", "stream", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    payload_json: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    scope_code_1: Mapped[str | None] = mapped_column(String(12))
    scope_code_2: Mapped[str | None] = mapped_column(String(12))
    kept_code_1: Mapped[str | None] = mapped_column(String(12))
    kept_code_2: Mapped[str | None] = mapped_column(String(12))


# --- workstations and sessions -----------------------------------------------------


class WorkstationRow(Base):
    __tablename__ = "workstations"
    __table_args__ = (UniqueConstraint("office_code", "workstation_code"),)

    workstation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(12))
    workstation_code: Mapped[str] = mapped_column(String(4))
    # Hex SHA-256 of salt + secret. The secret is 32 random bytes, so a slow hash
    # would add no protection against guessing.
    secret_salt: Mapped[str] = mapped_column(String(32))
    secret_hash: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean)


class EnrolmentCodeRow(Base):
    """A one-time enrolment code, stored as its SHA-256 only."""

    __tablename__ = "enrolment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by_workstation_id: Mapped[str | None] = mapped_column(String(36))


class ChallengeRow(Base):
    __tablename__ = "challenges"

    # base64 of the 32 random bytes, as sent to the client.
    challenge: Mapped[str] = mapped_column(String(64), primary_key=True)
    workstation_id: Mapped[str] = mapped_column(String(36))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SessionRow(Base):
    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    workstation_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- pushed records: one row per client-made uuid ------------------------------------


class _Pushed:
    """Columns every pushed table has: the client's uuid and who pushed it, when."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    pushed_by_user_id: Mapped[int] = mapped_column(BigInteger)
    pushed_from_workstation_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PushedIssuanceRow(_Pushed, Base):
    """One pushed issuance snapshot. A number may have several (not printed, then printed)."""

    __tablename__ = "pushed_issuances"

    number: Mapped[str] = mapped_column(String(40), index=True)
    office_code: Mapped[str] = mapped_column(String(12))
    workstation: Mapped[str] = mapped_column(String(4))
    person_id: Mapped[int] = mapped_column(BigInteger)
    id_number_hash: Mapped[str] = mapped_column(String(128))
    purpose_code: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    policy_version: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(BigInteger)


class PushedVoidRow(_Pushed, Base):
    __tablename__ = "pushed_voids"

    number: Mapped[str] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(Text)
    voided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int] = mapped_column(BigInteger)


class PushedReprintRow(_Pushed, Base):
    __tablename__ = "pushed_reprints"

    number: Mapped[str] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(Text)
    reprinted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int] = mapped_column(BigInteger)


class PushedProblemListRow(_Pushed, Base):
    """One pushed problem-list snapshot; ``entry_id`` is the server entry it updated."""

    __tablename__ = "pushed_problem_list"

    entry_id: Mapped[int] = mapped_column(BigInteger, index=True)
    client_entry_id: Mapped[int | None] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    payload_json: Mapped[str] = mapped_column(Text)


class PushedReferralRow(_Pushed, Base):
    __tablename__ = "pushed_referrals"

    person_id: Mapped[int] = mapped_column(BigInteger, index=True)
    purpose_code: Mapped[str] = mapped_column(String(32))
    record_version: Mapped[int] = mapped_column(Integer)
    # A JSON list of {"field", "record_value", "document_value"}.
    fields_json: Mapped[str] = mapped_column(Text)
    responsible_office_code: Mapped[str] = mapped_column(String(12), index=True)
    created_on: Mapped[date] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    user_id: Mapped[int] = mapped_column(BigInteger)


class PushedAuditEventRow(_Pushed, Base):
    __tablename__ = "pushed_audit_events"

    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    workstation: Mapped[str] = mapped_column(String(16))
    event: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(64))
    details_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SigningCertificateRow(Base):
    """A user's e-key certificate, recorded when it opened a session with a valid signature.

    Partner units fetch these to check the QR codes that the e-keys sign.
    """

    __tablename__ = "signing_certificates"

    # Lower-case hex SHA-256 of the DER certificate.
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    certificate_der: Mapped[bytes] = mapped_column(LargeBinary)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet (no migrations: reference server)."""
    Base.metadata.create_all(engine)
