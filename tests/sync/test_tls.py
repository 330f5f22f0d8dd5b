"""Sync over real TLS: the server on 127.0.0.1 with a certificate from a test CA."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from fpcert_desktop.sync.client import SyncClient
from fpcert_desktop.sync.errors import SyncConfigError
from tests.server_process import running_server, server_command
from tests.sync.test_server_integration import STREET

pytest.importorskip("uvicorn")


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _make_ca(folder: Path, label: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(label))
        .issuer_name(_name(label))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / f"{label}.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, str, Path, Path]]:
    """Serve over HTTPS with a certificate for 127.0.0.1; return URL, code and two CAs."""
    ca_key, ca_certificate = _make_ca(tmp_path, "test-ca")
    _make_ca(tmp_path, "other-ca")
    server_key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    server_certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_certificate.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    certfile, keyfile = tmp_path / "server.pem", tmp_path / "server.key"
    certfile.write_bytes(server_certificate.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    db = tmp_path / "server.sqlite3"
    server_command("init", "--people", "100", "--seed", "7", db=db)
    code = server_command("enrolment-code", "--office", STREET, db=db).strip().splitlines()[-1]
    trusted = tmp_path / "test-ca.pem"
    serving = running_server(db, tmp_path / "serve.log", tls=(certfile, keyfile), ca_bundle=trusted)
    with serving as base:
        yield base, code, trusted, tmp_path / "other-ca.pem"


def test_pull_over_tls_with_ca_bundle(tls_server: tuple[str, str, Path, Path]) -> None:
    base, code, trusted, _other = tls_server
    credentials = SyncClient(base, workstation_credentials=None, ca_bundle=trusted).enrol(
        STREET, "01", code
    )
    page = SyncClient(base, workstation_credentials=credentials, ca_bundle=trusted).pull(
        "offices", None, 10
    )
    assert page.items


def test_untrusted_server_certificate_rejected(tls_server: tuple[str, str, Path, Path]) -> None:
    base, code, _trusted, other = tls_server
    with pytest.raises(SyncConfigError) as raised:
        SyncClient(base, workstation_credentials=None, ca_bundle=other).enrol(STREET, "01", code)
    assert raised.value.code == "tls_failed"
