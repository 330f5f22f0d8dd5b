"""The ``fpcert-desktop doctor`` command: run the checks and print one line per check."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from fpcert_desktop.doctor import (
    CheckResult,
    DoctorContext,
    any_failed,
    print_test_page,
    report_json,
    run_checks,
)
from fpcert_desktop.doctor_bundle import bundle_path_problem, write_support_bundle
from fpcert_desktop.i18n import QT_TRANSLATE_NOOP
from fpcert_desktop.oserrors import describe_os_error

log = logging.getLogger(__name__)

_BUNDLE_WRITTEN = QT_TRANSLATE_NOOP("Doctor", "Support bundle written to {path}.")
_BUNDLE_FAILED = QT_TRANSLATE_NOOP(
    "Doctor",
    "The support bundle could not be written to {path}: {error}. Choose a folder you may "
    "write to, for example your home folder, and run the command again.",
)


def run_doctor(
    config_path: Path | None,
    *,
    test_page: bool = False,
    bundle: Path | None = None,
    as_json: bool = False,
    install_language: Callable[[str], object] | None = None,
) -> int:
    """Run every check and print the report.

    Returns 0 when no check failed, 1 when one failed or the bundle could not be written,
    and 2, before any check runs, when ``bundle`` cannot be a bundle's name.
    """
    context = DoctorContext.load(config_path)
    if install_language is not None:
        install_language(context.settings.language)
    if bundle is not None:
        problem = bundle_path_problem(bundle)
        if problem is not None:
            print(str(problem), file=sys.stderr)
            return 2

    def show(result: CheckResult) -> None:
        if not as_json:
            print(result.line(), flush=True)

    results = run_checks(context, on_result=show)
    if test_page:
        page = print_test_page(context)
        show(page)
        results.append(page)
    if as_json:
        print(json.dumps(report_json(results), ensure_ascii=False, indent=2))

    if bundle is not None:
        try:
            written = write_support_bundle(bundle, results, config_path=context.config_path)
        except OSError as error:
            # The console log handler shows warnings, so the English detail stays in the file.
            log.info("support bundle not written to %s: %s", bundle, error)
            message = _BUNDLE_FAILED.format(path=str(bundle), error=describe_os_error(error))
            print(str(message), file=sys.stderr)
            return 1
        print(str(_BUNDLE_WRITTEN.format(path=str(written))), file=sys.stderr)
    return 1 if any_failed(results) else 0
