"""CVM service states from the Genesis RPC -- an EXPERIMENTAL, UNVERIFIED source.

What is known (reference nutanix-api.md §3.2): Prism Element forwards
`POST /PrismGateway/services/rest/v1/genesis` to Genesis. The request body is
`{"value": "<JSON text of {".oid", ".method", ".kwargs"}>"}` and the answer is
`{"value": "<JSON text>"}` whose decoded object carries the result under `.return` [SEEN for
other methods of `ClusterManager`].

What is NOT known: whether `ClusterManager.get_cluster_status` exists, which arguments it takes
and what it returns. No public code or document shows it. The parser below is therefore a
tolerant GUESS [INFERRED]: it looks for a per-CVM map of service -> state and/or pid list (the
shape `cluster status` prints, and the pid lists of the obsolete NUTANIX-MIB serviceStatusTable),
in whichever of several plausible layouts it comes, and otherwise gives up with a reason. An
empty pid list means the service is DOWN, as `cluster status` prints `DOWN []` [INFERRED].
The check uses it only as one source among others (`--service-source auto`) or when asked for
it explicitly (`--service-source genesis`); a cluster that does not answer it is not an error
in `auto` mode.
"""

import json
import re

from ..plugin.errors import BudgetExceeded, PluginError

PATH = "/PrismGateway/services/rest/v1/genesis"
CALL = {".oid": "ClusterManager", ".method": "get_cluster_status", ".kwargs": {}}
# A failed call is remembered in the response cache for one TTL, so that a poller running the
# check for every node does not ask a cluster that lacks the RPC again and again.
UNAVAILABLE_KEY = "GENESIS-UNAVAILABLE POST " + PATH

UP = "UP"
DOWN = "DOWN"
_UP_WORDS = {"UP", "RUNNING", "OK", "STARTED", "ACTIVE", "HEALTHY", "ALIVE"}
_DOWN_WORDS = {"DOWN", "STOPPED", "DEAD", "CRASHED", "FAILED", "NOT_RUNNING", "INACTIVE",
               "EXITED", "KILLED"}
# Keys a per-CVM record may use to say which CVM it is (all INFERRED).
_ID_KEYS = ("ip", "svm_ip", "cvm_ip", "ip_address", "external_ip", "address", "name",
            "cvm_name", "svm_name", "svm_id", "service_vm_id", "id", "node_uuid", "host_name",
            "hostname", "uuid")
_STATE_KEYS = ("state", "status", "cvm_state", "svm_state")
_SERVICES_KEYS = ("services", "service_list", "service_status", "service_states")
_PID_KEYS = ("pids", "pid_list", "pid")
_NAME_KEYS = ("name", "service", "service_name")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Text in the layout of `cluster status` (reference §3.1): "CVM: 10.1.1.1 Up" then one
# "Name  UP  [pid, ...]" line per service.
_TEXT_CVM = re.compile(r"^\s*CVM:\s*(\S+)\s+(\w+)", re.IGNORECASE)
_TEXT_SERVICE = re.compile(
    r"^\s*([A-Za-z][\w.-]*):?\s+(?:([A-Za-z_]+)\s*)?(?:\[([^\]]*)\])?\s*$")


class GenesisFormatError(ValueError):
    """The answer did not contain anything the tolerant parser recognises."""


def service_key(name):
    """'DynamicRingChanger', 'dynamic_ring_changer' -> 'dynamicringchanger'."""
    return _NOT_WORD.sub("", str(name).lower())


class ServiceState:
    __slots__ = ("name", "state", "pids")

    def __init__(self, name, state, pids=None):
        self.name = name
        self.state = state  # UP, DOWN, or another upper-case word as given (e.g. STARTING)
        self.pids = pids

    def __repr__(self):
        return "ServiceState(%r, %r, %r)" % (self.name, self.state, self.pids)


class CvmStatus:
    """One CVM's entry: the identifiers it was given under, its state, its services."""

    __slots__ = ("ids", "state", "services")

    def __init__(self, ids, state=None, services=None):
        self.ids = [str(i) for i in ids if i not in (None, "")]
        self.state = state  # UP, DOWN, another word, or None when not given
        self.services = dict(services or {})  # service_key -> ServiceState

    def service(self, names):
        """The first of `names` (service keys, preferred first) this CVM reports."""
        for name in names:
            found = self.services.get(service_key(name))
            if found is not None:
                return found
        return None

    def __repr__(self):
        return "CvmStatus(%r, %r, %d services)" % (self.ids, self.state, len(self.services))


class GenesisStatus:
    def __init__(self, cvms):
        self.cvms = list(cvms)

    def for_node(self, names):
        """The entry of the CVM known by any of `names` (a node's names), or None."""
        wanted = {str(n).casefold() for n in names if n}
        for cvm in self.cvms:
            if any(i.casefold() in wanted for i in cvm.ids):
                return cvm
        return None


# -- parsing -----------------------------------------------------------------------------------
def _word(value):
    text = str(value).strip().upper().replace(" ", "_").replace("-", "_")
    if text in _UP_WORDS:
        return UP
    if text in _DOWN_WORDS:
        return DOWN
    return text or None


def _pid_list(value):
    """A list of pids (ints or digit strings), or None when `value` is not one."""
    if isinstance(value, str):
        value = [p for p in re.split(r"[\s,]+", value.strip().strip("[]")) if p]
    if not isinstance(value, (list, tuple)):
        return None
    pids = []
    for item in value:
        if isinstance(item, bool):
            return None
        if isinstance(item, int):
            pids.append(item)
        elif isinstance(item, str) and item.strip().isdigit():
            pids.append(int(item))
        else:
            return None
    return pids


def _service_value(name, value):
    """A ServiceState from one service's value, or None when it is not recognisable."""
    state, pids = None, None
    if isinstance(value, bool):
        state = UP if value else DOWN
    elif isinstance(value, (list, tuple)):
        pids = _pid_list(value)
        if pids is None:
            return None
    elif isinstance(value, str):
        match = _TEXT_SERVICE.match("x " + value)
        if value.strip().startswith("[") or not match:
            pids = _pid_list(value)
            if pids is None:
                return None
        else:
            state = _word(match.group(2)) if match.group(2) else None
            pids = _pid_list(match.group(3)) if match.group(3) is not None else None
            if state is None and pids is None:
                return None
    elif isinstance(value, dict):
        for key in _STATE_KEYS:
            if value.get(key) not in (None, ""):
                state = _word(value[key])
                break
        for key in _PID_KEYS:
            if key in value:
                pids = _pid_list(value[key])
                break
        if state is None and pids is None:
            return None
    else:
        return None
    if state is None:
        state = UP if pids else DOWN
    return ServiceState(str(name), state, pids)


def _looks_like_service(value):
    if isinstance(value, dict):
        keys = set(value)
        return bool(keys & set(_STATE_KEYS + _PID_KEYS)) and not keys & set(_SERVICES_KEYS)
    return _service_value("x", value) is not None


def _services(value):
    """service_key -> ServiceState from a map or a list of service records."""
    found = {}
    if isinstance(value, dict):
        for name, item in value.items():
            parsed = _service_value(name, item)
            if parsed is not None:
                found[service_key(name)] = parsed
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, dict):
                name = next((item[k] for k in _NAME_KEYS if item.get(k)), None)
                parsed = _service_value(name, item) if name else None
            elif isinstance(item, str):
                match = _TEXT_SERVICE.match(item)
                parsed = _service_value(match.group(1), item[match.end(1):]) if match else None
            else:
                parsed = None
            if parsed is not None:
                found[service_key(parsed.name)] = parsed
    return found


def _is_record(value):
    keys = set(value)
    if keys & set(_SERVICES_KEYS):
        return True
    # e.g. {"state": "Down"} for a CVM that reports no services
    return bool(keys) and keys <= set(_ID_KEYS + _STATE_KEYS) and bool(keys & set(_STATE_KEYS))


def _is_services_map(value):
    if not value:
        return False
    items = list(value.values())
    return sum(1 for v in items if _looks_like_service(v)) * 2 >= len(items)


def _record(value, key):
    ids = [key] + [value.get(k) for k in _ID_KEYS if isinstance(value.get(k), (str, int))]
    state = next((_word(value[k]) for k in _STATE_KEYS if value.get(k) not in (None, "")), None)
    services = next((value[k] for k in _SERVICES_KEYS if k in value), None)
    return CvmStatus(ids, state, _services(services))


def _entries(value, key=None, depth=0):
    if depth > 5:
        return []
    if isinstance(value, dict):
        if _is_record(value):
            return [_record(value, key)]
        if key is not None and _is_services_map(value):
            return [CvmStatus([key], None, _services(value))]
        found = []
        for name, item in value.items():
            found.extend(_entries(_decoded(item), name, depth + 1))
        return found
    if isinstance(value, (list, tuple)):
        found = []
        for item in value:
            item = _decoded(item)
            if isinstance(item, dict) and _is_record(item):
                found.append(_record(item, None))
            elif isinstance(item, (dict, list)):
                found.extend(_entries(item, None, depth + 1))
        return found
    return []


def _decoded(value):
    """JSON text inside JSON (Genesis double-encodes) decoded; other values as they are."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _from_text(text):
    """Entries from text laid out like `cluster status`."""
    cvms, current = [], None
    for line in str(text).splitlines():
        head = _TEXT_CVM.match(line)
        if head:
            current = CvmStatus([head.group(1)], _word(head.group(2)))
            cvms.append(current)
            continue
        match = _TEXT_SERVICE.match(line)
        if current is not None and match and (match.group(2) or match.group(3) is not None):
            parsed = _service_value(match.group(1), line[match.end(1):].lstrip(": "))
            if parsed is not None:
                current.services[service_key(parsed.name)] = parsed
    return cvms


def parse_return(value):
    """A GenesisStatus from the decoded `.return` value; GenesisFormatError when nothing in it
    looks like per-CVM service states."""
    value = _decoded(value)
    # Other ClusterManager methods return [ok, payload]; accept the same here.
    if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], bool):
        if value[0] is False:
            raise GenesisFormatError("Genesis reported a failure: %s" % str(value[1])[:200])
        value = _decoded(value[1])
    if isinstance(value, str):
        cvms = _from_text(value)
    else:
        cvms = _entries(value)
    cvms = [c for c in cvms if c.ids and (c.services or c.state)]
    if not cvms:
        raise GenesisFormatError("its answer holds no per-CVM service states this check "
                                 "recognises")
    return GenesisStatus(cvms)


def parse_reply(doc):
    """The Genesis envelope {"value": "<JSON with .return>"} -> GenesisStatus."""
    if not isinstance(doc, dict) or "value" not in doc:
        raise GenesisFormatError("its answer is not the Genesis envelope {\"value\": ...}")
    inner = doc["value"]
    if isinstance(inner, str):
        try:
            inner = json.loads(inner)
        except ValueError:
            raise GenesisFormatError("its 'value' is not JSON text") from None
    if not isinstance(inner, dict):
        raise GenesisFormatError("its decoded 'value' is not an object")
    for key in (".return", "return"):
        if key in inner:
            return parse_return(inner[key])
    if ".error" in inner or "error" in inner:
        error = inner.get(".error", inner.get("error"))
        raise GenesisFormatError("Genesis answered with an error: %s" % str(error)[:200])
    raise GenesisFormatError("its decoded 'value' has no '.return'")


# -- fetching ----------------------------------------------------------------------------------
def request_body():
    return {"value": json.dumps(CALL, sort_keys=True)}


def _remembered(client):
    cache = getattr(client, "cache", None)
    if cache is None:
        return None
    raw = cache.get(UNAVAILABLE_KEY)
    if raw is None:
        return None
    try:
        return str(json.loads(raw)["reason"])
    except (ValueError, KeyError, TypeError):
        return None


def _remember(client, reason):
    cache = getattr(client, "cache", None)
    if cache is None:
        return
    try:
        cache.put(UNAVAILABLE_KEY, json.dumps({"reason": reason}).encode("utf-8"))
    except OSError:
        pass


def read_status(client):
    """(GenesisStatus, None), or (None, why not) when the cluster did not give a usable answer
    (no such RPC, HTTP error, an answer the parser does not recognise)."""
    reason = _remembered(client)
    if reason is not None:
        return None, reason + " (remembered from an earlier run)"
    try:
        doc = client.post(PATH, request_body())
    except BudgetExceeded:
        raise
    except PluginError as exc:
        reason = "the cluster did not answer it: %s" % exc
        _remember(client, reason)
        return None, reason
    try:
        return parse_reply(doc), None
    except GenesisFormatError as exc:
        return None, str(exc)
