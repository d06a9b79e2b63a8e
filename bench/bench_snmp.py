#!/usr/bin/env python3
"""Benchmark of the SNMP checks against snmpsim serving the `large` scenario.

Run from anywhere (it finds the repository root itself):

    python3 bench/bench_snmp.py [--runs N] [--scenario large] [--backend easysnmp ...]
                                [--version 2c|3] [--json FILE]

For each SNMP check and each backend (easysnmp, pysnmp): N runs of the real thin executable
(plugins/check_nutanix_snmp-*) as a poller runs it, median and p10/p90 wall time (fork to
wait4), the median CPU time of the check process (user + system: the plugin's own cost, without
the agent's answer time) and the largest peak RSS (ru_maxrss); `python3 -c pass` is the floor.
v2c (community public) by default, --version 3 for SNMPv3 authPriv (SHA/AES user `monitor`).
Bytecode is written to a private pycache prefix first (as an installed package has it).

The agents are snmpsim (pysnmp-based, slower than a real Net-SNMP or Nutanix agent), so the
numbers include snmpsim's own answer time: they are an upper bound for the plugin's share.
Target (issue 5): easysnmp <= 100 ms per check.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The v3 user every scenario serves (emulator/snmprec.py SNMP_DEFAULTS).
V3 = ["--snmp-version", "3", "--snmp-user", "monitor", "--auth-protocol", "SHA",
      "--auth-password", "monitor-auth-4u", "--priv-protocol", "AES",
      "--priv-password", "monitor-priv-4u"]

TARGET_EASYSNMP_S = 0.100

# (label, check, extra arguments, agent: "cvm" or a node name for snmp-ahv)
CHECKS = [
    ("snmp-cluster", "snmp-cluster", (), "cvm"),
    ("snmp-nodes", "snmp-nodes", (), "cvm"),
    ("snmp-nodes --filter-name node-03", "snmp-nodes", ("--filter-name", "node-03"), "cvm"),
    ("snmp-cvm", "snmp-cvm", (), "cvm"),
    ("snmp-cvm --filter-name node-03", "snmp-cvm", ("--filter-name", "node-03"), "cvm"),
    ("snmp-disks", "snmp-disks", (), "cvm"),
    ("snmp-disks --filter-name node-03", "snmp-disks", ("--filter-name", "node-03"), "cvm"),
    ("snmp-containers", "snmp-containers", (), "cvm"),
    ("snmp-pools", "snmp-pools", (), "cvm"),
    ("snmp-ahv (node-03's host)", "snmp-ahv", (), "node-03"),
]


def child_env(pycache):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONPYCACHEPREFIX"] = pycache
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("LC_ALL", "C")
    for name in ("NUTANIX_SNMP_COMMUNITY", "NUTANIX_SNMP_USER", "NUTANIX_SNMP_AUTH_PASSWORD",
                 "NUTANIX_SNMP_PRIV_PASSWORD"):
        env.pop(name, None)
    return env


def run_child(argv, env):
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
        _, status, rusage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    rss = rusage.ru_maxrss / 1024.0 if sys.platform == "darwin" else float(rusage.ru_maxrss)
    return {"seconds": seconds, "rss_kib": rss, "code": proc.returncode, "output": output,
            "cpu_s": rusage.ru_utime + rusage.ru_stime}


def summary(samples):
    times = sorted(s["seconds"] for s in samples)

    def pct(p):
        return times[min(len(times) - 1, int(round(p * (len(times) - 1))))]

    return {"median_s": statistics.median(times), "p10_s": pct(0.1), "p90_s": pct(0.9),
            "min_s": times[0], "max_s": times[-1],
            "cpu_median_s": statistics.median(s["cpu_s"] for s in samples),
            "rss_max_kib": max(s["rss_kib"] for s in samples), "runs": len(times)}


class Agents:
    """`nutanix-emulator --snmp-port 0` in a child process: this process stays small (the
    children's ru_maxrss would otherwise start from its size: vfork shares its pages)."""

    def __init__(self, scenario, lifetime):
        env = dict(os.environ, PYTHONPATH=ROOT)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nagios_nutanix.emulator", "--scenario", scenario,
             "--port", "0", "--snmp-port", "0", "--lifetime", str(lifetime)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        self.proc.stdout.readline()  # the Prism emulator's line
        line = self.proc.stdout.readline()
        if " on udp port " not in line:
            self.stop()
            raise SystemExit("bench: the SNMP agents did not start: %r" % line)
        self.line = line.strip()
        self.port = int(line.split(" on udp port ")[1].split(":")[0])
        listing = line.split(" on udp port ")[1].split(";")[0].split(": ", 1)[1]
        self.addresses = {}
        for part in listing.split(", "):
            address, label = part.split(" ", 1)
            self.addresses["cvm" if "CVM agent" in label else label.split()[0]] = address

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)


def credentials(version):
    return ["--snmp-version", "2c", "-C", "public"] if version == "2c" else list(V3)


def backend_available(backend):
    probe = "import easysnmp" if backend == "easysnmp" else "import pysnmp.entity.engine"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scenario", default="large")
    parser.add_argument("--backend", action="append", choices=("easysnmp", "pysnmp"))
    parser.add_argument("--version", choices=("2c", "3"), default="2c")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)

    backends = [b for b in (args.backend or ["easysnmp", "pysnmp"])]
    missing = [b for b in backends if not backend_available(b)]
    for backend in missing:
        print("bench: backend %s cannot be imported here; skipped" % backend)
    backends = [b for b in backends if b not in missing]
    pycache = tempfile.mkdtemp(prefix="bench-snmp-pycache-")
    env = child_env(pycache)
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "platform": platform.platform()},
               "scenario": args.scenario, "version": args.version, "runs": args.runs,
               "checks": {}}
    agents = Agents(args.scenario, lifetime=3600)
    try:
        print(agents.line[:160] + "...")
        floor = [run_child([sys.executable, "-c", "pass"], env) for _ in range(args.runs)]
        results["floor"] = summary(floor)
        for label, check, extra, where in CHECKS:
            host = agents.addresses[where]
            for backend in backends:
                argv = [sys.executable, os.path.join(ROOT, "plugins", "check_nutanix_%s" % check),
                        "-H", host, "--snmp-port", str(agents.port), "--snmp-backend",
                        backend] + credentials(args.version) + list(extra)
                first = run_child(argv, env)  # warms the bytecode cache
                if first["code"] not in (0, 1, 2):
                    raise SystemExit("bench: %s (%s) failed:\n%s" % (label, backend,
                                                                     first["output"]))
                samples = [run_child(argv, env) for _ in range(args.runs)]
                results["checks"].setdefault(label, {})[backend] = dict(
                    summary(samples), first_line=first["output"].splitlines()[0][:120])
    finally:
        agents.stop()
    print("\nfloor: python3 -c pass  median %.0f ms, CPU %.0f ms" % (
        results["floor"]["median_s"] * 1000, results["floor"]["cpu_median_s"] * 1000))
    print("wall: fork to exit, snmpsim's answers included; CPU: the check process's own user + "
          "system time")
    header = "%-36s" % "check (SNMP v%s, %s)" % (args.version, args.scenario)
    for backend in backends:
        header += " | %-36s" % ("%s: wall median (p10-p90), CPU, RSS" % backend)
    print(header)
    print("-" * len(header))
    for label, by_backend in results["checks"].items():
        line = "%-36s" % label
        for backend in backends:
            s = by_backend[backend]
            line += " | %4.0f ms (%3.0f-%4.0f), %3.0f ms, %4.1f MB " % (
                s["median_s"] * 1000, s["p10_s"] * 1000, s["p90_s"] * 1000,
                s["cpu_median_s"] * 1000, s["rss_max_kib"] / 1024)
        print(line)
    if "easysnmp" in backends:
        worst = max(v["easysnmp"]["median_s"] for v in results["checks"].values())
        print("\neasysnmp target <= %d ms per check: worst median %.0f ms -> %s" % (
            TARGET_EASYSNMP_S * 1000, worst * 1000,
            "met" if worst <= TARGET_EASYSNMP_S else "NOT met"))
        results["easysnmp_target_met"] = worst <= TARGET_EASYSNMP_S
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
