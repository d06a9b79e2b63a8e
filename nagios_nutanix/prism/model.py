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
class ClusterHealth:
    """What the `cluster` check judges."""

    cluster: Cluster
    nodes: list[Node]
    fault_tolerance: list[FaultTolerance]
    source: str  # e.g. "Prism Element v2.0"
    # Facts this source cannot give at all (said in the output, never judged as OK).
    not_available: list[str] = field(default_factory=list)
