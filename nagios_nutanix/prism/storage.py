"""Storage capacity as the `storage` check sees it: pools, containers, per-host capacity.

Prism Element: v1 `storage_pools` (camelCase, the only source of pools), v2.0
`storage_containers` (usage and data-reduction `usage_stats`; v1 `containers` when v2.0 leaves
the data-reduction keys out), v2.0 `hosts` `usage_stats` (per-host capacity) and the v2.0
`cluster` `usage_stats` (cluster-wide). Prism Central: v4 clustermgmt `storage-containers` and
the `stats/storage-containers/{id}` and `stats/clusters/{id}` series (field names from the v4
SDK models: MODEL; not recorded from a live Prism Central). Pools are Prism Element only.
"""

from __future__ import annotations

from ..plugin.errors import PluginError
from ..plugin.sanitize import clean
from .cluster_stats import newest
from .normalize import enum, flag, number, ppm_to_ratio
from .record import field, record

SAVINGS = ("overall", "dedup", "compression", "erasure_coding")


@record
class Space:
    """A pool, a container or the whole cluster: bytes used against a capacity.

    `against` says what the capacity is ("advertised capacity", "pool NAME", ...) and
    `logical` whether the bytes are logical (as VMs wrote them) or physical (replicas
    included). `missing` is why used or capacity is None.
    """

    name: str
    used: int | None = None
    capacity: int | None = None
    against: str = ""
    logical: bool = False
    savings: dict = field(default_factory=dict)  # SAVINGS key -> ratio (1.42 = 1.42:1) or None
    uuid: str | None = None
    missing: str | None = None

    @property
    def percent(self):
        if self.used is None or not self.capacity:
            return None
        return 100.0 * self.used / self.capacity


@record
class HostCapacity:
    name: str
    capacity: int | None = None
    used: int | None = None


@record
class Storage:
    """What the `storage` check judges."""

    cluster: object  # model.Cluster
    total: Space  # cluster-wide
    pools: list  # [Space]; empty on Prism Central (see not_available)
    containers: list  # [Space]
    hosts: list | None  # [HostCapacity]; None when the source gives no per-host capacity
    source: str
    not_available: list = field(default_factory=list)


# -- normalization shared by both faces ---------------------------------------------------------
def savings_v1v2(usage):
    """Data-reduction ratios from v1/v2 `usage_stats` keys `data_reduction.<kind>.saving_ratio_ppm`
    (reference §1.8, SEEN in v1 containers); None for "-1" (not computed)."""
    return {kind: ppm_to_ratio(usage.get("data_reduction.%s.saving_ratio_ppm" % kind))
            for kind in SAVINGS}


def _has_savings(usage):
    return any(str(key).startswith("data_reduction.") for key in (usage or {}))


def pool_v1(entity):
    usage = entity.get("usageStats") or {}
    capacity = number(usage.get("storage.capacity_bytes"))
    if capacity is None:
        capacity = number(entity.get("capacity"))
    name = entity.get("name") or entity.get("storagePoolUuid") or entity.get("id") or "?"
    return Space(name=str(name), used=number(usage.get("storage.usage_bytes")), capacity=capacity,
                 against="pool capacity", uuid=entity.get("storagePoolUuid"),
                 missing=None if usage else "the pool has no usageStats")


def container_v2(entity, pools, cluster_rf, savings_usage=None):
    """A container against its advertised capacity when one is set, else against its pool.

    Against an advertised capacity the bytes are logical (`storage.user_usage_bytes`, or
    `storage.usage_bytes` / RF): Prism's v4 model names the field
    `logicalAdvertisedCapacityBytes`, so the advertised capacity is read as logical (INFERRED
    for v2, whose field is plain `advertised_capacity`). Against the pool the bytes are
    physical, as the pool's own.
    """
    usage = entity.get("usage_stats") or {}
    name = str(entity.get("name") or entity.get("storage_container_uuid") or "?")
    physical = number(usage.get("storage.usage_bytes"))
    rf = number(entity.get("replication_factor")) or cluster_rf
    savings = savings_v1v2(savings_usage if savings_usage is not None else usage)
    advertised = number(entity.get("advertised_capacity"))
    uuid = entity.get("storage_container_uuid")
    if advertised:
        logical = number(usage.get("storage.user_usage_bytes"))
        if logical is None and physical is not None and rf:
            logical = physical // rf
        return Space(name=name, used=logical, capacity=advertised, logical=True,
                     against="advertised capacity", savings=savings, uuid=uuid,
                     missing=None if logical is not None else "no usage reported")
    pool = _pool_of(entity.get("storage_pool_uuid"), pools)
    if pool is not None:
        capacity, against = pool.capacity, "pool %s" % pool.name
    else:
        # No pool to compare with: the container's own reported maximum (v2 max_capacity).
        capacity, against = number(entity.get("max_capacity")), "its maximum capacity"
    return Space(name=name, used=physical, capacity=capacity, against=against,
                 savings=savings, uuid=uuid,
                 missing=None if physical is not None else "no usage reported")


def _pool_of(pool_uuid, pools):
    for pool in pools:
        if pool_uuid and pool.uuid == pool_uuid:
            return pool
    return pools[0] if len(pools) == 1 else None


def host_v2(host):
    usage = host.get("usage_stats") or {}
    name = host.get("name") or host.get("hypervisor_address") or host.get("uuid") or "?"
    return HostCapacity(name=str(name), capacity=number(usage.get("storage.capacity_bytes")),
                        used=number(usage.get("storage.usage_bytes")))


def _stores_data(host):
    """Compute-only nodes hold no storage: they do not count in resilient capacity."""
    return enum(host.get("host_type")) != "COMPUTE_ONLY"


# -- Prism Element ---------------------------------------------------------------------------
def element(client, doc, wanted):
    from . import element as pe
    from .inventory import require_cluster
    from .pagination import v1_pages, v2_pages

    cluster = pe.cluster(doc)
    require_cluster(client, cluster, wanted)
    usage = doc.get("usage_stats") or {}
    total = Space(name=cluster.name, used=number(usage.get("storage.usage_bytes")),
                  capacity=number(usage.get("storage.capacity_bytes")),
                  against="cluster storage capacity",
                  savings={"overall": ppm_to_ratio(usage.get("data_reduction.saving_ratio_ppm"))},
                  missing=None if usage else "the v2.0 cluster answer has no usage_stats")
    pools = [pool_v1(p) for p in v1_pages(client, pe.V1 + "storage_pools")
             if not flag(p.get("markedForRemoval"))]
    raw = [c for c in v2_pages(client, pe.V2 + "storage_containers")
           if not flag(c.get("marked_for_removal"))]
    by_uuid = {}
    if raw and not any(_has_savings(c.get("usage_stats")) for c in raw):
        # v2.0 left the data-reduction keys out: read them from v1 `containers` (SEEN there).
        for item in v1_pages(client, pe.V1 + "containers"):
            by_uuid[item.get("containerUuid") or item.get("name")] = item.get("usageStats") or {}
    rf = cluster.rf_current
    containers = [container_v2(c, pools, rf, by_uuid.get(c.get("storage_container_uuid"),
                                                         by_uuid.get(c.get("name"))))
                  for c in raw]
    hosts = [host_v2(h) for h in v2_pages(client, pe.HOSTS) if _stores_data(h)]
    return Storage(cluster=cluster, total=total, pools=pools, containers=containers,
                   hosts=hosts, source=pe.SOURCE + " (pools: v1)")


# -- Prism Central v4 ------------------------------------------------------------------------
PC_NOT_AVAILABLE = [
    "storage pools (Prism Element v1 only)",
    "resilient capacity (needs per-host storage capacity, read from Prism Element v2.0 "
    "hosts)",
]


def _ratio(stats, *names):
    for name in names:
        value = newest(stats.get(name))
        if value is not None:
            return ppm_to_ratio(value)
    return None


def savings_v4(stats):
    # StorageContainerStats names (MODEL): dataReduction<Kind>SavingRatioPpm; the overall one
    # is dataReductionSavingRatioPpm (Total... in some SDK versions).
    return {
        "overall": _ratio(stats, "dataReductionSavingRatioPpm",
                          "dataReductionTotalSavingRatioPpm"),
        "dedup": _ratio(stats, "dataReductionDedupSavingRatioPpm"),
        "compression": _ratio(stats, "dataReductionCompressionSavingRatioPpm"),
        "erasure_coding": _ratio(stats, "dataReductionErasureCodingSavingRatioPpm"),
    }


def container_v4(entity, stats, cluster_rf, missing=None):
    """Same rules as container_v2, from the v4 config (MODEL) and stats (MODEL) objects."""
    name = str(entity.get("name") or entity.get("extId") or "?")
    uuid = entity.get("containerExtId") or entity.get("extId")
    physical = newest(stats.get("storageUsageBytes")) if stats else None
    rf = number(entity.get("replicationFactor")) or cluster_rf
    savings = savings_v4(stats or {})
    advertised = number(entity.get("logicalAdvertisedCapacityBytes"))
    why = missing or (None if physical is not None else "no storageUsageBytes in its stats")
    if advertised:
        logical = physical // rf if physical is not None and rf else None
        return Space(name=name, used=logical, capacity=advertised, logical=True,
                     against="advertised capacity", savings=savings, uuid=uuid, missing=why)
    capacity = newest(stats.get("storageCapacityBytes")) if stats else None
    if capacity is None:
        capacity = number(entity.get("maxCapacityBytes"))
    return Space(name=name, used=physical, capacity=capacity, against="its storage capacity",
                 savings=savings, uuid=uuid, missing=why)


def central(client, doc, wanted, now):
    from . import central as pc
    from . import cluster_stats as stats
    from .pagination import v4_pages

    found = pc.inventory(client, doc, wanted)
    if found.kind != "pc" or "v4" not in found.source:
        raise PluginError(
            "Prism Central %s does not serve v4 clustermgmt (only v3), which has no storage "
            "usage; use Prism Central pc.2024.3 or later, or point -H at the Prism Element "
            "VIP of cluster %s" % (clean(str(doc.get("name") or client.host)),
                                   clean(found.cluster.name)))
    cluster = found.cluster
    # The same query (and cached answer) as the ncc check's health-check score.
    cluster_stats, why = stats.cluster(client, cluster.uuid, now)
    cluster_stats = cluster_stats or {}
    total = Space(name=cluster.name, used=newest(cluster_stats.get("storageUsageBytes")),
                  capacity=newest(cluster_stats.get("storageCapacityBytes")),
                  against="cluster storage capacity",
                  savings={"overall": _ratio(cluster_stats, "dataReductionSavingRatioPpm")},
                  missing=why)
    containers = []
    for entity in v4_pages(client, pc.V4 + "storage-containers"):
        if entity.get("clusterExtId") not in (None, cluster.uuid):
            continue
        if flag(entity.get("isMarkedForRemoval")):
            continue
        uuid = entity.get("containerExtId") or entity.get("extId")
        found_stats, why = stats.read(client, "storage-containers", uuid, now)
        containers.append(container_v4(entity, found_stats, cluster.rf_current, why))
    return Storage(cluster=cluster, total=total, pools=[], containers=containers, hosts=None,
                   source="Prism Central v4 clustermgmt (config and stats)",
                   not_available=list(PC_NOT_AVAILABLE))


def collect(context):
    """The Storage model of the run's target (Prism Element, or Prism Central + --cluster)."""
    import time

    from .inventory import connect

    client, kind, doc = connect(context)
    if kind == "pc":
        return central(client, doc, context.options.cluster, time.time())
    return element(client, doc, context.options.cluster)
