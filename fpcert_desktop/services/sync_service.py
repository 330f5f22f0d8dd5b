"""Synchronize now: pull every stream, open a clerk session on the e-key, push the outbox.

The pull needs only the workstation's credentials. The push is attributable to the
logged-in clerk, so it needs a clerk session that the server opens after the e-key
signs its challenge. Progress is reported from the calling (background) thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from fpcert_desktop.config import Settings
from fpcert_desktop.domain.clock import CHINA_TZ
from fpcert_desktop.ekey.errors import EKeyError
from fpcert_desktop.ekey.worker import EKeyWorker
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.services import audit
from fpcert_desktop.services.context import ServiceContext, ServiceError, UserSession
from fpcert_desktop.services.verification import refresh_signing_keys
from fpcert_desktop.storage.repositories import OutboxRepository, SyncStateRepository
from fpcert_desktop.storage.repositories.sync import synced_institutions
from fpcert_desktop.sync import errors as sync_errors
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.credentials import load_credentials
from fpcert_desktop.sync.errors import SyncConfigError, SyncError
from fpcert_desktop.sync.protocol import MAX_PUSH_ITEMS, STREAMS, WorkstationCredentials
from fpcert_desktop.sync.runner import (
    DEFAULT_PAGE_SIZE,
    PullSummary,
    PushSummary,
    SyncRunner,
)

log = logging.getLogger(__name__)

SIGN_TIMEOUT_SECONDS = 30.0

# Pushed after the runner's issuances, voids and reprints. Audit events go last, so the
# push includes the events written while the other kinds were sent.
EXTRA_PUSH_KINDS = ("problem_list", "referrals", "audit_events")
# Audit events carry any user (earlier clerks, failed logins), so any clerk pushes them.
ANY_USER_KINDS = frozenset({"audit_events"})

SyncProgress = Callable[["SyncStep"], None]

_NO_SESSION_USER = QT_TRANSLATE_NOOP(
    "Sync",
    "The central server knows this e-key as user {server_user}, but this workstation knows "
    "it as user {local_user}. Nothing was sent. Ask IT to register the clerk on the server "
    "with the same user, then synchronize again.",
)
_SIGN_FAILED = QT_TRANSLATE_NOOP(
    "Sync",
    "The e-key could not sign the server's challenge: {error}. The data was pulled, but "
    "nothing was sent. Check that the e-key is inserted, then synchronize again.",
)
_NO_CERTIFICATE = QT_TRANSLATE_NOOP(
    "Sync",
    "The e-key's certificate of this session is not known. The data was pulled, but "
    "nothing was sent. Log out, log in again with the e-key, then synchronize again.",
)
_DONE = QT_TRANSLATE_NOOP(
    "Sync",
    "Synchronization finished: {pulled} records pulled in {pages} pages, {sent} records "
    "sent. The population data is as of {as_of}.",
)
_REJECTED = QT_TRANSLATE_NOOP(
    "Sync",
    "The server rejected {count} records; they stay on this computer with the server's "
    "reason. Ask IT to check them.",
)
_QUARANTINED = QT_TRANSLATE_NOOP(
    "Sync",
    "{count} pulled records were not applied and are kept in the quarantine table; ask IT "
    "to check them.",
)
_WAITING = QT_TRANSLATE_NOOP(
    "Sync",
    "{count} records of other clerks wait until they synchronize in their own session.",
)


@dataclass(frozen=True)
class SyncStep:
    """One progress report: ``phase`` is "pull" or "push", ``name`` the stream or kind."""

    phase: str
    name: str
    records: int
    pages: int


@dataclass
class SyncSummary:
    pull: PullSummary
    push: PushSummary
    # Items still pending after the push: other clerks' records, or items the server did not list.
    waiting: int = 0
    as_of: dict[str, datetime | None] = field(default_factory=dict)

    @property
    def pulled(self) -> int:
        return sum(stream.upserted + stream.deleted for stream in self.pull.streams)

    @property
    def pages(self) -> int:
        return sum(stream.pages for stream in self.pull.streams)

    @property
    def sent(self) -> int:
        return self.push.accepted + self.push.duplicates

    def messages(self) -> list[Message]:
        """Return the messages for the clerk: the totals, then anything that needs IT."""
        people_as_of = self.as_of.get("people")
        as_of_text = format_china_time(people_as_of) if people_as_of else "—"
        result = [
            _DONE.format(pulled=self.pulled, pages=self.pages, sent=self.sent, as_of=as_of_text)
        ]
        if self.push.rejected:
            result.append(_REJECTED.format(count=self.push.rejected))
        if self.pull.quarantined:
            result.append(_QUARANTINED.format(count=self.pull.quarantined))
        if self.waiting:
            result.append(_WAITING.format(count=self.waiting))
        return result


def format_china_time(moment: datetime) -> str:
    """Format an aware time as China time to the minute, for example 2026-12-04 10:00."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


class SyncService:
    """Synchronize this workstation with the central server named in the settings."""

    def __init__(
        self,
        context: ServiceContext,
        settings: Settings,
        *,
        credentials: Callable[[], WorkstationCredentials | None] = load_credentials,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self._context = context
        self._settings = settings
        self._credentials = credentials
        self._page_size = page_size

    @property
    def configured(self) -> bool:
        """True when a central server address is set."""
        return bool(self._settings.server_url)

    def data_as_of(self) -> dict[str, datetime | None]:
        """Return the server time each stream's applied pages reflect; None before a pull."""
        with self._context.database.session() as db:
            states = SyncStateRepository(db)
            return {stream: states.data_as_of(stream) for stream in STREAMS}

    def synchronize(
        self,
        session: UserSession,
        worker: EKeyWorker,
        progress: SyncProgress | None = None,
    ) -> SyncSummary:
        """Pull every stream, then push this clerk's outbox items and the audit events.

        Raises ``SyncError`` (not configured, not enrolled, the server failed) or
        ``ServiceError`` (the e-key could not sign, the server maps the key to another
        user). Pages pulled before a failure stay applied.
        """
        client = self._client()
        tracker = _Tracker(progress)
        runner = SyncRunner(
            self._context.database, client, progress=tracker.pulled, page_size=self._page_size
        )
        try:
            pulled = runner.pull_all()
            token = self._open_clerk_session(client, session, worker)
            tracker.phase = "push"
            pushed = runner.push_all(token, user_id=session.user.user_id)
            self._push_extra(client, token, session.user.user_id, pushed, tracker)
        except (SyncError, ServiceError) as error:
            self._audit(session, "sync_failed", reason=error.code)
            raise
        self._refresh_institutions()
        refresh_signing_keys(self._context, client)
        summary = SyncSummary(pulled, pushed, self._waiting(), self.data_as_of())
        self._audit(
            session,
            "sync",
            pages=summary.pages,
            pulled=summary.pulled,
            quarantined=pulled.quarantined,
            accepted=pushed.accepted,
            duplicates=pushed.duplicates,
            rejected=pushed.rejected,
            waiting=summary.waiting,
        )
        log.info(
            "sync done: %d pages, %d records pulled, %d sent, %d rejected, %d waiting",
            summary.pages,
            summary.pulled,
            summary.sent,
            pushed.rejected,
            summary.waiting,
        )
        return summary

    def server_client(self) -> SyncClient:
        """Return a client of the configured server; raises ``SyncError`` when there is none."""
        return self._client()

    def _client(self) -> SyncClient:
        if not self._settings.server_url:
            raise SyncConfigError(sync_errors.NO_SERVER.format(), code="no_server")
        credentials = self._credentials()
        if credentials is None:
            raise SyncConfigError(sync_errors.NOT_ENROLLED.format(), code="not_enrolled")
        return SyncClient(
            self._settings.server_url,
            workstation_credentials=credentials,
            ca_bundle=self._settings.ca_bundle or None,
        )

    def _open_clerk_session(
        self, client: SyncClient, session: UserSession, worker: EKeyWorker
    ) -> str:
        if not session.certificate_der:
            raise ServiceError(_NO_CERTIFICATE.format(), code="no_certificate")

        def sign(challenge: bytes) -> bytes:
            return worker.sign(challenge).result(timeout=SIGN_TIMEOUT_SECONDS)

        try:
            clerk = client.start_session(sign, session.certificate_der)
        except (EKeyError, TimeoutError) as error:
            raise ServiceError(_SIGN_FAILED.format(error=str(error)), code="sign_failed") from error
        if clerk.user_id != session.user.user_id:
            raise ServiceError(
                _NO_SESSION_USER.format(server_user=clerk.user_id, local_user=session.user.user_id),
                code="user_mismatch",
            )
        return clerk.token

    def _push_extra(
        self,
        client: SyncClient,
        token: str,
        user_id: int,
        summary: PushSummary,
        tracker: _Tracker,
    ) -> None:
        """Push the kinds the runner leaves out, in batches, as the runner does."""
        database = self._context.database
        for kind in EXTRA_PUSH_KINDS:
            owner = None if kind in ANY_USER_KINDS else user_id
            done = 0
            while True:
                with database.session() as db:
                    batch = OutboxRepository(db).pending(kind, MAX_PUSH_ITEMS, user_id=owner)
                if not batch:
                    break
                items = [{"uuid": item.uuid, **item.payload} for item in batch]
                result = client.push(kind, items, session_token=token)
                with database.session() as db:
                    outbox = OutboxRepository(db)
                    outbox.mark_sent([*result.accepted, *result.duplicates])
                    for rejection in result.rejected:
                        outbox.mark_failed([rejection.uuid], rejection.reason or "rejected")
                        log.warning(
                            "server rejected %s item %s: %s", kind, rejection.uuid, rejection.reason
                        )
                summary.accepted += len(result.accepted)
                summary.duplicates += len(result.duplicates)
                summary.rejected += len(result.rejected)
                summary.rejections.extend(
                    f"{kind} {rejection.uuid}: {rejection.reason}" for rejection in result.rejected
                )
                done += len(batch)
                tracker.pushed(kind, done)
                answered = {*result.accepted, *result.duplicates}
                answered |= {rejection.uuid for rejection in result.rejected}
                if not answered & {item.uuid for item in batch}:
                    log.warning(
                        "push response for %d %s items listed none of them; stopping",
                        len(batch),
                        kind,
                    )
                    break

    def _refresh_institutions(self) -> None:
        """Use the institutions the server sent from now on, as a restart would."""
        with self._context.database.session() as db:
            institutions = synced_institutions(db)
        if institutions:
            self._context.institutions = institutions

    def _waiting(self) -> int:
        with self._context.database.session() as db:
            return OutboxRepository(db).count_pending()

    def _audit(self, session: UserSession, event: str, **details: object) -> None:
        with self._context.database.write_session() as db:
            audit.record(
                db,
                event,
                workstation=session.workstation,
                user=session,
                subject=f"server:{_host(self._settings.server_url)}",
                **details,
            )


class _Tracker:
    """Turns the runner's cumulative record counts into steps with page counts."""

    def __init__(self, progress: SyncProgress | None) -> None:
        self._progress = progress
        self._pages: dict[str, int] = {}
        self.phase = "pull"

    def pulled(self, name: str, done: int, _total: int | None) -> None:
        # The runner reports once per page: a pull report is a page, a push report a batch.
        key = f"{self.phase}:{name}"
        self._pages[key] = self._pages.get(key, 0) + 1
        self._report(self.phase, name, done, self._pages[key])

    def pushed(self, name: str, done: int) -> None:
        key = f"push:{name}"
        self._pages[key] = self._pages.get(key, 0) + 1
        self._report("push", name, done, self._pages[key])

    def _report(self, phase: str, name: str, records: int, pages: int) -> None:
        if self._progress is not None:
            self._progress(SyncStep(phase, name, records, pages))


def _host(url: str) -> str:
    return urlsplit(url).netloc[:50]
