"""Extract translatable strings into the .ts file and compile it to .qm.

    python tools/update_translations.py          # update .ts (keeps translations), build .qm
    python tools/update_translations.py --check  # exit 1 when either file is stale

Sources are every Python file of the package (``tr()``, ``QCoreApplication.translate`` and
``QT_TRANSLATE_NOOP`` marks) and every Designer form in ui/. Translate new entries in the
.ts with Qt Linguist (``pyside6-linguist``) or a text editor, then run this again.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_FILE = ROOT / "resources" / "translations" / "fpcert_zh_CN.ts"
QM_FILE = TS_FILE.with_suffix(".qm")


def qt_tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def sources() -> list[str]:
    files = sorted((ROOT / "fpcert_desktop").rglob("*.py")) + sorted((ROOT / "ui").glob("*.ui"))
    return [str(path.relative_to(ROOT)) for path in files if "migrations" not in path.parts]


def run_lupdate(ts_file: Path) -> None:
    command = [qt_tool("pyside6-lupdate"), *sources(), "-locations", "none", "-no-obsolete"]
    subprocess.run([*command, "-ts", str(ts_file)], cwd=ROOT, check=True, capture_output=True)


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    command = [qt_tool("pyside6-lrelease"), str(ts_file), "-qm", str(qm_file)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)


def messages(ts_file: Path) -> dict[tuple[str, str], str | None]:
    """Return (context, source) → translation, or None where it is unfinished or empty."""
    result: dict[tuple[str, str], str | None] = {}
    for context in ElementTree.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            finished = (
                translation is not None
                and translation.get("type") not in ("unfinished", "vanished", "obsolete")
                and bool((translation.text or "").strip())
            )
            result[(name, source)] = (
                translation.text if finished and translation is not None else None
            )
    return result


def check() -> list[str]:
    """List the problems: strings in code but not in the .ts, untranslated, stale .qm."""
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        fresh_ts = Path(folder) / TS_FILE.name
        shutil.copy(TS_FILE, fresh_ts)
        run_lupdate(fresh_ts)
        committed = messages(TS_FILE)
        for key in messages(fresh_ts):
            if key not in committed:
                problems.append(f"not in {TS_FILE.name}: {key[0]}: {key[1]!r}")
        for key, translation in committed.items():
            if translation is None:
                problems.append(f"no zh_CN translation: {key[0]}: {key[1]!r}")
        fresh_qm = Path(folder) / QM_FILE.name
        run_lrelease(TS_FILE, fresh_qm)
        if not QM_FILE.exists() or not filecmp.cmp(fresh_qm, QM_FILE, shallow=False):
            problems.append(f"{QM_FILE.name} is older than {TS_FILE.name}: run this script")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, change none")
    args = parser.parse_args()
    if args.check:
        problems = check()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    TS_FILE.parent.mkdir(parents=True, exist_ok=True)
    run_lupdate(TS_FILE)
    run_lrelease(TS_FILE, QM_FILE)
    current = messages(TS_FILE)
    missing = [key for key, value in current.items() if value is None]
    name = TS_FILE.relative_to(ROOT)
    print(f"{name}: {len(current)} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
