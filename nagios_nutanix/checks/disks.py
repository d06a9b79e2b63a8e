"""`disks`: the drives of each node — failed, offline, unmounted, worn out."""

import re

from ..nodes import FILTER_OPTIONS, NodeVerdict, node_result, select_nodes
from ..plugin.errors import PluginError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State, severity
from .spec import Alert, CheckSpec, MetricSpec, Option

# Alert families about drives, as NUTANIX-MIB names its traps (ntxTrap<Title>); see
# reference/nutanix-mib-traps.tsv. Families are matched on the alert's title, so patterns (over
# the title reduced to lower-case letters and digits) also catch titles with a {placeholder}
# rendered into them (e.g. SMARTParametersOfDisk{host}AreOutOfRange).
WEAR_FAMILIES = (
    # every "...HasWornOut" (PM863a, PM883, SM863, SM883, Samsung PM1633, Toshiba PM3/PM4/PM5,
    # Micron5100, IntelS4600, M2Disk, M.2 host boot drives, SATADOM), "...WearHigh" (IntelSSD,
    # FusionIO, HypervisorBootDrive), "...HasHighWear" (SATADOM SL3IE3 / ML3SE)
    re.compile(r".*(haswornout|wearhigh|hashighwear)$"),
    re.compile(r"^smartparametersofdisk.*areoutofrange$"),
    "StorageDeviceHealthBad",
    "FreeBlockCountOfSATADOMHasGoneBelowThreshold",
)
FAILURE_FAMILIES = (
    "DiskBad", "PhysicalDiskDriveHasFailed", "DiskFailedMarkedOffline", "DiskDiagnosticFailure",
    "PhysicalDiskRemovedFromSlot", "OfflineDiskInCluster", "OfflineDiskInACluster",
    "MetadataDriveFailed", "FusionIODiskFailed", "SATADOMHasFailed", "SATADOMNotReachable",
    "NVMeDriveHasErrors", "M2DiskReturnedUECCErrors", "BootDriveIsInDegradedState",
    "HostBootDiskRequiresAttention", "DriveRemovalStuck",
)

ALERT_STATES = {"CRITICAL": State.CRITICAL, "WARNING": State.WARNING}
USAGE_NOT_LISTED = ("per-drive usage: Prism Central lists none, and its stats/disks would "
                    "need one request per drive")


def collect(context):
    from ..prism import alerts, disks, inventory

    found = inventory.collect(context)
    client = context.prism()
    not_available = []
    if found.kind == "pc":
        drives = disks.central_drives(client, found.cluster.uuid, found.nodes)
        not_available.append(USAGE_NOT_LISTED)
    else:
        drives = disks.element_drives(client, found.nodes)
    read, reason = alerts.read_unresolved(client, found.kind, found.cluster.uuid)
    source = found.source + (" disks" if found.kind == "pc" else " disks and hosts")
    return disks.DiskHealth(found, drives, read, reason, source=source,
                            not_available=not_available)


# -- which alerts are about drives, and about which drive ---------------------------------------
def _kind(alert):
    """'wear', 'failure' or None for an alert."""
    for families, kind in ((WEAR_FAMILIES, "wear"), (FAILURE_FAMILIES, "failure")):
        names = [f for f in families if isinstance(f, str)]
        if names and alert.in_family(names):
            return kind
        if any(p.match(alert.family) for p in families if not isinstance(p, str)):
            return kind
    return None


def _mentions(alert, drive):
    """True when the alert names the drive: its serial, uuid or id in the alert's context or
    entities, or its serial in the title or message."""
    ids = {i.casefold() for i in drive.identifiers()}
    if drive.id and "::" in str(drive.id):
        short = str(drive.id).rsplit("::", 1)[1]
        if str(alert.context.get("disk_id", "")).casefold() == short.casefold():
            return True
    values = [str(v) for v in alert.context.values() if v is not None] + alert.names()
    if any(v.strip().casefold() in ids for v in values):
        return True
    if drive.serial and len(drive.serial) >= 6:
        text = ("%s %s" % (alert.title or "", alert.message or "")).casefold()
        return drive.serial.casefold() in text
    return False


def _about_node(alert, node):
    """True when the alert is tied to the node itself (uuid, names, IPs; never the block
    serial, which the nodes of a block share)."""
    names = [n for n in node.names() if n != node.block_serial] + [node.cvm_uuid]
    return alert.is_about(names)


def place_alerts(alerts, drives, nodes):
    """({id(drive): [(kind, alert)]}, {node name: [(kind, alert)]}, [(kind, alert)] tied to
    nothing known) for the open drive alerts."""
    on_drive, on_node, stray = {}, {}, []
    for alert in alerts or ():
        kind = _kind(alert)
        if kind is None:
            continue
        hit = [d for d in drives if _mentions(alert, d)]
        if hit:
            for drive in hit:
                on_drive.setdefault(id(drive), []).append((kind, alert))
            continue
        owners = [n for n in nodes if _about_node(alert, n)]
        for node in owners:
            on_node.setdefault(node.name, []).append((kind, alert))
        if not owners:
            stray.append((kind, alert))
    return on_drive, on_node, stray


# -- judging -------------------------------------------------------------------------------------
def drive_problems(drive):
    """(critical problems, warnings, unknowns) of one drive from Prism's own flags."""
    problems, warnings, unknowns = [], [], []
    if drive.online is False:
        problems.append("offline")
    if drive.bad is True:
        problems.append("bad")
    if drive.mounted is False:
        problems.append("not mounted")
    if drive.unhealthy is True:
        problems.append("unhealthy")
    if drive.status is not None and drive.status != "NORMAL":
        problems.append("status %s" % clean(drive.status))
    if drive.suspected_unhealthy is True:
        warnings.append("suspected unhealthy")
    if drive.errors_in_log is True:
        warnings.append("errors found in its log")
    if drive.under_diagnosis is True:
        warnings.append("under diagnosis")
    if drive.status is None:
        unknowns.append("status")
    if drive.online is None:
        unknowns.append("online state")
    if drive.bad is None and drive.unhealthy is None:
        unknowns.append("bad/unhealthy flag")
    if drive.mounted is None:
        unknowns.append("mounted flag")
    return problems, warnings, unknowns


def _what(drive):
    parts = [clean(p) for p in (drive.model, drive.tier) if p]
    return "%s (%s)" % (drive.label(), ", ".join(parts)) if parts else drive.label()


def _alert_words(alert):
    title = clean(alert.title).rstrip(".") or "alert %s" % clean(alert.type_id)
    message = clean(alert.message)
    text = title
    if message and message.rstrip(".") != title:
        text += ": " + message
    extras = [clean(alert.type_id)] if alert.type_id else []
    extras.append(alert.severity or "?")
    if alert.acknowledged:
        extras.append("acknowledged")
    return title, "%s (%s)" % (text, ", ".join(extras))


def _alert_state(alert):
    return ALERT_STATES.get(alert.severity, State.OK)


def _loose_alert(alert, where):
    """An item for a drive alert that names no listed drive."""
    state = _alert_state(alert)
    title, text = _alert_words(alert)
    return Item(state, "%s: %s" % (where, text), brief=title if state != State.OK else "")


def judge_drive(drive, placed_alerts, thresholds, usage_thresholds_given):
    """(items, metrics, failed, worn) of one drive."""
    items, metrics = [], []
    problems, warnings, unknowns = drive_problems(drive)
    what = _what(drive)
    label = drive.label()
    if problems:
        items.append(Item(State.CRITICAL, "%s: %s" % (what, ", ".join(problems + warnings)),
                          brief="%s %s" % (label, ", ".join(problems))))
    elif warnings:
        items.append(Item(State.WARNING, "%s: %s" % (what, ", ".join(warnings)),
                          brief="%s %s" % (label, ", ".join(warnings))))
    if unknowns and not problems:
        why = "" if drive.listed else " (only the host's hardware list has it, not the disks list)"
        items.append(Item(State.UNKNOWN, "%s: not reported: %s%s" % (
            what, ", ".join(unknowns), why), brief="%s: %s not reported%s" % (
                label, ", ".join(unknowns), why)))
    failed = bool(problems)
    worn = False
    for kind, alert in placed_alerts:
        state = _alert_state(alert)
        title, text = _alert_words(alert)
        # One line per drive in the first line: the flags speak first when there are any.
        brief = "" if problems else "%s alert: %s" % (label, title)
        if state == State.OK:
            brief = ""
        items.append(Item(state, "%s: alert: %s" % (what, text), brief=brief))
        if kind == "wear" and state != State.OK:
            worn = True
        if kind == "failure" and state != State.OK:
            failed = True
    percent = drive.usage_percent
    if percent is not None:
        metrics.append(Metric("disk.usage.percentage", percent, "%", thresholds.warning,
                              thresholds.critical, 0, 100, instance=drive.instance()))
        if usage_thresholds_given:
            state = thresholds.evaluate(percent)
            if state != State.OK:
                items.append(Item(state, "%s: %.1f %% used" % (what, percent),
                                  brief="%s %.1f %% used" % (label, percent)))
    elif usage_thresholds_given and drive.listed:
        items.append(Item(State.UNKNOWN, "%s: usage not reported" % what,
                          brief="%s usage not reported" % label))
    if drive.wear_percent is not None:
        metrics.append(Metric("disk.wear.percentage", drive.wear_percent, "%", minimum=0,
                              maximum=100, instance=drive.instance()))
    if not any(i.state != State.OK for i in items):
        state_words = ["online" if drive.online else None,
                       "mounted" if drive.mounted else None,
                       "status %s" % clean(drive.status) if drive.status else None]
        text = "%s: %s" % (what, ", ".join(w for w in state_words if w) or "healthy")
        if percent is not None:
            text += ", %.1f %% used" % percent
        if drive.wear_percent is not None:
            text += ", wear %s %% (%s)" % (round(drive.wear_percent, 1), clean(drive.wear_field))
        items.insert(0, Item(State.OK, text, brief=""))
    return items, metrics, failed, worn


def _sound_drives(drives):
    """One OK line for a node's drives that have nothing to report."""
    slots = _spans(sorted(d.slot for d in drives if d.slot is not None))
    text = "%s online, mounted, status NORMAL%s" % (
        _plural(len(drives), "drive"), " (slot%s %s)" % ("s" if len(drives) > 1 else "", slots)
        if slots else "")
    used = [d.usage_percent for d in drives if d.usage_percent is not None]
    if used:
        low, high = min(used), max(used)
        text += ", %.1f %% used" % low if low == high else ", %.1f-%.1f %% used" % (low, high)
    return Item(State.OK, text, brief="")


def _spans(numbers):
    """[1, 2, 3, 5] -> '1-3, 5'."""
    spans = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in spans)


def _slot_key(drive):
    return (drive.slot is None, drive.slot or 0, drive.serial or "")


def _plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def _choose_drive(drives, nodes, options):
    """--filter-disk: the drives with that serial, and the chosen nodes that hold them."""
    wanted = (getattr(options, "filter_disk", None) or "").strip().casefold()
    if not wanted:
        return drives, nodes
    chosen = [d for d in drives if str(d.serial or "").casefold() == wanted]
    if not chosen:
        raise PluginError("no drive of the cluster has serial %r (--filter-disk); it has %d "
                          "drives" % (clean(options.filter_disk), len(drives)))
    holders = {d.node for d in chosen}
    kept = [n for n in nodes if n.name in holders]
    if not kept and all(d.node for d in chosen):
        raise PluginError("drive %s sits in %s, which the node filter did not choose" % (
            clean(options.filter_disk), ", ".join(sorted(clean(h) for h in holders))))
    return chosen, kept


def evaluate(model, options):
    inventory = model.inventory
    nodes = select_nodes(inventory, options)
    all_drives = model.drives
    drives, nodes = _choose_drive(all_drives, nodes, options)
    filtered = bool(getattr(options, "filter_name", None)
                    or getattr(options, "filter_name_regex", None)
                    or getattr(options, "filter_disk", None))
    warn, crit = getattr(options, "usage_warning", None), getattr(options, "usage_critical", None)
    thresholds = Thresholds(warn, crit)
    usage_given = warn is not None or crit is not None
    source_lacks_usage = USAGE_NOT_LISTED in model.not_available
    known_alerts = model.alerts is not None
    on_drive, on_node, stray = place_alerts(model.alerts, all_drives, inventory.nodes)
    wanted = {id(d) for d in drives}

    # Several nodes: one line for the sound drives of each node (16 nodes fit in 8 KB).
    fold = not (filtered and len(nodes) == 1)
    verdicts, total = [], 0
    for node in nodes:
        mine = sorted((d for d in all_drives if d.node == node.name and id(d) in wanted),
                      key=_slot_key)
        items, metrics, sound = [], [], []
        failed = worn = 0
        for drive in mine:
            found, perf, is_failed, is_worn = judge_drive(
                drive, on_drive.get(id(drive), ()), thresholds,
                usage_given and not source_lacks_usage)
            if fold and len(found) == 1 and found[0].state == State.OK \
                    and drive.wear_percent is None:
                sound.append(drive)
            else:
                items += found
            metrics += perf
            failed += is_failed
            worn += is_worn
        if sound:
            items.append(_sound_drives(sound))
        if not getattr(options, "filter_disk", None):
            items += [_loose_alert(alert, "drive alert not tied to a listed drive")
                      for _, alert in on_node.get(node.name, ())]
            if not mine:
                host_type = str((node.raw_host or {}).get("host_type")
                                or (node.raw_host or {}).get("hostType") or "")
                if host_type.upper() == "COMPUTE_ONLY":
                    items.append(Item(State.OK, "compute-only node: no drives"))
                else:
                    items.append(Item(State.UNKNOWN, "Prism lists no drive for this node",
                                      brief="no drive listed"))
        total += len(mine)
        metrics = [
            Metric("disks.total.count", len(mine), minimum=0, instance=node.name),
            Metric("disks.failed.count", failed, minimum=0, maximum=len(mine),
                   instance=node.name),
            Metric("disks.worn.count", worn, minimum=0, maximum=len(mine), instance=node.name),
        ] + metrics
        what = mine[0].label() if len(mine) == 1 and getattr(options, "filter_disk", None) \
            else _plural(len(mine), "drive")
        ok_brief = "%s healthy%s" % (what, ", no open drive alert" if known_alerts else "")
        verdicts.append(NodeVerdict(node.name, items, metrics, ok_brief=ok_brief))

    extra = []
    for drive in sorted((d for d in drives if not d.node), key=_slot_key):
        found, perf, _, _ = judge_drive(drive, on_drive.get(id(drive), ()), thresholds,
                                        usage_given and not source_lacks_usage)
        where = "placed on no known node (%s)" % drive.placement
        for item in found:
            extra.append(Item(item.state, "%s; %s" % (item.text, where),
                              brief=item.brief and "%s (no known node)" % item.brief))
    if not known_alerts:
        reason = clean(model.alerts_reason) or "alerts could not be read"
        status = re.search(r"HTTP (\d{3})", reason)
        extra.append(Item(State.UNKNOWN, "drive wear and drive alerts unknown: %s" % reason,
                          brief="drive wear unknown: alerts could not be read%s" % (
                              " (HTTP %s)" % status.group(1) if status else "")))
    elif not getattr(options, "filter_disk", None):
        extra += [_loose_alert(alert, "drive alert tied to no known node or drive")
                  for _, alert in stray]
    if usage_given and source_lacks_usage:
        extra.append(Item(State.UNKNOWN, "usage thresholds given, but %s does not report "
                          "per-drive usage" % model.source,
                          brief="drive usage not reported by %s" % model.source))
    extra.sort(key=lambda i: -severity(i.state))

    cluster = inventory.cluster.name
    ok_summary = "%s on %s healthy%s" % (_plural(total, "drive"), _plural(len(nodes), "node"),
                                         ", no open drive alert" if known_alerts else "")
    info = []
    if model.not_available:
        info.append("not available from %s, not checked: %s" % (
            model.source, "; ".join(model.not_available)))
    return node_result(cluster, verdicts, filtered, ok_summary, extra=extra, info=info,
                       notes=["source: %s" % model.source])


SPEC = CheckSpec(
    name="disks",
    title="Drives of each node: failed, offline, unmounted, worn out",
    description=(
        "Judges every drive of each node: Prism's disk status, online state, and the host's\n"
        "own bad/mounted flags; open alerts of the drive wear-out and drive failure families\n"
        "(worn-out SSDs, SMART out of range, storage device health bad, ...), matched to the\n"
        "drive by serial, or to the node when they name no listed drive; per-drive usage as\n"
        "perfdata. No Prism model carries a numeric wear level, so wear is known only from\n"
        "alerts: when alerts cannot be read, wear is UNKNOWN, never OK. Works against a Prism\n"
        "Element VIP, or Prism Central (v4 clustermgmt disks) with --cluster NAME."),
    scope="node",
    sources=("prism-element", "prism-central"),
    options=FILTER_OPTIONS + (
        Option(("--filter-disk",), "only the drive with this serial number (exact, "
               "case-insensitive)", metavar="SERIAL", macro="FILTERDISK"),
        Option(("--usage-warning",), "warning range for each drive's usage in percent "
               "(default: none, usage is perfdata only)", type="range", metavar="RANGE"),
        Option(("--usage-critical",), "critical range for each drive's usage in percent "
               "(default: none)", type="range", metavar="RANGE"),
    ),
    metrics=(
        MetricSpec("disks.total.count", "", "drives of the node", per_instance="node",
                   minimum=0),
        MetricSpec("disks.failed.count", "", "drives offline, bad, not mounted, not NORMAL, or "
                   "with an open drive failure alert", per_instance="node", minimum=0),
        MetricSpec("disks.worn.count", "", "drives with an open wear-out or SMART alert "
                   "(WARNING or CRITICAL)", per_instance="node", minimum=0),
        MetricSpec("disk.usage.percentage", "%", "used share of the drive (Prism Element only); "
                   "--usage-warning/--usage-critical apply", per_instance="serial", minimum=0,
                   maximum=100),
        MetricSpec("disk.wear.percentage", "%", "wear level, only if Prism ever reports one (no "
                   "known Prism model does; never computed or guessed)", per_instance="serial",
                   minimum=0, maximum=100),
    ),
    alerts=(
        Alert("CRITICAL", "a drive is offline, bad, not mounted, flagged unhealthy, or its "
              "disk status is not NORMAL",
              "Prism > Hardware > Diagram shows the node and slot named in the alert. A failed "
              "drive is replaced; Prism re-protects its data meanwhile (watch the cluster "
              "check's fault tolerance). A status like DATA_MIGRATION_INITIATED means the drive "
              "is being removed."),
        Alert("CRITICAL", "an open CRITICAL drive alert (worn out, failed, health bad) names "
              "the drive or node",
              "Read the alert in Prism > Alerts (its KB article); plan the drive's replacement "
              "with Nutanix support before it fails."),
        Alert("WARNING", "an open WARNING drive alert (wear high, SMART parameters out of "
              "range) names the drive or node",
              "Schedule the drive's replacement; check the alert's KB article and whether "
              "other drives of the same model report wear."),
        Alert("WARNING", "a drive is suspected unhealthy, has errors in its log, or is under "
              "diagnosis (Prism Central v4 flags; the last also on Prism Element)",
              "Watch the drive; Prism's diagnosis decides whether it is marked bad."),
        Alert("WARNING", "a drive's usage is in the --usage-warning range (CRITICAL for "
              "--usage-critical)",
              "The drive is fuller than its peers expect; check the storage pool's usage and "
              "whether a drive of the node failed."),
        Alert("UNKNOWN", "alerts could not be read (so drive wear is not known), or Prism did "
              "not report a drive's status, online or bad/mounted flags",
              "The line names what is missing; give the user the Viewer role at least."),
    ),
    collect=collect,
    evaluate=evaluate,
    notes=(
        "Wear comes only from alerts: no Prism model (v1, v2.0, v3, v4) has a wear or "
        "remaining-life field. Acknowledged alerts still count until they are resolved.",
        "Prism Central v4 drive fields (diskAdvanceConfig.isOnline, isMounted, isUnhealthy, "
        "...) are from the SDK models, not from a recorded answer (INFERRED).",
    ),
)
