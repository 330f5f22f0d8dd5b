"""Validation of user change form rows and the proposals from the user registry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from fpcert_desktop.domain.user_changes import (
    ChangeType,
    InvalidUserChange,
    KnownPerson,
    PersonDraft,
    RegistryUser,
    UserChange,
    UserChangeDraft,
    draft_of,
    propose_changes,
    validate_change,
)
from fpcert_desktop.domain.users import Role
from fpcert_desktop.i18n import install_translator

TODAY = date(2026, 12, 4)
# Synthetic numbers with valid check characters.
ZHANG = "440304198805120027"
LI = "440305199203031132"
WANG = "11010519491231002X"
STREET = "440304004"
COMMUNITY = "440304004001"


@pytest.fixture(autouse=True)
def english() -> None:
    install_translator(lambda _context, source: source, "en")


def draft(
    change_type: ChangeType | None = ChangeType.REPLACE_KEY, **changes: object
) -> UserChangeDraft:
    base = UserChangeDraft(
        change_type=change_type,
        unit_office_code=STREET,
        unit_name="福田区福田街道",
        person=PersonDraft("张三", ZHANG, Role.CLERK, "82002345"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def invalid(value: UserChangeDraft) -> InvalidUserChange:
    with pytest.raises(InvalidUserChange) as raised:
        validate_change(value, today=TODAY)
    return raised.value


def test_valid_replace_key_row() -> None:
    change = validate_change(draft(remarks="  钥匙损坏  "), today=TODAY)

    assert change.change_type is ChangeType.REPLACE_KEY
    assert change.person.id_number == ZHANG
    assert change.person.phone == "82002345"
    assert change.remarks == "钥匙损坏"
    assert change.new_person is None


def test_full_width_input_normalised() -> None:
    person = PersonDraft("王五", "11010519491231002x", Role.CLERK, "０７５５－８２００１２３７")

    change = validate_change(draft(person=person), today=TODAY)

    assert change.person.id_number == WANG
    assert change.person.phone == "0755-82001237"


@pytest.mark.parametrize("phone", ["13812345678", "82002345", "0755-82002345", "075582002345"])
def test_phone_formats_accepted(phone: str) -> None:
    person = PersonDraft("张三", ZHANG, Role.CLERK, phone)

    assert validate_change(draft(person=person), today=TODAY).person.phone == phone


@pytest.mark.parametrize("phone", ["12345", "11812345678", "1381234567", "0755-123", "8200234x"])
def test_bad_phone_is_rejected_with_the_number(phone: str) -> None:
    error = invalid(draft(person=PersonDraft("张三", ZHANG, Role.CLERK, phone)))

    assert error.field == "person.phone"
    assert "11-digit mobile" in str(error)


def test_missing_phone_names_the_person() -> None:
    error = invalid(draft(person=PersonDraft("张三", ZHANG, Role.CLERK, "")))

    assert error.field == "person.phone"
    assert str(error) == "Enter the contact phone number of the person."


def test_bad_id_number_masked_reason() -> None:
    wrong_check = ZHANG[:-1] + "5"
    error = invalid(draft(person=PersonDraft("张三", wrong_check, Role.CLERK, "82002345")))

    assert error.field == "person.id_number"
    assert str(error).startswith("ID number of the person: ")
    assert "check character" in str(error)
    assert wrong_check not in str(error)


def test_missing_fields() -> None:
    assert invalid(draft(change_type=None)).field == "change_type"
    assert invalid(draft(unit_office_code="")).field == "unit"
    assert invalid(draft(person=PersonDraft("", ZHANG, Role.CLERK, "82002345"))).field == (
        "person.name"
    )
    assert invalid(draft(person=PersonDraft("张三", ZHANG, None, "82002345"))).field == (
        "person.role"
    )
    assert invalid(draft(person=PersonDraft("张3", ZHANG, Role.CLERK, "82002345"))).field == (
        "person.name"
    )


def test_replacement_needs_the_new_person() -> None:
    error = invalid(draft(ChangeType.REPLACEMENT))

    assert error.field == "new_person.name"
    assert "离职换人" in str(error)


def test_replacement_messages_say_which_person() -> None:
    new = PersonDraft("李四", LI, Role.CLERK, "8200")
    error = invalid(draft(ChangeType.REPLACEMENT, new_person=new))

    assert error.field == "new_person.phone"
    assert "of the new person" in str(error)


def test_replacement_with_both_people() -> None:
    new = PersonDraft("李四", LI, Role.CLERK, "82001237")

    change = validate_change(draft(ChangeType.REPLACEMENT, new_person=new), today=TODAY)

    assert change.new_person is not None
    assert change.new_person.name == "李四"
    assert change.person.name == "张三"


def test_replacement_by_same_person() -> None:
    same = PersonDraft("张三", ZHANG, Role.CLERK, "82001237")

    error = invalid(draft(ChangeType.REPLACEMENT, new_person=same))

    assert error.field == "new_person.id_number"
    assert "更换密钥" in str(error)
    assert ZHANG not in str(error)


def test_only_a_replacement_has_a_new_person() -> None:
    new = PersonDraft("李四", LI, Role.CLERK, "82001237")

    assert invalid(draft(ChangeType.NEW_KEY, new_person=new)).field == "new_person.name"


def test_new_window_needs_a_workstation_code() -> None:
    assert invalid(draft(ChangeType.NEW_WINDOW)).field == "workstation"
    assert invalid(draft(ChangeType.NEW_WINDOW, workstation="3")).field == "workstation"

    change = validate_change(draft(ChangeType.NEW_WINDOW, workstation="03"), today=TODAY)

    assert change.workstation == "03"


def test_remarks_are_limited() -> None:
    assert invalid(draft(remarks="备" * 201)).field == "remarks"


def test_draft_of_round_trips() -> None:
    new = PersonDraft("李四", LI, Role.CLERK, "82001237")
    change = validate_change(draft(ChangeType.REPLACEMENT, new_person=new), today=TODAY)

    assert validate_change(draft_of(change), today=TODAY) == change


def test_messages_translate() -> None:
    install_translator(
        lambda context, source: (
            "请选择变更类型。" if source == "Choose the change type." else source
        ),
        "zh_CN",
    )

    assert str(invalid(draft(change_type=None))) == "请选择变更类型。"


# -- proposals --------------------------------------------------------------------------


def user(user_id: int, name: str, fingerprint: str, **changes: object) -> RegistryUser:
    base = RegistryUser(user_id, name, Role.CLERK, COMMUNITY, fingerprint, True, "01")
    return replace(base, **changes)  # type: ignore[arg-type]


UNITS = {COMMUNITY: "福田区福田街道福山社区工作站", STREET: "福田区福田街道"}


def test_proposes_new_key() -> None:
    baseline = [user(1, "张三", "aa")]
    current = [*baseline, user(2, "王五", "bb")]

    proposals = propose_changes(current, baseline, [], UNITS)

    assert [(p.change_type, p.person.name) for p in proposals] == [(ChangeType.NEW_KEY, "王五")]
    assert proposals[0].unit_name == UNITS[COMMUNITY]
    assert proposals[0].cert_fingerprint == "bb"
    assert proposals[0].reason


def test_proposes_replace_key() -> None:
    baseline = [user(1, "张三", "aa")]
    current = [user(1, "张三", "cc")]
    known = {1: KnownPerson(ZHANG, "82002345")}

    proposals = propose_changes(current, baseline, [], UNITS, known)

    assert [p.change_type for p in proposals] == [ChangeType.REPLACE_KEY]
    assert proposals[0].person.id_number == ZHANG
    assert proposals[0].person.phone == "82002345"


def test_proposes_replacement_same_window() -> None:
    baseline = [user(1, "张三", "aa"), user(3, "赵六", "dd", workstation="02")]
    current = [user(1, "张三", "aa", active=False), user(2, "李四", "bb"), baseline[1]]

    proposals = propose_changes(current, baseline, [], UNITS)

    assert len(proposals) == 1
    proposal = proposals[0]
    assert proposal.change_type is ChangeType.REPLACEMENT
    assert proposal.person.name == "张三"
    assert proposal.new_person.name == "李四"
    assert (proposal.user_id, proposal.new_user_id) == (1, 2)


def test_other_window_not_replacement() -> None:
    baseline = [user(1, "张三", "aa"), user(3, "赵六", "dd", workstation="02")]
    current = [
        user(1, "张三", "aa", active=False),
        user(2, "李四", "bb", workstation="02"),
        baseline[1],
    ]

    proposals = propose_changes(current, baseline, [], UNITS)

    assert [p.change_type for p in proposals] == [ChangeType.NEW_KEY]


def test_proposes_new_window() -> None:
    baseline = [user(1, "张三", "aa")]
    current = [*baseline, user(2, "王五", "bb", workstation="03")]

    proposals = propose_changes(current, baseline, [], UNITS)

    assert [(p.change_type, p.workstation) for p in proposals] == [(ChangeType.NEW_WINDOW, "03")]


def test_recorded_rows_are_not_proposed_again() -> None:
    baseline = [user(1, "张三", "aa")]
    current = [*baseline, user(2, "王五", "bb")]
    first = propose_changes(current, baseline, [], UNITS)[0]
    recorded = validate_change(
        replace(first, person=replace(first.person, id_number=WANG, phone="82001237")),
        today=TODAY,
    )

    assert isinstance(recorded, UserChange)
    assert propose_changes(current, baseline, [recorded], UNITS) == []


def test_no_baseline_proposes_every_active_key() -> None:
    current = [user(1, "张三", "aa", workstation=None), user(2, "李四", "bb", active=False)]

    proposals = propose_changes(current, [], [], UNITS)

    assert [(p.change_type, p.person.name) for p in proposals] == [(ChangeType.NEW_KEY, "张三")]


def test_unchanged_registry_proposes_nothing() -> None:
    baseline = [user(1, "张三", "aa"), user(2, "李四", "bb", active=False)]

    assert propose_changes(baseline, baseline, [], UNITS) == []
