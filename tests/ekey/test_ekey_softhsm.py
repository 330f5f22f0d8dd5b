"""The e-key layer against real SoftHSM2 tokens."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fpcert_desktop.ekey.certificates import (
    fingerprint_sha256,
    subject_common_name,
    verify_signature,
)
from fpcert_desktop.ekey.challenge import prove_possession, prove_possession_async
from fpcert_desktop.ekey.errors import (
    CertificateExpired,
    CertificateMissing,
    CertificateNotYetValid,
    KeyNotFound,
    NotLoggedIn,
    PinIncorrect,
    PinInvalidLength,
    SignatureInvalid,
)
from fpcert_desktop.ekey.token import EKeyLibrary
from fpcert_desktop.ekey.worker import EKeyWorker

if TYPE_CHECKING:
    from fpcert_desktop.ekey.softhsm import SoftHsmEnvironment

    class ProvisionedTokens:  # the softhsm_tokens fixture in conftest.py
        env: SoftHsmEnvironment
        module_path: Path
        serials: dict[str, str]
        certificates: dict[str, bytes]
        pin: str


pytestmark = pytest.mark.softhsm

TIMEOUT = 20
# The user PIN of every token that conftest.py provisions.
PIN = "246810"


@pytest.fixture
def worker(softhsm_tokens: ProvisionedTokens) -> Iterator[EKeyWorker]:
    assert softhsm_tokens.pin == PIN
    worker = EKeyWorker(softhsm_tokens.module_path)
    worker.start().result(TIMEOUT)
    yield worker
    worker.stop()


@pytest.fixture
def library(softhsm_tokens: ProvisionedTokens) -> Iterator[EKeyLibrary]:
    library = EKeyLibrary(softhsm_tokens.module_path)
    yield library
    library.close()


def test_list_tokens_by_serial(worker: EKeyWorker, softhsm_tokens: ProvisionedTokens) -> None:
    tokens = worker.list_tokens().result(TIMEOUT)

    by_serial = {token.serial: token for token in tokens}
    assert set(by_serial) == set(softhsm_tokens.serials.values())
    assert len(tokens) == len(softhsm_tokens.serials)
    for label, serial in softhsm_tokens.serials.items():
        assert by_serial[serial].label == label
        assert by_serial[serial].manufacturer == "SoftHSM project"
        assert not by_serial[serial].pin_locked
        assert not by_serial[serial].protected_auth_path


@pytest.mark.parametrize("name", ["clerk_rsa", "clerk_ec"])
def test_login_returns_issued_certificate(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens, name: str
) -> None:
    serial = softhsm_tokens.serials[name]
    issued = softhsm_tokens.certificates[name]

    result = worker.login(serial, PIN).result(TIMEOUT)

    assert result.serial == serial
    assert result.label == name
    assert result.certificate_der == issued
    assert result.fingerprint == fingerprint_sha256(issued)
    assert prove_possession_async(worker).result(TIMEOUT) is None


@pytest.mark.parametrize("name", ["clerk_rsa", "clerk_ec"])
def test_signature_verifies_with_certificate(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens, name: str
) -> None:
    result = worker.login(softhsm_tokens.serials[name], PIN).result(TIMEOUT)
    data = "打印 计划生育证明 No. 440304-0001".encode()

    signature = worker.sign(data).result(TIMEOUT)

    verify_signature(result.certificate_der, data, signature)
    with pytest.raises(SignatureInvalid):
        verify_signature(result.certificate_der, data + b"x", signature)


def test_prove_possession_on_session(
    library: EKeyLibrary, softhsm_tokens: ProvisionedTokens
) -> None:
    session = library.login(softhsm_tokens.serials["clerk_rsa"], PIN)

    prove_possession(session)

    assert subject_common_name(session.certificate_der) == "张伟"
    assert session.key_id == b"\x01"


def test_wrong_pin_raises_pin_incorrect(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens
) -> None:
    with pytest.raises(PinIncorrect):
        worker.login(softhsm_tokens.serials["clerk_rsa"], "000000").result(TIMEOUT)


@pytest.mark.parametrize("pin", ["12", "", "9" * 300])
def test_pin_of_wrong_length_rejected(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens, pin: str
) -> None:
    # SoftHSM 2.6.1 returns CKR_PIN_INCORRECT for these lengths. Other modules may
    # return CKR_PIN_LEN_RANGE instead.
    with pytest.raises((PinInvalidLength, PinIncorrect)):
        worker.login(softhsm_tokens.serials["clerk_rsa"], pin).result(TIMEOUT)


def test_expired_certificate_rejected(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens
) -> None:
    with pytest.raises(CertificateExpired) as raised:
        worker.login(softhsm_tokens.serials["expired"], PIN).result(TIMEOUT)

    assert raised.value.not_after.year >= 2000
    assert "expired on" in raised.value.message.english
    with pytest.raises(NotLoggedIn):
        worker.sign(b"data").result(TIMEOUT)


def test_not_yet_valid_certificate_rejected(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens
) -> None:
    with pytest.raises(CertificateNotYetValid) as raised:
        worker.login(softhsm_tokens.serials["not_yet_valid"], PIN).result(TIMEOUT)

    assert "not valid before" in raised.value.message.english
    with pytest.raises(NotLoggedIn):
        worker.sign(b"data").result(TIMEOUT)


def test_token_without_certificate_rejected(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens
) -> None:
    serial = softhsm_tokens.serials["no_certificate"]

    with pytest.raises(CertificateMissing) as raised:
        worker.login(serial, PIN).result(TIMEOUT)

    assert raised.value.serial == serial


def test_mismatched_certificate_fails_proof(
    worker: EKeyWorker, softhsm_tokens: ProvisionedTokens
) -> None:
    worker.login(softhsm_tokens.serials["mismatched"], PIN).result(TIMEOUT)

    with pytest.raises(SignatureInvalid):
        prove_possession_async(worker).result(TIMEOUT)


def test_unknown_serial_raises_key_not_found(worker: EKeyWorker) -> None:
    with pytest.raises(KeyNotFound) as raised:
        worker.login("0000000000000000", PIN).result(TIMEOUT)

    assert raised.value.serial == "0000000000000000"


def test_second_login_replaces_first(worker: EKeyWorker, softhsm_tokens: ProvisionedTokens) -> None:
    rsa_serial = softhsm_tokens.serials["clerk_rsa"]
    ec_serial = softhsm_tokens.serials["clerk_ec"]

    worker.login(rsa_serial, PIN).result(TIMEOUT)
    # Without a logout in between, a second C_Login to the same token fails with
    # CKR_USER_ALREADY_LOGGED_IN.
    worker.login(rsa_serial, PIN).result(TIMEOUT)
    result = worker.login(ec_serial, PIN).result(TIMEOUT)
    signature = worker.sign(b"challenge").result(TIMEOUT)

    assert result.serial == ec_serial
    verify_signature(softhsm_tokens.certificates["clerk_ec"], b"challenge", signature)


def test_sign_after_logout_raises(worker: EKeyWorker, softhsm_tokens: ProvisionedTokens) -> None:
    worker.login(softhsm_tokens.serials["clerk_rsa"], PIN).result(TIMEOUT)
    worker.logout().result(TIMEOUT)

    with pytest.raises(NotLoggedIn):
        worker.sign(b"data").result(TIMEOUT)


def test_key_removal_and_reinsertion(worker: EKeyWorker, softhsm_tokens: ProvisionedTokens) -> None:
    env = softhsm_tokens.env
    serial = softhsm_tokens.serials["clerk_removable"]
    removed: list[tuple[str, float, str]] = []
    present: list[tuple[str, float, str]] = []
    removed_event = threading.Event()
    present_event = threading.Event()

    def on_removed(key_serial: str) -> None:
        removed.append((key_serial, time.monotonic(), threading.current_thread().name))
        removed_event.set()

    def on_present(key_serial: str) -> None:
        present.append((key_serial, time.monotonic(), threading.current_thread().name))
        present_event.set()

    worker.add_key_removed_listener(on_removed)
    worker.add_key_present_listener(on_present)
    worker.login(serial, PIN).result(TIMEOUT)
    backup = env.backup_token_dir(serial)

    try:
        env.delete_token(serial)
        deleted_at = time.monotonic()
        assert removed_event.wait(5), "on_key_removed did not fire within 5 s"
        latency = removed[0][1] - deleted_at
        print(f"removal detected after {latency:.3f} s")
        assert latency < 2.0
        assert removed[0][0] == serial
        assert removed[0][2] == "ekey-worker"

        time.sleep(1.0)
        assert len(removed) == 1, "on_key_removed fired more than once"
        with pytest.raises(NotLoggedIn):
            worker.sign(b"data").result(TIMEOUT)
    finally:
        env.restore_token_dir(backup)

    assert present_event.wait(10), "on_key_present did not fire within 10 s"
    assert present[0][0] == serial
    assert present[0][2] == "ekey-worker"
    result = worker.login(serial, PIN).result(TIMEOUT)
    assert result.fingerprint == fingerprint_sha256(softhsm_tokens.certificates["clerk_removable"])
    assert prove_possession_async(worker).result(TIMEOUT) is None


def test_library_rejects_other_thread(library: EKeyLibrary) -> None:
    errors: list[BaseException] = []

    def call_from_other_thread() -> None:
        try:
            library.list_tokens()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=call_from_other_thread, name="not-the-owner")
    thread.start()
    thread.join(TIMEOUT)

    assert len(errors) == 1
    assert isinstance(errors[0], AssertionError)
    assert "not-the-owner" in str(errors[0])


def test_second_library_for_same_module_rejected(library: EKeyLibrary) -> None:
    with pytest.raises(RuntimeError, match="already open"):
        EKeyLibrary(library.module_path)
