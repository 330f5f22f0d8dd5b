"""One sync run: pull every stream to its end, push the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fpcert_desktop.storage.db import Database
from fpcert_desktop.storage.repositories import OutboxRepository, SyncStateRepository
from fpcert_desktop.sync.apply import ApplyReport, apply_page
from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.errors import SyncError
from fpcert_desktop.sync.protocol import MAX_PUSH_ITEMS, STREAMS

log = logging.getLogger(__name__)

# Kinds pushed in this order, so the server has a certificate before its void or reprint.
PUSH_ORDER = ("issuances", "voids", "reprints")
DEFAULT_PAGE_SIZE = 1000

# (stream or kind, records done so far, total when known)
Progress = Callable[[str, int, "int | None"], None]


@dataclass
class StreamSummary:
    stream: str
    pages: int = 0
    upserted: int = 0
    deleted: int = 0
    quarantined: int = 0
    as_of: datetime | None = None


@dataclass
class PullSummary:
    streams: list[StreamSummary] = field(default_factory=list)

    @property
    def quarantined(self) -> int:
        return sum(stream.quarantined for stream in self.streams)


@dataclass
class PushSummary:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejections: list[str] = field(default_factory=list)


class SyncRunner:
    def __init__(
        self,
        database: Database,
        client: SyncClient,
        *,
        progress: Progress | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self._database = database
        self._client = client
        self._progress = progress
        self._page_size = page_size

    def pull_all(self, streams: tuple[str, ...] = STREAMS) -> PullSummary:
        """Pull each stream from its stored cursor until the server has no more.

        A failure is recorded as the stream's ``last_error`` and raised; the pages
        applied before it stay applied, and the next run resumes after them.
        """
        summary = PullSummary()
        for stream in streams:
            summary.streams.append(self._pull_stream(stream))
        return summary

    def push_all(self, session_token: str, *, user_id: int | None = None) -> PushSummary:
        """Push the outbox in batches of 500 with the clerk session's token.

        ``user_id`` is the session's user: the server rejects items that name another
        user, so only this clerk's items are sent and the others wait for their clerk.

        Accepted items and those the server already had are marked sent. Rejected items
        keep the server's reason and stay in the outbox, no longer pending.
        """
        summary = PushSummary()
        for kind in PUSH_ORDER:
            done = 0
            while True:
                with self._database.session() as session:
                    batch = OutboxRepository(session).pending(kind, MAX_PUSH_ITEMS, user_id=user_id)
                if not batch:
                    break
                items = [{"uuid": item.uuid, **item.payload} for item in batch]
                result = self._client.push(kind, items, session_token=session_token)
                answered = set(result.accepted) | set(result.duplicates)
                answered |= {rejection.uuid for rejection in result.rejected}
                with self._database.session() as session:
                    outbox = OutboxRepository(session)
                    outbox.mark_sent([*result.accepted, *result.duplicates])
                    for rejection in result.rejected:
                        outbox.mark_failed([rejection.uuid], rejection.reason or "rejected")
                summary.accepted += len(result.accepted)
                summary.duplicates += len(result.duplicates)
                summary.rejected += len(result.rejected)
                summary.rejections.extend(
                    f"{kind} {rejection.uuid}: {rejection.reason}" for rejection in result.rejected
                )
                for rejection in result.rejected:
                    log.warning(
                        "server rejected %s item %s: %s", kind, rejection.uuid, rejection.reason
                    )
                done += len(batch)
                self._report(kind, done, None)
                if not answered & {item.uuid for item in batch}:
                    # The server named none of the items: stop rather than send them forever.
                    log.warning(
                        "push response for %d %s items listed none of them; stopping",
                        len(batch),
                        kind,
                    )
                    break
        return summary

    def data_as_of(self, stream: str = "people") -> datetime | None:
        with self._database.session() as session:
            return SyncStateRepository(session).data_as_of(stream)

    def _pull_stream(self, stream: str) -> StreamSummary:
        summary = StreamSummary(stream)
        with self._database.session() as session:
            cursor = SyncStateRepository(session).cursor(stream)
        log.info(
            "pulling %s from %s", stream, "the start" if cursor is None else "the stored cursor"
        )
        done = 0
        while True:
            try:
                page = self._client.pull(stream, cursor, self._page_size)
                report = apply_page(self._database, stream, page)
            except SyncError as error:
                self._record_error(stream, error.message.english)
                raise
            self._add(summary, report)
            summary.as_of = page.as_of
            done += len(page.items)
            self._report(stream, done, None)
            cursor = page.next_cursor
            if not page.has_more:
                break
        log.info(
            "pulled %s: %d pages, %d upserted, %d deleted, %d quarantined",
            stream,
            summary.pages,
            summary.upserted,
            summary.deleted,
            summary.quarantined,
        )
        return summary

    def _record_error(self, stream: str, error: str) -> None:
        with self._database.session() as session:
            SyncStateRepository(session).set_error(stream, error)

    def _report(self, name: str, done: int, total: int | None) -> None:
        if self._progress is not None:
            self._progress(name, done, total)

    @staticmethod
    def _add(summary: StreamSummary, report: ApplyReport) -> None:
        summary.pages += 1
        summary.upserted += report.upserted
        summary.deleted += report.deleted
        summary.quarantined += report.quarantined
