"""The signed payload of a certificate's verification QR code, and its text form.

The text is ``FPC1:`` followed by the RFC 4648 base32 of the binary payload, without
padding. Base32 uses only capital letters and the digits 2 to 7, so the whole text
stays in the QR alphanumeric mode. A USB scanner that types it like a keyboard cannot be
confused by Caps Lock or the keyboard layout either, because :func:`parse` upper-cases
the input first.

Binary layout of format version 1 (integers big-endian)::

    1  format version (1)
    1  length of the office code (6, 9 or 12 digits)
    5  office code as an integer
    1  length of the workstation code (2 to 4), then its ASCII characters
    2  year of the certificate number
    3  serial of the certificate number
    1  length of the purpose code, then its ASCII characters
    2  issue date as days since 2000-01-01
    2  valid-until date as days since 2000-01-01, 0 for no end date
    8  random salt, new for each certificate
   16  SHA-256(salt || ID number) truncated to 16 bytes
    8  key id: the first 8 bytes of the SHA-256 of the signing certificate (DER)
    1  signature algorithm (1 ECDSA P-256, 2 RSA PKCS#1 v1.5, both with SHA-256)
       signature over every byte above: 64 bytes r || s for ECDSA, the modulus
       length (256, 384 or 512 bytes) for RSA

The office code is the first part of the certificate number, so it is stored once.
With an ECDSA P-256 key and the longest purpose code of the 2012 policy (29
characters), the text has 239 characters and needs a version 9 QR code at level M in
alphanumeric mode (version 10 has room for 311). An RSA-2048 signature alone is 256 bytes, so
the text then has 546 characters and needs version 15 at level M. In the 30 mm QR_BOX
its modules are about 0.35 mm wide (0.49 mm for ECDSA): zbarimg read the RSA code from a
pdftoppm raster of 150 dpi but not of 100 dpi, and the ECDSA code from both (zbar
0.23.92, poppler 22.12).

Why 16 bytes of ID hash are enough: the hash only has to tell the ID number on the card
in front of the partner unit from any other ID number. A different number matches by
chance with probability 2^-128. The salt makes a precomputed table useless, because
each certificate has its own. NOTE: the salt does not stop a targeted search. There
are fewer than 2^40 valid ID numbers, so whoever holds one payload can try them all.
The printed page shows the full ID number anyway, so the QR code reveals nothing the
paper does not.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import secrets
import struct
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum, IntEnum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from fpcert_desktop.domain.idnumber import normalize_id_number
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message

PREFIX = "FPC1:"
FORMAT_VERSION = 1
SALT_LENGTH = 8
ID_HASH_LENGTH = 16
KEY_ID_LENGTH = 8
ECDSA_P256_SIGNATURE_LENGTH = 64
RSA_SIGNATURE_LENGTHS = (256, 384, 512)
MAX_PURPOSE_CODE_LENGTH = 48
# The longest signed part, field by field as in the layout above: 103 bytes.
MAX_SIGNED_LENGTH = sum(
    (1, 1, 5, 1, 4, 2, 3, 1, MAX_PURPOSE_CODE_LENGTH, 2, 2),
    SALT_LENGTH + ID_HASH_LENGTH + KEY_ID_LENGTH + 1,
)
# The longest text, with an RSA-4096 signature: 989 characters.
MAX_TEXT_LENGTH = len(PREFIX) + math.ceil((MAX_SIGNED_LENGTH + max(RSA_SIGNATURE_LENGTHS)) * 8 / 5)

_EPOCH = date(2000, 1, 1)
_PREFIX_PATTERN = re.compile(r"^FPC(\d+):")
_PURPOSE_PATTERN = re.compile(r"^[a-z0-9_]{1,48}$")
_WORKSTATION_PATTERN = re.compile(r"^[0-9A-Z]{2,4}$")
_BASE32_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


class SignatureAlgorithm(IntEnum):
    ECDSA_P256_SHA256 = 1
    RSA_PKCS1_SHA256 = 2


class PayloadProblem(str, Enum):
    """The reason a scanned text is not a usable payload."""

    NOT_A_PAYLOAD = "not_a_payload"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNKNOWN_VERSION = "unknown_version"
    NO_SUCH_VERSION = "no_such_version"
    INVALID_CHARACTERS = "invalid_characters"
    TRUNCATED = "truncated"
    TRAILING_DATA = "trailing_data"
    INVALID_FIELD = "invalid_field"
    NON_CANONICAL = "non_canonical"


# Problems that a scanner, a clipboard or a typist causes: part of the text is missing or
# extra characters got in. A new scan can fix them, so they do not prove a forgery. The
# other problems come from a complete text whose content no issuing program writes.
READ_PROBLEMS = frozenset(
    {
        PayloadProblem.EMPTY,
        PayloadProblem.TOO_LONG,
        PayloadProblem.INVALID_CHARACTERS,
        PayloadProblem.TRUNCATED,
        PayloadProblem.TRAILING_DATA,
    }
)

_PROBLEM_MESSAGES = {
    PayloadProblem.NOT_A_PAYLOAD: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The scanned text is not a certificate's verification code (it does not start with "
        "FPC). Scan the QR code in the lower left corner of the certificate.",
    ),
    PayloadProblem.EMPTY: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The code is empty: nothing follows {prefix}. Scan the QR code again.",
    ),
    PayloadProblem.TOO_LONG: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The input has {length} characters, but a verification code has at most {maximum}. "
        "Clear the field and scan the QR code again.",
    ),
    PayloadProblem.UNKNOWN_VERSION: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The code has format version {version}, which is newer than this program can read. "
        "Update the program, or type the certificate number to ask the server.",
    ),
    PayloadProblem.NO_SUCH_VERSION: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The code starts with format version {version}, but no such version exists because "
        "the first one is {first}. Check that the code starts with {prefix} and scan it again.",
    ),
    PayloadProblem.INVALID_CHARACTERS: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The code contains characters that a verification code never has ({characters}), so "
        "it was misread or mistyped. Scan the QR code again.",
    ),
    PayloadProblem.TRUNCATED: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The code is incomplete, because it is cut off in the {detail}. Scan the QR code "
        "again. If it stays incomplete, the printed code is damaged, so type the certificate "
        "number.",
    ),
    PayloadProblem.TRAILING_DATA: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The code is longer than a verification code can be. Clear the field and scan the QR "
        "code again. If it stays too long, the code is not genuine.",
    ),
    PayloadProblem.INVALID_FIELD: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The code contains an invalid {field}, so it was altered. Scan it again.",
    ),
    PayloadProblem.NON_CANONICAL: QT_TRANSLATE_NOOP(
        "QrPayload",
        "The last character of the code differs from the one the issuing program writes, so "
        "the code was altered.",
    ),
}


# Field names for the messages, as literals so that lupdate extracts them.
_FIELD_NAMES = {
    "format version": QT_TRANSLATE_NOOP("QrPayload", "format version"),
    "office code": QT_TRANSLATE_NOOP("QrPayload", "office code"),
    "workstation": QT_TRANSLATE_NOOP("QrPayload", "workstation"),
    "year": QT_TRANSLATE_NOOP("QrPayload", "year"),
    "serial": QT_TRANSLATE_NOOP("QrPayload", "serial"),
    "certificate number": QT_TRANSLATE_NOOP("QrPayload", "certificate number"),
    "purpose": QT_TRANSLATE_NOOP("QrPayload", "purpose"),
    "issue date": QT_TRANSLATE_NOOP("QrPayload", "issue date"),
    "valid-until date": QT_TRANSLATE_NOOP("QrPayload", "valid-until date"),
    "date": QT_TRANSLATE_NOOP("QrPayload", "date"),
    "salt": QT_TRANSLATE_NOOP("QrPayload", "salt"),
    "ID hash": QT_TRANSLATE_NOOP("QrPayload", "ID hash"),
    "key id": QT_TRANSLATE_NOOP("QrPayload", "key id"),
    "signature algorithm": QT_TRANSLATE_NOOP("QrPayload", "signature algorithm"),
    "signature": QT_TRANSLATE_NOOP("QrPayload", "signature"),
    "base32 encoding": QT_TRANSLATE_NOOP("QrPayload", "base32 encoding"),
}


class PayloadError(ValueError):
    """A text that does not parse as a payload; ``problem`` names the kind of failure."""

    def __init__(self, problem: PayloadProblem, **params: object) -> None:
        self.problem = problem
        self.is_read_problem = problem in READ_PROBLEMS
        named = {key: _FIELD_NAMES.get(str(value), value) for key, value in params.items()}
        self.message: Message = _PROBLEM_MESSAGES[problem].format(**named)
        super().__init__(self.message.english)


@dataclass(frozen=True)
class PayloadFields:
    """The signed facts of one certificate, without the signature."""

    number: CertificateNumber
    purpose_code: str
    issued_on: date
    valid_until: date | None
    salt: bytes
    id_hash: bytes
    key_id: bytes

    @property
    def office_code(self) -> str:
        return self.number.office_code

    def matches_id_number(self, id_number: str) -> bool:
        """Return True when ``id_number`` hashes with this payload's salt to its ID hash."""
        return secrets.compare_digest(hash_id_number(self.salt, id_number), self.id_hash)


@dataclass(frozen=True)
class SignedPayload:
    """A parsed payload: its fields, the signature and the exact bytes it signs."""

    fields: PayloadFields
    algorithm: SignatureAlgorithm
    signature: bytes
    signed_bytes: bytes

    def text(self) -> str:
        return encode_text(self.signed_bytes + self.signature)


def hash_id_number(salt: bytes, id_number: str) -> bytes:
    """Return SHA-256(salt || ID number) truncated to 16 bytes.

    The ID number is normalised as typed input is (full-width digits, spaces, a lower-case
    x), so the clerk's stored number and a partner unit's typed number hash alike.
    """
    normalised = normalize_id_number(id_number).encode("ascii", "replace")
    return hashlib.sha256(salt + normalised).digest()[:ID_HASH_LENGTH]


def key_id_for(certificate_der: bytes) -> bytes:
    """Return the key id of a signing certificate: the first bytes of its SHA-256."""
    return hashlib.sha256(certificate_der).digest()[:KEY_ID_LENGTH]


def new_fields(
    number: CertificateNumber,
    purpose_code: str,
    issued_on: date,
    valid_until: date | None,
    id_number: str,
    certificate_der: bytes,
    *,
    salt: bytes | None = None,
) -> PayloadFields:
    """Build the fields for a new certificate with a fresh random salt."""
    salt = secrets.token_bytes(SALT_LENGTH) if salt is None else salt
    if len(salt) != SALT_LENGTH:
        raise ValueError(f"the salt must be {SALT_LENGTH} bytes, not {len(salt)}")
    return PayloadFields(
        number=number,
        purpose_code=purpose_code,
        issued_on=issued_on,
        valid_until=valid_until,
        salt=salt,
        id_hash=hash_id_number(salt, id_number),
        key_id=key_id_for(certificate_der),
    )


def bytes_to_sign(fields: PayloadFields, algorithm: SignatureAlgorithm) -> bytes:
    """Encode the fields and the algorithm: the bytes the e-key signs."""
    number = fields.number
    if len(number.office_code) not in (6, 9, 12) or not number.office_code.isdigit():
        raise ValueError(f"invalid office code {number.office_code!r}")
    if not _WORKSTATION_PATTERN.match(number.workstation):
        raise ValueError(f"invalid workstation code {number.workstation!r}")
    if not _PURPOSE_PATTERN.match(fields.purpose_code):
        raise ValueError(f"invalid purpose code {fields.purpose_code!r}")
    if len(fields.id_hash) != ID_HASH_LENGTH or len(fields.key_id) != KEY_ID_LENGTH:
        raise ValueError("the ID hash or the key id has the wrong length")
    workstation = number.workstation.encode("ascii")
    purpose = fields.purpose_code.encode("ascii")
    return b"".join(
        [
            bytes([FORMAT_VERSION, len(number.office_code)]),
            int(number.office_code).to_bytes(5, "big"),
            bytes([len(workstation)]),
            workstation,
            struct.pack(">H", number.year),
            number.serial.to_bytes(3, "big"),
            bytes([len(purpose)]),
            purpose,
            struct.pack(">HH", _days(fields.issued_on), _days(fields.valid_until)),
            fields.salt,
            fields.id_hash,
            fields.key_id,
            bytes([algorithm]),
        ]
    )


def algorithm_for(certificate_der: bytes) -> SignatureAlgorithm:
    """Return the payload algorithm of a signing certificate's key, or raise ValueError."""
    public_key = x509.load_der_x509_certificate(certificate_der).public_key()
    if isinstance(public_key, ec.EllipticCurvePublicKey) and public_key.curve.name == "secp256r1":
        return SignatureAlgorithm.ECDSA_P256_SHA256
    if (
        isinstance(public_key, rsa.RSAPublicKey)
        and public_key.key_size // 8 in RSA_SIGNATURE_LENGTHS
    ):
        return SignatureAlgorithm.RSA_PKCS1_SHA256
    raise ValueError("the signing key is neither EC P-256 nor RSA of 2048, 3072 or 4096 bits")


def signature_from_token(algorithm: SignatureAlgorithm, token_signature: bytes) -> bytes:
    """Convert the e-key's signature to the payload form: ECDSA DER becomes r || s."""
    if algorithm is SignatureAlgorithm.ECDSA_P256_SHA256:
        r, s = decode_dss_signature(token_signature)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return token_signature


def signature_as_der(payload: SignedPayload) -> bytes:
    """Return the signature as X.509 verification expects it: ECDSA r || s becomes DER."""
    if payload.algorithm is SignatureAlgorithm.ECDSA_P256_SHA256:
        half = ECDSA_P256_SIGNATURE_LENGTH // 2
        r = int.from_bytes(payload.signature[:half], "big")
        s = int.from_bytes(payload.signature[half:], "big")
        return encode_dss_signature(r, s)
    return payload.signature


def encode_text(data: bytes) -> str:
    return PREFIX + base64.b32encode(data).decode("ascii").rstrip("=")


def clean_text(text: str) -> str:
    """Return scanned or typed text without spaces and invisible characters, upper-cased.

    NFKC turns full-width letters, digits and colons into ASCII. Scanners and clipboards
    may add invisible format characters, such as a zero-width space or a byte order mark,
    which are dropped with the line breaks and other control characters.
    """
    normalised = unicodedata.normalize("NFKC", text)
    visible = (
        character
        for character in normalised
        if not character.isspace() and unicodedata.category(character) not in ("Cc", "Cf")
    )
    return "".join(visible).upper()


def parse(text: str) -> SignedPayload:
    """Parse scanned or typed text; raises :class:`PayloadError` with the reason.

    The signature is not checked here, because that needs the signing key's certificate.
    """
    cleaned = clean_text(text)
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise PayloadError(PayloadProblem.TOO_LONG, length=len(cleaned), maximum=MAX_TEXT_LENGTH)
    prefix = _PREFIX_PATTERN.match(cleaned)
    if prefix is None:
        raise PayloadError(PayloadProblem.NOT_A_PAYLOAD)
    version = int(prefix.group(1))
    if version > FORMAT_VERSION:
        raise PayloadError(PayloadProblem.UNKNOWN_VERSION, version=version)
    if version < FORMAT_VERSION:
        raise PayloadError(
            PayloadProblem.NO_SUCH_VERSION, version=version, first=FORMAT_VERSION, prefix=PREFIX
        )
    body = cleaned[prefix.end() :]
    if not body:
        raise PayloadError(PayloadProblem.EMPTY, prefix=PREFIX)
    data, canonical = _decode_base32(body)
    # A cut-off text is reported as incomplete first, even when its new last character
    # carries unused bits.
    payload = _parse_binary(data)
    if not canonical:
        raise PayloadError(PayloadProblem.NON_CANONICAL)
    return payload


def _decode_base32(body: str) -> tuple[bytes, bool]:
    """Decode base32 without padding; the flag is False for a non-canonical encoding."""
    foreign = set(body) - _BASE32_ALPHABET
    if foreign:
        listed = " ".join(sorted(foreign)[:8])
        raise PayloadError(PayloadProblem.INVALID_CHARACTERS, characters=listed)
    if len(body) % 8 in (1, 3, 6):
        # No byte count encodes to these lengths, so characters are missing.
        raise PayloadError(PayloadProblem.TRUNCATED, detail="base32 encoding")
    padded = body + "=" * (-len(body) % 8)
    # The alphabet and the length are checked above, so this decodes without error.
    data = base64.b32decode(padded)
    # The last character may carry unused bits. A changed unused bit decodes to the same
    # bytes, so only the canonical encoding is accepted.
    return data, base64.b32encode(data).decode("ascii").rstrip("=") == body


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, count: int, what: str) -> bytes:
        end = self.offset + count
        if end > len(self.data):
            raise PayloadError(PayloadProblem.TRUNCATED, detail=what)
        chunk = self.data[self.offset : end]
        self.offset = end
        return chunk

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def integer(self, count: int, what: str) -> int:
        return int.from_bytes(self.take(count, what), "big")

    def remaining(self) -> bytes:
        chunk = self.data[self.offset :]
        self.offset = len(self.data)
        return chunk


def _parse_binary(data: bytes) -> SignedPayload:
    reader = _Reader(data)
    # The text prefix already named the version, so a different byte means altered content.
    if reader.byte("format version") != FORMAT_VERSION:
        raise PayloadError(PayloadProblem.INVALID_FIELD, field="format version")

    office_length = reader.byte("office code")
    office_value = reader.integer(5, "office code")
    if office_length not in (6, 9, 12):
        raise PayloadError(PayloadProblem.INVALID_FIELD, field="office code")
    office_code = str(office_value).zfill(office_length)
    if len(office_code) != office_length:
        raise PayloadError(PayloadProblem.INVALID_FIELD, field="office code")

    workstation = _ascii(reader.take(reader.byte("workstation"), "workstation"), "workstation")
    year = reader.integer(2, "year")
    serial = reader.integer(3, "serial")
    try:
        number = CertificateNumber.parse(f"{office_code}-{workstation}-{year:04d}-{serial:06d}")
    except ValueError:
        raise PayloadError(PayloadProblem.INVALID_FIELD, field="certificate number") from None

    purpose = _ascii(reader.take(reader.byte("purpose"), "purpose"), "purpose")
    if not _PURPOSE_PATTERN.match(purpose):
        raise PayloadError(PayloadProblem.INVALID_FIELD, field="purpose")
    issued_days = reader.integer(2, "issue date")
    valid_days = reader.integer(2, "valid-until date")
    if issued_days == 0 or (valid_days and valid_days < issued_days):
        raise PayloadError(PayloadProblem.INVALID_FIELD, field="date")
    salt = reader.take(SALT_LENGTH, "salt")
    id_hash = reader.take(ID_HASH_LENGTH, "ID hash")
    key_id = reader.take(KEY_ID_LENGTH, "key id")
    algorithm_code = reader.byte("signature algorithm")
    try:
        algorithm = SignatureAlgorithm(algorithm_code)
    except ValueError:
        raise PayloadError(PayloadProblem.INVALID_FIELD, field="signature algorithm") from None
    signed_length = reader.offset
    signature = reader.remaining()
    _check_signature_length(algorithm, len(signature))

    fields = PayloadFields(
        number=number,
        purpose_code=purpose,
        issued_on=_EPOCH + timedelta(days=issued_days),
        valid_until=_EPOCH + timedelta(days=valid_days) if valid_days else None,
        salt=salt,
        id_hash=id_hash,
        key_id=key_id,
    )
    return SignedPayload(fields, algorithm, signature, data[:signed_length])


def _check_signature_length(algorithm: SignatureAlgorithm, length: int) -> None:
    if algorithm is SignatureAlgorithm.ECDSA_P256_SHA256:
        expected: tuple[int, ...] = (ECDSA_P256_SIGNATURE_LENGTH,)
    else:
        expected = RSA_SIGNATURE_LENGTHS
    if length in expected:
        return
    if length < max(expected):
        raise PayloadError(PayloadProblem.TRUNCATED, detail="signature")
    raise PayloadError(PayloadProblem.TRAILING_DATA)


def _ascii(raw: bytes, what: str) -> str:
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        raise PayloadError(PayloadProblem.INVALID_FIELD, field=what) from None


def _days(value: date | None) -> int:
    if value is None:
        return 0
    days = (value - _EPOCH).days
    if not 0 < days <= 0xFFFF:
        raise ValueError(f"date {value} is outside the payload's range")
    return days
