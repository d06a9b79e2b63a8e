"""The `ahv` check's judgement, on hand-built models, through the Nagios renderer."""

import argparse

import pytest

from nagios_nutanix.checks.ahv import (
    LACKS_HOST_FLAGS,
    LACKS_UTILIZATION,
    AhvModel,
    evaluate,
    guest_vcpus,
)
from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism.alerts import PrismAlert
from nagios_nutanix.prism.model import Cluster, Inventory, Node
from nagios_nutanix.prism.vms import VmPlacement

NOW = 1_800_000_000.0


def options(**changes):
    values = dict(filter_name=None, filter_name_regex=None, maintenance_state="OK",
                  warning_cpu=Range.parse("80"), critical_cpu=Range.parse("90"),
                  warning_memory=Range.parse("85"), critical_memory=Range.parse("95"),
                  warning_vcpu_ratio=Range.parse("4"), critical_vcpu_ratio=Range.parse("6"))
    values.update(changes)
    return argparse.Namespace(**values)


def node(i, **changes):
    fields = dict(name="node-%02d" % i, uuid="host-%d" % i, host_ip="10.0.0.%d" % i,
                  cvm_ip="10.0.1.%d" % i, serial="SER%04d" % i, block_serial="BLK01",
                  state="NORMAL", hypervisor_state="ACROPOLIS_NORMAL", connected=True,
                  maintenance=False, degraded=False, reboot_pending=False,
                  cpu_percent=20.0 + i, memory_percent=40.0 + i, num_vms=2, cpu_threads=16,
                  cvm_vcpus=12)
    fields.update(changes)
    return Node(**fields)


def vm(name, host, vcpus, on=True, controller=False, by_name=False):
    return VmPlacement(name=name, uuid="vm-" + name, host_uuid=None if by_name else host,
                       host_name=("node-0%s" % host[-1]) if by_name else None, vcpus=vcpus,
                       powered_on=on, controller=controller)


def default_vms():
    """Two powered-on 4-vCPU guests per host (ratio 0.5), a CVM and a powered-off VM each."""
    found = []
    for i in range(1, 5):
        host = "host-%d" % i
        found += [vm("g%da" % i, host, 4), vm("g%db" % i, host, 4),
                  vm("cvm%d" % i, host, 12, controller=True),
                  vm("off%d" % i, host, 16, on=False)]
    return found


def model(nodes=None, vms="default", alerts=(), alerts_reason=None, vms_reason=None,
          lacks=(), source="Prism Element v2.0"):
    inventory = Inventory(cluster=Cluster(name="PROD-A", uuid="c-1"),
                          nodes=[node(i) for i in range(1, 5)] if nodes is None else nodes,
                          source=source)
    return AhvModel(inventory, default_vms() if vms == "default" else vms, vms_reason,
                    None if alerts_reason else list(alerts), alerts_reason, NOW, lacks)


def alert(title, severity, node_name, message="", age=600, acknowledged=False):
    return PrismAlert(title=title, message=message or title, severity=severity,
                      entities=[{"type": "host", "name": node_name, "uuid": None}],
                      created=NOW - age, acknowledged=acknowledged, type_id="A1")


def first(result):
    return nagios(result).splitlines()[0]


def lines(result):
    return nagios(result).splitlines()


# --- all well -------------------------------------------------------------------------------


def test_healthy_cluster_first_line_and_perfdata():
    result = evaluate(model(), options())
    assert result.state == State.OK
    summary, _, perf = first(result).partition(" | ")
    assert summary == ("OK - PROD-A: 4 AHV hosts NORMAL and connected to Acropolis, CPU up to "
                       "24.0%, memory up to 44.0%, vCPU:pCPU 0.50 cluster-wide")
    assert perf.split(" ")[:4] == [
        "'node-01#cpu.utilization.percentage'=21%;80;90;0;100",
        "'node-01#memory.utilization.percentage'=41%;85;95;0;100",
        "'node-01#vms.count'=2;;;0",
        "'node-01#vcpu.pcpu.ratio'=0.5;4;6;0"]
    assert len(perf.split(" ")) == 16


def test_cluster_wide_ratio_is_in_the_long_output_without_a_filter():
    out = lines(evaluate(model(), options()))
    assert ("[OK] cluster-wide vCPU:pCPU 0.50: 32 vCPUs of powered-on guest VMs on 64 CPU "
            "threads of 4 hosts") in out


def test_one_node_by_filter():
    result = evaluate(model(), options(filter_name="10.0.1.3"))
    assert first(result).split(" | ")[0] == (
        "OK - PROD-A/node-03: host NORMAL, connected to Acropolis, CPU 23.0%, memory 43.0%, "
        "2 VMs, vCPU:pCPU 0.50")
    assert "cluster-wide" not in nagios(result)
    assert all(m.instance == "node-03" for m in result.metrics)


def test_ratio_line_leaves_the_cvm_out_and_says_so():
    out = lines(evaluate(model(), options(filter_name="node-02")))
    assert ("[OK] vCPU:pCPU 0.50: 8 vCPUs of 2 powered-on guest VMs on 16 CPU threads (the "
            "CVM's 12 vCPUs not counted)") in out


def test_guest_vcpus_match_by_host_uuid_or_name_and_skip_off_vms_and_cvms():
    n = node(1)
    placed = [vm("a", "host-1", 4), vm("b", "host-1", 2, by_name=True),
              vm("c", "host-1", 8, on=False), vm("cvm", "host-1", 12, controller=True),
              vm("elsewhere", "host-2", 6), vm("unsized", "host-1", None)]
    assert guest_vcpus(n, placed) == (6, 3, 1)


# --- host flags -------------------------------------------------------------------------------


def test_acropolis_disconnected_is_critical_and_named_first():
    nodes = [node(1), node(2, connected=False), node(3), node(4)]
    out = lines(evaluate(model(nodes), options()))
    assert out[0].split(" | ")[0] == ("CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-02 "
                                      "(disconnected from Acropolis)")
    assert out[1] == ("[CRITICAL] node-02: AHV host disconnected from Acropolis: it cannot run "
                      "VM operations (power, migrate, HA restart)")


def test_degraded_is_critical():
    result = evaluate(model([node(1, degraded=True)]), options(filter_name="node-01"))
    assert first(result).split(" | ")[0] == "CRITICAL - PROD-A/node-01: node degraded"


@pytest.mark.parametrize("changes,brief", [
    ({"state": "MARKED_FOR_REMOVAL_BUT_NOT_DETACHABLE"},
     "host state MARKED_FOR_REMOVAL_BUT_NOT_DETACHABLE"),
    ({"reboot_pending": True}, "reboot pending"),
    ({"hypervisor_state": "HA_FAILOVER_SOURCE"}, "hypervisor state HA_FAILOVER_SOURCE"),
])
def test_warnings(changes, brief):
    result = evaluate(model([node(1, **changes)]), options(filter_name="node-01"))
    assert first(result).split(" | ")[0] == "WARNING - PROD-A/node-01: " + brief


def test_ha_reservation_is_configuration_not_trouble():
    result = evaluate(model([node(1, hypervisor_state="RESERVED_FOR_HA_FAILOVER")]),
                      options(filter_name="node-01"))
    assert result.state == State.OK


def test_maintenance_is_stated_and_ok_by_default():
    nodes = [node(1), node(2, maintenance=True, hypervisor_state="ENTERED_MAINTENANCE_MODE",
                           reboot_pending=True, connected=False)] + [node(3), node(4)]
    result = evaluate(model(nodes), options())
    assert result.state == State.OK
    assert first(result).split(" | ")[0] == (
        "OK - PROD-A: 4 AHV hosts NORMAL, node-02 in maintenance mode, node-02 disconnected "
        "from Acropolis, CPU up to 24.0%, memory up to 44.0%, vCPU:pCPU 0.50 cluster-wide")
    one = evaluate(model(nodes), options(filter_name="node-02"))
    assert first(one).startswith("OK - PROD-A/node-02: in maintenance mode, reboot pending, "
                                 "host NORMAL, disconnected from Acropolis, CPU 22.0%")


def test_maintenance_state_warning_raises_maintenance_and_what_it_softened():
    nodes = [node(1), node(2, maintenance=True, hypervisor_state="ENTERING_MAINTENANCE_MODE",
                           reboot_pending=True, connected=False)] + [node(3), node(4)]
    result = evaluate(model(nodes), options(maintenance_state="WARNING"))
    assert first(result).split(" | ")[0] == (
        "WARNING - PROD-A: 1 of 4 nodes in trouble: node-02 (entering maintenance mode, "
        "reboot pending, disconnected from Acropolis)")


def test_degraded_stays_critical_in_maintenance():
    nodes = [node(1, maintenance=True, degraded=True)]
    result = evaluate(model(nodes), options(filter_name="node-01"))
    assert first(result).split(" | ")[0] == "CRITICAL - PROD-A/node-01: node degraded"


def test_missing_flags_are_unknown_never_ok():
    result = evaluate(model([node(1, state=None, connected=None, degraded=None,
                                  maintenance=None)]), options(filter_name="node-01"))
    assert result.state == State.UNKNOWN
    out = nagios(result)
    for words in ("host state not reported by Prism", "maintenance mode not reported by Prism",
                  "degraded flag not reported by Prism",
                  "Acropolis connection state not reported by Prism"):
        assert "[UNKNOWN] " + words in out


# --- load -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cpu,memory,state,brief", [
    (80.0, 85.0, State.OK, None),
    (80.5, 40.0, State.WARNING, "CPU 80.5%"),
    (91.0, 40.0, State.CRITICAL, "CPU 91.0%"),
    (20.0, 96.2, State.CRITICAL, "memory 96.2%"),
])
def test_cpu_and_memory_thresholds(cpu, memory, state, brief):
    result = evaluate(model([node(1, cpu_percent=cpu, memory_percent=memory)]),
                      options(filter_name="node-01"))
    assert result.state == state
    if brief:
        assert first(result).split(" | ")[0] == "%s - PROD-A/node-01: %s" % (state.name, brief)


def test_custom_cpu_range():
    result = evaluate(model([node(1, cpu_percent=50.0)]),
                      options(filter_name="node-01", warning_cpu=Range.parse("40")))
    assert result.state == State.WARNING
    assert "'node-01#cpu.utilization.percentage'=50%;40;90;0;100" in first(result)


@pytest.mark.parametrize("vcpus,state", [(64, State.OK), (65, State.WARNING),
                                         (96, State.WARNING), (112, State.CRITICAL)])
def test_vcpu_ratio_thresholds_are_inclusive(vcpus, state):
    placed = [vm("big", "host-1", vcpus)]
    result = evaluate(model([node(1)], vms=placed), options(filter_name="node-01"))
    assert result.state == state


def test_overcommitted_host_is_named_with_its_ratio():
    placed = default_vms() + [vm("x%d" % k, "host-2", 8) for k in range(13)]
    out = lines(evaluate(model(vms=placed), options()))
    assert out[0].split(" | ")[0] == ("CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-02 "
                                      "(vCPU:pCPU 7.00)")
    assert ("[CRITICAL] node-02: vCPU:pCPU 7.00: 112 vCPUs of 15 powered-on guest VMs on 16 "
            "CPU threads (the CVM's 12 vCPUs not counted)") in out
    assert "'node-02#vcpu.pcpu.ratio'=7;4;6;0" in out[0]


def test_missing_load_figures_are_unknown():
    placed = [vm("a", "host-1", None)]
    result = evaluate(model([node(1, cpu_percent=None)], vms=placed),
                      options(filter_name="node-01"))
    out = nagios(result)
    assert result.state == State.UNKNOWN
    assert "[UNKNOWN] CPU utilization not reported by Prism" in out
    assert "[UNKNOWN] vCPU:pCPU unknown: 1 of 1 powered-on VMs on the host have no vCPU " \
        "count" in out
    threads = evaluate(model([node(1, cpu_threads=None)]), options(filter_name="node-01"))
    assert "[UNKNOWN] vCPU:pCPU unknown: Prism did not report the host's CPU threads" in \
        nagios(threads)


def test_unreadable_vm_list_is_unknown_with_the_reason():
    result = evaluate(model(vms=None, vms_reason="HTTP 404 on vmm"),
                      options(filter_name="node-01"))
    out = lines(result)
    assert out[0].split(" | ")[0] == ("UNKNOWN - PROD-A/node-01: VM count and vCPU:pCPU "
                                      "unknown (VM list unreadable)")
    assert "[UNKNOWN] VM count and vCPU:pCPU not judged: HTTP 404 on vmm" in out
    assert "vms.count" not in out[0]  # the host record's own count means something else


def test_vm_count_is_powered_on_guests_from_the_vm_list_on_every_source():
    # The host record says 7 (it may count the CVM, and v4 has no such field); the VM list has
    # two powered-on guests, a CVM and a powered-off VM on node-01: 2, on PE and PC alike.
    for lacks, source in (([], "Prism Element v2.0"),
                          ([LACKS_UTILIZATION], "Prism Central v4 clustermgmt")):
        result = evaluate(model([node(1, num_vms=7)], lacks=lacks, source=source),
                          options(filter_name="node-01"))
        assert "'node-01#vms.count'=2;;;0" in first(result)
        assert "2 VMs" in first(result).split(" | ")[0]


# --- alerts -----------------------------------------------------------------------------------


def test_host_and_ovs_alerts_raise_the_state_and_are_quoted():
    alerts = [alert("OVS Service Restart", "WARNING", "node-02", "OVS restarted on host"),
              alert("Node Failure.", "CRITICAL", "node-03", age=7200),
              alert("Stargate Temporarily Down.", "CRITICAL", "node-04"),  # not a host alert
              alert("Host IP Not Reachable", "INFO", "node-01")]
    out = lines(evaluate(model(alerts=alerts), options()))
    assert out[0].split(" | ")[0] == (
        "CRITICAL - PROD-A: 2 of 4 nodes in trouble: node-03 (alert: Node Failure), node-02 "
        "(alert: OVS Service Restart)")
    assert "[WARNING] node-02: alert 'OVS Service Restart': OVS restarted on host (A1, " \
        "WARNING, 10m ago)" in out
    assert "[CRITICAL] node-03: alert 'Node Failure' (A1, CRITICAL, 2h ago)" in out
    assert any(line.startswith("[OK] node-01: ") and "alert 'Host IP Not Reachable' (A1, INFO"
               in line for line in out)


def test_acknowledged_alert_still_counts_and_says_so():
    alerts = [alert("OVS Service Restart", "WARNING", "node-01", acknowledged=True)]
    result = evaluate(model(alerts=alerts), options(filter_name="node-01"))
    assert result.state == State.WARNING
    assert "(A1, WARNING, 10m ago, acknowledged)" in nagios(result)


def test_maintenance_alert_is_not_paged_twice():
    nodes = [node(1, maintenance=True)]
    alerts = [alert("Node in Maintenance Mode.", "WARNING", "node-01")]
    result = evaluate(model(nodes, alerts=alerts), options(filter_name="node-01"))
    assert result.state == State.OK


def test_unreadable_alerts_are_unknown_not_ok():
    result = evaluate(model(alerts_reason="alerts could not be read: HTTP 403"), options())
    out = lines(result)
    assert out[0].split(" | ")[0] == ("UNKNOWN - PROD-A: alerts unreadable (HTTP 403): host "
                                      "and OVS alerts not checked")
    assert "[UNKNOWN] host and OVS alerts not judged: alerts could not be read: HTTP 403" in out


@pytest.mark.parametrize("value,state", [("warning", State.WARNING), ("Warning", State.WARNING),
                                         ("ok", State.OK), ("WARNING", State.WARNING)])
def test_maintenance_state_in_any_case(value, state):
    nodes = [node(1, maintenance=True, hypervisor_state="ENTERED_MAINTENANCE_MODE")]
    result = evaluate(model(nodes), options(filter_name="node-01", maintenance_state=value))
    assert result.state == state


def test_maintenance_state_other_words_are_refused():
    with pytest.raises(UsageError, match="invalid choice: 'maybe' .choose from OK, WARNING, in "
                                         "any case."):
        evaluate(model(), options(maintenance_state="maybe"))


# --- sources that lack data -------------------------------------------------------------------


def test_prism_central_says_it_cannot_read_utilization():
    nodes = [node(i, cpu_percent=None, memory_percent=None) for i in range(1, 5)]
    result = evaluate(model(nodes, lacks=[LACKS_UTILIZATION],
                            source="Prism Central v4 clustermgmt"), options())
    out = lines(result)
    assert result.state == State.OK
    assert out[0].split(" | ")[0] == ("OK - PROD-A: 4 AHV hosts NORMAL and connected to "
                                      "Acropolis, vCPU:pCPU 0.50 cluster-wide")
    assert "cpu.utilization" not in out[0]
    assert out[-1] == ("(not available from Prism Central v4 clustermgmt, not checked: CPU and "
                       "memory utilization (Prism Central v4 serves them only as per-host "
                       "time series); monitor the cluster's Prism Element for those)")


def test_prism_central_v3_lacks_host_flags_without_false_unknowns():
    nodes = [node(1, state=None, connected=None, degraded=None, maintenance=None,
                  reboot_pending=None, cpu_percent=None, memory_percent=None)]
    result = evaluate(model(nodes, lacks=[LACKS_UTILIZATION, LACKS_HOST_FLAGS],
                            source="Prism Central v3"), options(filter_name="node-01"))
    assert result.state == State.OK
    assert first(result).split(" | ")[0] == "OK - PROD-A/node-01: 2 VMs, vCPU:pCPU 0.50"


# --- filter and text safety -------------------------------------------------------------------


def test_zero_match_lists_the_nodes():
    with pytest.raises(PluginError) as caught:
        evaluate(model(), options(filter_name="node-09"))
    assert str(caught.value) == ("no node of cluster PROD-A matches --filter-name 'node-09'; "
                                 "it has 4: node-01, node-02, node-03, node-04")


def test_regex_over_several_nodes_counts_them():
    nodes = [node(1), node(2, degraded=True), node(3), node(4)]
    result = evaluate(model(nodes), options(filter_name_regex="node-0[12]"))
    assert first(result).split(" | ")[0] == ("CRITICAL - PROD-A: 1 of 2 nodes in trouble: "
                                             "node-02 (node degraded)")


def test_cluster_supplied_text_is_cleaned():
    alerts = [alert("OVS Service Restart", "WARNING", "node-01", "bridge br0 | down\nnow")]
    result = evaluate(model(alerts=alerts), options(filter_name="node-01"))
    out = nagios(result)
    assert "bridge br0 / down now" in out
    assert out.splitlines()[0].count("|") == 1  # only the perfdata separator
