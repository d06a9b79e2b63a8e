"""Integration tests of the Prism emulator: a real HTTPS server on 127.0.0.1."""

import base64
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nagios_nutanix.emulator import Emulator
from nagios_nutanix.emulator.faults import Fault, FaultError
from nagios_nutanix.emulator.world import load_world, scenario_names

ROOT = Path(__file__).resolve().parents[2]
CA_FILE = ROOT / "nagios_nutanix" / "emulator" / "tls" / "emulator-cert.pem"
V2 = "/api/nutanix/v2.0"
GW1 = "/PrismGateway/services/rest/v1"
GW2 = "/PrismGateway/services/rest/v2.0"
V4 = "/api/clustermgmt/v4.0/config"


def basic(user="admin", password="Nutanix/4u"):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def tls_context():
    return ssl.create_default_context(cafile=str(CA_FILE))


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode())

    def cookies(self):
        return [v for k, v in self.headers if k.lower() == "set-cookie"]

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def call(emu, path, method="GET", auth=True, cookie=None, body=None, headers=None):
    conn = http.client.HTTPSConnection("127.0.0.1", emu.port, context=tls_context(), timeout=10)
    try:
        hdrs = dict(headers or {})
        if auth is True:
            hdrs["Authorization"] = basic()
        elif auth:
            hdrs["Authorization"] = auth
        if cookie:
            hdrs["Cookie"] = cookie
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=payload, headers=hdrs)
        resp = conn.getresponse()
        return Answer(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


def session_cookie(answer):
    for cookie in answer.cookies():
        if cookie.startswith("NTNX_IGW_SESSION="):
            return cookie.split(";", 1)[0]
    raise AssertionError("no NTNX_IGW_SESSION cookie in %r" % answer.cookies())


@pytest.fixture(scope="module")
def healthy():
    with Emulator("healthy") as emu:
        yield emu


@pytest.fixture(scope="module")
def large():
    with Emulator("large") as emu:
        yield emu


@pytest.fixture(scope="module")
def pc():
    with Emulator("prism-central") as emu:
        yield emu


@pytest.fixture
def fresh():
    with Emulator("healthy", session_ttl=1, lockout_after=3, lockout_seconds=60) as emu:
        yield emu


# ----------------------------------------------------------------------------- TLS


def test_tls_verifies_with_shipped_ca_and_fails_without(healthy):
    assert call(healthy, V2 + "/cluster").status == 200
    conn = http.client.HTTPSConnection("127.0.0.1", healthy.port,
                                       context=ssl.create_default_context(), timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.request("GET", V2 + "/cluster", headers={"Authorization": basic()})
    conn.close()
    # The server survives a refused handshake.
    assert call(healthy, V2 + "/cluster").status == 200


def test_url_and_loopback_only():
    emu = Emulator("healthy")
    with pytest.raises(ValueError):
        Emulator("healthy", host="0.0.0.0")
    with emu:
        assert emu.url == "https://127.0.0.1:%d" % emu.port and emu.port > 0


# ----------------------------------------------------------------------------- auth


def test_basic_login_sets_both_cookies_and_cookie_is_reused(fresh):
    first = call(fresh, V2 + "/cluster")
    assert first.status == 200
    cookies = first.cookies()
    igw = [c for c in cookies if c.startswith("NTNX_IGW_SESSION=")]
    jsession = [c for c in cookies if c.startswith("JSESSIONID=")]
    assert len(igw) == 1 and len(jsession) == 1
    for attr in ("Path=/", "Secure", "HttpOnly", "SameSite=Lax", "Expires="):
        assert attr in igw[0]
    assert "Path=/PrismGateway" in jsession[0]
    second = call(fresh, V2 + "/hosts", auth=None, cookie=session_cookie(first))
    assert second.status == 200 and second.cookies() == []
    stats = fresh.stats()
    assert stats["logins"] == 1 and stats["cookie_requests"] == 1
    assert stats["basic_auth_requests"] == 1 and stats["requests"] == 2


def test_expired_unknown_and_missing_credentials_give_401(fresh):
    cookie = session_cookie(call(fresh, V2 + "/cluster"))
    time.sleep(1.1)
    expired = call(fresh, V2 + "/cluster", auth=None, cookie=cookie)
    assert expired.status == 401
    assert expired.header("WWW-Authenticate") == 'Basic realm="Intent Gateway Login Required"'
    body = expired.json()
    assert body["state"] == "ERROR" and body["code"] == 401
    assert body["message_list"][0]["reason"] == "AUTHENTICATION_REQUIRED"
    assert call(fresh, V2 + "/cluster", auth=None, cookie="NTNX_IGW_SESSION=bogus").status == 401
    assert call(fresh, V2 + "/cluster", auth=None).status == 401


def test_lockout_after_failed_logins(fresh):
    for _ in range(3):
        assert call(fresh, V2 + "/cluster", auth=basic(password="wrong")).status == 401
    locked = call(fresh, V2 + "/cluster")
    assert locked.status == 401
    assert locked.json()["message_list"][0]["message"] == "Account locked"
    assert fresh.stats()["failed_logins"] == 4 and fresh.stats()["logins"] == 0
    # Another account is not affected; reset lifts the lock.
    assert call(fresh, V2 + "/cluster", auth=basic("viewer", "Viewer/4u")).status == 200
    fresh.reset()
    assert call(fresh, V2 + "/cluster").status == 200


def test_forbidden_path_gives_403(healthy):
    viewer = basic("viewer", "Viewer/4u")
    denied = call(healthy, V2 + "/alerts", auth=viewer)
    assert denied.status == 403
    assert denied.json() == {"message": "Access denied", "reason": "ACCESS_DENIED"}
    assert call(healthy, V2 + "/hosts", auth=viewer).status == 200


# ----------------------------------------------------------------------------- control


def test_stats_reset_and_control_endpoints(fresh):
    call(fresh, V2 + "/hosts?count=2")
    call(fresh, V2 + "/hosts?count=2&page=2")
    call(fresh, GW1 + "/vms")
    stats = call(fresh, "/_emulator/stats", auth=None).json()
    assert stats["requests"] == 3
    assert stats["paths"] == {V2 + "/hosts": 2, GW1 + "/vms": 1}
    assert call(fresh, "/_emulator/faults", method="POST", auth=None,
                body=[{"path": "hosts", "status": 503}]).status == 200
    assert call(fresh, "/_emulator/reset", method="POST", auth=None).status == 200
    stats = call(fresh, "/_emulator/stats", auth=None).json()
    assert stats == {"requests": 0, "logins": 0, "failed_logins": 0, "basic_auth_requests": 0,
                     "cookie_requests": 0, "paths": {}}
    # Faults survive a reset; DELETE clears them.
    assert call(fresh, "/_emulator/faults", auth=None).json()[0]["status"] == 503
    assert call(fresh, V2 + "/hosts").status == 503
    call(fresh, "/_emulator/faults", method="DELETE", auth=None)
    assert call(fresh, "/_emulator/faults", auth=None).json() == []
    assert call(fresh, V2 + "/hosts").status == 200


# ----------------------------------------------------------------------------- PE shapes


def test_views_agree_on_nodes(healthy):
    cluster = call(healthy, GW2 + "/cluster").json()
    hosts = call(healthy, V2 + "/hosts").json()
    vms = call(healthy, GW1 + "/vms").json()
    cvms = [vm for vm in vms["entities"] if vm["controllerVm"]]
    assert cluster["num_nodes"] == hosts["metadata"]["total_entities"] == len(cvms) == 4
    assert sorted(h["name"] for h in hosts["entities"]) == ["node-01", "node-02", "node-03",
                                                           "node-04"]
    by_uuid = {h["uuid"]: h for h in hosts["entities"]}
    for cvm in cvms:
        host = by_uuid[cvm["hostUuid"]]
        assert cvm["hostName"] == host["name"]
        assert cvm["ipAddresses"] == [host["service_vmexternal_ip"]]
        assert cvm["vmName"] == "NTNX-%s-%s-CVM" % (host["block_serial"],
                                                   host["position"]["name"])
    guests_on = [vm for vm in vms["entities"]
                 if not vm["controllerVm"] and vm["powerState"] == "on"]
    assert sum(h["num_vms"] for h in hosts["entities"]) == len(guests_on)
    assert cluster["cluster_redundancy_state"]["current_redundancy_factor"] == 2
    assert cluster["operation_mode"] == "Normal" and cluster["hypervisor_types"] == ["kKvm"]
    assert cluster["stats"]["hypervisor_cpu_usage_ppm"] == "135137"
    disks = call(healthy, V2 + "/disks").json()
    assert disks["metadata"]["total_entities"] == 24
    slots = hosts["entities"][0]["disk_hardware_configs"]
    assert slots["8"] is None and slots["1"]["mounted"] is True


def test_pe_endpoints_under_both_prefixes(healthy):
    paths = ["cluster", "cluster/domain_fault_tolerance_status", "hosts", "disks",
             "storage_containers", "protection_domains", "protection_domains/dr_snapshots",
             "protection_domains/replications", "protection_domains/PD-GOLD/dr_snapshots",
             "protection_domains/PD-GOLD/replications", "remote_sites", "alerts", "vms", "ha",
             "cluster/remote_support"]
    for path in paths:
        for prefix in (V2, GW2):
            assert call(healthy, "%s/%s" % (prefix, path)).status == 200, path
    for path in ("vms", "storage_pools", "containers", "remote_sites",
                 "cluster/domain_fault_tolerance_status"):
        for prefix in (GW1, "/api/nutanix/v1"):
            assert call(healthy, "%s/%s" % (prefix, path)).status == 200, path
    host_uuid = healthy.world.cluster.nodes[0].uuid
    nics = call(healthy, V2 + "/hosts/%s/host_nics" % host_uuid).json()
    assert isinstance(nics, list) and nics[0]["name"] == "eth0"
    assert call(healthy, V2 + "/hosts/%s" % host_uuid).json()["name"] == "node-01"
    assert call(healthy, V2 + "/hosts/no-such-uuid").status == 404
    assert call(healthy, V2 + "/storage_pools").status == 404
    assert call(healthy, V2 + "/containers").status == 404
    missing = call(healthy, V2 + "/nothing")
    assert missing.status == 404 and missing.json()["message"] == "Resource not found"
    tasks = call(healthy, V2 + "/tasks/list", method="POST", body={})
    assert tasks.status == 200
    task_uuid = tasks.json()["entities"][0]["uuid"]
    assert call(healthy, V2 + "/tasks/" + task_uuid).json()["progress_status"] == "Succeeded"


def test_fault_tolerance_and_containers_shapes(healthy):
    ft = call(healthy, V2 + "/cluster/domain_fault_tolerance_status").json()
    assert isinstance(ft, list) and {d["domain_type"] for d in ft} == {"NODE", "DISK"}
    node = [d for d in ft if d["domain_type"] == "NODE"][0]
    for comp in node["component_fault_tolerance_status"].values():
        assert comp["number_of_failures_tolerable"] == 1 and comp["details"] is None
    v1 = call(healthy, GW1 + "/cluster/domain_fault_tolerance_status").json()
    assert v1[0]["domainType"] == "NODE" and "componentFaultToleranceStatus" in v1[0]
    containers = call(healthy, GW1 + "/containers").json()["entities"]
    assert len(containers) == 3
    usage = containers[0]["usageStats"]
    assert isinstance(usage["data_reduction.overall.saving_ratio_ppm"], str)
    assert isinstance(containers[0]["maxCapacity"], int)
    pool = call(healthy, GW1 + "/storage_pools").json()
    assert pool["metadata"]["grandTotalEntities"] == 1


def test_alert_filters_and_templates(healthy):
    everything = call(healthy, V2 + "/alerts").json()
    assert everything["metadata"]["total_entities"] == 3
    open_alerts = call(healthy, V2 + "/alerts?resolved=false&acknowledged=false").json()
    assert [a["severity"] for a in open_alerts["entities"]] == ["kInfo"]
    critical = call(healthy, V2 + "/alerts?severity=CRITICAL").json()
    assert critical["metadata"]["total_entities"] == 1
    alert = open_alerts["entities"][0]
    context = dict(zip(alert["context_types"], alert["context_values"]))
    assert "{pre_expiry_msg}" in alert["message"] and "pre_expiry_msg" in context


# ----------------------------------------------------------------------------- pagination


def test_v2_hosts_pagination_covers_every_host_once(large):
    seen = []
    for page in range(1, 5):
        body = call(large, V2 + "/hosts?count=5&page=%d" % page).json()
        meta = body["metadata"]
        assert meta["total_entities"] == 16 and meta["page"] == page and meta["count"] == 5
        assert meta["start_index"] == (page - 1) * 5 + 1
        seen += [h["name"] for h in body["entities"]]
    assert len(seen) == 16 and len(set(seen)) == 16
    assert call(large, V2 + "/hosts?count=5&page=5").json()["entities"] == []
    assert call(large, V2 + "/hosts?count=abc").status == 400


def test_v1_vms_pages_at_max_page_size(large):
    names = []
    page = 1
    while True:
        body = call(large, GW1 + "/vms?count=500&page=%d" % page).json()
        assert body["metadata"]["count"] == 100 and body["metadata"]["totalEntities"] == 416
        if not body["entities"]:
            break
        names += [vm["vmName"] for vm in body["entities"]]
        page += 1
    assert page == 6 and len(set(names)) == 416
    assert call(large, V2 + "/disks").json()["metadata"]["total_entities"] == 160


def test_v3_and_v4_pagination(pc):
    seen = []
    for offset in range(0, 7, 3):
        body = call(pc, "/api/nutanix/v3/hosts/list", method="POST",
                    body={"kind": "host", "length": 3, "offset": offset}).json()
        assert body["api_version"] == "3.1" and body["metadata"]["total_matches"] == 7
        assert body["metadata"]["length"] == 3 and body["metadata"]["offset"] == offset
        seen += [h["status"]["name"] for h in body["entities"]]
    assert len(seen) == 7 and len(set(seen)) == 7
    hosts = []
    for page in range(3):
        body = call(pc, V4 + "/hosts?$page=%d&$limit=3" % page).json()
        assert body["$objectType"] == "clustermgmt.v4.config.ListHostsApiResponse"
        assert body["metadata"]["totalAvailableResults"] == 7
        hosts += [h["hostName"] for h in body["data"]]
        rels = {link["rel"] for link in body["metadata"]["links"]}
        assert {"first", "self", "last"} <= rels and ("next" in rels) == (page < 2)
    assert len(set(hosts)) == 7
    bad = call(pc, V4 + "/hosts?$limit=1000")
    assert bad.status == 400
    assert bad.json()["data"]["$objectType"] == "clustermgmt.v4.error.ErrorResponse"


# ----------------------------------------------------------------------------- Prism Central


def test_pc_identity_and_412_for_pe_only(pc):
    first = call(pc, V2 + "/cluster")
    assert first.header("X-Ntnx-Env") == "pc"
    assert [c for c in first.cookies() if c.startswith("JSESSIONID")] == []
    cluster = first.json()
    assert cluster["name"] == "PC-01" and cluster["multicluster"] is True
    assert cluster["version"] == "pc.2024.3"
    for path in (V2 + "/hosts", V2 + "/protection_domains", V2 + "/ha", GW1 + "/vms",
                 V2 + "/cluster/domain_fault_tolerance_status", GW1 + "/storage_pools"):
        answer = call(pc, path)
        assert answer.status == 412, path
        assert answer.header("X-Ntnx-Env") == "pc"


def test_pc_v3_and_v4_clusters(pc):
    body = call(pc, "/api/nutanix/v3/clusters/list", method="POST",
                body={"kind": "cluster", "length": 20, "offset": 0}).json()
    services = {e["status"]["name"]: e["status"]["resources"]["config"]["service_list"]
                for e in body["entities"]}
    assert services == {"PC-01": ["PRISM_CENTRAL"], "PROD-A": ["AOS"], "DR-B": ["AOS"]}
    prod = [e for e in body["entities"] if e["status"]["name"] == "PROD-A"][0]
    ips = [s["ip"] for s in prod["status"]["resources"]["nodes"]["hypervisor_server_list"]]
    assert "127.0.0.1" in ips and len(ips) == 5
    clusters = call(pc, V4 + "/clusters").json()["data"]
    functions = {c["name"]: c["config"]["clusterFunction"] for c in clusters}
    assert functions["PC-01"] == ["PRISM_CENTRAL"] and functions["DR-B"] == ["AOS"]
    dr = [c for c in clusters if c["name"] == "DR-B"][0]
    assert dr["config"]["redundancyFactor"] == 2
    assert dr["config"]["faultToleranceState"]["currentMaxFaultTolerance"] == 1
    for prefix in ("v4.0", "v4.1", "v4.2", "v4.3"):
        one = call(pc, "/api/clustermgmt/%s/config/clusters/%s" % (prefix, dr["extId"]))
        assert one.status == 200 and one.json()["data"]["name"] == "DR-B"
    dr_hosts = call(pc, V4 + "/clusters/%s/hosts" % dr["extId"]).json()["data"]
    degraded = {h["hostName"]: h["isDegraded"] for h in dr_hosts}
    assert degraded == {"dr-node-01": False, "dr-node-02": True, "dr-node-03": False}
    host = dr_hosts[0]
    assert host["hypervisor"]["acropolisConnectionState"] == "CONNECTED"
    assert host["cluster"] == {"uuid": dr["extId"], "name": "DR-B"}
    missing = call(pc, V4 + "/clusters/nope")
    assert missing.status == 404
    assert missing.json()["data"]["$objectType"] == "clustermgmt.v4.error.ErrorResponse"


# ----------------------------------------------------------------------------- faults


def test_fault_cli_syntax():
    fault = Fault.from_cli("hosts:drop_fields=state+is_degraded,times=2,method=get")
    assert fault.drop_fields == ["state", "is_degraded"] and fault.times == 2
    assert fault.method == "GET"
    assert Fault.from_cli("cluster$:delay=5").delay == 5.0
    assert Fault.from_cli("v2.0/hosts:status=503").status == 503
    with pytest.raises(FaultError):
        Fault.from_cli("no-options-here")
    with pytest.raises(FaultError):
        Fault.from_dict({"path": "x", "colour": "red"})


def test_fault_kinds(fresh):
    fresh.set_faults([{"path": "v2.0/hosts$", "status": 503}])
    assert call(fresh, V2 + "/hosts").status == 503
    assert call(fresh, V2 + "/hosts/whatever").status == 404

    fresh.set_faults(["cluster$:delay=0.3"])
    start = time.monotonic()
    assert call(fresh, V2 + "/cluster").status == 200
    assert time.monotonic() - start >= 0.3

    fresh.set_faults([{"path": "hosts", "body": "malformed"}])
    answer = call(fresh, V2 + "/hosts")
    assert answer.status == 200
    with pytest.raises(ValueError):
        answer.json()

    fresh.set_faults([{"path": "hosts", "body": "truncated"}])
    with pytest.raises(http.client.IncompleteRead):
        call(fresh, V2 + "/hosts")

    fresh.set_faults([{"path": "hosts", "body": "empty-list"},
                      {"path": "domain_fault", "body": "empty-list"}])
    empty = call(fresh, V2 + "/hosts").json()
    assert empty["entities"] == [] and empty["metadata"]["total_entities"] == 0
    assert call(fresh, V2 + "/cluster/domain_fault_tolerance_status").json() == []

    fresh.set_faults(["hosts:drop_fields=state+is_degraded", "cluster$:drop_fields=version"])
    host = call(fresh, V2 + "/hosts").json()["entities"][0]
    assert "state" not in host and "is_degraded" not in host and "name" in host
    assert "version" not in call(fresh, V2 + "/cluster").json()

    fresh.set_faults([{"path": "cluster$", "status": 500, "times": 1}])
    assert call(fresh, V2 + "/cluster").status == 500
    assert call(fresh, V2 + "/cluster").status == 200

    fresh.set_faults([{"path": "cluster$", "method": "POST", "status": 500},
                      {"path": "alerts", "status": 502, "body": "<html>Bad gateway</html>"}])
    assert call(fresh, V2 + "/cluster").status == 200
    bad = call(fresh, V2 + "/alerts")
    assert bad.status == 502 and bad.body == b"<html>Bad gateway</html>"

    # Faults apply after authentication.
    assert call(fresh, V2 + "/alerts", auth=basic(password="nope")).status == 401


def test_faults_from_constructor_and_scenario(tmp_path):
    scenario = tmp_path / "broken.yaml"
    scenario.write_text("extends: healthy\nfaults:\n  - {path: 'v2.0/ha', status: 504}\n"
                        "cluster:\n  ha: {applicable: false}\n")
    with Emulator(str(scenario), faults=["disks:status=429"]) as emu:
        assert call(emu, V2 + "/ha").status == 504
        assert call(emu, V2 + "/disks").status == 429
        emu.set_faults([])
        assert call(emu, V2 + "/ha").status == 500  # HA not applicable


# ----------------------------------------------------------------------------- scenarios


def test_all_scenarios_load_deterministically():
    names = scenario_names()
    for expected in ("healthy", "node-down", "ft-degraded", "rf-mismatch", "large",
                     "prism-central", "upgrade", "maintenance"):
        assert expected in names
    for name in names:
        first, second = load_world(name, now=1.7e9), load_world(name, now=1.7e9)
        assert [n.uuid for n in first.nodes] == [n.uuid for n in second.nodes]
    assert load_world("healthy").cluster.uuid == load_world("prism-central").clusters[0].uuid


def test_node_down_scenario():
    with Emulator("node-down") as emu:
        hosts = {h["name"]: h for h in call(emu, V2 + "/hosts").json()["entities"]}
        assert hosts["node-03"]["acropolis_connection_state"] == "kDisconnected"
        assert hosts["node-03"]["metadata_store_status"] != "kNormalMode"
        assert hosts["node-01"]["metadata_store_status"] == "kNormalMode"
        cvms = [vm for vm in call(emu, GW1 + "/vms").json()["entities"] if vm["controllerVm"]]
        down = [vm for vm in cvms if vm["powerState"] == "off"]
        assert len(down) == 1 and down[0]["hostName"] is None and down[0]["ipAddresses"] == []
        ft = call(emu, V2 + "/cluster/domain_fault_tolerance_status").json()
        node = [d for d in ft if d["domain_type"] == "NODE"][0]["component_fault_tolerance_status"]
        assert {k for k, v in node.items() if v["number_of_failures_tolerable"] == 0} == {
            "EXTENT_GROUPS", "METADATA", "OPLOG"}
        assert node["METADATA"]["details"]["message"]
        crit = call(emu, V2 + "/alerts?resolved=false&severity=CRITICAL").json()["entities"]
        assert len(crit) == 3
        assert all(a["affected_entities"][0]["entity_name"] == "node-03" for a in crit)


def test_other_scenarios():
    with Emulator("ft-degraded") as emu:
        ft = call(emu, V2 + "/cluster/domain_fault_tolerance_status").json()
        free = ft[0]["component_fault_tolerance_status"]["FREE_SPACE"]
        assert free["number_of_failures_tolerable"] == 0
        assert free["details"]["message"] == ("Cluster does not have enough capacity to "
                                              "tolerate a node failure")
    with Emulator("rf-mismatch") as emu:
        cluster = call(emu, V2 + "/cluster").json()
        assert cluster["num_nodes"] == 5
        assert cluster["cluster_redundancy_state"]["desired_redundancy_factor"] == 3
    with Emulator("upgrade") as emu:
        cluster = call(emu, V2 + "/cluster").json()
        assert cluster["is_upgrade_in_progress"] is True
        assert cluster["target_version"] != cluster["version"]
    with Emulator("maintenance") as emu:
        hosts = {h["name"]: h for h in call(emu, V2 + "/hosts").json()["entities"]}
        assert hosts["node-02"]["host_in_maintenance_mode"] is True
        assert hosts["node-02"]["hypervisor_state"] == "kEnteredMaintenanceMode"
        assert hosts["node-02"]["num_vms"] == 0
        cvms = [vm for vm in call(emu, GW1 + "/vms").json()["entities"] if vm["controllerVm"]]
        assert all(vm["powerState"] == "on" for vm in cvms)


def test_cached_requests_are_fast(healthy):
    conn = http.client.HTTPSConnection("127.0.0.1", healthy.port, context=tls_context())
    headers = {"Authorization": basic()}
    conn.request("GET", V2 + "/hosts", headers=headers)
    conn.getresponse().read()
    start = time.perf_counter()
    for _ in range(50):
        conn.request("GET", V2 + "/hosts", headers=headers)
        assert conn.getresponse().read()
    conn.close()
    assert (time.perf_counter() - start) / 50 < 0.02


# ----------------------------------------------------------------------------- CLI


def test_cli_ready_line_and_sigterm():
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "nagios_nutanix.emulator.cli", "--port", "0", "--lifetime", "20",
         "--fault", "v2.0/hosts:status=503"],
        cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("nutanix-emulator: scenario healthy listening on https://127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])

        class Target:
            pass

        target = Target()
        target.port = port
        assert call(target, V2 + "/cluster").status == 200
        assert call(target, V2 + "/hosts").status == 503
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_rejects_bad_arguments():
    from nagios_nutanix.emulator.cli import main

    assert main(["--host", "10.1.2.3"]) == 2
    assert main(["--scenario", "no-such-scenario"]) == 2
    assert main(["--fault", "nonsense"]) == 2
    assert main(["--list-scenarios"]) == 0


# ----------------------------------------------------------------------------- v4 alerts

PC_WITH_ALERTS = """
kind: pc
clusters:
  - name: PROD-A
    alerts:
      - title: "Stargate Temporarily Down."
        message: "Stargate on CVM {cvm_ip} is down for {down_time} seconds."
        severity: kCritical
        context: {cvm_ip: 10.10.1.23, down_time: "45"}
        entity: node-03
      - title: "Old news"
        severity: kWarning
        resolved: true
        acknowledged: true
"""


def test_pc_v4_alerts_are_rendered_and_filtered(tmp_path):
    scenario = tmp_path / "pc-alerts.yaml"
    scenario.write_text(PC_WITH_ALERTS)
    with Emulator(str(scenario)) as emu:
        path = "/api/monitoring/v4.0/serviceability/alerts"
        every = call(emu, path).json()
        assert every["$objectType"] == "monitoring.v4.serviceability.ListAlertsApiResponse"
        assert len(every["data"]) == 2
        open_only = call(emu, path + "?%24filter=isResolved%20eq%20false").json()["data"]
        assert [a["title"] for a in open_only] == ["Stargate Temporarily Down."]
        alert = open_only[0]
        assert alert["message"] == "Stargate on CVM 10.10.1.23 is down for 45 seconds."
        assert (alert["severity"], alert["status"]) == ("CRITICAL", "OPEN")
        assert alert["sourceEntity"]["name"] == "node-03"
        unsupported = call(emu, path + "?%24filter=startswith(title,'x')")
        assert unsupported.status == 400
