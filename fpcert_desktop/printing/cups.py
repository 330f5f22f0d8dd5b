"""Printing through CUPS: submission with ``lp`` and job confirmation over IPP.

``lp`` submits the job because it honours the user's CUPS configuration. It returns as
soon as the scheduler has spooled the file, so :class:`CupsPrinter` then polls the job
with IPP Get-Job-Attributes until the job state is terminal. ``lpstat -W completed``
lists canceled and aborted jobs as well, so it cannot tell a printed job from a failed
one, but the IPP ``job-state`` attribute (completed, canceled or aborted) can.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.printing import ipp
from fpcert_desktop.printing.errors import (
    PrinterNotFound,
    PrinterUnavailable,
    PrintFailed,
    PrintTimeout,
)
from fpcert_desktop.printing.printer import PrintResult

logger = logging.getLogger(__name__)

POLL_INTERVAL_SECONDS = 0.2

# Tool output is parsed, so it must not be translated.
_C_LOCALE = {"LC_ALL": "C", "LANG": "C"}
_REQUEST_ID = re.compile(r"request id is (?P<job_id>\S+) \(")

_NOT_FOUND = QT_TRANSLATE_NOOP(
    "Printing",
    "The printer {queue} was not found. Printers set up on this computer: {queues}. "
    "Ask IT to set the printer setting in the configuration file to one of them, or to "
    "set up the printer.",
)
_NO_QUEUES = QT_TRANSLATE_NOOP("Printing", "none")
_NO_LP = QT_TRANSLATE_NOOP(
    "Printing",
    "The lp command was not found, so nothing can be printed. Ask IT to install CUPS "
    "(Debian package cups-client).",
)
_SCHEDULER_DOWN = QT_TRANSLATE_NOOP(
    "Printing",
    "The print service (CUPS) is not running or cannot be reached: {error}. Ask IT to "
    "start it, then print again.",
)
_QUEUE_STOPPED = QT_TRANSLATE_NOOP(
    "Printing",
    "The printer {queue} is paused (disabled) and does not print: {reason}. Check the "
    "printer, then enable it with 'cupsenable {queue}' or ask IT.",
)
_QUEUE_REJECTING = QT_TRANSLATE_NOOP(
    "Printing",
    "The printer {queue} does not accept jobs: {reason}. Enable it with "
    "'cupsaccept {queue}' or ask IT.",
)
_QUEUE_STOPPED_WITH_JOB = QT_TRANSLATE_NOOP(
    "Printing",
    "The printer {queue} stopped before job {job_id} was printed: {reason}. The job is "
    "still waiting in the queue. Check the printer and enable it with "
    "'cupsenable {queue}', or cancel the job with 'cancel {job_id}'.",
)
_LP_FAILED = QT_TRANSLATE_NOOP(
    "Printing",
    "The print system rejected the certificate for printer {queue}: {error}. Print "
    "again, or ask IT if this repeats.",
)
_LP_TIMED_OUT = QT_TRANSLATE_NOOP(
    "Printing",
    "The lp command did not finish within {seconds} seconds, so it is not known whether "
    "the certificate reached printer {queue}. Check the printer queue before printing again.",
)
_JOB_FAILED = QT_TRANSLATE_NOOP(
    "Printing",
    "Print job {job_id} on printer {queue} ended as {state} and the certificate was not "
    "printed: {reason}. Check the printer, then print again.",
)
_JOB_VANISHED = QT_TRANSLATE_NOOP(
    "Printing",
    "Print job {job_id} on printer {queue} is no longer known to the print system, so "
    "it is not known whether it printed. Check the printout before printing again.",
)
_JOB_TIMED_OUT = QT_TRANSLATE_NOOP(
    "Printing",
    "Print job {job_id} on printer {queue} did not finish within {seconds} seconds (it "
    "is {state}). The job stays in the queue: check the printer and the printout before "
    "printing again.",
)
_NO_REASON = QT_TRANSLATE_NOOP("Printing", "no reason given")


class CupsPrinter:
    """A CUPS print queue that confirms each job over IPP."""

    def __init__(self, queue: str, *, ipp_client: ipp.IppClient | None = None) -> None:
        self.queue = queue
        self._ipp = ipp_client or ipp.IppClient()

    @property
    def name(self) -> str:
        return self.queue

    def print_pdf(self, pdf: bytes, *, title: str, timeout: float = 60.0) -> PrintResult:
        """Print ``pdf`` at 100 % scale on A4 and wait until the job has completed.

        ``title`` becomes the CUPS job name and appears in the log, so it must contain
        no personal data (the certificate number is fine).

        Raises:
            PrinterNotFound: the queue does not exist.
            PrinterUnavailable: CUPS is not running, lp is missing, or the queue is
                disabled or rejecting jobs.
            PrintFailed: CUPS rejected, canceled or aborted the job.
            PrintTimeout: the job did not finish within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        self._check_queue()
        job_id = self._submit(pdf, title, deadline)
        logger.info("Submitted %s to %s as job %s", title, self.queue, job_id)
        try:
            result = self._wait_for_job(job_id, deadline, timeout)
        except (PrintFailed, PrintTimeout, PrinterUnavailable) as error:
            logger.error("Job %s (%s) on %s did not print: %s", job_id, title, self.queue, error)
            raise
        logger.info("Job %s (%s) on %s completed", job_id, title, self.queue)
        return result

    def check_job(self, job_id: str) -> PrintResult | None:
        """Ask CUPS once about an earlier job: its result when it has completed, None
        while it still waits or prints.

        Raises:
            PrintFailed: the job was cancelled or aborted, or CUPS has no record of it.
            PrinterUnavailable: the scheduler does not answer.
        """
        try:
            response = self._ipp.get_job_attributes(int(job_id.rsplit("-", 1)[1]))
        except ipp.IppError as error:
            raise PrinterUnavailable(_SCHEDULER_DOWN.format(error=str(error))) from error
        if response.status == ipp.STATUS_NOT_FOUND:
            raise PrintFailed(_JOB_VANISHED.format(job_id=job_id, queue=self.queue))
        attributes = response.first_group(ipp.JOB_GROUP)
        return self._finished_job(job_id, attributes.get("job-state"), attributes)

    def _check_queue(self) -> None:
        if shutil.which("lp") is None:
            raise PrinterUnavailable(_NO_LP.format())
        attributes = self._printer_attributes()
        reason = _reason(attributes)
        if attributes.get("printer-state") == ipp.PRINTER_STOPPED:
            raise PrinterUnavailable(_QUEUE_STOPPED.format(queue=self.queue, reason=reason))
        if attributes.get("printer-is-accepting-jobs") is False:
            raise PrinterUnavailable(_QUEUE_REJECTING.format(queue=self.queue, reason=reason))

    def _printer_attributes(self) -> dict[str, object]:
        try:
            response = self._ipp.get_printer_attributes(self.queue)
        except ipp.IppError as error:
            raise PrinterUnavailable(_SCHEDULER_DOWN.format(error=str(error))) from error
        if response.status == ipp.STATUS_NOT_FOUND:
            raise _not_found(self.queue)
        return response.first_group(ipp.PRINTER_GROUP)

    def _submit(self, pdf: bytes, title: str, deadline: float) -> str:
        command_timeout = max(deadline - time.monotonic(), 1.0)
        with tempfile.TemporaryDirectory(prefix="fpcert-print-") as directory:
            path = Path(directory) / "certificate.pdf"
            path.write_bytes(pdf)
            command = [
                "lp",
                "-d",
                self.queue,
                "-o",
                "media=A4",
                "-o",
                "print-scaling=none",
                "-o",
                "fit-to-page=false",
                "-t",
                title,
                str(path),
            ]
            try:
                completed = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=command_timeout,
                    env={**os.environ, **_C_LOCALE},
                    check=False,
                )
            except FileNotFoundError as error:
                raise PrinterUnavailable(_NO_LP.format()) from error
            except subprocess.TimeoutExpired as error:
                seconds = round(command_timeout)
                message = _LP_TIMED_OUT.format(seconds=seconds, queue=self.queue)
                raise PrinterUnavailable(message) from error

        output = (completed.stdout + completed.stderr).strip()
        if completed.returncode != 0:
            raise self._lp_error(output)

        match = _REQUEST_ID.search(completed.stdout)
        if match is None:
            raise PrintFailed(_LP_FAILED.format(queue=self.queue, error=output or "no job id"))
        return match["job_id"]

    def _lp_error(self, output: str) -> Exception:
        lowered = output.lower()
        if "does not exist" in lowered or "unknown destination" in lowered:
            return _not_found(self.queue)
        if "not accepting" in lowered:
            return PrinterUnavailable(_QUEUE_REJECTING.format(queue=self.queue, reason=output))
        if "scheduler is not running" in lowered or "unable to connect" in lowered:
            return PrinterUnavailable(_SCHEDULER_DOWN.format(error=output))
        return PrintFailed(_LP_FAILED.format(queue=self.queue, error=output))

    def _wait_for_job(self, job_id: str, deadline: float, timeout: float) -> PrintResult:
        job_number = int(job_id.rsplit("-", 1)[1])
        state: int | None = None
        unreachable_logged = False

        while True:
            try:
                response = self._ipp.get_job_attributes(job_number)
            except ipp.IppError as error:
                # The scheduler may restart while a job runs, so keep polling until the
                # deadline and log the first failure only.
                if not unreachable_logged:
                    logger.warning("Cannot query job %s: %s", job_id, error)
                    unreachable_logged = True
                response = None

            if response is not None:
                if response.status == ipp.STATUS_NOT_FOUND:
                    raise PrintFailed(_JOB_VANISHED.format(job_id=job_id, queue=self.queue))
                attributes = response.first_group(ipp.JOB_GROUP)
                state = attributes.get("job-state")
                result = self._finished_job(job_id, state, attributes)
                if result is not None:
                    return result
                if state in (ipp.JOB_PENDING, ipp.JOB_STOPPED):
                    self._raise_if_queue_stopped(job_id)

            if time.monotonic() >= deadline:
                state_name = ipp.JOB_STATE_NAMES.get(state, "unknown") if state else "unknown"
                message = _JOB_TIMED_OUT.format(
                    job_id=job_id, queue=self.queue, seconds=round(timeout), state=state_name
                )
                raise PrintTimeout(message, job_id=job_id)
            time.sleep(POLL_INTERVAL_SECONDS)

    def _finished_job(
        self, job_id: str, state: object, attributes: dict[str, object]
    ) -> PrintResult | None:
        """Return the result of a completed job, raise for a failed one, else return None."""
        reasons = ipp.as_list(attributes.get("job-state-reasons"))
        if state == ipp.JOB_COMPLETED and "job-completed-with-errors" not in reasons:
            return PrintResult(job_id, self.queue, datetime.now(timezone.utc))
        if state in (ipp.JOB_COMPLETED, ipp.JOB_CANCELED, ipp.JOB_ABORTED):
            details = [attributes.get("job-printer-state-message"), *reasons]
            reason = ", ".join(str(item) for item in details if item and item != "none")
            message = _JOB_FAILED.format(
                job_id=job_id,
                queue=self.queue,
                state=ipp.JOB_STATE_NAMES[state],
                reason=reason or _NO_REASON.format(),
            )
            raise PrintFailed(message)
        return None

    def _raise_if_queue_stopped(self, job_id: str) -> None:
        try:
            attributes = self._printer_attributes()
        except PrinterUnavailable:
            return  # the next job query reports an unreachable scheduler
        if attributes.get("printer-state") == ipp.PRINTER_STOPPED:
            message = _QUEUE_STOPPED_WITH_JOB.format(
                queue=self.queue, job_id=job_id, reason=_reason(attributes)
            )
            raise PrinterUnavailable(message, job_id=job_id)


def list_cups_queues(ipp_client: ipp.IppClient | None = None) -> list[str]:
    """Return the names of the local CUPS queues, sorted.

    Raises:
        PrinterUnavailable: the CUPS scheduler cannot be reached.
    """
    client = ipp_client or ipp.IppClient()
    try:
        response = client.get_printers()
    except ipp.IppError as error:
        raise PrinterUnavailable(_SCHEDULER_DOWN.format(error=str(error))) from error
    names = [group.get("printer-name") for group in response.all_groups(ipp.PRINTER_GROUP)]
    return sorted(str(name) for name in names if name)


def default_cups_queue() -> str | None:
    """Return the user's default queue as ``lpstat -d`` reports it, or None."""
    try:
        completed = subprocess.run(
            ["lpstat", "-d"],
            capture_output=True,
            text=True,
            timeout=10,
            env={**os.environ, **_C_LOCALE},
            check=False,
        )
    except (FileNotFoundError, subprocess.TimeoutExpired) as error:
        logger.warning("Cannot read the default CUPS queue: %s", error)
        return None
    match = re.search(r"system default destination: (\S+)", completed.stdout)
    return match[1] if match else None


def _not_found(queue: str) -> PrinterNotFound:
    try:
        queues = list_cups_queues()
    except PrinterUnavailable:
        queues = []
    listed: str | Message = ", ".join(queues) if queues else _NO_QUEUES.format()
    return PrinterNotFound(_NOT_FOUND.format(queue=queue, queues=listed))


def _reason(attributes: dict[str, object]) -> str | Message:
    details = [attributes.get("printer-state-message")]
    details += ipp.as_list(attributes.get("printer-state-reasons"))
    reason = ", ".join(str(item) for item in details if item and item != "none")
    return reason or _NO_REASON.format()
