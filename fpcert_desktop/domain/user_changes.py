"""The user change form (用户变更表): staff and e-key changes an administrator reports.

The city commission issues the logins and e-keys. When staff change, the administrator of
a district or street office lists the changes on the form, one row per change, with the
columns 单位, 姓名, 身份证号, 角色, 联系电话, 变更类型 and 备注. A replacement (离职换人)
names both the person who left and the one who takes over.

This module also proposes rows from the user and e-key registry: it compares the users as
they are now with the users as they were when the last form was filed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from fpcert_desktop.domain.idnumber import InvalidIdNumber, parse_id_number
from fpcert_desktop.domain.users import Role
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, MessageTemplate

MAX_UNIT_LENGTH = 100
MAX_NAME_LENGTH = 32
MAX_REMARKS_LENGTH = 200


class ChangeType(str, Enum):
    """The change types of the form, in the order the regulation lists them."""

    REPLACE_KEY = "replace_key"
    REPLACEMENT = "replacement"
    NEW_KEY = "new_key"
    NEW_WINDOW = "new_window"

    @property
    def label(self) -> MessageTemplate:
        return _CHANGE_TYPE_LABELS[self]

    @property
    def form_text(self) -> str:
        """The words the regulation's form uses, whatever the screen language."""
        return _CHANGE_TYPE_FORM_TEXT[self]


_CHANGE_TYPE_LABELS = {
    ChangeType.REPLACE_KEY: QT_TRANSLATE_NOOP("ChangeType", "replace key"),
    ChangeType.REPLACEMENT: QT_TRANSLATE_NOOP("ChangeType", "staff left and replaced"),
    ChangeType.NEW_KEY: QT_TRANSLATE_NOOP("ChangeType", "new key"),
    ChangeType.NEW_WINDOW: QT_TRANSLATE_NOOP("ChangeType", "new window"),
}

_CHANGE_TYPE_FORM_TEXT = {
    ChangeType.REPLACE_KEY: "更换密钥",
    ChangeType.REPLACEMENT: "离职换人",
    ChangeType.NEW_KEY: "新增密钥",
    ChangeType.NEW_WINDOW: "新增窗口",
}

# The role column of the form is always in Chinese. 打证员 is the regulation's own word.
ROLE_FORM_TEXT = {
    Role.CLERK: "打证员",
    Role.ADMINISTRATOR: "管理员",
    Role.SUPERVISOR: "主管",
    Role.PARTNER: "兼职单位查询用户",
}

# A mainland mobile number, or a fixed-line number with or without its area code
# (0755 for Shenzhen). The regulation's example gives the 8-digit local number.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_FIXED_LINE = re.compile(r"(?:0\d{2,3}-?)?[2-9]\d{6,7}")
_FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_PHONE_SEPARATORS = {ord(character): None for character in " \u3000()"}
_WORKSTATION = re.compile(r"[0-9A-Z]{2,4}")
_NAME_FORBIDDEN = re.compile(r"[\d\x00-\x1f<>{}\[\]@#$%^&*=+|\\/;:?!\"']")

_WHO_LEAVING = QT_TRANSLATE_NOOP("UserChange", "the person who leaves")
_WHO_NEW = QT_TRANSLATE_NOOP("UserChange", "the new person")
_WHO_PERSON = QT_TRANSLATE_NOOP("UserChange", "the person")

_UNIT_MISSING = QT_TRANSLATE_NOOP(
    "UserChange",
    "Choose the unit (单位) the person works at; it must be your office or an office below it.",
)
_UNIT_TOO_LONG = QT_TRANSLATE_NOOP(
    "UserChange", "The unit name has more than {limit} characters. Shorten it."
)
_NAME_MISSING = QT_TRANSLATE_NOOP("UserChange", "Enter the name of {who}.")
_NAME_INVALID = QT_TRANSLATE_NOOP(
    "UserChange",
    "The name of {who} contains digits or symbols, or has more than {limit} characters. "
    "Type the name as on the ID card.",
)
_ID_NUMBER_INVALID = QT_TRANSLATE_NOOP("UserChange", "ID number of {who}: {problem}")
_ROLE_MISSING = QT_TRANSLATE_NOOP("UserChange", "Choose the role of {who}.")
_PHONE_MISSING = QT_TRANSLATE_NOOP("UserChange", "Enter the contact phone number of {who}.")
_PHONE_INVALID = QT_TRANSLATE_NOOP(
    "UserChange",
    "The phone number of {who}, {phone}, is neither an 11-digit mobile number starting with 1 "
    "nor a fixed-line number of 7 or 8 digits (an area code such as 0755- may come first). "
    "Check the number and type it again.",
)
_TYPE_MISSING = QT_TRANSLATE_NOOP("UserChange", "Choose the change type.")
_NEW_PERSON_MISSING = QT_TRANSLATE_NOOP(
    "UserChange",
    "A replacement (离职换人) names the person who leaves and the new person. Fill in the "
    "new person's name, ID number, role and phone number.",
)
_NEW_PERSON_UNEXPECTED = QT_TRANSLATE_NOOP(
    "UserChange",
    "Only a replacement (离职换人) has a new person. Clear the new person's fields or "
    "choose the change type 离职换人.",
)
_SAME_PERSON = QT_TRANSLATE_NOOP(
    "UserChange",
    "The person who leaves and the new person have the same ID number {masked}. A key "
    "change of the same person is 更换密钥.",
)
_WORKSTATION_MISSING = QT_TRANSLATE_NOOP(
    "UserChange", "A new window (新增窗口) needs the window's workstation code, such as 03."
)
_WORKSTATION_INVALID = QT_TRANSLATE_NOOP(
    "UserChange",
    "The workstation code {code} is not 2 to 4 digits or capital letters. Type it as on "
    "the window's configuration, such as 03.",
)
_REMARKS_TOO_LONG = QT_TRANSLATE_NOOP(
    "UserChange", "The remarks have more than {limit} characters. Shorten them."
)


class InvalidUserChange(ValueError):
    """A form row that cannot be recorded; ``field`` names the input to correct."""

    def __init__(self, message: Message, field: str) -> None:
        super().__init__(message.english)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class ChangePerson:
    """A person on one row: ``id_number`` is the normalised 18-character number."""

    name: str
    id_number: str
    role: Role
    phone: str

    def __repr__(self) -> str:
        return f"ChangePerson(name={self.name!r}, role={self.role.value!r})"


@dataclass(frozen=True)
class UserChange:
    """One validated change; ``new_person`` is set for a replacement only.

    ``user_id``, ``new_user_id`` and ``cert_fingerprint`` tie a row to the registry it
    was proposed from, so the same change is not proposed twice.
    """

    change_type: ChangeType
    unit_office_code: str
    unit_name: str
    person: ChangePerson
    new_person: ChangePerson | None = None
    workstation: str | None = None
    remarks: str = ""
    change_id: int | None = None
    user_id: int | None = None
    new_user_id: int | None = None
    cert_fingerprint: str | None = None


@dataclass(frozen=True)
class PersonDraft:
    """A person as typed into the dialog, before validation."""

    name: str = ""
    id_number: str = ""
    role: Role | None = Role.CLERK
    phone: str = ""

    def is_blank(self) -> bool:
        return not (self.name.strip() or self.id_number.strip() or self.phone.strip())


@dataclass(frozen=True)
class UserChangeDraft:
    """A row as the administrator typed it, or as proposed from the registry."""

    change_type: ChangeType | None
    unit_office_code: str = ""
    unit_name: str = ""
    person: PersonDraft = field(default_factory=PersonDraft)
    new_person: PersonDraft = field(default_factory=lambda: PersonDraft(role=None))
    workstation: str = ""
    remarks: str = ""
    user_id: int | None = None
    new_user_id: int | None = None
    cert_fingerprint: str | None = None
    # Why the row was proposed, for the administrator; empty for a typed row.
    reason: str = ""


def draft_of(change: UserChange) -> UserChangeDraft:
    """Return the draft that validates back to ``change``, for editing a recorded row."""

    def person(value: ChangePerson | None) -> PersonDraft:
        if value is None:
            return PersonDraft(role=None)
        return PersonDraft(value.name, value.id_number, value.role, value.phone)

    return UserChangeDraft(
        change_type=change.change_type,
        unit_office_code=change.unit_office_code,
        unit_name=change.unit_name,
        person=person(change.person),
        new_person=person(change.new_person),
        workstation=change.workstation or "",
        remarks=change.remarks,
        user_id=change.user_id,
        new_user_id=change.new_user_id,
        cert_fingerprint=change.cert_fingerprint,
    )


def normalize_phone(raw: str) -> str:
    """Turn full-width digits into ASCII and drop spaces and brackets."""
    return raw.translate(_FULL_WIDTH_TO_ASCII).translate(_PHONE_SEPARATORS).strip()


def validate_change(draft: UserChangeDraft, *, today: date | None = None) -> UserChange:
    """Check every field of ``draft`` and raise :class:`InvalidUserChange` at the first problem."""
    if draft.change_type is None:
        raise InvalidUserChange(_TYPE_MISSING.format(), "change_type")
    unit_name = draft.unit_name.strip()
    if not unit_name or not draft.unit_office_code:
        raise InvalidUserChange(_UNIT_MISSING.format(), "unit")
    if len(unit_name) > MAX_UNIT_LENGTH:
        raise InvalidUserChange(_UNIT_TOO_LONG.format(limit=MAX_UNIT_LENGTH), "unit")

    replacement = draft.change_type is ChangeType.REPLACEMENT
    person = _validate_person(
        draft.person, _WHO_LEAVING if replacement else _WHO_PERSON, "person", today
    )
    new_person: ChangePerson | None = None
    if replacement:
        if draft.new_person.is_blank():
            raise InvalidUserChange(_NEW_PERSON_MISSING.format(), "new_person.name")
        new_person = _validate_person(draft.new_person, _WHO_NEW, "new_person", today)
        if new_person.id_number == person.id_number:
            masked = parse_id_number(person.id_number).masked
            raise InvalidUserChange(_SAME_PERSON.format(masked=masked), "new_person.id_number")
    elif not draft.new_person.is_blank():
        raise InvalidUserChange(_NEW_PERSON_UNEXPECTED.format(), "new_person.name")

    workstation = draft.workstation.strip().upper() or None
    if workstation is not None and not _WORKSTATION.fullmatch(workstation):
        raise InvalidUserChange(_WORKSTATION_INVALID.format(code=workstation), "workstation")
    if draft.change_type is ChangeType.NEW_WINDOW and workstation is None:
        raise InvalidUserChange(_WORKSTATION_MISSING.format(), "workstation")

    remarks = draft.remarks.strip()
    if len(remarks) > MAX_REMARKS_LENGTH:
        raise InvalidUserChange(_REMARKS_TOO_LONG.format(limit=MAX_REMARKS_LENGTH), "remarks")

    return UserChange(
        change_type=draft.change_type,
        unit_office_code=draft.unit_office_code,
        unit_name=unit_name,
        person=person,
        new_person=new_person,
        workstation=workstation,
        remarks=remarks,
        user_id=draft.user_id,
        new_user_id=draft.new_user_id if replacement else None,
        cert_fingerprint=draft.cert_fingerprint,
    )


def _validate_person(
    draft: PersonDraft, who: MessageTemplate, prefix: str, today: date | None
) -> ChangePerson:
    name = draft.name.strip()
    if not name:
        raise InvalidUserChange(_NAME_MISSING.format(who=who), f"{prefix}.name")
    if len(name) > MAX_NAME_LENGTH or _NAME_FORBIDDEN.search(name):
        raise InvalidUserChange(
            _NAME_INVALID.format(who=who, limit=MAX_NAME_LENGTH), f"{prefix}.name"
        )
    try:
        id_number = parse_id_number(draft.id_number, today=today).value
    except InvalidIdNumber as error:
        raise InvalidUserChange(
            _ID_NUMBER_INVALID.format(who=who, problem=error.message), f"{prefix}.id_number"
        ) from error
    if draft.role is None:
        raise InvalidUserChange(_ROLE_MISSING.format(who=who), f"{prefix}.role")
    phone = normalize_phone(draft.phone)
    if not phone:
        raise InvalidUserChange(_PHONE_MISSING.format(who=who), f"{prefix}.phone")
    if not (_MOBILE.fullmatch(phone) or _FIXED_LINE.fullmatch(phone)):
        raise InvalidUserChange(_PHONE_INVALID.format(who=who, phone=phone), f"{prefix}.phone")
    return ChangePerson(name=name, id_number=id_number, role=draft.role, phone=phone)


# -- proposals from the registry --------------------------------------------------------


@dataclass(frozen=True)
class RegistryUser:
    """A user of the registry (the users table) as the proposals compare it."""

    user_id: int
    name: str
    role: Role
    office_code: str
    cert_fingerprint: str
    active: bool
    workstation: str | None = None


@dataclass(frozen=True)
class KnownPerson:
    """The ID number and phone of a registry user, from a row recorded earlier."""

    id_number: str
    phone: str


_REASON_NEW_KEY = QT_TRANSLATE_NOOP(
    "UserChange", "{name} has an active e-key that the last filed form did not list."
)
_REASON_NEW_WINDOW = QT_TRANSLATE_NOOP(
    "UserChange", "Workstation {workstation} of {unit} was not on the last filed form."
)
_REASON_REPLACE_KEY = QT_TRANSLATE_NOOP(
    "UserChange", "{name} logs in with a different e-key certificate than on the last form."
)
_REASON_REPLACEMENT = QT_TRANSLATE_NOOP(
    "UserChange", "{old} was deactivated and {new} is active at the same office and window."
)


def propose_changes(
    current: Sequence[RegistryUser],
    baseline: Sequence[RegistryUser],
    recorded: Iterable[UserChange],
    unit_names: dict[str, str],
    known: dict[int, KnownPerson] | None = None,
) -> list[UserChangeDraft]:
    """Propose rows from the differences between ``baseline`` and ``current``.

    ``baseline`` is the registry as it was when the last form was filed (empty before the
    first form). ``recorded`` are the rows already entered; a change one of them covers
    is not proposed again. ``unit_names`` maps office codes to the unit column, and
    ``known`` gives ID numbers and phones recorded earlier, so they need not be typed again.
    """
    known = known or {}
    before = {user.user_id: user for user in baseline}
    windows_before: set[tuple[str, str | None]] = {
        (user.office_code, user.workstation) for user in baseline if user.workstation is not None
    }
    recorded = list(recorded)
    covered_keys = {change.cert_fingerprint for change in recorded if change.cert_fingerprint}
    covered_new_users = {change.new_user_id for change in recorded if change.new_user_id}
    covered_leaving = {
        change.user_id
        for change in recorded
        if change.change_type is ChangeType.REPLACEMENT and change.user_id
    }

    def person(user: RegistryUser) -> PersonDraft:
        details = known.get(user.user_id)
        return PersonDraft(
            name=user.name,
            id_number=details.id_number if details else "",
            role=user.role,
            phone=details.phone if details else "",
        )

    def unit(user: RegistryUser) -> str:
        return unit_names.get(user.office_code, user.office_code)

    # Who was active before and is not now, by office and window, for replacements.
    # NOTE: someone who left without a successor at the same window gets no proposal,
    # because the form has no change type for a bare departure.
    left: dict[tuple[str, str | None], list[RegistryUser]] = {}
    now = {user.user_id: user for user in current}
    for old in baseline:
        gone = now.get(old.user_id)
        if old.active and (gone is None or not gone.active) and old.user_id not in covered_leaving:
            left.setdefault((old.office_code, old.workstation), []).append(old)

    proposals: list[UserChangeDraft] = []
    seen_windows = set(windows_before)
    for user in sorted(current, key=lambda item: (item.office_code, item.user_id)):
        if not user.active or not user.cert_fingerprint:
            continue
        earlier = before.get(user.user_id)
        if earlier is not None and earlier.active:
            if earlier.cert_fingerprint != user.cert_fingerprint:
                if user.cert_fingerprint in covered_keys:
                    continue
                proposals.append(
                    UserChangeDraft(
                        change_type=ChangeType.REPLACE_KEY,
                        unit_office_code=user.office_code,
                        unit_name=unit(user),
                        person=person(user),
                        workstation=user.workstation or "",
                        user_id=user.user_id,
                        cert_fingerprint=user.cert_fingerprint,
                        reason=str(_REASON_REPLACE_KEY.format(name=user.name)),
                    )
                )
            continue
        if user.cert_fingerprint in covered_keys or user.user_id in covered_new_users:
            continue
        window = (user.office_code, user.workstation)
        predecessors = left.get(window)
        if predecessors:
            old = predecessors.pop(0)
            proposals.append(
                UserChangeDraft(
                    change_type=ChangeType.REPLACEMENT,
                    unit_office_code=user.office_code,
                    unit_name=unit(user),
                    person=person(old),
                    new_person=person(user),
                    workstation=user.workstation or "",
                    user_id=old.user_id,
                    new_user_id=user.user_id,
                    cert_fingerprint=user.cert_fingerprint,
                    reason=str(_REASON_REPLACEMENT.format(old=old.name, new=user.name)),
                )
            )
            continue
        # Before the first filing no window was seen, so none is called new.
        if baseline and user.workstation is not None and window not in seen_windows:
            seen_windows.add(window)
            proposals.append(
                UserChangeDraft(
                    change_type=ChangeType.NEW_WINDOW,
                    unit_office_code=user.office_code,
                    unit_name=unit(user),
                    person=person(user),
                    workstation=user.workstation,
                    user_id=user.user_id,
                    cert_fingerprint=user.cert_fingerprint,
                    reason=str(
                        _REASON_NEW_WINDOW.format(workstation=user.workstation, unit=unit(user))
                    ),
                )
            )
            continue
        proposals.append(
            UserChangeDraft(
                change_type=ChangeType.NEW_KEY,
                unit_office_code=user.office_code,
                unit_name=unit(user),
                person=person(user),
                workstation=user.workstation or "",
                user_id=user.user_id,
                cert_fingerprint=user.cert_fingerprint,
                reason=str(_REASON_NEW_KEY.format(name=user.name)),
            )
        )
    return proposals
