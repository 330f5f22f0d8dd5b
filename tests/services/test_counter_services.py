"""The counter rules through the services, on a real database and a real CUPS queue."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.history import (
    CheckCertificate,
    CheckOwner,
    CounterInput,
    FeedbackState,
    MismatchField,
    OriginalDocument,
    OriginalsConfirmation,
    ProblemCategory,
)
from fpcert_desktop.domain.institutions import load_institutions
from fpcert_desktop.domain.issuance import IssuanceStatus
from fpcert_desktop.domain.offices import OfficeLevel
from fpcert_desktop.domain.policy import load_policy
from fpcert_desktop.domain.users import Role
from fpcert_desktop.services.context import (
    ServiceContext,
    ServiceError,
    UserSession,
    Workstation,
)
from fpcert_desktop.services.issuing import IssuingService
from fpcert_desktop.services.problem_list import ProblemListService
from fpcert_desktop.services.query import QueryService
from fpcert_desktop.services.referrals import ReferralService
from fpcert_desktop.services.setup import cups_printer_factory
from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import AuditLog, OfficeRepository, UserRepository
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from fpcert_desktop.synthetic.generator import generate

pytestmark = pytest.mark.cups

STREET = "440304004"
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)  # 10:00 on 4 December in Shenzhen
TODAY = date(2026, 12, 4)
ONE_CHILD = DEMO_PEOPLE[0]
PURPOSE = "child_medical_insurance"
CHECKED = CounterInput(
    originals=OriginalsConfirmation((OriginalDocument.ID_CARD,), applicant_signed=True)
)


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(tmp_path / "fpcert.sqlite")
    database.upgrade()
    generate(database, people=200)
    return database


def make_session(database: Database, level: OfficeLevel, role: Role) -> UserSession:
    with database.session() as db:
        offices = OfficeRepository(db)
        office = {
            OfficeLevel.COMMUNITY: offices.children_of(STREET)[0],
            OfficeLevel.STREET: offices.get(STREET),
            OfficeLevel.DISTRICT: offices.get(STREET[:6]),
        }[level]
        assert office is not None
        user = UserRepository(db).add(
            name=f"{level.value}-{role.value}",
            role=role,
            office_code=office.code,
            cert_fingerprint=f"{level.value}{role.value}".encode().hex().ljust(64, "0")[:64],
        )
    return UserSession(user, office, Workstation(code="01"), "test", user.cert_fingerprint, NOW)


def context(database: Database, queue_name: str) -> ServiceContext:
    return ServiceContext(
        database=database,
        policy=load_policy(),
        workstation=Workstation(code="01"),
        printer_factory=cups_printer_factory(Settings(printer=queue_name)),
        clock=lambda: NOW,
        institutions=load_institutions(),
    )


def test_false_materials_blocks_every_purpose(database: Database, queue: str) -> None:
    services = context(database, queue)
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    admin = make_session(database, OfficeLevel.STREET, Role.ADMINISTRATOR)
    problems = ProblemListService(services)
    entry = problems.add(
        admin,
        ONE_CHILD.id_number,
        ProblemCategory.FALSE_MATERIALS,
        date(2026, 3, 1),
        "提交的结婚证复印件经核实为伪造。",
        "福田街道计生办档案室 问题名单 2026-003",
    )

    with pytest.raises(ServiceError) as raised:
        IssuingService(services).issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert raised.value.code == "refused:problem_list"
    assert "2027" in str(raised.value.message)

    view = QueryService(services).open_person(clerk, ONE_CHILD.person_id)
    assert view.banner is not None
    assert not any(decision.allowed for decision in view.decisions)

    problems.remove(admin, entry.entry_id, "核实有误，撤销")
    outcome = IssuingService(services).issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert outcome.printed


def test_problem_list_needs_administrator_and_reason(database: Database, queue: str) -> None:
    services = context(database, queue)
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    admin = make_session(database, OfficeLevel.STREET, Role.ADMINISTRATOR)
    problems = ProblemListService(services)
    with pytest.raises(ServiceError) as raised:
        problems.add(
            clerk, ONE_CHILD.id_number, ProblemCategory.ILLEGAL_BIRTH, TODAY, "事实", "档案室"
        )
    assert raised.value.code == "not_administrator"

    entry = problems.add(
        admin, ONE_CHILD.id_number, ProblemCategory.ILLEGAL_BIRTH, TODAY, "违法生育第三孩", "档案室"
    )
    with pytest.raises(ServiceError) as raised:
        problems.remove(admin, entry.entry_id, "  ")
    assert raised.value.code == "reason_missing"
    fed_back = problems.set_feedback(admin, entry.entry_id, FeedbackState.SENT)
    assert fed_back.feedback_state is FeedbackState.SENT
    lines = problems.search(admin)
    assert [line.entry.entry_id for line in lines] == [entry.entry_id]

    # Birth outside the rules shows a banner but does not block.
    view = QueryService(services).open_person(clerk, ONE_CHILD.person_id)
    assert view.banner is not None
    assert any(decision.allowed for decision in view.decisions)
    with database.session() as db:
        events = {event.event for event in AuditLog(db).recent(50)}
    assert {"problem_add", "problem_feedback", "problem_search"} <= events


def test_referral_blocks_until_newer_record(database: Database, queue: str) -> None:
    services = context(database, queue)
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    referral = ReferralService(services).refer(
        clerk,
        ONE_CHILD.person_id,
        PURPOSE,
        [MismatchField("婚姻状况", "初婚", "离婚"), MismatchField("", "", "")],
    )
    assert len(referral.fields) == 1
    with pytest.raises(ServiceError) as raised:
        IssuingService(services).issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert raised.value.code == "refused:referral_open"
    assert [line.referral.referral_id for line in ReferralService(services).open_referrals(clerk)]

    with database.session() as db:
        db.execute(
            text("UPDATE people SET record_version = record_version + 1 WHERE person_id = :id"),
            {"id": ONE_CHILD.person_id},
        )
    view = QueryService(services).open_person(clerk, ONE_CHILD.person_id)
    assert view.history.open_referrals == ()
    assert (
        IssuingService(services)
        .issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED)
        .printed
    )


def test_referral_needs_a_real_difference(database: Database, queue: str) -> None:
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    referrals = ReferralService(context(database, queue))
    for fields in ([], [MismatchField("姓名", "李秀英", "李秀英")], [MismatchField("", "", "x")]):
        with pytest.raises(ServiceError):
            referrals.refer(clerk, ONE_CHILD.person_id, PURPOSE, fields)


def test_reissue_needs_check_certificate(database: Database, queue: str) -> None:
    services = context(database, queue)
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    issuing = IssuingService(services)
    assert issuing.issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED).printed

    with pytest.raises(ServiceError) as raised:
        issuing.issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert raised.value.code == "requirement:check_certificate"

    institution = services.institutions[0].code
    check = CheckCertificate(CheckOwner.SPOUSE, date(2026, 11, 20), "CK-1", institution)
    counter = CounterInput(originals=CHECKED.originals, check_certificate=check)
    second = issuing.issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, counter)
    assert second.printed
    assert second.issuance.check_certificate == check


def test_void_and_reprint_keep_numbers(database: Database, queue: str) -> None:
    services = context(database, queue)
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    issuing = IssuingService(services)
    first = issuing.issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED)

    with pytest.raises(ServiceError):
        issuing.reprint(clerk, first.issuance.issuance_id, "")
    again = issuing.reprint(clerk, first.issuance.issuance_id, "卡纸")
    assert again.printed
    assert again.issuance.number == first.issuance.number
    assert again.issuance.reprint_count == 1

    voided = issuing.void(clerk, first.issuance.issuance_id, "打印内容有误")
    assert voided.issuance.status is IssuanceStatus.VOIDED
    with pytest.raises(ServiceError) as raised:
        issuing.void(clerk, first.issuance.issuance_id, "再次作废")
    assert raised.value.code == "already_voided"
    with pytest.raises(ServiceError):
        issuing.reprint(clerk, first.issuance.issuance_id, "卡纸")

    # The voided certificate no longer counts as the last one, and its number stays used.
    later = issuing.issue_and_print(clerk, ONE_CHILD.person_id, PURPOSE, CHECKED)
    assert later.issuance.number.serial == first.issuance.number.serial + 1
    lines = issuing.todays_issuances(clerk, TODAY)
    statuses = {str(line.issuance.number): line.issuance.status for line in lines}
    assert statuses[str(first.issuance.number)] is IssuanceStatus.VOIDED
    with database.session() as db:
        events = [event.event for event in AuditLog(db).recent(50)]
    assert "void" in events
    assert "reprint" in events


def test_unregistered_guidance_and_slip(database: Database, queue: str) -> None:
    services = context(database, queue)
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    query = QueryService(services)
    outside = "11010519491231002X"  # a Beijing number, not in the data
    outcome = query.search(clerk, outside)
    assert outcome.unregistered is not None
    guidance = query.archive_card_guidance(clerk, outside)
    assert guidance.category.value == "outside_guangdong"
    result = query.print_archive_card_slip(clerk, outside, moving_in=True)
    assert result.printer == queue
    subprocess.run(["lpstat", "-W", "completed", "-o", queue], check=True, capture_output=True)


def test_name_search_says_when_cut(
    database: Database, queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    with database.session() as db:
        surname = db.execute(
            text(
                "SELECT substr(name, 1, 1) AS s FROM people GROUP BY s "
                "HAVING count(*) >= 3 ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
    monkeypatch.setattr("fpcert_desktop.services.query.MAX_NAME_RESULTS", 2)
    outcome = QueryService(context(database, queue)).search(clerk, surname)
    assert len(outcome.people) == 2
    assert "More than 2" in outcome.message.english


def test_near_id_number_gets_exact_reason(database: Database, queue: str) -> None:
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    query = QueryService(context(database, queue))
    for typed in ("4403041990031598O5", "440304 19900315 980"):
        with pytest.raises(ServiceError) as raised:
            query.search(clerk, typed)
        assert raised.value.code.startswith("invalid_id_number:"), typed


def test_refused_certificate_has_no_preview(database: Database, queue: str) -> None:
    clerk = make_session(database, OfficeLevel.COMMUNITY, Role.CLERK)
    with pytest.raises(ServiceError) as raised:
        IssuingService(context(database, queue)).preview(
            clerk, ONE_CHILD.person_id, "birth_hukou_registration"
        )
    assert raised.value.code.startswith("refused:")
