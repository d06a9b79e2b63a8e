"""pysnmp 7 backend: pure Python (installs anywhere).

pysnmp 7 is asyncio only: each request runs on this session's own event loop. The command
generators are driven directly with numeric varbinds, below pysnmp's high-level API: that API
resolves every OID through the MIB machinery (pysmi and requests imported, a MIB parser built
when pysmi is installed), which costs from 0.1 s to seconds per run for nothing we use.

Privacy (DES/AES) needs the `cryptography` package. AES-192/AES-256 use the Blumenthal key
extension, Net-SNMP's meaning of those names, so both backends talk to the same agents. The
agent's address is resolved by session.resolve (IPv4 first, then IPv6: UDP6 transport).
"""

import asyncio

from pyasn1.type import univ
from pysnmp.carrier.asyncio.dgram import udp, udp6  # ImportError: the runner says what to install
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdgen
from pysnmp.proto import errind, rfc1902, rfc1905

from .session import (
    END_OF_MIB_VIEW,
    NO_SUCH_INSTANCE,
    NO_SUCH_OBJECT,
    BackendError,
    resolve,
)

NAME = "pysnmp"

AUTH = {"MD5": config.USM_AUTH_HMAC96_MD5, "SHA": config.USM_AUTH_HMAC96_SHA,
        "SHA-224": config.USM_AUTH_HMAC128_SHA224, "SHA-256": config.USM_AUTH_HMAC192_SHA256,
        "SHA-384": config.USM_AUTH_HMAC256_SHA384, "SHA-512": config.USM_AUTH_HMAC384_SHA512}
PRIV = {"DES": config.USM_PRIV_CBC56_DES, "AES": config.USM_PRIV_CFB128_AES,
        "AES-192": config.USM_PRIV_CFB192_AES_BLUMENTHAL,
        "AES-256": config.USM_PRIV_CFB256_AES_BLUMENTHAL}

_AUTH_ERRORS = {
    "WrongDigest": "wrong authentication password or protocol (usmStatsWrongDigests)",
    "UnknownUserName": "unknown user (usmStatsUnknownUserNames)",
    "DecryptionError": "wrong privacy password or protocol (usmStatsDecryptionErrors)",
    "UnsupportedSecurityLevel": "security level not accepted for this user "
                                "(usmStatsUnsupportedSecLevels)",
    "UnknownEngineID": "the agent did not accept its own engine id (usmStatsUnknownEngineIDs)",
    "NotInTimeWindow": "message outside the agent's time window (usmStatsNotInTimeWindows)",
    "AuthenticationFailure": "authentication failure",
    "AuthenticationError": "authentication error",
}

_PARAMS = "nagios-nutanix"
TIMER_RESOLUTION_S = 0.02


def available():
    return engine.SnmpEngine


def _value(value):
    if isinstance(value, rfc1905.NoSuchObject):
        return NO_SUCH_OBJECT
    if isinstance(value, rfc1905.NoSuchInstance):
        return NO_SUCH_INSTANCE
    if isinstance(value, rfc1905.EndOfMibView):
        return END_OF_MIB_VIEW
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(str(b) for b in value.asNumbers())
    if isinstance(value, univ.Integer):  # Integer32, Counter32/64, Gauge32, TimeTicks, ...
        return int(value)
    if isinstance(value, univ.OctetString):  # OctetString, Opaque
        return bytes(value.asOctets()).decode("utf-8", "replace")
    if isinstance(value, univ.ObjectIdentifier):
        return str(value)
    return value.prettyPrint()


class Session:
    def __init__(self, target):
        self.target = target
        self._loop = asyncio.new_event_loop()
        self._engine = None
        self._addresses = {}
        self._domain = udp.DOMAIN_NAME

    def _configure(self):
        """The engine, its credentials and transport (inside the loop: the transport needs
        it)."""
        t = self.target
        ipv6, address = resolve(t.host, t.port)  # BackendError before any engine is made
        snmp = engine.SnmpEngine()
        if t.version == "3":
            kwargs = {}
            if t.level in ("authNoPriv", "authPriv"):
                kwargs.update(authProtocol=AUTH[t.auth_protocol], authKey=t.auth_password)
            if t.level == "authPriv":
                kwargs.update(privProtocol=PRIV[t.priv_protocol], privKey=t.priv_password)
            config.add_v3_user(snmp, t.user, **kwargs)
            config.add_target_parameters(snmp, _PARAMS, t.user, t.level, 3)
        else:
            config.add_v1_system(snmp, _PARAMS, t.community)
            config.add_target_parameters(snmp, _PARAMS, _PARAMS, "noAuthNoPriv", 1)
        if ipv6:
            self._domain, transport = udp6.DOMAIN_NAME, udp6.Udp6AsyncioTransport
            self._address = (address[0], t.port, 0, 0)
        else:
            self._domain, transport = udp.DOMAIN_NAME, udp.UdpAsyncioTransport
            self._address = (address[0], t.port)
        config.add_transport(snmp, self._domain, transport(loop=self._loop).open_client_mode())
        # Timeouts are checked on the dispatcher's timer ticks (0.1 s by default): finer ticks
        # keep a run that times out within -t.
        snmp.transport_dispatcher.set_timer_resolution(TIMER_RESOLUTION_S)
        self._engine = snmp

    def _target(self, timeout, retries):
        """A target address per (timeout, retries): pysnmp fixes them per address."""
        key = (round(timeout, 3), retries)
        name = self._addresses.get(key)
        if name is None:
            name = "nagios-nutanix-%d" % len(self._addresses)
            config.add_target_address(self._engine, name, self._domain, self._address,
                                      _PARAMS, timeout=timeout * 100, retryCount=retries)
            self._addresses[key] = name
        return name

    def _run(self, generator, oids, timeout, retries, *extra):
        varbinds = [(rfc1902.ObjectName(oid), univ.Null("")) for oid in oids]

        async def ask():
            if self._engine is None:
                self._configure()
            address = self._target(timeout, retries)
            future = asyncio.get_running_loop().create_future()

            def done(snmp, handle, indication, status, index, answer, context):
                if not future.done():
                    future.set_result((indication, status, index, answer))

            generator.send_varbinds(self._engine, address, None, "", *extra, varbinds, done)
            return await future

        try:
            indication, status, index, answer = self._loop.run_until_complete(ask())
        except BackendError:
            raise
        except Exception as exc:  # bad OIDs, engine errors
            raise BackendError("error", "%s: %s" % (type(exc).__name__, exc)) from None
        if indication:
            raise _translate(indication)
        if status:
            raise BackendError("error", "agent answered %s at varbind %s"
                               % (status.prettyPrint(), index))
        return [(str(oid), _value(value)) for oid, value in answer]

    def get(self, oids, timeout, retries):
        return self._run(cmdgen.GetCommandGenerator(), oids, timeout, retries)

    def bulk(self, oids, max_repetitions, timeout, retries, non_repeaters=0):
        return self._run(cmdgen.BulkCommandGenerator(), oids, timeout, retries, non_repeaters,
                         max_repetitions)

    def close(self):
        try:
            if self._engine is not None:
                self._engine.close_dispatcher()
                self._loop.run_until_complete(asyncio.sleep(0))  # let cancelled timers end
        finally:
            self._loop.close()


def _translate(indication):
    name = type(indication).__name__
    if isinstance(indication, errind.RequestTimedOut) or name == "RequestTimedOut":
        return BackendError("timeout", str(indication))
    if name in _AUTH_ERRORS:
        return BackendError("auth", _AUTH_ERRORS[name])
    return BackendError("error", str(indication) or name)
