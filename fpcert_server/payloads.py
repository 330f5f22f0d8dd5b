"""The ``data`` objects of the pull streams, built from server rows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from fpcert_server.models import (
    InstitutionRow,
    OfficeRow,
    PersonRow,
    PolicyRow,
    ProblemListEntryRow,
    UserRow,
)


def iso_utc(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 in UTC with a ``Z``."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def iso_date(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


PERSON_COLUMNS = (
    "person_id",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "population_type",
    "hukou_category",
    "hukou_address",
    "hukou_division_code",
    "residence_address",
    "residence_division_code",
    "marital_status",
    "marriage_date",
    "spouse_person_id",
    "spouse_name",
    "spouse_id_number",
    "record_version",
    "updated_at",
)


def person_payload(row: PersonRow) -> dict[str, Any]:
    values = {column: getattr(row, column) for column in PERSON_COLUMNS}
    pregnancy = json.loads(row.pregnancy_json) if row.pregnancy_json else None
    return person_payload_from_values(values, json.loads(row.children_json), pregnancy)


def person_payload_from_values(
    values: Mapping[str, Any],
    children: list[dict[str, Any]],
    pregnancy: dict[str, Any] | None,
) -> dict[str, Any]:
    """Build a ``people`` item from column values and already-serialised family data."""
    payload = {column: values[column] for column in PERSON_COLUMNS}
    payload["birth_date"] = values["birth_date"].isoformat()
    payload["marriage_date"] = iso_date(values["marriage_date"])
    payload["updated_at"] = iso_utc(values["updated_at"])
    payload["children"] = children
    payload["pregnancy"] = pregnancy
    return payload


def office_payload(row: OfficeRow) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}


def user_payload(row: UserRow) -> dict[str, Any]:
    return {
        "user_id": row.user_id,
        "name": row.name,
        "role": row.role,
        "office_code": row.office_code,
        "cert_fingerprint": row.cert_fingerprint,
        "active": row.active,
    }


def institution_payload(row: InstitutionRow) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "district_code": row.district_code}


def policy_payload(row: PolicyRow) -> dict[str, Any]:
    return {
        "version": row.version,
        "effective_date": row.effective_date.isoformat(),
        "text": row.text,
    }


def problem_list_payload(row: ProblemListEntryRow) -> dict[str, Any]:
    return {
        "entry_id": row.entry_id,
        "id_number": row.id_number,
        "category": row.category,
        "listed_on": row.listed_on.isoformat(),
        "facts": row.facts,
        "materials_location": row.materials_location,
        "entered_by": row.entered_by,
        "office_code": row.office_code,
        "feedback_state": row.feedback_state,
        "removed_on": iso_date(row.removed_on),
        "removal_reason": row.removal_reason,
    }
