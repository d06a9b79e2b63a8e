"""Injected faults: error statuses, delays, broken bodies and missing fields.

A fault is a mapping::

    {"path": REGEX, "method": "GET", "status": 503, "delay": 2.5,
     "body": "malformed" | "truncated" | "empty-list" | "<literal text>",
     "drop_fields": ["state", "is_degraded"], "times": 3}

``path`` is matched with ``re.search`` against the request path without its query string.
``times`` limits the fault to the next N matching requests.  On the command line a fault is
written ``PATHREGEX:key=value,key=value`` (``drop_fields`` values separated by ``+``), e.g.
``v2.0/hosts:status=503`` or ``hosts:drop_fields=state+is_degraded,times=1``.
"""

import re
import threading
from collections.abc import Iterable
from typing import Any, Optional

BODY_KINDS = ("malformed", "truncated", "empty-list")
MALFORMED_BODY = b'{"entities": [ {"name": <html><body>502 Bad Gateway</body></html>'
_KEYS = ("path", "method", "status", "delay", "body", "drop_fields", "times")
_CLI = re.compile(r"^(?P<path>.+?):(?P<opts>[a-z_]+=.*)$")


class FaultError(ValueError):
    """A fault description that cannot be understood."""


class Fault:
    __slots__ = ("path", "pattern", "method", "status", "delay", "body", "drop_fields", "times")

    def __init__(self, path: str, method: Optional[str] = None, status: Optional[int] = None,
                 delay: float = 0.0, body: Optional[str] = None,
                 drop_fields: Iterable[str] = (), times: Optional[int] = None):
        try:
            self.pattern = re.compile(path)
        except re.error as exc:
            raise FaultError("bad path regex %r: %s" % (path, exc)) from None
        self.path = path
        self.method = method.upper() if method else None
        self.status = int(status) if status is not None else None
        self.delay = float(delay or 0)
        self.body = body
        self.drop_fields = [str(f) for f in drop_fields or ()]
        self.times = int(times) if times is not None else None
        if self.status is not None and not 100 <= self.status <= 599:
            raise FaultError("status must be an HTTP status code, not %r" % status)
        if self.times is not None and self.times < 1:
            raise FaultError("times must be at least 1")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fault":
        if not isinstance(data, dict) or "path" not in data:
            raise FaultError("a fault needs at least a 'path': %r" % (data,))
        unknown = set(data) - set(_KEYS)
        if unknown:
            raise FaultError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        drop = data.get("drop_fields") or ()
        if isinstance(drop, str):
            drop = [f for f in re.split(r"[+,\s]+", drop) if f]
        try:
            return cls(str(data["path"]), data.get("method"), data.get("status"),
                       data.get("delay", 0.0), data.get("body"), drop, data.get("times"))
        except (TypeError, ValueError) as exc:
            raise FaultError("bad fault %r: %s" % (data, exc)) from None

    @classmethod
    def from_cli(cls, spec: str) -> "Fault":
        match = _CLI.match(spec)
        if not match:
            raise FaultError("fault must look like PATHREGEX:key=value[,key=value]: %r" % spec)
        data: dict[str, Any] = {"path": match.group("path")}
        for item in match.group("opts").split(","):
            key, sep, value = item.partition("=")
            if not sep:
                raise FaultError("expected key=value in %r" % spec)
            key = key.strip()
            if key == "drop_fields":
                data[key] = [f for f in value.split("+") if f]
            else:
                data[key] = value
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path}
        for key in ("method", "status", "body", "times"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.delay:
            out["delay"] = self.delay
        if self.drop_fields:
            out["drop_fields"] = list(self.drop_fields)
        return out

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        return self.pattern.search(path) is not None


class Effect:
    """What the matching faults of one request ask for, merged (first fault wins per key)."""

    __slots__ = ("status", "delay", "body", "drop_fields")

    def __init__(self):
        self.status: Optional[int] = None
        self.delay = 0.0
        self.body: Optional[str] = None
        self.drop_fields: list[str] = []

    def add(self, fault: Fault) -> None:
        if self.status is None:
            self.status = fault.status
        if self.body is None:
            self.body = fault.body
        self.delay = max(self.delay, fault.delay)
        self.drop_fields.extend(f for f in fault.drop_fields if f not in self.drop_fields)

    @property
    def changes_body(self) -> bool:
        return bool(self.drop_fields) or self.body == "empty-list"


class FaultSet:
    def __init__(self, faults: Iterable[Any] = ()):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.replace(faults)

    @staticmethod
    def _coerce(item: Any) -> Fault:
        if isinstance(item, Fault):
            return item
        if isinstance(item, str):
            return Fault.from_cli(item)
        return Fault.from_dict(item)

    def replace(self, faults: Iterable[Any]) -> None:
        parsed = [self._coerce(f) for f in faults or ()]
        with self._lock:
            self._faults = parsed

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def to_list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.to_dict() for f in self._faults]

    def __bool__(self) -> bool:
        return bool(self._faults)

    def effect(self, method: str, path: str) -> Optional[Effect]:
        if not self._faults:
            return None
        effect = None
        with self._lock:
            for fault in list(self._faults):
                if not fault.matches(method, path):
                    continue
                if effect is None:
                    effect = Effect()
                effect.add(fault)
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
        return effect


def empty_list(obj: Any) -> Any:
    """The same envelope with zero entities (a bare list becomes ``[]``)."""
    if isinstance(obj, list):
        return []
    if not isinstance(obj, dict):
        return obj
    out = dict(obj)
    if "entities" in out:
        out["entities"] = []
        meta = dict(out.get("metadata") or {})
        for key in ("grand_total_entities", "total_entities", "grandTotalEntities",
                    "totalEntities", "total_matches"):
            if key in meta:
                meta[key] = 0
        for key in ("end_index", "endIndex", "start_index", "startIndex"):
            if key in meta:
                meta[key] = 0
        out["metadata"] = meta
    elif isinstance(out.get("data"), list):
        out["data"] = []
        meta = dict(out.get("metadata") or {})
        if "totalAvailableResults" in meta:
            meta["totalAvailableResults"] = 0
        out["metadata"] = meta
    return out


def drop_fields(obj: Any, names: Iterable[str]) -> Any:
    """Remove ``names`` from every entity of a list envelope, or from a bare object/list."""
    names = set(names)

    def strip(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: v for k, v in item.items() if k not in names}
        return item

    if isinstance(obj, list):
        return [strip(i) for i in obj]
    if isinstance(obj, dict):
        for key in ("entities", "data"):
            if isinstance(obj.get(key), list):
                out = dict(obj)
                out[key] = [strip(i) for i in obj[key]]
                return out
            if key == "data" and isinstance(obj.get(key), dict):
                out = dict(obj)
                out[key] = strip(obj[key])
                return out
        return strip(obj)
    return obj
