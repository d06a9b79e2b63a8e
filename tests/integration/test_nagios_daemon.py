"""The real Nagios 4 daemon runs what nutanix-templates generates, against the emulator.

Three clusters: EDGE-C behind its own Prism Element (the node-down scenario, renamed: node-03's
CVM is off), PROD-A and DR-B behind one Prism Central (DR-B's dr-node-02 is degraded). Nodes are
discovered from Prism. `nagios4 -v` must load the result with zero errors and zero warnings;
then the daemon runs every service once and status.dat must show the state each scenario
implies, with every node-scoped service speaking of its own node.

Nagios started as root drops to its `nagios` user, which cannot read a virtualenv under root's
home. So the test runs the checks from a world-readable copy under /tmp: the package, the
thin executables (through a wrapper that sets PYTHONPATH), the Python dependencies, and a
Python interpreter that the daemon's user has been seen to run.
"""

import getpass
import grp
import importlib.util
import os
import pwd
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

import pytest
from conftest import CA_FILE, PASSWORD, ROOT, EmulatorProcess

from nagios_nutanix.checks import names
from nagios_nutanix.config import generate

NAGIOS = shutil.which("nagios4") or shutil.which("nagios")
pytestmark = pytest.mark.skipif(NAGIOS is None, reason="Nagios 4 is not installed (Debian "
                                "package nagios4-core; `make test` installs it as root)")

# What each scenario implies, per check (data-driven: a check that is not registered is not
# asserted). Host names follow node_host_name "{cluster}-{node}".
EXPECTED = {
    "cluster": {"EDGE-C": 2, "PROD-A": 0, "DR-B": 2},
    "cvm": {"EDGE-C-node-03": 2, "EDGE-C-node-01": 0, "EDGE-C-node-02": 0,
            "EDGE-C-node-04": 0},
    # Over SNMP (EDGE-C only, when snmpsim is installed): the broken node is never OK. It is
    # UNKNOWN today: with node-03's CVM down, the agent's tables no longer tie that CVM to the
    # host name node-03 that the node host filters on; CRITICAL once snmp-cvm can.
    "snmp-cvm": {"EDGE-C-node-03": (2, 3), "EDGE-C-node-01": 0, "EDGE-C-node-02": 0},
    # The same for the disks the agent lists per CVM: the powered-off CVM's disks can no
    # longer be tied to node-03, which is UNKNOWN (never OK).
    "snmp-disks": {"EDGE-C-node-03": (2, 3), "EDGE-C-node-01": 0, "EDGE-C-node-02": 0},
}
DEPENDENCIES = ("requests", "urllib3", "idna", "certifi", "charset_normalizer", "yaml",
                "pysnmp", "pyasn1")
EDGE_SCENARIO = """\
extends: node-down
description: EDGE-C, the node-down scenario under another name (node-03's CVM is off)
cluster:
  name: EDGE-C
  external_ip: 10.30.1.10
"""


def _run_as(user, argv, env):
    """Run argv as `user` (we are root) or as ourselves."""
    if os.geteuid() == 0 and user != "root":
        info = pwd.getpwnam(user)
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60,
                              user=info.pw_uid, group=info.pw_gid, extra_groups=[],
                              cwd="/")
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, cwd="/")


def _copy_world_readable(source, target):
    if os.path.isdir(source):
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, target)
    for folder, _dirs, files in os.walk(target):
        os.chmod(folder, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            os.chmod(path, 0o755 if os.access(path, os.X_OK) else 0o644)


def _daemon_user():
    if os.geteuid() != 0:
        return getpass.getuser(), grp.getgrgid(os.getegid()).gr_name
    return "nagios", "nagios"


class Poller:
    """A world-readable poller tree under /tmp: checks, Python path, state, Nagios var."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="nagios-nutanix-poller-", dir="/tmp")
        try:
            self._build()
        except BaseException:  # pytest.fail included: leave nothing behind in /tmp
            self.cleanup()
            raise

    def _build(self):
        os.chmod(self.root, 0o755)
        self.user, self.group = _daemon_user()
        self.lib = os.path.join(self.root, "lib")
        self.deps = os.path.join(self.root, "deps")
        self.plugins = os.path.join(self.root, "plugins")
        self.var = os.path.join(self.root, "var")
        self.state = os.path.join(self.var, "state")
        self.etc = os.path.join(self.root, "etc")
        for folder in (self.lib, self.deps, self.plugins, self.etc):
            os.makedirs(folder)
            os.chmod(folder, 0o755)
        for folder in (self.var, self.state, os.path.join(self.var, "spool"),
                       os.path.join(self.var, "rw"), os.path.join(self.var, "tmp")):
            os.makedirs(folder, exist_ok=True)
        _copy_world_readable(os.path.join(ROOT, "nagios_nutanix"),
                             os.path.join(self.lib, "nagios_nutanix"))
        _copy_world_readable(os.path.join(ROOT, "plugins"), os.path.join(self.lib, "plugins"))
        for module in DEPENDENCIES:
            spec = importlib.util.find_spec(module)
            if spec is None:
                continue
            origin = (spec.submodule_search_locations[0] if spec.submodule_search_locations
                      else spec.origin)
            _copy_world_readable(origin, os.path.join(self.deps, os.path.basename(origin)))
        self.ca = os.path.join(self.etc, "prism-ca.pem")
        _copy_world_readable(CA_FILE, self.ca)
        self.auth = os.path.join(self.etc, "prism.auth")
        self.snmp_auth = os.path.join(self.etc, "snmp.auth")
        for path, text in ((self.auth, "username = admin\npassword = %s\n" % PASSWORD),
                           (self.snmp_auth, "community = public\n")):
            with open(path, "w") as handle:
                handle.write(text)
            os.chmod(path, 0o600)
        if os.geteuid() == 0:
            uid, gid = pwd.getpwnam(self.user).pw_uid, grp.getgrnam(self.group).gr_gid
            os.chown(self.auth, uid, gid)
            os.chown(self.snmp_auth, uid, gid)
            for folder, _dirs, _files in os.walk(self.var):
                os.chown(folder, uid, gid)
        self.python = self._find_python()

    def environment(self):
        return {"PATH": "/usr/bin:/bin", "PYTHONPATH": "%s:%s" % (self.lib, self.deps),
                "NAGIOS_NUTANIX_STATE_DIR": self.state, "LC_ALL": "C.UTF-8"}

    def _find_python(self):
        """The first interpreter the daemon's user can run our checks with."""
        candidates = [sys.executable, os.path.realpath(sys.executable),
                      shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin"),
                      "/usr/bin/python3"]
        tried = []
        for python in dict.fromkeys(c for c in candidates if c):
            try:
                done = _run_as(self.user, [python, "-c", "import requests, nagios_nutanix."
                                           "plugin.runner, nagios_nutanix.prism.transport"],
                               self.environment())
            except OSError as exc:  # e.g. an interpreter under root's home
                tried.append("%s: %s" % (python, exc.strerror))
                continue
            if done.returncode == 0:
                return python
            tried.append("%s: %s" % (python, (done.stderr.strip().splitlines() or ["?"])[-1]))
        pytest.fail("no Python interpreter the %s user can run the checks with: %s"
                    % (self.user, "; ".join(tried)))

    def install_checks(self):
        """plugins/check_nutanix_<name>: a wrapper that runs the shipped thin executable."""
        env = self.environment()
        for name in names():
            path = os.path.join(self.plugins, "check_nutanix_%s" % name)
            with open(path, "w") as handle:
                handle.write("#!/bin/sh\n")
                for key, value in env.items():
                    handle.write("%s='%s'; export %s\n" % (key, value, key))
                handle.write("exec '%s' '%s' \"$@\"\n" % (
                    self.python, os.path.join(self.lib, "plugins", "check_nutanix_%s" % name)))
            os.chmod(path, 0o755)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def free_udp_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def wait_for_snmp(emulator, seconds=90):
    """The emulator's second line says its snmpsim agents are up; None if they are not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([emulator.proc.stdout], [], [], 1)
        if ready:
            line = emulator.proc.stdout.readline()
            if "snmp agents" in line:
                return line
            if not line:
                return None
    return None


def write_inventory(poller, edge, central, snmp_port):
    path = os.path.join(poller.etc, "inventory.yaml")
    snmp = ("\n    snmp: {version: 2c, port: %d, address: 127.0.0.1, node_address: cluster, "
            "auth_file: %s}\n    exclude_checks: [snmp-ahv]   # the AHV agents are not "
            "at the discovered host addresses" % (snmp_port, poller.snmp_auth)
            if snmp_port else "")
    with open(path, "w") as handle:
        handle.write("""\
defaults:
  credentials: {auth_file: %(auth)s}
  ca_file: %(ca)s
  node_host_name: "{cluster}-{node}"
clusters:
  - name: EDGE-C
    prism: 127.0.0.1
    port: %(edge)d
    type: pe
    discover: true%(snmp)s
  - {name: PROD-A, prism: 127.0.0.1, port: %(central)d, type: pc, discover: true}
  - {name: DR-B, prism: 127.0.0.1, port: %(central)d, type: pc, discover: true}
nagios:
  plugin_dir: $USER1$
  host_check_command: nutanix-test-host-up
  check_interval: 60
  retry_interval: 60
  max_check_attempts: 1
""" % {"auth": poller.auth, "ca": poller.ca, "edge": edge.port, "central": central.port,
       "snmp": snmp})
    return path


def write_nagios_cfg(poller, generated):
    objects = sorted(
        os.path.join(folder, name) for folder, _, files in os.walk(generated)
        for name in files if name.endswith(".cfg") and name not in ("nagios.cfg",
                                                                     "resource.cfg"))
    extra = os.path.join(poller.etc, "test-objects.cfg")
    with open(extra, "w") as handle:
        handle.write("define command {\n    command_name    nutanix-test-host-up\n"
                     "    command_line    /bin/true\n}\n")
    resource = os.path.join(poller.etc, "resource.cfg")
    with open(resource, "w") as handle:
        handle.write("$USER1$=%s\n" % poller.plugins)
    var = poller.var
    lines = ["cfg_file=%s" % path for path in objects + [extra]] + [
        "resource_file=%s" % resource,
        "log_file=%s/nagios.log" % var,
        "status_file=%s/status.dat" % var,
        "status_update_interval=1",
        "object_cache_file=%s/objects.cache" % var,
        "precached_object_file=%s/objects.precache" % var,
        "lock_file=%s/nagios.lock" % var,
        "temp_file=%s/nagios.tmp" % var,
        "temp_path=%s/tmp" % var,
        "check_result_path=%s/spool" % var,
        "command_file=%s/rw/nagios.cmd" % var,
        "check_external_commands=0",
        "state_retention_file=%s/retention.dat" % var,
        "retain_state_information=0",
        "nagios_user=%s" % poller.user,
        "nagios_group=%s" % poller.group,
        "interval_length=1",
        "check_result_reaper_frequency=1",
        "service_inter_check_delay_method=n",
        "host_inter_check_delay_method=n",
        "max_concurrent_checks=4",
        "service_check_timeout=60",
        "use_syslog=0",
        "enable_notifications=0",
        "enable_flap_detection=0",
        "process_performance_data=0",
        "check_for_updates=0",
        "illegal_object_name_chars=`~!$%^&*|'\"<>?,()=",
        "illegal_macro_output_chars=`~$&|'\"<>",
    ]
    path = os.path.join(poller.etc, "nagios.cfg")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    for name in (path, extra, resource):
        os.chmod(name, 0o644)
    for folder, _, files in os.walk(generated):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return path


def read_status(path):
    """servicestatus blocks of status.dat as dicts."""
    services, block, kind = [], None, None
    with open(path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            line = raw.strip()
            if line.endswith("{"):
                kind, block = line[:-1].strip(), {}
            elif line == "}":
                if kind == "servicestatus":
                    services.append(block)
                block = kind = None
            elif block is not None and "=" in line:
                key, _, value = line.partition("=")
                block[key] = value
    return services


@pytest.fixture(scope="module")
def world():
    poller = Poller()
    edge_file = os.path.join(poller.etc, "edge-c.yaml")
    with open(edge_file, "w") as handle:
        handle.write(EDGE_SCENARIO)
    from nagios_nutanix.emulator.snmpagents import snmpsim_missing

    snmp_port = None if snmpsim_missing() else free_udp_port()
    edge = EmulatorProcess(edge_file, *(["--snmp-port", str(snmp_port)] if snmp_port else []))
    central = EmulatorProcess("prism-central")
    try:
        if snmp_port and not wait_for_snmp(edge):
            snmp_port = None  # the Prism part still runs; the SNMP expectations are skipped
        poller.snmp = bool(snmp_port)
        poller.install_checks()
        inventory = write_inventory(poller, edge, central, snmp_port)
        generated = os.path.join(poller.root, "generated")
        code = generate.main(["--format", "nagios", "--inventory", inventory, "--output",
                              generated, "--nagios-cfg", "--state-dir",
                              os.path.join(poller.root, "discovery")])
        assert code == 0
        cfg = write_nagios_cfg(poller, generated)
        yield poller, cfg, generated
    finally:
        edge.stop()
        central.stop()
        poller.cleanup()


def test_nagios_verifies_the_generated_tree_without_errors_or_warnings(world):
    poller, cfg, generated = world
    done = subprocess.run([NAGIOS, "-v", cfg], capture_output=True, text=True, timeout=60)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "Total Warnings: 0" in out and "Total Errors:   0" in out, out
    assert "Warning:" not in out, out


def test_every_node_is_a_host_of_its_own(world):
    poller, cfg, generated = world
    with open(os.path.join(generated, "hosts", "EDGE-C.cfg")) as handle:
        text = handle.read()
    for node in ("node-01", "node-02", "node-03", "node-04"):
        assert "host_name               EDGE-C-%s\n" % node in text
        assert "_FILTERNAME             %s\n" % node in text
    with open(os.path.join(generated, "hosts", "DR-B.cfg")) as handle:
        assert "_NTNX_CLUSTER           DR-B\n" in handle.read()


def test_the_daemon_runs_every_service_with_the_state_its_scenario_implies(world):
    poller, cfg, generated = world
    status = os.path.join(poller.var, "status.dat")
    daemon = subprocess.run([NAGIOS, "-d", cfg], capture_output=True, text=True, timeout=60)
    assert daemon.returncode == 0, daemon.stdout + daemon.stderr
    pid = None
    try:
        services, deadline = [], time.monotonic() + 240
        while time.monotonic() < deadline:
            if pid is None and os.path.exists(os.path.join(poller.var, "nagios.lock")):
                with open(os.path.join(poller.var, "nagios.lock")) as handle:
                    text = handle.read().strip()
                pid = int(text) if text.isdigit() else None
            if os.path.exists(status):
                services = read_status(status)
                if services and all(s.get("has_been_checked") == "1" for s in services):
                    break
            time.sleep(1)
        log = open(os.path.join(poller.var, "nagios.log"), errors="replace").read()
        unchecked = [(s["host_name"], s["service_description"]) for s in services
                     if s.get("has_been_checked") != "1"]
        assert services and not unchecked, (unchecked, log[-3000:])
    finally:
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    if os.geteuid() == 0:  # the checks ran as the daemon's user, not as root
        assert stat.S_IMODE(os.stat(poller.state).st_mode) and os.stat(
            poller.state).st_uid == pwd.getpwnam(poller.user).pw_uid
    by_key = {(s["host_name"], s["service_description"]): s for s in services}
    registered = set(names())
    node_hosts = {"EDGE-C-node-0%d" % i: ("EDGE-C", "node-0%d" % i) for i in range(1, 5)}
    node_hosts.update({"PROD-A-node-0%d" % i: ("PROD-A", "node-0%d" % i) for i in range(1, 5)})
    node_hosts.update({"DR-B-dr-node-0%d" % i: ("DR-B", "dr-node-0%d" % i)
                       for i in range(1, 4)})
    # Every registered check ran on every host of its scope.
    from nagios_nutanix.config.catalog import checks, service_name

    for check in checks():
        if check.protocol != "prism":
            continue
        hosts = ["EDGE-C", "PROD-A", "DR-B"] if check.scope == "cluster" else list(node_hosts)
        for host in hosts:
            assert (host, check.service) in by_key, (host, check.service, sorted(by_key))
    # The states the scenarios imply.
    asserted = 0
    for name, states in EXPECTED.items():
        if name not in registered or (name.startswith("snmp-") and not poller.snmp):
            continue
        for host, state in states.items():
            service = by_key[(host, service_name(name))]
            assert int(service["current_state"]) in (
                state if isinstance(state, tuple) else (state,)), (
                host, name, service.get("plugin_output"), service.get("long_plugin_output"))
            asserted += 1
    assert asserted >= len(EXPECTED["cluster"])
    # No service failed on its command line: every macro the commands use is wired.
    for (host, description), service in by_key.items():
        output = service.get("plugin_output", "")
        assert "bad command line" not in output, (host, description, output)
        assert "internal error" not in output, (host, description, output)
        assert "no Prism credentials" not in output, (host, description, output)
    # UNKNOWN only where a scenario says so: every other service got a real answer.
    may_be_unknown = {(host, service_name(name)) for name, states in EXPECTED.items()
                      for host, state in states.items()
                      if 3 in (state if isinstance(state, tuple) else (state,))}
    unknown = sorted((key, s.get("plugin_output")) for key, s in by_key.items()
                     if s["current_state"] == "3" and key not in may_be_unknown)
    assert not unknown, unknown
    # Every node-scoped service speaks of its own node: "STATE - CLUSTER/node: ..." (over
    # SNMP the NUTANIX-MIB agent may name the node's CVM instead).
    snmp_services = {c.service for c in checks() if c.protocol == "snmp"}
    for (host, description), service in by_key.items():
        if host in node_hosts:
            cluster, node = node_hosts[host]
            output = service.get("plugin_output", "")
            if (host, description) in may_be_unknown and service["current_state"] == "3":
                continue
            if description in snmp_services:
                assert " - %s/" % cluster in output, (host, description, output)
            else:
                assert " - %s/%s: " % (cluster, node) in output, (host, description, output)
    if poller.snmp:  # the SNMP wiring (version, port, auth file) reached the agent
        assert by_key[("EDGE-C", "Nutanix-Snmp-Cluster")]["current_state"] != "3", by_key[
            ("EDGE-C", "Nutanix-Snmp-Cluster")]
