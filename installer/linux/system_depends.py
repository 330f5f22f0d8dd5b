"""List the Debian packages that own the system libraries a bundle links to directly.

    python installer/linux/system_depends.py TREE

Reads DT_NEEDED of every ELF file under TREE with pyelftools. A needed library that is
not a file in TREE comes from the system: it is resolved through ``ldconfig -p`` for
this machine's architecture and mapped to its package with ``dpkg -S``. Prints one
package name a line. Exits 1, naming the files, when a library is not installed here
or no package owns it, because the .deb could not name that dependency.
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile

ELF_MAGIC = b"\x7fELF"
# ldconfig -p marks each entry with its ABI, for example "(libc6,x86-64)".
LDCONFIG_ABI = {"x86_64": "x86-64", "aarch64": "AArch64"}
_LDCONFIG_LINE = re.compile(r"^\s*(\S+) \(([^)]*)\) => (\S+)$")


def needed_by_file(tree: Path) -> dict[str, list[Path]]:
    """Map each DT_NEEDED name that no file in ``tree`` provides to the files needing it."""
    bundled = {path.name for path in tree.rglob("*")}
    needed: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(tree.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as stream:
            if stream.read(4) != ELF_MAGIC:
                continue
            stream.seek(0)
            for section in ELFFile(stream).iter_sections():
                if not isinstance(section, DynamicSection):
                    continue
                for tag in section.iter_tags("DT_NEEDED"):
                    if tag.needed not in bundled:
                        needed[tag.needed].append(path.relative_to(tree))
    return needed


def system_library_paths() -> dict[str, str]:
    """Map library names to paths from ``ldconfig -p``, for this machine's ABI only."""
    abi = LDCONFIG_ABI.get(platform.machine(), "")
    output = subprocess.run(["ldconfig", "-p"], check=True, capture_output=True, text=True).stdout
    paths: dict[str, str] = {}
    for line in output.splitlines():
        match = _LDCONFIG_LINE.match(line)
        if match is None or (abi and abi not in match.group(2)):
            continue
        paths.setdefault(match.group(1), match.group(3))
    return paths


def owning_package(path: str) -> str | None:
    """Return the package that installed ``path``, trying the merged-/usr spellings too."""
    real = str(Path(path).resolve())
    candidates = [path, real]
    for candidate in (path, real):
        if candidate.startswith("/usr/"):
            candidates.append(candidate.removeprefix("/usr"))
        else:
            candidates.append(f"/usr{candidate}")
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout:
            # "libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3"
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: system_depends.py TREE", file=sys.stderr)
        return 2
    tree = Path(args[0])
    needed = needed_by_file(tree)
    paths = system_library_paths()
    packages: set[str] = set()
    problems: list[str] = []
    for name in sorted(needed):
        users = ", ".join(str(path) for path in needed[name][:3])
        path = paths.get(name)
        if path is None:
            problems.append(f"{name} (needed by {users}) is not installed on this machine")
            continue
        package = owning_package(path)
        if package is None:
            problems.append(f"{path} (needed by {users}) belongs to no Debian package")
            continue
        packages.add(package)
    if problems:
        print(
            "error: no Debian package found for these system libraries; install the "
            "library on the build machine, or keep the file that needs it out of the bundle:",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    for package in sorted(packages):
        print(package)
    return 0


if __name__ == "__main__":
    sys.exit(main())
