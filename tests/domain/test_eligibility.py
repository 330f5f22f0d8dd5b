"""Eligibility: every row of the regulation's level/purpose table at the child-count edges."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date

import pytest

from fpcert_desktop.domain.eligibility import (
    DEFAULT_CHECKS,
    DecisionContext,
    Refusal,
    decide,
)
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.people import Person
from fpcert_desktop.domain.policy import Policy
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, install_translator

DISTRICT = OfficeLevel.DISTRICT
STREET = OfficeLevel.STREET
COMMUNITY = OfficeLevel.COMMUNITY
NOBODY = "child_count"
Offices = dict[OfficeLevel, Office]
PersonFactory = Callable[..., Person]
Outcome = OfficeLevel | str
OutcomeTable = dict[tuple[int, bool], Outcome]
NEEDS_PREGNANCY = "pregnancy_required"

# (born children, current pregnancy) for every row below.
SITUATIONS = [(born, pregnant) for born in range(4) for pregnant in (False, True)]

# The duties section of the 2012 work specification (深卫人发〔2012〕55号), purpose by
# purpose: who issues the certificate to an applicant with the given children and
# pregnancy. NOBODY means no office may issue it,
# NEEDS_PREGNANCY that it needs a current pregnancy on record.
HUKOU_TRANSFER: OutcomeTable = {
    # Pregnant or has one child (pregnancy counted): street. Two or more: district.
    (0, False): NOBODY,
    (0, True): STREET,
    (1, False): STREET,
    (1, True): DISTRICT,
    (2, False): DISTRICT,
    (2, True): DISTRICT,
    (3, False): DISTRICT,
    (3, True): DISTRICT,
}
PRENATAL_CARE: OutcomeTable = {
    # Planned first child: community. Planned second or later child: street.
    (0, False): NEEDS_PREGNANCY,
    (0, True): COMMUNITY,
    (1, False): NEEDS_PREGNANCY,
    (1, True): STREET,
    (2, False): NEEDS_PREGNANCY,
    (2, True): STREET,
    (3, False): NEEDS_PREGNANCY,
    (3, True): STREET,
}
CHILD_MEDICAL_INSURANCE: OutcomeTable = {
    # One child born: community. Two or more born: street. A pregnancy does not count.
    (0, False): NOBODY,
    (0, True): NOBODY,
    (1, False): COMMUNITY,
    (1, True): COMMUNITY,
    (2, False): STREET,
    (2, True): STREET,
    (3, False): STREET,
    (3, True): STREET,
}
STREET_ONLY: OutcomeTable = dict.fromkeys(SITUATIONS, STREET)

REGULATION: dict[str, OutcomeTable] = {
    "skilled_worker_hukou_transfer": HUKOU_TRANSFER,
    "investment_tax_hukou_transfer": HUKOU_TRANSFER,
    "birth_hukou_registration": STREET_ONLY,
    "accompanying_hukou_transfer": STREET_ONLY,
    "prenatal_care_and_delivery": PRENATAL_CARE,
    "school_entry_or_transfer": STREET_ONLY,
    "child_medical_insurance": CHILD_MEDICAL_INSURANCE,
    "affordable_housing": STREET_ONLY,
    "civil_service_recruitment": STREET_ONLY,
    "individual_business_licence": STREET_ONLY,
    "comprehensive_governance_request": STREET_ONLY,
}


def regulation_rows() -> Iterator[tuple[str, int, bool, OfficeLevel, Outcome]]:
    for code, table in REGULATION.items():
        for (born, pregnant), outcome in table.items():
            for office_level in OfficeLevel:
                yield code, born, pregnant, office_level, outcome


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    install_translator(lambda context, source: source, "en")
    yield
    install_translator(lambda context, source: source, "en")


def test_regulation_table_covers_every_purpose(policy: Policy) -> None:
    assert set(REGULATION) == {purpose.code for purpose in policy.purposes}
    assert all(set(table) == set(SITUATIONS) for table in REGULATION.values())


@pytest.mark.parametrize(
    ("code", "born", "pregnant", "office_level", "outcome"), list(regulation_rows())
)
def test_regulation_table(
    policy: Policy,
    make_person: PersonFactory,
    offices: Offices,
    today: date,
    code: str,
    born: int,
    pregnant: bool,
    office_level: OfficeLevel,
    outcome: Outcome,
) -> None:
    person = make_person(born, pregnant=pregnant)
    purpose = policy.purpose(code)

    decision = decide(policy, offices[office_level], person, purpose, today=today)

    assert decision.purpose is purpose
    assert decision.policy_version == "SZ-2012-55.1"
    assert len(decision.reasons) == 1
    if isinstance(outcome, OfficeLevel):
        assert decision.allowed is (office_level is outcome)
        assert decision.rule == "level"
        assert decision.issuing_level is outcome
        assert purpose.issuing_level_for(person) is outcome
    else:
        assert decision.allowed is False
        assert decision.rule == outcome
        assert decision.issuing_level is None


def test_allowed_reason_names_level_and_count(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[STREET],
        make_person(1),
        policy.purpose("skilled_worker_hukou_transfer"),
        today=today,
    )

    assert decision.allowed
    assert decision.summary == (
        "The street office issues the skilled-worker hukou transfer certificate when the "
        "applicant's number of children, a current pregnancy included, is exactly 1. "
        "This applicant has 1."
    )


def test_allowed_reason_any_count(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[STREET],
        make_person(0),
        policy.purpose("birth_hukou_registration"),
        today=today,
    )

    assert decision.allowed
    assert decision.summary == (
        "The street office issues the birth hukou registration certificate, whatever the "
        "number of children."
    )


def test_wrong_level_names_rule_and_next_step(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[STREET],
        make_person(1, pregnant=True),
        policy.purpose("investment_tax_hukou_transfer"),
        today=today,
    )

    assert not decision.allowed
    assert decision.issuing_level is DISTRICT
    assert decision.summary == (
        "The district office issues the investment and tax hukou transfer certificate when "
        "the applicant's number of children, a current pregnancy included, is 2 or more. "
        "This applicant has 2, so this street office may not issue it. Send the applicant "
        "to the district office."
    )


def test_wrong_level_born_children(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[STREET],
        make_person(1, pregnant=True),
        policy.purpose("child_medical_insurance"),
        today=today,
    )

    assert decision.issuing_level is COMMUNITY
    assert "number of born children is exactly 1. This applicant has 1," in decision.summary
    assert "Send the applicant to the community workstation." in decision.summary


def test_wrong_level_street_only(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[DISTRICT],
        make_person(2),
        policy.purpose("civil_service_recruitment"),
        today=today,
    )

    assert decision.summary == (
        "Only the street office issues the civil-service recruitment certificate, so this "
        "district office may not issue it. Send the applicant to the street office."
    )


def test_city_commission_issues_nothing(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    for purpose in policy.purposes:
        decision = decide(
            policy, offices[OfficeLevel.CITY], make_person(1, pregnant=True), purpose, today=today
        )
        assert not decision.allowed, purpose.code
        assert "this city commission may not issue it" in decision.summary


def test_no_rule_names_count_and_range(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[DISTRICT],
        make_person(0),
        policy.purpose("skilled_worker_hukou_transfer"),
        today=today,
    )

    assert decision.rule == "child_count"
    assert "current pregnancy included, is 0." in decision.summary
    assert "It is issued only when that number is 1 or more." in decision.summary
    assert "ask the community workstation to correct the provincial system" in decision.summary


def test_no_rule_born_children(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[COMMUNITY],
        make_person(0, pregnant=True),
        policy.purpose("child_medical_insurance"),
        today=today,
    )

    assert decision.rule == "child_count"
    assert "number of born children is 0." in decision.summary


def test_pregnancy_required_message(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[COMMUNITY],
        make_person(0),
        policy.purpose("prenatal_care_and_delivery"),
        today=today,
    )

    assert decision.rule == "pregnancy_required"
    assert decision.summary == (
        "The prenatal care and delivery certificate needs a current pregnancy registered in "
        "the provincial system, and none is on record. Ask the community workstation to "
        "register the pregnancy, then query again."
    )


def test_policy_not_in_force(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    decision = decide(
        policy,
        offices[STREET],
        make_person(1),
        policy.purpose("birth_hukou_registration"),
        today=date(2012, 4, 24),
    )

    assert not decision.allowed
    assert decision.rule == "policy_not_in_force"
    assert "takes effect on 2012-04-25, after today (2012-04-24)" in decision.summary


def test_purpose_from_another_policy(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    stale = dataclasses.replace(policy.purpose("birth_hukou_registration"), statement="旧")

    decision = decide(policy, offices[STREET], make_person(1), stale, today=today)

    assert not decision.allowed
    assert decision.rule == "unknown_purpose"


def test_extra_check_extends_decide(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    blocked = QT_TRANSLATE_NOOP("Test", "Blocked by the problem list.")

    def check_problem_list(context: DecisionContext) -> Refusal | None:
        return Refusal("problem_list", (blocked.format(),))

    purpose = policy.purpose("birth_hukou_registration")
    checks = (*DEFAULT_CHECKS, check_problem_list)

    decision = decide(policy, offices[STREET], make_person(1), purpose, today=today, checks=checks)

    assert not decision.allowed
    assert decision.rule == "problem_list"
    assert decision.summary == "Blocked by the problem list."


def test_summary_uses_installed_translator(
    policy: Policy, make_person: PersonFactory, offices: Offices, today: date
) -> None:
    chinese = {
        ("OfficeLevel", "street office"): "街道",
        (
            "Eligibility",
            "The {office_level} issues the {purpose} certificate, whatever the number of children.",
        ): "{office_level}出具{purpose}证明，不限子女数。",
    }
    install_translator(lambda context, source: chinese.get((context, source), source), "zh_CN")

    decision = decide(
        policy,
        offices[STREET],
        make_person(0),
        policy.purpose("birth_hukou_registration"),
        today=today,
    )

    assert decision.summary == "街道出具出生入户证明，不限子女数。"
    assert decision.reasons[0].english == (
        "The street office issues the 出生入户 certificate, whatever the number of children."
    )
