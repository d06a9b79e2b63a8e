"""Prism Element (v2.0 and v1) answers turned into the model."""

from ..plugin.errors import PluginError
from .model import Cluster, ClusterHealth, FaultTolerance, Inventory, Node
from .normalize import enum, flag, number, ppm_to_percent
from .pagination import v1_pages, v2_pages

V2 = "/api/nutanix/v2.0/"
V1 = "/PrismGateway/services/rest/v1/"
FAULT_TOLERANCE = V2 + "cluster/domain_fault_tolerance_status"
HOSTS = V2 + "hosts"
VMS_V1 = V1 + "vms"

SOURCE = "Prism Element v2.0"


def cluster(doc):
    if not isinstance(doc, dict):
        raise PluginError("unexpected answer for v2.0 cluster: not an object")
    name = doc.get("name")
    if not name:
        raise PluginError("Prism's v2.0 cluster answer has no 'name'; is -H a Prism address?")
    redundancy = doc.get("cluster_redundancy_state") or {}
    return Cluster(
        name=str(name),
        uuid=doc.get("uuid") or doc.get("cluster_uuid"),
        version=doc.get("version"),
        full_version=doc.get("full_version"),
        is_lts=flag(doc.get("is_lts")),
        operation_mode=enum(doc.get("operation_mode")),
        rf_current=number(redundancy.get("current_redundancy_factor")),
        rf_desired=number(redundancy.get("desired_redundancy_factor")),
        upgrade_in_progress=flag(doc.get("is_upgrade_in_progress")),
        target_version=doc.get("target_version"),
        num_nodes=number(doc.get("num_nodes")),
    )


def fault_tolerance(doc):
    """The bare list of domains (some AOS versions wrap it in an object: accepted too)."""
    if isinstance(doc, dict):
        doc = doc.get("domain_fault_tolerance_status", doc.get("entities"))
    if not isinstance(doc, list):
        raise PluginError("unexpected answer for v2.0 cluster/domain_fault_tolerance_status: "
                          "not a list of domains")
    found = []
    for domain in doc:
        if not isinstance(domain, dict):
            continue
        domain_type = domain.get("domain_type") or domain.get("domainType") or "?"
        components = (domain.get("component_fault_tolerance_status")
                      or domain.get("componentFaultToleranceStatus") or {})
        for key, component in sorted(components.items()):
            component = component or {}
            details = component.get("details") or {}
            found.append(FaultTolerance(
                domain=str(domain_type),
                component=str(component.get("component_type") or key),
                tolerable=number(component.get("number_of_failures_tolerable",
                                                component.get("numberOfFailuresTolerable"))),
                message=details.get("message") if isinstance(details, dict) else None,
            ))
    return found


def nodes(hosts, vms):
    """Hosts joined with their CVMs from the v1 VM list."""
    result = []
    for index, host in enumerate(hosts, 1):
        name = host.get("name") or host.get("hypervisor_address")
        if not name:
            raise PluginError("Prism's v2.0 hosts answer has a host without 'name' "
                              "(entity %d); cannot tell the nodes apart" % index)
        stats = host.get("stats") or {}
        result.append(Node(
            name=str(name),
            uuid=host.get("uuid"),
            host_ip=host.get("hypervisor_address"),
            cvm_ip=host.get("service_vmexternal_ip"),
            serial=host.get("serial"),
            block_serial=host.get("block_serial"),
            state=enum(host.get("state")),
            hypervisor_state=enum(host.get("hypervisor_state")),
            connected=_connected(host.get("acropolis_connection_state")),
            maintenance=flag(host.get("host_in_maintenance_mode")),
            degraded=flag(host.get("is_degraded")),
            reboot_pending=flag(host.get("reboot_pending")),
            metadata_status=host.get("metadata_store_status"),
            metadata_message=host.get("metadata_store_status_message"),
            hypervisor_version=host.get("hypervisor_full_name"),
            cpu_percent=ppm_to_percent(stats.get("hypervisor_cpu_usage_ppm")),
            memory_percent=ppm_to_percent(stats.get("hypervisor_memory_usage_ppm")),
            num_vms=number(host.get("num_vms")),
            cpu_threads=number(host.get("num_cpu_threads")),
            memory_bytes=number(host.get("memory_capacity_in_bytes")),
            raw_host=host,
        ))
    _join_cvms(result, [vm for vm in vms if flag(vm.get("controllerVm"))])
    return result


def _connected(value):
    value = enum(value)
    if value is None:
        return None
    return value == "CONNECTED"


def _join_cvms(found, cvms):
    """Tie each CVM to its node: by host uuid, host name, CVM IP; a powered-off CVM may name
    no host, so a single leftover CVM goes to the single node left without one."""
    by_uuid = {n.uuid: n for n in found if n.uuid}
    by_name = {n.name.lower(): n for n in found}
    by_ip = {n.cvm_ip: n for n in found if n.cvm_ip}
    leftovers = []
    for vm in cvms:
        node = by_uuid.get(vm.get("hostUuid")) or by_name.get(str(vm.get("hostName")).lower())
        if node is None:
            for address in vm.get("ipAddresses") or ():
                node = by_ip.get(address)
                if node:
                    break
        if node is None or node.cvm_power is not None:
            leftovers.append(vm)
            continue
        _set_cvm(node, vm)
    orphans = [n for n in found if n.cvm_power is None]
    if len(leftovers) == 1 and len(orphans) == 1:
        _set_cvm(orphans[0], leftovers[0])


def _set_cvm(node, vm):
    stats = vm.get("stats") or {}
    node.cvm_name = vm.get("vmName")
    node.cvm_power = enum(vm.get("powerState")) or "UNKNOWN"
    node.cvm_uuid = vm.get("uuid")
    node.cvm_vcpus = number(vm.get("numVCpus"))
    node.cvm_memory_bytes = number(vm.get("memoryCapacityInBytes"))
    # v1 VM stats keys as Prism's v1 stats use them elsewhere; not seen for CVMs (INFERRED).
    node.cvm_cpu_percent = ppm_to_percent(stats.get("hypervisor_cpu_usage_ppm"))
    node.cvm_memory_percent = ppm_to_percent(
        stats.get("memory_usage_ppm", stats.get("guest.memory_usage_ppm")))
    node.raw_cvm = vm


def inventory(client, cluster_doc):
    """The cluster and its nodes, each joined with its CVM."""
    info = cluster(cluster_doc)
    hosts = v2_pages(client, HOSTS)
    if not hosts:
        raise PluginError("Prism Element %s listed no hosts (v2.0 hosts is empty); the "
                          "cluster may be unconfigured or Prism is still starting" % info.name)
    vms = v1_pages(client, VMS_V1)
    return Inventory(cluster=info, nodes=nodes(hosts, vms), source=SOURCE, kind="pe")


def cluster_health(client, cluster_doc):
    ft = fault_tolerance(client.get(FAULT_TOLERANCE))
    found = inventory(client, cluster_doc)
    return ClusterHealth(cluster=found.cluster, nodes=found.nodes, fault_tolerance=ft,
                         source=SOURCE)
