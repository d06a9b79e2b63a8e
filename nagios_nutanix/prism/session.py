"""Prism session cookies and remembered failures, shared by every check process of a target.

Prism wants one Basic login, then its cookies (NTNX_IGW_SESSION, JSESSIONID, ...) until it
answers 401 (sessions last about 15 minutes). Logging in on every check would create a session
per check and, with a wrong password, lock the account within a minute.
"""

import json
import os
import time

from .digest import hexdigest
from .files import FileLock, read_bytes, write_atomic

# A dead VIP is not asked again for this long: a storm of checks gets the same answer at once.
UNREACHABLE_MEMORY = 10
# A refused password is not tried again until it changes or this long has passed (Prism's own
# lockout lasts about 15 minutes).
REFUSED_MEMORY = 900


def password_fingerprint(username, password):
    text = "nagios-nutanix\0%s\0%s" % (username or "", password or "")
    return hexdigest(text, 20)


class SessionStore:
    def __init__(self, directory, fingerprint, clock=time.time):
        self.directory = directory
        self.fingerprint = fingerprint
        self.clock = clock
        self.cookie_path = os.path.join(directory, "session.json")
        self.failure_path = os.path.join(directory, "failure.json")

    # -- cookies --------------------------------------------------------------------------
    def load(self):
        """The stored cookies for this user and password, or {}."""
        data = read_bytes(self.cookie_path)
        if not data:
            return {}
        try:
            doc = json.loads(data)
            if doc.get("fingerprint") != self.fingerprint:
                return {}
            cookies = doc.get("cookies")
            return {str(k): str(v) for k, v in cookies.items()} if cookies else {}
        except (ValueError, AttributeError):
            return {}

    def save(self, cookies):
        doc = {"fingerprint": self.fingerprint, "cookies": cookies, "t": self.clock()}
        write_atomic(self.cookie_path, json.dumps(doc).encode())

    def drop(self, stale):
        """Forget `stale` cookies unless another process has already replaced them."""
        if self.load() == stale:
            try:
                os.unlink(self.cookie_path)
            except OSError:
                pass

    def login_lock(self, remaining):
        return FileLock(os.path.join(self.directory, "login.lock"), remaining)

    # -- remembered failures ----------------------------------------------------------------
    def remember_failure(self, kind, message):
        doc = {"kind": kind, "message": message, "t": self.clock(),
               "fingerprint": self.fingerprint}
        try:
            write_atomic(self.failure_path, json.dumps(doc).encode())
        except OSError:
            pass

    def recent_failure(self):
        """(message, age) of a failure still worth repeating instead of asking Prism again."""
        data = read_bytes(self.failure_path)
        if not data:
            return None
        try:
            doc = json.loads(data)
            age = self.clock() - float(doc["t"])
            memory = REFUSED_MEMORY if doc["kind"] == "refused" else UNREACHABLE_MEMORY
            if doc["kind"] == "refused" and doc.get("fingerprint") != self.fingerprint:
                return None  # the password changed: try it
            if 0 <= age < memory:
                return str(doc["message"]), age
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return None

    def clear_failure(self):
        if os.path.exists(self.failure_path):
            try:
                os.unlink(self.failure_path)
            except OSError:
                pass
