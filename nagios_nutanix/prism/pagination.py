"""Walk every page of a Prism list, whatever the API generation.

Each walker stops on the total the server reports, on a short or empty page, or after
MAX_PAGES (a guard against a server that never ends). Page sizes asked for may be capped by
the server; the walkers rely on what came back, not on what was asked.
"""

from ..plugin.errors import PluginError

MAX_PAGES = 1000


def _entities(doc, key, path):
    if not isinstance(doc, dict):
        raise PluginError("unexpected answer for %s: expected an object with %r, got %s"
                          % (path, key, type(doc).__name__))
    items = doc.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise PluginError("unexpected answer for %s: %r is not a list" % (path, key))
    return items


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def v2_pages(client, path, params=None, page_size=500, camel=False):
    """v2.0 (and v1) `count`/`page` lists, pages numbered from 1."""
    total_key = "totalEntities" if camel else "total_entities"
    found = []
    for page in range(1, MAX_PAGES + 1):
        query = dict(params or {}, count=page_size, page=page)
        doc = client.get(path, query)
        batch = _entities(doc, "entities", path)
        found.extend(batch)
        total = _int((doc.get("metadata") or {}).get(total_key))
        if not batch or (total is not None and len(found) >= total) or (
                total is None and len(batch) < page_size):
            return found
    raise PluginError("%s did not end after %d pages" % (path, MAX_PAGES))


def v1_pages(client, path, params=None, page_size=500):
    return v2_pages(client, path, params, page_size, camel=True)


def v3_pages(client, path, kind, page_size=500, body=None):
    """v3 `POST .../list` with `length`/`offset`."""
    found = []
    for _ in range(MAX_PAGES):
        request = dict(body or {}, kind=kind, length=page_size, offset=len(found))
        doc = client.post(path, request)
        batch = _entities(doc, "entities", path)
        found.extend(batch)
        total = _int((doc.get("metadata") or {}).get("total_matches"))
        if not batch or (total is not None and len(found) >= total) or (
                total is None and len(batch) < page_size):
            return found
    raise PluginError("%s did not end after %d pages" % (path, MAX_PAGES))


def v4_pages(client, path, params=None, page_size=100):
    """v4 `$page` (from 0) / `$limit` lists in the `data`/`metadata` envelope."""
    found = []
    for page in range(MAX_PAGES):
        query = dict(params or {})
        query["$page"] = page
        query["$limit"] = page_size
        doc = client.get(path, query)
        batch = _entities(doc, "data", path)
        found.extend(batch)
        total = _int((doc.get("metadata") or {}).get("totalAvailableResults"))
        if not batch or (total is not None and len(found) >= total) or (
                total is None and len(batch) < page_size):
            return found
    raise PluginError("%s did not end after %d pages" % (path, MAX_PAGES))
