"""A minimal IPP/1.1 client for the local CUPS scheduler (RFC 8010 encoding).

It implements only what job confirmation needs: Get-Job-Attributes,
Get-Printer-Attributes and CUPS-Get-Printers. Requests go to the CUPS domain socket
when it exists and to 127.0.0.1:631 otherwise; this client never contacts another host.
"""

from __future__ import annotations

import getpass
import http.client
import itertools
import socket
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CUPS_SOCKET_PATHS = (Path("/run/cups/cups.sock"), Path("/var/run/cups/cups.sock"))
CUPS_HOST = "127.0.0.1"
CUPS_PORT = 631

# Operation ids (RFC 8011 section 5.4.15, CUPS Implementation of IPP).
GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B
CUPS_GET_PRINTERS = 0x4002

# Delimiter tags.
OPERATION_GROUP = 0x01
JOB_GROUP = 0x02
_END_OF_ATTRIBUTES = 0x03
PRINTER_GROUP = 0x04

# Value tags.
_INTEGER = 0x21
_BOOLEAN = 0x22
_ENUM = 0x23
_TEXT_WITH_LANGUAGE = 0x35
_NAME_WITH_LANGUAGE = 0x36
_URI = 0x45
_CHARSET = 0x47
_NATURAL_LANGUAGE = 0x48
_KEYWORD = 0x44
_NAME_WITHOUT_LANGUAGE = 0x42

STATUS_NOT_FOUND = 0x0406

# job-state values (RFC 8011 section 5.3.7).
JOB_PENDING = 3
JOB_HELD = 4
JOB_PROCESSING = 5
JOB_STOPPED = 6
JOB_CANCELED = 7
JOB_ABORTED = 8
JOB_COMPLETED = 9
JOB_STATE_NAMES = {
    JOB_PENDING: "pending",
    JOB_HELD: "pending-held",
    JOB_PROCESSING: "processing",
    JOB_STOPPED: "processing-stopped",
    JOB_CANCELED: "canceled",
    JOB_ABORTED: "aborted",
    JOB_COMPLETED: "completed",
}

# printer-state values (RFC 8011 section 5.4.11).
PRINTER_IDLE = 3
PRINTER_PROCESSING = 4
PRINTER_STOPPED = 5


class IppError(Exception):
    """The scheduler could not be reached or returned an invalid response."""


@dataclass
class IppResponse:
    """A decoded IPP response: status code and one attribute dict per group."""

    status: int
    groups: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status < 0x0100

    def first_group(self, tag: int) -> dict[str, Any]:
        return next((attributes for group, attributes in self.groups if group == tag), {})

    def all_groups(self, tag: int) -> list[dict[str, Any]]:
        return [attributes for group, attributes in self.groups if group == tag]


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(str(self._socket_path))
        except OSError:
            sock.close()
            raise
        self.sock = sock


class IppClient:
    """Sends IPP requests to the local cupsd."""

    _request_ids = itertools.count(1)

    def __init__(self, *, socket_path: Path | None = None, timeout: float = 5.0) -> None:
        if socket_path is None:
            socket_path = next((path for path in CUPS_SOCKET_PATHS if path.exists()), None)
        self.socket_path = socket_path
        self.timeout = timeout

    def get_job_attributes(self, job_number: int) -> IppResponse:
        return self._send(
            GET_JOB_ATTRIBUTES,
            "/jobs/",
            [
                (_URI, "job-uri", [f"ipp://localhost/jobs/{job_number}"]),
                (_NAME_WITHOUT_LANGUAGE, "requesting-user-name", [getpass.getuser()]),
                (
                    _KEYWORD,
                    "requested-attributes",
                    [
                        "job-id",
                        "job-state",
                        "job-state-reasons",
                        "job-printer-state-message",
                        "job-printer-uri",
                    ],
                ),
            ],
        )

    def get_printer_attributes(self, queue: str) -> IppResponse:
        return self._send(
            GET_PRINTER_ATTRIBUTES,
            f"/printers/{queue}",
            [
                (_URI, "printer-uri", [f"ipp://localhost/printers/{queue}"]),
                (_NAME_WITHOUT_LANGUAGE, "requesting-user-name", [getpass.getuser()]),
                (
                    _KEYWORD,
                    "requested-attributes",
                    [
                        "printer-name",
                        "printer-state",
                        "printer-state-reasons",
                        "printer-state-message",
                        "printer-is-accepting-jobs",
                    ],
                ),
            ],
        )

    def get_printers(self) -> IppResponse:
        return self._send(
            CUPS_GET_PRINTERS,
            "/",
            [(_KEYWORD, "requested-attributes", ["printer-name", "printer-state"])],
        )

    def _send(
        self,
        operation: int,
        path: str,
        attributes: Sequence[tuple[int, str, Sequence[str]]],
    ) -> IppResponse:
        body = encode_request(operation, next(self._request_ids), attributes)
        connection = self._connect()
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": "application/ipp"})
            response = connection.getresponse()
            data = response.read()
        except OSError as error:
            raise IppError(f"cannot reach the CUPS scheduler at {self.address}: {error}") from error
        except http.client.HTTPException as error:
            raise IppError(f"invalid HTTP response from {self.address}: {error}") from error
        finally:
            connection.close()

        if response.status != 200:
            raise IppError(f"HTTP {response.status} {response.reason} from {self.address}")
        return decode_response(data)

    @property
    def address(self) -> str:
        return str(self.socket_path) if self.socket_path else f"{CUPS_HOST}:{CUPS_PORT}"

    def _connect(self) -> http.client.HTTPConnection:
        if self.socket_path is not None:
            return _UnixHTTPConnection(self.socket_path, self.timeout)
        return http.client.HTTPConnection(CUPS_HOST, CUPS_PORT, timeout=self.timeout)


def encode_request(
    operation: int,
    request_id: int,
    attributes: Iterable[tuple[int, str, Sequence[str]]],
) -> bytes:
    """Encode an IPP/1.1 request with charset, language and ``attributes`` in one group."""
    parts = [struct.pack(">BBHI", 1, 1, operation, request_id), bytes([OPERATION_GROUP])]
    parts.append(_encode_attribute(_CHARSET, "attributes-charset", ["utf-8"]))
    parts.append(_encode_attribute(_NATURAL_LANGUAGE, "attributes-natural-language", ["en"]))
    for tag, name, values in attributes:
        parts.append(_encode_attribute(tag, name, values))
    parts.append(bytes([_END_OF_ATTRIBUTES]))
    return b"".join(parts)


def _encode_attribute(tag: int, name: str, values: Sequence[str]) -> bytes:
    encoded = bytearray()
    for index, value in enumerate(values):
        # Additional values of a multi-valued attribute have an empty name.
        name_bytes = name.encode("ascii") if index == 0 else b""
        value_bytes = value.encode("utf-8")
        encoded += struct.pack(">BH", tag, len(name_bytes)) + name_bytes
        encoded += struct.pack(">H", len(value_bytes)) + value_bytes
    return bytes(encoded)


def decode_response(data: bytes) -> IppResponse:
    """Decode an IPP response into its status and attribute groups.

    Multi-valued attributes become lists. Integers, enums and booleans become Python
    values, text-like values become str, and other syntaxes stay bytes.
    """
    if len(data) < 8:
        raise IppError(f"IPP response too short ({len(data)} bytes)")
    _, _, status, _ = struct.unpack(">BBHI", data[:8])
    response = IppResponse(status)
    position = 8
    current: dict[str, Any] | None = None
    last_name = ""

    while position < len(data):
        tag = data[position]
        position += 1
        if tag == _END_OF_ATTRIBUTES:
            break
        if tag < 0x10:
            current = {}
            response.groups.append((tag, current))
            continue
        if current is None:
            raise IppError("IPP response has an attribute outside any group")

        name_length = struct.unpack(">H", data[position : position + 2])[0]
        position += 2
        name = data[position : position + name_length].decode("utf-8", "replace")
        position += name_length
        value_length = struct.unpack(">H", data[position : position + 2])[0]
        position += 2
        raw = data[position : position + value_length]
        position += value_length
        if position > len(data):
            raise IppError("IPP response is truncated")

        value = _decode_value(tag, raw)
        if name:
            current[name] = value
            last_name = name
        else:
            previous = current.get(last_name)
            current[last_name] = (
                [*previous, value]
                if isinstance(previous, list)
                else [
                    previous,
                    value,
                ]
            )
    return response


def _decode_value(tag: int, raw: bytes) -> Any:
    if tag in (_INTEGER, _ENUM) and len(raw) == 4:
        return struct.unpack(">i", raw)[0]
    if tag == _BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in (_TEXT_WITH_LANGUAGE, _NAME_WITH_LANGUAGE) and len(raw) >= 4:
        language_length = struct.unpack(">H", raw[:2])[0]
        text_start = 2 + language_length + 2
        return raw[text_start:].decode("utf-8", "replace")
    if 0x40 <= tag <= 0x4F:
        return raw.decode("utf-8", "replace")
    if 0x10 <= tag <= 0x1F:
        return None  # out-of-band values such as "unknown" or "no-value"
    return raw


def as_list(value: Any) -> list[Any]:
    """Return a multi-valued attribute as a list, whether it had one value or several."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
