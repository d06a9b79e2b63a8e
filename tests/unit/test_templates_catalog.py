"""What generated configuration reads from the check declarations (config/catalog.py)."""

import os
import re

import pytest

from nagios_nutanix.checks import all_specs, names
from nagios_nutanix.checks.spec import CheckSpec, Option
from nagios_nutanix.config import catalog
from nagios_nutanix.config.docs import runbook
from nagios_nutanix.plugin.options import build_parser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def flags_of(spec):
    return {flag for action in build_parser(spec, "x")._actions
            for flag in action.option_strings}


@pytest.mark.parametrize("name", names())
def test_every_flag_a_command_line_uses_exists_in_the_check(name):
    check = catalog.Check([s for s in all_specs() if s.name == name][0])
    flags = flags_of(check.spec)
    for macro in check.host_macros + check.service_macros:
        if macro.flag and not macro.raw:
            assert macro.flag in flags, (name, macro.name, macro.flag)
    for flag in re.findall(r"(--[a-z-]+)=", check.command_arguments()):
        assert flag in flags, (name, flag)


@pytest.mark.parametrize("name", names())
def test_every_option_with_a_macro_becomes_one(name):
    spec = [s for s in all_specs() if s.name == name][0]
    check = catalog.Check(spec)
    macros = {m.name for m in check.host_macros + check.service_macros}
    for option in spec.options:
        if option.macro:
            assert option.macro in macros
    if spec.main_metric:
        assert {"WARNING", "CRITICAL"} <= macros
    assert "EXTRAOPTIONS" in macros


@pytest.mark.parametrize("name", names())
def test_notes_url_anchor_is_a_heading_of_the_generated_runbook(name):
    check = catalog.Check([s for s in all_specs() if s.name == name][0])
    headings = [line[3:] for line in runbook(all_specs()).splitlines()
                if line.startswith("## ")]
    assert check.anchor in [catalog.anchor(h) for h in headings]
    with open(os.path.join(ROOT, "docs", "runbook.md"), encoding="utf-8") as handle:
        assert "\n## %s\n" % check.name in handle.read()


@pytest.mark.parametrize("heading,anchor", [
    ("cluster", "cluster"), ("snmp-cluster", "snmp-cluster"), ("Cluster Health", "cluster-health"),
    ("a: b.c", "a-bc"), ("snmp_ahv", "snmp_ahv"),
])
def test_anchor_follows_github_rules(heading, anchor):
    assert catalog.anchor(heading) == anchor


def spec(**changes):
    base = dict(name="x", title="t", description="d", scope="node", sources=("prism-element",),
                options=(), metrics=(), alerts=(), collect=None, evaluate=None)
    base.update(changes)
    return CheckSpec(**base)


def test_filtername_is_a_host_macro_and_other_option_macros_are_service_macros():
    from nagios_nutanix.nodes import FILTER_OPTIONS

    check = catalog.Check(spec(options=FILTER_OPTIONS + (
        Option(("--warning-cpu",), "warning for CPU (default %(default)s)", "80", "range",
               macro="WARNINGCPU"),
        Option(("--everything",), "flag", type="flag", macro="EVERYTHING"),
        Option(("--unmacroed",), "no macro"))))
    assert [m.name for m in check.host_macros][-2:] == ["FILTERNAME", "FILTERNAME_REGEX"]
    assert [m.name for m in check.service_macros] == ["WARNINGCPU", "EVERYTHING", "EXTRAOPTIONS"]
    assert check.service_macros[0].description == "warning for CPU (default 80)"
    assert check.service_macros[0].default == "80"
    assert check.command_arguments() == (
        "--hostname='$_HOSTNTNX_PRISM$' --port='$_HOSTNTNX_PORT$' "
        "--auth-file='$_HOSTNTNX_AUTH_FILE$' --username='$_HOSTNTNX_USERNAME$' "
        "--password='$_HOSTNTNX_PASSWORD$' --cluster='$_HOSTNTNX_CLUSTER$' "
        "--ca-file='$_HOSTNTNX_CA_FILE$' --filter-name='$_HOSTFILTERNAME$' "
        "--filter-name-regex='$_HOSTFILTERNAME_REGEX$' --warning-cpu='$_SERVICEWARNINGCPU$' "
        "$_HOSTNTNX_EXTRAOPTIONS$ $_SERVICEEVERYTHING$ $_SERVICEEXTRAOPTIONS$")


def test_main_metric_gives_warning_and_critical_with_the_declared_defaults():
    check = catalog.Check(spec(scope="cluster", main_metric="m", default_warning="0",
                               default_critical=None))
    assert [(m.name, m.flag, m.default) for m in check.service_macros] == [
        ("WARNING", "--warning", "0"), ("CRITICAL", "--critical", ""),
        ("EXTRAOPTIONS", None, "")]


def test_names_of_a_check():
    check = catalog.Check(spec(name="snmp-cluster"))
    assert (check.command, check.service, check.words) == (
        "check_nutanix_snmp-cluster", "Nutanix-Snmp-Cluster", "Snmp-Cluster")
    assert catalog.title_words("HOST-RESOURCES-MIB") == "Host-Resources-Mib"
    assert catalog.title_words("prism_element") == "Prism-Element"


def test_filtername_on_a_host_always_means_a_node():
    """A cluster host runs cluster checks that filter alerts by node (alerts, ncc) next to
    checks that filter containers or pools: those take their filter from a service macro, so
    picking a container never filters the alerts down to a node that does not exist."""
    by_host = {c.name for c in catalog.checks()
               if "$_HOSTFILTERNAME$" in c.command_arguments()}
    assert by_host == {n for n in ("ahv", "alerts", "cvm", "disks", "migrations", "ncc",
                                   "snmp-cvm", "snmp-disks", "snmp-nodes") if n in names()}
    own = {c.name: c.command_arguments() for c in catalog.checks()}
    if "snmp-containers" in own:
        assert "--filter-name='$_SERVICEFILTERCONTAINER$' " \
               "--filter-name-regex='$_SERVICEFILTERCONTAINER_REGEX$'" in own["snmp-containers"]
    if "snmp-pools" in own:
        assert "--filter-name='$_SERVICEFILTERPOOL$'" in own["snmp-pools"]


def test_secret_options_are_passed_by_environment_where_configuration_can():
    check = catalog.Check(spec())
    secret = {a.flag: a.secret for a in check.arguments() if a.secret}
    assert secret == {"--password": "NUTANIX_PASSWORD"}
    snmp = catalog.Check(spec(protocol="snmp", sources=("NUTANIX-MIB",)))
    assert {a.flag: a.secret for a in snmp.arguments() if a.secret} == {
        "--community": "NUTANIX_SNMP_COMMUNITY",
        "--auth-password": "NUTANIX_SNMP_AUTH_PASSWORD",
        "--priv-password": "NUTANIX_SNMP_PRIV_PASSWORD"}


def test_the_thresholds_of_each_metric_come_from_its_declaration():
    from nagios_nutanix.checks.spec import MetricSpec, threshold_options

    check = catalog.Check(spec(
        scope="cluster", main_metric="pool.usage.percentage", default_warning="80",
        default_critical="90",
        options=threshold_options("cpu", "CPU", " in percent", "85", "95")
        + threshold_options("latency", "latency")
        + threshold_options("iops", "IOPS", "", "1000", "2000") + (
            Option(("--container-warning",), "w", type="range"),
            Option(("--container-critical",), "c", type="range"),
            Option(("--planning",), "planning", 70, "float"),
            Option(("--resilient-warning",), "r", "100", "range")),
        metrics=(
            MetricSpec("pool.usage.percentage", "%", "pool usage; -w/-c apply"),
            MetricSpec("cpu.percentage", "%", "CPU; --warning-cpu/--critical-cpu apply"),
            MetricSpec("latency.us", "us", "latency; --warning-latency/--critical-latency"),
            MetricSpec("container.usage.percentage", "%", "container usage; "
                       "--container-warning/--container-critical (default -w/-c) apply"),
            MetricSpec("resilient.percentage", "%", "--resilient-warning applies"),
            MetricSpec("iops", "", "IOPS (no link declared)"))))
    assert check.levels() == {
        "pool.usage.percentage": catalog.Levels("80", "90", 70),
        "cpu.percentage": catalog.Levels("85", "95"),
        "container.usage.percentage": catalog.Levels("80", "90", 70),
        "resilient.percentage": catalog.Levels("100", None)}
    # latency: linked but without a default; iops: a pair no metric names.
    assert check.unlinked_thresholds() == ["--warning-iops", "--critical-iops"]


def test_icinga_arguments_come_from_the_real_command_line():
    from nagios_nutanix.nodes import FILTER_OPTIONS

    check = catalog.Check(spec(options=FILTER_OPTIONS + (
        Option(("--services",), "services to check", type="list", metavar="NAME"),)))
    arguments = {a.flag: a for a in check.arguments()}
    assert "--output" not in arguments and "--help" not in arguments
    assert arguments["--hostname"].required
    assert arguments["--insecure"].is_flag
    assert arguments["--services"].repeat
    assert arguments["--port"].description == "Prism HTTPS port (default 9440)"
    assert arguments["--filter-name"].variable == "nutanix_filter_name"


def test_macro_defaults_are_text():
    assert catalog.macro_default(None) == ""
    assert catalog.macro_default(70.0) == "70"
    assert catalog.macro_default(0.8) == "0.8"
    assert catalog.macro_default("auto") == "auto"
