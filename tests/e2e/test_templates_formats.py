"""nutanix-templates over every registered check: loaded by the real `nagios4 -v` and
`icinga2 daemon -C`, a valid CLAPI file, valid LogicMonitor JSON, discovery that survives an
unreachable cluster."""

import csv
import json
import os
import re
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
    """The master's view: its zones.conf (the master zone, the global zone the node wizard
    declares, the generated satellite zones merged in) and zones.d, each folder compiled into
    its zone as Icinga does with /etc/icinga2/zones.d."""
    conf = tmp_path / "icinga2.conf"
    conf.write_text(  # icinga2 reads it as its own user
        'const PluginDir = "/usr/lib/nagios/plugins"\n'
        'const NutanixDrPassword = "from-constants.conf"\n'
        "include <itl>\ninclude <plugins>\n"
        'object Endpoint "master.example.com" { }\n'
        'object Zone "master" { endpoints = [ "master.example.com" ] }\n'
        'object Zone "global-templates" { global = true }\n'
        'include "%s/nutanix-zones.conf"\n'
        'include_zones "nutanix", "%s/zones.d"\n' % (out, out))
    check = subprocess.run([ICINGA, "daemon", "-C", "-x", "warning", "-c", str(conf)],
                           capture_output=True, text=True, timeout=120)
    if check.returncode != 0:
        return check, {}
    # Where each object landed (icinga2 object list reads what daemon -C just compiled).
    listing = subprocess.run([ICINGA, "object", "list", "--type", "Host"], capture_output=True,
                             text=True, timeout=120).stdout
    zones = dict(re.findall(r"Object '([^']+)' of type 'Host':.*?\n  \* zone = \"([^\"]*)\"",
                            listing, re.S))
    return check, zones


@pytest.mark.skipif(ICINGA is None, reason="icinga2 is not installed (Debian icinga2-bin)")
@pytest.mark.skipif(os.geteuid() != 0, reason="icinga2 -C switches to its own user: needs root")
@pytest.mark.parametrize("which", ["example", "engine-password"])
def test_icinga2_accepts_the_generated_configuration(tmp_path, public, which):
    source = EXAMPLE if which == "example" else inventory_file(tmp_path, ENGINE_PASSWORD)
    out = public / "icinga2"
    done = cli("--format", "icinga2", "--inventory", source, "--output", str(out),
               "--no-discover")
    assert done.returncode == 0, done.stderr
    check, zones = icinga_validate(public, out)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "warning/" not in check.stdout + check.stderr
    assert "critical/" not in check.stdout + check.stderr
    # Each cluster's hosts are objects of its poller's zone, which syncs them to the
    # satellites that run their checks.
    if which == "example":
        assert (zones["PROD-A"], zones["DR-C"], zones["dr-node-01"]) == (
            "poller-dc1", "poller-dr", "poller-dr")
    else:
        assert (zones["PROD-A"], zones["node-01"], zones["DR-B"]) == ("dc1", "dc1", "dc2")


def test_icinga2_objects_follow_the_declarations(tmp_path):
    out = tmp_path / "icinga2"
    done = cli("--format", "icinga2", "--inventory", inventory_file(tmp_path, ENGINE_PASSWORD),
               "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.conf")) == [
        "nutanix-zones.conf",
        "zones.d/dc1/nutanix-hosts-PROD-A.conf", "zones.d/dc2/nutanix-hosts-DR-B.conf",
        "zones.d/global-templates/nutanix-commands.conf",
        "zones.d/global-templates/nutanix-services.conf",
        "zones.d/global-templates/nutanix-templates.conf"]
    commands = (out / "zones.d" / "global-templates" / "nutanix-commands.conf").read_text()
    for name in names():
        assert 'object CheckCommand "nutanix_%s" {' % name.replace("-", "_") in commands
    assert '"--insecure" = {\n      set_if = "$nutanix_insecure$"' in commands
    assert '"--filter-name" = {\n      value = "$nutanix_filter_name$"' in commands
    # Secrets reach the checks by environment, never on their command line (ps).
    assert '"--password"' not in commands and '"--community"' not in commands
    assert '  env = {\n    NUTANIX_PASSWORD = "$nutanix_password$"\n  }\n' in commands
    if any(c.protocol == "snmp" for c in catalog.checks()):
        assert '    NUTANIX_SNMP_COMMUNITY = "$nutanix_snmp_community$"\n' in commands
    hosts = (out / "zones.d" / "dc2" / "nutanix-hosts-DR-B.conf").read_text()
    assert "  vars.nutanix_password = NutanixDrPassword\n" in hosts
    assert "zone =" not in hosts  # the folder says which zone
    assert '  vars.nutanix_filter_name = "dr-node-01"\n' in hosts
    zones = (out / "nutanix-zones.conf").read_text()
    assert 'object Zone "dc1" {\n  parent = "master"\n}' in zones
    assert ' *   object Zone "global-templates" { global = true }\n' in zones
    services = (out / "zones.d" / "global-templates" / "nutanix-services.conf").read_text()
    assert 'ignore where "cluster" in host.vars.nutanix_exclude_checks' in services


def test_icinga2_turns_extra_options_into_variables_or_refuses_them(tmp_path):
    text = ENGINE_PASSWORD.replace(
        "    exclude_checks: [cluster]\n",
        "    exclude_checks: [cluster]\n    insecure: true\n    extra_options: -t 20 "
        "--cache-ttl=0\n").replace(
        "snmp: {version: 2c, auth_file: /etc/nagios-nutanix/snmp.auth}",
        "snmp: {version: 3, auth_file: /etc/nagios-nutanix/snmp.auth, extra_options: "
        "--security-level authPriv --auth-protocol SHA-256}")
    out = tmp_path / "icinga2"
    done = cli("--format", "icinga2", "--inventory", inventory_file(tmp_path, text),
               "--output", str(out))
    assert done.returncode == 0, done.stderr
    hosts = (out / "zones.d" / "dc1" / "nutanix-hosts-PROD-A.conf").read_text()
    cluster = hosts[hosts.index('object Host "PROD-A"'):hosts.index('object Host "node-01"')]
    for line in ("vars.nutanix_insecure = true", 'vars.nutanix_timeout = "20"',
                 'vars.nutanix_cache_ttl = "0"'):
        assert "  %s\n" % line in cluster
    if any(c.protocol == "snmp" for c in catalog.checks()):
        assert '  vars.nutanix_snmp_security_level = "authPriv"\n' in cluster
        assert '  vars.nutanix_snmp_auth_protocol = "SHA-256"\n' in cluster
    done = cli("--format", "icinga2", "--inventory", inventory_file(
        tmp_path, text.replace("-t 20", "-t 20 --colour blue")), "--output", str(out))
    assert done.returncode == 2
    assert done.stderr.endswith(
        "cluster PROD-A: extra_options '--insecure -t 20 --colour blue --cache-ttl=0': "
        "--colour is not an option of the Prism checks; Icinga 2 passes each option through "
        "its CheckCommand variable (vars.nutanix_*), so extra options can only be options "
        "the checks have\n")


def test_centreon_clapi_file_of_every_registered_check_is_valid(tmp_path):
    out = tmp_path / "centreon"
    done = cli("--format", "centreon", "--inventory", inventory_file(tmp_path, ENGINE_PASSWORD),
               "--output", str(out))
    assert done.returncode == 0, done.stderr
    text = (out / "nutanix-clapi.txt").read_text()
    assert clapi.validate(text, known_templates=("generic-active-host-custom",
                                                 "generic-active-service-custom")) > 100
    for check in catalog.checks():
        assert "\nCMD;ADD;CMD-Nutanix-%s;check;$CENTREONPLUGINS$/%s --hostname=" % (
            check.words, check.command) in text
        assert "\nSTPL;ADD;SVC-Nutanix-%s-custom;%s;generic-active-service-custom\n" % (
            check.words, check.service) in text
        assert "notes_url;file:///usr/share/nagios-nutanix/runbook.md#%s\n" % (
            check.anchor) in text
    assert "HOST;SETMACRO;DR-B;NTNX_PASSWORD;;1;Prism password of monitoring: set it here " \
           "(the inventory calls it NutanixDrPassword). It is passed on the command line, " \
           "visible in ps on the poller: prefer NTNX_AUTH_FILE\n" in text
    assert "# Hosts whose password is a macro here: DR-B, dr-node-01.\n" in text
    assert "SERVICE;DEL;PROD-A;Nutanix-Cluster\n" in text
    # Every object has a name of its own: a command, a service template and a host template
    # never share one, nor differ only by the order of two words.
    added = re.findall(r"^(?:CMD|HTPL|STPL);ADD;([^;]+);", text, re.M)
    assert len(added) == len(set(added))
    shapes = [tuple(sorted(name.lower().split("-"))) for name in added]
    assert len(shapes) == len(set(shapes)), sorted(added)


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


def test_logicmonitor_devices_csv_quotes_values_with_commas(tmp_path):
    text = ENGINE_PASSWORD.replace("poller: dc2", 'poller: "dc2, rack 4"')
    out = tmp_path / "lm"
    assert cli("--format", "logicmonitor", "--inventory", inventory_file(tmp_path, text),
               "--output", str(out)).returncode == 0
    with open(out / "devices.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["displayname"], r["collector"], r["nutanix.cluster"]) for r in rows] == [
        ("PROD-A", "dc1", "PROD-A"), ("DR-B", "dc2, rack 4", "DR-B")]


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


def discovery_inventory(tmp_path, healthy, credentials):
    return inventory_file(tmp_path, """\
clusters:
  - name: PROD-A
    prism: 127.0.0.1
    port: %d
    ca_file: %s
    discover: true
    credentials: %s
""" % (healthy.port, CA_FILE, credentials))


def test_discovery_logs_in_as_the_user_of_the_discovery_auth_file(healthy, tmp_path):
    """The inventory names the engine's account (monitoring, password in a macro); the
    discovery auth file holds another account: its user goes with its password."""
    auth = tmp_path / "admin.auth"
    auth.write_text("username = admin\npassword = %s\n" % PASSWORD)
    auth.chmod(0o600)
    text = discovery_inventory(tmp_path, healthy,
                               "{username: monitoring, password_macro: NutanixPassword}")
    out = tmp_path / "out"
    done = cli("--format", "centreon", "--inventory", text, "--output", str(out),
               "--discovery-auth-file", str(auth), "--state-dir", str(tmp_path / "state"),
               env={"NUTANIX_USERNAME": "", "NUTANIX_PASSWORD": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "wrote 1 file to %s: 1 cluster, 4 nodes\n" % out


def test_discovery_asks_prism_even_when_the_checks_remember_a_failure(healthy, tmp_path):
    """The checks remember a refused login for 15 minutes so they do not lock the account;
    a person running discovery after fixing things gets Prism's own answer."""
    from nagios_nutanix.prism import statedir
    from nagios_nutanix.prism.session import SessionStore, password_fingerprint

    auth = tmp_path / "prism.auth"
    auth.write_text("username = admin\npassword = %s\n" % PASSWORD)
    auth.chmod(0o600)
    state = tmp_path / "state"
    statedir.prepare(str(state))
    fingerprint = password_fingerprint("admin", PASSWORD)
    store = SessionStore(statedir.target_dir(str(state), "127.0.0.1", healthy.port, "admin",
                                             fingerprint), fingerprint)
    store.remember_failure("refused", "Prism refused the credentials of user 'admin' (HTTP "
                           "401) (the account was locked then)")
    assert store.recent_failure() is not None
    text = discovery_inventory(tmp_path, healthy, "{auth_file: %s}" % auth)
    done = cli("--format", "nagios", "--inventory", text, "--output", str(tmp_path / "out"),
               "--state-dir", str(state))
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(": 1 cluster, 4 nodes\n")
    assert store.recent_failure() is None  # the checks ask Prism again too


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
