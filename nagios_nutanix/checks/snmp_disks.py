"""`snmp-disks`: every disk of NUTANIX-MIB's diskStatusTable (.3), placed on its CVM: offline
disks, usage, latency, IOPS."""

from collections import namedtuple

from ..nodes import filtered
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State, worst
from .snmp_common import (
    SNMP_UNKNOWN_ALERT,
    Cvm,
    CvmVerdict,
    cluster_name,
    cvm_directory,
    cvm_result,
    filter_options,
    find_cvm,
    latency_words,
    name_hosts,
    normalized_id,
    read_cvm_agent,
    select_cvms,
    thresholds,
)
from .spec import Alert, CheckSpec, MetricSpec, threshold_options
from .storage import percent

Disk = namedtuple("Disk", "id serial cvm_id total free latency_us iops state")
# groups: [(Cvm, [Disk])] of the CVMs checked (a CVM may have no disk) and of the disks whose
# CVM id no table lists (Cvm.joined "none"); unplaced: such disks left out by the filter.
Model = namedtuple("Model", "cluster groups filtered unplaced agent hosts_note")
UNPLACED = "unplaced"  # the perfdata instance of disks placed on no CVM


def _disks(rows):
    from ..snmp import mib
    from ..snmp.session import number, text

    out = []
    for index, row in rows.items():
        state = number(row["state"])
        out.append(Disk(text(row["disk_id"]) or "#%s" % index, text(row["serial"]),
                        text(row["cvm_id"]), number(row["total_bytes"]),
                        number(row["free_bytes"]), number(row["latency_us"]),
                        number(row["iops"]), mib.DISK_STATES.get(state, state)))
    return out


def place(disks, cvms):
    """{id(cvm): [Disk]} over every CVM of the directory (a CVM without disks keeps an empty
    list); a disk whose CVM id joins no CVM goes to a group of its own per raw id, added to
    `cvms` with joined "none"."""
    placed = {id(c): [] for c in cvms}
    nowhere = {}
    for disk in disks:
        cvm = find_cvm(cvms, disk.cvm_id)
        if cvm is None:
            key = normalized_id(disk.cvm_id)
            cvm = nowhere.get(key)
            if cvm is None:
                cvm = nowhere[key] = Cvm("CVM id %s (in no CVM table)" % (
                    disk.cvm_id or "empty"), [disk.cvm_id] if disk.cvm_id else [],
                    joined="none")
                placed[id(cvm)] = []
        placed[id(cvm)].append(disk)
    cvms.extend(nowhere.values())
    return placed


def collect(context):
    from ..snmp import mib

    options = context.options

    def read(agent):
        rows = agent.table(mib.DISK_STATUS, ("disk_id", "cvm_id", "serial", "total_bytes",
                                             "free_bytes", "latency_us", "iops", "state"))
        resources = agent.table(mib.CVM_RESOURCES, ("cvm_id", "name"), required=False)
        statuses = agent.table(mib.CONTROLLER_STATUS, ("cvm_id",), required=False)
        cluster = cluster_name(agent)
        cvms = cvm_directory(resources, statuses)
        placed = place(_disks(rows), cvms)
        chosen = select_cvms(agent, cvms, options,
                             "cluster %s (diskStatusTable)" % clean(cluster))
        note = name_hosts(agent, [c for c in chosen if c.joined != "none"],
                          lambda c: judge(c, placed[id(c)], options, True).state != State.OK)
        unplaced = sum(len(placed[id(c)]) for c in cvms
                       if c.joined == "none" and c not in chosen)
        return Model(cluster, [(c, placed[id(c)]) for c in chosen], filtered(options), unplaced,
                     agent.target.host, note)

    return read_cvm_agent(context, read)


def judge_disk(disk, cvm_name, options):
    usage = Thresholds(options.warning, options.critical)
    latency = thresholds(options, "latency")
    instance = "%s~%s" % (cvm_name, disk.id)
    label = "disk %s%s" % (clean(disk.id), " (serial %s)" % clean(disk.serial)
                           if disk.serial else "")
    states, words, problems = [], [], []
    if disk.state == "online":
        states.append(State.OK)
        words.append("online")
    elif disk.state == "offline":
        states.append(State.CRITICAL)
        words.append("OFFLINE")
        problems.append("disk %s offline" % clean(disk.id))
    else:
        states.append(State.UNKNOWN)
        words.append("state %s" % ("not served" if disk.state is None else repr(disk.state)))
        problems.append("disk %s state unknown" % clean(disk.id))
    pct = None
    if disk.total and disk.free is not None:
        pct = (disk.total - disk.free) * 100.0 / disk.total
        state = usage.evaluate(pct)
        states.append(state)
        words.append("%s used" % percent(pct))
        if state != State.OK:
            problems.append("disk %s %s used" % (clean(disk.id), percent(pct)))
    if disk.latency_us is not None:
        state = latency.evaluate(disk.latency_us)
        states.append(state)
        words.append("latency %s" % latency_words(disk.latency_us))
        if state != State.OK:
            problems.append("disk %s latency %s" % (clean(disk.id),
                                                     latency_words(disk.latency_us)))
    if disk.iops is not None:
        words.append("%d IOPS" % disk.iops)
    item = Item(worst(states), "%s: %s" % (label, ", ".join(words)),
                brief=", ".join(problems) or None)
    metrics = [
        Metric("disk.usage.percentage", None if pct is None else round(pct, 2), "%",
               usage.warning, usage.critical, 0, 100, instance=instance),
        Metric("disk.io.latency.microseconds", disk.latency_us, "us", latency.warning,
               latency.critical, 0, instance=instance),
        Metric("disk.io.operations.persecond", disk.iops, "", minimum=0, instance=instance),
    ]
    return item, metrics, pct


def group_metrics(instance, disks, usages, options):
    """A CVM's disks in three figures (when several CVMs are checked)."""
    usage = Thresholds(options.warning, options.critical)
    return [
        Metric("disks.online.count", sum(1 for d in disks if d.state == "online"), "",
               minimum=0, maximum=len(disks), instance=instance),
        Metric("disks.offline.count", sum(1 for d in disks if d.state == "offline"), "",
               critical=Range.parse("0"), minimum=0, maximum=len(disks), instance=instance),
        Metric("disk.usage.max.percentage", round(max(usages), 2) if usages else None,
               "%", usage.warning, usage.critical, 0, 100, instance=instance),
    ]


def usage_span(usages):
    if not usages:
        return ""
    low, high = min(usages), max(usages)
    if round(low) == round(high):
        return ", %.0f %% used" % low
    return ", %.0f-%.0f %% used" % (low, high)


def judge(cvm, disks, options, per_disk):
    """One CVM's verdict: a line per disk (one line when all are sound); perfdata per disk
    when this CVM is the only one checked, per CVM otherwise (16 nodes x 10 disks of
    per-disk perfdata would not fit the 8 KB output). A CVM no disk names is UNKNOWN: its
    disks vanished from the table, or the join failed."""
    items, metrics, usages = [], [], []
    instance = UNPLACED if cvm.joined == "none" else cvm.name
    for disk in disks:
        item, more, pct = judge_disk(disk, instance, options)
        items.append(item)
        if per_disk:
            metrics += more
        if pct is not None:
            usages.append(pct)
    if not disks:
        items.append(Item(State.UNKNOWN, "no disk in diskStatusTable names this CVM (id %s)"
                          % (" / ".join(clean(i) for i in cvm.ids) or "unknown"),
                          brief="no disks listed"))
    if not per_disk or not disks:
        metrics += group_metrics(instance, disks, usages, options)
    online = sum(1 for d in disks if d.state == "online")
    ok = "%d of %d disks online%s" % (online, len(disks), usage_span(usages))
    return CvmVerdict(cvm, items, metrics, ok)


def unplaced_items(groups, options):
    """(items, metrics) of the disks whose CVM id no table lists, checked all the same: they
    concern the cluster, not one of its CVMs."""
    items, disks, usages = [], [], []
    for cvm, group in groups:
        where = clean(cvm.name)
        for disk in group:
            item, _, pct = judge_disk(disk, UNPLACED, options)
            items.append(Item(item.state, "%s: %s" % (where, item.text),
                              brief=item.brief and "%s (%s)" % (item.brief, where)))
            disks.append(disk)
            if pct is not None:
                usages.append(pct)
    if not disks:
        return [], []
    return items, group_metrics(UNPLACED, disks, usages, options)


def evaluate(model, options):
    real = [(c, d) for c, d in model.groups if c.joined != "none"]
    nowhere = [(c, d) for c, d in model.groups if c.joined == "none"]
    if model.filtered and not real:  # the filter picked disks of an unknown CVM id
        real, nowhere = nowhere, []
    per_disk = len(real) == 1 and not nowhere
    verdicts = [judge(cvm, disks, options, per_disk) for cvm, disks in real]
    extra, metrics = unplaced_items(nowhere, options)
    info = []
    if nowhere:
        info.append("%d disk(s) name a CVM id that no CVM table lists (%s): checked, but not "
                    "placed on a node" % (sum(len(d) for _, d in nowhere), ", ".join(
                        clean(i) for c, _ in nowhere for i in c.ids) or "empty id"))
    if model.unplaced:
        info.append("%d disk(s) could not be placed on any CVM and are not checked here: run "
                    "without --filter-name to see them" % model.unplaced)
    by_cst = [c for c, _ in real if c.joined == "index"]
    if by_cst:
        info.append("disks placed through controllerStatusTable ids (the resource table "
                    "names these CVMs by other ids; rows joined by position, INFERRED): %s"
                    % ", ".join(clean(c.name) for c in by_cst))
    placed = [d for _, ds in real for d in ds]
    ok = "%d of %d disks online on %d CVMs" % (
        sum(1 for d in placed if d.state == "online"), len(placed), len(verdicts))
    if nowhere:
        count = sum(len(d) for _, d in nowhere)
        ok += " (and %d on %s no table lists)" % (count, "a CVM id" if len(nowhere) == 1
                                                  else "CVM ids")
    return cvm_result(model.cluster, verdicts, model.filtered, ok, model.hosts_note,
                      extra=extra, metrics=metrics, info=info,
                      notes=["source: NUTANIX-MIB diskStatusTable on %s" % model.agent])


SPEC = CheckSpec(
    name="snmp-disks",
    title="Disks per CVM over SNMP: offline disks, usage, latency, IOPS (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's diskStatusTable (.3) from the Nutanix agent on a CVM or the\n"
        "cluster VIP and places each disk on its CVM (controllerVMResourceTable .4, or\n"
        "controllerStatusTable .11 ids when an upgrade made the two tables disagree; quotes\n"
        "around ids are ignored). An offline disk is CRITICAL; usage (-w/-c), latency and IOPS\n"
        "per disk. A disk whose CVM id matches no table is still checked and reported; a CVM\n"
        "no disk names is UNKNOWN. --filter-name picks one CVM by name or id, or by its host's\n"
        "name."),
    scope="node",
    sources=("NUTANIX-MIB",),
    options=filter_options("CVM name, CVM id, or the name of the CVM's AHV host")
    + threshold_options("latency", "a disk's average IO latency", " in microseconds"),
    metrics=(
        MetricSpec("disks.online.count", "", "online disks of the CVM (when several CVMs are "
                   "checked; instance `unplaced`: the disks whose CVM id no table lists)",
                   per_instance="CVM", minimum=0),
        MetricSpec("disks.offline.count", "", "offline disks of the CVM; critical above 0 "
                   "(as above)", per_instance="CVM", minimum=0),
        MetricSpec("disk.usage.max.percentage", "%", "the fullest disk of the CVM; -w/-c apply "
                   "(as above)", per_instance="CVM", minimum=0, maximum=100),
        MetricSpec("disk.usage.percentage", "%", "used share of the disk's file system; -w/-c "
                   "apply (when one CVM is checked)", per_instance="CVM~DISK", minimum=0,
                   maximum=100),
        MetricSpec("disk.io.latency.microseconds", "us", "average IO latency of the disk "
                   "(when one CVM is checked)", per_instance="CVM~DISK", minimum=0),
        MetricSpec("disk.io.operations.persecond", "", "IOPS of the disk (when one CVM is "
                   "checked)", per_instance="CVM~DISK", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "a disk is offline (dstState offline)",
              "Prism > Hardware > Disks shows the slot: check the drive's health and "
              "replace it if it failed; the cluster re-protects its data meanwhile."),
        Alert("WARNING", "a disk's usage or latency outside -w/--warning-latency",
              "Uneven or high disk usage: check the storage pool's free space and Curator "
              "scans. High latency on one disk often announces its failure."),
        Alert("UNKNOWN", "a disk's state is not online or offline",
              "The line shows the raw value; check the disk in Prism."),
        Alert("UNKNOWN", "no disk in diskStatusTable names a CVM",
              "Its disks vanished from the agent's table, or their CVM id no longer joins "
              "(see the unplaced disks in the long output): compare with Prism > Hardware > "
              "Disks for that node."),
        SNMP_UNKNOWN_ALERT,
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="disk.usage.percentage",
    default_warning=None,
    default_critical=None,
    notes=(
        "No usage threshold by default: Nutanix fills disks evenly and alerts on the pool; set "
        "-w/-c to watch single disks.",
    ),
    protocol="snmp",
)
