"""The ``fpcert-server`` command: set up, fill, administer and run the reference server."""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpcert_desktop.domain.clock import utc_now
from fpcert_desktop.domain.users import Role
from fpcert_desktop.synthetic.generator import DEFAULT_SEED
from fpcert_server import payloads, security
from fpcert_server.db import append_changes, change_row, lock_change_log, make_engine
from fpcert_server.models import EnrolmentCodeRow, OfficeRow, UserRow, create_schema

DEFAULT_DATABASE = "fpcert-server.sqlite3"
ENROLMENT_CODE_LIFETIME = timedelta(days=7)
LOOPBACK_HOSTS = ("localhost",)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fpcert-server",
        description="Reference central server of the sync API (for development and tests).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        if name != "openapi":
            command.add_argument(
                "--db",
                default=DEFAULT_DATABASE,
                help="database: a SQLite file path or a SQLAlchemy URL such as "
                "postgresql+psycopg://user@127.0.0.1/fpcert (default: %(default)s)",
            )
        return command

    init = add("init", "Create the tables and load the synthetic population.")
    init.add_argument("--people", type=int, default=10_000, help="number of people to generate")
    init.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")

    user = add("add-user", "Register a user and the SHA-256 fingerprint of their e-key.")
    user.add_argument("--name", required=True, help="the user's name")
    user.add_argument("--role", required=True, choices=[role.value for role in Role])
    user.add_argument("--office", required=True, help="office code (division code)")
    user.add_argument(
        "--fingerprint", required=True, help="hex SHA-256 of the DER certificate (64 digits)"
    )

    code = add("enrolment-code", "Create a one-time workstation enrolment code for an office.")
    code.add_argument("--office", required=True, help="office code (division code)")

    changes = add("changes", "Apply synthetic births, marriages and corrections.")
    changes.add_argument("--births", type=int, default=0)
    changes.add_argument("--marriages", type=int, default=0)
    changes.add_argument("--corrections", type=int, default=0)
    changes.add_argument("--seed", type=int, default=1)

    serve = add("serve", "Run the API with uvicorn.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8080, help="TCP port")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host; then --certfile and --keyfile are required",
    )
    serve.add_argument("--certfile", help="TLS certificate chain (PEM)")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")

    openapi = add("openapi", "Write the OpenAPI schema of the API as JSON.")
    openapi.add_argument("--out", type=Path, required=True, help="output file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = _parser().parse_args(argv)
    handlers = {
        "init": _init,
        "add-user": _add_user,
        "enrolment-code": _enrolment_code,
        "changes": _changes,
        "serve": _serve,
        "openapi": _openapi,
    }
    try:
        return handlers[args.command](args)
    except ValueError as error:
        print(f"fpcert-server {args.command}: {error}", file=sys.stderr)
        return 2


def _init(args: argparse.Namespace) -> int:
    from fpcert_server.load import load_synthetic

    engine = make_engine(args.db)
    create_schema(engine)
    report = load_synthetic(engine, people=args.people, seed=args.seed)
    print(
        f"Loaded {report.people} people, {report.offices} offices, "
        f"{report.institutions} institutions and {report.policies} policies "
        f"in {report.seconds:.1f} s"
    )
    return 0


def _add_user(args: argparse.Namespace) -> int:
    fingerprint = args.fingerprint.replace(":", "").lower()
    if len(fingerprint) != 64 or any(c not in "0123456789abcdef" for c in fingerprint):
        raise ValueError("--fingerprint must be 64 hex digits (SHA-256 of the DER certificate)")
    engine = make_engine(args.db)
    create_schema(engine)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if session.get(OfficeRow, args.office) is None:
            raise ValueError(f"office {args.office} not found; run init first")
        taken = session.scalar(select(UserRow).where(UserRow.cert_fingerprint == fingerprint))
        if taken is not None:
            raise ValueError(f"user {taken.user_id} already has this certificate")
        lock_change_log(session)
        user = UserRow(
            name=args.name,
            role=args.role,
            office_code=args.office,
            cert_fingerprint=fingerprint,
            active=True,
            version=1,
        )
        session.add(user)
        session.flush()
        append_changes(
            session,
            [change_row("users", str(user.user_id), 1, payloads.user_payload(user), utc_now())],
        )
    print(f"Added user {user.user_id}")
    return 0


def _enrolment_code(args: argparse.Namespace) -> int:
    engine = make_engine(args.db)
    create_schema(engine)
    code = security.new_enrolment_code()
    now = utc_now()
    with Session(engine) as session, session.begin():
        if session.get(OfficeRow, args.office) is None:
            raise ValueError(f"office {args.office} not found; run init first")
        session.add(
            EnrolmentCodeRow(
                code_hash=security.sha256_hex(security.normalise_enrolment_code(code)),
                office_code=args.office,
                created_at=now,
                expires_at=now + ENROLMENT_CODE_LIFETIME,
            )
        )
    # The code goes to stdout alone, so scripts can capture it.
    print(code)
    return 0


def _changes(args: argparse.Namespace) -> int:
    from fpcert_server.changes import apply_changes

    engine = make_engine(args.db)
    with Session(engine) as session, session.begin():
        report = apply_changes(
            session,
            births=args.births,
            marriages=args.marriages,
            corrections=args.corrections,
            seed=args.seed,
        )
    print(
        f"Applied {len(report.births)} births, {len(report.marriages)} marriages and "
        f"{len(report.corrections)} corrections ({len(report.moves)} moves)"
    )
    return 0


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(args: argparse.Namespace) -> int:
    if not _is_loopback(args.host):
        if not args.allow_remote:
            raise ValueError(
                f"--host {args.host} is not a loopback address; pass --allow-remote with "
                "--certfile and --keyfile to serve other machines"
            )
        if not (args.certfile and args.keyfile):
            raise ValueError("--allow-remote needs --certfile and --keyfile (TLS is required)")

    import uvicorn

    from fpcert_server.app import create_app

    app = create_app(args.db)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        log_level="info",
    )
    return 0


def _openapi(args: argparse.Namespace) -> int:
    args.out.write_text(openapi_json() + "\n", encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


def openapi_json() -> str:
    """Return the API's OpenAPI schema as stable, indented JSON."""
    from fpcert_server.app import create_app

    app = create_app("sqlite+pysqlite:///:memory:")
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True)
