"""Diagnostics for IT staff: each check reports OK, a warning or a failure with the fix.

The checks cover the configuration file, the e-key driver and the keys present, the
printer, the central server (reachability, TLS and clock), the local database, the
certificate fonts, the disk space and the keyring. :func:`run_checks` runs each check on
its own daemon thread and gives up after the check's timeout, so a hung driver, printer
or server never hangs the doctor. The checks only read: none writes to the database, the
configuration or the keyring. Printing a test page is a separate step
(:func:`print_test_page`) that runs only on request.
"""

from __future__ import annotations

import enum
import logging
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import Any

import requests

from fpcert_desktop import doctor_page, package_version
from fpcert_desktop.config import ConfigError, Settings, default_config_path, load_settings
from fpcert_desktop.ekey.errors import EKeyError, ModuleLoadFailed
from fpcert_desktop.ekey.module import ModuleSearch, search_pkcs11_module
from fpcert_desktop.ekey.token import TokenInfo
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, MessageTemplate
from fpcert_desktop.oserrors import describe_connection_error
from fpcert_desktop.printing import ipp
from fpcert_desktop.printing.errors import FontNotFoundError, PrintingError
from fpcert_desktop.printing.fonts import MAIN_FONT_KEYS, FontSet, code_point_label, load_font_set
from fpcert_desktop.printing.printer import Printer, PrintResult
from fpcert_desktop.printing.sample import sample_certificate_content
from fpcert_desktop.storage.db import alembic_config, default_database_path
from fpcert_desktop.sync.client import check_base_url
from fpcert_desktop.sync.credentials import credential_store, credentials_file, keyring_available
from fpcert_desktop.sync.errors import SyncError

log = logging.getLogger(__name__)


# Seconds each check may take before the doctor reports it as timed out. The database
# integrity check reads the whole file: it took 6.1 s on a generated million-person
# database (486 MB, warm page cache, 2-core AMD EPYC VM), and the limit leaves room for
# a cold cache and a slow disk.
DEFAULT_TIMEOUT_SECONDS = 20.0
DATABASE_TIMEOUT_SECONDS = 180.0
TEST_PAGE_TIMEOUT_SECONDS = 90.0
SERVER_TIMEOUT = (5.0, 10.0)  # (connect, read) in seconds

# A clock this far from the server's makes audit times wrong and can reject e-key
# certificates near their validity dates. The Date header has one-second resolution.
CLOCK_WARNING_SECONDS = 60.0
CLOCK_FAILURE_SECONDS = 300.0

# A migration may copy a table, so the database needs twice its size, plus head room for
# the logs and the write-ahead log. A first pull of a million people adds about 0.5 GB.
DISK_RESERVE_BYTES = 100 * 1024 * 1024
DISK_WARNING_EXTRA_BYTES = 1024 * 1024 * 1024

# Characters in names a certificate must print beyond the sample certificate's text:
# 䶮 (U+4DAE) is in CJK Extension A, 𠈌 (U+2020C) and 𠮷 (U+20BB7) in Extension B.
# AR PL UMing has the first two but not 𠮷, so a machine without HanaMinB (or SimSun-ExtB
# on Windows) fails this check.
EXTENSION_CHARACTERS = "䶮𠈌𠮷"


class Status(enum.Enum):
    OK = "ok"
    WARNING = "warning"
    FAILURE = "failure"


STATUS_LABELS = {
    Status.OK: QT_TRANSLATE_NOOP("Doctor", "OK"),
    Status.WARNING: QT_TRANSLATE_NOOP("Doctor", "Warning"),
    Status.FAILURE: QT_TRANSLATE_NOOP("Doctor", "Error"),
}

# -- messages ---------------------------------------------------------------------------

_CONFIG_OK = QT_TRANSLATE_NOOP("Doctor", "The configuration file {path} was read and is valid.")
_CONFIG_DEFAULTS = QT_TRANSLATE_NOOP(
    "Doctor",
    "There is no configuration file at {path}, so the program uses the default settings. "
    "Create the file if this workstation needs a printer, a server or an e-key driver "
    "other than the defaults.",
)
_CONFIG_SETTINGS_USED = QT_TRANSLATE_NOOP(
    "Doctor", "The other checks below used the default settings instead."
)

_MODULE_CONFIGURED_MISSING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The PKCS#11 module {path} named by the pkcs11_module setting does not exist. Install "
    "the e-key driver, or correct pkcs11_module, or leave it empty to search the usual "
    "driver files.",
)
_MODULE_CONFIGURED_BROKEN = QT_TRANSLATE_NOOP(
    "Doctor",
    "The PKCS#11 module {path} named by the pkcs11_module setting does not load: {reason}. "
    "Install the e-key driver again, or set pkcs11_module to the driver's PKCS#11 module.",
)
_MODULE_NOT_FOUND = QT_TRANSLATE_NOOP(
    "Doctor",
    "No PKCS#11 module that loads was found: {count} usual driver files were tried "
    "({rejected}). Install the e-key driver, or set pkcs11_module to the path of the "
    "driver's PKCS#11 module.",
)
_MODULE_NONE_PRESENT = QT_TRANSLATE_NOOP("Doctor", "none of them is present")
_KEYS_PRESENT = QT_TRANSLATE_NOOP(
    "Doctor", "The PKCS#11 module {path} loads. E-keys present: {keys}."
)
_NO_KEYS = QT_TRANSLATE_NOOP(
    "Doctor",
    "The PKCS#11 module {path} loads, but no e-key is inserted. Insert an e-key and run "
    "the check again.",
)
_KEYS_FAILED = QT_TRANSLATE_NOOP(
    "Doctor", "The PKCS#11 module {path} was found, but listing the e-keys failed: {error}"
)

_PRINTER_OK = QT_TRANSLATE_NOOP(
    "Doctor", "The printer {queue} exists, is {state} and accepts jobs."
)
_PRINTER_NONE = QT_TRANSLATE_NOOP(
    "Doctor",
    "No printer is configured and the system has no default printer. Set the printer "
    "setting in the configuration file, or make a printer the system default.",
)
_PRINTER_NOT_FOUND = QT_TRANSLATE_NOOP(
    "Doctor",
    "The printer {queue} does not exist. Printers set up on this computer: {queues}. Set "
    "the printer setting to one of them, or set the printer up in CUPS.",
)
_PRINTER_STOPPED = QT_TRANSLATE_NOOP(
    "Doctor",
    "The printer {queue} is paused (disabled): {reason}. Check the printer, then run "
    "'cupsenable {queue}'.",
)
_PRINTER_REJECTING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The printer {queue} does not accept jobs: {reason}. Run 'cupsaccept {queue}'.",
)
_CUPS_DOWN = QT_TRANSLATE_NOOP(
    "Doctor",
    "The print service (CUPS) cannot be reached: {error}. Start it, for example with "
    "'systemctl start cups'.",
)
_NO_LP = QT_TRANSLATE_NOOP(
    "Doctor",
    "The lp command was not found, so nothing can be printed. Install CUPS (Debian "
    "package cups-client).",
)
_PRINTER_NOT_CHECKED = QT_TRANSLATE_NOOP(
    "Doctor",
    "The printer {queue} was not checked: this check needs CUPS, which this system does "
    "not use. Print a test page to check the printer.",
)
_NONE = QT_TRANSLATE_NOOP("Doctor", "none")
_NO_REASON = QT_TRANSLATE_NOOP("Doctor", "no reason given")

_TEST_PAGE_PRINTED = QT_TRANSLATE_NOOP(
    "Doctor",
    "The test page was printed on {printer} as job {job_id}. Check that the text on it "
    "is complete and that the frame and the ruler have the sizes printed on the page.",
)

# Outside Linux the program prints through Qt, which only the window loads.
_TEST_PAGE_NEEDS_WINDOW = QT_TRANSLATE_NOOP(
    "Doctor",
    "On this system the test page can only be printed from the diagnostics window of the "
    "program (Help, Diagnostics, or the Diagnostics button of the login window).",
)

_SERVER_NONE = QT_TRANSLATE_NOOP(
    "Doctor",
    "No server is configured (server_url is empty), so this workstation works offline. "
    "Set server_url to synchronise with the central server.",
)
_SERVER_CONFIG = QT_TRANSLATE_NOOP("Doctor", "The server settings are invalid: {error}")
_CA_BUNDLE_MISSING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The CA bundle {path} named by the ca_bundle setting does not exist. Copy the "
    "server's CA certificate (PEM) there, or correct ca_bundle.",
)
_SERVER_TLS = QT_TRANSLATE_NOOP(
    "Doctor",
    "The TLS certificate of {url} could not be verified with {ca}: {error}. Check that "
    "ca_bundle contains the CA that issued the server's certificate and that server_url "
    "uses the name in that certificate.",
)
# requests verifies with certifi's bundle, not the operating system's certificate store.
_SYSTEM_CA = QT_TRANSLATE_NOOP("Doctor", "the CA certificates bundled with the program (certifi)")
_SERVER_UNREACHABLE = QT_TRANSLATE_NOOP(
    "Doctor",
    "The server {url} cannot be reached: {error}. Check the network cable, the proxy and "
    "the firewall, and that server_url is right.",
)
_SERVER_TIMED_OUT = QT_TRANSLATE_NOOP(
    "Doctor",
    "The server {url} did not answer within {seconds} seconds. Check the network and "
    "try again later.",
)
_SERVER_ERROR = QT_TRANSLATE_NOOP(
    "Doctor",
    "The server {url} answers, but with the error HTTP {status}. Tell the server's administrator.",
)
_SERVER_OK = QT_TRANSLATE_NOOP(
    "Doctor",
    "The server {url} answers{tls}. The clock of this computer differs from the server's "
    "by {offset} seconds.",
)
_SERVER_TLS_OK = QT_TRANSLATE_NOOP("Doctor", " over a verified TLS connection")
_SERVER_PLAIN = QT_TRANSLATE_NOOP("Doctor", " without TLS (only allowed on 127.0.0.1)")
_SERVER_NO_DATE = QT_TRANSLATE_NOOP(
    "Doctor",
    "The server {url} answers{tls}, but sends no valid Date header, so the clock of this "
    "computer could not be compared with it.",
)
_CLOCK_OFF = QT_TRANSLATE_NOOP(
    "Doctor",
    "The server {url} answers{tls}, but the clock of this computer is {offset} seconds "
    "{direction} the server's. Set the date and time, or turn on time synchronisation "
    "(NTP), because certificates and the audit record carry this computer's time.",
)
_AHEAD = QT_TRANSLATE_NOOP("Doctor", "ahead of")
_BEHIND = QT_TRANSLATE_NOOP("Doctor", "behind")

_DATABASE_FOLDER_MISSING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The folder {folder} of the database {path} does not exist. Correct the database_path "
    "setting or create the folder.",
)
_DATABASE_MISSING = QT_TRANSLATE_NOOP(
    "Doctor",
    "The database {path} does not exist yet. The program creates it at its first start; "
    "then synchronise with the server or load the data.",
)
_DATABASE_UNREADABLE = QT_TRANSLATE_NOOP(
    "Doctor",
    "The database {path} cannot be read: {error}. Restore the file from the last backup, "
    "or move it aside and synchronise again.",
)
_DATABASE_CORRUPT = QT_TRANSLATE_NOOP(
    "Doctor",
    "The database {path} is damaged (integrity check: {problems}). Do not issue "
    "certificates on this workstation: restore the file from the last backup, or move it "
    "aside and synchronise again.",
)
_DATABASE_NO_SCHEMA = QT_TRANSLATE_NOOP(
    "Doctor",
    "The file {path} is an SQLite database without the program's tables (no schema "
    "version). Check the database_path setting.",
)
_DATABASE_OLD = QT_TRANSLATE_NOOP(
    "Doctor",
    "The database {path} is intact but has the schema version {current}, older than "
    "this program's {head}. At its next start the program copies it to a backup file "
    "beside it and then upgrades it.",
)
_DATABASE_NEWER = QT_TRANSLATE_NOOP(
    "Doctor",
    "The database {path} has the schema version {current}, which this program does not "
    "know (its newest is {head}). A newer program version wrote it: install that version "
    "again.",
)
_DATABASE_OK = QT_TRANSLATE_NOOP(
    "Doctor",
    "The database {path} is intact and has the current schema version {head}.",
)

_FONTS_MISSING_CHARACTERS = QT_TRANSLATE_NOOP(
    "Doctor",
    "The certificate fonts ({families}) lack {characters}, so names with these characters "
    "cannot be printed. Install the HanaMinB font (Debian package fonts-hanazono), or "
    "copy it into the folder named by FPCERT_FONT_DIR.",
)
_FONTS_NOT_SONG = QT_TRANSLATE_NOOP(
    "Doctor",
    "The certificate fonts cover every test character, but no Song/Ming font was found, "
    "so certificates print with {family}. Install AR PL UMing (Debian package "
    "fonts-arphic-uming) or, on Windows, SimSun.",
)
_FONTS_OK = QT_TRANSLATE_NOOP(
    "Doctor",
    "The certificate fonts ({families}) cover every test character, including {extension}.",
)

_DISK_LOW = QT_TRANSLATE_NOOP(
    "Doctor",
    "Only {free} MB are free in {folder}, but the database needs at least {needed} MB. "
    "Free disk space, or move the database with the database_path setting.",
)
_DISK_TIGHT = QT_TRANSLATE_NOOP(
    "Doctor",
    "{free} MB are free in {folder}. That is enough for now, but a full synchronisation "
    "may need about 1 GB more. Free disk space soon.",
)
_DISK_OK = QT_TRANSLATE_NOOP("Doctor", "{free} MB are free in {folder}.")

_KEYRING_OK = QT_TRANSLATE_NOOP(
    "Doctor", "The workstation secret is kept in the system keyring ({backend})."
)
_KEYRING_FALLBACK = QT_TRANSLATE_NOOP(
    "Doctor",
    "No system keyring is available, so the workstation secret is kept in the file "
    "{path}, readable by this account only. Keep the file out of backups that others can "
    "read, or start a keyring (for example gnome-keyring) in the desktop session.",
)

_TIMED_OUT = QT_TRANSLATE_NOOP(
    "Doctor",
    "The check did not finish within {seconds} seconds and was abandoned. Check the part "
    "it tests, then run the doctor again.",
)
_CRASHED = QT_TRANSLATE_NOOP(
    "Doctor", "The check failed unexpectedly: {error}. Send the support bundle to IT support."
)

# -- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check. ``details`` contains plain data for the JSON report."""

    check: str
    title: MessageTemplate
    status: Status
    message: Message
    details: Mapping[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def line(self) -> str:
        """Render the console line: status label, title and message, in the current language."""
        return f"{STATUS_LABELS[self.status]} {self.title}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "status": self.status.value,
            "title": str(self.title),
            "message": str(self.message),
            "message_en": self.message.english,
            "details": dict(self.details),
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Outcome:
    """The status, message and details of a check, before :func:`run_checks` times it."""

    status: Status
    message: Message
    details: Mapping[str, Any] = field(default_factory=dict)


TokenLister = Callable[[Path], list[TokenInfo]]


@dataclass
class DoctorContext:
    """The inputs of the checks.

    ``token_lister`` lists the keys through a module; the window passes its running
    e-key worker, since one process may open a module only once. ``font_dirs`` and
    ``module_search_dirs`` replace the usual folders. ``clock`` gives the local time for
    the comparison with the server's clock.
    """

    config_path: Path
    settings: Settings
    config_error: ConfigError | None = None
    config_found: bool = True
    token_lister: TokenLister | None = None
    font_dirs: Sequence[Path] | None = None
    module_search_dirs: Sequence[Path] | None = None
    ipp_client: ipp.IppClient | None = None
    platform: str = sys.platform
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    timeouts: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, config_path: Path | None = None, **options: Any) -> DoctorContext:
        """Read the settings for the checks; a broken file leaves the defaults in use."""
        path = config_path or default_config_path()
        try:
            settings = load_settings(config_path)
            error = None
        except ConfigError as raised:
            settings, error = Settings(), raised
        return cls(path, settings, error, path.is_file(), **options)


@dataclass(frozen=True)
class Check:
    key: str
    title: MessageTemplate
    run: Callable[[DoctorContext], Outcome]
    timeout: float = DEFAULT_TIMEOUT_SECONDS


# -- the checks -------------------------------------------------------------------------


def check_config(context: DoctorContext) -> Outcome:
    details = {"path": str(context.config_path)}
    if context.config_error is not None:
        message = _joined(context.config_error.message, _CONFIG_SETTINGS_USED.format())
        return Outcome(Status.FAILURE, message, details)
    if not context.config_found:
        return Outcome(
            Status.WARNING, _CONFIG_DEFAULTS.format(path=str(context.config_path)), details
        )
    return Outcome(Status.OK, _CONFIG_OK.format(path=str(context.config_path)), details)


def check_ekey(context: DoctorContext) -> Outcome:
    """Find the PKCS#11 module as the program does and list the keys (labels and serials)."""
    configured = context.settings.pkcs11_module
    if configured:
        module = Path(configured).expanduser()
        details: dict[str, Any] = {"configured": configured}
        if not module.is_file():
            return Outcome(
                Status.FAILURE, _MODULE_CONFIGURED_MISSING.format(path=str(module)), details
            )
    else:
        search = search_pkcs11_module(
            platform=context.platform, search_dirs=context.module_search_dirs
        )
        details = {"tried": _attempts_json(search)}
        if search.found is None:
            return Outcome(Status.FAILURE, _module_not_found(search), details)
        module = search.found
    details["module"] = str(module)

    lister = context.token_lister or list_tokens_with_worker
    try:
        tokens = lister(module)
    except EKeyError as error:
        if configured and isinstance(error, ModuleLoadFailed):
            message = _MODULE_CONFIGURED_BROKEN.format(path=str(module), reason=error.reason)
        else:
            message = _KEYS_FAILED.format(path=str(module), error=error.message)
        return Outcome(Status.FAILURE, message, details)

    details["keys"] = [{"label": token.label, "serial": token.serial} for token in tokens]
    if not tokens:
        return Outcome(Status.WARNING, _NO_KEYS.format(path=str(module)), details)
    keys = ", ".join(f"{token.label} ({token.serial})" for token in tokens)
    return Outcome(Status.OK, _KEYS_PRESENT.format(path=str(module), keys=keys), details)


def list_tokens_with_worker(module: Path) -> list[TokenInfo]:
    """Load ``module`` on an e-key worker thread, list the keys and unload it again."""
    from fpcert_desktop.ekey.worker import EKeyWorker

    worker = EKeyWorker(module)
    try:
        worker.start().result()
        return worker.list_tokens().result()
    finally:
        worker.stop()


def check_printer(context: DoctorContext) -> Outcome:
    """Ask CUPS over IPP whether the queue exists, is enabled and accepts jobs."""
    from fpcert_desktop.services.setup import printer_name

    queue = printer_name(context.settings)
    details: dict[str, Any] = {"queue": queue}
    if not context.platform.startswith("linux"):
        if not queue:
            return Outcome(Status.WARNING, _PRINTER_NONE.format(), details)
        return Outcome(Status.WARNING, _PRINTER_NOT_CHECKED.format(queue=queue), details)
    if not queue:
        return Outcome(Status.FAILURE, _PRINTER_NONE.format(), details)
    if shutil.which("lp") is None:
        return Outcome(Status.FAILURE, _NO_LP.format(), details)

    client = context.ipp_client or ipp.IppClient()
    try:
        response = client.get_printer_attributes(queue)
        if response.status == ipp.STATUS_NOT_FOUND:
            queues = _queue_names(client)
            listed: str | Message = ", ".join(queues) if queues else _NONE.format()
            return Outcome(
                Status.FAILURE, _PRINTER_NOT_FOUND.format(queue=queue, queues=listed), details
            )
    except ipp.IppError as error:
        return Outcome(Status.FAILURE, _CUPS_DOWN.format(error=str(error)), details)

    attributes = response.first_group(ipp.PRINTER_GROUP)
    state = attributes.get("printer-state")
    accepting = attributes.get("printer-is-accepting-jobs")
    reason = _printer_reason(attributes)
    state_name = _PRINTER_STATE_NAMES.get(state, str(state)) if isinstance(state, int) else "?"
    details.update(
        {
            "printer_state": state_name,
            "accepting_jobs": accepting,
            "reasons": ipp.as_list(attributes.get("printer-state-reasons")),
        }
    )
    if state == ipp.PRINTER_STOPPED:
        return Outcome(Status.FAILURE, _PRINTER_STOPPED.format(queue=queue, reason=reason), details)
    if accepting is False:
        return Outcome(
            Status.FAILURE, _PRINTER_REJECTING.format(queue=queue, reason=reason), details
        )
    return Outcome(Status.OK, _PRINTER_OK.format(queue=queue, state=state_name), details)


_PRINTER_STATE_NAMES = {
    ipp.PRINTER_IDLE: "idle",
    ipp.PRINTER_PROCESSING: "processing",
    ipp.PRINTER_STOPPED: "stopped",
}


def check_server(context: DoctorContext) -> Outcome:
    """Request the server's root URL, verify TLS with ca_bundle and compare the clocks."""
    settings = context.settings
    details: dict[str, Any] = {"server_url": settings.server_url, "ca_bundle": settings.ca_bundle}
    if not settings.server_url:
        return Outcome(Status.WARNING, _SERVER_NONE.format(), details)
    try:
        url = check_base_url(settings.server_url)
    except SyncError as error:
        return Outcome(Status.FAILURE, _SERVER_CONFIG.format(error=error.message), details)
    if settings.ca_bundle and not Path(settings.ca_bundle).is_file():
        return Outcome(Status.FAILURE, _CA_BUNDLE_MISSING.format(path=settings.ca_bundle), details)

    tls = url.startswith("https://")
    verify: bool | str = settings.ca_bundle or True
    ca_name: str | Message = settings.ca_bundle or _SYSTEM_CA.format()
    sent_at = context.clock()
    try:
        response = requests.get(
            url + "/", timeout=SERVER_TIMEOUT, verify=verify, allow_redirects=False
        )
    except requests.exceptions.SSLError as error:
        log.warning("doctor: TLS check of %s failed: %s", url, _short_error(error))
        message = _SERVER_TLS.format(url=url, ca=ca_name, error=describe_connection_error(error))
        return Outcome(Status.FAILURE, message, details)
    except requests.Timeout:
        seconds = round(sum(SERVER_TIMEOUT))
        return Outcome(Status.FAILURE, _SERVER_TIMED_OUT.format(url=url, seconds=seconds), details)
    except requests.RequestException as error:
        log.warning("doctor: %s not reachable: %s", url, _short_error(error))
        message = _SERVER_UNREACHABLE.format(url=url, error=describe_connection_error(error))
        return Outcome(Status.FAILURE, message, details)
    received_at = context.clock()

    details["http_status"] = response.status_code
    if response.status_code >= 500:
        return Outcome(
            Status.FAILURE, _SERVER_ERROR.format(url=url, status=response.status_code), details
        )
    tls_text = (_SERVER_TLS_OK if tls else _SERVER_PLAIN).format()
    server_time = _http_date(response.headers.get("Date"))
    if server_time is None:
        return Outcome(Status.WARNING, _SERVER_NO_DATE.format(url=url, tls=tls_text), details)

    # The server stamped its Date somewhere between sending and receiving: compare with
    # the midpoint, and allow for the header's whole seconds.
    local_time = sent_at + (received_at - sent_at) / 2
    offset = (local_time - server_time).total_seconds()
    details["clock_offset_seconds"] = round(offset, 1)
    shown = round(abs(offset))
    if abs(offset) > CLOCK_WARNING_SECONDS:
        direction = (_AHEAD if offset > 0 else _BEHIND).format()
        status = Status.FAILURE if abs(offset) > CLOCK_FAILURE_SECONDS else Status.WARNING
        message = _CLOCK_OFF.format(url=url, tls=tls_text, offset=shown, direction=direction)
        return Outcome(status, message, details)
    return Outcome(Status.OK, _SERVER_OK.format(url=url, tls=tls_text, offset=shown), details)


def database_path(settings: Settings) -> Path:
    return Path(settings.database_path) if settings.database_path else default_database_path()


def check_database(context: DoctorContext) -> Outcome:
    """Run PRAGMA integrity_check read-only and compare the schema with the Alembic head."""
    path = database_path(context.settings)
    details: dict[str, Any] = {"path": str(path)}
    if not path.parent.is_dir():
        message = _DATABASE_FOLDER_MISSING.format(path=str(path), folder=str(path.parent))
        return Outcome(Status.FAILURE, message, details)
    if not path.is_file():
        return Outcome(Status.WARNING, _DATABASE_MISSING.format(path=str(path)), details)

    head = _alembic_head()
    details["head"] = head
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            current = _schema_version(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return Outcome(
            Status.FAILURE, _DATABASE_UNREADABLE.format(path=str(path), error=str(error)), details
        )

    if problems != ["ok"]:
        details["integrity"] = problems[:20]
        shown = "; ".join(problems[:3])
        return Outcome(
            Status.FAILURE, _DATABASE_CORRUPT.format(path=str(path), problems=shown), details
        )
    details["schema_version"] = current
    if current is None:
        return Outcome(Status.FAILURE, _DATABASE_NO_SCHEMA.format(path=str(path)), details)
    if current == head:
        return Outcome(Status.OK, _DATABASE_OK.format(path=str(path), head=head), details)
    if _is_known_revision(current):
        message = _DATABASE_OLD.format(path=str(path), current=current, head=head)
        return Outcome(Status.WARNING, message, details)
    message = _DATABASE_NEWER.format(path=str(path), current=current, head=head)
    return Outcome(Status.FAILURE, message, details)


def check_fonts(context: DoctorContext) -> Outcome:
    """Load the certificate fonts and check every character of the sample and test texts."""
    try:
        fonts = load_font_set(context.font_dirs)
    except FontNotFoundError as error:
        return Outcome(Status.FAILURE, error.message, {})
    families = ", ".join(font.family for font in fonts.fonts)
    details: dict[str, Any] = {
        "fonts": [{"family": font.family, "path": str(font.path)} for font in fonts.fonts]
    }
    missing = fonts.missing_characters(font_test_text())
    if missing:
        listed = ", ".join(f"{character} ({code_point_label(character)})" for character in missing)
        details["missing"] = [code_point_label(character) for character in missing]
        message = _FONTS_MISSING_CHARACTERS.format(families=families, characters=listed)
        return Outcome(Status.FAILURE, message, details)
    if not _has_song_font(fonts):
        return Outcome(Status.WARNING, _FONTS_NOT_SONG.format(family=fonts.main.family), details)
    extension = ", ".join(
        f"{character} ({code_point_label(character)})" for character in EXTENSION_CHARACTERS
    )
    return Outcome(Status.OK, _FONTS_OK.format(families=families, extension=extension), details)


def font_test_text() -> str:
    """Return every text of the synthetic sample certificate plus the extension characters."""
    content = sample_certificate_content()
    texts = [str(value) for value in vars(content).values() if isinstance(value, str)]
    for child in content.children:
        texts.extend(str(value) for value in vars(child).values() if isinstance(value, str))
    return "".join(texts) + EXTENSION_CHARACTERS


def check_disk(context: DoctorContext) -> Outcome:
    """Compare the free space of the database folder with what the database may need."""
    path = database_path(context.settings)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    database_size = path.stat().st_size if path.is_file() else 0
    needed = 2 * database_size + DISK_RESERVE_BYTES
    details = {"folder": str(folder), "free_bytes": usage.free, "needed_bytes": needed}
    free_mb, needed_mb = usage.free // 2**20, needed // 2**20
    if usage.free < needed:
        message = _DISK_LOW.format(free=free_mb, folder=str(folder), needed=needed_mb)
        return Outcome(Status.FAILURE, message, details)
    if usage.free < needed + DISK_WARNING_EXTRA_BYTES:
        return Outcome(
            Status.WARNING, _DISK_TIGHT.format(free=free_mb, folder=str(folder)), details
        )
    return Outcome(Status.OK, _DISK_OK.format(free=free_mb, folder=str(folder)), details)


def check_keyring(context: DoctorContext) -> Outcome:
    """Name the keyring backend; the fail backend means the fallback file is in use."""
    store = credential_store()
    details: dict[str, Any] = {"kind": store.kind, "location": store.location}
    if keyring_available():
        return Outcome(Status.OK, _KEYRING_OK.format(backend=store.location), details)
    path = credentials_file()
    details["file_exists"] = path.is_file()
    return Outcome(Status.WARNING, _KEYRING_FALLBACK.format(path=str(path)), details)


CHECKS: tuple[Check, ...] = (
    Check("config", QT_TRANSLATE_NOOP("Doctor", "Configuration"), check_config),
    Check("ekey", QT_TRANSLATE_NOOP("Doctor", "E-key"), check_ekey),
    Check("printer", QT_TRANSLATE_NOOP("Doctor", "Printer"), check_printer),
    Check("server", QT_TRANSLATE_NOOP("Doctor", "Server"), check_server),
    Check(
        "database",
        QT_TRANSLATE_NOOP("Doctor", "Database"),
        check_database,
        DATABASE_TIMEOUT_SECONDS,
    ),
    Check("fonts", QT_TRANSLATE_NOOP("Doctor", "Fonts"), check_fonts),
    Check("disk", QT_TRANSLATE_NOOP("Doctor", "Disk space"), check_disk),
    Check("keyring", QT_TRANSLATE_NOOP("Doctor", "Keyring"), check_keyring),
)
TEST_PAGE_TITLE = QT_TRANSLATE_NOOP("Doctor", "Test page")


# -- running ----------------------------------------------------------------------------


def run_checks(
    context: DoctorContext,
    checks: Sequence[Check] = CHECKS,
    *,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Run ``checks`` one after the other; ``on_result`` receives each result when it is ready."""
    results = []
    for check in checks:
        timeout = context.timeouts.get(check.key, check.timeout)
        result = run_with_timeout(check.key, check.title, partial(check.run, context), timeout)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def run_with_timeout(
    key: str, title: MessageTemplate, work: Callable[[], Outcome], timeout: float
) -> CheckResult:
    """Run ``work`` on a daemon thread and report a failure when it is late or raises.

    A late thread is left running: Python cannot stop it, and as a daemon it does not
    keep the process alive.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["outcome"] = work()
        except Exception as error:  # noqa: BLE001 - reported as the check's failure
            log.exception("doctor check %s failed", key)
            box["error"] = error

    started = time.monotonic()
    thread = threading.Thread(target=target, name=f"doctor-{key}", daemon=True)
    thread.start()
    thread.join(timeout)
    elapsed = time.monotonic() - started
    if thread.is_alive():
        log.warning("doctor check %s timed out after %.0f s", key, timeout)
        message = _TIMED_OUT.format(seconds=round(timeout))
        return CheckResult(key, title, Status.FAILURE, message, {"timed_out": True}, elapsed)
    if "error" in box:
        message = _CRASHED.format(error=repr(box["error"]))
        return CheckResult(key, title, Status.FAILURE, message, {}, elapsed)
    outcome: Outcome = box["outcome"]
    log.info("doctor check %s: %s", key, outcome.status.value)
    return CheckResult(key, title, outcome.status, outcome.message, outcome.details, elapsed)


def any_failed(results: Sequence[CheckResult]) -> bool:
    return any(result.status is Status.FAILURE for result in results)


def report_text(results: Sequence[CheckResult]) -> str:
    return "\n".join(result.line() for result in results) + "\n"


def report_json(results: Sequence[CheckResult]) -> dict[str, Any]:
    return {
        "program": "fpcert-desktop",
        "version": package_version(),
        "failed": any_failed(results),
        "checks": [result.as_json() for result in results],
    }


# -- test page --------------------------------------------------------------------------


def print_test_page(
    context: DoctorContext,
    printer_factory: Callable[[], Printer] | None = None,
    *,
    timeout: float = TEST_PAGE_TIMEOUT_SECONDS,
) -> CheckResult:
    """Print the Chinese A4 test page through the certificate printing path and wait."""

    def work() -> Outcome:
        if printer_factory is None and not context.platform.startswith("linux"):
            return Outcome(Status.WARNING, _TEST_PAGE_NEEDS_WINDOW.format())
        factory = printer_factory or _cups_factory(context.settings)
        try:
            pdf = render_test_page(load_font_set(context.font_dirs))
            printer = factory()
            result: PrintResult = printer.print_pdf(pdf, title="fpcert-test-page", timeout=timeout)
        except PrintingError as error:
            return Outcome(Status.FAILURE, error.message)
        message = _TEST_PAGE_PRINTED.format(printer=result.printer, job_id=result.job_id)
        return Outcome(Status.OK, message, {"printer": result.printer, "job_id": result.job_id})

    # The job's own timeout comes first; the extra time covers rendering and lp.
    return run_with_timeout("test_page", TEST_PAGE_TITLE, work, timeout + 30)


def _cups_factory(settings: Settings) -> Callable[[], Printer]:
    from fpcert_desktop.services.context import ServiceError
    from fpcert_desktop.services.setup import cups_printer_factory

    make = cups_printer_factory(settings)

    def factory() -> Printer:
        try:
            return make()
        except ServiceError as error:
            raise _NoPrinter(error.message) from error

    return factory


class _NoPrinter(PrintingError):
    """No printer queue is configured and there is no default."""


def render_test_page(fonts: FontSet) -> bytes:
    """Lay out the test page with the font test text."""
    return doctor_page.render_test_page(fonts, font_test_text())


# -- helpers ----------------------------------------------------------------------------


def _joined(first: Message, second: Message) -> Message:
    return _TWO_SENTENCES.format(first=first, second=second)


_TWO_SENTENCES = QT_TRANSLATE_NOOP("Doctor", "{first} {second}")


def _attempts_json(search: ModuleSearch) -> list[dict[str, str]]:
    return [
        {"path": str(attempt.path), "outcome": attempt.outcome, "reason": attempt.reason}
        for attempt in search.attempts
    ]


def _module_not_found(search: ModuleSearch) -> Message:
    rejected: str | Message
    if search.rejected:
        rejected = "; ".join(f"{attempt.path}: {attempt.reason}" for attempt in search.rejected)
    else:
        rejected = _MODULE_NONE_PRESENT.format()
    return _MODULE_NOT_FOUND.format(count=len(search.attempts), rejected=rejected)


def _queue_names(client: ipp.IppClient) -> list[str]:
    try:
        response = client.get_printers()
    except ipp.IppError:
        return []
    names = [group.get("printer-name") for group in response.all_groups(ipp.PRINTER_GROUP)]
    return sorted(str(name) for name in names if name)


def _printer_reason(attributes: Mapping[str, Any]) -> str | Message:
    details = [attributes.get("printer-state-message")]
    details += ipp.as_list(attributes.get("printer-state-reasons"))
    reason = ", ".join(str(item) for item in details if item and item != "none")
    return reason or _NO_REASON.format()


def _short_error(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= 300 else text[:297] + "..."


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package has no migrations"
    return head


def _is_known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _schema_version(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def _has_song_font(fonts: FontSet) -> bool:
    return fonts.main.name in {f"FPCert-{key}" for key in MAIN_FONT_KEYS}
