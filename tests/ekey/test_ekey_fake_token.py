"""PIN states that SoftHSM never reaches (it never locks a PIN), with a fake module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pkcs11
import pytest
from pkcs11 import TokenFlag
from pkcs11 import exceptions as p11

from fpcert_desktop.ekey.errors import (
    CertificateMissing,
    KeyNotFound,
    KeyRemoved,
    NoKeyPresent,
    PinExpired,
    PinIncorrect,
    PinInvalidLength,
    PinLocked,
    TokenError,
    map_pkcs11_error,
)
from fpcert_desktop.ekey.token import EKeyLibrary

INITIALIZED = (
    TokenFlag.TOKEN_INITIALIZED | TokenFlag.LOGIN_REQUIRED | TokenFlag.USER_PIN_INITIALIZED
)


class FakeSession:
    def get_objects(self, attributes: dict[Any, Any]) -> list[Any]:
        return []

    def close(self) -> None:
        pass

    @property
    def token(self) -> Any:
        return None


@dataclass
class FakeToken:
    """A token whose flags change after each failed login, as a USB key's do."""

    serial: bytes = b"FT0000000001    "
    label: str = "clerk"
    manufacturer_id: str = "Fake Vendor"
    model: str = "FK-1"
    flags: TokenFlag = INITIALIZED
    failures: list[tuple[Exception, TokenFlag]] = field(default_factory=list)
    pins_seen: list[object] = field(default_factory=list)

    def open(self, user_pin: object = None, **_: Any) -> FakeSession:
        self.pins_seen.append(user_pin)
        if self.failures:
            error, flags_after = self.failures.pop(0)
            self.flags = flags_after
            raise error
        return FakeSession()


@dataclass
class FakeSlot:
    token: FakeToken
    slot_id: int = 1

    def get_token(self) -> FakeToken:
        return self.token


@dataclass
class FakeModule:
    tokens: list[FakeToken]
    reinitialized: int = 0
    finalized: int = 0

    def get_slots(self, token_present: bool = False) -> list[FakeSlot]:
        return [FakeSlot(token, slot_id) for slot_id, token in enumerate(self.tokens)]

    def reinitialize(self) -> None:
        self.reinitialized += 1

    def finalize(self) -> None:
        self.finalized += 1


SERIAL = "FT0000000001"


def open_library(*tokens: FakeToken) -> tuple[EKeyLibrary, FakeModule]:
    module = FakeModule(list(tokens))
    library = EKeyLibrary("/fake/module.so", loader=lambda path: module)
    return library, module


@pytest.fixture
def token() -> FakeToken:
    return FakeToken()


def test_locked_pin_raises_before_login(token: FakeToken) -> None:
    token.flags = INITIALIZED | TokenFlag.USER_PIN_LOCKED
    library, _ = open_library(token)
    try:
        with pytest.raises(PinLocked) as raised:
            library.login(SERIAL, "123456")
    finally:
        library.close()

    assert token.pins_seen == []
    assert "locked" in raised.value.message.english
    assert "administrator" in raised.value.message.english


def test_wrong_pin_without_flags(token: FakeToken) -> None:
    token.failures = [(p11.PinIncorrect(), INITIALIZED)]
    library, _ = open_library(token)
    try:
        with pytest.raises(PinIncorrect) as raised:
            library.login(SERIAL, "000000")
    finally:
        library.close()

    assert raised.value.count_low is False
    assert raised.value.final_try is False
    assert raised.value.message.english == "The PIN is incorrect. Enter the PIN again."


def test_wrong_pin_count_low_warns(token: FakeToken) -> None:
    token.failures = [(p11.PinIncorrect(), INITIALIZED | TokenFlag.USER_PIN_COUNT_LOW)]
    library, _ = open_library(token)
    try:
        with pytest.raises(PinIncorrect) as raised:
            library.login(SERIAL, "000000")
    finally:
        library.close()

    assert raised.value.count_low is True
    assert raised.value.final_try is False
    assert "few tries are left" in raised.value.message.english


def test_wrong_pin_final_try_warns(token: FakeToken) -> None:
    flags = INITIALIZED | TokenFlag.USER_PIN_COUNT_LOW | TokenFlag.USER_PIN_FINAL_TRY
    token.failures = [(p11.PinIncorrect(), flags)]
    library, _ = open_library(token)
    try:
        with pytest.raises(PinIncorrect) as raised:
            library.login(SERIAL, "000000")
    finally:
        library.close()

    assert raised.value.final_try is True
    assert "one try is left" in raised.value.message.english
    assert "locks the e-key" in raised.value.message.english


def test_wrong_pin_that_locks_raises_pin_locked(token: FakeToken) -> None:
    token.failures = [(p11.PinIncorrect(), INITIALIZED | TokenFlag.USER_PIN_LOCKED)]
    library, _ = open_library(token)
    try:
        with pytest.raises(PinLocked):
            library.login(SERIAL, "000000")
    finally:
        library.close()


def test_locked_error_from_module_maps(token: FakeToken) -> None:
    token.failures = [(p11.PinLocked(), INITIALIZED)]
    library, _ = open_library(token)
    try:
        with pytest.raises(PinLocked):
            library.login(SERIAL, "000000")
    finally:
        library.close()


def test_pin_pad_key_gets_protected_auth(token: FakeToken) -> None:
    token.flags = INITIALIZED | TokenFlag.PROTECTED_AUTHENTICATION_PATH
    library, _ = open_library(token)
    try:
        # The fake session contains no objects, so the login ends at the certificate check.
        with pytest.raises(CertificateMissing):
            library.login(SERIAL, None)
    finally:
        library.close()

    assert token.pins_seen == [pkcs11.PROTECTED_AUTH]


def test_already_logged_in_reinitializes_once(token: FakeToken) -> None:
    token.failures = [(p11.UserAlreadyLoggedIn(), INITIALIZED)]
    library, module = open_library(token)
    try:
        with pytest.raises(CertificateMissing):
            library.login(SERIAL, "123456")
    finally:
        library.close()

    assert module.reinitialized == 1
    assert token.pins_seen == ["123456", "123456"]


def test_serial_padding_is_stripped(token: FakeToken) -> None:
    library, _ = open_library(token)
    try:
        tokens = library.list_tokens()
    finally:
        library.close()

    assert [info.serial for info in tokens] == [SERIAL]
    assert tokens[0].manufacturer == "Fake Vendor"


def test_uninitialized_token_is_skipped() -> None:
    blank = FakeToken(serial=b"                ", label="", flags=TokenFlag(0))
    library, _ = open_library(blank)
    try:
        assert library.list_tokens() == []
        with pytest.raises(NoKeyPresent):
            library.login(SERIAL, "123456")
    finally:
        library.close()


def test_other_serial_raises_key_not_found(token: FakeToken) -> None:
    library, _ = open_library(token)
    try:
        with pytest.raises(KeyNotFound):
            library.login("OTHER", "123456")
    finally:
        library.close()


def test_close_finalizes_module(token: FakeToken) -> None:
    library, module = open_library(token)
    library.close()
    library.close()

    assert module.finalized == 1


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (p11.PinIncorrect(), PinIncorrect),
        (p11.PinLocked(), PinLocked),
        (p11.PinExpired(), PinExpired),
        (p11.PinLenRange(), PinInvalidLength),
        (p11.TokenNotPresent(), KeyRemoved),
        (p11.DeviceRemoved(), KeyRemoved),
        (p11.SessionHandleInvalid(), KeyRemoved),
        (p11.SessionClosed(), KeyRemoved),
        (p11.UserAlreadyLoggedIn(), TokenError),
        (p11.GeneralError(), TokenError),
        (p11.DeviceError(), TokenError),
    ],
)
def test_map_pkcs11_error(error: p11.PKCS11Error, expected: type) -> None:
    mapped = map_pkcs11_error(error, serial=SERIAL)

    assert type(mapped) is expected
    assert str(mapped) == mapped.message.english


def test_token_error_names_exception_class() -> None:
    mapped = map_pkcs11_error(p11.GeneralError(), serial=SERIAL)

    assert isinstance(mapped, TokenError)
    assert mapped.error_name == "GeneralError"
    assert "GeneralError" in mapped.message.english


def test_messages_render_through_translator() -> None:
    from fpcert_desktop import i18n

    seen: list[tuple[str, str]] = []

    def translate(context: str, source: str) -> str:
        seen.append((context, source))
        return source

    i18n.install_translator(translate, "zh_CN")
    try:
        text = str(KeyRemoved(SERIAL).message)
    finally:
        i18n.install_translator(lambda context, source: source, "en")

    assert SERIAL in text
    assert seen[0][0] == "EKey"
