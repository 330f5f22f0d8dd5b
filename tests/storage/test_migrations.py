"""Upgrading a database that already contains issuances keeps every row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, text

from fpcert_desktop.domain.issuance import IssuanceStatus
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.db import alembic_config
from fpcert_desktop.storage.repositories import IssuanceRepository

ISSUANCE_ID = "0b6f7a52-1c1e-4d6c-9a55-3f0d0c2b9e01"
NUMBER = "440304004001-01-2026-000007"
NEW_ISSUANCE_COLUMNS = {
    "originals_json",
    "check_certificate_json",
    "retention",
    "dispose_after",
    "voided_at",
    "void_reason",
    "voided_by",
    "reprint_count",
    "last_reprint_reason",
    "last_reprinted_at",
}


@pytest.fixture
def at_0001(tmp_path: Path, person_row: Callable[..., dict[str, Any]]) -> Iterator[Database]:
    """A database at revision 0001 with one office, person, user and printed issuance."""
    database = Database(tmp_path / "old.sqlite3")
    database.upgrade("0001")
    person = person_row(1, "李娜")
    with database.session() as session:
        session.execute(
            text(
                "INSERT INTO offices (code, name, level) "
                "VALUES ('440304004001', '福山社区工作站', 'community')"
            )
        )
        session.execute(
            text(
                "INSERT INTO people (person_id, id_number, name, sex, birth_date, ethnicity,"
                " population_type, hukou_category, hukou_address, hukou_division_code,"
                " residence_address, residence_division_code, district_code, marital_status,"
                " record_version) VALUES (:person_id, :id_number, :name, :sex, :birth_date,"
                " :ethnicity, :population_type, :hukou_category, :hukou_address,"
                " :hukou_division_code, :residence_address, :residence_division_code,"
                " :district_code, :marital_status, :record_version)"
            ),
            person,
        )
        session.execute(
            text(
                "INSERT INTO users (user_id, name, role, office_code, cert_fingerprint, active)"
                " VALUES (7, '陈静', 'clerk', '440304004001', :fingerprint, 1)"
            ),
            {"fingerprint": "ab" * 32},
        )
        session.execute(
            text("INSERT INTO certificate_serials VALUES ('440304004001', '01', 2026, 8)")
        )
        session.execute(
            text(
                "INSERT INTO issuances (issuance_id, number, office_code, workstation, year,"
                " serial, person_id, purpose_code, user_id, issued_at, valid_until, status,"
                " policy_version, print_attempts, printed_at, printer, content_json)"
                " VALUES (:id, :number, '440304004001', '01', 2026, 7, 1, 'birth_service', 7,"
                " '2026-03-02 01:00:00.000000', '2026-09-02', 'printed', '2026.1', 1,"
                " '2026-03-02 01:05:00.000000', 'HP-LaserJet', '{\"applicant_name\": \"李娜\"}')"
            ),
            {"id": ISSUANCE_ID, "number": NUMBER},
        )
    yield database
    database.dispose()


def _columns(database: Database, table: str) -> set[str]:
    return {column["name"] for column in inspect(database.engine).get_columns(table)}


def test_upgrade_keeps_issuance(at_0001: Database) -> None:
    at_0001.upgrade()

    with at_0001.session() as session:
        repository = IssuanceRepository(session)
        issuance = repository.get(ISSUANCE_ID)
        content = repository.content(ISSUANCE_ID)
        last_issued_on = repository.last_issued_on(1)

    assert issuance is not None
    assert str(issuance.number) == NUMBER
    assert issuance.status is IssuanceStatus.PRINTED
    assert issuance.issued_at == datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    assert issuance.printer == "HP-LaserJet"
    assert content == {"applicant_name": "李娜"}
    assert last_issued_on == date(2026, 3, 2)


def test_upgrade_leaves_new_columns_empty(at_0001: Database) -> None:
    at_0001.upgrade()

    with at_0001.session() as session:
        issuance = IssuanceRepository(session).get(ISSUANCE_ID)

    assert issuance is not None
    assert issuance.retention is None
    assert issuance.dispose_after is None
    assert issuance.originals is None
    assert issuance.check_certificate is None
    assert issuance.voided_at is None
    assert issuance.reprint_count == 0
    assert _columns(at_0001, "issuances") >= NEW_ISSUANCE_COLUMNS


def test_upgrade_keeps_serial_counter(at_0001: Database) -> None:
    at_0001.upgrade()

    with at_0001.write_session() as session:
        issuance = IssuanceRepository(session).create_with_number(
            office_code="440304004001",
            workstation="01",
            year=2026,
            person_id=1,
            purpose_code="birth_service",
            user_id=7,
            issued_at=datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc),
            valid_until=None,
            policy_version="2026.1",
            content_json="{}",
        )

    assert str(issuance.number) == "440304004001-01-2026-000008"


def test_upgrade_keeps_issuance_indexes(at_0001: Database) -> None:
    at_0001.upgrade()

    indexes = {index["name"] for index in inspect(at_0001.engine).get_indexes("issuances")}
    unique = {
        constraint["name"]
        for constraint in inspect(at_0001.engine).get_unique_constraints("issuances")
    }

    assert {
        "ix_issuances_office_code_workstation_issued_at",
        "ix_issuances_person_id_issued_at",
        "ix_issuances_dispose_after",
    } <= indexes
    assert unique == {"uq_issuances_number", "uq_issuances_office_code_workstation_year_serial"}


def test_downgrade_keeps_issuance(at_0001: Database) -> None:
    at_0001.upgrade()
    with at_0001.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")

    tables = set(inspect(at_0001.engine).get_table_names())
    with at_0001.session() as session:
        number = session.execute(
            text("SELECT number FROM issuances WHERE issuance_id = :id"), {"id": ISSUANCE_ID}
        ).scalar_one()

    assert number == NUMBER
    assert "problem_list_entries" not in tables
    assert "referrals" not in tables
    assert not NEW_ISSUANCE_COLUMNS & _columns(at_0001, "issuances")
