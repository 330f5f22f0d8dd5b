"""HTTP client of the sync API, with TLS verification and bounded retries.

Requests that may be repeated safely (pulls, challenges, pushes, whose items the server
deduplicates by UUID) are retried on connection errors, timeouts, HTTP 5xx and 429.
Enrolment and session creation consume a one-time code or challenge, so they are
retried only when the connection was never made or the server returned 429 or 503.
Waits grow exponentially with full jitter, and a ``Retry-After`` header is honoured.
"""

from __future__ import annotations

import base64
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from fpcert_desktop.domain.clock import utc_now
from fpcert_desktop.domain.reports import DailyReport
from fpcert_desktop.i18n import MessageTemplate
from fpcert_desktop.oserrors import describe_connection_error
from fpcert_desktop.storage.repositories.sync import mask_id_numbers
from fpcert_desktop.sync import errors
from fpcert_desktop.sync.errors import (
    SyncAuthError,
    SyncConfigError,
    SyncConnectionError,
    SyncError,
    SyncProtocolError,
    SyncRequestError,
)
from fpcert_desktop.sync.protocol import (
    MAX_PAGE_SIZE,
    MAX_PUSH_ITEMS,
    ClerkSession,
    ProtocolError,
    PulledPage,
    PushResult,
    WorkstationCredentials,
    parse_page,
    parse_push_result,
    parse_time,
)

log = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) in seconds
MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0
# A Retry-After longer than this many seconds is treated as the server being unavailable.
MAX_RETRY_AFTER_SECONDS = 120.0
VERIFY_STATUSES = frozenset({"valid", "voided", "expired", "unknown"})
_MAX_DETAIL_LENGTH = 300


@dataclass(frozen=True)
class SigningKeyEntry:
    """One clerk's signing certificate as ``GET /v1/signing-keys`` lists it."""

    certificate_der: bytes
    holder_name: str
    office_code: str
    revoked: bool


@dataclass(frozen=True)
class VerifyReply:
    """The server's current status of a certificate number (``GET /v1/verify/{number}``).

    ``status`` is ``valid``, ``voided``, ``expired`` or ``unknown``.
    """

    number: str
    status: str
    purpose_code: str | None
    issued_on: date | None
    valid_until: date | None
    office_code: str | None


class SyncClient:
    """One central server, reached with this workstation's credentials."""

    def __init__(
        self,
        base_url: str,
        *,
        workstation_credentials: WorkstationCredentials | None,
        ca_bundle: str | Path | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utc_now,
        max_attempts: int = MAX_ATTEMPTS,
        rng: random.Random | None = None,
    ) -> None:
        if not base_url:
            raise SyncConfigError(errors.NO_SERVER.format(), code="no_server")
        self.base_url = check_base_url(base_url)
        self._verify: bool | str = True
        if ca_bundle:
            if not Path(ca_bundle).is_file():
                raise SyncConfigError(
                    errors.CA_BUNDLE_MISSING.format(path=str(ca_bundle)), code="ca_bundle_missing"
                )
            self._verify = str(ca_bundle)
        if max_attempts < 1:
            raise ValueError(f"max_attempts is {max_attempts}; it must be at least 1")
        self._credentials = workstation_credentials
        self._timeout = timeout
        self._session = session or requests.Session()
        self._sleep = sleep
        self._clock = clock
        self._max_attempts = max_attempts
        self._rng = rng or random.Random()

    def enrol(
        self, office_code: str, workstation_code: str, enrolment_code: str
    ) -> WorkstationCredentials:
        """Enrol this workstation with a one-time code and return its new credentials.

        Failures get messages for the person running the enrolment: a rejected code, a
        workstation code already taken, or a server that cannot be reached now.
        """
        try:
            body = self._request(
                "POST",
                "/v1/workstations/enrol",
                json={
                    "office_code": office_code,
                    "workstation_code": workstation_code,
                    "enrolment_code": enrolment_code,
                },
                idempotent=False,
                authenticated=False,
            )
        except SyncError as error:
            raise self._enrol_failure(error, office_code, workstation_code) from error
        workstation_id, secret = body.get("workstation_id"), body.get("secret")
        if not isinstance(workstation_id, (str, int)) or not isinstance(secret, str) or not secret:
            raise _bad_response("the enrolment response has no workstation_id and secret")
        return WorkstationCredentials(str(workstation_id), secret)

    def _enrol_failure(
        self, error: SyncError, office_code: str, workstation_code: str
    ) -> SyncError:
        # The enrol endpoint takes no credentials, so HTTP 401 there means the code itself.
        if error.status == 401:
            message = errors.ENROL_CODE_REJECTED.format(office=office_code)
            return SyncAuthError(message, code="invalid_enrolment_code", status=401)
        if error.status == 409:
            message = errors.ENROL_WORKSTATION_TAKEN.format(
                workstation=workstation_code, office=office_code
            )
            return SyncRequestError(message, code="workstation_exists", status=409)
        if error.code in ("unreachable", "timeout"):
            message = errors.ENROL_UNREACHABLE.format(url=self.base_url)
            return SyncConnectionError(message, code=error.code)
        if isinstance(error, SyncConnectionError):
            message = errors.ENROL_SERVER_FAILED.format(url=self.base_url, status=error.status)
            return SyncConnectionError(message, code=error.code, status=error.status)
        return error

    def pull(self, stream: str, cursor: str | None = None, limit: int = 1000) -> PulledPage:
        """Fetch one page of ``stream`` after ``cursor`` (from the start when None)."""
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit is {limit}; it must be 1 to {MAX_PAGE_SIZE}")
        params: dict[str, str | int] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        body = self._request("GET", f"/v1/streams/{stream}", params=params)
        try:
            return parse_page(body, stream)
        except ProtocolError as error:
            raise _bad_response(str(error)) from error

    def start_session(self, sign: Callable[[bytes], bytes], certificate_der: bytes) -> ClerkSession:
        """Open a clerk session: sign the server's challenge with the e-key's private key."""
        challenge_body = self._request("POST", "/v1/sessions/challenge", json={})
        challenge = challenge_body.get("challenge")
        if not isinstance(challenge, str):
            raise _bad_response("the challenge response has no challenge")
        try:
            challenge_bytes = base64.b64decode(challenge, validate=True)
        except ValueError as error:
            raise _bad_response("the challenge is not base64") from error
        signature = sign(challenge_bytes)
        body = self._request(
            "POST",
            "/v1/sessions",
            json={
                "challenge": challenge,
                "certificate": base64.b64encode(certificate_der).decode("ascii"),
                "signature": base64.b64encode(signature).decode("ascii"),
            },
            idempotent=False,
        )
        token, user_id = body.get("session_token"), body.get("user_id")
        if not isinstance(token, str) or not isinstance(user_id, int):
            raise _bad_response("the session response has no session_token and user_id")
        try:
            expires_at = parse_time(body.get("expires_at"))
        except ProtocolError as error:
            raise _bad_response(str(error)) from error
        return ClerkSession(token, user_id, expires_at)

    def push(
        self, kind: str, items: Sequence[Mapping[str, Any]], *, session_token: str
    ) -> PushResult:
        """Send at most 500 outbox items of ``kind``; each must carry its ``uuid``."""
        if len(items) > MAX_PUSH_ITEMS:
            raise ValueError(f"{len(items)} items given; a push takes at most {MAX_PUSH_ITEMS}")
        body = self._request(
            "POST",
            f"/v1/push/{kind}",
            json={"items": [dict(item) for item in items]},
            headers={"X-Clerk-Session": session_token},
        )
        try:
            return parse_push_result(body)
        except ProtocolError as error:
            raise _bad_response(str(error)) from error

    def daily_report(self, office_code: str, day: date, *, session_token: str) -> DailyReport:
        """Fetch the daily print summary of ``office_code`` and the offices below it."""
        body = self._request(
            "GET",
            "/v1/reports/daily",
            params={"date": day.isoformat(), "office": office_code},
            headers={"X-Clerk-Session": session_token},
        )
        try:
            return DailyReport.from_json_dict(body)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise _bad_response(f"the daily report is malformed: {error!r}") from error

    def signing_keys(self) -> list[SigningKeyEntry]:
        """Fetch the clerks' signing certificates; the caller checks them against a CA."""
        body = self._request("GET", "/v1/signing-keys")
        items = body.get("keys")
        if not isinstance(items, list):
            raise _bad_response("the signing key list has no keys")
        try:
            return [
                SigningKeyEntry(
                    certificate_der=base64.b64decode(item["certificate"], validate=True),
                    holder_name=str(item["holder_name"]),
                    office_code=str(item["office_code"]),
                    revoked=bool(item["revoked"]),
                )
                for item in items
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise _bad_response(f"a signing key entry is malformed: {error!r}") from error

    def verify_number(self, number: str) -> VerifyReply:
        """Ask for the current status of a certificate number; needs no credentials."""
        body = self._request("GET", f"/v1/verify/{number}", authenticated=False)
        try:
            status = str(body["status"])
            if status not in VERIFY_STATUSES:
                raise ValueError(f"unknown status {status!r}")
            return VerifyReply(
                number=str(body["number"]),
                status=status,
                purpose_code=body.get("purpose_code"),
                issued_on=_optional_date(body.get("issued_on")),
                valid_until=_optional_date(body.get("valid_until")),
                office_code=body.get("office_code"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _bad_response(f"the verify response is malformed: {error!r}") from error

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        authenticated: bool = True,
    ) -> dict[str, Any]:
        url = self.base_url + path
        all_headers = {"Accept": "application/json", **(headers or {})}
        if authenticated:
            if self._credentials is None:
                raise SyncConfigError(errors.NOT_ENROLLED.format(), code="not_enrolled")
            all_headers["Authorization"] = f"Bearer {self._credentials.bearer}"

        for attempt in range(1, self._max_attempts + 1):
            last = attempt == self._max_attempts
            try:
                response = self._session.request(
                    method,
                    url,
                    json=json,
                    params=params,
                    headers=all_headers,
                    timeout=self._timeout,
                    verify=self._verify,
                )
            except requests.exceptions.SSLError as error:
                raise SyncConfigError(
                    errors.TLS_FAILED.format(url=self.base_url, error=_reason(error)),
                    code="tls_failed",
                ) from error
            except requests.exceptions.ConnectTimeout as error:
                failure: SyncError = _timed_out(self.base_url, attempt)
                self._retry_or_raise(method, path, failure, error, attempt, last)
                continue
            except requests.exceptions.Timeout as error:
                failure = _timed_out(self.base_url, attempt)
                self._retry_or_raise(method, path, failure, error, attempt, last or not idempotent)
                continue
            except requests.exceptions.ConnectionError as error:
                failure = SyncConnectionError(
                    errors.UNREACHABLE.format(
                        url=self.base_url, attempts=attempt, error=_reason(error)
                    ),
                    code="unreachable",
                )
                self._retry_or_raise(method, path, failure, error, attempt, last or not idempotent)
                continue

            status = response.status_code
            if 200 <= status < 300:
                return _json_object(response)
            if status == 429 or status == 503 or (status >= 500 and idempotent):
                wait = self._retry_after(response)
                if wait is not None and wait > MAX_RETRY_AFTER_SECONDS:
                    raise SyncConnectionError(
                        errors.SERVER_BUSY.format(seconds=round(wait)), code="busy", status=status
                    )
                if last:
                    raise _server_failure(status, attempt, wait)
                delay = wait if wait is not None else self._backoff(attempt)
                log.warning(
                    "%s %s returned HTTP %d; retry %d of %d in %.1f s",
                    method,
                    path,
                    status,
                    attempt,
                    self._max_attempts - 1,
                    delay,
                )
                self._sleep(delay)
                continue
            if status >= 500:
                raise _server_failure(status, attempt, None)
            raise _client_failure(response, clerk="X-Clerk-Session" in all_headers)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _retry_or_raise(
        self,
        method: str,
        path: str,
        failure: SyncError,
        error: Exception,
        attempt: int,
        give_up: bool,
    ) -> None:
        if give_up:
            log.warning("%s %s failed after %d attempts: %s", method, path, attempt, error)
            raise failure from error
        delay = self._backoff(attempt)
        log.warning(
            "%s %s failed (%s); retry %d of %d in %.1f s",
            method,
            path,
            type(error).__name__,
            attempt,
            self._max_attempts - 1,
            delay,
        )
        self._sleep(delay)

    def _backoff(self, attempt: int) -> float:
        """Draw a full-jitter wait: uniform between 0 and the capped exponential bound."""
        bound = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
        return self._rng.uniform(0.0, bound)

    def _retry_after(self, response: requests.Response) -> float | None:
        """Read ``Retry-After`` as seconds or as an HTTP date; None when absent or invalid.

        An HTTP date is measured from the response's ``Date`` header when it has one,
        because the server wrote both with its own clock and this machine's clock may
        be off. Without a valid ``Date`` the local clock is the reference.
        """
        value = response.headers.get("Retry-After")
        if value is None:
            return None
        value = value.strip()
        if value.isdigit():
            return float(value)
        moment = _http_date(value)
        if moment is None:
            log.warning("ignoring invalid Retry-After header %r", value)
            return None
        sent_at = _http_date(response.headers.get("Date"))
        reference = sent_at if sent_at is not None else self._clock()
        return max(0.0, (moment - reference).total_seconds())


def _optional_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def check_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash; raise unless it is https or local http."""
    parts = urlsplit(url)
    allowed = parts.scheme == "https" and bool(parts.hostname)
    allowed = allowed or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)
    if not allowed or parts.query or parts.fragment:
        raise SyncConfigError(errors.INSECURE_URL.format(url=url), code="insecure_url")
    return url.rstrip("/")


def _http_date(value: str | None) -> datetime | None:
    """Parse an HTTP date into an aware datetime; None when absent or invalid."""
    if value is None:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as error:
        raise _bad_response(f"HTTP {response.status_code} body is not JSON") from error
    if not isinstance(body, dict):
        raise _bad_response(f"HTTP {response.status_code} body is not a JSON object")
    return body


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        text = f"{body.get('error', '')}: {body.get('detail', '')}".strip(": ")
    else:
        text = response.reason or ""
    return mask_id_numbers(text)[:_MAX_DETAIL_LENGTH] or f"HTTP {response.status_code}"


def _client_failure(response: requests.Response, *, clerk: bool) -> SyncError:
    status, detail = response.status_code, _detail(response)
    log.warning("%s %s returned HTTP %d: %s", response.request.method, response.url, status, detail)
    if status == 401:
        template = errors.CLERK_SESSION_REJECTED if clerk else errors.UNAUTHORIZED
        return SyncAuthError(template.format(detail=detail), code="unauthorized", status=status)
    if status == 403:
        message = errors.FORBIDDEN.format(detail=detail)
        return SyncAuthError(message, code="forbidden", status=status)
    return SyncRequestError(
        errors.REQUEST_REJECTED.format(status=status, detail=detail),
        code="rejected",
        status=status,
    )


def _server_failure(status: int, attempts: int, wait: float | None) -> SyncError:
    if status == 429:
        seconds = round(wait) if wait is not None else 60
        return SyncConnectionError(
            errors.SERVER_BUSY.format(seconds=seconds), code="busy", status=status
        )
    return SyncConnectionError(
        errors.SERVER_FAILED.format(status=status, attempts=attempts),
        code="server_failed",
        status=status,
    )


def _timed_out(url: str, attempts: int) -> SyncError:
    return SyncConnectionError(errors.TIMED_OUT.format(url=url, attempts=attempts), code="timeout")


def _bad_response(error: str) -> SyncError:
    return SyncProtocolError(errors.BAD_RESPONSE.format(error=error), code="bad_response")


def _reason(error: Exception) -> MessageTemplate:
    """Return the translated cause for a message; the log keeps requests' full text."""
    log.warning("connection to the server failed: %s", str(error)[:_MAX_DETAIL_LENGTH])
    return describe_connection_error(error)
