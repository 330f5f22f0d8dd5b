"""tools/check_glibc.py names every ELF file that needs a glibc above the minimum."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHECK = ROOT / "tools" / "check_glibc.py"
MINIMUM_FILE = ROOT / "installer" / "linux" / "glibc-minimum.txt"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_glibc", CHECK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses looks the module up in sys.modules while the class body runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


check_glibc = _load_tool()


def _highest_need(path: Path) -> str:
    highest = check_glibc.inspect_elf(path).highest
    assert highest is not None, f"{path} needs no GLIBC_ version"
    return check_glibc.format_version(highest)


def _check(tree: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK), str(tree), *options], capture_output=True, text=True
    )


def _interpreter_copy(folder: Path) -> Path:
    """Copy this Python's executable, a real ELF file that needs GLIBC_2.34 or newer."""
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
    highest = _highest_need(_interpreter_copy(tmp_path / "bin"))

    completed = _check(tmp_path, "--minimum", highest)

    assert completed.returncode == 0, completed.stderr
    assert f"1 ELF files checked against glibc {highest}" in completed.stdout
    assert f"highest need: GLIBC_{highest} (bin/python-copy)" in completed.stdout


def test_crafted_newer_version_fails(tmp_path: Path) -> None:
    copy = _interpreter_copy(tmp_path / "bin")
    # Rename the version need in .gnu.version_r's string table; the length stays the same.
    copy.write_bytes(copy.read_bytes().replace(b"GLIBC_2.34", b"GLIBC_2.99"))
    (tmp_path / "notes.txt").write_text("not an ELF file", encoding="utf-8")

    completed = _check(tmp_path, "--minimum", "2.98")

    assert completed.returncode == 1
    assert "bin/python-copy:" in completed.stderr
    assert "needs GLIBC_2.99" in completed.stderr
    assert "notes.txt" not in completed.stderr


def test_minimum_below_real_needs_fails(tmp_path: Path) -> None:
    highest = _highest_need(_interpreter_copy(tmp_path / "bin"))

    completed = _check(tmp_path, "--minimum", "2.17")

    assert completed.returncode == 1
    assert "needs GLIBC_2.34:" in completed.stderr
    assert f"needs GLIBC_{highest}:" in completed.stderr


def test_invalid_minimum_rejected(tmp_path: Path) -> None:
    completed = _check(tmp_path, "--minimum", "two")

    assert completed.returncode == 2
    assert "not a glibc version" in completed.stderr


def test_tree_without_elf_fails(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("text", encoding="utf-8")

    completed = _check(tmp_path, "--minimum", "2.35")

    assert completed.returncode == 1
    assert "no ELF files" in completed.stderr
