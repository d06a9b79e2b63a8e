"""nutanix-templates over every registered check: loaded by the real `nagios4 -v` and
`icinga2 daemon -C`, a valid CLAPI file, valid LogicMonitor JSON, discovery that survives an
unreachable cluster."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest
from conftest import CA_FILE, PASSWORD, ROOT, closed_port

from nagios_nutanix.checks import names
from nagios_nutanix.config import catalog, clapi, generate

EXAMPLE = os.path.join(ROOT, "templates", "example-inventory.yaml")
NAGIOS = shutil.which("nagios4") or shutil.which("nagios")
ICINGA = shutil.which("icinga2")

# Beyond the example: SNMP on a PC cluster, an excluded check, clear-text-free credentials
# for Icinga 2 and Centreon (a password held by the engine).
ENGINE_PASSWORD = """\
defaults:
  credentials: {auth_file: /etc/nagios-nutanix/prism.auth}
clusters:
  - name: PROD-A
    prism: 10.10.1.10
    poller: dc1
    snmp: {version: 2c, auth_file: /etc/nagios-nutanix/snmp.auth}
    exclude_checks: [cluster]
    nodes: [{name: node-01, host_ip: 10.10.1.11, cvm_ip: 10.10.1.21}, node-02]
  - name: DR-B
    prism: pc.example.com
    type: pc
    poller: dc2
    credentials: {username: monitoring, password_macro: NutanixDrPassword}
    nodes: [{name: dr-node-01, host_ip: 10.20.1.11}]
"""


@pytest.fixture
def public(tmp_path):
    """A folder the nagios user can read (Nagios reads its configuration after dropping
    root); pytest's own temporary folders are private."""
    path = tempfile.mkdtemp(prefix="nagios-nutanix-templates-", dir="/tmp")
    os.chmod(path, 0o755)
    yield __import__("pathlib").Path(path)
    shutil.rmtree(path, ignore_errors=True)


def cli(*args, env=None):
    environ = dict(os.environ, PYTHONPATH=ROOT, **(env or {}))
    return subprocess.run([sys.executable, "-m", "nagios_nutanix.config.generate"] + list(args),
                          capture_output=True, text=True, cwd=ROOT, env=environ, timeout=120)


def inventory_file(tmp_path, text):
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    return str(path)


@pytest.mark.skipif(NAGIOS is None, reason="nagios4 is not installed (Debian nagios4-core)")
def test_nagios_loads_the_example_inventory_with_no_error_and_no_warning(public):
    out = public / "nagios"
    done = cli("--format", "nagios", "--inventory", EXAMPLE, "--output", str(out),
               "--no-discover", "--nagios-cfg")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "wrote 10 files to %s: 3 clusters, 3 nodes\n" % out
    verify = subprocess.run([NAGIOS, "-v", str(out / "nagios.cfg")], capture_output=True,
                            text=True, timeout=60)
    text = verify.stdout + verify.stderr
    assert verify.returncode == 0, text
    assert "Total Warnings: 0" in text and "Total Errors:   0" in text, text
    assert "Warning:" not in text and "Error:" not in text, text


@pytest.mark.skipif(NAGIOS is None, reason="nagios4 is not installed (Debian nagios4-core)")
def test_nagios_with_snmp_pollers_and_an_excluded_check(tmp_path, public):
    text = ENGINE_PASSWORD.replace(
        "credentials: {username: monitoring, password_macro: NutanixDrPassword}",
        "credentials: {auth_file: /etc/nagios-nutanix/dr.auth}")
    out = public / "nagios"
    done = cli("--format", "nagios", "--inventory", inventory_file(tmp_path, text), "--output",
               str(out), "--nagios-cfg")
    assert done.returncode == 0, done.stderr
    verify = subprocess.run([NAGIOS, "-v", str(out / "nagios.cfg")], capture_output=True,
                            text=True, timeout=60)
    report = verify.stdout + verify.stderr
    assert "Total Warnings: 0" in report and "Total Errors:   0" in report, report
    services = (out / "services.cfg").read_text()
    assert "hostgroup_name          nutanix-cluster-prism-element," \
           "nutanix-cluster-prism-central\n    host_name               !PROD-A\n" in services
    hostgroups = (out / "hostgroups.cfg").read_text()
    assert "hostgroup_name          HG-Poller-dc1\n" in hostgroups
    hosts = (out / "hosts" / "PROD-A.cfg").read_text()
    assert "_NTNX_SNMP_ADDRESS      10.10.1.21\n" in hosts  # node-01's own CVM
    assert "hostgroups              HG-Cluster-PROD-A,nutanix-node-prism-element," in hosts


def test_nagios_refuses_a_password_only_the_engine_knows(tmp_path):
    done = cli("--format", "nagios", "--inventory", inventory_file(tmp_path, ENGINE_PASSWORD),
               "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Nagios cannot hold a per-host secret macro (password_macro NutanixDrPassword); " \
           "give credentials.auth_file" in done.stderr
    assert not (tmp_path / "out").exists()


def icinga_validate(tmp_path, out):
    conf = tmp_path / "icinga2.conf"
    conf.write_text(  # icinga2 reads it as its own user
        'const PluginDir = "/usr/lib/nagios/plugins"\n'
        'const NutanixDrPassword = "from-constants.conf"\n'
        "include <itl>\ninclude <plugins>\n"
        'object Endpoint "master.example.com" { }\n'
        'object Zone "master" { endpoints = [ "master.example.com" ] }\n'
        'include_recursive "%s"\n' % out)
    return subprocess.run([ICINGA, "daemon", "-C", "-x", "warning", "-c", str(conf)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(ICINGA is None, reason="icinga2 is not installed (Debian icinga2-bin)")
@pytest.mark.skipif(os.geteuid() != 0, reason="icinga2 -C switches to its own user: needs root")
@pytest.mark.parametrize("which", ["example", "engine-password"])
def test_icinga2_accepts_the_generated_configuration(tmp_path, public, which):
    source = EXAMPLE if which == "example" else inventory_file(tmp_path, ENGINE_PASSWORD)
    out = public / "icinga2"
    done = cli("--format", "icinga2", "--inventory", source, "--output", str(out),
               "--no-discover")
    assert done.returncode == 0, done.stderr
    check = icinga_validate(public, out)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "warning/" not in check.stdout + check.stderr
    assert "critical/" not in check.stdout + check.stderr


def test_icinga2_objects_follow_the_declarations(tmp_path):
    out = tmp_path / "icinga2"
    assert cli("--format", "icinga2", "--inventory", inventory_file(tmp_path, ENGINE_PASSWORD),
               "--output", str(out)).returncode == 0
    commands = (out / "nutanix-commands.conf").read_text()
    for name in names():
        assert 'object CheckCommand "nutanix_%s" {' % name.replace("-", "_") in commands
    assert '"--insecure" = {\n      set_if = "$nutanix_insecure$"' in commands
    assert '"--filter-name" = {\n      value = "$nutanix_filter_name$"' in commands
    hosts = (out / "hosts" / "DR-B.conf").read_text()
    assert "  vars.nutanix_password = NutanixDrPassword\n" in hosts
    assert '  zone = "dc2"\n' in hosts
    assert '  vars.nutanix_filter_name = "dr-node-01"\n' in hosts
    zones = (out / "nutanix-zones.conf").read_text()
    assert 'object Zone "dc1" {\n  parent = "master"\n}' in zones
    services = (out / "nutanix-services.conf").read_text()
    assert 'ignore where "cluster" in host.vars.nutanix_exclude_checks' in services


def test_centreon_clapi_file_of_every_registered_check_is_valid(tmp_path):
    out = tmp_path / "centreon"
    done = cli("--format", "centreon", "--inventory", inventory_file(tmp_path, ENGINE_PASSWORD),
               "--output", str(out))
    assert done.returncode == 0, done.stderr
    text = (out / "nutanix-clapi.txt").read_text()
    assert clapi.validate(text, known_templates=("generic-active-host-custom",
                                                 "generic-active-service-custom")) > 100
    for check in catalog.checks():
        command = "Virt-Nutanix-%s%s" % (check.words, "" if check.protocol == "snmp" else "-Api")
        assert "\nCMD;ADD;%s;check;$CENTREONPLUGINS$/%s --hostname=" % (
            command, check.command) in text
        assert "\nSTPL;ADD;%s-custom;%s;generic-active-service-custom\n" % (
            command, check.service) in text
        assert "notes_url;file:///usr/share/doc/nagios-nutanix/runbook.md#%s\n" % (
            check.anchor) in text
    assert "HOST;SETMACRO;DR-B;NTNX_PASSWORD;;1;" in text
    assert "SERVICE;DEL;PROD-A;Nutanix-Cluster\n" in text


def test_logicmonitor_datasource_of_every_registered_check_is_valid_json(tmp_path):
    out = tmp_path / "lm"
    done = cli("--format", "logicmonitor", "--inventory", EXAMPLE, "--output", str(out),
               "--no-discover")
    assert done.returncode == 0, done.stderr
    files = sorted(os.listdir(out / "datasources"))
    assert len(files) == len(names())
    for name in files:
        doc = json.loads((out / "datasources" / name).read_text())
        points = [p["name"] for p in doc["dataPoints"]]
        assert points[:2] == ["status", "severity"]
        assert len(points) == len(set(points))
        assert doc["collectorAttribute"]["linuxCmdline"].endswith("--output logicmonitor")
    devices = (out / "devices.csv").read_text().splitlines()
    assert devices[1].startswith("PROD-A,10.10.1.10,poller-dc1,10.10.1.10,9440,pe,PROD-A,")


def test_example_inventory_generates_every_format(tmp_path):
    for fmt in generate.FORMATS:
        if fmt == "nagios":
            continue  # above, with nagios4 -v
        done = cli("--format", fmt, "--inventory", EXAMPLE, "--output", str(tmp_path / fmt),
                   "--no-discover")
        assert done.returncode == 0, (fmt, done.stderr)


def test_an_unreachable_cluster_is_named_and_the_others_still_generate(healthy, tmp_path):
    auth = tmp_path / "prism.auth"
    auth.write_text("username = admin\npassword = %s\n" % PASSWORD)
    auth.chmod(0o600)
    text = """\
defaults:
  credentials: {auth_file: %s}
  ca_file: %s
clusters:
  - {name: PROD-A, prism: 127.0.0.1, port: %d, discover: true}
  - {name: GONE, prism: 127.0.0.1, port: %d, discover: true}
""" % (auth, CA_FILE, healthy.port, closed_port())
    out = tmp_path / "out"
    done = cli("--format", "nagios", "--inventory", inventory_file(tmp_path, text), "--output",
               str(out), "--state-dir", str(tmp_path / "state"))
    assert done.returncode == 1
    assert done.stderr.startswith("nutanix-templates: cluster GONE left out: connection "
                                  "refused by 127.0.0.1:")
    assert "discovering" not in done.stderr  # stderr is not a terminal: no progress
    assert done.stdout == "wrote 5 files to %s: 1 cluster, 4 nodes; 1 cluster left out\n" \
        % out
    hosts = (out / "hosts" / "PROD-A.cfg").read_text()
    for node, serial_ip in (("node-01", "10.10.1.11"), ("node-04", "10.10.1.14")):
        assert "host_name               %s\n    alias                   %s (node of PROD-A)\n" \
               "    address                 %s\n" % (node, node, serial_ip) in hosts
    assert not (out / "hosts" / "GONE.cfg").exists()


def test_discovery_with_a_password_held_by_the_engine_asks_for_credentials(tmp_path):
    text = ENGINE_PASSWORD.replace("nodes: [{name: dr-node-01, host_ip: 10.20.1.11}]",
                                   "discover: true")
    done = cli("--format", "centreon", "--inventory", inventory_file(tmp_path, text),
               "--output", str(tmp_path / "out"),
               env={"NUTANIX_USERNAME": "", "NUTANIX_PASSWORD": ""})
    assert done.returncode == 1
    assert "cluster DR-B left out: no credentials to ask Prism with: its password is a macro " \
           "(NutanixDrPassword) only the monitoring engine knows" in done.stderr


def test_bad_inventory_is_one_clear_line(tmp_path):
    done = cli("--format", "nagios", "--inventory", inventory_file(
        tmp_path, "clusters:\n  - {name: PROD-A, prism: 10.0.0.1, typo: 1}\n"),
        "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.endswith("cluster PROD-A: unknown key typo (known: address, alias, "
                                "ca_file, credentials, discover, exclude_checks, extra_options, "
                                "host_name, insecure, name, node_host_name, nodes, poller, "
                                "port, prism, snmp, type)\n")
