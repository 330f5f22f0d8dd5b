"""The wheel carries everything the app reads at run time: policy, translations, forms."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_runtime_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("fpcert_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    expected = [
        "fpcert_desktop/resources/policy/policy-2012-04-25.toml",
        "fpcert_desktop/resources/reference/shenzhen-divisions.csv",
        "fpcert_desktop/resources/translations/fpcert_zh_CN.qm",
        "fpcert_desktop/ui/main_window.ui",
        "fpcert_desktop/ui/login_dialog.ui",
        "fpcert_desktop/ui/lock_dialog.ui",
        "fpcert_desktop/storage/migrations/env.py",
        "fpcert_desktop/sync/runner.py",
        "fpcert_server/app.py",
    ]
    for name in expected:
        assert name in names
    assert any(name.startswith("fpcert_desktop/storage/migrations/versions/0001") for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert (
        "fpcert-desktop = fpcert_desktop.cli:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )
