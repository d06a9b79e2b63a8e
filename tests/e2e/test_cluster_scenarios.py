"""`check_nutanix cluster` against every scenario: exit code, exact first line, perfdata."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

FT = "'NODE~%s#tolerable.failures.count'=%d;;1:;0"

CASES = [
    ("healthy", [], 0,
     "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1",
     ["'nodes.total.count'=4;;;0", "'nodes.healthy.count'=4;;3:;0;4",
      "'nodes.unhealthy.count'=0;0;;0;4", FT % ("METADATA", 1)]),
    ("node-down", [], 2,
     "CRITICAL - PROD-A: cannot tolerate a node failure: EXTENT_GROUPS, METADATA, OPLOG; "
     "metadata ring: node-03 not normal; 1 of 4 nodes unhealthy: node-03 (AHV host "
     "disconnected from Acropolis, CVM powered off)",
     ["'nodes.healthy.count'=3;;3:;0;4", "'nodes.unhealthy.count'=1;0;;0;4",
      FT % ("METADATA", 0), FT % ("FREE_SPACE", 1)]),
    ("ft-degraded", [], 2, "CRITICAL - PROD-A: cannot tolerate a node failure: FREE_SPACE",
     [FT % ("FREE_SPACE", 0), "'nodes.healthy.count'=4;;3:;0;4"]),
    ("rf-mismatch", [], 2, "CRITICAL - PROD-A: redundancy factor 2, desired 3",
     ["'nodes.total.count'=5;;;0", "'nodes.healthy.count'=5;;3:;0;5"]),
    ("maintenance", [], 1,
     "WARNING - PROD-A: 1 of 4 nodes unhealthy: node-02 (in maintenance mode)",
     ["'nodes.unhealthy.count'=1;0;;0;4"]),
    ("maintenance", ["-w", "1"], 0,
     "OK - PROD-A: 3 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1",
     ["'nodes.unhealthy.count'=1;1;;0;4"]),
    ("upgrade", [], 0,
     "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1, "
     "upgrade in progress to 6.10.1", ["'nodes.total.count'=4;;;0"]),
    ("large", [], 0,
     "OK - LARGE-01: 16 of 16 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1",
     ["'nodes.total.count'=16;;;0", "'nodes.healthy.count'=16;;3:;0;16"]),
    ("prism-central", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
    ("prism-central", ["--cluster", "PROD-A"], 0,
     "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1",
     ["'nodes.total.count'=4;;;0", "'NODE~CLUSTER#tolerable.failures.count'=1;;1:;0"]),
    ("prism-central", ["--cluster", "dr-b"], 2,
     "CRITICAL - DR-B: only 2 healthy nodes, RF2 needs at least 3; 1 of 3 nodes unhealthy: "
     "dr-node-02 (degraded)", ["'nodes.healthy.count'=2;;3:;0;3"]),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args)
    run.expect(code, first, perf)


def test_prism_central_says_what_it_cannot_check(emulators, run_check):
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A")
    assert "(not available from Prism Central v4 clustermgmt, not checked: CVM power state, " \
        "metadata ring membership" in run.stdout


def test_node_down_long_output_is_worst_first(emulators, run_check):
    run = run_check(emulators("node-down"))
    assert run.lines[1].startswith("[CRITICAL] cannot tolerate a node failure: EXTENT_GROUPS, "
                                   "METADATA, OPLOG (")
    assert "[WARNING] node-03: AHV host disconnected from Acropolis, CVM powered off" in run.lines
    states = [line.split("]")[0] for line in run.lines[1:] if line.startswith("[")]
    order = {"[CRITICAL": 0, "[WARNING": 1, "[UNKNOWN": 2, "[OK": 3}
    assert [order[s] for s in states] == sorted(order[s] for s in states)


def test_console_script_and_json_output(emulators, state_dir):
    emulator = emulators("healthy")
    from conftest import CA_FILE, PASSWORD

    done = subprocess.run(
        [sys.executable, "-m", "nagios_nutanix", "cluster", "-H", "127.0.0.1", "-P",
         str(emulator.port), "-u", "admin", "--ca-file", CA_FILE, "--state-dir", state_dir,
         "--output", "json"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=ROOT, NUTANIX_PASSWORD=PASSWORD), timeout=60)
    doc = json.loads(done.stdout)
    assert done.returncode == 0
    assert doc["state"] == "OK" and doc["scope"] == "PROD-A"
    assert {"label": "nodes.total.count", "value": 4, "unit": "", "warning": None,
            "critical": None, "min": 0, "max": None} in doc["perfdata"]


def test_list_and_help_and_version():
    env = dict(os.environ, PYTHONPATH=ROOT)
    listing = subprocess.run([sys.executable, "-m", "nagios_nutanix", "--list"],
                             stdout=subprocess.PIPE, text=True, env=env)
    assert listing.returncode == 0
    assert any(line.startswith("cluster ") for line in listing.stdout.splitlines())
    helped = subprocess.run([sys.executable, os.path.join(ROOT, "plugins",
                                                          "check_nutanix_cluster"), "--help"],
                            stdout=subprocess.PIPE, text=True, env=env)
    assert helped.returncode == 3
    assert "usage: check_nutanix_cluster" in helped.stdout and "--cache-ttl" in helped.stdout
    version = subprocess.run([sys.executable, os.path.join(ROOT, "plugins",
                                                           "check_nutanix_cluster"), "-V"],
                             stdout=subprocess.PIPE, text=True, env=env)
    assert version.returncode == 3 and version.stdout.startswith("check_nutanix_cluster 0.")


def test_generated_docs_are_up_to_date():
    from nagios_nutanix.config.docs import generate

    for path, text in generate(os.path.join(ROOT, "docs")).items():
        with open(path, encoding="utf-8") as handle:
            assert handle.read() == text, "%s is stale: run make docs" % path


def test_demo_runs_every_check_and_shows_exit_codes():
    done = subprocess.run([sys.executable, "-m", "nagios_nutanix.demo", "--scenario", "healthy",
                           "--scenario", "node-down"], stdout=subprocess.PIPE, text=True,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT), timeout=120)
    assert done.returncode == 0
    assert "$ NUTANIX_PASSWORD=... check_nutanix cluster -H 127.0.0.1" in done.stdout
    assert "\nOK - PROD-A: 4 of 4 nodes healthy" in done.stdout
    assert "[exit 0: OK]" in done.stdout and "[exit 2: CRITICAL]" in done.stdout
