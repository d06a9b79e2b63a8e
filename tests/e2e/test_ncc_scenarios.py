"""`check_nutanix_ncc` against the emulator: exit code, exact first line, perfdata."""

import pytest
from test_alerts_scenarios import aged

PERF = "'checks.%s.count'=%d;;;0"
DISK = "FAIL Data Disk Space Usage High (check 1005, node-02 disk S006102NW0016%s)"
RESTART = "WARN CVM Services Restarting Frequently (check 3034, node-03%s)"
NTP = "WARN CVM time not synchronized with any external servers (check 3026, x2%s)"
PE_LINE = "CRITICAL - PROD-A: 1 FAIL, 2 WARN health checks: %s; %s; %s" % (
    DISK % "", RESTART % "", NTP % "")
PC_LINE = "CRITICAL - PROD-A: 1 FAIL, 2 WARN health checks: %s; %s; %s; %%s" % (
    DISK % ", KB 1540", RESTART % ", KB 2472", NTP % ", KB 4519")

CASES = [
    ("healthy", [], 0,
     "OK - PROD-A: no health check reports FAIL or WARN; 1 INFO: Pre-Expiry License Alert",
     [PERF % ("fail", 0), PERF % ("warn", 0), PERF % ("info", 1)]),
    # -w/-c judge the score, which Prism Element does not have: UNKNOWN, never OK.
    ("healthy", ["-w", "80:"], 3, "UNKNOWN - PROD-A: health-check score not available",
     [PERF % ("info", 1)]),
    ("ncc-failures", [], 2, PE_LINE,
     [PERF % ("fail", 1), PERF % ("warn", 2), PERF % ("info", 1)]),
    ("ncc-failures", ["--include-acknowledged"], 2,
     PE_LINE.replace("2 WARN", "3 WARN") + "; WARN IPMI IP Not Reachable (check 1009, "
     "node-01)", [PERF % ("warn", 3)]),
    ("ncc-failures", ["--exclude-check", "3026", "--exclude-check", "A1005"], 1,
     "WARNING - PROD-A: 1 WARN health check: %s" % RESTART % "", [PERF % ("fail", 0)]),
    ("ncc-failures", ["--include-check", "restart"], 1,
     "WARNING - PROD-A: 1 WARN health check: %s" % RESTART % "", [PERF % ("info", 0)]),
    ("ncc-failures", ["--include-check", "14002"], 0,
     "OK - PROD-A: no health check reports FAIL or WARN; 1 INFO: Pre-Expiry License Alert",
     [PERF % ("info", 1)]),
    ("ncc-failures", ["--filter-name", "node-04"], 1,
     "WARNING - PROD-A/node-04: 1 WARN health check: WARN CVM time not synchronized with any "
     "external servers (check 3026)", [PERF % ("warn", 1)]),
    ("ncc-failures", ["--filter-name", "S006102NW0016"], 3,
     "UNKNOWN - no node of cluster PROD-A matches --filter-name 'S006102NW0016'; it has 4: "
     "node-01, node-02, node-03, node-04", []),
    ("alert-storm", [], 2,
     "CRITICAL - PROD-A: 1 FAIL, 2 WARN health checks: FAIL Stargate Temporarily Down (check "
     "1030, node-03); WARN Nutanix Guest Tools Agent Is Not Reachable On The VM (check "
     "130118, x1620); WARN Application-consistent Snapshot Not Taken For The VM (check "
     "130083, x900)", [PERF % ("fail", 1), PERF % ("warn", 2), PERF % ("info", 2)]),
    # Prism Central: KB links and the health-check score.
    ("ncc-failures-pc", ["--cluster", "PROD-A"], 2, PC_LINE % "health-check score 62",
     [PERF % ("fail", 1), PERF % ("warn", 2), "'health.check.score'=62;;;0;100"]),
    ("ncc-failures-pc", ["--cluster", "PROD-A", "-w", "80:", "-c", "50:"], 2,
     PC_LINE % "health-check score 62 (outside 80:)", ["'health.check.score'=62;80:;50:;0;100"]),
    ("ncc-failures-pc", ["--cluster", "PROD-A", "-w", "70:", "-c", "65:", "--exclude-check",
                         "1005", "--exclude-check", "^cvm"], 2,
     "CRITICAL - PROD-A: health-check score 62 (outside 65:)",
     [PERF % ("fail", 0), "'health.check.score'=62;70:;65:;0;100"]),
    ("ncc-failures-pc", ["--cluster", "dr-b"], 1,
     "WARNING - DR-B: 1 WARN health check: WARN Remote Site Is Unreachable (check 1108, KB "
     "2191); health-check score 95", [PERF % ("warn", 1), "'health.check.score'=95;;;0;100"]),
    ("prism-central", ["--cluster", "PROD-A"], 0,
     "OK - PROD-A: no health check reports FAIL or WARN; health-check score 100",
     [PERF % ("fail", 0), "'health.check.score'=100;;;0;100"]),
    ("alert-storm-pc", ["--cluster", "PROD-A"], 2,
     "CRITICAL - PROD-A: 1 FAIL, 2 WARN health checks: FAIL Stargate Temporarily Down (check "
     "1030, node-03); WARN Nutanix Guest Tools Agent Is Not Reachable On The VM (check "
     "130118, x1620); WARN Application-consistent Snapshot Not Taken For The VM (check "
     "130083, x900); health-check score 0", [PERF % ("info", 1)]),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="ncc")
    run.expect(code, first, perf)


def test_long_output_gives_check_ids_and_kb_links(emulators, run_check):
    run = run_check(emulators("ncc-failures-pc"), "--cluster", "PROD-A", check="ncc")
    assert aged(run.lines[1]) == (
        "[CRITICAL] FAIL check 1005 Data Disk Space Usage High on node-02 disk S006102NW0016 - "
        "Disk space usage for /home/nutanix/data/stargate-storage/disks/S006102NW0016 on CVM "
        "10.10.1.22 is 96%, above the critical threshold of 90%. [last ... ago; KB "
        "https://portal.nutanix.com/kb/1540]")
    assert "[OK] health-check score 62" in run.lines
    assert run.lines[-1] == ("(1 acknowledged health-check alert not counted; "
                             "--include-acknowledged counts it)")


def test_prism_element_says_where_kb_links_are_missing(emulators, run_check):
    run = run_check(emulators("ncc-failures"), check="ncc")
    assert aged(run.lines[2]).endswith("[last ... ago; no KB link in Prism Element v2 alerts]")


def test_score_unavailable_on_prism_central_is_said(emulators, run_check):
    emulator = emulators("prism-central")
    emulator.faults([{"path": "stats/clusters", "status": 404}])
    try:
        run = run_check(emulator, "--cluster", "PROD-A", check="ncc")
        judged = run_check(emulator, "--cluster", "PROD-A", "-c", "50:", check="ncc")
    finally:
        emulator.faults([])
    assert (run.code, run.summary) == (0, "OK - PROD-A: no health check reports FAIL or WARN")
    assert run.lines[-1] == ("(health-check score not available: Prism Central answered HTTP "
                             "404 for /api/clustermgmt/v4.0/stats/clusters/"
                             "32ce1e6f-66af-5b0f-84f6-1f6a63d11b21)")
    assert (judged.code, judged.summary) == (
        3, "UNKNOWN - PROD-A: health-check score not available")


def test_storage_and_ncc_share_one_cluster_stats_request(emulators, run_check):
    """A Prism Central poll cycle asks for the cluster's v4 stats once: the storage check's
    usage and the ncc check's health-check score come from the same cached answer."""
    import time

    from nagios_nutanix.prism.cluster_stats import STEP

    emulator = emulators("prism-central")
    path = ("/api/clustermgmt/v4.0/stats/clusters/32ce1e6f-66af-5b0f-84f6-1f6a63d11b21")
    for _ in range(2):  # once more if the 5-minute window turned between the two runs
        emulator.reset()
        began = time.time()
        storage = run_check(emulator, "--cluster", "PROD-A", check="storage")
        score = run_check(emulator, "--cluster", "PROD-A", check="ncc")
        if int(began) // STEP == int(time.time()) // STEP:
            break
    assert (storage.code, score.code) == (0, 0), (storage, score)
    assert "'health.check.score'=100;;;0;100" in score.perfdata.split(" ")
    assert emulator.stats()["paths"][path] == 1


def test_alerts_unreadable_are_unknown(emulators, run_check):
    run = run_check(emulators("healthy"), "-u", "viewer", check="ncc", creds=False,
                    env={"NUTANIX_PASSWORD": "Viewer/4u"})
    assert run.code == 3, run
    assert run.summary.startswith("UNKNOWN - PROD-A: alerts could not be read: Prism answered "
                                  "HTTP 403 Forbidden to GET /api/nutanix/v2.0/alerts")
    assert run.perfdata == ""


def test_emulator_cluster_stats_need_a_time_window(emulators):
    """The v4 stats route answers 400 without $startTime/$endTime, as the v4 model requires."""
    import base64
    import json
    import ssl
    import urllib.error
    import urllib.request

    from conftest import CA_FILE, PASSWORD

    emulator = emulators("prism-central")
    uuid = "32ce1e6f-66af-5b0f-84f6-1f6a63d11b21"  # PROD-A, derived from its name
    auth = base64.b64encode(("admin:%s" % PASSWORD).encode()).decode()
    tls = ssl.create_default_context(cafile=CA_FILE)

    def get(query):
        request = urllib.request.Request(
            "%s/api/clustermgmt/v4.0/stats/clusters/%s%s" % (emulator.url, uuid, query),
            headers={"Authorization": "Basic " + auth})
        try:
            with urllib.request.urlopen(request, context=tls, timeout=10) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, None

    assert get("")[0] == 400
    status, doc = get("?$startTime=2026-01-01T00:00:00Z&$endTime=2026-01-01T00:15:00Z")
    assert status == 200
    assert [p["value"] for p in doc["data"]["healthCheckScore"]] == [100, 100, 100]
