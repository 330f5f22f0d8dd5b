"""``fpcert-desktop trust-ca``: a city CA is trusted only with its published fingerprint."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from fpcert_desktop.cli import main
from fpcert_desktop.config import Settings, save_settings
from fpcert_desktop.ekey.certificates import fingerprint_sha256
from fpcert_desktop.services.verification import SigningKeyRegistry
from fpcert_desktop.storage.db import Database

NOW = datetime.now(timezone.utc)


def make_certificate(
    common_name: str,
    *,
    ca: bool,
    not_before: datetime = NOW - timedelta(days=1),
    not_after: datetime = NOW + timedelta(days=365),
) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    return builder.sign(key, hashes.SHA256())


def fingerprint(certificate: x509.Certificate) -> str:
    return fingerprint_sha256(certificate.public_bytes(Encoding.DER))


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    save_settings(Settings(database_path=str(tmp_path / "fpcert.sqlite3"), language="en"), path)
    return path


def trusted(tmp_path: Path) -> list[str]:
    registry = SigningKeyRegistry(Database(tmp_path / "fpcert.sqlite3"))
    return [fingerprint_sha256(der) for der in registry.authorities()]


# ``qapp``: the command installs its messages' language on a running QApplication.
def test_trust_ca_with_published_fingerprint(qapp, config: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    ca = make_certificate("深圳市计划生育证明签名CA", ca=True)
    pem = tmp_path / "city-ca.pem"
    pem.write_bytes(ca.public_bytes(Encoding.PEM))
    published = ":".join(f"{byte:02X}" for byte in bytes.fromhex(fingerprint(ca)))

    assert main(["--config", str(config), "trust-ca", str(pem), "--fingerprint", published]) == 0

    assert trusted(tmp_path) == [fingerprint(ca)]
    assert "深圳市计划生育证明签名CA" in capsys.readouterr().out
    assert main(["--config", str(config), "trust-ca", "--list"]) == 0
    assert fingerprint(ca) in capsys.readouterr().out


def test_trust_ca_accepts_der(qapp, config: Path, tmp_path: Path) -> None:  # noqa: ANN001
    ca = make_certificate("City CA", ca=True)
    der = tmp_path / "city-ca.cer"
    der.write_bytes(ca.public_bytes(Encoding.DER))

    command = ["--config", str(config), "trust-ca", str(der), "--fingerprint", fingerprint(ca)]
    assert main(command) == 0

    assert trusted(tmp_path) == [fingerprint(ca)]


def test_trust_ca_rejects_wrong_fingerprint(qapp, config: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    ca = make_certificate("City CA", ca=True)
    other = make_certificate("Other CA", ca=True)
    pem = tmp_path / "city-ca.pem"
    pem.write_bytes(ca.public_bytes(Encoding.PEM))

    command = ["--config", str(config), "trust-ca", str(pem), "--fingerprint", fingerprint(other)]
    assert main(command) == 1

    error = capsys.readouterr().err
    assert fingerprint(ca) in error
    assert "do not trust it" in error
    assert trusted(tmp_path) == []


@pytest.mark.parametrize(
    ("certificate", "expected"),
    [
        (make_certificate("Clerk", ca=False), "not a CA certificate"),
        (
            make_certificate(
                "Old CA",
                ca=True,
                not_after=NOW - timedelta(days=2),
                not_before=NOW - timedelta(days=400),
            ),
            "not now",
        ),
    ],
)
def test_trust_ca_rejects_unusable_certificate(
    qapp,  # noqa: ANN001
    config: Path,
    tmp_path: Path,
    capsys,  # noqa: ANN001
    certificate: x509.Certificate,
    expected: str,
) -> None:
    pem = tmp_path / "ca.pem"
    pem.write_bytes(certificate.public_bytes(Encoding.PEM))

    command = [
        "--config",
        str(config),
        "trust-ca",
        str(pem),
        "--fingerprint",
        fingerprint(certificate),
    ]
    assert main(command) == 1

    assert expected in capsys.readouterr().err
    assert trusted(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "fingerprint_text", "expected"),
    [
        (b"not a certificate", "00" * 32, "no X.509 certificate"),
        (None, "00" * 32, "could not be read"),
        (b"", "12345", "64 hexadecimal digits"),
    ],
)
def test_trust_ca_rejects_bad_input(
    qapp,  # noqa: ANN001
    config: Path,
    tmp_path: Path,
    capsys,  # noqa: ANN001
    content: bytes | None,
    fingerprint_text: str,
    expected: str,
) -> None:
    path = tmp_path / "input.pem"
    if content is not None:
        path.write_bytes(content)

    command = ["--config", str(config), "trust-ca", str(path), "--fingerprint", fingerprint_text]
    assert main(command) == 1

    assert expected in capsys.readouterr().err


def test_trust_ca_needs_file_and_fingerprint(qapp, config: Path, capsys) -> None:  # noqa: ANN001
    assert main(["--config", str(config), "trust-ca"]) == 2

    assert "--fingerprint" in capsys.readouterr().err


def test_trust_ca_rejects_several_certificates(qapp, config: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    first = make_certificate("CA one", ca=True)
    second = make_certificate("CA two", ca=True)
    pem = tmp_path / "bundle.pem"
    pem.write_bytes(first.public_bytes(Encoding.PEM) + second.public_bytes(Encoding.PEM))

    command = ["--config", str(config), "trust-ca", str(pem), "--fingerprint", fingerprint(first)]
    assert main(command) == 1

    assert "2 certificates" in capsys.readouterr().err


def test_trust_ca_on_damaged_database(qapp, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    database = tmp_path / "fpcert.sqlite3"
    database.write_bytes(b"this is not an SQLite database" * 100)
    config = tmp_path / "config.toml"
    save_settings(Settings(database_path=str(database), language="en"), config)

    assert main(["--config", str(config), "trust-ca", "--list"]) == 1

    assert str(database) in capsys.readouterr().err
    assert database.read_bytes() == b"this is not an SQLite database" * 100
