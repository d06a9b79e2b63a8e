"""Software versions of a cluster, as the `version` check sees them.

Prism Element: v2.0 `cluster` (`version`, `is_lts`, `ncc_version`, `is_upgrade_in_progress`,
`target_version`) and v2.0 `hosts` (`hypervisor_full_name`, `hypervisor_type`). Prism Central:
the v2.0 `cluster` answer of Prism Central itself (its own version), v4 clustermgmt
`clusters` (`config.buildInfo`, `isLts`, `clusterSoftwareMap` for NCC, `upgradeStatus`) and
hosts (`hypervisor.fullName`, `hypervisor.type`), or v3 (`software_map`) where v4 is missing.
"""

from __future__ import annotations

from .normalize import enum
from .record import field, record


@record
class HostVersion:
    name: str
    hypervisor: str | None = None  # "AHV", "ESXI", "HYPERV" or None when not reported
    full_name: str | None = None  # as Prism gives it, e.g. "Nutanix 20230302.101026"


@record
class Versions:
    """What the `version` check judges. `today` is the date the run happened (UTC), so that
    evaluate() stays pure; `policy` the parsed --policy file or None."""

    cluster: object  # model.Cluster: version, is_lts, upgrade_in_progress, target_version
    hosts: list
    source: str
    today: object  # datetime.date
    ncc: str | None = None
    prism_central: str | None = None  # the version of Prism Central when it is the target
    policy: object = None
    not_available: list = field(default_factory=list)


# AOS per node: the APIs read give one version for the whole cluster.
NOT_AVAILABLE = ["AOS version per node (Prism gives one version for the cluster)"]

_HYPERVISORS = {"KVM": "AHV", "ACROPOLIS": "AHV", "AHV": "AHV", "VMWARE": "ESXI",
                "ESX": "ESXI", "ESXI": "ESXI", "HYPERV": "HYPERV", "HYPER_V": "HYPERV"}


def hypervisor_kind(type_value, full_name):
    """AHV / ESXI / HYPERV from the host's hypervisor type (v2 `kKvm`, v4 `AHV`), else from
    the name ("Nutanix 2023..." and "AHV 10.3" are AHV); None when neither says."""
    kind = _HYPERVISORS.get(enum(type_value) or "")
    if kind:
        return kind
    name = str(full_name or "").lower()
    if name.startswith(("nutanix ", "ahv", "el7.nutanix", "el8.nutanix")):
        return "AHV"
    if "esx" in name:
        return "ESXI"
    if "hyper-v" in name or "windows" in name:
        return "HYPERV"
    return None


def _host(node):
    raw = node.raw_host or {}
    hypervisor = raw.get("hypervisor") if isinstance(raw.get("hypervisor"), dict) else {}
    kind = hypervisor_kind(raw.get("hypervisor_type") or hypervisor.get("type"),
                           node.hypervisor_version)
    return HostVersion(name=node.name, hypervisor=kind, full_name=node.hypervisor_version)


def _pc_software(client, cluster_uuid, source):
    """{software type: version} of the chosen cluster as Prism Central lists it."""
    from . import central
    from .pagination import v3_pages, v4_pages

    found = {}
    if "v4" in source:
        for item in v4_pages(client, central.V4 + "clusters"):
            if item.get("extId") == cluster_uuid:
                for entry in (item.get("config") or {}).get("clusterSoftwareMap") or ():
                    if isinstance(entry, dict) and entry.get("softwareType"):
                        found[enum(entry["softwareType"])] = entry.get("version")
        return found
    for item in v3_pages(client, central.V3 + "clusters/list", "cluster"):
        if (item.get("metadata") or {}).get("uuid") == cluster_uuid:
            config = ((item.get("status") or {}).get("resources") or {}).get("config") or {}
            for name, entry in (config.get("software_map") or {}).items():
                if isinstance(entry, dict):
                    found[enum(name)] = entry.get("version")
    return found


def collect(client, kind, doc, wanted, today, policy=None):
    from . import element, inventory

    if kind == "pc":
        from . import central

        found = central.inventory(client, doc, wanted)
        software = _pc_software(client, found.cluster.uuid, found.source)
        return Versions(cluster=found.cluster, hosts=[_host(n) for n in found.nodes],
                        source=found.source, today=today, ncc=software.get("NCC"),
                        prism_central=doc.get("version"), policy=policy,
                        not_available=list(NOT_AVAILABLE))
    found = element.inventory(client, doc)
    inventory.require_cluster(client, found.cluster, wanted)
    return Versions(cluster=found.cluster, hosts=[_host(n) for n in found.nodes],
                    source=found.source, today=today, ncc=doc.get("ncc_version"),
                    policy=policy, not_available=list(NOT_AVAILABLE))
