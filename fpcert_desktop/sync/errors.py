"""Sync failures, each with a message for the clerk or IT saying what failed and what to do."""

from __future__ import annotations

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message

INSECURE_URL = QT_TRANSLATE_NOOP(
    "Sync",
    "The server address {url} is not allowed: use an https:// address (plain http:// "
    "only to 127.0.0.1 or localhost). Correct server_url in the configuration file.",
)
NO_SERVER = QT_TRANSLATE_NOOP(
    "Sync",
    "No central server is configured. Set server_url in the configuration file, then sync again.",
)
UNREACHABLE = QT_TRANSLATE_NOOP(
    "Sync",
    "The central server at {url} could not be reached after {attempts} attempts: {error}. "
    "Check the network cable and the server address, then sync again.",
)
TIMED_OUT = QT_TRANSLATE_NOOP(
    "Sync",
    "The central server at {url} did not respond in time after {attempts} attempts. "
    "Sync again later; if it keeps happening, ask IT to check the server.",
)
TLS_FAILED = QT_TRANSLATE_NOOP(
    "Sync",
    "The TLS certificate of the server at {url} could not be verified: {error}. Ask IT to "
    "check the ca_bundle setting and the server's certificate. Nothing was sent.",
)
CA_BUNDLE_MISSING = QT_TRANSLATE_NOOP(
    "Sync",
    "The CA bundle {path} set in ca_bundle does not exist. Ask IT to correct the setting.",
)
SERVER_FAILED = QT_TRANSLATE_NOOP(
    "Sync",
    "The central server failed (HTTP {status}) after {attempts} attempts. Sync again later; "
    "if it keeps happening, ask IT to check the server.",
)
SERVER_BUSY = QT_TRANSLATE_NOOP(
    "Sync",
    "The central server is busy and asked to wait {seconds} seconds. Sync again later.",
)
UNAUTHORIZED = QT_TRANSLATE_NOOP(
    "Sync",
    "The server rejected this workstation's credentials ({detail}). Ask IT to enrol the "
    "workstation again with fpcert-desktop enrol.",
)
CLERK_SESSION_REJECTED = QT_TRANSLATE_NOOP(
    "Sync",
    "The server rejected the clerk session ({detail}). Log in with the e-key again, then "
    "send the records again.",
)
FORBIDDEN = QT_TRANSLATE_NOOP(
    "Sync",
    "The server refused the request because it is outside this office's jurisdiction "
    "({detail}). Ask IT to check the office of this workstation and of the user.",
)
REQUEST_REJECTED = QT_TRANSLATE_NOOP(
    "Sync",
    "The server rejected the request (HTTP {status}: {detail}). Ask IT to check that the "
    "program and the server are the same version.",
)
BAD_RESPONSE = QT_TRANSLATE_NOOP(
    "Sync",
    "The server sent a response this program cannot read: {error}. Ask IT to check that "
    "the program and the server are the same version.",
)
ENROL_CODE_REJECTED = QT_TRANSLATE_NOOP(
    "Sync",
    "The server rejected the enrolment code: it is unknown, already used, expired or for "
    "another office than {office}. Ask the server administrator for a new enrolment code "
    "for office {office}, then run fpcert-desktop enrol again.",
)
ENROL_WORKSTATION_TAKEN = QT_TRANSLATE_NOOP(
    "Sync",
    "The server already has a workstation {workstation} in office {office}. Choose another "
    "--workstation code, or ask the server administrator about the old one.",
)
ENROL_UNREACHABLE = QT_TRANSLATE_NOOP(
    "Sync",
    "The central server at {url} could not be reached. Check the network cable, that the "
    "server is running and that server_url in the configuration file is correct, then run "
    "fpcert-desktop enrol again.",
)
ENROL_SERVER_FAILED = QT_TRANSLATE_NOOP(
    "Sync",
    "The central server at {url} could not enrol this workstation now (HTTP {status}). Run "
    "fpcert-desktop enrol again later; if it keeps happening, ask the server administrator "
    "to check the server.",
)
NOT_ENROLLED = QT_TRANSLATE_NOOP(
    "Sync",
    "This workstation is not enrolled with the central server. Ask IT to run "
    "fpcert-desktop enrol with the enrolment code.",
)


class SyncError(Exception):
    """A sync step that failed; ``message`` states what failed and what to do next.

    ``code`` is a stable identifier for programs, ``status`` is the HTTP status when the
    server responded.
    """

    def __init__(self, message: Message, *, code: str, status: int | None = None) -> None:
        super().__init__(message.english)
        self.message = message
        self.code = code
        self.status = status


class SyncConnectionError(SyncError):
    """The server could not be reached, timed out or kept failing; trying later may help."""


class SyncAuthError(SyncError):
    """The workstation credentials or the clerk session were rejected (HTTP 401 or 403)."""


class SyncRequestError(SyncError):
    """The server rejected the request itself (HTTP 400, 404, 409 or 422)."""


class SyncProtocolError(SyncError):
    """The server's response could not be read as the sync API defines it."""


class SyncConfigError(SyncError):
    """The server address, CA bundle or credentials are missing or not allowed."""
