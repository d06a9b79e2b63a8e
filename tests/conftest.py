"""Shared fixtures: real emulator processes on 127.0.0.1 and a runner for the real executables."""

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CA_FILE = os.path.join(ROOT, "nagios_nutanix", "emulator", "tls", "emulator-cert.pem")
PASSWORD = "Nutanix/4u"


def closed_port():
    """A local port nothing listens on (bound then released)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class EmulatorProcess:
    """`nutanix-emulator` as a child process, controlled through its /_emulator/ endpoints."""

    def __init__(self, scenario, *extra):
        self.scenario = scenario
        env = dict(os.environ, PYTHONPATH=ROOT)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nagios_nutanix.emulator", "--scenario", scenario,
             "--port", "0", "--lifetime", "900"] + list(extra),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        line = self.proc.stdout.readline()
        if "listening on https://127.0.0.1:" not in line:
            self.proc.kill()
            raise RuntimeError("emulator did not start: %r %s" % (line, self.proc.stderr.read()))
        self.port = int(line.rsplit(":", 1)[1])
        self.url = "https://127.0.0.1:%d" % self.port
        self._tls = ssl.create_default_context(cafile=CA_FILE)

    def control(self, method, name, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + "/_emulator/" + name, data=data,
                                         method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self._tls, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def stats(self):
        return self.control("GET", "stats")

    def reset(self):
        self.control("POST", "reset")

    def faults(self, faults):
        self.control("POST", "faults", faults)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="session")
def emulators():
    started = {}

    def get(scenario, *extra):
        key = (scenario,) + extra
        if key not in started:
            started[key] = EmulatorProcess(scenario, *extra)
        return started[key]

    yield get
    for emulator in started.values():
        emulator.stop()


@pytest.fixture
def healthy(emulators):
    """The `healthy` emulator with no faults and zeroed counters."""
    emulator = emulators("healthy")
    emulator.faults([])
    emulator.reset()
    yield emulator
    emulator.faults([])


class CheckRun:
    def __init__(self, done):
        self.code = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr
        self.lines = done.stdout.splitlines()
        self.first = self.lines[0] if self.lines else ""
        self.summary, _, self.perfdata = self.first.partition(" | ")

    def __repr__(self):
        return "CheckRun(exit %d, %r, stderr %r)" % (self.code, self.stdout, self.stderr[-500:])

    def expect(self, code, first, perf=()):
        """What a poller keeps of a run: the exit code, the exact first line (without its
        perfdata), and whole perfdata items (labels may contain blanks)."""
        assert (self.code, self.summary) == (code, first), self
        padded = " %s " % self.perfdata
        for item in perf:
            assert " %s " % item in padded, (item, self.perfdata)


@pytest.fixture
def state_dir(tmp_path):
    path = tmp_path / "state"
    return str(path)


@pytest.fixture
def run_check(state_dir):
    """Run the real thin executable plugins/check_nutanix_<check> against an emulator."""

    def run(emulator, *args, check="cluster", ca=True, creds=True, state=None, env=None,
            timeout=60):
        argv = [sys.executable, os.path.join(ROOT, "plugins", "check_nutanix_%s" % check)]
        if emulator is not None:
            argv += ["-H", "127.0.0.1", "-P", str(emulator.port)]
        if ca:
            argv += ["--ca-file", CA_FILE]
        if creds:
            argv += ["-u", "admin"]
        argv += ["--state-dir", state or state_dir]
        argv += list(args)
        environ = dict(os.environ, PYTHONPATH=ROOT)
        environ.pop("NUTANIX_USERNAME", None)
        environ.pop("NUTANIX_PASSWORD", None)
        if creds:
            environ["NUTANIX_PASSWORD"] = PASSWORD
        environ.update(env or {})
        done = subprocess.run(argv, capture_output=True, text=True,
                              env=environ, timeout=timeout, cwd=ROOT)
        return CheckRun(done)

    return run


# -- SNMP: snmpsim agents generated from a scenario, and the SNMP checks run against them -----

SNMP_BACKENDS = ("easysnmp", "pysnmp")


def _unavailable(reason):
    """Skip with the reason on a developer machine; on CI (`make test` installs everything)
    a missing SNMP dependency is a failure, never a silent skip."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def require_snmp_backend(backend):
    try:
        if backend == "easysnmp":
            import easysnmp  # noqa: F401
        else:
            import pysnmp.entity.engine  # noqa: F401
    except ImportError as exc:
        _unavailable("SNMP backend %s cannot be imported: %s" % (backend, exc))


@pytest.fixture(scope="session")
def snmp_agents():
    """snmp_agents(scenario) -> a running SnmpAgents (one snmpsim per scenario, session-wide,
    stopped at the end of the session and by its own 900 s lifetime)."""
    from nagios_nutanix.emulator.snmpagents import SnmpAgents, snmpsim_missing

    started = {}

    def get(scenario):
        if scenario not in started:
            missing = snmpsim_missing()
            if missing:
                _unavailable(missing)
            started[scenario] = SnmpAgents(scenario, lifetime=900).start()
        return started[scenario]

    yield get
    for agents in started.values():
        agents.stop()


@pytest.fixture
def run_snmp_check(state_dir):
    """Run plugins/check_nutanix_<check> against snmpsim: v2c community `public` (the
    NUTANIX-MIB checks default to v3, so `--snmp-version 2c` is given), or v3 with one of the
    scenario's users (`version="3", user="monitor"`)."""

    def run(agents, *args, check="snmp-cluster", host=None, node=None, version="2c",
            user="monitor", backend=None, credentials=True, env=None, timeout=60):
        if backend:
            require_snmp_backend(backend)
        if host is None:
            host = agents.host_address(node) if node else agents.cvm_address()
        argv = [sys.executable, os.path.join(ROOT, "plugins", "check_nutanix_%s" % check),
                "-H", host, "--snmp-port", str(agents.port)]
        if credentials and version == "2c":
            argv += ["--snmp-version", "2c", "-C", "public"]
        elif credentials:
            account = agents.user(user)
            argv += ["--snmp-version", "3", "--snmp-user", account["name"]]
            if account.get("auth_password"):
                argv += ["--auth-protocol", account["auth_protocol"],
                         "--auth-password", account["auth_password"]]
            if account.get("priv_password"):
                argv += ["--priv-protocol", account["priv_protocol"],
                         "--priv-password", account["priv_password"]]
        if backend:
            argv += ["--snmp-backend", backend]
        argv += list(args)
        environ = dict(os.environ, PYTHONPATH=ROOT)
        for name in ("NUTANIX_SNMP_COMMUNITY", "NUTANIX_SNMP_USER", "NUTANIX_SNMP_AUTH_PASSWORD",
                     "NUTANIX_SNMP_PRIV_PASSWORD"):
            environ.pop(name, None)
        environ.update(env or {})
        done = subprocess.run(argv, capture_output=True, text=True, env=environ,
                              timeout=timeout, cwd=ROOT)
        return CheckRun(done)

    return run
