"""Prism alerts, from Prism Element v2.0 or Prism Central v4, in one shape.

Many checks read the same unresolved alerts (service, disk wear, replication, NCC outcomes), so
they all make the same request and share one cached answer; each filters what it needs here.

Alert families are matched by title: the NUTANIX-MIB names each trap `ntxTrap<TitleCamelCase>`
(e.g. "Stargate Temporarily Down." -> StargateTemporarilyDown), so a family name compares with
the alert's rendered title once both are reduced to lower-case letters and digits.
"""

import re

from ..plugin.errors import PluginError
from .normalize import enum, flag, iso_seconds, number
from .pagination import v2_pages, v4_pages

V2_ALERTS = "/api/nutanix/v2.0/alerts"
V4_ALERTS = "/api/monitoring/v4.0/serviceability/alerts"

SEVERITIES = ("CRITICAL", "WARNING", "INFO", "AUDIT")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def family_key(text):
    """'Stargate Temporarily Down.' and 'StargateTemporarilyDown' -> 'stargatetemporarilydown'."""
    text = str(text or "")
    if text.startswith("ntxTrap"):
        text = text[len("ntxTrap"):]
    return _NOT_WORD.sub("", text.lower())


_FAMILY_KEYS = {}


def _family_keys(families):
    """The keys of a family list, computed once per list (thousands of alerts ask)."""
    keys = _FAMILY_KEYS.get(families)
    if keys is None:
        keys = _FAMILY_KEYS[families] = frozenset(family_key(f) for f in families)
    return keys


class PrismAlert:
    """One alert; times in epoch seconds, severity CRITICAL/WARNING/INFO/AUDIT."""

    __slots__ = ("id", "type_id", "check_id", "title", "message", "severity", "acknowledged",
                 "resolved", "created", "last", "entities", "node_uuid", "cluster_uuid",
                 "context", "classifications", "kb_articles", "family")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))
        self.entities = list(self.entities or ())
        self.context = dict(self.context or {})
        self.classifications = list(self.classifications or ())
        self.kb_articles = list(self.kb_articles or ())
        self.family = family_key(self.title)

    def __repr__(self):
        return "PrismAlert(%s, %r)" % (self.severity, self.title)

    def names(self):
        """Every identifier of what the alert is about: entity names and UUIDs, and the node
        identifiers Prism puts in its context (node_uuid, node_serial, cvm_ip, ...)."""
        found = [self.node_uuid] if self.node_uuid else []
        for entity in self.entities:
            found.extend(v for v in (entity.get("name"), entity.get("uuid")) if v)
        # Not block_serial: Prism puts it in the context of every node alert, and a block holds
        # up to four nodes, so it would tie an alert to the node's neighbours too.
        for key in ("node_uuid", "node_serial", "cvm_ip", "svm_ip", "host_ip",
                    "ip_address", "host_name", "disk_serial", "serial_number", "disk_id"):
            value = self.context.get(key)
            if value:
                found.append(str(value))
        return found

    def is_about(self, names):
        """True when the alert names any of `names` (case-insensitive)."""
        wanted = {str(n).casefold() for n in names if n}
        return any(str(n).casefold() in wanted for n in self.names())

    def in_family(self, families):
        """True when the title is one of the families (MIB trap names or titles)."""
        return self.family in _family_keys(tuple(families))


def render(template, context):
    """Fill Prism's {placeholders} from the alert's context; unknown ones stay as written."""
    if not template:
        return ""
    return _PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), m.group(0))), str(template))


def _severity(value):
    value = enum(value)
    return {"INFORMATIONAL": "INFO"}.get(value, value) or "INFO"


def _seconds(usecs):
    value = number(usecs)
    return None if not value else value / 1000000.0


def from_v2(doc):
    types = doc.get("context_types") or []
    values = doc.get("context_values") or []
    context = {str(k): v for k, v in zip(types, values)}
    entities = [{"type": e.get("entity_type"), "name": e.get("entity_name"),
                 "uuid": e.get("uuid") or e.get("id")}
                for e in doc.get("affected_entities") or () if isinstance(e, dict)]
    check = str(doc.get("check_id") or "")
    return PrismAlert(
        id=doc.get("id"),
        type_id=doc.get("alert_type_uuid"),
        check_id=check.split("::")[-1] or None,
        title=render(doc.get("alert_title"), context),
        message=render(doc.get("message"), context),
        severity=_severity(doc.get("severity")),
        acknowledged=bool(flag(doc.get("acknowledged"))),
        resolved=bool(flag(doc.get("resolved"))),
        created=_seconds(doc.get("created_time_stamp_in_usecs")),
        last=_seconds(doc.get("last_occurrence_time_stamp_in_usecs")),
        entities=entities,
        node_uuid=doc.get("node_uuid") or context.get("node_uuid"),
        cluster_uuid=doc.get("cluster_uuid"),
        context=context,
        classifications=doc.get("classifications"),
    )


def _parameter(value):
    """v4 parameters wrap values as {"stringValue": ...} (wrapper INFERRED)."""
    if isinstance(value, dict):
        for inner in value.values():
            return inner
    return value


def from_v4(doc):
    context = {str(p.get("paramName")): _parameter(p.get("paramValue"))
               for p in doc.get("parameters") or () if isinstance(p, dict)}
    entities = [{"type": e.get("type"), "name": e.get("name"), "uuid": e.get("extId")}
                for e in (doc.get("affectedEntities") or []) + [doc.get("sourceEntity") or {}]
                if isinstance(e, dict) and (e.get("name") or e.get("extId"))]
    alert_type = doc.get("alertType")
    return PrismAlert(
        id=doc.get("extId"),
        type_id=alert_type,
        check_id=str(alert_type).lstrip("A") if alert_type else None,
        title=render(doc.get("title"), context),
        message=render(doc.get("message"), context),
        severity=_severity(doc.get("severity")),
        acknowledged=bool(flag(doc.get("isAcknowledged"))),
        resolved=bool(flag(doc.get("isResolved"))),
        created=iso_seconds(doc.get("creationTime")),
        last=iso_seconds(doc.get("lastOccurredTime")),
        entities=entities,
        node_uuid=context.get("node_uuid"),
        cluster_uuid=doc.get("clusterUUID") or doc.get("originatingClusterUUID"),
        context=context,
        classifications=doc.get("classifications"),
        kb_articles=doc.get("kbArticles"),
    )


def unresolved(client, kind, cluster_uuid=None):
    """Every unresolved alert of the target (acknowledged ones included: callers decide).

    One query shape per target, so every check shares the cached answer. On Prism Central,
    only the alerts of `cluster_uuid` are kept.
    """
    if kind == "pc":
        docs = v4_pages(client, V4_ALERTS, {"$filter": "isResolved eq false"})
        found = [from_v4(d) for d in docs if isinstance(d, dict)]
        if cluster_uuid:
            # Field names from the v4 SDK model (unverified on a live PC): an alert that names
            # no cluster at all is kept rather than silently lost.
            found = [a for a in found if a.cluster_uuid in (None, cluster_uuid)]
    else:
        docs = v2_pages(client, V2_ALERTS, {"resolved": "false"})
        found = [from_v2(d) for d in docs if isinstance(d, dict)]
    # A server that ignores the filter must not bring back resolved alerts.
    return [a for a in found if not a.resolved]


# Drive identifiers in a node's host record: PE v2.0 `disk_hardware_configs` values, PC v4
# `disk` items (v4 item field names INFERRED).
_DISK_KEYS = ("serial_number", "disk_id", "disk_uuid", "serialId", "serialNumber", "uuid",
              "extId")


def node_identifiers(node):
    """Every identifier an alert about this node may carry: the node's names (host, CVM, IPs,
    serials, UUID), its CVM's UUID, and the serials, ids and UUIDs of its drives. Not the
    block serial: an alert about the block (chassis) is not about each of its nodes."""
    found = [n for n in node.names() if n != node.block_serial] + [node.cvm_uuid]
    raw = node.raw_host or {}
    disks = raw.get("disk_hardware_configs")
    disks = list(disks.values()) if isinstance(disks, dict) else raw.get("disk") or []
    for disk in disks:
        if not isinstance(disk, dict):
            continue  # an empty slot
        for key in _DISK_KEYS:
            value = disk.get(key)
            if value:
                found.append(str(value))
                if "::" in str(value):  # "<cluster_uuid>::1202": alerts may give just 1202
                    found.append(str(value).split("::")[-1])
    return [n for n in found if n]


def for_node(alerts, node):
    """The alerts about one node: its host, its CVM, its drives, or anything Prism tied to it."""
    names = node_identifiers(node)
    return [a for a in alerts if a.is_about(names)]


def read_unresolved(client, kind, cluster_uuid=None):
    """(alerts, None), or (None, reason) when they could not be read: a check then says
    UNKNOWN for whatever needed them, never OK."""
    from ..plugin.errors import BudgetExceeded

    try:
        return unresolved(client, kind, cluster_uuid), None
    except BudgetExceeded:
        raise
    except PluginError as exc:  # HTTP 403/500, malformed answer, ...
        return None, "alerts could not be read: %s" % exc
