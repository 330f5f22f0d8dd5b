"""The daily print summary (每日打证统计) and the retention report, for supervisors.

Who may read which office: a supervisor or administrator reads their own office and
every office below it. A print clerk reads their own office only, and a partner-unit
user reads none. The command line has no e-key and no user: it reads any office in this
machine's database, so the database file's permissions are its only guard.

When a central server is configured and responds, the counts come from it, so a street
or district supervisor sees every window below them. Otherwise they come from this
workstation's database, and the report says so (:data:`LOCAL_ONLY_NOTE`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.history import ProblemCategory
from fpcert_desktop.domain.idnumber import mask_id_number
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.reports import (
    FIRST_REPORT_DAY,
    LAST_REPORT_DAY,
    DailyReport,
    DisposalLine,
    ProblemMaterialsLine,
    ReportSource,
    RetentionReport,
    build_daily_report,
    comparison_window,
    is_reportable_day,
)
from fpcert_desktop.domain.users import Role
from fpcert_desktop.ekey.errors import EKeyError
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import (
    IssuanceRepository,
    OfficeRepository,
    OutboxRepository,
    PeopleRepository,
    ProblemListRepository,
)
from fpcert_desktop.storage.repositories.reports import ReportFactsRepository
from fpcert_desktop.sync import errors as sync_errors
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.credentials import load_credentials
from fpcert_desktop.sync.errors import SyncAuthError, SyncConfigError, SyncError
from fpcert_desktop.sync.protocol import ClerkSession, WorkstationCredentials

log = logging.getLogger(__name__)

# A cached clerk session is dropped this long before the server's expiry.
SESSION_MARGIN = timedelta(minutes=5)
MAX_PROBLEM_ENTRIES = 10_000
# Few attempts, because the local report is the fallback and the supervisor waits.
SERVER_ATTEMPTS = 2

LOCAL_ONLY_NOTE = QT_TRANSLATE_NOOP(
    "Reports",
    "Data of this workstation only: the central server was not reached, so other "
    "windows are missing.",
)
SERVER_NOTE = QT_TRANSLATE_NOOP(
    "Reports", "Data of the central server: every window of the office and the offices below it."
)
# ASCII digits only: a full-width code would never match an office in the database.
OFFICE_CODE_PATTERN = re.compile(r"[0-9]{6}|[0-9]{9}|[0-9]{12}")

_BAD_OFFICE_CODE = QT_TRANSLATE_NOOP(
    "Reports",
    'The office code "{code}" is not valid. An office code has 6, 9 or 12 digits, for '
    "example 440304004.",
)
_DAY_OUT_OF_RANGE = QT_TRANSLATE_NOOP(
    "Reports",
    "No daily report can be made for {day}. Choose a day from {first} to {last}.",
)
_UNKNOWN_OFFICE = QT_TRANSLATE_NOOP(
    "Reports",
    "Office {code} is not in this workstation's database. Check the code (6, 9 or 12 "
    "digits) or synchronize, then try again.",
)
_PARTNER_DENIED = QT_TRANSLATE_NOOP(
    "Reports",
    "A partner-unit user may not read the print reports. Ask the office's supervisor.",
)
_OUTSIDE_OFFICE = QT_TRANSLATE_NOOP(
    "Reports",
    "Office {code} is outside your office {own}. You may read your own office and the "
    "offices below it.",
)
_CLERK_OWN_OFFICE = QT_TRANSLATE_NOOP(
    "Reports",
    "A print clerk may read the report of their own office {own} only. Ask a supervisor "
    "for office {code}.",
)

Signer = Callable[[bytes], bytes]


def checked_office_code(text: str) -> str:
    """Return ``text`` without surrounding spaces; raises ServiceError unless 6, 9 or 12 digits."""
    code = text.strip()
    if not OFFICE_CODE_PATTERN.fullmatch(code):
        raise ServiceError(_BAD_OFFICE_CODE.format(code=code), code="invalid_office_code")
    return code


class ReportService:
    def __init__(
        self,
        context: ServiceContext,
        settings: Settings | None = None,
        *,
        credentials: Callable[[], WorkstationCredentials | None] = load_credentials,
        client_factory: Callable[[], SyncClient] | None = None,
    ) -> None:
        self._context = context
        self._settings = settings or Settings()
        self._credentials = credentials
        self._client_factory = client_factory
        self._clerk_session: ClerkSession | None = None

    def today(self) -> date:
        return china_date(self._context.clock())

    def offices_for(self, session: UserSession | None) -> list[Office]:
        """List the offices the user may pick, their own first; every office for the CLI."""
        with self._context.database.session() as db:
            offices = OfficeRepository(db).all()
        if session is None:
            return offices
        if session.user.role is Role.PARTNER:
            return []
        own = session.office
        if session.user.role is Role.CLERK:
            return [own]
        below = [
            office for office in offices if office.code != own.code and own.contains(office.code)
        ]
        return [own, *below]

    def check_office(self, session: UserSession | None, office_code: str) -> Office:
        """Return the office if it is known and ``session`` may read it, else raise."""
        code = checked_office_code(office_code)
        with self._context.database.session() as db:
            office = OfficeRepository(db).get(code)
        if office is None:
            raise ServiceError(_UNKNOWN_OFFICE.format(code=code), code="unknown_office")
        if session is None:
            return office
        role, own = session.user.role, session.office
        if role is Role.PARTNER:
            raise ServiceError(_PARTNER_DENIED.format(), code="report_denied")
        if role is Role.CLERK and office.code != own.code:
            raise ServiceError(
                _CLERK_OWN_OFFICE.format(own=own.code, code=office.code), code="report_denied"
            )
        if not own.contains(office.code):
            raise ServiceError(
                _OUTSIDE_OFFICE.format(own=own.code, code=office.code), code="report_denied"
            )
        return office

    def daily(
        self,
        session: UserSession | None,
        day: date,
        office_code: str,
        *,
        sign: Signer | None = None,
    ) -> DailyReport:
        """Build the report of ``day`` for the office and the offices below it.

        With a server configured, a session and ``sign`` (the e-key's signature of the
        server's challenge), the server is asked first. Any failure there falls back to
        this workstation's database and is logged with the reason.
        """
        if not is_reportable_day(day):
            raise ServiceError(
                _DAY_OUT_OF_RANGE.format(
                    day=day.isoformat(),
                    first=FIRST_REPORT_DAY.isoformat(),
                    last=LAST_REPORT_DAY.isoformat(),
                ),
                code="invalid_date",
            )
        office = self.check_office(session, office_code)
        reason = self._why_not_server(session, sign)
        if not reason:
            assert session is not None and sign is not None
            try:
                return self._from_server(session, sign, day, office)
            except (SyncError, EKeyError, TimeoutError) as error:
                reason = f"{type(error).__name__}: {error}"
        log.info("daily report of %s for %s from the local database (%s)", office.code, day, reason)
        report = self.local_daily(day, office)
        return replace(report, fallback_reason=reason)

    def local_daily(self, day: date, office: Office) -> DailyReport:
        """Count ``day`` from this workstation's database alone."""
        first, last = comparison_window(day)
        prefix = _area_prefix(office)
        with self._context.database.session() as db:
            facts = ReportFactsRepository(db)
            issuances = facts.issuances(first, last, prefix)
            events = facts.events(first, last, prefix)
            office_names = facts.office_names()
            clerk_names = facts.clerk_names()
            pending = OutboxRepository(db).count_pending()
        return build_daily_report(
            day,
            office,
            issuances,
            events,
            office_names=office_names,
            clerk_names=clerk_names,
            purpose_names=self._purpose_names(),
            source=ReportSource.LOCAL,
            generated_at=self._context.clock(),
            outbox_pending=pending,
        )

    def retention(
        self, session: UserSession | None, office_code: str, on: date | None = None
    ) -> RetentionReport:
        """List the certificate materials that may be disposed of by ``on`` (default today)
        and where the problem-list materials of the office's area are filed."""
        office = self.check_office(session, office_code)
        on = on or self.today()
        prefix = _area_prefix(office)
        with self._context.database.session() as db:
            people = PeopleRepository(db)
            disposal = []
            for issuance in IssuanceRepository(db).due_for_disposal(on, prefix):
                person = people.get(issuance.person_id)
                assert issuance.dispose_after is not None
                disposal.append(
                    DisposalLine(
                        number=str(issuance.number),
                        applicant_name=person.name if person else "",
                        purpose_name=self._purpose_names().get(
                            issuance.purpose_code, issuance.purpose_code
                        ),
                        issued_on=china_date(issuance.issued_at),
                        dispose_after=issuance.dispose_after,
                        voided=issuance.voided_at is not None,
                    )
                )
            entries = ProblemListRepository(db).search(
                office_code_prefix=prefix, include_removed=True, limit=MAX_PROBLEM_ENTRIES
            )
            materials = []
            for entry in entries:
                person = people.get(entry.person_id)
                materials.append(
                    ProblemMaterialsLine(
                        name=person.name if person else "",
                        masked_id_number=mask_id_number(person.id_number) if person else "",
                        category=str(ProblemCategory(entry.category).label.format()),
                        listed_on=entry.listed_on,
                        materials_location=entry.materials_location,
                        office_code=entry.office_code,
                        removed_on=entry.removed_on,
                    )
                )
        return RetentionReport(
            on=on,
            office_code=office.code,
            office_name=office.name,
            generated_at=self._context.clock(),
            disposal=tuple(disposal),
            problem_materials=tuple(materials),
        )

    # -- the server -------------------------------------------------------------------

    def _why_not_server(self, session: UserSession | None, sign: Signer | None) -> str:
        if not self._settings.server_url and self._client_factory is None:
            return "no server configured"
        if session is None or sign is None or not session.certificate_der:
            return "no e-key session to open a clerk session"
        return ""

    def _from_server(
        self, session: UserSession, sign: Signer, day: date, office: Office
    ) -> DailyReport:
        client = self._client()
        token = self._token(client, session, sign)
        try:
            report = client.daily_report(office.code, day, session_token=token)
        except SyncAuthError:
            # The cached session may have ended on the server: open a new one once.
            self._clerk_session = None
            token = self._token(client, session, sign)
            report = client.daily_report(office.code, day, session_token=token)
        with self._context.database.session() as db:
            pending = OutboxRepository(db).count_pending()
        report = report.with_purpose_names(self._purpose_names())
        return replace(report, outbox_pending=pending)

    def _client(self) -> SyncClient:
        if self._client_factory is not None:
            return self._client_factory()
        credentials = self._credentials()
        if credentials is None:
            raise SyncConfigError(sync_errors.NOT_ENROLLED.format(), code="not_enrolled")
        return SyncClient(
            self._settings.server_url,
            workstation_credentials=credentials,
            ca_bundle=self._settings.ca_bundle or None,
            max_attempts=SERVER_ATTEMPTS,
        )

    def _token(self, client: SyncClient, session: UserSession, sign: Signer) -> str:
        cached = self._clerk_session
        now = self._context.clock()
        if (
            cached is not None
            and cached.user_id == session.user.user_id
            and cached.expires_at - SESSION_MARGIN > now
        ):
            return cached.token
        self._clerk_session = client.start_session(sign, session.certificate_der)
        return self._clerk_session.token

    def _purpose_names(self) -> dict[str, str]:
        return {purpose.code: purpose.name for purpose in self._context.policy.purposes}


def _area_prefix(office: Office) -> str:
    """Return the code prefix of every office below ``office``; a city covers its 4 digits."""
    return office.code[:4] if office.level is OfficeLevel.CITY else office.code
