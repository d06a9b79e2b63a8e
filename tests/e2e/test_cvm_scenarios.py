"""`check_nutanix_cvm` against the emulator: exit code, exact first line, perfdata, long output.

The Genesis RPC answer the emulator serves is a guess (its real payload is undocumented); these
tests pin what the check makes of that guess, and that it falls back when there is none.
"""

import pytest

GENESIS = "/PrismGateway/services/rest/v1/genesis"
OK_GENESIS = ("OK - PROD-A: 4 of 4 CVMs on; stargate, curator, cassandra, chronos OK on every "
              "node (Genesis RPC, experimental)")
OK_API = ("OK - PROD-A: 4 of 4 CVMs on; stargate, curator, cassandra, chronos OK on every node "
          "(no service alert, CVM up; cassandra: metadata store normal)")
SERVICES_DOWN = "CRITICAL - PROD-A/node-03: stargate DOWN, curator DOWN (2 of 4 services down)"
NODE03 = "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-03 (stargate DOWN, curator DOWN)"
PC_BASIS = ("no service alert, node not degraded; CVM power and service states not available "
            "from Prism Central")


def down(node, count):
    return "'%s#cvm.services.down.count'=%d;;0;0;4" % (node, count)


CASES = [
    ("healthy", [], 0, OK_GENESIS,
     [down("node-01", 0), "'node-02#cvm.cpu.utilization.percentage'=23.46%;80;90;0;100",
      "'node-02#cvm.memory.utilization.percentage'=73%;80;90;0;100"]),
    ("healthy", ["--filter-name", "node-02"], 0,
     "OK - PROD-A/node-02: CVM on; stargate, curator, cassandra, chronos UP (Genesis RPC, "
     "experimental); CVM CPU 23.5%, memory 73%",
     [down("node-02", 0), "'node-02#cvm.cpu.utilization.percentage'=23.46%;80;90;0;100"]),
    ("healthy", ["--service-source", "api"], 0, OK_API, [down("node-04", 0)]),
    ("healthy", ["--service-source", "api", "--require-direct-evidence", "--filter-name",
                 "node-01"], 3,
     "UNKNOWN - PROD-A/node-01: stargate, curator, chronos unknown: no direct evidence "
     "(--require-direct-evidence)", [down("node-01", 0)]),
    ("healthy", ["--require-direct-evidence"], 0, OK_GENESIS, []),
    ("healthy", ["--filter-name", "node-01", "--warning-cpu", "10", "--critical-cpu", "50"], 1,
     "WARNING - PROD-A/node-01: CVM CPU 26.2%",
     ["'node-01#cvm.cpu.utilization.percentage'=26.24%;10;50;0;100"]),
    ("healthy", ["--filter-name", "node-02", "--critical-memory", "70"], 2,
     "CRITICAL - PROD-A/node-02: CVM memory 73%",
     ["'node-02#cvm.memory.utilization.percentage'=73%;80;70;0;100"]),
    ("healthy", ["--filter-name", "node-01", "--services", "zeus,pithos", "--services", "prism"],
     0, "OK - PROD-A/node-01: CVM on; zeus, pithos, prism UP (Genesis RPC, experimental); CVM "
        "CPU 26.2%, memory 62.5%", ["'node-01#cvm.services.down.count'=0;;0;0;3"]),
    # A block serial is shared by every node of the block: refused as an exact name.
    ("healthy", ["--filter-name", "21fm5b310061"], 3,
     "UNKNOWN - --filter-name '21fm5b310061' matches 4 nodes of cluster PROD-A (node-01, "
     "node-02, node-03, node-04): a shared name such as a block serial; give the node's own "
     "name, or --filter-name-regex for several", []),
    ("healthy", ["--filter-name-regex", "21fm5b310061"], 0, OK_GENESIS, [down("node-03", 0)]),
    ("cvm-services-down", [], 2, NODE03, [down("node-03", 2), down("node-01", 0)]),
    ("cvm-services-down", ["--filter-name", "node-03"], 2, SERVICES_DOWN, [down("node-03", 2)]),
    ("cvm-services-down", ["--filter-name", "10.10.1.23"], 2, SERVICES_DOWN, []),  # CVM IP
    ("cvm-services-down", ["--filter-name", "ZM3100610003"], 2, SERVICES_DOWN, []),  # serial
    ("cvm-services-down", ["--filter-name", "ntnx-21fm5b310061-c-cvm"], 2, SERVICES_DOWN, []),
    ("cvm-services-down", ["--filter-name", "node-03", "--service-source", "api"], 2,
     SERVICES_DOWN, [down("node-03", 2)]),
    ("cvm-services-down", ["--filter-name", "node-03", "--service-source", "genesis"], 2,
     SERVICES_DOWN, [down("node-03", 2)]),
    ("cvm-services-down", ["--service-source", "api"], 2, NODE03, []),
    ("cvm-services-down", ["--filter-name", "node-01"], 0,
     "OK - PROD-A/node-01: CVM on; stargate, curator, cassandra, chronos UP (Genesis RPC, "
     "experimental); CVM CPU 26.2%, memory 62.5%", [down("node-01", 0)]),
    # Several nodes match the pattern: the multi-node form, with only those nodes.
    ("cvm-services-down", ["--filter-name-regex", "node-0[23]"], 2,
     "CRITICAL - PROD-A: 1 of 2 nodes in trouble: node-03 (stargate DOWN, curator DOWN)",
     [down("node-02", 0), down("node-03", 2)]),
    ("cvm-services-down", ["--filter-name-regex", "node-0[12]"], 0,
     "OK - PROD-A: 2 of 2 CVMs on; stargate, curator, cassandra, chronos OK on every node "
     "(Genesis RPC, experimental)", []),
    ("cvm-powered-off", [], 2,
     "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-02 (CVM powered off)",
     [down("node-02", 4), down("node-03", 0)]),
    ("cvm-powered-off", ["--filter-name", "node-02"], 2, "CRITICAL - PROD-A/node-02: CVM "
     "powered off", [down("node-02", 4)]),
    ("cvm-powered-off", ["--filter-name", "node-02", "--service-source", "api"], 2,
     "CRITICAL - PROD-A/node-02: CVM powered off", []),
    ("node-down", [], 2, "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-03 (CVM powered "
     "off)", [down("node-03", 4)]),
    ("node-down", ["--filter-name", "10.10.1.13"], 2,  # host IP
     "CRITICAL - PROD-A/node-03: CVM powered off", [down("node-03", 4)]),
    ("prism-central", [], 3, "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); "
     "choose one with --cluster NAME", []),
    ("prism-central", ["--cluster", "PROD-A"], 0,
     "OK - PROD-A: stargate, curator, cassandra, chronos OK on every node (%s)" % PC_BASIS,
     [down("node-01", 0)]),
    ("prism-central", ["--cluster", "PROD-A", "--filter-name", "10.10.1.21"], 0,
     "OK - PROD-A/node-01: stargate, curator, cassandra, chronos OK (%s)" % PC_BASIS,
     [down("node-01", 0)]),
    ("prism-central", ["--cluster", "DR-B"], 2,
     "CRITICAL - DR-B: 1 of 3 nodes in trouble: dr-node-02 (node degraded)",
     [down("dr-node-02", 0)]),
    ("prism-central", ["--cluster", "DR-B", "--filter-name", "dr-node-02"], 2,
     "CRITICAL - DR-B/dr-node-02: node degraded", []),
    ("prism-central", ["--cluster", "PROD-A", "--service-source", "genesis", "--filter-name",
                       "node-01"], 3,
     "UNKNOWN - --service-source genesis: the Genesis RPC is a Prism Element RPC and Prism "
     "Central does not forward it; point -H at the cluster's Prism Element VIP, or use "
     "--service-source auto or api", []),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="cvm")
    run.expect(code, first, perf)
    assert "Traceback" not in run.stdout + run.stderr


def test_every_service_line_names_its_source(emulators, run_check):
    run = run_check(emulators("cvm-services-down"), "--filter-name", "node-03", "-v",
                    check="cvm")
    assert run.lines[1:4] == [
        "[CRITICAL] 2 of 4 services down: stargate, curator",
        "[CRITICAL] stargate DOWN (Genesis RPC (experimental): no process; alert 'Cluster "
        "services are down': Cluster Service(s): Stargate, Curator down on the Controller VM "
        "10.10.1.23. (A3032, CRITICAL); alert 'Stargate Temporarily Down': Stargate on CVM "
        "10.10.1.23 is down for 420 seconds. (A1030, CRITICAL)) (source: Genesis RPC "
        "(experimental) + alerts)",
        "[CRITICAL] curator DOWN (Genesis RPC (experimental): no process; alert 'Cluster "
        "services are down': Cluster Service(s): Stargate, Curator down on the Controller VM "
        "10.10.1.23. (A3032, CRITICAL)) (source: Genesis RPC (experimental) + alerts)"]
    assert "[OK] cassandra UP (Genesis RPC (experimental) entry Medusa: 4 processes; metadata " \
           "store kNormalMode: Metadata store enabled on the node) (source: Genesis RPC " \
           "(experimental) + metadata_store_status)" in run.lines
    assert "[OK] CVM CPU 17.6% (warning 80, critical 90) (source: v1 vms stats)" in run.lines


def test_api_source_says_an_ok_is_inferred(emulators, run_check):
    run = run_check(emulators("cvm-services-down"), "--filter-name", "node-03",
                    "--service-source", "api", check="cvm")
    assert "[OK] chronos OK (no service alert, CVM up)" in run.lines
    assert "[OK] cassandra in the metadata ring (metadata store kNormalMode: Metadata store " \
           "enabled on the node)" in run.lines


def test_powered_off_cvm_lines(emulators, run_check):
    run = run_check(emulators("cvm-powered-off"), "--filter-name", "node-02", check="cvm")
    assert run.lines[1:3] == [
        "[CRITICAL] CVM NTNX-21FM5B310061-B-CVM powered off",
        "[CRITICAL] CVM unreachable (alert 'CVM is unreachable': CVM 10.10.1.22 is "
        "unreachable via ping from the other CVMs. (A1024, CRITICAL))"]
    assert "[CRITICAL] stargate DOWN (CVM powered off)" in run.lines
    assert "cvm.cpu" not in run.perfdata  # an off CVM reports no load


def test_prism_central_says_what_it_cannot_check(emulators, run_check):
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A", "--filter-name",
                    "node-01", check="cvm")
    assert "[OK] stargate OK (%s)" % PC_BASIS in run.lines
    assert run.lines[-1] == (
        "(not available from Prism Central v4 clustermgmt, not checked: CVM power state; "
        "metadata ring membership; CVM service states (no service API, and Prism Central does "
        "not forward the Genesis RPC; services judged from unresolved alerts and the degraded "
        "flag); CVM CPU and memory; monitor the cluster's Prism Element for those)")
    assert "cvm.cpu" not in run.perfdata


def test_zero_match_lists_the_nodes(emulators, run_check):
    run = run_check(emulators("healthy"), "--filter-name", "node-09", check="cvm")
    assert (run.code, run.first) == (
        3, "UNKNOWN - no node of cluster PROD-A matches --filter-name 'node-09'; it has 4: "
           "node-01, node-02, node-03, node-04")


def test_partial_name_is_no_match(emulators, run_check):
    run = run_check(emulators("healthy"), "--filter-name-regex", "node-0", check="cvm")
    assert run.code == 3 and run.first.startswith("UNKNOWN - no node of cluster PROD-A "
                                                  "matches --filter-name-regex 'node-0'")


@pytest.mark.parametrize("args,words", [
    (["--filter-name-regex", "node-(0"], "bad --filter-name-regex 'node-(0'"),
    (["--service-source", "snmp"], "bad command line: argument --service-source: invalid "
                                   "choice: 'snmp'"),
    (["--services", ","], "--services is empty"),
    (["--services", "stargate;reboot"], "bad --services name 'stargate;reboot'"),
    (["--warning-cpu", "eighty"], "bad threshold range 'eighty'"),
    (["--cpu-warning", "80"], "bad command line: unrecognized arguments: --cpu-warning 80"),
    (["--services", "stargte,curator"], "bad command line: unknown service 'stargte' in "
     "--services (did you mean stargate?); known: acropolis, "),
])
def test_bad_input(emulators, run_check, args, words):
    run = run_check(emulators("healthy"), *args, check="cvm")
    assert run.code == 3 and run.first.startswith("UNKNOWN - "), run
    assert words in run.first, run
    assert "Traceback" not in run.stdout + run.stderr


def viewer(run_check, emulator, *args):
    return run_check(emulator, "-u", "viewer", *args, check="cvm", creds=False,
                     env={"NUTANIX_PASSWORD": "Viewer/4u"})


READ_403 = ("alerts could not be read: Prism answered HTTP 403 Forbidden to GET "
            "/api/nutanix/v2.0/alerts; the user lacks permission: give it at least the Viewer "
            "role")


def test_unreadable_alerts_make_inferred_services_unknown(emulators, run_check):
    run = viewer(run_check, emulators("healthy"), "--service-source", "api", "--filter-name",
                 "node-01")
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A/node-01: alerts unreadable (HTTP 403): stargate, curator, chronos "
           "unknown"), run
    assert "[UNKNOWN] stargate unknown (the alerts could not be read, so no OK can be " \
           "inferred)" in run.lines
    assert "[UNKNOWN] %s; services with no other evidence are UNKNOWN, never OK: stargate, " \
           "curator, chronos" % READ_403 in run.lines
    assert not any(line.startswith("[OK] stargate") for line in run.lines)


def test_unreadable_alerts_without_a_filter_say_it_once(emulators, run_check):
    run = viewer(run_check, emulators("healthy"), "--service-source", "api")
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A: alerts unreadable (HTTP 403): stargate, curator, chronos unknown "
           "on every node"), run
    assert run.lines[1] == ("[UNKNOWN] %s; services with no other evidence are UNKNOWN, never "
                            "OK: stargate, curator, chronos on node-01, node-02, node-03, "
                            "node-04" % READ_403)
    assert "[OK] node-01: CVM on; cassandra in the metadata ring; CVM CPU 26.2%, memory 62.5%" \
        in run.lines
    assert len(run.lines) == 6


def test_unreadable_alerts_with_genesis_evidence_are_unknown(emulators, run_check):
    run = viewer(run_check, emulators("healthy"))
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A: alerts unreadable (HTTP 403): service and CVM alerts not "
           "checked"), run
    assert run.lines[1] == ("[UNKNOWN] %s; open service and CVM alerts (service down, CVM "
                            "unreachable, restarting frequently) not checked" % READ_403)
    run = viewer(run_check, emulators("healthy"), "--filter-name", "node-02")
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A/node-02: alerts unreadable (HTTP 403): service and CVM alerts not "
           "checked"), run


def test_genesis_only_source_reads_no_alerts_and_says_so(emulators, run_check):
    run = viewer(run_check, emulators("healthy"), "--service-source", "genesis",
                 "--filter-name", "node-02")
    assert (run.code, run.summary) == (
        0, "OK - PROD-A/node-02: CVM on; stargate, curator, cassandra, chronos UP (Genesis "
           "RPC, experimental); CVM CPU 23.5%, memory 73%"), run
    assert run.lines[-1] == ("(alerts not read (--service-source genesis): open service and "
                             "CVM alerts (CVM unreachable, restarting frequently) are not "
                             "checked)")


def test_genesis_only_source_on_prism_central_is_refused_before_any_other_request(
        emulators, run_check, state_dir):
    emulator = emulators("prism-central")
    emulator.reset()
    run = run_check(emulator, "--cluster", "PROD-A", "--service-source", "genesis",
                    "--cache-ttl", "0", check="cvm")
    assert run.code == 3 and run.summary.startswith(
        "UNKNOWN - --service-source genesis: the Genesis RPC is a Prism Element RPC"), run
    assert list(emulator.stats()["paths"]) == ["/api/nutanix/v2.0/cluster"]


@pytest.mark.parametrize("fault", [
    {"path": GENESIS, "status": 404},
    {"path": GENESIS, "status": 500},
    {"path": GENESIS, "body": "malformed"},
    {"path": GENESIS, "body": '{"value": "{\\".return\\": [true, \\"no such thing\\"]}"}'},
], ids=["404", "500", "malformed", "unrecognised"])
def test_auto_moves_on_when_genesis_does_not_answer(healthy, run_check, fault):
    healthy.faults([fault])
    run = run_check(healthy, "-v", check="cvm")
    assert (run.code, run.summary) == (0, OK_API), run
    assert "[OK] node-01: stargate OK (no service alert, CVM up) (source: inferred from CVM " \
           "power, host flags and alerts)" in run.lines
    assert any(line.startswith("note: Genesis RPC (experimental) not used: ")
               for line in run.lines), run


def test_genesis_only_source_is_unknown_without_it(healthy, run_check):
    healthy.faults([{"path": GENESIS, "status": 404}])
    run = run_check(healthy, "--service-source", "genesis", "--filter-name", "node-01",
                    check="cvm")
    assert run.code == 3, run
    assert run.summary.startswith(
        "UNKNOWN - PROD-A/node-01: stargate, curator, cassandra, chronos unknown: Genesis RPC "
        "unavailable; Genesis RPC (experimental) unavailable: the cluster did not answer it: "
        "Prism answered HTTP 404"), run


def test_a_cluster_without_genesis_is_asked_once_per_cache_ttl(healthy, run_check, state_dir):
    healthy.faults([{"path": GENESIS, "status": 404}])
    for name in ("node-01", "node-02", "node-03"):
        run = run_check(healthy, "--filter-name", name, check="cvm")
        assert run.code == 0, run
    paths = healthy.stats()["paths"]
    assert paths[GENESIS] == 1, paths
    assert paths["/api/nutanix/v2.0/alerts"] == 1, paths


def test_one_request_per_endpoint_with_the_cache(healthy, run_check):
    for name in ("node-01", "node-02", "node-03", "node-04"):
        assert run_check(healthy, "--filter-name", name, check="cvm").code == 0
    stats = healthy.stats()
    assert stats["logins"] == 1, stats
    assert all(count == 1 for count in stats["paths"].values()), stats["paths"]


def test_missing_cvm_stats_are_stated(healthy, run_check):
    healthy.faults([{"path": "v1/vms", "drop_fields": ["stats"]}])
    run = run_check(healthy, "--filter-name", "node-01", check="cvm")
    assert (run.code, run.summary) == (
        0, "OK - PROD-A/node-01: CVM on; stargate, curator, cassandra, chronos UP (Genesis RPC, "
           "experimental)"), run
    assert run.lines[-1] == ("(CVM CPU and memory not reported by Prism (v1 vms stats) for "
                             "node-01: not judged, no perfdata)")
    assert "cvm.cpu" not in run.perfdata and "cvm.memory" not in run.perfdata


def test_help_labels_the_genesis_source_experimental(run_check):
    run = run_check(None, "--help", check="cvm", creds=False)
    assert run.code == 3
    text = " ".join(run.stdout.split())
    assert "genesis (only the Genesis RPC: EXPERIMENTAL, its payload is undocumented and " \
           "parsed by guesswork; Prism Element only)" in text
    assert "--warning-cpu RANGE" in text and "--critical-memory RANGE" in text
    assert "EXPERIMENTAL: the Genesis RPC source" in text
