"""Assemble the services from the machine-wide settings."""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.history import Institution
from fpcert_desktop.domain.institutions import load_institutions
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.printing.cups import CupsPrinter, default_cups_queue
from fpcert_desktop.printing.printer import Printer
from fpcert_desktop.services.auth import AuthService
from fpcert_desktop.services.context import ServiceContext, ServiceError, Workstation
from fpcert_desktop.services.issuing import IssuingService
from fpcert_desktop.services.problem_list import ProblemListService
from fpcert_desktop.services.query import QueryService
from fpcert_desktop.services.referrals import ReferralService
from fpcert_desktop.services.reports import ReportService
from fpcert_desktop.services.sync_service import SyncService
from fpcert_desktop.services.user_changes import UserChangeService
from fpcert_desktop.storage.db import (
    Database,
    DatabaseFileError,
    default_database_path,
    file_error_from,
)
from fpcert_desktop.storage.repositories import OfficeRepository
from fpcert_desktop.storage.repositories.sync import (
    synced_institutions as institutions_from_sync,
)

log = logging.getLogger(__name__)

_NO_DATABASE_FOLDER = QT_TRANSLATE_NOOP(
    "Setup",
    "The setting database_path is {path}, but the folder {folder} does not exist. Correct "
    "the setting or create the folder, then start the program again.",
)
_NO_PRINTER = QT_TRANSLATE_NOOP(
    "Setup",
    "No printer is configured and the system has no default printer. Set the printer "
    "setting in the configuration file, or make a printer the default, then print again.",
)


@dataclass
class Services:
    context: ServiceContext
    auth: AuthService
    query: QueryService
    issuing: IssuingService
    problem_list: ProblemListService
    referrals: ReferralService
    sync: SyncService
    reports: ReportService
    user_changes: UserChangeService

    def districts(self) -> list[Office]:
        with self.context.database.session() as db:
            offices = OfficeRepository(db).all()
        return sorted(
            (office for office in offices if office.level is OfficeLevel.DISTRICT),
            key=lambda office: office.code,
        )


def database_for(settings: Settings, *, read_only: bool = False) -> Database:
    """Open the configured database; its folder must exist, so a typo is not a new database."""
    if not settings.database_path:
        return Database(default_database_path(), read_only=read_only)
    path = Path(settings.database_path)
    if not path.parent.is_dir():
        raise ServiceError(
            _NO_DATABASE_FOLDER.format(path=str(path), folder=str(path.parent)),
            code="database_folder_missing",
        )
    return Database(path, read_only=read_only)


def database_service_error(path: Path, error: BaseException) -> ServiceError | None:
    """Return the ServiceError for a database file problem, or None for any other error.

    The code is the :class:`DatabaseProblem` value prefixed with ``database_``.
    """
    problem = error if isinstance(error, DatabaseFileError) else file_error_from(path, error)
    if problem is None:
        return None
    log.info("database %s unusable: %s", path, problem.problem.value, exc_info=error)
    return ServiceError(problem.message, code=f"database_{problem.problem.value}")


def printer_name(settings: Settings) -> str:
    """Return the configured queue, else the system default, else an empty string."""
    if settings.printer:
        return settings.printer
    if sys.platform.startswith("linux"):
        return default_cups_queue() or ""
    return ""


def cups_printer_factory(settings: Settings) -> Callable[[], Printer]:
    def factory() -> Printer:
        name = printer_name(settings)
        if not name:
            raise ServiceError(_NO_PRINTER.format(), code="no_printer")
        return CupsPrinter(name)

    return factory


def synced_institutions(database: Database) -> tuple[Institution, ...]:
    """Return the institutions pulled from the server; empty until the first sync.

    Once the server has sent its list, it replaces the list bundled with the program.
    """
    with database.session() as db:
        return institutions_from_sync(db)


def open_database(settings: Settings, *, read_only: bool = False) -> Database:
    """Open the configured database, created or migrated to the newest schema.

    With ``read_only`` the file is opened read-only and must already be at the newest
    schema. A file that cannot be used raises a ServiceError whose code starts with
    ``database_``.
    """
    database = database_for(settings, read_only=read_only)
    try:
        if read_only:
            database.require_newest()
        else:
            database.upgrade()
    except (DatabaseFileError, SQLAlchemyError, sqlite3.Error) as error:
        service_error = database_service_error(database.path, error)
        if service_error is None:
            raise
        raise service_error from error
    return database


def open_services(
    settings: Settings,
    *,
    printer_factory: Callable[[], Printer] | None = None,
    read_only: bool = False,
) -> Services:
    """Open the database with :func:`open_database`, load the policy, build the use cases."""
    database = open_database(settings, read_only=read_only)
    try:
        institutions = synced_institutions(database)
    except (SQLAlchemyError, sqlite3.Error) as error:
        service_error = database_service_error(database.path, error)
        if service_error is None:
            raise
        raise service_error from error
    policy = load_policy()
    log.info("policy %s in force; database %s", policy.version, database.path)
    context = ServiceContext(
        database=database,
        policy=policy,
        workstation=Workstation(code=settings.workstation_code, office_code=settings.office_code),
        printer_factory=printer_factory or cups_printer_factory(settings),
        institutions=institutions or load_institutions(),
        sync_required=bool(settings.server_url),
    )
    return Services(
        context=context,
        auth=AuthService(context),
        query=QueryService(context),
        issuing=IssuingService(context),
        problem_list=ProblemListService(context),
        referrals=ReferralService(context),
        sync=SyncService(context, settings),
        reports=ReportService(context, settings),
        user_changes=UserChangeService(context),
    )
