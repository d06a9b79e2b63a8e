"""The README's main job: every check against the built-in Prism emulator (and the SNMP
checks against snmpsim serving the same scenario), output shown.

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
# Options a check needs to show its point: the version check judges the shipped example policy.
EXTRA = {"version": ["--policy", os.path.join(os.path.dirname(__file__), "config",
                                              "version-policy.example.yaml")]}


def _runs(spec, emulator):
    """The command lines to show for one check on one emulated target."""
    base = ["-H", "127.0.0.1", "-P", str(emulator.port), "-u", "admin",
            "--ca-file", CA_FILE] + EXTRA.get(spec.name, [])
    kind = emulator.world.kind
    clusters = [c.name for c in emulator.world.clusters] if kind == "pc" else [None]
    runs = []
    for cluster in clusters:
        runs.append(base + (["--cluster", cluster] if cluster else []))
    if kind == "pc":
        runs.insert(0, base)  # without --cluster: Prism Central lists its clusters
    return runs


def _snmp_runs(spec, agents):
    """SNMP checks: NUTANIX-MIB ones against each cluster's CVM agent, snmp-ahv against the
    hosts the scenario's `snmp:` block troubles (node-01 when it names none)."""
    if agents is None:
        return []
    base = ["--snmp-port", str(agents.port), "--snmp-version", "2c"]  # community from the env
    if "NUTANIX-MIB" in spec.sources:
        return [["-H", a.address] + base for a in agents.agents if a.role == "cvm"]
    from .emulator.snmprec import snmp_settings

    named = set()
    for settings in snmp_settings(agents.world):
        named.update(settings.get("hosts") or {})
    hosts = [a for a in agents.agents if a.role == "host" and a.node.name in named]
    hosts = hosts or [a for a in agents.agents if a.role == "host"][:1]
    return [["-H", a.address] + base for a in hosts]


def _start_snmp(emulator):
    from .emulator.snmpagents import SnmpAgents, SnmpSimError

    try:
        agents = SnmpAgents(emulator.world, lifetime=600).start()
    except (SnmpSimError, OSError) as exc:
        print("\n(SNMP checks not run: %s)" % exc)
        return None
    print("SNMP agents (snmpsim) on %s" % agents.describe())
    return agents


def main(argv=None):
    from .emulator.server import Emulator
    from .emulator.world import scenario_names

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append",
                        help="scenario to run (repeatable; default: all shipped ones)")
    args = parser.parse_args(argv)
    env = dict(os.environ, NUTANIX_PASSWORD="Nutanix/4u", NUTANIX_SNMP_COMMUNITY="public")
    worst = 0
    with tempfile.TemporaryDirectory(prefix="nagios-nutanix-demo-") as state:
        for scenario in args.scenario or scenario_names():
            with Emulator(scenario, port=0) as emulator:
                print("=" * 78)
                face = "Central" if emulator.world.kind == "pc" else "Element"
                print("scenario %s: Prism %s emulator on %s" % (scenario, face, emulator.url))
                specs = all_specs()
                snmp = None
                if any(getattr(s, "protocol", "prism") == "snmp" for s in specs):
                    snmp = _start_snmp(emulator)
                for spec in specs:
                    if getattr(spec, "protocol", "prism") == "snmp":
                        runs, tail, secret = _snmp_runs(spec, snmp), [], "NUTANIX_SNMP_COMMUNITY"
                    else:
                        runs, secret = _runs(spec, emulator), "NUTANIX_PASSWORD"
                        tail = ["--state-dir", os.path.join(state, scenario)]
                    for extra in runs:
                        argv = [sys.executable, "-m", "nagios_nutanix", spec.name] + extra + tail
                        shown = ["check_nutanix", spec.name] + extra
                        print("\n$ %s=... %s" % (secret, " ".join(
                            shlex.quote(a) for a in shown)))
                        done = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                                              stderr=subprocess.STDOUT, text=True, timeout=120)
                        print(done.stdout.rstrip())
                        print("[exit %d: %s]" % (done.returncode,
                                                 STATE_NAMES.get(done.returncode, "?")))
                        # Any exit code but 0-3, or an internal error, is a bug the demo
                        # must not hide.
                        if (done.returncode not in STATE_NAMES
                                or "internal error in check" in done.stdout):
                            worst = 1
                if snmp is not None:
                    snmp.stop()
            print()
    return worst


if __name__ == "__main__":
    sys.exit(main())
