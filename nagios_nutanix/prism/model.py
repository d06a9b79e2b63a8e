"""The normalized model checks see, whatever API generation it came from.

A field is None when the source did not say: checks must treat None as "unknown", never as
"fine".
"""

from __future__ import annotations

from .record import field, record


@record
class Node:
    name: str
    uuid: str | None = None
    host_ip: str | None = None
    cvm_ip: str | None = None
    cvm_name: str | None = None
    serial: str | None = None
    block_serial: str | None = None
    state: str | None = None  # host state, e.g. NORMAL
    hypervisor_state: str | None = None  # e.g. ACROPOLIS_NORMAL
    connected: bool | None = None  # AHV host connected to Acropolis
    maintenance: bool | None = None
    degraded: bool | None = None
    reboot_pending: bool | None = None
    cvm_power: str | None = None  # ON / OFF / ...
    metadata_status: str | None = None  # raw, e.g. kNormalMode
    metadata_message: str | None = None
    hypervisor_version: str | None = None
    # Load and size of the hypervisor (None when the source does not give them)
    cpu_percent: float | None = None
    memory_percent: float | None = None
    num_vms: int | None = None
    cpu_threads: int | None = None
    memory_bytes: int | None = None
    # The CVM, from the VM list
    cvm_uuid: str | None = None
    cvm_vcpus: int | None = None
    cvm_memory_bytes: int | None = None
    cvm_cpu_percent: float | None = None
    cvm_memory_percent: float | None = None
    # The source's own records, for the checks that need more than the fields above
    raw_host: dict = field(default_factory=dict)
    raw_cvm: dict = field(default_factory=dict)

    @property
    def metadata_normal(self):
        if self.metadata_status is None:
            return None
        return self.metadata_status in ("kNormalMode", "NORMAL_MODE", "NORMAL")

    def names(self):
        """Every name an admin may know this node by (for FILTERNAME matching)."""
        return [n for n in (self.name, self.cvm_name, self.host_ip, self.cvm_ip, self.serial,
                            self.block_serial, self.uuid) if n]


@record
class FaultTolerance:
    domain: str  # NODE, DISK, RACKABLE_UNIT, ...
    component: str  # METADATA, EXTENT_GROUPS, ...
    tolerable: int | None
    message: str | None = None


@record
class Cluster:
    name: str
    uuid: str | None = None
    version: str | None = None
    full_version: str | None = None
    is_lts: bool | None = None
    operation_mode: str | None = None  # NORMAL, READ_ONLY, ...
    rf_current: int | None = None
    rf_desired: int | None = None
    upgrade_in_progress: bool | None = None
    target_version: str | None = None
    num_nodes: int | None = None


@record
class Inventory:
    """A cluster and its nodes: what every node-scoped check starts from."""

    cluster: Cluster
    nodes: list[Node]
    source: str  # e.g. "Prism Element v2.0"
    kind: str = "pe"  # "pe" or "pc"
    not_available: list[str] = field(default_factory=list)


@record
class ClusterHealth:
    """What the `cluster` check judges."""

    cluster: Cluster
    nodes: list[Node]
    fault_tolerance: list[FaultTolerance]
    source: str  # e.g. "Prism Element v2.0"
    # Facts this source cannot give at all (said in the output, never judged as OK).
    not_available: list[str] = field(default_factory=list)
