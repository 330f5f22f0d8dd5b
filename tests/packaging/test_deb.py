"""The .deb installs, runs, upgrades and purges on this machine (Debian 12, as root).

The demo test logs in with a SoftHSM2 e-key and prints on the cups-pdf queue through
the installed binary, offscreen.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from debtools import (
    CONFFILE,
    INSTALLED_COMMAND,
    INSTALLED_TREE,
    PACKAGE,
    ROOT,
    DebPackage,
    DebPackages,
    deb_field,
    install,
    purge,
    run,
)
from pypdf import PdfReader

from fpcert_desktop.config import Settings, render_settings
from fpcert_desktop.domain.offices import Office, OfficeLevel
from fpcert_desktop.printing.cups_admin import cups_pdf_output_dir
from fpcert_desktop.storage import Database
from fpcert_desktop.storage.db import alembic_config
from fpcert_desktop.storage.repositories import OfficeRepository

pytestmark = pytest.mark.package

GLIBC_MINIMUM = (ROOT / "installer" / "linux" / "glibc-minimum.txt").read_text().strip()
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
# A revision before the head, as an older release of the app left the database.
OLD_REVISION = "0002"
DEMO_PEOPLE = "10"


def _app(
    *arguments: str, timeout: float = 180, **environment: str
) -> subprocess.CompletedProcess[str]:
    """Run the installed command, from a folder outside the source tree."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **environment}
    env.pop("FPCERT_CONFIG", None)
    return subprocess.run(
        [str(INSTALLED_COMMAND), *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=timeout,
    )


def _installed_version() -> str:
    return run(["dpkg-query", "--show", "--showformat=${Version}", PACKAGE]).stdout


def test_control_fields(debs: DebPackages) -> None:
    deb = debs.current.path
    depends = deb_field(deb, "Depends")

    assert f"libc6 (>= {GLIBC_MINIMUM})" in depends
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0", "cups-client"):
        assert package in depends
    for font in ("fonts-arphic-uming", "fonts-hanazono", "fonts-wqy-zenhei"):
        assert font in depends
    assert "python3" not in depends
    assert deb_field(deb, "Package") == PACKAGE


def test_contents_and_conffile(debs: DebPackages, tmp_path: Path) -> None:
    run(["dpkg-deb", "--control", str(debs.current.path), str(tmp_path / "control")])
    run(["dpkg-deb", "--extract", str(debs.current.path), str(tmp_path / "root")])
    root = tmp_path / "root"

    conffiles = (tmp_path / "control" / "conffiles").read_text().split()
    assert conffiles == [str(CONFFILE)]
    assert (root / "etc/fpcert/config.toml").read_text(encoding="utf-8") == render_settings(
        Settings()
    )
    assert os.readlink(root / "usr/bin/fpcert-desktop") == "/opt/fpcert-desktop/fpcert-desktop"
    desktop = (root / "usr/share/applications/fpcert-desktop.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=计划生育证明管理系统" in desktop
    assert "Icon=fpcert-desktop" in desktop
    assert (root / "usr/share/icons/hicolor/scalable/apps/fpcert-desktop.svg").is_file()
    assert (root / "usr/share/icons/hicolor/48x48/apps/fpcert-desktop.png").is_file()
    assert (root / "opt/fpcert-desktop/_internal/resources/translations/fpcert_zh_CN.qm").is_file()
    copyright_text = (root / "usr/share/doc/fpcert-desktop/copyright").read_text(encoding="utf-8")
    assert copyright_text.startswith("Format: https://www.debian.org/doc/packaging-manuals/")
    assert "License: Apache-2.0" in copyright_text
    assert " PySide6_Essentials " in copyright_text
    migrations = root / "opt/fpcert-desktop/_internal/fpcert_desktop/storage/migrations"
    assert (migrations / "env.py").is_file()
    assert any((migrations / "versions").glob(f"{HEAD}_*.py"))
    maintainer_scripts = [
        name
        for name in ("preinst", "postinst", "prerm", "postrm")
        if (tmp_path / "control" / name).exists()
    ]
    assert maintainer_scripts == []


def test_installed_tree_within_glibc_minimum(installed: DebPackage) -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_glibc.py"), str(INSTALLED_TREE)],
        capture_output=True,
        text=True,
    )

    assert completed.returncode == 0, completed.stderr
    assert f"checked against glibc {GLIBC_MINIMUM}" in completed.stdout


def test_installed_version(installed: DebPackage) -> None:
    completed = _app("--version", timeout=60)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"fpcert-desktop {installed.version}"
    assert _installed_version() == installed.version


def test_installed_demo_prints(installed: DebPackage, tmp_path: Path) -> None:
    """Log in with a SoftHSM2 e-key and print through the installed binary, offscreen."""
    pdf_dir = cups_pdf_output_dir()
    before = set(pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else set()
    started = time.time()

    completed = _app(
        "demo", "--dir", str(tmp_path / "demo"), "--people", DEMO_PEOPLE, "--autopilot"
    )

    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "autopilot: printed" in completed.stdout + completed.stderr
    new_pdfs = [
        path for path in _wait_for_pdfs(pdf_dir, before) if path.stat().st_mtime >= started - 1
    ]
    assert new_pdfs, f"no new PDF in {pdf_dir}"
    assert len(PdfReader(new_pdfs[-1]).pages) >= 1

    # The demo's e-keys are SoftHSM2 tokens in its own folder.
    doctor = _app(
        "doctor",
        "--json",
        "--config",
        str(tmp_path / "demo" / "config.toml"),
        SOFTHSM2_CONF=str(tmp_path / "demo" / "softhsm" / "softhsm2.conf"),
    )
    report = json.loads(doctor.stdout)
    statuses = {check["check"]: check["status"] for check in report["checks"]}
    assert statuses["config"] == "ok"
    assert statuses["database"] == "ok"
    assert statuses["fonts"] == "ok"
    assert statuses["printer"] == "ok"
    assert statuses["ekey"] == "ok"


def _wait_for_pdfs(folder: Path, before: set[Path], timeout: float = 30) -> list[Path]:
    """Return the PDFs cups-pdf wrote since ``before``; the job finishes after lp returns."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = sorted(set(folder.glob("*.pdf")) - before, key=lambda path: path.stat().st_mtime)
        if new:
            return new
        time.sleep(0.5)
    return []


def test_installed_doctor_runs(installed: DebPackage) -> None:
    completed = _app("doctor", "--json", timeout=120)

    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    assert report["program"] == PACKAGE
    checks = {check["check"] for check in report["checks"]}
    assert {"config", "ekey", "printer", "database", "fonts"} <= checks


def test_upgrade_keeps_config_and_data(debs: DebPackages, tmp_path: Path) -> None:
    """Upgrade over an older package: the edited conffile and the database survive.

    The older package is the same bundle repackaged with a lower version (see the
    ``debs`` fixture), so dpkg runs its real upgrade and conffile handling. The database
    is made at revision 0002 with this tree's migrations, as an older release would
    have left it, with one office row that must survive. The new binary then starts
    on it (``demo --setup-only``), backs it up and migrates it to the head.
    """
    purge()
    install(debs.older)
    assert _installed_version() == debs.older.version
    assert _app("--version", timeout=60).stdout.strip() == f"fpcert-desktop {debs.older.version}"
    edited = CONFFILE.read_text(encoding="utf-8").replace(
        'workstation_code = "01"', 'workstation_code = "07"'
    )
    assert 'workstation_code = "07"' in edited
    CONFFILE.write_text(edited, encoding="utf-8")

    demo = tmp_path / "demo"
    database = Database(demo / "fpcert.sqlite")
    database.upgrade(OLD_REVISION)
    with database.session() as session:
        OfficeRepository(session).add_many(
            [Office("449999", "升级测试区卫生健康局", OfficeLevel.DISTRICT)]
        )
    database.dispose()

    try:
        install(debs.current)

        assert _installed_version() == debs.current.version
        assert CONFFILE.read_text(encoding="utf-8") == edited
        assert not list(CONFFILE.parent.glob("config.toml.dpkg-*"))

        completed = _app("demo", "--dir", str(demo), "--people", DEMO_PEOPLE, "--setup-only")
        assert completed.returncode == 0, completed.stderr[-3000:]
    finally:
        purge()

    with sqlite3.connect(demo / "fpcert.sqlite") as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        office = connection.execute("SELECT name FROM offices WHERE code = '449999'").fetchone()
    assert revision == HEAD
    assert office == ("升级测试区卫生健康局",)
    backups = sorted(demo.glob("fpcert.sqlite.*.bak"))
    assert len(backups) == 1
    assert re.fullmatch(
        rf"fpcert\.sqlite\.\d{{8}}T\d{{12}}Z\.rev-{OLD_REVISION}\.bak", backups[0].name
    )
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600


def test_remove_then_purge(debs: DebPackages) -> None:
    purge()
    install(debs.current)

    run(["dpkg", "--remove", PACKAGE])

    assert not INSTALLED_TREE.exists()
    assert not INSTALLED_COMMAND.exists()
    assert not Path("/usr/share/applications/fpcert-desktop.desktop").exists()
    assert CONFFILE.is_file()
    status = run(["dpkg-query", "--show", "--showformat=${Status}", PACKAGE]).stdout
    assert status == "deinstall ok config-files"

    purge()

    assert not CONFFILE.exists()
    assert not CONFFILE.parent.exists()
    listed = subprocess.run(["dpkg-query", "--show", PACKAGE], capture_output=True, text=True)
    assert listed.returncode != 0
