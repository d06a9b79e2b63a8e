"""`--output logicmonitor` and `--discover` of the checks, and empty macro values on the
command line (generated Nagios/Centreon configuration passes empty macros)."""

import argparse
import io

import pytest

from nagios_nutanix.checks import load
from nagios_nutanix.checks.spec import CheckSpec, Option
from nagios_nutanix.nodes import NodeVerdict, node_result
from nagios_nutanix.plugin.logicmonitor import (
    datapoint_name,
    discovery_line,
    discovery_lines,
    instance_id,
    render,
)
from nagios_nutanix.plugin.options import parse
from nagios_nutanix.plugin.perfdata import Metric
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.result import Item, Result, error_result
from nagios_nutanix.plugin.runner import run
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism.model import Cluster, Inventory, Node


@pytest.mark.parametrize("raw,safe", [
    ("node-03", "node-03"),
    ("NODE~METADATA", "NODE~METADATA"),
    ("a b:c#d\\e=f", "a_b_c_d_e_f"),
    ("  spaced  out ", "spaced_out"),
    ("10.10.1.11", "10.10.1.11"),
    ("", "_"),
    ("line\nbreak", "line_break"),
])
def test_instance_ids_have_no_character_logicmonitor_refuses(raw, safe):
    assert instance_id(raw) == safe


def test_datapoint_names_are_word_characters():
    assert datapoint_name("cvm.cpu.utilization.percentage") == "cvm_cpu_utilization_percentage"
    assert datapoint_name("resources.out_of_sync.count") == "resources_out_of_sync_count"


def test_cluster_result_status_and_datapoints_per_instance():
    result = Result("PROD-A", [Item(State.CRITICAL, "cannot tolerate a node failure")], [
        Metric("nodes.total.count", 4, minimum=0),
        Metric("nodes.unhealthy.count", 1, warning=Range.parse("0"), minimum=0),
        Metric("tolerable.failures.count", 0, critical=Range.parse("1:"),
               instance="NODE~METADATA"),
        Metric("tolerable.failures.count", 1, critical=Range.parse("1:"),
               instance="DISK~METADATA"),
        Metric("latency", None, unit="ms"),
    ])
    lines = render(result).splitlines()
    assert lines == [
        "# CRITICAL - PROD-A: cannot tolerate a node failure",
        "PROD-A.status=2", "PROD-A.severity=3",
        "PROD-A.nodes_total_count=4", "PROD-A.nodes_unhealthy_count=1",
        "NODE~METADATA.status=2", "NODE~METADATA.severity=3",
        "NODE~METADATA.tolerable_failures_count=0",
        "DISK~METADATA.status=0", "DISK~METADATA.severity=0",
        "DISK~METADATA.tolerable_failures_count=1",
    ]  # no line for a value that was not measured (LogicMonitor records "no data")


def verdict(name, state, cpu):
    return NodeVerdict(name, [Item(state, "cpu %s%%" % cpu)],
                       [Metric("cpu.utilization.percentage", cpu, "%", instance=name)])


def test_node_result_gives_each_node_its_own_status():
    result = node_result("PROD-A", [verdict("node-01", State.OK, 12.5),
                                    verdict("node 03", State.CRITICAL, 97)], False, "all fine")
    lines = render(result).splitlines()
    assert lines[1:] == [
        "node-01.status=0", "node-01.severity=0", "node-01.cpu_utilization_percentage=12.5",
        "node_03.status=2", "node_03.severity=3", "node_03.cpu_utilization_percentage=97",
    ]


def test_cluster_wide_trouble_of_a_node_check_reaches_every_node():
    result = node_result("PROD-A", [verdict("node-01", State.OK, 1)], False, "fine",
                         extra=[Item(State.UNKNOWN, "alerts could not be read")])
    assert "node-01.status=3" in render(result).splitlines()
    assert "node-01.severity=2" in render(result).splitlines()


def test_a_failure_before_the_scope_is_known_is_status_3_of_the_instance_it_was_asked_for():
    result = error_result("Prism refused user 'admin' with password hunter2")
    assert render(result, secrets=["hunter2"], fallback="PROD-A").splitlines() == [
        "# UNKNOWN - Prism refused user 'admin' with password ********",
        "PROD-A.status=3", "PROD-A.severity=2"]
    # Without --cluster or -H (a bad command line) there is no instance to name.
    assert render(result, secrets=["hunter2"]) == (
        "# UNKNOWN - Prism refused user 'admin' with password ********")
    scoped = Result("PROD-A", summary="timed out", state=State.UNKNOWN)
    assert render(scoped, fallback="10.0.0.1").splitlines()[1:] == [
        "PROD-A.status=3", "PROD-A.severity=2"]


def test_secrets_are_masked_before_instance_names_are_made_safe():
    result = Result("PROD-A", [Item(State.OK, "fine")], [
        Metric("x.count", 1, instance="vm pass word:1")])
    text = render(result, secrets=["pass word"])
    assert "pass" not in text and "word" not in text
    assert "vm_********_1.x_count=1" in text.splitlines()
    assert discovery_line("pass word", "pass word", "d", [("k", "a pass word")],
                          secrets=["pass word"]) == (
        "********##********##d####auto.nutanix.k=a ********")


def test_discovery_line_format():
    line = discovery_line("node 03", "node#03", "node of PROD-A", [
        ("cluster", "PROD-A"), ("host_ip", "10.0.0.3"), ("serial", None), ("note", "a&b")])
    assert line == ("node_03##node_03##node of PROD-A####auto.nutanix.cluster=PROD-A"
                    "&auto.nutanix.host_ip=10.0.0.3&auto.nutanix.note=a+b")
    assert discovery_line("PROD-A", "PROD-A", "cluster", []) == "PROD-A##PROD-A##cluster"


INVENTORY = Inventory(
    cluster=Cluster(name="PROD-A", uuid="u-1", version="6.8.1"), source="Prism Element v2.0",
    nodes=[Node(name="node-01", host_ip="10.0.0.1", cvm_ip="10.0.1.1", serial="S1"),
           Node(name="node-02", host_ip="10.0.0.2")])


def spec(scope):
    return CheckSpec(name="x", title="x", description="x", scope=scope,
                     sources=("prism-element",), options=(), metrics=(), alerts=(),
                     collect=None, evaluate=None)


def test_discovery_lists_nodes_for_node_checks_and_the_cluster_otherwise():
    assert discovery_lines(spec("node"), INVENTORY) == [
        "node-01##node-01##node of cluster PROD-A####auto.nutanix.cluster=PROD-A"
        "&auto.nutanix.host_ip=10.0.0.1&auto.nutanix.cvm_ip=10.0.1.1&auto.nutanix.serial=S1",
        "node-02##node-02##node of cluster PROD-A####auto.nutanix.cluster=PROD-A"
        "&auto.nutanix.host_ip=10.0.0.2",
    ]
    assert discovery_lines(spec("cluster"), INVENTORY) == [
        "PROD-A##PROD-A##Nutanix cluster (Prism Element v2.0)####auto.nutanix.cluster=PROD-A"
        "&auto.nutanix.uuid=u-1&auto.nutanix.version=6.8.1&auto.nutanix.nodes=2"
        "&auto.nutanix.source=pe"]


def test_discovery_failure_prints_nothing_and_exits_1():
    out, err = io.StringIO(), io.StringIO()
    code = run(["-H", "127.0.0.1", "-P", "1", "-u", "u", "-p", "secret-pw", "--discover",
                "--cache-ttl", "0", "-t", "5"], check="cluster", stdout=out, stderr=err)
    assert (code, out.getvalue()) == (1, "")
    assert err.getvalue().startswith("discovery failed: connection refused by 127.0.0.1:1")


@pytest.mark.parametrize("extra,instance", [(["--cluster", "PROD A"], "PROD_A"),
                                            ([], "127.0.0.1")])
def test_logicmonitor_output_exits_0_and_names_its_instance_when_the_cluster_is_down(
        extra, instance):
    out = io.StringIO()
    code = run(["-H", "127.0.0.1", "-P", "1", "-u", "u", "-p", "pw", "--output",
                "logicmonitor", "--cache-ttl", "0", "-t", "5"] + extra, check="cluster",
               stdout=out, stderr=io.StringIO())
    assert code == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("# UNKNOWN - connection refused by 127.0.0.1:1")
    assert lines[1:] == ["%s.status=3" % instance, "%s.severity=2" % instance]


# -- empty macros -------------------------------------------------------------------------------
def options_spec():
    return CheckSpec(
        name="x", title="x", description="x", scope="node", sources=("prism-element",),
        options=(Option(("--rpo",), "rpo", 3600, "int", macro="RPO"),
                 Option(("--ratio",), "ratio", None, "float", macro="RATIO"),
                 Option(("--warning-cpu",), "cpu", "80", "range", macro="WARNINGCPU"),
                 Option(("--mode",), "mode", "OK", "str", ("OK", "WARNING"), macro="MODE")),
        metrics=(), alerts=(), collect=None, evaluate=None, main_metric="m",
        default_warning="0", default_critical="5")


def parsed(*argv):
    return parse(options_spec(), list(argv), "check_nutanix_x")[1]


def test_empty_threshold_macros_mean_no_threshold():
    got = parsed("--warning=", "--critical=", "--warning-cpu=")
    assert (got.warning, got.critical, got.warning_cpu) == (None, None, None)
    got = parsed()
    assert (got.warning, got.critical, got.warning_cpu) == (
        Range.parse("0"), Range.parse("5"), Range.parse("80"))


def test_empty_typed_option_macros_mean_the_default():
    got = parsed("--rpo=", "--ratio=", "--mode=")
    assert (got.rpo, got.ratio, got.mode) == (3600, None, "OK")
    assert parsed("--rpo=60").rpo == 60


@pytest.mark.parametrize("argv", [["--rpo=abc"], ["--warning=x:y"], ["--mode=BAD"]])
def test_bad_values_are_still_refused(argv):
    from nagios_nutanix.plugin.errors import UsageError

    with pytest.raises(UsageError):
        parsed(*argv)


def test_every_registered_check_accepts_the_logicmonitor_options():
    for name in ("cluster",):
        parser_options = parse(load(name), ["--output", "logicmonitor", "--discover"],
                               "check_nutanix_" + name)[1]
        assert isinstance(parser_options, argparse.Namespace)
        assert (parser_options.output, parser_options.discover) == ("logicmonitor", True)


def test_checks_without_a_prism_inventory_discover_what_a_run_reports():
    from nagios_nutanix.plugin.logicmonitor import result_lines

    nodes = node_result("PROD-A", [verdict("NTNX-A-CVM", State.OK, 1),
                                   verdict("NTNX-B-CVM", State.CRITICAL, 99)], False, "fine")
    assert result_lines(spec("node"), nodes) == [
        "NTNX-A-CVM##NTNX-A-CVM##node of PROD-A####auto.nutanix.cluster=PROD-A",
        "NTNX-B-CVM##NTNX-B-CVM##node of PROD-A####auto.nutanix.cluster=PROD-A"]
    cluster = Result("PROD-A", [Item(State.OK, "started")])
    assert result_lines(spec("cluster"), cluster) == [
        "PROD-A##PROD-A##Nutanix cluster####auto.nutanix.cluster=PROD-A"]
