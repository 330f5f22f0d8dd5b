"""Time population generation and name and ID number look-ups on a synthetic database.

Usage: ``python benchmarks/bench_storage.py --people 1000000 [--db PATH]``.
Without ``--db`` the database goes to a temporary folder and is deleted afterwards.
Each look-up is repeated over names taken from the database, and the median and the
95th percentile are printed in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import text

from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import PeopleRepository
from fpcert_desktop.synthetic import generate

SAMPLES = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=lambda t: int(t.replace("_", "")), default=1_000_000)
    parser.add_argument("--seed", type=int, default=20120425)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.sqlite3"
        database = Database(path)
        if not path.exists() or path.stat().st_size == 0 or _people(database) == 0:
            database.upgrade()
            report = generate(database, people=args.people, seed=args.seed, today=date(2026, 1, 1))
            print(f"generate {report.people:,} people: {report.seconds:.1f} s")
        print(f"database size: {path.stat().st_size / 1e6:.0f} MB")
        _lookups(database)
        database.dispose()


def _people(database: Database) -> int:
    try:
        with database.session() as session:
            return PeopleRepository(session).count()
    except Exception:  # noqa: BLE001 - a new, empty file has no tables yet
        return 0


def _lookups(database: Database) -> None:
    rng = random.Random(1)
    with database.engine.connect() as connection:
        total = connection.execute(text("SELECT max(person_id) FROM people")).scalar_one()
        ids = [rng.randint(1, total) for _ in range(SAMPLES)]
        rows = [
            connection.execute(
                text("SELECT name, id_number FROM people WHERE person_id = :id"), {"id": i}
            ).one()
            for i in ids
        ]
    names = [row.name for row in rows]
    id_numbers = [row.id_number for row in rows]

    with database.session() as session:
        repository = PeopleRepository(session)
        _time("get_by_id_number", id_numbers, repository.get_by_id_number)
        _time("search exact name", names, lambda name: repository.search_by_name(name))
        _time("search 1-char prefix", [n[0] for n in names], repository.search_by_name)
        _time(
            "search 2-char prefix", [n[:2] for n in names], lambda n: repository.search_by_name(n)
        )
        _time(
            "search name + birth year",
            names,
            lambda name: repository.search_by_name(name, birth_year=1990),
        )


def _time(label: str, inputs: list[str], call: Callable[[str], object]) -> None:
    durations = []
    for value in inputs:
        started = time.perf_counter()
        call(value)
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    median = statistics.median(durations)
    p95 = durations[int(len(durations) * 0.95)]
    print(f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms ({len(inputs)} runs)")


if __name__ == "__main__":
    main()
