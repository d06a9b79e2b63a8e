"""Prism Central v4 clustermgmt statistics: one reader for the `storage` and `ncc` checks.

`stats/clusters/{extId}` (and `stats/storage-containers/{extId}`) answer time series: every
metric a list of `{timestamp, value}` (MODEL, from the v4 SDK; not recorded from a live Prism
Central). `$startTime` and `$endTime` are required. Every caller asks for the same window, the
last 15 minutes ending at a 5-minute boundary, and for the whole object (no `$select`), so the
checks of one poll cycle ask the same question and share one cached answer.
"""

from .errors import PrismHTTPError
from .normalize import number

WINDOW = 900  # seconds of series asked for; the newest value is used
STEP = 300  # window end rounded down to this, so concurrent checks share one answer


def base():
    from .central import V4

    return V4.replace("/config/", "/stats/")


def window(now):
    """The query parameters of the shared window ending at the last 5-minute boundary."""
    import time

    end = int(now) // STEP * STEP
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {"$startTime": time.strftime(fmt, time.gmtime(end - WINDOW)),
            "$endTime": time.strftime(fmt, time.gmtime(end))}


def newest(series):
    """The newest value of a v4 time series ([{timestamp, value}], MODEL), or None."""
    if not isinstance(series, list):
        return number(series)
    points = [p for p in series if isinstance(p, dict) and number(p.get("value")) is not None]
    if not points:
        return None
    return number(max(points, key=lambda p: str(p.get("timestamp") or ""))["value"])


def read(client, kind, ext_id, now):
    """(stats object, None), or (None, why) when Prism Central has no such series (HTTP 404 or
    501, or an answer without a data object). Other HTTP errors are raised."""
    path = base() + "%s/%s" % (kind, ext_id)
    try:
        doc = client.get(path, window(now))
    except PrismHTTPError as exc:
        if exc.status in (404, 501):
            return None, "Prism Central answered HTTP %d for %s" % (exc.status, path)
        raise
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict):
        return None, "unexpected answer for %s: no data object" % path
    return data, None


def cluster(client, cluster_uuid, now):
    """The cluster's statistics: (stats, None) or (None, why)."""
    return read(client, "clusters", cluster_uuid, now)
