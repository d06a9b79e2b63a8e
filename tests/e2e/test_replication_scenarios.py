"""`check_nutanix_replication` against its scenarios: exit code, exact first line, perfdata.

Ages in the output are measured against the time the emulator built its world. Each test gets
its own fresh emulators (they start in a tenth of a second), and every age the tests expect is
written `{2h14m}`: it matches that age or any up to AGE_SLACK seconds older, so a slow machine
does not turn a minute over under a test.
"""

import re

import pytest
from conftest import EmulatorProcess

from nagios_nutanix.plugin.duration import human

AGE_SLACK = 120  # seconds an expected age may have grown by when the check runs
_AGE = re.compile(r"\{([0-9dhms]+)\}")
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def _seconds(text):
    return sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)([dhms])", text))


def aged(expected):
    """A compiled pattern of `expected` where each {AGE} accepts that age or a little more."""
    parts = []
    for index, piece in enumerate(_AGE.split(expected)):
        if index % 2:
            base = _seconds(piece)
            shown = sorted({human(t) for t in range(base, base + AGE_SLACK + 60, 30)})
            parts.append("(?:%s)" % "|".join(re.escape(a) for a in shown))
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def matches(expected, actual):
    return aged(expected).fullmatch(actual) is not None


@pytest.fixture
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


class age_between:  # noqa: N801 - used like re.compile() in the perfdata lists
    """A perfdata age of at least `low` seconds (and at most AGE_SLACK more)."""

    def __init__(self, label, low, warning, critical):
        self.pattern = re.compile(r"'%s'=(\d+)s;%s;%s;0" % (re.escape(label), warning,
                                                            critical))
        self.low = low

    def match(self, item):
        found = self.pattern.fullmatch(item)
        return bool(found) and self.low <= int(found.group(1)) <= self.low + AGE_SLACK


def perf_has(perfdata, expected):
    items = perfdata.split(" ")
    if isinstance(expected, str):
        return expected in items
    return any(expected.match(item) for item in items)


SILVER_OK = "PD-SILVER to DR-SITE {1h35m}, RPO 4h"
CASES = [
    ("healthy", [], 0,
     "OK - PROD-A: 2 protection domains within RPO: worst " + SILVER_OK,
     [lag("PD-GOLD", "DR-SITE", 2880, 3600), lag("PD-SILVER", "DR-SITE", 11520, 14400),
      "'PD-GOLD#replications.pending.count'=0;;;0", "'PD-GOLD#replications.ongoing.count'=0;;;0",
      "'PD-GOLD#replication.sent.bytespersecond'=122880;;;0",
      "'PD-GOLD#replication.received.bytespersecond'=0;;;0"]),
    ("rpo-breach", [], 2,
     "CRITICAL - PROD-A: RPO breached: PD-SQL last replicated to DR-SITE {2h14m} ago, RPO 1h; "
     "alert: Recovery Point Objective Cannot Be Met (DR-SITE, PD-SQL)",
     [lag("PD-SQL", "DR-SITE", 2880, 3600), "'PD-SQL#replications.pending.count'=1;;;0",
      "'PD-SQL#replications.ongoing.count'=1;;;0",
      "'PD-SQL#replication.sent.bytespersecond'=35840;;;0"]),
    ("rpo-breach", ["--filter-pd", "pd-gold"], 0,
     "OK - PROD-A: 1 protection domain within RPO: worst PD-GOLD to DR-SITE {20m}, RPO 1h",
     [lag("PD-GOLD", "DR-SITE", 2880, 3600)]),
    ("rpo-breach", ["--filter-pd-regex", "PD-S.*"], 2,
     "CRITICAL - PROD-A: RPO breached: PD-SQL last replicated to DR-SITE {2h14m} ago, RPO 1h; "
     "alert: Recovery Point Objective Cannot Be Met (DR-SITE, PD-SQL)",
     [lag("PD-SILVER", "DR-SITE", 11520, 14400), lag("PD-SQL", "DR-SITE", 2880, 3600)]),
    ("rpo-breach", ["--rpo", "10800", "--filter-pd", "PD-SQL"], 1,
     "WARNING - PROD-A: alert: Recovery Point Objective Cannot Be Met (DR-SITE, PD-SQL)",
     [lag("PD-SQL", "DR-SITE", 8640, 10800)]),
    ("rpo-breach", ["--rpo-warning-ratio", "0.3", "--filter-pd", "PD-GOLD"], 1,
     "WARNING - PROD-A: near RPO: PD-GOLD last replicated to DR-SITE {20m} ago, RPO 1h",
     [lag("PD-GOLD", "DR-SITE", 1080, 3600)]),
    ("replication-link-down", [], 2,
     "CRITICAL - PROD-A: remote site DR-SITE: Remote Site Is Unreachable; RPO breached: PD-GOLD "
     "last replicated to DR-SITE {2h20m} ago, RPO 1h",
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
     "breached: policy PP-NEARSYNC: 1 of 4 VMs past the RPO (oldest {47m}, RPO 15m): "
     "prod-a-vm-003",
     ["'PP-NEARSYNC#resources.count'=4;;;0", "'PP-NEARSYNC#resources.out_of_sync.count'=1;;0;0",
      "'PP-NEARSYNC#resources.syncing.count'=0;0;;0",
      age_between("PP-NEARSYNC#recovery_point.age.seconds", 2850, 720, 900),
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
    assert run.code == code and matches(first, run.summary), run
    for item in perf:
        assert perf_has(run.perfdata, item), (item, run.perfdata)


def test_filtered_out_domains_leave_no_perfdata(fresh, run_check):
    run = run_check(fresh("rpo-breach"), "--filter-pd", "PD-GOLD", check="replication")
    assert "PD-SQL" not in run.stdout and "PD-SILVER" not in run.perfdata


def test_long_output_states_pending_in_flight_and_bandwidth(fresh, run_check):
    run = run_check(fresh("rpo-breach"), check="replication")
    assert matches(
        "[CRITICAL] RPO breached: PD-SQL last replicated to DR-SITE {2h14m} ago, RPO 1h (1 "
        "pending, snapshot 30180 in flight, 12% done, ~1h30m left, 35.0 KiB/s out)",
        run.lines[1]), run
    assert "[OK] remote site DR-SITE (10.20.1.10): no connectivity alert" in run.lines


def test_link_down_alert_is_quoted_on_the_remote_site(fresh, run_check):
    run = run_check(fresh("replication-link-down"), check="replication")
    assert matches(
        "[CRITICAL] remote site DR-SITE: Remote Site Is Unreachable (alert, CRITICAL, raised "
        "{2h5m} ago): Remote site DR-SITE is not reachable: connection to 10.20.1.10:2020 timed "
        "out", run.lines[1]), run
    assert not any(line.startswith("[CRITICAL] alert:") for line in run.lines)


def test_leap_long_output_names_the_vm_and_target(fresh, run_check):
    run = run_check(fresh("prism-central-leap"), "--cluster", "PROD-A", check="replication")
    assert any(matches("[CRITICAL] PP-NEARSYNC: VM prod-a-vm-003: OUT_OF_SYNC to DR-B; past "
                       "the RPO (newest recovery point at DR-B {47m} ago, RPO 15m)", line)
               for line in run.lines), run
    assert any(matches("[OK] PP-SYNC: VM prod-a-vm-005: IN_SYNC, newest recovery point at "
                       "DR-B {30m} ago, RPO 0 (synchronous)", line) for line in run.lines), run


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
    assert run.code == 2 and matches(
        "CRITICAL - PROD-A: RPO breached: PD-SQL last replicated to DR-SITE {2h14m} ago, RPO "
        "1h; alert: Recovery Point Objective Cannot Be Met (DR-SITE, PD-SQL)", run.summary), run
    assert "note: remote_sites/dr_snapshots not served (HTTP 404): ages come from the local " \
        "snapshot list only (a local snapshot naming a remote site is taken as present there: " \
        "INFERRED)" in run.lines


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


# -- Prism Central: what recovery points can and cannot say ---------------------------------
HOURLY_POLICY = """extends: prism-central-leap
protection_policies:            # replaces the scenario's list
  - name: PP-HOURLY
    source: PROD-A
    target: DR-B
    rpo_seconds: 3600           # not minutely: Prism serves no replication state
    vm_count: 3
    last_recovery_point_minutes_ago: 10.5
    replicated_minutes_ago: 12.5
    vm_overrides:
      1: {replicated: false}    # recovery points on PROD-A only
      2: {recovery_points: false}
"""


@pytest.fixture
def hourly(tmp_path):
    path = tmp_path / "leap-hourly.yaml"
    path.write_text(HOURLY_POLICY)
    emulator = EmulatorProcess(str(path))
    yield emulator
    emulator.stop()


def test_leap_vm_with_only_local_points_or_none_is_not_ok(hourly, run_check):
    run = run_check(hourly, "--cluster", "PROD-A", check="replication")
    assert run.code == 2 and run.summary == (
        "CRITICAL - PROD-A: policy PP-HOURLY: 1 of 3 VMs without a recovery point: "
        "prod-a-vm-003; policy PP-HOURLY: 1 of 3 VMs with no copy at DR-B: prod-a-vm-002"), run
    assert perf_has(run.perfdata, "'PP-HOURLY#resources.count'=3;;;0")
    assert perf_has(run.perfdata, age_between("PP-HOURLY#recovery_point.age.seconds", 750,
                                              2880, 3600))
    assert any(matches("[WARNING] PP-HOURLY: VM prod-a-vm-002: no copy at DR-B (newest local "
                       "recovery point {10m} ago, none at DR-B, RPO 1h)", line)
               for line in run.lines), run


def test_leap_vm_list_refused_leaves_ages_unknown(hourly, run_check):
    hourly.faults([{"path": "vmm/v4.0/ahv/config/vms", "status": 403}])
    run = run_check(hourly, "--cluster", "PROD-A", check="replication")
    assert run.code == 3 and run.summary == (
        "UNKNOWN - PROD-A: recovery point ages not judged: the cluster's VM list (vmm v4) not "
        "read (HTTP 403)"), run


def test_leap_recovery_points_empty_is_not_ok(fresh, run_check):
    emulator = fresh("prism-central-leap")
    emulator.faults([{"path": "dataprotection/v4.0/config/recovery-points",
                      "body": "empty-list"}])
    run = run_check(emulator, "--cluster", "PROD-A", check="replication")
    # The VMs carrying the policies' categories are protected, recovery point or not.
    assert run.code == 2 and run.summary == (
        "CRITICAL - PROD-A: policy PP-NEARSYNC: 1 of 4 VMs OUT_OF_SYNC: prod-a-vm-003; policy "
        "PP-NEARSYNC: 4 of 4 VMs without a recovery point: prod-a-vm-001, prod-a-vm-002, "
        "prod-a-vm-003 and 1 more"), run
    assert perf_has(run.perfdata, "'PP-NEARSYNC#recovery_point.age.seconds'=U;720;900;0")
