"""`snmp-cluster` against snmpsim serving the scenario's NUTANIX-MIB view, both backends."""

import re
import time

import pytest
from conftest import SNMP_BACKENDS, closed_port

HEALTHY = ("OK - PROD-A: started, storage 22.2 % used (18.6 TiB of 83.8 TiB), 438 IOPS, "
           "latency 1.2 ms, AOS 6.8.1")
# The space metrics are the Prism storage check's (cluster.space.*), in its order.
HEALTHY_PERF = ["'cluster.space.usage.bytes'=20444497724205B;;;0;92178143576064",
                "'cluster.space.capacity.bytes'=92178143576064B;;;0",
                "'cluster.space.usage.percentage'=22.18%;80;90;0;100",
                "'io.latency.microseconds'=1246us;;;0", "'io.operations.persecond'=438;;;0",
                "'io.bandwidth.kilobytes.persecond'=33307;;;0"]
V2C_HINT = ("check that the agent runs, that UDP port %d is open to this poller, and the "
            "community (an agent does not answer a wrong community); the Nutanix agent may "
            "answer SNMP v3 only (--snmp-version 3)")


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
@pytest.mark.parametrize("version,user", [("2c", None), ("3", "monitor"),
                                          ("3", "monitor-strong"), ("3", "monitor-md5"),
                                          ("3", "monitor-auth")])
def test_healthy(snmp_agents, run_snmp_check, backend, version, user):
    run = run_snmp_check(snmp_agents("healthy"), backend=backend, version=version,
                         user=user or "monitor")
    assert (run.code, run.summary) == (0, HEALTHY), run
    assert run.perfdata.split(" ") == HEALTHY_PERF, run
    assert "[OK] cluster status started" in run.lines


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_thresholds_turn_usage_critical(snmp_agents, run_snmp_check, backend):
    run = run_snmp_check(snmp_agents("healthy"), "-w", "15", "-c", "20", backend=backend)
    assert (run.code, run.summary) == (2, "CRITICAL - PROD-A: storage 22.2 % used"), run
    assert "'cluster.space.usage.percentage'=22.18%;15;20;0;100" in run.perfdata


def test_large_cluster(snmp_agents, run_snmp_check):
    run = run_snmp_check(snmp_agents("large"))
    assert run.code == 0, run
    assert run.summary.startswith("OK - LARGE-01: started, storage "), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
# "run" is a short plain word: masking the secret must not garble "runs" in the message.
@pytest.mark.parametrize("community", ["not-public", "run"])
def test_wrong_community_times_out_naming_agent(snmp_agents, run_snmp_check, backend,
                                                community):
    agents = snmp_agents("healthy")
    run = run_snmp_check(agents, "--snmp-version", "2c", "-C", community, "--snmp-timeout",
                         "0.5", "--snmp-retries", "0", credentials=False, backend=backend)
    assert run.code == 3, run
    assert run.summary == (
        "UNKNOWN - no answer from SNMP agent 127.0.0.1:%d (SNMP v2c) for the cluster scalars "
        "(NUTANIX-MIB .501-.508) within 0.5s (1 try): " % agents.port
        + V2C_HINT % agents.port), run
    assert not re.search(r"(?<![\w-])%s(?![\w-])" % community, run.stdout), run


@pytest.mark.parametrize("backend,detail", [
    ("easysnmp", "wrong authentication password or protocol (Net-SNMP: Authentication failure "
                 "(incorrect password, community or key))"),
    ("pysnmp", "wrong authentication password or protocol (usmStatsWrongDigests)")])
def test_v3_wrong_password(snmp_agents, run_snmp_check, backend, detail):
    agents = snmp_agents("healthy")
    run = run_snmp_check(agents, "--snmp-version", "3", "--snmp-user", "monitor",
                         "--auth-password", "not-the-password", "--priv-password",
                         "monitor-priv-4u", credentials=False, backend=backend)
    assert (run.code, run.summary) == (3, (
        "UNKNOWN - SNMP agent 127.0.0.1:%d (SNMP v3 user monitor, authPriv) refused the v3 "
        "credentials asking for the cluster scalars (NUTANIX-MIB .501-.508): %s"
        % (agents.port, detail))), run
    assert "not-the-password" not in run.stdout and "monitor-priv-4u" not in run.stdout


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_v3_unknown_user(snmp_agents, run_snmp_check, backend):
    agents = snmp_agents("healthy")
    run = run_snmp_check(agents, "--snmp-version", "3", "--snmp-user", "nobody",
                         "--auth-password", "whatever-auth", credentials=False, backend=backend)
    assert run.code == 3, run
    assert run.summary.startswith(
        "UNKNOWN - SNMP agent 127.0.0.1:%d (SNMP v3 user nobody, authNoPriv) refused the v3 "
        "credentials asking for the cluster scalars (NUTANIX-MIB .501-.508): unknown user"
        % agents.port), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_agent_without_nutanix_mib(snmp_agents, run_snmp_check, backend):
    agents = snmp_agents("healthy")
    host = agents.host_address("node-01")
    run = run_snmp_check(agents, host=host, backend=backend)
    assert (run.code, run.summary) == (3, (
        "UNKNOWN - SNMP agent %s:%d (SNMP v2c) does not serve the cluster scalars (NUTANIX-MIB "
        ".501-.508) (noSuchObject for 1.3.6.1.4.1.41263.501.0): is -H a CVM or the cluster VIP "
        "with SNMP enabled in Prism?" % (host, agents.port))), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
@pytest.mark.parametrize("version,label", [
    ("2c", "SNMP v2c"), ("3", "SNMP v3 user monitor, authPriv")])
def test_nothing_listening(snmp_agents, run_snmp_check, backend, version, label):
    agents = snmp_agents("healthy")
    port = closed_port()
    run = run_snmp_check(agents, "--snmp-port", str(port), "--snmp-timeout", "0.3",
                         "--snmp-retries", "1", "-t", "5", backend=backend, version=version)
    assert run.code == 3, run
    assert run.summary.startswith(
        "UNKNOWN - no answer from SNMP agent 127.0.0.1:%d (%s) for the cluster scalars "
        "(NUTANIX-MIB .501-.508) within 0.3s (2 tries): check that the agent runs" % (
            port, label)), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_time_budget_caps_the_request_timeout(snmp_agents, run_snmp_check, backend):
    """-t 1 with 2 tries: each try gets what is left minus a margin (0.2 s), halved, so the
    run reports within -t (plus the interpreter's start, outside the budget)."""
    agents = snmp_agents("healthy")
    started = time.monotonic()
    run = run_snmp_check(agents, "--snmp-version", "2c", "-C", "not-public", "-t", "1",
                         "--snmp-retries", "1", credentials=False, backend=backend)
    elapsed = time.monotonic() - started
    assert run.code == 3, run
    assert re.search(r"within 0\.[234]s \(2 tries\)", run.summary), run
    assert elapsed < 1.4, (elapsed, run)


@pytest.mark.parametrize("args,message", [
    # v3 is the default: Prism sets up v3 users for the Nutanix agent.
    ([], "UNKNOWN - SNMP v3 needs --snmp-user (or snmp_user in the auth file); the Nutanix "
         "agent serves v3 users configured in Prism"),
    (["-C", "public"], "UNKNOWN - SNMP v3 needs --snmp-user (or snmp_user in the auth file); "
                       "the Nutanix agent serves v3 users configured in Prism; a community "
                       "(-C) needs --snmp-version 2c"),
    (["--snmp-version", "2c"], "UNKNOWN - SNMP v2c needs a community: -C/--community, "
                               "'community = ...' in --auth-file, or NUTANIX_SNMP_COMMUNITY"),
    (["--snmp-version", "1", "-C", "public"],
     "UNKNOWN - SNMP v1 is not supported: NUTANIX-MIB serves Counter64 "
     "values, which v1 cannot carry; use --snmp-version 2c or 3"),
    (["--snmp-version", "3"], "UNKNOWN - SNMP v3 needs --snmp-user (or snmp_user in the auth "
                              "file); the Nutanix agent serves v3 users configured in Prism"),
    (["--snmp-version", "3", "--snmp-user", "u", "--auth-password", "short"],
     "UNKNOWN - --auth-password must have at least 8 characters (SNMP v3 "
     "USM rule)"),
    (["--snmp-version", "3", "--snmp-user", "u", "--security-level", "authPriv",
      "--auth-password", "long-enough"],
     "UNKNOWN - security level authPriv needs --priv-password (or in "
     "--auth-file)"),
    (["--snmp-version", "2c", "-C", "public", "--auth-protocol", "SHA-1024"],
     "UNKNOWN - bad command line: argument --auth-protocol: invalid choice: 'SHA-1024' (choose "
     "from 'MD5', 'SHA', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512') (see --help)"),
])
def test_bad_input(snmp_agents, run_snmp_check, args, message):
    run = run_snmp_check(snmp_agents("healthy"), *args, credentials=False)
    assert (run.code, run.summary) == (3, message), run


def test_secrets_from_auth_file_and_environment(snmp_agents, run_snmp_check, tmp_path):
    agents = snmp_agents("healthy")
    auth = tmp_path / "snmp.auth"
    auth.write_text("snmp_user = monitor\nauth_password = monitor-auth-4u\n"
                    "priv_password = monitor-priv-4u\n")
    auth.chmod(0o600)
    run = run_snmp_check(agents, "--auth-file", str(auth), credentials=False)  # v3: default
    assert (run.code, run.summary) == (0, HEALTHY), run
    run = run_snmp_check(agents, "--snmp-version", "2c", credentials=False,
                         env={"NUTANIX_SNMP_COMMUNITY": "public"})
    assert (run.code, run.summary) == (0, HEALTHY), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_community_from_auth_file(snmp_agents, run_snmp_check, tmp_path, backend):
    agents = snmp_agents("healthy")
    auth = tmp_path / "snmp.auth"
    auth.write_text("# v2c\ncommunity = public\n")
    auth.chmod(0o600)
    run = run_snmp_check(agents, "--snmp-version", "2c", "--auth-file", str(auth),
                         credentials=False, backend=backend)
    assert (run.code, run.summary) == (0, HEALTHY), run
    auth.write_text("community = not-public\n")
    run = run_snmp_check(agents, "--snmp-version", "2c", "--auth-file", str(auth),
                         "--snmp-timeout", "0.3", "--snmp-retries", "0", credentials=False,
                         backend=backend)
    assert run.code == 3 and "no answer from SNMP agent" in run.summary, run
    assert "not-public" not in run.stdout, run


def test_verbose_names_the_backend(snmp_agents, run_snmp_check):
    run = run_snmp_check(snmp_agents("healthy"), "-v", backend="pysnmp")
    assert "note: SNMP backend pysnmp" in run.lines, run
