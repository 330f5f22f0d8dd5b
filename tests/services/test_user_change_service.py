"""The user change form service: who may report which units, proposals, audit and export."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
import xlrd
from sqlalchemy import text

from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.user_changes import ChangeType, PersonDraft, UserChangeDraft
from fpcert_desktop.domain.users import Role
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession, Workstation
from fpcert_desktop.services.user_changes import UserChangeService
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import AuditLog, OfficeRepository, UserRepository

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)  # 10:00 on 4 December in Shenzhen
DISTRICT = "440304"
STREET = "440304004"
SIBLING_STREET = "440304001"
COMMUNITY = "440304004001"
SIBLING_COMMUNITY = "440304001002"
OTHER_DISTRICT = "440305"
ZHANG = "440304198805120027"
LI = "440305199203031132"
WANG = "11010519491231002X"

OFFICES = (
    Office("440300", "深圳市卫生健康委员会", OfficeLevel.CITY),
    Office(DISTRICT, "福田区卫生健康局", OfficeLevel.DISTRICT, "440300"),
    Office(OTHER_DISTRICT, "南山区卫生健康局", OfficeLevel.DISTRICT, "440300"),
    Office(SIBLING_STREET, "南园街道计生办", OfficeLevel.STREET, DISTRICT),
    Office(STREET, "福田街道计生办", OfficeLevel.STREET, DISTRICT),
    Office(SIBLING_COMMUNITY, "南园社区工作站", OfficeLevel.COMMUNITY, SIBLING_STREET),
    Office(COMMUNITY, "福山社区工作站", OfficeLevel.COMMUNITY, STREET),
)


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(tmp_path / "fpcert.sqlite")
    database.upgrade()
    with database.session() as db:
        OfficeRepository(db).add_many(OFFICES)
    return database


@pytest.fixture
def service(database: Database) -> UserChangeService:
    def no_printer() -> object:
        raise AssertionError("the user change form prints nothing")

    context = ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="01"),
        printer_factory=no_printer,  # type: ignore[arg-type]
        clock=lambda: NOW,
    )
    return UserChangeService(context)


_fingerprints = iter(range(1, 1000))


def add_user(
    database: Database,
    office_code: str,
    role: Role = Role.CLERK,
    name: str = "用户",
    *,
    workstation: str | None = "01",
    active: bool = True,
) -> int:
    with database.session() as db:
        user = UserRepository(db).add(
            name=name,
            role=role,
            office_code=office_code,
            cert_fingerprint=f"{next(_fingerprints):064x}",
            workstation=workstation,
            active=active,
        )
    return user.user_id


def session_for(database: Database, office_code: str, role: Role) -> UserSession:
    user_id = add_user(database, office_code, role, name="管理员", workstation=None)
    with database.session() as db:
        user = UserRepository(db).get(user_id)
        office = OfficeRepository(db).get(office_code)
    assert user is not None and office is not None
    return UserSession(user, office, Workstation(code="01"), "test", user.cert_fingerprint, NOW)


def row(
    unit: str, change_type: ChangeType = ChangeType.REPLACE_KEY, **changes: object
) -> UserChangeDraft:
    base = UserChangeDraft(
        change_type=change_type,
        unit_office_code=unit,
        unit_name="typed by hand",
        person=PersonDraft("张三", ZHANG, Role.CLERK, "82002345"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_street_administrator_scope(database: Database, service: UserChangeService) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)

    units = service.units(admin)
    street_row = service.record(admin, row(STREET))
    community_row = service.record(admin, row(COMMUNITY))

    assert [unit.code for unit in units] == [STREET, COMMUNITY]
    assert units[1].name == "福田区福田街道福山社区工作站"
    # The unit name comes from the office tree, not from what was typed.
    assert street_row.unit_name == "福田区福田街道"
    assert community_row.unit_name == "福田区福田街道福山社区工作站"
    assert [change.change_id for change in service.pending(admin)] == [
        street_row.change_id,
        community_row.change_id,
    ]


@pytest.mark.parametrize("unit", [DISTRICT, SIBLING_STREET, SIBLING_COMMUNITY, OTHER_DISTRICT])
def test_street_administrator_not_parent_or_sibling(
    database: Database, service: UserChangeService, unit: str
) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)

    with pytest.raises(ServiceError) as raised:
        service.record(admin, row(unit))

    assert raised.value.code == "outside_area"
    assert service.pending(admin) == []


def test_district_administrator_scope(database: Database, service: UserChangeService) -> None:
    admin = session_for(database, DISTRICT, Role.ADMINISTRATOR)

    units = [unit.code for unit in service.units(admin)]
    for unit in (DISTRICT, STREET, SIBLING_STREET, COMMUNITY, SIBLING_COMMUNITY):
        service.record(admin, row(unit))
    with pytest.raises(ServiceError) as raised:
        service.record(admin, row(OTHER_DISTRICT))

    assert units[0] == DISTRICT
    assert set(units) == {DISTRICT, STREET, SIBLING_STREET, COMMUNITY, SIBLING_COMMUNITY}
    assert raised.value.code == "outside_area"
    assert len(service.pending(admin)) == 5


@pytest.mark.parametrize(
    ("office", "role"),
    [
        (STREET, Role.CLERK),
        (STREET, Role.SUPERVISOR),
        (COMMUNITY, Role.ADMINISTRATOR),
        (DISTRICT, Role.CLERK),
    ],
)
def test_only_district_or_street_administrators(
    database: Database, service: UserChangeService, office: str, role: Role
) -> None:
    session = session_for(database, office, role)

    assert not UserChangeService.may_report(session)
    for call in (
        lambda: service.units(session),
        lambda: service.pending(session),
        lambda: service.propose(session),
        lambda: service.record(session, row(office)),
        lambda: service.export(session, "赵强", Path("unused.xls")),
    ):
        with pytest.raises(ServiceError) as raised:
            call()
        assert raised.value.code == "not_administrator"


def test_rows_of_another_form_cannot_be_changed(
    database: Database, service: UserChangeService
) -> None:
    street_admin = session_for(database, STREET, Role.ADMINISTRATOR)
    district_admin = session_for(database, DISTRICT, Role.ADMINISTRATOR)
    recorded = service.record(street_admin, row(COMMUNITY))
    assert recorded.change_id is not None

    with pytest.raises(ServiceError) as raised:
        service.remove(district_admin, recorded.change_id)

    assert raised.value.code == "other_form"
    assert service.pending(district_admin) == []
    assert len(service.pending(street_admin)) == 1


def test_invalid_row_is_refused_with_the_field(
    database: Database, service: UserChangeService
) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)

    with pytest.raises(ServiceError) as raised:
        service.record(admin, row(STREET, ChangeType.REPLACEMENT))

    assert raised.value.code == "invalid:new_person.name"


def test_changes_audited_masked(database: Database, service: UserChangeService) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)
    recorded = service.record(admin, row(STREET))
    assert recorded.change_id is not None
    new = PersonDraft("李四", LI, Role.CLERK, "82001237")
    edited = service.edit(
        admin, recorded.change_id, row(STREET, ChangeType.REPLACEMENT, new_person=new)
    )
    service.remove(admin, recorded.change_id)

    with database.session() as db:
        events = [event for event in AuditLog(db).recent() if event.event.startswith("user_change")]
        assert AuditLog(db).verify_chain()
        stored = db.execute(text("SELECT subject, details_json FROM audit_events")).all()

    assert edited.new_person is not None and edited.new_person.name == "李四"
    assert sorted(event.event for event in events) == [
        "user_change_edit",
        "user_change_record",
        "user_change_remove",
    ]
    assert {event.subject for event in events} == {"440304********0027"}
    for subject, details in stored:
        assert ZHANG not in (subject or "") and ZHANG not in details
        assert LI not in (subject or "") and LI not in details
    assert service.pending(admin) == []


def test_proposals_for_each_change_type(database: Database, service: UserChangeService) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)
    leaving = add_user(database, COMMUNITY, name="张三", workstation="01")
    keeps_key = add_user(database, STREET, name="王五", workstation="01")
    add_user(database, SIBLING_STREET, name="别处", workstation="01")

    first = service.propose(admin)
    assert {(p.change_type, p.person.name) for p in first} == {
        (ChangeType.NEW_KEY, "管理员"),
        (ChangeType.NEW_KEY, "张三"),
        (ChangeType.NEW_KEY, "王五"),
    }
    ids = {"管理员": LI, "张三": ZHANG, "王五": WANG}
    for proposal in first:
        person = replace(proposal.person, id_number=ids[proposal.person.name], phone="82002345")
        service.record(admin, replace(proposal, person=person))
    assert service.propose(admin) == []
    service.export(admin, "赵强", database.path.parent / "first.xls")

    # After the filing: one leaves and is replaced at the same window, one gets a new key,
    # a new window opens and a new clerk arrives at an existing window.
    with database.session() as db:
        db.execute(text("UPDATE users SET active = 0 WHERE user_id = :id"), {"id": leaving})
        db.execute(
            text("UPDATE users SET cert_fingerprint = :fp WHERE user_id = :id"),
            {"fp": "f" * 64, "id": keeps_key},
        )
    add_user(database, COMMUNITY, name="李四", workstation="01")
    add_user(database, COMMUNITY, name="孙七", workstation="03")
    add_user(database, STREET, name="周八", workstation="01")

    proposals = {p.person.name: p for p in service.propose(admin)}

    assert {name: p.change_type for name, p in proposals.items()} == {
        "张三": ChangeType.REPLACEMENT,
        "王五": ChangeType.REPLACE_KEY,
        "孙七": ChangeType.NEW_WINDOW,
        "周八": ChangeType.NEW_KEY,
    }
    assert proposals["张三"].new_person.name == "李四"
    # ID numbers and phones recorded on the last form are filled in again.
    assert proposals["张三"].person.id_number == ZHANG
    assert proposals["王五"].person.id_number == WANG
    assert proposals["王五"].cert_fingerprint == "f" * 64
    assert proposals["孙七"].workstation == "03"
    assert proposals["周八"].person.id_number == ""


def test_export_files_the_rows_and_names_the_file(
    database: Database, service: UserChangeService, tmp_path: Path
) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)
    with pytest.raises(ServiceError) as raised:
        service.export(admin, "赵强", tmp_path / "empty.xls")
    assert raised.value.code == "nothing_to_file"
    service.record(admin, row(STREET))
    with pytest.raises(ServiceError) as raised:
        service.export(admin, "  ", tmp_path / "x.xls")
    assert raised.value.code == "filler"

    name = service.default_file_name(admin)
    result = service.export(admin, "赵强", tmp_path / name)

    assert name == "福田区深圳市计划生育证明管理系统用户变更表（时间 20261204）.xls"
    assert result.lines == 1
    assert service.pending(admin) == []
    sheet = xlrd.open_workbook(str(result.path)).sheet_by_index(0)
    assert sheet.cell_value(1, 0) == "填表人：赵强"
    assert sheet.cell_value(3, 2) == ZHANG
    with database.session() as db:
        exported = [e for e in AuditLog(db).recent() if e.event == "user_change_export"]
    assert len(exported) == 1
    assert exported[0].details["rows"] == 1
    assert json.dumps(exported[0].details, ensure_ascii=False).find(ZHANG) == -1


def test_export_to_unwritable_folder_keeps_rows_pending(
    database: Database, service: UserChangeService, tmp_path: Path
) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)
    service.record(admin, row(STREET))

    with pytest.raises(ServiceError) as raised:
        service.export(admin, "赵强", tmp_path / "missing" / "form.xls")

    assert raised.value.code == "not_written"
    assert "the file or folder does not exist" in raised.value.message.english
    assert "No such file" not in raised.value.message.english
    assert len(service.pending(admin)) == 1


def test_change_on_street_form_not_proposed_to_district(
    database: Database, service: UserChangeService
) -> None:
    street_admin = session_for(database, STREET, Role.ADMINISTRATOR)
    district_admin = session_for(database, DISTRICT, Role.ADMINISTRATOR)
    add_user(database, COMMUNITY, name="张三")
    proposal = next(p for p in service.propose(street_admin) if p.person.name == "张三")
    person = replace(proposal.person, id_number=ZHANG, phone="82002345")

    before = {p.person.name for p in service.propose(district_admin)}
    service.record(street_admin, replace(proposal, person=person))
    after = {p.person.name for p in service.propose(district_admin)}

    assert "张三" in before
    assert "张三" not in after


def test_one_name_per_id_number(database: Database, service: UserChangeService) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)
    first = service.record(admin, row(STREET))
    other_name = row(COMMUNITY, person=PersonDraft("李四", ZHANG, Role.CLERK, "82002345"))

    with pytest.raises(ServiceError) as raised:
        service.record(admin, other_name)

    assert raised.value.code == "name_conflict"
    assert f"row {first.change_id}" in raised.value.message.english
    assert ZHANG not in raised.value.message.english
    assert len(service.pending(admin)) == 1


def test_edit_giving_other_name_rejected(database: Database, service: UserChangeService) -> None:
    admin = session_for(database, STREET, Role.ADMINISTRATOR)
    first = service.record(admin, row(STREET))
    service.record(admin, row(COMMUNITY))

    renamed = row(STREET, person=PersonDraft("张叁", ZHANG, Role.CLERK, "82002345"))
    with pytest.raises(ServiceError) as raised:
        service.edit(admin, first.change_id, renamed)

    assert raised.value.code == "name_conflict"
    assert len(service.pending(admin)) == 2
