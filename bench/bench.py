#!/usr/bin/env python3
"""Benchmark of the nagios-nutanix checks against the Prism emulator.

Run from anywhere (it finds the repository root itself):

    python3 bench/bench.py [--runs N] [--cycles N] [--json FILE] [--no-bytecode]

What it measures, each over N runs (median and p10/p90, min/max):

  (a) warm   check_nutanix_cluster with the response cache already filled (long --cache-ttl)
  (b) cold   check_nutanix_cluster with a fresh state directory every run
             (TLS handshake + Basic login + every endpoint)
  (c) floor  `python3 -c pass` on the same machine, and the ratio (a)/(c)
  (d) cycle  one simulated poll cycle on the `large` scenario (one cluster host running the
             cluster-scoped checks + 16 node hosts running the node-scoped checks with
             --filter-name), sequential with the cache on, sequential with --cache-ttl 0, and
             all at once with the cache on; the emulator counts the requests and logins.
  (e) warm   each check of the sequential cycle run again on the filled cache: median wall
             time and peak RSS per check.

Wall time is measured around fork/exec/wait of the child; peak RSS is the child's ru_maxrss
as returned by os.wait4 (KiB on Linux). Only the standard library is used.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(ROOT, "plugins")
CA_FILE = os.path.join(ROOT, "nagios_nutanix", "emulator", "tls", "emulator-cert.pem")
USERNAME = "admin"
PASSWORD = "Nutanix/4u"
READY = re.compile(r"nutanix-emulator: scenario (\S+) listening on https://([^:/\s]+):(\d+)")

# Targets (see BENCHMARKS.md).
WARM_RATIO_TARGET = 4.0        # warm median <= 4 x `python -c pass`
WARM_RSS_TARGET_KIB = 30 * 1024  # warm peak RSS <= 30 MB
COLD_TARGET_S = 0.350          # cold median <= 350 ms

# One poll cycle of a poller watching the `large` scenario: (host label, check, extra args).
# The cluster host runs the cluster-scoped checks; each of the 16 node hosts runs the
# node-scoped checks with its FILTERNAME, as the generated configuration does.
NODE_HOSTS = 16
CLUSTER_CHECKS = ("cluster", "storage", "replication", "ncc", "alerts", "version")
NODE_CHECKS = ("cvm", "ahv", "disks", "migrations")
CYCLE = [("cluster", check, ()) for check in CLUSTER_CHECKS] + [
    ("node-%02d" % i, check, ("--filter-name", "node-%02d" % i))
    for i in range(1, NODE_HOSTS + 1) for check in NODE_CHECKS
]


# -- child processes --------------------------------------------------------------------------
def child_env(pycache_prefix=None):
    """The children's environment. With a pycache prefix, bytecode is written there (as an
    installed package would have it) instead of into the repository; without one, no bytecode
    is written or read for the package (PYTHONDONTWRITEBYTECODE)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("LC_ALL", "C")
    if pycache_prefix:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache_prefix
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    for name in ("NUTANIX_USERNAME", "NUTANIX_PASSWORD"):
        env.pop(name, None)
    return env


def maxrss_kib(rusage):
    # ru_maxrss is KiB on Linux and the BSDs, bytes on macOS.
    return rusage.ru_maxrss / 1024.0 if sys.platform == "darwin" else float(rusage.ru_maxrss)


class Child:
    """One child process whose wall time and peak RSS are taken from fork to wait4."""

    def __init__(self, argv, env):
        self.argv = argv
        self.out = tempfile.TemporaryFile()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=subprocess.STDOUT)

    def wait(self):
        _, status, rusage = os.wait4(self.proc.pid, 0)
        seconds = time.perf_counter() - self.started
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self.out.seek(0)
        output = self.out.read().decode("utf-8", "replace")
        self.out.close()
        return {"seconds": seconds, "rss_kib": maxrss_kib(rusage),
                "code": self.proc.returncode, "output": output}


def run_child(argv, env):
    return Child(argv, env).wait()


def no_site_env(env):
    """For `python -S`: no site module and no .pth files run at start-up, but the
    interpreter's site-packages stay importable through PYTHONPATH (requests is needed on a
    cache miss). Shows the start-up cost without what this machine's .pth files add."""
    import site

    env = dict(env)
    env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"]] + site.getsitepackages())
    return env


def check_argv(check, port, state_dir, extra=(), cache_ttl=None, flags=()):
    argv = [sys.executable] + list(flags) + [os.path.join(PLUGINS, "check_nutanix_%s" % check),
            "-H", "127.0.0.1", "-P", str(port), "-u", USERNAME, "-p", PASSWORD,
            "--ca-file", CA_FILE, "--state-dir", state_dir]
    if cache_ttl is not None:
        argv += ["--cache-ttl", str(cache_ttl)]
    return argv + list(extra)


def expect_ok(sample, what):
    first = sample["output"].splitlines()[0] if sample["output"] else ""
    if sample["code"] != 0 or not first.startswith("OK - "):
        raise SystemExit("bench: %s did not answer OK (exit %s):\n%s"
                         % (what, sample["code"], sample["output"].rstrip()))
    return first


# -- emulator ---------------------------------------------------------------------------------
class Emulator:
    def __init__(self, scenario, env, lifetime=3600, startup_timeout=30.0):
        self.scenario = scenario
        self.errors = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nagios_nutanix.emulator", "--scenario", scenario,
             "--port", "0", "--lifetime", str(lifetime)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=self.errors)
        self._ready = threading.Event()
        self.port = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._ready.wait(startup_timeout) or self.port is None:
            self.stop()
            self.errors.seek(0)
            raise SystemExit("bench: emulator (scenario %s) did not print its ready line "
                             "within %.0fs:\n%s" % (scenario, startup_timeout,
                                                    self.errors.read().decode("utf-8",
                                                                              "replace")))
        self._ssl = ssl.create_default_context(cafile=CA_FILE)

    def _read(self):
        # Keeps draining stdout so the emulator never blocks on a full pipe.
        for raw in self.proc.stdout:
            match = READY.search(raw.decode("utf-8", "replace"))
            if match and self.port is None:
                self.port = int(match.group(3))
                self._ready.set()
        self._ready.set()

    def _call(self, method, path):
        request = urllib.request.Request("https://127.0.0.1:%d%s" % (self.port, path),
                                         method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(request, context=self._ssl, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body.strip() else {}

    def stats(self):
        doc = self._call("GET", "/_emulator/stats")
        paths = {p: n for p, n in (doc.get("paths") or {}).items()
                 if not p.startswith("/_emulator")}
        return {"requests": int(doc.get("requests", 0)), "logins": int(doc.get("logins", 0)),
                "paths": paths}

    def reset(self):
        self._call("POST", "/_emulator/reset")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.errors.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


# -- statistics -------------------------------------------------------------------------------
def summary(values):
    values = sorted(values)
    if len(values) >= 2:
        deciles = statistics.quantiles(values, n=10, method="inclusive")
        p10, p90 = deciles[0], deciles[-1]
    else:
        p10 = p90 = values[0]
    return {"n": len(values), "median": statistics.median(values), "p10": p10, "p90": p90,
            "min": values[0], "max": values[-1]}


def fresh_dir(prefix):
    return tempfile.mkdtemp(prefix="nn-bench-%s-" % prefix)


# -- measurements -----------------------------------------------------------------------------
def measure_floor(runs, env, flags=()):
    argv = [sys.executable] + list(flags) + ["-c", "pass"]
    run_child(argv, env)  # priming run, not counted
    samples = [run_child(argv, env) for _ in range(runs)]
    return {"seconds": summary([s["seconds"] for s in samples]),
            "rss_kib": summary([s["rss_kib"] for s in samples])}


def measure_warm(emulator, runs, env, flags=()):
    state = fresh_dir("warm")
    argv = check_argv("cluster", emulator.port, state, cache_ttl=3600, flags=flags)
    try:
        warmup = run_child(argv, env)
        first = expect_ok(warmup, "warm-up run of check_nutanix_cluster")
        run_child(argv, env)  # priming run (bytecode of the warm path), not counted
        emulator.reset()
        samples = []
        for _ in range(runs):
            sample = run_child(argv, env)
            expect_ok(sample, "warm run of check_nutanix_cluster")
            samples.append(sample)
        counted = emulator.stats()
    finally:
        shutil.rmtree(state, ignore_errors=True)
    return {"seconds": summary([s["seconds"] for s in samples]),
            "rss_kib": summary([s["rss_kib"] for s in samples]),
            "requests_during_runs": counted["requests"], "logins_during_runs": counted["logins"],
            "paths_during_runs": counted["paths"], "output": first}


def measure_cold(emulator, runs, env):
    samples, requests, logins = [], [], []
    for attempt in range(runs + 1):
        state = fresh_dir("cold")
        try:
            emulator.reset()
            sample = run_child(check_argv("cluster", emulator.port, state), env)
            expect_ok(sample, "cold run of check_nutanix_cluster")
            counted = emulator.stats()
        finally:
            shutil.rmtree(state, ignore_errors=True)
        if attempt == 0:
            continue  # priming run (bytecode, page cache), not counted
        samples.append(sample)
        requests.append(counted["requests"])
        logins.append(counted["logins"])
    return {"seconds": summary([s["seconds"] for s in samples]),
            "rss_kib": summary([s["rss_kib"] for s in samples]),
            "requests_per_run": summary(requests), "logins_per_run": summary(logins)}


def cached_keys(state_dir):
    """The request keys held in a state directory's response cache: the distinct requests
    (path, query, page, body) the checks needed. The emulator counts per path only, so a
    paginated list shows as several requests on one path; this is what tells pages apart."""
    keys = set()
    for folder, _, files in os.walk(state_dir):
        for name in files:
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    header = json.loads(handle.readline())
            except (OSError, ValueError):
                continue
            if isinstance(header, dict) and isinstance(header.get("key"), str):
                keys.add(header["key"])
    return keys


def run_cycle(emulator, env, cache_ttl=None, concurrent=False, warm_rerun=False):
    """One poll cycle from a fresh state dir; emulator counters are reset first. With
    warm_rerun, the same cycle runs once more on the filled cache (as the next checks of the
    interval do) and each check's wall time is kept: the per-check warm figures."""
    state = fresh_dir("cycle")
    try:
        emulator.reset()
        started = time.perf_counter()
        argvs = [check_argv(check, emulator.port, state, extra, cache_ttl)
                 for _, check, extra in CYCLE]
        if concurrent:
            children = [Child(argv, env) for argv in argvs]
            samples = [child.wait() for child in children]
        else:
            samples = [run_child(argv, env) for argv in argvs]
        seconds = time.perf_counter() - started
        counted = emulator.stats()
        keys = cached_keys(state)
        warm = [run_child(argv, env) for argv in argvs] if warm_rerun else []
    finally:
        shutil.rmtree(state, ignore_errors=True)
    for (label, check, _), sample in zip(CYCLE + CYCLE, samples + warm):
        expect_ok(sample, "cycle run of check_nutanix_%s for %s" % (check, label))
    return {"seconds": seconds, "requests": counted["requests"], "logins": counted["logins"],
            "paths": counted["paths"], "distinct_requests": len(keys),
            "check_seconds": [s["seconds"] for s in samples],
            "warm_check_seconds": [(check, s["seconds"], s["rss_kib"])
                                   for (_, check, _), s in zip(CYCLE, warm)]}


def measure_cycles(emulator, cycles, env):
    modes = {
        "sequential_cache_on": {"cache_ttl": None, "concurrent": False, "warm_rerun": True},
        "sequential_cache_off": {"cache_ttl": 0, "concurrent": False},
        "concurrent_cache_on": {"cache_ttl": None, "concurrent": True},
    }
    found = {}
    for name, mode in modes.items():
        rounds = [run_cycle(emulator, env, **mode) for _ in range(cycles)]
        paths = {}
        for r in rounds:
            for path, count in r["paths"].items():
                paths[path] = max(paths.get(path, 0), count)
        found[name] = {
            "checks": len(CYCLE),
            "seconds": summary([r["seconds"] for r in rounds]),
            "requests": summary([r["requests"] for r in rounds]),
            "logins": summary([r["logins"] for r in rounds]),
            "distinct_paths": max(len(r["paths"]) for r in rounds),
            # Only known with the cache on (the cache holds one entry per distinct request).
            "distinct_requests": max(r["distinct_requests"] for r in rounds) or None,
            "requests_over_distinct": max(
                (r["requests"] - r["distinct_requests"]
                 for r in rounds if r["distinct_requests"]), default=None),
            "max_requests_per_path": max(max(r["paths"].values(), default=0) for r in rounds),
            "paths_worst_round": dict(sorted(paths.items())),
        }
        warm = [w for r in rounds for w in r["warm_check_seconds"]]
        if warm:
            found[name]["warm_checks"] = {
                check: {"seconds": summary([s for c, s, _ in warm if c == check]),
                        "rss_kib": summary([k for c, _, k in warm if c == check])}
                for check in sorted({c for c, _, _ in warm})}
            found[name]["warm_all"] = {"seconds": summary([s for _, s, _ in warm]),
                                       "rss_kib": summary([k for _, _, k in warm])}
    return found


# -- report -----------------------------------------------------------------------------------
def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    return {"python": platform.python_version(), "implementation":
            platform.python_implementation(), "executable": sys.executable,
            "cpus": os.cpu_count(), "platform": platform.platform(),
            "processor": cpu_model(), "loadavg_at_start": load_average()}


def load_average():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def code_version():
    """The commit measured, and whether the working tree differed from it."""
    def git(*args):
        try:
            return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True,
                                  text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no",
                                        "--", "nagios_nutanix", "plugins").splitlines()]
    return {"commit": commit, "uncommitted_changes": changed}


def verdicts(results):
    warm, cold, floor = results["warm"], results["cold"], results["floor"]
    ratio = warm["seconds"]["median"] / floor["seconds"]["median"]
    results["warm_over_floor"] = ratio
    ratio_no_site = (results["warm_no_site"]["seconds"]["median"]
                     / results["floor_no_site"]["seconds"]["median"])
    results["warm_over_floor_no_site"] = ratio_no_site
    found = []
    found.append(("warm median <= %.0fx python -c pass" % WARM_RATIO_TARGET,
                  "%.2fx" % ratio, ratio <= WARM_RATIO_TARGET))
    found.append(("  same, both under python -S (no .pth start-up cost)",
                  "%.2fx" % ratio_no_site, ratio_no_site <= WARM_RATIO_TARGET))
    rss = warm["rss_kib"]["max"]
    found.append(("warm peak RSS <= %d MiB (worst run)" % (WARM_RSS_TARGET_KIB // 1024),
                  "%.1f MiB" % (rss / 1024.0), rss <= WARM_RSS_TARGET_KIB))
    found.append(("warm runs make no request", "%d requests, %d logins"
                  % (warm["requests_during_runs"], warm["logins_during_runs"]),
                  warm["requests_during_runs"] == 0))
    cold_ms = cold["seconds"]["median"] * 1000
    found.append(("cold median <= %d ms" % (COLD_TARGET_S * 1000), "%.0f ms" % cold_ms,
                  cold_ms <= COLD_TARGET_S * 1000))
    for mode in ("sequential_cache_on", "concurrent_cache_on"):
        cycle = results["cycle"][mode]
        logins, extra = cycle["logins"]["max"], cycle["requests_over_distinct"]
        found.append(("cycle %s: 1 login, <= 1 request/endpoint"
                      % mode.replace("_cache_on", ""),
                      "%d login(s), %d requests for %s distinct"
                      % (logins, cycle["requests"]["max"], cycle["distinct_requests"]),
                      logins == 1 and extra is not None and extra <= 0))
    warm_all = results["cycle"]["sequential_cache_on"].get("warm_all")
    if warm_all:
        ratio = warm_all["seconds"]["median"] / floor["seconds"]["median"]
        found.append(("cycle: median warm check <= %.0fx python -c pass" % WARM_RATIO_TARGET,
                      "%.2fx (%.1f ms)" % (ratio, warm_all["seconds"]["median"] * 1000),
                      ratio <= WARM_RATIO_TARGET))
        rss = warm_all["rss_kib"]["max"]
        found.append(("cycle: warm peak RSS <= %d MiB (worst check)"
                      % (WARM_RSS_TARGET_KIB // 1024), "%.1f MiB" % (rss / 1024.0),
                      rss <= WARM_RSS_TARGET_KIB))
    results["targets"] = [{"target": t, "measured": m, "met": ok} for t, m, ok in found]
    return found


def ms(value):
    return "%.1f" % (value * 1000)


def print_report(results, argv):
    facts = results["machine"]
    print()
    print("command:  %s" % " ".join(argv))
    print("machine:  Python %s (%s), %s CPUs (%s), %s" % (
        facts["python"], facts["implementation"], facts["cpus"], facts["processor"],
        facts["platform"]))
    print("load:     %s (1/5/15 min load average when the benchmark started)"
          % " ".join(str(x) for x in facts["loadavg_at_start"] or ["unknown"]))
    code = results["code"]
    print("code:     commit %s%s" % (code["commit"], " + uncommitted changes in %s"
                                     % ", ".join(code["uncommitted_changes"])
                                     if code["uncommitted_changes"] else ""))
    print("runs:     %d per measurement, %d per cycle mode" % (results["runs"],
                                                           results["cycles"]))
    print("bytecode: %s" % results["bytecode"])
    print()
    head = "%-34s %9s %9s %9s %9s %9s %10s"
    print(head % ("measurement (wall ms)", "median", "p10", "p90", "min", "max", "maxRSS MiB"))
    print("-" * 96)
    for label, key in (("(a) warm check", "warm"), ("(b) cold check", "cold"),
                       ("(c) floor: python -c pass", "floor"),
                       ("(a-S) warm check, python -S", "warm_no_site"),
                       ("(c-S) floor: python -S -c pass", "floor_no_site")):
        s = results[key]["seconds"]
        print(head % (label, ms(s["median"]), ms(s["p10"]), ms(s["p90"]), ms(s["min"]),
                      ms(s["max"]), "%.1f" % (results[key]["rss_kib"]["max"] / 1024.0)))
    print("%-34s %9.2f" % ("(a)/(c) median ratio", results["warm_over_floor"]))
    print("%-34s %9.2f   (no site, no .pth files: start-up without this machine's extras)"
          % ("(a-S)/(c-S) median ratio", results["warm_over_floor_no_site"]))
    cold = results["cold"]
    print("cold run: %.0f requests, %.0f login(s) per run (median); warm runs: %d requests, "
          "%d logins in total" % (cold["requests_per_run"]["median"],
                                  cold["logins_per_run"]["median"],
                                  results["warm"]["requests_during_runs"],
                                  results["warm"]["logins_during_runs"]))
    print()
    head = "%-30s %7s %9s %9s %7s %6s %9s %9s"
    print(head % ("(d) poll cycle, %d checks" % len(CYCLE), "wall s", "requests", "distinct",
                  "logins", "paths", "max/path", "ms/check"))
    print("-" * 96)
    for mode, cycle in results["cycle"].items():
        distinct = cycle["distinct_requests"]
        print(head % (mode.replace("_", " "), "%.2f" % cycle["seconds"]["median"],
                      "%.0f" % cycle["requests"]["max"], "-" if distinct is None else distinct,
                      "%.0f" % cycle["logins"]["max"], cycle["distinct_paths"],
                      cycle["max_requests_per_path"],
                      ms(cycle["seconds"]["median"] / cycle["checks"])))
    print("(scenario large; requests, logins: worst round; wall s: median round; distinct: "
          "distinct requests incl. pages, from the cache; max/path: pages count per path)")
    warm = results["cycle"]["sequential_cache_on"].get("warm_checks")
    if warm:
        print()
        head = "%-34s %9s %9s %9s %9s %9s %10s"
        print(head % ("(e) warm check in the cycle (ms)", "median", "p10", "p90", "min", "max",
                      "maxRSS MiB"))
        print("-" * 96)
        rows = sorted(warm.items()) + [
            ("all checks", results["cycle"]["sequential_cache_on"]["warm_all"])]
        for check, figures in rows:
            s = figures["seconds"]
            print(head % (check, ms(s["median"]), ms(s["p10"]), ms(s["p90"]), ms(s["min"]),
                          ms(s["max"]), "%.1f" % (figures["rss_kib"]["max"] / 1024.0)))
        print("(the sequential cycle run again on its filled cache; runs per check: hosts x "
              "rounds)")
    print()
    print("%-56s %-34s %s" % ("target", "measured", "met"))
    print("-" * 96)
    for t in results["targets"]:
        print("%-56s %-34s %s" % (t["target"], t["measured"], "yes" if t["met"] else "NO"))
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="runs per measurement (30)")
    parser.add_argument("--cycles", type=int, default=5,
                        help="rounds of each poll-cycle mode (5; each round is %d checks)"
                        % len(CYCLE))
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="run the children with PYTHONDONTWRITEBYTECODE=1 (every run "
                             "compiles the package from source) instead of with a bytecode "
                             "cache in a temporary PYTHONPYCACHEPREFIX, as an install has")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.cycles < 1:
        parser.error("--runs and --cycles must be at least 1")
    pycache = None if args.no_bytecode else tempfile.mkdtemp(prefix="nn-bench-pycache-")
    try:
        return measure_all(args, child_env(pycache))
    finally:
        if pycache:
            shutil.rmtree(pycache, ignore_errors=True)


def measure_all(args, env):
    results = {"machine": machine(), "code": code_version(), "runs": args.runs,
               "cycles": args.cycles,
               "bytecode": "none (PYTHONDONTWRITEBYTECODE=1)" if args.no_bytecode
               else "cached (PYTHONPYCACHEPREFIX, primed before measuring)",
               "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

    print("(c) floor: python -c pass x %d" % args.runs, flush=True)
    results["floor"] = measure_floor(args.runs, env)
    results["floor_no_site"] = measure_floor(args.runs, no_site_env(env), flags=("-S",))
    with Emulator("healthy", env) as emulator:
        print("emulator: scenario healthy on port %d" % emulator.port, flush=True)
        print("(a) warm check x %d" % args.runs, flush=True)
        results["warm"] = measure_warm(emulator, args.runs, env)
        print("    %s" % results["warm"]["output"][:100], flush=True)
        print("(a) warm check with python -S x %d" % args.runs, flush=True)
        results["warm_no_site"] = measure_warm(emulator, args.runs, no_site_env(env),
                                               flags=("-S",))
        print("(b) cold check x %d" % args.runs, flush=True)
        results["cold"] = measure_cold(emulator, args.runs, env)
    with Emulator("large", env) as emulator:
        print("emulator: scenario large on port %d" % emulator.port, flush=True)
        print("(d) poll cycle of %d checks, 3 modes x %d rounds" % (len(CYCLE), args.cycles),
              flush=True)
        results["cycle"] = measure_cycles(emulator, args.cycles, env)
    results["cycle_definition"] = [{"host": h, "check": c, "args": list(a)} for h, c, a in CYCLE]

    verdicts(results)
    print_report(results, [os.path.basename(sys.executable)] + sys.argv)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2, sort_keys=True)
            handle.write("\n")
        print("results written to %s" % args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
