"""Correction referrals: the applicant's documents differ from the provincial record.

The client never edits population data. The clerk records what differs; the referral
goes to the community workstation (or street) responsible for the record, and the
certificate for that purpose waits until a newer version of the record arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fpcert_desktop.domain.history import MismatchField, Referral
from fpcert_desktop.domain.idnumber import parse_id_number
from fpcert_desktop.domain.offices import Office
from fpcert_desktop.domain.people import HukouCategory, Person
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.services import audit
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import (
    OfficeRepository,
    OutboxRepository,
    PeopleRepository,
    ReferralRepository,
)

log = logging.getLogger(__name__)

MAX_VALUE_LENGTH = 200

_NO_FIELDS = QT_TRANSLATE_NOOP(
    "Referrals",
    "Enter at least one difference: the field, the value on the record and the value on "
    "the applicant's document.",
)
_INVALID_FIELD = QT_TRANSLATE_NOOP(
    "Referrals",
    "Row {row}: the field name and the document's value are required, at most {limit} "
    "characters each, and the document's value must differ from the record's.",
)
_PERSON_GONE = QT_TRANSLATE_NOOP("Referrals", "The record was not found any more. Search again.")
_NO_OFFICE = QT_TRANSLATE_NOOP(
    "Referrals",
    "No office responsible for division {division} is in the local data. Synchronise the "
    "reference data, or ask IT.",
)


@dataclass(frozen=True)
class ReferralLine:
    """One row of the follow-up list."""

    referral: Referral
    name: str
    masked_id_number: str
    purpose_name: str


class ReferralService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def refer(
        self,
        session: UserSession,
        person_id: int,
        purpose_code: str,
        fields: Sequence[MismatchField],
    ) -> Referral:
        """Record the differences and send the referral to the responsible office."""
        cleaned = _checked_fields(fields)
        with self._context.database.write_session() as db:
            person = PeopleRepository(db).get(person_id)
            if person is None:
                raise ServiceError(_PERSON_GONE.format(), code="person_not_found")
            office = responsible_office(OfficeRepository(db), person)
            referral = ReferralRepository(db).add(
                person.person_id,
                purpose_code,
                person.record_version,
                cleaned,
                office.code,
                session.user.user_id,
                at=self._context.clock(),
            )
            OutboxRepository(db).add("referrals", referral_item(referral, session.user.user_id))
            audit.record(
                db,
                "referral",
                workstation=session.workstation,
                user=session,
                subject=parse_id_number(person.id_number).masked,
                referral=referral.referral_id,
                purpose=purpose_code,
                fields=[field.field for field in cleaned],
                responsible_office=office.code,
            )
        log.info("referral %s sent to office %s", referral.referral_id, office.code)
        return referral

    def open_referrals(self, session: UserSession) -> list[ReferralLine]:
        """List the open referrals for follow-up within the user's office area."""
        with self._context.database.session() as db:
            referrals = ReferralRepository(db).open_for_office(session.office.code)
            people = PeopleRepository(db)
            lines = []
            for referral in referrals:
                person = people.get(referral.person_id)
                purpose = self._context.policy.purpose(referral.purpose_code)
                lines.append(
                    ReferralLine(
                        referral=referral,
                        name=person.name if person else "",
                        masked_id_number=parse_id_number(person.id_number).masked if person else "",
                        purpose_name=purpose.name,
                    )
                )
        return lines


def referral_item(referral: Referral, user_id: int) -> dict[str, Any]:
    """Return the ``referrals`` push item of ``docs/sync-api.md``."""
    return {
        "person_id": referral.person_id,
        "purpose_code": referral.purpose_code,
        "record_version": referral.record_version,
        "fields": [
            {
                "field": field.field,
                "record_value": field.record_value,
                "document_value": field.document_value,
            }
            for field in referral.fields
        ],
        "responsible_office_code": referral.responsible_office_code,
        "created_on": referral.created_on.isoformat(),
        "resolved_on": None if referral.resolved_on is None else referral.resolved_on.isoformat(),
        "user_id": user_id,
    }


def responsible_office(offices: OfficeRepository, person: Person) -> Office:
    """Return the office that corrects the record.

    That is the hukou community for Shenzhen hukou, else the residence community. When
    the community is not on file, it is the community's street.
    """
    division = (
        person.hukou_division_code
        if person.hukou_category is HukouCategory.SHENZHEN
        else person.residence_division_code
    )
    for code in (division[:12], division[:9]):
        office = offices.get(code)
        if office is not None:
            return office
    raise ServiceError(_NO_OFFICE.format(division=division), code="office_missing")


def _checked_fields(fields: Sequence[MismatchField]) -> tuple[MismatchField, ...]:
    cleaned = []
    for row, field in enumerate(fields, start=1):
        name, record, document = (
            field.field.strip(),
            field.record_value.strip(),
            field.document_value.strip(),
        )
        if not name and not record and not document:
            continue
        valid = (
            name
            and document
            and document != record
            and max(len(name), len(record), len(document)) <= MAX_VALUE_LENGTH
        )
        if not valid:
            raise ServiceError(
                _INVALID_FIELD.format(row=row, limit=MAX_VALUE_LENGTH), code="invalid_field"
            )
        cleaned.append(MismatchField(name, record, document))
    if not cleaned:
        raise ServiceError(_NO_FIELDS.format(), code="no_fields")
    return tuple(cleaned)
