"""`cvm`: evaluate() over hand-built models, and the tolerant Genesis RPC parser."""

import argparse
import json

import pytest

from nagios_nutanix.checks import cvm
from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.render import first_line, nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism import genesis
from nagios_nutanix.prism.alerts import PrismAlert
from nagios_nutanix.prism.errors import PrismHTTPError
from nagios_nutanix.prism.model import Cluster, Inventory, Node

PC_GAPS = ["CVM power state", "metadata ring membership",
           "fault tolerance per component (only the cluster-wide figure)"]


def options(**changes):
    values = dict(services=None, service_source="auto", require_direct_evidence=False,
                  warning_cpu="80", critical_cpu="90", warning_memory="80",
                  critical_memory="90", verbose=0, filter_name=None, filter_name_regex=None)
    values.update(changes)
    return argparse.Namespace(**values)


def node(i, **changes):
    values = dict(name="node-%02d" % i, uuid="host-%d" % i, host_ip="10.0.0.%d" % i,
                  cvm_ip="10.0.1.%d" % i, cvm_name="NTNX-B-%d-CVM" % i, serial="SER%d" % i,
                  block_serial="BLK", state="NORMAL", degraded=False, cvm_power="ON",
                  metadata_status="kNormalMode", cvm_uuid="cvm-%d" % i, cvm_cpu_percent=20.5,
                  cvm_memory_percent=61.0)
    values.update(changes)
    return Node(**values)


def up_everywhere(nodes, down=None):
    """A Genesis answer (the emulator's guessed shape) with services of `down` DOWN."""
    down = down or {}
    payload = {}
    for n in nodes:
        services = {name: [100, 101] for name in ("Zeus", "Medusa", "Stargate", "Curator",
                                                   "Chronos", "Pithos")}
        for name in down.get(n.name, ()):
            services[name] = []
        payload[n.cvm_ip] = {"state": "Up", "services": services}
    return genesis.parse_return(payload)


def alert(title, node_uuid, message="", severity="CRITICAL", **context):
    context.setdefault("node_uuid", node_uuid)
    return PrismAlert(title=title, message=message, severity=severity, context=context,
                      node_uuid=node_uuid)


def model(nodes, kind="pe", filtered=False, status=None, genesis_reason=None, alerts=(),
          alerts_reason=None, source="auto"):
    inventory = Inventory(cluster=Cluster(name="PROD-A", uuid="c-1"), nodes=list(nodes),
                          source="Prism Element v2.0" if kind == "pe"
                          else "Prism Central v4 clustermgmt",
                          kind=kind, not_available=list(PC_GAPS) if kind == "pc" else [])
    return cvm.CvmModel(inventory, nodes, filtered=filtered, genesis=status,
                        genesis_reason=genesis_reason,
                        alerts=None if alerts_reason else list(alerts),
                        alerts_reason=alerts_reason, source=source)


def run(m, **opts):
    result = cvm.evaluate(m, options(**opts))
    return result, first_line(result), nagios(result, opts.get("verbose", 0))


NODES = [node(i) for i in range(1, 5)]


# -- whole runs --------------------------------------------------------------------------------
def test_all_up_from_genesis():
    result, line, text = run(model(NODES, status=up_everywhere(NODES)))
    assert result.state == State.OK
    assert line == ("OK - PROD-A: 4 of 4 CVMs on; stargate, curator, cassandra, chronos OK on "
                    "every node (Genesis RPC, experimental)")
    assert "'node-02#cvm.cpu.utilization.percentage'=20.5%;80;90;0;100" in text
    assert "'node-02#cvm.memory.utilization.percentage'=61%;80;90;0;100" in text
    assert "'node-04#cvm.services.down.count'=0;;0;0;4" in text


def test_genesis_down_services_name_the_node_and_the_services():
    status = up_everywhere(NODES, down={"node-03": ("Stargate", "Curator")})
    result, line, text = run(model(NODES, status=status))
    assert result.state == State.CRITICAL
    assert line == ("CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-03 (stargate DOWN, "
                    "curator DOWN)")
    assert "[CRITICAL] node-03: stargate DOWN (Genesis RPC (experimental): no process)" in text
    assert "'node-03#cvm.services.down.count'=2;;0;0;4" in text


def test_filtered_node_gets_its_own_scope_and_count():
    status = up_everywhere(NODES, down={"node-03": ("Stargate", "Curator")})
    result, line, _ = run(model([NODES[2]], filtered=True, status=status))
    assert line == ("CRITICAL - PROD-A/node-03: stargate DOWN, curator DOWN (2 of 4 services "
                    "down)")


def test_filtered_ok_line_says_where_the_states_come_from():
    _, line, _ = run(model([NODES[0]], filtered=True, status=up_everywhere(NODES)))
    assert line == ("OK - PROD-A/node-01: CVM on; stargate, curator, cassandra, chronos UP "
                    "(Genesis RPC, experimental); CVM CPU 20.5%, memory 61%")


def test_inferred_ok_says_so_honestly():
    result, line, text = run(model([NODES[0]], filtered=True, source="api"))
    assert result.state == State.OK
    assert line == ("OK - PROD-A/node-01: CVM on; stargate, curator, chronos OK (no service "
                    "alert, CVM up); cassandra in the metadata ring; CVM CPU 20.5%, memory 61%")
    assert "[OK] stargate OK (no service alert, CVM up)" in text


def test_require_direct_evidence_refuses_inferred_ok():
    result, line, _ = run(model([NODES[0]], filtered=True, source="api"),
                          require_direct_evidence=True)
    assert result.state == State.UNKNOWN
    assert line == ("UNKNOWN - PROD-A/node-01: stargate, curator, chronos unknown: no direct "
                    "evidence (--require-direct-evidence)")


def test_require_direct_evidence_accepts_genesis():
    result, _, _ = run(model(NODES, status=up_everywhere(NODES)), require_direct_evidence=True)
    assert result.state == State.OK


def test_stargate_alert_without_genesis():
    alerts = [alert("Stargate Temporarily Down.", "host-2",
                    "Stargate on CVM {cvm_ip} is down.", cvm_ip="10.0.1.2")]
    result, line, text = run(model(NODES, alerts=alerts, genesis_reason="HTTP 404"))
    assert result.state == State.CRITICAL
    assert line == "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-02 (stargate DOWN)"
    assert "node-02: stargate DOWN (alert 'Stargate Temporarily Down': Stargate on CVM " \
           "{cvm_ip} is down. (CRITICAL))" in text  # PrismAlert built by hand: not rendered


def test_alert_on_another_node_does_not_count():
    alerts = [alert("Stargate Temporarily Down.", "host-4")]
    result, _, _ = run(model([NODES[0]], filtered=True, alerts=alerts, source="api"))
    assert result.state == State.OK


def test_restarting_frequently_is_a_warning_for_the_named_service():
    alerts = [alert("CVM services restarting frequently", "host-1",
                    "Services {service_names} restarted 5 times in the last hour",
                    severity="WARNING", service_names="chronos")]
    result, line, _ = run(model([NODES[0]], filtered=True, alerts=alerts, source="api"))
    assert result.state == State.WARNING
    assert line == "WARNING - PROD-A/node-01: chronos restarting frequently"


def test_services_down_alert_naming_no_service_blocks_inference():
    alerts = [alert("Cluster services are down", "host-1", "Some services are down")]
    result, line, text = run(model([NODES[0]], filtered=True, alerts=alerts, source="api"))
    assert result.state == State.CRITICAL
    assert line == "CRITICAL - PROD-A/node-01: unnamed services DOWN (alert)"
    assert "[UNKNOWN] stargate unknown (not verified: unnamed services DOWN)" in text


def test_alert_naming_only_unselected_services_is_stated_not_judged():
    alerts = [alert("Cluster services are down", "host-1", "Service Uhura is down")]
    result, _, text = run(model([NODES[0]], filtered=True, alerts=alerts, source="api"))
    assert result.state == State.OK
    assert "[OK] not checked (not in --services): uhura named by alert" in text


def test_selected_service_named_by_alert():
    alerts = [alert("Cluster services are down", "host-1", "Service Uhura is down")]
    result, line, _ = run(model([NODES[0]], filtered=True, alerts=alerts, source="api"),
                          services=["uhura,stargate"])
    assert line == "CRITICAL - PROD-A/node-01: uhura DOWN (1 of 2 services down)"


def test_cvm_powered_off_says_only_that():
    nodes = [node(1), node(2, cvm_power="OFF", cvm_cpu_percent=None, cvm_memory_percent=None)]
    alerts = [alert("CVM is unreachable", "host-2")]
    result, line, text = run(model(nodes, status=up_everywhere(nodes[:1]), alerts=alerts))
    assert line == "CRITICAL - PROD-A: 1 of 2 nodes in trouble: node-02 (CVM powered off)"
    assert "[CRITICAL] node-02: stargate DOWN (CVM powered off)" in text
    assert "not reported" not in text  # an off CVM has no load to report
    assert "'node-02#cvm.services.down.count'=4;;0;0;4" in text


def test_cvm_not_found_is_unknown():
    result, line, _ = run(model([node(1, cvm_power=None)], filtered=True, source="api"))
    assert result.state == State.UNKNOWN
    assert line == "UNKNOWN - PROD-A/node-01: CVM power state unknown"


def test_genesis_says_cvm_down_while_powered_on():
    status = genesis.parse_return({"10.0.1.1": {"state": "Down", "services": {}}})
    result, line, _ = run(model([NODES[0]], filtered=True, status=status))
    assert result.state == State.CRITICAL
    assert line == "CRITICAL - PROD-A/node-01: CVM down (Genesis RPC)"


def test_metadata_ring_speaks_for_cassandra():
    nodes = [node(1, metadata_status="kKickedOutOfRing")]
    result, line, _ = run(model(nodes, filtered=True, source="api"))
    assert line == ("CRITICAL - PROD-A/node-01: cassandra not in the metadata ring (1 of 4 "
                    "services down)")


def test_degraded_node():
    nodes = [node(1, degraded=True)]
    result, line, text = run(model(nodes, filtered=True, source="api"))
    assert result.state == State.CRITICAL
    assert line == "CRITICAL - PROD-A/node-01: node degraded"
    assert "stargate unknown (not verified: node degraded)" in text


READ_403 = "alerts could not be read: Prism answered HTTP 403"


def test_unreadable_alerts_are_unknown_never_ok():
    result, line, text = run(model([NODES[0]], filtered=True, alerts_reason=READ_403,
                                   source="api"))
    assert result.state == State.UNKNOWN
    assert line == ("UNKNOWN - PROD-A/node-01: alerts unreadable (HTTP 403): stargate, curator, "
                    "chronos unknown")
    assert "[UNKNOWN] stargate unknown (the alerts could not be read, so no OK can be " \
           "inferred)" in text


def test_unreadable_alerts_without_a_filter_are_said_once():
    result, line, text = run(model(NODES, alerts_reason=READ_403, source="api"))
    assert result.state == State.UNKNOWN
    assert line.split(" | ")[0] == ("UNKNOWN - PROD-A: alerts unreadable (HTTP 403): stargate, "
                                    "curator, chronos unknown on every node")
    assert "[UNKNOWN] alerts could not be read: Prism answered HTTP 403; services with no " \
           "other evidence are UNKNOWN, never OK: stargate, curator, chronos on node-01, " \
           "node-02, node-03, node-04" in text
    assert "[OK] node-01: CVM on; cassandra in the metadata ring; CVM CPU 20.5%, memory 61%" \
        in text
    assert result.instance_states["node-01"] == State.UNKNOWN  # each node's own state


def test_unreadable_alerts_on_some_nodes_name_them():
    nodes = [node(1), node(2, degraded=True)]
    _, line, _ = run(model(nodes, alerts_reason=READ_403, source="api"))
    assert line.split(" | ")[0] == (
        "CRITICAL - PROD-A: alerts unreadable (HTTP 403): stargate, curator, chronos unknown on "
        "node-01; 1 of 2 nodes in trouble: node-02 (node degraded)")


def test_unreadable_alerts_with_genesis_evidence_are_unknown_and_said_first():
    result, line, text = run(model(NODES, status=up_everywhere(NODES), alerts_reason=READ_403))
    assert result.state == State.UNKNOWN
    assert line.split(" | ")[0] == ("UNKNOWN - PROD-A: alerts unreadable (HTTP 403): service "
                                    "and CVM alerts not checked")
    assert "[UNKNOWN] alerts could not be read: Prism answered HTTP 403; open service and CVM " \
           "alerts (service down, CVM unreachable, restarting frequently) not checked" in text


def test_genesis_only_source_says_alerts_were_not_read():
    result, line, text = run(model(NODES, status=up_everywhere(NODES), source="genesis"))
    assert result.state == State.OK
    assert line.split(" | ")[0] == ("OK - PROD-A: 4 of 4 CVMs on; stargate, curator, "
                                    "cassandra, chronos OK on every node (Genesis RPC, "
                                    "experimental)")
    assert "(alerts not read (--service-source genesis): open service and CVM alerts (CVM " \
           "unreachable, restarting frequently) are not checked)" in text


def test_genesis_only_source_is_refused_on_prism_central():
    with pytest.raises(PluginError, match="the Genesis RPC is a Prism Element RPC"):
        run(model(NODES, kind="pc", source="genesis"))


def test_genesis_only_source_without_answer_is_unknown():
    result, line, _ = run(model([NODES[0]], filtered=True, genesis_reason="HTTP 404",
                                source="genesis"))
    assert result.state == State.UNKNOWN
    assert line == ("UNKNOWN - PROD-A/node-01: stargate, curator, cassandra, chronos unknown: "
                    "Genesis RPC unavailable; Genesis RPC (experimental) unavailable: HTTP 404")


def test_genesis_only_source_ignores_alerts_and_api():
    nodes = [node(1, metadata_status="kKickedOutOfRing")]
    result, _, _ = run(model(nodes, filtered=True, status=up_everywhere(nodes),
                             source="genesis"))
    assert result.state == State.OK


def test_a_service_missing_from_a_cvms_genesis_list_is_unknown_not_inferred():
    status = genesis.parse_return({"10.0.1.1": {"Stargate": [1], "Curator": [2]}})
    result, line, text = run(model([NODES[0]], filtered=True, status=status))
    assert result.state == State.UNKNOWN
    assert line.split(" | ")[0] == "UNKNOWN - PROD-A/node-01: chronos unknown: not in the " \
        "Genesis answer"
    assert "[UNKNOWN] chronos unknown (the Genesis RPC answer (experimental) lists this CVM's " \
           "services but not chronos)" in text
    assert "[OK] cassandra in the metadata ring (metadata store kNormalMode)" in text


def test_a_genesis_entry_without_services_leaves_inference_to_the_api():
    status = genesis.parse_return({"10.0.1.1": {"state": "Up"}})
    result, _, text = run(model([NODES[0]], filtered=True, status=status))
    assert result.state == State.OK
    assert "[OK] stargate OK (no service alert, CVM up)" in text


@pytest.mark.parametrize("name,words", [
    ("stargte", "bad command line: unknown service 'stargte' in --services (did you mean "
                "stargate?); known: acropolis, alertmanager, "),
    ("nosuchthing", "bad command line: unknown service 'nosuchthing' in --services; known: "),
])
def test_an_unknown_service_name_is_refused(name, words):
    with pytest.raises(UsageError) as caught:
        cvm.selected_services(options(services=["curator,%s" % name]))
    assert str(caught.value).startswith(words)
    assert "stargate" in str(caught.value) and "flow" in str(caught.value)


def test_prism_central_alert_names_the_service():
    nodes = [node(1, cvm_power=None, metadata_status=None)]
    alerts = [alert("Stargate Temporarily Down.", "host-1")]
    result, line, _ = run(model(nodes, kind="pc", filtered=True, alerts=alerts))
    assert result.state == State.CRITICAL
    assert line == "CRITICAL - PROD-A/node-01: stargate DOWN (1 of 4 services down)"


def test_service_names_compare_without_separators():
    alerts = [alert("Aplos Engine Is Down", "host-1")]
    _, line, _ = run(model([NODES[0]], filtered=True, alerts=alerts, source="api"),
                     services=["aplos_engine"])
    assert line == "CRITICAL - PROD-A/node-01: aplos_engine DOWN (1 of 1 services down)"


def test_open_alert_outranks_genesis_up():
    alerts = [alert("Stargate Temporarily Down.", "host-1")]
    result, line, text = run(model([NODES[0]], filtered=True, status=up_everywhere(NODES),
                                   alerts=alerts))
    assert result.state == State.CRITICAL
    assert line == ("CRITICAL - PROD-A/node-01: stargate DOWN per alert (Genesis RPC: UP) (1 "
                    "of 4 services down)")
    assert "stargate DOWN per alert (Genesis RPC: UP) (Genesis RPC (experimental): 2 " \
           "processes; alert 'Stargate Temporarily Down' (CRITICAL))" in text


@pytest.mark.parametrize("cpu,state,line,perf", [
    (85.0, State.WARNING, "WARNING - PROD-A/node-01: CVM CPU 85%", "85%"),
    (95.25, State.CRITICAL, "CRITICAL - PROD-A/node-01: CVM CPU 95.2%", "95.25%"),
])
def test_cpu_thresholds(cpu, state, line, perf):
    result, first, text = run(model([node(1, cvm_cpu_percent=cpu)], filtered=True,
                                    status=up_everywhere(NODES)))
    assert (result.state, first) == (state, line)
    assert "'node-01#cvm.cpu.utilization.percentage'=%s;80;90;0;100" % perf in text
    assert "CVM CPU %s (warning 80, critical 90)" % first.rsplit(" ", 1)[1] in text


def test_memory_thresholds_from_options():
    result, line, text = run(model([NODES[0]], filtered=True, status=up_everywhere(NODES)),
                             warning_memory="50", critical_memory="60")
    assert line == "CRITICAL - PROD-A/node-01: CVM memory 61%"
    assert "'node-01#cvm.memory.utilization.percentage'=61%;50;60;0;100" in text


def test_missing_cvm_stats_are_stated_not_unknown():
    nodes = [node(1, cvm_cpu_percent=None, cvm_memory_percent=None)]
    result, _, text = run(model(nodes, filtered=True, status=up_everywhere(nodes)))
    assert result.state == State.OK
    assert "(CVM CPU and memory not reported by Prism (v1 vms stats) for node-01: not " \
           "judged, no perfdata)" in text
    assert "cvm.cpu" not in text


def test_prism_central_uses_what_exists_and_says_what_not():
    nodes = [node(i, cvm_power=None, metadata_status=None, cvm_cpu_percent=None,
                  cvm_memory_percent=None) for i in (1, 2)]
    result, line, text = run(model(nodes, kind="pc", genesis_reason="not on PC"))
    assert result.state == State.OK
    assert line.split(" | ")[0] == (
        "OK - PROD-A: stargate, curator, cassandra, chronos OK on every node (no service alert, "
        "node not degraded; CVM power and service states not available from Prism Central)")
    assert "(not available from Prism Central v4 clustermgmt, not checked: CVM power state; " \
           "metadata ring membership; CVM service states (no service API, and Prism Central " \
           "does not forward the Genesis RPC; services judged from unresolved alerts and the " \
           "degraded flag); CVM CPU and memory; monitor the cluster's Prism Element for " \
           "those)" in text
    assert "fault tolerance" not in text
    single, _, detail = run(model(nodes[:1], kind="pc", filtered=True))
    assert "stargate OK (no service alert, node not degraded; CVM power and service states " \
           "not available from Prism Central)" in detail


def test_cluster_supplied_text_is_cleaned():
    alerts = [alert("Stargate Temporarily Down.", "host-1", "bad | text\nsecond line")]
    _, _, text = run(model([NODES[0]], filtered=True, alerts=alerts, source="api"))
    assert "bad / text second line" in text
    assert "|" not in text.split(" | ")[0]


def test_verbose_shows_every_service_line_and_the_genesis_note():
    _, _, text = run(model(NODES, alerts=[], genesis_reason="HTTP 404"), verbose=1)
    assert "[OK] node-01: stargate OK (no service alert, CVM up) (source: inferred" in text
    assert "note: Genesis RPC (experimental) not used: HTTP 404" in text


def test_services_option():
    assert cvm.selected_services(options()) == ["stargate", "curator", "cassandra", "chronos"]
    assert cvm.selected_services(options(services=["Zeus, medusa", "zeus", "prism"])) == [
        "zeus", "medusa", "prism"]
    with pytest.raises(UsageError):
        cvm.selected_services(options(services=[" , "]))
    with pytest.raises(UsageError):
        cvm.selected_services(options(services=["stargate;rm"]))


# -- the Genesis parser ------------------------------------------------------------------------
def envelope(payload):
    return {"value": json.dumps({".return": payload})}


def states(status, ip):
    entry = status.for_node([ip])
    return {k: v.state for k, v in entry.services.items()}


@pytest.mark.parametrize("payload", [
    {"10.0.1.1": {"state": "Up", "services": {"Stargate": [1, 2], "Curator": []}}},
    {"10.0.1.1": {"Stargate": "UP", "Curator": "DOWN"}},
    {"10.0.1.1": {"Stargate": {"state": "running", "pids": [1]}, "Curator": {"pids": []}}},
    {"svms": [{"svm_ip": "10.0.1.1", "status": "up",
               "services": [{"name": "Stargate", "status": "up"},
                            {"service_name": "Curator", "pids": []}]}]},
    [True, {"10.0.1.1": {"Stargate": "UP [1, 2]", "Curator": "DOWN []"}}],
    json.dumps({"10.0.1.1": {"Stargate": True, "Curator": False}}),
    "The state of the cluster: start\n\n  CVM: 10.0.1.1 Up\n"
    "        Stargate   UP       [26974, 27094]\n         Curator   DOWN     []\n",
])
def test_tolerant_shapes(payload):
    status = genesis.parse_reply(envelope(payload))
    assert states(status, "10.0.1.1") == {"stargate": "UP", "curator": "DOWN"}


def test_double_encoded_return():
    doc = {"value": json.dumps({".return": json.dumps({"10.0.1.1": {"Zeus": [1]}})})}
    assert states(genesis.parse_reply(doc), "10.0.1.1") == {"zeus": "UP"}


def test_cvm_state_and_node_matching():
    status = genesis.parse_return({"NTNX-B-1-CVM": {"state": "Down"}})
    assert status.for_node(["node-01", "ntnx-b-1-cvm"]).state == "DOWN"
    assert status.for_node(["node-02"]) is None


def test_other_states_are_kept():
    status = genesis.parse_return({"10.0.1.1": {"Stargate": "starting"}})
    assert states(status, "10.0.1.1") == {"stargate": "STARTING"}


def test_cassandra_maps_to_medusa_unless_present():
    only_medusa = genesis.parse_return({"10.0.1.1": {"Medusa": [1]}}).for_node(["10.0.1.1"])
    assert only_medusa.service(cvm.GENESIS_NAMES["cassandra"]).name == "Medusa"
    both = genesis.parse_return({"10.0.1.1": {"Medusa": [1], "Cassandra": []}})
    assert both.for_node(["10.0.1.1"]).service(cvm.GENESIS_NAMES["cassandra"]).state == "DOWN"


@pytest.mark.parametrize("doc,words", [
    ({"entities": []}, "not the Genesis envelope"),
    ({"value": "<html>"}, "not JSON text"),
    ({"value": "[1]"}, "not an object"),
    ({"value": json.dumps({"other": 1})}, "no '.return'"),
    ({"value": json.dumps({".error": "no such method"})}, "error: no such method"),
    (envelope([1, 2, 3]), "no per-CVM service states"),
    (envelope({"10.0.1.1": {"uptime": 5}}), "no per-CVM service states"),
    (envelope("garbled text"), "no per-CVM service states"),
    (envelope([False, "Method get_cluster_status not found"]), "reported a failure"),
])
def test_unrecognised_answers_say_why(doc, words):
    with pytest.raises(genesis.GenesisFormatError, match=words.replace("(", r"\(")):
        genesis.parse_reply(doc)


class FakeCache:
    def __init__(self):
        self.data = {}

    def get(self, key):
        return self.data.get(key)

    def put(self, key, body):
        self.data[key] = body


class FakeClient:
    def __init__(self, answer):
        self.answer = answer
        self.cache = FakeCache()
        self.calls = []

    def post(self, path, body):
        self.calls.append((path, body))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_read_status_sends_the_documented_envelope():
    client = FakeClient(envelope({"10.0.1.1": {"Stargate": [1]}}))
    status, reason = genesis.read_status(client)
    assert reason is None and status.for_node(["10.0.1.1"]) is not None
    path, body = client.calls[0]
    assert path == "/PrismGateway/services/rest/v1/genesis"
    assert json.loads(body["value"]) == {".oid": "ClusterManager",
                                         ".method": "get_cluster_status", ".kwargs": {}}


def test_read_status_remembers_a_cluster_without_the_rpc():
    client = FakeClient(PrismHTTPError("Prism answered HTTP 404", 404, genesis.PATH))
    status, reason = genesis.read_status(client)
    assert status is None and "HTTP 404" in reason
    status, again = genesis.read_status(client)
    assert len(client.calls) == 1 and "remembered" in again


def test_read_status_garbled_answer_is_a_reason_not_an_error():
    status, reason = genesis.read_status(FakeClient({"value": "{{{"}))
    assert status is None and "not JSON" in reason


def test_read_status_lets_other_failures_through_as_reasons():
    status, reason = genesis.read_status(FakeClient(PluginError("not valid JSON")))
    assert status is None and "did not answer it: not valid JSON" in reason
