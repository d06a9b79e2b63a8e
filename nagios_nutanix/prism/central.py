"""Prism Central (v4 clustermgmt, v3 as the fallback) answers turned into the model."""

from ..plugin.errors import PluginError
from ..plugin.sanitize import clean
from .errors import PrismHTTPError
from .model import Cluster, ClusterHealth, FaultTolerance, Inventory, Node
from .normalize import enum, flag, ip, number
from .pagination import v3_pages, v4_pages

V4 = "/api/clustermgmt/v4.0/config/"
V3 = "/api/nutanix/v3/"

# What Prism Central does not tell about a cluster; said in the output, never judged.
NOT_AVAILABLE = ["CVM power state", "metadata ring membership",
                 "fault tolerance per component (only the cluster-wide figure)"]


def _is_prism_central(functions):
    return "PRISM_CENTRAL" in [str(f).upper() for f in functions or ()]


def _pick(clusters, wanted, pc_name):
    names = sorted(c.name for c in clusters)
    listing = ", ".join(names[:20]) + (" and %d more" % (len(names) - 20) if len(names) > 20
                                       else "")
    if not wanted:
        raise PluginError("%s is Prism Central with %d clusters (%s); choose one with "
                          "--cluster NAME" % (pc_name, len(names), listing or "none"))
    for item in clusters:
        if wanted.lower() in (item.name.lower(), str(item.uuid).lower()):
            return item
    raise PluginError("Prism Central %s has no cluster named %r; it knows: %s"
                      % (pc_name, clean(wanted), listing or "none"))


# -- v4 ----------------------------------------------------------------------------------------
def _v4_cluster(doc):
    config = doc.get("config") or {}
    build = config.get("buildInfo") or {}
    tolerance = config.get("faultToleranceState") or {}
    rf = number(config.get("redundancyFactor"))
    desired_ft = number(tolerance.get("desiredMaxFaultTolerance"))
    upgrade = enum(doc.get("upgradeStatus"))
    return Cluster(
        name=str(doc.get("name") or doc.get("extId")),
        uuid=doc.get("extId"),
        version=build.get("version"),
        full_version=build.get("fullVersion"),
        is_lts=flag(config.get("isLts")),
        operation_mode=enum(config.get("operationMode")),
        rf_current=rf,
        # Desired RF read as desired fault tolerance + 1 (RF2 <-> FT1): inferred, not documented.
        rf_desired=desired_ft + 1 if desired_ft is not None else rf,
        upgrade_in_progress=None if upgrade is None else upgrade in (
            "DOWNLOADING", "QUEUED", "PREUPGRADE", "UPGRADING"),
        num_nodes=number((doc.get("nodes") or {}).get("numberOfNodes")),
    ), tolerance


def _v4_node(doc):
    hypervisor = doc.get("hypervisor") or {}
    cvm = doc.get("controllerVm") or {}
    name = doc.get("hostName") or ip(hypervisor.get("externalAddress"))
    if not name:
        raise PluginError("Prism Central's v4 hosts answer has a host without 'hostName'")
    status = enum(doc.get("nodeStatus"))
    connected = enum(hypervisor.get("acropolisConnectionState"))
    state = enum(hypervisor.get("state"))
    return Node(
        name=str(name),
        uuid=doc.get("extId"),
        host_ip=ip(hypervisor.get("externalAddress")),
        cvm_ip=ip(cvm.get("externalAddress")),
        serial=doc.get("nodeSerial"),
        block_serial=doc.get("blockSerial"),
        state=status,
        hypervisor_state=state,
        connected=None if connected is None else connected == "CONNECTED",
        maintenance=_maintenance(flag(cvm.get("isInMaintenanceMode")), state),
        degraded=flag(doc.get("isDegraded")),
        reboot_pending=flag(doc.get("isRebootPending")),
        hypervisor_version=hypervisor.get("fullName"),
        num_vms=number(hypervisor.get("numberOfVms")),
        cpu_threads=number(doc.get("numberOfCpuThreads")),
        memory_bytes=number(doc.get("memorySizeBytes")),
        raw_host=doc,
    )


def _maintenance(cvm_maintenance, hypervisor_state):
    if hypervisor_state in ("ENTERING_MAINTENANCE_MODE", "ENTERED_MAINTENANCE_MODE"):
        return True
    return cvm_maintenance


def _v4_inventory(client, wanted, pc_name):
    """(inventory, the chosen cluster's fault-tolerance state)."""
    raw = v4_pages(client, V4 + "clusters")
    clusters = [_v4_cluster(c) for c in raw
                if not _is_prism_central((c.get("config") or {}).get("clusterFunction"))]
    chosen, tolerance = _pick([c for c, _ in clusters], wanted, pc_name), None
    for info, state in clusters:
        if info is chosen:
            tolerance = state
    hosts = v4_pages(client, V4 + "clusters/%s/hosts" % chosen.uuid)
    if not hosts:
        raise PluginError("Prism Central listed no hosts for cluster %s" % chosen.name)
    return Inventory(cluster=chosen, nodes=[_v4_node(h) for h in hosts], kind="pc",
                     source="Prism Central v4 clustermgmt",
                     not_available=list(NOT_AVAILABLE)), tolerance


def _v4_health(client, wanted, pc_name):
    found, tolerance = _v4_inventory(client, wanted, pc_name)
    ft = []
    current = number((tolerance or {}).get("currentMaxFaultTolerance"))
    if current is not None:
        ft.append(FaultTolerance(domain=str(tolerance.get("domainAwarenessLevel") or "NODE"),
                                 component="CLUSTER", tolerable=current))
    return ClusterHealth(cluster=found.cluster, nodes=found.nodes, fault_tolerance=ft,
                         source=found.source, not_available=found.not_available)


# -- v3 (Prism Central before v4 clustermgmt was generally available) --------------------------
def _v3_cluster(entity):
    status = entity.get("status") or {}
    config = (status.get("resources") or {}).get("config") or {}
    build = config.get("build") or {}
    rf = number(config.get("redundancy_factor"))
    return Cluster(
        name=str(status.get("name") or (entity.get("metadata") or {}).get("uuid")),
        uuid=(entity.get("metadata") or {}).get("uuid"),
        version=build.get("version"),
        full_version=build.get("full_version"),
        is_lts=flag(build.get("is_long_term_support")),
        operation_mode=enum(config.get("operation_mode")),
        rf_current=rf,
        rf_desired=rf,
    ), config.get("service_list")


def _v3_node(entity):
    status = entity.get("status") or {}
    resources = status.get("resources") or {}
    hypervisor = resources.get("hypervisor") or {}
    return Node(
        name=str(status.get("name") or hypervisor.get("ip")),
        uuid=(entity.get("metadata") or {}).get("uuid"),
        host_ip=hypervisor.get("ip"),
        cvm_ip=(resources.get("controller_vm") or {}).get("ip"),
        serial=resources.get("serial_number"),
        block_serial=(resources.get("block") or {}).get("block_serial_number"),
        hypervisor_version=hypervisor.get("hypervisor_full_name"),
    )


V3_NOT_AVAILABLE = NOT_AVAILABLE + [
    "host state, maintenance and degraded flags (v3 has none; Prism Central pc.2024.3 or "
    "later serves v4)"]


def _v3_inventory(client, wanted, pc_name):
    clusters = [c for c, services in map(_v3_cluster, v3_pages(client, V3 + "clusters/list",
                                                                "cluster"))
                if not _is_prism_central(services)]
    chosen = _pick(clusters, wanted, pc_name)
    hosts = [h for h in v3_pages(client, V3 + "hosts/list", "host")
             if ((h.get("status") or {}).get("cluster_reference") or {}).get("uuid")
             == chosen.uuid]
    if not hosts:
        raise PluginError("Prism Central listed no hosts for cluster %s" % chosen.name)
    return Inventory(cluster=chosen, nodes=[_v3_node(h) for h in hosts], kind="pc",
                     source="Prism Central v3", not_available=list(V3_NOT_AVAILABLE))


def _v3_health(client, wanted, pc_name):
    found = _v3_inventory(client, wanted, pc_name)
    return ClusterHealth(cluster=found.cluster, nodes=found.nodes, fault_tolerance=[],
                         source=found.source, not_available=found.not_available)


def inventory(client, cluster_doc, wanted):
    """The chosen cluster and its nodes, from v4 or (where v4 answers 404) v3."""
    pc_name = str((cluster_doc or {}).get("name") or client.host)
    try:
        return _v4_inventory(client, wanted, pc_name)[0]
    except PrismHTTPError as exc:
        if exc.status != 404:
            raise
    return _v3_inventory(client, wanted, pc_name)


def cluster_health(client, cluster_doc, wanted):
    pc_name = str((cluster_doc or {}).get("name") or client.host)
    try:
        return _v4_health(client, wanted, pc_name)
    except PrismHTTPError as exc:
        if exc.status != 404:
            raise
    return _v3_health(client, wanted, pc_name)
