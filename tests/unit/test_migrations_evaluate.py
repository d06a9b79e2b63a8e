"""The `migrations` check's judgement on hand-built models, and the task parsing under it."""

import argparse

import pytest

from nagios_nutanix.checks.migrations import MigrationsModel, evaluate, touches
from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism import tasks
from nagios_nutanix.prism.model import Cluster, Inventory, Node

NOW = 1_800_000_000.0
MIN = 60.0


def options(**changes):
    values = dict(filter_name=None, filter_name_regex=None, window=60, critical_failures=None,
                  warning=None, critical=None)
    values.update(changes)
    return argparse.Namespace(**values)


def node(i):
    return Node(name="node-%02d" % i, uuid="host-%d" % i, host_ip="10.0.0.%d" % i,
                cvm_ip="10.0.1.%d" % i, serial="SER%04d" % i)


INVENTORY = Inventory(cluster=Cluster(name="PROD-A", uuid="c-1"),
                      nodes=[node(i) for i in range(1, 5)], source="test")


def migration(vm, source, destination, status, began_ago, ended_ago=None, message=None,
              percent=None):
    return tasks.Migration(
        task_id="t-" + vm, vm=vm, vm_uuid="vm-" + vm, source="node-%02d" % source,
        source_uuid="host-%d" % source, destination="node-%02d" % destination,
        destination_uuid="host-%d" % destination, status=status, percent=percent,
        began=NOW - began_ago * MIN, ended=None if ended_ago is None else NOW - ended_ago * MIN,
        message=message)


def model(found=(), complete=True, read=10, total=10, oldest_ago=600):
    return MigrationsModel(INVENTORY, found, complete, read, total, NOW - oldest_ago * MIN,
                           "Prism Element v2.0 tasks", NOW)


FAILED = migration("vm-022", 3, 4, "FAILED", 25, 23, "kNoHostResources: not enough memory",
                   percent=63)
RUNNING = migration("vm-024", 3, 1, "RUNNING", 2, percent=40)
DONE = migration("vm-005", 1, 2, "SUCCEEDED", 10, 9)
OLD = migration("vm-031", 4, 2, "FAILED", 180, 170, "aborted")


def first(result):
    return nagios(result).splitlines()[0]


def summary(result):
    return first(result).split(" | ")[0]


def node_counts(node, running, failed, succeeded, critical=""):
    return ("'%s#migrations.running.count'=%d;;;0 '%s#migrations.failed.count'=%d;0;%s;0 "
            "'%s#migrations.succeeded.count'=%d;;;0" % (node, running, node, failed, critical,
                                                         node, succeeded))


def test_nothing_happening():
    result = evaluate(model(), options())
    assert result.state == State.OK
    assert first(result) == (
        "OK - PROD-A: no VM migration in flight, none failed in the last 1h | "
        + " ".join(node_counts("node-%02d" % i, 0, 0, 0) for i in range(1, 5)))


def test_failure_in_window_warns_and_names_vm_and_hosts_once_per_node():
    result = evaluate(model([FAILED, RUNNING, DONE, OLD]), options())
    out = nagios(result).splitlines()
    assert result.state == State.WARNING
    assert summary(result) == (
        "WARNING - PROD-A: 2 of 4 nodes in trouble: node-03 (1 VM migration failed in the last "
        "1h: vm-022 to node-04), node-04 (1 VM migration failed in the last 1h: vm-022 from "
        "node-03)")
    # Perfdata per node, with or without a filter: a migration counts at both ends.
    assert node_counts("node-03", 1, 1, 0) in out[0]
    assert node_counts("node-04", 0, 1, 0) in out[0]
    assert node_counts("node-01", 1, 0, 1) in out[0]
    assert "'migrations." not in out[0]
    assert ("[WARNING] node-03: vm-022 node-03 -> node-04 failed 23m ago after 2m: "
            "kNoHostResources: not enough memory") in out
    assert "[OK] node-03: vm-024 node-03 -> node-01 in flight for 2m, 40% done" in out
    assert "[OK] node-01: 1 VM migration in flight (vm-024 node-03 -> node-01), none failed in " \
        "the last 1h, 1 succeeded" in out
    assert result.instance_states == {"node-01": State.OK, "node-02": State.OK,
                                      "node-03": State.WARNING, "node-04": State.WARNING}


def test_wider_window_brings_the_old_failure_back():
    result = evaluate(model([FAILED, OLD]), options(window=240))
    assert summary(result) == (
        "WARNING - PROD-A: 3 of 4 nodes in trouble: node-02 (1 VM migration failed in the last "
        "4h: vm-031 from node-04), node-03 (1 VM migration failed in the last 4h: vm-022 to "
        "node-04), node-04 (2 VM migrations failed in the last 4h: vm-022 from node-03, vm-031 "
        "to node-02)")


def test_in_flight_only_is_stated_ok():
    result = evaluate(model([RUNNING]), options())
    assert summary(result) == ("OK - PROD-A: 1 VM migration in flight (vm-024 node-03 -> "
                               "node-01), none failed in the last 1h")


@pytest.mark.parametrize("count,critical_at,state", [(1, None, State.WARNING),
                                                     (1, 2, State.WARNING),
                                                     (2, 2, State.CRITICAL),
                                                     (3, 1, State.CRITICAL)])
def test_critical_failures(count, critical_at, state):
    found = [migration("vm-%d" % i, 1, 2, "FAILED", 10, 9) for i in range(count)]
    result = evaluate(model(found), options(critical_failures=critical_at))
    assert result.state == state
    if critical_at:
        assert "'node-01#migrations.failed.count'=%d;0;%d;0" % (count, critical_at - 1) \
            in first(result)


def test_critical_failures_count_per_node():
    # node-04 saw two failures, node-03 and node-02 one each: only node-04 is CRITICAL.
    result = evaluate(model([FAILED, OLD]), options(window=240, critical_failures=2))
    assert result.state == State.CRITICAL
    assert summary(result).startswith("CRITICAL - PROD-A: 3 of 4 nodes in trouble: node-04 (2 "
                                      "VM migrations failed in the last 4h: ")
    assert result.instance_states["node-03"] == State.WARNING


def test_many_in_flight_warn_with_w():
    found = [migration("vm-%d" % i, 1, 2, "RUNNING", 1) for i in range(5)]
    result = evaluate(model(found), options(warning=Range.parse("3")))
    assert summary(result) == ("WARNING - PROD-A: 2 of 4 nodes in trouble: node-01 (5 VM "
                               "migrations in flight), node-02 (5 VM migrations in flight)")
    assert "'node-01#migrations.running.count'=5;3;;0" in first(result)
    assert "'node-03#migrations.running.count'=0;3;;0" in first(result)
    result = evaluate(model(found), options(warning=Range.parse("3"), filter_name="node-02"))
    assert summary(result) == "WARNING - PROD-A/node-02: 5 VM migrations in flight"


def test_first_line_names_three_failures_and_counts_the_rest():
    found = [migration("vm-%d" % i, 1, 2, "FAILED", 10, 10 - i) for i in range(5)]
    assert summary(evaluate(model(found), options(filter_name="node-01"))) == (
        "WARNING - PROD-A/node-01: 5 VM migrations failed in the last 1h: vm-4 (node-01 -> "
        "node-02), vm-3 (node-01 -> node-02), vm-2 (node-01 -> node-02) and 2 more")
    assert summary(evaluate(model(found), options())) == (
        "WARNING - PROD-A: 2 of 4 nodes in trouble: node-01 (5 VM migrations failed in the "
        "last 1h: vm-4 to node-02, vm-3 to node-02, vm-2 to node-02 and 2 more), node-02 (5 VM "
        "migrations failed in the last 1h: vm-4 from node-01, vm-3 from node-01, vm-2 from "
        "node-01 and 2 more)")


def test_filter_keeps_migrations_from_or_to_the_node():
    result = evaluate(model([FAILED, RUNNING, DONE]), options(filter_name="SER0004"))
    assert summary(result) == ("WARNING - PROD-A/node-04: 1 VM migration failed in the last "
                               "1h: vm-022 (node-03 -> node-04)")
    assert "'node-04#migrations.running.count'=0;;;0" in first(result)
    quiet = evaluate(model([FAILED, RUNNING, DONE]), options(filter_name="node-02"))
    assert summary(quiet) == ("OK - PROD-A/node-02: no VM migration in flight, none failed in "
                              "the last 1h, 1 succeeded")


def test_regex_over_two_nodes():
    result = evaluate(model([FAILED, RUNNING]), options(filter_name_regex="node-0[14]"))
    assert summary(result) == ("WARNING - PROD-A: 1 of 2 nodes in trouble: node-04 (1 VM "
                               "migration failed in the last 1h: vm-022 from node-03)")


def test_zero_match_filter():
    with pytest.raises(PluginError) as caught:
        evaluate(model(), options(filter_name="node-9"))
    assert "no node of cluster PROD-A matches --filter-name 'node-9'" in str(caught.value)


def test_migration_naming_no_host_is_judged_only_cluster_wide():
    loose = tasks.Migration(vm="vm-x", status="FAILED", began=NOW - 300, ended=NOW - 200)
    result = evaluate(model([loose]), options())
    assert summary(result) == ("WARNING - PROD-A: 1 VM migration tied to no known host failed "
                               "in the last 1h: vm-x (? -> ?)")
    assert "vm-x" not in first(result).split(" | ")[1]  # no perfdata for it
    result = evaluate(model([loose]), options(filter_name="node-01"))
    assert result.state == State.OK
    assert nagios(result).splitlines()[-1] == ("(1 VM migration task names no host of the "
                                               "cluster and is judged only without "
                                               "--filter-name)")


def test_an_inferred_source_says_so_on_every_line():
    guess = tasks.Migration(vm="vm-y", vm_uuid="u-y", source="node-02", source_uuid="host-2",
                            source_inferred=True, status="FAILED", began=NOW - 300,
                            ended=NOW - 200, message="boom")
    result = evaluate(model([guess]), options(filter_name="node-02"))
    out = nagios(result).splitlines()
    assert summary(result) == ("WARNING - PROD-A/node-02: 1 VM migration failed in the last "
                               "1h: vm-y (node-02 (source inferred) -> ?)")
    assert "[WARNING] vm-y node-02 (source inferred) -> ? failed 3m ago after 1m: boom" in out
    assert summary(evaluate(model([guess]), options())) == (
        "WARNING - PROD-A: 1 of 4 nodes in trouble: node-02 (1 VM migration failed in the last "
        "1h: vm-y to ? (source inferred))")


def test_short_task_list_is_unknown_not_ok():
    result = evaluate(model(complete=False, read=500, total=1900, oldest_ago=20), options())
    out = nagios(result).splitlines()
    assert summary(result) == "UNKNOWN - PROD-A: task list incomplete"
    assert ("[UNKNOWN] Prism returned only the newest 500 of 1900 tasks, reaching back 20m; "
            "migrations that failed earlier in the window may be missing") in out
    result = evaluate(model(complete=False, read=500, total=None, oldest_ago=20), options())
    assert ("[UNKNOWN] Prism returned only the newest 500 tasks, and no total, reaching back "
            "20m; migrations that failed earlier in the window may be missing") in \
        nagios(result).splitlines()
    # If what came back covers the window, nothing is missing.
    assert evaluate(model(complete=False, oldest_ago=90), options()).state == State.OK


@pytest.mark.parametrize("changes", [{"window": 0}, {"critical_failures": 0}])
def test_bad_numbers_are_usage_errors(changes):
    with pytest.raises(UsageError):
        evaluate(model(), options(**changes))


def test_touches_by_uuid_or_name():
    m = tasks.Migration(source="NODE-03", destination=None, destination_uuid="host-1")
    assert touches(m, node(3)) and touches(m, node(1)) and not touches(m, node(2))


# --- parsing ----------------------------------------------------------------------------------

V2_TASK = {
    "uuid": "t1", "operation_type": "kVmMigrate", "progress_status": "Failed",
    "percentage_complete": 63, "create_time_usecs": 1_700_000_000_000_000,
    "start_time_usecs": 1_700_000_001_000_000, "complete_time_usecs": 1_700_000_096_000_000,
    "last_updated_time_usecs": 1_700_000_096_000_000,
    "meta_response": {"error_code": 1, "error_detail": "kNoHostResources"},
    "entity_list": [{"entity_id": "vm-1", "entity_type": "kVM", "entity_name": "vm-022"},
                    {"entity_id": "host-3", "entity_type": "kNode", "entity_name": "node-03"},
                    {"entity_id": "host-4", "entity_type": "kNode", "entity_name": "node-04"}],
    "cluster_uuid": "c-1",
}

V4_TASK = {
    "extId": "ZXJnb24=:t2", "operation": "kVmMigrate", "status": "RUNNING",
    "progressPercentage": 40, "createdTime": "2023-11-14T22:13:20Z",
    "startedTime": "2023-11-14T22:13:21Z", "lastUpdatedTime": "2023-11-14T22:14:00Z",
    "entitiesAffected": [
        {"extId": "vm-2", "name": "vm-024", "rel": "vmm:ahv:config:vm"},
        {"extId": "host-3", "name": "node-03", "rel": "clustermgmt:config:host"},
        {"extId": "host-1", "name": "node-01", "rel": "clustermgmt:config:host"}],
    "clusterExtIds": ["c-1"],
}


def test_v2_migrate_task():
    (found,) = tasks.migrations([tasks.from_v2(V2_TASK)])
    assert (found.vm, found.source, found.destination, found.status) == (
        "vm-022", "node-03", "node-04", "FAILED")
    assert (found.began, found.ended, found.message) == (1_700_000_001.0, 1_700_000_096.0,
                                                         "kNoHostResources")
    assert found.failed and not found.in_flight


def test_v4_migrate_task_in_flight_has_no_end():
    (found,) = tasks.migrations([tasks.from_v4(V4_TASK)])
    assert (found.vm, found.source_uuid, found.destination_uuid, found.percent) == (
        "vm-024", "host-3", "host-1", 40)
    assert found.in_flight and found.ended is None


def test_other_operations_are_not_migrations():
    other = dict(V2_TASK, operation_type="kVmSnapshot")
    assert tasks.migrations([tasks.from_v2(other)]) == []
    plain = dict(V2_TASK, operation_type="VmMigrate")
    assert len(tasks.migrations([tasks.from_v2(plain)])) == 1


@pytest.mark.parametrize("status", ["Failed", "Running", "Queued"])
def test_a_failed_or_running_task_naming_only_its_vm_takes_the_vms_host_as_source(status):
    bare = dict(V2_TASK, entity_list=[V2_TASK["entity_list"][0]], progress_status=status)
    assert tasks.needs_placement(tasks.from_v2(bare))
    (found,) = tasks.migrations([tasks.from_v2(bare)], {"vm-1": ("host-3", "node-03")})
    assert (found.source, found.destination, found.source_inferred) == ("node-03", None, True)


def test_a_succeeded_task_naming_only_its_vm_gets_no_host():
    # Its VM's current host is where it went (or went since), not where it came from.
    bare = dict(V2_TASK, entity_list=[V2_TASK["entity_list"][0]], progress_status="Succeeded")
    assert not tasks.needs_placement(tasks.from_v2(bare))
    (found,) = tasks.migrations([tasks.from_v2(bare)], {"vm-1": ("host-3", "node-03")})
    assert (found.source, found.destination, found.source_inferred) == (None, None, False)


class Answer:
    def __init__(self, doc):
        self.doc = doc

    def post(self, path, body):
        return self.doc


def v2_answer(count, total=None, age=600):
    """A v2.0 tasks/list answer of `count` tasks, the oldest begun `age` s ago."""
    entities = [dict(V2_TASK, uuid="t%d" % i, start_time_usecs=int((NOW - age) * 1e6),
                     create_time_usecs=int((NOW - age) * 1e6)) for i in range(count)]
    doc = {"entities": entities}
    if total is not None:
        doc["metadata"] = {"total_entities": total}
    return Answer(doc)


@pytest.mark.parametrize("count,total,age,complete", [
    (tasks.V2_COUNT, None, 600, False),   # a full answer, no total, not reaching back
    (tasks.V2_COUNT, None, 7200, True),   # ... reaching back past the window
    (12, None, 600, True),                # fewer than asked for: that is all there is
    (tasks.V2_COUNT, 900, 600, False),    # the total says there are more
    (tasks.V2_COUNT, tasks.V2_COUNT, 600, True),
])
def test_v2_task_list_is_complete_only_when_known(count, total, age, complete):
    listed = tasks.recent(v2_answer(count, total, age), "pe", "c-1", NOW - 3600)
    assert listed.complete is complete


def test_v4_unknown_status_is_none_not_a_guess():
    assert tasks.from_v4(dict(V4_TASK, status="$UNKNOWN")).status is None
