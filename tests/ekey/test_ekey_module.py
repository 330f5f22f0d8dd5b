"""PKCS#11 module lookup and load failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from fpcert_desktop.ekey.errors import ModuleLoadFailed, ModuleNotFound
from fpcert_desktop.ekey.module import (
    LOAD_FAILED,
    LOADED,
    MISSING,
    find_pkcs11_module,
    module_candidates,
    search_pkcs11_module,
)
from fpcert_desktop.ekey.softhsm import find_softhsm_module
from fpcert_desktop.ekey.worker import EKeyWorker


def _real_module() -> Path:
    """Return SoftHSM's module, a real PKCS#11 library to copy under vendor names."""
    module = find_softhsm_module()
    if module is None:
        pytest.skip("libsofthsm2.so is not installed (Debian package softhsm2)")
    return module


def test_configured_module_is_used(tmp_path: Path) -> None:
    module = tmp_path / "vendor_pkcs11.so"
    module.write_bytes(b"\x7fELF")

    assert find_pkcs11_module(str(module)) == module


def test_missing_configured_module_raises(tmp_path: Path) -> None:
    missing = tmp_path / "missing.so"

    with pytest.raises(ModuleLoadFailed) as raised:
        find_pkcs11_module(str(missing))

    assert raised.value.path == missing
    assert str(missing) in raised.value.message.english
    assert "pkcs11_module" in raised.value.message.english


def test_vendor_module_preferred_over_softhsm(tmp_path: Path) -> None:
    real = _real_module().read_bytes()
    first, second = tmp_path / "lib", tmp_path / "lib64"
    first.mkdir()
    second.mkdir()
    (first / "libsofthsm2.so").write_bytes(real)
    (second / "libgm3000_pkcs11.so").write_bytes(real)

    found = find_pkcs11_module(None, platform="linux", search_dirs=[first, second])

    assert found == second / "libgm3000_pkcs11.so"


def test_windows_names_searched(tmp_path: Path) -> None:
    # The Windows search only differs in names and folders, so a Linux library under a
    # Windows name tests it: dlopen ignores the extension.
    (tmp_path / "wdpkcs.dll").write_bytes(_real_module().read_bytes())

    found = find_pkcs11_module(None, platform="win32", search_dirs=[tmp_path])

    assert found == tmp_path / "wdpkcs.dll"


def test_search_finds_softhsm_in_given_folder(tmp_path: Path) -> None:
    (tmp_path / "libsofthsm2.so").symlink_to(_real_module())

    search = search_pkcs11_module(platform="linux", search_dirs=[tmp_path])

    assert search.found == tmp_path / "libsofthsm2.so"
    assert search.attempts[-1].outcome == LOADED
    assert all(attempt.outcome == MISSING for attempt in search.attempts[:-1])
    assert tmp_path / "libgm3000_pkcs11.so" in search.candidates


def test_unloadable_candidate_skipped(tmp_path: Path) -> None:
    (tmp_path / "libgm3000_pkcs11.so").write_text("not a shared library", encoding="utf-8")
    (tmp_path / "libsofthsm2.so").symlink_to(_real_module())

    search = search_pkcs11_module(platform="linux", search_dirs=[tmp_path])

    assert search.found == tmp_path / "libsofthsm2.so"
    assert [attempt.path for attempt in search.rejected] == [tmp_path / "libgm3000_pkcs11.so"]
    assert search.rejected[0].outcome == LOAD_FAILED
    assert search.rejected[0].reason


def test_library_without_pkcs11_entry_rejected(tmp_path: Path) -> None:
    # libz is a real shared library that exports no C_GetFunctionList.
    libz = next(
        (
            path
            for path in (Path("/lib/x86_64-linux-gnu/libz.so.1"), Path("/usr/lib/libz.so.1"))
            if path.is_file()
        ),
        None,
    )
    if libz is None:
        pytest.skip("libz.so.1 not found")
    (tmp_path / "opensc-pkcs11.so").symlink_to(libz)

    with pytest.raises(ModuleNotFound):
        find_pkcs11_module(None, platform="linux", search_dirs=[tmp_path])


def test_no_module_lists_candidates(tmp_path: Path) -> None:
    with pytest.raises(ModuleNotFound) as raised:
        find_pkcs11_module(None, platform="linux", search_dirs=[tmp_path])

    candidates = raised.value.candidates
    assert tmp_path / "libsofthsm2.so" in candidates
    assert tmp_path / "opensc-pkcs11.so" in candidates
    assert tmp_path / "libgm3000_pkcs11.so" in candidates
    assert str(tmp_path / "libshuttle_p11v220.so") in raised.value.message.english


def test_default_linux_candidates_include_debian_paths() -> None:
    candidates = list(module_candidates(platform="linux"))

    assert Path("/usr/lib/softhsm/libsofthsm2.so") in candidates
    assert Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so") in candidates
    assert Path("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so") in candidates
    assert len(candidates) == len(set(candidates))


def test_worker_reports_unloadable_module(tmp_path: Path) -> None:
    not_a_module = tmp_path / "not_a_module.so"
    not_a_module.write_text("not a shared library", encoding="utf-8")
    worker = EKeyWorker(not_a_module)

    ready = worker.start()

    with pytest.raises(ModuleLoadFailed) as raised:
        ready.result(10)
    assert raised.value.path == not_a_module
    with pytest.raises(ModuleLoadFailed):
        worker.list_tokens().result(10)
    worker.stop()


def test_stopped_worker_rejects_jobs(tmp_path: Path) -> None:
    not_a_module = tmp_path / "not_a_module.so"
    not_a_module.write_text("not a shared library", encoding="utf-8")
    worker = EKeyWorker(not_a_module)
    worker.start()
    worker.stop()

    future = worker.list_tokens()

    with pytest.raises(RuntimeError, match="stopped"):
        future.result(1)
