"""Prism alerts in one shape (nagios_nutanix/prism/alerts.py): rendering, v2 and v4 parsing,
alert families, what an alert is about, and the shared unresolved-alerts query."""

import pytest

from nagios_nutanix.plugin.errors import BudgetExceeded
from nagios_nutanix.prism import alerts
from nagios_nutanix.prism.errors import PrismHTTPError
from nagios_nutanix.prism.model import Node

# The CMK fixture of the reference notes (§1.10), as Prism Element v2.0 serves it.
V2_LICENSE = {
    "id": "123-123-123", "alert_type_uuid": "ABC", "check_id": "1234",
    "alert_title": "Pre-Expiry License Alert",
    "message": "Detailed license expiry info: {pre_expiry_msg}",
    "severity": "kInfo", "classifications": ["License"],
    "context_types": ["pre_expiry_msg", "arithmos_id", "ncc_version", "nos_version",
                      "cluster_id", "cluster_uuid"],
    "context_values": ["LIC-1234 - 1.00 NODE Pro expiring on 2025-01-31\nLIC-987654321",
                       "12234", "123456789", "1.2.3.4", "9876", "123-123-123"],
    "affected_entities": [{"entity_name": "blabla.com", "entity_type": "cluster",
                           "entity_type_display_name": "cluster", "id": "", "uuid": "1234"}],
    "cluster_uuid": "1234", "node_uuid": "14",
    "created_time_stamp_in_usecs": 1731250394339858,
    "last_occurrence_time_stamp_in_usecs": 1731250394339858,
    "acknowledged": False, "resolved": False, "auto_resolved": False,
}

# The NTP alert of the reference notes (DEM README shape).
V2_NTP = {
    "id": "5b7e1f0c-0000-4000-8000-000000000001", "alert_type_uuid": "A3026",
    "check_id": "0005b4b2-c8d0-bad4-34c3-00536419cc8b::3026",
    "alert_title": "{vm_type} time not synchronized with any external servers.",
    "message": "The {vm_type} is not synchronizing time with any external servers. {alert_msg}",
    "severity": "kWarning", "classifications": ["ControllerVM"],
    "affected_entities": [{"entity_type": "host", "id": "2", "uuid": "host-uuid-2",
                           "entity_name": None, "entity_type_display_name": None}],
    "context_types": ["alert_msg", "vm_type", "arithmos_id", "service_vm_id", "ncc_version",
                      "nos_version", "node_uuid", "node_serial", "block_serial"],
    "context_values": ["NTP leader is not synchronizing to an external NTP server", "CVM", "2",
                       "2", "x.xx.x.x", "2020.09.16", "host-uuid-2", "SER0002", "BLK01"],
    "acknowledged": True, "resolved": False, "auto_resolved": False,
    "created_time_stamp_in_usecs": 1606055474675609,
    "last_occurrence_time_stamp_in_usecs": 1606055474675609,
}

# The v4 Alert of the reference notes (§4, monitoring).
V4_NTP = {
    "$objectType": "monitoring.v4.serviceability.Alert",
    "extId": "4b12dc84-2a77-4b3a-a40a-2dc47c919caa", "alertType": "A3026",
    "title": "CVM time not synchronized with any external servers.",
    "message": "The CVM is not synchronizing time with any external servers.",
    "severity": "WARNING", "status": "OPEN", "isAcknowledged": False, "isResolved": False,
    "creationTime": "2020-11-22T14:31:14.675609Z",
    "lastOccurredTime": "2020-11-22T14:41:14Z",
    "clusterUUID": "0005b4b2-c8d0-bad4-34c3-00536419cc8b",
    "sourceEntity": {"extId": "59bc015e", "name": "NTNX-386a5fb4-A", "type": "host"},
    "affectedEntities": [{"extId": "59bc015e", "name": "NTNX-386a5fb4-A", "type": "host"}],
    "parameters": [{"paramName": "vm_type", "paramValue": {"stringValue": "CVM"}}],
    "kbArticles": ["https://portal.nutanix.com/kb/4519"], "serviceName": "ncc",
}


# -- rendering ------------------------------------------------------------------------------
def test_render_fills_placeholders_and_keeps_unknown_ones():
    assert alerts.render("{a} and {b} and {c}", {"a": 1, "b": "two"}) == "1 and two and {c}"


def test_render_of_nothing_is_empty():
    assert alerts.render(None, {"a": 1}) == ""
    assert alerts.render("", {}) == ""


# -- v2 -------------------------------------------------------------------------------------
def test_from_v2_renders_the_message_from_context_types_and_values():
    alert = alerts.from_v2(V2_LICENSE)
    assert alert.title == "Pre-Expiry License Alert"
    assert alert.message == ("Detailed license expiry info: LIC-1234 - 1.00 NODE Pro expiring "
                             "on 2025-01-31\nLIC-987654321")
    assert alert.severity == "INFO"
    assert alert.created == pytest.approx(1731250394.339858)
    assert (alert.acknowledged, alert.resolved) == (False, False)
    assert alert.entities == [{"type": "cluster", "name": "blabla.com", "uuid": "1234"}]
    assert alert.check_id == "1234" and alert.type_id == "ABC"


def test_from_v2_check_id_is_the_number_after_the_cluster_uuid():
    alert = alerts.from_v2(V2_NTP)
    assert alert.check_id == "3026"
    assert alert.type_id == "A3026"
    assert alert.title == "CVM time not synchronized with any external servers."
    assert alert.message.endswith("servers. NTP leader is not synchronizing to an external NTP "
                                  "server")
    assert alert.severity == "WARNING" and alert.acknowledged is True
    assert alert.node_uuid == "host-uuid-2"  # from the context when the field is absent


@pytest.mark.parametrize("raw,severity", [("kCritical", "CRITICAL"), ("kWarning", "WARNING"),
                                          ("kInfo", "INFO"), ("kAudit", "AUDIT"),
                                          ("CRITICAL", "CRITICAL"), (None, "INFO")])
def test_severities(raw, severity):
    assert alerts.from_v2(dict(V2_NTP, severity=raw)).severity == severity


def test_from_v2_without_check_id_has_none():
    doc = dict(V2_NTP)
    del doc["check_id"]
    assert alerts.from_v2(doc).check_id is None


# -- v4 -------------------------------------------------------------------------------------
def test_from_v4_reads_parameters_kb_articles_and_times():
    alert = alerts.from_v4(V4_NTP)
    assert alert.type_id == "A3026" and alert.check_id == "3026"
    assert alert.severity == "WARNING"
    assert alert.kb_articles == ["https://portal.nutanix.com/kb/4519"]
    assert alert.context == {"vm_type": "CVM"}
    assert alert.cluster_uuid == "0005b4b2-c8d0-bad4-34c3-00536419cc8b"
    assert alert.created == pytest.approx(1606055474.675609)
    assert alert.last == pytest.approx(1606056074.0)
    assert {"type": "host", "name": "NTNX-386a5fb4-A", "uuid": "59bc015e"} in alert.entities


def test_from_v4_renders_leftover_placeholders_and_survives_bad_times():
    doc = dict(V4_NTP, title="{vm_type} time not synchronized.", creationTime="yesterday",
               severity="INFORMATIONAL")
    alert = alerts.from_v4(doc)
    assert alert.title == "CVM time not synchronized."
    assert alert.created is None
    assert alert.severity == "INFO"


# -- families -------------------------------------------------------------------------------
def test_family_matches_mib_trap_names_and_titles():
    alert = alerts.from_v2(dict(V2_NTP, alert_title="Stargate Temporarily Down."))
    assert alert.in_family(["ntxTrapStargateTemporarilyDown"])
    assert alert.in_family(["StargateTemporarilyDown", "DiskBad"])
    assert alert.in_family(["stargate temporarily down"])
    assert not alert.in_family(["StargateTemporarilyDownAgain", "CassandraServiceCrashed"])


def test_family_key():
    assert alerts.family_key("ntxTrapDiskBad") == "diskbad"
    assert alerts.family_key("Disk Bad.") == "diskbad"
    assert alerts.family_key(None) == ""


# -- what an alert is about -----------------------------------------------------------------
def node(i, disks=()):
    return Node(name="node-%02d" % i, uuid="host-uuid-%d" % i, host_ip="10.0.0.%d" % i,
                cvm_ip="10.0.1.%d" % i, serial="SER%04d" % i, block_serial="BLK01",
                cvm_uuid="cvm-uuid-%d" % i,
                raw_host={"disk_hardware_configs": dict(
                    {str(s): {"serial_number": serial, "disk_id": "cl::%d" % (1000 + s),
                              "disk_uuid": "disk-uuid-%s" % serial}
                     for s, serial in enumerate(disks, 1)}, **{"9": None})})


def test_is_about_by_node_uuid_serial_and_cvm_ip_case_insensitively():
    alert = alerts.from_v2(V2_NTP)
    assert alert.is_about(["HOST-UUID-2"])
    assert alert.is_about(["ser0002"])
    assert not alert.is_about(["host-uuid-3", "SER0003"])


def test_block_serial_in_the_context_does_not_tie_an_alert_to_the_neighbours():
    # Every node alert carries the block serial; node-03 shares node-02's block.
    alert = alerts.from_v2(V2_NTP)
    assert alerts.for_node([alert], node(3)) == []
    assert alerts.for_node([alert], node(2)) == [alert]


def test_for_node_matches_the_node_s_drives_by_serial_id_and_uuid():
    by_serial = alerts.PrismAlert(title="Disk Bad.", context={"disk_serial": "S0003"})
    by_id = alerts.PrismAlert(title="Disk Bad.", context={"disk_id": "1002"})
    by_entity = alerts.PrismAlert(title="Disk Bad.", entities=[
        {"type": "disk", "name": None, "uuid": "disk-uuid-S0004"}])
    other = alerts.PrismAlert(title="Disk Bad.", context={"disk_serial": "S9999"})
    found = alerts.for_node([by_serial, by_id, by_entity, other], node(1, ["S0003", "S0004"]))
    assert found == [by_serial, by_id, by_entity]


def test_node_identifiers_read_v4_disk_items_and_skip_empty_slots():
    v4 = Node(name="n1", uuid="u1", raw_host={"disk": [{"uuid": "d1", "serialId": "S1"},
                                                       None]})
    assert sorted(alerts.node_identifiers(v4)) == ["S1", "d1", "n1", "u1"]
    assert "cl::1001" in alerts.node_identifiers(node(1, ["S1"]))
    assert "1001" in alerts.node_identifiers(node(1, ["S1"]))


def test_for_node_matches_the_cvm_by_uuid():
    alert = alerts.PrismAlert(title="x", entities=[{"type": "vm", "name": "NTNX-CVM",
                                                    "uuid": "cvm-uuid-1"}])
    assert alerts.for_node([alert], node(1)) == [alert]
    assert alerts.for_node([alert], node(2)) == []


# -- the shared query -----------------------------------------------------------------------
class Pages:
    """A client serving lists in pages of at most `cap`, as the emulator and Prism do."""

    def __init__(self, items, cap=100, error=None):
        self.items = items
        self.cap = cap
        self.error = error
        self.calls = []

    def get(self, path, params):
        self.calls.append((path, dict(params)))
        if self.error:
            raise self.error
        if "$page" in params:
            size = min(int(params["$limit"]), self.cap)
            start = int(params["$page"]) * size
            return {"data": self.items[start:start + size],
                    "metadata": {"totalAvailableResults": len(self.items)}}
        size = min(int(params["count"]), self.cap)
        start = (int(params["page"]) - 1) * size
        return {"entities": self.items[start:start + size],
                "metadata": {"total_entities": len(self.items)}}


def test_unresolved_pages_through_thousands_of_v2_alerts():
    items = [dict(V2_NTP, id="a%d" % i) for i in range(2345)]
    client = Pages(items)
    found = alerts.unresolved(client, "pe")
    assert len(found) == 2345
    assert len(client.calls) == 24
    assert {c[0] for c in client.calls} == {alerts.V2_ALERTS}
    assert all(c[1]["resolved"] == "false" for c in client.calls)


def test_unresolved_on_prism_central_keeps_the_cluster_s_alerts():
    mine = dict(V4_NTP, clusterUUID="c1")
    theirs = dict(V4_NTP, clusterUUID="c2")
    resolved = dict(V4_NTP, clusterUUID="c1", isResolved=True)
    client = Pages([mine] * 150 + [theirs] * 30 + [resolved])
    found = alerts.unresolved(client, "pc", "c1")
    assert len(found) == 150
    assert client.calls[0] == (alerts.V4_ALERTS, {"$filter": "isResolved eq false",
                                                  "$page": 0, "$limit": 100})
    assert len(client.calls) == 2


def test_read_unresolved_gives_the_reason_instead_of_raising():
    error = PrismHTTPError("Prism answered HTTP 403 Forbidden", 403, alerts.V2_ALERTS)
    found, reason = alerts.read_unresolved(Pages([], error=error), "pe")
    assert found is None
    assert reason == "alerts could not be read: Prism answered HTTP 403 Forbidden"


def test_read_unresolved_lets_the_time_budget_end_the_run():
    with pytest.raises(BudgetExceeded):
        alerts.read_unresolved(Pages([], error=BudgetExceeded("time is up")), "pe")
