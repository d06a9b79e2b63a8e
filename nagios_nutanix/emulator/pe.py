"""Prism Element v1 (camelCase) and v2.0 (snake_case) views of a cluster.

Shapes follow the recorded responses in the reference notes: ``stats``/``usage_stats`` values
are JSON strings (``"-1"`` = not available), capacities are integers, times are microseconds
since the epoch and ratios are ppm.
"""

from typing import Any, Callable, Optional

from . import alert_builder
from .genesis import GenesisRpc
from .pagination import (
    PageError,
    envelope_v1,
    envelope_v2,
    envelope_v2_offset,
    page_v2,
)
from .routing import Reply, Request, Router, legacy_error
from .world import Cluster, Disk, Node, Vm, World, stable_int

HELP_URL = "http://my.nutanix.com"
SEVERITY_PARAM = {"CRITICAL": "kCritical", "WARNING": "kWarning", "INFO": "kInfo",
                  "AUDIT": "kAudit"}


def s(value: Any) -> str:
    """Prism stats values are strings."""
    return str(int(value))


# ------------------------------------------------------------------------- cluster


def cluster_stats(cluster: Cluster) -> dict[str, str]:
    st = cluster.stats
    iops = st["iops"]
    reads = iops * 147722 // 1000000
    return {
        "controller_avg_io_latency_usecs": s(st["latency_usecs"]),
        "controller_avg_read_io_latency_usecs": s(st["latency_usecs"] * 26 // 100),
        "controller_avg_write_io_latency_usecs": s(st["latency_usecs"] * 113 // 100),
        "controller_io_bandwidth_kBps": s(st["bandwidth_kBps"]),
        "controller_num_iops": s(iops),
        "controller_num_read_iops": s(reads),
        "controller_num_write_iops": s(iops - reads),
        "controller_read_io_ppm": "147722",
        "controller_write_io_ppm": "852278",
        "controller_num_random_io": "-1",
        "controller_timespan_usecs": "30000000",
        "hypervisor_cpu_usage_ppm": s(st["cpu_ppm"]),
        "hypervisor_memory_usage_ppm": s(st["memory_ppm"]),
        "hypervisor_avg_io_latency_usecs": "0",
        "hypervisor_timespan_usecs": "29824927",
        "num_iops": s(iops),
        "io_bandwidth_kBps": s(st["bandwidth_kBps"]),
        "avg_io_latency_usecs": s(st["latency_usecs"]),
        "content_cache_hit_ppm": "-1",
    }


def saving_ratio(cluster: Cluster) -> float:
    used = sum(c["usage_bytes"] for c in cluster.containers) or 1
    logical = sum(c["usage_bytes"] * float(c["saving_ratio"]) for c in cluster.containers)
    return max(1.0, logical / used)


def cluster_usage(cluster: Cluster) -> dict[str, str]:
    cap, used = cluster.capacity_bytes, cluster.usage_bytes
    ratio = saving_ratio(cluster)
    return {
        "storage.capacity_bytes": s(cap),
        "storage.free_bytes": s(cap - used),
        "storage.usage_bytes": s(used),
        "storage.logical_usage_bytes": s(used * ratio),
        "storage_tier.ssd.capacity_bytes": s(cap),
        "storage_tier.ssd.free_bytes": s(cap - used),
        "storage_tier.ssd.usage_bytes": s(used),
        "storage_tier.das-sata.capacity_bytes": "0",
        "storage_tier.das-sata.free_bytes": "0",
        "storage_tier.das-sata.usage_bytes": "0",
        "data_reduction.saving_ratio_ppm": s(ratio * 1000000),
    }


def cluster_v2(cluster: Cluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "uuid": cluster.uuid,
        "cluster_incarnation_id": cluster.incarnation_id,
        "cluster_uuid": cluster.uuid,
        "name": cluster.name,
        "cluster_external_ipaddress": cluster.external_ip,
        "cluster_external_data_services_ipaddress": cluster.data_services_ip,
        "cluster_fully_qualified_domain_name": None,
        "timezone": cluster.timezone,
        "support_verbosity_type": "BASIC_COREDUMP",
        "operation_mode": cluster.operation_mode,
        "encrypted": False,
        "storage_type": cluster.storage_type,
        "cluster_functions": ["NDFS"],  # INFERRED value
        "is_lts": cluster.is_lts,
        "is_registered_to_pc": cluster.is_registered_to_pc,
        "num_nodes": len(cluster.nodes),
        "block_serials": cluster.block_serials,
        "version": cluster.version,
        "full_version": cluster.full_version,
        "target_version": cluster.target_version,
        "external_subnet": "10.10.0.0/255.255.0.0",
        "internal_subnet": "192.168.5.0/255.255.255.128",
        "ncc_version": cluster.ncc_version,
        "enable_lock_down": False,
        "enable_password_remote_login_to_cluster": True,
        "enable_shadow_clones": True,
        "enable_rf1_container": False,
        "multicluster": False,
        "cloudcluster": False,
        "hypervisor_types": ["kKvm"],
        "cluster_redundancy_state": {
            "current_redundancy_factor": cluster.current_rf,
            "desired_redundancy_factor": cluster.desired_rf,
            # INFERRED inner key names
            "redundancy_status": {
                "kCassandraPrepareDone": cluster.current_rf == cluster.desired_rf,
                "kZookeeperPrepareDone": cluster.current_rf == cluster.desired_rf,
            },
        },
        "cluster_usage_warning_alert_threshold_pct": 75,
        "cluster_usage_critical_alert_threshold_pct": 90,
        "fault_tolerance_domain_type": cluster.fault_tolerance_domain_type,
        "is_upgrade_in_progress": cluster.upgrade_in_progress,
        "name_servers": ["10.10.0.2", "10.10.0.3"],
        "ntp_servers": ["0.pool.ntp.org", "1.pool.ntp.org"],
        "public_keys": [],
        "cluster_arch": "X86_64",
        "stats": cluster_stats(cluster),
        "usage_stats": cluster_usage(cluster),
    }


def fault_tolerance_v2(cluster: Cluster) -> list[dict[str, Any]]:
    out = []
    for domain, components in cluster.fault_tolerance.items():
        status = {}
        for name, comp in components.items():
            status[name] = {
                "component_type": name,
                "number_of_failures_tolerable": comp["tolerable"],
                "details": None if comp["message"] is None
                else {"message": comp["message"], "attributes": {}},
                "under_computation": False,
                "last_updated_time_in_usecs": comp["updated_usecs"],
            }
        out.append({
            "domain_type": domain,
            "component_fault_tolerance_status": status,
            "cluster_under_replicated_data_bytes": 0,
            "cluster_non_fault_tolerant_entries": 0,
        })
    return out


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def camel_keys(obj: Any, keep: tuple = ()) -> Any:
    """The v1 spelling of a v2 document: snake_case keys become camelCase, recursively;
    keys in `keep` (data such as component names) stay as they are."""
    if isinstance(obj, list):
        return [camel_keys(item, keep) for item in obj]
    if isinstance(obj, dict):
        return {(k if k in keep else _camel(k)): camel_keys(v, keep) for k, v in obj.items()}
    return obj


def fault_tolerance_v1(cluster: Cluster) -> list[dict[str, Any]]:
    components = {name for comps in cluster.fault_tolerance.values() for name in comps}
    return camel_keys(fault_tolerance_v2(cluster), keep=tuple(components))


def ha_v2(cluster: Cluster) -> dict[str, Any]:
    ha = cluster.ha
    return {
        "failover_enabled": bool(ha.get("failover_enabled", True)),
        "failover_in_progress_host_uuids": None,
        "ha_state": ha.get("ha_state", "BestEffort"),
        "logical_timestamp": 0,
        "num_host_failures_to_tolerate": int(ha.get("num_host_failures_to_tolerate", 0)),
        "reservation_type": ha.get("reservation_type", "NoReservations"),
        "reserved_host_uuids": None,
    }


# ------------------------------------------------------------------------- hosts and disks


def disk_hw(disk: Disk) -> dict[str, Any]:
    return {
        "serial_number": disk.serial,
        "disk_id": disk.id,
        "disk_uuid": disk.uuid,
        "location": disk.slot,
        "bad": disk.bad,
        "mounted": disk.mounted,
        "mount_path": "/home/nutanix/data/stargate-storage/disks/%s" % disk.serial,
        "model": disk.model,
        "vendor": disk.vendor,
        "boot_disk": disk.boot_disk,
        "only_boot_disk": False,
        "under_diagnosis": False,
        "background_operation": None,
        "current_firmware_version": disk.firmware,
        "target_firmware_version": disk.firmware,
        "can_add_as_new_disk": False,
        "can_add_as_old_disk": False,
    }


def node_stats(node: Node) -> dict[str, str]:
    cl = node.cluster.stats
    share = max(1, len(node.cluster.nodes))
    iops = cl["iops"] // share + stable_int(20, node.name, "iops")
    return {
        "hypervisor_cpu_usage_ppm": s(node.cpu_ppm),
        "hypervisor_memory_usage_ppm": s(node.memory_ppm),
        "hypervisor_num_received_bytes": s(20990113397570 + stable_int(10**12, node.name)),
        "hypervisor_num_transmitted_bytes": s(24316319197591 + stable_int(10**12, node.name, 1)),
        "hypervisor_timespan_usecs": "30194001",
        "controller_avg_io_latency_usecs": s(cl["latency_usecs"] + stable_int(300, node.name)),
        "controller_avg_read_io_latency_usecs": s(cl["latency_usecs"] // 4),
        "controller_avg_write_io_latency_usecs": s(cl["latency_usecs"]),
        "controller_io_bandwidth_kBps": s(cl["bandwidth_kBps"] // share),
        "controller_num_iops": s(iops),
        "controller_num_read_iops": s(iops // 7),
        "controller_num_write_iops": s(iops - iops // 7),
        "controller_timespan_usecs": "20000000",
        "controller_total_transformed_usage_bytes": "-1",
    }


def node_usage(node: Node) -> dict[str, str]:
    cap, used = node.capacity_bytes, node.usage_bytes
    ratio = saving_ratio(node.cluster)
    return {
        "storage.capacity_bytes": s(cap),
        "storage.free_bytes": s(cap - used),
        "storage.logical_usage_bytes": s(used * ratio),
        "storage.usage_bytes": s(used),
        "storage_tier.das-sata.capacity_bytes": "0",
        "storage_tier.das-sata.free_bytes": "0",
        "storage_tier.das-sata.usage_bytes": "0",
        "storage_tier.ssd.capacity_bytes": s(cap),
        "storage_tier.ssd.free_bytes": s(cap - used),
        "storage_tier.ssd.usage_bytes": s(used),
    }


def host_v2(node: Node) -> dict[str, Any]:
    cluster = node.cluster
    slots: dict[str, Any] = {str(i): None for i in range(1, node.disk_slots + 1)}
    for disk in node.disks:
        slots[str(disk.slot)] = disk_hw(disk)
    return {
        "uuid": node.uuid,
        "service_vmid": node.service_vmid,
        "cluster_uuid": cluster.uuid,
        "name": node.name,
        "serial": node.serial,
        "block_serial": node.block_serial,  # INFERRED field name
        "block_model": "UseLayout",
        "block_model_name": node.block_model,
        "block_location_id": None,
        "position": {"ordinal": "ABCD".find(node.position) + 1 if node.position in "ABCD"
                     else int(node.position),
                     "name": node.position, "physical_position": None},
        "rackable_unit_id": 10 + cluster.block_serials.index(node.block_serial),
        "state": node.state,
        "acropolis_connection_state": node.acropolis_connection_state,
        "hypervisor_state": node.hypervisor_state,
        "hypervisor_type": "kKvm",
        "hypervisor_full_name": node.hypervisor_full_name,
        "hypervisor_address": node.host_ip,
        "hypervisor_username": "root",
        "hypervisor_key": node.host_ip,
        "service_vmexternal_ip": node.cvm_ip,
        "service_vmnat_ip": None,
        "service_vmnat_port": None,
        "controller_vm_backplane_ip": node.cvm_ip,
        "management_server_name": node.host_ip,
        "ipmi_address": node.ipmi_ip,
        "ipmi_username": "ADMIN",
        "host_type": "HYPER_CONVERGED",
        "host_in_maintenance_mode": node.host_in_maintenance_mode,
        "host_maintenance_mode_reason": "life_cycle_management"
        if node.host_in_maintenance_mode else None,
        "is_degraded": node.is_degraded,
        "reboot_pending": node.reboot_pending,
        "is_secure_booted": False,
        "is_hardware_virtualized": False,
        "monitored": True,
        "has_csr": False,
        "vzone_name": "",
        "metadata_store_status": node.metadata_store_status,
        "metadata_store_status_message": node.metadata_store_status_message,
        "removal_status": ["NA"],  # INFERRED value
        "dynamic_ring_changing_node": None,
        "oplog_disk_pct": 3.4,
        "oplog_disk_size": 435964329984,
        "bios_version": "PB50.005",
        "bmc_version": "7.13.0",
        "bmc_model": "X12_ATEN",
        "boot_time_in_usecs": node.boot_time_usecs,
        "cpu_model": node.cpu_model,
        "cpu_capacity_in_hz": node.num_cpu_cores * node.cpu_frequency_hz,
        "cpu_frequency_in_hz": node.cpu_frequency_hz,
        "memory_capacity_in_bytes": node.memory_bytes,
        "num_cpu_cores": node.num_cpu_cores,
        "num_cpu_sockets": node.num_cpu_sockets,
        "num_cpu_threads": node.num_cpu_cores * 2,
        "num_vms": node.num_vms,
        "host_nic_ids": ["%s::%s:eth%d" % (node.uuid, node.uuid[:8], i) for i in range(2)],
        "host_gpus": None,
        "gpu_driver_version": None,
        "failover_cluster_fqdn": None,
        "failover_cluster_node_state": None,
        "key_management_device_to_certificate_status": {},
        "stats": node_stats(node),
        "usage_stats": node_usage(node),
        "disk_hardware_configs": slots,
    }


def host_nics_v2(node: Node) -> list[dict[str, Any]]:
    nics = []
    for i, name in enumerate(("eth0", "eth1", "eth2", "eth3")):
        up = i < 2
        seed = stable_int(10**9, node.uuid, name)
        nics.append({
            "name": name,
            "mac_address": "0c:c4:7a:%02x:%02x:%02x" % (node.index, i, seed % 256),
            "link_speed_in_kbps": 10000000 if up else None,
            "stats": {
                "network.received_bytes": s(185547077 + seed if up else 0),
                "network.transmitted_bytes": s(157213074 + seed // 2 if up else 0),
                "network.received_pkts": s(956968 + seed // 1000 if up else 0),
                "network.transmitted_pkts": s(135781 + seed // 2000 if up else 0),
                "network.dropped_received_pkts": "0",
                "network.dropped_transmitted_pkts": "0",
                "network.error_received_pkts": "0",
                "network.error_transmitted_pkts": "0",
                "network.multicast_received_pkts": "-1",
                "network.multicast_transmitted_pkts": "-1",
                "network.broadcast_received_pkts": "-1",
                "network.broadcast_transmitted_pkts": "-1",
            },
        })
    return nics


REMOTE_SUPPORT = {"enable": False, "remote_support_enabled": False,
                  "remote_tunnel_enabled": False, "status": "disabled"}


def disk_v2(disk: Disk, node: Node) -> dict[str, Any]:
    return {
        "id": disk.id,
        "disk_uuid": disk.uuid,
        "cluster_uuid": node.cluster.uuid,
        "storage_tier_name": disk.tier,
        "service_vmid": node.service_vmid,
        "node_uuid": node.uuid,
        "last_service_vmid": None,
        "last_node_uuid": None,
        "host_name": node.name,
        "cvm_ip_address": node.cvm_ip,
        "node_name": node.name,
        "mount_path": "/home/nutanix/data/stargate-storage/disks/%s" % disk.serial,
        "disk_size": disk.size_bytes,
        "marked_for_removal": disk.marked_for_removal,
        "data_migrated": False,
        "online": disk.online,
        "disk_status": disk.status,
        "location": disk.slot,
        "self_managed_nvme": False,
        "self_encrypting_drive": False,
        "disk_hardware_config": disk_hw(disk),
        "dynamic_ring_changing_node": None,
        "stats": {
            "num_iops": s(10 + stable_int(90, disk.uuid)),
            "avg_io_latency_usecs": s(400 + stable_int(900, disk.uuid, "lat")),
            "io_bandwidth_kBps": s(500 + stable_int(5000, disk.uuid, "bw")),
        },
        "usage_stats": {
            "storage.logical_usage_bytes": s(disk.usage_bytes * 2),
            "storage.capacity_bytes": s(disk.size_bytes),
            "storage.free_bytes": s(disk.size_bytes - disk.usage_bytes),
            "storage.usage_bytes": s(disk.usage_bytes),
        },
    }


# ------------------------------------------------------------------------- storage


def storage_pool_v1(cluster: Cluster) -> dict[str, Any]:
    cap, used = cluster.capacity_bytes, cluster.usage_bytes
    pool = cluster.storage_pool
    disk_uuids = [d.uuid for d in cluster.disks]
    return {
        "id": pool["id"],
        "name": pool["name"],
        "storagePoolUuid": pool["uuid"],
        "clusterUuid": cluster.uuid,
        "capacity": cap,
        "reservedCapacity": 0,
        "markedForRemoval": False,
        "ilmDownMigratePctThreshold": 75,
        "tierwiseFreeCapacityMap": None,
        "disks": disk_uuids,
        "diskUuids": disk_uuids,
        "usageStats": {
            "storage.capacity_bytes": s(cap),
            "storage.container_reserved_free_bytes": "0",
            "storage.disk_physical_usage_bytes": s(used),
            "storage.free_bytes": s(cap - used),
            "storage.logical_usage_bytes": s(used * saving_ratio(cluster)),
            "storage.reserved_capacity_bytes": "0",
            "storage.reserved_free_bytes": "0",
            "storage.reserved_usage_bytes": "0",
            "storage.unreserved_capacity_bytes": s(cap),
            "storage.unreserved_free_bytes": s(cap - used),
            "storage.unreserved_usage_bytes": s(used),
            "storage.usage_bytes": s(used),
            "storage_tier.das-sata.capacity_bytes": "0",
            "storage_tier.das-sata.free_bytes": "0",
            "storage_tier.das-sata.usage_bytes": "0",
            "storage_tier.ssd.capacity_bytes": s(cap),
            "storage_tier.ssd.free_bytes": s(cap - used),
            "storage_tier.ssd.usage_bytes": s(used),
        },
    }


def container_usage(cluster: Cluster, c: dict[str, Any]) -> dict[str, str]:
    pool_cap, pool_used = cluster.capacity_bytes, cluster.usage_bytes
    used = c["usage_bytes"]
    rf = max(1, int(c["replication_factor"]))
    if c.get("advertised_capacity"):
        # Advertised capacity read as logical bytes (INFERRED from v4's
        # logicalAdvertisedCapacityBytes): physical capacity = advertised x RF.
        cap = int(c["advertised_capacity"]) * rf
        free = max(0, cap - used)
    else:
        cap = pool_cap
        free = pool_cap - pool_used
    ratio = float(c["saving_ratio"])
    ppm = s(ratio * 1000000)
    comp_ppm = ppm if c["compression_enabled"] else "1000000"
    logical = int(used * ratio)
    user_used = used // rf
    saved = logical - used
    return {
        "data_reduction.clone.saving_ratio_ppm": "1000000",
        "data_reduction.clone.user_saved_bytes": "0",
        "data_reduction.compression.post_reduction_bytes": s(used),
        "data_reduction.compression.pre_reduction_bytes": s(logical),
        "data_reduction.compression.saving_ratio_ppm": comp_ppm,
        "data_reduction.compression.user_post_reduction_bytes": s(user_used),
        "data_reduction.compression.user_pre_reduction_bytes": s(logical // rf),
        "data_reduction.compression.user_saved_bytes": s(saved // rf),
        "data_reduction.dedup.post_reduction_bytes": s(logical),
        "data_reduction.dedup.pre_reduction_bytes": s(logical),
        "data_reduction.dedup.saving_ratio_ppm": "1000000",
        "data_reduction.dedup.user_saved_bytes": "0",
        "data_reduction.erasure_coding.parity_bytes": "0",
        "data_reduction.erasure_coding.post_reduction_bytes": s(used),
        "data_reduction.erasure_coding.pre_reduction_bytes": s(used),
        "data_reduction.erasure_coding.saving_ratio_ppm": "1000000",
        "data_reduction.erasure_coding.user_post_reduction_bytes": s(user_used),
        "data_reduction.erasure_coding.user_pre_reduction_bytes": s(user_used),
        "data_reduction.erasure_coding.user_saved_bytes": "0",
        "data_reduction.overall.saving_ratio_ppm": ppm,
        "data_reduction.overall.user_saved_bytes": s(saved // rf),
        "data_reduction.post_reduction_bytes": s(used),
        "data_reduction.pre_reduction_bytes": s(logical),
        "data_reduction.saved_bytes": s(saved),
        "data_reduction.saving_ratio_ppm": ppm,
        "data_reduction.thin_provision.saving_ratio_ppm": "-1",
        "data_reduction.thin_provision.user_saved_bytes": "-1",
        "data_reduction.user_post_reduction_bytes": s(user_used),
        "data_reduction.user_pre_reduction_bytes": s(logical // rf),
        "data_reduction.user_saved_bytes": s(saved // rf),
        "storage_tier.das-sata.usage_bytes": "0",
        "storage_tier.ssd.usage_bytes": s(used),
        "storage.capacity_bytes": s(cap),
        "storage.container_reserved_capacity_bytes": "0",
        "storage.disk_physical_usage_bytes": s(used),
        "storage.free_bytes": s(free),
        "storage.logical_usage_bytes": s(logical),
        "storage.recycle_bin_logical_usage_bytes": "0",
        "storage.recycle_bin_usage_bytes": "0",
        "storage.reserved_capacity_bytes": "0",
        "storage.reserved_free_bytes": "0",
        "storage.reserved_usage_bytes": "0",
        "storage.unreserved_capacity_bytes": s(cap),
        "storage.unreserved_free_bytes": s(free),
        "storage.unreserved_own_usage_bytes": s(used),
        "storage.unreserved_usage_bytes": s(used),
        "storage.usage_bytes": s(used),
        "storage.user_capacity_bytes": s(cap // rf),
        "storage.user_container_own_usage_bytes": s(user_used),
        "storage.user_container_reserved_capacity_bytes": "0",
        "storage.user_disk_physical_usage_bytes": s(user_used),
        "storage.user_free_bytes": s(free // rf),
        "storage.user_other_containers_reserved_capacity_bytes": "0",
        "storage.user_reserved_capacity_bytes": "0",
        "storage.user_reserved_free_bytes": "0",
        "storage.user_reserved_usage_bytes": "0",
        "storage.user_storage_pool_capacity_bytes": s(pool_cap // rf),
        "storage.user_unreserved_capacity_bytes": s(cap // rf),
        "storage.user_unreserved_free_bytes": s(free // rf),
        "storage.user_unreserved_own_usage_bytes": s(user_used),
        "storage.user_unreserved_shared_usage_bytes": s((pool_used - used) // rf),
        "storage.user_unreserved_usage_bytes": s(user_used),
        "storage.user_usage_bytes": s(user_used),
    }


def container_stats() -> dict[str, str]:
    keys = ("controller_avg_io_latency_usecs", "controller_num_iops",
            "controller_io_bandwidth_kBps", "controller_timespan_usecs", "avg_io_latency_usecs",
            "num_iops", "io_bandwidth_kBps", "timespan_usecs")
    return {k: "-1" for k in keys}


def container_max_capacity(cluster: Cluster, c: dict[str, Any]) -> int:
    return int(c.get("advertised_capacity") or cluster.capacity_bytes)


def container_v2(cluster: Cluster, c: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": c["id"],
        "storage_container_uuid": c["uuid"],
        "cluster_uuid": cluster.uuid,
        "name": c["name"],
        "storage_pool_id": cluster.storage_pool["id"],
        "storage_pool_uuid": cluster.storage_pool["uuid"],
        "max_capacity": container_max_capacity(cluster, c),
        "total_explicit_reserved_capacity": 0,
        "total_implicit_reserved_capacity": 0,
        "advertised_capacity": c.get("advertised_capacity"),
        "replication_factor": int(c["replication_factor"]),
        "oplog_replication_factor": int(c["replication_factor"]),
        "nfs_whitelist": [],
        "nfs_whitelist_inherited": True,
        "erasure_code": c["erasure_code"],
        "prefer_higher_ecfault_domain": None,
        "erasure_code_delay_secs": None,
        "finger_print_on_write": "off",
        "on_disk_dedup": c["on_disk_dedup"],
        "compression_enabled": bool(c["compression_enabled"]),
        "compression_delay_in_secs": 0,
        "is_nutanix_managed": bool(c["is_nutanix_managed"]),
        "enable_software_encryption": False,
        "encrypted": False,
        "marked_for_removal": False,
        "vstore_name_list": [c["name"]],
        "mapped_remote_containers": None,
        "stats": container_stats(),
        "usage_stats": container_usage(cluster, c),
    }


def container_v1(cluster: Cluster, c: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": c["id"],
        "containerUuid": c["uuid"],
        "clusterUuid": cluster.uuid,
        "name": c["name"],
        "storagePoolId": cluster.storage_pool["id"],
        "storagePoolUuid": cluster.storage_pool["uuid"],
        "markedForRemoval": False,
        "maxCapacity": container_max_capacity(cluster, c),
        "totalExplicitReservedCapacity": 0,
        "totalImplicitReservedCapacity": 0,
        "advertisedCapacity": c.get("advertised_capacity"),
        "replicationFactor": int(c["replication_factor"]),
        "oplogReplicationFactor": int(c["replication_factor"]),
        "compressionEnabled": bool(c["compression_enabled"]),
        "compressionDelayInSecs": 0,
        "onDiskDedup": c["on_disk_dedup"],
        "fingerPrintOnWrite": "off",
        "erasureCode": c["erasure_code"],
        "isNutanixManaged": bool(c["is_nutanix_managed"]),
        "enableSoftwareEncryption": False,
        "vstoreNameList": [c["name"]],
        "stats": container_stats(),
        "usageStats": container_usage(cluster, c),
    }


# ------------------------------------------------------------------------- data protection


def remote_site_v2(site: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": site["name"],
        "uuid": site["uuid"],
        "remote_ip_ports": {site["ip"]: int(site["port"])},
        "capabilities": list(site["capabilities"]),
        "metro_ready": bool(site.get("metro_ready", False)),
        "compress_on_wire": bool(site.get("compress_on_wire", True)),
        "bandwidth_policy_enabled": False,
        "proxy_enabled": False,
        "ssh_enabled": True,
        "vstore_name_map": site.get("vstore_name_map", {}),
        "cluster_external_datasevices_address": None,
        "remote_vstore_name": None,
    }


def remote_site_v1(site: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": site["name"],
        "uuid": site["uuid"],
        "remoteIpPorts": {site["ip"]: int(site["port"])},
        "capabilities": list(site["capabilities"]),
        "metroReady": bool(site.get("metro_ready", False)),
        "sshEnabled": True,
        "compressionEnabled": bool(site.get("compress_on_wire", True)),
        "proxyEnabled": False,
        "bandwidthPolicyEnabled": False,
        "vstoreNameMap": site.get("vstore_name_map", {}),
    }


def pd_v2(cluster: Cluster, pd: dict[str, Any]) -> dict[str, Any]:
    remote = [pd["remote_site"]] if pd["remote_site"] else []
    interval = float(pd["interval_hours"])
    schedule = {  # INFERRED element shape
        "pd_name": pd["name"],
        "id": "%s::%d" % (cluster.uuid, 5000 + stable_int(1000, pd["name"])),
        "type": "HOURLY" if interval < 24 else "DAILY",
        "every_nth": int(interval if interval < 24 else interval // 24),
        "user_start_time_in_usecs": cluster.created_usecs,
        "start_times_in_usecs": [cluster.created_usecs],
        "end_time_in_usecs": None,
        "timezone_offset": 0,
        "is_suspended": False,
        "retention_policy": {
            "local_max_snapshots": int(pd["snapshots"]),
            "remote_max_snapshots": {r: int(pd["snapshots"]) for r in remote},
        },
    }
    metro = pd["metro"]
    return {
        "name": pd["name"],
        "active": bool(pd["active"]),
        "annotations": [],
        "cron_schedules": [schedule],
        "hybrid_schedules_count": None,
        "marked_for_removal": False,
        "metro_avail": dict(metro) if metro else None,
        "min_snapshot_to_retain": None,
        "next_snapshot_time_usecs": pd["next_snapshot_usecs"],
        "pending_replication_count": int(pd.get("pending_replication_count", 0)),
        "ongoing_replication_count": len(pd["replications"]),
        "remote_site_names": remote,
        "replication_links": [
            {"remote_site_name": r, "last_replication_end_time_in_usecs": max(
                (x["created_usecs"] + 60000000 for x in pd["snapshot_list"]
                 if r in x.get("remote_sites", remote)), default=None)}
            for r in remote
        ],
        "stats": {
            "replication_received_bandwidth_kBps": "0",
            "replication_transmitted_bandwidth_kBps": s(pd.get("tx_kBps",
                                                                120 if remote else 0)),
        },
        "total_user_written_bytes": sum(vm.disk_bytes // 4 for vm in pd["vms"]),
        "usage_stats": {
            "dr.exclusive_snapshot_usage_bytes": s(220155904 * len(pd["snapshot_list"])),
            "hydration_space_bytes": "-1",
            "lws_store_used_bytes": "0",
        },
        "vms": [{"vm_name": vm.name, "vm_id": vm.uuid, "consistency_group": vm.name,
                 "power_state": vm.power_state.upper()} for vm in pd["vms"]],
    }


def snapshots_v2(cluster: Cluster, pd: dict[str, Any]) -> list[dict[str, Any]]:
    remote = [pd["remote_site"]] if pd["remote_site"] else []
    return [{
        "protection_domain_name": pd["name"],
        "snapshot_id": snap["snapshot_id"],
        "snapshot_uuid": None,
        "snapshot_name": None,
        "state": "AVAILABLE",
        "snapshot_create_time_usecs": snap["created_usecs"],
        "snapshot_expiry_time_usecs": snap["expiry_usecs"],
        "size_in_bytes": snap["size_in_bytes"],
        "remote_site_names": snap.get("remote_sites", remote),
        "consistency_groups": [vm.name for vm in pd["vms"]],
        "vms": [{"vm_name": vm.name, "vm_id": vm.uuid} for vm in pd["vms"]],
    } for snap in pd["snapshot_list"]]


def remote_snapshots_v2(cluster: Cluster, pds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`remote_sites/dr_snapshots`: the snapshots held at remote sites (keys CONSUMER, ABR;
    that it lists the copies at the sites named in remote_site_names is INFERRED)."""
    return [snap for pd in pds for snap in snapshots_v2(cluster, pd)
            if snap["remote_site_names"]]


def replications_v2(cluster: Cluster, pd: dict[str, Any], now_usecs: int) -> list[dict[str, Any]]:
    out = []
    for i, rep in enumerate(pd["replications"]):
        total = int(rep.get("total_bytes", 10737418240))
        pct = int(rep.get("completed_pct", 40))
        out.append({  # entity keys partly INFERRED
            "id": 9000 + stable_int(1000, pd["name"], i),
            "protection_domain_name": pd["name"],
            "remote_site_name": rep.get("remote_site", pd["remote_site"]),
            "snapshot_id": pd["snapshot_list"][0]["snapshot_id"] if pd["snapshot_list"] else None,
            "replication_operation": rep.get("operation", "SENDING"),
            "start_time_in_usecs": now_usecs - int(rep.get("running_minutes", 5)) * 60000000,
            "total_bytes": total,
            "completed_bytes": total * pct // 100,
            "completed_percentage": pct,
            "replication_time_to_complete_secs": int(rep.get("seconds_left", 300)),
        })
    return out


# ------------------------------------------------------------------------- alerts, vms, tasks


def alert_v2(cluster: Cluster, alert: dict[str, Any]) -> dict[str, Any]:
    node: Optional[Node] = alert["node"]
    context = dict(alert["context"])
    context.setdefault("ncc_version", cluster.ncc_version)
    context.setdefault("nos_version", cluster.version)
    context.setdefault("cluster_uuid", cluster.uuid)
    if node is not None:
        context.setdefault("node_uuid", node.uuid)
        context.setdefault("node_serial", node.serial)
        context.setdefault("block_serial", node.block_serial)
        context.setdefault("service_vm_id", node.service_vmid.split("::")[1])
    if node is not None:
        affected = [{"entity_type": "host", "entity_type_display_name": "Host", "id":
                     node.service_vmid.split("::")[1], "uuid": node.uuid,
                     "entity_name": node.name}]
    else:
        affected = [{"entity_type": "cluster", "entity_type_display_name": "cluster", "id": "",
                     "uuid": cluster.uuid, "entity_name": cluster.name}]
    if alert.get("affected"):  # a drive or a VM (emulator/alert_builder.py)
        affected = [alert_builder.affected_v2(alert["affected"])]
    resolved = bool(alert["resolved"])
    acknowledged = bool(alert["acknowledged"])
    check = str(alert["alert_type_uuid"]).lstrip("A")
    return {
        "id": alert["id"],
        "alert_type_uuid": alert["alert_type_uuid"],
        "check_id": "%s::%s" % (cluster.uuid, check),
        "alert_title": alert["title"],
        "message": alert.get("message", alert["title"]),
        "detailed_message": "",
        "severity": alert["severity"],
        "classifications": list(alert["classifications"]),
        "impact_types": list(alert["impact_types"]),
        "context_types": [str(k) for k in context],
        "context_values": [str(v) for v in context.values()],
        "affected_entities": affected,
        "alert_details": None,
        "cluster_uuid": cluster.uuid,
        "originating_cluster_uuid": cluster.uuid,
        "node_uuid": node.uuid if node else None,
        "service_vmid": node.service_vmid if node else None,
        "created_time_stamp_in_usecs": alert["created_usecs"],
        "last_occurrence_time_stamp_in_usecs": alert["last_usecs"],
        "operation_type": "kCreate",
        "possible_causes": [],
        "acknowledged": acknowledged,
        "acknowledged_by_username": "admin" if acknowledged else "",
        "acknowledged_time_stamp_in_usecs": alert["created_usecs"] + 60000000 if acknowledged
        else 0,
        "resolved": resolved,
        "resolved_by_username": ("N/A" if alert["auto_resolved"] else "admin") if resolved
        else "",
        "resolved_time_stamp_in_usecs": alert["created_usecs"] + 600000000 if resolved else 0,
        "auto_resolved": bool(alert["auto_resolved"]),
        "user_defined": False,
    }


def vm_v1(vm: Vm, cluster: Cluster) -> dict[str, Any]:
    host = vm.host
    return {
        "vmId": "%s::%s" % (cluster.uuid, vm.uuid),
        "uuid": vm.uuid,
        "vmName": vm.name,
        "powerState": vm.power_state,
        "hostName": host.name if host else None,
        "hostUuid": host.uuid if host else None,
        "clusterUuid": cluster.uuid,
        "hypervisorType": "kKvm",
        "acropolisVm": True,
        "controllerVm": vm.controller_vm,
        "vmType": "kControllerVM" if vm.controller_vm else "kGuestVM",  # CVM value INFERRED
        "numVCpus": vm.num_vcpus,
        "memoryCapacityInBytes": vm.memory_mb * 1048576,
        "memoryReservedCapacityInBytes": vm.memory_mb * 1048576,
        "diskCapacityInBytes": vm.disk_bytes,
        "ipAddresses": [vm.ip] if vm.ip else [],
        "numNetworkAdapters": 1,
        "onDiskDedup": "NONE",
        "fingerPrintOnWrite": "none",
        "protectionType": "pd_protected" if vm.protection_domain else "unprotected",
        "protectionDomainName": vm.protection_domain,
        "consistencyGroupName": vm.name if vm.protection_domain else None,
        "runningOnNdfs": True,
        "displayable": not vm.controller_vm,
        "description": None,
        "guestOperatingSystem": None,
        "gpusInUse": None,
        "cpuReservedInHz": None,
        "controlDomain": None,
        **({"stats": cvm_stats_v1(vm)} if vm.controller_vm else {}),
    }


def cvm_stats_v1(vm: Vm) -> dict[str, str]:
    """A CVM's v1 `stats` (keys INFERRED from other v1/v2 stats; never seen for a CVM):
    ppm strings, "-1" when the CVM is off."""
    if vm.power_state != "on":
        return {"hypervisor_cpu_usage_ppm": "-1", "memory_usage_ppm": "-1"}
    return {"hypervisor_cpu_usage_ppm": s(120000 + stable_int(150000, vm.name, "cvm-cpu")),
            "memory_usage_ppm": s(550000 + stable_int(200000, vm.name, "cvm-memory"))}


def vm_v2(vm: Vm) -> dict[str, Any]:
    out = {
        "name": vm.name,
        "uuid": vm.uuid,
        "power_state": vm.power_state,
        "num_vcpus": vm.num_vcpus,
        "num_cores_per_vcpu": 1,
        "memory_mb": vm.memory_mb,
        "description": "",
        "ha_priority": 0,
        "machine_type": "pc",
        "timezone": "UTC",
        "vm_logical_timestamp": 3 + stable_int(40, vm.uuid),
        "boot": {"uefi_boot": False},
        "vm_features": {"AGENT_VM": False, "VGA_CONSOLE": True},
    }
    if vm.host is not None:
        out["host_uuid"] = vm.host.uuid
    return out


def task_v2(cluster: Cluster, task: dict[str, Any]) -> dict[str, Any]:
    from .tasks import task_entities

    failed = task["progress_status"] == "Failed"
    return {  # task entity keys partly INFERRED
        "uuid": task["uuid"],
        "meta_request": {"method_name": task.get("operation_type", "")},
        "meta_response": {"error_code": 1 if failed else 0,
                          "error_detail": task["message"] if failed else ""},
        "create_time_usecs": task["create_usecs"],
        "start_time_usecs": task["start_usecs"],
        "complete_time_usecs": task["complete_usecs"],
        "last_updated_time_usecs": task["complete_usecs"] or task["start_usecs"],
        "operation_type": task.get("operation_type", ""),
        "message": task["message"],
        "percentage_complete": int(task["percentage_complete"]),
        "progress_status": task["progress_status"],
        "entity_list": task_entities(cluster, task),  # the VM and hosts of a migration
        "cluster_uuid": cluster.uuid,
        "subtask_uuid_list": [],
    }


# ------------------------------------------------------------------------- routes

# Route patterns (relative to /api/nutanix/ and /PrismGateway/services/rest/) that exist only
# on a Prism Element; Prism Central answers them with 412.
PE_ONLY_PATTERNS = [
    r"v2\.0/hosts(/[^/]+)?", r"v2\.0/hosts/[^/]+/host_nics", r"v2\.0/disks(/[^/]+)?",
    r"v2\.0/protection_domains(/.*)?", r"v2\.0/remote_sites(/.*)?", r"v1/remote_sites",
    r"v1/storage_pools", r"v2\.0/ha", r"v2\.0/cluster/domain_fault_tolerance_status",
    r"v1/cluster/domain_fault_tolerance_status(/[A-Z_]+)?", r"v1/vms", r"v1/containers",
    r"v2\.0/storage_containers(/[^/]+)?", r"v2\.0/alerts(/[^/]+)?", r"v2\.0/vms(/[^/]+)?",
    r"v2\.0/tasks/list", r"v2\.0/tasks/[^/]+", r"v2\.0/cluster/remote_support",
]


def _bool_param(value: Optional[str]) -> Optional[bool]:
    if value is None or value == "":
        return None
    return value.strip().lower() in ("true", "1", "yes")


class PrismElementApi:
    """Registers v1/v2.0 handlers for the (single) cluster of a PE world."""

    def __init__(self, world: World, max_page_size: int = 100):
        self.world = world
        self.cluster = world.cluster
        self.max_page_size = max_page_size
        c = self.cluster
        self.cluster_reply = Reply(200, cluster_v2(c))
        self.ft_v2 = Reply(200, fault_tolerance_v2(c))
        self.ft_v1 = Reply(200, fault_tolerance_v1(c))
        self.hosts = [host_v2(n) for n in c.nodes]
        self.hosts_by_uuid = {h["uuid"]: Reply(200, h) for h in self.hosts}
        self.nics = {n.uuid: Reply(200, host_nics_v2(n)) for n in c.nodes}
        self.disks = [disk_v2(d, n) for n in c.nodes for d in n.disks]
        self.disks_by_id = {d["id"]: Reply(200, d) for d in self.disks}
        self.pools_v1 = [storage_pool_v1(c)]
        self.containers_v2 = [container_v2(c, x) for x in c.containers]
        self.containers_v1 = [container_v1(c, x) for x in c.containers]
        self.remote_v2 = [remote_site_v2(x) for x in c.remote_sites]
        self.remote_v1 = [remote_site_v1(x) for x in c.remote_sites]
        self.pds = {pd["name"]: pd for pd in c.protection_domains}
        self.pds_v2 = [pd_v2(c, pd) for pd in c.protection_domains]
        self.snapshots = {name: snapshots_v2(c, pd) for name, pd in self.pds.items()}
        now_usecs = int(world.now * 1000000)
        self.replications = {name: replications_v2(c, pd, now_usecs)
                             for name, pd in self.pds.items()}
        self.alerts = sorted((alert_v2(c, a) for a in c.alerts),
                             key=lambda a: -a["created_time_stamp_in_usecs"])
        vms = sorted(c.vms, key=lambda vm: vm.name)
        self.vms_v1 = [vm_v1(vm, c) for vm in vms]
        self.vms_v2 = [vm_v2(vm) for vm in vms if not vm.controller_vm]
        self.tasks = [task_v2(c, t) for t in c.tasks]
        self.tasks_by_uuid = {t["uuid"]: Reply(200, t) for t in self.tasks}
        self.ha = Reply(200, ha_v2(c)) if c.ha.get("applicable", True) else None

    # --- registration
    def register(self, router: Router) -> None:
        add = router.add
        add("GET", r"v2\.0/cluster", lambda req: self.cluster_reply)
        add("GET", r"v2\.0/cluster/domain_fault_tolerance_status", lambda req: self.ft_v2)
        add("GET", r"v1/cluster/domain_fault_tolerance_status", lambda req: self.ft_v1)
        add("GET", r"v1/cluster/domain_fault_tolerance_status/(?P<domain>[A-Z_]+)", self.ft_domain)
        add("GET", r"v2\.0/hosts", self.paged(lambda req: self.hosts))
        add("GET", r"v2\.0/hosts/(?P<uuid>[^/]+)", self.one(self.hosts_by_uuid, "host"))
        add("GET", r"v2\.0/hosts/(?P<uuid>[^/]+)/host_nics", self.one(self.nics, "host"))
        add("GET", r"v2\.0/cluster/remote_support", lambda req: Reply(200, REMOTE_SUPPORT))
        add("GET", r"v2\.0/disks", self.paged(lambda req: self.disks))
        add("GET", r"v2\.0/disks/(?P<uuid>[^/]+)", self.one(self.disks_by_id, "disk"))
        add("GET", r"v1/storage_pools", self.paged(lambda req: self.pools_v1, v1=True))
        add("GET", r"v2\.0/storage_containers", self.paged(lambda req: self.containers_v2))
        add("GET", r"v2\.0/storage_containers/(?P<uuid>[^/]+)", self.one(
            {x["storage_container_uuid"]: Reply(200, x) for x in self.containers_v2},
            "storage container"))
        add("GET", r"v1/containers", self.paged(lambda req: self.containers_v1, v1=True))
        add("GET", r"v2\.0/protection_domains", self.paged(lambda req: self.pds_v2))
        add("GET", r"v2\.0/protection_domains/dr_snapshots",
            self.paged(lambda req: [s for v in self.snapshots.values() for s in v]))
        add("GET", r"v2\.0/protection_domains/replications",
            self.paged(lambda req: [r for v in self.replications.values() for r in v]))
        add("GET", r"v2\.0/protection_domains/(?P<name>[^/]+)", self.pd_one)
        add("GET", r"v2\.0/protection_domains/(?P<name>[^/]+)/dr_snapshots",
            self.pd_sub(self.snapshots))
        add("GET", r"v2\.0/protection_domains/(?P<name>[^/]+)/replications",
            self.pd_sub(self.replications))
        add("GET", r"v2\.0/remote_sites", self.paged(lambda req: self.remote_v2))
        add("GET", r"v2\.0/remote_sites/dr_snapshots", self.paged(
            lambda req: remote_snapshots_v2(self.cluster, self.cluster.protection_domains)))
        add("GET", r"v1/remote_sites", self.paged(lambda req: self.remote_v1, v1=True))
        add("GET", r"v2\.0/alerts", self.paged(self.filtered_alerts))
        add("GET", r"v2\.0/alerts/(?P<uuid>[^/]+)", self.one(
            {a["id"]: Reply(200, a) for a in self.alerts}, "alert"))
        add("GET", r"v1/vms", self.paged(lambda req: self.vms_v1, v1=True))
        add("POST", r"v1/genesis", GenesisRpc(self.cluster).handle)  # answer INFERRED
        add("GET", r"v2\.0/vms", self.vms_v2_list)
        add("GET", r"v2\.0/vms/(?P<uuid>[^/]+)", self.one(
            {v["uuid"]: Reply(200, v) for v in self.vms_v2}, "vm"))
        add("POST", r"v2\.0/tasks/list", self.tasks_list)
        add("GET", r"v2\.0/tasks/(?P<uuid>[^/]+)", self.one(self.tasks_by_uuid, "task"))
        add("GET", r"v2\.0/ha", self.ha_reply)

    # --- handler factories
    def paged(self, source: Callable[[Request], list[Any]], v1: bool = False):
        def handler(req: Request) -> Reply:
            try:
                size, page = page_v2(req.params, self.max_page_size)
            except PageError as exc:
                return legacy_error(400, str(exc))
            items = source(req)
            if isinstance(items, Reply):
                return items
            if v1:
                return Reply(200, envelope_v1(items, size, page))
            return Reply(200, envelope_v2(items, size, page))

        return handler

    @staticmethod
    def one(table: dict[str, Reply], what: str):
        def handler(req: Request, uuid: str) -> Reply:
            reply = table.get(uuid)
            if reply is None:
                return legacy_error(404, "%s %s does not exist" % (what.capitalize(), uuid))
            return reply

        return handler

    def ft_domain(self, req: Request, domain: str) -> Reply:
        for item in self.ft_v1.obj:
            if item["domainType"] == domain:
                return Reply(200, item)
        return legacy_error(404, "Unknown domain type %s" % domain)

    def pd_one(self, req: Request, name: str) -> Reply:
        for pd in self.pds_v2:
            if pd["name"] == name:
                return Reply(200, pd)
        return legacy_error(404, "Protection domain %s does not exist" % name)

    def pd_sub(self, table: dict[str, list[dict[str, Any]]]):
        page = self.paged(lambda req: table[req.params["_pd"]])

        def handler(req: Request, name: str) -> Reply:
            if name not in table:
                return legacy_error(404, "Protection domain %s does not exist" % name)
            params = dict(req.params)
            params["_pd"] = name
            return page(Request(req.method, req.path, req.route, params, req.body, req.base_url))

        return handler

    def filtered_alerts(self, req: Request):
        alerts = self.alerts
        resolved = _bool_param(req.params.get("resolved"))
        acknowledged = _bool_param(req.params.get("acknowledged"))
        auto_resolved = _bool_param(req.params.get("auto_resolved"))
        if resolved is not None:
            alerts = [a for a in alerts if a["resolved"] == resolved]
        if acknowledged is not None:
            alerts = [a for a in alerts if a["acknowledged"] == acknowledged]
        if auto_resolved is not None:
            alerts = [a for a in alerts if a["auto_resolved"] == auto_resolved]
        severity = req.params.get("severity")
        if severity:
            wanted = set()
            for item in severity.split(","):
                item = item.strip().upper()
                if item not in SEVERITY_PARAM:
                    return legacy_error(400, "Invalid severity %s" % item)
                wanted.add(SEVERITY_PARAM[item])
            alerts = [a for a in alerts if a["severity"] in wanted]
        for name, op in (("start_time_in_usecs", 1), ("end_time_in_usecs", -1)):
            value = req.params.get(name)
            if value:
                try:
                    limit = int(value)
                except ValueError:
                    return legacy_error(400, "Invalid value for %s" % name)
                alerts = [a for a in alerts
                          if (a["created_time_stamp_in_usecs"] - limit) * op >= 0]
        return alerts

    def vms_v2_list(self, req: Request) -> Reply:
        if "offset" in req.params or "length" in req.params:
            try:
                offset = int(req.params.get("offset") or 0)
                length = int(req.params.get("length") or self.max_page_size)
            except ValueError:
                return legacy_error(400, "offset and length must be integers")
            if offset < 0 or length < 1:
                return legacy_error(400, "offset and length out of range")
            return Reply(200, envelope_v2_offset(self.vms_v2, min(length, self.max_page_size),
                                                 offset))
        return self.paged(lambda r: self.vms_v2)(req)

    def tasks_list(self, req: Request) -> Reply:
        body = req.body if isinstance(req.body, dict) else {}
        tasks = self.tasks
        if not body.get("include_completed", True):
            tasks = [t for t in tasks if not t["complete_time_usecs"]]
        try:
            count = int(body.get("count", self.max_page_size))
        except (TypeError, ValueError):
            return legacy_error(400, "count must be an integer")
        count = max(1, min(count, self.max_page_size))
        out = envelope_v2(tasks, count, 1)
        return Reply(200, out)

    def ha_reply(self, req: Request) -> Reply:
        if self.ha is None:
            return legacy_error(500, "HA is not supported on this cluster")  # INFERRED text
        return self.ha

