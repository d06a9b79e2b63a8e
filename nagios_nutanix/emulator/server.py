"""The HTTPS server: authentication, routing, faults, statistics and control endpoints.

``Emulator(scenario).start()`` serves in a background thread on 127.0.0.1; ``stop()`` closes
the listening socket.  Replies are built once per distinct request (method, path, query, body)
and cached as serialized JSON, so a request costs little more than the TLS record it travels in.
"""

import ipaddress
import json
import socket
import ssl
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional, Union
from urllib.parse import parse_qsl, unquote

from . import faults as faultlib
from .auth import REALM, Authenticator
from .faults import Effect, FaultSet
from .pc import PrismCentralApi
from .pe import PrismElementApi
from .routing import REASONS, Reply, Request, Router, error_for, route_key, v3_error
from .world import World, load_world

TLS_DIR = Path(__file__).resolve().parent / "tls"
CERT_FILE = TLS_DIR / "emulator-cert.pem"
KEY_FILE = TLS_DIR / "emulator-key.pem"
CONTROL_PREFIX = "/_emulator/"
CACHE_LIMIT = 4096

COMMON_HEADERS = (
    ("Content-Type", "application/json"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Strict-Transport-Security", "max-age=8640000:includeSubdomains"),
)


def check_loopback(host: str) -> str:
    """Return the IPv4 loopback address to bind, or raise ValueError."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError("--host must be a loopback IPv4 address, not %r" % host) from None
    if address.version != 4 or not address.is_loopback:
        raise ValueError("--host must be a loopback IPv4 address, not %r" % host)
    return host


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, emulator: "Emulator", context: ssl.SSLContext):
        self.emulator = emulator
        self.context = context
        super().__init__(address, _Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # The handshake runs in the connection's own thread (see _Handler.setup).
        return self.context.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ssl.SSLError, ConnectionError, TimeoutError, socket.timeout, OSError)):
            return
        traceback.print_exc(file=sys.stderr)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "envoy"
    sys_version = ""
    timeout = 30

    def setup(self):
        super().setup()
        self.request.do_handshake()

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        return

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _dispatch(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            self._send(400, b'{"message": "Bad Content-Length"}', list(COMMON_HEADERS))
            return
        body = self.rfile.read(length) if length > 0 else b""
        emulator: Emulator = self.server.emulator
        try:
            reply, effect, headers = emulator.handle(self.command, self.path, self.headers, body)
        except Exception:  # a bug in a view must not look like a network failure
            traceback.print_exc(file=sys.stderr)
            self._send(500, b'{"message": "Emulator internal error"}', list(COMMON_HEADERS))
            return
        payload = reply.payload
        status = reply.status
        truncate = False
        if effect is not None:
            if effect.delay:
                time.sleep(effect.delay)
            if effect.status is not None:
                status = effect.status
            if effect.body == "malformed":
                payload = faultlib.MALFORMED_BODY
            elif effect.body == "truncated":
                truncate = True
            elif effect.body and effect.body not in faultlib.BODY_KINDS:
                payload = effect.body.encode("utf-8")
        self._send(status, payload, headers + list(reply.headers.items()), truncate)

    def _send(self, status: int, payload: bytes, headers: list[tuple[str, str]],
              truncate: bool = False) -> None:
        lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status"))]
        lines.append("Date: %s" % formatdate(usegmt=True))
        lines.append("Server: envoy")
        for name, value in headers:
            lines.append("%s: %s" % (name, value))
        lines.append("Content-Length: %d" % len(payload))
        if truncate:
            self.close_connection = True
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if truncate:
            payload = payload[: max(1, len(payload) // 2)]
        self.wfile.write(head + payload)


class Emulator:
    """A Prism Element or Prism Central emulator for one scenario."""

    def __init__(self, scenario: Union[str, World] = "healthy", port: int = 0,
                 host: str = "127.0.0.1", session_ttl: float = 900, lockout_after: int = 5,
                 lockout_seconds: float = 900, max_page_size: int = 100,
                 faults: Optional[Iterable[Any]] = None, certfile: Optional[str] = None,
                 keyfile: Optional[str] = None):
        self.world = scenario if isinstance(scenario, World) else load_world(scenario)
        self.host = check_loopback(host)
        self.requested_port = int(port)
        self.max_page_size = int(max_page_size)
        if self.max_page_size < 1:
            raise ValueError("max_page_size must be at least 1")
        self.certfile = str(certfile or CERT_FILE)
        self.keyfile = str(keyfile or KEY_FILE)
        self.is_pc = self.world.kind == "pc"
        self.auth = Authenticator(self.world.accounts, session_ttl, lockout_after,
                                  lockout_seconds, set_jsessionid=not self.is_pc)
        self.faults = FaultSet(list(self.world.faults) + list(faults or []))
        self.router = Router()
        if self.is_pc:
            PrismCentralApi(self.world).register(self.router)
        else:
            PrismElementApi(self.world, self.max_page_size).register(self.router)
        self.base_headers: list[tuple[str, str]] = list(COMMON_HEADERS)
        if self.is_pc:
            pc = self.world.prism_central
            self.base_headers += [("X-Ntnx-Env", "pc"), ("X-Ntnx-Product", pc.version)]
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, str, bytes], Reply] = {}
        self._zero_stats()
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        self.port = 0

    # ----------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        return "https://%s:%d" % (self.host, self.port)

    @property
    def scenario(self) -> str:
        return self.world.scenario

    def start(self) -> "Emulator":
        if self._server is not None:
            return self
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certfile, self.keyfile)
        self._server = _Server((self.host, self.requested_port), self, context)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="nutanix-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ----------------------------------------------------------------- state
    def _zero_stats(self) -> None:
        self._stats: dict[str, Any] = {
            "requests": 0, "logins": 0, "failed_logins": 0,
            "basic_auth_requests": 0, "cookie_requests": 0, "paths": {},
        }

    def stats(self) -> dict[str, Any]:
        with self._lock:
            out = dict(self._stats)
            out["paths"] = dict(self._stats["paths"])
        return out

    def reset(self) -> None:
        """Zero the statistics and forget sessions and lockouts (faults stay)."""
        with self._lock:
            self._zero_stats()
        self.auth.reset()

    def set_faults(self, faults: Iterable[Any]) -> None:
        self.faults.replace(list(faults or []))

    # ----------------------------------------------------------------- request handling
    def handle(self, method: str, raw_path: str, headers, body: bytes
               ) -> tuple[Reply, Optional[Effect], list[tuple[str, str]]]:
        path, _, query = raw_path.partition("?")
        path = unquote(path)
        if path.startswith(CONTROL_PREFIX):
            return self._control(method, path, body), None, list(COMMON_HEADERS)
        out_headers = list(self.base_headers)
        authorization = headers.get("Authorization")
        result = self.auth.authenticate(authorization, headers.get("Cookie"))
        with self._lock:
            st = self._stats
            st["requests"] += 1
            st["paths"][path] = st["paths"].get(path, 0) + 1
            if authorization:
                st["basic_auth_requests"] += 1
                st["logins" if result.ok else "failed_logins"] += 1
            elif result.ok:
                st["cookie_requests"] += 1
        key = route_key(path)
        if not result.ok:
            out_headers.append(("WWW-Authenticate", REALM))
            return v3_error(401, result.message, result.reason), None, out_headers
        for cookie in result.cookies:
            out_headers.append(("Set-Cookie", cookie))
        if self.auth.forbidden(result.username, path):
            reply = Reply(403, {"message": "Access denied", "reason": "ACCESS_DENIED"})
        else:
            reply = self._reply(method, path, key, query, body)
        effect = self.faults.effect(method, path) if self.faults else None
        if effect is not None and effect.changes_body and reply.status < 300:
            obj = reply.obj
            if effect.body == "empty-list":
                obj = faultlib.empty_list(obj)
            if effect.drop_fields:
                obj = faultlib.drop_fields(obj, effect.drop_fields)
            reply = Reply(reply.status, obj, reply.headers)
        return reply, effect, out_headers

    def _reply(self, method: str, path: str, key: Optional[str], query: str,
               body: bytes) -> Reply:
        cache_key = (method, path, query, body if method != "GET" else b"")
        reply = self._cache.get(cache_key)
        if reply is not None:
            return reply
        reply = self._route(method, path, key, query, body)
        _ = reply.payload  # serialize once, outside any lock
        with self._lock:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[cache_key] = reply
        return reply

    def _route(self, method: str, path: str, key: Optional[str], query: str,
               body: bytes) -> Reply:
        if key is None:
            return error_for(None, 404, "Resource not found")
        handler, groups, known = self.router.find(method, key)
        if handler is None:
            if known:
                return error_for(key, 405, "Method %s not allowed" % method)
            return error_for(key, 404, "Resource not found")
        parsed: Any = None
        if body:
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return error_for(key, 400, "Request body is not valid JSON")
        params = dict(parse_qsl(query, keep_blank_values=True))
        base_url = "%s%s" % (self.url, path)
        request = Request(method, path, key, params, parsed, base_url)
        return handler(request, **(groups or {}))

    def _control(self, method: str, path: str, body: bytes) -> Reply:
        name = path[len(CONTROL_PREFIX):].strip("/")
        if name == "stats" and method == "GET":
            return Reply(200, self.stats())
        if name == "reset" and method == "POST":
            self.reset()
            return Reply(200, {"reset": True})
        if name == "faults":
            if method == "GET":
                return Reply(200, self.faults.to_list())
            if method == "DELETE":
                self.faults.clear()
                return Reply(200, [])
            if method in ("POST", "PUT"):
                try:
                    data = json.loads(body.decode("utf-8") or "[]")
                    if isinstance(data, dict):
                        data = [data]
                    self.set_faults(data)
                except (UnicodeDecodeError, ValueError) as exc:
                    return Reply(400, {"message": str(exc)})
                return Reply(200, self.faults.to_list())
        if name == "scenario" and method == "GET":
            w = self.world
            return Reply(200, {"scenario": w.scenario, "kind": w.kind,
                               "description": w.description,
                               "clusters": [c.name for c in w.clusters]})
        return Reply(404, {"message": "Unknown control endpoint %s %s" % (method, path)})
