"""Build the printed text of a certificate from a record, a purpose and the issuing office."""

from __future__ import annotations

from datetime import date

from fpcert_desktop.domain.certificate import CertificateContent, ChildLine, format_chinese_date
from fpcert_desktop.domain.offices import Office
from fpcert_desktop.domain.people import Person
from fpcert_desktop.domain.policy import Policy, Purpose

NONE_TEXT = "无"
PREVIEW_NUMBER = "（打印时分配）"
_NUMERALS = "〇一二三四五六七八九十"


def birth_order_text(order: int) -> str:
    """Return 孩次 as printed: 1 → 一孩, 10 → 十孩, 12 → 第12孩."""
    if 0 < order <= 10:
        return f"{_NUMERALS[order]}孩"
    return f"第{order}孩"


def build_content(
    person: Person,
    purpose: Purpose,
    policy: Policy,
    office: Office,
    *,
    issued_on: date,
    number: str = PREVIEW_NUMBER,
) -> CertificateContent:
    children = tuple(
        ChildLine(
            name=child.name,
            sex=child.sex.zh,
            birth_date=format_chinese_date(child.birth_date),
            birth_order=birth_order_text(child.birth_order),
        )
        for child in person.children
    )
    return CertificateContent(
        number=number,
        purpose_name=purpose.name,
        statement=_statement(purpose, person),
        applicant_name=person.name,
        applicant_sex=person.sex.zh,
        applicant_id_number=person.id_number,
        applicant_birth_date=format_chinese_date(person.birth_date),
        applicant_ethnicity=person.ethnicity,
        hukou_category=person.hukou_category.zh,
        hukou_address=person.hukou_address,
        residence_address=person.residence_address,
        marital_status=person.marital_status.zh,
        marriage_date=format_chinese_date(person.marriage_date) or NONE_TEXT,
        spouse_name=person.spouse.name if person.spouse else NONE_TEXT,
        spouse_id_number=person.spouse.id_number if person.spouse else NONE_TEXT,
        children=children,
        pregnancy=_pregnancy_text(person),
        validity=_validity_text(purpose, issued_on),
        office_name=office.name,
        issue_date=format_chinese_date(issued_on),
        policy_version=policy.version,
    )


def _statement(purpose: Purpose, person: Person) -> str:
    values = {
        "name": person.name,
        "children": str(person.born_children),
        "children_including_pregnancy": str(person.children_including_pregnancy),
    }
    return purpose.statement.format_map(_KeepUnknown(values))


def _pregnancy_text(person: Person) -> str:
    pregnancy = person.pregnancy
    if pregnancy is None:
        return NONE_TEXT
    text = f"已怀孕（拟生育{birth_order_text(pregnancy.planned_birth_order)}）"
    if pregnancy.expected_delivery is not None:
        text += f"，预产期{format_chinese_date(pregnancy.expected_delivery)}"
    return text


def _validity_text(purpose: Purpose, issued_on: date) -> str:
    valid_until = purpose.valid_until(issued_on)
    if valid_until is None:
        return "本次妊娠期内有效"
    return f"自出具之日起至{format_chinese_date(valid_until)}止有效"


class _KeepUnknown(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
