"""Resident ID numbers: normalising, parsing, rejecting, masking and generating."""

from __future__ import annotations

from datetime import date

import pytest

from fpcert_desktop.domain.idnumber import (
    IdNumber,
    InvalidIdNumber,
    check_character,
    is_partial_id_number,
    looks_like_id_number,
    make_id_number,
    mask_id_number,
    normalize_id_number,
    parse_id_number,
)
from fpcert_desktop.domain.people import Sex

TODAY = date(2026, 3, 15)

# The two worked examples of GB 11643-1999: a woman born 1949-12-31 in Beijing's Chaoyang
# district, and a man born 1880-01-01 in Guangdong.
STANDARD_EXAMPLE = "11010519491231002X"
STANDARD_EXAMPLE_1880 = "440524188001010014"

SHENZHEN_MAN = make_id_number("440304", date(1990, 5, 1), 12, Sex.MALE)


def parse(raw: str) -> IdNumber:
    return parse_id_number(raw, today=TODAY)


def with_wrong_check_character(value: str) -> str:
    wrong = "0" if value[17] != "0" else "1"
    return value[:17] + wrong


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("44030419900501025", SHENZHEN_MAN[17]),
    ],
)
def test_check_character_examples(first17: str, expected: str) -> None:
    assert check_character(first17) == expected


@pytest.mark.parametrize(
    "bad", ["", "1234", "4403041990050102X", "４４０３０４１９９００５０１０２"]
)
def test_check_character_rejects_non_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_character(bad)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        (" 110105 19491231 002X\n", "11010519491231002X"),
        ("\u3000110105\u300019491231002X\u3000", "11010519491231002X"),
        ("110105-19491231-002X", "11010519491231002X"),
        ("110105－19491231－002X", "11010519491231002X"),
        ("\ufeff11010519491231002X\u200b", "11010519491231002X"),
        ("abc", "abc"),
    ],
)
def test_normalize_id_number(raw: str, expected: str) -> None:
    assert normalize_id_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        STANDARD_EXAMPLE,
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        " 1101 0519 4912 3100 2X ",
        "110105-19491231-002x",
    ],
)
def test_parse_valid_18_digit_forms(raw: str) -> None:
    id_number = parse(raw)

    assert id_number.value == STANDARD_EXAMPLE
    assert id_number.region_code == "110105"
    assert id_number.birth_date == date(1949, 12, 31)
    assert id_number.sex is Sex.FEMALE
    assert id_number.upgraded_from_legacy is False
    assert id_number.province_code == "11"
    assert not id_number.is_guangdong
    assert not id_number.is_shenzhen


def test_parse_shenzhen_man() -> None:
    id_number = parse(SHENZHEN_MAN)

    assert id_number.sex is Sex.MALE
    assert id_number.is_shenzhen
    assert id_number.is_guangdong
    assert id_number.birth_date == date(1990, 5, 1)


def test_parse_guangdong_outside_shenzhen() -> None:
    value = make_id_number("440106", date(1985, 7, 9), 3, Sex.FEMALE)
    id_number = parse(value)

    assert id_number.is_guangdong
    assert not id_number.is_shenzhen


def test_parse_upgrades_15_digit_number() -> None:
    id_number = parse("440304900501123")

    first17 = "44030419900501123"
    assert id_number.value == first17 + check_character(first17)
    assert len(id_number.value) == 18
    assert id_number.birth_date == date(1990, 5, 1)
    assert id_number.sex is Sex.MALE
    assert id_number.upgraded_from_legacy is True
    assert parse(id_number.value).upgraded_from_legacy is False


def test_parse_15_digit_woman() -> None:
    assert parse("440304900501124").sex is Sex.FEMALE


def test_parse_accepts_unknown_region_code() -> None:
    # 440399 is no current Shenzhen district, but only the province code is checked.
    value = make_id_number("440399", date(1970, 1, 1), 7, Sex.MALE)
    assert parse(value).region_code == "440399"


@pytest.mark.parametrize(
    "province",
    [
        "11",
        "15",
        "21",
        "23",
        "31",
        "37",
        "41",
        "46",
        "50",
        "54",
        "61",
        "65",
        "71",
        "81",
        "82",
        "83",
    ],
)
def test_parse_accepts_every_province_range_edge(province: str) -> None:
    value = make_id_number(province + "0000", date(1980, 1, 1), 1, Sex.MALE)
    assert parse(value).province_code == province


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   \u3000 ", "empty"),
        ("4403041990050101", "length"),
        ("44030419900501012X3", "length"),
        ("1234567", "length"),
        ("44030419900501A123", "characters"),
        ("4403041990０50１123Y", "characters"),
        ("44030419900501012.", "characters"),
        ("4403X4199005010123", "x_position"),
        ("44030490050112X", "x_position"),
        ("10" + STANDARD_EXAMPLE[2:], "region"),
        ("00" + STANDARD_EXAMPLE[2:], "region"),
        ("91" + STANDARD_EXAMPLE[2:], "region"),
        ("47" + STANDARD_EXAMPLE[2:], "region"),
        ("160304900501123", "region"),
        ("440304199002300123", "birth_date"),
        ("440304199013010123", "birth_date"),
        ("440304199001000123", "birth_date"),
        ("440304900230123", "birth_date"),
        ("440304190002290123", "birth_date"),
        (STANDARD_EXAMPLE_1880, "birth_date_before_1900"),
        ("440304202603160123", "future_birth_date"),
        (with_wrong_check_character(STANDARD_EXAMPLE), "check_character"),
        (with_wrong_check_character(SHENZHEN_MAN), "check_character"),
    ],
)
def test_parse_rejects_with_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse(raw)

    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == caught.value.message.english


def test_birth_date_today_is_valid() -> None:
    value = make_id_number("440304", TODAY, 1, Sex.FEMALE)
    assert parse(value).birth_date == TODAY


def test_length_message_counts_characters() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse("4403 0419 9005 0101")

    message = str(caught.value)
    assert "16 characters" in message
    assert "18" in message
    assert "15" in message


def test_bad_character_message_names_position() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse("44030419900501A123")

    assert caught.value.message.params["position"] == 15
    assert "Character 15" in str(caught.value)
    assert "'A'" in str(caught.value)


def test_misplaced_x_message_names_position() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse("4403X4199005010123")

    assert "Character 5" in str(caught.value)


def test_check_character_message_names_expected() -> None:
    wrong = with_wrong_check_character(SHENZHEN_MAN)
    with pytest.raises(InvalidIdNumber) as caught:
        parse(wrong)

    message = str(caught.value)
    assert f"check character {SHENZHEN_MAN[17]}" in message
    assert f"is {wrong[17]}" in message


def test_messages_never_contain_full_number() -> None:
    wrong_check = with_wrong_check_character(SHENZHEN_MAN)
    bad_region = "10" + SHENZHEN_MAN[2:]
    for raw in (wrong_check, bad_region, "440304202603160123", STANDARD_EXAMPLE_1880):
        with pytest.raises(InvalidIdNumber) as caught:
            parse(raw)
        assert raw not in str(caught.value)
        assert raw not in repr(caught.value)


def test_check_character_message_uses_masked_form() -> None:
    wrong = with_wrong_check_character(SHENZHEN_MAN)
    with pytest.raises(InvalidIdNumber) as caught:
        parse(wrong)

    assert mask_id_number(wrong) in str(caught.value)


def test_future_birth_date_default_today() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(make_id_number("440304", date(9999, 12, 31), 1, Sex.MALE))

    assert caught.value.reason == "future_birth_date"


def test_masked_form() -> None:
    id_number = parse(STANDARD_EXAMPLE)

    assert id_number.masked == "110105********002X"
    assert len(id_number.masked) == 18


def test_repr_shows_only_masked_form() -> None:
    id_number = parse(STANDARD_EXAMPLE)

    assert STANDARD_EXAMPLE not in repr(id_number)
    assert "110105********002X" in repr(id_number)
    assert str(id_number) == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", ""), ("1234567890", "**********"), ("12345678901", "123456********8901")],
)
def test_mask_id_number_short_inputs(value: str, expected: str) -> None:
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (STANDARD_EXAMPLE, True),
        ("11010519491231002x", True),
        ("１１０１０５１９４９１２３１００２Ｘ", True),
        ("440304900501123", True),
        (with_wrong_check_character(STANDARD_EXAMPLE), True),
        ("4403049005011", False),
        ("4403041990050101", False),
        ("44030490050112X", False),
        ("X10105194912310021", False),
        ("林小梅", False),
        ("", False),
    ],
)
def test_looks_like_id_number(text: str, expected: bool) -> None:
    assert looks_like_id_number(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("440304", True),
        ("４４０３０４１９９０", True),
        ("440304199005010", True),
        (STANDARD_EXAMPLE, True),
        ("11010519491231002x", True),
        ("44030", False),
        ("4403041990X", False),
        ("1101051949123100211", False),
        ("林小梅", False),
    ],
)
def test_is_partial_id_number(text: str, expected: bool) -> None:
    assert is_partial_id_number(text) is expected


@pytest.mark.parametrize(
    ("region_code", "birth_date", "sequence", "sex"),
    [
        ("440304", date(1990, 5, 1), 0, Sex.MALE),
        ("440304", date(1990, 5, 1), 0, Sex.FEMALE),
        ("440303", date(2000, 2, 29), 499, Sex.FEMALE),
        ("110105", date(1900, 1, 1), 250, Sex.MALE),
        ("830000", date(1975, 12, 31), 42, Sex.FEMALE),
    ],
)
def test_make_id_number_round_trip(
    region_code: str, birth_date: date, sequence: int, sex: Sex
) -> None:
    value = make_id_number(region_code, birth_date, sequence, sex)
    id_number = parse(value)

    assert len(value) == 18
    assert id_number.value == value
    assert id_number.region_code == region_code
    assert id_number.birth_date == birth_date
    assert id_number.sex is sex
    assert int(value[16]) % 2 == (1 if sex is Sex.MALE else 0)


def test_make_id_number_sequences_are_distinct() -> None:
    values = {
        make_id_number("440304", date(1990, 5, 1), sequence, sex)
        for sequence in range(500)
        for sex in Sex
    }
    assert len(values) == 1000


@pytest.mark.parametrize(
    ("region_code", "birth_date", "sequence"),
    [
        ("44030", date(1990, 5, 1), 1),
        ("4403040", date(1990, 5, 1), 1),
        ("44030A", date(1990, 5, 1), 1),
        ("100000", date(1990, 5, 1), 1),
        ("440304", date(1899, 12, 31), 1),
        ("440304", date(1990, 5, 1), -1),
        ("440304", date(1990, 5, 1), 500),
    ],
)
def test_make_id_number_rejects_bad_arguments(
    region_code: str, birth_date: date, sequence: int
) -> None:
    with pytest.raises(ValueError):
        make_id_number(region_code, birth_date, sequence, Sex.MALE)
