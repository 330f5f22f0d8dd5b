"""X.509 checks on the e-key's certificate: fingerprint, validity, signature, names."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from fpcert_desktop.ekey.errors import CertificateExpired, CertificateNotYetValid, SignatureInvalid


def fingerprint_sha256(der: bytes) -> str:
    """Return the lower-case hex SHA-256 of the DER certificate, as stored on ``User``."""
    return hashlib.sha256(der).hexdigest()


def check_validity(der: bytes, now: datetime) -> None:
    """Raise :class:`CertificateNotYetValid` or :class:`CertificateExpired` at ``now``.

    A naive ``now`` is taken as UTC.
    """
    certificate = x509.load_der_x509_certificate(der)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    if now < certificate.not_valid_before_utc:
        raise CertificateNotYetValid(certificate.not_valid_before_utc)
    if now > certificate.not_valid_after_utc:
        raise CertificateExpired(certificate.not_valid_after_utc)


def verify_signature(der: bytes, data: bytes, signature: bytes) -> None:
    """Verify ``signature`` over ``data`` with the certificate's public key.

    RSA keys use PKCS#1 v1.5 with SHA-256 and EC keys use ECDSA with SHA-256 and a DER
    signature. Raises :class:`SignatureInvalid` when the signature does not verify or
    the key type is neither.
    """
    public_key = x509.load_der_x509_certificate(der).public_key()
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise SignatureInvalid()
    except InvalidSignature as error:
        raise SignatureInvalid() from error


def subject_common_name(der: bytes) -> str | None:
    """Return the subject's first common name (CN), or None when it has none."""
    names = x509.load_der_x509_certificate(der).subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names:
        return None
    value = names[0].value
    return value if isinstance(value, str) else value.decode("utf-8", errors="replace")


def allows_digital_signature(der: bytes) -> bool:
    """Return False only when a key usage extension is present without digitalSignature.

    A key issued with a signing and an encryption certificate stores both, and this
    check picks the signing one.
    """
    certificate = x509.load_der_x509_certificate(der)
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return usage.digital_signature
