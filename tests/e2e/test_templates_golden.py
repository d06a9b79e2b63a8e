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

from nagios_nutanix.checks.spec import Alert, CheckSpec, MetricSpec, Option
from nagios_nutanix.config import catalog, clapi, generate, inventory
from nagios_nutanix.nodes import FILTER_OPTIONS

GOLDEN = os.path.join(ROOT, "tests", "golden")
FAKE_VERSION = "0.0.0-golden"


def fake_specs():
    base = dict(collect=None, evaluate=None, notes=())
    health = CheckSpec(
        name="health", title="Cluster health (golden)", description="Whole cluster; golden.",
        scope="cluster", sources=("prism-element", "prism-central"), options=(),
        metrics=(MetricSpec("nodes.unhealthy.count", "", "nodes with a problem", minimum=0),
                 MetricSpec("space.usage.percentage", "%", "space used", minimum=0,
                            maximum=100)),
        alerts=(Alert("CRITICAL", "a node is down", "Look at the node."),),
        main_metric="space.usage.percentage", default_warning="80", default_critical="90",
        **base)
    services = CheckSpec(
        name="services", title="Node services (golden)", description="Per node; golden.",
        scope="node", sources=("prism-element",),
        options=FILTER_OPTIONS + (
            Option(("--warning-cpu",), "warning range for CPU %% (default %(default)s)", "80",
                   "range", metavar="RANGE", macro="WARNINGCPU"),
            Option(("--mode",), "which services", "all", "str", ("all", "core"),
                   macro="MODE"),
            Option(("--verbose-services",), "list every service", type="flag"),
        ),
        metrics=(MetricSpec("cpu.utilization.percentage", "%", "CPU", per_instance="node",
                            minimum=0, maximum=100),
                 MetricSpec("services.down.count", "", "services down", per_instance="node")),
        alerts=(Alert("CRITICAL", "a service is down", "Restart it."),), **base)
    snmp = CheckSpec(
        name="snmp-usage", title="Usage over SNMP (golden)", description="SNMP; golden.",
        scope="cluster", sources=("NUTANIX-MIB",), options=(),
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
    assert "HTPL;SETMACRO;Virt-Nutanix-Node-Api-custom;FILTERNAME;;0;" in text
    assert "HOST;SETMACRO;node-01;FILTERNAME;node-01;0;" in text
    assert "HTPL;SETMACRO;Virt-Nutanix-Cluster-Api-custom;NTNX_PASSWORD;;1;" in text
    assert "STPL;SETMACRO;Virt-Nutanix-Health-Api-custom;WARNING;80;" in text
    assert "STPL;SETMACRO;Virt-Nutanix-Health-Api-custom;CRITICAL;90;" in text
    assert "STPL;SETMACRO;Virt-Nutanix-Services-Api-custom;WARNINGCPU;80;warning range for " \
           "CPU % (default 80)" in text
    assert ("STPL;SETPARAM;Virt-Nutanix-Health-Api-custom;notes_url;"
            "https://runbook.example.com/nagios-nutanix.md#health") in text
    assert "HOST;ADD;node-01;node-01 (node of PROD-A);10.10.1.11;Virt-Nutanix-Node-Api-custom;" \
           "poller-dc1;HG-Cluster-PROD-A" in text
    assert "HOST;ADD;DR-B;Nutanix cluster DR-B;pc.example.com;Virt-Nutanix-Cluster-Api-custom;" \
           "Central;HG-Cluster-DR-B" in text
    assert "SERVICE;DEL;DR-B;Nutanix-Health" in text  # exclude_checks


def test_logicmonitor_golden(monkeypatch, tmp_path):
    files = rendered("logicmonitor", monkeypatch, tmp_path)
    compare(files, "logicmonitor")
    health = json.loads(files["datasources/Nutanix_Health.json"])
    points = {p["name"]: p for p in health["dataPoints"]}
    assert points["space_usage_percentage"]["alertExpr"] == "> 80 90 90"
    assert points["severity"]["alertExpr"] == ">= 1 2 3"
    assert points["status"]["postProcessorParam"] == "##WILDVALUE##.status"
    assert health["collectMethod"] == "batchscript"
    assert health["collectorAttribute"]["linuxCmdline"].endswith("--output logicmonitor")
    assert health["autoDiscoveryConfig"]["method"]["linuxCmdline"].endswith("--discover")
    services = json.loads(files["datasources/Nutanix_Services.json"])
    assert services["appliesTo"] == 'nutanix.prism.host && nutanix.prism.kind == "pe"'
    snmp = json.loads(files["datasources/Nutanix_Snmp_Usage.json"])
    assert {p["name"]: p["alertExpr"] for p in snmp["dataPoints"]}[
        "io_latency_microseconds"] == "> 20000 20000 20000"


@pytest.mark.parametrize("warning,critical,expected", [
    ("80", "90", "> 80 90 90"),
    ("0", None, "> 0"),
    (None, "5", "> 5 5 5"),
    ("10:", "5:", "< 10 5 5"),
    ("@10:20", None, None),
    ("10:20", "5:30", None),
    (None, None, None),
])
def test_logicmonitor_alert_expression(warning, critical, expected):
    spec = fake_specs()[0]._replace(default_warning=warning, default_critical=critical)
    assert generate.lm_alert_expression(spec) == expected
