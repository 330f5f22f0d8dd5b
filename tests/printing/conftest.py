"""Fixtures for the printing tests: fonts, sample content and a local cups-pdf queue."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpcert_desktop.domain.certificate import CertificateContent
from fpcert_desktop.printing.cups_admin import (
    cups_pdf_output_dir,
    ensure_cups_pdf_queue,
    start_cupsd,
)
from fpcert_desktop.printing.fonts import FontSet, load_font_set
from fpcert_desktop.printing.sample import sample_certificate_content

CUPS_TEST_QUEUE = "fpcert-test-pdf"


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    return load_font_set()


@pytest.fixture
def content() -> CertificateContent:
    return sample_certificate_content()


@pytest.fixture(scope="session")
def cups_queue() -> Iterator[str]:
    """Start cupsd if needed and return a cups-pdf queue that accepts jobs.

    Without the cupsd binary the CUPS tests are skipped, except under CI=true, where a
    missing print system is a broken test environment and fails the run.
    """
    if shutil.which("cupsd") is None and not Path("/usr/sbin/cupsd").exists():
        reason = "cupsd is not installed (Debian packages cups and printer-driver-cups-pdf)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)

    start_cupsd()
    yield ensure_cups_pdf_queue(CUPS_TEST_QUEUE)


@pytest.fixture(scope="session")
def cups_output_dir(cups_queue: str) -> Path:
    return cups_pdf_output_dir()
