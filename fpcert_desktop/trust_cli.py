"""``fpcert-desktop trust-ca``: trust the city CA that certifies the clerks' signing keys.

Partner units check a certificate's QR signature against the clerks' signing keys, and a
key is stored only when a trusted city CA signed it. The CA certificate therefore comes
from IT staff, never from the server's key list: the command takes the file and the
SHA-256 fingerprint that the city's information centre publishes on another channel,
and stores the certificate only when both agree.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from fpcert_desktop.config import Settings
from fpcert_desktop.ekey.certificates import fingerprint_sha256, subject_common_name
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message
from fpcert_desktop.oserrors import describe_os_error

if TYPE_CHECKING:
    from fpcert_desktop.services.verification import SigningKeyRegistry

log = logging.getLogger(__name__)


_UNREADABLE = QT_TRANSLATE_NOOP(
    "TrustCli",
    "The file {path} could not be read: {error}. Check the path and the file's permissions.",
)
_NOT_CERTIFICATE = QT_TRANSLATE_NOOP(
    "TrustCli",
    "The file {path} holds no X.509 certificate in PEM or DER form. Ask the city's "
    "information centre for the CA certificate file.",
)
_SEVERAL = QT_TRANSLATE_NOOP(
    "TrustCli",
    "The file {path} holds {count} certificates. Give one CA certificate per command.",
)
_NOT_CA = QT_TRANSLATE_NOOP(
    "TrustCli",
    "The certificate {subject} in {path} is not a CA certificate (its basic constraints "
    "do not say CA). Use the city CA's certificate, not a clerk's.",
)
_NOT_VALID_NOW = QT_TRANSLATE_NOOP(
    "TrustCli",
    "The CA certificate {subject} is valid from {not_before} to {not_after}, not now. "
    "Check the computer's clock, or ask for the current CA certificate.",
)
_BAD_FINGERPRINT = QT_TRANSLATE_NOOP(
    "TrustCli",
    "The fingerprint {given} is not a SHA-256 fingerprint: write 64 hexadecimal digits, "
    "with or without colons.",
)
_MISMATCH = QT_TRANSLATE_NOOP(
    "TrustCli",
    "The certificate's SHA-256 fingerprint is {actual}, not the published {given}. The "
    "file is not the city CA's certificate: do not trust it, and ask the information "
    "centre for the right file.",
)
_TRUSTED = QT_TRANSLATE_NOOP(
    "TrustCli",
    "Trusted the city CA {subject} (SHA-256 {fingerprint}), valid until {not_after}. "
    "Signing keys it certified are accepted from the next synchronisation on.",
)
_NONE_TRUSTED = QT_TRANSLATE_NOOP(
    "TrustCli",
    "No city CA is trusted yet. Add one with: fpcert-desktop trust-ca FILE --fingerprint SHA256",
)
_LISTED = QT_TRANSLATE_NOOP("TrustCli", "{subject}  SHA-256 {fingerprint}  valid until {not_after}")
_MISSING_ARGUMENTS = QT_TRANSLATE_NOOP(
    "TrustCli",
    "Give the CA certificate file and its published fingerprint "
    "(trust-ca FILE --fingerprint SHA256), or --list.",
)


class TrustError(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message.english)
        self.message = message


def add_trust_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    trust = commands.add_parser(
        "trust-ca",
        help="trust the city CA certificate that certifies the clerks' signing keys (for IT)",
    )
    trust.add_argument("certificate", nargs="?", type=Path, help="CA certificate file, PEM or DER")
    trust.add_argument(
        "--fingerprint",
        help="the CA certificate's SHA-256 fingerprint as the city's information centre "
        "publishes it (64 hex digits, colons allowed)",
    )
    trust.add_argument("--list", action="store_true", help="list the trusted city CAs")


def run_trust(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``trust-ca``: 0 on success, 1 when the certificate is rejected, 2 on bad usage."""
    from fpcert_desktop.services.context import ServiceError
    from fpcert_desktop.services.setup import open_database
    from fpcert_desktop.services.verification import SigningKeyRegistry

    if not args.list and (args.certificate is None or args.fingerprint is None):
        print(str(_MISSING_ARGUMENTS.format()), file=sys.stderr)
        return 2
    try:
        database = open_database(settings)
    except ServiceError as error:
        print(str(error.message), file=sys.stderr)
        return 1
    registry = SigningKeyRegistry(database)

    if args.list:
        return _list(registry)
    try:
        der = check_ca_certificate(args.certificate, args.fingerprint, datetime.now(timezone.utc))
    except TrustError as error:
        print(str(error.message), file=sys.stderr)
        return 1
    registry.trust_authority(der)
    certificate = x509.load_der_x509_certificate(der)
    fingerprint = fingerprint_sha256(der)
    log.info("city CA %s trusted from %s", fingerprint, args.certificate)
    print(
        str(
            _TRUSTED.format(
                subject=_subject(der),
                fingerprint=fingerprint,
                not_after=certificate.not_valid_after_utc.date().isoformat(),
            )
        )
    )
    return 0


def check_ca_certificate(path: Path, published: str, now: datetime) -> bytes:
    """Read one CA certificate, check it against the published fingerprint, return its DER."""
    expected = _normalise_fingerprint(published)
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = describe_os_error(error)
        raise TrustError(_UNREADABLE.format(path=str(path), error=reason)) from error

    certificates = _load_certificates(data)
    if not certificates:
        raise TrustError(_NOT_CERTIFICATE.format(path=str(path)))
    if len(certificates) > 1:
        raise TrustError(_SEVERAL.format(path=str(path), count=len(certificates)))
    certificate = certificates[0]
    der = certificate.public_bytes(Encoding.DER)

    actual = fingerprint_sha256(der)
    if actual != expected:
        raise TrustError(_MISMATCH.format(actual=actual, given=expected))
    if not _is_ca(certificate):
        raise TrustError(_NOT_CA.format(subject=_subject(der), path=str(path)))
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise TrustError(
            _NOT_VALID_NOW.format(
                subject=_subject(der),
                not_before=certificate.not_valid_before_utc.date().isoformat(),
                not_after=certificate.not_valid_after_utc.date().isoformat(),
            )
        )
    return der


def _list(registry: SigningKeyRegistry) -> int:
    authorities = registry.authorities()
    if not authorities:
        print(str(_NONE_TRUSTED.format()))
        return 0
    for der in authorities:
        certificate = x509.load_der_x509_certificate(der)
        print(
            str(
                _LISTED.format(
                    subject=_subject(der),
                    fingerprint=fingerprint_sha256(der),
                    not_after=certificate.not_valid_after_utc.date().isoformat(),
                )
            )
        )
    return 0


def _load_certificates(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN CERTIFICATE-----" in data:
        try:
            return x509.load_pem_x509_certificates(data)
        except ValueError:
            return []
    try:
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        return []


def _normalise_fingerprint(text: str) -> str:
    digits = text.strip().replace(":", "").replace(" ", "").lower()
    if len(digits) != 64 or any(c not in "0123456789abcdef" for c in digits):
        raise TrustError(_BAD_FINGERPRINT.format(given=text))
    return digits


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    return constraints.value.ca


def _subject(der: bytes) -> str:
    return subject_common_name(der) or x509.load_der_x509_certificate(der).subject.rfc4514_string()
