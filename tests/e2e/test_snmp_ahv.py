"""`snmp-ahv` against each AHV host's own agent (127.0.0.2 is node-01, ...), both backends."""

import pytest
from conftest import SNMP_BACKENDS

HOST_CASES = [
    ("healthy", "node-01", [], 0,
     "OK - node-01: 4 of 4 processes running, load 0.15 per CPU, CPU 13%, memory 43% used",
     ["'node-01#processes.missing.count'=0;;0;0", "'node-01#load.per.cpu'=0.155;2;4;0",
      "'node-01#load.5min'=9.91;;;0", "'node-01#cpu.count'=64;;;0",
      "'node-01#cpu.utilization.percentage'=13%;80;90;0;100",
      "'node-01#memory.utilization.percentage'=43.1%;85;95;0;100",
      "'node-01#memory.used.bytes'=236954651648B;;;0;549755813888"]),
    ("snmp-host-trouble", "node-02", [], 2, "CRITICAL - node-02: ovs-vswitchd not running",
     ["'node-02#processes.missing.count'=1;;0;0"]),
    ("snmp-host-trouble", "node-04", [], 2, "CRITICAL - node-04: load 6.0 per CPU; CPU 97%",
     ["'node-04#load.per.cpu'=6;2;4;0", "'node-04#load.1min'=403.2;;;0"]),
    ("snmp-host-trouble", "node-04", ["--load-period", "1", "-w", "7", "-c", "8",
                                      "--warning-cpu", "98", "--critical-cpu", "99"], 0,
     "OK - node-04: 4 of 4 processes running, load 6.30 per CPU, CPU 97%, memory 45% used",
     ["'node-04#load.per.cpu'=6.3;7;8;0"]),
    ("snmp-host-trouble", "node-02", ["--processes", "libvirtd,sshd"], 0,
     "OK - node-02: 2 of 2 processes running, load 0.19 per CPU, CPU 16%, memory 43% used",
     []),
    ("snmp-host-trouble", "node-02", ["--processes", "libvirtd", "--processes", "frobd"], 2,
     "CRITICAL - node-02: frobd not running", []),
    ("healthy", "node-03", ["--warning-memory", "40"], 1,
     "WARNING - node-03: memory 43% used", []),
    # The host agent's process name is INFERRED: missing from the default list, a WARNING that
    # says so (not counted as a missing required process)...
    ("snmp-host-trouble", "node-03", [], 1,
     "WARNING - node-03: ahv-host-agent not running (process name INFERRED; adjust "
     "--processes)", ["'node-03#processes.missing.count'=0;;0;0"]),
    # ... named in --processes, it is required like any other.
    ("snmp-host-trouble", "node-03", ["--processes", "libvirtd,ahv-host-agent"], 2,
     "CRITICAL - node-03: ahv-host-agent not running",
     ["'node-03#processes.missing.count'=1;;0;0"]),
]


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
@pytest.mark.parametrize("scenario,node,args,code,first,perf", HOST_CASES,
                         ids=["%s-%s%s" % (c[0], c[1], "".join(c[2])) for c in HOST_CASES])
def test_host(snmp_agents, run_snmp_check, backend, scenario, node, args, code, first, perf):
    run = run_snmp_check(snmp_agents(scenario), *args, check="snmp-ahv", node=node,
                         backend=backend)
    run.expect(code, first, perf)


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_v3(snmp_agents, run_snmp_check, backend):
    run = run_snmp_check(snmp_agents("snmp-host-trouble"), check="snmp-ahv", node="node-02",
                         backend=backend, version="3", user="monitor")
    assert (run.code, run.summary) == (2, "CRITICAL - node-02: ovs-vswitchd not running"), run
    assert "[CRITICAL] ovs-vswitchd not running (not in hrSWRunTable)" in run.lines


def test_long_output(snmp_agents, run_snmp_check):
    run = run_snmp_check(snmp_agents("snmp-host-trouble"), check="snmp-ahv", node="node-04")
    assert run.lines[1:] == [
        "[CRITICAL] load 6.00 per CPU (5-minute load 384.00 on 64 CPUs)",
        "[CRITICAL] CPU 97% (average hrProcessorLoad of 64 CPUs)",
        "[OK] running: libvirtd, ovs-vswitchd, ovsdb-server, ahv-host-agent",
        "[OK] memory 45.2% used (231.2 GiB of 512.0 GiB; available counts buffers and cache)",
    ], run


def test_cvm_agent_is_not_a_host_agent(snmp_agents, run_snmp_check):
    agents = snmp_agents("healthy")
    run = run_snmp_check(agents, check="snmp-ahv")
    assert (run.code, run.summary) == (3, (
        "UNKNOWN - SNMP agent 127.0.0.1:%d (SNMP v2c): hrSWRunTable (1.3.6.1.2.1.25.4.2) is "
        "empty: is -H the AHV host, with an agent serving HOST-RESOURCES-MIB and UCD-SNMP-MIB?"
        % agents.port)), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_host_agent_defaults_to_v2c(snmp_agents, run_snmp_check, backend):
    """net-snmp's stock snmpd answers a community: snmp-ahv keeps v2c as its default (the
    NUTANIX-MIB checks default to v3)."""
    run = run_snmp_check(snmp_agents("healthy"), "-C", "public", check="snmp-ahv",
                         node="node-01", backend=backend, credentials=False)
    assert (run.code, run.summary) == (0, (
        "OK - node-01: 4 of 4 processes running, load 0.15 per CPU, CPU 13%, memory 43% "
        "used")), run
