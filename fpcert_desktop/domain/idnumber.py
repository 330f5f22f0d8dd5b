"""Resident ID numbers (公民身份号码) as GB 11643-1999 defines them.

An 18-character number is a 6-digit region code (GB/T 2260), the birth date as
``YYYYMMDD``, a 3-digit sequence code whose last digit is odd for men, and a check
character computed with ISO 7064 MOD 11-2. Numbers issued before 1999 have 15 digits:
the region code, the birth date as ``YYMMDD`` in the 1900s, and the sequence code, with no
check character. :func:`parse_id_number` upgrades those to 18 characters.

Exceptions and ``repr`` show only :attr:`IdNumber.masked`, never the whole number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fpcert_desktop.domain.people import Sex
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"

# Province codes of GB/T 2260-2007, plus 83: the Taiwan residents' residence permit
# (港澳台居民居住证, issued since 2018) uses region code 830000, as Hong Kong and Macao
# residents' permits use 810000 and 820000.
_PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65))
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(code) for first, last in _PROVINCE_RANGES for code in range(first, last + 1)]
    + ["71", "81", "82", "83"]
)

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MASK = "*" * 8

# Full-width ASCII (U+FF01 to U+FF5E) maps one-to-one onto U+0021 to U+007E.
_FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# Separators that clerks type or that pasted text brings along: hyphens and dashes,
# zero-width spaces and the byte order mark.
_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u200b\u200c\u200d\ufeff"
_REMOVE_SEPARATORS = {ord(character): None for character in _SEPARATORS}

_FULL_PATTERN = re.compile(r"\d{17}[\dX]|\d{15}")
_PARTIAL_PATTERN = re.compile(r"\d{6,17}|\d{17}X")

_EMPTY = QT_TRANSLATE_NOOP("IdNumber", "Enter the ID number.")
_WRONG_LENGTH = QT_TRANSLATE_NOOP(
    "IdNumber",
    "The ID number has {length} characters, but it must have 18 (or 15 for an ID card "
    "issued before 1999). Check the number against the ID card and type it again.",
)
_BAD_CHARACTER = QT_TRANSLATE_NOOP(
    "IdNumber",
    "Character {position} of the ID number is '{character}', but only digits are allowed "
    "there. Check the number against the ID card and type it again.",
)
_MISPLACED_X = QT_TRANSLATE_NOOP(
    "IdNumber",
    "Character {position} of the ID number is X, but X may only be the last of 18 "
    "characters. Check the number against the ID card and type it again.",
)
_BAD_PROVINCE = QT_TRANSLATE_NOOP(
    "IdNumber",
    "The ID number {masked} starts with {province_code}, which is not a Chinese province "
    "code. Check the first two digits against the ID card.",
)
_IMPOSSIBLE_BIRTH_DATE = QT_TRANSLATE_NOOP(
    "IdNumber",
    "The birth date in the ID number, {birth_digits}, is not a valid date. "
    "Check the birth date digits against the ID card.",
)
_BIRTH_DATE_TOO_EARLY = QT_TRANSLATE_NOOP(
    "IdNumber",
    "The birth date in the ID number, {birth_date}, is before 1900. "
    "Check the birth date digits against the ID card.",
)
_FUTURE_BIRTH_DATE = QT_TRANSLATE_NOOP(
    "IdNumber",
    "The birth date in the ID number, {birth_date}, is after today ({today}). "
    "Check the birth date digits against the ID card.",
)
_WRONG_CHECK_CHARACTER = QT_TRANSLATE_NOOP(
    "IdNumber",
    "The last character of ID number {masked} is {actual}, but the first 17 digits give "
    "the check character {expected}. One of the 18 characters was typed or "
    "read wrongly. Compare each character with the ID card.",
)


class InvalidIdNumber(ValueError):
    """An input that is not a valid resident ID number.

    ``reason`` is one of ``empty``, ``length``, ``characters``, ``x_position``,
    ``region``, ``birth_date``, ``birth_date_before_1900``, ``future_birth_date`` and
    ``check_character``. ``message`` is the text for the clerk, saying what is wrong and
    what to check on the card.
    """

    def __init__(self, message: Message, reason: str) -> None:
        super().__init__(message.english)
        self.message = message
        self.reason = reason

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class IdNumber:
    """A valid 18-character resident ID number and the facts encoded in it."""

    value: str
    region_code: str
    birth_date: date
    sex: Sex
    upgraded_from_legacy: bool = False

    @property
    def province_code(self) -> str:
        return self.region_code[:2]

    @property
    def is_shenzhen(self) -> bool:
        return self.region_code.startswith("4403")

    @property
    def is_guangdong(self) -> bool:
        return self.province_code == "44"

    @property
    def masked(self) -> str:
        """The form for logs and audit records: first 6 and last 4 characters."""
        return mask_id_number(self.value)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return (
            f"IdNumber(masked={self.masked!r}, sex={self.sex.value!r}, "
            f"upgraded_from_legacy={self.upgraded_from_legacy!r})"
        )


def normalize_id_number(raw: str) -> str:
    """Convert full-width characters to ASCII, drop whitespace and hyphens, upper-case x.

    The result may still be invalid: only :func:`parse_id_number` validates.
    """
    text = raw.translate(_FULL_WIDTH_TO_ASCII)
    text = "".join(text.split())
    text = text.translate(_REMOVE_SEPARATORS)
    return text.replace("x", "X")


def check_character(first17: str) -> str:
    """Compute the ISO 7064 MOD 11-2 check character of the first 17 digits.

    Raises ``ValueError`` unless ``first17`` is exactly 17 ASCII digits.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_character() needs exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def mask_id_number(value: str) -> str:
    """Keep the first 6 and last 4 characters of ``value`` and put 8 asterisks between.

    Inputs of 10 characters or fewer become asterisks only, so no input comes out whole.
    """
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + MASK + value[-4:]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Validate an ID number as typed or read from a card, upgrading a 15-digit one.

    ``today`` (default: the system date) bounds the birth date. Raises
    :class:`InvalidIdNumber` with the first problem found, in this order: empty, length,
    characters, X position, province code, birth date, check character.
    """
    text = normalize_id_number(raw)
    _check_shape(text)
    legacy = len(text) == 15

    region_code = text[:6]
    if region_code[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(
            _BAD_PROVINCE.format(masked=mask_id_number(text), province_code=region_code[:2]),
            "region",
        )

    birth_digits = "19" + text[6:12] if legacy else text[6:14]
    birth_date = _parse_birth_date(birth_digits, today or date.today())

    if legacy:
        first17 = region_code + birth_digits + text[12:15]
        value = first17 + check_character(first17)
    else:
        value = text
        expected = check_character(text[:17])
        if text[17] != expected:
            message = _WRONG_CHECK_CHARACTER.format(
                masked=mask_id_number(text), actual=text[17], expected=expected
            )
            raise InvalidIdNumber(message, "check_character")

    sex = Sex.MALE if int(value[16]) % 2 == 1 else Sex.FEMALE
    return IdNumber(value, region_code, birth_date, sex, upgraded_from_legacy=legacy)


def looks_like_id_number(text: str) -> bool:
    """Tell whether a search box entry has the shape of a whole ID number (15 or 18).

    The shape test does not validate the number: a search for it may still find nobody.
    """
    return _FULL_PATTERN.fullmatch(normalize_id_number(text)) is not None


def is_partial_id_number(text: str) -> bool:
    """Tell whether a search box entry is the start of an ID number: 6 to 18 digits.

    An X is accepted only as the 18th character.
    """
    return _PARTIAL_PATTERN.fullmatch(normalize_id_number(text)) is not None


def make_id_number(region_code: str, birth_date: date, sequence: int, sex: Sex) -> str:
    """Build a valid 18-character ID number, for synthetic data.

    ``sequence`` (0 to 499) picks the 3-digit sequence code ``2 * sequence + 1`` for men
    and ``2 * sequence`` for women, so the 17th digit is odd for men and even for women.
    Raises ``ValueError`` for a region code that is not 6 digits with a valid province
    code, a birth date before 1900 or after 9999, or a sequence outside 0 to 499.
    """
    if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
        raise ValueError(f"region code must be 6 ASCII digits, got {region_code!r}")
    if region_code[:2] not in PROVINCE_CODES:
        raise ValueError(f"region code {region_code!r} has no valid province code")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValueError(f"birth date {birth_date.isoformat()} is before 1900")
    if not 0 <= sequence <= 499:
        raise ValueError(f"sequence must be between 0 and 499, got {sequence}")

    order = 2 * sequence + (1 if sex is Sex.MALE else 0)
    first17 = f"{region_code}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


def _check_shape(text: str) -> None:
    if not text:
        raise InvalidIdNumber(_EMPTY.format(), "empty")
    if len(text) not in (15, 18):
        raise InvalidIdNumber(_WRONG_LENGTH.format(length=len(text)), "length")

    for position, character in enumerate(text, start=1):
        if character.isascii() and character.isdigit():
            continue
        if character == "X" and position == 18:
            continue
        if character == "X":
            raise InvalidIdNumber(_MISPLACED_X.format(position=position), "x_position")
        message = _BAD_CHARACTER.format(position=position, character=character)
        raise InvalidIdNumber(message, "characters")


def _parse_birth_date(digits: str, today: date) -> date:
    try:
        birth_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        message = _IMPOSSIBLE_BIRTH_DATE.format(birth_digits=digits)
        raise InvalidIdNumber(message, "birth_date") from None

    if birth_date < EARLIEST_BIRTH_DATE:
        message = _BIRTH_DATE_TOO_EARLY.format(birth_date=birth_date.isoformat())
        raise InvalidIdNumber(message, "birth_date_before_1900")
    if birth_date > today:
        message = _FUTURE_BIRTH_DATE.format(
            birth_date=birth_date.isoformat(), today=today.isoformat()
        )
        raise InvalidIdNumber(message, "future_birth_date")
    return birth_date
