"""Machine-wide settings: defaults, validation messages and atomic writes."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from fpcert_desktop.config import ConfigError, Settings, load_settings, save_settings
from fpcert_desktop.logsetup import configure_logging, mask_id_numbers


def test_missing_default_file_gives_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FPCERT_CONFIG", raising=False)
    monkeypatch.setattr("fpcert_desktop.config.default_config_path", lambda: tmp_path / "no.toml")
    assert load_settings() == Settings()


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "absent.toml")


def test_round_trip_keeps_values(tmp_path: Path) -> None:
    path = tmp_path / "fpcert" / "config.toml"
    settings = Settings(printer="counter-1", office_code="440304004", idle_lock_minutes=5)
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('workstation_code = "1"', "workstation_code"),
        ("idle_lock_minutes = -1", "idle_lock_minutes"),
        ('idle_lock_minutes = "10"', "idle_lock_minutes"),
        ('language = "fr"', "language"),
        ('office_code = "4403"', "office_code"),
        ('office_code = "44030400\uff14"', "office_code"),
        ('server_url = "http://10.0.0.1"', "server_url"),
        ('database_path = "data/fpcert.sqlite"', "database_path"),
        ('printre = "x"', "printre"),
    ],
)
def test_invalid_value_names_key(tmp_path: Path, line: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert key in str(raised.value)
    assert str(path) in str(raised.value)


def test_unreadable_toml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("printer = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="could not be read"):
        load_settings(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id 440304199003159805 found", "id 440304********9805 found"),
        ("x=44030419880708981X;", "x=440304********981X;"),
        ("legacy 440304900315980", "legacy 440304******980"),
        ("serial 1234567890123456789012", "serial 1234567890123456789012"),
        ("embedded X440304199003159805Y", "embedded X440304********9805Y"),
        ("key=abc440304199003159805", "key=abc440304********9805"),
        ("person_44030419880708981Xabc", "person_440304********981Xabc"),
        ("old abc440304900315980def", "old abc440304******980def"),
        (
            "\uff14\uff14\uff10\uff13\uff10\uff14\uff11\uff19\uff19\uff10"
            "\uff10\uff13\uff11\uff15\uff19\uff18\uff10\uff15",
            "440304********9805",
        ),
        (
            "\u8eab\u4efd\u8bc1\uff14\uff14\uff10\uff13\uff10\uff14\uff11\uff19\uff18"
            "\uff18\uff10\uff17\uff10\uff18\uff19\uff18\uff11\uff38",
            "\u8eab\u4efd\u8bc1440304********981X",
        ),
        # Runs of 16, 17, 19 and 20 digits are not ID numbers and stay readable.
        ("order 4403041990031598", "order 4403041990031598"),
        ("order 44030419900315980", "order 44030419900315980"),
        ("order 4403041990031598051", "order 4403041990031598051"),
        ("order 44030419900315980512", "order 44030419900315980512"),
        ("order A44030419900315980512B", "order A44030419900315980512B"),
    ],
)
def test_log_masks_id_numbers(text: str, expected: str) -> None:
    assert mask_id_numbers(text) == expected


def test_log_masks_id_numbers_in_tracebacks(tmp_path: Path) -> None:
    log_path = configure_logging(tmp_path)
    try:
        raise ValueError("parameters: ('440304199003159805',)")
    except ValueError:
        logging.getLogger("fpcert_desktop.test").exception("lookup failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_path.read_text(encoding="utf-8")
    assert "lookup failed" in text
    assert "440304199003159805" not in text
    assert "440304********9805" in text
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ('workstation_code = "1"', "workstation_code", '"1"'),
        ("idle_lock_minutes = 999", "idle_lock_minutes", "999"),
        ('language = "fr"', "language", '"fr"'),
        ('office_code = "4403"', "office_code", '"4403"'),
        ('server_url = "http://10.0.0.1"', "server_url", '"http://10.0.0.1"'),
        ('database_path = "data/fpcert.sqlite"', "database_path", '"data/fpcert.sqlite"'),
        ("printer = 5", "printer", "5"),
        ("pkcs11_module = true", "pkcs11_module", "true"),
        ('ca_bundle = ["a"]', "ca_bundle", '["a"]'),
    ],
)
def test_invalid_value_message_in_chinese(
    qapp,
    tmp_path: Path,
    line: str,
    key: str,
    value: str,  # noqa: ANN001
) -> None:
    from fpcert_desktop.gui.language import install_language

    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)

    install_language("zh_CN")
    try:
        text = str(raised.value.message)
    finally:
        install_language("en")
    assert "无效" in text or "双引号" in text
    assert key in text
    assert value in text
    assert str(path) in text
    assert "True" not in text


@pytest.mark.parametrize(
    ("line", "shown", "example"),
    [
        ("office_code = 440304004", "440304004", 'office_code = "440304004"'),
        ("printer = 5", "5", 'printer = "5"'),
        ("pkcs11_module = true", "true", 'pkcs11_module = ""'),
        ('ca_bundle = ["a"]', '["a"]', 'ca_bundle = ""'),
        ("language = 1.5", "1.5", 'language = "zh_CN"'),
    ],
)
def test_unquoted_value_asks_for_quotes(
    tmp_path: Path, line: str, shown: str, example: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        load_settings(path)

    text = raised.value.message.english
    assert f"has the value {shown}, which is not text" in text
    assert "double quotes" in text
    assert f"for example {example}," in text
    assert "digits" not in text


@pytest.mark.parametrize(
    ("line", "shown", "example"),
    [
        ('idle_lock_minutes = "15"', '"15"', "idle_lock_minutes = 15"),
        ("idle_lock_minutes = true", "true", "idle_lock_minutes = 10"),
        ("idle_lock_minutes = 1.5", "1.5", "idle_lock_minutes = 10"),
        ('idle_lock_minutes = "abc"', '"abc"', "idle_lock_minutes = 10"),
    ],
)
def test_quoted_number_asks_for_whole_number(
    tmp_path: Path, line: str, shown: str, example: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")

    with pytest.raises(ConfigError) as raised:
        load_settings(path)

    text = raised.value.message.english
    assert f"has the value {shown}, which is not a whole number" in text
    assert "without quotes" in text
    assert f"for example {example}," in text
    assert "True" not in text
