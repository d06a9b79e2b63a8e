"""The NUTANIX-MIB checks (snmp-nodes, snmp-cvm, snmp-disks, snmp-containers, snmp-pools)
against snmpsim serving each scenario, with both backends: exit code, exact first line,
perfdata."""

import pytest
from conftest import SNMP_BACKENDS

C_CVM = "NTNX-21FM5B310061-C-CVM"

CASES = [
    # scenario, check, args, exit code, first line (before " | "), perfdata items
    ("healthy", "snmp-nodes", [], 0,
     "OK - PROD-A: 4 nodes, CPU 11-16%, memory 43-45%, 36 VMs",
     ["'node-03#cpu.utilization.percentage'=14%;80;90;0;100",
      "'node-03#memory.utilization.percentage'=43%;85;95;0;100", "'node-03#vms.count'=9;;;0",
      "'node-03#io.latency.microseconds'=1498us;;;0",
      "'node-03#network.receive.drops.count'=0c;;;0"]),
    ("healthy", "snmp-nodes", ["--filter-name", "NODE-03"], 0,
     "OK - PROD-A/node-03: CPU 14%, memory 43%, 9 VMs, IO latency 1.5 ms",
     ["'node-03#cpu.utilization.percentage'=14%;80;90;0;100"]),
    ("healthy", "snmp-nodes", ["--filter-name-regex", "node-0[12]"], 0,
     "OK - PROD-A: 2 nodes, CPU 13-16%, memory 43%, 18 VMs",
     ["'node-02#vms.count'=9;;;0"]),
    ("healthy", "snmp-nodes", ["--filter-name", "node-3"], 3,
     "UNKNOWN - no node of cluster PROD-A (hypervisorInformationTable) matches --filter-name "
     "'node-3'; it has 4: node-01, node-02, node-03, node-04", []),
    ("healthy", "snmp-nodes", ["-w", "10", "-c", "15"], 2,
     "CRITICAL - PROD-A: 4 of 4 nodes in trouble: node-02 (CPU 16%), node-01 (CPU 13%), "
     "node-03 (CPU 14%), node-04 (CPU 11%)",
     ["'node-02#cpu.utilization.percentage'=16%;10;15;0;100"]),
    ("snmp-host-trouble", "snmp-nodes", [], 2,
     "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-04 (CPU 97%)",
     ["'node-04#cpu.utilization.percentage'=97%;80;90;0;100"]),
    ("large", "snmp-nodes", [], 0,
     "OK - LARGE-01: 16 nodes, CPU 11-16%, memory 42-46%, 356 VMs",
     ["'node-16#vms.count'=22;;;0"]),

    ("healthy", "snmp-cvm", [], 0, "OK - PROD-A: 4 of 4 CVMs up, data and metadata services up",
     ["'%s#cvm.services.down.count'=0;;0;0" % C_CVM]),
    ("healthy", "snmp-cvm", ["--filter-name", "node-03"], 0,
     "OK - PROD-A/node-03: CVM %s Up, data and metadata services Up" % C_CVM,
     ["'%s#cvm.services.down.count'=0;;0;0" % C_CVM]),
    ("healthy", "snmp-cvm", ["--filter-name", C_CVM.lower()], 0,
     "OK - PROD-A/%s: CVM Up, data and metadata services Up" % C_CVM, []),
    ("healthy", "snmp-cvm", ["--filter-name", "6"], 0,
     "OK - PROD-A/%s: CVM Up, data and metadata services Up" % C_CVM, []),
    ("healthy", "snmp-cvm", ["--filter-name-regex", "node-0"], 3,
     "UNKNOWN - no CVM of cluster PROD-A (controllerVMResourceTable) matches "
     "--filter-name-regex 'node-0'; it has 4: NTNX-21FM5B310061-A-CVM, "
     "NTNX-21FM5B310061-B-CVM, NTNX-21FM5B310061-C-CVM, NTNX-21FM5B310061-D-CVM", []),
    ("node-down", "snmp-cvm", [], 2,
     "CRITICAL - PROD-A: 1 of 4 CVMs in trouble: %s (CVM Down, data services Down, metadata "
     "services Down)" % C_CVM, ["'%s#cvm.services.down.count'=3;;0;0" % C_CVM]),
    ("snmp-cvm-down", "snmp-cvm", [], 2,
     "CRITICAL - PROD-A: 1 of 4 CVMs in trouble: %s (host node-03: data services Down, "
     "Stargate DOWN)" % C_CVM, ["'%s#cvm.services.down.count'=2;;0;0" % C_CVM]),
    ("snmp-cvm-down", "snmp-cvm", ["--filter-name", "node-03"], 2,
     "CRITICAL - PROD-A/node-03: data services Down; Stargate DOWN",
     ["'%s#cvm.services.down.count'=2;;0;0" % C_CVM]),
    # Picked by its CVM name, a CVM in trouble is still reported under its node.
    ("snmp-cvm-down", "snmp-cvm", ["--filter-name", C_CVM], 2,
     "CRITICAL - PROD-A/node-03: data services Down; Stargate DOWN",
     ["'%s#cvm.services.down.count'=2;;0;0" % C_CVM]),
    ("snmp-cvm-down", "snmp-cvm", ["--filter-name", "node-01"], 0,
     "OK - PROD-A/node-01: CVM NTNX-21FM5B310061-A-CVM Up, data and metadata services Up",
     []),
    ("snmp-storage", "snmp-cvm", ["--filter-name", "node-02"], 0,
     "OK - PROD-A/node-02: CVM NTNX-21FM5B310061-B-CVM Up, data and metadata services Up",
     []),
    ("snmp-old-agent", "snmp-cvm", [], 3,
     "UNKNOWN - PROD-A: 1 of 4 CVMs in trouble: NTNX-21FM5B310061-B-CVM (CVM 'Maintenance')",
     []),
    ("snmp-old-agent", "snmp-cvm", ["--filter-name", "node-03"], 3,
     "UNKNOWN - no CVM of cluster PROD-A (controllerVMResourceTable) (host names unknown: the "
     "agent's VM table names no CVM) matches --filter-name 'node-03'; it has 4: "
     "NTNX-21FM5B310061-A-CVM, NTNX-21FM5B310061-B-CVM, NTNX-21FM5B310061-C-CVM, "
     "NTNX-21FM5B310061-D-CVM", []),
    ("large", "snmp-cvm", ["--filter-name", "node-12"], 0,
     "OK - LARGE-01/node-12: CVM NTNX-21FM6C410003-D-CVM Up, data and metadata services Up",
     []),

    ("healthy", "snmp-disks", [], 0, "OK - PROD-A: 24 of 24 disks online on 4 CVMs",
     ["'%s#disks.online.count'=6;;;0;6" % C_CVM, "'%s#disks.offline.count'=0;;0;0;6" % C_CVM,
      "'%s#disk.usage.max.percentage'=23.53%%;;;0;100" % C_CVM]),
    ("healthy", "snmp-disks", ["--filter-name", "node-03"], 0,
     "OK - PROD-A/node-03: 6 of 6 disks online, 20-24 % used",
     ["'%s~1301#disk.usage.percentage'=22.56%%;;;0;100" % C_CVM,
      "'%s~1301#disk.io.latency.microseconds'=483us;;;0" % C_CVM,
      "'%s~1301#disk.io.operations.persecond'=68;;;0" % C_CVM]),
    ("disk-offline", "snmp-disks", [], 2,
     "CRITICAL - PROD-A: 1 of 4 CVMs in trouble: NTNX-21FM5B310061-B-CVM (host node-02: disk "
     "1203 offline)", ["'NTNX-21FM5B310061-B-CVM#disks.offline.count'=1;;0;0;6"]),
    ("disk-offline", "snmp-disks", ["--filter-name", "node-02"], 2,
     "CRITICAL - PROD-A/node-02: disk 1203 offline",
     ["'NTNX-21FM5B310061-B-CVM~1203#disk.usage.percentage'=20.05%;;;0;100"]),
    # 4 CVMs: the disk on an unknown CVM id is checked, but not counted as a CVM.
    ("snmp-storage", "snmp-disks", [], 2,
     "CRITICAL - PROD-A: 1 of 4 CVMs in trouble: NTNX-21FM5B310061-A-CVM (host node-01: disk "
     "1103 offline)",
     ["'NTNX-21FM5B310061-A-CVM#disks.offline.count'=1;;0;0;6",
      "'unplaced#disks.online.count'=1;;;0;1", "'unplaced#disks.offline.count'=0;;0;0;1"]),
    ("snmp-storage", "snmp-disks", ["--filter-name", "node-02"], 0,
     "OK - PROD-A/node-02: 6 of 6 disks online, 89-92 % used",
     ["'NTNX-21FM5B310061-B-CVM~1201#disk.usage.percentage'=92.47%;;;0;100"]),
    ("snmp-storage", "snmp-disks", ["--filter-name", "99"], 0,
     "OK - PROD-A/CVM id 99 (in no CVM table): 1 of 1 disks online, 89 % used",
     ["'unplaced~1406#disk.usage.percentage'=89.38%;;;0;100"]),
    # node-04's disks vanished from diskStatusTable: its CVM is UNKNOWN, not left out.
    ("snmp-old-agent", "snmp-disks", [], 3,
     "UNKNOWN - PROD-A: 1 of 4 CVMs in trouble: NTNX-21FM5B310061-D-CVM (no disks listed)",
     ["'NTNX-21FM5B310061-D-CVM#disks.online.count'=0;;;0;0"]),
    ("snmp-old-agent", "snmp-disks", ["--filter-name", "NTNX-21FM5B310061-D-CVM"], 3,
     "UNKNOWN - PROD-A/NTNX-21FM5B310061-D-CVM: no disks listed",
     ["'NTNX-21FM5B310061-D-CVM#disks.online.count'=0;;;0;0"]),
    ("large", "snmp-disks", [], 0, "OK - LARGE-01: 160 of 160 disks online on 16 CVMs", []),

    ("healthy", "snmp-containers", [], 0, "OK - PROD-A: 3 containers, the fullest 18.5 % used",
     ["'PROD-VMS#container.space.usage.percentage'=18.48%;80;90;0;100",
      "'PROD-VMS#container.space.usage.bytes'=17037081436837B;;;0;92178143576064",
      "'PROD-VMS#container.space.capacity.bytes'=92178143576064B;;;0",
      "'PROD-VMS#io.latency.microseconds'=1357us;;;0",
      "'PROD-VMS#io.operations.persecond'=58;;;0"]),
    ("healthy", "snmp-containers", ["--filter-name", "prod-vms"], 0,
     "OK - PROD-A/PROD-VMS: 18.5 % used", []),
    ("healthy", "snmp-containers", ["--filter-name", "node-02"], 3,
     "UNKNOWN - no container of cluster PROD-A (containerInformationTable) matches "
     "--filter-name 'node-02'; it has 3: NutanixManagementShare, PROD-VMS, "
     "default-container-62635419953366", []),
    ("snmp-storage", "snmp-containers", [], 0,
     "OK - PROD-A: 3 containers, the fullest 76.0 % used", []),
    ("snmp-storage", "snmp-containers", ["-w", "70"], 1,
     "WARNING - PROD-A: 1 of 3 containers in trouble: PROD-VMS (76.0 % used)",
     ["'PROD-VMS#container.space.usage.percentage'=75.98%;70;90;0;100"]),

    ("healthy", "snmp-pools", [], 0, "OK - PROD-A: 1 storage pool, 22.2 % used",
     ["'default-storage-pool-62635419953366#storagepool.space.usage.percentage'=22.18%;80;90;"
      "0;100"]),
    ("snmp-storage", "snmp-pools", [], 2,
     "CRITICAL - PROD-A: 1 of 1 storage pools in trouble: default-storage-pool-62635419953366 "
     "(91.2 % used)",
     ["'default-storage-pool-62635419953366#storagepool.space.usage.percentage'=91.18%;80;90;"
      "0;100"]),
    ("snmp-storage", "snmp-cluster", [], 2, "CRITICAL - PROD-A: storage 91.2 % used",
     ["'cluster.space.usage.percentage'=91.18%;80;90;0;100"]),
    ("node-down", "snmp-cluster", [], 0,
     "OK - PROD-A: started, storage 22.2 % used (18.6 TiB of 83.8 TiB), 438 IOPS, latency "
     "1.2 ms, AOS 6.8.1", []),
    ("prism-central", "snmp-nodes", [], 0,
     "OK - PROD-A: 4 nodes, CPU 11-16%, memory 43-45%, 36 VMs", []),
]


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
@pytest.mark.parametrize("scenario,check,args,code,first,perf", CASES,
                         ids=["%s-%s%s" % (c[0], c[1], "".join(c[2])) for c in CASES])
def test_scenario(snmp_agents, run_snmp_check, backend, scenario, check, args, code, first,
                  perf):
    run = run_snmp_check(snmp_agents(scenario), *args, check=check, backend=backend)
    run.expect(code, first, perf)
    assert len(run.stdout.encode()) < 8192, run
    assert "Traceback" not in run.stdout + run.stderr, run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
@pytest.mark.parametrize("check,first", [
    ("snmp-nodes", "OK - PROD-A: 4 nodes, CPU 11-16%, memory 43-45%, 36 VMs"),
    ("snmp-cvm", "OK - PROD-A: 4 of 4 CVMs up, data and metadata services up"),
    ("snmp-disks", "OK - PROD-A: 24 of 24 disks online on 4 CVMs"),
    ("snmp-containers", "OK - PROD-A: 3 containers, the fullest 18.5 % used"),
    ("snmp-pools", "OK - PROD-A: 1 storage pool, 22.2 % used"),
])
def test_v3_auth_priv(snmp_agents, run_snmp_check, backend, check, first):
    run = run_snmp_check(snmp_agents("healthy"), check=check, backend=backend, version="3",
                         user="monitor-strong")
    assert (run.code, run.summary) == (0, first), run


def test_long_output_names_each_cvm_worst_first(snmp_agents, run_snmp_check):
    run = run_snmp_check(snmp_agents("snmp-cvm-down"), check="snmp-cvm")
    assert run.lines[1:4] == [
        "[CRITICAL] %s: data services Down" % C_CVM,
        "[CRITICAL] %s: Stargate DOWN: no pid in the obsolete serviceStatusTable" % C_CVM,
        "[OK] %s: CVM Up" % C_CVM], run


def test_unplaced_disk_is_reported(snmp_agents, run_snmp_check):
    agents = snmp_agents("snmp-storage")
    run = run_snmp_check(agents, check="snmp-disks")
    assert "(1 disk(s) name a CVM id that no CVM table lists (99): checked, but not placed on " \
           "a node)" in run.lines, run
    assert "[OK] CVM id 99 (in no CVM table): disk 1406 (serial S006104NW0046): online, 89.4 % " \
           "used, latency 516 us, 66 IOPS" in run.lines, run
    run = run_snmp_check(agents, "--filter-name", "node-04", check="snmp-disks")
    assert run.code == 0, run
    assert "(1 disk(s) could not be placed on any CVM and are not checked here: run without " \
           "--filter-name to see them)" in run.lines, run
    assert "5 of 5 disks online" in run.summary, run


def test_ids_joined_by_position_are_said(snmp_agents, run_snmp_check):
    run = run_snmp_check(snmp_agents("snmp-storage"), check="snmp-cvm")
    assert run.code == 0, run
    assert any(line.startswith("(controllerVMResourceTable and controllerStatusTable name these "
                               "CVMs by different ids, rows joined by position (INFERRED to "
                               "match): NTNX-21FM5B310061-B-CVM = ") for line in run.lines), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_empty_table_is_unknown_naming_agent_and_table(snmp_agents, run_snmp_check, backend):
    """The agent answered clusterName along with the walk: it is the Nutanix agent, so the
    table is missing from this AOS version, not from a wrong -H."""
    agents = snmp_agents("snmp-old-agent")
    run = run_snmp_check(agents, check="snmp-containers", backend=backend)
    assert (run.code, run.summary) == (3, (
        "UNKNOWN - SNMP agent 127.0.0.1:%d (SNMP v2c): containerInformationTable "
        "(1.3.6.1.4.1.41263.8) is empty, though the agent answers other NUTANIX-MIB objects: "
        "this AOS version does not serve that table" % agents.port)), run


@pytest.mark.parametrize("check,table", [
    ("snmp-nodes", "hypervisorInformationTable (1.3.6.1.4.1.41263.9)"),
    ("snmp-cvm", "controllerVMResourceTable (1.3.6.1.4.1.41263.4)"),
    ("snmp-disks", "diskStatusTable (1.3.6.1.4.1.41263.3)"),
    ("snmp-pools", "storagePoolInformationTable (1.3.6.1.4.1.41263.7)"),
])
def test_host_agent_has_no_nutanix_tables(snmp_agents, run_snmp_check, check, table):
    agents = snmp_agents("healthy")
    host = agents.host_address("node-01")
    run = run_snmp_check(agents, check=check, host=host)
    assert (run.code, run.summary) == (3, (
        "UNKNOWN - SNMP agent %s:%d (SNMP v2c): %s is empty: is -H a CVM or the cluster VIP "
        "with SNMP enabled in Prism?" % (host, agents.port, table))), run


@pytest.mark.parametrize("backend,detail", [
    ("easysnmp", "wrong privacy password or protocol (Net-SNMP: Decryption error)"),
    ("pysnmp", "wrong privacy password or protocol (usmStatsDecryptionErrors)")])
def test_wrong_v3_privacy_password(snmp_agents, run_snmp_check, backend, detail):
    agents = snmp_agents("healthy")
    run = run_snmp_check(agents, "--snmp-version", "3", "--snmp-user", "monitor",
                         "--auth-password", "monitor-auth-4u", "--priv-password",
                         "not-the-priv-pass", check="snmp-nodes", credentials=False,
                         backend=backend)
    assert (run.code, run.summary) == (3, (
        "UNKNOWN - SNMP agent 127.0.0.1:%d (SNMP v3 user monitor, authPriv) refused the v3 "
        "credentials asking for hypervisorInformationTable (1.3.6.1.4.1.41263.9): %s"
        % (agents.port, detail))), run
    assert "not-the-priv-pass" not in run.stdout and "monitor-auth-4u" not in run.stdout


# The trouble scenarios over SNMPv3 authPriv (the Nutanix agent's only documented polling mode).
V3_TROUBLE = [
    ("snmp-cvm-down", "snmp-cvm", [], "monitor", 2,
     "CRITICAL - PROD-A: 1 of 4 CVMs in trouble: %s (host node-03: data services Down, "
     "Stargate DOWN)" % C_CVM),
    ("snmp-cvm-down", "snmp-cvm", ["--filter-name", "node-03"], "monitor-md5", 2,
     "CRITICAL - PROD-A/node-03: data services Down; Stargate DOWN"),
    ("snmp-storage", "snmp-disks", [], "monitor-strong", 2,
     "CRITICAL - PROD-A: 1 of 4 CVMs in trouble: NTNX-21FM5B310061-A-CVM (host node-01: disk "
     "1103 offline)"),
    ("snmp-storage", "snmp-pools", [], "monitor", 2,
     "CRITICAL - PROD-A: 1 of 1 storage pools in trouble: default-storage-pool-62635419953366 "
     "(91.2 % used)"),
    ("snmp-old-agent", "snmp-cvm", [], "monitor-strong", 3,
     "UNKNOWN - PROD-A: 1 of 4 CVMs in trouble: NTNX-21FM5B310061-B-CVM (CVM 'Maintenance')"),
    ("snmp-old-agent", "snmp-disks", [], "monitor", 3,
     "UNKNOWN - PROD-A: 1 of 4 CVMs in trouble: NTNX-21FM5B310061-D-CVM (no disks listed)"),
]


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
@pytest.mark.parametrize("scenario,check,args,user,code,first", V3_TROUBLE,
                         ids=["%s-%s%s-%s" % (c[0], c[1], "".join(c[2]), c[3])
                              for c in V3_TROUBLE])
def test_v3_auth_priv_trouble(snmp_agents, run_snmp_check, backend, scenario, check, args,
                              user, code, first):
    run = run_snmp_check(snmp_agents(scenario), *args, check=check, backend=backend,
                         version="3", user=user)
    assert (run.code, run.summary) == (code, first), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_v3_empty_table(snmp_agents, run_snmp_check, backend):
    agents = snmp_agents("snmp-old-agent")
    run = run_snmp_check(agents, check="snmp-containers", backend=backend, version="3",
                         user="monitor")
    assert (run.code, run.summary) == (3, (
        "UNKNOWN - SNMP agent 127.0.0.1:%d (SNMP v3 user monitor, authPriv): "
        "containerInformationTable (1.3.6.1.4.1.41263.8) is empty, though the agent answers "
        "other NUTANIX-MIB objects: this AOS version does not serve that table"
        % agents.port)), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_ipv6_agent(snmp_agents, run_snmp_check, backend):
    agents = snmp_agents("healthy")
    if not agents.ipv6:
        pytest.skip("no IPv6 loopback on this machine")
    run = run_snmp_check(agents, check="snmp-nodes", host=agents.ipv6, backend=backend,
                         version="3", user="monitor")
    assert (run.code, run.summary) == (
        0, "OK - PROD-A: 4 nodes, CPU 11-16%, memory 43-45%, 36 VMs"), run
    run = run_snmp_check(agents, "--snmp-version", "2c", "-C", "not-public", "--snmp-timeout",
                         "0.3", "--snmp-retries", "0", check="snmp-nodes", host=agents.ipv6,
                         backend=backend, credentials=False)
    assert run.code == 3, run
    assert run.summary.startswith(
        "UNKNOWN - no answer from SNMP agent [::1]:%d (SNMP v2c) for hypervisorInformationTable "
        "(1.3.6.1.4.1.41263.9) within 0.3s (1 try): " % agents.port), run


@pytest.mark.parametrize("backend", SNMP_BACKENDS)
def test_unresolvable_agent_reads_the_same_with_both_backends(snmp_agents, run_snmp_check,
                                                              backend):
    agents = snmp_agents("healthy")
    run = run_snmp_check(agents, check="snmp-nodes", host="no-such-host.invalid",
                         backend=backend, version="3", user="monitor")
    assert run.code == 3, run
    assert run.summary.startswith(
        "UNKNOWN - SNMP agent no-such-host.invalid:%d (SNMP v3 user monitor, authPriv) failed "
        "asking for hypervisorInformationTable (1.3.6.1.4.1.41263.9): cannot resolve "
        "no-such-host.invalid: " % agents.port), run
