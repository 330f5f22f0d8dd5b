"""The ``fpcert-desktop sync`` and ``enrol`` commands, printing to the console."""

from __future__ import annotations

import logging
import sys

from fpcert_desktop.config import OPTIONS, Settings
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.services.context import ServiceError
from fpcert_desktop.services.setup import open_database
from fpcert_desktop.services.sync_service import format_china_time
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.credentials import CredentialStore, load_credentials, save_credentials
from fpcert_desktop.sync.errors import NOT_ENROLLED, SyncError
from fpcert_desktop.sync.runner import SyncRunner

log = logging.getLogger(__name__)

_ENROLLED = QT_TRANSLATE_NOOP(
    "SyncCommand", "Workstation enrolled as {workstation_id}. Its secret is stored in {store}."
)
_STORE_FILE = QT_TRANSLATE_NOOP("SyncCommand", "the file {path}")
_STORE_KEYRING = QT_TRANSLATE_NOOP("SyncCommand", "the system keyring ({backend})")
_NO_SERVER = QT_TRANSLATE_NOOP(
    "SyncCommand",
    "No central server is configured. Set server_url in the configuration file, then run "
    "fpcert-desktop enrol again.",
)
_BAD_ENROL_VALUE = QT_TRANSLATE_NOOP(
    "SyncCommand",
    "The value {value} of {option} is invalid: it should be {expected}. Correct it and run "
    "fpcert-desktop enrol again. Nothing was sent to the server.",
)
_OFFICE_FORMAT = QT_TRANSLATE_NOOP("SyncCommand", "6, 9 or 12 digits")
_STREAM_DONE = QT_TRANSLATE_NOOP(
    "SyncCommand",
    "{stream}: {upserted} updated, {deleted} deleted, {quarantined} quarantined; data as of "
    "{as_of}",
)
_STREAM_NAMES = {
    "offices": QT_TRANSLATE_NOOP("SyncCommand", "offices"),
    "users": QT_TRANSLATE_NOOP("SyncCommand", "users"),
    "institutions": QT_TRANSLATE_NOOP("SyncCommand", "institutions"),
    "policies": QT_TRANSLATE_NOOP("SyncCommand", "policies"),
    "people": QT_TRANSLATE_NOOP("SyncCommand", "population data"),
    "problem_list": QT_TRANSLATE_NOOP("SyncCommand", "problem list"),
}
_QUARANTINED = QT_TRANSLATE_NOOP(
    "SyncCommand",
    "{count} records were not applied and are kept in the quarantine table; ask IT to check them.",
)


def run_enrol(settings: Settings, *, office: str, workstation: str, code: str) -> int:
    """Enrol this workstation: return 0, 1 when the server or a setting failed, 2 on bad input."""
    if not settings.server_url:
        print(str(_NO_SERVER.format()), file=sys.stderr)
        return 1
    problem = enrol_input_problem(office, workstation)
    if problem is not None:
        print(str(problem), file=sys.stderr)
        return 2
    try:
        client = SyncClient(
            settings.server_url,
            workstation_credentials=None,
            ca_bundle=settings.ca_bundle or None,
        )
        credentials = client.enrol(office, workstation, code)
    except SyncError as error:
        print(str(error.message), file=sys.stderr)
        return 1
    store = save_credentials(credentials)
    print(
        str(
            _ENROLLED.format(workstation_id=credentials.workstation_id, store=describe_store(store))
        )
    )
    return 0


def enrol_input_problem(office: str, workstation: str) -> Message | None:
    """Check --office and --workstation as the configuration file would, before any request."""
    if not office or not OPTIONS["office_code"].check(office):
        return _BAD_ENROL_VALUE.format(value=office, option="--office", expected=_OFFICE_FORMAT)
    workstation_option = OPTIONS["workstation_code"]
    if not workstation_option.check(workstation):
        return _BAD_ENROL_VALUE.format(
            value=workstation, option="--workstation", expected=workstation_option.expected
        )
    return None


def describe_store(store: CredentialStore) -> Message:
    if store.kind == "file":
        return _STORE_FILE.format(path=store.location)
    return _STORE_KEYRING.format(backend=store.location)


def run_sync(settings: Settings) -> int:
    credentials = load_credentials()
    try:
        # Built first, so a missing or wrong server_url is named before a missing enrolment.
        client = SyncClient(
            settings.server_url,
            workstation_credentials=credentials,
            ca_bundle=settings.ca_bundle or None,
        )
    except SyncError as error:
        print(str(error.message), file=sys.stderr)
        return 1
    if credentials is None:
        print(str(NOT_ENROLLED.format()), file=sys.stderr)
        return 1
    try:
        database = open_database(settings)
        summary = SyncRunner(database, client, progress=_progress).pull_all()
    except (SyncError, ServiceError) as error:
        print(file=sys.stderr)
        print(str(error.message), file=sys.stderr)
        return 1
    print(file=sys.stderr)
    for stream in summary.streams:
        as_of = format_china_time(stream.as_of) if stream.as_of else "-"
        print(
            str(
                _STREAM_DONE.format(
                    stream=_stream_name(stream.stream),
                    upserted=stream.upserted,
                    deleted=stream.deleted,
                    quarantined=stream.quarantined,
                    as_of=as_of,
                )
            )
        )
    if summary.quarantined:
        print(str(_QUARANTINED.format(count=summary.quarantined)))
    return 0


def _stream_name(stream: str) -> str:
    name = _STREAM_NAMES.get(stream)
    return str(name) if name is not None else stream


def _progress(stream: str, done: int, total: int | None) -> None:
    # A progress line rewritten with carriage returns is for a terminal only: in a log
    # file or a pipe the updates would run together.
    if not sys.stderr.isatty():
        return
    suffix = "" if total is None else f"/{total}"
    print(f"\r{_stream_name(stream)}: {done}{suffix}", end="", file=sys.stderr, flush=True)
