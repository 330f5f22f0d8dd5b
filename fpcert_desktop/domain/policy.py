"""The certificate policy as data: purposes, issuing levels, periods and retention.

A policy file is TOML in ``resources/policy/``, one file per version with its effective
date. :func:`load_policy` validates every file there and returns the newest one in force.
An inconsistent file raises :class:`PolicyError` naming the file, the entry and the field,
so a policy change is a reviewed data change and a broken file never loads halfway.
"""

from __future__ import annotations

import calendar
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fpcert_desktop.domain.offices import OfficeLevel
from fpcert_desktop.domain.people import Person
from fpcert_desktop.i18n import localized

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

ISSUING_LEVELS = (OfficeLevel.DISTRICT, OfficeLevel.STREET, OfficeLevel.COMMUNITY)

_CODE_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_EnumT = TypeVar("_EnumT", bound=Enum)


class PolicyError(ValueError):
    """An invalid policy file. The message names the file, the entry and the field."""


class Retention(str, Enum):
    """How long the archived materials of an issued certificate are kept."""

    LONG_TERM = "long_term"
    ONE_YEAR = "one_year"


class Validity(str, Enum):
    """How long a certificate is valid.

    ``SIX_MONTHS`` is the policy's ``validity_months`` (which must be 6) from the issue
    date. ``CURRENT_PREGNANCY`` lasts until the pregnancy on the certificate ends.
    """

    SIX_MONTHS = "six_months"
    CURRENT_PREGNANCY = "current_pregnancy"


class CountBasis(str, Enum):
    """The basis on which a rule counts the applicant's children."""

    BORN = "born"
    BORN_AND_PREGNANCY = "born_and_pregnancy"

    def count_children(self, person: Person) -> int:
        """Count the applicant's children on this basis."""
        if self is CountBasis.BORN:
            return person.born_children
        return person.children_including_pregnancy


@dataclass(frozen=True)
class LocalizedName:
    """A name in Chinese and English that renders in the installed language.

    It formats when a message renders, so a purpose name inside a :class:`Message`
    follows the language that is current at that time.
    """

    zh: str
    en: str

    def __str__(self) -> str:
        return localized(self.zh, self.en)

    def __format__(self, format_spec: str) -> str:
        return format(str(self), format_spec)


@dataclass(frozen=True)
class IssuingRule:
    """One office level that issues a purpose for a range of child counts.

    ``max_children`` None means no upper limit. ``scope`` is the regulation's own Chinese
    wording for the people the rule covers, when the policy file gives it.
    """

    level: OfficeLevel
    count: CountBasis
    min_children: int
    max_children: int | None = None
    scope: str | None = None

    @property
    def is_unconditional(self) -> bool:
        """True when the rule applies whatever the number of children."""
        return self.min_children == 0 and self.max_children is None

    def covers(self, children: int) -> bool:
        if children < self.min_children:
            return False
        return self.max_children is None or children <= self.max_children


@dataclass(frozen=True)
class Purpose:
    """A purpose (证明用途) a certificate is issued for, with its issuing rules.

    ``name`` is the regulation's Chinese wording and prints on the certificate, as does
    ``statement``. ``validity_months`` is copied from the policy for :meth:`valid_until`.
    The rules of one purpose share one count basis and cover one unbroken range of child
    counts, which :func:`load_policy_text` checks.
    """

    code: str
    name: str
    name_en: str
    statement: str
    retention: Retention
    validity: Validity
    requires_pregnancy: bool
    rules: tuple[IssuingRule, ...]
    validity_months: int = 6

    @property
    def display_name(self) -> LocalizedName:
        return LocalizedName(self.name, self.name_en)

    @property
    def count_basis(self) -> CountBasis:
        return self.rules[0].count

    @property
    def levels(self) -> tuple[OfficeLevel, ...]:
        """The levels that issue this purpose for some applicants, in rule order."""
        return tuple(dict.fromkeys(rule.level for rule in self.rules))

    @property
    def min_children(self) -> int:
        """The lowest child count that some office issues this purpose for."""
        return min(rule.min_children for rule in self.rules)

    @property
    def max_children(self) -> int | None:
        """The highest child count that some office issues this purpose for, or None."""
        maximums = [rule.max_children for rule in self.rules]
        if None in maximums:
            return None
        return max(value for value in maximums if value is not None)

    def rule_for(self, person: Person) -> IssuingRule | None:
        """Find the rule that covers the applicant's child count, or None."""
        children = self.count_basis.count_children(person)
        for rule in self.rules:
            if rule.covers(children):
                return rule
        return None

    def issuing_level_for(self, person: Person) -> OfficeLevel | None:
        """Return the level that issues this purpose to the applicant, or None if none does.

        Only the child count decides. A required pregnancy is checked by eligibility.
        """
        rule = self.rule_for(person)
        return None if rule is None else rule.level

    def valid_until(self, issue_date: date) -> date | None:
        """Compute the end of validity: ``issue_date`` plus ``validity_months``.

        A day that the end month lacks is clamped to that month's last day, so
        31 August plus 6 months is 28 February (29 in a leap year). Returns None for
        ``CURRENT_PREGNANCY``, which has no fixed end date.
        """
        if self.validity is Validity.CURRENT_PREGNANCY:
            return None
        return add_months(issue_date, self.validity_months)


@dataclass(frozen=True)
class RetentionClass:
    """A retention class. ``years`` None means the materials are kept long-term."""

    retention: Retention
    description: str
    years: int | None


@dataclass(frozen=True)
class Policy:
    """One version of the certificate policy, in force from ``effective_date``.

    ``source_name`` is the file it was loaded from. Each period is a whole number of the
    unit that ends its field name (months, years or days).
    """

    version: str
    effective_date: date
    source_document: str
    source_title: str
    source_issuer: str
    validity_months: int
    reissue_window_months: int
    check_window_months: int
    problem_list_block_years: int
    data_max_age_days: int
    retention_classes: tuple[RetentionClass, ...]
    purposes: tuple[Purpose, ...]
    source_name: str
    check_exempt_purposes: tuple[str, ...] = ()
    check_exempt_without_children: bool = False

    def purpose(self, code: str) -> Purpose:
        """Look up a purpose by code. Raises ``KeyError`` for a code not in this policy."""
        for purpose in self.purposes:
            if purpose.code == code:
                return purpose
        raise KeyError(f"purpose {code!r} is not in policy {self.version}")

    def purposes_for_level(self, level: OfficeLevel) -> tuple[Purpose, ...]:
        """List, in file order, the purposes that an office of ``level`` issues to someone."""
        return tuple(purpose for purpose in self.purposes if level in purpose.levels)

    def retention_years(self, retention: Retention) -> int | None:
        """Return the years materials are kept, or None for long-term."""
        for retention_class in self.retention_classes:
            if retention_class.retention is retention:
                return retention_class.years
        raise KeyError(f"retention class {retention.value!r} is not in policy {self.version}")

    def retention_for(
        self, purpose: Purpose | str, issued_on: date
    ) -> tuple[Retention, date | None]:
        """Return the retention class of a certificate's archived materials and its last day.

        The materials may be disposed of after the returned day, which is ``issued_on``
        plus the class's years, clamped like :func:`add_months`. The day is None for
        long-term materials. Raises ``KeyError`` for a purpose code not in this policy.
        """
        if isinstance(purpose, str):
            purpose = self.purpose(purpose)
        years = self.retention_years(purpose.retention)
        if years is None:
            return purpose.retention, None
        return purpose.retention, add_months(issued_on, 12 * years)

    def reissue_window_end(self, last_issued_on: date) -> date:
        """Return the last day on which a new certificate counts as a re-issue.

        Up to and including this day, ``reissue_window_months`` after the applicant's last
        certificate, a new certificate needs a ring and pregnancy check certificate.
        """
        return add_months(last_issued_on, self.reissue_window_months)

    def earliest_check_date(self, today: date) -> date:
        """Return the earliest issue date of a check certificate accepted ``today``."""
        return add_months(today, -self.check_window_months)

    def problem_list_last_blocked_day(self, listed_on: date) -> date:
        """Return the last day of the block for a false-materials entry listed on ``listed_on``."""
        return last_blocked_day(listed_on, self.problem_list_block_years)

    def is_check_exempt(self, purpose: Purpose, person: Person) -> bool:
        """Tell whether the purpose or the applicant needs no check certificate on re-issue.

        ``check_exempt_purposes`` lists exempt purposes. With
        ``check_exempt_without_children``, an applicant with no born child is exempt.
        """
        if purpose.code in self.check_exempt_purposes:
            return True
        return self.check_exempt_without_children and person.born_children == 0


def add_months(day: date, months: int) -> date:
    """Add calendar months, clamping the day to the last day of the resulting month."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def last_blocked_day(listed_on: date, years: int) -> date:
    """Return the last day of a block of ``years`` years that starts on ``listed_on``.

    This follows the PRC Civil Code's rule for periods counted in years, articles 201 and
    202. The period ends on the corresponding day of the last year. When that month has
    no corresponding day, it ends on the month's last day. So a listing on 10 March 2025
    blocks through 10 March 2026, and one on 29 February 2024 through 28 February 2025.
    The first day a certificate may be issued is the day after.
    """
    return add_months(listed_on, 12 * years)


def default_policy_directory() -> Traversable:
    """Find ``policy/`` in the installed resources, or in the source tree's ``resources/``."""
    try:
        from importlib.resources import files

        return files("fpcert_desktop.resources") / "policy"
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources" / "policy"


def load_policy(path: Path | None = None, *, on: date | None = None) -> Policy:
    """Load and validate the policy in force on ``on`` (default: today).

    With ``path``, that file is loaded and must be in force on ``on``. Without it, every
    ``*.toml`` file of :func:`default_policy_directory` is validated, and the one with the
    latest effective date not after ``on`` is returned. Raises :class:`PolicyError` for an
    invalid file, for two files with the same version or effective date, and when no
    policy is in force yet.
    """
    day = on or date.today()
    if path is not None:
        policy = load_policy_text(path.read_text(encoding="utf-8"), source_name=path.name)
        if policy.effective_date > day:
            raise PolicyError(
                f"{path.name}: policy {policy.version} takes effect on "
                f"{policy.effective_date.isoformat()}, after {day.isoformat()}"
            )
        return policy

    directory = default_policy_directory()
    policies = [
        load_policy_text(entry.read_text(encoding="utf-8"), source_name=entry.name)
        for entry in sorted(directory.iterdir(), key=lambda entry: entry.name)
        if entry.name.endswith(".toml")
    ]
    return select_policy(policies, on=day)


def select_policy(policies: Iterable[Policy], *, on: date) -> Policy:
    """Pick the policy with the latest effective date not after ``on``.

    Raises :class:`PolicyError` for duplicate versions or effective dates, and when
    none is in force on ``on``.
    """
    by_version: dict[str, Policy] = {}
    by_date: dict[date, Policy] = {}
    for policy in policies:
        same_version = by_version.get(policy.version)
        if same_version is not None:
            raise PolicyError(
                f"{policy.source_name}: version {policy.version!r} is also the version of "
                f"{same_version.source_name}"
            )
        same_date = by_date.get(policy.effective_date)
        if same_date is not None:
            raise PolicyError(
                f"{policy.source_name}: effective_date {policy.effective_date.isoformat()} "
                f"is also the effective date of {same_date.source_name}"
            )
        by_version[policy.version] = policy
        by_date[policy.effective_date] = policy

    in_force = [policy for policy in by_date.values() if policy.effective_date <= on]
    if not in_force:
        raise PolicyError(f"no policy file is in force on {on.isoformat()}")
    return max(in_force, key=lambda policy: policy.effective_date)


def load_policy_text(text: str, *, source_name: str) -> Policy:
    """Parse and validate policy TOML. Every error message starts with ``source_name``."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{source_name}: not valid TOML: {error}") from None
    return _PolicyParser(source_name).parse(document)


# ---------------------------------------------------------------------------
# Validation of the TOML document


class _Entry:
    """One TOML table being read, with its place in the file for error messages."""

    def __init__(self, source_name: str, where: str, table: Mapping[str, Any]) -> None:
        self.source_name = source_name
        self.where = where
        self.table = table

    def error(self, text: str) -> PolicyError:
        return PolicyError(f"{self.source_name}: {self.where}: {text}")

    def check_keys(self, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        required = tuple(required)
        for key in required:
            if key not in self.table:
                raise self.error(f"missing key {key!r}")
        known = set(required) | set(optional)
        for key in self.table:
            if key not in known:
                raise self.error(f"unknown key {key!r} (known keys: {', '.join(sorted(known))})")

    def text(self, key: str) -> str:
        value = self.table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{key!r} must be a non-empty string, got {value!r}")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self.table else None

    def integer(self, key: str, *, minimum: int) -> int:
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{key!r} must be an integer, got {value!r}")
        if value < minimum:
            raise self.error(f"{key!r} must be at least {minimum}, got {value}")
        return value

    def optional_integer(self, key: str, *, minimum: int) -> int | None:
        return self.integer(key, minimum=minimum) if key in self.table else None

    def boolean(self, key: str) -> bool:
        value = self.table[key]
        if not isinstance(value, bool):
            raise self.error(f"{key!r} must be true or false, got {value!r}")
        return value

    def day(self, key: str) -> date:
        value = self.table[key]
        if not isinstance(value, date) or isinstance(value, datetime):
            raise self.error(f"{key!r} must be a TOML date such as 2012-04-25, got {value!r}")
        return value

    def choice(self, key: str, enum: type[_EnumT], allowed: Iterable[_EnumT] = ()) -> _EnumT:
        choices = tuple(allowed) or tuple(enum)
        value = self.table[key]
        for member in choices:
            if member.value == value:
                return member
        names = ", ".join(str(member.value) for member in choices)
        raise self.error(f"{key!r} must be one of {names}, got {value!r}")

    def subtable(self, key: str, where: str) -> _Entry:
        value = self.table[key]
        if not isinstance(value, dict):
            raise self.error(f"{key!r} must be a table")
        return _Entry(self.source_name, where, value)

    def array_of_tables(self, key: str) -> list[dict[str, Any]]:
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(f"{key!r} must be an array of tables ([[{key}]])")
        if not value:
            raise self.error(f"{key!r} must have at least one entry")
        return value


_NUMBER_KEYS = (
    "validity_months",
    "reissue_window_months",
    "check_window_months",
    "problem_list_block_years",
    "data_max_age_days",
)
_PURPOSE_KEYS = (
    "code",
    "name",
    "name_en",
    "statement",
    "retention",
    "validity",
    "requires_pregnancy",
    "rules",
)


class _PolicyParser:
    def __init__(self, source_name: str) -> None:
        self.source_name = source_name

    def parse(self, document: Mapping[str, Any]) -> Policy:
        top = _Entry(self.source_name, "top level", document)
        top.check_keys(
            (
                "version",
                "effective_date",
                *_NUMBER_KEYS,
                "check_exempt_purposes",
                "check_exempt_without_children",
                "source",
                "retention",
                "purposes",
            )
        )
        numbers = {key: top.integer(key, minimum=1) for key in _NUMBER_KEYS}
        source = top.subtable("source", "[source]")
        source.check_keys(("document_number", "title", "issuer"))
        purposes = self._purposes(top, numbers["validity_months"])

        # Validity.SIX_MONTHS names its period, so another length needs a new value.
        uses_six_months = any(purpose.validity is Validity.SIX_MONTHS for purpose in purposes)
        if uses_six_months and numbers["validity_months"] != 6:
            raise top.error(
                f"'validity_months' must be 6 while a purpose has validity 'six_months', "
                f"got {numbers['validity_months']}"
            )

        return Policy(
            version=top.text("version"),
            effective_date=top.day("effective_date"),
            source_document=source.text("document_number"),
            source_title=source.text("title"),
            source_issuer=source.text("issuer"),
            retention_classes=self._retention_classes(top),
            purposes=purposes,
            source_name=self.source_name,
            check_exempt_purposes=self._check_exempt_purposes(top, purposes),
            check_exempt_without_children=top.boolean("check_exempt_without_children"),
            **numbers,
        )

    def _check_exempt_purposes(self, top: _Entry, purposes: tuple[Purpose, ...]) -> tuple[str, ...]:
        key = "check_exempt_purposes"
        value = top.table[key]
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise top.error(f"{key!r} must be an array of purpose codes, got {value!r}")
        known = [purpose.code for purpose in purposes]
        for index, code in enumerate(value, start=1):
            if code not in known:
                raise top.error(
                    f"{key!r} entry {index} ({code!r}) is not a purpose code of this file "
                    f"(known codes: {', '.join(known)})"
                )
            if code in value[: index - 1]:
                raise top.error(f"{key!r} entry {index} ({code!r}) is a duplicate")
        return tuple(value)

    def _retention_classes(self, top: _Entry) -> tuple[RetentionClass, ...]:
        table = top.subtable("retention", "[retention]")
        table.check_keys(tuple(retention.value for retention in Retention))
        classes = []
        for retention in Retention:
            entry = table.subtable(retention.value, f"[retention.{retention.value}]")
            if retention is Retention.LONG_TERM:
                entry.check_keys(("description",))
                years = None
            else:
                entry.check_keys(("description", "years"))
                years = entry.integer("years", minimum=1)
            classes.append(RetentionClass(retention, entry.text("description"), years))
        return tuple(classes)

    def _purposes(self, top: _Entry, validity_months: int) -> tuple[Purpose, ...]:
        purposes: list[Purpose] = []
        for index, table in enumerate(top.array_of_tables("purposes"), start=1):
            code = table.get("code")
            label = f"purposes entry {index}" + (f" (code {code!r})" if code else "")
            entry = _Entry(self.source_name, label, table)
            purpose = self._purpose(entry, validity_months)

            for earlier in purposes:
                if earlier.code == purpose.code:
                    raise entry.error(f"duplicate code {purpose.code!r}")
                if earlier.name == purpose.name:
                    raise entry.error(f"duplicate name {purpose.name!r} (also {earlier.code!r})")
            purposes.append(purpose)
        return tuple(purposes)

    def _purpose(self, entry: _Entry, validity_months: int) -> Purpose:
        entry.check_keys(_PURPOSE_KEYS)
        code = entry.text("code")
        if _CODE_PATTERN.fullmatch(code) is None:
            raise entry.error(f"'code' must be snake_case ASCII, got {code!r}")

        validity = entry.choice("validity", Validity)
        requires_pregnancy = entry.boolean("requires_pregnancy")
        if validity is Validity.CURRENT_PREGNANCY and not requires_pregnancy:
            raise entry.error("validity 'current_pregnancy' needs requires_pregnancy = true")

        rules = tuple(
            self._rule(entry, index, table)
            for index, table in enumerate(entry.array_of_tables("rules"), start=1)
        )
        _check_rule_ranges(entry, rules)

        return Purpose(
            code=code,
            name=entry.text("name"),
            name_en=entry.text("name_en"),
            statement=entry.text("statement"),
            retention=entry.choice("retention", Retention),
            validity=validity,
            requires_pregnancy=requires_pregnancy,
            rules=rules,
            validity_months=validity_months,
        )

    def _rule(self, purpose: _Entry, index: int, table: dict[str, Any]) -> IssuingRule:
        entry = _Entry(self.source_name, f"{purpose.where} rule {index}", table)
        entry.check_keys(("level", "count", "min_children"), ("max_children", "scope"))
        min_children = entry.integer("min_children", minimum=0)
        max_children = entry.optional_integer("max_children", minimum=0)
        if max_children is not None and max_children < min_children:
            raise entry.error(
                f"'min_children' ({min_children}) is greater than 'max_children' ({max_children})"
            )
        return IssuingRule(
            level=entry.choice("level", OfficeLevel, ISSUING_LEVELS),
            count=entry.choice("count", CountBasis),
            min_children=min_children,
            max_children=max_children,
            scope=entry.optional_text("scope"),
        )


def _check_rule_ranges(purpose: _Entry, rules: tuple[IssuingRule, ...]) -> None:
    """Reject mixed count bases, and overlaps or gaps between the rules' child counts."""
    bases = {rule.count for rule in rules}
    if len(bases) > 1:
        raise purpose.error(
            f"rules mix count bases {sorted(basis.value for basis in bases)}. "
            "Use one count basis for all rules of a purpose"
        )

    numbered = sorted(enumerate(rules, start=1), key=lambda pair: pair[1].min_children)
    for (lower_number, lower), (upper_number, upper) in pairwise(numbered):
        if lower.max_children is None or upper.min_children <= lower.max_children:
            raise purpose.error(
                f"rules {lower_number} and {upper_number} overlap: both cover "
                f"{upper.min_children} children"
            )
        if upper.min_children > lower.max_children + 1:
            raise purpose.error(
                f"no rule covers {lower.max_children + 1} to {upper.min_children - 1} children,"
                f" between rules {lower_number} and {upper_number}"
            )
