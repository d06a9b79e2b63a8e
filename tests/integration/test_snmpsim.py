"""The SNMP view of a scenario agrees with its Prism view, and `nutanix-emulator --snmp-port`
serves it with snmpsim until its lifetime ends."""

import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT, _unavailable

from nagios_nutanix.emulator import pe, snmprec
from nagios_nutanix.emulator.world import load_world


def records(world, role="cvm", node=None):
    for agent in snmprec.build_agents(world):
        if agent.role == role and (node is None or agent.node.name == node):
            return {oid: value for oid, _, value in agent.records}
    raise KeyError(role)


def column(recs, entry, number):
    prefix = "%s.%d." % (entry, number)
    return [v for oid, v in sorted(recs.items(), key=lambda kv: int(kv[0].rsplit(".", 1)[1]))
            if oid.startswith(prefix)]


@pytest.mark.parametrize("scenario", ["healthy", "disk-offline", "node-down", "large"])
def test_cvm_agent_agrees_with_prism(scenario):
    world = load_world(scenario)
    cluster = world.cluster
    recs = records(world)
    assert recs["1.3.6.1.4.1.41263.501.0"] == cluster.name
    assert recs["1.3.6.1.4.1.41263.505.0"] == int(pe.cluster_usage(cluster)[
        "storage.usage_bytes"])
    assert column(recs, "1.3.6.1.4.1.41263.9.1", 3) == [n.name for n in cluster.nodes]
    assert column(recs, "1.3.6.1.4.1.41263.4.1", 5) == [n.cvm_name for n in cluster.nodes]
    states = column(recs, "1.3.6.1.4.1.41263.3.1", 13)
    assert states == [1 if d.online else 2 for d in cluster.disks]
    cvm_states = column(recs, "1.3.6.1.4.1.41263.11.1", 3)
    assert cvm_states == ["Up" if n.cvm_power_state == "on" else "Down" for n in cluster.nodes]


def test_host_agents_get_their_own_addresses():
    world = load_world("prism-central")
    agents = snmprec.build_agents(world)
    assert [(a.address, a.label) for a in agents[:2]] == [
        ("127.0.0.1", "PROD-A CVM agent (NUTANIX-MIB)"), ("127.0.0.2", "node-01 AHV host agent")]
    assert ("127.0.1.1", "DR-B CVM agent (NUTANIX-MIB)") in [(a.address, a.label)
                                                             for a in agents]
    assert len({a.address for a in agents}) == len(agents)


def test_host_trouble_reaches_the_host_tables():
    world = load_world("snmp-host-trouble")
    names = column(records(world, "host", "node-02"), "1.3.6.1.2.1.25.4.2.1", 2)
    assert "ovs-vswitchd" not in names and "libvirtd" in names
    loads = column(records(world, "host", "node-04"), "1.3.6.1.4.1.2021.10.1", 3)
    assert loads == ["403.20", "384.00", "364.80"]  # 6 per thread x 64 threads, 5-min load


def test_emulator_cli_serves_snmp_and_stops_by_itself():
    from nagios_nutanix.emulator.snmpagents import _probe, snmpsim_missing

    missing = snmpsim_missing()
    if missing:
        _unavailable(missing)
    proc = subprocess.Popen(
        [sys.executable, "-m", "nagios_nutanix.emulator", "--scenario", "healthy", "--port", "0",
         "--snmp-port", "0", "--lifetime", "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=dict(os.environ, PYTHONPATH=ROOT), cwd=ROOT)
    try:
        assert "listening on https://127.0.0.1:" in proc.stdout.readline()
        line = proc.stdout.readline()
        assert line.startswith("nutanix-emulator: snmp agents for scenario healthy on udp port "),\
            (line, proc.stderr.read() if proc.poll() is not None else "")
        port = int(line.split("udp port ")[1].split(":")[0])
        assert "127.0.0.5 node-04 AHV host agent" in line
        assert "v2c communities public; v3 users monitor (SHA/AES)" in line
        assert _probe("127.0.0.1", port, "public", timeout=2)
        assert _probe("127.0.0.5", port, "public", timeout=2)
        assert not _probe("127.0.0.1", port, "not-public", timeout=0.5)
        started = time.monotonic()
        assert proc.wait(60) == 0
        assert time.monotonic() - started < 40
        assert not _probe("127.0.0.1", port, "public", timeout=0.5)  # snmpsim went with it
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_no_disks_drops_a_node_from_the_disk_table_only():
    world = load_world("snmp-old-agent")
    recs = records(world)
    cvm_ids = column(recs, "1.3.6.1.4.1.41263.3.1", 3)
    node04 = snmprec.cvm_id(world.cluster.nodes[3])
    assert node04 not in cvm_ids and len(cvm_ids) == 18  # 3 nodes x 6 disks
    assert node04 in column(recs, "1.3.6.1.4.1.41263.11.1", 2)  # the CVM itself is listed
