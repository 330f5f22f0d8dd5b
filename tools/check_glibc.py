"""Check that no ELF file in a package tree needs a newer glibc than the stated minimum.

    python tools/check_glibc.py TREE [--minimum 2.35]

The minimum defaults to the version in installer/linux/glibc-minimum.txt. Every regular
file under TREE that starts with the ELF magic is read with pyelftools. Its version
needs (the ``.gnu.version_r`` section, what ``objdump -T`` prints in brackets) name the
``GLIBC_x.y`` versions the dynamic loader demands. A file that needs a version above the
minimum is listed with the symbols that need it, and the exit status is 1. Symbolic
links are skipped because their targets are checked as files.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection, GNUVerSymSection

ROOT = Path(__file__).resolve().parent.parent
MINIMUM_FILE = ROOT / "installer" / "linux" / "glibc-minimum.txt"
ELF_MAGIC = b"\x7fELF"
_GLIBC_VERSION = re.compile(r"^GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$")

Version = tuple[int, ...]


@dataclass
class ElfReport:
    """The glibc versions one ELF file needs, and the dynamic symbols behind each."""

    path: Path
    versions: dict[Version, set[str]] = field(default_factory=dict)
    private: bool = False

    @property
    def highest(self) -> Version | None:
        return max(self.versions) if self.versions else None


def parse_version(text: str) -> Version:
    """Parse ``2.35`` or ``GLIBC_2.35`` into ``(2, 35)``."""
    match = _GLIBC_VERSION.match(text if text.startswith("GLIBC_") else f"GLIBC_{text}")
    if match is None:
        raise ValueError(f"{text!r} is not a glibc version such as 2.35")
    return tuple(int(part) for part in match.groups() if part is not None)


def format_version(version: Version) -> str:
    return ".".join(str(part) for part in version)


def read_minimum(path: Path = MINIMUM_FILE) -> Version:
    """Read the stated minimum: the first line of the file that is not a comment."""
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            return parse_version(text)
    raise ValueError(f"{path} contains no glibc version")


def elf_files(tree: Path) -> Iterator[Path]:
    """Yield every regular file under ``tree`` that starts with the ELF magic, sorted."""
    for path in sorted(tree.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as stream:
            if stream.read(4) == ELF_MAGIC:
                yield path


def inspect_elf(path: Path) -> ElfReport:
    """Collect the GLIBC_* version needs of one ELF file and the symbols that use them."""
    report = ElfReport(path)
    with path.open("rb") as stream:
        elf = ELFFile(stream)
        names_by_index: dict[int, str] = {}
        for section in elf.iter_sections():
            if not isinstance(section, GNUVerNeedSection):
                continue
            for _needed, auxiliaries in section.iter_versions():
                for auxiliary in auxiliaries:
                    names_by_index[auxiliary["vna_other"]] = auxiliary.name
        for name in names_by_index.values():
            if name == "GLIBC_PRIVATE":
                report.private = True
            elif _GLIBC_VERSION.match(name):
                report.versions.setdefault(parse_version(name), set())
        _attach_symbols(elf, names_by_index, report)
    return report


def _attach_symbols(elf: ELFFile, names_by_index: dict[int, str], report: ElfReport) -> None:
    """Name the dynamic symbols bound to each version, through ``.gnu.version``."""
    dynsym = elf.get_section_by_name(".dynsym")
    versym = next(
        (section for section in elf.iter_sections() if isinstance(section, GNUVerSymSection)),
        None,
    )
    if dynsym is None or versym is None:
        return
    for index, symbol in enumerate(dynsym.iter_symbols()):
        if symbol["st_shndx"] != "SHN_UNDEF" or not symbol.name:
            continue
        version_index = versym.get_symbol(index)["ndx"]
        if not isinstance(version_index, int):
            continue  # VER_NDX_LOCAL or VER_NDX_GLOBAL: no version needed
        name = names_by_index.get(version_index & 0x7FFF, "")
        if _GLIBC_VERSION.match(name):
            report.versions.setdefault(parse_version(name), set()).add(symbol.name)


def check_tree(tree: Path, minimum: Version) -> tuple[list[ElfReport], list[ElfReport]]:
    """Inspect every ELF file in ``tree`` and return all reports and those above ``minimum``.

    A file that needs GLIBC_PRIVATE counts as above any minimum, because those symbols
    change between glibc releases.
    """
    reports = []
    for path in elf_files(tree):
        try:
            reports.append(inspect_elf(path))
        except ELFError as error:
            raise ValueError(f"{path}: invalid ELF file: {error}") from error
    failures = [
        report
        for report in reports
        if report.private or (report.highest is not None and report.highest > minimum)
    ]
    return reports, failures


def _describe_failure(report: ElfReport, tree: Path, minimum: Version) -> str:
    lines = [f"{report.path.relative_to(tree)}:"]
    for version in sorted(report.versions):
        if version <= minimum:
            continue
        symbols = ", ".join(sorted(report.versions[version])) or "(no symbol named)"
        lines.append(f"  needs GLIBC_{format_version(version)}: {symbols}")
    if report.private:
        lines.append("  needs GLIBC_PRIVATE, which only the glibc it was built with provides")
    return "\n".join(lines)


def _version_argument(text: str) -> Version:
    try:
        return parse_version(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path, help="folder to check, e.g. the PyInstaller output")
    parser.add_argument(
        "--minimum",
        type=_version_argument,
        help=f"highest glibc version allowed (default: the one in {MINIMUM_FILE.name})",
    )
    args = parser.parse_args(argv)
    if not args.tree.is_dir():
        parser.error(f"{args.tree} is not a folder")
    minimum = args.minimum or read_minimum()

    reports, failures = check_tree(args.tree, minimum)
    if not reports:
        print(f"error: no ELF files found under {args.tree}", file=sys.stderr)
        return 1
    needing = [report for report in reports if report.highest is not None]
    highest = max(needing, key=lambda report: report.highest or ()) if needing else None
    print(f"{len(reports)} ELF files checked against glibc {format_version(minimum)}")
    if highest is not None and highest.highest is not None:
        print(
            f"highest need: GLIBC_{format_version(highest.highest)} "
            f"({highest.path.relative_to(args.tree)})"
        )
    if failures:
        print(
            f"error: {len(failures)} files need a glibc newer than {format_version(minimum)}:",
            file=sys.stderr,
        )
        for report in failures:
            print(_describe_failure(report, args.tree, minimum), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
