"""Find the applicant: by ID number first, by name second. Every query is audited."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from fpcert_desktop.domain.archive_card import ArchiveCardGuidance, archive_card_guidance
from fpcert_desktop.domain.certificate import format_chinese_date
from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.eligibility import Decision, decide, problem_list_banner
from fpcert_desktop.domain.history import ApplicantHistory
from fpcert_desktop.domain.idnumber import (
    IdNumber,
    InvalidIdNumber,
    looks_like_id_number,
    parse_id_number,
)
from fpcert_desktop.domain.people import HukouCategory, Person
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.printing.printer import PrintResult
from fpcert_desktop.printing.slip import SlipContent, render_slip
from fpcert_desktop.services import audit
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import (
    PeopleRepository,
    PersonSummary,
    ReferralRepository,
    history_for,
)

ARCHIVE_CARD_SLIP_TITLE = "人口档案卡建档指引"

log = logging.getLogger(__name__)

# Names are Han characters (any plane), with the middle dot of minority names.
_NAME_PATTERN = re.compile(r"^[\u3400-\u9fff\U00020000-\U0003134F\uf900-\ufaff·•．.]{1,20}$")

MAX_NAME_RESULTS = 50

_EMPTY_QUERY = QT_TRANSLATE_NOOP(
    "Query", "Type the applicant's ID number (18 characters) or name, then press Enter."
)
_PARTIAL_ID = QT_TRANSLATE_NOOP(
    "Query",
    "{typed} digits were typed, but an ID number has 18 characters (or 15 on old cards). "
    "Type the whole number from the ID card.",
)
_BAD_NAME = QT_TRANSLATE_NOOP(
    "Query",
    "{text!r} is neither an ID number nor a Chinese name. Type the 18-character ID number, "
    "or the name in Chinese characters (a minority name with ·).",
)
_NOT_REGISTERED = QT_TRANSLATE_NOOP(
    "Query",
    "No record with ID number {masked} is in the provincial data held here. The applicant "
    "must first have a population archive card (人口档案卡) made and be registered in the "
    "provincial system; the guidance below says where. Print it as a slip for the "
    "applicant. The certificate is printed after the record has arrived.",
)
_NO_NAME_MATCH = QT_TRANSLATE_NOOP(
    "Query",
    "No person named {name} was found. Check the characters, or search by ID number.",
)
_NO_NAME_MATCH_NARROWED = QT_TRANSLATE_NOOP(
    "Query",
    "No person named {name} was found with the chosen birth year or district. Clear "
    "them, check the characters, or search by ID number.",
)
_NAME_MATCHES = QT_TRANSLATE_NOOP(
    "Query", "{count} people found. Choose the applicant and compare the ID number."
)
_TOO_MANY = QT_TRANSLATE_NOOP(
    "Query",
    "More than {count} people match {name}; the first {count} are shown. Narrow the "
    "search by birth year or district, or search by ID number.",
)
_PERSON_GONE = QT_TRANSLATE_NOOP("Query", "The record was not found any more. Search again.")


@dataclass(frozen=True)
class SearchOutcome:
    """People found for one query, with a message for the status line."""

    people: tuple[PersonSummary, ...]
    message: Message
    by_id_number: bool
    unregistered: IdNumber | None = None


@dataclass(frozen=True)
class PersonView:
    """A person's record with today's decision for every purpose and the problem-list banner."""

    person: Person
    decisions: tuple[Decision, ...]
    history: ApplicantHistory
    banner: Message | None = None


class QueryService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def search(
        self,
        session: UserSession,
        text: str,
        *,
        birth_year: int | None = None,
        district_code: str | None = None,
    ) -> SearchOutcome:
        """Search by ID number when ``text`` looks like one, else by name (exact, then prefix)."""
        text = text.strip()
        if not text:
            raise ServiceError(_EMPTY_QUERY.format(), code="empty_query")
        if looks_like_id_number(text) or _mostly_digits(text):
            # An almost-complete number is parsed too, so the clerk gets the exact reason
            # (a letter at position 9, a wrong check character) instead of "not a name".
            return self._search_id_number(session, text)
        if text.isdigit():
            raise ServiceError(_PARTIAL_ID.format(typed=len(text)), code="partial_id_number")
        if not _NAME_PATTERN.match(text):
            raise ServiceError(_BAD_NAME.format(text=text[:20]), code="invalid_name")
        return self._search_name(session, text, birth_year, district_code)

    def open_person(self, session: UserSession, person_id: int) -> PersonView:
        """Load one record read-only and decide every purpose for this office today."""
        with self._context.database.write_session() as db:
            person = PeopleRepository(db).get(person_id)
            if person is None:
                raise ServiceError(_PERSON_GONE.format(), code="person_not_found")
            today = _today(self._context)
            ReferralRepository(db).resolve_superseded(
                person.person_id, person.record_version, on=today
            )
            history = history_for(db, person.person_id)
            audit.record(
                db,
                "view",
                workstation=session.workstation,
                user=session,
                subject=parse_id_number(person.id_number).masked,
                person_id=person.person_id,
            )
        policy = self._context.policy
        decisions = tuple(
            decide(
                policy,
                session.office,
                person,
                purpose,
                today=today,
                history=history,
                institutions=self._context.institutions,
            )
            for purpose in policy.purposes
        )
        banner = problem_list_banner(history, today, policy=policy)
        return PersonView(person=person, decisions=decisions, history=history, banner=banner)

    def archive_card_guidance(
        self,
        session: UserSession,
        id_number: str,
        *,
        hukou: HukouCategory | None = None,
        moving_in: bool = False,
    ) -> ArchiveCardGuidance:
        """Tell where an applicant who is not on record must have the archive card made."""
        parsed = self._parse(id_number)
        return archive_card_guidance(parsed, hukou=hukou, moving_in=moving_in)

    def print_archive_card_slip(
        self,
        session: UserSession,
        id_number: str,
        *,
        hukou: HukouCategory | None = None,
        moving_in: bool = False,
    ) -> PrintResult:
        """Print the guidance as a slip for the applicant; raises ``PrintingError``."""
        parsed = self._parse(id_number)
        guidance = archive_card_guidance(parsed, hukou=hukou, moving_in=moving_in)
        today = _today(self._context)
        slip = SlipContent(
            title=ARCHIVE_CARD_SLIP_TITLE,
            facts=(),
            body=guidance.slip_text_zh,
            office_name=session.office.name,
            date_text=format_chinese_date(today),
        )
        pdf = render_slip(slip)
        printer = self._context.printer_factory()
        result = printer.print_pdf(pdf, title=ARCHIVE_CARD_SLIP_TITLE, timeout=90.0)
        with self._context.database.write_session() as db:
            audit.record(
                db,
                "slip",
                workstation=session.workstation,
                user=session,
                subject=parsed.masked,
                category=guidance.category.value,
                printer=result.printer,
            )
        return result

    def _parse(self, id_number: str) -> IdNumber:
        try:
            return parse_id_number(id_number)
        except InvalidIdNumber as error:
            raise ServiceError(error.message, code=f"invalid_id_number:{error.reason}") from error

    def _search_id_number(self, session: UserSession, text: str) -> SearchOutcome:
        try:
            id_number = parse_id_number(text)
        except InvalidIdNumber as error:
            raise ServiceError(error.message, code=f"invalid_id_number:{error.reason}") from error
        with self._context.database.write_session() as db:
            person = PeopleRepository(db).get_by_id_number(id_number.value)
            found = () if person is None else (_summary(person),)
            audit.record(
                db,
                "query",
                workstation=session.workstation,
                user=session,
                subject=id_number.masked,
                kind="id_number",
                results=len(found),
            )
        if not found:
            message = _NOT_REGISTERED.format(masked=id_number.masked)
            return SearchOutcome((), message, True, unregistered=id_number)
        return SearchOutcome(found, _NAME_MATCHES.format(count=1), True)

    def _search_name(
        self,
        session: UserSession,
        name: str,
        birth_year: int | None,
        district_code: str | None,
    ) -> SearchOutcome:
        with self._context.database.write_session() as db:
            found = tuple(
                PeopleRepository(db).search_by_name(
                    name,
                    birth_year=birth_year,
                    district_code=district_code,
                    limit=MAX_NAME_RESULTS + 1,
                )
            )
            truncated = len(found) > MAX_NAME_RESULTS
            found = found[:MAX_NAME_RESULTS]
            audit.record(
                db,
                "query",
                workstation=session.workstation,
                user=session,
                subject=f"name:{name[0]}{'*' * (len(name) - 1)}",
                kind="name",
                birth_year=birth_year,
                district_code=district_code,
                results=len(found),
            )
        if not found:
            narrowed = birth_year is not None or district_code is not None
            template = _NO_NAME_MATCH_NARROWED if narrowed else _NO_NAME_MATCH
            return SearchOutcome((), template.format(name=name), False)
        if truncated:
            message = _TOO_MANY.format(name=name, count=MAX_NAME_RESULTS)
            return SearchOutcome(found, message, False)
        return SearchOutcome(found, _NAME_MATCHES.format(count=len(found)), False)


def _mostly_digits(text: str) -> bool:
    """Tell whether the text is an attempt at an 18-character ID number."""
    compact = "".join(text.split())
    digits = sum(character.isdigit() for character in compact)
    return len(compact) >= 15 and digits >= len(compact) - 2


def _summary(person: Person) -> PersonSummary:
    return PersonSummary(
        person_id=person.person_id,
        name=person.name,
        sex=person.sex,
        birth_date=person.birth_date,
        masked_id_number=parse_id_number(person.id_number).masked,
        district_code=person.residence_division_code[:6],
        residence_address=person.residence_address,
    )


def _today(context: ServiceContext) -> date:
    return china_date(context.clock())
