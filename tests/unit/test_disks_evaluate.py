"""The `disks` check: judgement on hand-built models, and the Prism answers turned into drives."""

import argparse

import pytest

from nagios_nutanix.checks import disks as check
from nagios_nutanix.plugin.errors import PluginError
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism import disks
from nagios_nutanix.prism.alerts import PrismAlert
from nagios_nutanix.prism.model import Cluster, Inventory, Node


def options(**given):
    fields = dict(filter_name=None, filter_name_regex=None, filter_disk=None,
                  warning_usage=None, critical_usage=None)
    fields.update(given)
    return argparse.Namespace(**fields)


def node(i, **changes):
    fields = dict(name="node-%02d" % i, uuid="uuid-%d" % i, host_ip="10.0.0.%d" % i,
                  cvm_ip="10.0.1.%d" % i, cvm_name="NTNX-A%d-CVM" % i, serial="NSER%d" % i,
                  block_serial="BLOCK1", cvm_uuid="cvm-uuid-%d" % i)
    fields.update(changes)
    return Node(**fields)


def serial(n, slot):
    return "S%02dSLOT%02d" % (n, slot)


def drive(n, slot, **changes):
    fields = dict(node="node-%02d" % n, slot=slot, serial=serial(n, slot), model="PM883",
                  tier="SSD-SATA", uuid="disk-%d-%d" % (n, slot),
                  id="c::%d" % (1000 + n * 10 + slot), status="NORMAL", online=True,
                  bad=False, mounted=True, capacity_bytes=1000, usage_bytes=250)
    fields.update(changes)
    return disks.Drive(**fields)


def alert(title, severity="CRITICAL", message="", context=None, node_uuid=None, **more):
    return PrismAlert(title=title, message=message, severity=severity, context=context or {},
                      node_uuid=node_uuid, type_id=more.pop("type_id", "A1666"), **more)


def model(drives=None, alerts=(), nodes=None, reason=None, source="Prism Element v2.0",
          not_available=()):
    nodes = [node(1), node(2)] if nodes is None else nodes
    inventory = Inventory(cluster=Cluster(name="PROD-A", uuid="c"), nodes=nodes, source=source)
    if drives is None:
        drives = [drive(n, s) for n in (1, 2) for s in (1, 2)]
    return disks.DiskHealth(inventory, drives, None if reason else list(alerts), reason,
                            source=source, not_available=not_available)


def run(m, **given):
    result = check.evaluate(m, options(**given))
    text = nagios(result)
    first = text.splitlines()[0]
    summary, _, perf = first.partition(" | ")
    return result, summary, perf.split(" "), text.splitlines()[1:]


def test_healthy_drives_are_ok_with_counts_and_usage_perfdata():
    result, summary, perf, lines = run(model())
    assert result.state == State.OK
    assert summary == "OK - PROD-A: 4 drives on 2 nodes healthy, no open drive alert"
    assert "'node-01#disks.total.count'=2;;;0" in perf
    assert "'node-01#disks.failed.count'=0;;;0;2" in perf
    assert "'node-02#disks.worn.count'=0;;;0;2" in perf
    # Without a filter or thresholds, per-drive usage only for drives in trouble (8 KB limit).
    assert not any("disk.usage" in p for p in perf)
    assert "[OK] node-01: 2 drives online, mounted, status NORMAL (slots 1-2), 25.0 % used" \
        in lines
    _, _, perf, _ = run(model(), filter_name="node-01")
    assert "'S01SLOT01#disk.usage.percentage'=25%;;;0;100" in perf
    _, _, perf, _ = run(model(), filter_name_regex="node-0.")
    assert "'S02SLOT02#disk.usage.percentage'=25%;;;0;100" in perf


def test_without_a_filter_usage_perfdata_only_for_drives_in_trouble_or_with_thresholds():
    drives = [drive(1, 1), drive(1, 2, online=False), drive(2, 1)]
    _, _, perf, _ = run(model(drives))
    assert [p for p in perf if "disk.usage" in p] == [
        "'S01SLOT02#disk.usage.percentage'=25%;;;0;100"]
    _, _, perf, _ = run(model(drives), warning_usage=Range.parse("80"))
    assert len([p for p in perf if "disk.usage" in p]) == 3


def test_one_node_gets_one_line_per_drive_several_nodes_one_line_per_node():
    drives = [drive(1, s, usage_bytes=200 + s) for s in (1, 2, 3, 5)] + [drive(2, 1)]
    _, _, _, lines = run(model(drives), filter_name="node-01")
    assert lines == ["[OK] disk slot %d S01SLOT%02d (PM883, SSD-SATA): online, mounted, status "
                     "NORMAL, 20.%d %% used" % (s, s, s) for s in (1, 2, 3, 5)]
    _, _, _, lines = run(model(drives + [drive(2, 2, online=False)]))
    assert lines == [
        "[CRITICAL] node-02: disk slot 2 S02SLOT02 (PM883, SSD-SATA): offline",
        "[OK] node-02: 1 drive online, mounted, status NORMAL (slot 1), 25.0 % used",
        "[OK] node-01: 4 drives online, mounted, status NORMAL (slots 1-3, 5), 20.1-20.5 % used"]


def test_offline_drive_is_critical_and_named_by_slot_serial_model_tier():
    m = model([drive(1, 1), drive(2, 1), drive(2, 3, online=False)])
    result, summary, perf, lines = run(m)
    assert result.state == State.CRITICAL
    assert summary == "CRITICAL - PROD-A: 1 of 2 nodes in trouble: node-02 (disk slot 3 " \
        "S02SLOT03 offline)"
    assert "[CRITICAL] node-02: disk slot 3 S02SLOT03 (PM883, SSD-SATA): offline" in lines
    assert "'node-02#disks.failed.count'=1;;;0;2" in perf


@pytest.mark.parametrize("changes,words", [
    (dict(bad=True), "bad"),
    (dict(mounted=False), "not mounted"),
    (dict(status="DATA_MIGRATION_INITIATED"), "status DATA_MIGRATION_INITIATED"),
    (dict(unhealthy=True, bad=None), "unhealthy"),
    (dict(bad=True, mounted=False, online=False), "offline, bad, not mounted"),
])
def test_every_drive_flag_is_critical(changes, words):
    _, summary, _, _ = run(model([drive(1, 1, **changes), drive(2, 1)]))
    assert summary == "CRITICAL - PROD-A: 1 of 2 nodes in trouble: node-01 (disk slot 1 " \
        "S01SLOT01 %s)" % words


@pytest.mark.parametrize("changes,words", [
    (dict(suspected_unhealthy=True), "suspected unhealthy"),
    (dict(errors_in_log=True), "errors found in its log"),
    (dict(under_diagnosis=True), "under diagnosis"),
])
def test_doubtful_drive_is_a_warning(changes, words):
    result, summary, _, _ = run(model([drive(1, 1, **changes)], nodes=[node(1)]))
    assert result.state == State.WARNING
    assert summary == "WARNING - PROD-A: 1 of 1 nodes in trouble: node-01 (disk slot 1 " \
        "S01SLOT01 %s)" % words


def test_missing_status_is_unknown_never_ok():
    result, summary, _, _ = run(model([drive(1, 1, status=None, online=None, mounted=None)]))
    assert result.state == State.UNKNOWN
    assert summary == "UNKNOWN - PROD-A: 2 of 2 nodes in trouble: node-01 (disk slot 1 " \
        "S01SLOT01: status, online state, mounted flag not reported), node-02 (no drive listed)"


def test_drive_only_in_the_hardware_list():
    mounted = drive(1, 5, listed=False, status=None, online=None)
    _, summary, _, _ = run(model([mounted]), filter_name="node-01")
    assert summary == "UNKNOWN - PROD-A/node-01: disk slot 5 S01SLOT05: status, online state " \
        "not reported (only the host's hardware list has it, not the disks list)"
    unmounted = drive(1, 5, listed=False, status=None, online=None, mounted=False)
    _, summary, _, _ = run(model([unmounted]), filter_name="node-01")
    assert summary == "CRITICAL - PROD-A/node-01: disk slot 5 S01SLOT05 not mounted"


def test_worn_out_alert_matched_by_context_serial():
    worn = alert("PM883 drive has worn out.", context={"disk_serial": serial(2, 2)},
                 node_uuid="uuid-2")
    result, summary, perf, lines = run(model(alerts=[worn]))
    assert result.state == State.CRITICAL
    assert summary == "CRITICAL - PROD-A: 1 of 2 nodes in trouble: node-02 (disk slot 2 " \
        "S02SLOT02 alert: PM883 drive has worn out)"
    assert "'node-02#disks.worn.count'=1;;;0;2" in perf
    assert "'node-02#disks.failed.count'=0;;;0;2" in perf
    assert "[CRITICAL] node-02: disk slot 2 S02SLOT02 (PM883, SSD-SATA): alert 'PM883 drive " \
        "has worn out' (A1666, CRITICAL)" in lines


def test_smart_warning_matched_by_serial_in_the_message_text():
    smart = alert("SMART parameters of disk are out of range.", "WARNING",
                  message="SMART parameters of disk %s are out of range" % serial(1, 2).lower())
    result, summary, _, _ = run(model(alerts=[smart]))
    assert result.state == State.WARNING
    assert summary == "WARNING - PROD-A: 1 of 2 nodes in trouble: node-01 (disk slot 2 " \
        "S01SLOT02 alert: SMART parameters of disk are out of range)"


def test_alert_matched_by_disk_uuid_entity_or_short_disk_id():
    by_entity = alert("Disk Bad.", entities=[{"type": "disk", "uuid": "disk-1-1"}])
    by_id = alert("Intel SSD wear high", "WARNING", context={"disk_id": "1022"})
    _, summary, perf, _ = run(model(alerts=[by_entity, by_id]))
    assert summary == "CRITICAL - PROD-A: 2 of 2 nodes in trouble: node-01 (disk slot 1 " \
        "S01SLOT01 alert: Disk Bad), node-02 (disk slot 2 S02SLOT02 alert: Intel SSD wear high)"
    assert "'node-01#disks.failed.count'=1;;;0;2" in perf
    assert "'node-02#disks.worn.count'=1;;;0;2" in perf


def test_flags_speak_first_and_the_alert_stays_in_the_long_output():
    failed = alert("Disk failed, marked offline.", context={"disk_serial": serial(1, 1)})
    _, summary, _, lines = run(model([drive(1, 1, online=False)], alerts=[failed]),
                               filter_name="node-01")
    assert summary == "CRITICAL - PROD-A/node-01: disk slot 1 S01SLOT01 offline"
    assert "[CRITICAL] disk slot 1 S01SLOT01 (PM883, SSD-SATA): alert 'Disk failed, marked " \
        "offline' (A1666, CRITICAL)" in lines


def test_informational_and_unrelated_alerts():
    info = alert("PM883 drive has worn out.", "INFO", context={"disk_serial": serial(1, 1)})
    other = alert("Stargate Temporarily Down.", context={"disk_serial": serial(1, 2)})
    result, summary, _, lines = run(model(alerts=[info, other]))
    assert result.state == State.OK
    assert summary == "OK - PROD-A: 4 drives on 2 nodes healthy, no open drive alert"
    assert any("alert 'PM883 drive has worn out' (A1666, INFO)" in line for line in lines)
    assert not any("Stargate" in line for line in lines)


def test_acknowledged_wear_alert_still_counts():
    worn = alert("SATADOM has worn out.", context={"disk_serial": serial(1, 1)},
                 acknowledged=True)
    result, _, _, lines = run(model(alerts=[worn]))
    assert result.state == State.CRITICAL
    assert any("(A1666, CRITICAL, acknowledged)" in line for line in lines)


def test_node_alert_naming_no_listed_drive_goes_to_its_node_not_the_block():
    boot = alert("Hypervisor boot drive wear high", "WARNING", node_uuid="uuid-2",
                 context={"block_serial": "BLOCK1"})
    result, summary, _, lines = run(model(alerts=[boot]))
    assert summary == "WARNING - PROD-A: 1 of 2 nodes in trouble: node-02 (Hypervisor boot " \
        "drive wear high)"
    assert "[WARNING] node-02: drive alert not tied to a listed drive: alert 'Hypervisor boot " \
        "drive wear high' (A1666, WARNING)" in lines
    _, summary, _, _ = run(model(alerts=[boot]), filter_name="node-01")
    assert summary == "OK - PROD-A/node-01: 2 drives healthy, no open drive alert"


def test_alert_tied_to_nothing_known_is_reported():
    stray = alert("Physical disk drive has failed.", context={"block_serial": "BLOCK1"})
    result, summary, _, lines = run(model(alerts=[stray]))
    assert result.state == State.CRITICAL
    assert summary == "CRITICAL - PROD-A: Physical disk drive has failed"
    assert "[CRITICAL] drive alert tied to no known node or drive: alert 'Physical disk drive " \
        "has failed' (A1666, CRITICAL)" in lines


def test_unreadable_alerts_make_wear_unknown_never_ok():
    reason = "alerts could not be read: Prism answered HTTP 403 Forbidden to GET /x; ask"
    result, summary, _, lines = run(model(reason=reason))
    assert result.state == State.UNKNOWN
    assert summary == "UNKNOWN - PROD-A: alerts unreadable (HTTP 403): drive wear and drive " \
        "alerts unknown"
    assert lines[0] == "[UNKNOWN] drive wear and drive alerts unknown: " + reason
    _, summary, _, _ = run(model(reason=reason), filter_name="node-02")
    assert summary == "UNKNOWN - PROD-A/node-02: alerts unreadable (HTTP 403): drive wear and " \
        "drive alerts unknown"
    _, summary, _, _ = run(model(reason="alerts could not be read: timeout"))
    assert summary == "UNKNOWN - PROD-A: alerts unreadable: drive wear and drive alerts unknown"
    result, summary, _, _ = run(model([drive(1, 1, bad=True)], reason=reason))
    assert result.state == State.CRITICAL
    assert "node-01 (disk slot 1 S01SLOT01 bad)" in summary


def test_drive_placed_on_no_node_is_reported_not_dropped():
    lost = drive(9, 4, node=None, online=False, placement="node_uuid gone")
    found = drive(9, 5, node=None, placement="node_uuid gone")
    result, summary, _, lines = run(model([drive(1, 1), drive(2, 1), lost, found]))
    assert result.state == State.CRITICAL
    assert summary == "CRITICAL - PROD-A: disk slot 4 S09SLOT04 offline (no known node)"
    assert "[CRITICAL] disk slot 4 S09SLOT04 (PM883, SSD-SATA): offline; placed on no known " \
        "node (node_uuid gone)" in lines
    assert any(line.startswith("[OK] disk slot 5 S09SLOT05") for line in lines)


def test_filter_name_scopes_the_result_to_one_node():
    _, summary, perf, _ = run(model(), filter_name="10.0.1.2")
    assert summary == "OK - PROD-A/node-02: 2 drives healthy, no open drive alert"
    assert all(p.startswith(("'node-02#", "'S02")) for p in perf)


def test_filter_disk_keeps_one_drive():
    _, summary, perf, _ = run(model(), filter_disk=serial(2, 1).lower())
    assert summary == "OK - PROD-A/node-02: disk slot 1 S02SLOT01 healthy, no open drive alert"
    assert "'S02SLOT01#disk.usage.percentage'=25%;;;0;100" in perf
    assert "S02SLOT02" not in " ".join(perf)
    # The node's counts keep their meaning under the same label: all of the node's drives.
    _, summary, perf, _ = run(model([drive(2, 1), drive(2, 2, online=False)]),
                              filter_disk=serial(2, 1))
    assert summary == "OK - PROD-A/node-02: disk slot 1 S02SLOT01 healthy, no open drive alert"
    assert "'node-02#disks.total.count'=2;;;0" in perf
    assert "'node-02#disks.failed.count'=1;;;0;2" in perf
    with pytest.raises(PluginError, match="no drive of the cluster has serial 'NOPE'"):
        run(model(), filter_disk="NOPE")
    with pytest.raises(PluginError, match="sits in node-02, which the node filter did not"):
        run(model(), filter_disk=serial(2, 1), filter_name="node-01")


def test_zero_match_node_filter():
    with pytest.raises(PluginError, match="no node of cluster PROD-A matches --filter-name"):
        run(model(), filter_name="node-9")


def test_usage_thresholds_are_optional():
    full = drive(1, 2, usage_bytes=950)
    _, summary, perf, _ = run(model([drive(1, 1), full, drive(2, 1)]),
                              warning_usage=Range.parse("80"), critical_usage=Range.parse("90"))
    assert summary == "CRITICAL - PROD-A: 1 of 2 nodes in trouble: node-01 (disk slot 2 " \
        "S01SLOT02 95.0 % used)"
    assert "'S01SLOT02#disk.usage.percentage'=95%;80;90;0;100" in perf
    _, summary, _, _ = run(model([drive(1, 1), full, drive(2, 1)]))
    assert summary.startswith("OK - ")


def test_usage_thresholds_where_the_source_has_no_usage():
    m = model([drive(1, 1, usage_bytes=None)], source="Prism Central v4 clustermgmt disks",
              not_available=[check.USAGE_NOT_LISTED], nodes=[node(1)])
    result, summary, perf, lines = run(m, critical_usage=Range.parse("90"))
    assert result.state == State.UNKNOWN
    assert summary == "UNKNOWN - PROD-A: drive usage not reported by Prism Central v4 " \
        "clustermgmt disks"
    assert not any("disk.usage" in p for p in perf)
    assert lines[-1] == "(not available from Prism Central v4 clustermgmt disks, not checked: " \
        "per-drive usage: Prism Central lists none, and its stats/disks would need one request " \
        "per drive; monitor the cluster's Prism Element for those)"


def test_a_reported_wear_level_is_perfdata_never_judged():
    _, summary, perf, lines = run(model([drive(1, 1, wear_percent=37.5,
                                               wear_field="wear_level_pct")], nodes=[node(1)]))
    assert summary.startswith("OK - ")
    assert "'S01SLOT01#disk.wear.percentage'=37.5%;;;0;100" in perf
    assert any("wear 37.5 % (wear_level_pct)" in line for line in lines)
    _, _, perf, _ = run(model(nodes=[node(1)], drives=[drive(1, 1)]))
    assert not any("wear.percentage" in p for p in perf)


def test_compute_only_node_has_no_drives_and_that_is_fine():
    compute = node(3, raw_host={"host_type": "COMPUTE_ONLY"})
    _, summary, _, _ = run(model(nodes=[node(1), node(2), compute]))
    assert summary == "OK - PROD-A: 4 drives on 3 nodes healthy, no open drive alert"


def test_cluster_text_is_cleaned():
    evil = alert("PM883 drive has worn out.", message="worn|out\nreplace it",
                 context={"disk_serial": serial(1, 1)})
    _, summary, _, lines = run(model([drive(1, 1, model="PM|883\n")], alerts=[evil],
                                     nodes=[node(1)]), filter_name="node-01")
    assert summary == "CRITICAL - PROD-A/node-01: disk slot 1 S01SLOT01 alert: PM883 drive " \
        "has worn out"
    assert "[CRITICAL] disk slot 1 S01SLOT01 (PM/883, SSD-SATA): alert 'PM883 drive has worn " \
        "out': worn/out replace it (A1666, CRITICAL)" in lines


@pytest.mark.parametrize("title,kind", [
    ("PM883 drive has worn out.", "wear"),
    ("Toshiba PM5 drive has worn out", "wear"),
    ("M.2 Micron5100 host boot drive has worn out", "wear"),
    ("Intel SSD wear high", "wear"),
    ("SATADOM SL3IE3 has high wear", "wear"),
    ("SMART parameters of disk are out of range.", "wear"),
    ("SMART parameters of disk 10.0.0.1 are out of range", "wear"),
    ("Storage device health bad", "wear"),
    ("Disk Bad.", "failure"),
    ("Physical disk drive has failed", "failure"),
    ("Disk failed, marked offline", "failure"),
    ("Boot drive is in degraded state", "failure"),
    ("Stargate Temporarily Down.", None),
    ("Data disk space usage high", None),
])
def test_alert_families(title, kind):
    assert check._kind(alert(title)) == kind


# -- Prism answers -> drives -------------------------------------------------------------------
V2_DISK = {
    "id": "c::13", "disk_uuid": "du-1", "storage_tier_name": "SSD-SATA", "node_uuid": "uuid-1",
    "host_name": "node-01", "cvm_ip_address": "10.0.1.1", "disk_size": 4000, "online": True,
    "disk_status": "NORMAL", "location": 1, "marked_for_removal": False,
    "disk_hardware_config": {"serial_number": "S1", "model": "PM883", "location": 1,
                             "bad": False, "mounted": True, "boot_disk": True},
    "usage_stats": {"storage.capacity_bytes": "4000", "storage.usage_bytes": "1000"},
}


class FakeClient:
    def __init__(self, pages):
        self.pages = pages
        self.asked = []

    def get(self, path, params=None):
        self.asked.append(path)
        return self.pages[path]


def test_element_drives_joins_disks_hosts_and_hardware():
    host = {"disk_hardware_configs": {
        "1": {"serial_number": "S1", "location": 1, "bad": True, "mounted": False},
        "2": None,
        "3": {"serial_number": "S3", "location": 3, "bad": False, "mounted": True,
              "model": "PM883"},
    }}
    by_ip = dict(V2_DISK, id="c::14", disk_uuid="du-2", node_uuid=None, host_name=None,
                 cvm_ip_address="10.0.1.2", location=2,
                 disk_hardware_config={"serial_number": "S2"})
    lost = dict(V2_DISK, id="c::15", disk_uuid="du-9", node_uuid="gone", host_name="node-9",
                cvm_ip_address=None, disk_hardware_config={"serial_number": "S9"})
    client = FakeClient({disks.DISKS_V2: {"entities": [V2_DISK, by_ip, lost],
                                          "metadata": {"total_entities": 3}}})
    found = disks.element_drives(client, [node(1, raw_host=host), node(2)])
    by_serial = {d.serial: d for d in found}
    first = by_serial["S1"]
    assert (first.node, first.slot, first.tier, first.status, first.online) == \
        ("node-01", 1, "SSD-SATA", "NORMAL", True)
    assert (first.bad, first.mounted, first.usage_percent) == (True, False, 25.0)
    assert by_serial["S2"].node == "node-02"
    assert by_serial["S9"].node is None
    assert by_serial["S9"].placement == "node_uuid gone, host_name node-9"
    assert (by_serial["S3"].node, by_serial["S3"].listed, by_serial["S3"].slot) == \
        ("node-01", False, 3)
    assert by_serial["S1"].wear_percent is None


def test_from_v2_keeps_a_wear_field_only_with_a_unit_in_its_name():
    doc = dict(V2_DISK, stats={"ssd_wear_level_ppm": "125000", "wear": "7"})
    assert (disks.from_v2(doc).wear_percent, disks.from_v2(doc).wear_field) == \
        (12.5, "ssd_wear_level_ppm")
    assert disks.from_v2(dict(V2_DISK, stats={"wear": "7"})).wear_percent is None


def test_central_drives_reads_v4_and_keeps_the_chosen_cluster():
    v4 = {"extId": "du-1", "serialNumber": "S1", "model": "PM883", "storageTier": "SSD_SATA",
          "location": 4, "nodeExtId": "uuid-2", "clusterExtId": "c", "status": "NORMAL",
          "cvmIpAddress": {"ipv4": {"value": "10.0.1.2"}}, "diskSizeBytes": 4000,
          "diskAdvanceConfig": {"isOnline": False, "isMounted": True, "isUnhealthy": True,
                                "isSuspectedUnhealthy": False, "isErrorFoundInLog": True}}
    other = dict(v4, extId="du-x", serialNumber="SX", clusterExtId="other")
    client = FakeClient({disks.DISKS_V4: {"data": [v4, other],
                                          "metadata": {"totalAvailableResults": 2}}})
    found = disks.central_drives(client, "c", [node(1), node(2)])
    assert [d.serial for d in found] == ["S1"]
    one = found[0]
    assert (one.node, one.slot, one.tier, one.online, one.unhealthy, one.errors_in_log) == \
        ("node-02", 4, "SSD_SATA", False, True, True)
    assert one.usage_percent is None
