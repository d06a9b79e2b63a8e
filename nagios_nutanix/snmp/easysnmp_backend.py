"""easysnmp backend: Net-SNMP's C library through the easysnmp bindings (the fast one).

AES-192/AES-256 are Net-SNMP's meaning of those names (the Blumenthal key extension, as
`snmpget -x AES-192`); the Cisco/Reeder variant is not offered.

The agent's address is resolved first (session.resolve, as the pysnmp backend does) and handed
to Net-SNMP as a peer name (`udp:10.0.0.1:161`, `udp6:[fd00::1]:161`): easysnmp itself cuts a
host name at ':' (no IPv6 literal) and reports a name that does not resolve as "couldn't create
SNMP handle".
"""

import os

from .session import (
    END_OF_MIB_VIEW,
    NO_SUCH_INSTANCE,
    NO_SUCH_OBJECT,
    BackendError,
    resolve,
)

NAME = "easysnmp"

# Net-SNMP reads MIB files at start-up unless told not to; the checks use numeric OIDs only.
os.environ.setdefault("MIBS", "")
os.environ.setdefault("MIBDIRS", "")

import easysnmp  # noqa: E402  (ImportError here is how the runner learns it is missing)
from easysnmp import exceptions as _exceptions  # noqa: E402

LEVELS = {"noAuthNoPriv": "no_auth_or_privacy", "authNoPriv": "auth_without_privacy",
          "authPriv": "auth_with_privacy"}
AUTH = {"MD5": "MD5", "SHA": "SHA", "SHA-224": "SHA-224", "SHA-256": "SHA-256",
        "SHA-384": "SHA-384", "SHA-512": "SHA-512"}
PRIV = {"DES": "DES", "AES": "AES", "AES-192": "AES-192", "AES-256": "AES-256"}

_MARKERS = {"NOSUCHOBJECT": NO_SUCH_OBJECT, "NOSUCHINSTANCE": NO_SUCH_INSTANCE,
            "ENDOFMIBVIEW": END_OF_MIB_VIEW}
_NUMBERS = ("INTEGER", "INTEGER32", "UNSIGNED32", "COUNTER", "COUNTER32", "COUNTER64", "GAUGE",
            "GAUGE32", "TICKS", "UINTEGER")


def available():
    """Raises ImportError when the bindings are unusable (the import above already ran)."""
    return easysnmp.Session


def _value(variable):
    kind = (variable.snmp_type or "").upper()
    if kind in _MARKERS:
        return _MARKERS[kind]
    if kind in _NUMBERS:
        try:
            return int(variable.value)
        except (TypeError, ValueError):
            return variable.value
    return variable.value


class _PeerSession(easysnmp.Session):
    """easysnmp.Session connecting to a Net-SNMP peer name as given."""

    def __init__(self, peer, **kwargs):
        self._peer = peer
        easysnmp.Session.__init__(self, hostname="peer", **kwargs)

    @property
    def connect_hostname(self):
        return self._peer


def _peer(host, port):
    ipv6, address = resolve(host, port)
    if ipv6:
        return "udp6:[%s]:%d" % (address[0], port)
    return "udp:%s:%d" % (address[0], port)


def _oid(variable):
    oid = (variable.oid or "").lstrip(".")
    index = variable.oid_index
    return "%s.%s" % (oid, index) if index not in (None, "") else oid


class Session:
    def __init__(self, target):
        self.target = target
        self._session = None
        self._timing = None
        self._address = None

    def _open(self, timeout, retries):
        # A session's timeout is fixed when it is made: remake it when the budget shrinks.
        if self._session is not None and self._timing[0] <= timeout + 1e-6 \
                and self._timing[1] == retries:
            return self._session
        t = self.target
        if self._address is None:
            self._address = _peer(t.host, t.port)
        kwargs = dict(timeout=timeout, retries=retries, use_numeric=True,
                      use_sprint_value=False, abort_on_nonexistent=False)
        if t.version == "3":
            kwargs.update(version=3, security_level=LEVELS[t.level], security_username=t.user)
            if t.level in ("authNoPriv", "authPriv"):
                kwargs.update(auth_protocol=AUTH[t.auth_protocol], auth_password=t.auth_password)
            if t.level == "authPriv":
                kwargs.update(privacy_protocol=PRIV[t.priv_protocol],
                              privacy_password=t.priv_password)
        else:
            kwargs.update(version=2, community=t.community)
        try:
            self._session = _PeerSession(self._address, **kwargs)
        except Exception as exc:  # the C layer reports bad credentials here for v3
            raise _translate(exc) from None
        self._timing = (timeout, retries)
        return self._session

    def get(self, oids, timeout, retries):
        session = self._open(timeout, retries)
        try:
            answer = session.get(["." + oid for oid in oids])
        except Exception as exc:
            raise _translate(exc) from None
        return [(_oid(v), _value(v)) for v in answer]

    def bulk(self, oids, max_repetitions, timeout, retries, non_repeaters=0):
        session = self._open(timeout, retries)
        try:
            answer = session.get_bulk(["." + oid for oid in oids], non_repeaters,
                                      max_repetitions)
        except Exception as exc:
            raise _translate(exc) from None
        return [(_oid(v), _value(v)) for v in answer]

    def close(self):
        self._session = None


def _translate(exc):
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, _exceptions.EasySNMPTimeoutError):
        return BackendError("timeout", detail)
    lowered = detail.lower()
    if "timeout" in lowered or "timed out" in lowered:
        return BackendError("timeout", detail)
    if "authentication failure" in lowered or "digest" in lowered:
        return BackendError("auth", "wrong authentication password or protocol "
                            "(Net-SNMP: %s)" % detail)
    if "unknown user" in lowered:
        return BackendError("auth", "unknown user (Net-SNMP: %s)" % detail)
    if "decrypt" in lowered:
        return BackendError("auth", "wrong privacy password or protocol (Net-SNMP: %s)"
                            % detail)
    if "security level" in lowered:
        return BackendError("auth", "security level not accepted for this user (Net-SNMP: %s)"
                            % detail)
    return BackendError("error", "%s: %s" % (type(exc).__name__, detail))
