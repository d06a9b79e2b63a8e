"""`check_nutanix_migrations` against the emulator: exit code, exact first line, perfdata."""

import pytest


def counts(running, failed, succeeded, node, critical=""):
    """One node's perfdata: always `node#`-prefixed, with or without --filter-name."""
    return ["'%s#migrations.running.count'=%d;;;0" % (node, running),
            "'%s#migrations.failed.count'=%d;0;%s;0" % (node, failed, critical),
            "'%s#migrations.succeeded.count'=%d;;;0" % (node, succeeded)]


FAILED = "1 VM migration failed in the last 1h: prod-a-vm-022 (node-03 -> node-04)"
# Without a filter each node names its part once: the source "to", the destination "from".
NODES_FAILED = ("2 of 4 nodes in trouble: node-03 (1 VM migration failed in the last 1h: "
                "prod-a-vm-022 to node-04), node-04 (1 VM migration failed in the last 1h: "
                "prod-a-vm-022 from node-03)")
BOTH = ("3 of 4 nodes in trouble: node-02 (1 VM migration failed in the last 4h: prod-a-vm-031 "
        "from node-04), node-03 (1 VM migration failed in the last 4h: prod-a-vm-022 to "
        "node-04), node-04 (2 VM migrations failed in the last 4h: prod-a-vm-022 from node-03, "
        "prod-a-vm-031 to node-02)")
BOTH_CRITICAL = ("3 of 4 nodes in trouble: node-04 (2 VM migrations failed in the last 4h: "
                 "prod-a-vm-022 from node-03, prod-a-vm-031 to node-02), node-02 (1 VM "
                 "migration failed in the last 4h: prod-a-vm-031 from node-04), node-03 (1 VM "
                 "migration failed in the last 4h: prod-a-vm-022 to node-04)")
QUIET = "no VM migration in flight, none failed in the last 1h"
EVACUATING = ("2 VM migrations in flight (prod-a-vm-029 node-03 -> node-01, prod-a-vm-030 "
              "node-03 -> node-02), none failed in the last 1h, 1 succeeded")

CASES = [
    ("healthy", [], 0, "OK - PROD-A: " + QUIET,
     counts(0, 0, 0, "node-01") + counts(0, 0, 0, "node-04")),
    ("healthy", ["--filter-name", "node-03"], 0, "OK - PROD-A/node-03: " + QUIET,
     counts(0, 0, 0, "node-03")),
    ("migration-failed", [], 1, "WARNING - PROD-A: " + NODES_FAILED,
     counts(1, 1, 0, "node-03") + counts(0, 1, 0, "node-04") + counts(1, 0, 1, "node-01")),
    # by host name, CVM IP and node serial: source and destination both see the failure
    ("migration-failed", ["--filter-name", "node-03"], 1, "WARNING - PROD-A/node-03: " + FAILED,
     counts(1, 1, 0, "node-03")),
    ("migration-failed", ["--filter-name", "10.10.1.24"], 1,
     "WARNING - PROD-A/node-04: " + FAILED, counts(0, 1, 0, "node-04")),
    ("migration-failed", ["--filter-name", "zm3100610002"], 0,
     "OK - PROD-A/node-02: " + QUIET + ", 1 succeeded", counts(0, 0, 1, "node-02")),
    ("migration-failed", ["--filter-name", "node-9"], 3,
     "UNKNOWN - no node of cluster PROD-A matches --filter-name 'node-9'; it has 4: node-01, "
     "node-02, node-03, node-04", []),
    # a regex matching two nodes: node-01 has the migration in flight, neither a failure
    ("migration-failed", ["--filter-name-regex", "node-0[12]"], 0,
     "OK - PROD-A: 1 VM migration in flight (prod-a-vm-024 node-03 -> node-01), none failed in "
     "the last 1h, 1 succeeded", counts(1, 0, 1, "node-01") + counts(0, 0, 1, "node-02")),
    ("migration-failed", ["--window", "240"], 1, "WARNING - PROD-A: " + BOTH,
     counts(0, 2, 0, "node-04")),
    ("migration-failed", ["--window", "240", "--filter-name", "node-02"], 1,
     "WARNING - PROD-A/node-02: 1 VM migration failed in the last 4h: prod-a-vm-031 (node-04 "
     "-> node-02)", counts(0, 1, 1, "node-02")),
    ("migration-failed", ["--critical-failures", "1"], 2, "CRITICAL - PROD-A: " + NODES_FAILED,
     counts(1, 1, 0, "node-03", critical="0")),
    ("migration-failed", ["--critical-failures", "2"], 1, "WARNING - PROD-A: " + NODES_FAILED,
     counts(1, 1, 0, "node-03", critical="1")),
    # --critical-failures counts per node: node-04 saw both failures
    ("migration-failed", ["--window", "240", "--critical-failures", "2"], 2,
     "CRITICAL - PROD-A: " + BOTH_CRITICAL, counts(0, 2, 0, "node-04", critical="1")),
    ("node-maintenance", [], 0, "OK - PROD-A: " + EVACUATING,
     counts(2, 0, 1, "node-03") + counts(1, 0, 0, "node-01")),
    ("node-maintenance", ["-w", "1"], 1,
     "WARNING - PROD-A: 1 of 4 nodes in trouble: node-03 (2 VM migrations in flight)",
     ["'node-03#migrations.running.count'=2;1;;0", "'node-01#migrations.running.count'=1;1;;0"]),
    ("node-maintenance", ["--filter-name", "node-01"], 0,
     "OK - PROD-A/node-01: 1 VM migration in flight (prod-a-vm-029 node-03 -> node-01), none "
     "failed in the last 1h", counts(1, 0, 0, "node-01")),
    ("prism-central", ["--cluster", "PROD-A"], 0, "OK - PROD-A: " + QUIET,
     counts(0, 0, 0, "node-02")),
    ("migration-failed-pc", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
    ("migration-failed-pc", ["--cluster", "PROD-A"], 1, "WARNING - PROD-A: " + NODES_FAILED,
     counts(1, 1, 0, "node-03")),
    ("migration-failed-pc", ["--cluster", "PROD-A", "--filter-name", "ZM3100610004"], 1,
     "WARNING - PROD-A/node-04: " + FAILED, counts(0, 1, 0, "node-04")),
    ("migration-failed-pc", ["--cluster", "PROD-A", "--window", "240", "--critical-failures",
                             "2"], 2, "CRITICAL - PROD-A: " + BOTH_CRITICAL,
     counts(0, 2, 0, "node-04", critical="1")),
    # DR-B's own failure, and none of PROD-A's
    ("migration-failed-pc", ["--cluster", "DR-B"], 1,
     "WARNING - DR-B: 2 of 3 nodes in trouble: dr-node-01 (1 VM migration failed in the last "
     "1h: dr-b-vm-002 to dr-node-02), dr-node-02 (1 VM migration failed in the last 1h: "
     "dr-b-vm-002 from dr-node-01)", counts(0, 1, 0, "dr-node-01")),
    ("migration-failed-pc", ["--cluster", "DR-B", "--filter-name", "dr-node-03"], 0,
     "OK - DR-B/dr-node-03: " + QUIET, counts(0, 0, 0, "dr-node-03")),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="migrations")
    run.expect(code, first, perf)


def test_long_output_quotes_the_error_and_the_migration_in_flight(emulators, run_check):
    run = run_check(emulators("migration-failed"), "--filter-name", "node-03",
                    check="migrations")
    failure = [line for line in run.lines if line.startswith("[WARNING] prod-a-vm-022 ")]
    assert len(failure) == 1
    assert " failed " in failure[0] and failure[0].endswith(
        ": kNoHostResources: host node-04 does not have enough free memory for VM "
        "prod-a-vm-022")
    assert any(line.startswith("[OK] prod-a-vm-024 node-03 -> node-01 in flight for ")
               and line.endswith(", 40% done") for line in run.lines)
    run = run_check(emulators("migration-failed"), check="migrations")
    # every node's part, under its name; a quiet node in one line
    assert len([line for line in run.lines
                if line.startswith(("[WARNING] node-03: prod-a-vm-022 ",
                                    "[WARNING] node-04: prod-a-vm-022 "))]) == 2
    assert "[OK] node-02: no VM migration in flight, none failed in the last 1h, 1 succeeded" \
        in run.lines


# A failed migration whose task names only its VM, and a succeeded one (shapes INFERRED).
HOSTLESS = """
extends: healthy
cluster:
  tasks+:
    - operation_type: kVmMigrate
      progress_status: Failed
      age_minutes: 12
      duration_seconds: 30
      vm: prod-a-vm-010
      message: "kNoHostResources"
    - operation_type: kVmMigrate
      progress_status: Succeeded
      age_minutes: 8
      vm: prod-a-vm-011
"""


@pytest.fixture(scope="module")
def hostless(emulators, tmp_path_factory):
    path = tmp_path_factory.mktemp("migrations") / "hostless.yaml"
    path.write_text(HOSTLESS)
    return emulators(str(path))


def test_a_task_naming_no_host_takes_the_vms_host_as_source_and_says_so(hostless, run_check):
    run = run_check(hostless, check="migrations")
    assert (run.code, run.summary) == (
        1, "WARNING - PROD-A: 1 of 4 nodes in trouble: node-01 (1 VM migration failed in the "
           "last 1h: prod-a-vm-010 to ? (source inferred))"), run
    assert "[WARNING] node-01: 1 VM migration failed in the last 1h: prod-a-vm-010 (node-01 " \
        "(source inferred) -> ?)" in run.lines
    assert any(line.startswith("[WARNING] node-01: prod-a-vm-010 node-01 (source inferred) -> "
                               "? failed ") for line in run.lines)
    assert "'node-01#migrations.failed.count'=1;0;;0" in run.perfdata.split(" ")
    run = run_check(hostless, "--filter-name", "node-01", check="migrations")
    assert (run.code, run.summary) == (
        1, "WARNING - PROD-A/node-01: 1 VM migration failed in the last 1h: prod-a-vm-010 "
           "(node-01 (source inferred) -> ?)"), run
    # The succeeded one names no host and its VM's host is its destination: not attributed.
    assert run.lines[-1] == ("(1 VM migration task names no host of the cluster and is judged "
                             "only without --filter-name)")


def test_prism_central_reads_v4_tasks(emulators, run_check):
    run = run_check(emulators("migration-failed-pc"), "--cluster", "PROD-A", "-v",
                    check="migrations")
    assert "note: source: Prism Central v4 prism tasks" in run.lines


@pytest.mark.parametrize("args,message", [
    (["--window", "0"], "UNKNOWN - --window must be a number of minutes greater than 0"),
    (["--window", "abc"], "UNKNOWN - bad command line: argument --window: invalid int value: "
     "'abc' (see --help)"),
    (["--critical-failures", "0"], "UNKNOWN - --critical-failures must be 1 or more"),
    (["-w", "many"], "UNKNOWN - bad threshold range 'many': "),
])
def test_bad_input(emulators, run_check, args, message):
    run = run_check(emulators("healthy"), *args, check="migrations")
    assert run.code == 3, run
    assert run.first.startswith(message), run
    assert "Traceback" not in run.stdout + run.stderr


def _get(emulator, path):
    """One authenticated GET to the emulator: (status, decoded JSON body)."""
    import base64
    import json
    import urllib.error
    import urllib.request

    from conftest import PASSWORD

    token = base64.b64encode(("admin:%s" % PASSWORD).encode()).decode()
    request = urllib.request.Request(emulator.url + path,
                                     headers={"Authorization": "Basic " + token})
    try:
        with urllib.request.urlopen(request, context=emulator._tls, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def test_emulator_v4_task_by_id_and_vm_filter(emulators):
    emulator = emulators("migration-failed-pc")
    status, listed = _get(emulator, "/api/prism/v4.0/config/tasks?$limit=2")
    assert status == 200 and listed["metadata"]["totalAvailableResults"] == 5
    newest = listed["data"][0]
    assert newest["entitiesAffected"][0]["name"] == "prod-a-vm-024"  # newest first
    status, one = _get(emulator, "/api/prism/v4.0/config/tasks/" + newest["extId"])
    assert status == 200 and one["data"]["status"] == "RUNNING"
    status, _ = _get(emulator, "/api/prism/v4.0/config/tasks/ZXJnb24=:nope")
    assert status == 404
    status, _ = _get(emulator, "/api/vmm/v4.0/ahv/config/vms?$filter=name%20eq%20'x'")
    assert status == 400
