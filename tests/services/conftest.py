"""A cups-pdf queue of the services tests' own, on the local cupsd."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from fpcert_desktop.printing import cups_admin

QUEUE = "fpcert-services-test"


def _require_cups() -> None:
    reason = None
    if shutil.which("lpadmin") is None:
        reason = "CUPS is not installed"
    elif os.geteuid() != 0:
        reason = "creating a CUPS queue needs root"
    if reason is None:
        if not cups_admin.is_cupsd_running():
            cups_admin.start_cupsd()
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required when CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    _require_cups()
    name = cups_admin.ensure_cups_pdf_queue(QUEUE)
    yield name
    subprocess.run(["cupsaccept", name], check=False)
