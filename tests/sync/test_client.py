"""SyncClient against a fake HTTP layer: retries, backoff, Retry-After, timeouts, TLS rule."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from fpcert_desktop.sync.client import BACKOFF_BASE_SECONDS, SyncClient
from fpcert_desktop.sync.errors import (
    SyncAuthError,
    SyncConfigError,
    SyncConnectionError,
    SyncProtocolError,
    SyncRequestError,
)
from fpcert_desktop.sync.protocol import WorkstationCredentials

CREDENTIALS = WorkstationCredentials("ws-7", "s3cret")
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)
PAGE = {
    "stream": "offices",
    "items": [{"op": "delete", "id": "440304", "version": 3, "data": None}],
    "next_cursor": "c2",
    "has_more": False,
    "as_of": "2026-12-04T02:00:00Z",
}

Reply = Callable[[], requests.Response] | Exception | requests.Response


def response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    reply = requests.Response()
    reply.status_code = status
    reply._content = b"" if body is None else json.dumps(body).encode()
    reply.headers.update(headers or {})
    reply.request = requests.Request("GET", "http://127.0.0.1/x").prepare()
    reply.url = "http://127.0.0.1/x"
    return reply


class FakeSession(requests.Session):
    """Returns or raises the queued replies in order and records each request."""

    def __init__(self, *replies: Any) -> None:
        super().__init__()
        self.replies = list(replies)
        self.calls: list[dict[str, Any]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> Any:  # type: ignore[override]
        self.calls.append({"method": method, "url": url, **kwargs})
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


def make_client(session: FakeSession, sleeps: list[float], **options: Any) -> SyncClient:
    return SyncClient(
        options.pop("base_url", "http://127.0.0.1:8000/"),
        workstation_credentials=CREDENTIALS,
        session=session,
        sleep=sleeps.append,
        clock=lambda: NOW,
        rng=random.Random(7),
        **options,
    )


def test_pull_sends_credentials_and_cursor() -> None:
    session, sleeps = FakeSession(response(200, PAGE)), []
    page = make_client(session, sleeps).pull("offices", "c1", 10)

    (call,) = session.calls
    assert call["url"] == "http://127.0.0.1:8000/v1/streams/offices"
    assert call["params"] == {"limit": 10, "cursor": "c1"}
    assert call["headers"]["Authorization"] == "Bearer ws-7.s3cret"
    assert call["timeout"] == (5.0, 30.0)
    assert call["verify"] is True
    assert page.items[0].op == "delete"
    assert page.next_cursor == "c2"
    assert page.as_of == NOW
    assert sleeps == []


def test_retries_5xx_with_jittered_backoff() -> None:
    session = FakeSession(response(502), response(500), response(200, PAGE))
    sleeps: list[float] = []
    make_client(session, sleeps).pull("offices")

    assert len(session.calls) == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= BACKOFF_BASE_SECONDS
    assert 0 <= sleeps[1] <= 2 * BACKOFF_BASE_SECONDS


def test_retries_connection_errors_and_timeouts() -> None:
    session = FakeSession(
        requests.exceptions.ConnectionError("refused"),
        requests.exceptions.ReadTimeout("slow"),
        response(200, PAGE),
    )
    sleeps: list[float] = []
    make_client(session, sleeps).pull("offices")

    assert len(session.calls) == 3
    assert len(sleeps) == 2


def test_attempts_are_bounded() -> None:
    session = FakeSession(*[response(503) for _ in range(3)])
    sleeps: list[float] = []
    with pytest.raises(SyncConnectionError) as raised:
        make_client(session, sleeps, max_attempts=3).pull("offices")

    assert raised.value.code == "server_failed"
    assert raised.value.status == 503
    assert len(session.calls) == 3
    assert len(sleeps) == 2


def test_timeout_after_last_attempt() -> None:
    session = FakeSession(*[requests.exceptions.ConnectTimeout("no answer") for _ in range(2)])
    with pytest.raises(SyncConnectionError) as raised:
        make_client(session, [], max_attempts=2).pull("offices")

    assert raised.value.code == "timeout"
    assert "did not respond" in raised.value.message.english


def test_429_honours_retry_after_seconds() -> None:
    session = FakeSession(response(429, headers={"Retry-After": "7"}), response(200, PAGE))
    sleeps: list[float] = []
    make_client(session, sleeps).pull("offices")

    assert sleeps == [7.0]


def test_429_honours_retry_after_date() -> None:
    later = "Fri, 04 Dec 2026 02:00:12 GMT"
    session = FakeSession(response(429, headers={"Retry-After": later}), response(200, PAGE))
    sleeps: list[float] = []
    make_client(session, sleeps).pull("offices")

    assert sleeps == [12.0]


def test_long_retry_after_raises_busy() -> None:
    session = FakeSession(response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(SyncConnectionError) as raised:
        make_client(session, []).pull("offices")

    assert raised.value.code == "busy"
    assert len(session.calls) == 1


def test_enrol_not_retried_after_read_timeout() -> None:
    session = FakeSession(requests.exceptions.ReadTimeout("slow"), response(200, {}))
    with pytest.raises(SyncConnectionError):
        make_client(session, []).enrol("440304004001", "01", "ABC-123")

    assert len(session.calls) == 1


def test_enrol_not_retried_after_500() -> None:
    session = FakeSession(response(500), response(200, {}))
    with pytest.raises(SyncConnectionError) as raised:
        make_client(session, []).enrol("440304004001", "01", "ABC-123")

    assert raised.value.code == "server_failed"
    assert len(session.calls) == 1


def test_enrol_returns_credentials_without_auth() -> None:
    session = FakeSession(response(200, {"workstation_id": "ws-9", "secret": "xyz"}))
    client = SyncClient(
        "http://localhost:8000", workstation_credentials=None, session=session, sleep=print
    )
    credentials = client.enrol("440304004001", "01", "ABC-123")

    assert credentials == WorkstationCredentials("ws-9", "xyz")
    assert "Authorization" not in session.calls[0]["headers"]
    assert "xyz" not in repr(credentials)


def test_401_and_403_raise_auth_errors() -> None:
    unauthorized = FakeSession(response(401, {"error": "bad_credentials", "detail": "unknown"}))
    forbidden = FakeSession(response(403, {"error": "jurisdiction", "detail": "other office"}))

    with pytest.raises(SyncAuthError) as first:
        make_client(unauthorized, []).pull("people")
    with pytest.raises(SyncAuthError) as second:
        make_client(forbidden, []).pull("people")

    assert first.value.code == "unauthorized"
    assert "enrol" in first.value.message.english
    assert second.value.code == "forbidden"
    assert "other office" in second.value.message.english


def test_422_raises_request_error() -> None:
    session = FakeSession(response(422, {"error": "invalid", "detail": "limit too large"}))
    with pytest.raises(SyncRequestError) as raised:
        make_client(session, []).pull("people")

    assert raised.value.status == 422
    assert len(session.calls) == 1


def test_malformed_page_raises_protocol_error() -> None:
    session = FakeSession(response(200, {**PAGE, "has_more": "yes"}))
    with pytest.raises(SyncProtocolError):
        make_client(session, []).pull("offices")


@pytest.mark.parametrize(
    "url",
    ["http://example.org", "http://10.0.0.5:8000", "ftp://127.0.0.1", "https://", "127.0.0.1"],
)
def test_plain_http_only_to_loopback(url: str) -> None:
    with pytest.raises(SyncConfigError) as raised:
        SyncClient(url, workstation_credentials=CREDENTIALS)

    assert raised.value.code == "insecure_url"


def test_https_verifies_with_ca_bundle(tmp_path: Any) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    session = FakeSession(response(200, PAGE))
    make_client(session, [], base_url="https://sync.invalid", ca_bundle=bundle).pull("offices")

    assert session.calls[0]["verify"] == str(bundle)


def test_missing_ca_bundle_raises(tmp_path: Any) -> None:
    with pytest.raises(SyncConfigError) as raised:
        SyncClient(
            "https://sync.invalid",
            workstation_credentials=CREDENTIALS,
            ca_bundle=tmp_path / "absent.pem",
        )

    assert raised.value.code == "ca_bundle_missing"


def test_tls_failure_is_not_retried() -> None:
    session = FakeSession(requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(SyncConfigError) as raised:
        make_client(session, [], base_url="https://sync.invalid").pull("offices")

    assert raised.value.code == "tls_failed"
    assert len(session.calls) == 1


def test_push_sends_clerk_session() -> None:
    result_body = {
        "accepted": ["u1"],
        "duplicates": ["u2"],
        "rejected": [{"uuid": "u3", "reason": "unknown number"}],
    }
    session = FakeSession(response(200, result_body))
    result = make_client(session, []).push(
        "voids", [{"uuid": "u1"}, {"uuid": "u2"}, {"uuid": "u3"}], session_token="tok"
    )

    assert session.calls[0]["headers"]["X-Clerk-Session"] == "tok"
    assert session.calls[0]["json"] == {"items": [{"uuid": "u1"}, {"uuid": "u2"}, {"uuid": "u3"}]}
    assert result.accepted == ("u1",)
    assert result.duplicates == ("u2",)
    assert result.rejected[0].reason == "unknown number"


def test_start_session_signs_challenge() -> None:
    session = FakeSession(
        response(200, {"challenge": "AAEC", "expires_at": "2026-12-04T02:05:00Z"}),
        response(200, {"session_token": "tok", "user_id": 5, "expires_at": "2026-12-04T10:00:00Z"}),
    )
    signed: list[bytes] = []

    def sign(data: bytes) -> bytes:
        signed.append(data)
        return b"sig"

    clerk = make_client(session, []).start_session(sign, b"\x30\x82")

    assert signed == [b"\x00\x01\x02"]
    assert session.calls[1]["json"]["signature"] == "c2ln"
    assert session.calls[1]["json"]["certificate"] == "MII="
    assert clerk.token == "tok"
    assert clerk.user_id == 5
