"""Command line: ``python -m fpcert_desktop.synthetic --people N --seed S --db PATH``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from fpcert_desktop.storage.db import Database, default_database_path
from fpcert_desktop.synthetic.generator import DEFAULT_SEED, generate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fpcert-desktop generate",
        description="Create a database filled with a deterministic synthetic population.",
    )
    parser.add_argument(
        "--people",
        type=lambda text: int(text.replace("_", "")),
        default=50_000,
        help="number of people to create, including the 10 demo people (default 50000)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="database file to create (default: the application's database file)",
    )
    parser.add_argument("--quiet", action="store_true", help="print no progress")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator; returns the process exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO)
    path: Path = args.db or default_database_path()
    if path.exists():
        print(f"{path} already exists; remove it or pass another --db", file=sys.stderr)
        return 1

    database = Database(path)
    try:
        database.upgrade()

        def show(done: int, total: int) -> None:
            if not args.quiet:
                print(f"\r{done:,} / {total:,} people", end="", file=sys.stderr, flush=True)

        report = generate(database, people=args.people, seed=args.seed, progress=show)
    finally:
        database.dispose()
    if not args.quiet:
        print(file=sys.stderr)
    print(
        f"Wrote {report.people:,} people, {report.children:,} children, "
        f"{report.pregnancies:,} pregnancies and {report.offices} offices to {path} "
        f"in {report.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
