"""The user change form (用户变更表) of district and street administrators.

Staff changes are reported to the city commission, which issues the logins and e-keys.
Each level's administrator reports its own level and the levels below: a street office
its street and the street's community workstations, a district office the district, its
streets and their communities. Rows are recorded, edited or removed until the form is
exported. The export files them and saves a snapshot of the registry, which the next
proposals are compared with. Every change is audited with masked ID numbers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import china_date
from fpcert_desktop.domain.idnumber import mask_id_number
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.user_changes import (
    InvalidUserChange,
    UserChange,
    UserChangeDraft,
    propose_changes,
    validate_change,
)
from fpcert_desktop.domain.users import Role
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.oserrors import describe_os_error
from fpcert_desktop.printing.user_change_xls import file_name, write_user_change_form
from fpcert_desktop.services import audit
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.storage.repositories import OfficeRepository
from fpcert_desktop.storage.repositories.user_changes import (
    UserChangeFiling,
    UserChangeRepository,
)
from fpcert_desktop.synthetic.divisions import read_divisions

log = logging.getLogger(__name__)

MAX_FILLER_LENGTH = 32

_NOT_ADMINISTRATOR = QT_TRANSLATE_NOOP(
    "UserChanges",
    "Only the administrator of a district or street office may fill in the user change "
    "form. Ask your office's administrator.",
)
_OUTSIDE_AREA = QT_TRANSLATE_NOOP(
    "UserChanges",
    "The unit {unit} is not your office or an office below it. Each administrator reports "
    "the staff of its own level and the levels below; the office above or beside yours "
    "reports its own staff.",
)
_NAME_CONFLICT = QT_TRANSLATE_NOOP(
    "UserChanges",
    "The ID number {id_number} is already on row {row} of this form under the name {other}, "
    "not {name}. Correct the ID number or the name so that one person has one name.",
)
_ROW_GONE = QT_TRANSLATE_NOOP(
    "UserChanges", "Row {row} of the user change form was not found. Refresh the list."
)
_ROW_FILED = QT_TRANSLATE_NOOP(
    "UserChanges",
    "Row {row} was already filed on an exported form and cannot be changed. Record a new row.",
)
_ROW_OTHER_FORM = QT_TRANSLATE_NOOP(
    "UserChanges",
    "Row {row} belongs to the form of office {office}, not yours, so you may not change it.",
)
_FILLER_MISSING = QT_TRANSLATE_NOOP(
    "UserChanges",
    "Enter the name of the person filling in the form (填表人), at most {limit} characters.",
)
_NOTHING_TO_FILE = QT_TRANSLATE_NOOP(
    "UserChanges",
    "The form has no rows. Record the changes, or accept proposals from the registry, "
    "before exporting.",
)
_NOT_WRITTEN = QT_TRANSLATE_NOOP(
    "UserChanges",
    "The file {path} could not be written ({problem}). Choose another folder, for example "
    "the desktop, and export again.",
)


@dataclass(frozen=True)
class Unit:
    """An office the administrator may report for, with the name the form's 单位 column shows."""

    code: str
    name: str


@dataclass(frozen=True)
class ExportResult:
    filing: UserChangeFiling
    path: Path
    lines: int


class UserChangeService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    @staticmethod
    def may_report(session: UserSession) -> bool:
        """Tell whether the user fills in a user change form: a district or street administrator."""
        return session.user.role is Role.ADMINISTRATOR and session.office.level in (
            OfficeLevel.DISTRICT,
            OfficeLevel.STREET,
        )

    def units(self, session: UserSession) -> list[Unit]:
        """Return the offices the administrator reports for: its own first, then those below."""
        self._require_administrator(session)
        with self._context.database.session() as db:
            offices = OfficeRepository(db)
            return _units_in_scope(offices.all(), session.office)

    def pending(self, session: UserSession) -> list[UserChange]:
        self._require_administrator(session)
        with self._context.database.session() as db:
            return UserChangeRepository(db).pending(session.office.code)

    def record(self, session: UserSession, draft: UserChangeDraft) -> UserChange:
        self._require_administrator(session)
        change = self._validated(session, draft)
        with self._context.database.write_session() as db:
            change = self._in_unit(session, db, change)
            _check_one_name_per_person(
                change, UserChangeRepository(db).pending(session.office.code), skip=None
            )
            stored = UserChangeRepository(db).add(
                change,
                reporting_office_code=session.office.code,
                recorded_by=session.user.user_id,
                at=self._context.clock(),
            )
            audit.record(
                db,
                "user_change_record",
                workstation=session.workstation,
                user=session,
                subject=mask_id_number(stored.person.id_number),
                change=stored.change_id,
                change_type=stored.change_type.value,
                unit=stored.unit_office_code,
            )
        log.info("user change row %s recorded", stored.change_id)
        return stored

    def edit(self, session: UserSession, change_id: int, draft: UserChangeDraft) -> UserChange:
        self._require_administrator(session)
        change = self._validated(session, draft)
        with self._context.database.write_session() as db:
            repository = UserChangeRepository(db)
            self._require_own_pending(session, repository, change_id)
            change = self._in_unit(session, db, change)
            _check_one_name_per_person(
                change, repository.pending(session.office.code), skip=change_id
            )
            stored = repository.update(change_id, change, at=self._context.clock())
            audit.record(
                db,
                "user_change_edit",
                workstation=session.workstation,
                user=session,
                subject=mask_id_number(stored.person.id_number),
                change=change_id,
                change_type=stored.change_type.value,
                unit=stored.unit_office_code,
            )
        log.info("user change row %s edited", change_id)
        return stored

    def remove(self, session: UserSession, change_id: int) -> UserChange:
        self._require_administrator(session)
        with self._context.database.write_session() as db:
            repository = UserChangeRepository(db)
            self._require_own_pending(session, repository, change_id)
            removed = repository.remove(change_id)
            audit.record(
                db,
                "user_change_remove",
                workstation=session.workstation,
                user=session,
                subject=mask_id_number(removed.person.id_number),
                change=change_id,
                change_type=removed.change_type.value,
            )
        log.info("user change row %s removed", change_id)
        return removed

    def propose(self, session: UserSession) -> list[UserChangeDraft]:
        """Propose rows from the registry's changes since the last filed form.

        Before the first filing every active user with an e-key in the area is proposed
        as a new key, since no earlier state is known. A change already recorded on any
        form of this database for a unit in the area, such as a street's own form seen
        from its district, is not proposed again.
        """
        self._require_administrator(session)
        with self._context.database.session() as db:
            repository = UserChangeRepository(db)
            units = _units_in_scope(OfficeRepository(db).all(), session.office)
            current = repository.registry(session.office.code)
            last = repository.last_filing(session.office.code)
            baseline = repository.snapshot(last.filing_id) if last else []
            recorded = repository.in_area(session.office.code)
            known = repository.known_people(session.office.code)
        return propose_changes(
            current, baseline, recorded, {unit.code: unit.name for unit in units}, known
        )

    def default_file_name(self, session: UserSession, on: date | None = None) -> str:
        """Return the regulation's file name for a form filed today (China Standard Time)."""
        self._require_administrator(session)
        district_name = _division_names().get(session.office.district_code)
        if district_name is None:
            with self._context.database.session() as db:
                district = OfficeRepository(db).get(session.office.district_code)
            district_name = district.name if district else session.office.district_code
        return file_name(district_name, on or self._today())

    def export(self, session: UserSession, filler: str, path: Path) -> ExportResult:
        """Write the pending rows to ``path`` and file them, with today's date on the form."""
        self._require_administrator(session)
        filler = filler.strip()
        if not filler or len(filler) > MAX_FILLER_LENGTH:
            raise ServiceError(_FILLER_MISSING.format(limit=MAX_FILLER_LENGTH), code="filler")
        filed_on = self._today()
        with self._context.database.write_session() as db:
            repository = UserChangeRepository(db)
            changes = repository.pending(session.office.code)
            if not changes:
                raise ServiceError(_NOTHING_TO_FILE.format(), code="nothing_to_file")
            try:
                lines = write_user_change_form(path, changes, filler=filler, filed_on=filed_on)
            except OSError as error:
                log.warning("user change form not written to %s: %s", path, error)
                raise ServiceError(
                    _NOT_WRITTEN.format(path=str(path), problem=describe_os_error(error)),
                    code="not_written",
                ) from error
            filing = repository.file(
                reporting_office_code=session.office.code,
                filler=filler,
                filed_on=filed_on,
                filed_at=self._context.clock(),
                filed_by=session.user.user_id,
                file_name=path.name,
                change_ids=[change.change_id for change in changes if change.change_id],
                registry=repository.registry(session.office.code),
            )
            audit.record(
                db,
                "user_change_export",
                workstation=session.workstation,
                user=session,
                subject=f"office:{session.office.code}",
                filing=filing.filing_id,
                rows=len(changes),
                file=path.name,
            )
        log.info("user change form %s filed with %d rows", filing.filing_id, len(changes))
        return ExportResult(filing=filing, path=path, lines=lines)

    # -- checks -------------------------------------------------------------------------

    def _validated(self, session: UserSession, draft: UserChangeDraft) -> UserChange:
        try:
            return validate_change(draft, today=self._today())
        except InvalidUserChange as error:
            raise ServiceError(error.message, code=f"invalid:{error.field}") from error

    def _require_administrator(self, session: UserSession) -> None:
        if not self.may_report(session):
            raise ServiceError(_NOT_ADMINISTRATOR.format(), code="not_administrator")

    def _in_unit(self, session: UserSession, db: Session, change: UserChange) -> UserChange:
        """Accept only the administrator's office or one below; name the unit as the tree does."""
        units = _units_in_scope(OfficeRepository(db).all(), session.office)
        unit = next((unit for unit in units if unit.code == change.unit_office_code), None)
        if unit is None:
            raise ServiceError(_OUTSIDE_AREA.format(unit=change.unit_name), code="outside_area")
        return replace(change, unit_name=unit.name)

    def _require_own_pending(
        self, session: UserSession, repository: UserChangeRepository, change_id: int
    ) -> None:
        found = repository.get(change_id)
        if found is None:
            raise ServiceError(_ROW_GONE.format(row=change_id), code="not_found")
        office_code, _change = found
        if office_code != session.office.code:
            raise ServiceError(
                _ROW_OTHER_FORM.format(row=change_id, office=office_code), code="other_form"
            )
        if repository.is_filed(change_id):
            raise ServiceError(_ROW_FILED.format(row=change_id), code="filed")

    def _today(self) -> date:
        return china_date(self._context.clock())


def _check_one_name_per_person(
    change: UserChange, pending: list[UserChange], *, skip: int | None
) -> None:
    """Reject a row that gives an ID number already on the form a different name."""
    for other in pending:
        if other.change_id == skip:
            continue
        for mine in (change.person, change.new_person):
            for theirs in (other.person, other.new_person):
                if mine is None or theirs is None or mine.id_number != theirs.id_number:
                    continue
                if mine.name != theirs.name:
                    raise ServiceError(
                        _NAME_CONFLICT.format(
                            id_number=mask_id_number(mine.id_number),
                            row=other.change_id,
                            other=theirs.name,
                            name=mine.name,
                        ),
                        code="name_conflict",
                    )


@cache
def _division_names() -> dict[str, str]:
    """Map district and street codes to their division names, such as 福田区 and 福田街道."""
    return {division.code: division.name for division in read_divisions()}


def _place_name(office: Office) -> str:
    """Return a district's or street's division name, or a community's office name."""
    return _division_names().get(office.code, office.name)


def _units_in_scope(offices: list[Office], own: Office) -> list[Unit]:
    """Name each office in scope by its places from the district down, e.g. 福田区福田街道."""
    by_code = {office.code: office for office in offices}

    def path_name(office: Office) -> str:
        names = [_place_name(office)]
        parent = by_code.get(office.parent_code or "")
        while parent is not None and parent.level is not OfficeLevel.CITY:
            names.append(_place_name(parent))
            parent = by_code.get(parent.parent_code or "")
        return "".join(reversed(names))

    in_scope = [office for office in offices if office.code.startswith(own.code)]
    in_scope.sort(key=lambda office: (office.code != own.code, office.code))
    return [Unit(office.code, path_name(office)) for office in in_scope]
