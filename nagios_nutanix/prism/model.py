"""The normalized model checks see, whatever API generation it came from.

A field is None when the source did not say: checks must treat None as "unknown", never as
"fine".
"""

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Node:
    name: str
    uuid: Optional[str] = None
    host_ip: Optional[str] = None
    cvm_ip: Optional[str] = None
    cvm_name: Optional[str] = None
    serial: Optional[str] = None
    block_serial: Optional[str] = None
    state: Optional[str] = None  # host state, e.g. NORMAL
    hypervisor_state: Optional[str] = None  # e.g. ACROPOLIS_NORMAL
    connected: Optional[bool] = None  # AHV host connected to Acropolis
    maintenance: Optional[bool] = None
    degraded: Optional[bool] = None
    reboot_pending: Optional[bool] = None
    cvm_power: Optional[str] = None  # ON / OFF / ...
    metadata_status: Optional[str] = None  # raw, e.g. kNormalMode
    metadata_message: Optional[str] = None
    hypervisor_version: Optional[str] = None
    # Load and size of the hypervisor (None when the source does not give them)
    cpu_percent: Optional[float] = None
    memory_percent: Optional[float] = None
    num_vms: Optional[int] = None
    cpu_threads: Optional[int] = None
    memory_bytes: Optional[int] = None
    # The CVM, from the VM list
    cvm_uuid: Optional[str] = None
    cvm_vcpus: Optional[int] = None
    cvm_memory_bytes: Optional[int] = None
    cvm_cpu_percent: Optional[float] = None
    cvm_memory_percent: Optional[float] = None
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


@dataclass
class FaultTolerance:
    domain: str  # NODE, DISK, RACKABLE_UNIT, ...
    component: str  # METADATA, EXTENT_GROUPS, ...
    tolerable: Optional[int]
    message: Optional[str] = None


@dataclass
class Cluster:
    name: str
    uuid: Optional[str] = None
    version: Optional[str] = None
    full_version: Optional[str] = None
    is_lts: Optional[bool] = None
    operation_mode: Optional[str] = None  # NORMAL, READ_ONLY, ...
    rf_current: Optional[int] = None
    rf_desired: Optional[int] = None
    upgrade_in_progress: Optional[bool] = None
    target_version: Optional[str] = None
    num_nodes: Optional[int] = None


@dataclass
class Inventory:
    """A cluster and its nodes: what every node-scoped check starts from."""

    cluster: Cluster
    nodes: list[Node]
    source: str  # e.g. "Prism Element v2.0"
    kind: str = "pe"  # "pe" or "pc"
    not_available: list[str] = field(default_factory=list)


@dataclass
class ClusterHealth:
    """What the `cluster` check judges."""

    cluster: Cluster
    nodes: list[Node]
    fault_tolerance: list[FaultTolerance]
    source: str  # e.g. "Prism Element v2.0"
    # Facts this source cannot give at all (said in the output, never judged as OK).
    not_available: list[str] = field(default_factory=list)
