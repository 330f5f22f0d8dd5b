"""Locate the PKCS#11 module (the e-key driver's shared library) on Linux and Windows."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from fpcert_desktop.ekey.errors import ModuleLoadFailed, ModuleNotFound

# Vendor drivers come first: a counter PC with a vendor key may also have OpenSC or
# SoftHSM installed, and those do not drive the vendor's key.
LINUX_MODULE_NAMES = (
    "libgm3000_pkcs11.so",  # Longmai GM3000
    "libes_3000gm.so",  # Feitian ePass3000GM
    "libshuttle_p11v220.so",  # Feitian ePass2003
    "libWatchDataP11.so",  # WatchData
    "opensc-pkcs11.so",
    "libsofthsm2.so",
)
LINUX_LIBRARY_DIRS = (
    Path("/usr/lib"),
    Path("/usr/lib64"),
    Path("/usr/lib/x86_64-linux-gnu"),
    Path("/usr/local/lib"),
    Path("/usr/lib/pkcs11"),
    Path("/usr/lib/x86_64-linux-gnu/pkcs11"),
    Path("/usr/lib/softhsm"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm"),
)
WINDOWS_MODULE_NAMES = (
    "gm3000_pkcs11.dll",
    "eps2003csp11.dll",
    "WatchDataP11.dll",
    "opensc-pkcs11.dll",
    "softhsm2-x64.dll",
)
# Vendor installers for /opt put libraries at most a few levels down (/opt/VENDOR/lib,
# /opt/VENDOR/PRODUCT/lib); the depth limit keeps the search fast on a large /opt.
_OPT_LIB_PATTERNS = ("*/lib", "*/*/lib", "*/*/*/lib", "*/lib64", "*/*/lib64")


def find_pkcs11_module(
    configured: str | None,
    *,
    platform: str = sys.platform,
    search_dirs: Sequence[Path] | None = None,
) -> Path:
    """Return the module file to load: ``configured`` if set, else the first usual one.

    Raises :class:`ModuleLoadFailed` when the configured file does not exist, and
    :class:`ModuleNotFound` with every candidate tried when the search finds none.
    ``search_dirs`` replaces the platform's folders, for tests and unusual installs.
    """
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise ModuleLoadFailed(path, "file not found")
        return path

    candidates = list(module_candidates(platform=platform, search_dirs=search_dirs))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ModuleNotFound(candidates)


def module_candidates(
    *, platform: str = sys.platform, search_dirs: Sequence[Path] | None = None
) -> Iterable[Path]:
    """Yield candidate module paths in preference order, without duplicates."""
    names: tuple[str, ...]
    if platform.startswith("win"):
        names = WINDOWS_MODULE_NAMES
        dirs = list(search_dirs) if search_dirs is not None else _windows_dirs()
    else:
        names = LINUX_MODULE_NAMES
        dirs = list(search_dirs) if search_dirs is not None else _linux_dirs()

    seen: set[Path] = set()
    for name in names:
        for directory in dirs:
            candidate = directory / name
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


def _linux_dirs() -> list[Path]:
    dirs = list(LINUX_LIBRARY_DIRS)
    opt = Path("/opt")
    if opt.is_dir():
        for pattern in _OPT_LIB_PATTERNS:
            dirs.extend(sorted(path for path in opt.glob(pattern) if path.is_dir()))
    return dirs


def _windows_dirs() -> list[Path]:
    system_root = Path(os.environ.get("SYSTEMROOT", r"C:\Windows"))
    program_files = Path(os.environ.get("PROGRAMFILES", r"C:\Program Files"))
    return [
        system_root / "System32",
        program_files / "OpenSC Project" / "OpenSC" / "pkcs11",
        Path(r"C:\SoftHSM2\lib"),
    ]
