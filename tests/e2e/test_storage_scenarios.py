"""`check_nutanix storage` against the emulator: exit code, exact first line, perfdata."""

import pytest

POOL = "default-storage-pool-62635419953366"
HEALTHY = ("OK - PROD-A: storage 22.2 % used (18.6 TiB of 83.8 TiB), 3 containers, data "
           "reduction 1.55:1, resilient to a node failure (29.6 % of resilient capacity used)")

CASES = [
    ("healthy", [], 0, HEALTHY,
     ["'%s#storagepool.space.usage.percentage'=22.18%%;80;90;0;100" % POOL,
      "'%s#storagepool.space.capacity.bytes'=92178143576064B;;;0" % POOL,
      "'%s#storagepool.space.usage.bytes'=20444497724205B;;;0;92178143576064" % POOL,
      "'cluster.space.usage.percentage'=22.18%;80;90;0;100",
      "'PROD-VMS#container.space.usage.percentage'=18.48%;80;90;0;100",
      "'PROD-VMS#container.space.usage.bytes'=17037081436837B;;;0;92178143576064",
      "'PROD-VMS#container.savings.overall.ratio'=1.65;;;0",
      "'PROD-VMS#container.savings.dedup.ratio'=1;;;0",
      "'PROD-VMS#container.savings.compression.ratio'=1.65;;;0",
      "'PROD-VMS#container.savings.erasure_coding.ratio'=1;;;0",
      "'cluster.savings.overall.ratio'=1.5533;;;0",
      "'resilient.capacity.bytes'=69133607682048B;;;0",
      "'resilient.usage.percentage'=29.57%;100;;0"]),
    ("storage-warning", [], 1,
     "WARNING - PROD-A: storage pool %s 83.2 %% used (69.7 TiB of 83.8 TiB), 14.1 TiB free; "
     "too full to rebuild after a node failure: 69.7 TiB used, 62.9 TiB left without node-01 "
     "(110.9 %% of resilient capacity)" % POOL,
     ["'%s#storagepool.space.usage.percentage'=83.18%%;80;90;0;100" % POOL,
      "'resilient.usage.percentage'=110.91%;100;;0"]),
    ("storage-warning", ["-w", "85", "-c", "95", "--planning", "80"], 1,
     "WARNING - PROD-A: too full to rebuild after a node failure: 69.7 TiB used, 62.9 TiB left "
     "without node-01 (110.9 % of resilient capacity)",
     ["'%s#storagepool.space.usage.percentage'=83.18%%;85;95;0;100" % POOL]),
    ("storage-critical", [], 2,
     "CRITICAL - PROD-A: storage pool %s 93.2 %% used (78.1 TiB of 83.8 TiB), 5.7 TiB free; "
     "container PROD-VMS 100.0 %% of advertised capacity used (32.5 TiB of 32.5 TiB logical), "
     "nothing free; too full to rebuild after a node failure: 78.1 TiB used, 62.9 TiB left "
     "without node-01 (124.2 %% of resilient capacity)" % POOL,
     ["'%s#storagepool.space.usage.percentage'=93.18%%;80;90;0;100" % POOL,
      "'PROD-VMS#container.space.usage.percentage'=100%;80;90;0;100",
      "'PROD-VMS#container.space.usage.bytes'=35787908193002B;;;0;35787908193002",
      "'PROD-VMS#container.space.capacity.bytes'=35787908193002B;;;0",
      "'resilient.usage.percentage'=124.24%;100;;0"]),
    ("storage-critical", ["--filter-container", "PROD-VMS"], 2,
     "CRITICAL - PROD-A: container PROD-VMS 100.0 % of advertised capacity used (32.5 TiB of "
     "32.5 TiB logical), nothing free",
     ["'PROD-VMS#container.space.usage.percentage'=100%;80;90;0;100"]),
    ("storage-critical", ["--filter-container", "prod-vms", "--container-warning", "99.5",
                          "--container-critical", "101"], 1,
     "WARNING - PROD-A: container PROD-VMS 100.0 % of advertised capacity used (32.5 TiB of "
     "32.5 TiB logical), nothing free",
     ["'PROD-VMS#container.space.usage.percentage'=100%;99.5;101;0;100"]),
    ("healthy", ["--filter-container", "prod-vms"], 0,
     "OK - PROD-A: container PROD-VMS 18.5 %% of pool %s used" % POOL,
     ["'PROD-VMS#container.space.usage.percentage'=18.48%;80;90;0;100"]),
    ("healthy", ["--filter-container-regex", "(default|nutanix).*"], 0,
     "OK - PROD-A: 2 containers, fullest default-container-62635419953366 3.1 % used",
     ["'NutanixManagementShare#container.savings.overall.ratio'=1.42;;;0"]),
    ("healthy", ["--filter-container-regex", ".*share", "--min-savings-ratio", "1.5"], 1,
     "WARNING - PROD-A: container NutanixManagementShare: data reduction 1.42:1, below the "
     "minimum 1.50:1",
     ["'NutanixManagementShare#container.savings.overall.ratio'=1.42;1.5:;;0"]),
    ("healthy", ["--min-savings-ratio", "1.6"], 1,
     "WARNING - PROD-A: cluster PROD-A: data reduction 1.55:1, below the minimum 1.60:1",
     ["'cluster.savings.overall.ratio'=1.5533;1.6:;;0"]),
    ("healthy", ["--min-savings-ratio", "1.5"], 0, HEALTHY,
     ["'cluster.savings.overall.ratio'=1.5533;1.5:;;0"]),
    ("healthy", ["--resilient-warning", "25"], 1,
     "WARNING - PROD-A: resilient capacity 29.6 % used: 18.6 TiB used, 62.9 TiB left after a "
     "node failure without node-01", ["'resilient.usage.percentage'=29.57%;25;;0"]),
    ("healthy", ["-w", "15", "-c", "20"], 2,
     "CRITICAL - PROD-A: storage pool %s 22.2 %% used (18.6 TiB of 83.8 TiB), 65.2 TiB free; "
     "container PROD-VMS 18.5 %% of pool %s used (15.5 TiB of 83.8 TiB), 68.3 TiB free"
     % (POOL, POOL), ["'PROD-VMS#container.space.usage.percentage'=18.48%;15;20;0;100"]),
    ("prism-central", ["--cluster", "PROD-A"], 0,
     "OK - PROD-A: storage 22.2 % used (18.6 TiB of 83.8 TiB), 1 container, data reduction "
     "1.00:1",
     ["'cluster.space.usage.percentage'=22.18%;80;90;0;100",
      "'cluster.space.capacity.bytes'=92178143576064B;;;0",
      "'default-container-52489387164356#container.space.usage.percentage'=22.18%;80;90;0;100",
      "'cluster.savings.overall.ratio'=1;;;0"]),
    ("prism-central", ["--cluster", "dr-b", "--filter-container-regex", "default.*"], 0,
     "OK - DR-B: container default-container-31211865173097 22.0 % of its storage capacity "
     "used", ["'default-container-31211865173097#container.space.usage.percentage'=22%;80;90;0;"
              "100"]),
    ("prism-central", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="storage")
    run.expect(code, first, perf)


def test_storage_critical_long_output_worst_first(emulators, run_check):
    run = run_check(emulators("storage-critical"), check="storage")
    assert run.lines[1] == ("[CRITICAL] storage pool %s 93.2 %% used (78.1 TiB of 83.8 TiB), "
                            "5.7 TiB free" % POOL)
    assert ("[WARNING] too full to rebuild after a node failure: 78.1 TiB used, 62.9 TiB left "
            "without node-01 (124.2 % of resilient capacity); resilient capacity = 83.8 TiB on "
            "4 nodes minus the largest, node-01 (21.0 TiB)") in run.lines
    assert ("[OK] container NutanixManagementShare 2.6 %% of pool %s used (2.2 TiB of "
            "83.8 TiB), data reduction 1.42:1" % POOL) in run.lines
    order = {"[CRITICAL]": 0, "[WARNING]": 1, "[UNKNOWN]": 2, "[OK]": 3}
    states = [order[line.split(" ")[0]] for line in run.lines[1:] if line.startswith("[")]
    assert states == sorted(states)


def test_capacity_planning_line_from_70_percent(emulators, run_check):
    run = run_check(emulators("storage-warning"), "-w", "85", "-c", "95", check="storage")
    assert ("[OK] storage pool %s 83.2 %% used (69.7 TiB of 83.8 TiB): capacity planning, "
            "above 70.0 %%" % POOL) in run.lines


def test_prism_central_says_pools_and_resilience_are_not_checked(emulators, run_check):
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A", check="storage")
    assert ("(not available from Prism Central v4 clustermgmt (config and stats), not checked: "
            "storage pools (Prism Element v1 only); resilient capacity (needs per-host storage "
            "capacity, read from Prism Element v2.0 hosts); monitor the cluster's Prism Element "
            "for those)") in run.lines
    assert "storagepool" not in run.perfdata and "resilient" not in run.perfdata


@pytest.mark.parametrize("args,first", [
    (["--filter-container", "nope"],
     "UNKNOWN - no storage container of cluster PROD-A matches --filter-container 'nope'; it "
     "has 3: NutanixManagementShare, PROD-VMS, default-container-62635419953366"),
    (["--filter-container-regex", "prod"],
     "UNKNOWN - no storage container of cluster PROD-A matches --filter-container-regex "
     "'prod'; it has 3: NutanixManagementShare, PROD-VMS, default-container-62635419953366"),
    (["--filter-container", "a", "--filter-container-regex", "b"],
     "UNKNOWN - give --filter-container or --filter-container-regex, not both"),
    (["--filter-container-regex", "("],
     "UNKNOWN - bad --filter-container-regex '(': missing ), unterminated subpattern at "
     "position 0"),
    (["--container-warning", "10:5"],
     "UNKNOWN - bad threshold range '10:5': start is greater than end"),
    (["--resilient-warning", "lots"],
     "UNKNOWN - bad threshold range 'lots': 'lots' is not a plain decimal number (use forms "
     "like 10, 10:, ~:10, 10:20, @10:20)"),
    (["--min-savings-ratio", "x"],
     "UNKNOWN - bad command line: argument --min-savings-ratio: invalid float value: 'x' (see "
     "--help)"),
    (["--cluster", "OTHER"], None),
])
def test_bad_input(emulators, run_check, args, first):
    run = run_check(emulators("healthy"), *args, check="storage")
    assert run.code == 3, run
    if first is None:
        assert run.first.startswith("UNKNOWN - 127.0.0.1:") and "not 'OTHER'" in run.first
    else:
        assert run.first == first
    assert "Traceback" not in run.stdout + run.stderr


def test_pool_endpoint_failure_is_unknown(emulators, run_check):
    emulator = emulators("storage-warning")
    emulator.faults([{"path": "v1/storage_pools", "status": 500}])
    try:
        run = run_check(emulator, "--cache-ttl", "0", check="storage")
    finally:
        emulator.faults([])
    assert run.code == 3, run
    assert run.first.startswith("UNKNOWN - Prism answered HTTP 500"), run
    assert "storage_pools" in run.first


def test_host_capacity_missing_makes_resilience_unknown(emulators, run_check):
    emulator = emulators("storage-warning")
    emulator.faults([{"path": "v2.0/hosts$", "drop_fields": ["usage_stats"]}])
    try:
        run = run_check(emulator, "--cache-ttl", "0", check="storage")
    finally:
        emulator.faults([])
    assert (run.code, run.summary) == (
        1, "WARNING - PROD-A: storage pool %s 83.2 %% used (69.7 TiB of 83.8 TiB), 14.1 TiB "
        "free; resilient capacity not computed: storage capacity not reported for node-01, "
        "node-02, node-03, node-04" % POOL), run
    assert "resilient" not in run.perfdata


def test_cluster_usage_missing_says_why_on_the_first_line(emulators, run_check):
    # With pools the cluster-wide line normally stays in the long output; not when it is the
    # one that cannot be judged.
    emulator = emulators("healthy")
    emulator.faults([{"path": "v2.0/cluster$", "drop_fields": ["usage_stats"]}])
    try:
        run = run_check(emulator, "--cache-ttl", "0", check="storage")
    finally:
        emulator.faults([])
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A: cluster PROD-A: usage not known (the v2.0 cluster answer has no "
        "usage_stats)"), run
    assert "'cluster.space.usage.percentage'=U;80;90;0;100" in run.perfdata.split(" ")
    assert "'%s#storagepool.space.usage.percentage'=22.18%%;80;90;0;100" % POOL in \
        run.perfdata.split(" ")
