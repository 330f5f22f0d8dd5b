"""Every screen text and core message has a Simplified Chinese translation that loads."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from fpcert_desktop import i18n
from fpcert_desktop.domain.idnumber import InvalidIdNumber, parse_id_number
from fpcert_desktop.gui.language import install_language

ROOT = Path(__file__).resolve().parent.parent
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_translation_files_complete_and_fresh() -> None:
    """Fails when code has a string the .ts lacks, one is untranslated, or the .qm is stale."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.stdout == ""
    assert result.returncode == 0


def test_translate_noop_arguments_are_literals() -> None:
    """lupdate extracts only literal strings: a context held in a variable is never translated."""
    offenders = []
    for path in sorted((ROOT / "fpcert_desktop").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QT_TRANSLATE_NOOP"
            ):
                continue
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args]
            if literal != [True, True]:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.fixture
def application() -> QCoreApplication:
    return QCoreApplication.instance() or QCoreApplication([])


def test_core_message_renders_in_chinese(application: QCoreApplication) -> None:
    install_language("zh_CN")
    try:
        with pytest.raises(InvalidIdNumber) as raised:
            parse_id_number("44030419900315980")
        text = str(raised.value.message)
        assert CHINESE.search(text), text
        assert "17" in text
    finally:
        install_language("en")


def test_english_setting_keeps_source_text(application: QCoreApplication) -> None:
    install_language("en")
    with pytest.raises(InvalidIdNumber) as raised:
        parse_id_number("44030419900315980")
    assert not CHINESE.search(str(raised.value.message))
    assert i18n.current_language() == "en"
