"""The printer interface the services print certificates through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class PrintResult:
    """A print job that the print system reported as completed."""

    job_id: str
    printer: str
    completed_at: datetime


class Printer(Protocol):
    """A printer that prints a PDF and returns once the job has completed.

    ``print_pdf`` raises a :class:`~fpcert_desktop.printing.errors.PrintingError`
    subclass when the job cannot be submitted, fails, or does not finish within
    ``timeout`` seconds.
    """

    @property
    def name(self) -> str: ...

    def print_pdf(self, pdf: bytes, *, title: str, timeout: float = 60.0) -> PrintResult: ...
