"""Build the .deb once per session, or take it from FPCERT_DEB, and install it with dpkg.

The tests install into /opt, /usr and /etc of this machine, so they need root. Outside
CI they are skipped without root or dpkg; with CI=true they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from debtools import (
    INSTALLED_TREE,
    DebPackage,
    DebPackages,
    build,
    deb_field,
    install,
    purge,
    require_root_and_dpkg,
    run,
)


@pytest.fixture(scope="session")
def debs(tmp_path_factory: pytest.TempPathFactory) -> DebPackages:
    """The .deb in FPCERT_DEB, or one built now, and an older version of the same bundle.

    The older package repackages the bundle of the current one under a lower version
    (``<version>~older``), so an upgrade runs dpkg's real upgrade path without a second
    PyInstaller build.
    """
    require_root_and_dpkg()
    output = tmp_path_factory.mktemp("debs")
    given = os.environ.get("FPCERT_DEB")
    current = Path(given) if given else build(output)
    if not current.is_file():
        pytest.fail(f"FPCERT_DEB={given} is not a file")
    version = deb_field(current, "Version")

    extracted = tmp_path_factory.mktemp("extracted")
    run(["dpkg-deb", "--extract", str(current), str(extracted)])
    older_version = f"{version}~older"
    older = build(
        output,
        "--tree",
        str(extracted / INSTALLED_TREE.relative_to("/")),
        "--version",
        older_version,
    )
    return DebPackages(DebPackage(current, version), DebPackage(older, older_version))


@pytest.fixture
def installed(debs: DebPackages) -> Iterator[DebPackage]:
    """Install the current package afresh, and purge it after the test."""
    purge()
    install(debs.current)
    yield debs.current
    purge()
