"""`check_nutanix_replication` against its scenarios: exit code, exact first line, perfdata.

Ages in the output are measured against the time the emulator built its world, so this module
starts its own emulators (a fresh one per scenario, used within seconds) instead of sharing the
session's: scenario ages end in half minutes, which keeps the shown minutes stable meanwhile.
"""

import re

import pytest
from conftest import EmulatorProcess

SCENARIOS = ("healthy", "rpo-breach", "replication-link-down", "metro-synchronizing",
             "prism-central", "prism-central-leap")


@pytest.fixture(scope="module")
def fresh():
    started = {}

    def get(scenario):
        if scenario not in started:
            started[scenario] = EmulatorProcess(scenario)
        return started[scenario]

    yield get
    for emulator in started.values():
        emulator.stop()


def lag(pd, site, warning, critical):
    """A lag perfdata item whose value moves with the clock: a pattern on the rest."""
    return re.compile(r"'%s~%s#replication\.lag\.seconds'=\d+s;%s;%s;0$" % (
        re.escape(pd), re.escape(site), warning, critical))


def perf_has(perfdata, expected):
    items = perfdata.split(" ")
    if isinstance(expected, str):
        return expected in items
    return any(expected.match(item) for item in items)


SILVER_OK = "PD-SILVER to DR-SITE 1h35m, RPO 4h"
CASES = [
    ("healthy", [], 0,
     "OK - PROD-A: 2 protection domains within RPO: worst " + SILVER_OK,
     [lag("PD-GOLD", "DR-SITE", 2880, 3600), lag("PD-SILVER", "DR-SITE", 11520, 14400),
      "'PD-GOLD#replications.pending.count'=0;;;0", "'PD-GOLD#replications.ongoing.count'=0;;;0",
      "'PD-GOLD#replication.sent.bytespersecond'=122880;;;0",
      "'PD-GOLD#replication.received.bytespersecond'=0;;;0"]),
    ("rpo-breach", [], 2,
     "CRITICAL - PROD-A: RPO breached: PD-SQL last replicated to DR-SITE 2h14m ago, RPO 1h; "
     "alert: Recovery Point Objective Cannot Be Met (DR-SITE, PD-SQL)",
     [lag("PD-SQL", "DR-SITE", 2880, 3600), "'PD-SQL#replications.pending.count'=1;;;0",
      "'PD-SQL#replications.ongoing.count'=1;;;0",
      "'PD-SQL#replication.sent.bytespersecond'=35840;;;0"]),
    ("rpo-breach", ["--filter-pd", "pd-gold"], 0,
     "OK - PROD-A: 1 protection domain within RPO: worst PD-GOLD to DR-SITE 20m, RPO 1h",
     [lag("PD-GOLD", "DR-SITE", 2880, 3600)]),
    ("rpo-breach", ["--filter-pd-regex", "PD-S.*"], 2,
     "CRITICAL - PROD-A: RPO breached: PD-SQL last replicated to DR-SITE 2h14m ago, RPO 1h; "
     "alert: Recovery Point Objective Cannot Be Met (DR-SITE, PD-SQL)",
     [lag("PD-SILVER", "DR-SITE", 11520, 14400), lag("PD-SQL", "DR-SITE", 2880, 3600)]),
    ("rpo-breach", ["--rpo", "10800", "--filter-pd", "PD-SQL"], 1,
     "WARNING - PROD-A: alert: Recovery Point Objective Cannot Be Met (DR-SITE, PD-SQL)",
     [lag("PD-SQL", "DR-SITE", 8640, 10800)]),
    ("rpo-breach", ["--rpo-warning-ratio", "0.3", "--filter-pd", "PD-GOLD"], 1,
     "WARNING - PROD-A: near RPO: PD-GOLD last replicated to DR-SITE 20m ago, RPO 1h",
     [lag("PD-GOLD", "DR-SITE", 1080, 3600)]),
    ("replication-link-down", [], 2,
     "CRITICAL - PROD-A: remote site DR-SITE: Remote Site Is Unreachable; RPO breached: PD-GOLD "
     "last replicated to DR-SITE 2h20m ago, RPO 1h",
     [lag("PD-GOLD", "DR-SITE", 2880, 3600), "'PD-GOLD#replications.pending.count'=2;;;0",
      "'PD-GOLD#replication.sent.bytespersecond'=0;;;0"]),
    ("replication-link-down", ["--filter-pd", "PD-SILVER"], 2,
     "CRITICAL - PROD-A: remote site DR-SITE: Remote Site Is Unreachable",
     [lag("PD-SILVER", "DR-SITE", 11520, 14400)]),
    ("metro-synchronizing", [], 1,
     "WARNING - PROD-A: PD-METRO metro availability Synchronizing (role Active, remote site "
     "METRO-SITE, container PROD-VMS)",
     [lag("PD-GOLD", "DR-SITE", 2880, 3600)]),
    ("prism-central", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
    ("prism-central", ["--cluster", "PROD-A"], 0,
     "OK - PROD-A: no protection policies on Prism Central", []),
    ("prism-central-leap", ["--cluster", "PROD-A"], 2,
     "CRITICAL - PROD-A: policy PP-NEARSYNC: 1 of 4 VMs OUT_OF_SYNC: prod-a-vm-003; RPO "
     "breached: policy PP-NEARSYNC: 1 of 4 VMs past the RPO (oldest 47m, RPO 15m): "
     "prod-a-vm-003",
     ["'PP-NEARSYNC#resources.count'=4;;;0", "'PP-NEARSYNC#resources.out_of_sync.count'=1;;0;0",
      "'PP-NEARSYNC#resources.syncing.count'=0;0;;0",
      re.compile(r"'PP-NEARSYNC#recovery_point\.age\.seconds'=28\d\ds;720;900;0$"),
      "'PP-SYNC#resources.count'=2;;;0"]),
    ("prism-central-leap", ["--cluster", "PROD-A", "--filter-pd", "PP-SYNC"], 0,
     "OK - PROD-A: 1 protection policy, 2 protected VMs in sync within RPO",
     ["'PP-SYNC#resources.count'=2;;;0", "'PP-SYNC#resources.out_of_sync.count'=0;;0;0"]),
    ("prism-central-leap", ["--cluster", "DR-B"], 0,
     "OK - DR-B: no protection policy protects a VM of DR-B", []),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(fresh, run_check, scenario, args, code, first, perf):
    run = run_check(fresh(scenario), *args, check="replication")
    assert (run.code, run.summary) == (code, first), run
    for item in perf:
        assert perf_has(run.perfdata, item), (item, run.perfdata)


def test_filtered_out_domains_leave_no_perfdata(fresh, run_check):
    run = run_check(fresh("rpo-breach"), "--filter-pd", "PD-GOLD", check="replication")
    assert "PD-SQL" not in run.stdout and "PD-SILVER" not in run.perfdata


def test_long_output_states_pending_in_flight_and_bandwidth(fresh, run_check):
    run = run_check(fresh("rpo-breach"), check="replication")
    assert run.lines[1] == (
        "[CRITICAL] RPO breached: PD-SQL last replicated to DR-SITE 2h14m ago, RPO 1h (1 pending, "
        "snapshot 30180 in flight, 12% done, ~1h30m left, 35.0 KiB/s out)")
    assert "[OK] remote site DR-SITE (10.20.1.10): no connectivity alert" in run.lines


def test_link_down_alert_is_quoted_on_the_remote_site(fresh, run_check):
    run = run_check(fresh("replication-link-down"), check="replication")
    assert run.lines[1].startswith(
        "[CRITICAL] remote site DR-SITE: Remote Site Is Unreachable (alert, CRITICAL, raised 2h5m"
        " ago): Remote site DR-SITE is not reachable: connection to 10.20.1.10:2020 timed out")
    assert not any(line.startswith("[CRITICAL] alert:") for line in run.lines)


def test_leap_long_output_names_the_vm_and_target(fresh, run_check):
    run = run_check(fresh("prism-central-leap"), "--cluster", "PROD-A", check="replication")
    assert ("[CRITICAL] PP-NEARSYNC: VM prod-a-vm-003: OUT_OF_SYNC to DR-B; past the RPO "
            "(newest recovery point at DR-B 47m ago, RPO 15m)") in run.lines
    assert ("[OK] PP-SYNC: VM prod-a-vm-005: IN_SYNC, newest recovery point at DR-B 30m ago, "
            "RPO 0 (synchronous)") in run.lines


def test_alerts_refused_make_unknown(fresh, run_check):
    # The `viewer` account of these scenarios gets 403 on v2.0/alerts.
    run = run_check(fresh("healthy"), "-u", "viewer", creds=False, check="replication",
                    env={"NUTANIX_PASSWORD": "Viewer/4u"})
    assert (run.code, run.summary) == (3, "UNKNOWN - PROD-A: replication alerts could not be "
                                          "read"), run
    assert any(line.startswith("[UNKNOWN] replication alerts not checked: alerts could not be "
                               "read: Prism answered HTTP 403") for line in run.lines), run


def test_remote_snapshot_list_missing_falls_back_to_local_snapshots(fresh, run_check):
    emulator = fresh("rpo-breach")
    emulator.faults([{"path": "remote_sites/dr_snapshots", "status": 404}])
    try:
        run = run_check(emulator, "-v", "--cache-ttl", "0", check="replication")
    finally:
        emulator.faults([])
    assert run.code == 2 and run.summary.startswith(
        "CRITICAL - PROD-A: RPO breached: PD-SQL last replicated to DR-SITE 2h14m ago"), run
    assert "note: remote_sites/dr_snapshots not served (HTTP 404): ages come from the local " \
        "snapshot list only" in run.lines


def test_protection_domains_unreadable_is_one_unknown_line(fresh, run_check):
    emulator = fresh("rpo-breach")
    emulator.faults([{"path": "v2.0/protection_domains$", "status": 500}])
    try:
        run = run_check(emulator, "--cache-ttl", "0", check="replication")
    finally:
        emulator.faults([])
    assert run.code == 3 and run.summary.startswith(
        "UNKNOWN - Prism answered HTTP 500"), run
    assert len(run.lines) == 1


@pytest.mark.parametrize("args,first", [
    (["--filter-pd", "PD-NOPE"], "UNKNOWN - no protection domain of cluster PROD-A matches "
     "--filter-pd 'PD-NOPE'; it has 3: PD-GOLD, PD-SILVER, PD-SQL"),
    (["--filter-pd-regex", "PD"], "UNKNOWN - no protection domain of cluster PROD-A matches "
     "--filter-pd-regex 'PD'; it has 3: PD-GOLD, PD-SILVER, PD-SQL"),
    (["--filter-pd", "PD-SQL", "--filter-pd-regex", "PD.*"],
     "UNKNOWN - give --filter-pd or --filter-pd-regex, not both"),
    (["--rpo", "0"], "UNKNOWN - bad --rpo 0: give the RPO in seconds, greater than 0"),
    (["--rpo-warning-ratio", "1.5"], "UNKNOWN - bad --rpo-warning-ratio 1.5: give a fraction "
     "of the RPO, greater than 0 and at most 1 (e.g. 0.8)"),
    (["--cluster", "OTHER"], None),
])
def test_bad_input(fresh, run_check, args, first):
    run = run_check(fresh("rpo-breach"), *args, check="replication")
    assert run.code == 3, run
    if first:
        assert run.summary == first, run
    else:
        assert "is Prism Element of cluster PROD-A, not 'OTHER'" in run.summary, run


def test_bad_rpo_type_is_a_command_line_error(fresh, run_check):
    run = run_check(fresh("rpo-breach"), "--rpo", "1h", check="replication")
    assert run.code == 3 and run.summary.startswith("UNKNOWN - bad command line: argument "
                                                    "--rpo: invalid int value: '1h'"), run


def test_prism_central_filter_without_match(fresh, run_check):
    run = run_check(fresh("prism-central-leap"), "--cluster", "PROD-A", "--filter-pd", "PD-SQL",
                    check="replication")
    assert (run.code, run.summary) == (3, "UNKNOWN - no protection policy of cluster PROD-A "
                                          "matches --filter-pd 'PD-SQL'; it has 2: PP-NEARSYNC, "
                                          "PP-SYNC"), run
