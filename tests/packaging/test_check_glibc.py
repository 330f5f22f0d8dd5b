"""tools/check_glibc.py names every ELF file that needs a glibc above the minimum."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHECK = ROOT / "tools" / "check_glibc.py"
MINIMUM_FILE = ROOT / "installer" / "linux" / "glibc-minimum.txt"


def _check(tree: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK), str(tree), *options], capture_output=True, text=True
    )


def _interpreter_copy(folder: Path) -> Path:
    """Copy this Python's executable, a small ELF file that needs GLIBC_2.34."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "python-copy"
    shutil.copyfile(Path(sys.executable).resolve(), target)
    if b"GLIBC_2.34" not in target.read_bytes():
        pytest.fail(f"{sys.executable} does not need GLIBC_2.34; pick another ELF file")
    return target


def test_minimum_file_holds_a_version() -> None:
    text = MINIMUM_FILE.read_text(encoding="utf-8").strip()

    assert text.count(".") == 1
    assert all(part.isdigit() for part in text.split("."))


def test_tree_within_minimum_passes(tmp_path: Path) -> None:
    _interpreter_copy(tmp_path / "bin")

    completed = _check(tmp_path, "--minimum", "2.34")

    assert completed.returncode == 0, completed.stderr
    assert "1 ELF files checked against glibc 2.34" in completed.stdout


def test_crafted_newer_version_fails(tmp_path: Path) -> None:
    copy = _interpreter_copy(tmp_path / "bin")
    # Rename the version need in .gnu.version_r's string table; the length stays the same.
    copy.write_bytes(copy.read_bytes().replace(b"GLIBC_2.34", b"GLIBC_2.99"))
    (tmp_path / "notes.txt").write_text("not an ELF file", encoding="utf-8")

    completed = _check(tmp_path, "--minimum", "2.35")

    assert completed.returncode == 1
    assert "bin/python-copy:" in completed.stderr
    assert "needs GLIBC_2.99" in completed.stderr
    assert "notes.txt" not in completed.stderr


def test_minimum_below_real_needs_fails(tmp_path: Path) -> None:
    _interpreter_copy(tmp_path / "bin")

    completed = _check(tmp_path, "--minimum", "2.17")

    assert completed.returncode == 1
    assert "needs GLIBC_2.34:" in completed.stderr


def test_invalid_minimum_rejected(tmp_path: Path) -> None:
    completed = _check(tmp_path, "--minimum", "two")

    assert completed.returncode == 2
    assert "not a glibc version" in completed.stderr


def test_tree_without_elf_fails(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("text", encoding="utf-8")

    completed = _check(tmp_path, "--minimum", "2.35")

    assert completed.returncode == 1
    assert "no ELF files" in completed.stderr
