"""Local CUPS setup for the demo and the tests: the scheduler and a cups-pdf queue.

The cups-pdf backend (Debian package printer-driver-cups-pdf) "prints" each job to a PDF
file, so the whole print path, scaling and fonts included, can be checked without paper.
No systemd is assumed: :func:`start_cupsd` starts the daemon directly and needs root.
"""

from __future__ import annotations

import logging
import os
import pwd
import re
import shutil
import subprocess
import time
from pathlib import Path

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.printing.cups import list_cups_queues
from fpcert_desktop.printing.errors import CupsAdminError

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "fpcert-pdf"
CUPS_PDF_CONFIG = Path("/etc/cups/cups-pdf.conf")
CUPS_PDF_PPD_MODEL = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
CUPS_PDF_PPD_FILE = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
SCHEDULER_START_TIMEOUT_SECONDS = 15.0

_C_LOCALE = {"LC_ALL": "C", "LANG": "C"}

_COMMAND_FAILED = QT_TRANSLATE_NOOP(
    "Printing", "The command {command} failed with exit status {status}: {output}"
)
_COMMAND_MISSING = QT_TRANSLATE_NOOP(
    "Printing", "The command {command} was not found. Install the Debian package {package}."
)
_NO_PPD = QT_TRANSLATE_NOOP(
    "Printing",
    "The cups-pdf driver file {path} was not found. Install the Debian package "
    "printer-driver-cups-pdf.",
)
_NOT_ROOT = QT_TRANSLATE_NOOP(
    "Printing", "Starting the CUPS scheduler needs root rights. Run 'cupsd' as root."
)
_START_TIMED_OUT = QT_TRANSLATE_NOOP(
    "Printing",
    "The CUPS scheduler did not report that it is running within {seconds} seconds after "
    "'cupsd' was started. Read /var/log/cups/error_log.",
)

_PACKAGES = {"cupsd": "cups", "lpadmin": "cups-client", "lpstat": "cups-client"}


def is_cupsd_running() -> bool:
    """Return whether ``lpstat -r`` reports a running scheduler."""
    try:
        completed = _run(["lpstat", "-r"], check=False)
    except CupsAdminError:
        return False
    return "scheduler is running" in completed.stdout


def start_cupsd(timeout: float = SCHEDULER_START_TIMEOUT_SECONDS) -> None:
    """Start the CUPS scheduler unless it is running, and wait until it answers.

    ``cupsd`` without ``-f`` forks into the background and returns at once.

    Raises:
        CupsAdminError: not root, cupsd missing or failing, or no answer within ``timeout``.
    """
    if is_cupsd_running():
        return
    if os.geteuid() != 0:
        raise CupsAdminError(_NOT_ROOT.format())

    cupsd = shutil.which("cupsd") or (
        "/usr/sbin/cupsd" if Path("/usr/sbin/cupsd").exists() else None
    )
    if cupsd is None:
        raise CupsAdminError(_COMMAND_MISSING.format(command="cupsd", package="cups"))
    logger.info("Starting the CUPS scheduler (%s)", cupsd)
    _run([cupsd])

    deadline = time.monotonic() + timeout
    while not is_cupsd_running():
        if time.monotonic() >= deadline:
            raise CupsAdminError(_START_TIMED_OUT.format(seconds=round(timeout)))
        time.sleep(0.2)
    logger.info("CUPS scheduler is running")


def ensure_cups_pdf_queue(name: str = DEFAULT_QUEUE) -> str:
    """Create the cups-pdf queue ``name`` unless it exists, then enable it and accept jobs.

    The queue is created with the CUPS-PDF_opt driver and A4 as its default page size.
    Returns ``name``.

    Raises:
        CupsAdminError: the driver is not installed or a CUPS command failed.
    """
    if name not in list_cups_queues():
        _create_cups_pdf_queue(name)
    _run(["cupsenable", name])
    _run(["cupsaccept", name])
    return name


def _create_cups_pdf_queue(name: str) -> None:
    if not CUPS_PDF_PPD_FILE.exists():
        raise CupsAdminError(_NO_PPD.format(path=str(CUPS_PDF_PPD_FILE)))

    base = ["lpadmin", "-p", name, "-E", "-v", "cups-pdf:/"]
    try:
        # The model name is looked up by cups-driverd among the installed drivers.
        _run([*base, "-m", CUPS_PDF_PPD_MODEL, "-o", "PageSize=a4"])
    except CupsAdminError as error:
        logger.warning("lpadmin -m %s failed (%s), using -P instead", CUPS_PDF_PPD_MODEL, error)
        _run([*base, "-P", str(CUPS_PDF_PPD_FILE), "-o", "PageSize=a4"])
    logger.info("Created the cups-pdf queue %s", name)


def cups_pdf_output_dir(config: Path = CUPS_PDF_CONFIG, *, user: str | None = None) -> Path:
    """Return the folder where cups-pdf writes the PDFs of ``user``'s jobs.

    It is the ``Out`` setting of cups-pdf.conf, ``${HOME}/PDF`` by default, with
    ``${HOME}`` and ``${USER}`` of the submitting user (root's jobs go to /root/PDF).
    ``user`` defaults to the user running this process.
    """
    entry = pwd.getpwnam(user) if user else pwd.getpwuid(os.getuid())
    out = "${HOME}/PDF"
    if config.exists():
        for line in config.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S.*?)\s*$", line)
            if match:
                out = match[1]
    out = out.replace("${HOME}", entry.pw_dir).replace("${USER}", entry.pw_name)
    return Path(out)


def find_cups_pdf_output(job_id: str, directory: Path, *, after: float) -> Path | None:
    """Return the PDF cups-pdf wrote for ``job_id`` in ``directory``, or None.

    cups-pdf names its files ``<title>-job_<number>.pdf``. If no name matches, the
    newest PDF modified at or after the epoch time ``after`` is returned.
    """
    if not directory.is_dir():
        return None
    number = job_id.rsplit("-", 1)[-1]
    named = sorted(directory.glob(f"*job_{number}.pdf"))
    if named:
        return named[-1]
    recent = [path for path in directory.glob("*.pdf") if path.stat().st_mtime >= after]
    return max(recent, key=lambda path: path.stat().st_mtime, default=None)


def _run(command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, **_C_LOCALE},
            check=False,
        )
    except FileNotFoundError as error:
        package = _PACKAGES.get(Path(command[0]).name, "cups")
        raise CupsAdminError(
            _COMMAND_MISSING.format(command=command[0], package=package)
        ) from error
    except subprocess.TimeoutExpired as error:
        output = "timed out after 30 seconds"
        raise CupsAdminError(
            _COMMAND_FAILED.format(command=" ".join(command), status="-", output=output)
        ) from error

    if check and completed.returncode != 0:
        output = (completed.stderr or completed.stdout).strip()
        raise CupsAdminError(
            _COMMAND_FAILED.format(
                command=" ".join(command), status=completed.returncode, output=output
            )
        )
    return completed
