"""`check_nutanix cluster` against every scenario: exit code, exact first line, perfdata."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

CASES = [
    ("healthy", [], 0,
     "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1",
     ["'nodes.total.count'=4;;;0", "'nodes.healthy.count'=4;;3:;0;4",
      "'nodes.unhealthy.count'=0;0;;0;4", "'NODE~METADATA#tolerable.failures.count'=1;;1:;0"]),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES, ids=[c[0] for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args)
    assert (run.code, run.summary) == (code, first), run
    for item in perf:
        assert item in run.perfdata.split(" "), (item, run.perfdata)


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
    assert listing.stdout.startswith("cluster ")
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
