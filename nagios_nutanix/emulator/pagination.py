"""Page slicing and list envelopes of the four Prism API generations.

* v2.0: ``count`` (page size) and ``page`` (1-based); snake_case metadata.
* v1: same parameters (INFERRED for v1), camelCase metadata.
* v3: POST body ``length``/``offset``; ``metadata.total_matches``.
* v4: ``$page`` (0-based) and ``$limit`` (default 50, max 100); ``data`` + ``metadata`` with
  ``totalAvailableResults``, ``flags`` and ``links``.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Optional
from urllib.parse import urlencode

V3_DEFAULT_LENGTH = 20  # INFERRED default of v3 list calls
V3_MAX_LENGTH = 500  # INFERRED
V4_DEFAULT_LIMIT = 50
V4_MAX_LIMIT = 100


class PageError(ValueError):
    """A pagination parameter that is not acceptable (becomes a 400)."""


def _int(params: Mapping[str, str], name: str, default: Optional[int]) -> Optional[int]:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise PageError("Invalid value %r for parameter %s" % (raw, name)) from None


def page_v2(params: Mapping[str, str], max_page_size: int) -> tuple[int, int]:
    """Return (page_size, page) from v1/v2 ``count``/``page`` query parameters."""
    count = _int(params, "count", max_page_size)
    page = _int(params, "page", 1)
    if count is None or count < 1:
        raise PageError("count must be a positive integer")
    if page is None or page < 1:
        raise PageError("page must be a positive integer")
    return min(count, max_page_size), page


def envelope_v2(
    entities: Sequence[Any], size: int, page: int, grand_total: Optional[int] = None
) -> dict[str, Any]:
    total = len(entities)
    start = (page - 1) * size
    chunk = list(entities[start : start + size])
    return {
        "metadata": {
            "grand_total_entities": total if grand_total is None else grand_total,
            "total_entities": total,
            "count": size,
            "page": page,
            "start_index": start + 1 if chunk else 0,
            "end_index": start + len(chunk),
        },
        "entities": chunk,
    }


def envelope_v2_offset(
    entities: Sequence[Any], length: int, offset: int, grand_total: Optional[int] = None
) -> dict[str, Any]:
    """v2.0 ``vms`` style (``offset``/``length``) with the same metadata names."""
    total = len(entities)
    chunk = list(entities[offset : offset + length])
    return {
        "metadata": {
            "grand_total_entities": total if grand_total is None else grand_total,
            "total_entities": total,
            "count": len(chunk),
            "start_index": offset + 1 if chunk else 0,
            "end_index": offset + len(chunk),
        },
        "entities": chunk,
    }


def envelope_v1(entities: Sequence[Any], size: int, page: int) -> dict[str, Any]:
    total = len(entities)
    start = (page - 1) * size
    chunk = list(entities[start : start + size])
    return {
        "metadata": {
            "grandTotalEntities": total,
            "totalEntities": total,
            "count": size,
            "page": page,
            "startIndex": start + 1 if chunk else 0,
            "endIndex": start + len(chunk),
        },
        "entities": chunk,
    }


def page_v3(body: Mapping[str, Any]) -> tuple[int, int, bool]:
    """Return (length, offset, explicit) from a v3 list body."""
    explicit = "length" in body or "offset" in body
    try:
        length = int(body.get("length", V3_DEFAULT_LENGTH))
        offset = int(body.get("offset", 0))
    except (TypeError, ValueError):
        raise PageError("length and offset must be integers") from None
    if length < 1 or length > V3_MAX_LENGTH:
        raise PageError("length must be between 1 and %d" % V3_MAX_LENGTH)
    if offset < 0:
        raise PageError("offset must not be negative")
    return length, offset, explicit


def envelope_v3(
    kind: str, entities: Sequence[Any], length: int, offset: int, explicit: bool
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"kind": kind, "total_matches": len(entities)}
    if explicit:
        metadata["length"] = length
        metadata["offset"] = offset
    return {
        "api_version": "3.1",
        "metadata": metadata,
        "entities": list(entities[offset : offset + length]),
    }


def page_v4(params: Mapping[str, str]) -> tuple[int, int]:
    page = _int(params, "$page", 0)
    limit = _int(params, "$limit", V4_DEFAULT_LIMIT)
    if page is None or page < 0:
        raise PageError("$page must be a non-negative integer")
    if limit is None or limit < 1 or limit > V4_MAX_LIMIT:
        raise PageError("$limit must be between 1 and %d" % V4_MAX_LIMIT)
    return page, limit


def _flag(name: str, value: bool) -> dict[str, Any]:
    return {
        "$reserved": {"$fv": "v1.r0"},
        "$objectType": "common.v1.config.Flag",
        "name": name,
        "value": value,
    }


def _link(base_url: str, params: Mapping[str, str], page: int, limit: int, rel: str):
    query = {k: v for k, v in params.items() if k not in ("$page", "$limit")}
    query["$page"] = str(page)
    query["$limit"] = str(limit)
    return {"href": "%s?%s" % (base_url, urlencode(query, safe="$,")), "rel": rel}


def envelope_v4(
    object_type: str,
    entities: Sequence[Any],
    page: int,
    limit: int,
    base_url: str,
    params: Mapping[str, str],
) -> dict[str, Any]:
    total = len(entities)
    start = page * limit
    chunk: list[Any] = list(entities[start : start + limit])
    last = max(0, (total - 1) // limit)
    links = [
        _link(base_url, params, 0, limit, "first"),
        _link(base_url, params, page, limit, "self"),
    ]
    if page > 0:
        links.append(_link(base_url, params, min(page - 1, last), limit, "prev"))
    if page < last:
        links.append(_link(base_url, params, page + 1, limit, "next"))
    links.append(_link(base_url, params, last, limit, "last"))
    return {
        "$objectType": object_type,
        "$reserved": {"$fv": "v4.r0"},
        "data": chunk,
        "metadata": {
            "$objectType": "common.v1.response.ApiResponseMetadata",
            "$reserved": {"$fv": "v1.r0"},
            "flags": [
                _flag("hasError", False),
                _flag("isPaginated", True),
                _flag("isTruncated", False),
            ],
            "links": links,
            "totalAvailableResults": total,
        },
    }
