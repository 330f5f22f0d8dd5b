"""Write the package's machine-readable copyright file (Debian DEP-5).

    .venv/bin/python installer/linux/copyright.py > usr/share/doc/fpcert-desktop/copyright

Run it with the Python environment the bundle was built from. The program is Apache-2.0.
The PyInstaller bundle also carries the Python distributions fpcert-desktop needs at run
time, each under its own licence. The file lists every distribution of that dependency
closure (extras left out) with the licence its metadata declares, so an auditor can check
what ships without unpacking the bundle.
"""

from __future__ import annotations

import importlib.metadata
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT_DISTRIBUTION = "fpcert-desktop"

HEADER = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: fpcert-desktop
Comment: The program in /opt/fpcert-desktop is a PyInstaller bundle. Besides the
 program it contains the Python interpreter and these Python distributions, each
 under its own licence (name, version, licence declared in its metadata):
"""

FILES = """\
Files: *
Copyright: fpcert-desktop authors
License: Apache-2.0
 On Debian systems the full text of the Apache License 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
"""


def runtime_closure(root: str = ROOT_DISTRIBUTION) -> list[importlib.metadata.Distribution]:
    """Return the installed distributions ``root`` requires at run time, ``root`` excluded."""
    seen: dict[str, importlib.metadata.Distribution] = {}
    pending = [root]
    while pending:
        distribution = importlib.metadata.distribution(pending.pop())
        for text in distribution.requires or []:
            requirement = Requirement(text)
            # Evaluating with extra="" drops requirements that only an extra pulls in.
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            name = canonicalize_name(requirement.name)
            if name not in seen:
                seen[name] = importlib.metadata.distribution(requirement.name)
                pending.append(requirement.name)
    return sorted(seen.values(), key=lambda found: canonicalize_name(found.metadata["Name"]))


def declared_licence(distribution: importlib.metadata.Distribution) -> str:
    metadata = distribution.metadata
    expression = metadata.get("License-Expression")
    if expression:
        return expression
    field = (metadata.get("License") or "").strip()
    # Some distributions put the whole licence text in this field: that is not a name.
    if field and "\n" not in field and len(field) <= 80:
        return field
    classifiers = [
        value.rsplit(" :: ", 1)[-1]
        for value in metadata.get_all("Classifier") or []
        if value.startswith("License ::")
    ]
    return ", ".join(classifiers) or "see its metadata"


def render() -> str:
    listed = "".join(
        f" {found.metadata['Name']} {found.version}: {declared_licence(found)}\n"
        for found in runtime_closure()
    )
    return HEADER + listed + "\n" + FILES


if __name__ == "__main__":
    sys.stdout.write(render())
