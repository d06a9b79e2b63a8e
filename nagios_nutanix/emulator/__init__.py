"""Prism API emulator: an HTTPS server that plays a Nutanix Prism Element or Prism Central.

Scenario files in ``scenarios/`` describe the world; ``Emulator`` serves it; ``nutanix-emulator``
(``cli.main``) runs it from the command line.
"""

from .server import Emulator
from .world import load_world, scenario_names

__all__ = ["Emulator", "load_world", "scenario_names"]
