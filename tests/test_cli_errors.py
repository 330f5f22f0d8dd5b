"""Unusable database files give a message and an exit code, never a traceback or a change."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from fpcert_desktop.cli import main
from fpcert_desktop.config import Settings, save_settings
from fpcert_desktop.storage import Database

# The command-line tests take ``qapp``: the commands install their messages' language on
# the running Qt application, and a bare QCoreApplication left behind would abort the GUI
# tests that run later in the same process.

DAILY = ["report", "daily", "--date", "2026-12-04", "--office", "440304004"]


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FPCERT_LOG_DIR", str(tmp_path / "logs"))


def _config(tmp_path: Path, database: Path) -> Path:
    config = tmp_path / "config.toml"
    save_settings(Settings(database_path=str(database), language="en"), config)
    return config


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE foo (x)")
    return path


def _text_file(path: Path) -> Path:
    path.write_text("this is a text file, not a database\n" * 200, encoding="utf-8")
    return path


def _corrupted(path: Path) -> Path:
    """Write a database of this program, then overwrite every page after the first."""
    database = Database(path)
    database.upgrade()
    database.dispose()
    size = path.stat().st_size
    with path.open("r+b") as file:
        for offset in range(4096, size, 4096):
            file.seek(offset)
            file.write(os.urandom(4096))
    return path


@pytest.mark.parametrize("make", [_text_file, _corrupted], ids=["text_file", "corrupted"])
def test_report_on_damaged_database(qapp, tmp_path: Path, capsys, make) -> None:  # noqa: ANN001
    database = make(tmp_path / "fpcert.sqlite3")
    before = _digest(database)
    config = _config(tmp_path, database)

    code = main(["--config", str(config), *DAILY, "--out", str(tmp_path / "daily.pdf")])

    captured = capsys.readouterr()
    assert code == 1
    assert "is damaged or is not a database of this program" in captured.err
    assert str(database) in captured.err
    assert "fpcert-desktop doctor" in captured.err
    assert "Traceback" not in captured.err
    assert _digest(database) == before
    assert not (tmp_path / "daily.pdf").exists()


def test_report_leaves_foreign_database_unchanged(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    database = _foreign(tmp_path / "other.sqlite")
    before = _digest(database)
    config = _config(tmp_path, database)

    code = main(["--config", str(config), *DAILY, "--out", str(tmp_path / "daily.pdf")])

    assert code == 1
    assert "without this program's tables" in capsys.readouterr().err
    assert _digest(database) == before


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_report_creates_no_database(qapp, tmp_path: Path, capsys, kind: str) -> None:  # noqa: ANN001
    database = tmp_path / "fpcert.sqlite3"
    if kind == "empty":
        database.touch()
    config = _config(tmp_path, database)

    code = main(["--config", str(config), *DAILY, "--out", str(tmp_path / "daily.pdf")])

    error = capsys.readouterr().err
    assert code == 1
    assert "There is no database at" in error
    assert "fpcert-desktop run" in error
    if kind == "missing":
        assert not database.exists()
    else:
        assert database.stat().st_size == 0


def test_report_does_not_migrate(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "fpcert.sqlite3"
    old = Database(path)
    old.upgrade("0001")
    old.dispose()
    before = _digest(path)
    config = _config(tmp_path, path)

    code = main(["--config", str(config), *DAILY, "--out", str(tmp_path / "daily.pdf")])

    error = capsys.readouterr().err
    assert code == 1
    assert "older schema version 0001" in error
    assert _digest(path) == before
    assert list(tmp_path.glob("*.bak")) == []


@pytest.mark.parametrize("make", [_text_file, _foreign], ids=["text_file", "foreign"])
def test_run_on_unusable_database(qapp, tmp_path: Path, capsys, make) -> None:  # noqa: ANN001
    database = make(tmp_path / "fpcert.sqlite3")
    before = _digest(database)
    config = _config(tmp_path, database)

    code = main(["--config", str(config), "run"])

    error = capsys.readouterr().err
    assert code == 3
    assert str(database) in error
    assert "Nothing was printed" not in error
    assert "Traceback" not in error
    assert _digest(database) == before


def test_generate_on_text_file(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    database = _text_file(tmp_path / "notes.sqlite")
    config = _config(tmp_path, database)

    code = main(["--config", str(config), "generate", "--people", "10", "--db", str(database)])

    error = capsys.readouterr().err
    assert code == 1
    assert "is damaged or is not a database of this program" in error
    assert "Traceback" not in error


def test_generate_on_folder(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "db.sqlite"
    folder.mkdir()
    config = _config(tmp_path, folder)

    code = main(["--config", str(config), "generate", "--people", "10", "--db", str(folder)])

    assert code == 1
    assert "could not be opened or written" in capsys.readouterr().err


def test_generate_into_missing_folder(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "missing" / "db.sqlite"
    config = _config(tmp_path, tmp_path / "unused.sqlite")

    code = main(["--config", str(config), "generate", "--people", "10", "--db", str(path)])

    assert code == 1
    assert "does not exist" in capsys.readouterr().err
    assert not path.parent.exists()


def test_generate_prints_summary(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "db.sqlite"
    config = _config(tmp_path, path)

    assert main(["--config", str(config), "generate", "--people", "10", "--db", str(path)]) == 0

    output = capsys.readouterr().out
    assert "GenerationReport(" not in output
    assert "Wrote 10 synthetic people" in output
    assert str(path) in output

    assert main(["--config", str(config), "generate", "--people", "10", "--db", str(path)]) == 1
    assert "already contains people" in capsys.readouterr().err


def test_run_unexpected_start_error(qapp, tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    import fpcert_desktop.gui.run as run_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("synthetic start failure")

    monkeypatch.setattr(run_module, "open_services", broken)
    config = _config(tmp_path, tmp_path / "fpcert.sqlite3")

    code = main(["--config", str(config), "run"])

    error = capsys.readouterr().err
    assert code == 3
    assert "could not start because of an unexpected error (RuntimeError)" in error
    assert "Nothing was printed" not in error
    assert "Traceback" not in error
    log_text = (tmp_path / "logs" / "fpcert-desktop.log").read_text(encoding="utf-8")
    assert "synthetic start failure" in log_text


def test_open_database_raises_service_error(tmp_path: Path) -> None:
    from fpcert_desktop.services.context import ServiceError
    from fpcert_desktop.services.setup import open_database

    database = _foreign(tmp_path / "other.sqlite")
    settings = Settings(database_path=str(database))

    with pytest.raises(ServiceError) as raised:
        open_database(settings)

    assert raised.value.code == "database_foreign"
    assert str(database) in raised.value.message.english


def test_demo_on_damaged_database(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "fpcert.sqlite").write_bytes(b"not a database" * 200)

    assert main(["demo", "--dir", str(folder), "--people", "10", "--setup-only"]) == 1

    error = capsys.readouterr().err
    assert "fpcert.sqlite" in error
    assert "--reset" in error
