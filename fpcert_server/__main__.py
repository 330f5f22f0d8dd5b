"""Run the server's command line: ``python -m fpcert_server``."""

import sys

from fpcert_server.cli import main

sys.exit(main())
