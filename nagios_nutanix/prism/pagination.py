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


def _walk(path, fetch, key, total_of, page_size):
    """Call fetch(found_so_far, page_index) until the list is complete; the loop all
    generations share, each giving only how to ask for a page and where its total is."""
    found = []
    for index in range(MAX_PAGES):
        doc = fetch(len(found), index)
        batch = _entities(doc, key, path)
        found.extend(batch)
        total = _int(total_of(doc.get("metadata") or {}))
        if not batch or (total is not None and len(found) >= total) or (
                total is None and len(batch) < page_size):
            return found
    raise PluginError("%s did not end after %d pages" % (path, MAX_PAGES))


def v2_pages(client, path, params=None, page_size=500, camel=False):
    """v2.0 (and v1) `count`/`page` lists, pages numbered from 1."""
    total_key = "totalEntities" if camel else "total_entities"
    return _walk(path, lambda _, index: client.get(
        path, dict(params or {}, count=page_size, page=index + 1)), "entities",
        lambda meta: meta.get(total_key), page_size)


def v1_pages(client, path, params=None, page_size=500):
    return v2_pages(client, path, params, page_size, camel=True)


def v3_pages(client, path, kind, page_size=500, body=None):
    """v3 `POST .../list` with `length`/`offset`."""
    return _walk(path, lambda offset, _: client.post(
        path, dict(body or {}, kind=kind, length=page_size, offset=offset)), "entities",
        lambda meta: meta.get("total_matches"), page_size)


def v4_pages(client, path, params=None, page_size=100):
    """v4 `$page` (from 0) / `$limit` lists in the `data`/`metadata` envelope."""
    def fetch(_, index):
        query = dict(params or {})
        query["$page"] = index
        query["$limit"] = page_size
        return client.get(path, query)

    return _walk(path, fetch, "data", lambda meta: meta.get("totalAvailableResults"), page_size)
