"""The supervisor's daily print summary (每日打证统计) and the retention report.

Both the client (from its local database) and the reference server (from pushed
records) gather the same facts and call :func:`build_daily_report`, so the two count
alike. Days are China Standard Time calendar days whatever the machine's time zone.

Counting rules of one day:

- a certificate counts on the China date its number was allocated (``issued_at``).
  It counts as printed when it was printed at least once, even if it was voided
  later, and as not printed while its record still waits for a confirmed print;
- voids, reprints (补打) and refusals count on the China date they happened;
- a row is one window (workstation) of one office and one clerk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from fpcert_desktop.domain.clock import FIRST_BOUNDED_DAY, LAST_BOUNDED_DAY, china_date
from fpcert_desktop.domain.offices import Office
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate


class ReportSource(str, Enum):
    """The source of the counts: the central server, or this workstation's database."""

    SERVER = "server"
    LOCAL = "local"


class EventKind(str, Enum):
    VOID = "void"
    REPRINT = "reprint"
    REFUSAL = "refusal"


_RULE_LABELS: dict[str, MessageTemplate] = {
    "level": QT_TRANSLATE_NOOP("Reports", "wrong office level"),
    "child_count": QT_TRANSLATE_NOOP("Reports", "number of children"),
    "pregnancy_required": QT_TRANSLATE_NOOP("Reports", "no registered pregnancy"),
    "unknown_purpose": QT_TRANSLATE_NOOP("Reports", "unknown purpose"),
    "policy_not_in_force": QT_TRANSLATE_NOOP("Reports", "policy not in force"),
    "problem_list": QT_TRANSLATE_NOOP("Reports", "on the problem list"),
    "referral_open": QT_TRANSLATE_NOOP("Reports", "open correction referral"),
}


# The names printed in the Chinese PDF and xlsx documents, whatever the screen language.
_RULE_NAMES_ZH = {
    "level": "办理层级不符",
    "child_count": "子女数不符",
    "pregnancy_required": "无怀孕登记",
    "unknown_purpose": "用途不明",
    "policy_not_in_force": "政策未生效",
    "problem_list": "列入问题名单",
    "referral_open": "待核实更正",
}


def rule_name_zh(rule: str) -> str:
    """Return the Chinese name of a refusal rule, or the code for an unknown rule."""
    return _RULE_NAMES_ZH.get(rule, rule)


def rule_label(rule: str) -> str:
    """Return the translated name of a refusal rule, or the code for an unknown rule."""
    template = _RULE_LABELS.get(rule)
    return str(template.format()) if template is not None else rule


@dataclass(frozen=True)
class IssuanceFact:
    """One certificate number as the report needs it."""

    office_code: str
    workstation: str
    user_id: int
    purpose_code: str
    issued_at: datetime
    printed: bool
    not_printed: bool
    printed_at: datetime | None = None
    # True while the issuance's push to the server waits in this workstation's outbox.
    waiting_sync: bool = False


@dataclass(frozen=True)
class EventFact:
    """One void, reprint or refusal; ``rule`` is set for refusals only."""

    kind: EventKind
    office_code: str
    workstation: str
    user_id: int
    at: datetime
    rule: str = ""


@dataclass(frozen=True)
class CountPair:
    """A count under a key: a purpose code or a refusal rule."""

    key: str
    count: int


@dataclass(frozen=True)
class ReportRow:
    """The counts of one window and clerk on the report's day."""

    office_code: str
    office_name: str
    workstation: str
    user_id: int
    clerk_name: str
    printed: tuple[CountPair, ...]
    voids: int
    reprints: int
    not_printed: int
    refusals: tuple[CountPair, ...]
    first_print: datetime | None
    last_print: datetime | None
    # None when the counts come from the server, which cannot see local outboxes.
    waiting_sync: int | None

    @property
    def printed_total(self) -> int:
        return sum(pair.count for pair in self.printed)

    @property
    def refusals_total(self) -> int:
        return sum(pair.count for pair in self.refusals)

    def printed_for(self, purpose_code: str) -> int:
        return _count_of(self.printed, purpose_code)

    def refused_for(self, rule: str) -> int:
        return _count_of(self.refusals, rule)


@dataclass(frozen=True)
class DayTotals:
    """The totals of one day; also used for the differences between two days."""

    day: date
    printed: int = 0
    voids: int = 0
    reprints: int = 0
    not_printed: int = 0
    refusals: int = 0

    def minus(self, other: DayTotals) -> DayTotals:
        """Return this day's totals less ``other``'s, dated this day."""
        return DayTotals(
            day=self.day,
            printed=self.printed - other.printed,
            voids=self.voids - other.voids,
            reprints=self.reprints - other.reprints,
            not_printed=self.not_printed - other.not_printed,
            refusals=self.refusals - other.refusals,
        )


@dataclass(frozen=True)
class PurposeColumn:
    code: str
    name: str


@dataclass(frozen=True)
class DailyReport:
    """The daily print summary of an office and the offices below it, for one day."""

    day: date
    office_code: str
    office_name: str
    source: ReportSource
    generated_at: datetime
    purposes: tuple[PurposeColumn, ...]
    rules: tuple[str, ...]
    rows: tuple[ReportRow, ...]
    totals: DayTotals
    previous_day: DayTotals
    same_weekday_last_week: DayTotals
    # Every item in this workstation's outbox that the server has not received yet.
    outbox_pending: int | None = None
    # The reason the server was not used, for the log. Empty when the server returned it.
    fallback_reason: str = field(default="", compare=False)

    @property
    def change_from_previous_day(self) -> DayTotals:
        return self.totals.minus(self.previous_day)

    @property
    def change_from_last_week(self) -> DayTotals:
        return self.totals.minus(self.same_weekday_last_week)

    @property
    def waiting_sync_total(self) -> int | None:
        counts = [row.waiting_sync for row in self.rows if row.waiting_sync is not None]
        return sum(counts) if len(counts) == len(self.rows) else None

    def with_purpose_names(self, names: Mapping[str, str]) -> DailyReport:
        """Return the report with purpose names from ``names`` where it has them."""
        columns = tuple(
            PurposeColumn(column.code, names.get(column.code, column.name))
            for column in self.purposes
        )
        return replace(self, purposes=columns)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "office_code": self.office_code,
            "office_name": self.office_name,
            "source": self.source.value,
            "generated_at": self.generated_at.isoformat(),
            "purposes": [{"code": column.code, "name": column.name} for column in self.purposes],
            "rules": list(self.rules),
            "rows": [_row_to_json(row) for row in self.rows],
            "totals": _totals_to_json(self.totals),
            "previous_day": _totals_to_json(self.previous_day),
            "same_weekday_last_week": _totals_to_json(self.same_weekday_last_week),
            "outbox_pending": self.outbox_pending,
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> DailyReport:
        """Parse :meth:`to_json_dict` output; raises ``KeyError`` or ``ValueError`` if invalid."""
        generated_at = datetime.fromisoformat(data["generated_at"])
        if generated_at.tzinfo is None:
            raise ValueError("generated_at has no time zone")
        return cls(
            day=date.fromisoformat(data["day"]),
            office_code=str(data["office_code"]),
            office_name=str(data["office_name"]),
            source=ReportSource(data["source"]),
            generated_at=generated_at,
            purposes=tuple(
                PurposeColumn(str(item["code"]), str(item["name"])) for item in data["purposes"]
            ),
            rules=tuple(str(rule) for rule in data["rules"]),
            rows=tuple(_row_from_json(item) for item in data["rows"]),
            totals=_totals_from_json(data["totals"]),
            previous_day=_totals_from_json(data["previous_day"]),
            same_weekday_last_week=_totals_from_json(data["same_weekday_last_week"]),
            outbox_pending=data.get("outbox_pending"),
        )


# A report of a day also counts the same weekday a week earlier.
COMPARISON_DAYS = timedelta(days=7)
# So the first day it can cover is a week after the first China day with UTC bounds.
FIRST_REPORT_DAY = FIRST_BOUNDED_DAY + COMPARISON_DAYS
LAST_REPORT_DAY = LAST_BOUNDED_DAY


def is_reportable_day(day: date) -> bool:
    """Tell whether ``day``, its previous day and its weekday a week earlier have UTC bounds."""
    return FIRST_REPORT_DAY <= day <= LAST_REPORT_DAY


def comparison_window(day: date) -> tuple[date, date]:
    """Return the first and the last China date whose facts a report of ``day`` reads.

    Raises ``ValueError`` unless :func:`is_reportable_day`.
    """
    if not is_reportable_day(day):
        raise ValueError(
            f"{day.isoformat()} is outside {FIRST_REPORT_DAY.isoformat()} to "
            f"{LAST_REPORT_DAY.isoformat()}, the days a daily report can cover"
        )
    return day - COMPARISON_DAYS, day


def build_daily_report(
    day: date,
    office: Office,
    issuances: Iterable[IssuanceFact],
    events: Iterable[EventFact],
    *,
    office_names: Mapping[str, str],
    clerk_names: Mapping[int, str],
    purpose_names: Mapping[str, str],
    source: ReportSource,
    generated_at: datetime,
    outbox_pending: int | None = None,
) -> DailyReport:
    """Count the facts of ``office`` and the offices below it on ``day``.

    The facts may span more days and offices: the previous day and the same weekday a
    week earlier are totalled from the same facts, and facts of other offices are
    left out. ``outbox_pending`` None means the waiting counts are unknown (server).
    """
    issuance_list = [fact for fact in issuances if office.contains(fact.office_code)]
    event_list = [fact for fact in events if office.contains(fact.office_code)]
    rows = _rows_for_day(
        day,
        issuance_list,
        event_list,
        office_names=office_names,
        clerk_names=clerk_names,
        known_waiting=outbox_pending is not None,
    )
    purpose_codes = sorted({pair.key for row in rows for pair in row.printed})
    rules = sorted({pair.key for row in rows for pair in row.refusals})
    return DailyReport(
        day=day,
        office_code=office.code,
        office_name=office.name,
        source=source,
        generated_at=generated_at,
        purposes=tuple(
            PurposeColumn(code, purpose_names.get(code, code)) for code in purpose_codes
        ),
        rules=tuple(rules),
        rows=rows,
        totals=_totals(day, issuance_list, event_list),
        previous_day=_totals(day - timedelta(days=1), issuance_list, event_list),
        same_weekday_last_week=_totals(day - COMPARISON_DAYS, issuance_list, event_list),
        outbox_pending=outbox_pending,
    )


def _rows_for_day(
    day: date,
    issuances: list[IssuanceFact],
    events: list[EventFact],
    *,
    office_names: Mapping[str, str],
    clerk_names: Mapping[int, str],
    known_waiting: bool,
) -> tuple[ReportRow, ...]:
    builders: dict[tuple[str, str, int], _RowBuilder] = {}

    def builder(office_code: str, workstation: str, user_id: int) -> _RowBuilder:
        key = (office_code, workstation, user_id)
        if key not in builders:
            builders[key] = _RowBuilder()
        return builders[key]

    for fact in issuances:
        if china_date(fact.issued_at) != day:
            continue
        row = builder(fact.office_code, fact.workstation, fact.user_id)
        if fact.printed:
            row.printed[fact.purpose_code] = row.printed.get(fact.purpose_code, 0) + 1
            moment = fact.printed_at or fact.issued_at
            row.print_times.append(moment)
        if fact.not_printed:
            row.not_printed += 1
        if fact.waiting_sync:
            row.waiting_sync += 1
    for event in events:
        if china_date(event.at) != day:
            continue
        row = builder(event.office_code, event.workstation, event.user_id)
        if event.kind is EventKind.VOID:
            row.voids += 1
        elif event.kind is EventKind.REPRINT:
            row.reprints += 1
        else:
            row.refusals[event.rule] = row.refusals.get(event.rule, 0) + 1

    return tuple(
        builders[key].build(
            key,
            office_name=office_names.get(key[0], key[0]),
            clerk_name=clerk_names.get(key[2], str(key[2])),
            known_waiting=known_waiting,
        )
        for key in sorted(builders)
    )


@dataclass
class _RowBuilder:
    printed: dict[str, int] = field(default_factory=dict)
    refusals: dict[str, int] = field(default_factory=dict)
    print_times: list[datetime] = field(default_factory=list)
    voids: int = 0
    reprints: int = 0
    not_printed: int = 0
    waiting_sync: int = 0

    def build(
        self, key: tuple[str, str, int], *, office_name: str, clerk_name: str, known_waiting: bool
    ) -> ReportRow:
        office_code, workstation, user_id = key
        return ReportRow(
            office_code=office_code,
            office_name=office_name,
            workstation=workstation,
            user_id=user_id,
            clerk_name=clerk_name,
            printed=_pairs(self.printed),
            voids=self.voids,
            reprints=self.reprints,
            not_printed=self.not_printed,
            refusals=_pairs(self.refusals),
            first_print=min(self.print_times) if self.print_times else None,
            last_print=max(self.print_times) if self.print_times else None,
            waiting_sync=self.waiting_sync if known_waiting else None,
        )


def _totals(day: date, issuances: list[IssuanceFact], events: list[EventFact]) -> DayTotals:
    of_day = [fact for fact in issuances if china_date(fact.issued_at) == day]
    events_of_day = [event for event in events if china_date(event.at) == day]
    return DayTotals(
        day=day,
        printed=sum(1 for fact in of_day if fact.printed),
        not_printed=sum(1 for fact in of_day if fact.not_printed),
        voids=sum(1 for event in events_of_day if event.kind is EventKind.VOID),
        reprints=sum(1 for event in events_of_day if event.kind is EventKind.REPRINT),
        refusals=sum(1 for event in events_of_day if event.kind is EventKind.REFUSAL),
    )


def _pairs(counts: Mapping[str, int]) -> tuple[CountPair, ...]:
    return tuple(CountPair(key, counts[key]) for key in sorted(counts))


def _count_of(pairs: tuple[CountPair, ...], key: str) -> int:
    return next((pair.count for pair in pairs if pair.key == key), 0)


def _row_to_json(row: ReportRow) -> dict[str, Any]:
    return {
        "office_code": row.office_code,
        "office_name": row.office_name,
        "workstation": row.workstation,
        "user_id": row.user_id,
        "clerk_name": row.clerk_name,
        "printed": {pair.key: pair.count for pair in row.printed},
        "voids": row.voids,
        "reprints": row.reprints,
        "not_printed": row.not_printed,
        "refusals": {pair.key: pair.count for pair in row.refusals},
        "first_print": None if row.first_print is None else row.first_print.isoformat(),
        "last_print": None if row.last_print is None else row.last_print.isoformat(),
        "waiting_sync": row.waiting_sync,
    }


def _row_from_json(data: Mapping[str, Any]) -> ReportRow:
    return ReportRow(
        office_code=str(data["office_code"]),
        office_name=str(data["office_name"]),
        workstation=str(data["workstation"]),
        user_id=int(data["user_id"]),
        clerk_name=str(data["clerk_name"]),
        printed=_pairs({str(key): int(value) for key, value in data["printed"].items()}),
        voids=int(data["voids"]),
        reprints=int(data["reprints"]),
        not_printed=int(data["not_printed"]),
        refusals=_pairs({str(key): int(value) for key, value in data["refusals"].items()}),
        first_print=_optional_time(data.get("first_print")),
        last_print=_optional_time(data.get("last_print")),
        waiting_sync=None if data.get("waiting_sync") is None else int(data["waiting_sync"]),
    )


def _optional_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text} has no time zone")
    return moment


def _totals_to_json(totals: DayTotals) -> dict[str, Any]:
    return {
        "day": totals.day.isoformat(),
        "printed": totals.printed,
        "voids": totals.voids,
        "reprints": totals.reprints,
        "not_printed": totals.not_printed,
        "refusals": totals.refusals,
    }


def _totals_from_json(data: Mapping[str, Any]) -> DayTotals:
    return DayTotals(
        day=date.fromisoformat(data["day"]),
        printed=int(data["printed"]),
        voids=int(data["voids"]),
        reprints=int(data["reprints"]),
        not_printed=int(data["not_printed"]),
        refusals=int(data["refusals"]),
    )


# --- retention report ----------------------------------------------------------------


@dataclass(frozen=True)
class DisposalLine:
    """An issued certificate whose archived materials may be disposed of."""

    number: str
    applicant_name: str
    purpose_name: str
    issued_on: date
    dispose_after: date
    voided: bool


@dataclass(frozen=True)
class ProblemMaterialsLine:
    """The filing place of a problem-list entry's materials, which are kept long-term."""

    name: str
    masked_id_number: str
    category: str
    listed_on: date
    materials_location: str
    office_code: str
    removed_on: date | None


@dataclass(frozen=True)
class RetentionReport:
    """Materials due for disposal on ``on`` and the problem-list materials kept long-term."""

    on: date
    office_code: str
    office_name: str
    generated_at: datetime
    disposal: tuple[DisposalLine, ...]
    problem_materials: tuple[ProblemMaterialsLine, ...]
