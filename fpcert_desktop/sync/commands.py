"""The ``fpcert-desktop sync`` and ``enrol`` commands, printing to the console."""

from __future__ import annotations

import logging
import sys

from fpcert_desktop.config import Settings
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.services.context import ServiceError
from fpcert_desktop.services.setup import database_for
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.credentials import load_credentials, save_credentials
from fpcert_desktop.sync.errors import NOT_ENROLLED, SyncError
from fpcert_desktop.sync.runner import SyncRunner

log = logging.getLogger(__name__)

_ENROLLED = QT_TRANSLATE_NOOP(
    "SyncCommand", "Workstation enrolled as {workstation_id}. Its secret is stored in {store}."
)
_STREAM_DONE = QT_TRANSLATE_NOOP(
    "SyncCommand",
    "{stream}: {upserted} updated, {deleted} deleted, {quarantined} quarantined; data as of "
    "{as_of}",
)
_QUARANTINED = QT_TRANSLATE_NOOP(
    "SyncCommand",
    "{count} records were not applied and are kept in the quarantine table; ask IT to check them.",
)


def run_enrol(settings: Settings, *, office: str, workstation: str, code: str) -> int:
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
            _ENROLLED.format(
                workstation_id=credentials.workstation_id,
                store=f"{store.kind} ({store.location})",
            )
        )
    )
    return 0


def run_sync(settings: Settings) -> int:
    credentials = load_credentials()
    if credentials is None:
        print(str(NOT_ENROLLED.format()), file=sys.stderr)
        return 1
    try:
        database = database_for(settings)
        database.upgrade()
        client = SyncClient(
            settings.server_url,
            workstation_credentials=credentials,
            ca_bundle=settings.ca_bundle or None,
        )
        summary = SyncRunner(database, client, progress=_progress).pull_all()
    except (SyncError, ServiceError) as error:
        print(file=sys.stderr)
        print(str(error.message), file=sys.stderr)
        return 1
    print(file=sys.stderr)
    for stream in summary.streams:
        as_of = stream.as_of.isoformat() if stream.as_of else "-"
        print(
            str(
                _STREAM_DONE.format(
                    stream=stream.stream,
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


def _progress(stream: str, done: int, total: int | None) -> None:
    suffix = "" if total is None else f"/{total}"
    print(f"\r{stream}: {done}{suffix}", end="", file=sys.stderr, flush=True)
