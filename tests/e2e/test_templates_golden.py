"""Golden files of the Centreon (CLAPI) and LogicMonitor outputs.

The checks here are fixed, made-up declarations (a cluster check with -w/-c, a node check with
FILTERNAME and option macros, an SNMP check), so the golden files change only when the
generator does, not when a real check changes its help text. The registered checks are covered
by tests/e2e/test_templates_formats.py. Regenerate after a deliberate change with
    UPDATE_GOLDEN=1 python3 -m pytest tests/e2e/test_templates_golden.py
"""

import json
import os

import pytest
from conftest import ROOT

from nagios_nutanix.checks.spec import Alert, CheckSpec, MetricSpec, Option, threshold_options
from nagios_nutanix.config import catalog, clapi, generate, inventory
from nagios_nutanix.nodes import FILTER_OPTIONS

GOLDEN = os.path.join(ROOT, "tests", "golden")
FAKE_VERSION = "0.0.0-golden"


def fake_specs():
    base = dict(collect=None, evaluate=None, notes=())
    health = CheckSpec(
        name="health", title="Cluster health (golden)", description="Whole cluster; golden.",
        scope="cluster", sources=("prism-element", "prism-central"),
        options=(Option(("--planning",), "usage percentage from which an OK line says "
                        "'capacity planning' (default %(default)s)", 70, "float"),),
        metrics=(MetricSpec("nodes.unhealthy.count", "", "nodes with a problem", minimum=0),
                 MetricSpec("space.usage.percentage", "%", "space used; -w/-c apply",
                            minimum=0, maximum=100)),
        alerts=(Alert("CRITICAL", "a node is down", "Look at the node."),),
        main_metric="space.usage.percentage", default_warning="80", default_critical="90",
        **base)
    services = CheckSpec(
        name="services", title="Node services (golden)", description="Per node; golden.",
        scope="node", sources=("prism-element",),
        options=FILTER_OPTIONS + threshold_options("cpu", "CPU", " in percent", "80", "90")
        + (
            Option(("--mode",), "which services", "all", "str", ("all", "core"),
                   macro="MODE"),
            Option(("--verbose-services",), "list every service", type="flag"),
        ),
        metrics=(MetricSpec("cpu.utilization.percentage", "%", "CPU; --warning-cpu/"
                            "--critical-cpu apply", per_instance="node", minimum=0,
                            maximum=100),
                 MetricSpec("services.down.count", "", "services down", per_instance="node")),
        alerts=(Alert("CRITICAL", "a service is down", "Restart it."),), **base)
    snmp = CheckSpec(
        name="snmp-usage", title="Usage over SNMP (golden)", description="SNMP; golden.",
        scope="cluster", sources=("NUTANIX-MIB",),
        options=(Option(("--filter-name",), "the pool", metavar="NAME", macro="FILTERPOOL"),),
        metrics=(MetricSpec("io.latency.microseconds", "us", "latency", minimum=0),),
        alerts=(), main_metric="io.latency.microseconds", default_warning=None,
        default_critical="20000", protocol="snmp", **base)
    return [health, services, snmp]


INVENTORY = {
    "runbook_url": "https://runbook.example.com/nagios-nutanix.md",
    "defaults": {"credentials": {"auth_file": "/etc/nagios-nutanix/prism.auth"},
                 "ca_file": "/etc/nagios-nutanix/ca.pem"},
    "clusters": [
        {"name": "PROD-A", "prism": "10.10.1.10", "type": "pe", "poller": "poller-dc1",
         "snmp": {"version": "3", "auth_file": "/etc/nagios-nutanix/snmp.auth"},
         "nodes": [{"name": "node-01", "host_ip": "10.10.1.11", "cvm_ip": "10.10.1.21"},
                   {"name": "node-02", "host_ip": "10.10.1.12", "cvm_ip": "10.10.1.22"}]},
        {"name": "DR-B", "prism": "pc.example.com", "type": "pc",
         "credentials": {"username": "monitoring", "password_macro": "NutanixDrPassword"},
         "exclude_checks": ["health"],
         "nodes": [{"name": "dr-node-01", "host_ip": "10.20.1.11"}]},
    ],
}


def rendered(fmt, monkeypatch, tmp_path):
    monkeypatch.setattr(generate, "__version__", FAKE_VERSION)
    checks = [catalog.Check(spec) for spec in fake_specs()]
    inv = inventory.parse(json.loads(json.dumps(INVENTORY)), "golden-inventory.yaml")
    return generate.generate(fmt, inv, str(tmp_path), os.path.join(ROOT, "templates"),
                             checks=checks)


def compare(files, folder):
    root = os.path.join(GOLDEN, folder)
    if os.environ.get("UPDATE_GOLDEN"):
        generate.write(files, root)
    expected = sorted(os.path.relpath(os.path.join(d, f), root)
                      for d, _, names in os.walk(root) for f in names)
    assert sorted(files) == expected
    for name, text in files.items():
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            assert text == handle.read(), "%s/%s differs from the golden file" % (folder, name)


def test_centreon_golden(monkeypatch, tmp_path):
    files = rendered("centreon", monkeypatch, tmp_path)
    compare(files, "centreon")
    text = files["nutanix-clapi.txt"]
    assert clapi.validate(text, known_templates=("generic-active-host-custom",
                                                 "generic-active-service-custom")) > 50
    # What an admin relies on, beyond the byte-for-byte comparison:
    assert "HTPL;SETMACRO;Virt-Nutanix-Node-Prism-custom;FILTERNAME;;0;" in text
    assert "HOST;SETMACRO;node-01;FILTERNAME;node-01;0;" in text
    assert "HTPL;SETMACRO;Virt-Nutanix-Cluster-Prism-custom;NTNX_PASSWORD;;1;" in text
    assert "STPL;SETMACRO;SVC-Nutanix-Health-custom;WARNING;80;" in text
    assert "STPL;SETMACRO;SVC-Nutanix-Health-custom;CRITICAL;90;" in text
    assert "STPL;SETMACRO;SVC-Nutanix-Services-custom;WARNINGCPU;80;warning range for " \
           "CPU in percent (default 80)" in text
    assert ("STPL;SETPARAM;SVC-Nutanix-Health-custom;notes_url;"
            "https://runbook.example.com/nagios-nutanix.md#health") in text
    assert "STPL;SETPARAM;SVC-Nutanix-Health-custom;check_command;CMD-Nutanix-Health\n" \
        in text
    assert "HOST;ADD;node-01;node-01 (node of PROD-A);10.10.1.11;Virt-Nutanix-Node-Prism-" \
           "custom;poller-dc1;HG-Cluster-PROD-A" in text
    assert "HOST;ADD;DR-B;Nutanix cluster DR-B;pc.example.com;Virt-Nutanix-Cluster-Prism-" \
           "custom;Central;HG-Cluster-DR-B" in text
    assert "SERVICE;DEL;DR-B;Nutanix-Health" in text  # exclude_checks
    # The SNMP pool filter is the service's own macro, not the host's FILTERNAME.
    assert "STPL;SETMACRO;SVC-Nutanix-Snmp-Usage-custom;FILTERPOOL;;the pool\n" in text
    assert "HTPL;SETMACRO;Virt-Nutanix-Cluster-Snmp-custom;FILTERNAME" not in text


def test_logicmonitor_golden(monkeypatch, tmp_path):
    files = rendered("logicmonitor", monkeypatch, tmp_path)
    compare(files, "logicmonitor")
    health = json.loads(files["datasources/Nutanix_Health.json"])
    points = {p["name"]: p for p in health["dataPoints"]}
    # Graduated thresholds: capacity planning (70) warn, -w (80) error, -c (90) critical.
    assert points["space_usage_percentage"]["alertExpr"] == "> 70 80 90"
    assert points["severity"]["alertExpr"] == ">= 1 2 3"
    assert points["status"]["postProcessorParam"] == "##WILDVALUE##.status"
    # A dead cluster sends no data: `status` raises an error alert for it, the rest do not.
    assert {p["name"]: p["alertForNoData"] for p in health["dataPoints"]} == {
        "status": 3, "severity": 1, "nodes_unhealthy_count": 1, "space_usage_percentage": 1}
    assert health["collectMethod"] == "batchscript"
    assert health["collectorAttribute"]["linuxCmdline"].endswith("--output logicmonitor")
    assert health["autoDiscoveryConfig"]["method"]["linuxCmdline"].endswith("--discover")
    services = json.loads(files["datasources/Nutanix_Services.json"])
    assert services["appliesTo"] == 'nutanix.prism.host && nutanix.prism.kind == "pe"'
    # A metric with a threshold pair of its own (--warning-cpu/--critical-cpu).
    assert {p["name"]: p["alertExpr"] for p in services["dataPoints"]}[
        "cpu_utilization_percentage"] == "> 80 90 90"
    snmp = json.loads(files["datasources/Nutanix_Snmp_Usage.json"])
    assert {p["name"]: p["alertExpr"] for p in snmp["dataPoints"]}[
        "io_latency_microseconds"] == "> 20000 20000 20000"


@pytest.mark.parametrize("warning,critical,planning,expected", [
    ("80", "90", None, "> 80 90 90"),
    ("80", "90", 70, "> 70 80 90"),
    ("80", "90", 85, "> 80 90 90"),  # planning above -w is no graduation
    ("0", None, None, "> 0"),
    (None, "5", None, "> 5 5 5"),
    ("10:", "5:", None, "< 10 5 5"),
    ("10:", "5:", 70, "< 10 5 5"),
    ("@10:20", None, None, None),
    ("10:20", "5:30", None, None),
])
def test_logicmonitor_alert_expression(warning, critical, planning, expected):
    levels = catalog.Levels(warning, critical, planning)
    assert generate.lm_alert_expression(levels) == expected
