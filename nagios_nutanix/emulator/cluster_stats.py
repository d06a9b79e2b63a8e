"""Prism Central v4 ``clustermgmt`` cluster statistics: ``GET .../stats/clusters/{extId}``.

Shape from the reference notes [MODEL]: ``$startTime`` and ``$endTime`` (ISO-8601) are required,
every metric is a list of ``{timestamp, value}`` pairs. Only a few metrics are served; the
values are INFERRED. ``healthCheckScore`` comes from the scenario's
``stats: {health_check_score: N}``; without one the emulator makes one up from the cluster's
unresolved alerts (100, minus 15 per critical, 5 per warning, never below 0): an emulator
convention, not how Prism computes its score.
"""

from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from .routing import Reply, Request, v4_error
from .world import Cluster

OBJECT_TYPE = "clustermgmt.v4.stats.ClusterStatsApiResponse"


def health_check_score(cluster: Cluster) -> int:
    if "health_check_score" in cluster.stats:
        return int(cluster.stats["health_check_score"])
    open_alerts = [a for a in cluster.alerts if not a["resolved"]]
    critical = sum(1 for a in open_alerts if a["severity"] == "kCritical")
    warning = sum(1 for a in open_alerts if a["severity"] == "kWarning")
    return max(0, 100 - 15 * critical - 5 * warning)


def _time(text: Optional[str]) -> Optional[datetime]:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _series(end: datetime, start: datetime, value: int) -> list[dict[str, Any]]:
    points = []
    moment = end.replace(second=0, microsecond=0)
    while moment >= start and len(points) < 3:
        points.append({"timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "value": value})
        moment -= timedelta(minutes=5)
    return list(reversed(points))


def cluster_stats(clusters: list[Cluster]):
    """The route handler over the world's clusters."""
    by_uuid = {c.uuid: c for c in clusters}

    def handler(req: Request, ext_id: str) -> Reply:
        cluster = by_uuid.get(ext_id)
        if cluster is None:
            return v4_error(404, "Cluster %s not found" % ext_id, OBJECT_TYPE)
        start, end = _time(req.params.get("$startTime")), _time(req.params.get("$endTime"))
        if start is None or end is None or start > end:
            return v4_error(400, "$startTime and $endTime are required (ISO-8601, start before "
                            "end)", OBJECT_TYPE, "CLU-10003")  # INFERRED error code
        st = cluster.stats
        data = {
            "$objectType": "clustermgmt.v4.stats.ClusterStats",
            "$reserved": {"$fv": "v4.r0"},
            "extId": cluster.uuid,
            "hypervisorCpuUsagePpm": _series(end, start, st["cpu_ppm"]),
            "aggregateHypervisorMemoryUsagePpm": _series(end, start, st["memory_ppm"]),
            "controllerNumIops": _series(end, start, st["iops"]),
            "controllerAvgIoLatencyUsecs": _series(end, start, st["latency_usecs"]),
            "healthCheckScore": _series(end, start, health_check_score(cluster)),
        }
        from .pc_storage import storage_stats  # storage capacity, usage, data reduction

        for name, value in storage_stats(cluster).items():
            data[name] = _series(end, start, value)
        return Reply(200, {"$objectType": OBJECT_TYPE, "$reserved": {"$fv": "v4.r0"},
                           "data": data, "metadata": {"flags": [], "links": []}})

    return handler
