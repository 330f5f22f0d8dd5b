"""Logging to a rotating file in the user log folder, with ID numbers masked."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

import platformdirs

# 18-character resident ID numbers (17 digits and a check digit or X) and legacy 15-digit
# ones, in ASCII or full-width characters. Only the neighbouring characters that are digits
# matter: a number glued to letters ("abc440304199003159805", "key=X...Y") is still masked,
# but a run of 16, 17 or 19 and more digits (an order or serial number) is not an ID number
# and stays as it is.
_DIGIT = "[0-9\uff10-\uff19]"
_CHECK = "[0-9Xx\uff10-\uff19\uff38\uff58]"
_ID_NUMBER = re.compile(
    rf"(?<!{_DIGIT})({_DIGIT}{{6}})"
    rf"(?:({_DIGIT}{{8}})({_DIGIT}{{3}}{_CHECK})|({_DIGIT}{{6}})({_DIGIT}{{3}}))"
    rf"(?!{_DIGIT})"
)
# Full-width digits and X fold to ASCII, so a masked number reads the same either way.
_TO_ASCII = str.maketrans(
    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff38\uff58",
    "0123456789Xx",
)


_HANDLER_NAMES = ("fpcert-file", "fpcert-console")
_TRACEBACK_FORMATTER = logging.Formatter()


def mask_id_numbers(text: str) -> str:
    """Replace the birth-date digits of every ID number in ``text`` with asterisks.

    The digits left visible are written in ASCII, also where the input had full-width ones.
    """

    def _mask(match: re.Match[str]) -> str:
        region, long_middle, long_tail, short_middle, short_tail = match.groups()
        middle = long_middle or short_middle
        tail = long_tail or short_tail
        return region.translate(_TO_ASCII) + "*" * len(middle) + tail.translate(_TO_ASCII)

    return _ID_NUMBER.sub(_mask, text)


class MaskingFilter(logging.Filter):
    """Mask ID numbers in the formatted message, whatever the caller passed."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg = masked
            record.args = None
        # Tracebacks carry SQL parameters and exception texts: format them here, masked,
        # so the handler's formatter uses this text instead of formatting them again.
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACK_FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_id_numbers(record.stack_info)
        return True


def default_log_dir() -> Path:
    configured = os.environ.get("FPCERT_LOG_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_log_dir("fpcert-desktop", "fpcert"))


class _CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Write to whatever ``sys.stderr`` is when a record arrives.

    A plain StreamHandler keeps the stream it was created with, which breaks once that
    stream is replaced and closed (a redirected stderr, pytest's output capture).
    """

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure_logging(log_dir: Path | None = None, *, level: int = logging.INFO) -> Path:
    """Send the root logger to ``fpcert-desktop.log`` (5 files of 2 MB) and errors to stderr."""
    log_dir = log_dir or default_log_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / "fpcert-desktop.log"

    formatter = logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        log_path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    # The log names users and workstations: keep it to the account that runs the app.
    log_path.chmod(0o600)
    file_handler.setFormatter(formatter)
    file_handler.addFilter(MaskingFilter())
    console = _CurrentStderrHandler()
    # Commands print their own translated message for every failure they expect, so the
    # console shows only unhandled errors. Warnings go to the file.
    console.setLevel(logging.ERROR)
    console.setFormatter(formatter)
    console.addFilter(MaskingFilter())

    root = logging.getLogger()
    root.setLevel(level)
    for existing in list(root.handlers):
        if existing.get_name() in _HANDLER_NAMES:
            root.removeHandler(existing)
    handlers: tuple[logging.Handler, ...] = (file_handler, console)
    for name, handler in zip(_HANDLER_NAMES, handlers, strict=True):
        handler.set_name(name)
        root.addHandler(handler)
    return log_path
