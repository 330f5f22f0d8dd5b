"""Entry script that PyInstaller freezes into the ``fpcert-desktop`` executable.

In the bundle ``sys.executable`` is this executable, not a Python interpreter. Code
that starts a helper process with ``[sys.executable, "-m", module]`` (the SoftHSM2
provisioning of the demo e-keys does) lands here, so ``-m`` runs one of the app's own
modules as ``__main__``, as the interpreter would.
"""

import runpy
import sys

from fpcert_desktop.cli import main


def _run_module_argument() -> bool:
    if len(sys.argv) < 3 or sys.argv[1] != "-m":
        return False
    module = sys.argv[2]
    if module.split(".")[0] != "fpcert_desktop":
        print(f"error: -m runs only fpcert_desktop modules, not {module}", file=sys.stderr)
        sys.exit(2)
    sys.argv = [sys.argv[0], *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return True


if __name__ == "__main__":
    if _run_module_argument():
        sys.exit(0)
    sys.exit(main())
