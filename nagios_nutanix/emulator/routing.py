"""Requests, replies, the route table and the error bodies of each API family."""

import json
import re
from collections.abc import Mapping
from typing import Any, Callable, Optional

# Both base paths reach the same v1/v2.0/v3 handlers.
LEGACY_PREFIXES = ("/PrismGateway/services/rest/", "/api/nutanix/")
V4_PREFIX = re.compile(r"^/api/(?P<ns>[a-z]+)/v4\.[0-3]/")


class Reply:
    """One HTTP answer.  ``obj`` is serialized once, on first use."""

    __slots__ = ("status", "obj", "headers", "_payload")

    def __init__(self, status: int, obj: Any = None, headers: Optional[dict[str, str]] = None,
                 payload: Optional[bytes] = None):
        self.status = status
        self.obj = obj
        self.headers = headers or {}
        self._payload = payload

    @property
    def payload(self) -> bytes:
        if self._payload is None:
            self._payload = json.dumps(self.obj, separators=(",", ":")).encode("utf-8")
        return self._payload


class Request:
    __slots__ = ("method", "path", "route", "params", "body", "base_url")

    def __init__(self, method: str, path: str, route: str, params: Mapping[str, str],
                 body: Any, base_url: str):
        self.method = method
        self.path = path  # full path without query
        self.route = route  # e.g. "v2.0/hosts" or "clustermgmt/config/clusters"
        self.params = params
        self.body = body
        self.base_url = base_url


def route_key(path: str) -> Optional[str]:
    """Map a request path to the key the route table uses, or None if it is no API path."""
    for prefix in LEGACY_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix):].rstrip("/")
    match = V4_PREFIX.match(path)
    if match:
        return match.group("ns") + "/" + path[match.end():].rstrip("/")
    return None


Handler = Callable[..., Reply]


class Router:
    def __init__(self):
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method, re.compile("^" + pattern + "$"), handler))

    def find(self, method: str,
             key: str) -> tuple[Optional[Handler], Optional[dict[str, str]], bool]:
        """Return (handler, groups, path_known).  path_known is True on a method mismatch."""
        known = False
        for route_method, pattern, handler in self._routes:
            match = pattern.match(key)
            if match:
                if route_method == method:
                    return handler, match.groupdict(), True
                known = True
        return None, None, known


# ------------------------------------------------------------------------- error bodies

REASONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 408: "Request Timeout", 412: "Precondition Failed",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}


def legacy_error(status: int, message: str, code: Optional[int] = None) -> Reply:
    # INFERRED shape for v1/v2.0 errors: message + error_code{code, help_url}.
    return Reply(status, {
        "message": message,
        "error_code": {"code": code if code is not None else status,
                       "help_url": "http://my.nutanix.com"},
        "detailed_message": message,
    })


def v3_error(status: int, message: str, reason: str) -> Reply:
    return Reply(status, {
        "state": "ERROR",
        "code": status,
        "message_list": [{"reason": reason, "message": message}],
        "api_version": "3.1",
    })


def v4_error(status: int, message: str, object_type: str = "clustermgmt.v4.config.ApiResponse",
             code: str = "CLU-10001") -> Reply:
    namespace = object_type.split(".")[0]
    return Reply(status, {
        "$objectType": object_type,
        "$reserved": {"$fv": "v4.r0"},
        "data": {
            "$objectType": "%s.v4.error.ErrorResponse" % namespace,
            "$reserved": {"$fv": "v4.r0"},
            "error": [{
                "$objectType": "%s.v4.error.AppMessage" % namespace,
                "$reserved": {"$fv": "v4.r0"},
                "message": message,
                "severity": "ERROR",  # INFERRED spelling
                "code": code,  # INFERRED code
                "locale": "en_US",
                "errorGroup": REASONS.get(status, "ERROR").upper().replace(" ", "_"),
                "argumentsMap": {},
            }],
        },
    })


def error_for(key: Optional[str], status: int, message: str) -> Reply:
    """An error body in the style of the API family the route key belongs to."""
    if key is None or key.startswith(("v1/", "v2.0/")) or key in ("v1", "v2.0"):
        return legacy_error(status, message)
    if key.startswith("v3/"):
        reason = {404: "ENTITY_NOT_FOUND", 400: "INVALID_REQUEST"}.get(status, "ERROR")
        return v3_error(status, message, reason)
    return v4_error(status, message)
