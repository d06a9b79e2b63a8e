"""The SNMP checks' pure judgements on hand-built models, and the CVM table join."""


import pytest

from nagios_nutanix.checks import (
    snmp_ahv,
    snmp_cluster,
    snmp_common,
    snmp_cvm,
    snmp_disks,
    snmp_nodes,
    snmp_pools,
)
from nagios_nutanix.plugin.options import parse
from nagios_nutanix.plugin.render import first_line, nagios
from nagios_nutanix.plugin.state import State


def opts(spec, *argv):
    return parse(spec, ["-H", "x", "-C", "c"] + list(argv), "t")[1]


def scalars(**given):
    values = dict(name="PROD-A", version="el8.5-release-fraser-6.8.1-stable-abc",
                  status="started", total_bytes=1000, used_bytes=250, iops=10, latency=1500,
                  bandwidth_kBps=5, agent="10.0.0.1")
    values.update(given)
    return snmp_cluster.ClusterScalars(**values)


def test_cluster_ok_and_stopped():
    spec = snmp_cluster.SPEC
    result = snmp_cluster.evaluate(scalars(), opts(spec))
    assert first_line(result) == ("OK - PROD-A: started, storage 25.0 % used (250 B of 1000 B), "
                                  "10 IOPS, latency 1.5 ms, AOS 6.8.1")
    assert "'cluster.space.capacity.bytes'=1000B;;;0" in nagios(result)
    result = snmp_cluster.evaluate(scalars(status="stopped"), opts(spec))
    assert first_line(result) == "CRITICAL - PROD-A: cluster stopped"


def test_cluster_missing_values_are_unknown_never_ok():
    result = snmp_cluster.evaluate(scalars(status=None, total_bytes=None, latency=None),
                                   opts(snmp_cluster.SPEC))
    assert result.state == State.UNKNOWN
    assert first_line(result).startswith("UNKNOWN - PROD-A: cluster status (clusterStatus) not "
                                         "served; storage capacity or usage not served")


@pytest.mark.parametrize("version,aos", [
    ("el8.5-release-fraser-6.8.1-stable-5a5f", "6.8.1"), ("6.10.1.6", "6.10.1.6"),
    ("el7.3-release-euphrates-5.20.4.6-stable", "5.20.4.6"), ("master", "master"),
    (None, None)])
def test_aos_version(version, aos):
    assert snmp_cluster.aos_version(version) == aos


@pytest.mark.parametrize("word,state", [
    ("Up", State.OK), ("UP", State.OK), ("started", State.OK), ("Running", State.OK),
    ("Down", State.CRITICAL), ("stopped", State.CRITICAL), ("OFF", State.CRITICAL),
    ("Maintenance", State.UNKNOWN), ("", State.UNKNOWN), (None, State.UNKNOWN)])
def test_status_words(word, state):
    assert snmp_common.status_state(word)[0] == state


def crt(index, ident, name):
    return str(index), {"cvm_id": ident, "name": name, "memory_bytes": 1, "vcpus": 1}


def cst(index, ident, status="Up", data="Up", meta="Up"):
    return str(index), {"cvm_id": ident, "cvm_status": status, "data_services": data,
                        "metadata_services": meta}


def test_cvm_join_by_id_ignores_quotes_and_case():
    cvms = snmp_common.cvm_directory(dict([crt(1, '"5"', "A"), crt(2, "6", "B")]),
                                     dict([cst(1, "6"), cst(2, "5")]))
    assert [(c.name, c.status["cvm_id"], c.joined) for c in cvms] == [
        ("A", "5", "id"), ("B", "6", "id")]
    assert snmp_common.find_cvm(cvms, '"6"').name == "B"


def test_cvm_join_by_position_when_ids_changed_and_leftovers_stand_alone():
    cvms = snmp_common.cvm_directory(dict([crt(1, "5", "A"), crt(2, "uuid-b", "B")]),
                                     dict([cst(1, "5"), cst(2, "6")]))
    assert [(c.name, c.ids, c.joined) for c in cvms] == [
        ("A", ["5"], "id"), ("B", ["uuid-b", "6"], "index")]
    cvms = snmp_common.cvm_directory(dict([crt(1, "5", "A")]),
                                     dict([cst(1, "5"), cst(3, "7")]))
    assert [(c.name, c.joined) for c in cvms] == [("A", "id"), ("CVM 7", "status only")]


def cvm_model(*cvms, obsolete=False, filtered=False, hosts_note=None):
    return snmp_cvm.Model("PROD-A", list(cvms), filtered, obsolete, "10.0.0.1", hosts_note)


def make_cvm(name, status=None, services=None, host=None):
    cvm = snmp_common.Cvm(name, ["1"], status=status)
    cvm.services = services
    cvm.host = host
    return cvm


def test_cvm_unknown_word_and_missing_row():
    model = cvm_model(make_cvm("A", cst(1, "1", status="Rebooting")[1]),
                      make_cvm("B"))
    result = snmp_cvm.evaluate(model, opts(snmp_cvm.SPEC))
    assert first_line(result) == ("UNKNOWN - PROD-A: 2 of 2 CVMs in trouble: A (CVM "
                                  "'Rebooting'), B (status not served)")


def test_cvm_obsolete_table_empty_pid_list_is_down():
    services = {s: "100,101" for s in ("Zeus", "Stargate", "Curator")}
    services["Curator"] = ""
    model = cvm_model(make_cvm("A", cst(1, "1")[1], services, host="node-01"),
                      obsolete=True, filtered=True)
    result = snmp_cvm.evaluate(model, opts(snmp_cvm.SPEC, "--filter-name", "A"))
    assert first_line(result).startswith("CRITICAL - PROD-A/node-01: Curator DOWN")
    assert "[OK] running per the obsolete serviceStatusTable: Zeus, Stargate" in \
        nagios(result).splitlines()


def node(name="node-01", **given):
    values = dict(id="h1", vm_count=3, cpu_count=64, cpu_percent=50, memory_bytes=10,
                  memory_percent=60, read_iops=1, write_iops=2, latency_us=900, rx_drops=0,
                  tx_drops=None)
    values.update(given)
    return snmp_nodes.Hypervisor(name, **values)


def test_nodes_thresholds_and_missing_values():
    model = snmp_nodes.Model("PROD-A", [node(), node("node-02", cpu_percent=95),
                                        node("node-03", memory_percent=None)], False, "a")
    result = snmp_nodes.evaluate(model, opts(snmp_nodes.SPEC))
    assert first_line(result) == ("CRITICAL - PROD-A: 2 of 3 nodes in trouble: node-02 (CPU "
                                  "95%), node-03 (memory unknown)")
    assert "'node-01#network.transmit.drops.count'=U;;;0" in nagios(result)


def disk(ident, state="online", total=100, free=50, **given):
    values = dict(serial="S" + ident, cvm_id="5", latency_us=100, iops=3)
    values.update(given)
    return snmp_disks.Disk(ident, total=total, free=free, state=state, **values)


def test_disks_offline_usage_and_unknown_state():
    group = (snmp_common.Cvm("A", ["5"]), [disk("1"), disk("2", state="offline"),
                                           disk("3", free=1), disk("4", state=7)])
    model = snmp_disks.Model("PROD-A", [group], True, 0, "a", None)
    result = snmp_disks.evaluate(model, opts(snmp_disks.SPEC, "-w", "90", "--filter-name",
                                             "A"))
    assert first_line(result) == ("CRITICAL - PROD-A/A: disk 2 offline; disk 3 99.0 % used; "
                                  "disk 4 state unknown")
    assert "'A~3#disk.usage.percentage'=99%;90;;0;100" in nagios(result)


def test_pools_usage_thresholds():
    pool = snmp_common.Usage("pool-1", "3", 1000, 910, 5, 2000)
    result = snmp_pools.evaluate(("PROD-A", [pool], False, "a"), opts(snmp_pools.SPEC))
    assert first_line(result) == ("CRITICAL - PROD-A: 1 of 1 storage pools in trouble: pool-1 "
                                  "(91.0 % used)")
    assert nagios(result).split(" | ")[1].split()[:3] == [
        "'pool-1#storagepool.space.usage.bytes'=910B;;;0;1000",
        "'pool-1#storagepool.space.capacity.bytes'=1000B;;;0",
        "'pool-1#storagepool.space.usage.percentage'=91%;80;90;0;100"]
    empty = snmp_common.Usage("pool-2", "4", 0, 0)
    result = snmp_pools.evaluate(("PROD-A", [empty], False, "a"), opts(snmp_pools.SPEC))
    assert result.state == State.UNKNOWN


def proc(name, path="", parameters="", status=2):
    return snmp_ahv.Process(name, path, parameters, status)


@pytest.mark.parametrize("process,wanted,found", [
    (proc("libvirtd", "/usr/sbin/libvirtd"), "libvirtd", True),
    (proc("python3", "/usr/bin/python3", "/opt/bin/ahv-host-agent --x"), "ahv-host-agent", True),
    (proc("ovs-vswitchd"), "ovsdb-server", False),
    (proc("a-very-long-pro", "/x/a-very-long-process"), "a-very-long-process", True),
    (proc("bash", "/bin/bash", "-c echo libvirtd"), "libvirtd", False),
])
def test_process_matching(process, wanted, found):
    assert bool(snmp_ahv.find_process([process], wanted)) is found


def host_model(processes=None, loads=None, cpus=4, memory=None):
    return snmp_ahv.Model(
        "node-01", processes if processes is not None else [
            proc("libvirtd"), proc("ovs-vswitchd"), proc("ovsdb-server"),
            proc("python3", parameters="/x/ahv-host-agent")],
        [10] * cpus, loads if loads is not None else {"Load-1": 4.0, "Load-5": 9.0,
                                                      "Load-15": 2.0},
        memory if memory is not None else {"total": 1000, "avail": 100, "buffer": 50,
                                           "cached": 250}, "10.0.0.2")


def test_ahv_load_per_cpu_and_stopped_process():
    result = snmp_ahv.evaluate(host_model(), opts(snmp_ahv.SPEC))
    assert first_line(result) == "WARNING - node-01: load 2.2 per CPU"
    stopped = host_model(processes=[proc("libvirtd", status=3)])
    result = snmp_ahv.evaluate(stopped, opts(snmp_ahv.SPEC, "--load-period", "15"))
    assert first_line(result) == ("CRITICAL - node-01: libvirtd notRunnable; ovs-vswitchd not "
                                  "running; ovsdb-server not running; ahv-host-agent not "
                                  "running (process name INFERRED; adjust --processes)")
    assert "'node-01#processes.missing.count'=3;;0;0" in nagios(result)


def test_ahv_missing_parts_are_unknown():
    result = snmp_ahv.evaluate(host_model(loads={}, cpus=0, memory={}), opts(snmp_ahv.SPEC))
    assert result.state == State.UNKNOWN
    assert first_line(result) == ("UNKNOWN - node-01: load unknown; CPU load unknown; memory "
                                  "unknown")
    result = snmp_ahv.evaluate(host_model(), opts(snmp_ahv.SPEC))
    assert "memory 60.0% used" in nagios(result)


def test_ahv_inferred_process_name_is_a_warning_until_listed():
    model = host_model(processes=[proc("libvirtd"), proc("ovs-vswitchd"), proc("ovsdb-server")])
    result = snmp_ahv.evaluate(model, opts(snmp_ahv.SPEC, "-w", "5"))
    assert first_line(result) == ("WARNING - node-01: ahv-host-agent not running (process name "
                                  "INFERRED; adjust --processes)")
    assert "[WARNING] ahv-host-agent not running (not in hrSWRunTable; process name INFERRED, " \
           "adjust --processes)" in nagios(result).splitlines()
    assert "'node-01#processes.missing.count'=0;;0;0" in nagios(result)
    listed = opts(snmp_ahv.SPEC, "-w", "5", "--processes", "libvirtd,ahv-host-agent")
    result = snmp_ahv.evaluate(model, listed)
    assert first_line(result) == "CRITICAL - node-01: ahv-host-agent not running"


def test_cvm_checked_alone_is_scoped_by_its_host():
    sound = make_cvm("NTNX-A-CVM", cst(1, "1")[1], host="node-01")
    result = snmp_cvm.evaluate(cvm_model(sound, filtered=True), opts(snmp_cvm.SPEC))
    assert first_line(result) == ("OK - PROD-A/node-01: CVM NTNX-A-CVM Up, data and metadata "
                                  "services Up")
    down = make_cvm("NTNX-C-CVM", cst(3, "1", data="Down")[1], host="node-03")
    result = snmp_cvm.evaluate(cvm_model(down, filtered=True), opts(snmp_cvm.SPEC))
    assert first_line(result) == "CRITICAL - PROD-A/node-03: data services Down"
    assert "'NTNX-C-CVM#cvm.services.down.count'=1;;0;0" in nagios(result)  # stable label
    no_host = make_cvm("NTNX-C-CVM", cst(3, "1", data="Down")[1])
    result = snmp_cvm.evaluate(cvm_model(no_host, filtered=True), opts(snmp_cvm.SPEC))
    assert first_line(result) == "CRITICAL - PROD-A/NTNX-C-CVM: data services Down"


def test_cvm_in_trouble_names_its_host_and_a_failed_lookup_is_said():
    model = cvm_model(make_cvm("NTNX-A-CVM", cst(1, "1")[1]),
                      make_cvm("NTNX-C-CVM", cst(3, "3", meta="Down")[1], host="node-03"),
                      hosts_note="the CVMs' host names could not be read: no answer")
    result = snmp_cvm.evaluate(model, opts(snmp_cvm.SPEC))
    assert first_line(result) == ("CRITICAL - PROD-A: 1 of 2 CVMs in trouble: NTNX-C-CVM (host "
                                  "node-03: metadata services Down)")
    assert "(the CVMs' host names could not be read: no answer)" in nagios(result).splitlines()


def test_status_words_note_lists_every_accepted_word():
    note = snmp_common.STATUS_WORDS_NOTE
    assert note in snmp_cvm.SPEC.notes
    for word in snmp_common.UP_WORDS | snmp_common.DOWN_WORDS:
        assert word in note


def test_usage_runbook_text_has_no_doubled_percent():
    for alert in snmp_pools.SPEC.alerts + snmp_cvm.SPEC.alerts:
        assert "%%" not in alert.condition and "%%" not in alert.action, alert


def cvm_(name, ident, host=None):
    cvm = snmp_common.Cvm(name, [ident])
    cvm.host = host
    return cvm


def test_disks_placed_on_the_whole_directory():
    """Every CVM of the directory is a candidate (one without disks is UNKNOWN); disks on an
    unknown CVM id form one group per id, reported but not counted as CVMs."""
    cvms = [cvm_("A", "5"), cvm_("B", "6")]
    placed = snmp_disks.place([disk("1", cvm_id='"5"'), disk("2", cvm_id="99"),
                               disk("3", cvm_id="99")], cvms)
    assert [(c.name, len(placed[id(c)])) for c in cvms] == [
        ("A", 1), ("B", 0), ("CVM id 99 (in no CVM table)", 2)]
    model = snmp_disks.Model("PROD-A", [(c, placed[id(c)]) for c in cvms], False, 0, "a", None)
    result = snmp_disks.evaluate(model, opts(snmp_disks.SPEC))
    assert first_line(result) == "UNKNOWN - PROD-A: 1 of 2 CVMs in trouble: B (no disks listed)"
    lines = nagios(result).splitlines()
    assert "[UNKNOWN] B: no disk in diskStatusTable names this CVM (id 6)" in lines
    assert "[OK] CVM id 99 (in no CVM table): disk 2 (serial S2): online, 50.0 % used, latency " \
           "100 us, 3 IOPS" in lines
    assert "'unplaced#disks.online.count'=2;;;0;2" in nagios(result)


def test_disks_unplaced_and_offline_is_named_first():
    group = (cvm_("A", "5"), [disk("1")])
    nowhere = snmp_common.Cvm("CVM id 99 (in no CVM table)", ["99"], joined="none")
    model = snmp_disks.Model("PROD-A", [group, (nowhere, [disk("9", state="offline")])],
                             False, 0, "a", None)
    result = snmp_disks.evaluate(model, opts(snmp_disks.SPEC))
    assert first_line(result) == ("CRITICAL - PROD-A: disk 9 offline (CVM id 99 (in no CVM "
                                  "table))")
    group = (cvm_("A", "5"), [disk("1", state="offline")])
    model = snmp_disks.Model("PROD-A", [group, (nowhere, [disk("9")])], False, 0, "a", None)
    result = snmp_disks.evaluate(model, opts(snmp_disks.SPEC))
    assert first_line(result) == "CRITICAL - PROD-A: 1 of 1 CVMs in trouble: A (disk 1 offline)"
    group = (cvm_("A", "5"), [disk("1")])
    model = snmp_disks.Model("PROD-A", [group, (nowhere, [disk("9")])], False, 0, "a", None)
    result = snmp_disks.evaluate(model, opts(snmp_disks.SPEC))
    assert first_line(result) == ("OK - PROD-A: 1 of 1 disks online on 1 CVMs (and 1 on a CVM "
                                  "id no table lists)")
