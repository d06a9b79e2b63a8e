"""Prism Central views: v2.0 ``cluster`` (the PC itself), v3 intent lists, v4 clustermgmt.

PE-only v1/v2.0 resources answer ``412 PRECONDITION FAILED`` as Prism Central does.
"""

import re
import time
from typing import Any, Optional

from . import alert_builder
from .cluster_stats import cluster_stats
from .pagination import PageError, envelope_v3, envelope_v4, page_v3, page_v4
from .pe import PE_ONLY_PATTERNS
from .routing import Reply, Request, Router, legacy_error, v3_error, v4_error
from .world import Cluster, Node, PrismCentral, World

V4_FV = {"$fv": "v4.r0"}
HYPERVISOR_STATE_V4 = {
    "kAcropolisNormal": "ACROPOLIS_NORMAL",
    "kEnteringMaintenanceMode": "ENTERING_MAINTENANCE_MODE",
    "kEnteredMaintenanceMode": "ENTERED_MAINTENANCE_MODE",
    "kReservedForHaFailover": "RESERVED_FOR_HA_FAILOVER",
}


def iso(usecs_value: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(usecs_value / 1e6))


def ip4(value: str) -> dict[str, Any]:
    return {"ipv4": {"value": value, "prefixLength": 32}}


def short_commit(full_version: str) -> str:
    tail = full_version.rsplit("-", 1)[-1]
    return tail if re.fullmatch(r"[0-9a-f]{7,40}", tail) else "0" * 40


# ------------------------------------------------------------------------- v2.0


def pc_cluster_v2(pc: PrismCentral, clusters: list[Cluster]) -> dict[str, Any]:
    return {
        "id": pc.id,
        "uuid": pc.uuid,
        "cluster_uuid": pc.uuid,
        "name": pc.name,
        "cluster_external_ipaddress": pc.external_ip,
        "cluster_fully_qualified_domain_name": None,
        "timezone": "UTC",
        "operation_mode": "Normal",
        "storage_type": "mixed",
        "cluster_functions": ["MULTICLUSTER"],  # INFERRED value
        "is_lts": False,
        "is_registered_to_pc": False,
        "num_nodes": 1,
        "block_serials": [],
        "version": pc.version,
        "full_version": "el8.5-release-%s-stable-0000000000000000000000000000000000000000"
        % pc.version,
        "target_version": pc.version,
        "ncc_version": clusters[0].ncc_version if clusters else "ncc-5.0.0",
        "multicluster": True,
        "cloudcluster": False,
        "hypervisor_types": ["kKvm"],
        "cluster_redundancy_state": {"current_redundancy_factor": 1,
                                     "desired_redundancy_factor": 1,
                                     "redundancy_status": {}},
        "is_upgrade_in_progress": False,
        "cluster_arch": "X86_64",
        "stats": {},
        "usage_stats": {},
    }


# ------------------------------------------------------------------------- v3


def _v3_metadata(kind: str, uuid: str, created_usecs: int) -> dict[str, Any]:
    return {
        "kind": kind,
        "uuid": uuid,
        "categories": {},
        "categories_mapping": {},
        "creation_time": iso(created_usecs),
        "last_update_time": iso(created_usecs + 86400 * 1000000),
        "spec_hash": "0" * 50,
        "spec_version": 27,
    }


def cluster_v3(cluster: Cluster) -> dict[str, Any]:
    config = {
        "software_map": {
            "NOS": {"software_type": "NOS", "status": "INSTALLED", "version": cluster.version},
            "NCC": {"software_type": "NCC", "status": "INSTALLED",
                    "version": cluster.ncc_version},
        },
        "encryption_status": "NOT_SUPPORTED",
        "service_list": ["AOS"],
        "redundancy_factor": cluster.current_rf,
        "enabled_feature_list": ["PASSWORD_REMOTE_LOGIN_ENABLED", "SHADOW_CLONES_ENABLED"],
        "is_available": True,
        "timezone": cluster.timezone,
        "cluster_arch": "X86_64",
        "supported_information_verbosity": "BASIC_PLUS_CORE_DUMP",
        "domain_awareness_level": cluster.fault_tolerance_domain_type,
        "build": {
            "build_type": "release",
            "version": cluster.version,
            "full_version": cluster.full_version,
            "commit_id": short_commit(cluster.full_version),
            "short_commit_id": short_commit(cluster.full_version)[:6],
            "is_long_term_support": cluster.is_lts,
        },
        "operation_mode": cluster.operation_mode.upper(),
    }
    servers = [{"ip": n.host_ip, "type": "AHV", "version": cluster.ahv_version}
               for n in cluster.nodes]
    # Recorded quirk: a bogus loopback entry in the hypervisor list.
    servers.insert(min(1, len(servers)), {"ip": "127.0.0.1", "type": "AHV", "version": ""})
    network = {
        "external_ip": cluster.external_ip,
        "external_data_services_ip": cluster.data_services_ip,
        "external_subnet": "10.10.0.0/255.255.0.0",
        "internal_subnet": "192.168.5.0/255.255.255.128",
        "ntp_server_ip_list": ["0.pool.ntp.org", "1.pool.ntp.org"],
        "name_server_ip_list": ["10.10.0.2", "10.10.0.3"],
    }
    resources = {"config": config, "nodes": {"hypervisor_server_list": servers},
                 "network": network}
    return {
        "metadata": _v3_metadata("cluster", cluster.uuid, cluster.created_usecs),
        "spec": {"name": cluster.name,
                 "resources": {"config": dict(config), "network": dict(network)}},
        "status": {"name": cluster.name, "state": "COMPLETE", "resources": resources},
    }


def pc_cluster_v3(pc: PrismCentral, created_usecs: int) -> dict[str, Any]:
    config = {
        "software_map": {
            "PRISM_CENTRAL": {"software_type": "PRISM_CENTRAL", "status": "INSTALLED",
                              "version": pc.version},
        },
        "service_list": ["PRISM_CENTRAL"],
        "redundancy_factor": 1,
        "is_available": True,
        "timezone": "UTC",
        "cluster_arch": "X86_64",
        "build": {"build_type": "release", "version": pc.version,
                  "full_version": "el8.5-release-%s" % pc.version,
                  "is_long_term_support": False},
        "operation_mode": "NORMAL",
    }
    network = {"external_ip": pc.external_ip}
    return {
        "metadata": _v3_metadata("cluster", pc.uuid, created_usecs),
        "spec": {"name": pc.name, "resources": {"config": dict(config), "network": network}},
        "status": {"name": pc.name, "state": "COMPLETE",
                   "resources": {"config": config,
                                 "nodes": {"hypervisor_server_list": [
                                     {"ip": pc.vm_ip, "type": "AHV", "version": ""}]},
                                 "network": network}},
    }


def host_v3(node: Node) -> dict[str, Any]:
    cluster = node.cluster
    resources = {
        "controller_vm": {"ip": node.cvm_ip,
                          "oplog_usage": {"oplog_disk_pct": 3.4, "oplog_disk_size": 435964329984}},
        "hypervisor": {"num_vms": node.num_vms, "ip": node.host_ip,
                       "hypervisor_full_name": node.hypervisor_full_name},
        "block": {"block_serial_number": node.block_serial, "block_model": node.block_model},
        "ipmi": {"ip": node.ipmi_ip},
        "cpu_model": node.cpu_model,
        "num_cpu_sockets": node.num_cpu_sockets,
        "num_cpu_cores": node.num_cpu_cores,
        "cpu_capacity_hz": node.num_cpu_cores * node.cpu_frequency_hz,
        "memory_capacity_mib": node.memory_bytes // 1048576,
        "serial_number": node.serial,
        "host_type": "HYPER_CONVERGED",
        "host_disks_reference_list": [{"kind": "disk", "uuid": d.uuid} for d in node.disks],
        "monitoring_state": "MONITORING_ENABLED",  # INFERRED value
        "gpu_list": [],
        "host_nics_id_list": [],
        "rackable_unit_reference": {"kind": "rackable_unit",
                                    "uuid": node.uuid[:8] + node.block_serial.lower()[-4:]},
    }
    return {
        "metadata": _v3_metadata("host", node.uuid, cluster.created_usecs),
        "spec": {"name": node.name, "resources": {}},
        "status": {
            "name": node.name,
            "state": "COMPLETE",
            "resources": resources,
            "cluster_reference": {"kind": "cluster", "uuid": cluster.uuid, "name": cluster.name},
        },
    }


# ------------------------------------------------------------------------- v4


def cluster_v4(cluster: Cluster) -> dict[str, Any]:
    ft = min((c["tolerable"] for comps in cluster.fault_tolerance.values()
              for c in comps.values()), default=0)
    desired_ft = max(0, cluster.desired_rf - 1)
    cft = {0: "CFT_0N_AND_0D", 1: "CFT_1N_OR_1D", 2: "CFT_2N_OR_2D"}
    return {
        "$objectType": "clustermgmt.v4.config.Cluster",
        "$reserved": V4_FV,
        "extId": cluster.uuid,
        "name": cluster.name,
        "nodes": {
            "numberOfNodes": len(cluster.nodes),
            "nodeList": [{"controllerVmIp": ip4(n.cvm_ip), "hostIp": ip4(n.host_ip),
                          "nodeUuid": n.uuid} for n in cluster.nodes],
        },
        "config": {
            "buildInfo": {"buildType": "release", "version": cluster.version,
                          "fullVersion": cluster.full_version,
                          "commitId": short_commit(cluster.full_version),
                          "shortCommitId": short_commit(cluster.full_version)[:6]},
            "clusterFunction": ["AOS"],
            "clusterSoftwareMap": [{"softwareType": "NOS", "version": cluster.version},
                                   {"softwareType": "NCC", "version": cluster.ncc_version}],
            "hypervisorTypes": ["AHV"],
            "isLts": cluster.is_lts,
            "isAvailable": True,
            "operationMode": cluster.operation_mode.upper().replace("READONLY", "READ_ONLY"),
            "redundancyFactor": cluster.current_rf,
            "clusterArch": "X86_64",
            "timezone": cluster.timezone,
            "incarnationId": cluster.incarnation_id,
            "faultToleranceState": {
                "currentMaxFaultTolerance": ft,
                "desiredMaxFaultTolerance": desired_ft,
                "domainAwarenessLevel": cluster.fault_tolerance_domain_type,
                "currentClusterFaultTolerance": cft.get(ft, "CFT_0N_AND_0D"),
                "desiredClusterFaultTolerance": cft.get(desired_ft, "CFT_1N_OR_1D"),
                "isStrictRackAwarenessEnabled": False,
                "redundancyStatus": {
                    "isCassandraPreparationDone": cluster.current_rf == cluster.desired_rf,
                    "isZookeeperPreparationDone": cluster.current_rf == cluster.desired_rf,
                },
            },
            "pulseStatus": {"isEnabled": True, "piiScrubbingLevel": "DEFAULT"},
            "isRemoteSupportEnabled": False,
            "encryptionInTransitStatus": "DISABLED",
        },
        "network": {
            "externalAddress": ip4(cluster.external_ip),
            "externalDataServiceIp": ip4(cluster.data_services_ip),
            "fqdn": None,
            "nameServerIpList": [ip4("10.10.0.2"), ip4("10.10.0.3")],
            "ntpServerIpList": [{"fqdn": {"value": "0.pool.ntp.org"}},
                                {"fqdn": {"value": "1.pool.ntp.org"}}],
        },
        "upgradeStatus": "UPGRADING" if cluster.upgrade_in_progress else "SUCCEEDED",
        "vmCount": len(cluster.guest_vms),
        "inefficientVmCount": 0,
    }


def pc_cluster_v4(pc: PrismCentral) -> dict[str, Any]:
    return {
        "$objectType": "clustermgmt.v4.config.Cluster",
        "$reserved": V4_FV,
        "extId": pc.uuid,
        "name": pc.name,
        "nodes": {"numberOfNodes": 1,
                  "nodeList": [{"controllerVmIp": ip4(pc.vm_ip), "hostIp": None,
                                "nodeUuid": pc.uuid}]},
        "config": {
            "buildInfo": {"buildType": "release", "version": pc.version},
            "clusterFunction": ["PRISM_CENTRAL"],
            "clusterSoftwareMap": [{"softwareType": "PRISM_CENTRAL", "version": pc.version}],
            "hypervisorTypes": ["AHV"],
            "isLts": False,
            "isAvailable": True,
            "operationMode": "NORMAL",
            "redundancyFactor": 1,
            "clusterArch": "X86_64",
            "timezone": "UTC",
        },
        "network": {"externalAddress": ip4(pc.external_ip), "fqdn": None},
        "upgradeStatus": "SUCCEEDED",
        "vmCount": 0,
    }


def host_v4(node: Node) -> dict[str, Any]:
    cluster = node.cluster
    maintenance = node.host_in_maintenance_mode
    return {
        "$objectType": "clustermgmt.v4.config.Host",
        "$reserved": V4_FV,
        "extId": node.uuid,
        "hostName": node.name,
        "hostType": "HYPER_CONVERGED",
        "hypervisor": {
            "type": "AHV",
            "fullName": node.hypervisor_full_name,  # INFERRED: same text as v2
            "state": HYPERVISOR_STATE_V4.get(node.hypervisor_state, "ACROPOLIS_NORMAL"),
            "acropolisConnectionState": "CONNECTED"
            if node.acropolis_connection_state == "kConnected" else "DISCONNECTED",
            "numberOfVms": node.num_vms,
            "externalAddress": ip4(node.host_ip),
            "userName": "root",
        },
        "controllerVm": {
            "externalAddress": ip4(node.cvm_ip),
            "backplaneAddress": ip4(node.cvm_ip),
            "natIp": None,
            "natPort": None,
            "isInMaintenanceMode": maintenance,
            "id": int(node.service_vmid.split("::")[1]),
        },
        "cluster": {"uuid": cluster.uuid, "name": cluster.name},
        "isDegraded": node.is_degraded,
        "isRebootPending": node.reboot_pending,
        "isSecureBooted": False,
        "isHardwareVirtualized": False,
        "hasCsr": False,
        # INFERRED values for maintenanceState
        "maintenanceState": "entered_maintenance_mode" if maintenance else "normal",
        "nodeStatus": node.state,
        "bootTimeUsecs": node.boot_time_usecs,
        "cpuModel": node.cpu_model,
        "cpuCapacityHz": node.num_cpu_cores * node.cpu_frequency_hz,
        "cpuFrequencyHz": node.cpu_frequency_hz,
        "numberOfCpuSockets": node.num_cpu_sockets,
        "numberOfCpuCores": node.num_cpu_cores,
        "numberOfCpuThreads": node.num_cpu_cores * 2,
        "memorySizeBytes": node.memory_bytes,
        "blockModel": node.block_model,
        "blockSerial": node.block_serial,
        "nodeSerial": node.serial,
        "ipmi": {"ip": ip4(node.ipmi_ip), "username": "ADMIN"},
        "disk": [{"uuid": d.uuid, "serialId": d.serial, "sizeInBytes": d.size_bytes,
                  "storageTier": d.tier.replace("-", "_").upper(), "mountPath":
                  "/home/nutanix/data/stargate-storage/disks/%s" % d.serial}
                 for d in node.disks],
    }


def alert_v4(cluster: Cluster, alert: dict[str, Any]) -> dict[str, Any]:
    """monitoring v4 Alert from the same world entry as v2 (field names MODEL, values INFERRED:
    v4 messages come rendered, parameters wrap values as {"stringValue": ...})."""
    node: Optional[Node] = alert["node"]
    context = {str(k): str(v) for k, v in alert["context"].items()}
    if node is not None:
        context.setdefault("node_uuid", node.uuid)
        entity = {"extId": node.uuid, "name": node.name, "type": "host"}
    else:
        entity = {"extId": cluster.uuid, "name": cluster.name, "type": "cluster"}
    if alert.get("affected"):  # a drive or a VM (emulator/alert_builder.py)
        entity = alert_builder.affected_v4(alert["affected"])

    def fill(text: str) -> str:
        return re.sub(r"\{([A-Za-z0-9_]+)\}", lambda m: context.get(m.group(1), m.group(0)),
                      text)

    resolved, acknowledged = bool(alert["resolved"]), bool(alert["acknowledged"])
    status = ("AUTO_RESOLVED" if alert["auto_resolved"] else "RESOLVED") if resolved else (
        "ACKNOWLEDGED" if acknowledged else "OPEN")
    return {
        "$objectType": "monitoring.v4.serviceability.Alert",
        "$reserved": V4_FV,
        "extId": alert["id"],
        "alertType": alert["alert_type_uuid"],
        "title": fill(str(alert["title"])),
        "message": fill(str(alert.get("message", alert["title"]))),
        "severity": str(alert["severity"]).lstrip("k").upper(),
        "status": status,
        "isAcknowledged": acknowledged,
        "isResolved": resolved,
        "isAutoResolved": bool(alert["auto_resolved"]),
        "isUserDefined": False,
        "creationTime": iso(alert["created_usecs"]),
        "lastUpdatedTime": iso(alert["last_usecs"]),
        "lastOccurredTime": iso(alert["last_usecs"]),
        "clusterUUID": cluster.uuid,
        "clusterName": cluster.name,
        "originatingClusterUUID": cluster.uuid,
        "sourceEntity": entity,
        "affectedEntities": [entity],
        "impactTypes": [str(t).upper() for t in alert["impact_types"]],
        "classifications": list(alert["classifications"]),
        "parameters": [{"paramName": k, "paramValue": {"stringValue": v}}
                       for k, v in context.items()],
        "kbArticles": list(alert.get("kb_articles") or []),
        "serviceName": str(alert.get("service_name", "ncc")),
    }


_V4_BOOL_FILTER = re.compile(r"^\s*(isResolved|isAcknowledged|isAutoResolved)\s+eq\s+"
                             r"(true|false)\s*$")


def filter_alerts_v4(alerts: list[dict[str, Any]], expression: Optional[str]):
    """The small part of OData $filter the plugin uses: `field eq true|false` joined by `and`.
    Anything else is answered 400, as an unsupported filter would be."""
    if not expression:
        return alerts
    for clause in re.split(r"\s+and\s+", expression):
        match = _V4_BOOL_FILTER.match(clause)
        if not match:
            return None
        name, value = match.group(1), match.group(2) == "true"
        alerts = [a for a in alerts if a[name] == value]
    return alerts


# ------------------------------------------------------------------------- routes


class PrismCentralApi:
    def __init__(self, world: World):
        self.world = world
        self.pc = world.prism_central
        clusters = world.clusters
        self.cluster_v2 = Reply(200, pc_cluster_v2(self.pc, clusters))
        created = min(c.created_usecs for c in clusters)
        self.clusters_v3 = [pc_cluster_v3(self.pc, created)] + [cluster_v3(c) for c in clusters]
        self.hosts_v3 = [host_v3(n) for n in world.nodes]
        self.clusters_v4 = [pc_cluster_v4(self.pc)] + [cluster_v4(c) for c in clusters]
        self.hosts_v4 = [host_v4(n) for n in world.nodes]
        self.alerts_v4 = sorted((alert_v4(c, a) for c in world.clusters for a in c.alerts),
                                key=lambda a: a["creationTime"], reverse=True)

    def register(self, router: Router) -> None:
        add = router.add
        add("GET", r"v2\.0/cluster", lambda req: self.cluster_v2)
        for pattern in PE_ONLY_PATTERNS:
            for method in ("GET", "POST", "PUT", "DELETE"):
                add(method, pattern, self.precondition_failed)
        add("POST", r"v3/clusters/list", self.v3_list("cluster", lambda: self.clusters_v3))
        add("POST", r"v3/hosts/list", self.v3_list("host", lambda: self.hosts_v3))
        add("GET", r"v3/clusters/(?P<uuid>[^/]+)", self.v3_one(self.clusters_v3, "cluster"))
        add("GET", r"v3/hosts/(?P<uuid>[^/]+)", self.v3_one(self.hosts_v3, "host"))
        add("GET", r"clustermgmt/config/clusters",
            self.v4_list("clustermgmt.v4.config.ListClustersApiResponse",
                         lambda req: self.clusters_v4))
        add("GET", r"clustermgmt/config/clusters/(?P<ext_id>[^/]+)", self.v4_cluster)
        add("GET", r"clustermgmt/config/hosts",
            self.v4_list("clustermgmt.v4.config.ListHostsApiResponse",
                         lambda req: self.hosts_v4))
        add("GET", r"clustermgmt/config/clusters/(?P<cluster>[^/]+)/hosts",
            self.v4_list("clustermgmt.v4.config.ListHostsApiResponse", self.v4_cluster_hosts))
        add("GET", r"clustermgmt/config/clusters/(?P<cluster>[^/]+)/hosts/(?P<ext_id>[^/]+)",
            self.v4_host)
        add("GET", r"monitoring/serviceability/alerts",
            self.v4_list("monitoring.v4.serviceability.ListAlertsApiResponse", self.v4_alerts))
        from .pc_disks import register as register_disks  # v4 config/disks

        register_disks(self, router)
        from .pc_storage import register as register_storage  # v4 storage containers + stats

        register_storage(self, router)
        add("GET", r"clustermgmt/stats/clusters/(?P<ext_id>[^/]+)",
            cluster_stats(self.world.clusters))
        from .tasks import TasksV4  # v4 prism config/tasks (VM migrations)
        from .vmm import VmmV4  # v4 vmm ahv/config/vms (VM placement, vCPUs)

        TasksV4(self.world).register(router, self.v4_list)
        VmmV4(self.world).register(router, self.v4_list)
        from .leap import LeapV4  # v4 datapolicies + dataprotection (Leap)

        LeapV4(self.world).register(router, self.v4_list)

    def precondition_failed(self, req: Request, **_groups: str) -> Reply:
        # INFERRED body text; only the 412 status is documented by a consumer.
        return legacy_error(412, "This operation is not supported on Prism Central")

    # --- v3
    @staticmethod
    def v3_list(kind: str, source):
        def handler(req: Request) -> Reply:
            body = req.body if isinstance(req.body, dict) else {}
            if body.get("kind") not in (None, kind):
                return v3_error(400, "kind must be %s" % kind, "INVALID_REQUEST")
            try:
                length, offset, explicit = page_v3(body)
            except PageError as exc:
                return v3_error(400, str(exc), "INVALID_REQUEST")
            return Reply(200, envelope_v3(kind, source(), length, offset, explicit))

        return handler

    @staticmethod
    def v3_one(items: list[dict[str, Any]], kind: str):
        table = {i["metadata"]["uuid"]: i for i in items}

        def handler(req: Request, uuid: str) -> Reply:
            item = table.get(uuid)
            if item is None:
                return v3_error(404, "%s %s not found" % (kind, uuid), "ENTITY_NOT_FOUND")
            out = {"api_version": "3.1"}
            out.update(item)
            return Reply(200, out)

        return handler

    # --- v4
    @staticmethod
    def v4_list(object_type: str, source):
        def handler(req: Request, **groups: str) -> Reply:
            try:
                page, limit = page_v4(req.params)
            except PageError as exc:
                return v4_error(400, str(exc), object_type, "CLU-10002")
            items = source(req, **groups)
            if isinstance(items, Reply):
                return items
            return Reply(200, envelope_v4(object_type, items, page, limit, req.base_url,
                                          req.params))

        return handler

    def v4_alerts(self, req: Request):
        found = filter_alerts_v4(self.alerts_v4, req.params.get("$filter"))
        if found is None:
            return v4_error(400, "Unsupported $filter expression", "monitoring.v4.error",
                            "MON-10001")  # INFERRED error code
        return found

    def _find_cluster(self, ext_id: str) -> Optional[dict[str, Any]]:
        for item in self.clusters_v4:
            if item["extId"] == ext_id:
                return item
        return None

    def v4_cluster(self, req: Request, ext_id: str) -> Reply:
        item = self._find_cluster(ext_id)
        object_type = "clustermgmt.v4.config.GetClusterApiResponse"
        if item is None:
            return v4_error(404, "Cluster %s not found" % ext_id, object_type)
        return Reply(200, {"$objectType": object_type, "$reserved": V4_FV, "data": item,
                           "metadata": {"flags": [], "links": []}})

    def v4_cluster_hosts(self, req: Request, cluster: str):
        if self._find_cluster(cluster) is None:
            return v4_error(404, "Cluster %s not found" % cluster,
                            "clustermgmt.v4.config.ListHostsApiResponse")
        return [h for h in self.hosts_v4 if h["cluster"]["uuid"] == cluster]

    def v4_host(self, req: Request, cluster: str, ext_id: str) -> Reply:
        object_type = "clustermgmt.v4.config.GetHostApiResponse"
        for host in self.hosts_v4:
            if host["extId"] == ext_id and host["cluster"]["uuid"] == cluster:
                return Reply(200, {"$objectType": object_type, "$reserved": V4_FV,
                                   "data": host, "metadata": {"flags": [], "links": []}})
        return v4_error(404, "Host %s not found in cluster %s" % (ext_id, cluster), object_type)
