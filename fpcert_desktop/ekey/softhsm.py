"""SoftHSM2 tokens with demo certificates, for the demo mode and the tests.

SoftHSM reads ``SOFTHSM2_CONF`` and scans its token folder in ``C_Initialize``, and
python-pkcs11 keeps one initialised module per path per process. So a process uses a
token folder only if ``SOFTHSM2_CONF`` pointed to it when the module was last
initialised. A token that another process creates or restores appears only after this
process finalises and initialises the module again. A token that another process
deletes keeps its slot marked as present, but reading the token fails with
CKR_GENERAL_ERROR. (Checked with SoftHSM 2.6.1 and python-pkcs11 0.10.1.)

This module therefore keeps the calling process's module state clean: it creates and
deletes tokens with ``softhsm2-util``, and it generates keys and imports certificates in
a child process (``python -m fpcert_desktop.ekey.softhsm``) that gets the PIN on stdin.
The caller sets ``SOFTHSM2_CONF`` (see :meth:`SoftHsmEnvironment.activate`) before its
:class:`fpcert_desktop.ekey.token.EKeyLibrary` initialises the module; closing that
library finalises the module, so the next one picks up new tokens.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

DEFAULT_MODULE_PATHS = (
    Path("/usr/lib/softhsm/libsofthsm2.so"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    Path("/usr/local/lib/softhsm/libsofthsm2.so"),
)
DEMO_CA_NAME = "深圳市计划生育证明管理系统 演示 CA"
DEMO_CA_ORGANIZATION = "深圳市计划生育证明管理系统"
SOFTHSM_UTIL = "softhsm2-util"

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
_SLOT_SERIAL = re.compile(r"^\s*Serial number:\s*(\S*)\s*$")
_SLOT_LABEL = re.compile(r"^\s*Label:\s*(.*?)\s*$")


class SoftHsmError(RuntimeError):
    """softhsm2-util or the provisioning child process failed."""


@dataclass(frozen=True)
class TokenBackup:
    """A copy of one token's folder, and the folder's name under the token folder."""

    serial: str
    path: Path
    directory_name: str


def find_softhsm_module() -> Path | None:
    for path in DEFAULT_MODULE_PATHS:
        if path.is_file():
            return path
    return None


class SoftHsmEnvironment:
    """A SoftHSM2 configuration with its own token folder under ``base_dir``."""

    def __init__(self, base_dir: Path, module_path: Path | None = None) -> None:
        self.base_dir = Path(base_dir)
        self.token_dir = self.base_dir / "tokens"
        self.backup_dir = self.base_dir / "backups"
        self.conf_path = self.base_dir / "softhsm2.conf"
        found = module_path or find_softhsm_module()
        if found is None:
            raise SoftHsmError("libsofthsm2.so not found. Install the softhsm2 package.")
        self.module_path = found

        self.token_dir.mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(
            f"directories.tokendir = {self.token_dir}\n"
            "objectstore.backend = file\n"
            "log.level = ERROR\n"
            "slots.removable = true\n",
            encoding="utf-8",
        )

    @property
    def env(self) -> dict[str, str]:
        """The environment for child processes: this process's, with SOFTHSM2_CONF set."""
        env = dict(os.environ)
        env["SOFTHSM2_CONF"] = str(self.conf_path)
        python_path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = (
            f"{_PACKAGE_ROOT}{os.pathsep}{python_path}" if python_path else str(_PACKAGE_ROOT)
        )
        return env

    def activate(self) -> None:
        """Point this process's SoftHSM at this folder from its next ``C_Initialize`` on."""
        os.environ["SOFTHSM2_CONF"] = str(self.conf_path)

    def init_token(self, label: str, pin: str, so_pin: str) -> str:
        """Initialise a token in the free slot and return its serial number."""
        if label in {slot_label for _, slot_label in self.tokens()}:
            raise SoftHsmError(f"a token labelled {label!r} already exists")
        self._util("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)
        for serial, slot_label in self.tokens():
            if slot_label == label:
                return serial
        raise SoftHsmError(f"the token {label!r} was initialised but is not listed")

    def tokens(self) -> list[tuple[str, str]]:
        """Return (serial, label) for each initialised token."""
        output = self._util("--show-slots")
        tokens = []
        serial: str | None = None
        for line in output.splitlines():
            serial_match = _SLOT_SERIAL.match(line)
            if serial_match:
                serial = serial_match.group(1)
                continue
            label_match = _SLOT_LABEL.match(line)
            if label_match and serial:
                tokens.append((serial, label_match.group(1)))
                serial = None
        return tokens

    def delete_token(self, serial_or_label: str) -> None:
        """Delete a token, which a running process observes as the key being pulled out."""
        tokens = self.tokens()
        if any(serial == serial_or_label for serial, _ in tokens):
            self._util("--delete-token", "--serial", serial_or_label)
        elif any(label == serial_or_label for _, label in tokens):
            self._util("--delete-token", "--token", serial_or_label)
        else:
            raise SoftHsmError(f"no token with serial or label {serial_or_label!r}")

    def backup_token_dir(self, serial: str) -> TokenBackup:
        """Copy the token's folder aside, to put the same key back later."""
        source = self._token_folder(serial)
        destination = self.backup_dir / serial / source.name
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(source, destination)
        return TokenBackup(serial, destination, source.name)

    def restore_token_dir(self, backup: TokenBackup) -> None:
        """Put a backed-up token folder back, which simulates re-inserting the key."""
        destination = self.token_dir / backup.directory_name
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(backup.path, destination)

    def generate_key_pair(
        self, serial: str, pin: str, key_id: bytes, label: str, key_type: str = "rsa"
    ) -> bytes:
        """Generate a signing key pair on the token; return the public key as SPKI DER.

        The private key is sensitive and not extractable. ``key_type`` is ``rsa``
        (2048 bits) or ``ec`` (P-256).
        """
        reply = self._provision(
            {
                "action": "generate-key-pair",
                "serial": serial,
                "pin": pin,
                "key_id": key_id.hex(),
                "label": label,
                "key_type": key_type,
            }
        )
        return bytes.fromhex(reply["public_key"])

    def import_certificate(
        self, serial: str, pin: str, key_id: bytes, label: str, certificate_der: bytes
    ) -> None:
        """Store an X.509 certificate on the token with the given CKA_ID."""
        self._provision(
            {
                "action": "import-certificate",
                "serial": serial,
                "pin": pin,
                "key_id": key_id.hex(),
                "label": label,
                "certificate": certificate_der.hex(),
            }
        )

    def _token_folder(self, serial: str) -> Path:
        # The file store keeps the serial number in each token's token.object file.
        needle = serial.encode("ascii")
        for folder in sorted(self.token_dir.iterdir()):
            object_file = folder / "token.object"
            if object_file.is_file() and needle in object_file.read_bytes():
                return folder
        raise SoftHsmError(f"no token folder for serial {serial} in {self.token_dir}")

    def _util(self, *arguments: str) -> str:
        command = [SOFTHSM_UTIL, *arguments]
        completed = subprocess.run(
            command, env=self.env, capture_output=True, text=True, check=False, timeout=60
        )
        if completed.returncode != 0:
            # Report the action only, because the arguments may contain PINs.
            raise SoftHsmError(
                f"softhsm2-util {arguments[0]} failed with exit status "
                f"{completed.returncode}: {completed.stderr.strip() or completed.stdout.strip()}"
            )
        return completed.stdout

    def _provision(self, request: dict[str, Any]) -> dict[str, Any]:
        request = {**request, "module": str(self.module_path)}
        completed = subprocess.run(
            [sys.executable, "-m", "fpcert_desktop.ekey.softhsm"],
            input=json.dumps(request),
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if completed.returncode != 0:
            raise SoftHsmError(
                f"provisioning step {request['action']} failed with exit status "
                f"{completed.returncode}: {completed.stderr.strip()}"
            )
        return json.loads(completed.stdout)


class DemoCA:
    """A self-signed demo CA (EC P-256) that issues clerk certificates for token keys."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now(dt.timezone.utc)
        self._key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_CA_ORGANIZATION),
            ]
        )
        self.name = name
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=3652))
            .not_valid_after(now + dt.timedelta(days=3652))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self._key, hashes.SHA256())
        )

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def issue_certificate(
        self,
        public_key_der: bytes,
        common_name: str,
        organization: str,
        validity: tuple[dt.datetime, dt.datetime],
    ) -> bytes:
        """Return a DER clerk certificate for the SPKI DER public key, signed by this CA."""
        public_key = serialization.load_der_public_key(public_key_der)
        if not isinstance(public_key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
            raise SoftHsmError("the demo CA certifies only RSA and EC keys")
        not_before, not_after = validity
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            ]
        )
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self._key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.DER)

    def issue_on_token(
        self,
        env: SoftHsmEnvironment,
        serial: str,
        pin: str,
        common_name: str,
        organization: str,
        validity: tuple[dt.datetime, dt.datetime] | None = None,
        *,
        key_type: str = "rsa",
        key_id: bytes = b"\x01",
    ) -> bytes:
        """Generate a key pair on the token, certify it and store the certificate there.

        ``validity`` defaults to one day ago until two years from now. Returns the
        certificate as DER.
        """
        if validity is None:
            now = dt.datetime.now(dt.timezone.utc)
            validity = (now - dt.timedelta(days=1), now + dt.timedelta(days=730))
        public_key = env.generate_key_pair(serial, pin, key_id, common_name, key_type)
        der = self.issue_certificate(public_key, common_name, organization, validity)
        env.import_certificate(serial, pin, key_id, common_name, der)
        return der


# The child process side. It loads the module once, does one step and exits.


def _open_token_session(request: dict[str, Any]) -> Any:
    import pkcs11

    library = pkcs11.lib(request["module"])
    token = library.get_token(token_serial=request["serial"].encode("ascii"))
    return token.open(rw=True, user_pin=request["pin"])


def _generate_key_pair(request: dict[str, Any]) -> dict[str, Any]:
    from pkcs11 import Attribute, KeyType
    from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

    private_template = {
        Attribute.SENSITIVE: True,
        Attribute.EXTRACTABLE: False,
        Attribute.SIGN: True,
    }
    key_id = bytes.fromhex(request["key_id"])
    with _open_token_session(request) as session:
        if request["key_type"] == "rsa":
            public, _ = session.generate_keypair(
                KeyType.RSA,
                2048,
                id=key_id,
                label=request["label"],
                store=True,
                private_template=private_template,
            )
            numbers = rsa.RSAPublicNumbers(
                int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                int.from_bytes(public[Attribute.MODULUS], "big"),
            )
            spki = numbers.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        elif request["key_type"] == "ec":
            parameters = session.create_domain_parameters(
                KeyType.EC,
                {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
                local=True,
            )
            public, _ = parameters.generate_keypair(
                id=key_id,
                label=request["label"],
                store=True,
                private_template=private_template,
            )
            spki = encode_ec_public_key(public)
        else:
            raise ValueError(f"unsupported key type {request['key_type']!r}")
    return {"public_key": spki.hex()}


def _import_certificate(request: dict[str, Any]) -> dict[str, Any]:
    from pkcs11 import Attribute
    from pkcs11.util.x509 import decode_x509_certificate

    attributes = decode_x509_certificate(bytes.fromhex(request["certificate"]))
    attributes[Attribute.ID] = bytes.fromhex(request["key_id"])
    attributes[Attribute.LABEL] = request["label"]
    attributes[Attribute.TOKEN] = True
    with _open_token_session(request) as session:
        session.create_object(attributes)
    return {}


def main() -> int:
    """Run one provisioning step: a JSON request on stdin, a JSON reply on stdout."""
    request = json.loads(sys.stdin.read())
    actions = {
        "generate-key-pair": _generate_key_pair,
        "import-certificate": _import_certificate,
    }
    action = actions.get(request.get("action"))
    if action is None:
        print(f"unknown action {request.get('action')!r}", file=sys.stderr)
        return 2
    print(json.dumps(action(request)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
