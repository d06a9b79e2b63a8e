"""`disks`: the drives of each node — failed, offline, unmounted, worn out."""

import re

from ..nodes import FILTER_OPTIONS, NodeVerdict, filtered, node_result, select_nodes
from ..plugin.errors import PluginError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State, severity
from ..plugin.words import plural
from .node_words import alert_state, alert_text, alert_title, alerts_unreadable, not_available
from .spec import Alert, CheckSpec, MetricSpec, Option, threshold_options

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


def _loose_alert(alert, where):
    """An item for a drive alert that names no listed drive."""
    state = alert_state(alert)
    return Item(state, "%s: %s" % (where, alert_text(alert)),
                brief=alert_title(alert) if state != State.OK else "")


def judge_drive(drive, placed_alerts, thresholds, usage_thresholds_given):
    """(items, metrics, failed, worn) of one drive; metrics are its usage (and wear, should
    Prism ever report one)."""
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
        state = alert_state(alert)
        # One line per drive in the first line: the flags speak first when there are any.
        brief = "" if problems else "%s alert: %s" % (label, alert_title(alert))
        if state == State.OK:
            brief = ""
        items.append(Item(state, "%s: %s" % (what, alert_text(alert)), brief=brief))
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
        plural(len(drives), "drive"), " (slot%s %s)" % ("s" if len(drives) > 1 else "", slots)
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


class Judging:
    """How this run judges drives: usage thresholds, and what the output can hold."""

    __slots__ = ("thresholds", "judge_usage", "fold", "every_usage", "known_alerts",
                 "one_drive")

    def __init__(self, options, model, nodes):
        warn = getattr(options, "warning_usage", None)
        crit = getattr(options, "critical_usage", None)
        given = warn is not None or crit is not None
        self.thresholds = Thresholds(warn, crit)
        self.judge_usage = given and USAGE_NOT_LISTED not in model.not_available
        self.one_drive = bool(getattr(options, "filter_disk", None))
        # Several nodes: one line for the sound drives of each node (16 nodes fit in 8 KB).
        self.fold = not (filtered(options, "filter_disk") and len(nodes) == 1)
        # Every drive's usage perfdata with a filter or thresholds; without, 16 nodes' drives
        # would pass the 8 KB output limit: then only for drives in trouble.
        self.every_usage = filtered(options, "filter_disk") or given
        self.known_alerts = model.alerts is not None


def node_verdict(node, drives, placed, judging):
    """The NodeVerdict of one node. `drives`: all of the node's drives, as (drive, shown) pairs
    (--filter-disk shows one; the node's counts are always over all of them); `placed`: the
    place_alerts() answer."""
    on_drive, on_node = placed[0], placed[1]
    items, metrics, sound = [], [], []
    failed = worn = 0
    for drive, shown in drives:
        found, perf, is_failed, is_worn = judge_drive(
            drive, on_drive.get(id(drive), ()), judging.thresholds, judging.judge_usage)
        failed += is_failed
        worn += is_worn
        if not shown:
            continue
        trouble = any(i.state != State.OK for i in found)
        metrics += [m for m in perf if judging.every_usage or trouble
                    or m.name != "disk.usage.percentage"]
        if judging.fold and not trouble and len(found) == 1 and drive.wear_percent is None:
            sound.append(drive)
        else:
            items += found
    if sound:
        items.append(_sound_drives(sound))
    if not judging.one_drive:
        items += [_loose_alert(alert, "drive alert not tied to a listed drive")
                  for _, alert in on_node.get(node.name, ())]
        if not drives:
            items.append(_no_drives(node))
    total = len(drives)
    metrics = [
        Metric("disks.total.count", total, minimum=0, instance=node.name),
        Metric("disks.failed.count", failed, minimum=0, maximum=total, instance=node.name),
        Metric("disks.worn.count", worn, minimum=0, maximum=total, instance=node.name),
    ] + metrics
    chosen = [d for d, shown in drives if shown]
    what = chosen[0].label() if judging.one_drive and len(chosen) == 1 \
        else plural(len(chosen), "drive")
    ok_brief = "%s healthy%s" % (what, ", no open drive alert" if judging.known_alerts else "")
    return NodeVerdict(node.name, items, metrics, ok_brief=ok_brief)


def _no_drives(node):
    host_type = str((node.raw_host or {}).get("host_type")
                    or (node.raw_host or {}).get("hostType") or "")
    if host_type.upper() == "COMPUTE_ONLY":
        return Item(State.OK, "compute-only node: no drives")
    return Item(State.UNKNOWN, "Prism lists no drive for this node", brief="no drive listed")


def _cluster_items(model, drives, placed, judging):
    """Items about no one node: drives placed on no known node, alerts tied to nothing known,
    alerts unreadable, usage thresholds the source cannot serve."""
    on_drive, stray = placed[0], placed[2]
    extra = []
    for drive in sorted((d for d in drives if not d.node), key=_slot_key):
        found, _, _, _ = judge_drive(drive, on_drive.get(id(drive), ()), judging.thresholds,
                                     judging.judge_usage)
        where = "placed on no known node (%s)" % drive.placement
        for item in found:
            extra.append(Item(item.state, "%s; %s" % (item.text, where),
                              brief=item.brief and "%s (no known node)" % item.brief))
    if not judging.known_alerts:
        reason = clean(model.alerts_reason) or "alerts could not be read"
        extra.append(Item(State.UNKNOWN, "drive wear and drive alerts unknown: %s" % reason,
                          brief="%s: drive wear and drive alerts unknown"
                          % alerts_unreadable(reason)))
    elif not judging.one_drive:
        extra += [_loose_alert(alert, "drive alert tied to no known node or drive")
                  for _, alert in stray]
    if judging.thresholds.warning is not None or judging.thresholds.critical is not None:
        if not judging.judge_usage:
            extra.append(Item(State.UNKNOWN, "usage thresholds given, but %s does not report "
                              "per-drive usage" % model.source,
                              brief="drive usage not reported by %s" % model.source))
    extra.sort(key=lambda i: -severity(i.state))
    return extra


def evaluate(model, options):
    inventory = model.inventory
    nodes = select_nodes(inventory, options)
    all_drives = model.drives
    drives, nodes = _choose_drive(all_drives, nodes, options)
    judging = Judging(options, model, nodes)
    placed = place_alerts(model.alerts, all_drives, inventory.nodes)
    wanted = {id(d) for d in drives}
    verdicts, total = [], 0
    for node in nodes:
        mine = sorted((d for d in all_drives if d.node == node.name), key=_slot_key)
        verdicts.append(node_verdict(node, [(d, id(d) in wanted) for d in mine], placed,
                                     judging))
        total += sum(1 for d in mine if id(d) in wanted)
    extra = _cluster_items(model, drives, placed, judging)
    ok_summary = "%s on %s healthy%s" % (plural(total, "drive"), plural(len(nodes), "node"),
                                         ", no open drive alert" if judging.known_alerts else "")
    info = [not_available(model.source, model.not_available)] if model.not_available else []
    return node_result(inventory.cluster.name, verdicts, filtered(options, "filter_disk"),
                       ok_summary, extra=extra, info=info, notes=["source: %s" % model.source])


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
    ) + threshold_options("usage", "each drive's usage", " in percent (usage is perfdata "
                          "only without them)") + (
    ),
    metrics=(
        MetricSpec("disks.total.count", "", "drives of the node (all of them, with "
                   "--filter-disk too)", per_instance="node", minimum=0),
        MetricSpec("disks.failed.count", "", "drives of the node offline, bad, not mounted, "
                   "not NORMAL, or with an open drive failure alert", per_instance="node",
                   minimum=0),
        MetricSpec("disks.worn.count", "", "drives of the node with an open wear-out or SMART "
                   "alert (WARNING or CRITICAL)", per_instance="node", minimum=0),
        MetricSpec("disk.usage.percentage", "%", "used share of the drive (Prism Element only); "
                   "--warning-usage/--critical-usage apply. Every drive with a node or drive "
                   "filter or with usage thresholds; without them only drives in trouble (the "
                   "drives of 16 nodes would pass the 8 KB plugin output limit)",
                   per_instance="serial", minimum=0, maximum=100),
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
        Alert("WARNING", "a drive's usage is in the --warning-usage range (CRITICAL for "
              "--critical-usage)",
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
