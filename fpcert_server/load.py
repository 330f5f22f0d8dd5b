"""Fill the server database with the synthetic population and the reference data.

The population comes from :func:`fpcert_desktop.synthetic.generator.generate`, written
first into a temporary client-format SQLite file and then copied here in batches of
:data:`BATCH_SIZE` people, one executemany per table and batch. Every copied entity
also gets a ``changes`` row, so a first pull returns all of it.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import utc_now
from fpcert_desktop.domain.institutions import load_institutions
from fpcert_desktop.domain.policy import default_policy_directory, load_policy_text
from fpcert_desktop.storage import models as client
from fpcert_desktop.storage.db import Database
from fpcert_desktop.synthetic.generator import DEFAULT_SEED, generate
from fpcert_server import payloads
from fpcert_server.db import append_changes, change_row, dump_json, lock_change_log
from fpcert_server.models import InstitutionRow, OfficeRow, PersonRow, PolicyRow

logger = logging.getLogger(__name__)

BATCH_SIZE = 10_000


@dataclass(frozen=True)
class LoadReport:
    """Counts of what :func:`load_synthetic` copied, and its run time in seconds."""

    people: int
    offices: int
    institutions: int
    policies: int
    seconds: float


@contextmanager
def _connection(target: Engine | Session) -> Iterator[Connection]:
    """Yield a connection in a transaction: a new one for an engine, the session's own."""
    if isinstance(target, Session):
        yield target.connection()
    else:
        with target.begin() as connection:
            yield connection


def load_synthetic(
    target: Engine | Session,
    *,
    people: int,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
) -> LoadReport:
    """Generate ``people`` synthetic people and copy them with offices and reference data.

    With an engine, everything is committed in one transaction. With a session, the
    rows join its transaction and the caller commits. Raises ``ValueError`` when the
    server already has people.
    """
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fpcert-server-load-") as folder:
        source = Database(Path(folder) / "synthetic.sqlite3")
        try:
            source.upgrade()
            generate(source, people=people, seed=seed, today=today)
            with source.engine.connect() as reader, _connection(target) as writer:
                if writer.scalar(select(func.count()).select_from(PersonRow)):
                    raise ValueError("the server database already has people; use a new one")
                lock_change_log(writer)
                now = utc_now()
                offices = _copy_offices(reader, writer, now)
                copied = _copy_people(reader, writer, now)
                institutions = _load_institutions(writer, now)
                policies = _load_policies(writer, now)
        finally:
            source.dispose()
    seconds = time.perf_counter() - started
    logger.info("Loaded %d people and %d offices in %.1f s", copied, offices, seconds)
    return LoadReport(copied, offices, institutions, policies, seconds)


def _copy_offices(reader: Connection, writer: Connection, now: datetime) -> int:
    rows: list[dict[str, Any]] = [
        {"code": code, "name": name, "level": level, "parent_code": parent}
        for code, name, level, parent in reader.execute(
            select(
                client.OfficeRow.code,
                client.OfficeRow.name,
                client.OfficeRow.level,
                client.OfficeRow.parent_code,
            ).order_by(client.OfficeRow.code)
        )
    ]
    if rows:
        writer.execute(insert(OfficeRow), rows)
    append_changes(writer, (change_row("offices", row["code"], 1, row, now) for row in rows))
    return len(rows)


def _read_families(
    reader: Connection,
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, dict[str, Any]]]:
    children: dict[int, list[dict[str, Any]]] = defaultdict(list)
    child = client.ChildRow
    query = select(
        child.mother_person_id,
        child.father_person_id,
        child.name,
        child.sex,
        child.birth_date,
        child.birth_order,
        child.id_number,
    ).order_by(child.birth_order, child.birth_date, child.id)
    for mother, father, name, sex, birth_date, order, id_number in reader.execute(query):
        entry = {
            "name": name,
            "sex": sex,
            "birth_date": birth_date.isoformat(),
            "birth_order": order,
            "id_number": id_number,
        }
        for parent in (mother, father):
            if parent is not None:
                children[parent].append(entry)

    pregnancies: dict[int, dict[str, Any]] = {}
    pregnancy = client.PregnancyRow
    for person_id, registered_on, expected, order in reader.execute(
        select(
            pregnancy.person_id,
            pregnancy.registered_on,
            pregnancy.expected_delivery,
            pregnancy.planned_birth_order,
        )
    ):
        pregnancies[person_id] = {
            "registered_on": registered_on.isoformat(),
            "expected_delivery": payloads.iso_date(expected),
            "planned_birth_order": order,
        }
    return children, pregnancies


def _copy_people(reader: Connection, writer: Connection, now: datetime) -> int:
    children, pregnancies = _read_families(reader)
    columns = [getattr(client.PersonRow, name) for name in payloads.PERSON_COLUMNS]
    result = reader.execute(select(*columns).order_by(client.PersonRow.person_id))
    copied = 0
    while batch := result.fetchmany(BATCH_SIZE):
        people_rows = []
        change_rows = []
        for record in batch:
            values = dict(record._mapping)
            values["updated_at"] = values["updated_at"] or now
            values["record_version"] = values["record_version"] or 1
            family = children.get(values["person_id"], [])
            pregnancy = pregnancies.get(values["person_id"])
            people_rows.append(
                {
                    **values,
                    "children_json": dump_json(family),
                    "pregnancy_json": None if pregnancy is None else dump_json(pregnancy),
                }
            )
            change_rows.append(
                change_row(
                    "people",
                    str(values["person_id"]),
                    values["record_version"],
                    payloads.person_payload_from_values(values, family, pregnancy),
                    now,
                    scope=(values["hukou_division_code"], values["residence_division_code"]),
                )
            )
        writer.execute(insert(PersonRow), people_rows)
        append_changes(writer, change_rows)
        copied += len(batch)
        logger.info("Copied %d people", copied)
    return copied


def _load_institutions(writer: Connection, now: datetime) -> int:
    rows = [
        {"code": item.code, "name": item.name, "district_code": item.district_code}
        for item in load_institutions()
    ]
    if rows:
        writer.execute(insert(InstitutionRow), rows)
    append_changes(writer, (change_row("institutions", row["code"], 1, row, now) for row in rows))
    return len(rows)


def _load_policies(writer: Connection, now: datetime) -> int:
    rows: list[dict[str, Any]] = []
    for file in sorted(default_policy_directory().iterdir(), key=lambda item: item.name):
        if not file.name.endswith(".toml"):
            continue
        text = file.read_text(encoding="utf-8")
        policy = load_policy_text(text, source_name=file.name)
        rows.append(
            {"version": policy.version, "effective_date": policy.effective_date, "text": text}
        )
    if rows:
        writer.execute(insert(PolicyRow), rows)
    append_changes(
        writer,
        (
            change_row(
                "policies",
                row["version"],
                1,
                {**row, "effective_date": row["effective_date"].isoformat()},
                now,
            )
            for row in rows
        ),
    )
    return len(rows)
