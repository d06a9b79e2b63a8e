"""`alerts` evaluate() on hand-built models: states, first lines, folding, filters."""

import argparse

import pytest

from nagios_nutanix.checks import alerts as check
from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism.alerts import PrismAlert
from nagios_nutanix.prism.model import Cluster, Inventory, Node

NOW = 1_800_000_000.0


def node(i):
    return Node(name="node-%02d" % i, uuid="host-%d" % i, host_ip="10.0.0.%d" % i,
                cvm_ip="10.0.1.%d" % i, serial="SER%d" % i, block_serial="BLK01",
                cvm_uuid="cvm-%d" % i, raw_host={"disk_hardware_configs": {
                    "1": {"serial_number": "S%d01" % i, "disk_uuid": "disk-%d-1" % i},
                    "2": None}})


INVENTORY = Inventory(cluster=Cluster(name="PROD-A", uuid="cluster-uuid"),
                      nodes=[node(i) for i in range(1, 5)], source="test")


def host(i):
    return {"type": "host", "name": "node-%02d" % i, "uuid": "host-%d" % i}


def alert(title, severity="WARNING", entities=(), minutes=10, type_id=None, **fields):
    return PrismAlert(title=title, severity=severity, entities=list(entities),
                      created=NOW - minutes * 60, last=NOW - minutes * 60,
                      type_id=type_id or "A%d" % (abs(hash(title)) % 9000 + 1000), **fields)


STARGATE = alert("Stargate Temporarily Down.", "CRITICAL", [host(3)], 4, "A1030",
                 message="Stargate on CVM 10.0.1.3 is down for 95 seconds.")
DISK = [alert("Disk Bad.", "CRITICAL", [{"type": "disk", "name": "S%d01" % i,
                                         "uuid": "disk-%d-1" % i}], 20 + i, "A1044")
        for i in (1, 2, 4)]
NTP = [alert("CVM time not synchronized with any external servers.", "WARNING", [host(i)],
             60 + i, "A3026") for i in (2, 4)]
LICENSE = alert("Pre-Expiry License Alert", "INFO",
                [{"type": "cluster", "name": "PROD-A", "uuid": "cluster-uuid"}], 720, "A14002")


def options(**given):
    values = dict(filter_name=None, filter_name_regex=None, include_acknowledged=False,
                  include=None, exclude=None)
    values.update(given)
    return argparse.Namespace(**values)


def model(alerts, error=None):
    return check.AlertsModel(INVENTORY, alerts, error, NOW, "test alerts")


def run(alerts, error=None, **given):
    result = check.evaluate(model(alerts, error), options(**given))
    return result, nagios(result).splitlines()


def perf(result):
    return {m.name: m.value for m in result.metrics}


def test_no_alerts_is_ok():
    result, lines = run([])
    assert result.state == State.OK
    assert lines[0].startswith("OK - PROD-A: no unresolved alerts | 'alerts.critical.count'=0;;;0")
    assert perf(result) == {"alerts.critical.count": 0, "alerts.warning.count": 0,
                            "alerts.info.count": 0, "alerts.acknowledged.count": 0}


def test_info_alerts_are_stated_not_alerted():
    result, lines = run([LICENSE])
    assert result.state == State.OK
    assert result.summary == "no critical or warning alerts; 1 info alert: Pre-Expiry License " \
                             "Alert"
    assert perf(result)["alerts.info.count"] == 1


def test_worst_first_and_the_same_alert_on_many_entities_folded():
    result, lines = run(NTP + DISK + [LICENSE, STARGATE])
    assert result.state == State.CRITICAL
    assert result.summary == (
        "4 critical, 2 warning alerts: Stargate Temporarily Down (node-03); Disk Bad (x3); "
        "CVM time not synchronized with any external servers (x2)")
    assert lines[1] == ("[CRITICAL] Stargate Temporarily Down on node-03 - Stargate on CVM "
                        "10.0.1.3 is down for 95 seconds. [A1030, last 4m ago]")
    assert lines[2].startswith("[CRITICAL] Disk Bad x3 on node-01 disk S101, node-02 disk "
                               "S201, node-04 disk S401 [A1044, last 21m ago, first 24m ago]")
    assert lines[-1].startswith("[OK] Pre-Expiry License Alert [A14002, last 12h ago]")
    assert perf(result) == {"alerts.critical.count": 4, "alerts.warning.count": 2,
                            "alerts.info.count": 1, "alerts.acknowledged.count": 0}


def test_a_repeated_alert_on_one_entity_names_it_with_the_count():
    result, _ = run([alert("CVM Rebooted.", entities=[host(2)], minutes=m, type_id="A1") for m
                     in (5, 50)])
    assert result.summary == "2 warning alerts: CVM Rebooted (node-02, x2)"


def test_one_warning_is_singular():
    result, _ = run([NTP[0]])
    assert result.state == State.WARNING
    assert result.summary == ("1 warning alert: CVM time not synchronized with any external "
                              "servers (node-02)")


def test_first_line_names_at_most_four_kinds_of_alert():
    many = [alert("Problem number %d." % i, "CRITICAL", minutes=i, type_id="A%d" % i)
            for i in range(1, 11)]
    result, _ = run(many)
    assert result.summary == ("10 critical alerts: Problem number 1; Problem number 2; "
                              "Problem number 3; Problem number 4 and 6 more")


def test_cluster_text_is_cleaned():
    result, lines = run([alert("Bad | title\nsecond line", "CRITICAL")])
    assert "|" not in lines[0].split(" | ")[0]
    assert result.summary == "1 critical alert: Bad / title second line"


def test_acknowledged_alerts_do_not_count_unless_asked():
    acked = alert("IPMI IP Not Reachable.", entities=[host(1)], acknowledged=True)
    result, lines = run([acked, LICENSE])
    assert result.state == State.OK
    assert "(1 acknowledged alert not counted; --include-acknowledged counts it)" in lines
    assert perf(result)["alerts.acknowledged.count"] == 1
    result, lines = run([acked, LICENSE], include_acknowledged=True)
    assert result.state == State.WARNING
    assert result.summary == "1 warning alert: IPMI IP Not Reachable (node-01)"
    assert "1 acknowledged]" in lines[1]


def test_only_acknowledged_alerts():
    acked = alert("IPMI IP Not Reachable.", acknowledged=True)
    result, _ = run([acked, acked])
    assert (result.state, result.summary) == (State.OK, "no unacknowledged alerts")


def test_include_and_exclude_patterns_on_the_title():
    result, lines = run(NTP + DISK + [STARGATE], include=["disk", "STARGATE"], exclude=["temp"])
    assert result.summary == "3 critical alerts: Disk Bad (x3)"
    assert "(3 alerts left out by --include/--exclude)" in lines
    result, _ = run(NTP + DISK, exclude=["^Disk", "time"])
    assert (result.state, result.summary) == (State.OK, "no unresolved alerts")


def test_a_bad_pattern_is_a_usage_error():
    with pytest.raises(UsageError, match="bad --exclude pattern"):
        run([STARGATE], exclude=["(unclosed"])


def test_filter_name_keeps_the_node_s_host_cvm_and_drive_alerts():
    cvm = alert("CVM RAM Usage High.", entities=[{"type": "vm", "name": "NTNX-CVM",
                                                  "uuid": "cvm-2"}], type_id="A1056")
    result, lines = run(NTP + DISK + [LICENSE, STARGATE, cvm], filter_name="node-02")
    assert result.scope == "PROD-A/node-02"
    assert result.summary == ("1 critical, 2 warning alerts: Disk Bad (disk S201); CVM RAM "
                              "Usage High (CVM); CVM time not synchronized with any "
                              "external servers")
    assert ("(only alerts about node-02 (host, CVM, drives) count; 5 about the cluster or other "
            "nodes not shown)") in lines


def test_filter_by_cvm_ip_and_by_regex():
    cvm = alert("CVM RAM Usage High.", entities=[{"type": "vm", "name": "NTNX-CVM",
                                                  "uuid": "cvm-2"}], type_id="A1056")
    result, _ = run([cvm])
    assert result.summary == "1 warning alert: CVM RAM Usage High (node-02 CVM)"
    result, _ = run([STARGATE] + NTP, filter_name="10.0.1.3")
    assert (result.scope, result.state) == ("PROD-A/node-03", State.CRITICAL)
    result, lines = run([STARGATE] + NTP, filter_name_regex="node-0[24]")
    assert result.scope == "PROD-A"
    assert result.summary == ("2 warning alerts: CVM time not synchronized with any external "
                              "servers (x2)")


def test_filter_matching_no_node_is_unknown():
    with pytest.raises(PluginError, match="no node of cluster PROD-A matches --filter-name"):
        run([STARGATE], filter_name="node-09")


def test_alerts_that_cannot_be_read_are_unknown_never_ok():
    result, lines = run(None, error="alerts could not be read: HTTP 403")
    assert result.state == State.UNKNOWN
    assert lines[0] == "UNKNOWN - PROD-A: alerts could not be read: HTTP 403"
    assert result.metrics == []
    result, _ = run(None, error="alerts could not be read: HTTP 403", filter_name="node-01")
    assert result.scope == "PROD-A/node-01"


def test_entity_names_resolve_to_nodes_by_uuid_when_prism_gives_no_name():
    nameless = alert("Host IP Not Reachable.", entities=[{"type": "host", "name": None,
                                                          "uuid": "host-4"}])
    by_context = alert("Something.", context={"node_uuid": "host-1"})
    result, _ = run([nameless, by_context])
    assert result.summary == "2 warning alerts: Host IP Not Reachable (node-04); Something " \
                             "(node-01)"


def test_vm_alerts_are_named_by_the_vm():
    storm = [alert("NGT Not Reachable.", entities=[{"type": "vm", "name": "app-%04d" % i,
                                                    "uuid": "vm-%d" % i}], minutes=i,
                   type_id="A130118") for i in range(1, 13)]
    result, lines = run(storm)
    assert result.summary == "12 warning alerts: NGT Not Reachable (x12)"
    assert lines[1].startswith("[WARNING] NGT Not Reachable x12 on app-0001, app-0002, "
                               "app-0003, app-0004, app-0005, app-0006, app-0007, app-0008 "
                               "and 4 more [A130118, last 1m ago, first 12m ago]")


def test_ages_read_as_everywhere_else():
    # plugin/duration.human, as the other checks say ages: 1h1m, not 1h01m.
    late = alert("CVM Rebooted.", entities=[host(2)], minutes=61, type_id="A1")
    early = alert("CVM Rebooted.", entities=[host(2)], minutes=26 * 60, type_id="A1")
    _, lines = run([late, early])
    assert lines[1] == "[WARNING] CVM Rebooted x2 on node-02 [A1, last 1h1m ago, first 1d2h ago]"


def test_a_message_repeating_the_title_is_not_repeated():
    same = alert("Remote Site Is Unreachable.", "CRITICAL", minutes=30, type_id="A1108",
                 message="Remote Site Is Unreachable.")
    result, lines = run([same])
    assert result.summary == "1 critical alert: Remote Site Is Unreachable"
    assert lines[1] == "[CRITICAL] Remote Site Is Unreachable [A1108, last 30m ago]"
