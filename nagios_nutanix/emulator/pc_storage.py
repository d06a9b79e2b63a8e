"""Prism Central v4 clustermgmt storage containers and their statistics.

``GET /api/clustermgmt/v4.x/config/storage-containers`` and
``GET /api/clustermgmt/v4.x/stats/storage-containers/{extId}`` (``$startTime``/``$endTime``
required, every metric a list of ``{timestamp, value}``). Field names follow the v4 SDK models
``clustermgmt.v4.config.StorageContainer`` and ``clustermgmt.v4.stats.StorageContainerStats``
[MODEL]; no recorded answer was available, so every value is INFERRED from the v1/v2.0 view of
the same container (``pe.container_usage``), so the two faces of a scenario agree.
"""

from typing import Any

from .cluster_stats import _series, _time
from .pc import V4_FV
from .pe import cluster_usage, container_usage
from .routing import Reply, Request, Router, v4_error
from .world import Cluster, World

STATS_TYPE = "clustermgmt.v4.stats.StorageContainerStatsApiResponse"


def storage_container_v4(cluster: Cluster, c: dict[str, Any]) -> dict[str, Any]:
    advertised = c.get("advertised_capacity")
    return {
        "$objectType": "clustermgmt.v4.config.StorageContainer",
        "$reserved": V4_FV,
        "extId": c["uuid"],
        "containerExtId": c["uuid"],
        "name": c["name"],
        "clusterExtId": cluster.uuid,
        "clusterName": cluster.name,
        "storagePoolExtId": cluster.storage_pool["uuid"],
        "maxCapacityBytes": int(advertised) * int(c["replication_factor"]) if advertised
        else cluster.capacity_bytes,
        "logicalAdvertisedCapacityBytes": advertised,
        "logicalExplicitReservedCapacityBytes": 0,
        "logicalImplicitReservedCapacityBytes": 0,
        "replicationFactor": int(c["replication_factor"]),
        "isCompressionEnabled": bool(c["compression_enabled"]),
        "compressionDelaySecs": 0,
        "onDiskDedup": str(c["on_disk_dedup"]).upper(),
        "cacheDeduplication": "OFF",
        "erasureCode": str(c["erasure_code"]).upper(),
        "isInlineEcEnabled": False,
        "isEncrypted": False,
        "isSoftwareEncryptionEnabled": False,
        "isInternal": bool(c["is_nutanix_managed"]),
        "isMarkedForRemoval": False,
        "isNfsWhitelistInherited": True,
    }


# v1/v2.0 usage_stats key -> v4 StorageContainerStats metric (names MODEL, mapping INFERRED)
CONTAINER_STATS = {
    "storage.usage_bytes": "storageUsageBytes",
    "storage.capacity_bytes": "storageCapacityBytes",
    "storage.free_bytes": "storageFreeBytes",
    "data_reduction.overall.saving_ratio_ppm": "dataReductionSavingRatioPpm",
    "data_reduction.dedup.saving_ratio_ppm": "dataReductionDedupSavingRatioPpm",
    "data_reduction.compression.saving_ratio_ppm": "dataReductionCompressionSavingRatioPpm",
    "data_reduction.erasure_coding.saving_ratio_ppm": "dataReductionErasureCodingSavingRatioPpm",
}


def storage_stats(cluster: Cluster) -> dict[str, int]:
    """The cluster-wide storage metrics of v4 ClusterStats (names MODEL, values INFERRED)."""
    usage = cluster_usage(cluster)
    return {
        "storageCapacityBytes": int(usage["storage.capacity_bytes"]),
        "storageUsageBytes": int(usage["storage.usage_bytes"]),
        "dataReductionSavingRatioPpm": int(usage["data_reduction.saving_ratio_ppm"]),
    }


def register(api: Any, router: Router) -> None:
    """Adds the v4 storage-container routes to a PrismCentralApi."""
    world: World = api.world
    containers = [(cluster, c) for cluster in world.clusters for c in cluster.containers]
    listed = [storage_container_v4(cluster, c) for cluster, c in containers]
    by_id = {c["uuid"]: (cluster, c) for cluster, c in containers}
    router.add("GET", r"clustermgmt/config/storage-containers",
               api.v4_list("clustermgmt.v4.config.ListStorageContainersApiResponse",
                           lambda req: listed))

    def stats(req: Request, ext_id: str) -> Reply:
        found = by_id.get(ext_id)
        if found is None:
            return v4_error(404, "Storage container %s not found" % ext_id, STATS_TYPE)
        start, end = _time(req.params.get("$startTime")), _time(req.params.get("$endTime"))
        if start is None or end is None or start > end:
            return v4_error(400, "$startTime and $endTime are required (ISO-8601, start before "
                            "end)", STATS_TYPE, "CLU-10003")  # INFERRED error code
        usage = container_usage(*found)
        data: dict[str, Any] = {"$objectType": "clustermgmt.v4.stats.StorageContainerStats",
                                "$reserved": V4_FV, "containerExtId": ext_id}
        for key, name in CONTAINER_STATS.items():
            value = int(usage[key])
            data[name] = _series(end, start, value) if value != -1 else []
        return Reply(200, {"$objectType": STATS_TYPE, "$reserved": V4_FV, "data": data,
                           "metadata": {"flags": [], "links": []}})

    router.add("GET", r"clustermgmt/stats/storage-containers/(?P<ext_id>[^/]+)", stats)
