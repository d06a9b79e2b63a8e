"""SNMP agents' data (snmpsim `.snmprec` records) generated from the same world as the Prism
answers, so both views of a scenario agree.

Per cluster: one CVM agent serving NUTANIX-MIB's cluster-wide tables (the Nutanix agent answers
the same tables on every CVM and on the cluster VIP), and one agent per AHV host serving
SNMPv2-MIB system, HOST-RESOURCES-MIB (hrSWRunTable, hrProcessorTable) and UCD-SNMP-MIB (laTable,
memory). Addresses: cluster k (0-based) has its CVM agent on 127.0.k.1, node-01's host agent on
127.0.k.2, node-02's on 127.0.k.3, ..., so per-node addressing is real.

What the scenario cannot say through the Prism world (process tables, run queues, CVM service
status strings, id quirks of the agent) comes from an optional `snmp:` mapping in the cluster's
scenario block; see scenarios/README.md. Values not seen on a real agent are marked INFERRED.
"""

from typing import Any, Optional

from ..snmp.mib import SERVICE_COLUMNS
from . import pe
from .world import Cluster, Node, World, load_raw, resolve_scenario, stable_int, stable_uuid

# snmprec value tags
INTEGER, OCTETS, OID, IPADDR, COUNTER32, GAUGE32, TICKS, COUNTER64 = 2, 4, 6, 64, 65, 66, 67, 70

NUTANIX = "1.3.6.1.4.1.41263"
LINUX_OID = "1.3.6.1.4.1.8072.3.2.10"  # net-snmp's Linux sysObjectID (INFERRED for both agents)

# Defaults for the scenario's `snmp:` block. Prism configures SNMPv3 users for polling; the v2c
# community is served for convenience (INFERRED that a real agent would answer v2c).
SNMP_DEFAULTS: dict[str, Any] = {
    "communities": ["public"],
    "users": [
        {"name": "monitor", "auth_protocol": "SHA", "auth_password": "monitor-auth-4u",
         "priv_protocol": "AES", "priv_password": "monitor-priv-4u"},
        {"name": "monitor-strong", "auth_protocol": "SHA-512", "auth_password": "strong-auth-4u",
         "priv_protocol": "AES-256", "priv_password": "strong-priv-4u"},
        {"name": "monitor-md5", "auth_protocol": "MD5", "auth_password": "md5-auth-4u",
         "priv_protocol": "DES", "priv_password": "des-priv-4u"},
        {"name": "monitor-auth", "auth_protocol": "SHA-256", "auth_password": "sha256-auth-4u"},
    ],
    "cluster_status": "started",
    "quote_ids": False,               # some agents wrap ids in double quotes (Centreon strips them)
    "obsolete_service_table": False,  # serve the obsolete serviceStatusTable (.2) too
    "cvm_id_changed": [],             # nodes whose crtControllerVMId changed in an upgrade
    "cvms": {},                       # node: {status, data_services, metadata_services,
                                      #        services_down: [Stargate, ...]}
    "hosts": {},                      # node: {stopped: [process], load_per_core, cpu_percent,
                                      #        memory_used_percent, rx_drops, tx_drops}
    "disks": {},                      # node: {slot: {cvm_id: "..."}}
    "no_disks": [],                   # nodes whose disks diskStatusTable does not list
    "missing": [],                    # OID prefixes the CVM agent does not serve
}

# Processes of an AHV host: (name, path, parameters). The host agent's process name is INFERRED
# (the only public trace is a CVM log line naming ahv_host_agent.py).
HOST_PROCESSES = [
    ("systemd", "/usr/lib/systemd/systemd", "--switched-root --system --deserialize 31"),
    ("systemd-journald", "/usr/lib/systemd/systemd-journald", ""),
    ("sshd", "/usr/sbin/sshd", "-D"),
    ("snmpd", "/usr/sbin/snmpd", "-LS0-6d -f"),
    ("libvirtd", "/usr/sbin/libvirtd", "--listen"),
    ("ovsdb-server", "ovsdb-server", "/etc/openvswitch/conf.db -vconsole:emer -vsyslog:err "
     "--remote=punix:/var/run/openvswitch/db.sock --pidfile --detach"),
    ("ovs-vswitchd", "ovs-vswitchd", "unix:/var/run/openvswitch/db.sock -vconsole:emer "
     "--mlockall --pidfile --detach"),
    ("python3", "/usr/bin/python3", "/usr/local/nutanix/bin/ahv-host-agent --log_dir=/var/log"),
    ("crond", "/usr/sbin/crond", "-n"),
]


class AgentData:
    """One simulated agent: where it listens and what it serves."""

    def __init__(self, address: str, role: str, cluster: Cluster, node: Optional[Node],
                 records: list[tuple[str, Any, Any]]):
        self.address = address
        self.role = role  # "cvm" (NUTANIX-MIB) or "host" (the AHV host's own agent)
        self.cluster = cluster
        self.node = node
        self.records = records

    @property
    def label(self) -> str:
        if self.role == "cvm":
            return "%s CVM agent (NUTANIX-MIB)" % self.cluster.name
        assert self.node is not None
        return "%s AHV host agent" % self.node.name

    def snmprec(self) -> str:
        return render(self.records)


def snmp_settings(world: World) -> list[dict[str, Any]]:
    """The scenario's `snmp:` block of each cluster, merged over the defaults."""
    raw = load_raw(resolve_scenario(world.scenario))
    blocks = [raw.get("cluster") or {}] if world.kind == "pe" else list(raw.get("clusters") or [])
    settings = []
    for block in blocks:
        merged = dict(SNMP_DEFAULTS)
        merged.update((block or {}).get("snmp") or {})
        settings.append(merged)
    return settings


def build_agents(world: World) -> list[AgentData]:
    agents = []
    for k, (cluster, settings) in enumerate(zip(world.clusters, snmp_settings(world))):
        agents.append(AgentData("127.0.%d.1" % k, "cvm", cluster, None,
                                cvm_records(world, cluster, settings)))
        for i, node in enumerate(cluster.nodes):
            agents.append(AgentData("127.0.%d.%d" % (k, i + 2), "host", cluster, node,
                                    host_records(world, node, settings)))
    return agents


def users(world: World) -> list[dict[str, Any]]:
    """SNMPv3 users (the first cluster's settings serve every agent)."""
    return list(snmp_settings(world)[0]["users"])


def communities(world: World) -> list[str]:
    return [str(c) for c in snmp_settings(world)[0]["communities"]]


# --------------------------------------------------------------------------- rendering


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in oid.split("."))


def _needs_hex(text: str) -> bool:
    return any(ch in "|\r\n" or not (32 <= ord(ch) < 127) for ch in text)


def render(records: list[tuple[str, Any, Any]]) -> str:
    """snmprec text: `OID|TAG|VALUE` lines in OID order (snmpsim walks the file in order)."""
    lines = []
    for oid, tag, value in sorted(records, key=lambda r: _oid_key(r[0])):
        if tag == OCTETS:
            text = str(value)
            if _needs_hex(text):
                lines.append("%s|4x|%s" % (oid, text.encode("utf-8").hex()))
                continue
            lines.append("%s|4|%s" % (oid, text))
        else:
            lines.append("%s|%d|%s" % (oid, tag, value))
    return "\n".join(lines) + "\n"


def _system(records: list, name: str, descr: str, uptime_s: float) -> None:
    records += [
        ("1.3.6.1.2.1.1.1.0", OCTETS, descr),
        ("1.3.6.1.2.1.1.2.0", OID, LINUX_OID),
        ("1.3.6.1.2.1.1.3.0", TICKS, max(0, int(uptime_s * 100))),
        ("1.3.6.1.2.1.1.4.0", OCTETS, "root@localhost"),
        ("1.3.6.1.2.1.1.5.0", OCTETS, name),
        ("1.3.6.1.2.1.1.6.0", OCTETS, "Unknown"),
    ]


def _table(records: list, entry: str, index: Any, columns: dict[int, tuple[int, Any]]) -> None:
    for column, (tag, value) in columns.items():
        if value is None:
            continue
        records.append(("%s.%d.%s" % (entry, column, index), tag, value))


# --------------------------------------------------------------------------- CVM agent


def cvm_id(node: Node) -> str:
    """A CVM's id in NUTANIX-MIB: the numeric part of the host's service_vmid (INFERRED)."""
    return node.service_vmid.split("::")[-1]


def _quoted(settings: dict[str, Any], value: str) -> str:
    return '"%s"' % value if settings.get("quote_ids") else value


def _cvm_state(node: Node, settings: dict[str, Any]) -> dict[str, Any]:
    """cst status strings of a node's CVM. `Up`/`Down` spellings are INFERRED (the only public
    walk is anonymised)."""
    on = node.cvm_power_state == "on"
    state = {
        "status": "Up" if on else "Down",
        "data_services": "Up" if on else "Down",
        "metadata_services": "Up" if on and node.metadata_store_status == "kNormalMode"
        else "Down",
        "services_down": [] if on else list(SERVICE_COLUMNS),
    }
    state.update((settings.get("cvms") or {}).get(node.name) or {})
    return state


def _pids(node: Node, service: str) -> str:
    """A service's pid list as the obsolete table spells it (INFERRED format: comma separated)."""
    first = 2000 + stable_int(28000, node.name, service)
    return ",".join(str(first + k * (1 + k)) for k in range(4))


def cvm_records(world: World, cluster: Cluster, settings: dict[str, Any]) -> list:
    """The Nutanix agent's NUTANIX-MIB view of a cluster (the same on every CVM and the VIP)."""
    records: list = []
    first = cluster.nodes[0]
    _system(records, first.cvm_name,
            "Linux %s 5.10.205-2.el8.nutanix.20240112.x86_64 #1 SMP x86_64" % first.cvm_name,
            world.now - first.boot_time_usecs / 1e6)  # INFERRED description
    _cluster_scalars(records, cluster, settings)
    _cvm_tables(records, cluster, settings)
    _disk_table(records, cluster, settings)
    _storage_tables(records, cluster, settings)
    _hypervisor_table(records, cluster, settings)
    _vm_table(records, cluster)
    missing = [str(p) for p in settings.get("missing") or []]
    return [r for r in records if not any(r[0] == p or r[0].startswith(p + ".")
                                          for p in missing)]


def _cluster_scalars(records: list, cluster: Cluster, settings: dict[str, Any]) -> None:
    st = cluster.stats
    records += [
        (NUTANIX + ".501.0", OCTETS, cluster.name),
        (NUTANIX + ".502.0", OCTETS, cluster.full_version),  # nutanix-core version (INFERRED form)
        (NUTANIX + ".503.0", OCTETS, str(settings.get("cluster_status") or "started")),
        (NUTANIX + ".504.0", COUNTER64, cluster.capacity_bytes),
        (NUTANIX + ".505.0", COUNTER64, cluster.usage_bytes),
        (NUTANIX + ".506.0", COUNTER64, st["iops"]),
        (NUTANIX + ".507.0", COUNTER64, st["latency_usecs"]),
        (NUTANIX + ".508.0", COUNTER64, st["bandwidth_kBps"]),
    ]


def _cvm_tables(records: list, cluster: Cluster, settings: dict[str, Any]) -> None:
    """softwareVersionTable (.1), the obsolete serviceStatusTable (.2) when asked,
    controllerVMResourceTable (.4) and controllerStatusTable (.11): one row per CVM."""
    changed = set(settings.get("cvm_id_changed") or [])
    for i, node in enumerate(cluster.nodes, 1):
        ident = _quoted(settings, cvm_id(node))
        # After an upgrade the resource table may name CVMs by another id than the status and
        # disk tables (Centreon PR #5904); modelled here as the CVM's uuid (INFERRED form).
        crt_ident = _quoted(settings, stable_uuid("cvm", cluster.name, node.name)) \
            if node.name in changed else ident
        _table(records, NUTANIX + ".1.1", i, {
            1: (INTEGER, i), 2: (OCTETS, ident), 3: (OCTETS, cluster.full_version),
            4: (OCTETS, cluster.full_version), 5: (OCTETS, cluster.full_version),
            6: (OCTETS, cluster.full_version), 7: (OCTETS, cluster.full_version),
            8: (OCTETS, "5.10.205-2.el8.nutanix.20240112.x86_64")})
        state = _cvm_state(node, settings)
        if settings.get("obsolete_service_table"):
            down = {str(s).lower() for s in state.get("services_down") or []}
            columns = {1: (INTEGER, i), 2: (OCTETS, ident), 3: (OCTETS, state["status"])}
            for c, service in enumerate(SERVICE_COLUMNS, 4):
                columns[c] = (OCTETS, "" if service.lower() in down else _pids(node, service))
            _table(records, NUTANIX + ".2.1", i, columns)
        assert node.cvm is not None
        _table(records, NUTANIX + ".4.1", i, {
            1: (INTEGER, i), 2: (OCTETS, crt_ident), 3: (COUNTER64, node.cvm.memory_mb * 1048576),
            4: (INTEGER, node.cvm.num_vcpus), 5: (OCTETS, node.cvm_name)})
        _table(records, NUTANIX + ".11.1", i, {
            1: (INTEGER, i), 2: (OCTETS, ident), 3: (OCTETS, state["status"]),
            4: (OCTETS, state["data_services"]), 5: (OCTETS, state["metadata_services"])})


def _disk_table(records: list, cluster: Cluster, settings: dict[str, Any]) -> None:
    """diskStatusTable (.3): every disk of the nodes not in `no_disks`, with the CVM id the
    scenario's `disks:` block may change."""
    disk_ids = settings.get("disks") or {}
    unlisted = set(settings.get("no_disks") or [])
    index = 0
    for node in cluster.nodes:
        if node.name in unlisted:
            continue
        overrides = disk_ids.get(node.name) or {}
        for disk in node.disks:
            index += 1
            change = overrides.get(disk.slot) or overrides.get(str(disk.slot)) or {}
            stats = pe.disk_v2(disk, node)["stats"]
            ident = _quoted(settings, str(change.get("cvm_id", cvm_id(node))))
            _table(records, NUTANIX + ".3.1", index, {
                1: (INTEGER, index), 2: (OCTETS, _quoted(settings, disk.id.split("::")[-1])),
                3: (OCTETS, ident), 4: (OCTETS, disk.serial), 5: (COUNTER64, disk.size_bytes),
                6: (COUNTER64, disk.size_bytes),
                7: (COUNTER64, max(0, disk.size_bytes - disk.usage_bytes)),
                8: (COUNTER64, 0), 9: (COUNTER64, 0),  # inode columns: obsolete, 0 as in real walks
                10: (COUNTER64, int(stats["avg_io_latency_usecs"])),
                11: (COUNTER64, int(stats["io_bandwidth_kBps"])),
                12: (COUNTER64, int(stats["num_iops"])),
                13: (INTEGER, 1 if disk.online else 2)})


def _storage_tables(records: list, cluster: Cluster, settings: dict[str, Any]) -> None:
    """storagePoolInformationTable (.7) and containerInformationTable (.8)."""
    st = cluster.stats
    pool = cluster.storage_pool
    _table(records, NUTANIX + ".7.1", 1, {
        1: (INTEGER, 1), 2: (OCTETS, _quoted(settings, str(pool["id"]).split("::")[-1])),
        3: (OCTETS, pool["name"]), 4: (COUNTER64, cluster.capacity_bytes),
        5: (COUNTER64, cluster.usage_bytes), 6: (INTEGER, st["iops"]),
        7: (COUNTER64, st["latency_usecs"]), 8: (COUNTER64, st["bandwidth_kBps"])})
    for i, container in enumerate(cluster.containers, 1):
        usage = pe.container_usage(cluster, container)
        iops = stable_int(st["iops"] + 1, cluster.name, container["name"], "iops")
        _table(records, NUTANIX + ".8.1", i, {
            1: (INTEGER, i),
            2: (OCTETS, _quoted(settings, str(container["id"]).split("::")[-1])),
            3: (OCTETS, container["name"]),
            4: (COUNTER64, int(usage["storage.capacity_bytes"])),
            5: (COUNTER64, int(usage["storage.usage_bytes"])),
            6: (INTEGER, iops),
            7: (COUNTER64, st["latency_usecs"] + stable_int(400, container["name"], "lat")),
            8: (COUNTER64, stable_int(st["bandwidth_kBps"] + 1, container["name"], "bw"))})


def _hypervisor_table(records: list, cluster: Cluster, settings: dict[str, Any]) -> None:
    """hypervisorInformationTable (.9): one row per node, from its Prism stats."""
    hosts = settings.get("hosts") or {}
    for i, node in enumerate(cluster.nodes, 1):
        stats = pe.node_stats(node)
        extra = hosts.get(node.name) or {}
        _table(records, NUTANIX + ".9.1", i, {
            1: (INTEGER, i), 2: (OCTETS, node.uuid), 3: (OCTETS, node.name),
            4: (GAUGE32, node.num_vms), 5: (GAUGE32, node.num_cpu_cores * 2),
            6: (GAUGE32, round(node.cpu_ppm / 10000)), 7: (COUNTER64, node.memory_bytes),
            8: (GAUGE32, round(node.memory_ppm / 10000)),
            9: (GAUGE32, int(stats["controller_num_read_iops"])),
            10: (GAUGE32, int(stats["controller_num_write_iops"])),
            11: (COUNTER64, int(stats["controller_avg_io_latency_usecs"])),
            12: (COUNTER64, int(stats["controller_io_bandwidth_kBps"])),
            13: (COUNTER64, int(stats["hypervisor_num_received_bytes"])),
            14: (COUNTER64, int(stats["hypervisor_num_transmitted_bytes"])),
            15: (COUNTER64, int(extra.get("rx_drops", stable_int(50, node.name, "rxd")))),
            16: (COUNTER64, int(extra.get("tx_drops", stable_int(20, node.name, "txd"))))})


def _vm_table(records: list, cluster: Cluster) -> None:
    """vmInformationTable (.10). CVMs are listed among the VMs (INFERRED: Prism v1 lists them
    with controllerVm true)."""
    for i, vm in enumerate(cluster.vms, 1):
        on = vm.power_state == "on"
        _table(records, NUTANIX + ".10.1", i, {
            1: (INTEGER, i), 2: (OCTETS, vm.uuid), 3: (OCTETS, vm.name),
            4: (OCTETS, vm.host.uuid if vm.host is not None else ""),
            5: (OCTETS, "on" if on else "off"), 6: (GAUGE32, vm.num_vcpus),
            7: (GAUGE32, stable_int(60, vm.uuid, "cpu") if on else 0),
            8: (COUNTER64, vm.memory_mb * 1048576),
            9: (GAUGE32, 20 + stable_int(60, vm.uuid, "mem") if on else 0)})


# --------------------------------------------------------------------------- AHV host agent


def host_records(world: World, node: Node, settings: dict[str, Any]) -> list:
    extra = (settings.get("hosts") or {}).get(node.name) or {}
    records: list = []
    _system(records, node.name,
            "Linux %s 5.10.194-5.20230302.0.991650.el8.x86_64 #1 SMP x86_64" % node.name,
            world.now - node.boot_time_usecs / 1e6)  # INFERRED AHV kernel string
    stopped = {str(p) for p in extra.get("stopped") or []}
    rows = []
    pid = 1
    for name, path, params in HOST_PROCESSES:
        key = name if name != "python3" else "ahv-host-agent"
        if key not in stopped:
            rows.append((pid, name, path, params, 4 if pid > 2 else 2))
        pid += 37 + stable_int(400, node.name, name)
    for vm in node.vms + ([node.cvm] if node.cvm and node.cvm.power_state == "on" else []):
        rows.append((pid, "qemu-kvm", "/usr/libexec/qemu-kvm", "-name guest=%s" % vm.uuid, 4))
        pid += 3 + stable_int(50, vm.uuid)
    for pid_, name, path, params, kind in rows:
        _table(records, "1.3.6.1.2.1.25.4.2.1", pid_, {
            1: (INTEGER, pid_), 2: (OCTETS, name), 3: (OID, "0.0"), 4: (OCTETS, path),
            5: (OCTETS, params), 6: (INTEGER, kind), 7: (INTEGER, 2)})  # runnable(2): sleeping
    threads = node.num_cpu_cores * 2
    cpu_percent = float(extra.get("cpu_percent", node.cpu_ppm / 10000))
    for cpu in range(threads):
        load = max(0, min(100, round(cpu_percent) + stable_int(7, node.name, cpu) - 3))
        _table(records, "1.3.6.1.2.1.25.3.3.1", 196608 + cpu, {1: (OID, "0.0"), 2: (INTEGER, load)})
    per_core = float(extra.get("load_per_core", cpu_percent / 100 * 1.2))
    for i, (name, factor) in enumerate((("Load-1", 1.05), ("Load-5", 1.0), ("Load-15", 0.95)), 1):
        load = per_core * threads * factor
        _table(records, "1.3.6.1.4.1.2021.10.1", i, {
            1: (INTEGER, i), 2: (OCTETS, name), 3: (OCTETS, "%.2f" % load),
            4: (OCTETS, "%.2f" % (threads * 2)), 5: (INTEGER, int(round(load * 100)))})
    total_kb = node.memory_bytes // 1024
    used = float(extra.get("memory_used_percent", node.memory_ppm / 10000)) / 100
    available = int(total_kb * (1 - used))
    records += [
        ("1.3.6.1.4.1.2021.4.1.0", INTEGER, 0),
        ("1.3.6.1.4.1.2021.4.2.0", OCTETS, "swap"),
        ("1.3.6.1.4.1.2021.4.3.0", INTEGER, 0),
        ("1.3.6.1.4.1.2021.4.4.0", INTEGER, 0),
        ("1.3.6.1.4.1.2021.4.5.0", INTEGER, total_kb),
        ("1.3.6.1.4.1.2021.4.6.0", INTEGER, available * 4 // 10),
        ("1.3.6.1.4.1.2021.4.11.0", INTEGER, available * 4 // 10),
        ("1.3.6.1.4.1.2021.4.13.0", INTEGER, total_kb // 200),
        ("1.3.6.1.4.1.2021.4.14.0", INTEGER, available // 10),
        ("1.3.6.1.4.1.2021.4.15.0", INTEGER, available - available * 4 // 10 - available // 10),
    ]
    return records
