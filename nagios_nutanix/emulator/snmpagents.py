"""Run snmpsim with the agents `snmprec.py` generates for a scenario.

One snmpsim process, one SNMP engine per agent (its own engine id, data and loopback address),
all on the same UDP port: the CVM agent of cluster k on 127.0.k.1, node i's AHV host agent on
127.0.k.(i+2); the first CVM agent answers on [::1] too when the machine has IPv6 loopback (the
checks' IPv6 path). v2c communities and v3 users come from the scenario's `snmp:` block. The process
stops by itself after `lifetime` seconds and with `stop()`; it binds loopback addresses only.

snmpsim refuses to run as root unless SNMPSIM_ALLOW_ROOT=true (or it is told to drop to another
user, who then could not read the data written here): this module sets that variable for the
child when it runs as root.
"""

import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import Optional, Union

from . import snmprec
from .world import World, load_world

# snmpsim's names for the protocols (AES-192/256: the Blumenthal key extension, as Net-SNMP).
AUTH = {"MD5": "MD5", "SHA": "SHA", "SHA-224": "SHA224", "SHA-256": "SHA256",
        "SHA-384": "SHA384", "SHA-512": "SHA512"}
PRIV = {"DES": "DES", "AES": "AES", "AES-192": "AES192BLMT", "AES-256": "AES256BLMT"}

LAUNCH = ("import sys; from snmpsim.commands.responder import main; "
          "sys.argv[0] = 'snmpsim-command-responder'; sys.exit(main())")


class SnmpSimError(RuntimeError):
    """snmpsim is missing, or could not start."""


def snmpsim_missing() -> Optional[str]:
    """Why snmpsim cannot run here, or None when it can."""
    try:
        import snmpsim.commands.responder  # noqa: F401
    except ImportError as exc:
        return "snmpsim cannot be imported (%s): pip install snmpsim pysmi" % exc
    return None


IPV6_LOOPBACK = "::1"


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind((IPV6_LOOPBACK, 0))
        return True
    except OSError:
        return False


def _free_port(addresses: list[str], tries: int = 50) -> int:
    """A UDP port free on every address (bound then released)."""
    rng = random.Random()
    for _ in range(tries):
        port = rng.randint(20000, 60000)
        sockets = []
        try:
            for address in addresses:
                family = socket.AF_INET6 if ":" in address else socket.AF_INET
                sock = socket.socket(family, socket.SOCK_DGRAM)
                sockets.append(sock)
                sock.bind((address, port))
            return port
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise SnmpSimError("no UDP port free on all of %s" % ", ".join(addresses))


def _probe(address: str, port: int, community: str, timeout: float = 0.3) -> bool:
    """Does an SNMP v2c GET of sysName.0 get an answer? (hand-built BER: no SNMP library)."""

    def tlv(tag: int, body: bytes) -> bytes:
        size = len(body)
        length = bytes([size]) if size < 128 else bytes([0x81, size])
        return bytes([tag]) + length + body

    oid = bytes([0x2B, 6, 1, 2, 1, 1, 5, 0])  # 1.3.6.1.2.1.1.5.0
    varbind = tlv(0x30, tlv(0x06, oid) + tlv(0x05, b""))
    pdu = tlv(0xA0, tlv(0x02, b"\x01") + tlv(0x02, b"\x00") + tlv(0x02, b"\x00")
              + tlv(0x30, varbind))
    message = tlv(0x30, tlv(0x02, b"\x01") + tlv(0x04, community.encode()) + pdu)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.sendto(message, (address, port))
            sock.recvfrom(4096)
            return True
        except OSError:
            return False


class SnmpAgents:
    """snmpsim serving a scenario's agents; a context manager."""

    def __init__(self, scenario: Union[str, World] = "healthy", port: int = 0,
                 lifetime: float = 900, max_var_binds: int = 128, log: Optional[str] = None):
        self.world = scenario if isinstance(scenario, World) else load_world(scenario)
        self.scenario = self.world.scenario
        self.agents = snmprec.build_agents(self.world)
        self.users = snmprec.users(self.world)
        self.communities = snmprec.communities(self.world)
        self.requested_port = port
        self.port = port
        self.lifetime = lifetime
        self.max_var_binds = max_var_binds
        self.log = log
        self.proc: Optional[subprocess.Popen] = None
        self.directory: Optional[str] = None
        self.errors = ""
        self.ipv6: Optional[str] = None  # the first CVM agent's IPv6 address, once started

    # -- addresses ----------------------------------------------------------------------------
    def cvm_address(self, cluster: Optional[str] = None) -> str:
        for agent in self.agents:
            if agent.role == "cvm" and (cluster is None or agent.cluster.name == cluster):
                return agent.address
        raise KeyError(cluster)

    def host_address(self, node: str) -> str:
        for agent in self.agents:
            if agent.role == "host" and agent.node is not None and agent.node.name == node:
                return agent.address
        raise KeyError(node)

    def user(self, name: str) -> dict:
        for user in self.users:
            if user["name"] == name:
                return user
        raise KeyError(name)

    def describe(self) -> str:
        parts = ["%s %s" % (a.address, a.label) for a in self.agents]
        if self.ipv6 and self.agents:
            parts.append("[%s] as %s" % (self.ipv6, self.agents[0].address))
        return "udp port %d: %s" % (self.port, ", ".join(parts))

    # -- process ------------------------------------------------------------------------------
    def _write(self) -> list[str]:
        assert self.directory is not None
        args = []
        for n, agent in enumerate(self.agents):
            data = os.path.join(self.directory, "data", "agent-%03d" % n)
            os.makedirs(data)
            text = agent.snmprec()
            # v2c: one file per community; v3 with the empty context: snmpsim probes "self".
            for name in self.communities + ["self"]:
                with open(os.path.join(data, "%s.snmprec" % name), "w", encoding="utf-8") as f:
                    f.write(text)
            args += ["--v3-engine-id", "auto", "--data-dir", data,
                     "--agent-udpv4-endpoint", "%s:%d" % (agent.address, self.port)]
            if n == 0 and self.ipv6:
                args += ["--agent-udpv6-endpoint", "[%s]:%d" % (self.ipv6, self.port)]
            for user in self.users:
                args += ["--v3-user", str(user["name"])]
                if user.get("auth_password"):
                    args += ["--v3-auth-key", str(user["auth_password"]),
                             "--v3-auth-proto", AUTH[str(user.get("auth_protocol", "SHA"))]]
                if user.get("priv_password"):
                    args += ["--v3-priv-key", str(user["priv_password"]),
                             "--v3-priv-proto", PRIV[str(user.get("priv_protocol", "AES"))]]
        return args

    def start(self) -> "SnmpAgents":
        missing = snmpsim_missing()
        if missing:
            raise SnmpSimError(missing)
        addresses = [a.address for a in self.agents]
        self.ipv6 = IPV6_LOOPBACK if _ipv6_loopback() else None
        if self.ipv6:
            addresses.append(self.ipv6)
        self.port = self.requested_port or _free_port(addresses)
        self.directory = tempfile.mkdtemp(prefix="nutanix-snmpsim-")
        engines = self._write()
        cache = os.path.join(self.directory, "cache")
        log = "file:%s" % self.log if self.log else "null"
        if self.lifetime:
            engines += ["--timeout", str(float(self.lifetime))]
        # The engines' options (v3 keys among them) go through a file, not the process list.
        options = os.path.join(self.directory, "engines.args")
        with open(options, "w", encoding="utf-8") as handle:
            handle.write("\n".join("%s=%s" % pair for pair in zip(engines[::2], engines[1::2])))
        argv = [sys.executable, "-c", LAUNCH, "--cache-dir", cache, "--logging-method", log,
                "--log-level", "error", "--max-var-binds", str(self.max_var_binds),
                "--pid-file", os.path.join(self.directory, "snmpsim.pid"),
                "--args-from-file", options]
        env = dict(os.environ)
        if hasattr(os, "getuid") and os.getuid() == 0:
            env["SNMPSIM_ALLOW_ROOT"] = "true"
        self.errors = os.path.join(self.directory, "snmpsim.err")
        with open(self.errors, "wb") as errors:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=errors, env=env,
                                         cwd=self.directory)
        try:
            self._wait_ready(addresses)
        except Exception:
            self.stop()
            raise
        return self

    def _wait_ready(self, addresses: list[str], limit: float = 60) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + limit
        community = self.communities[0] if self.communities else "self"
        pending = list(addresses)
        while pending:
            if self.proc.poll() is not None:
                with open(self.errors, encoding="utf-8", errors="replace") as handle:
                    err = handle.read()
                raise SnmpSimError("snmpsim exited with %s: %s" % (self.proc.returncode,
                                                                     err.strip()[-2000:]))
            if time.monotonic() > deadline:
                raise SnmpSimError("snmpsim did not answer on %s within %ds"
                                   % (", ".join(pending), limit))
            pending = [a for a in pending if not _probe(a, self.port, community)]
            if pending:
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self) -> "SnmpAgents":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
