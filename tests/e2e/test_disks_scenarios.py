"""`check_nutanix_disks` against the emulator: exit code, exact first line, perfdata."""

import pytest

NODE_COUNTS = "'%s#disks.total.count'=%d;;;0 '%s#disks.failed.count'=%d;;;0;%d " \
    "'%s#disks.worn.count'=%d;;;0;%d"


def counts(node, total=6, failed=0, worn=0):
    return (NODE_COUNTS % (node, total, node, failed, total, node, worn, total)).split(" ")


HEALTHY = "24 drives on 4 nodes healthy, no open drive alert"
OFFLINE = "disk slot 3 S006102NW0023 offline"
BAD = "disk slot 5 S006104NW0039 bad, not mounted, status DATA_MIGRATION_INITIATED"
WORN = "disk slot 2 S006103NW0017 alert: PM883 drive has worn out"
SMART = "disk slot 4 S006101NW0029 alert: SMART parameters of disk are out of range"

CASES = [
    ("healthy", [], 0, "OK - PROD-A: " + HEALTHY, counts("node-01") + counts("node-04")),
    ("healthy", ["--filter-name", "NODE-02"], 0,
     "OK - PROD-A/node-02: 6 drives healthy, no open drive alert",
     counts("node-02") + ["'S006102NW0023#disk.usage.percentage'=20.05%;;;0;100"]),
    ("disk-offline", [], 2,
     "CRITICAL - PROD-A: 2 of 4 nodes in trouble: node-02 (%s), node-04 (%s)" % (OFFLINE, BAD),
     counts("node-02", failed=1) + counts("node-04", failed=1) + counts("node-01")),
    # by host name, CVM IP and node serial
    ("disk-offline", ["--filter-name", "node-02"], 2, "CRITICAL - PROD-A/node-02: " + OFFLINE,
     counts("node-02", failed=1)),
    ("disk-offline", ["--filter-name", "10.10.1.24"], 2, "CRITICAL - PROD-A/node-04: " + BAD,
     counts("node-04", failed=1)),
    ("disk-offline", ["--filter-name", "zm3100610003"], 0,
     "OK - PROD-A/node-03: 6 drives healthy, no open drive alert", counts("node-03")),
    # one drive: the node's counts keep meaning all of its drives
    ("disk-offline", ["--filter-disk", "S006104NW0039"], 2, "CRITICAL - PROD-A/node-04: " + BAD,
     counts("node-04", failed=1) + ["'S006104NW0039#disk.usage.percentage'=22.51%;;;0;100"]),
    ("disk-offline", ["--filter-disk", "S006104NW0011"], 0,
     "OK - PROD-A/node-04: disk slot 1 S006104NW0011 healthy, no open drive alert",
     counts("node-04", failed=1) + ["'S006104NW0011#disk.usage.percentage'=22.4%;;;0;100"]),
    # without a filter, usage perfdata for drives in trouble only
    ("disk-offline", [], 2,
     "CRITICAL - PROD-A: 2 of 4 nodes in trouble: node-02 (%s), node-04 (%s)" % (OFFLINE, BAD),
     ["'S006102NW0023#disk.usage.percentage'=20.05%;;;0;100",
      "'S006104NW0039#disk.usage.percentage'=22.51%;;;0;100"]),
    ("disk-offline", ["--filter-name-regex", "node-0[24]"], 2,
     "CRITICAL - PROD-A: 2 of 2 nodes in trouble: node-02 (%s), node-04 (%s)" % (OFFLINE, BAD),
     counts("node-02", failed=1)),
    ("ssd-worn", [], 2,
     "CRITICAL - PROD-A: 2 of 4 nodes in trouble: node-03 (%s), node-01 (%s)" % (WORN, SMART),
     counts("node-03", worn=1) + counts("node-01", worn=1) + counts("node-04")),
    ("ssd-worn", ["--filter-name", "node-01"], 1, "WARNING - PROD-A/node-01: " + SMART,
     counts("node-01", worn=1)),
    ("ssd-worn", ["--filter-name", "10.10.1.23"], 2, "CRITICAL - PROD-A/node-03: " + WORN,
     counts("node-03", worn=1)),
    # node-04's worn-out alert is resolved: nothing to say
    ("ssd-worn", ["--filter-name", "ZM3100610004"], 0,
     "OK - PROD-A/node-04: 6 drives healthy, no open drive alert", counts("node-04")),
    ("healthy", ["--filter-name-regex", "node-0[12]"], 0,
     "OK - PROD-A: 12 drives on 2 nodes healthy, no open drive alert",
     counts("node-01") + counts("node-02")),
    ("healthy", ["--warning-usage", "23", "--critical-usage", "23.9", "--filter-name",
                 "node-04"], 2, "CRITICAL - PROD-A/node-04: disk slot 4 S006104NW0032 24.0 % used",
     ["'S006104NW0032#disk.usage.percentage'=23.97%;23;23.9;0;100",
      "'S006104NW0011#disk.usage.percentage'=22.4%;23;23.9;0;100"]),
    ("healthy", ["--warning-usage", "23.9"], 1,
     "WARNING - PROD-A: 1 of 4 nodes in trouble: node-04 (disk slot 4 S006104NW0032 24.0 % "
     "used)", ["'S006101NW0008#disk.usage.percentage'=23.56%;23.9;;0;100"]),
    ("prism-central", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
    ("prism-central", ["--cluster", "PROD-A"], 0, "OK - PROD-A: " + HEALTHY,
     counts("node-01") + counts("node-04")),
    ("prism-central", ["--cluster", "DR-B", "--filter-name", "10.20.1.22"], 0,
     "OK - DR-B/dr-node-02: 6 drives healthy, no open drive alert", counts("dr-node-02")),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="disks")
    run.expect(code, first, perf)


def test_disk_offline_long_output_names_slot_serial_model_tier_and_the_alert(emulators,
                                                                             run_check):
    run = run_check(emulators("disk-offline"), check="disks")
    drive = "disk slot 3 S006102NW0023 (SAMSUNG MZ7LH3T8HMLT-00005, SSD-SATA)"
    assert run.lines[1] == "[CRITICAL] node-02: %s: offline" % drive
    assert "[CRITICAL] node-02: %s: alert 'Disk failed, marked offline': Disk S006102NW0023 in " \
        "slot 3 on CVM 10.10.1.22 was marked offline after I/O errors. (A1044, CRITICAL)" \
        % drive in run.lines
    assert "[OK] node-02: 5 drives online, mounted, status NORMAL (slots 1-2, 4-6), " \
        "20.1-23.5 % used" in run.lines
    assert "[OK] node-01: 6 drives online, mounted, status NORMAL (slots 1-6), 20.0-23.8 % used" \
        in run.lines
    states = [line.split("]")[0] for line in run.lines[1:] if line.startswith("[")]
    order = {"[CRITICAL": 0, "[WARNING": 1, "[UNKNOWN": 2, "[OK": 3}
    assert [order[s] for s in states] == sorted(order[s] for s in states)


def test_smart_warning_is_matched_by_the_serial_in_its_message(emulators, run_check):
    run = run_check(emulators("ssd-worn"), "--filter-name", "node-01", check="disks")
    assert "[WARNING] disk slot 4 S006101NW0029 (SAMSUNG MZ7LH3T8HMLT-00005, SSD-SATA): alert " \
        "'SMART parameters of disk are out of range': SMART parameters of disk S006101NW0029 on " \
        "host 10.10.1.11 are out of range: Reallocated_Sector_Ct 112 above threshold 100 " \
        "(A1193, WARNING)" in run.lines


def viewer(run_check, emulator, *args):
    return run_check(emulator, "-u", "viewer", *args, check="disks", creds=False,
                     env={"NUTANIX_PASSWORD": "Viewer/4u"})


def test_sixteen_nodes_fit_the_output_limit_whole(emulators, run_check):
    # 160 drives' usage perfdata would exceed 8 KB: without a filter only the per-node counts
    # (and the usage of drives in trouble) are perfdata, so nothing is cut; node-filtered
    # services carry every drive's usage.
    run = run_check(emulators("large"), check="disks")
    assert (run.code, run.summary) == (
        0, "OK - LARGE-01: 160 drives on 16 nodes healthy, no open drive alert"), run
    assert len(run.stdout.encode()) <= 8000
    assert not any(line.startswith("(output cut") for line in run.lines), run
    assert len(run.perfdata.split(" ")) == 48
    assert "disk.usage" not in run.perfdata
    assert "[OK] node-16: 10 drives online, mounted, status NORMAL (slots 1-10), " in \
        run.stdout
    run = run_check(emulators("large"), "--filter-name", "node-16", check="disks")
    assert (run.code, run.summary) == (
        0, "OK - LARGE-01/node-16: 10 drives healthy, no open drive alert"), run
    assert len([line for line in run.lines if line.startswith("[OK] disk slot ")]) == 10
    assert len([p for p in run.perfdata.split(" ") if "#disk.usage.percentage" in p]) == 10


def test_unreadable_alerts_make_wear_unknown(emulators, run_check):
    run = viewer(run_check, emulators("healthy"))
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A: alerts unreadable (HTTP 403): drive wear and drive alerts "
           "unknown"), run
    assert run.lines[1] == "[UNKNOWN] drive wear and drive alerts unknown: alerts could not be " \
        "read: Prism answered HTTP 403 Forbidden to GET /api/nutanix/v2.0/alerts; the user " \
        "lacks permission: give it at least the Viewer role"
    run = viewer(run_check, emulators("healthy"), "--filter-name", "node-03")
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A/node-03: alerts unreadable (HTTP 403): drive wear and drive "
           "alerts unknown")


@pytest.mark.parametrize("args,first", [
    (["--filter-name", "node-9"],
     "UNKNOWN - no node of cluster PROD-A matches --filter-name 'node-9'; it has 4: node-01, "
     "node-02, node-03, node-04"),
    (["--filter-name", "node-0"],
     "UNKNOWN - no node of cluster PROD-A matches --filter-name 'node-0'; it has 4: node-01, "
     "node-02, node-03, node-04"),
    (["--filter-name-regex", "node-1."],
     "UNKNOWN - no node of cluster PROD-A matches --filter-name-regex 'node-1.'; it has 4: "
     "node-01, node-02, node-03, node-04"),
    (["--filter-disk", "S999"],
     "UNKNOWN - no drive of the cluster has serial 'S999' (--filter-disk); it has 24 drives"),
    (["--filter-disk", "S006102NW0023", "--filter-name", "node-01"],
     "UNKNOWN - drive S006102NW0023 sits in node-02, which the node filter did not choose"),
])
def test_nothing_matched_is_unknown(emulators, run_check, args, first):
    run = run_check(emulators("healthy"), *args, check="disks")
    assert (run.code, run.summary) == (3, first), run


@pytest.mark.parametrize("args,start", [
    (["--filter-name-regex", "node-(0"], "UNKNOWN - bad --filter-name-regex 'node-(0': "),
    (["--filter-name", "node-01", "--filter-name-regex", "node-.*"],
     "UNKNOWN - give --filter-name or --filter-name-regex, not both"),
    (["--warning-usage", "eighty"], "UNKNOWN - bad threshold range 'eighty': "),
    (["--usage-warning", "80"], "UNKNOWN - bad command line: unrecognized arguments: "
     "--usage-warning 80"),
])
def test_bad_input_is_unknown(emulators, run_check, args, start):
    run = run_check(emulators("healthy"), *args, check="disks")
    assert run.code == 3 and run.summary.startswith(start), run
    assert "Traceback" not in run.stdout + run.stderr


def test_prism_central_says_usage_is_not_available(emulators, run_check):
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A", check="disks")
    assert run.lines[-1] == "(not available from Prism Central v4 clustermgmt disks, not " \
        "checked: per-drive usage: Prism Central lists none, and its stats/disks would need one " \
        "request per drive; monitor the cluster's Prism Element for those)"
    assert "[OK] node-02: 6 drives online, mounted, status NORMAL (slots 1-6)" in run.lines
    assert "disk.usage" not in run.perfdata
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A", "--filter-name",
                    "node-02", check="disks")
    assert "[OK] disk slot 3 S006102NW0023 (SAMSUNG MZ7LH3T8HMLT-00005, SSD_SATA): online, " \
        "mounted, status NORMAL" in run.lines


# Prism Central with drive trouble: a small scenario of its own (a pc scenario's `clusters`
# list cannot be extended item by item).
PC_TROUBLE = """
kind: pc
accounts:
  - {username: admin, password: Nutanix/4u, role: admin}
  - {username: viewer, password: Viewer/4u, role: viewer, forbidden_paths: ["/monitoring/"]}
prism_central: {name: PC-01}
clusters:
  - name: PROD-A
    block_serials: [21FM5B310061]
    nodes: {count: 4, disks_per_node: 6}
    node_overrides:
      node-02:
        disks: {3: {online: false}}
      node-04:
        disks: {5: {bad: true, mounted: false, status: DATA_MIGRATION_INITIATED}}
    alerts:
      - title: "PM883 drive has worn out."
        severity: kCritical
        alert_type_uuid: A1180
        context: {disk_serial: S006103NW0017}
        entity: node-03
  - name: DR-B
    block_serials: [21FM5B320011]
    nodes: {count: 3, name: "dr-node-{n:02d}", host_ip_start: 10.20.1.11,
            cvm_ip_start: 10.20.1.21, ipmi_ip_start: 10.20.0.11}
"""


@pytest.fixture(scope="module")
def pc_trouble(emulators, tmp_path_factory):
    path = tmp_path_factory.mktemp("disks") / "pc-disk-trouble.yaml"
    path.write_text(PC_TROUBLE)
    return emulators(str(path))


@pytest.mark.parametrize("args,code,first,perf", [
    (["--cluster", "PROD-A"], 2,
     "CRITICAL - PROD-A: 3 of 4 nodes in trouble: node-02 (%s), node-03 (%s), node-04 (disk "
     "slot 5 S006104NW0039 not mounted, unhealthy, status DATA_MIGRATION_INITIATED)"
     % (OFFLINE, WORN), counts("node-03", worn=1) + counts("node-04", failed=1)),
    (["--cluster", "PROD-A", "--filter-name", "node-03"], 2, "CRITICAL - PROD-A/node-03: " + WORN,
     counts("node-03", worn=1)),
    (["--cluster", "PROD-A", "--filter-name", "10.10.1.22"], 2,
     "CRITICAL - PROD-A/node-02: " + OFFLINE, counts("node-02", failed=1)),
    (["--cluster", "DR-B"], 0, "OK - DR-B: 18 drives on 3 nodes healthy, no open drive alert",
     counts("dr-node-01")),
])
def test_prism_central_with_drive_trouble(pc_trouble, run_check, args, code, first, perf):
    run = run_check(pc_trouble, *args, check="disks")
    run.expect(code, first, perf)


def test_prism_central_unreadable_alerts(pc_trouble, run_check):
    run = viewer(run_check, pc_trouble, "--cluster", "PROD-A", "--filter-name", "node-01")
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A/node-01: alerts unreadable (HTTP 403): drive wear and drive "
           "alerts unknown")
