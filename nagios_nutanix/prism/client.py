"""The Prism client: cache first, then one login per target shared through cookies."""

import json
import os

from ..plugin.errors import PluginError, UsageError
from . import statedir
from .cache import ResponseCache, request_key
from .errors import http_error
from .session import SessionStore, password_fingerprint


class PrismClient:
    def __init__(self, host, port, username, password, budget, ca_file=None, insecure=False,
                 cache=None, sessions=None, debug=None):
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.budget = budget
        self.ca_file = ca_file
        self.insecure = insecure
        self.cache = cache
        self.sessions = sessions
        self.debug = debug or (lambda text: None)
        self._transport = None
        self._cookies = {}  # used when there is no shared session store
        self.requests_made = 0

    # -- public -----------------------------------------------------------------------------
    def get(self, path, params=None):
        return self._request("GET", path, params, None)

    def post(self, path, body):
        """POST for read-only list calls (v3 `*/list`); cached like a GET."""
        return self._request("POST", path, None, body)

    # -- cache ------------------------------------------------------------------------------
    def _request(self, method, path, params, body):
        key = request_key(method, path, params, body)
        if self.cache is None:
            return self._fetch(method, path, params, body)
        cached = self._cached(key)
        if cached is not None:
            return cached
        with self.cache.lock(key, self.budget.remaining):
            cached = self._cached(key)  # another process may have fetched it meanwhile
            if cached is not None:
                return cached
            raw, doc = self._fetch_raw(method, path, params, body)
            try:
                self.cache.put(key, raw)
            except OSError as exc:
                self.debug("cache write failed: %s" % exc)
            return doc

    def _cached(self, key):
        raw = self.cache.get(key)
        if raw is None:
            return None
        try:
            doc = json.loads(raw)
        except ValueError:
            self.debug("cache entry for %s is corrupt; fetching again" % key)
            return None
        self.debug("cache hit: %s" % key)
        return doc

    # -- network ----------------------------------------------------------------------------
    def _fetch(self, method, path, params, body):
        return self._fetch_raw(method, path, params, body)[1]

    def _fetch_raw(self, method, path, params, body):
        if self.sessions is not None:
            failure = self.sessions.recent_failure()
            if failure:
                message, age = failure
                raise PluginError("%s (remembered from %.0fs ago; not asking Prism again yet)"
                                  % (message, age))
        answer = self._authenticated(method, path, params, body)
        if answer.status != 200:
            raise http_error(answer.status, answer.reason, method, path)
        try:
            doc = json.loads(answer.body)
        except ValueError:
            raise PluginError(
                "Prism sent an answer that is not valid JSON for %s %s (%d bytes, starts %r); "
                "the answer may be truncated or come from a proxy, not Prism"
                % (method, path, len(answer.body), answer.body[:40].decode("utf-8", "replace"))
            ) from None
        return answer.body, doc

    def _authenticated(self, method, path, params, body):
        what = "%s %s" % (method, path)
        cookies = self._load_cookies()
        if cookies:
            answer = self._send(method, path, params, body, cookies=cookies,
                                phase="waiting for %s" % what)
            if answer.status != 401:
                return answer
            self.debug("session cookie refused (401); logging in again once")
            self._drop_cookies(cookies)
        lock = self.sessions.login_lock(self.budget.remaining) if self.sessions else _NoLock()
        try:
            with lock:
                fresh = self._load_cookies()
                if fresh and fresh != cookies:  # another process logged in meanwhile
                    answer = self._send(method, path, params, body, cookies=fresh,
                                        phase="waiting for %s" % what)
                    if answer.status != 401:
                        return answer
                answer = self._send(method, path, params, body, basic=True,
                                    phase="logging in (%s with Basic auth)" % what)
                if answer.status == 401:
                    self._refused(answer)
                if answer.status == 200 and answer.cookies:
                    self._store_cookies(answer.cookies)
                return answer
        except TimeoutError:
            raise self.budget.exceeded("waiting for another check to log in") from None

    def _send(self, method, path, params, body, phase, cookies=None, basic=False):
        timeout = self.budget.timeout(phase)
        headers = {}
        if basic:
            import base64  # only when logging in: not on the warm path

            token = ("%s:%s" % (self.username, self.password)).encode("utf-8")
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        elif cookies:
            headers["Cookie"] = "; ".join("%s=%s" % item for item in sorted(cookies.items()))
        if self._transport is None:
            from .transport import Transport  # requests is imported only now, on a miss

            self._transport = Transport(self.host, self.port, self.ca_file, self.insecure)
        from .transport import Unreachable

        self.requests_made += 1
        self.debug("%s %s%s" % (method, path, " (Basic auth)" if basic else ""))
        try:
            return self._transport.send(method, path, params, body, headers, timeout, phase)
        except Unreachable as exc:
            if self.sessions is not None:
                self.sessions.remember_failure("unreachable", str(exc))
            raise

    def _refused(self, answer):
        text = answer.body[:300].decode("utf-8", "replace").lower()
        locked = " (Prism says the account is locked)" if "lock" in text else ""
        message = ("Prism refused the credentials of user %r (HTTP 401)%s; not retried so the "
                   "account is not locked out: fix the password (--auth-file, -p or "
                   "NUTANIX_PASSWORD)" % (self.username, locked))
        if self.sessions is not None:
            self.sessions.remember_failure("refused", message)
        raise PluginError(message)

    # -- cookies ----------------------------------------------------------------------------
    def _load_cookies(self):
        return self.sessions.load() if self.sessions is not None else dict(self._cookies)

    def _store_cookies(self, cookies):
        if self.sessions is not None:
            try:
                self.sessions.save(cookies)
                self.sessions.clear_failure()
            except OSError as exc:
                self.debug("could not store session cookies: %s" % exc)
        self._cookies = dict(cookies)

    def _drop_cookies(self, cookies):
        if self.sessions is not None:
            self.sessions.drop(cookies)
        self._cookies = {}


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def client_from_options(context):
    """Build the client from the common options, deciding what can be cached."""
    options = context.options
    if not options.hostname:
        raise UsageError("no Prism address: give -H/--hostname (the cluster VIP or Prism Central)")
    if not options.username or not options.password:
        raise UsageError("no Prism credentials: give --auth-file FILE (mode 0600), "
                         "NUTANIX_USERNAME/NUTANIX_PASSWORD, or -u and -p")
    if options.ca_file and not os.path.isfile(options.ca_file):
        raise UsageError("CA file %s does not exist (--ca-file)" % options.ca_file)
    cache = sessions = None
    root = options.state_dir or statedir.default_path()
    problem = statedir.prepare(root)
    if problem is None:
        try:
            fingerprint = password_fingerprint(options.username, options.password)
            directory = statedir.target_dir(root, options.hostname, options.port,
                                            options.username, fingerprint)
            sessions = SessionStore(directory, fingerprint)
            if options.cache_ttl > 0:
                cache = ResponseCache(os.path.join(directory, "cache"), options.cache_ttl)
        except OSError as exc:
            problem = "%s: %s" % (root, exc.strerror or exc)
    if problem is not None:
        context.note("state directory unusable (%s): running uncached, logging in every run"
                     % problem)
    elif cache is None:
        context.note("response cache off (--cache-ttl 0): every answer fetched from Prism")
    return PrismClient(options.hostname, options.port, options.username, options.password,
                       context.budget, ca_file=options.ca_file, insecure=options.insecure,
                       cache=cache, sessions=sessions, debug=context.debug)
