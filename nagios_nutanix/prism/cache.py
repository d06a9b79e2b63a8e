"""The shared response cache: one file per (target, user, request), fresh for a TTL.

A poller runs many checks against one cluster each minute; they need the same few endpoints.
The first process to miss takes the key's lock, fetches and writes atomically; the others wait
on the lock and then read its answer. A corrupt or foreign file is ignored and rewritten.
"""

import json
import os
import time

from .digest import hexdigest
from .files import FileLock, read_bytes, write_atomic

FORMAT = 1


def request_key(method, path, params=None, body=None):
    """A stable text naming one request (no credentials in it)."""
    query = "&".join("%s=%s" % (k, params[k]) for k in sorted(params or {}))
    payload = json.dumps(body, sort_keys=True) if body is not None else ""
    return "%s %s?%s %s" % (method, path, query, payload)


class ResponseCache:
    def __init__(self, directory, ttl, clock=time.time):
        self.directory = directory
        self.ttl = ttl
        self.clock = clock
        os.makedirs(directory, mode=0o700, exist_ok=True)

    def _path(self, key):
        return os.path.join(self.directory, hexdigest(key, 32))

    def get(self, key):
        """The cached body of a fresh entry, else None (missing, stale, corrupt or foreign)."""
        data = read_bytes(self._path(key) + ".json")
        if not data:
            return None
        header, sep, body = data.partition(b"\n")
        if not sep:
            return None
        try:
            meta = json.loads(header)
            if meta.get("v") != FORMAT or meta.get("key") != key:
                return None
            if not 0 <= self.clock() - float(meta["t"]) < self.ttl:
                return None
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return body

    def put(self, key, body):
        header = json.dumps({"v": FORMAT, "key": key, "t": self.clock()}).encode()
        write_atomic(self._path(key) + ".json", header + b"\n" + body)

    def lock(self, key, remaining):
        return FileLock(self._path(key) + ".lock", remaining)
