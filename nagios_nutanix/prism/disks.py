"""The drives of a cluster, from Prism Element v2.0 or Prism Central v4, in one shape.

Prism Element: `GET v2.0/disks` (paged) gives each drive's `disk_status`, `online`, tier,
usage and the node it sits in (`node_uuid`, `host_name`, `cvm_ip_address`); every host's
`disk_hardware_configs` (slot -> drive, `null` for an empty slot) adds `bad` and `mounted` as
the hardware layer sees them. Both are joined here, by serial.

Prism Central: `GET /api/clustermgmt/v4.0/config/disks` (every drive of every registered
cluster; the chosen cluster's are kept). Field names are from the v4 SDK models [MODEL]; no
recorded answer was available, so their values and the `location` type are INFERRED. v4 carries
no per-drive usage in the list (only `stats/disks/{extId}`, one request per drive), so usage is
not read there.

No Prism model carries a numeric wear level (reference §8.1): wear is judged from alerts by
the check. Should a response ever carry a field named like a wear percentage, it is kept
(`wear_percent`, `wear_field`) so that it can be reported, never computed or guessed.
"""

from ..plugin.errors import PluginError
from ..plugin.sanitize import clean
from .element import V2
from .errors import PrismHTTPError
from .normalize import enum, flag, ip, number
from .pagination import v2_pages, v4_pages

DISKS_V2 = V2 + "disks"
DISKS_V4 = "/api/clustermgmt/v4.0/config/disks"


class Drive:
    """One drive. None means the source did not say (never "fine").

    node: the name of the node it sits in, or None when it could not be placed;
    placement: what the source said about its node (for the report when unplaced);
    listed: False for a drive only the host's hardware list knows (not in the disks list).
    """

    __slots__ = ("node", "placement", "slot", "serial", "model", "vendor", "tier", "uuid", "id",
                 "status", "online", "bad", "mounted", "under_diagnosis", "unhealthy",
                 "suspected_unhealthy", "errors_in_log", "marked_for_removal", "boot",
                 "capacity_bytes", "usage_bytes", "wear_percent", "wear_field", "listed")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))
        if self.listed is None:
            self.listed = True

    def __repr__(self):
        return "Drive(%s slot %s %s)" % (self.node, self.slot, self.serial)

    @property
    def usage_percent(self):
        if self.usage_bytes is None or not self.capacity_bytes:
            return None
        return round(100.0 * self.usage_bytes / self.capacity_bytes, 2)

    def label(self):
        """What names the drive to a person: slot and serial."""
        return "disk slot %s %s" % ("?" if self.slot is None else self.slot,
                                     clean(self.serial) or "(no serial)")

    def instance(self):
        """The perfdata instance: the serial (stable across slots and nodes)."""
        return self.serial or self.uuid or "%s-slot-%s" % (self.node, self.slot)

    def identifiers(self):
        """Every string an alert may use to name this drive."""
        found = [self.serial, self.uuid, self.id]
        return [str(v) for v in found if v]


class DiskHealth:
    """What the `disks` check judges: the inventory, its drives, and the open alerts.

    alerts is None when they could not be read (alerts_reason says why).
    """

    __slots__ = ("inventory", "drives", "alerts", "alerts_reason", "source", "not_available")

    def __init__(self, inventory, drives, alerts=None, alerts_reason=None, source=None,
                 not_available=()):
        self.inventory = inventory
        self.drives = list(drives)
        self.alerts = alerts
        self.alerts_reason = alerts_reason
        self.source = source or inventory.source
        self.not_available = list(not_available)


def _either(a, b):
    """Two sources of one flag: True if either says True, None if neither says anything."""
    if a is True or b is True:
        return True
    if a is False or b is False:
        return False
    return None


def _both(a, b):
    """`mounted` from two sources: False if either says False."""
    if a is False or b is False:
        return False
    if a is True or b is True:
        return True
    return None


def _wear(*docs):
    """(percent, field name) of a wear level a response carries, if any (none is known to).

    Only a field whose name says both "wear" and its unit (percent or ppm) counts."""
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        for key, value in doc.items():
            name = str(key).lower()
            if "wear" not in name:
                continue
            value = number(value)
            if value is None:
                continue
            if "ppm" in name:
                return value / 10000.0, str(key)
            if "pct" in name or "percent" in name:
                return value, str(key)
    return None, None


# -- Prism Element v2.0 ------------------------------------------------------------------------
def from_v2(doc):
    hw = doc.get("disk_hardware_config") or {}
    usage = doc.get("usage_stats") or {}
    wear, wear_field = _wear(doc, doc.get("stats"), usage, hw)
    return Drive(
        slot=number(doc.get("location", hw.get("location"))),
        serial=hw.get("serial_number") or doc.get("serial_number"),
        model=hw.get("model"),
        vendor=hw.get("vendor"),
        tier=doc.get("storage_tier_name"),
        uuid=doc.get("disk_uuid") or hw.get("disk_uuid"),
        id=doc.get("id") or hw.get("disk_id"),
        status=enum(doc.get("disk_status")),
        online=flag(doc.get("online")),
        bad=flag(hw.get("bad")),
        mounted=flag(hw.get("mounted")),
        under_diagnosis=flag(hw.get("under_diagnosis")),
        marked_for_removal=flag(doc.get("marked_for_removal")),
        boot=flag(hw.get("boot_disk")),
        capacity_bytes=number(usage.get("storage.capacity_bytes")) or number(doc.get("disk_size")),
        usage_bytes=number(usage.get("storage.usage_bytes")),
        wear_percent=wear,
        wear_field=wear_field,
    )


def from_hardware(slot, hw):
    """A drive only the host's `disk_hardware_configs` knows (not in the disks list)."""
    return Drive(
        slot=number(hw.get("location")) if hw.get("location") is not None else number(slot),
        serial=hw.get("serial_number"),
        model=hw.get("model"),
        vendor=hw.get("vendor"),
        uuid=hw.get("disk_uuid"),
        id=hw.get("disk_id"),
        bad=flag(hw.get("bad")),
        mounted=flag(hw.get("mounted")),
        under_diagnosis=flag(hw.get("under_diagnosis")),
        boot=flag(hw.get("boot_disk")),
        listed=False,
    )


def _placer(nodes):
    by_uuid = {n.uuid: n for n in nodes if n.uuid}
    by_name = {n.name.lower(): n for n in nodes}
    by_ip = {n.cvm_ip: n for n in nodes if n.cvm_ip}
    by_ip.update({n.host_ip: n for n in nodes if n.host_ip and n.host_ip not in by_ip})

    def place(node_uuid, host_name, cvm_ip):
        return (by_uuid.get(node_uuid) or by_name.get(str(host_name or "").lower())
                or by_ip.get(cvm_ip))

    return place


def join_hardware(drives, nodes):
    """Add each host's `disk_hardware_configs` (bad, mounted) to the drives, by serial; a drive
    only the hardware list knows is added to the list (listed=False)."""
    by_serial = {}
    for drive in drives:
        if drive.serial:
            by_serial.setdefault(drive.serial.lower(), []).append(drive)
    for node in nodes:
        configs = (node.raw_host or {}).get("disk_hardware_configs") or {}
        if not isinstance(configs, dict):
            continue
        for slot, hw in sorted(configs.items(), key=lambda kv: number(kv[0]) or 0):
            if not isinstance(hw, dict):
                continue  # an empty slot
            serial = str(hw.get("serial_number") or "").lower()
            same = by_serial.get(serial) or []
            match = ([d for d in same if d.node == node.name] or same or [None])[0]
            if match is None:
                extra = from_hardware(slot, hw)
                extra.node = node.name
                drives.append(extra)
                continue
            match.bad = _either(flag(hw.get("bad")), match.bad)
            match.mounted = _both(flag(hw.get("mounted")), match.mounted)
            match.under_diagnosis = _either(flag(hw.get("under_diagnosis")),
                                            match.under_diagnosis)
            if match.slot is None:
                match.slot = number(hw.get("location")) or number(slot)
            match.model = match.model or hw.get("model")
    return drives


def element_drives(client, nodes):
    """The drives of a Prism Element cluster, each placed on its node."""
    place = _placer(nodes)
    drives = []
    for doc in v2_pages(client, DISKS_V2):
        if not isinstance(doc, dict):
            continue
        drive = from_v2(doc)
        node = place(doc.get("node_uuid"), doc.get("host_name") or doc.get("node_name"),
                     doc.get("cvm_ip_address"))
        drive.node = node.name if node else None
        drive.placement = _placement(doc.get("node_uuid"), doc.get("host_name"),
                                     doc.get("cvm_ip_address"))
        drives.append(drive)
    return join_hardware(drives, nodes)


def _placement(node_uuid, host_name, cvm_ip):
    said = ["%s %s" % (k, clean(v)) for k, v in (("node_uuid", node_uuid),
                                                  ("host_name", host_name), ("CVM", cvm_ip)) if v]
    return ", ".join(said) or "no node named"


# -- Prism Central v4 ---------------------------------------------------------------------------
def from_v4(doc):
    """A v4 clustermgmt Disk [MODEL field names; bad <-> isUnhealthy is INFERRED]."""
    advanced = doc.get("diskAdvanceConfig") or {}
    wear, wear_field = _wear(doc, advanced)
    return Drive(
        slot=number(doc.get("location")),
        serial=doc.get("serialNumber"),
        model=doc.get("model"),
        vendor=doc.get("vendor"),
        tier=doc.get("storageTier"),
        uuid=doc.get("extId"),
        status=enum(doc.get("status")),
        online=flag(advanced.get("isOnline")),
        mounted=flag(advanced.get("isMounted")),
        unhealthy=flag(advanced.get("isUnhealthy")),
        suspected_unhealthy=flag(advanced.get("isSuspectedUnhealthy")),
        errors_in_log=flag(advanced.get("isErrorFoundInLog")),
        under_diagnosis=flag(advanced.get("isUnderDiagnosis")),
        marked_for_removal=flag(advanced.get("isMarkedForRemoval")),
        boot=flag(advanced.get("isBootDisk")),
        capacity_bytes=number(doc.get("diskSizeBytes")),
        wear_percent=wear,
        wear_field=wear_field,
    )


def central_drives(client, cluster_uuid, nodes):
    """The drives of one cluster registered to Prism Central (v4 clustermgmt)."""
    place = _placer(nodes)
    try:
        docs = v4_pages(client, DISKS_V4)
    except PrismHTTPError as exc:
        if exc.status != 404:
            raise
        raise PluginError("Prism Central does not serve v4 clustermgmt disks (HTTP 404 on %s): "
                          "drives are listed only by pc.2024.3 or later; point -H at the "
                          "cluster's Prism Element VIP instead" % DISKS_V4) from None
    drives = []
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        if cluster_uuid and doc.get("clusterExtId") not in (None, cluster_uuid):
            continue
        drive = from_v4(doc)
        node = place(doc.get("nodeExtId"), doc.get("hostName"), ip(doc.get("cvmIpAddress")))
        drive.node = node.name if node else None
        drive.placement = _placement(doc.get("nodeExtId"), doc.get("hostName"),
                                     ip(doc.get("cvmIpAddress")))
        drives.append(drive)
    return drives
