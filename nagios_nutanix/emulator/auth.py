"""Accounts, session cookies and lockout, as Prism behaves toward API clients.

* ``Authorization: Basic`` with the right password is a login: the response carries a fresh
  ``NTNX_IGW_SESSION`` cookie (plus ``JSESSIONID`` on Prism Element).
* A request without ``Authorization`` but with a live ``NTNX_IGW_SESSION`` cookie is served
  without a new cookie.  Unknown or expired cookies get a 401.
* ``lockout_after`` consecutive failed logins lock the account for ``lockout_seconds``; while
  locked every Basic attempt fails, even with the right password.
"""

import base64
import binascii
import re
import secrets
import threading
import time
from email.utils import formatdate
from typing import Any, Optional

SESSION_COOKIE = "NTNX_IGW_SESSION"
JSESSION_COOKIE = "JSESSIONID"
REALM = 'Basic realm="Intent Gateway Login Required"'
LOCKED_MESSAGE = "Account locked"  # INFERRED wording; the real lockout text was not seen


class AuthResult:
    __slots__ = ("ok", "status", "username", "method", "cookies", "message", "reason")

    def __init__(self, ok, status=200, username=None, method=None, cookies=None, message="",
                 reason=""):
        self.ok = ok
        self.status = status
        self.username = username
        self.method = method  # "basic" or "cookie"
        self.cookies: list[str] = cookies or []
        self.message = message
        self.reason = reason


def parse_cookies(header: Optional[str]) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            cookies[name] = value
    return cookies


class Authenticator:
    def __init__(self, accounts: list[dict[str, Any]], session_ttl: float = 900,
                 lockout_after: int = 5, lockout_seconds: float = 900,
                 set_jsessionid: bool = True):
        self.accounts = {a["username"]: a for a in accounts}
        self.session_ttl = float(session_ttl)
        self.lockout_after = int(lockout_after)
        self.lockout_seconds = float(lockout_seconds)
        self.set_jsessionid = set_jsessionid
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple] = {}
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._forbidden = {
            a["username"]: [re.compile(p) for p in a.get("forbidden_paths") or []]
            for a in accounts
        }

    def reset(self) -> None:
        with self._lock:
            self._sessions.clear()
            self._failures.clear()
            self._locked_until.clear()

    def forbidden(self, username: str, path: str) -> bool:
        return any(p.search(path) for p in self._forbidden.get(username, ()))

    def authenticate(self, authorization: Optional[str],
                     cookie_header: Optional[str]) -> AuthResult:
        now = time.time()
        if authorization:
            return self._basic(authorization, now)
        token = parse_cookies(cookie_header).get(SESSION_COOKIE)
        if token:
            with self._lock:
                session = self._sessions.get(token)
                if session and session[1] > now:
                    return AuthResult(True, username=session[0], method="cookie")
                self._sessions.pop(token, None)
        return AuthResult(False, 401, message="Authentication required.",
                          reason="AUTHENTICATION_REQUIRED")

    def _basic(self, authorization: str, now: float) -> AuthResult:
        scheme, _, payload = authorization.partition(" ")
        if scheme.lower() != "basic":
            return AuthResult(False, 401, message="Authentication required.",
                              reason="AUTHENTICATION_REQUIRED")
        try:
            decoded = base64.b64decode(payload.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        username, sep, password = decoded.partition(":")
        with self._lock:
            locked_until = self._locked_until.get(username, 0.0)
            if locked_until > now:
                self._failures[username] = self._failures.get(username, 0) + 1
                return AuthResult(False, 401, username=username, method="basic",
                                  message=LOCKED_MESSAGE, reason="AUTHENTICATION_REQUIRED")
            if locked_until:
                del self._locked_until[username]
                self._failures.pop(username, None)
            account = self.accounts.get(username)
            if not sep or account is None or account["password"] != password:
                failures = self._failures.get(username, 0) + 1
                self._failures[username] = failures
                if failures >= self.lockout_after:
                    self._locked_until[username] = now + self.lockout_seconds
                return AuthResult(False, 401, username=username, method="basic",
                                  message="Authentication required.",
                                  reason="AUTHENTICATION_REQUIRED")
            self._failures.pop(username, None)
            token = secrets.token_urlsafe(32)
            expires = now + self.session_ttl
            self._sessions[token] = (username, expires)
            if len(self._sessions) > 10000:
                self._sessions = {k: v for k, v in self._sessions.items() if v[1] > now}
        stamp = formatdate(expires, usegmt=True)
        cookies = [
            "%s=%s; Path=/; Secure; HttpOnly; SameSite=Lax; Expires=%s"
            % (SESSION_COOKIE, token, stamp)
        ]
        if self.set_jsessionid:
            cookies.append(
                "%s=%s; Path=/PrismGateway; Secure; HttpOnly"
                % (JSESSION_COOKIE, secrets.token_hex(16).upper())
            )
        return AuthResult(True, username=username, method="basic", cookies=cookies)
