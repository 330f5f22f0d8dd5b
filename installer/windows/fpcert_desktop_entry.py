"""Entry script that PyInstaller freezes into fpcert-desktop.exe and fpcert-desktop-cli.exe."""

import sys

from fpcert_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
