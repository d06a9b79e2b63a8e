"""Scenario files turned into one normalized, deterministic world.

A scenario YAML describes either a Prism Element cluster (``kind: pe``, one ``cluster:``) or a
Prism Central instance (``kind: pc``, a ``prism_central:`` block plus ``clusters:``).  Large
entity counts are generated (``nodes.count``, ``vms_per_node``, ``disks_per_node``) so a scenario
stays short.  Every id is derived from names with uuid5, so loading the same scenario twice gives
the same world.  All API views (v1, v2.0, v3, v4) are rendered from the objects built here.

A scenario may start with ``extends: OTHER`` (a scenario name or a path relative to the file);
mappings are merged key by key, lists are replaced, and a key written ``name+`` appends to the
inherited list ``name``.
"""

import copy
import hashlib
import ipaddress
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
ID_NAMESPACE = uuid.UUID("4d1f6c0e-2b8a-5e3c-9a71-6e75746e7878")

DEFAULT_ACCOUNTS = [{"username": "admin", "password": "Nutanix/4u", "role": "admin"}]


class ScenarioError(ValueError):
    """A scenario file that cannot be loaded or does not make sense."""


def stable_uuid(*parts: Any) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def stable_int(modulus: int, *parts: Any) -> int:
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()
    return int(digest[:12], 16) % modulus


def usecs(seconds: float) -> int:
    return int(seconds * 1_000_000)


# --------------------------------------------------------------------------- scenario files


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def resolve_scenario(name_or_path: str, relative_to: Optional[Path] = None) -> Path:
    candidate = Path(name_or_path)
    if relative_to is not None and not candidate.is_absolute():
        near = relative_to / candidate
        if near.is_file():
            return near
    if candidate.suffix in (".yaml", ".yml") or "/" in name_or_path:
        if candidate.is_file():
            return candidate
        raise ScenarioError("scenario file not found: %s" % name_or_path)
    builtin = SCENARIO_DIR / (name_or_path + ".yaml")
    if builtin.is_file():
        return builtin
    raise ScenarioError(
        "unknown scenario %r (known: %s)" % (name_or_path, ", ".join(scenario_names()))
    )


def deep_merge(base: Any, override: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(key, str) and key.endswith("+"):
            name = key[:-1]
            merged[name] = list(merged.get(name) or []) + copy.deepcopy(list(value or []))
        elif key in merged:
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def load_raw(path: Path, _chain: Optional[list[Path]] = None) -> dict[str, Any]:
    chain = list(_chain or [])
    if path.resolve() in chain:
        raise ScenarioError("scenario extends itself: %s" % path)
    chain.append(path.resolve())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ScenarioError("cannot parse %s: %s" % (path, exc)) from exc
    if not isinstance(data, dict):
        raise ScenarioError("%s: top level must be a mapping" % path)
    parent = data.pop("extends", None)
    if parent:
        base = load_raw(resolve_scenario(str(parent), path.parent), chain)
        base.pop("description", None)
        data = deep_merge(base, data)
    return data


# --------------------------------------------------------------------------- entities


@dataclass
class Disk:
    id: str
    uuid: str
    slot: int
    serial: str
    model: str
    vendor: str
    firmware: str
    tier: str
    size_bytes: int
    usage_bytes: int
    status: str = "NORMAL"
    online: bool = True
    bad: bool = False
    mounted: bool = True
    boot_disk: bool = False
    marked_for_removal: bool = False


@dataclass
class Vm:
    name: str
    uuid: str
    power_state: str
    host: Optional["Node"]
    num_vcpus: int
    memory_mb: int
    disk_bytes: int
    ip: Optional[str]
    controller_vm: bool = False
    protection_domain: Optional[str] = None


@dataclass
class Node:
    index: int
    name: str
    uuid: str
    cluster: "Cluster"
    host_ip: str
    cvm_ip: str
    ipmi_ip: str
    serial: str
    block_serial: str
    block_model: str
    position: str
    service_vmid: str
    hypervisor_full_name: str
    state: str = "NORMAL"
    hypervisor_state: str = "kAcropolisNormal"
    acropolis_connection_state: str = "kConnected"
    host_in_maintenance_mode: bool = False
    is_degraded: bool = False
    reboot_pending: bool = False
    metadata_store_status: str = "kNormalMode"
    metadata_store_status_message: str = "Metadata store enabled on the node"
    cvm_power_state: str = "on"
    cpu_model: str = "Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz"
    num_cpu_sockets: int = 2
    num_cpu_cores: int = 32
    cpu_frequency_hz: int = 2900000000
    memory_bytes: int = 549755813888
    cpu_ppm: int = 150000
    memory_ppm: int = 400000
    boot_time_usecs: int = 0
    disks: list[Disk] = field(default_factory=list)
    disk_slots: int = 0
    vms: list[Vm] = field(default_factory=list)
    cvm: Optional[Vm] = None
    # Genesis RPC service states of the CVM (emulator/genesis.py; INFERRED answer shape):
    # {stargate: DOWN} or explicit pid lists; services not named are UP.
    services: dict[str, Any] = field(default_factory=dict)

    @property
    def num_vms(self) -> int:
        return sum(1 for vm in self.vms if vm.power_state == "on")

    @property
    def cvm_name(self) -> str:
        return "NTNX-%s-%s-CVM" % (self.block_serial, self.position)

    @property
    def capacity_bytes(self) -> int:
        return sum(d.size_bytes for d in self.disks)

    @property
    def usage_bytes(self) -> int:
        return sum(d.usage_bytes for d in self.disks)


@dataclass
class Cluster:
    name: str
    uuid: str
    id: str
    incarnation_id: int
    external_ip: str
    data_services_ip: str
    version: str
    full_version: str
    target_version: str
    ncc_version: str
    is_lts: bool
    operation_mode: str
    storage_type: str
    is_registered_to_pc: bool
    upgrade_in_progress: bool
    current_rf: int
    desired_rf: int
    fault_tolerance_domain_type: str
    hypervisor_full_name: str
    ahv_version: str
    timezone: str
    stats: dict[str, int]
    ha: dict[str, Any]
    fault_tolerance: dict[str, dict[str, dict[str, Any]]]
    nodes: list[Node] = field(default_factory=list)
    vms: list[Vm] = field(default_factory=list)
    storage_pool: dict[str, Any] = field(default_factory=dict)
    containers: list[dict[str, Any]] = field(default_factory=list)
    remote_sites: list[dict[str, Any]] = field(default_factory=list)
    protection_domains: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    created_usecs: int = 0
    # Genesis RPC (emulator/genesis.py): True answers, False -> 404, a number -> that status.
    genesis: Any = True

    @property
    def block_serials(self) -> list[str]:
        seen: list[str] = []
        for node in self.nodes:
            if node.block_serial not in seen:
                seen.append(node.block_serial)
        return seen

    @property
    def disks(self) -> list[Disk]:
        return [d for node in self.nodes for d in node.disks]

    @property
    def guest_vms(self) -> list[Vm]:
        return [vm for vm in self.vms if not vm.controller_vm]

    @property
    def capacity_bytes(self) -> int:
        return sum(d.size_bytes for d in self.disks)

    @property
    def usage_bytes(self) -> int:
        return sum(d.usage_bytes for d in self.disks)

    def node_by_name(self, name: str) -> Optional[Node]:
        for node in self.nodes:
            if node.name == name:
                return node
        return None


@dataclass
class PrismCentral:
    name: str
    uuid: str
    id: str
    version: str
    external_ip: str
    vm_ip: str


@dataclass
class World:
    scenario: str
    kind: str
    description: str
    now: float
    clusters: list[Cluster]
    accounts: list[dict[str, Any]]
    faults: list[dict[str, Any]]
    prism_central: Optional[PrismCentral] = None
    # Prism Central v4 Leap protection policies, as the scenario wrote them (emulator/leap.py).
    protection_policies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cluster(self) -> Cluster:
        return self.clusters[0]

    def cluster_by_uuid(self, cluster_uuid: str) -> Optional[Cluster]:
        for cluster in self.clusters:
            if cluster.uuid == cluster_uuid:
                return cluster
        return None

    @property
    def nodes(self) -> list[Node]:
        return [node for cluster in self.clusters for node in cluster.nodes]


# --------------------------------------------------------------------------- building


def _ip(start: str, offset: int) -> str:
    return str(ipaddress.IPv4Address(start) + offset)


# Default values used when a scenario leaves them out.  Values not seen in a real response are
# marked INFERRED; see the shipped scenarios for the same markers next to each value.
CLUSTER_DEFAULTS: dict[str, Any] = {
    "version": "6.8.1",
    "full_version": "el8.5-release-fraser-6.8.1-stable-5a5fc4b1d7e86f8e1b4c6bdfb0c1e0fa2b0e9c1d",
    "ncc_version": "ncc-5.0.0",
    "is_lts": True,
    "operation_mode": "Normal",
    "storage_type": "all_flash",
    "is_registered_to_pc": False,
    "upgrade_in_progress": False,
    "redundancy_factor": {"current": 2, "desired": 2},
    "fault_tolerance_domain_type": "NODE",  # INFERRED value spelling
    "hypervisor_full_name": "Nutanix 20230302.101026",
    "ahv_version": "el8.nutanix.20230302.101026",
    "timezone": "UTC",
    "block_model": "NX-3155G-G8",
    "nodes_per_block": 4,
    "stats": {
        "cpu_ppm": 135137,
        "memory_ppm": 437407,
        "iops": 438,
        "latency_usecs": 1246,
        "bandwidth_kBps": 33307,
    },
    "storage": {
        "disk_size_bytes": 3840755982336,
        "disk_model": "SAMSUNG MZ7LH3T8HMLT-00005",
        "disk_vendor": "Not Available",
        "disk_firmware": "HXT7904Q",
        "tier": "SSD-SATA",  # INFERRED v2 spelling
        "used_pct": 22,
    },
    "ha": {"applicable": True, "ha_state": "BestEffort", "failover_enabled": True},
    "fault_tolerance": {
        "NODE": {"STATIC_CONFIGURATION": 1, "FREE_SPACE": 1, "EXTENT_GROUPS": 1, "METADATA": 1},
        "DISK": {"EXTENT_GROUPS": 1, "METADATA": 1},
    },
}

NODE_DEFAULTS: dict[str, Any] = {
    "count": 4,
    "name": "node-{n:02d}",
    "host_ip_start": "10.10.1.11",
    "cvm_ip_start": "10.10.1.21",
    "ipmi_ip_start": "10.10.0.11",
    "vms_per_node": 10,
    "disks_per_node": 6,
    "disk_slots": 0,
}


def _fault_tolerance(spec: dict[str, Any], updated_usecs: int) -> dict[str, dict[str, Any]]:
    domains: dict[str, dict[str, Any]] = {}
    for domain, components in (spec or {}).items():
        domains[str(domain)] = {}
        for name, value in (components or {}).items():
            if isinstance(value, dict):
                tolerable = int(value.get("tolerable", 1))
                message = value.get("message")
            else:
                tolerable, message = int(value), None
            domains[str(domain)][str(name)] = {
                "tolerable": tolerable,
                "message": message,
                "updated_usecs": updated_usecs - usecs(stable_int(3000, domain, name)),
            }
    return domains


def _build_nodes(cluster: Cluster, spec: dict[str, Any], raw: dict[str, Any]) -> None:
    nspec = dict(NODE_DEFAULTS)
    nspec.update(raw.get("nodes") or {})
    overrides = raw.get("node_overrides") or {}
    storage = dict(CLUSTER_DEFAULTS["storage"])
    storage.update(raw.get("storage") or {})
    block_serials = list(spec.get("block_serials") or [])
    per_block = int(spec.get("nodes_per_block", 4))
    count = int(nspec["count"])
    if not block_serials:
        block_serials = ["%s%08d" % ("21FM", stable_int(10**8, cluster.name, "block"))]
    base = block_serials[0]
    while len(block_serials) * per_block < count:
        tail = int(base[-4:]) + len(block_serials)
        block_serials.append("%s%04d" % (base[:-4], tail % 10000))
    disks_per_node = int(nspec["disks_per_node"])
    slots = max(int(nspec.get("disk_slots") or 0), disks_per_node)
    used_pct = float(storage.get("used_pct", 20))
    for i in range(count):
        n = i + 1
        name = str(nspec["name"]).format(n=n, cluster=cluster.name)
        node = Node(
            index=n,
            name=name,
            uuid=stable_uuid("node", cluster.name, name),
            cluster=cluster,
            host_ip=_ip(nspec["host_ip_start"], i),
            cvm_ip=_ip(nspec["cvm_ip_start"], i),
            ipmi_ip=_ip(nspec["ipmi_ip_start"], i),
            serial="ZM%s%04d" % (block_serials[i // per_block][-6:], n),
            block_serial=block_serials[i // per_block],
            block_model=str(spec.get("block_model")),
            position="ABCD"[i % per_block] if per_block <= 4 else str(i % per_block + 1),
            service_vmid="%s::%d" % (cluster.uuid, n + 3),
            hypervisor_full_name=cluster.hypervisor_full_name,
            cpu_ppm=cluster.stats["cpu_ppm"] + stable_int(60000, cluster.name, name, "cpu") - 30000,
            memory_ppm=cluster.stats["memory_ppm"]
            + stable_int(40000, cluster.name, name, "mem")
            - 20000,
            boot_time_usecs=usecs(cluster.created_usecs / 1e6 + 86400 * 30 + 3600 * n),
            disk_slots=slots,
        )
        for key, value in (overrides.get(name) or {}).items():
            if key in ("disks", "cvm_power"):
                continue
            if not hasattr(node, key):
                raise ScenarioError("node_overrides.%s: unknown field %r" % (name, key))
            setattr(node, key, value)
        if "cvm_power" in (overrides.get(name) or {}):
            node.cvm_power_state = str(overrides[name]["cvm_power"])
        disk_overrides = (overrides.get(name) or {}).get("disks") or {}
        for slot in range(1, disks_per_node + 1):
            size = int(storage["disk_size_bytes"])
            jitter = stable_int(1000, cluster.name, name, slot) / 1000.0 * 0.04
            disk = Disk(
                id="%s::%d" % (cluster.uuid, 1000 + n * 100 + slot),
                uuid=stable_uuid("disk", cluster.name, name, slot),
                slot=slot,
                serial="S%s%02dNW%04d" % (block_serials[i // per_block][-4:], n, slot * 7 + n),
                model=str(storage["disk_model"]),
                vendor=str(storage["disk_vendor"]),
                firmware=str(storage["disk_firmware"]),
                tier=str(storage["tier"]),
                size_bytes=size,
                usage_bytes=int(size * (used_pct / 100.0 + jitter - 0.02)),
                boot_disk=slot <= 2,
            )
            changes = disk_overrides.get(slot) or disk_overrides.get(str(slot)) or {}
            for key, value in changes.items():
                if not hasattr(disk, key):
                    raise ScenarioError("node %s disk %s: unknown field %r" % (name, slot, key))
                setattr(disk, key, value)
            node.disks.append(disk)
        cluster.nodes.append(node)


def _build_vms(cluster: Cluster, raw: dict[str, Any]) -> None:
    nspec = dict(NODE_DEFAULTS)
    nspec.update(raw.get("nodes") or {})
    per_node = int(nspec["vms_per_node"])
    off_every = int(raw.get("vm_off_every", 9) or 0)
    pattern = str(raw.get("vm_name", "{cluster}-vm-{n:03d}"))
    # Guest VMs of a host in maintenance mode have been live-migrated to the other hosts.
    available = [node for node in cluster.nodes if not node.host_in_maintenance_mode]
    n = 0
    for node in cluster.nodes:
        for _ in range(per_node):
            n += 1
            name = pattern.format(cluster=cluster.name.lower(), n=n, node=node.name)
            powered_off = off_every and n % off_every == 0
            host = node
            if node.host_in_maintenance_mode and available:
                host = available[n % len(available)]
            vm = Vm(
                name=name,
                uuid=stable_uuid("vm", cluster.name, name),
                power_state="off" if powered_off else "on",
                host=None if powered_off else host,
                num_vcpus=[2, 4, 8][stable_int(3, name, "cpu")],
                memory_mb=[4096, 8192, 16384][stable_int(3, name, "mem")],
                disk_bytes=[53687091200, 107374182400, 214748364800][stable_int(3, name, "disk")],
                ip=None if powered_off else _ip("10.10.20.10", n),
            )
            cluster.vms.append(vm)
            if not powered_off:
                host.vms.append(vm)
    for node in cluster.nodes:
        on = node.cvm_power_state == "on"
        cvm = Vm(
            name=node.cvm_name,
            uuid=stable_uuid("cvm", cluster.name, node.name),
            power_state=node.cvm_power_state,
            host=node if on else None,
            num_vcpus=12,
            memory_mb=32768,
            disk_bytes=0,
            ip=node.cvm_ip if on else None,
            controller_vm=True,
        )
        node.cvm = cvm
        cluster.vms.append(cvm)


def _build_storage(cluster: Cluster, raw: dict[str, Any]) -> None:
    pool = dict(raw.get("storage_pool") or {})
    pool.setdefault("name", "default-storage-pool-%d" % stable_int(10**14, cluster.name, "pool"))
    pool["uuid"] = stable_uuid("storage_pool", cluster.name, pool["name"])
    pool["id"] = "%s::%d" % (cluster.uuid, 3)
    cluster.storage_pool = pool
    default_name = "default-container-%d" % stable_int(10**14, cluster.name)
    specs = raw.get("containers") or [{"name": default_name}]
    total_usage = cluster.usage_bytes
    weights = [float(c.get("usage_share", 1)) for c in specs]
    weight_sum = sum(weights) or 1.0
    containers = []
    for i, spec in enumerate(specs):
        item = dict(spec)
        item["uuid"] = stable_uuid("container", cluster.name, item["name"])
        item["id"] = "%s::%d" % (cluster.uuid, 100 + i * 7)
        item.setdefault("replication_factor", cluster.current_rf)
        item.setdefault("compression_enabled", True)
        item.setdefault("on_disk_dedup", "OFF")
        item.setdefault("erasure_code", "off")
        item.setdefault("saving_ratio", 1.0)
        item.setdefault("advertised_capacity", None)
        item.setdefault("is_nutanix_managed", False)
        item["usage_bytes"] = int(total_usage * weights[i] / weight_sum)
        if item.get("advertised_used_pct"):
            # An advertised capacity this full: logical (usage / RF) bytes, INFERRED from v4's
            # logicalAdvertisedCapacityBytes.
            logical = item["usage_bytes"] // max(1, int(item["replication_factor"]))
            item["advertised_capacity"] = int(logical * 100 / float(item["advertised_used_pct"]))
        containers.append(item)
    cluster.containers = containers


def _build_dr(cluster: Cluster, raw: dict[str, Any], now: float) -> None:
    sites = []
    for spec in raw.get("remote_sites") or []:
        site = dict(spec)
        site.setdefault("port", 2020)
        site.setdefault("capabilities", ["BACKUP", "DISASTER_RECOVERY"])  # INFERRED values
        site["uuid"] = stable_uuid("remote_site", cluster.name, site["name"])
        sites.append(site)
    cluster.remote_sites = sites
    guests = [vm for vm in cluster.guest_vms]
    offset = 0
    pds = []
    for spec in raw.get("protection_domains") or []:
        pd = dict(spec)
        count = int(pd.get("vm_count", 3))
        members = guests[offset : offset + count]
        offset += count
        for vm in members:
            vm.protection_domain = pd["name"]
        pd["vms"] = members
        pd.setdefault("remote_site", None)
        pd.setdefault("interval_hours", 1)
        pd.setdefault("snapshots", 6)
        pd.setdefault("last_snapshot_minutes_ago", 20)
        pd.setdefault("metro", None)
        pd.setdefault("active", True)
        pd.setdefault("replications", [])
        interval = float(pd["interval_hours"]) * 3600
        last = now - float(pd["last_snapshot_minutes_ago"]) * 60
        snaps = []
        for k in range(int(pd["snapshots"])):
            created = last - k * interval
            snaps.append(
                {
                    "snapshot_id": str(30000 + stable_int(5000, cluster.name, pd["name"]) + k),
                    "created_usecs": usecs(created),
                    "expiry_usecs": usecs(created + 7 * 86400),
                    "size_in_bytes": 1025464832 + stable_int(10**9, pd["name"], k),
                    # The N newest snapshots have not reached the remote site yet
                    # (scenario knob `unreplicated_snapshots`).
                    "remote_sites": [pd["remote_site"]] if pd["remote_site"] and k >= int(
                        pd.get("unreplicated_snapshots", 0)) else [],
                }
            )
        pd["snapshot_list"] = snaps
        pd["next_snapshot_usecs"] = usecs(last + interval)
        pds.append(pd)
    cluster.protection_domains = pds


def _build_alerts(cluster: Cluster, raw: dict[str, Any], now: float) -> None:
    from .alert_builder import resolve_entity, storm_specs

    alerts = []
    for i, spec in enumerate(list(raw.get("alerts") or []) + storm_specs(cluster, raw)):
        alert = dict(spec)
        alert["id"] = stable_uuid("alert", cluster.name, i, spec.get("title"))
        alert.setdefault("severity", "kInfo")
        alert.setdefault("resolved", False)
        alert.setdefault("acknowledged", False)
        alert.setdefault("auto_resolved", False)
        alert.setdefault("alert_type_uuid", "A%d" % (100000 + i))
        alert.setdefault("classifications", ["Cluster"])
        alert.setdefault("impact_types", ["SystemIndicator"])
        alert.setdefault("context", {})
        alert.setdefault("age_minutes", 60 * (i + 1))
        alert["created_usecs"] = usecs(now - float(alert["age_minutes"]) * 60)
        alert["last_usecs"] = alert["created_usecs"]
        entity = alert.get("entity") or "cluster"
        node = cluster.node_by_name(entity) if entity != "cluster" else None
        if entity != "cluster" and node is None:
            raise ScenarioError("alert %r refers to unknown node %r" % (spec.get("title"), entity))
        alert["node"] = node
        resolve_entity(cluster, alert, node)  # alerts about a drive or a VM
        alerts.append(alert)
    cluster.alerts = alerts


def _build_tasks(cluster: Cluster, raw: dict[str, Any], now: float) -> None:
    tasks = []
    for i, spec in enumerate(raw.get("tasks") or []):
        task = dict(spec)
        task["uuid"] = stable_uuid("task", cluster.name, i, spec.get("operation_type"))
        task.setdefault("progress_status", "Succeeded")
        task.setdefault("percentage_complete", 100 if task["progress_status"] == "Succeeded" else 0)
        task.setdefault("age_minutes", 30 * (i + 1))
        task.setdefault("duration_seconds", 45)
        task.setdefault("message", "")
        start = now - float(task["age_minutes"]) * 60
        task["create_usecs"] = usecs(start - 1)
        task["start_usecs"] = usecs(start)
        done = task["progress_status"] in ("Succeeded", "Failed", "Aborted")
        task["complete_usecs"] = usecs(start + float(task["duration_seconds"])) if done else 0
        tasks.append(task)
    cluster.tasks = tasks


def build_cluster(raw: dict[str, Any], now: float) -> Cluster:
    if not raw.get("name"):
        raise ScenarioError("every cluster needs a name")
    spec = deep_merge(CLUSTER_DEFAULTS, raw)
    name = str(spec["name"])
    cluster_uuid = spec.get("uuid") or stable_uuid("cluster", name)
    incarnation = 6417006155578578706 + stable_int(10**12, name)
    rf = spec["redundancy_factor"]
    stats = dict(CLUSTER_DEFAULTS["stats"])
    stats.update(spec.get("stats") or {})
    cluster = Cluster(
        name=name,
        uuid=cluster_uuid,
        id="%s::%d" % (cluster_uuid, incarnation),
        incarnation_id=incarnation,
        external_ip=str(spec.get("external_ip", "10.10.1.10")),
        data_services_ip=str(spec.get("data_services_ip", "10.10.1.9")),
        version=str(spec["version"]),
        full_version=str(spec["full_version"]),
        target_version=str(spec.get("target_version") or spec["version"]),
        ncc_version=str(spec["ncc_version"]),
        is_lts=bool(spec["is_lts"]),
        operation_mode=str(spec["operation_mode"]),
        storage_type=str(spec["storage_type"]),
        is_registered_to_pc=bool(spec["is_registered_to_pc"]),
        upgrade_in_progress=bool(spec["upgrade_in_progress"]),
        current_rf=int(rf["current"]),
        desired_rf=int(rf["desired"]),
        fault_tolerance_domain_type=str(spec["fault_tolerance_domain_type"]),
        hypervisor_full_name=str(spec["hypervisor_full_name"]),
        ahv_version=str(spec["ahv_version"]),
        timezone=str(spec["timezone"]),
        stats={k: int(v) for k, v in stats.items()},
        ha=dict(spec["ha"]),
        fault_tolerance=_fault_tolerance(spec["fault_tolerance"], usecs(now - 120)),
        created_usecs=usecs(now - 86400 * 400),
        genesis=spec.get("genesis", True),
    )
    _build_nodes(cluster, spec, raw)
    _build_vms(cluster, raw)
    _build_storage(cluster, raw)
    _build_dr(cluster, raw, now)
    _build_alerts(cluster, raw, now)
    _build_tasks(cluster, raw, now)
    return cluster


def build_world(raw: dict[str, Any], scenario: str, now: Optional[float] = None) -> World:
    now = time.time() if now is None else now
    kind = str(raw.get("kind", "pe")).lower()
    if kind not in ("pe", "pc"):
        raise ScenarioError("kind must be pe or pc, not %r" % kind)
    if kind == "pe":
        if not isinstance(raw.get("cluster"), dict):
            raise ScenarioError("a pe scenario needs a 'cluster:' mapping")
        clusters = [build_cluster(raw["cluster"], now)]
    else:
        specs = raw.get("clusters") or []
        if not specs:
            raise ScenarioError("a pc scenario needs a 'clusters:' list")
        clusters = [build_cluster(spec, now) for spec in specs]
    names = [c.name for c in clusters]
    if len(set(names)) != len(names):
        raise ScenarioError("cluster names must be unique")
    pc = None
    if kind == "pc":
        spec = raw.get("prism_central") or {}
        pc_name = str(spec.get("name", "PC-01"))
        pc_uuid = stable_uuid("prism_central", pc_name)
        pc = PrismCentral(
            name=pc_name,
            uuid=pc_uuid,
            id="%s::%d" % (pc_uuid, 7000000000000000000 + stable_int(10**12, pc_name)),
            version=str(spec.get("version", "pc.2024.3")),
            external_ip=str(spec.get("external_ip", "10.10.0.50")),
            vm_ip=str(spec.get("vm_ip", "10.10.0.51")),
        )
    accounts = []
    for account in raw.get("accounts") or DEFAULT_ACCOUNTS:
        if "username" not in account or "password" not in account:
            raise ScenarioError("accounts need username and password")
        item = {"role": "admin", "forbidden_paths": []}
        item.update(account)
        accounts.append(item)
    return World(
        scenario=scenario,
        kind=kind,
        description=str(raw.get("description", "")).strip(),
        now=now,
        clusters=clusters,
        accounts=accounts,
        faults=list(raw.get("faults") or []),
        prism_central=pc,
        protection_policies=list(raw.get("protection_policies") or []),
    )


def load_world(name_or_path: str = "healthy", now: Optional[float] = None) -> World:
    path = resolve_scenario(name_or_path)
    raw = load_raw(path)
    name = path.stem if path.parent == SCENARIO_DIR else str(path)
    return build_world(raw, name, now)
