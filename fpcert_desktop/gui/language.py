"""Install the Qt translators for the chosen language and route core messages through them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from fpcert_desktop import i18n
from fpcert_desktop.locations import resource_path

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("zh_CN", "en")

# QCoreApplication keeps only a pointer to an installed translator: keep the objects alive.
_installed: list[QTranslator] = []


def install_language(language: str) -> None:
    """Switch to ``zh_CN`` or ``en``; English is the source language and needs no file."""
    app = QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            QCoreApplication.removeTranslator(translator)
    _installed.clear()

    if language == "zh_CN":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, directory in (
            ("qtbase_zh_CN", qt_dir),
            ("fpcert_zh_CN", str(resource_path("translations"))),
        ):
            translator = QTranslator()
            if translator.load(name, directory):
                QCoreApplication.installTranslator(translator)
                _installed.append(translator)
            else:
                log.warning("translation %s not found in %s", name, directory)

    i18n.install_translator(QCoreApplication.translate, language)
