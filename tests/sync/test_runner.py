"""SyncRunner.push_all over a fake client: batches, sent, duplicates and rejections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fpcert_desktop.storage import Database
from fpcert_desktop.storage.repositories import OutboxRepository
from fpcert_desktop.sync.protocol import PushResult, Rejection
from fpcert_desktop.sync.runner import SyncRunner


class FakePushClient:
    def __init__(self) -> None:
        self.batches: list[tuple[str, list[str]]] = []

    def push(
        self, kind: str, items: Sequence[Mapping[str, Any]], *, session_token: str
    ) -> PushResult:
        uuids = [str(item["uuid"]) for item in items]
        self.batches.append((kind, uuids))
        return PushResult(
            accepted=tuple(uuids[2:]),
            duplicates=tuple(uuids[1:2]),
            rejected=(Rejection(uuids[0], "unknown number"),),
        )


def test_push_all_marks_outcomes(db: Database) -> None:
    with db.session() as session:
        outbox = OutboxRepository(session)
        for number in range(600):
            outbox.add("issuances", {"number": str(number), "user_id": 5})
        outbox.add("issuances", {"number": "other", "user_id": 6})
        outbox.add("voids", {"number": "1", "user_id": 5})
    client = FakePushClient()

    summary = SyncRunner(db, client).push_all("tok", user_id=5)  # type: ignore[arg-type]

    with db.session() as session:
        outbox = OutboxRepository(session)
        remaining = outbox.pending("issuances")
        rejected = outbox.rejected()
    assert [(kind, len(uuids)) for kind, uuids in client.batches] == [
        ("issuances", 500),
        ("issuances", 100),
        ("voids", 1),
    ]
    assert summary.rejected == 3
    assert summary.duplicates == 2
    assert summary.accepted == 596
    assert [item.payload["user_id"] for item in remaining] == [6]
    assert {item.last_error for item in rejected} == {"unknown number"}
