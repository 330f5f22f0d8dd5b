"""Short, translated descriptions of the operating system errors users meet when saving files.

``OSError.strerror`` is the C library's English text ("Read-only file system"), which would
otherwise appear in the middle of a Chinese message. The description is chosen by errno.
"""

from __future__ import annotations

import errno
import socket
import ssl

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, MessageTemplate

_PERMISSION_DENIED = QT_TRANSLATE_NOOP("OsError", "permission denied")
_DESCRIPTIONS: dict[int, MessageTemplate] = {
    errno.EACCES: _PERMISSION_DENIED,
    errno.EPERM: _PERMISSION_DENIED,
    errno.EROFS: QT_TRANSLATE_NOOP("OsError", "the file system is read-only"),
    errno.EISDIR: QT_TRANSLATE_NOOP("OsError", "the name is a folder, not a file"),
    errno.ENOENT: QT_TRANSLATE_NOOP("OsError", "the file or folder does not exist"),
    errno.ENOSPC: QT_TRANSLATE_NOOP("OsError", "the disk is full"),
    errno.ENOTDIR: QT_TRANSLATE_NOOP("OsError", "a part of the path is not a folder"),
}


def describe_os_error(error: OSError) -> MessageTemplate | str:
    """Return a translatable description of ``error`` for the common errnos.

    Any other errno gets the system's own text (``strerror``), untranslated. Pass the
    result as a message parameter, or call ``str()`` on it to render it in the installed
    language.
    """
    description = _DESCRIPTIONS.get(error.errno) if error.errno is not None else None
    if description is not None:
        return description
    return error.strerror or str(error)


_REFUSED = QT_TRANSLATE_NOOP(
    "OsError", "the connection was refused: no server is listening at that address and port"
)
_NAME_NOT_FOUND = QT_TRANSLATE_NOOP("OsError", "the server name could not be resolved (DNS)")
_NETWORK_UNREACHABLE = QT_TRANSLATE_NOOP("OsError", "the network or the host is unreachable")
_CONNECTION_RESET = QT_TRANSLATE_NOOP("OsError", "the server closed the connection")
_CONNECTION_TIMED_OUT = QT_TRANSLATE_NOOP("OsError", "the connection timed out")
_CERTIFICATE_UNTRUSTED = QT_TRANSLATE_NOOP(
    "OsError", "the server's certificate was not issued by a trusted CA"
)
_CERTIFICATE_EXPIRED = QT_TRANSLATE_NOOP("OsError", "the server's certificate has expired")
_CERTIFICATE_NAME = QT_TRANSLATE_NOOP(
    "OsError", "the server's certificate is for another host name"
)
_TLS_FAILED = QT_TRANSLATE_NOOP("OsError", "the TLS handshake failed")
_CONNECTION_FAILED = QT_TRANSLATE_NOOP("OsError", "the connection failed")


def describe_connection_error(error: BaseException) -> MessageTemplate:
    """Return a translatable cause of a failed HTTP connection (requests, urllib3, ssl).

    requests wraps the socket or TLS error several levels deep, and its text repeats the
    whole chain in English. The cause is found by walking that chain: ``__cause__``,
    ``__context__``, urllib3's ``reason`` and exceptions passed as arguments.
    """
    for cause in _chain(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            message = (cause.verify_message or "").lower()
            if "expired" in message:
                return _CERTIFICATE_EXPIRED
            if "hostname" in message or "ip address mismatch" in message:
                return _CERTIFICATE_NAME
            return _CERTIFICATE_UNTRUSTED
        if isinstance(cause, ssl.SSLError):
            return _TLS_FAILED
        if isinstance(cause, ConnectionRefusedError):
            return _REFUSED
        if isinstance(cause, ConnectionResetError | ConnectionAbortedError):
            return _CONNECTION_RESET
        if isinstance(cause, socket.gaierror):
            return _NAME_NOT_FOUND
        if isinstance(cause, TimeoutError | socket.timeout):
            return _CONNECTION_TIMED_OUT
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return _NETWORK_UNREACHABLE
        # urllib3's NameResolutionError carries no gaierror in every version.
        if type(cause).__name__ == "NameResolutionError":
            return _NAME_NOT_FOUND
    return _CONNECTION_FAILED


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    pending = [error]
    while pending and len(found) < 20:
        current = pending.pop(0)
        if current in found:
            continue
        found.append(current)
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(arg for arg in current.args if isinstance(arg, BaseException))
        pending.extend(item for item in linked if isinstance(item, BaseException))
    return found
