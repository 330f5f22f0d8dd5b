"""The policy file: the real file's content, validation of broken copies, validity dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fpcert_desktop.domain import policy as policy_module
from fpcert_desktop.domain.offices import OfficeLevel
from fpcert_desktop.domain.policy import (
    CountBasis,
    IssuingRule,
    Policy,
    PolicyError,
    Retention,
    Validity,
    add_months,
    load_policy,
    load_policy_text,
    select_policy,
)
from fpcert_desktop.i18n import install_translator

REAL_FILE = Path(__file__).resolve().parents[2] / "resources" / "policy" / "policy-2012-04-25.toml"
REAL_TEXT = REAL_FILE.read_text(encoding="utf-8")
BROKEN_NAME = "policy-broken.toml"

EXPECTED_PURPOSES = {
    # code: (name, retention, validity, requires_pregnancy)
    "skilled_worker_hukou_transfer": ("技术技能迁户", "long_term", "six_months", False),
    "investment_tax_hukou_transfer": ("投资纳税迁户", "long_term", "six_months", False),
    "birth_hukou_registration": ("出生入户", "long_term", "six_months", False),
    "accompanying_hukou_transfer": ("随迁入户", "long_term", "six_months", False),
    "prenatal_care_and_delivery": ("孕期检查和接生", "one_year", "current_pregnancy", True),
    "school_entry_or_transfer": ("新生入园、入学、转学", "one_year", "six_months", False),
    "child_medical_insurance": ("办理少儿医保", "one_year", "six_months", False),
    "affordable_housing": ("购买或者租赁保障性住房", "one_year", "six_months", False),
    "civil_service_recruitment": ("公务员招考", "one_year", "six_months", False),
    "individual_business_licence": ("审批个体工商户营业执照", "one_year", "six_months", False),
    "comprehensive_governance_request": (
        "计划生育综合治理工作中要求出具",
        "one_year",
        "six_months",
        False,
    ),
}


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, f"the policy file no longer contains {old!r}"
    return text.replace(old, new, 1)


def write_broken(tmp_path: Path, text: str) -> Path:
    path = tmp_path / BROKEN_NAME
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> str:
    path = write_broken(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path, on=date(2026, 1, 1))
    message = str(caught.value)
    assert message.startswith(BROKEN_NAME + ": ")
    return message


# --- the real file --------------------------------------------------------------------


def test_real_file_header(policy: Policy) -> None:
    assert policy.version == "SZ-2012-55.1"
    assert policy.effective_date == date(2012, 4, 25)
    assert policy.source_document == "深卫人发〔2012〕55号"
    assert "计划生育证明管理系统工作规范" in policy.source_title
    assert policy.source_issuer == "深圳市卫生和人口计划生育委员会"
    assert policy.source_name == "policy-2012-04-25.toml"


def test_real_file_numbers(policy: Policy) -> None:
    assert policy.validity_months == 6
    assert policy.reissue_window_months == 6
    assert policy.check_window_months == 3
    assert policy.problem_list_block_years == 1
    assert policy.data_max_age_days == 7
    assert policy.retention_years(Retention.LONG_TERM) is None
    assert policy.retention_years(Retention.ONE_YEAR) == 1


def test_real_file_purposes_in_order(policy: Policy) -> None:
    assert [purpose.code for purpose in policy.purposes] == list(EXPECTED_PURPOSES)


@pytest.mark.parametrize("code", list(EXPECTED_PURPOSES))
def test_real_file_purpose_fields(policy: Policy, code: str) -> None:
    name, retention, validity, requires_pregnancy = EXPECTED_PURPOSES[code]
    purpose = policy.purpose(code)

    assert purpose.name == name
    assert purpose.retention is Retention(retention)
    assert purpose.validity is Validity(validity)
    assert purpose.requires_pregnancy is requires_pregnancy
    assert purpose.statement.startswith("兹证明")
    assert purpose.statement.endswith("特此证明。")
    assert purpose.name_en


def test_real_file_transfer_rules(policy: Policy) -> None:
    for code in ("skilled_worker_hukou_transfer", "investment_tax_hukou_transfer"):
        rules = policy.purpose(code).rules
        assert rules[0].level is OfficeLevel.STREET
        assert rules[0].count is CountBasis.BORN_AND_PREGNANCY
        assert (rules[0].min_children, rules[0].max_children) == (1, 1)
        assert rules[1].level is OfficeLevel.DISTRICT
        assert (rules[1].min_children, rules[1].max_children) == (2, None)


def test_real_file_prenatal_rules(policy: Policy) -> None:
    rules = policy.purpose("prenatal_care_and_delivery").rules

    assert [rule.level for rule in rules] == [OfficeLevel.COMMUNITY, OfficeLevel.STREET]
    assert all(rule.count is CountBasis.BORN_AND_PREGNANCY for rule in rules)
    assert rules[0].scope == "拟生育一孩的孕期检查和接生"
    assert rules[1].scope == "拟生育二孩及以上孕期检查和接生"


def test_real_file_insurance_rules(policy: Policy) -> None:
    rules = policy.purpose("child_medical_insurance").rules

    assert [rule.level for rule in rules] == [OfficeLevel.COMMUNITY, OfficeLevel.STREET]
    assert all(rule.count is CountBasis.BORN for rule in rules)
    assert (rules[0].min_children, rules[0].max_children) == (1, 1)
    assert (rules[1].min_children, rules[1].max_children) == (2, None)


def test_purposes_for_level(policy: Policy) -> None:
    def codes(level: OfficeLevel) -> list[str]:
        return [purpose.code for purpose in policy.purposes_for_level(level)]

    assert codes(OfficeLevel.CITY) == []
    assert codes(OfficeLevel.DISTRICT) == [
        "skilled_worker_hukou_transfer",
        "investment_tax_hukou_transfer",
    ]
    assert codes(OfficeLevel.COMMUNITY) == [
        "prenatal_care_and_delivery",
        "child_medical_insurance",
    ]
    assert codes(OfficeLevel.STREET) == list(EXPECTED_PURPOSES)


def test_unknown_purpose_code_raises(policy: Policy) -> None:
    with pytest.raises(KeyError, match="no_such_purpose"):
        policy.purpose("no_such_purpose")


def test_purpose_display_name_follows_language(policy: Policy) -> None:
    name = policy.purpose("birth_hukou_registration").display_name
    assert f"{name}" == "birth hukou registration"

    install_translator(lambda context, source: source, "zh_CN")
    try:
        assert f"{name}" == "出生入户"
        assert str(name) == "出生入户"
    finally:
        install_translator(lambda context, source: source, "en")


# --- choosing the policy in force -------------------------------------------------------


def test_load_default_before_effective_date() -> None:
    with pytest.raises(PolicyError, match="no policy file is in force on 2012-04-24"):
        load_policy(on=date(2012, 4, 24))


def test_load_default_on_effective_date() -> None:
    assert load_policy(on=date(2012, 4, 25)).version == "SZ-2012-55.1"


def test_load_path_not_yet_in_force(tmp_path: Path) -> None:
    path = write_broken(tmp_path, REAL_TEXT)
    with pytest.raises(PolicyError, match="takes effect on 2012-04-25"):
        load_policy(path, on=date(2012, 1, 1))


def test_load_default_picks_newest_in_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = replace_once(REAL_TEXT, 'version = "SZ-2012-55.1"', 'version = "SZ-2030-1.0"')
    newer = replace_once(newer, "effective_date = 2012-04-25", "effective_date = 2030-01-01")
    (tmp_path / "policy-2012-04-25.toml").write_text(REAL_TEXT, encoding="utf-8")
    (tmp_path / "policy-2030-01-01.toml").write_text(newer, encoding="utf-8")
    (tmp_path / "README.txt").write_text("not a policy", encoding="utf-8")
    monkeypatch.setattr(policy_module, "default_policy_directory", lambda: tmp_path)

    assert load_policy(on=date(2029, 12, 31)).version == "SZ-2012-55.1"
    assert load_policy(on=date(2030, 1, 1)).version == "SZ-2030-1.0"


def test_select_policy_rejects_duplicate_version() -> None:
    first = load_policy_text(REAL_TEXT, source_name="a.toml")
    second_text = replace_once(
        REAL_TEXT, "effective_date = 2012-04-25", "effective_date = 2013-01-01"
    )
    second = load_policy_text(second_text, source_name="b.toml")

    with pytest.raises(PolicyError, match="b.toml: version 'SZ-2012-55.1'.*a.toml"):
        select_policy([first, second], on=date(2026, 1, 1))


def test_select_policy_rejects_duplicate_date() -> None:
    first = load_policy_text(REAL_TEXT, source_name="a.toml")
    second_text = replace_once(REAL_TEXT, 'version = "SZ-2012-55.1"', 'version = "other"')
    second = load_policy_text(second_text, source_name="b.toml")

    with pytest.raises(PolicyError, match="b.toml: effective_date 2012-04-25.*a.toml"):
        select_policy([first, second], on=date(2026, 1, 1))


# --- validation of broken copies --------------------------------------------------------


def first_section(start: str, end: str) -> str:
    """Return the real file's text from the first ``start`` up to the following ``end``."""
    begin = REAL_TEXT.index(start)
    return REAL_TEXT[begin : REAL_TEXT.index(end, begin + len(start))]


FIRST_STATEMENT = first_section("statement = ", "\n") + "\n"
FIRST_PURPOSE_RULES = first_section("[[purposes.rules]]", "[[purposes]]")
FIRST_STREET_RULE = (
    'level = "street"\ncount = "born_and_pregnancy"\nmin_children = 1\nmax_children = 1'
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("effective_date = 2012-04-25\n", "", "top level: missing key 'effective_date'"),
        (
            "effective_date = 2012-04-25",
            'effective_date = "2012-04-25"',
            "'effective_date' must be a TOML date",
        ),
        (
            "effective_date = 2012-04-25",
            "effective_date = 2012-04-25T08:00:00",
            "'effective_date' must be a TOML date",
        ),
        ('version = "SZ-2012-55.1"', 'version = ""', "'version' must be a non-empty string"),
        ("validity_months = 6", "validity_months = 0", "'validity_months' must be at least 1"),
        (
            "reissue_window_months = 6",
            "reissue_window_months = -6",
            "'reissue_window_months' must be at least 1",
        ),
        (
            "check_window_months = 3",
            "check_window_months = 3.5",
            "'check_window_months' must be an integer",
        ),
        (
            "problem_list_block_years = 1",
            "problem_list_block_years = true",
            "'problem_list_block_years' must be an integer",
        ),
        (
            "data_max_age_days = 7",
            "data_max_age_days = 0",
            "'data_max_age_days' must be at least 1",
        ),
        (
            "validity_months = 6",
            "validity_months = 3",
            "'validity_months' must be 6 while a purpose has validity 'six_months'",
        ),
        ("data_max_age_days = 7", "data_max_age_days = 7\nmax_age = 3", "unknown key 'max_age'"),
        ('issuer = "深圳市卫生和人口计划生育委员会"\n', "", "[source]: missing key 'issuer'"),
        ("\nyears = 1", "\nyears = 0", "[retention.one_year]: 'years' must be at least 1"),
        ("\nyears = 1\n", "\n", "[retention.one_year]: missing key 'years'"),
        (
            '[retention.long_term]\ndescription = "长期保存"',
            '[retention.long_term]\ndescription = "长期保存"\nyears = 30',
            "[retention.long_term]: unknown key 'years'",
        ),
        (
            "[retention.one_year]",
            '[retention.forever]\ndescription = "永久"\n\n[retention.one_year]',
            "[retention]: unknown key 'forever'",
        ),
        (
            FIRST_STATEMENT,
            "",
            "purposes entry 1 (code 'skilled_worker_hukou_transfer'): missing key 'statement'",
        ),
        (
            'code = "investment_tax_hukou_transfer"',
            'code = "skilled_worker_hukou_transfer"',
            "purposes entry 2 (code 'skilled_worker_hukou_transfer'): duplicate code",
        ),
        (
            'name = "投资纳税迁户"',
            'name = "技术技能迁户"',
            "purposes entry 2 (code 'investment_tax_hukou_transfer'): duplicate name "
            "'技术技能迁户'",
        ),
        (
            'code = "skilled_worker_hukou_transfer"',
            'code = "Skilled-Worker"',
            "'code' must be snake_case ASCII",
        ),
        (
            'retention = "long_term"',
            'retention = "forever"',
            "purposes entry 1 (code 'skilled_worker_hukou_transfer'): 'retention' must be one "
            "of long_term, one_year, got 'forever'",
        ),
        (
            'validity = "six_months"',
            'validity = "one_year"',
            "'validity' must be one of six_months, current_pregnancy, got 'one_year'",
        ),
        (
            "requires_pregnancy = false",
            'requires_pregnancy = "no"',
            "'requires_pregnancy' must be true or false",
        ),
        (
            "requires_pregnancy = true",
            "requires_pregnancy = false",
            "purposes entry 5 (code 'prenatal_care_and_delivery'): validity "
            "'current_pregnancy' needs requires_pregnancy = true",
        ),
        (
            'level = "street"',
            'level = "province"',
            "purposes entry 1 (code 'skilled_worker_hukou_transfer') rule 1: 'level' must be "
            "one of district, street, community, got 'province'",
        ),
        (
            'level = "street"',
            'level = "city"',
            "rule 1: 'level' must be one of district, street, community, got 'city'",
        ),
        (
            'count = "born_and_pregnancy"',
            'count = "pregnancy"',
            "rule 1: 'count' must be one of born, born_and_pregnancy, got 'pregnancy'",
        ),
        (
            FIRST_STREET_RULE,
            'level = "street"\ncount = "born_and_pregnancy"\nmin_children = 2\nmax_children = 1',
            "rule 1: 'min_children' (2) is greater than 'max_children' (1)",
        ),
        (
            FIRST_STREET_RULE,
            'level = "street"\ncount = "born_and_pregnancy"\nmin_children = -1\nmax_children = 1',
            "rule 1: 'min_children' must be at least 0",
        ),
        (
            FIRST_STREET_RULE,
            'level = "street"\ncount = "born_and_pregnancy"\nmin_children = 1\nmax_children = 2',
            "purposes entry 1 (code 'skilled_worker_hukou_transfer'): rules 1 and 2 overlap: "
            "both cover 2 children",
        ),
        (
            FIRST_STREET_RULE,
            'level = "street"\ncount = "born_and_pregnancy"\nmin_children = 1',
            "rules 1 and 2 overlap: both cover 2 children",
        ),
        (
            FIRST_STREET_RULE,
            'level = "street"\ncount = "born_and_pregnancy"\nmin_children = 0\nmax_children = 0',
            "no rule covers 1 to 1 children, between rules 1 and 2",
        ),
        (
            FIRST_STREET_RULE,
            'level = "street"\ncount = "born"\nmin_children = 1\nmax_children = 1',
            "purposes entry 1 (code 'skilled_worker_hukou_transfer'): rules mix count bases",
        ),
        (
            FIRST_STREET_RULE,
            FIRST_STREET_RULE + "\nmax_childen = 3",
            "rule 1: unknown key 'max_childen'",
        ),
        (
            FIRST_PURPOSE_RULES,
            "",
            "purposes entry 1 (code 'skilled_worker_hukou_transfer'): missing key 'rules'",
        ),
    ],
)
def test_broken_file_rejected(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert expected in load_error(tmp_path, replace_once(REAL_TEXT, old, new))


def test_broken_file_without_purposes(tmp_path: Path) -> None:
    text = REAL_TEXT[: REAL_TEXT.index("[[purposes]]")]
    assert "top level: missing key 'purposes'" in load_error(tmp_path, text)


def test_broken_file_not_toml(tmp_path: Path) -> None:
    text = replace_once(REAL_TEXT, "validity_months = 6", "validity_months = ")
    assert "not valid TOML" in load_error(tmp_path, text)


def test_gap_between_rules(tmp_path: Path) -> None:
    text = replace_once(
        REAL_TEXT,
        'level = "district"\ncount = "born_and_pregnancy"\nmin_children = 2',
        'level = "district"\ncount = "born_and_pregnancy"\nmin_children = 4',
    )
    message = load_error(tmp_path, text)
    assert "purposes entry 1 (code 'skilled_worker_hukou_transfer')" in message
    assert "no rule covers 2 to 3 children, between rules 1 and 2" in message


def test_load_policy_text_names_source() -> None:
    with pytest.raises(PolicyError, match="^custom.toml: "):
        load_policy_text("version = 1", source_name="custom.toml")


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 6, date(2026, 7, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 12, 31), 6, date(2027, 6, 30)),
        (date(2026, 7, 1), 6, date(2027, 1, 1)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 31), 0, date(2026, 1, 31)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_valid_until_six_months(policy: Policy) -> None:
    purpose = policy.purpose("birth_hukou_registration")

    assert purpose.valid_until(date(2026, 3, 15)) == date(2026, 9, 15)
    assert purpose.valid_until(date(2026, 8, 31)) == date(2027, 2, 28)
    assert purpose.valid_until(date(2027, 8, 31)) == date(2028, 2, 29)


def test_valid_until_current_pregnancy(policy: Policy) -> None:
    purpose = policy.purpose("prenatal_care_and_delivery")
    assert purpose.valid_until(date(2026, 3, 15)) is None


def test_issuing_rule_covers() -> None:
    bounded = IssuingRule(OfficeLevel.STREET, CountBasis.BORN, 1, 1)
    open_ended = IssuingRule(OfficeLevel.DISTRICT, CountBasis.BORN, 2)

    assert [bounded.covers(count) for count in range(4)] == [False, True, False, False]
    assert [open_ended.covers(count) for count in range(4)] == [False, False, True, True]
    assert IssuingRule(OfficeLevel.STREET, CountBasis.BORN, 0).is_unconditional
    assert not open_ended.is_unconditional
