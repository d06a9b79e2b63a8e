"""The README's main job: every check against the built-in Prism emulator, output shown.

    python -m nagios_nutanix.demo [--scenario NAME ...]

Starts one emulator per scenario on 127.0.0.1, runs each registered check through the real
`check_nutanix` entry point (a subprocess, exactly as a poller would), and prints the command,
the plugin output and its exit code.
"""

import argparse
import os
import shlex
import subprocess
import sys
import tempfile

from .checks import all_specs

CA_FILE = os.path.join(os.path.dirname(__file__), "emulator", "tls", "emulator-cert.pem")
STATE_NAMES = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}


def _runs(spec, emulator):
    """The command lines to show for one check on one emulated target."""
    base = ["-H", "127.0.0.1", "-P", str(emulator.port), "-u", "admin",
            "--ca-file", CA_FILE]
    kind = emulator.world.kind
    clusters = [c.name for c in emulator.world.clusters] if kind == "pc" else [None]
    runs = []
    for cluster in clusters:
        runs.append(base + (["--cluster", cluster] if cluster else []))
    if kind == "pc":
        runs.insert(0, base)  # without --cluster: Prism Central lists its clusters
    return runs


def main(argv=None):
    from .emulator.server import Emulator
    from .emulator.world import scenario_names

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append",
                        help="scenario to run (repeatable; default: all shipped ones)")
    args = parser.parse_args(argv)
    env = dict(os.environ, NUTANIX_PASSWORD="Nutanix/4u")
    worst = 0
    with tempfile.TemporaryDirectory(prefix="nagios-nutanix-demo-") as state:
        for scenario in args.scenario or scenario_names():
            with Emulator(scenario, port=0) as emulator:
                print("=" * 78)
                face = "Central" if emulator.world.kind == "pc" else "Element"
                print("scenario %s: Prism %s emulator on %s" % (scenario, face, emulator.url))
                for spec in all_specs():
                    for extra in _runs(spec, emulator):
                        argv = [sys.executable, "-m", "nagios_nutanix", spec.name] + extra + [
                            "--state-dir", os.path.join(state, scenario)]
                        shown = ["check_nutanix", spec.name] + extra
                        print("\n$ NUTANIX_PASSWORD=... %s" % " ".join(
                            shlex.quote(a) for a in shown))
                        done = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                                              stderr=subprocess.STDOUT, text=True, timeout=120)
                        print(done.stdout.rstrip())
                        print("[exit %d: %s]" % (done.returncode,
                                                 STATE_NAMES.get(done.returncode, "?")))
                        if done.returncode not in STATE_NAMES:
                            worst = 1
            print()
    return worst


if __name__ == "__main__":
    sys.exit(main())
