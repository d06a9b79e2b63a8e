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
