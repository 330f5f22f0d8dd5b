"""Exceptions raised by the printing package.

Every exception carries a translatable :class:`~fpcert_desktop.i18n.Message` that says
what failed and what the clerk or IT should do next. ``str(error)`` renders it.
"""

from __future__ import annotations

from fpcert_desktop.i18n import Message


class PrintingError(Exception):
    """Base class of the printing errors, with a user-facing message.

    ``job_id`` is set when a submitted job is still in the queue and may print later.
    """

    def __init__(self, message: Message, *, job_id: str | None = None) -> None:
        super().__init__(message.english)
        self.message = message
        self.job_id = job_id

    def __str__(self) -> str:
        return str(self.message)


class FontNotFoundError(PrintingError):
    """No usable certificate font was found in any font folder."""


class MissingGlyphError(PrintingError):
    """A printed text contains characters that no loaded font has a glyph for."""

    def __init__(self, message: Message, *, characters: list[str], field: str | None) -> None:
        super().__init__(message)
        self.characters = characters
        self.field = field


class CertificateLayoutError(PrintingError):
    """The certificate content does not fit on one A4 page."""


class PrinterNotFound(PrintingError):
    """The print queue does not exist."""


class PrinterUnavailable(PrintingError):
    """The print system or the queue cannot take jobs now."""


class PrintFailed(PrintingError):
    """The print system cancelled or aborted the job, or rejected the submission."""


class PrintTimeout(PrintingError):
    """The job did not finish in time. It stays in the queue for the clerk to check."""

    def __init__(self, message: Message, *, job_id: str) -> None:
        super().__init__(message, job_id=job_id)


class CupsAdminError(PrintingError):
    """Setting up the local CUPS scheduler or a queue failed."""
