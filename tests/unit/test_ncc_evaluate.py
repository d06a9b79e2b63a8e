"""`ncc` evaluate() on hand-built models: outcomes per check, KB links, score, filters."""

import argparse

import pytest

from nagios_nutanix.checks import ncc
from nagios_nutanix.checks.alerts import AlertsModel
from nagios_nutanix.plugin.errors import UsageError
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism import cluster_stats
from nagios_nutanix.prism.alerts import PrismAlert
from nagios_nutanix.prism.model import Cluster, Inventory, Node

NOW = 1_800_000_000.0
INVENTORY = Inventory(cluster=Cluster(name="PROD-A", uuid="c1"), nodes=[
    Node(name="node-%02d" % i, uuid="host-%d" % i, cvm_ip="10.0.1.%d" % i) for i in (1, 2, 3)],
    source="test")


def outcome(check, title, severity, node=None, minutes=10, kb=(), **fields):
    entities = [{"type": "host", "name": None, "uuid": "host-%d" % node}] if node else []
    return PrismAlert(title=title, severity=severity, check_id=check, type_id="A" + check,
                      entities=entities, created=NOW - 60 * minutes, last=NOW - 60 * minutes,
                      kb_articles=list(kb), **fields)


DISK_FAIL = outcome("1005", "Data Disk Space Usage High.", "CRITICAL", 2, 35,
                    ["https://portal.nutanix.com/kb/1540"],
                    message="Disk space usage for /home/nutanix/data is 96%.")
DISK_WARN = outcome("1005", "Data Disk Space Usage High.", "WARNING", 3, 40,
                    ["https://portal.nutanix.com/kb/1540"])
NTP = [outcome("3026", "CVM time not synchronized with any external servers.", "WARNING", n,
               240 + n) for n in (1, 3)]
LICENSE = outcome("14002", "Pre-Expiry License Alert", "INFO", minutes=720)
NO_CHECK = PrismAlert(title="User-defined alert", severity="CRITICAL")


def options(**given):
    values = dict(filter_name=None, filter_name_regex=None, include_acknowledged=False,
                  include_check=None, exclude_check=None, warning=None, critical=None)
    values.update(given)
    return argparse.Namespace(**values)


def model(alerts, kind="pe", score=None, score_error=None, error=None):
    inventory = Inventory(cluster=INVENTORY.cluster, nodes=INVENTORY.nodes, source="test",
                          kind=kind)
    if kind == "pe" and score_error is None:
        score_error = "health-check score: Prism Element does not report one"
    return AlertsModel(inventory, alerts, error, NOW, "test", score, score_error)


def run(m, **given):
    result = ncc.evaluate(m, options(**given))
    return result, nagios(result).splitlines()


def perf(result):
    return {m.name: m.value for m in result.metrics}


def test_fail_and_warn_grouped_per_check_worst_first():
    result, lines = run(model(NTP + [DISK_WARN, DISK_FAIL, LICENSE]))
    assert result.state == State.CRITICAL
    assert result.summary == (
        "1 FAIL, 1 WARN health checks: FAIL Data Disk Space Usage High (check 1005, x2, "
        "KB 1540); WARN CVM time not synchronized with any external servers (check 3026, x2)")
    assert lines[1] == (
        "[CRITICAL] FAIL check 1005 Data Disk Space Usage High x2 on node-02, node-03 - Disk "
        "space usage for /home/nutanix/data is 96%. [last 35m ago, first 40m ago; KB "
        "https://portal.nutanix.com/kb/1540]")
    assert lines[3] == ("[OK] INFO check 14002 Pre-Expiry License Alert [last 12h ago; no KB "
                        "link in Prism Element v2 alerts]")
    assert perf(result) == {"checks.fail.count": 1, "checks.warn.count": 1,
                            "checks.info.count": 1}


def test_only_info_is_ok_and_stated():
    result, _ = run(model([LICENSE]))
    assert (result.state, result.summary) == (
        State.OK, "no health check reports FAIL or WARN; 1 INFO: Pre-Expiry License Alert")


def test_nothing_reported_is_ok():
    result, lines = run(model([]))
    assert result.summary == "no health check reports FAIL or WARN"
    assert "[OK] no health check reports FAIL, WARN or INFO" in lines


def test_alerts_without_a_check_id_are_not_health_check_outcomes():
    result, lines = run(model([NO_CHECK, LICENSE]))
    assert result.state == State.OK
    assert "(1 unresolved alert without a check id not counted (see the alerts check))" in lines


def test_include_and_exclude_by_check_id_or_title():
    alerts = NTP + [DISK_FAIL, LICENSE]
    result, lines = run(model(alerts), include_check=["A1005", "license"])
    assert result.summary.startswith("1 FAIL health check: FAIL Data Disk Space Usage High")
    assert "(2 health-check alerts left out by --include-check/--exclude-check)" in lines
    result, _ = run(model(alerts), exclude_check=["c1::1005"])
    assert result.summary.startswith("1 WARN health check: WARN CVM time")
    result, _ = run(model(alerts), exclude_check=["1005", "^cvm time"])
    assert result.state == State.OK
    # An id matches exactly: 100 is not 1005.
    result, _ = run(model(alerts), exclude_check=["100"])
    assert result.state == State.CRITICAL


def test_bad_title_pattern_is_a_usage_error():
    with pytest.raises(UsageError, match="bad --include-check pattern"):
        run(model(NTP), include_check=["[x"])


def test_acknowledged_outcomes_count_only_when_asked():
    acked = outcome("1009", "IPMI IP Not Reachable.", "WARNING", 1, acknowledged=True)
    result, lines = run(model([acked]))
    assert result.state == State.OK
    assert "(1 acknowledged health-check alert not counted; --include-acknowledged counts it)" \
        in lines
    result, _ = run(model([acked]), include_acknowledged=True)
    assert result.summary == "1 WARN health check: WARN IPMI IP Not Reachable (check 1009, " \
                             "node-01)"


def test_filter_name_scopes_to_the_node():
    result, _ = run(model(NTP + [DISK_FAIL]), filter_name="node-03")
    assert result.scope == "PROD-A/node-03"
    assert result.summary == ("1 WARN health check: WARN CVM time not synchronized with any "
                              "external servers (check 3026)")


def test_score_on_prism_central_is_stated_and_judged_by_w_c():
    result, lines = run(model([LICENSE], kind="pc", score=97))
    assert result.summary == ("no health check reports FAIL or WARN; 1 INFO: Pre-Expiry License "
                              "Alert; health-check score 97")
    assert "'health.check.score'=97;;;0;100" in lines[0]
    result, lines = run(model([LICENSE], kind="pc", score=55), warning=Range.parse("80:"),
                        critical=Range.parse("50:"))
    assert (result.state, result.summary) == (State.WARNING,
                                              "health-check score 55 (outside 80:)")
    assert "'health.check.score'=55;80:;50:;0;100" in lines[0]
    result, _ = run(model(NTP, kind="pc", score=40), warning=Range.parse("80:"),
                    critical=Range.parse("50:"))
    assert result.summary == ("health-check score 40 (outside 50:); 1 WARN health check: WARN "
                              "CVM time not synchronized with any external servers (check "
                              "3026, x2)")


def test_score_with_failures_follows_them():
    result, _ = run(model([DISK_FAIL], kind="pc", score=62))
    assert result.summary == ("1 FAIL health check: FAIL Data Disk Space Usage High (check "
                              "1005, node-02, KB 1540); health-check score 62")


def test_missing_score_is_a_note_unless_thresholds_ask_for_it():
    result, lines = run(model([], kind="pc", score_error="health-check score not available: "
                              "HTTP 404"))
    assert result.state == State.OK
    assert "(health-check score not available: HTTP 404)" in lines
    result, _ = run(model([], kind="pc", score_error="health-check score not available: "
                          "HTTP 404"), warning=Range.parse("80:"))
    assert (result.state, result.summary) == (State.UNKNOWN, "health-check score not available")
    result, lines = run(model([]), critical=Range.parse("50:"))
    assert result.state == State.UNKNOWN
    assert lines[1].startswith("[UNKNOWN] health-check score: Prism Element does not report one")


def test_alerts_that_cannot_be_read_are_unknown():
    result, lines = run(model(None, error="alerts could not be read: HTTP 403"))
    assert (result.state, lines[0]) == (State.UNKNOWN,
                                        "UNKNOWN - PROD-A: alerts could not be read: HTTP 403")


def test_kb_short_forms():
    assert ncc.kb_short("https://portal.nutanix.com/kb/1540") == "KB 1540"
    assert ncc.kb_short("https://portal.nutanix.com/page/documents/kbs/details?"
                        "targetId=kA0600000008bAECAY") == ""
    assert ncc.kb_short("KB-000004519") == "KB 4519"


class StatsClient:
    def __init__(self, answer=None, error=None):
        self.answer, self.error, self.calls = answer, error, []

    def get(self, path, params):
        self.calls.append((path, params))
        if self.error:
            raise self.error
        return self.answer


def test_read_score_takes_the_newest_value_of_the_shared_window():
    client = StatsClient({"data": {"healthCheckScore": [
        {"timestamp": "2027-01-15T07:55:00Z", "value": 80},
        {"timestamp": "2027-01-15T08:00:00Z", "value": 62}]}})
    assert ncc.read_score(client, "c1", 1_800_000_033.5) == (62, None)
    path, params = client.calls[0]
    assert path == "/api/clustermgmt/v4.0/stats/clusters/c1"
    # The storage check's query: same path, same window, no $select -> one cached answer.
    assert params == {"$startTime": "2027-01-15T07:45:00Z", "$endTime": "2027-01-15T08:00:00Z"}
    assert params == cluster_stats.window(1_800_000_033.5)


def test_read_score_says_why_not():
    from nagios_nutanix.prism.errors import PrismHTTPError

    assert ncc.read_score(StatsClient({"data": {}}), "c1", NOW) == (
        None, "health-check score not reported by Prism Central for this cluster")
    score, why = ncc.read_score(StatsClient(error=PrismHTTPError("HTTP 404", 404, "x")), "c1",
                                NOW)
    assert (score, why) == (None, "health-check score not available: Prism Central answered "
                                  "HTTP 404 for /api/clustermgmt/v4.0/stats/clusters/c1")
    score, why = ncc.read_score(StatsClient(error=PrismHTTPError("HTTP 403", 403, "x")), "c1",
                                NOW)
    assert (score, why) == (None, "health-check score not available: HTTP 403")
