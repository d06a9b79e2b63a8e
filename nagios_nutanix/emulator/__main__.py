"""``python -m nagios_nutanix.emulator`` runs the emulator command line."""

import sys

from .cli import main

sys.exit(main())
