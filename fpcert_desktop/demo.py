"""``fpcert-desktop demo``: a complete local counter on real parts, prepared on first run.

It makes a demo folder with three SoftHSM2 e-keys (a community, a street and a district
clerk, keys generated on the token and certified by a demo CA), a database with the
synthetic population, users mapped to the keys' certificates, a cups-pdf printer queue
when CUPS is installed, and a configuration file; then it opens the app. Later runs
reuse the folder. Every person in it is synthetic.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs

from fpcert_desktop.config import CONFIG_ENV, Settings, save_settings
from fpcert_desktop.domain.offices import OfficeLevel
from fpcert_desktop.domain.users import Role
from fpcert_desktop.ekey.certificates import fingerprint_sha256
from fpcert_desktop.ekey.softhsm import DemoCA, SoftHsmEnvironment
from fpcert_desktop.services.verification import SigningKeyRegistry
from fpcert_desktop.storage.db import Database, DatabaseFileError
from fpcert_desktop.storage.repositories import OfficeRepository, PeopleRepository, UserRepository
from fpcert_desktop.sync.client import SigningKeyEntry
from fpcert_desktop.synthetic.demo import DEMO_PEOPLE
from fpcert_desktop.synthetic.generator import generate

log = logging.getLogger(__name__)

DEMO_PIN = "123456"
DEMO_SO_PIN = "12345678"
DEMO_QUEUE = "fpcert-pdf"
DEMO_STREET = "440304004"  # 福田街道, 福田区
STATE_FILE = "demo.json"
# Version 3 added each e-key's certificate and made the keys EC P-256.
STATE_VERSION = 3


@dataclass(frozen=True)
class DemoClerk:
    label: str
    name: str
    level: OfficeLevel
    role: Role = Role.CLERK
    serial: str = ""
    fingerprint: str = ""
    office_code: str = ""
    office_name: str = ""
    # The e-key's DER certificate as hex, for the registry of signing keys.
    certificate: str = ""


CLERKS = (
    DemoClerk("fpcert-community", "王小红", OfficeLevel.COMMUNITY),
    DemoClerk("fpcert-street", "刘伟", OfficeLevel.STREET),
    DemoClerk("fpcert-district", "孙丽", OfficeLevel.DISTRICT),
    DemoClerk("fpcert-street-admin", "赵强", OfficeLevel.STREET, Role.ADMINISTRATOR),
    DemoClerk("fpcert-supervisor", "周敏", OfficeLevel.STREET, Role.SUPERVISOR),
    # A partner unit (a school under the district) that only verifies certificates.
    DemoClerk("fpcert-partner", "示范小学招生办", OfficeLevel.DISTRICT, Role.PARTNER),
)


@dataclass(frozen=True)
class DemoSetup:
    directory: Path
    config_path: Path
    settings: Settings
    clerks: tuple[DemoClerk, ...]
    pdf_dir: Path | None
    people: int


def default_demo_dir() -> Path:
    configured = os.environ.get("FPCERT_DEMO_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("fpcert-desktop", "fpcert")) / "demo"


def prepare_demo(
    directory: Path | None = None, *, people: int = 50_000, reset: bool = False
) -> DemoSetup:
    """Create or reuse the demo folder; returns what the app needs to start on it."""
    directory = (directory or default_demo_dir()).resolve()
    if reset and directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state_path = directory / STATE_FILE
    state = _read_state(state_path)

    database = Database(directory / "fpcert.sqlite")
    database.upgrade()
    population = _ensure_population(database, people)

    softhsm = SoftHsmEnvironment(directory / "softhsm")
    clerks = _ensure_clerks(softhsm, database, state)
    softhsm.activate()

    queue, pdf_dir = _ensure_printer()
    settings = Settings(
        pkcs11_module=str(softhsm.module_path),
        printer=queue,
        workstation_code="01",
        idle_lock_minutes=10,
        language="zh_CN",
        database_path=str(database.path),
    )
    config_path = directory / "config.toml"
    save_settings(settings, config_path)
    state_path.write_text(
        json.dumps(
            {"version": STATE_VERSION, "clerks": [asdict(clerk) for clerk in clerks]},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return DemoSetup(directory, config_path, settings, clerks, pdf_dir, population)


def _read_state(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("demo state %s unreadable; the e-keys are made anew", path)
        return {}
    return state if state.get("version") == STATE_VERSION else {}


def _ensure_population(database: Database, people: int) -> int:
    with database.session() as db:
        count = PeopleRepository(db).count()
    if count:
        return count
    print(f"Generating {people} synthetic people…", file=sys.stderr, flush=True)
    generate(database, people=people)
    with database.session() as db:
        return PeopleRepository(db).count()


def _ensure_clerks(
    softhsm: SoftHsmEnvironment, database: Database, state: dict[str, Any]
) -> tuple[DemoClerk, ...]:
    present = {serial for serial, _label in softhsm.tokens()}
    stored = [
        DemoClerk(**{**item, "level": OfficeLevel(item["level"]), "role": Role(item["role"])})
        for item in state.get("clerks", [])
    ]
    # A folder made before a key was added to CLERKS gets every key made anew.
    complete = {clerk.label for clerk in stored} == {clerk.label for clerk in CLERKS}
    if stored and complete and all(clerk.serial in present for clerk in stored):
        clerks = tuple(stored)
    else:
        clerks = _make_tokens(softhsm, database)
    _register_users(database, clerks)
    _register_signing_keys(database, softhsm, clerks)
    return clerks


def _make_tokens(softhsm: SoftHsmEnvironment, database: Database) -> tuple[DemoClerk, ...]:
    for serial, _label in softhsm.tokens():
        softhsm.delete_token(serial)
    offices = _demo_offices(database)
    authority = DemoCA()
    made = []
    for clerk in CLERKS:
        office_code, office_name = offices[clerk.level]
        serial = softhsm.init_token(clerk.label, DEMO_PIN, DEMO_SO_PIN)
        # EC P-256 keys keep the signed QR payload within a version 10 QR code.
        certificate = authority.issue_on_token(
            softhsm, serial, DEMO_PIN, clerk.name, office_name, key_type="ec"
        )
        made.append(
            DemoClerk(
                clerk.label,
                clerk.name,
                clerk.level,
                clerk.role,
                serial=serial,
                fingerprint=fingerprint_sha256(certificate),
                office_code=office_code,
                office_name=office_name,
                certificate=certificate.hex(),
            )
        )
        log.info("demo e-key %s made for %s", serial, clerk.label)
    (softhsm.base_dir / "demo-ca.der").write_bytes(authority.certificate_der)
    return tuple(made)


def _demo_offices(database: Database) -> dict[OfficeLevel, tuple[str, str]]:
    with database.session() as db:
        offices = OfficeRepository(db)
        street = offices.get(DEMO_STREET)
        district = offices.get(DEMO_STREET[:6])
        communities = offices.children_of(DEMO_STREET)
    if street is None or district is None or not communities:
        raise RuntimeError(f"the demo offices under {DEMO_STREET} are missing from the database")
    community = communities[0]
    return {
        OfficeLevel.COMMUNITY: (community.code, community.name),
        OfficeLevel.STREET: (street.code, street.name),
        OfficeLevel.DISTRICT: (district.code, district.name),
    }


def _register_users(database: Database, clerks: tuple[DemoClerk, ...]) -> None:
    with database.session() as db:
        users = UserRepository(db)
        for clerk in clerks:
            if users.by_fingerprint(clerk.fingerprint) is None:
                users.add(
                    name=clerk.name,
                    role=clerk.role,
                    office_code=clerk.office_code,
                    cert_fingerprint=clerk.fingerprint,
                )


def _register_signing_keys(
    database: Database, softhsm: SoftHsmEnvironment, clerks: tuple[DemoClerk, ...]
) -> None:
    """Trust the demo CA and register the keys that sign QR codes, as a sync would."""
    registry = SigningKeyRegistry(database)
    registry.trust_authority((softhsm.base_dir / "demo-ca.der").read_bytes())
    registry.store(
        SigningKeyEntry(bytes.fromhex(clerk.certificate), clerk.name, clerk.office_code, False)
        for clerk in clerks
        if clerk.role is not Role.PARTNER and clerk.certificate
    )


def _ensure_printer() -> tuple[str, Path | None]:
    """Set up the cups-pdf queue when CUPS is installed; returns (queue, PDF folder)."""
    from fpcert_desktop.printing import cups_admin

    if shutil.which("lpadmin") is None:
        log.warning("CUPS is not installed: the demo has no printer")
        return "", None
    try:
        if not cups_admin.is_cupsd_running():
            cups_admin.start_cupsd()
        queue = cups_admin.ensure_cups_pdf_queue(DEMO_QUEUE)
        return queue, cups_admin.cups_pdf_output_dir()
    except Exception as error:  # noqa: BLE001 - the demo still runs, without a printer
        log.warning("the cups-pdf queue could not be set up: %s", error)
        print(f"No printer for the demo: {error}", file=sys.stderr)
        return "", None


def describe(setup: DemoSetup) -> str:
    """Return the instructions printed before the app opens."""
    lines = [
        f"Demo folder: {setup.directory}",
        f"Configuration: {setup.config_path}",
        f"People in the database: {setup.people}",
        f"E-keys (PIN {DEMO_PIN} for each):",
    ]
    for clerk in setup.clerks:
        lines.append(
            f"  {clerk.label} (serial {clerk.serial}): {clerk.name}, {clerk.role.value}, "
            f"{clerk.office_name}"
        )
    lines.append("Try these applicants (ID number, name, family):")
    for person in (*DEMO_PEOPLE[:4], *DEMO_PEOPLE[7:8]):
        lines.append(f"  {person.id_number}  {person.name}  {person.description}")
    if setup.pdf_dir is not None:
        lines.append(f"Printed certificates land as PDF files in {setup.pdf_dir}")
    else:
        lines.append("No printer was set up: printing will report the missing printer.")
    return "\n".join(lines)


def run_demo(
    *,
    directory: Path | None,
    people: int,
    reset: bool,
    autopilot: bool,
    setup_only: bool,
) -> int:
    try:
        setup = prepare_demo(directory, people=people, reset=reset)
    except DatabaseFileError as error:
        # The demo folder is the demo's own: starting over with --reset loses nothing real.
        print(str(error.message), file=sys.stderr)
        print("fpcert-desktop demo --reset makes the demo folder anew.", file=sys.stderr)
        return 1
    print(describe(setup), flush=True)
    if setup_only:
        return 0
    # The app reads the configuration file again for the diagnostics window, which must
    # check the demo's printer, e-keys and database, not those of the machine-wide file.
    os.environ[CONFIG_ENV] = str(setup.config_path)
    from fpcert_desktop.gui.run import run_app

    if autopilot:
        from fpcert_desktop.gui.autopilot import Autopilot

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        pilot = Autopilot(setup)
        code = run_app(setup.settings, on_started=pilot.start)
        return code or pilot.exit_code
    return run_app(setup.settings)
