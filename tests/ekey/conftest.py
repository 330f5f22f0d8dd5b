"""SoftHSM2 tokens for the e-key tests, provisioned once per test session.

The tokens live in a temporary folder that ``SOFTHSM2_CONF`` points to for the whole
session. SoftHSM reads that variable when the module is initialised, and every
``EKeyLibrary`` finalises the module when it closes, so each test starts from a fresh
initialisation that lists the provisioned tokens.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from fpcert_desktop.ekey.softhsm import DemoCA, SoftHsmEnvironment, find_softhsm_module

PIN = "246810"
SO_PIN = "13579135"
OFFICE = "福田区华富街道社区工作站"


@dataclass(frozen=True)
class ProvisionedTokens:
    env: SoftHsmEnvironment
    ca: DemoCA
    serials: dict[str, str]
    certificates: dict[str, bytes]
    pin: str = PIN

    @property
    def module_path(self) -> Path:
        return self.env.module_path


def _softhsm_missing_reason() -> str | None:
    if shutil.which("softhsm2-util") is None:
        return "softhsm2-util is not installed (Debian package softhsm2)"
    if find_softhsm_module() is None:
        return "libsofthsm2.so is not installed (Debian package softhsm2)"
    return None


@pytest.fixture(scope="session")
def softhsm_tokens() -> Iterator[ProvisionedTokens]:
    """Tokens by role: three clerks, expired, not yet valid, no certificate, mismatched."""
    reason = _softhsm_missing_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"SoftHSM2 is required when CI=true: {reason}")
        pytest.skip(reason)

    base_dir = Path(tempfile.mkdtemp(prefix="fpcert-softhsm-"))
    previous_conf = os.environ.get("SOFTHSM2_CONF")
    env = SoftHsmEnvironment(base_dir)
    env.activate()
    ca = DemoCA()
    now = dt.datetime.now(dt.timezone.utc)
    serials: dict[str, str] = {}
    certificates: dict[str, bytes] = {}

    try:
        clerks = {
            "clerk_rsa": ("张伟", "rsa"),
            "clerk_ec": ("王芳", "ec"),
            "clerk_removable": ("李娜", "rsa"),
        }
        for name, (common_name, key_type) in clerks.items():
            serials[name] = env.init_token(name, PIN, SO_PIN)
            certificates[name] = ca.issue_on_token(
                env, serials[name], PIN, common_name, OFFICE, key_type=key_type
            )

        serials["expired"] = env.init_token("expired", PIN, SO_PIN)
        certificates["expired"] = ca.issue_on_token(
            env,
            serials["expired"],
            PIN,
            "过期证书",
            OFFICE,
            (now - dt.timedelta(days=400), now - dt.timedelta(days=35)),
        )
        serials["not_yet_valid"] = env.init_token("not_yet_valid", PIN, SO_PIN)
        certificates["not_yet_valid"] = ca.issue_on_token(
            env,
            serials["not_yet_valid"],
            PIN,
            "未生效证书",
            OFFICE,
            (now + dt.timedelta(days=10), now + dt.timedelta(days=400)),
        )
        serials["no_certificate"] = env.init_token("no_certificate", PIN, SO_PIN)
        env.generate_key_pair(serials["no_certificate"], PIN, b"\x01", "key without certificate")

        # A certificate for a key that is not on the token, stored under the token key's id.
        serials["mismatched"] = env.init_token("mismatched", PIN, SO_PIN)
        env.generate_key_pair(serials["mismatched"], PIN, b"\x01", "mismatched")
        foreign_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        foreign_public = foreign_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        certificates["mismatched"] = ca.issue_certificate(
            foreign_public,
            "错配证书",
            OFFICE,
            (now - dt.timedelta(days=1), now + dt.timedelta(days=30)),
        )
        env.import_certificate(
            serials["mismatched"], PIN, b"\x01", "mismatched", certificates["mismatched"]
        )

        yield ProvisionedTokens(env, ca, serials, certificates)
    finally:
        if previous_conf is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous_conf
        shutil.rmtree(base_dir, ignore_errors=True)
