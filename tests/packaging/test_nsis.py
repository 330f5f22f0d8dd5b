"""The Windows installer script compiles with makensis and writes config.py's format.

These tests run Debian's makensis on Linux against a dummy payload and read the result
with 7-Zip, which lists NSIS archives. They need neither Windows nor Wine, so the
installer's run-time logic (parameter checks, registry, shortcuts) is not executed here.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from fpcert_desktop.config import OPTIONS, Settings, render_settings, settings_from_mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "windows" / "fpcert-desktop.nsi"
INSTALL_GUIDE = ROOT / "docs" / "install.md"

# Random bytes do not compress, so an installer that carries the payload is larger.
PAYLOAD_BLOB_SIZE = 256 * 1024


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    reason = f"{tool} is not installed (apt-get install nsis 7zip)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required when CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def makensis() -> str:
    return _require("makensis")


@pytest.fixture(scope="module")
def sevenzip() -> str:
    return _require("7zz")


@pytest.fixture
def payload(tmp_path: Path) -> Path:
    """Make a stand-in for the PyInstaller onedir folder."""
    folder = tmp_path / "dist" / "fpcert-desktop"
    internal = folder / "_internal" / "fpcert_desktop" / "resources"
    internal.mkdir(parents=True)
    (folder / "fpcert-desktop.exe").write_text("dummy windowed program\n", encoding="utf-8")
    (folder / "fpcert-desktop-cli.exe").write_text("dummy console program\n", encoding="utf-8")
    (internal / "blob.bin").write_bytes(os.urandom(PAYLOAD_BLOB_SIZE))
    (internal / "策略.toml").write_text('version = "2012-04-25"\n', encoding="utf-8")
    return folder


def _compile(makensis: str, defines: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    # -WX makes every warning an error, so the script stays warning-free.
    command = [makensis, "-WX", "-V2", *(f"-D{name}={value}" for name, value in defines.items())]
    return subprocess.run(
        [*command, str(SCRIPT)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_installer_compiles_to_pe(makensis: str, payload: Path, tmp_path: Path) -> None:
    output = tmp_path / "fpcert-desktop-test-setup.exe"

    result = _compile(
        makensis, {"PAYLOAD": str(payload), "VERSION": "9.8.7", "OUTFILE": str(output)}, tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    data = output.read_bytes()
    assert data[:2] == b"MZ"
    (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
    assert data[pe_offset : pe_offset + 4] == b"PE\0\0"
    # The NSIS stub and its plug-ins take about 110 KB, and the random blob cannot shrink.
    assert PAYLOAD_BLOB_SIZE < len(data) < PAYLOAD_BLOB_SIZE + 2 * 1024 * 1024
    # In the version resource, VS_FIXEDFILEINFO starts with the signature 0xFEEF04BD and
    # contains the product version as two DWORDs after the file version.
    fixed_info = data.find(struct.pack("<I", 0xFEEF04BD))
    assert fixed_info > 0
    product_high, product_low = struct.unpack_from("<II", data, fixed_info + 16)
    assert (product_high >> 16, product_high & 0xFFFF, product_low >> 16) == (9, 8, 7)
    assert "9.8.7".encode("utf-16-le") in data  # the ProductVersion string


def test_installer_contains_payload(
    makensis: str, sevenzip: str, payload: Path, tmp_path: Path
) -> None:
    output = tmp_path / "fpcert-desktop-test-setup.exe"
    result = _compile(
        makensis, {"PAYLOAD": str(payload), "VERSION": "0.1.0", "OUTFILE": str(output)}, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr

    extracted = tmp_path / "extracted"
    subprocess.run(
        [sevenzip, "x", "-y", f"-o{extracted}", str(output)],
        check=True,
        capture_output=True,
        timeout=120,
    )

    for source in payload.rglob("*"):
        if source.is_file():
            copy = extracted / source.relative_to(payload)
            assert copy.is_file(), f"{copy.relative_to(extracted)} is missing"
            assert copy.read_bytes() == source.read_bytes()
    assert (extracted / "uninstall.exe").is_file()


@pytest.mark.parametrize(
    ("defines", "expected_message"),
    [
        ({"VERSION": "0.1.0"}, "PAYLOAD is not defined"),
        ({"PAYLOAD": "{empty}", "VERSION": "0.1.0"}, "contains no fpcert-desktop.exe"),
        ({"PAYLOAD": "{payload}"}, "VERSION is not defined"),
        ({"PAYLOAD": "{payload}", "VERSION": "0.1"}, "expected major.minor.patch"),
        ({"PAYLOAD": "{payload}", "VERSION": "zero.one.two"}, "VIProductVersion"),
    ],
    ids=["no-payload", "payload-without-exe", "no-version", "short-version", "word-version"],
)
def test_broken_define_fails(
    makensis: str,
    payload: Path,
    tmp_path: Path,
    defines: dict[str, str],
    expected_message: str,
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    output = tmp_path / "fpcert-desktop-test-setup.exe"
    filled = {name: value.format(empty=empty, payload=payload) for name, value in defines.items()}

    result = _compile(makensis, {**filled, "OUTFILE": str(output)}, tmp_path)

    assert result.returncode != 0
    assert expected_message in result.stdout + result.stderr
    assert not output.exists()


def _script_text() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def _nsis_to_python(text: str) -> str:
    """Expand the NSIS escapes used in the script's string literals."""
    return text.replace("$\\r", "\r").replace("$\\n", "\n").replace('$\\"', '"')


def _written_config(values: dict[str, str]) -> str:
    """Rebuild the file WriteConfig writes, from the script's own template lines."""
    script = _script_text()
    header = re.search(r'!insertmacro WriteUtf8 "(# fpcert-desktop[^"]*)"', script)
    assert header is not None
    string_body = re.search(
        r"!macro WriteStringOption KEY DESCRIPTION VALUE.*?!insertmacro WriteUtf8 \"(.*?)\"\n",
        script,
        re.DOTALL,
    )
    integer_body = re.search(
        r"!macro WriteIntegerOption KEY DESCRIPTION VALUE.*?!insertmacro WriteUtf8 \"(.*?)\"\n",
        script,
        re.DOTALL,
    )
    assert string_body is not None
    assert integer_body is not None

    text = _nsis_to_python(header.group(1))
    for kind, key, description in _option_lines(script):
        template = string_body.group(1) if kind == "String" else integer_body.group(1)
        value = values[key]
        if kind == "String":
            value = value.replace("\\", "\\\\").replace('"', '\\"')  # as TomlEscape does
        line = template.replace("${KEY}", key).replace("${DESCRIPTION}", description)
        text += _nsis_to_python(line.replace("$0", value).replace("${VALUE}", value))
    return text


def _option_lines(script: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'^\s*!insertmacro Write(String|Integer)Option "(\w+)" "([^"]*)" \$\w+$',
        script,
        re.MULTILINE,
    )


def _script_defaults() -> dict[str, str]:
    found = re.findall(r'^!define DEFAULT_(\w+) "([^"]*)"$', _script_text(), re.MULTILINE)
    return {name.lower(): value for name, value in found}


def test_config_template_matches_config_py() -> None:
    script = _script_text()
    options = _option_lines(script)

    assert [key for _, key, _ in options] == [field.name for field in fields(Settings)]
    for kind, key, description in options:
        assert description == OPTIONS[key].description, key
        default = getattr(Settings(), key)
        assert kind == ("Integer" if isinstance(default, int) else "String"), key


def test_script_defaults_equal_settings_defaults() -> None:
    defaults = _script_defaults()

    assert set(defaults) == set(OPTIONS)
    for key, value in defaults.items():
        assert value == str(getattr(Settings(), key)), key


def test_written_defaults_render_like_config_py() -> None:
    written = _written_config(_script_defaults())

    assert written.replace("\r\n", "\n") == render_settings(Settings())


def test_written_windows_paths_read_back() -> None:
    values = _script_defaults() | {
        "pkcs11_module": r"C:\Windows\System32\eps2003csp11.dll",
        "printer": '打印机 "柜台 1"',
        "ca_bundle": r"\\fileserver\it\fpcert-ca.pem",
        "office_code": "440304001",
        "idle_lock_minutes": "15",
    }

    written = _written_config(values)
    settings = settings_from_mapping(tomllib.loads(written), source="config.toml")

    assert settings.pkcs11_module == r"C:\Windows\System32\eps2003csp11.dll"
    assert settings.printer == '打印机 "柜台 1"'
    assert settings.ca_bundle == r"\\fileserver\it\fpcert-ca.pem"
    assert settings.office_code == "440304001"
    assert settings.idle_lock_minutes == 15


def test_every_setting_is_a_parameter() -> None:
    script = _script_text()
    guide = INSTALL_GUIDE.read_text(encoding="utf-8")

    known = re.search(r'^!define KNOWN_PARAMETERS "([^"]*)"$', script, re.MULTILINE)
    assert known is not None

    for key in OPTIONS:
        parameter = f"/{key.upper()}="
        assert f'!insertmacro ReadOption $R9 "{parameter}"' in script, parameter
        assert f"|{key.upper()}=|" in known.group(1), parameter
        assert parameter in guide, f"{parameter} is not documented in docs/install.md"
