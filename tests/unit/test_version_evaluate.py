"""The `version` check's judgement on hand-built models, version parsing, and the policy file."""

import argparse
import datetime

import pytest

from nagios_nutanix.checks.version import evaluate
from nagios_nutanix.config import version_policy
from nagios_nutanix.config.version_policy import in_train, parse, version_key, version_text
from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.ranges import Thresholds
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism.model import Cluster
from nagios_nutanix.prism.versions import HostVersion, Versions, hypervisor_kind

TODAY = datetime.date(2026, 11, 21)
OPTIONS = argparse.Namespace(eol_warning_days=90)


def model(version="6.8.1", ahv=("Nutanix 20230302.101026",) * 4, ncc="ncc-5.0.0", policy=None,
          upgrading=False, target=None, lts=True, pc=None, kind="AHV"):
    hosts = [HostVersion("node-%02d" % i, hypervisor=kind, full_name=name)
             for i, name in enumerate(ahv, 1)]
    cluster = Cluster(name="PROD-A", version=version, is_lts=lts, upgrade_in_progress=upgrading,
                      target_version=target)
    return Versions(cluster=cluster, hosts=hosts, source="Prism Element v2.0", today=TODAY,
                    ncc=ncc, prism_central=pc, policy=policy)


def judge(versions, **changes):
    options = argparse.Namespace(**dict(vars(OPTIONS), **changes))
    result = evaluate(versions, options)
    lines = nagios(result).split("\n")
    return result, lines[0].split(" | ")[0], lines


def policy(text):
    return parse(text, "p.yaml")


# -- version strings ----------------------------------------------------------------------------
@pytest.mark.parametrize("text,key", [
    ("6.8.1", (6, 8, 1)),
    ("ncc-5.0.0", (5, 0, 0)),
    ("Nutanix 20230302.101026", (20230302, 101026)),
    ("el8.nutanix.20230302.101026", (20230302, 101026)),
    ("AHV 10.3", (10, 3)),
    ("pc.2024.3", (2024, 3)),
    ("pc7.5", (7, 5)),
    ("10", (10,)),
    ("none", None),
    (None, None),
])
def test_version_key(text, key):
    assert version_key(text) == key


def test_trains_compare_numbers_not_text():
    assert in_train((6, 10, 1), (6, 10)) and not in_train((6, 10, 1), (6, 1))
    assert version_key("6.10") > version_key("6.9.9")
    assert version_text("Nutanix 20220304.462") == "20220304.462"


@pytest.mark.parametrize("type_value,name,kind", [
    ("kKvm", "Nutanix 20230302.101026", "AHV"),
    ("AHV", "AHV 10.3", "AHV"),
    (None, "Nutanix 20190916.321", "AHV"),
    ("kVMware", "VMware ESXi 7.0.3", "ESXI"),
    (None, "VMware ESXi 8.0", "ESXI"),
    ("kHyperv", "Windows Server 2019", "HYPERV"),
    (None, None, None),
])
def test_hypervisor_kind(type_value, name, kind):
    assert hypervisor_kind(type_value, name) == kind


# -- the policy file ------------------------------------------------------------------------------
def test_example_policy_parses_and_says_it_is_an_example():
    example = version_policy.load(version_policy.EXAMPLE)
    assert example.example is True
    assert [t.name for t in example.trains["aos"]] == ["6.5", "6.8", "6.10", "7.0", "7.3"]
    assert example.train_of("aos", "6.10.1").name == "6.10"
    assert example.train_of("aos", "6.1.2") is None
    assert example.train_of("prism_central", "pc.2024.3").end_of_life == datetime.date(
        2030, 3, 31)
    assert example.allowed_ahv("7.0.1") == ("7.0", [((10,), "10")])


def test_longest_train_wins_and_unquoted_keys_stay_text():
    found = policy("aos:\n  6:\n    minimum: 6.5\n  6.10:\n    minimum: 6.10.1\n")
    assert found.train_of("aos", "6.10.2").name == "6.10"
    assert found.train_of("aos", "6.8").name == "6"
    assert found.trains["aos"][1].minimum == "6.10.1"


def test_a_train_may_be_listed_without_constraints():
    found = policy('ahv:\n  "20230302":\n')
    assert found.train_of("ahv", "20230302.101026").minimum is None


@pytest.mark.parametrize("text,message", [
    ("aos:\n  \"6.8\": {minimum: 6.8.1, minimum: 6.8.2}\n",
     "line 2 (aos.6.8): key 'minimum' appears twice"),
    ("aos: 6.8\n", "line 1 (aos): expected a mapping (key: value lines)"),
    ("compatible:\n  \"6.8\": [x]\n",
     "line 2 (compatible.6.8): 'x' is not a version (digits separated by dots)"),
    ("example: maybe\naos: {}\n", "line 1 (example): expected true or false, not 'maybe'"),
])
def test_policy_errors_name_key_and_line(text, message):
    with pytest.raises(PluginError) as caught:
        policy(text)
    assert str(caught.value) == "bad version policy p.yaml: " + message


# -- judgement ------------------------------------------------------------------------------------
def test_all_current_without_policy():
    result, first, lines = judge(model())
    assert result.state == State.OK
    assert first == "OK - PROD-A: AOS 6.8.1 LTS, AHV 20230302.101026 on all 4 hosts, NCC 5.0.0"
    assert "'hypervisor.versions.count'=1;1;;0" in lines[0]
    assert "(no --policy given: minimum versions, end of life and allowed AOS/AHV pairs not " \
           "checked)" in lines


def test_sts_and_unknown_lts():
    assert judge(model(lts=False))[1].startswith("OK - PROD-A: AOS 6.8.1 STS,")
    assert judge(model(lts=None))[1].startswith("OK - PROD-A: AOS 6.8.1 LTS/STS not reported,")


def test_hypervisor_drift_warns():
    ahv = ("Nutanix 20230302.101026",) * 3 + ("Nutanix 20220304.462",)
    result, first, lines = judge(model(ahv=ahv))
    assert result.state == State.WARNING
    assert first == ("WARNING - PROD-A: AHV versions differ: 20220304.462 on node-04, "
                     "20230302.101026 on node-01, node-02, node-03")
    assert "'hypervisor.versions.count'=2;1;;0" in lines[0]


def test_hypervisor_drift_during_upgrade_is_stated():
    ahv = ("AHV 10.0",) * 2 + ("Nutanix 20230302.101026",) * 6
    result, first, lines = judge(model(ahv=ahv, upgrading=True, target="7.0"))
    assert result.state == State.OK
    assert first == "OK - PROD-A: AOS 6.8.1 LTS, upgrade in progress to 7.0, 2 hypervisor " \
                    "versions, NCC 5.0.0"
    assert "[OK] AHV versions differ: 10.0 on node-01, node-02, 20230302.101026 on 6 hosts " \
           "(expected while the upgrade runs)" in lines
    # No warning range while the drift is expected: the perfdata agrees with the OK.
    assert "'hypervisor.versions.count'=2;;;0" in lines[0]


def test_mixed_hypervisors_are_named():
    hosts = [HostVersion("esx-1", "ESXI", "VMware ESXi 7.0.3"),
             HostVersion("ahv-1", "AHV", "Nutanix 20230302.101026")]
    versions = model()
    versions.hosts = hosts
    _, first, _ = judge(versions)
    assert first == ("WARNING - PROD-A: hypervisor versions differ: ESXi 7.0.3 on esx-1, AHV "
                     "20230302.101026 on ahv-1")


def test_no_hosts_is_unknown_not_ok():
    result, first, lines = judge(model(ahv=()))
    assert result.state == State.UNKNOWN
    assert first == ("UNKNOWN - PROD-A: Prism listed no hosts: hypervisor versions not "
                     "checked")
    assert "'hypervisor.versions.count'=U;1;;0" in lines[0]


def test_missing_versions_are_unknown():
    result, first, _ = judge(model(version=None, ncc=None,
                                   ahv=("Nutanix 20230302.101026", None)))
    assert result.state == State.UNKNOWN
    assert first == ("UNKNOWN - PROD-A: AOS version not reported by Prism; hypervisor version "
                     "not reported for node-02; NCC version not reported by Prism")


EOL_POLICY = '''aos:
  "6.8": {minimum: "6.8.1", end_of_life: %s}
ahv:
  "20230302": {minimum: "20230302.101026"}
ncc:
  "5": {}
'''


@pytest.mark.parametrize("eol,state,words,days", [
    ("2027-03-01", State.OK, None, 100),
    ("2027-02-19", State.WARNING, "reaches end of life on 2027-02-19, in 90 days", 90),
    ("2026-11-22", State.WARNING, "reaches end of life on 2026-11-22, in 1 day", 1),
    ("2026-11-21", State.WARNING, "reaches end of life on 2026-11-21, in 0 days", 0),
    ("2026-11-20", State.CRITICAL, "past end of life since 2026-11-20", -1),
])
def test_end_of_life_levels(eol, state, words, days):
    result, first, lines = judge(model(policy=policy(EOL_POLICY % eol)))
    assert result.state == state
    assert "'aos.eol.days'=%d;91:;0:" % days in lines[0]
    # The perfdata ranges say what the check says, at every boundary.
    metric = next(m for m in result.metrics if m.name == "aos.eol.days")
    assert Thresholds(metric.warning, metric.critical).evaluate(days) == state
    if words:
        assert first == "%s - PROD-A: AOS 6.8.1: release train 6.8 %s (policy)" % (
            state.name, words)
    else:
        assert first.endswith(", within the policy")
        assert "[OK] AOS 6.8.1: release train 6.8 supported until 2027-03-01 (policy)" in lines


def test_eol_warning_days_option():
    result, _, lines = judge(model(policy=policy(EOL_POLICY % "2027-02-19")),
                             eol_warning_days=30)
    assert result.state == State.OK
    assert "'aos.eol.days'=90;31:;0:" in lines[0]
    result, _, lines = judge(model(policy=policy(EOL_POLICY % "2026-12-21")),
                             eol_warning_days=30)
    assert result.state == State.WARNING  # exactly 30 days: WARNING, and so says the range
    assert "'aos.eol.days'=30;31:;0:" in lines[0]
    with pytest.raises(UsageError):
        judge(model(), eol_warning_days=-1)


def test_below_minimum_and_per_host_findings():
    ahv = ("Nutanix 20230302.101026",) * 3 + ("Nutanix 20230302.100187",)
    found = policy(EOL_POLICY % "2030-01-01")
    result, first, _ = judge(model(version="6.8.0.5", ahv=ahv, policy=found))
    assert result.state == State.WARNING
    assert first == ("WARNING - PROD-A: AHV versions differ: 20230302.100187 on node-04, "
                     "20230302.101026 on node-01, node-02, node-03; AOS 6.8.0.5 below the "
                     "minimum 6.8.1 (policy); AHV 20230302.100187 on node-04 below the minimum "
                     "20230302.101026 (policy)")


def test_unlisted_train_and_compatibility():
    found = policy('aos:\n  "6.10": {}\ncompatible:\n  "6.8": ["10", "20220304"]\n')
    _, first, lines = judge(model(policy=found))
    assert first == ("WARNING - PROD-A: AOS 6.8.1: release train not in the policy; AHV "
                     "20230302.101026 on all 4 hosts not allowed with AOS 6.8 (policy allows "
                     "10, 20220304)")
    assert "(the policy has no AHV, NCC section: not checked against it)" in lines
    found = policy('compatible:\n  "7.0": ["10"]\n')
    _, first, _ = judge(model(policy=found))
    assert first == ("WARNING - PROD-A: AOS 6.8.1: no allowed AHV release trains listed in the "
                     "policy (compatible)")


def test_example_policy_is_named_as_such():
    found = policy('example: true\naos:\n  "6.8": {end_of_life: 2026-01-01}\n')
    result, first, lines = judge(model(policy=found))
    assert result.state == State.CRITICAL
    assert first == ("CRITICAL - PROD-A: AOS 6.8.1: release train 6.8 past end of life since "
                     "2026-01-01 (EXAMPLE policy)")
    assert "(p.yaml is marked as an EXAMPLE (example: true): its dates, minimums and pairs are " \
           "made up, not Nutanix facts; write your own policy)" in lines


def test_prism_central_version_is_judged():
    found = policy('prism_central:\n  "pc.2024.3": {end_of_life: 2026-12-01}\n')
    result, first, lines = judge(model(pc="pc.2024.3", policy=found))
    assert result.state == State.WARNING
    assert first == ("WARNING - PROD-A: Prism Central pc.2024.3: release train pc.2024.3 "
                     "reaches end of life on 2026-12-01, in 10 days (policy)")
    assert "'prism_central.eol.days'=10;91:;0:" in lines[0]
