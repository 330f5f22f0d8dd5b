"""The ``fpcert-desktop`` command: the counter app, the demo, and data generation."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fpcert_desktop import package_version
from fpcert_desktop.config import (
    CONFIG_ENV,
    ConfigError,
    Settings,
    default_config_path,
    load_settings,
)
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.logsetup import configure_logging
from fpcert_desktop.report_cli import add_report_parser, run_report
from fpcert_desktop.trust_cli import add_trust_parser, run_trust

log = logging.getLogger(__name__)

_GENERATED = QT_TRANSLATE_NOOP(
    "Cli",
    "Wrote {people} synthetic people ({demo_people} of them demo people), {children} "
    "children, {pregnancies} pregnancies and {offices} offices to {path} in {seconds} "
    "seconds (seed {seed}).",
)
_GENERATE_NO_FOLDER = QT_TRANSLATE_NOOP(
    "Cli",
    "The folder {folder} of the database file {path} does not exist. Create it or choose "
    "another --db path.",
)
_GENERATE_HAS_PEOPLE = QT_TRANSLATE_NOOP(
    "Cli",
    "The database {path} already contains people. Generate into a new file instead.",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fpcert-desktop",
        description="Counter client of Shenzhen's family-planning certificate system.",
    )
    parser.add_argument(
        "--version", action="version", version=f"fpcert-desktop {package_version()}"
    )
    parser.add_argument(
        "--config",
        type=Path,
        help=f"configuration file (default: {default_config_path()})",
    )
    commands = parser.add_subparsers(dest="command")

    commands.add_parser("run", help="open the counter app (the default)")

    demo = commands.add_parser(
        "demo",
        help="set up SoftHSM2 e-keys, a synthetic population and a cups-pdf printer, "
        "then open the app",
    )
    demo.add_argument("--dir", type=Path, help="demo folder (default: the user data folder)")
    demo.add_argument(
        "--people",
        type=_positive,
        default=50_000,
        help="synthetic people on first run (default 50000, at least 10)",
    )
    demo.add_argument(
        "--reset", action="store_true", help="delete the demo folder first and set up anew"
    )
    demo.add_argument(
        "--autopilot",
        action="store_true",
        help="log in, query and print by itself, save a screenshot, then quit; the default "
        "when there is no display",
    )
    demo.add_argument("--setup-only", action="store_true", help="prepare the demo folder and exit")

    generate = commands.add_parser("generate", help="fill a database with synthetic people")
    generate.add_argument(
        "--people", type=_positive, default=50_000, help="how many people (at least 10)"
    )
    generate.add_argument("--seed", type=int, default=20120425, help="random seed")
    generate.add_argument("--db", type=Path, required=True, help="SQLite database file")

    commands.add_parser(
        "sync",
        help="pull offices, users, institutions, policies, people and the problem list from "
        "the server in server_url; pushing needs a clerk's e-key and is done in the app",
    )
    enrol = commands.add_parser(
        "enrol", help="enrol this workstation with the server in server_url (for IT)"
    )
    enrol.add_argument("--office", required=True, help="office code (6, 9 or 12 digits)")
    enrol.add_argument("--workstation", required=True, help="workstation code, e.g. 01")
    enrol.add_argument(
        "--code", required=True, help="one-time enrolment code from the server's administrator"
    )

    doctor = commands.add_parser(
        "doctor",
        help="check the configuration, e-key driver, printer, server, database, fonts, disk "
        "space and keyring; exit code 0 when no check failed, 1 otherwise",
    )
    doctor.add_argument(
        "--config", dest="doctor_config", type=Path, help="configuration file to check"
    )
    doctor.add_argument(
        "--print-test-page",
        action="store_true",
        help="also print a Chinese A4 test page on the configured printer",
    )
    doctor.add_argument(
        "--bundle",
        type=Path,
        metavar="FILE.zip",
        help="write a support bundle (masked logs, configuration, report, versions) to FILE.zip",
    )
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    add_report_parser(commands)
    add_trust_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except BrokenPipeError:
        # The reader of stdout went away (``fpcert-desktop doctor | head -1``). Point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    log.info("fpcert-desktop %s starting: %s", package_version(), args.command or "run")

    if args.command == "generate":
        return _generate(args)
    if args.command == "demo":
        from fpcert_desktop.demo import run_demo

        return run_demo(
            directory=args.dir,
            people=args.people,
            reset=args.reset,
            autopilot=args.autopilot or not _has_display(),
            setup_only=args.setup_only,
        )

    if args.command == "doctor":
        from fpcert_desktop.doctor_command import run_doctor

        return run_doctor(
            args.doctor_config or args.config,
            test_page=args.print_test_page,
            bundle=args.bundle,
            as_json=args.json,
            install_language=_install_console_language,
        )

    try:
        settings = load_settings(args.config)
        log.info("settings read from %s", args.config or default_config_path())
    except ConfigError as error:
        _install_console_language(Settings().language)
        print(str(error.message), file=sys.stderr)
        return 2
    if args.command == "sync":
        from fpcert_desktop.sync.commands import run_sync

        _install_console_language(settings.language)
        return run_sync(settings)
    if args.command == "enrol":
        from fpcert_desktop.sync.commands import run_enrol

        _install_console_language(settings.language)
        return run_enrol(settings, office=args.office, workstation=args.workstation, code=args.code)
    if args.command == "report":
        _install_console_language(settings.language)
        return run_report(args, settings)
    if args.command == "trust-ca":
        _install_console_language(settings.language)
        return run_trust(args, settings)
    if args.config is not None:
        # The diagnostics dialog reads the configuration again: point it at this file.
        os.environ[CONFIG_ENV] = str(args.config)
    from fpcert_desktop.gui.run import run_app

    return run_app(settings)


def _generate(args: argparse.Namespace) -> int:
    """Run ``generate``: 0 on success, 1 when the database file cannot be used."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from fpcert_desktop.services.setup import database_service_error
    from fpcert_desktop.storage.db import Database, DatabaseFileError
    from fpcert_desktop.storage.repositories import PeopleRepository
    from fpcert_desktop.synthetic.generator import generate

    _install_console_language(_console_language(args.config))
    path: Path = args.db
    if not path.parent.is_dir():
        folder = path.parent
        print(str(_GENERATE_NO_FOLDER.format(folder=str(folder), path=str(path))), file=sys.stderr)
        return 1
    database = Database(path)
    try:
        database.upgrade()
        with database.session() as session:
            has_people = PeopleRepository(session).count() > 0
        if has_people:
            print(str(_GENERATE_HAS_PEOPLE.format(path=str(path))), file=sys.stderr)
            return 1
        report = generate(database, people=args.people, seed=args.seed, progress=_progress)
    except (DatabaseFileError, SQLAlchemyError, sqlite3.Error) as error:
        service_error = database_service_error(path, error)
        if service_error is None:
            raise
        print(file=sys.stderr)
        print(str(service_error.message), file=sys.stderr)
        return 1
    print(file=sys.stderr)
    summary = _GENERATED.format(
        people=report.people,
        demo_people=report.demo_people,
        children=report.children,
        pregnancies=report.pregnancies,
        offices=report.offices,
        path=str(path),
        seconds=f"{report.seconds:.1f}",
        seed=report.seed,
    )
    print(str(summary))
    return 0


def _console_language(config: Path | None) -> str:
    """Return the language of the configuration file, or the default when it is unreadable."""
    try:
        return load_settings(config).language
    except ConfigError:
        return Settings().language


def _positive(text: str) -> int:
    """Parse a number of people: the fixed demo people alone are ten."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 10:
        raise argparse.ArgumentTypeError(f"{value} is fewer than the 10 demo people")
    return value


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _install_console_language(language: str) -> None:
    from fpcert_desktop.gui.run import install_console_language

    install_console_language(language)


if __name__ == "__main__":
    sys.exit(main())
