"""`check_nutanix_ahv` against the emulator: exit code, exact first line, perfdata."""

import pytest
from conftest import PASSWORD


def node_perf(node, cpu, memory, vms, ratio, crit_ratio=6):
    return ["'%s#cpu.utilization.percentage'=%s%%;80;90;0;100" % (node, cpu),
            "'%s#memory.utilization.percentage'=%s%%;85;95;0;100" % (node, memory),
            "'%s#vms.count'=%d;;;0" % (node, vms),
            "'%s#vcpu.pcpu.ratio'=%s;4;%d;0" % (node, ratio, crit_ratio)]


NODE01 = node_perf("node-01", "12.9", "43.1", 9, "0.69")
NODE02 = node_perf("node-02", "15.61", "42.76", 9, "0.53")
NODE03 = node_perf("node-03", "13.55", "42.86", 9, "0.72")
HEALTHY = ("4 AHV hosts NORMAL and connected to Acropolis, CPU up to 15.6%, memory up to "
           "45.2%, vCPU:pCPU 0.67 cluster-wide")
NODE03_OK = ("OK - PROD-A/node-03: host NORMAL, connected to Acropolis, CPU 13.6%, memory "
             "42.9%, 9 VMs, vCPU:pCPU 0.72")

CASES = [
    ("healthy", [], 0, "OK - PROD-A: " + HEALTHY, NODE01 + NODE03),
    # one node by host name, CVM IP and node serial
    ("healthy", ["--filter-name", "node-03"], 0, NODE03_OK, NODE03),
    ("healthy", ["--filter-name", "10.10.1.23"], 0, NODE03_OK, NODE03),
    ("healthy", ["--filter-name", "ZM3100610003"], 0, NODE03_OK, NODE03),
    ("healthy", ["--filter-name", "node-9"], 3,
     "UNKNOWN - no node of cluster PROD-A matches --filter-name 'node-9'; it has 4: node-01, "
     "node-02, node-03, node-04", []),
    # a regex that matches two nodes judges both, without the cluster-wide ratio
    ("healthy", ["--filter-name-regex", "node-0[12]"], 0,
     "OK - PROD-A: 2 AHV hosts NORMAL and connected to Acropolis, CPU up to 15.6%, memory up "
     "to 43.1%", NODE01 + NODE02),
    ("acropolis-disconnected", [], 2,
     "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-02 (disconnected from Acropolis, "
     "alert: OVS Service Restart)", NODE01 + NODE02),
    ("acropolis-disconnected", ["--filter-name", "10.10.1.22"], 2,
     "CRITICAL - PROD-A/node-02: disconnected from Acropolis; alert: OVS Service Restart",
     NODE02),
    ("acropolis-disconnected", ["--filter-name", "ZM3100610001"], 0,
     "OK - PROD-A/node-01: host NORMAL, connected to Acropolis, CPU 12.9%, memory 43.1%, 9 VMs, "
     "vCPU:pCPU 0.69", NODE01),
    ("node-maintenance", [], 0,
     "OK - PROD-A: 4 AHV hosts NORMAL and connected to Acropolis, node-03 entering maintenance "
     "mode, CPU up to 15.6%, memory up to 45.2%, vCPU:pCPU 0.67 cluster-wide",
     node_perf("node-03", "13.55", "42.86", 0, "0")),
    ("node-maintenance", ["--maintenance-state", "WARNING"], 1,
     "WARNING - PROD-A: 1 of 4 nodes in trouble: node-03 (entering maintenance mode, reboot "
     "pending)", []),
    ("node-maintenance", ["--maintenance-state", "warning", "--filter-name", "node-03"], 1,
     "WARNING - PROD-A/node-03: entering maintenance mode; reboot pending", []),
    ("node-maintenance", ["--filter-name", "node-03"], 0,
     "OK - PROD-A/node-03: entering maintenance mode, reboot pending, host NORMAL, connected "
     "to Acropolis, CPU 13.6%, memory 42.9%, 0 VMs, vCPU:pCPU 0.00", []),
    ("node-maintenance", ["--filter-name", "node-03", "--maintenance-state", "WARNING"], 1,
     "WARNING - PROD-A/node-03: entering maintenance mode; reboot pending", []),
    ("maintenance", [], 0,
     "OK - PROD-A: 4 AHV hosts NORMAL and connected to Acropolis, node-02 in maintenance mode, "
     "CPU up to 15.6%, memory up to 45.2%, vCPU:pCPU 0.67 cluster-wide", []),
    ("overcommitted", [], 2,
     "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-02 (vCPU:pCPU 7.00)",
     node_perf("node-02", "76", "42.76", 21, "7")
     + node_perf("node-01", "12.9", "43.1", 22, "1.47")),
    ("overcommitted", ["--filter-name", "node-02"], 2,
     "CRITICAL - PROD-A/node-02: vCPU:pCPU 7.00", node_perf("node-02", "76", "42.76", 21, "7")),
    ("overcommitted", ["--filter-name", "node-02", "--critical-vcpu-ratio", "8"], 1,
     "WARNING - PROD-A/node-02: vCPU:pCPU 7.00",
     node_perf("node-02", "76", "42.76", 21, "7", crit_ratio=8)),
    ("node-down", [], 2,
     "CRITICAL - PROD-A: 1 of 4 nodes in trouble: node-03 (disconnected from Acropolis)", []),
    ("prism-central", [], 3,
     "UNKNOWN - PC-01 is Prism Central with 2 clusters (DR-B, PROD-A); choose one with "
     "--cluster NAME", []),
    ("prism-central", ["--cluster", "PROD-A"], 0,
     "OK - PROD-A: 4 AHV hosts NORMAL and connected to Acropolis, vCPU:pCPU 0.67 cluster-wide",
     ["'node-01#vms.count'=9;;;0", "'node-01#vcpu.pcpu.ratio'=0.69;4;6;0"]),
    ("prism-central", ["--cluster", "PROD-A", "--filter-name", "node-03"], 0,
     "OK - PROD-A/node-03: host NORMAL, connected to Acropolis, 9 VMs, vCPU:pCPU 0.72",
     ["'node-03#vms.count'=9;;;0", "'node-03#vcpu.pcpu.ratio'=0.72;4;6;0"]),
    ("prism-central", ["--cluster", "DR-B"], 2,
     "CRITICAL - DR-B: 1 of 3 nodes in trouble: dr-node-02 (node degraded)",
     ["'dr-node-02#vcpu.pcpu.ratio'=0.34;4;6;0"]),
    ("prism-central", ["--cluster", "DR-B", "--filter-name", "10.20.1.22"], 2,
     "CRITICAL - DR-B/dr-node-02: node degraded", ["'dr-node-02#vms.count'=4;;;0"]),
]


@pytest.mark.parametrize("scenario,args,code,first,perf", CASES,
                         ids=["%s%s" % (c[0], "".join(c[1])) for c in CASES])
def test_scenario(emulators, run_check, scenario, args, code, first, perf):
    run = run_check(emulators(scenario), *args, check="ahv")
    run.expect(code, first, perf)


def test_prism_central_has_no_utilization_and_says_so(emulators, run_check):
    run = run_check(emulators("prism-central"), "--cluster", "PROD-A", check="ahv")
    assert "cpu.utilization" not in run.perfdata
    assert run.lines[-1] == (
        "(not available from Prism Central v4 clustermgmt, not checked: CPU and memory "
        "utilization (Prism Central v4 serves them only as per-host time series); monitor the "
        "cluster's Prism Element for those)")


def test_long_output_quotes_the_alert_and_explains_the_disconnection(emulators, run_check):
    run = run_check(emulators("acropolis-disconnected"), "--filter-name", "node-02",
                    check="ahv")
    assert run.lines[1] == ("[CRITICAL] AHV host disconnected from Acropolis: it cannot run VM "
                            "operations (power, migrate, HA restart)")
    assert run.lines[2].startswith("[WARNING] alert 'OVS Service Restart': OVS service has "
                                   "restarted on one or more AHV hosts. Rebuilt bridges and "
                                   "flow rules on these hosts. (A1680, WARNING, ")
    assert run.lines[2].endswith(" ago)")


def test_cluster_wide_ratio_and_cvm_note_in_long_output(emulators, run_check):
    run = run_check(emulators("overcommitted"), check="ahv")
    assert ("[OK] cluster-wide vCPU:pCPU 2.04: 424 vCPUs of powered-on guest VMs on 208 CPU "
            "threads of 4 hosts") in run.lines
    assert ("[CRITICAL] node-02: vCPU:pCPU 7.00: 112 vCPUs of 21 powered-on guest VMs on 16 "
            "CPU threads (the CVM's 12 vCPUs not counted)") in run.lines


def test_unreadable_alerts_are_unknown_never_ok(emulators, run_check):
    run = run_check(emulators("healthy"), "--filter-name", "node-03", "-u", "viewer",
                    check="ahv", creds=False, env={"NUTANIX_PASSWORD": "Viewer/4u"})
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A/node-03: alerts unreadable (HTTP 403): host and OVS alerts not "
           "checked"), run
    assert run.lines[1].startswith("[UNKNOWN] host and OVS alerts not judged: alerts could not "
                                   "be read: Prism answered HTTP 403")
    assert PASSWORD not in run.stdout


def test_unreadable_vm_list_on_prism_central(emulators, run_check):
    emulator = emulators("prism-central", "--fault", "ahv/config/vms:status=404")
    run = run_check(emulator, "--cluster", "PROD-A", "--filter-name", "node-01", check="ahv")
    assert (run.code, run.summary) == (
        3, "UNKNOWN - PROD-A/node-01: VM count and vCPU:pCPU unknown (VM list unreadable)"), run
    assert "vcpu.pcpu.ratio" not in run.perfdata and "vms.count" not in run.perfdata


def test_large_cluster_output_fits_the_plugin_limit(emulators, run_check):
    run = run_check(emulators("large"), check="ahv")
    assert run.code == 0, run
    assert len(run.stdout.encode()) < 8192
    assert not any(line.startswith("(output cut") for line in run.lines)
    assert len(run.perfdata.split(" ")) == 64


@pytest.mark.parametrize("args,message", [
    (["--maintenance-state", "MAYBE"], "UNKNOWN - bad command line: argument --maintenance-"
     "state: invalid choice: 'MAYBE' (choose from OK, WARNING, in any case) (see --help)"),
    (["--warning-cpu", "eighty"], "UNKNOWN - bad threshold range 'eighty': 'eighty' is not a "
     "plain decimal number"),
    (["--filter-name", "node-01", "--filter-name-regex", "node-.*"],
     "UNKNOWN - give --filter-name or --filter-name-regex, not both"),
    (["--filter-name-regex", "node-("], "UNKNOWN - bad --filter-name-regex 'node-(': "),
])
def test_bad_input(emulators, run_check, args, message):
    run = run_check(emulators("healthy"), *args, check="ahv")
    assert run.code == 3, run
    assert run.first.startswith(message), run
    assert "Traceback" not in run.stdout + run.stderr
