"""The `cluster` check's judgement, on hand-built models, through the Nagios renderer."""

import argparse

import pytest

from nagios_nutanix.checks.cluster import evaluate, rf_minimum_nodes
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism.central import NOT_AVAILABLE
from nagios_nutanix.prism.model import Cluster, ClusterHealth, FaultTolerance, Node
from nagios_nutanix.prism.record import as_dict

OPTIONS = argparse.Namespace(warning=Range.parse("0"), critical=None)

COMPONENTS = ("METADATA", "EXTENT_GROUPS", "STATIC_CONFIGURATION", "FREE_SPACE")

NODE_PERF = "'nodes.total.count'=4;;;0 'nodes.healthy.count'=%d;;3:;0;4 " \
            "'nodes.unhealthy.count'=%d;0;;0;4"


def ft_perf(values=None):
    values = values or {}
    return " ".join("'NODE~%s#tolerable.failures.count'=%d;;1:;0" % (c, values.get(c, 1))
                    for c in COMPONENTS)


def node(number, **changes):
    fields = dict(name="node-%02d" % number, uuid="uuid-%d" % number, state="NORMAL",
                  hypervisor_state="ACROPOLIS_NORMAL", connected=True, maintenance=False,
                  degraded=False, reboot_pending=False, cvm_power="ON",
                  metadata_status="kNormalMode")
    fields.update(changes)
    return Node(**fields)


def fault_tolerance(**tolerable):
    return [FaultTolerance("NODE", c, tolerable.get(c, 1)) for c in COMPONENTS]


def model(nodes=None, ft=None, source="Prism Element v2.0", not_available=(), **cluster):
    fields = dict(name="PROD-A", uuid="0005-cafe", version="6.8.1", operation_mode="NORMAL",
                  rf_current=2, rf_desired=2, upgrade_in_progress=False, num_nodes=4)
    fields.update(cluster)
    return ClusterHealth(
        cluster=Cluster(**fields),
        nodes=[node(i) for i in range(1, 5)] if nodes is None else nodes,
        fault_tolerance=fault_tolerance() if ft is None else ft,
        source=source, not_available=list(not_available))


def run(health, options=OPTIONS):
    result = evaluate(health, options)
    return result, nagios(result)


def four_nodes(changes_by_number):
    return [node(i, **changes_by_number.get(i, {})) for i in range(1, 5)]


HEALTHY_LINES = ["[OK] node-%02d: healthy (host NORMAL, CVM on)" % i for i in range(1, 5)]


def test_all_healthy():
    result, out = run(model())
    assert result.state == State.OK
    assert out.split("\n") == [
        "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1 | "
        + NODE_PERF % (4, 0) + " " + ft_perf(),
        "[OK] operation mode NORMAL",
        "[OK] redundancy factor 2 as desired",
    ] + HEALTHY_LINES + [
        "[OK] fault tolerance 1, RF2 expects 1",
        "[OK] metadata ring: all 4 nodes normal",
    ]


def test_one_cvm_off_warns_naming_the_node():
    result, out = run(model(nodes=four_nodes({2: {"cvm_power": "OFF"}})))
    assert result.state == State.WARNING
    lines = out.split("\n")
    assert lines[0].startswith(
        "WARNING - PROD-A: 1 of 4 nodes unhealthy: node-02 (CVM powered off)")
    assert lines[0].endswith(" | " + NODE_PERF % (3, 1) + " " + ft_perf())
    assert lines[1:] == [
        "[WARNING] 1 of 4 nodes unhealthy: node-02 (CVM powered off)",
        "[WARNING] node-02: CVM powered off",
        "[OK] operation mode NORMAL",
        "[OK] redundancy factor 2 as desired",
        "[OK] node-01: healthy (host NORMAL, CVM on)",
        "[OK] node-03: healthy (host NORMAL, CVM on)",
        "[OK] node-04: healthy (host NORMAL, CVM on)",
        "[OK] fault tolerance 1, RF2 expects 1",
        "[OK] metadata ring: all 4 nodes normal",
    ]


def test_one_cvm_off_first_line_names_the_node_once():
    _, out = run(model(nodes=four_nodes({2: {"cvm_power": "OFF"}})))
    assert out.split(" | ")[0] == \
        "WARNING - PROD-A: 1 of 4 nodes unhealthy: node-02 (CVM powered off)"


@pytest.mark.parametrize("changes,words", [
    ({"cvm_power": "OFF"}, "CVM powered off"),
    ({"cvm_power": "SUSPENDED"}, "CVM suspended"),
    ({"maintenance": True}, "in maintenance mode"),
    ({"degraded": True}, "degraded"),
    ({"state": "DETACHED"}, "host state DETACHED"),
    ({"connected": False}, "AHV host disconnected from Acropolis"),
    ({"maintenance": True, "cvm_power": "OFF"}, "in maintenance mode, CVM powered off"),
])
def test_each_node_problem_is_a_warning(changes, words):
    result, out = run(model(nodes=four_nodes({3: changes})))
    assert result.state == State.WARNING
    assert "1 of 4 nodes unhealthy: node-03 (%s)" % words in out.split("\n")[0]
    assert "[WARNING] node-03: %s" % words in out.split("\n")


def test_healthy_below_three_for_rf2_is_critical():
    nodes = four_nodes({2: {"cvm_power": "OFF"}, 3: {"state": "DETACHED"}})
    result, out = run(model(nodes=nodes))
    assert result.state == State.CRITICAL
    first = out.split("\n")[0]
    assert first.startswith("CRITICAL - PROD-A: only 2 healthy nodes, RF2 needs at least 3; "
                            "2 of 4 nodes unhealthy: node-02 (CVM powered off), "
                            "node-03 (host state DETACHED)")
    assert first.endswith(" | " + NODE_PERF % (2, 2) + " " + ft_perf())
    assert out.split("\n")[1:3] == [
        "[CRITICAL] only 2 healthy nodes, RF2 needs at least 3",
        "[WARNING] 2 of 4 nodes unhealthy: node-02 (CVM powered off), "
        "node-03 (host state DETACHED)",
    ]


def test_three_healthy_of_four_is_enough_for_rf2():
    result, out = run(model(nodes=four_nodes({4: {"maintenance": True}})))
    assert result.state == State.WARNING
    assert "only" not in out


def test_rf3_needs_five_healthy_nodes():
    assert [rf_minimum_nodes(rf) for rf in (1, 2, 3)] == [1, 3, 5]
    nodes = [node(i) for i in range(1, 6)]
    nodes[0].degraded = True
    ft = [FaultTolerance("NODE", c, 2) for c in COMPONENTS]
    result, out = run(model(nodes=nodes, ft=ft, rf_current=3, rf_desired=3))
    assert result.state == State.CRITICAL
    assert out.startswith("CRITICAL - PROD-A: only 4 healthy nodes, RF3 needs at least 5; ")
    assert "'nodes.healthy.count'=4;;5:;0;5" in out


def test_rf_mismatch_is_critical():
    result, out = run(model(rf_current=2, rf_desired=3))
    assert result.state == State.CRITICAL
    assert out.split("\n")[:3] == [
        "CRITICAL - PROD-A: redundancy factor 2, desired 3 | " + NODE_PERF % (4, 0) + " "
        + ft_perf(),
        "[CRITICAL] redundancy factor 2, desired 3: data is not yet protected at the desired "
        "level",
        "[OK] operation mode NORMAL",
    ]


def test_no_node_failure_tolerated_is_critical():
    result, out = run(model(ft=fault_tolerance(METADATA=0, EXTENT_GROUPS=0)))
    assert result.state == State.CRITICAL
    lines = out.split("\n")
    assert lines[0] == (
        "CRITICAL - PROD-A: cannot tolerate a node failure: EXTENT_GROUPS, METADATA | "
        + NODE_PERF % (4, 0) + " " + ft_perf({"METADATA": 0, "EXTENT_GROUPS": 0}))
    assert lines[1] == "[CRITICAL] cannot tolerate a node failure: EXTENT_GROUPS, METADATA"
    # no "fault tolerance 1" OK line when a component is short
    assert not any(line.startswith("[OK] fault tolerance") for line in lines)


def test_fault_tolerance_reasons_go_to_the_long_output():
    ft = fault_tolerance(FREE_SPACE=0)
    ft[3].message = "Not enough free space to rebuild after a node failure"
    _, out = run(model(ft=ft))
    lines = out.split("\n")
    assert lines[0].startswith("CRITICAL - PROD-A: cannot tolerate a node failure: FREE_SPACE |")
    assert lines[1] == ("[CRITICAL] cannot tolerate a node failure: FREE_SPACE (Not enough free "
                        "space to rebuild after a node failure)")


def test_rf3_tolerating_only_one_failure_is_critical():
    ft = [FaultTolerance("NODE", c, 1 if c == "METADATA" else 2) for c in COMPONENTS]
    nodes = [node(i) for i in range(1, 6)]
    result, out = run(model(nodes=nodes, ft=ft, rf_current=3, rf_desired=3))
    assert result.state == State.CRITICAL
    assert out.startswith("CRITICAL - PROD-A: can tolerate only 1 node failure(s), RF3 expects "
                          "2: METADATA | ")
    assert "'NODE~METADATA#tolerable.failures.count'=1;;2:;0" in out


def test_metadata_ring_not_normal_is_critical():
    nodes = four_nodes({2: {"metadata_status": "kKickedOutOfRing",
                              "metadata_message": "Node removed from ring"}})
    result, out = run(model(nodes=nodes))
    assert result.state == State.CRITICAL
    lines = out.split("\n")
    assert lines[0] == ("CRITICAL - PROD-A: metadata ring: node-02 not normal | "
                        + NODE_PERF % (4, 0) + " " + ft_perf())
    assert lines[1] == ("[CRITICAL] metadata ring: node-02 not in normal mode (kKickedOutOfRing: "
                        "Node removed from ring)")


@pytest.mark.parametrize("status", ["kNormalMode", "NORMAL_MODE", "NORMAL"])
def test_metadata_normal_spellings(status):
    result, _ = run(model(nodes=four_nodes({1: {"metadata_status": status}})))
    assert result.state == State.OK


@pytest.mark.parametrize("mode", ["READ_ONLY", "STAND_ALONE", "OVERRIDE", "SWITCH_TO_TWO_NODE"])
def test_operation_mode_not_normal_is_critical(mode):
    result, out = run(model(operation_mode=mode))
    assert result.state == State.CRITICAL
    assert out.split("\n")[:2] == [
        "CRITICAL - PROD-A: operation mode %s (not NORMAL) | " % mode + NODE_PERF % (4, 0)
        + " " + ft_perf(),
        "[CRITICAL] operation mode %s (not NORMAL)" % mode,
    ]


def test_worst_first_when_several_things_are_wrong():
    nodes = four_nodes({4: {"maintenance": True}})
    result, out = run(model(nodes=nodes, operation_mode="READ_ONLY",
                            ft=fault_tolerance(METADATA=0)))
    assert result.state == State.CRITICAL
    assert out.startswith("CRITICAL - PROD-A: operation mode READ_ONLY (not NORMAL); cannot "
                          "tolerate a node failure: METADATA; 1 of 4 nodes unhealthy: node-04 "
                          "(in maintenance mode)")


# --- missing data: UNKNOWN, never OK ------------------------------------------------------------


def test_missing_operation_mode_and_host_state():
    nodes = four_nodes({2: {"state": None}})
    result, out = run(model(nodes=nodes, operation_mode=None))
    assert result.state == State.UNKNOWN
    lines = out.split("\n")
    assert lines[0].startswith("UNKNOWN - PROD-A: operation mode not reported by Prism; health "
                               "of 1 of 4 nodes not fully reported: node-02")
    assert lines[1:4] == [
        "[UNKNOWN] operation mode not reported by Prism",
        "[UNKNOWN] health of 1 of 4 nodes not fully reported: node-02",
        "[UNKNOWN] node-02: not reported: host state",
    ]


def test_missing_redundancy_factor():
    result, out = run(model(rf_current=None, rf_desired=None))
    assert result.state == State.UNKNOWN
    assert out.split("\n")[0] == (
        "UNKNOWN - PROD-A: redundancy factor not reported by Prism | 'nodes.total.count'=4;;;0 "
        "'nodes.healthy.count'=4;;;0;4 'nodes.unhealthy.count'=0;0;;0;4 "
        + " ".join("'NODE~%s#tolerable.failures.count'=1;;;0" % c for c in COMPONENTS))


@pytest.mark.parametrize("cluster_changes,node_changes,ft,words", [
    ({"operation_mode": None}, {}, None, "operation mode not reported by Prism"),
    ({"rf_current": None}, {}, None, "redundancy factor not reported by Prism"),
    ({"rf_desired": None}, {}, None, "redundancy factor not reported by Prism"),
    ({}, {"state": None}, None, "node-01: not reported: host state"),
    ({}, {"degraded": None}, None, "node-01: not reported: degraded flag"),
    ({}, {"maintenance": None}, None, "node-01: not reported: maintenance mode"),
    ({}, {"cvm_power": None}, None,
     "node-01: not reported: CVM power state (no CVM found for this host)"),
    ({}, {"metadata_status": None}, None, "metadata ring status not reported for node-01"),
    ({}, {}, [], "fault tolerance not reported by Prism"),
    ({}, {}, [FaultTolerance("NODE", "METADATA", None)],
     "fault tolerance not computed for NODE~METADATA"),
])
def test_any_missing_field_is_unknown_never_ok(cluster_changes, node_changes, ft, words):
    health = model(nodes=four_nodes({1: node_changes}), ft=ft, **cluster_changes)
    result, out = run(health)
    assert result.state == State.UNKNOWN
    assert out.startswith("UNKNOWN - PROD-A: ")
    assert "[UNKNOWN] " + words in out.split("\n")


def test_nothing_reported_at_all():
    health = ClusterHealth(cluster=Cluster(name="X"), nodes=[Node(name="n1")],
                           fault_tolerance=[], source="Prism Element v2.0")
    result, out = run(health)
    assert result.state == State.UNKNOWN
    assert out.split("\n")[1:] == [
        "[UNKNOWN] operation mode not reported by Prism",
        "[UNKNOWN] redundancy factor not reported by Prism",
        "[UNKNOWN] health of 1 of 1 nodes not fully reported: n1",
        "[UNKNOWN] n1: not reported: host state, degraded flag, maintenance mode, CVM power "
        "state (no CVM found for this host)",
        "[UNKNOWN] fault tolerance not reported by Prism",
        "[UNKNOWN] metadata ring status not reported for n1",
    ]
    assert "'nodes.unhealthy.count'=0;0;;0;1" in out


# Node fields other checks judge (load, sizes, the CVM's own figures, raw records).
CLUSTER_CHECK_IGNORES = ("cpu_percent", "memory_percent", "num_vms", "cpu_threads",
                         "memory_bytes", "cvm_uuid", "cvm_vcpus", "cvm_memory_bytes",
                         "cvm_cpu_percent", "cvm_memory_percent", "raw_host", "raw_cvm")


def test_every_single_missing_field_is_never_ok():
    optional = [f for f in Node.FIELDS
                if f not in ("name", "uuid", "host_ip", "cvm_ip", "cvm_name", "serial",
                                  "block_serial", "hypervisor_state", "reboot_pending",
                                  "hypervisor_version", "metadata_message", "connected")
                and f not in CLUSTER_CHECK_IGNORES]
    assert sorted(optional) == ["cvm_power", "degraded", "maintenance", "metadata_status",
                                "state"]
    for name in optional:
        result, _ = run(model(nodes=four_nodes({1: {name: None}})))
        assert result.state == State.UNKNOWN, name


def test_missing_version_is_simply_not_said():
    result, out = run(model(version=None))
    assert result.state == State.OK
    assert out.startswith("OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure |")


# --- upgrade ------------------------------------------------------------------------------------


def test_upgrade_in_progress_is_stated_while_ok():
    result, out = run(model(upgrade_in_progress=True, target_version="6.10"))
    assert result.state == State.OK
    lines = out.split("\n")
    assert lines[0] == (
        "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1, "
        "upgrade in progress to 6.10 | " + NODE_PERF % (4, 0) + " " + ft_perf())
    assert lines[-1] == "[OK] upgrade in progress to 6.10"


def test_upgrade_without_a_different_target():
    _, out = run(model(upgrade_in_progress=True, target_version="6.8.1"))
    assert out.startswith("OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, "
                          "AOS 6.8.1, upgrade in progress |")


def test_upgrade_does_not_hide_a_problem():
    result, out = run(model(upgrade_in_progress=True, target_version="6.10",
                            nodes=four_nodes({1: {"cvm_power": "OFF"}})))
    assert result.state == State.WARNING
    assert "[OK] upgrade in progress to 6.10" in out.split("\n")


# --- Prism Central ------------------------------------------------------------------------------


def test_prism_central_v4_says_what_was_not_checked():
    nodes = [node(i, cvm_power=None, metadata_status=None) for i in range(1, 5)]
    health = model(nodes=nodes, ft=[FaultTolerance("NODE", "CLUSTER", 1)],
                   source="Prism Central v4 clustermgmt", not_available=NOT_AVAILABLE)
    result, out = run(health)
    assert result.state == State.OK
    assert out.split("\n") == [
        "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1 | "
        + NODE_PERF % (4, 0) + " 'NODE~CLUSTER#tolerable.failures.count'=1;;1:;0",
        "[OK] operation mode NORMAL",
        "[OK] redundancy factor 2 as desired",
    ] + ["[OK] node-%02d: healthy (host NORMAL)" % i for i in range(1, 5)] + [
        "[OK] fault tolerance 1, RF2 expects 1",
        "(not available from Prism Central v4 clustermgmt, not checked: CVM power state, "
        "metadata ring membership, fault tolerance per component (only the cluster-wide "
        "figure); monitor the cluster's Prism Element for those)",
    ]


def test_prism_central_still_judges_what_it_has():
    nodes = [node(i, cvm_power=None, metadata_status=None) for i in range(1, 5)]
    nodes[1].maintenance = True
    health = model(nodes=nodes, ft=[FaultTolerance("NODE", "CLUSTER", 0)],
                   source="Prism Central v4 clustermgmt", not_available=NOT_AVAILABLE)
    result, out = run(health)
    assert result.state == State.CRITICAL
    assert out.startswith("CRITICAL - PROD-A: cannot tolerate a node failure: CLUSTER; 1 of 4 "
                          "nodes unhealthy: node-02 (in maintenance mode)")
    assert out.split("\n")[-1].startswith("(not available from Prism Central v4 clustermgmt")


V3_NOT_AVAILABLE = NOT_AVAILABLE + [
    "host state, maintenance and degraded flags (v3 has none; Prism Central pc.2024.3 or "
    "later serves v4)"]


def _v3_model():
    # What prism/central.py _v3_health builds: nodes without state flags, no FT list.
    nodes = [Node(name="node-%02d" % i, host_ip="10.0.0.%d" % i) for i in range(1, 5)]
    return model(nodes=nodes, ft=[], source="Prism Central v3",
                 not_available=V3_NOT_AVAILABLE)


def test_prism_central_v3_is_never_ok_and_says_what_was_not_checked():
    result, out = run(_v3_model())
    assert result.state != State.OK
    assert out.split("\n")[-1] == (
        "(not available from Prism Central v3, not checked: CVM power state, metadata ring "
        "membership, fault tolerance per component (only the cluster-wide figure), host "
        "state, maintenance and degraded flags (v3 has none; Prism Central pc.2024.3 or later "
        "serves v4); monitor the cluster's Prism Element for those)")


def test_prism_central_v3_is_not_a_false_critical():
    result, out = run(_v3_model())
    assert result.state != State.CRITICAL
    assert "only 0 healthy nodes" not in out


# --- thresholds on nodes.unhealthy.count --------------------------------------------------------


def test_critical_threshold_on_unhealthy_nodes():
    options = argparse.Namespace(warning=Range.parse("0"), critical=Range.parse("1"))
    nodes = [node(i) for i in range(1, 6)]
    nodes[1].maintenance = True
    nodes[2].degraded = True
    result, out = run(model(nodes=nodes), options)
    assert result.state == State.CRITICAL
    assert out.split("\n")[1] == ("[CRITICAL] 2 of 5 nodes unhealthy: node-02 (in maintenance "
                                  "mode), node-03 (degraded)")
    assert "'nodes.unhealthy.count'=2;0;1;0;5" in out


def test_no_thresholds_render_empty_fields():
    options = argparse.Namespace(warning=None, critical=None)
    result, out = run(model(), options)
    assert result.state == State.OK
    assert "'nodes.unhealthy.count'=0;;;0;4" in out


def test_warning_threshold_can_tolerate_one_unhealthy_node():
    options = argparse.Namespace(warning=Range.parse("1"), critical=None)
    result, _ = run(model(nodes=four_nodes({2: {"maintenance": True}})), options)
    assert result.state == State.OK


# --- sanitizing cluster-provided names ----------------------------------------------------------


def test_cluster_and_node_names_cannot_break_the_output():
    nodes = four_nodes({2: {"name": "node|02\nINJECTED", "cvm_power": "OFF"}})
    _, out = run(model(nodes=nodes, name="PROD|A\r\nOK - fake"))
    first = out.split("\n")[0]
    assert first.startswith("WARNING - PROD/A OK - fake: 1 of 4 nodes unhealthy: "
                            "node/02 INJECTED (CVM powered off)")
    assert first.count("|") == 1
    assert "[WARNING] node/02 INJECTED: CVM powered off" in out.split("\n")


def test_evaluate_is_pure():
    health = model(nodes=four_nodes({2: {"cvm_power": "OFF"}}))
    before = as_dict(health)
    first = run(health)[1]
    assert run(health)[1] == first
    assert as_dict(health) == before
