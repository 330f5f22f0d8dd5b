"""Machine-wide settings: declared once, typed, validated at start, written atomically.

The file is TOML. Its place is ``FPCERT_CONFIG`` when set, else ``/etc/fpcert/config.toml``
on Linux and ``%ProgramData%\\fpcert\\config.toml`` on Windows. Per-user UI state lives in
QSettings and secrets in the OS keyring, never here.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from fpcert_desktop.i18n import QT_TRANSLATE_NOOP, Message, MessageTemplate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_ENV = "FPCERT_CONFIG"

# {value} is the value as TOML writes it (true, "text", 5), not as Python prints it.
_INVALID_VALUE = QT_TRANSLATE_NOOP(
    "Config",
    "The setting {key} in {path} has the invalid value {value}: {expected}. "
    "Correct the file and start the program again.",
)
_NOT_A_STRING = QT_TRANSLATE_NOOP(
    "Config",
    "The setting {key} in {path} has the value {value}, which is not text. Write the value "
    "in double quotes, for example {key} = {example}, and start the program again.",
)
_NOT_A_NUMBER = QT_TRANSLATE_NOOP(
    "Config",
    "The setting {key} in {path} has the value {value}, which is not a whole number. Write "
    "the number without quotes, for example {key} = {example}, and start the program again.",
)
_UNKNOWN_KEY = QT_TRANSLATE_NOOP(
    "Config",
    "The setting {key} in {path} is unknown. Known settings: {known}. "
    "Remove or correct it and start the program again.",
)
_MISSING = QT_TRANSLATE_NOOP(
    "Config",
    "The configuration file {path} does not exist. Check the --config option or the "
    "FPCERT_CONFIG variable, or create the file.",
)
_UNREADABLE = QT_TRANSLATE_NOOP(
    "Config",
    "The configuration file {path} could not be read: {error}. "
    "Correct the file and start the program again.",
)


class ConfigError(ValueError):
    """A configuration file that cannot be used; ``message`` names the key and value."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.english)
        self.message = message


@dataclass(frozen=True)
class Option:
    description: str
    check: Callable[[Any], bool]
    expected: MessageTemplate
    # The TOML type the value must have: str (in double quotes) or int (a whole number).
    kind: type = str


def _is_code(pattern: str) -> Callable[[Any], bool]:
    compiled = re.compile(pattern)
    return lambda value: isinstance(value, str) and bool(compiled.fullmatch(value))


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_minutes(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 240


@dataclass(frozen=True)
class Settings:
    """Every machine-wide setting with its default."""

    pkcs11_module: str = ""
    printer: str = ""
    office_code: str = ""
    workstation_code: str = "01"
    idle_lock_minutes: int = 10
    language: str = "zh_CN"
    database_path: str = ""
    server_url: str = ""
    ca_bundle: str = ""

    def with_values(self, **values: Any) -> Settings:
        return replace(self, **values)


OPTIONS: dict[str, Option] = {
    "pkcs11_module": Option(
        "Path of the e-key vendor's PKCS#11 module; empty searches the usual module names.",
        _is_str,
        QT_TRANSLATE_NOOP("Config", "a file path or an empty string"),
    ),
    "printer": Option(
        "Printer queue for certificates; empty uses the system's default printer.",
        _is_str,
        QT_TRANSLATE_NOOP("Config", "a printer queue name or an empty string"),
    ),
    "office_code": Option(
        "Division code of the office this workstation belongs to; empty accepts any user's office.",
        # [0-9], not \d, which also matches full-width and other Unicode digits.
        _is_code(r"([0-9]{6}|[0-9]{9}|[0-9]{12})?"),
        QT_TRANSLATE_NOOP("Config", "6, 9 or 12 digits, or an empty string"),
    ),
    "workstation_code": Option(
        "Code of this counter window within its office, printed in certificate numbers.",
        _is_code(r"[0-9A-Z]{2,4}"),
        QT_TRANSLATE_NOOP("Config", "2 to 4 characters of digits and capital letters"),
    ),
    "idle_lock_minutes": Option(
        "Minutes without keyboard or mouse input before the window locks; 0 never locks.",
        _is_minutes,
        QT_TRANSLATE_NOOP("Config", "a whole number of minutes from 0 to 240"),
        kind=int,
    ),
    "language": Option(
        "Language of the screens: zh_CN (Simplified Chinese) or en (English).",
        lambda value: value in ("zh_CN", "en"),
        QT_TRANSLATE_NOOP("Config", "zh_CN or en"),
    ),
    "database_path": Option(
        "Absolute path of the local SQLite database; empty uses the user's data folder.",
        lambda value: isinstance(value, str) and (value == "" or Path(value).is_absolute()),
        QT_TRANSLATE_NOOP("Config", "an absolute file path or an empty string"),
    ),
    "server_url": Option(
        "Base URL of the central server; empty works offline.",
        _is_code(r"(https://\S+|http://(127\.0\.0\.1|localhost)(:\d+)?(/\S*)?)?"),
        QT_TRANSLATE_NOOP(
            "Config", "an https:// URL, http:// only to 127.0.0.1, or an empty string"
        ),
    ),
    "ca_bundle": Option(
        "CA bundle (PEM) that verifies the central server's TLS certificate.",
        _is_str,
        QT_TRANSLATE_NOOP("Config", "a file path or an empty string"),
    ),
}

assert set(OPTIONS) == {f.name for f in fields(Settings)}


def default_config_path() -> Path:
    configured = os.environ.get(CONFIG_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "fpcert" / "config.toml"
    return Path("/etc/fpcert/config.toml")


def load_settings(path: Path | None = None) -> Settings:
    """Read and validate the file.

    A missing file at the default place gives the defaults; a file named with ``path``
    or ``FPCERT_CONFIG`` must exist.
    """
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    path = path or default_config_path()
    if not path.exists():
        if explicit:
            raise ConfigError(_MISSING.format(path=str(path)))
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(_UNREADABLE.format(path=str(path), error=str(error))) from error
    return settings_from_mapping(data, source=str(path))


def settings_from_mapping(data: dict[str, Any], *, source: str) -> Settings:
    for key, value in data.items():
        option = OPTIONS.get(key)
        if option is None:
            known = ", ".join(OPTIONS)
            raise ConfigError(_UNKNOWN_KEY.format(key=key, path=source, known=known))
        if not _has_kind(value, option.kind):
            raise ConfigError(_wrong_kind(key, value, option, source))
        if not option.check(value):
            as_written = _toml_display(value)
            raise ConfigError(
                _INVALID_VALUE.format(
                    key=key, path=source, value=as_written, expected=option.expected
                )
            )
    return Settings(**data)


def _has_kind(value: Any, kind: type) -> bool:
    # TOML's true and false load as bool, which Python counts as an int.
    return isinstance(value, kind) and not isinstance(value, bool)


def _wrong_kind(key: str, value: Any, option: Option, source: str) -> Message:
    """Build the message for a value of the wrong TOML type, with a corrected example."""
    default = getattr(Settings(), key)
    as_written = _toml_display(value)
    if option.kind is int:
        digits = value.strip() if isinstance(value, str) else ""
        example = digits if digits.isdecimal() and digits.isascii() else str(default)
        return _NOT_A_NUMBER.format(key=key, path=source, value=as_written, example=example)
    quoted = value if isinstance(value, int) and not isinstance(value, bool) else default
    example = _toml_value(str(quoted))
    return _NOT_A_STRING.format(key=key, path=source, value=as_written, example=example)


def render_settings(settings: Settings) -> str:
    """Render the settings as commented TOML, one option per paragraph."""
    lines = ["# fpcert-desktop machine-wide settings", ""]
    for field in fields(Settings):
        value = getattr(settings, field.name)
        lines.append(f"# {OPTIONS[field.name].description}")
        lines.append(f"{field.name} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def save_settings(settings: Settings, path: Path) -> None:
    """Write the file atomically (temp file, fsync, rename) with mode 0644."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_settings(settings)
    handle, temp_name = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _toml_display(value: Any) -> str:
    """Write a loaded value back the way it looks in the TOML file."""
    if isinstance(value, (bool, int, str)):
        return _toml_value(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_display(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{name} = {_toml_display(item)}" for name, item in value.items())
        return "{" + items + "}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
