"""``fpcert-desktop report``: write the daily print summary or the retention report to a file.

Meant for scheduled runs (cron, the Windows task scheduler), so it needs no e-key. It
never calls the central server, whose report endpoint requires a clerk session. It
reads this machine's database only, for any office in it: anyone who can read the
database file may run it, so protect that file as the program's data. Each report
says that it contains this workstation's data only.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.reports import FIRST_REPORT_DAY, LAST_REPORT_DAY, is_reportable_day
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.oserrors import describe_os_error

if TYPE_CHECKING:
    # Imported when a report runs, so the other commands start without them.
    from fpcert_desktop.services.reports import ReportService

log = logging.getLogger(__name__)

SUFFIXES = (".pdf", ".xlsx")
# Exit code 2 (invalid input) for these ServiceError codes, 1 for any other failure.
_INPUT_ERROR_CODES = frozenset({"unknown_office", "invalid_office_code", "invalid_date"})
_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_BAD_DATE = QT_TRANSLATE_NOOP(
    "ReportCli",
    "The date {text} is not valid. Write it as YYYY-MM-DD, for example 2026-12-04.",
)
_NO_SUCH_DAY = QT_TRANSLATE_NOOP(
    "ReportCli",
    "The date {text} does not exist in the calendar. Check the month and the day.",
)
_DAY_OUT_OF_RANGE = QT_TRANSLATE_NOOP(
    "ReportCli",
    "No daily report can be made for {text}. Choose a date from {first} to {last}.",
)
_NO_OUTPUT = QT_TRANSLATE_NOOP(
    "ReportCli",
    "The output file is missing. Give --out a file name ending in .pdf or .xlsx, for "
    "example --out daily.pdf.",
)
_BAD_SUFFIX = QT_TRANSLATE_NOOP(
    "ReportCli",
    "The output file {path} must end in .pdf or .xlsx; the ending chooses the format.",
)
_NO_FOLDER = QT_TRANSLATE_NOOP(
    "ReportCli",
    "The folder {folder} of the output file does not exist. Create it or choose another "
    "--out path.",
)
_UNWRITABLE = QT_TRANSLATE_NOOP(
    "ReportCli",
    "The report could not be written to {path}: {error}. Choose a file in a folder you "
    "may write to.",
)
_WROTE_DAILY = QT_TRANSLATE_NOOP(
    "ReportCli",
    "Wrote {path}: {day}, office {office}, {windows} windows, {printed} printed, {voids} "
    "voided, {refusals} refused. Data of this workstation only.",
)
_WROTE_RETENTION = QT_TRANSLATE_NOOP(
    "ReportCli",
    "Wrote {path}: office {office}, {disposal} certificates' materials may be disposed "
    "of, {problems} problem-list entries.",
)


def add_report_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``report daily`` and ``report retention`` to the program's subcommands."""
    report = commands.add_parser(
        "report",
        help="write the daily print summary or the retention report to a PDF or xlsx file, "
        "from this machine's database (no e-key needed)",
    )
    kinds = report.add_subparsers(dest="report_kind", required=True)

    daily = kinds.add_parser("daily", help="daily print summary (每日打证统计) of one day")
    daily.add_argument("--date", required=True, help="China Standard Time date as YYYY-MM-DD")
    _common_arguments(daily)

    retention = kinds.add_parser(
        "retention",
        help="certificate materials due for disposal and where problem-list materials are kept",
    )
    retention.add_argument(
        "--on", help="list materials that may be disposed of on this date (default today)"
    )
    _common_arguments(retention)


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--office", required=True, help="office code (6, 9 or 12 digits); offices below it count"
    )
    # A string, not a Path: Path("") would turn an empty --out into the current folder.
    parser.add_argument(
        "--out", required=True, help="output file; .pdf or .xlsx chooses the format"
    )
    # SUPPRESS keeps a --config given before "report" when none is given here.
    parser.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="configuration file (default: as for the program)",
    )


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """Write the requested report; returns 0, 2 for invalid input or 1 for a failure."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from fpcert_desktop.services.context import ServiceError
    from fpcert_desktop.services.reports import ReportService, checked_office_code
    from fpcert_desktop.services.setup import database_service_error, open_services

    if not args.out.strip():
        return _fail(_NO_OUTPUT.format(), 2)
    out = Path(args.out)
    problem = _output_problem(out)
    if problem is not None:
        return _fail(problem, 2)
    day: date | None = None
    text = args.date if args.report_kind == "daily" else args.on
    if text is not None:
        day, problem = _parse_date(text)
        if problem is not None:
            return _fail(problem, 2)
    if args.report_kind == "daily" and day is not None and not is_reportable_day(day):
        first, last = FIRST_REPORT_DAY.isoformat(), LAST_REPORT_DAY.isoformat()
        return _fail(_DAY_OUT_OF_RANGE.format(text=text, first=first, last=last), 2)
    try:
        checked_office_code(args.office)
    except ServiceError as error:
        return _fail(error.message, 2)

    database_path: Path | None = None
    try:
        # Read-only: the report neither creates nor migrates the database.
        services = open_services(settings, read_only=True)
        database_path = services.context.database.path
        # Local data only: no server settings, because no e-key signs a clerk session.
        reports = ReportService(services.context)
        office = reports.check_office(None, args.office)
        if args.report_kind == "daily":
            assert day is not None
            content, summary = _daily(reports, day, office.code, out)
        else:
            content, summary = _retention(reports, office.code, day, out)
    except ServiceError as error:
        return _fail(error.message, 2 if error.code in _INPUT_ERROR_CODES else 1)
    except (SQLAlchemyError, sqlite3.Error) as error:
        # A damaged page may only show when a query reaches it.
        if database_path is None:
            raise
        service_error = database_service_error(database_path, error)
        if service_error is None:
            raise
        return _fail(service_error.message, 1)

    try:
        out.write_bytes(content)
    except OSError as error:
        # INFO, not ERROR: the console handler would repeat it in English next to the message.
        log.info("report %s not written to %s: %s", args.report_kind, out, error)
        return _fail(_UNWRITABLE.format(path=str(out), error=describe_os_error(error)), 1)
    log.info("report %s of office %s written to %s", args.report_kind, args.office, out)
    print(str(summary))
    return 0


def _daily(reports: ReportService, day: date, office: str, out: Path) -> tuple[bytes, Message]:
    from fpcert_desktop.printing.report_pdf import render_daily_report
    from fpcert_desktop.printing.report_xlsx import daily_report_xlsx

    report = reports.daily(None, day, office)
    content = (
        render_daily_report(report) if out.suffix.lower() == ".pdf" else daily_report_xlsx(report)
    )
    summary = _WROTE_DAILY.format(
        path=str(out),
        day=day.isoformat(),
        office=office,
        windows=len(report.rows),
        printed=report.totals.printed,
        voids=report.totals.voids,
        refusals=report.totals.refusals,
    )
    return content, summary


def _retention(
    reports: ReportService, office: str, on: date | None, out: Path
) -> tuple[bytes, Message]:
    from fpcert_desktop.printing.report_pdf import render_retention_report
    from fpcert_desktop.printing.report_xlsx import retention_report_xlsx

    report = reports.retention(None, office, on)
    content = (
        render_retention_report(report)
        if out.suffix.lower() == ".pdf"
        else retention_report_xlsx(report)
    )
    summary = _WROTE_RETENTION.format(
        path=str(out),
        office=office,
        disposal=len(report.disposal),
        problems=len(report.problem_materials),
    )
    return content, summary


def _parse_date(text: str) -> tuple[date | None, Message | None]:
    """Parse YYYY-MM-DD in ASCII digits; return the date, or None and the problem."""
    if not _DATE_PATTERN.fullmatch(text):
        return None, _BAD_DATE.format(text=text)
    year, month, day = (int(part) for part in text.split("-"))
    try:
        return date(year, month, day), None
    except ValueError:
        return None, _NO_SUCH_DAY.format(text=text)


def _output_problem(out: Path) -> Message | None:
    if out.suffix.lower() not in SUFFIXES:
        return _BAD_SUFFIX.format(path=str(out))
    folder = out.resolve().parent
    if not folder.is_dir():
        return _NO_FOLDER.format(folder=str(folder))
    return None


def _fail(message: Message, code: int) -> int:
    print(str(message), file=sys.stderr)
    return code
