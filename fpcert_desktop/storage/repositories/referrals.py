"""Correction referrals: the record and the applicant's documents disagree.

A referral stays open until a record newer than the one it was made against arrives,
which :meth:`ReferralRepository.resolve_superseded` detects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.history import MismatchField, Referral
from fpcert_desktop.storage.models import ReferralRow
from fpcert_desktop.storage.repositories._checks import as_utc, starts_with

NEWER_RECORD_REASON = "newer record"


class ReferralRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        person_id: int,
        purpose_code: str,
        record_version: int,
        fields: Sequence[MismatchField],
        responsible_office_code: str,
        created_by: int,
        *,
        at: datetime,
    ) -> Referral:
        """Insert an open referral dated the China Standard Time date of ``at``.

        Raises ``ValueError`` when ``fields`` is empty or a field has no name.
        """
        if not fields:
            raise ValueError("a referral needs at least one mismatched field")
        for field in fields:
            if not field.field.strip():
                raise ValueError("a mismatched field has an empty field name")
        moment = as_utc(at)
        row = ReferralRow(
            person_id=person_id,
            purpose_code=purpose_code,
            record_version=record_version,
            fields_json=_fields_to_json(fields),
            responsible_office_code=responsible_office_code,
            created_by=created_by,
            created_at=moment,
            created_on=china_date(moment),
        )
        self._session.add(row)
        self._session.flush()
        return _to_referral(row)

    def get(self, referral_id: int) -> Referral | None:
        row = self._session.get(ReferralRow, referral_id)
        return None if row is None else _to_referral(row)

    def open_for_person(self, person_id: int) -> list[Referral]:
        """List the person's open referrals, oldest first."""
        query = (
            select(ReferralRow)
            .where(ReferralRow.person_id == person_id, ReferralRow.resolved_on.is_(None))
            .order_by(ReferralRow.created_at, ReferralRow.referral_id)
        )
        return [_to_referral(row) for row in self._session.scalars(query)]

    def open_for_office(self, office_code_prefix: str) -> list[Referral]:
        """List the open referrals of every office whose code starts with the prefix.

        This is the follow-up list of an office and of the offices under it, oldest first.
        """
        query = (
            select(ReferralRow)
            .where(
                starts_with(ReferralRow.responsible_office_code, office_code_prefix),
                ReferralRow.resolved_on.is_(None),
            )
            .order_by(ReferralRow.created_at, ReferralRow.referral_id)
        )
        return [_to_referral(row) for row in self._session.scalars(query)]

    def resolve_superseded(self, person_id: int, current_version: int, *, on: date) -> int:
        """Resolve the person's open referrals made against a record older than ``current_version``.

        Returns how many were resolved. Their reason is :data:`NEWER_RECORD_REASON`.
        """
        statement = (
            update(ReferralRow)
            .where(
                ReferralRow.person_id == person_id,
                ReferralRow.resolved_on.is_(None),
                ReferralRow.record_version < current_version,
            )
            .values(resolved_on=on, resolved_reason=NEWER_RECORD_REASON)
            .execution_options(synchronize_session="fetch")
        )
        result = self._session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]


def _fields_to_json(fields: Sequence[MismatchField]) -> str:
    value = [
        {
            "field": field.field,
            "record_value": field.record_value,
            "document_value": field.document_value,
        }
        for field in fields
    ]
    return json.dumps(value, ensure_ascii=False)


def _to_referral(row: ReferralRow) -> Referral:
    fields = tuple(
        MismatchField(
            field=item["field"],
            record_value=item["record_value"],
            document_value=item["document_value"],
        )
        for item in json.loads(row.fields_json)
    )
    return Referral(
        referral_id=row.referral_id,
        person_id=row.person_id,
        purpose_code=row.purpose_code,
        record_version=row.record_version,
        fields=fields,
        responsible_office_code=row.responsible_office_code,
        created_by=row.created_by,
        created_on=row.created_on,
        resolved_on=row.resolved_on,
    )
