"""The registry of clerks' signing certificates, the city CAs, and issuances' QR payloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.storage.models import IssuanceRow, SigningAuthorityRow, SigningKeyRow


@dataclass(frozen=True)
class SigningKey:
    """One clerk's signing certificate; ``key_id`` is the payload key id as hex."""

    key_id: str
    fingerprint: str
    certificate_der: bytes
    holder_name: str
    office_code: str
    not_before: datetime
    not_after: datetime
    revoked: bool


class SigningKeyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def authorities(self) -> list[bytes]:
        """Return the DER certificates of the trusted city CAs."""
        return list(self._session.scalars(select(SigningAuthorityRow.certificate_der)))

    def add_authority(
        self, fingerprint: str, certificate_der: bytes, name: str, at: datetime
    ) -> None:
        """Trust a city CA certificate; adding the same certificate again changes nothing."""
        if self._session.get(SigningAuthorityRow, fingerprint) is None:
            self._session.add(
                SigningAuthorityRow(
                    fingerprint=fingerprint, certificate_der=certificate_der, name=name, added_at=at
                )
            )
            self._session.flush()

    def get(self, key_id: str) -> SigningKey | None:
        row = self._session.get(SigningKeyRow, key_id)
        return None if row is None else _to_key(row)

    def all(self) -> list[SigningKey]:
        rows = self._session.scalars(select(SigningKeyRow).order_by(SigningKeyRow.key_id))
        return [_to_key(row) for row in rows]

    def put(self, key: SigningKey, at: datetime) -> None:
        """Insert the key or replace the stored one with the same key id."""
        row = self._session.get(SigningKeyRow, key.key_id)
        if row is None:
            row = SigningKeyRow(key_id=key.key_id)
            self._session.add(row)
        row.fingerprint = key.fingerprint
        row.certificate_der = key.certificate_der
        row.holder_name = key.holder_name
        row.office_code = key.office_code
        row.not_before = key.not_before
        row.not_after = key.not_after
        row.revoked = key.revoked
        row.updated_at = at
        self._session.flush()


def store_qr_payload(session: Session, issuance_id: str, text: str) -> None:
    """Keep the signed QR text with the issuance; raises ``LookupError`` if not found."""
    row = session.get(IssuanceRow, issuance_id)
    if row is None:
        raise LookupError(f"issuance {issuance_id} not found")
    row.qr_payload = text
    session.flush()


def stored_qr_payload(session: Session, issuance_id: str) -> str | None:
    row = session.get(IssuanceRow, issuance_id)
    return None if row is None else row.qr_payload


def _to_key(row: SigningKeyRow) -> SigningKey:
    return SigningKey(
        key_id=row.key_id,
        fingerprint=row.fingerprint,
        certificate_der=row.certificate_der,
        holder_name=row.holder_name,
        office_code=row.office_code,
        not_before=row.not_before,
        not_after=row.not_after,
        revoked=row.revoked,
    )
