"""Locate the PKCS#11 module (the e-key driver's shared library) on Linux and Windows.

A candidate counts only when the file exists and the operating system loads it as a
shared library that exports ``C_GetFunctionList``, the entry point every PKCS#11 module
has. The search does not call ``C_Initialize``: python-pkcs11 does that when the
:class:`fpcert_desktop.ekey.token.EKeyLibrary` opens the module.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fpcert_desktop.ekey.errors import MODULE_FILE_MISSING, ModuleLoadFailed, ModuleNotFound

log = logging.getLogger(__name__)

# Vendor drivers come first: a counter PC with a vendor key may also have OpenSC or
# SoftHSM installed, and those do not drive the vendor's key.
# NOTE: the vendor file names below come from the file lists of vendor packages and from
# integration code that loads them, not from the vendors' own documentation, and none
# was tested with a real key. Feitian's libes_3000gm.so is left out on purpose: it is the
# GM/T 0016 (SKF) interface of the ePass3000GM, not a PKCS#11 module.
LINUX_MODULE_NAMES = (
    "libgm3000_pkcs11.so",  # Longmai mToken GM3000
    "libshuttle_p11v220.so",  # Feitian ePass2003
    "libshuttle_p11v220.so.1.0.0",  # Feitian ePass2003, as its package installs it
    "libcastle.so.1.0.0",  # Feitian ePass2003, OpenSC-based build
    "libwdpkcs.so",  # WatchData
    "opensc-pkcs11.so",
    "libsofthsm2.so",
)
LINUX_LIBRARY_DIRS = (
    Path("/usr/lib"),
    Path("/usr/lib64"),
    Path("/usr/lib/x86_64-linux-gnu"),
    Path("/usr/local/lib"),
    Path("/usr/local/lib64"),
    Path("/usr/lib/pkcs11"),
    Path("/usr/lib/x86_64-linux-gnu/pkcs11"),
    Path("/usr/lib/watchdata/lib"),
    Path("/usr/lib/softhsm"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm"),
)
WINDOWS_MODULE_NAMES = (
    "gm3000_pkcs11.dll",  # Longmai mToken GM3000
    "eps2003csp11.dll",  # Feitian ePass2003
    "wdpkcs.dll",  # WatchData
    "opensc-pkcs11.dll",
    "softhsm2-x64.dll",
)
# Vendor installers for /opt put libraries at most a few levels down (/opt/VENDOR/lib,
# /opt/VENDOR/PRODUCT/lib); the depth limit keeps the search fast on a large /opt.
_OPT_LIB_PATTERNS = ("*/lib", "*/*/lib", "*/*/*/lib", "*/lib64", "*/*/lib64")

# Outcomes of one candidate in a search.
MISSING = "missing"
LOADED = "loaded"
LOAD_FAILED = "load failed"

ModuleProbe = Callable[[Path], None]


@dataclass(frozen=True)
class ModuleAttempt:
    """One candidate file of a search: ``outcome`` is MISSING, LOADED or LOAD_FAILED."""

    path: Path
    outcome: str
    reason: str = ""


@dataclass(frozen=True)
class ModuleSearch:
    """The result of a search: the module found (or None) and every candidate tried."""

    found: Path | None
    attempts: tuple[ModuleAttempt, ...]

    @property
    def candidates(self) -> tuple[Path, ...]:
        return tuple(attempt.path for attempt in self.attempts)

    @property
    def rejected(self) -> tuple[ModuleAttempt, ...]:
        """Return the candidates that exist but did not load."""
        return tuple(attempt for attempt in self.attempts if attempt.outcome == LOAD_FAILED)


def probe_module(path: Path) -> None:
    """Load ``path`` as a shared library and check that it exports ``C_GetFunctionList``.

    Raises OSError when the library does not load, AttributeError when the entry point
    is missing. The library stays loaded, because unloading a library that may have
    started threads is not safe, and python-pkcs11 loads the same file again later.
    """
    library = ctypes.CDLL(str(path))
    library.C_GetFunctionList  # noqa: B018 - the attribute lookup is the check


def search_pkcs11_module(
    *,
    platform: str = sys.platform,
    search_dirs: Sequence[Path] | None = None,
    probe: ModuleProbe = probe_module,
) -> ModuleSearch:
    """Try the usual module files in preference order and stop at the first that loads.

    ``search_dirs`` replaces the platform's folders, for tests and unusual installs.
    """
    attempts: list[ModuleAttempt] = []
    for candidate in module_candidates(platform=platform, search_dirs=search_dirs):
        if not candidate.is_file():
            attempts.append(ModuleAttempt(candidate, MISSING))
            continue
        try:
            probe(candidate)
        except (OSError, AttributeError) as error:
            log.warning("PKCS#11 module candidate %s does not load: %s", candidate, error)
            attempts.append(ModuleAttempt(candidate, LOAD_FAILED, str(error)))
            continue
        attempts.append(ModuleAttempt(candidate, LOADED))
        return ModuleSearch(candidate, tuple(attempts))
    return ModuleSearch(None, tuple(attempts))


def find_pkcs11_module(
    configured: str | None,
    *,
    platform: str = sys.platform,
    search_dirs: Sequence[Path] | None = None,
    probe: ModuleProbe = probe_module,
) -> Path:
    """Return the module file to load: ``configured`` if set, else the first usual one.

    A configured file is used as it is, so that its own load error reaches the user.
    Raises :class:`ModuleLoadFailed` when the configured file does not exist, and
    :class:`ModuleNotFound` with every candidate tried when the search finds none that
    loads.
    """
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise ModuleLoadFailed(path, MODULE_FILE_MISSING)
        return path

    search = search_pkcs11_module(platform=platform, search_dirs=search_dirs, probe=probe)
    if search.found is None:
        raise ModuleNotFound(search.candidates)
    log.info("Found PKCS#11 module %s", search.found)
    return search.found


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
