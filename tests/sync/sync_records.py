"""Pulled records as the sync API sends them, for the sync tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from fpcert_desktop.domain.idnumber import make_id_number
from fpcert_desktop.domain.people import Sex


def person_data(
    person_id: int, name: str, *, sex: Sex = Sex.FEMALE, **overrides: Any
) -> dict[str, Any]:
    """Build the ``data`` of a people item as the sync API sends it."""
    data: dict[str, Any] = {
        "person_id": person_id,
        "id_number": make_id_number("440304", date(1990, 5, 1), person_id, sex),
        "name": name,
        "sex": sex.value,
        "birth_date": "1990-05-01",
        "ethnicity": "汉族",
        "population_type": "resident",
        "hukou_category": "shenzhen",
        "hukou_address": "深圳市福田区福田街道福山社区福华路1号",
        "hukou_division_code": "440304004001",
        "residence_address": "深圳市福田区福田街道福山社区福华路1号",
        "residence_division_code": "440304004001",
        "marital_status": "first_marriage",
        "marriage_date": "2015-10-01",
        "spouse_person_id": None,
        "spouse_name": None,
        "spouse_id_number": None,
        "record_version": 1,
        "updated_at": "2026-12-01T00:00:00Z",
        "children": [],
        "pregnancy": None,
    }
    data.update(overrides)
    return data
