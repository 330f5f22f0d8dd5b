"""Turn an exception from a service call into the sentence the clerk reads."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from fpcert_desktop.i18n import Message

log = logging.getLogger(__name__)


def error_text(error: BaseException) -> str:
    """Return the error's own message when it has one; log and summarise anything else."""
    message = getattr(error, "message", None)
    if isinstance(message, Message):
        return str(message)
    log.error("unexpected error in a task", exc_info=error)
    return QCoreApplication.translate(
        "Errors",
        "An unexpected error occurred ({kind}). Nothing was printed. Try again; if it "
        "happens again, send the log file to IT.",
    ).format(kind=type(error).__name__)
