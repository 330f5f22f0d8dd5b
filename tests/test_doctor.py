"""The doctor's checks against real parts: SoftHSM, CUPS, a server process, SQLite, fonts."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fpcert_desktop.config import Settings, save_settings
from fpcert_desktop.doctor import (
    CHECKS,
    DoctorContext,
    Outcome,
    Status,
    check_database,
    check_disk,
    check_ekey,
    check_fonts,
    check_keyring,
    check_printer,
    check_server,
    font_test_text,
    print_test_page,
    run_checks,
    run_with_timeout,
)
from fpcert_desktop.doctor_bundle import strip_secrets, write_support_bundle
from fpcert_desktop.doctor_page import render_test_page
from fpcert_desktop.ekey.softhsm import SoftHsmEnvironment, find_softhsm_module
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.logsetup import configure_logging
from fpcert_desktop.printing.cups_admin import (
    cups_pdf_output_dir,
    ensure_cups_pdf_queue,
    find_cups_pdf_output,
    start_cupsd,
)
from fpcert_desktop.printing.fonts import find_font_file, load_font_set, system_font_dirs
from fpcert_desktop.printing.preview import render_preview
from fpcert_desktop.storage.db import Database
from tests.printing.test_cups_print import differing_fraction
from tests.sync.test_server_integration import served  # noqa: F401 - pytest fixture
from tests.sync.test_tls import tls_server  # noqa: F401 - pytest fixture

ROOT = Path(__file__).resolve().parents[1]
PDF_QUEUE = "fpcert-pdf"
SCRATCH_QUEUE = "fpcert-doctor-scratch"
SYNTHETIC_ID = "440304199003159805"
MASKED_ID = "440304********9805"


def _context(tmp_path: Path, **settings: object) -> DoctorContext:
    values = {"database_path": str(tmp_path / "client.sqlite3"), **settings}
    return DoctorContext(tmp_path / "config.toml", Settings(**values))  # type: ignore[arg-type]


# -- e-key -------------------------------------------------------------------------------


@pytest.fixture
def softhsm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """Return SoftHSM's module and the serial of one token in a private token folder."""
    module = find_softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 is not installed (Debian package softhsm2)")
    env = SoftHsmEnvironment(tmp_path / "softhsm")
    monkeypatch.setenv("SOFTHSM2_CONF", str(env.conf_path))
    serial = env.init_token("doctor-key", "246810", "13579135")
    return module, serial


def test_ekey_lists_softhsm_token(tmp_path: Path, softhsm: tuple[Path, str]) -> None:
    module, serial = softhsm

    outcome = check_ekey(_context(tmp_path, pkcs11_module=str(module)))

    assert outcome.status is Status.OK
    assert serial in outcome.message.english
    assert "doctor-key" in outcome.message.english
    assert outcome.details["keys"] == [{"label": "doctor-key", "serial": serial}]


def test_ekey_missing_module_fails(tmp_path: Path) -> None:
    missing = tmp_path / "absent" / "libvendor_pkcs11.so"

    outcome = check_ekey(_context(tmp_path, pkcs11_module=str(missing)))

    assert outcome.status is Status.FAILURE
    assert str(missing) in outcome.message.english
    assert "pkcs11_module" in outcome.message.english


def test_ekey_broken_module_fails(tmp_path: Path) -> None:
    broken = tmp_path / "libvendor_pkcs11.so"
    broken.write_text("not a shared library", encoding="utf-8")

    outcome = check_ekey(_context(tmp_path, pkcs11_module=str(broken)))

    assert outcome.status is Status.FAILURE
    assert str(broken) in outcome.message.english
    assert "does not load" in outcome.message.english


def test_ekey_search_finds_softhsm(tmp_path: Path, softhsm: tuple[Path, str]) -> None:
    module, serial = softhsm
    folder = tmp_path / "drivers"
    folder.mkdir()
    (folder / "libsofthsm2.so").symlink_to(module)
    context = _context(tmp_path)
    context.module_search_dirs = [folder]

    outcome = check_ekey(context)

    assert outcome.status is Status.OK
    assert outcome.details["module"] == str(folder / "libsofthsm2.so")
    assert serial in outcome.message.english
    tried = [attempt["outcome"] for attempt in outcome.details["tried"]]
    assert tried[-1] == "loaded"


def test_ekey_search_without_module_fails(tmp_path: Path) -> None:
    (tmp_path / "libgm3000_pkcs11.so").write_text("not a library", encoding="utf-8")
    context = _context(tmp_path)
    context.module_search_dirs = [tmp_path]

    outcome = check_ekey(context)

    assert outcome.status is Status.FAILURE
    assert "libgm3000_pkcs11.so" in outcome.message.english
    assert len(outcome.details["tried"]) > 1


def test_ekey_without_token_warns(
    tmp_path: Path, softhsm: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    module, _serial = softhsm
    empty = SoftHsmEnvironment(tmp_path / "empty-softhsm")
    monkeypatch.setenv("SOFTHSM2_CONF", str(empty.conf_path))

    outcome = check_ekey(_context(tmp_path, pkcs11_module=str(module)))

    assert outcome.status is Status.WARNING
    assert "no e-key is inserted" in outcome.message.english


# -- printer -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cups() -> Iterator[None]:
    if shutil.which("cupsd") is None and not Path("/usr/sbin/cupsd").exists():
        pytest.skip("cupsd is not installed (Debian packages cups and printer-driver-cups-pdf)")
    start_cupsd()
    ensure_cups_pdf_queue(PDF_QUEUE)
    yield


@pytest.fixture
def scratch_queue(cups: None) -> Iterator[str]:
    """A cups-pdf queue of this test alone, removed afterwards."""
    queue = ensure_cups_pdf_queue(SCRATCH_QUEUE)
    yield queue
    subprocess.run(["lpadmin", "-x", queue], check=False, capture_output=True)


def test_printer_queue_accepting(tmp_path: Path, cups: None) -> None:
    outcome = check_printer(_context(tmp_path, printer=PDF_QUEUE))

    assert outcome.status is Status.OK
    assert outcome.details["accepting_jobs"] is True
    assert PDF_QUEUE in outcome.message.english


def test_printer_missing_queue_fails(tmp_path: Path, cups: None) -> None:
    outcome = check_printer(_context(tmp_path, printer="fpcert-no-such-queue"))

    assert outcome.status is Status.FAILURE
    assert "does not exist" in outcome.message.english
    assert PDF_QUEUE in outcome.message.english


def test_printer_disabled_queue_fails(tmp_path: Path, scratch_queue: str) -> None:
    subprocess.run(["cupsdisable", "-r", "toner empty", scratch_queue], check=True)

    outcome = check_printer(_context(tmp_path, printer=scratch_queue))

    assert outcome.status is Status.FAILURE
    assert "paused" in outcome.message.english
    assert "toner empty" in outcome.message.english


def test_printer_rejecting_queue_fails(tmp_path: Path, scratch_queue: str) -> None:
    subprocess.run(["cupsreject", scratch_queue], check=True)

    outcome = check_printer(_context(tmp_path, printer=scratch_queue))

    assert outcome.status is Status.FAILURE
    assert f"cupsaccept {scratch_queue}" in outcome.message.english


def test_test_page_lands_in_cups_pdf(tmp_path: Path, cups: None) -> None:
    context = _context(tmp_path, printer=PDF_QUEUE)
    started = time.time()

    result = print_test_page(context)

    assert result.status is Status.OK, result.message.english
    job_id = result.details["job_id"]
    printed = None
    deadline = time.monotonic() + 20
    while printed is None and time.monotonic() < deadline:
        printed = find_cups_pdf_output(job_id, cups_pdf_output_dir(), after=started - 1)
        time.sleep(0.2)
    assert printed is not None, f"no PDF for {job_id} in {cups_pdf_output_dir()}"
    # cups-pdf drops the ToUnicode maps (see tests/printing/test_cups_print.py), so only
    # the ASCII text is extractable: compare page images for the Chinese text and 𠮷.
    text = subprocess.run(
        ["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "170" in text
    assert "257" in text
    assert "fpcert-desktop" in text
    fonts = load_font_set()
    result_image = render_preview(printed.read_bytes(), dpi=110)
    submitted = render_preview(render_test_page(fonts, font_test_text()), dpi=110)
    stand_in_text = font_test_text().replace("𠮷", "口")
    stand_in = render_preview(render_test_page(fonts, stand_in_text), dpi=110)
    match = differing_fraction(submitted, result_image)
    assert match < 0.005
    assert differing_fraction(stand_in, result_image) > match


def test_test_page_missing_queue_fails(tmp_path: Path, cups: None) -> None:
    result = print_test_page(_context(tmp_path, printer="fpcert-no-such-queue"), timeout=10)

    assert result.status is Status.FAILURE
    assert "fpcert-no-such-queue" in result.message.english


def test_windows_printer_needs_test_page(tmp_path: Path) -> None:
    context = _context(tmp_path, printer="HP LaserJet")
    context.platform = "win32"

    outcome = check_printer(context)
    page = print_test_page(context)

    assert outcome.status is Status.WARNING
    assert "HP LaserJet" in outcome.message.english
    assert page.status is Status.WARNING
    assert "diagnostics window" in page.message.english


# -- server ------------------------------------------------------------------------------


def test_server_reachable(tmp_path: Path, served: tuple[str, str]) -> None:  # noqa: F811
    base, _code = served

    outcome = check_server(_context(tmp_path, server_url=base))

    assert outcome.status is Status.OK, outcome.message.english
    assert abs(outcome.details["clock_offset_seconds"]) < 5
    assert "without TLS" in outcome.message.english


def test_server_down_fails(tmp_path: Path) -> None:
    from tests.server_process import free_port

    url = f"http://127.0.0.1:{free_port()}"

    outcome = check_server(_context(tmp_path, server_url=url))

    assert outcome.status is Status.FAILURE
    assert "cannot be reached" in outcome.message.english


def test_server_clock_difference(tmp_path: Path, served: tuple[str, str]) -> None:  # noqa: F811
    base, _code = served
    cases = [(timedelta(seconds=120), Status.WARNING), (timedelta(minutes=20), Status.FAILURE)]
    for shift, expected in cases:
        context = _context(tmp_path, server_url=base)
        context.clock = lambda shift=shift: datetime.now(timezone.utc) + shift

        outcome = check_server(context)

        assert outcome.status is expected
        assert "ahead of" in outcome.message.english


def test_server_tls_with_configured_ca(
    tmp_path: Path,
    tls_server: tuple[str, str, Path, Path],  # noqa: F811
) -> None:
    base, _code, trusted, _other = tls_server

    outcome = check_server(_context(tmp_path, server_url=base, ca_bundle=str(trusted)))

    assert outcome.status is Status.OK, outcome.message.english
    assert "verified TLS" in outcome.message.english


def test_server_tls_wrong_ca_fails(
    tmp_path: Path,
    tls_server: tuple[str, str, Path, Path],  # noqa: F811
) -> None:
    base, _code, _trusted, other = tls_server

    outcome = check_server(_context(tmp_path, server_url=base, ca_bundle=str(other)))

    assert outcome.status is Status.FAILURE
    assert "could not be verified" in outcome.message.english
    assert str(other) in outcome.message.english


def test_server_missing_ca_bundle_fails(tmp_path: Path) -> None:
    missing = tmp_path / "ca.pem"
    context = _context(tmp_path, server_url="https://127.0.0.1:9", ca_bundle=str(missing))

    outcome = check_server(context)

    assert outcome.status is Status.FAILURE
    assert str(missing) in outcome.message.english


def test_no_server_warns(tmp_path: Path) -> None:
    outcome = check_server(_context(tmp_path))

    assert outcome.status is Status.WARNING
    assert "offline" in outcome.message.english


# -- database ----------------------------------------------------------------------------


def _database(path: Path, revision: str = "head") -> Path:
    database = Database(path)
    database.upgrade(revision)
    database.dispose()
    return path


def test_database_current_schema_ok(tmp_path: Path) -> None:
    _database(tmp_path / "client.sqlite3")

    outcome = check_database(_context(tmp_path))

    assert outcome.status is Status.OK, outcome.message.english
    assert outcome.details["schema_version"] == outcome.details["head"]


def test_database_old_revision_warns(tmp_path: Path) -> None:
    _database(tmp_path / "client.sqlite3", "0001")

    outcome = check_database(_context(tmp_path))

    assert outcome.status is Status.WARNING
    assert outcome.details["schema_version"] == "0001"
    assert "0001" in outcome.message.english


def test_database_unknown_revision_fails(tmp_path: Path) -> None:
    path = _database(tmp_path / "client.sqlite3")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")

    outcome = check_database(_context(tmp_path))

    assert outcome.status is Status.FAILURE
    assert "9999_future" in outcome.message.english


def test_database_corrupted_page_fails(tmp_path: Path) -> None:
    path = _database(tmp_path / "client.sqlite3")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 4
    # Overwrite every page after the first two (the header and the schema table) with
    # garbage, so the b-trees of the tables are damaged but the file still opens.
    with path.open("r+b") as stream:
        stream.seek(2 * page_size)
        stream.write(b"\xa5" * (pages - 2) * page_size)

    outcome = check_database(_context(tmp_path))

    assert outcome.status is Status.FAILURE
    assert str(path) in outcome.message.english


def test_database_not_sqlite_fails(tmp_path: Path) -> None:
    (tmp_path / "client.sqlite3").write_bytes(b"this is not a database" * 100)

    outcome = check_database(_context(tmp_path))

    assert outcome.status is Status.FAILURE
    assert "cannot be read" in outcome.message.english


def test_database_missing_warns(tmp_path: Path) -> None:
    outcome = check_database(_context(tmp_path))

    assert outcome.status is Status.WARNING
    assert "does not exist yet" in outcome.message.english


def test_database_check_is_read_only(tmp_path: Path) -> None:
    path = _database(tmp_path / "client.sqlite3", "0001")
    before = path.read_bytes()

    check_database(_context(tmp_path))

    assert path.read_bytes() == before


# -- fonts, disk, keyring ------------------------------------------------------------------


def test_fonts_cover_extension_b(tmp_path: Path) -> None:
    if find_font_file("HanaMinB.ttf", system_font_dirs()) is None:
        pytest.skip("HanaMinB is not installed (Debian package fonts-hanazono)")

    outcome = check_fonts(_context(tmp_path))

    assert outcome.status is Status.OK
    assert "U+2020C" in outcome.message.english


def test_fonts_without_extension_b_fail(tmp_path: Path) -> None:
    uming = find_font_file("uming.ttc", system_font_dirs())
    if uming is None:
        pytest.skip("AR PL UMing is not installed (Debian package fonts-arphic-uming)")
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "uming.ttc").symlink_to(uming)
    context = _context(tmp_path)
    context.font_dirs = [folder]

    outcome = check_fonts(context)

    assert outcome.status is Status.FAILURE
    assert outcome.details["missing"] == ["U+20BB7"]
    assert "𠮷" in outcome.message.english


def test_fonts_none_found_fail(tmp_path: Path) -> None:
    context = _context(tmp_path)
    context.font_dirs = [tmp_path / "no-fonts"]

    outcome = check_fonts(context)

    assert outcome.status is Status.FAILURE
    assert "No certificate font" in outcome.message.english


def test_disk_space_reported(tmp_path: Path) -> None:
    outcome = check_disk(_context(tmp_path))

    free = shutil.disk_usage(tmp_path).free
    assert outcome.details["folder"] == str(tmp_path)
    assert abs(outcome.details["free_bytes"] - free) < 512 * 2**20
    expected = Status.OK if free > 2 * 2**30 else Status.WARNING
    assert outcome.status in (expected, Status.WARNING)


def test_disk_space_too_small_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A database larger than half the free space cannot be migrated safely. A sparse file
    # makes such a database without using the disk.
    free = shutil.disk_usage(tmp_path).free
    with (tmp_path / "client.sqlite3").open("wb") as stream:
        stream.truncate(free // 2 + 2**20)

    outcome = check_disk(_context(tmp_path))

    assert outcome.status is Status.FAILURE
    assert "database_path" in outcome.message.english


def test_keyring_fallback_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("FPCERT_USER_CONFIG_DIR", str(tmp_path / "user-config"))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        outcome = check_keyring(_context(tmp_path))
    finally:
        keyring.set_keyring(previous)

    assert outcome.status is Status.WARNING
    assert str(tmp_path / "user-config" / "workstation-credentials.json") in (
        outcome.message.english
    )


# -- running, timeouts, report -------------------------------------------------------------


def test_hung_check_times_out() -> None:
    title = QT_TRANSLATE_NOOP("Doctor", "Server")
    started = time.monotonic()

    result = run_with_timeout(
        "hang", title, lambda: time.sleep(30) or Outcome(Status.OK, title.format()), 1.0
    )

    assert time.monotonic() - started < 5
    assert result.status is Status.FAILURE
    assert result.details["timed_out"] is True
    assert "within 1 seconds" in result.message.english


def test_crashing_check_fails() -> None:
    title = QT_TRANSLATE_NOOP("Doctor", "Server")

    def crash() -> Outcome:
        raise KeyError("boom")

    result = run_with_timeout("crash", title, crash, 5)

    assert result.status is Status.FAILURE
    assert "boom" in result.message.english


def test_invalid_config_reported_and_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("idle_lock_minutes = 999\n", encoding="utf-8")

    context = DoctorContext.load(path)
    results = run_checks(context, [check for check in CHECKS if check.key == "config"])

    assert context.settings == Settings()
    assert results[0].status is Status.FAILURE
    assert "idle_lock_minutes" in results[0].message.english
    assert "999" in results[0].message.english


# -- support bundle ----------------------------------------------------------------------


def test_bundle_contents_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_dir = tmp_path / "logs"
    configure_logging(log_dir)
    logging.getLogger("fpcert_desktop.test").warning("looked up %s", SYNTHETIC_ID)
    for handler in logging.getLogger().handlers:
        handler.flush()
    # A log written before masking existed still contains the full number.
    (log_dir / "fpcert-desktop.log.1").write_text(
        f"2020-01-01 INFO lookup {SYNTHETIC_ID} found\n", encoding="utf-8"
    )
    config = tmp_path / "config.toml"
    save_settings(Settings(printer=PDF_QUEUE, database_path=str(tmp_path / "c.sqlite3")), config)
    with config.open("a", encoding="utf-8") as stream:
        stream.write('api_token = "tok-123"\nadmin_password = "pw-456"\n')
    _database(tmp_path / "c.sqlite3")
    context = DoctorContext.load(config)
    results = run_checks(context, [check for check in CHECKS if check.key in ("config", "disk")])

    bundle = write_support_bundle(
        tmp_path / "bundle.zip", results, config_path=config, log_dir=log_dir
    )

    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        contents = {name: archive.read(name).decode("utf-8") for name in names}
    assert {"doctor.txt", "doctor.json", "versions.json", "config.toml"} <= names
    assert {"logs/fpcert-desktop.log", "logs/fpcert-desktop.log.1"} <= names
    assert not [name for name in names if "sqlite" in name]
    for name, text in contents.items():
        assert SYNTHETIC_ID not in text, name
    assert MASKED_ID in contents["logs/fpcert-desktop.log.1"]
    assert MASKED_ID in contents["logs/fpcert-desktop.log"]
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert "tok-123" not in contents["config.toml"]
    assert "pw-456" not in contents["config.toml"]
    assert f'printer = "{PDF_QUEUE}"' in contents["config.toml"]
    report = json.loads(contents["doctor.json"])
    assert [check["check"] for check in report["checks"]] == ["config", "disk"]
    versions = json.loads(contents["versions.json"])
    assert versions["qt"]
    assert versions["libc"].startswith("glibc")


def test_bundle_masks_ids_next_to_letters(tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    full_width = SYNTHETIC_ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    (log_dir / "fpcert-desktop.log.1").write_text(
        f"old: X{SYNTHETIC_ID}Y key=abc{SYNTHETIC_ID} wide {full_width}\n", encoding="utf-8"
    )

    bundle = write_support_bundle(tmp_path / "b.zip", [], config_path=None, log_dir=log_dir)

    with zipfile.ZipFile(bundle) as archive:
        text = archive.read("logs/fpcert-desktop.log.1").decode("utf-8")
    assert SYNTHETIC_ID not in text
    assert full_width[6:14] not in text
    assert text.count(MASKED_ID) == 3


def test_bundle_replaces_existing_file_private(tmp_path: Path) -> None:
    target = tmp_path / "b.zip"
    target.write_bytes(b"old")
    target.chmod(0o644)

    write_support_bundle(target, [], config_path=None, log_dir=tmp_path / "no-logs")

    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert zipfile.is_zipfile(target)


def test_bundle_missing_folder_not_created(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "b.zip"

    with pytest.raises(FileNotFoundError):
        write_support_bundle(target, [], config_path=None, log_dir=tmp_path)

    assert not target.parent.exists()


def test_strip_secrets_keeps_other_lines() -> None:
    text = '# comment\nprinter = "a"\nsync_secret = "s"\n"token" = "t"\n'

    stripped = strip_secrets(text)

    assert 'printer = "a"' in stripped
    assert "# comment" in stripped
    assert '"s"' not in stripped
    assert '"t"' not in stripped


# -- command line ------------------------------------------------------------------------


def _doctor_command(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "FPCERT_LOG_DIR": str(tmp_path / "logs"),
        "FPCERT_USER_CONFIG_DIR": str(tmp_path / "user-config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        [sys.executable, "-m", "fpcert_desktop.cli", "doctor", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_cli_exit_code_zero_when_nothing_failed(
    tmp_path: Path, cups: None, softhsm: tuple[Path, str]
) -> None:
    module, serial = softhsm
    config = tmp_path / "config.toml"
    database = _database(tmp_path / "client.sqlite3")
    settings = Settings(printer=PDF_QUEUE, database_path=str(database), pkcs11_module=str(module))
    save_settings(settings, config)

    completed = _doctor_command(tmp_path, "--config", str(config), "--json")

    report = json.loads(completed.stdout)
    statuses = {check["check"]: check["status"] for check in report["checks"]}
    assert completed.returncode == 0, statuses
    assert statuses["ekey"] == "ok"
    assert statuses["printer"] == "ok"
    assert statuses["database"] == "ok"
    assert serial in json.dumps(report, ensure_ascii=False)


def test_cli_exit_code_one_on_failure(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('printer = "fpcert-no-such-queue"\nlanguage = "en"\n', encoding="utf-8")
    bundle = tmp_path / "support.zip"

    completed = _doctor_command(tmp_path, "--config", str(config), "--bundle", str(bundle))

    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    assert len(lines) == len(CHECKS)
    assert re.match(r"^(OK|Warning|Error) ", lines[0])
    assert any(line.startswith("Error Printer:") for line in lines)
    assert zipfile.is_zipfile(bundle)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing/b.zip", "does not exist"),
        ("b.txt", "must end in .zip"),
        ("", "is a folder"),
        ("folder.zip", "is a folder"),
    ],
)
def test_cli_bad_bundle_path_exit_two(tmp_path: Path, name: str, expected: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    (tmp_path / "folder.zip").mkdir()
    bundle = str(tmp_path / name) if name else ""

    completed = _doctor_command(tmp_path, "--config", str(config), "--bundle", bundle)

    assert completed.returncode == 2
    assert expected in completed.stderr
    assert completed.stdout == ""
    assert not (tmp_path / "missing").exists()
    assert not (tmp_path / "b.txt").exists()


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_cli_unwritable_bundle_gets_advice(tmp_path: Path) -> None:
    # sysfs rejects new files even for root, so this fails in every test account.
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")

    completed = _doctor_command(
        tmp_path, "--config", str(config), "--bundle", "/sys/fpcert-support.zip"
    )

    assert completed.returncode == 1
    assert "could not be written to /sys/fpcert-support.zip" in completed.stderr
    assert "permission denied" in completed.stderr
    assert "Choose a folder you may write to" in completed.stderr
    assert "Errno" not in completed.stderr


def test_cli_missing_config_file_fails(tmp_path: Path) -> None:
    completed = _doctor_command(tmp_path, "--config", str(tmp_path / "absent.toml"))

    assert completed.returncode == 1
    assert "absent.toml" in completed.stdout.splitlines()[0]


# -- where settings are stored -----------------------------------------------------------

PACKAGE = ROOT / "fpcert_desktop"


def _modules_using(pattern: str) -> set[str]:
    compiled = re.compile(pattern)
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if compiled.search(path.read_text(encoding="utf-8"))
    }


def test_settings_stores_have_one_writer_each() -> None:
    # Per-user UI state goes to QSettings from the GUI only, secrets to the keyring from
    # the credentials module only, and the machine-wide file is written by save_settings.
    qsettings = _modules_using(r"QSettings\(")
    assert qsettings
    assert all(module.startswith("gui/") for module in qsettings), qsettings
    assert _modules_using(r"keyring\.(set|delete)_password\(") == {"sync/credentials.py"}
    assert _modules_using(r"\bsave_settings\(") <= {"config.py", "demo.py"}
    assert _modules_using(r"/etc/fpcert") == {"config.py"}
