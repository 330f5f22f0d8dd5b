"""Small people, offices and the real policy file for the domain tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from fpcert_desktop.domain.idnumber import make_id_number
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.people import (
    Child,
    HukouCategory,
    MaritalStatus,
    Person,
    PopulationType,
    Pregnancy,
    Sex,
)
from fpcert_desktop.domain.policy import Policy, load_policy

TODAY = date(2026, 3, 15)

OFFICES = {
    OfficeLevel.CITY: Office("440300", "深圳市卫生健康委员会", OfficeLevel.CITY),
    OfficeLevel.DISTRICT: Office("440304", "福田区卫生健康局", OfficeLevel.DISTRICT, "440300"),
    OfficeLevel.STREET: Office("440304001", "福田街道", OfficeLevel.STREET, "440304"),
    OfficeLevel.COMMUNITY: Office(
        "440304001003", "福山社区工作站", OfficeLevel.COMMUNITY, "440304001"
    ),
}


def build_person(born: int = 0, *, pregnant: bool = False, sex: Sex = Sex.FEMALE) -> Person:
    """Build a married Shenzhen resident with ``born`` children and maybe a pregnancy."""
    birth_date = date(1990, 5, 1)
    children = tuple(
        Child(
            name=f"孩子{order}",
            sex=Sex.MALE if order % 2 else Sex.FEMALE,
            birth_date=date(2016 + order, 1, 10),
            birth_order=order,
        )
        for order in range(1, born + 1)
    )
    pregnancy = (
        Pregnancy(
            registered_on=date(2026, 1, 5),
            expected_delivery=date(2026, 8, 20),
            planned_birth_order=born + 1,
        )
        if pregnant
        else None
    )
    return Person(
        person_id=1,
        id_number=make_id_number("440304", birth_date, 12, sex),
        name="林小梅",
        sex=sex,
        birth_date=birth_date,
        ethnicity="汉族",
        population_type=PopulationType.RESIDENT,
        hukou_category=HukouCategory.SHENZHEN,
        hukou_address="深圳市福田区福田街道福山社区福华路1号",
        hukou_division_code="440304001003",
        residence_address="深圳市福田区福田街道福山社区福华路1号",
        residence_division_code="440304001003",
        marital_status=MaritalStatus.FIRST_MARRIAGE,
        marriage_date=date(2014, 10, 1),
        children=children,
        pregnancy=pregnancy,
    )


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(on=TODAY)


@pytest.fixture
def make_person() -> Callable[..., Person]:
    return build_person


@pytest.fixture
def offices() -> dict[OfficeLevel, Office]:
    return OFFICES


@pytest.fixture
def today() -> date:
    return TODAY
