"""`check_nutanix version` against the emulator: exit code, exact first line, perfdata."""

import datetime
import os

import pytest
from conftest import ROOT

EXAMPLE = os.path.join(ROOT, "nagios_nutanix", "config", "version-policy.example.yaml")
HEALTHY = "OK - PROD-A: AOS 6.8.1 LTS, AHV 20230302.101026 on all 4 hosts, NCC 5.0.0"
DRIFT = ("AHV versions differ: 20220304.342 on node-04, 20220304.462 on node-01, node-02, "
         "node-03")


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def days_until(text):
    return (datetime.date.fromisoformat(text) - today()).days


@pytest.fixture
def policy(tmp_path):
    """Write a policy file; `{in:N}` in the text becomes the date N days from today."""

    def write(text, name="policy.yaml"):
        import re

        text = re.sub(r"\{in:(-?\d+)\}", lambda m: (today() + datetime.timedelta(
            days=int(m.group(1)))).isoformat(), text)
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write


CASES = [
    ("healthy", [], 0, HEALTHY, ["'hypervisor.versions.count'=1;1;;0"]),
    # While an upgrade runs, differing hypervisor versions are expected: no warning range.
    ("upgrade", [], 0,
     "OK - PROD-A: AOS 6.8.1 LTS, upgrade in progress to 6.10.1, AHV 20230302.101026 on all 4 "
     "hosts, NCC 5.0.0", ["'hypervisor.versions.count'=1;;;0"]),
    ("version-drift", [], 1, "WARNING - PROD-A: " + DRIFT,
     ["'hypervisor.versions.count'=2;1;;0"]),
    ("prism-central", ["--cluster", "PROD-A"], 0, HEALTHY + ", Prism Central pc.2024.3",
     ["'hypervisor.versions.count'=1;1;;0"]),
    ("prism-central", ["--cluster", "dr-b"], 0,
     "OK - DR-B: AOS 6.8.1 LTS, AHV 20230302.101026 on all 3 hosts, NCC 5.0.0, Prism Central "
     "pc.2024.3", []),
    ("prism-central", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="version")
    run.expect(code, first, perf)


def test_version_drift_against_the_example_policy(emulators, run_check):
    run = run_check(emulators("version-drift"), "--policy", EXAMPLE, check="version")
    assert (run.code, run.summary) == (
        2, "CRITICAL - PROD-A: AOS 6.5.4.5: release train 6.5 past end of life since 2025-11-30 "
        "(EXAMPLE policy); " + DRIFT + "; AHV 20220304.342 on node-04 below the minimum "
        "20220304.462 (EXAMPLE policy)"), run
    # 2025-11-30 is in the past for good: this verdict does not move with the calendar.
    assert "'aos.eol.days'=%d;91:;0:" % days_until("2025-11-30") in run.perfdata.split(" ")
    assert ("(%s is marked as an EXAMPLE (example: true): its dates, minimums and pairs are "
            "made up, not Nutanix facts; write your own policy)" % EXAMPLE) in run.lines


def test_example_marked_policy_on_prism_central(emulators, run_check, policy):
    # Dates relative to today, so the test does not change verdict as the calendar moves.
    path = policy('example: true\naos:\n  "6.8": {minimum: "6.8.1", end_of_life: {in:400}}\n'
                  'prism_central:\n  "pc.2024.3": {end_of_life: {in:200}}\n'
                  'compatible:\n  "6.8": ["20230302"]\n')
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A", "--policy", path,
                    check="version")
    assert (run.code, run.summary) == (
        0, HEALTHY + ", Prism Central pc.2024.3, within the EXAMPLE policy"), run
    perf = run.perfdata.split(" ")
    assert "'aos.eol.days'=400;91:;0:" in perf
    assert "'prism_central.eol.days'=200;91:;0:" in perf
    assert ("(%s is marked as an EXAMPLE (example: true): its dates, minimums and pairs are "
            "made up, not Nutanix facts; write your own policy)" % path) in run.lines


def test_end_of_life_window(emulators, run_check, policy):
    path = policy('aos:\n  "6.8": {end_of_life: {in:30}}\n')
    eol = (today() + datetime.timedelta(days=30)).isoformat()
    run = run_check(emulators("healthy"), "--policy", path, check="version")
    assert (run.code, run.summary) == (
        1, "WARNING - PROD-A: AOS 6.8.1: release train 6.8 reaches end of life on %s, in 30 "
        "days (policy)" % eol), run
    assert "'aos.eol.days'=30;91:;0:" in run.perfdata.split(" ")
    run = run_check(emulators("healthy"), "--policy", path, "--eol-warning-days", "20",
                    check="version")
    assert (run.code, run.summary) == (0, HEALTHY + ", within the policy"), run
    assert "'aos.eol.days'=30;21:;0:" in run.perfdata.split(" ")
    # Exactly --eol-warning-days away: WARNING, and the perfdata range says so too.
    run = run_check(emulators("healthy"), "--policy", path, "--eol-warning-days", "30",
                    check="version")
    assert run.code == 1 and "'aos.eol.days'=30;31:;0:" in run.perfdata.split(" "), run
    assert ("(the policy has no AHV, NCC section: not checked against it)") in run.lines


def test_past_end_of_life_is_critical(emulators, run_check, policy):
    path = policy('aos:\n  "6.8": {end_of_life: {in:-1}, minimum: "6.8.2"}\n')
    eol = (today() - datetime.timedelta(days=1)).isoformat()
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A", "--policy", path,
                    check="version")
    assert (run.code, run.summary) == (
        2, "CRITICAL - PROD-A: AOS 6.8.1: release train 6.8 past end of life since %s (policy); "
        "AOS 6.8.1 below the minimum 6.8.2 (policy)" % eol), run
    assert "'aos.eol.days'=-1;91:;0:" in run.perfdata.split(" ")


def test_unlisted_train_and_disallowed_pair(emulators, run_check, policy):
    path = policy('aos:\n  "6.10": {}\nahv:\n  "20230302": {}\n'
                  'compatible:\n  "6.8": ["10"]\n')
    run = run_check(emulators("healthy"), "--policy", path, check="version")
    assert (run.code, run.summary) == (
        1, "WARNING - PROD-A: AOS 6.8.1: release train not in the policy; AHV 20230302.101026 "
        "on all 4 hosts not allowed with AOS 6.8 (policy allows 10)"), run


@pytest.mark.parametrize("text,message", [
    ('aos:\n  "6.8":\n    end_of_life: soon\n',
     "line 3 (aos.6.8.end_of_life): 'soon' is not a date (write YYYY-MM-DD)"),
    ('aos:\n  "6.8": {end_of_life: 2026-02-30}\n',
     "line 2 (aos.6.8.end_of_life): '2026-02-30' is not a valid date"),
    ('aos:\n  "6.8": {minimum: "6.9.1"}\n',
     "line 2 (aos.6.8.minimum): minimum 6.9.1 is not a version of release train 6.8"),
    ('aos:\n  "6.8": {eol: 2030-01-01}\n',
     "line 2 (aos.6.8.eol): unknown key 'eol' (known: minimum, end_of_life)"),
    ('aos:\n  "6.8": {}\nahvv: {}\n',
     "line 3 (ahvv): unknown key 'ahvv' (known: aos, ahv, ncc, prism_central, compatible, "
     "example, description)"),
    ('aos:\n  six: {}\n', "line 2 (aos.six): 'six' is not a version (digits separated by dots)"),
    ('compatible:\n  "6.8": "20230302"\n',
     "line 2 (compatible.6.8): expected a list of AHV release trains, e.g. [\"20230302\"]"),
    ('aos: [1, 2\n', "line 2: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ('- 1\n- 2\n', "line 1: expected a mapping (key: value lines)"),
    ('', "top level: the file is empty"),
    ('example: true\n', "top level: no aos, ahv, ncc, prism_central or compatible section"),
])
def test_bad_policy_file(run_check, policy, text, message):
    path = policy(text)
    # No -H: the policy is read before Prism is asked anything.
    run = run_check(None, "--policy", path, check="version")
    assert (run.code, run.first) == (3, "UNKNOWN - bad version policy %s: %s" % (path, message))


@pytest.mark.parametrize("args,first", [
    (["--policy", "/nonexistent/policy.yaml"],
     "UNKNOWN - cannot read version policy /nonexistent/policy.yaml: No such file or directory "
     "(--policy)"),
    (["--eol-warning-days", "-3"], "UNKNOWN - --eol-warning-days must be 0 or more, not -3"),
    (["--eol-warning-days", "soon"],
     "UNKNOWN - bad command line: argument --eol-warning-days: invalid int value: 'soon' (see "
     "--help)"),
])
def test_bad_input(emulators, run_check, args, first):
    run = run_check(emulators("healthy"), *args, check="version")
    assert (run.code, run.first) == (3, first), run
    assert "Traceback" not in run.stdout + run.stderr


def test_no_hosts_listed_is_unknown(emulators, run_check):
    emulator = emulators("version-drift")
    emulator.faults([{"path": "v2.0/hosts$", "body": "empty-list"}])
    try:
        run = run_check(emulator, "--cache-ttl", "0", check="version")
    finally:
        emulator.faults([])
    # The inventory already refuses an empty host list (evaluate() says "Prism listed no
    # hosts" too, for any source that lets one through): UNKNOWN, never OK.
    assert (run.code, run.summary) == (
        3, "UNKNOWN - Prism Element PROD-A listed no hosts (v2.0 hosts is empty); the cluster "
        "may be unconfigured or Prism is still starting"), run


def test_missing_ncc_version_is_unknown(emulators, run_check):
    emulator = emulators("version-drift")
    emulator.faults([{"path": "v2.0/cluster$", "drop_fields": ["ncc_version"]}])
    try:
        run = run_check(emulator, "--cache-ttl", "0", check="version")
    finally:
        emulator.faults([])
    assert (run.code, run.summary) == (
        1, "WARNING - PROD-A: " + DRIFT + "; NCC version not reported by Prism"), run
