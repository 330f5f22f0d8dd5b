"""Secrets, hashes and cursors: the small pieces of the API's authentication."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

# Crockford's base32 alphabet without I, L, O and U, so a code read aloud or typed
# from paper has no look-alike characters.
_ENROLMENT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CURSOR_PATTERN = re.compile(r"^v1:([a-z_]+):(\d{1,19})$")


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """Return 32 random bytes as URL-safe base64 (no ``.``, so it can follow an id)."""
    return secrets.token_urlsafe(32)


def salted_hash(salt: str, secret: str) -> str:
    return hashlib.sha256((salt + secret).encode("utf-8")).hexdigest()


def check_salted_hash(salt: str, secret: str, expected: str) -> bool:
    return hmac.compare_digest(salted_hash(salt, secret), expected)


def new_enrolment_code() -> str:
    """Return a one-time code of 16 base32 characters in groups of 4 (80 random bits)."""
    characters = "".join(secrets.choice(_ENROLMENT_ALPHABET) for _ in range(16))
    return "-".join(characters[index : index + 4] for index in range(0, 16, 4))


def normalise_enrolment_code(code: str) -> str:
    """Upper-case the code and drop spaces and dashes, as IT may type it either way."""
    return re.sub(r"[\s-]", "", code).upper()


def encode_cursor(stream: str, seq: int) -> str:
    raw = f"v1:{stream}:{seq}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, stream: str) -> int:
    """Return the change-log position in ``cursor``.

    Raises ``ValueError`` for text that is not a cursor of this server or that
    belongs to another stream.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise ValueError("cursor is not valid base64") from error
    match = _CURSOR_PATTERN.match(raw)
    if match is None:
        raise ValueError("cursor was not made by this server")
    if match.group(1) != stream:
        raise ValueError(f"cursor belongs to stream {match.group(1)!r}, not {stream!r}")
    return int(match.group(2))


def decode_base64(value: str) -> bytes:
    """Decode standard or URL-safe base64. Raises ``ValueError`` for anything else."""
    text = value.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error as error:
        raise ValueError("not valid base64") from error
