"""The counter rules of the 2012 work specification (深卫人发〔2012〕55号), edge by edge.

The table walks the problem-list block, open correction referrals, the copies checked
against their originals, the re-issue window and the check certificate's window, each on
the day before, on and after its edge. Further tests cover the period arithmetic, the
problem-list banner, retention dates, the institutions list and archive-card guidance.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from fpcert_desktop.domain.archive_card import ArchiveCategory, archive_card_guidance
from fpcert_desktop.domain.eligibility import (
    NO_HISTORY,
    Decision,
    decide,
    last_issue_date,
    problem_list_banner,
)
from fpcert_desktop.domain.history import (
    ApplicantHistory,
    CheckCertificate,
    CheckOwner,
    CounterInput,
    Institution,
    MismatchField,
    OriginalDocument,
    OriginalsConfirmation,
    ProblemCategory,
    ProblemListEntry,
    Referral,
)
from fpcert_desktop.domain.idnumber import make_id_number, parse_id_number
from fpcert_desktop.domain.institutions import (
    InstitutionsError,
    load_institution_list,
    load_institutions,
    load_institutions_text,
)
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.people import HukouCategory, Person, Sex, SpouseSummary
from fpcert_desktop.domain.policy import (
    Policy,
    PolicyError,
    Retention,
    last_blocked_day,
    load_policy,
)

ROOT = Path(__file__).resolve().parents[2]
POLICY_TEXT = (ROOT / "resources" / "policy" / "policy-2012-04-25.toml").read_text(encoding="utf-8")
INSTITUTIONS_TEXT = (ROOT / "resources" / "reference" / "institutions.toml").read_text(
    encoding="utf-8"
)

# The street office issues this purpose whatever the number of children.
SCHOOL = "school_entry_or_transfer"
# The policy file exempts this purpose from the check certificate.
BIRTH_REGISTRATION = "birth_hukou_registration"
ALLOWED = "level"
PersonFactory = Callable[..., Person]

INSTITUTIONS = (
    Institution("440304-01", "福田区妇幼保健院", "440304"),
    Institution("440305-02", "南山区计划生育服务中心", "440305"),
)
SIGNED = OriginalsConfirmation(
    (OriginalDocument.ID_CARD, OriginalDocument.HUKOU_BOOK), applicant_signed=True
)
UNSIGNED = dataclasses.replace(SIGNED, applicant_signed=False)
SPOUSE = SpouseSummary("陈志强", make_id_number("440304", date(1988, 3, 2), 7, Sex.MALE))


def listing(
    listed_on: date,
    category: ProblemCategory = ProblemCategory.FALSE_MATERIALS,
    *,
    removed_on: date | None = None,
    entry_id: int = 1,
) -> ProblemListEntry:
    return ProblemListEntry(
        entry_id=entry_id,
        person_id=1,
        category=category,
        listed_on=listed_on,
        facts="提供虚假结婚证复印件",
        materials_location="福田街道档案室A-3",
        entered_by=7,
        office_code="440304001",
        removed_on=removed_on,
        removal_reason="核实有误" if removed_on else "",
    )


def referral(
    record_version: int = 1, *, purpose_code: str = SCHOOL, resolved_on: date | None = None
) -> Referral:
    return Referral(
        referral_id=11,
        person_id=1,
        purpose_code=purpose_code,
        record_version=record_version,
        fields=(MismatchField("marriage_date", "2014-10-01", "2014-11-01"),),
        responsible_office_code="440304001003",
        created_by=7,
        created_on=date(2026, 2, 20),
        resolved_on=resolved_on,
    )


def check(
    issued_on: date,
    *,
    owner: CheckOwner = CheckOwner.APPLICANT,
    number: str = "FT-2026-0315",
    institution_code: str = "440304-01",
) -> CheckCertificate:
    return CheckCertificate(owner, issued_on, number, institution_code)


def counter(certificate: CheckCertificate | None = None) -> CounterInput:
    return CounterInput(originals=SIGNED, check_certificate=certificate)


def problems(*entries: ProblemListEntry) -> ApplicantHistory:
    return ApplicantHistory(problem_entries=entries)


def issued(last_issued_on: date) -> ApplicantHistory:
    return ApplicantHistory(last_issued_on=last_issued_on)


@dataclass(frozen=True)
class Case:
    """One row: the facts, the deciding rule, the requirement codes and required texts.

    ``mentions`` must each appear in the refusal reasons or the requirement messages.
    """

    today: date
    history: ApplicantHistory = NO_HISTORY
    counter: CounterInput = counter()
    purpose: str = SCHOOL
    born: int = 1
    spouse: bool = False
    record_version: int = 1
    rule: str = ALLOWED
    requirements: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()


LISTED = date(2025, 3, 10)
LEAP_LISTED = date(2024, 2, 29)
# Last certificate 2025-12-01, today 2026-03-15: inside the re-issue window, and the
# earliest accepted check certificate is of 2025-12-15.
IN_WINDOW = issued(date(2025, 12, 1))
TODAY = date(2026, 3, 15)

CASES: dict[str, Case] = {
    # Problem list: a false-materials entry of 2025-03-10 blocks through 2026-03-10.
    "problem list day before listing": Case(
        today=date(2025, 3, 9), history=problems(listing(LISTED))
    ),
    "problem list listing day": Case(
        today=LISTED,
        history=problems(listing(LISTED)),
        rule="problem_list",
        mentions=("2025-03-10", "2026-03-10", "2026-03-11", "1-year"),
    ),
    "problem list last blocked day": Case(
        today=date(2026, 3, 10),
        history=problems(listing(LISTED)),
        rule="problem_list",
        mentions=("through 2026-03-10", "again from 2026-03-11"),
    ),
    "problem list day after block": Case(
        today=date(2026, 3, 11), history=problems(listing(LISTED))
    ),
    "problem list 29 Feb last day": Case(
        today=date(2025, 2, 28),
        history=problems(listing(LEAP_LISTED)),
        rule="problem_list",
        mentions=("2024-02-29", "through 2025-02-28", "again from 2025-03-01"),
    ),
    "problem list 29 Feb day after": Case(
        today=date(2025, 3, 1), history=problems(listing(LEAP_LISTED))
    ),
    "problem list blocks every purpose": Case(
        today=date(2025, 9, 1),
        history=problems(listing(LISTED)),
        purpose=BIRTH_REGISTRATION,
        rule="problem_list",
        mentions=("2026-03-10",),
    ),
    "problem list removed entry": Case(
        today=date(2025, 9, 1),
        history=problems(listing(LISTED, removed_on=date(2025, 6, 1))),
    ),
    "problem list illegal birth": Case(
        today=date(2025, 9, 1),
        history=problems(listing(LISTED, ProblemCategory.ILLEGAL_BIRTH)),
    ),
    "problem list latest block decides": Case(
        today=date(2025, 12, 1),
        history=problems(
            listing(date(2025, 6, 1), entry_id=2), listing(date(2025, 1, 5), entry_id=1)
        ),
        rule="problem_list",
        mentions=("through 2026-06-01", "again from 2026-06-02", "2 false-materials"),
    ),
    "problem list only unexpired entry": Case(
        today=date(2025, 12, 1),
        history=problems(
            listing(date(2024, 1, 5), entry_id=1), listing(date(2025, 6, 1), entry_id=2)
        ),
        rule="problem_list",
        mentions=("through 2026-06-01",),
    ),
    "problem list refusal has no requirements": Case(
        today=date(2025, 9, 1),
        history=ApplicantHistory(
            problem_entries=(listing(LISTED),), last_issued_on=date(2025, 8, 1)
        ),
        counter=CounterInput(),
        rule="problem_list",
        mentions=("2026-03-10",),
    ),
    # Correction referrals: block this purpose until a newer record arrives.
    "referral open same record": Case(
        today=TODAY,
        history=ApplicantHistory(open_referrals=(referral(1),)),
        rule="referral_open",
        mentions=("2026-02-20", "440304001003", "record version 1", "query the applicant again"),
    ),
    "referral record newer than referral": Case(
        today=TODAY, history=ApplicantHistory(open_referrals=(referral(1),)), record_version=2
    ),
    "referral made against newer record": Case(
        today=TODAY,
        history=ApplicantHistory(open_referrals=(referral(3),)),
        record_version=2,
        rule="referral_open",
        mentions=("record version 3",),
    ),
    "referral resolved": Case(
        today=TODAY,
        history=ApplicantHistory(open_referrals=(referral(1, resolved_on=date(2026, 3, 1)),)),
    ),
    "referral other purpose": Case(
        today=TODAY,
        history=ApplicantHistory(open_referrals=(referral(1, purpose_code="affordable_housing"),)),
    ),
    "problem list before referral": Case(
        today=date(2025, 9, 1),
        history=ApplicantHistory(problem_entries=(listing(LISTED),), open_referrals=(referral(1),)),
        rule="problem_list",
        mentions=("2026-03-10",),
    ),
    # Copies checked against their originals.
    "originals not recorded": Case(
        today=TODAY,
        counter=CounterInput(),
        requirements=("originals",),
        mentions=("No copy is recorded",),
    ),
    "originals no documents": Case(
        today=TODAY,
        counter=CounterInput(originals=OriginalsConfirmation((), applicant_signed=True)),
        requirements=("originals",),
        mentions=("No copy is recorded", "与原件相符"),
    ),
    "originals unsigned": Case(
        today=TODAY,
        counter=CounterInput(originals=UNSIGNED),
        requirements=("originals",),
        mentions=("2 copies", "signature"),
    ),
    "originals confirmed": Case(today=TODAY, counter=CounterInput(originals=SIGNED)),
    # Re-issue window: 6 months from the last certificate, end day included.
    "reissue day before window end": Case(
        today=date(2026, 3, 14),
        history=issued(date(2025, 9, 15)),
        requirements=("check_certificate",),
        mentions=("2025-09-15", "2026-03-15", "6 months", "on or after 2025-12-14", "3 months"),
    ),
    "reissue on window end": Case(
        today=date(2026, 3, 15),
        history=issued(date(2025, 9, 15)),
        requirements=("check_certificate",),
        mentions=("Up to 2026-03-15", "on or after 2025-12-15"),
    ),
    "reissue day after window end": Case(
        today=date(2026, 3, 16), history=issued(date(2025, 9, 15))
    ),
    "reissue same day as last": Case(
        today=TODAY,
        history=issued(TODAY),
        requirements=("check_certificate",),
        mentions=("2026-03-15", "Up to 2026-09-15"),
    ),
    "reissue end of month last day": Case(
        today=date(2026, 2, 28),
        history=issued(date(2025, 8, 31)),
        requirements=("check_certificate",),
        mentions=("2025-08-31", "Up to 2026-02-28", "on or after 2025-11-28"),
    ),
    "reissue end of month day after": Case(
        today=date(2026, 3, 1), history=issued(date(2025, 8, 31))
    ),
    "reissue counts from last of several": Case(
        today=TODAY,
        history=issued(
            last_issue_date([date(2025, 1, 10), date(2025, 10, 1), None, date(2025, 5, 5)])
            or date.min
        ),
        requirements=("check_certificate",),
        mentions=("2025-10-01", "Up to 2026-04-01"),
    ),
    "reissue earlier certificate outside window": Case(
        today=TODAY,
        history=issued(last_issue_date([date(2024, 1, 10), date(2025, 9, 1)]) or date.min),
    ),
    "reissue check and originals missing": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=CounterInput(),
        requirements=("originals", "check_certificate"),
        mentions=("No copy is recorded", "2025-12-01"),
    ),
    # Check certificate: issued 2025-12-15 to 2026-03-15 by a listed institution.
    "check day before earliest": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2025, 12, 14))),
        requirements=("check_certificate",),
        mentions=("dated 2025-12-14", "on or after 2025-12-15", "3 months"),
    ),
    "check on earliest day": Case(
        today=TODAY, history=IN_WINDOW, counter=counter(check(date(2025, 12, 15)))
    ),
    "check issued today": Case(today=TODAY, history=IN_WINDOW, counter=counter(check(TODAY))),
    "check future dated": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2026, 3, 16))),
        requirements=("check_certificate",),
        mentions=("dated 2026-03-16", "today (2026-03-15)"),
    ),
    "check earliest end of month too old": Case(
        today=date(2026, 5, 31),
        history=issued(date(2026, 3, 1)),
        counter=counter(check(date(2026, 2, 27))),
        requirements=("check_certificate",),
        mentions=("dated 2026-02-27", "on or after 2026-02-28"),
    ),
    "check earliest end of month accepted": Case(
        today=date(2026, 5, 31),
        history=issued(date(2026, 3, 1)),
        counter=counter(check(date(2026, 2, 28))),
    ),
    "check spouse on record": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2026, 1, 20), owner=CheckOwner.SPOUSE)),
        spouse=True,
    ),
    "check spouse not on record": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2026, 1, 20), owner=CheckOwner.SPOUSE)),
        requirements=("check_certificate",),
        mentions=("dated 2026-01-20", "no spouse is on record"),
    ),
    "check institution not listed": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2026, 1, 20), institution_code="440199-01")),
        requirements=("check_certificate",),
        mentions=("440199-01", "list of 2"),
    ),
    "check other listed institution": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2026, 1, 20), institution_code="440305-02")),
    ),
    "check empty number": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2026, 1, 20), number="  ")),
        requirements=("check_certificate",),
        mentions=("dated 2026-01-20", "no number"),
    ),
    "check several problems": Case(
        today=TODAY,
        history=IN_WINDOW,
        counter=counter(check(date(2026, 4, 1), number="", institution_code="X-1")),
        requirements=("check_certificate", "check_certificate", "check_certificate"),
        mentions=("no number", "dated 2026-04-01", "X-1"),
    ),
    # Exemptions from the check certificate, from published guides.
    "exempt birth registration": Case(today=TODAY, history=IN_WINDOW, purpose=BIRTH_REGISTRATION),
    "exempt without children": Case(today=TODAY, history=IN_WINDOW, born=0),
    "not exempt with two children": Case(
        today=TODAY,
        history=IN_WINDOW,
        born=2,
        requirements=("check_certificate",),
        mentions=("2025-12-01",),
    ),
}


def applicant(case: Case, make_person: PersonFactory) -> Person:
    person = make_person(case.born)
    return dataclasses.replace(
        person,
        spouse=SPOUSE if case.spouse else None,
        record_version=case.record_version,
    )


def decide_case(case: Case, policy: Policy, office: Office, make_person: PersonFactory) -> Decision:
    return decide(
        policy,
        office,
        applicant(case, make_person),
        policy.purpose(case.purpose),
        today=case.today,
        history=case.history,
        counter=case.counter,
        institutions=INSTITUTIONS,
    )


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_counter_rule(
    case: Case, policy: Policy, offices: dict[OfficeLevel, Office], make_person: PersonFactory
) -> None:
    decision = decide_case(case, policy, offices[OfficeLevel.STREET], make_person)

    assert decision.rule == case.rule
    assert decision.allowed is (case.rule == ALLOWED)
    assert tuple(requirement.code for requirement in decision.requirements) == case.requirements
    assert decision.ready is (decision.allowed and not case.requirements)

    texts = [requirement.message.english for requirement in decision.requirements]
    if not decision.allowed:
        texts += [reason.english for reason in decision.reasons]
    if texts:
        assert case.mentions, "a refusal or requirement row must name its deciding facts"
    combined = " ".join(texts)
    for mention in case.mentions:
        assert mention in combined


def test_decide_without_counter_input(
    policy: Policy, offices: dict[OfficeLevel, Office], make_person: PersonFactory
) -> None:
    person = make_person(1)
    decision = decide(
        policy, offices[OfficeLevel.STREET], person, policy.purpose(SCHOOL), today=TODAY
    )

    assert decision.allowed
    assert decision.rule == ALLOWED
    assert [requirement.code for requirement in decision.requirements] == ["originals"]
    assert not decision.ready


def test_wrong_level_has_no_requirements(
    policy: Policy, offices: dict[OfficeLevel, Office], make_person: PersonFactory
) -> None:
    decision = decide(
        policy,
        offices[OfficeLevel.COMMUNITY],
        make_person(1),
        policy.purpose(SCHOOL),
        today=TODAY,
        history=IN_WINDOW,
    )

    assert decision.rule == "level"
    assert not decision.allowed
    assert decision.requirements == ()
    assert not decision.ready


# --- period arithmetic ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listed_on", "years", "expected"),
    [
        (date(2025, 3, 10), 1, date(2026, 3, 10)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2025, 12, 31), 2, date(2027, 12, 31)),
        (date(2025, 1, 1), 1, date(2026, 1, 1)),
    ],
)
def test_last_blocked_day(listed_on: date, years: int, expected: date) -> None:
    assert last_blocked_day(listed_on, years) == expected


def test_policy_block_uses_file_years(policy: Policy) -> None:
    assert policy.problem_list_block_years == 1
    assert policy.problem_list_last_blocked_day(date(2024, 2, 29)) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("last_issued_on", "window_end"),
    [
        (date(2025, 9, 15), date(2026, 3, 15)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2025, 12, 31), date(2026, 6, 30)),
    ],
)
def test_reissue_window_end(policy: Policy, last_issued_on: date, window_end: date) -> None:
    assert policy.reissue_window_end(last_issued_on) == window_end


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (date(2026, 3, 15), date(2025, 12, 15)),
        (date(2026, 5, 31), date(2026, 2, 28)),
        (date(2024, 5, 31), date(2024, 2, 29)),
        (date(2026, 1, 10), date(2025, 10, 10)),
    ],
)
def test_earliest_check_date(policy: Policy, today: date, earliest: date) -> None:
    assert policy.earliest_check_date(today) == earliest


def test_last_issue_date_picks_latest() -> None:
    dates = [date(2025, 1, 10), None, date(2025, 10, 1), date(2025, 5, 5)]
    assert last_issue_date(dates) == date(2025, 10, 1)


def test_last_issue_date_empty() -> None:
    assert last_issue_date([]) is None
    assert last_issue_date([None, None]) is None


# --- problem-list banner ------------------------------------------------------------------


def test_banner_none_without_entries(policy: Policy) -> None:
    assert problem_list_banner(NO_HISTORY, TODAY, policy=policy) is None


def test_banner_none_for_removed_entry(policy: Policy) -> None:
    history = problems(listing(LISTED, removed_on=date(2025, 6, 1)))
    assert problem_list_banner(history, TODAY, policy=policy) is None


def test_banner_ignores_later_listing(policy: Policy) -> None:
    history = problems(listing(date(2026, 4, 1)))
    assert problem_list_banner(history, TODAY, policy=policy) is None


def test_banner_illegal_birth(policy: Policy) -> None:
    history = problems(listing(LISTED, ProblemCategory.ILLEGAL_BIRTH))
    banner = problem_list_banner(history, date(2025, 9, 1), policy=policy)

    assert banner is not None
    assert "birth outside the rules" in banner.english
    assert "listed on 2025-03-10" in banner.english
    assert "does not block" in banner.english


def test_banner_false_materials_blocking(policy: Policy) -> None:
    banner = problem_list_banner(problems(listing(LISTED)), date(2025, 9, 1), policy=policy)

    assert banner is not None
    assert "false certificate or materials" in banner.english
    assert "through 2026-03-10" in banner.english


def test_banner_false_materials_ended(policy: Policy) -> None:
    banner = problem_list_banner(problems(listing(LISTED)), date(2026, 3, 11), policy=policy)

    assert banner is not None
    assert "block ended on 2026-03-10" in banner.english


def test_banner_without_policy() -> None:
    banner = problem_list_banner(problems(listing(LISTED)), date(2025, 9, 1))

    assert banner is not None
    assert banner.english == "Problem list: false certificate or materials, listed on 2025-03-10."


def test_banner_lists_entries_in_date_order(policy: Policy) -> None:
    history = problems(
        listing(LISTED, entry_id=2),
        listing(date(2024, 1, 2), ProblemCategory.ILLEGAL_BIRTH, entry_id=1),
        listing(date(2025, 7, 1), ProblemCategory.ILLEGAL_BIRTH, entry_id=3),
    )
    banner = problem_list_banner(history, date(2025, 9, 1), policy=policy)

    assert banner is not None
    text = banner.english
    assert text.startswith("Problem list: ")
    assert text.count("; ") == 2
    assert text.index("2024-01-02") < text.index("2025-03-10") < text.index("2025-07-01")


# --- retention ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "issued_on", "expected"),
    [
        (BIRTH_REGISTRATION, date(2026, 3, 15), (Retention.LONG_TERM, None)),
        ("skilled_worker_hukou_transfer", date(2026, 3, 15), (Retention.LONG_TERM, None)),
        ("investment_tax_hukou_transfer", date(2026, 3, 15), (Retention.LONG_TERM, None)),
        ("accompanying_hukou_transfer", date(2026, 3, 15), (Retention.LONG_TERM, None)),
        (SCHOOL, date(2026, 3, 15), (Retention.ONE_YEAR, date(2027, 3, 15))),
        (SCHOOL, date(2024, 2, 29), (Retention.ONE_YEAR, date(2025, 2, 28))),
        (
            "prenatal_care_and_delivery",
            date(2025, 12, 31),
            (Retention.ONE_YEAR, date(2026, 12, 31)),
        ),
    ],
)
def test_retention_for(
    policy: Policy, purpose: str, issued_on: date, expected: tuple[Retention, date | None]
) -> None:
    assert policy.retention_for(purpose, issued_on) == expected
    assert policy.retention_for(policy.purpose(purpose), issued_on) == expected


def test_retention_for_unknown_purpose(policy: Policy) -> None:
    with pytest.raises(KeyError, match="no_such_purpose"):
        policy.retention_for("no_such_purpose", TODAY)


# --- exemptions in the policy file ------------------------------------------------------------


def test_real_file_exemptions(policy: Policy) -> None:
    assert policy.check_exempt_purposes == (BIRTH_REGISTRATION,)
    assert policy.check_exempt_without_children is True


def test_is_check_exempt(policy: Policy, make_person: PersonFactory) -> None:
    assert policy.is_check_exempt(policy.purpose(BIRTH_REGISTRATION), make_person(2))
    assert policy.is_check_exempt(policy.purpose(SCHOOL), make_person(0))
    assert policy.is_check_exempt(policy.purpose(SCHOOL), make_person(0, pregnant=True))
    assert not policy.is_check_exempt(policy.purpose(SCHOOL), make_person(1))


def test_exemption_without_children_off(policy: Policy, make_person: PersonFactory) -> None:
    strict = dataclasses.replace(policy, check_exempt_without_children=False)
    assert not strict.is_check_exempt(strict.purpose(SCHOOL), make_person(0))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'check_exempt_purposes = ["birth_hukou_registration"]',
            'check_exempt_purposes = ["birth_registration"]',
            "top level: 'check_exempt_purposes' entry 1 ('birth_registration') is not a "
            "purpose code of this file",
        ),
        (
            'check_exempt_purposes = ["birth_hukou_registration"]',
            'check_exempt_purposes = ["birth_hukou_registration", "birth_hukou_registration"]',
            "'check_exempt_purposes' entry 2 ('birth_hukou_registration') is a duplicate",
        ),
        (
            'check_exempt_purposes = ["birth_hukou_registration"]',
            'check_exempt_purposes = "birth_hukou_registration"',
            "'check_exempt_purposes' must be an array of purpose codes",
        ),
        (
            'check_exempt_purposes = ["birth_hukou_registration"]\n',
            "",
            "top level: missing key 'check_exempt_purposes'",
        ),
        (
            "check_exempt_without_children = true",
            'check_exempt_without_children = "yes"',
            "'check_exempt_without_children' must be true or false",
        ),
    ],
)
def test_broken_exemptions_rejected(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in POLICY_TEXT
    path = tmp_path / "policy-broken.toml"
    path.write_text(POLICY_TEXT.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(PolicyError) as caught:
        load_policy(path, on=TODAY)
    assert str(caught.value).startswith("policy-broken.toml: ")
    assert expected in str(caught.value)


def test_empty_exemption_list_loads(tmp_path: Path) -> None:
    path = tmp_path / "policy-empty.toml"
    text = POLICY_TEXT.replace(
        'check_exempt_purposes = ["birth_hukou_registration"]', "check_exempt_purposes = []", 1
    )
    path.write_text(text, encoding="utf-8")
    assert load_policy(path, on=TODAY).check_exempt_purposes == ()


# --- institutions list --------------------------------------------------------------------------


def test_institutions_real_file() -> None:
    listed = load_institution_list()
    institutions = load_institutions()

    assert listed.institutions == institutions
    assert listed.version == "sample-1"
    assert listed.updated == date(2026, 1, 1)
    assert len({institution.code for institution in institutions}) == len(institutions)
    districts = {institution.district_code for institution in institutions}
    assert districts == {f"4403{number:02d}" for number in range(3, 12)}
    assert listed.find("440304-01") == Institution("440304-01", "福田区妇幼保健院", "440304")
    assert listed.find("440199-01") is None


def test_institutions_load_path(tmp_path: Path) -> None:
    path = tmp_path / "institutions.toml"
    path.write_text(INSTITUTIONS_TEXT, encoding="utf-8")
    assert load_institutions(path) == load_institutions()


FIRST_ENTRY = 'code = "440303-01"\nname = "罗湖区妇幼保健院"\ndistrict_code = "440303"'


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'code = "440303-02"',
            'code = "440303-01"',
            "institutions entry 2 (code '440303-01'): duplicate code '440303-01'",
        ),
        (
            FIRST_ENTRY,
            FIRST_ENTRY.replace('district_code = "440303"', 'district_code = "440104"'),
            "institutions entry 1 (code '440303-01'): 'district_code' must be a Shenzhen "
            "division code 4403xx, got '440104'",
        ),
        (
            FIRST_ENTRY,
            FIRST_ENTRY.replace('district_code = "440303"', 'district_code = "4403031"'),
            "'district_code' must be a Shenzhen division code 4403xx, got '4403031'",
        ),
        (
            FIRST_ENTRY,
            FIRST_ENTRY.replace('name = "罗湖区妇幼保健院"', 'name = " "'),
            "institutions entry 1 (code '440303-01'): 'name' must be a non-empty string",
        ),
        (
            FIRST_ENTRY,
            FIRST_ENTRY.replace('name = "罗湖区妇幼保健院"\n', ""),
            "institutions entry 1 (code '440303-01'): missing key 'name'",
        ),
        (
            FIRST_ENTRY,
            FIRST_ENTRY.replace('code = "440303-01"', 'code = "4403 03"'),
            "'code' contains whitespace",
        ),
        (
            FIRST_ENTRY,
            FIRST_ENTRY.replace('code = "440303-01"', 'code = ""'),
            "institutions entry 1: 'code' must be a non-empty string",
        ),
        (
            FIRST_ENTRY,
            FIRST_ENTRY + '\nphone = "0755-00000000"',
            "institutions entry 1 (code '440303-01'): unknown key 'phone'",
        ),
        (
            "updated = 2026-01-01",
            'updated = "2026-01-01"',
            "top level: 'updated' must be a TOML date",
        ),
        ('version = "sample-1"\n', "", "top level: missing key 'version'"),
        ("updated = 2026-01-01", "updated = 2026-01-01 =", "not valid TOML"),
    ],
)
def test_institutions_broken_file(old: str, new: str, expected: str) -> None:
    assert old in INSTITUTIONS_TEXT
    with pytest.raises(InstitutionsError) as caught:
        load_institutions_text(INSTITUTIONS_TEXT.replace(old, new, 1), source_name="broken.toml")
    assert str(caught.value).startswith("broken.toml: ")
    assert expected in str(caught.value)


def test_institutions_not_array_of_tables() -> None:
    text = 'version = "x"\nupdated = 2026-01-01\ninstitutions = ["440303-01"]\n'
    with pytest.raises(InstitutionsError, match="'institutions' must be an array of tables"):
        load_institutions_text(text, source_name="flat.toml")


def test_institutions_without_entries() -> None:
    text = 'version = "x"\nupdated = 2026-01-01\ninstitutions = []\n'
    with pytest.raises(InstitutionsError, match="'institutions' has no entries"):
        load_institutions_text(text, source_name="empty.toml")


# --- archive-card guidance ------------------------------------------------------------------------


def id_from(region_code: str) -> str:
    return make_id_number(region_code, date(1992, 7, 8), 21, Sex.FEMALE)


@pytest.mark.parametrize(
    ("region_code", "category", "place"),
    [
        ("440304", ArchiveCategory.SHENZHEN_HUKOU, "户籍地所在社区工作站"),
        ("440311", ArchiveCategory.SHENZHEN_HUKOU, "户籍地所在社区工作站"),
        ("440104", ArchiveCategory.GUANGDONG_OTHER, "按广东省有关规定"),
        ("445202", ArchiveCategory.GUANGDONG_OTHER, "按广东省有关规定"),
        ("110105", ArchiveCategory.OUTSIDE_GUANGDONG, "现居住地所在社区工作站"),
        ("430102", ArchiveCategory.OUTSIDE_GUANGDONG, "现居住地所在社区工作站"),
        ("810000", ArchiveCategory.OUTSIDE_GUANGDONG, "现居住地所在社区工作站"),
    ],
)
def test_archive_card_from_region_code(
    region_code: str, category: ArchiveCategory, place: str
) -> None:
    raw = id_from(region_code)
    guidance = archive_card_guidance(parse_id_number(raw, today=TODAY))

    assert guidance.category is category
    assert guidance.from_region_code is True
    assert f"region code {region_code}" in guidance.message.english
    assert "choose the hukou category" in guidance.message.english
    assert place in guidance.slip_text_zh
    assert "登记录入后" in guidance.slip_text_zh
    assert raw not in guidance.slip_text_zh
    assert raw not in guidance.message.english
    assert raw[:6] + "********" + raw[-4:] in guidance.slip_text_zh


@pytest.mark.parametrize(
    ("hukou", "category", "english", "place"),
    [
        (
            HukouCategory.SHENZHEN,
            ArchiveCategory.SHENZHEN_HUKOU,
            "community workstation of the hukou address",
            "户籍地所在社区工作站",
        ),
        (
            HukouCategory.GUANGDONG_OTHER,
            ArchiveCategory.GUANGDONG_OTHER,
            "Guangdong provincial rules",
            "按广东省有关规定",
        ),
        (
            HukouCategory.OUTSIDE_GUANGDONG,
            ArchiveCategory.OUTSIDE_GUANGDONG,
            "community workstation of the current residence",
            "现居住地所在社区工作站",
        ),
    ],
)
def test_archive_card_clerk_hukou_overrides(
    hukou: HukouCategory, category: ArchiveCategory, english: str, place: str
) -> None:
    # A number issued in Beijing, whatever the hukou is today.
    guidance = archive_card_guidance(parse_id_number(id_from("110105"), today=TODAY), hukou=hukou)

    assert guidance.category is category
    assert guidance.from_region_code is False
    assert english in guidance.message.english
    assert "region code" not in guidance.message.english
    assert place in guidance.slip_text_zh


def test_archive_card_moving_in() -> None:
    number = parse_id_number(id_from("440304"), today=TODAY)
    guidance = archive_card_guidance(number, hukou=HukouCategory.OUTSIDE_GUANGDONG, moving_in=True)

    assert guidance.category is ArchiveCategory.MOVING_IN
    assert guidance.from_region_code is False
    assert "intended hukou address" in guidance.message.english
    assert "拟入户地所在社区工作站" in guidance.slip_text_zh
    assert "现居住地人口档案卡" in guidance.slip_text_zh


def test_archive_category_labels() -> None:
    for category in ArchiveCategory:
        assert str(category.label)
