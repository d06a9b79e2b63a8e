"""``nutanix-emulator``: run the Prism emulator for one scenario until signalled."""

import argparse
import signal
import sys
import threading
from typing import Optional

from .faults import Fault, FaultError
from .server import Emulator, check_loopback
from .world import ScenarioError, load_raw, resolve_scenario, scenario_names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nutanix-emulator",
        description="HTTPS emulator of a Nutanix Prism Element or Prism Central, driven by a "
        "scenario file. Listens on a loopback address only.",
    )
    parser.add_argument("--scenario", default="healthy",
                        help="scenario name (see --list-scenarios) or path to a YAML file "
                        "(default: %(default)s)")
    parser.add_argument("--port", type=int, default=9440,
                        help="TCP port; 0 picks a free port (default: %(default)s)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="loopback address to bind (default: %(default)s)")
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC",
                        help="inject a fault, PATHREGEX:key=value[,key=value] with keys "
                        "status, delay, body (malformed|truncated|empty-list|TEXT), "
                        "drop_fields (a+b), method, times; repeatable")
    parser.add_argument("--session-ttl", type=float, default=900, metavar="SECONDS",
                        help="session cookie lifetime (default: %(default)s)")
    parser.add_argument("--lockout-after", type=int, default=5, metavar="N",
                        help="consecutive failed logins that lock an account "
                        "(default: %(default)s)")
    parser.add_argument("--lockout-seconds", type=float, default=900, metavar="SECONDS",
                        help="how long a locked account stays locked (default: %(default)s)")
    parser.add_argument("--max-page-size", type=int, default=100, metavar="N",
                        help="largest v1/v2.0 page (default: %(default)s)")
    parser.add_argument("--lifetime", type=float, default=None, metavar="SECONDS",
                        help="exit by itself after this long (default: run until signalled)")
    parser.add_argument("--snmp-port", type=int, default=None, metavar="PORT",
                        help="also serve the scenario's SNMP agents with snmpsim on this UDP "
                        "port (0 picks a free one): the CVM agent (NUTANIX-MIB) of cluster k "
                        "on 127.0.k.1, node i's AHV host agent on 127.0.k.(i+1); v2c "
                        "community and v3 users from the scenario (default: no SNMP)")
    parser.add_argument("--list-scenarios", action="store_true",
                        help="print the shipped scenarios and exit")
    return parser


def list_scenarios() -> None:
    for name in scenario_names():
        raw = load_raw(resolve_scenario(name))
        summary = " ".join(str(raw.get("description", "")).split())
        print("%-16s %s  %s" % (name, raw.get("kind", "pe"), summary))


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list_scenarios:
        list_scenarios()
        return 0
    try:
        host = check_loopback(args.host)
        faults = [Fault.from_cli(spec) for spec in args.fault]
        emulator = Emulator(args.scenario, port=args.port, host=host,
                            session_ttl=args.session_ttl, lockout_after=args.lockout_after,
                            lockout_seconds=args.lockout_seconds,
                            max_page_size=args.max_page_size, faults=faults)
    except (ScenarioError, FaultError, ValueError) as exc:
        print("nutanix-emulator: %s" % exc, file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        emulator.start()
    except OSError as exc:
        print("nutanix-emulator: cannot listen on %s:%s: %s" % (host, args.port, exc),
              file=sys.stderr)
        return 2
    print("nutanix-emulator: scenario %s listening on %s" % (emulator.scenario, emulator.url),
          flush=True)
    agents = None
    try:
        if args.snmp_port is not None:
            agents = start_snmp(emulator, args.snmp_port, args.lifetime)
            if agents is None:
                return 2
        stop.wait(args.lifetime)
    finally:
        if agents is not None:
            agents.stop()
        emulator.stop()
    return 0


def start_snmp(emulator: Emulator, port: int, lifetime: Optional[float]):
    """snmpsim with the scenario's agents (snmpagents.py); None after saying why it failed."""
    from .snmpagents import SnmpAgents, SnmpSimError

    try:
        agents = SnmpAgents(emulator.world, port=port, lifetime=lifetime or 0).start()
    except (SnmpSimError, OSError) as exc:
        print("nutanix-emulator: cannot start the SNMP agents: %s" % exc, file=sys.stderr)
        return None
    users = ", ".join("%s (%s/%s)" % (u["name"], u.get("auth_protocol", "-"),
                                      u.get("priv_protocol", "-") if u.get("priv_password")
                                      else "no privacy") for u in agents.users)
    print("nutanix-emulator: snmp agents for scenario %s on %s; v2c communities %s; v3 users %s"
          % (agents.scenario, agents.describe(), ", ".join(agents.communities), users),
          flush=True)
    return agents


if __name__ == "__main__":
    sys.exit(main())
