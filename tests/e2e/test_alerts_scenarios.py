"""`check_nutanix_alerts` against the emulator: exit code, exact first line, perfdata."""

import re

import pytest

PERF = "'alerts.%s.count'=%d;;;0"
# Titles as the first line shows them: without Prism's trailing full stop.
NTP = "CVM time not synchronized with any external servers"
DISK = "Data Disk Space Usage High"
NGT = "Nutanix Guest Tools Agent Is Not Reachable On The VM"
SNAP = "Application-consistent Snapshot Not Taken For The VM"


def aged(line):
    """The line with its ages blurred: the emulator's clock started with the test session,
    so the ages (plugin/duration.human: 45s, 4m, 4h5m, 2d3h) grow while the tests run."""
    return re.sub(r"(last|first) (\d+[dhms])+ ago", r"\1 ... ago", line)


STORM = ("CRITICAL - PROD-A: 1 critical, 2520 warning alerts: Stargate Temporarily Down "
         "(node-03); %s (x1620); %s (x900)" % (NGT, SNAP))

CASES = [
    ("healthy", [], 0,
     "OK - PROD-A: no critical or warning alerts; 1 info alert: Pre-Expiry License Alert",
     [PERF % ("critical", 0), PERF % ("warning", 0), PERF % ("info", 1),
      PERF % ("acknowledged", 0)]),
    ("ncc-failures", [], 2,
     "CRITICAL - PROD-A: 1 critical, 3 warning alerts: %s (node-02 disk S006102NW0016); CVM "
     "Services Restarting Frequently (node-03); %s (x2)" % (DISK, NTP),
     [PERF % ("critical", 1), PERF % ("warning", 3), PERF % ("info", 1),
      PERF % ("acknowledged", 1)]),
    ("ncc-failures", ["--include-acknowledged"], 2,
     "CRITICAL - PROD-A: 1 critical, 4 warning alerts: %s (node-02 disk S006102NW0016); CVM "
     "Services Restarting Frequently (node-03); %s (x2); IPMI IP Not Reachable (node-01)"
     % (DISK, NTP), [PERF % ("warning", 4), PERF % ("acknowledged", 1)]),
    # FILTERNAME: by host name, CVM IP, node serial and a regex; the node's drive alert stays.
    ("ncc-failures", ["--filter-name", "node-02"], 2,
     "CRITICAL - PROD-A/node-02: 1 critical, 1 warning alerts: %s (disk S006102NW0016); %s"
     % (DISK, NTP), [PERF % ("critical", 1), PERF % ("warning", 1), PERF % ("info", 0)]),
    ("ncc-failures", ["--filter-name", "10.10.1.23"], 1,
     "WARNING - PROD-A/node-03: 1 warning alert: CVM Services Restarting Frequently",
     [PERF % ("warning", 1)]),
    ("ncc-failures", ["--filter-name", "node-01"], 0,
     "OK - PROD-A/node-01: no unacknowledged alerts", [PERF % ("acknowledged", 1)]),
    ("ncc-failures", ["--filter-name-regex", "node-0[34]"], 1,
     "WARNING - PROD-A: 2 warning alerts: CVM Services Restarting Frequently (node-03); %s "
     "(node-04)" % NTP, [PERF % ("warning", 2)]),
    ("ncc-failures", ["--filter-name", "node-09"], 3,
     "UNKNOWN - no node of cluster PROD-A matches --filter-name 'node-09'; it has 4: node-01, "
     "node-02, node-03, node-04", []),
    ("ncc-failures", ["--include", "time", "--include", "disk", "--exclude", "^data"], 1,
     "WARNING - PROD-A: 2 warning alerts: %s (x2)" % NTP, [PERF % ("critical", 0)]),
    ("alert-storm", [], 2, STORM,
     [PERF % ("critical", 1), PERF % ("warning", 2520), PERF % ("info", 301),
      PERF % ("acknowledged", 180)]),
    ("alert-storm", ["--include-acknowledged", "--exclude", "stargate"], 1,
     "WARNING - PROD-A: 2700 warning alerts: %s (x1800); %s (x900)" % (NGT, SNAP),
     [PERF % ("warning", 2700), PERF % ("critical", 0)]),
    # Prism Central: the --cluster's alerts only, from v4 monitoring.
    ("prism-central", ["--cluster", "PROD-A"], 0, "OK - PROD-A: no unresolved alerts",
     [PERF % ("critical", 0), PERF % ("info", 0)]),
    ("prism-central", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
    ("ncc-failures-pc", ["--cluster", "PROD-A"], 2,
     "CRITICAL - PROD-A: 1 critical, 3 warning alerts: %s (node-02 disk S006102NW0016); CVM "
     "Services Restarting Frequently (node-03); %s (x2)" % (DISK, NTP),
     [PERF % ("critical", 1), PERF % ("warning", 3), PERF % ("info", 0)]),
    ("ncc-failures-pc", ["--cluster", "DR-B"], 1,
     "WARNING - DR-B: 1 warning alert: Remote Site Is Unreachable", [PERF % ("warning", 1)]),
    ("ncc-failures-pc", ["--cluster", "PROD-A", "--filter-name", "node-02"], 2,
     "CRITICAL - PROD-A/node-02: 1 critical, 1 warning alerts: %s (disk S006102NW0016); %s"
     % (DISK, NTP), [PERF % ("warning", 1)]),
    ("alert-storm-pc", ["--cluster", "PROD-A"], 2, STORM,
     [PERF % ("warning", 2520), PERF % ("info", 300), PERF % ("acknowledged", 180)]),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="alerts")
    run.expect(code, first, perf)


def test_long_output_renders_messages_worst_first(emulators, run_check):
    run = run_check(emulators("ncc-failures"), check="alerts")
    assert aged(run.lines[1]) == (
        "[CRITICAL] Data Disk Space Usage High on node-02 disk S006102NW0016 - Disk space "
        "usage for /home/nutanix/data/stargate-storage/disks/S006102NW0016 on CVM 10.10.1.22 "
        "is 96%, above the critical threshold of 90%. [A1005, last ... ago]")
    assert aged(run.lines[3]).startswith(
        "[WARNING] %s x2 on node-02, node-04 - The CVM is not synchronizing time with any "
        "external servers. NTP leader is not synchronizing to an external NTP server [A3026, "
        "last ... ago, first ... ago]" % NTP)
    assert run.lines[4].startswith("[OK] Pre-Expiry License Alert - Detailed license expiry "
                                   "info: LIC-10001")
    assert run.lines[-1] == "(1 acknowledged alert not counted; --include-acknowledged counts it)"


@pytest.mark.parametrize("scenario,args,path,pages", [
    ("alert-storm", [], "/api/nutanix/v2.0/alerts", 31),
    ("alert-storm-pc", ["--cluster", "PROD-A"], "/api/monitoring/v4.0/serviceability/alerts",
     31),
])
def test_thousands_of_alerts_are_paged_through(emulators, run_check, scenario, args, path,
                                              pages):
    emulator = emulators(scenario)
    emulator.reset()
    run = run_check(emulator, *args, check="alerts")
    assert run.code == 2, run
    stats = emulator.stats()
    # 3002 (PE) and 3001 (PC) unresolved alerts, at most 100 per page.
    assert stats["paths"][path] == pages
    assert stats["logins"] == 1
    # A second check in the same poll cycle reads them from the shared cache.
    emulator.reset()
    again = run_check(emulator, *args, check="ncc")
    assert again.code == 2, again
    assert path not in emulator.stats()["paths"]


def test_alerts_unreadable_are_unknown(emulators, run_check):
    emulator = emulators("healthy")
    run = run_check(emulator, "-u", "viewer", check="alerts", creds=False,
                    env={"NUTANIX_PASSWORD": "Viewer/4u"})
    assert run.code == 3, run
    assert run.summary == (
        "UNKNOWN - PROD-A: alerts could not be read: Prism answered HTTP 403 Forbidden to GET "
        "/api/nutanix/v2.0/alerts; the user lacks permission: give it at least the Viewer role")
    assert run.perfdata == ""


def test_alerts_failing_on_the_server_are_unknown(emulators, run_check):
    emulator = emulators("ncc-failures")
    emulator.faults([{"path": "v2.0/alerts", "status": 500}])
    try:
        run = run_check(emulator, "--filter-name", "node-02", check="alerts")
    finally:
        emulator.faults([])
    assert run.code == 3, run
    assert run.summary.startswith("UNKNOWN - PROD-A/node-02: alerts could not be read: Prism "
                                  "answered HTTP 500")


def test_bad_pattern_is_unknown(emulators, run_check):
    run = run_check(emulators("healthy"), "--exclude", "(", check="alerts")
    assert run.code == 3
    assert run.summary.startswith("UNKNOWN - bad --exclude pattern '(': ")
