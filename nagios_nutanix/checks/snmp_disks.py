"""`snmp-disks`: every disk of NUTANIX-MIB's diskStatusTable (.3), placed on its CVM: offline
disks, usage, latency, IOPS."""

from collections import namedtuple

from ..nodes import NodeVerdict, node_result
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State, worst
from .snmp_common import (
    SNMP_UNKNOWN_ALERT,
    Cvm,
    cluster_name,
    cvm_directory,
    filter_options,
    filtered,
    find_cvm,
    folded,
    latency_words,
    open_cvm_agent,
    select_cvms,
    thresholds,
)
from .spec import Alert, CheckSpec, MetricSpec, threshold_options

Disk = namedtuple("Disk", "id serial cvm_id total free latency_us iops state")
Model = namedtuple("Model", "cluster groups filtered unplaced agent")


def collect(context):
    from ..snmp import mib
    from ..snmp.session import number, text

    agent = open_cvm_agent(context)
    try:
        disks = agent.table(mib.DISK_STATUS, ("disk_id", "cvm_id", "serial", "total_bytes",
                                              "free_bytes", "latency_us", "iops", "state"))
        resources = agent.table(mib.CVM_RESOURCES, ("cvm_id", "name"), required=False)
        statuses = agent.table(mib.CONTROLLER_STATUS, ("cvm_id",), required=False)
        cluster = cluster_name(agent)
        cvms = cvm_directory(resources, statuses)
        groups = {}
        for index, row in disks.items():
            state = number(row["state"])
            disk = Disk(text(row["disk_id"]) or "#%s" % index, text(row["serial"]),
                        text(row["cvm_id"]), number(row["total_bytes"]),
                        number(row["free_bytes"]), number(row["latency_us"]),
                        number(row["iops"]), mib.DISK_STATES.get(state, state))
            cvm = find_cvm(cvms, disk.cvm_id)
            if cvm is None:  # placed nowhere: a group of its own, named by the raw id
                cvm = Cvm("CVM id %s (in no CVM table)" % (disk.cvm_id or "empty"),
                          [disk.cvm_id] if disk.cvm_id else [], joined="none")
                cvms.append(cvm)
            groups.setdefault(id(cvm), (cvm, []))[1].append(disk)
        candidates = [g[0] for g in groups.values()]
        chosen = select_cvms(agent, candidates, context.options,
                             "cluster %s (diskStatusTable)" % clean(cluster))
    finally:
        agent.close()
    kept = [groups[id(c)] for c in chosen]
    unplaced = sum(len(d) for c, d in groups.values() if c.joined == "none" and c not in chosen)
    return Model(cluster, kept, filtered(context.options), unplaced, agent.target.host)


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
        words.append("%.1f%% used" % pct)
        if state != State.OK:
            problems.append("disk %s %.1f%% used" % (clean(disk.id), pct))
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


def judge(cvm, disks, options, per_disk):
    """One CVM's verdict: a line per disk (one line when all are sound); perfdata per disk
    when this CVM is the only one checked, per CVM otherwise (16 nodes x 10 disks of
    per-disk perfdata would not fit the 8 KB output)."""
    items, metrics, usages = [], [], []
    for disk in disks:
        item, more, pct = judge_disk(disk, cvm.name, options)
        items.append(item)
        if per_disk:
            metrics += more
        if pct is not None:
            usages.append(pct)
    online = sum(1 for d in disks if d.state == "online")
    ok = "%d of %d disks online" % (online, len(disks))
    if usages:
        low, high = min(usages), max(usages)
        ok += ", %.0f%% used" % low if round(low) == round(high) else \
            ", %.0f-%.0f%% used" % (low, high)
    if cvm.host:
        ok += ", host %s" % clean(cvm.host)
    if not per_disk:
        usage = Thresholds(options.warning, options.critical)
        metrics += [
            Metric("disks.online.count", online, "", minimum=0, maximum=len(disks),
                   instance=cvm.name),
            Metric("disks.offline.count", sum(1 for d in disks if d.state == "offline"), "",
                   critical=Range.parse("0"), minimum=0, maximum=len(disks),
                   instance=cvm.name),
            Metric("disk.usage.max.percentage", round(max(usages), 2) if usages else None,
                   "%", usage.warning, usage.critical, 0, 100, instance=cvm.name),
        ]
    return NodeVerdict(clean(cvm.name), folded(items, ok), metrics, ok)


def evaluate(model, options):
    per_disk = len(model.groups) == 1
    verdicts = [judge(cvm, disks, options, per_disk) for cvm, disks in model.groups]
    total = sum(len(d) for _, d in model.groups)
    online = sum(1 for _, ds in model.groups for d in ds if d.state == "online")
    info = []
    nowhere = [(c, d) for c, d in model.groups if c.joined == "none"]
    if nowhere:
        info.append("%d disk(s) name a CVM id that no CVM table lists (%s): checked, but not "
                    "placed on a node" % (sum(len(d) for _, d in nowhere), ", ".join(
                        clean(i) for c, _ in nowhere for i in c.ids) or "empty id"))
    if model.unplaced:
        info.append("%d disk(s) could not be placed on any CVM and are not checked here: run "
                    "without --filter-name to see them" % model.unplaced)
    by_cst = [c for c, _ in model.groups if c.joined == "index"]
    if by_cst:
        info.append("disks placed through controllerStatusTable ids (the resource table "
                    "names these CVMs by other ids; rows joined by position, INFERRED): %s"
                    % ", ".join(clean(c.name) for c in by_cst))
    ok = "%d of %d disks online on %d CVMs" % (online, total, len(verdicts))
    return node_result(clean(model.cluster), verdicts, model.filtered, ok, info=info,
                       notes=["source: NUTANIX-MIB diskStatusTable on %s" % model.agent],
                       noun="CVMs")


SPEC = CheckSpec(
    name="snmp-disks",
    title="Disks per CVM over SNMP: offline disks, usage, latency, IOPS (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's diskStatusTable (.3) from the Nutanix agent on a CVM or the\n"
        "cluster VIP and places each disk on its CVM (controllerVMResourceTable .4, or\n"
        "controllerStatusTable .11 ids when an upgrade made the two tables disagree; quotes\n"
        "around ids are ignored). An offline disk is CRITICAL; usage (-w/-c), latency and IOPS\n"
        "per disk. A disk whose CVM id matches no table is still checked and reported.\n"
        "--filter-name picks one CVM by name or id, or by its host's name."),
    scope="node",
    sources=("NUTANIX-MIB",),
    options=filter_options("CVM name, CVM id, or the name of the CVM's AHV host")
    + threshold_options("latency", "a disk's average IO latency", " in microseconds"),
    metrics=(
        MetricSpec("disks.online.count", "", "online disks of the CVM (when several CVMs are "
                   "checked)", per_instance="CVM", minimum=0),
        MetricSpec("disks.offline.count", "", "offline disks of the CVM; critical above 0 "
                   "(when several CVMs are checked)", per_instance="CVM", minimum=0),
        MetricSpec("disk.usage.max.percentage", "%", "the fullest disk of the CVM; -w/-c apply "
                   "(when several CVMs are checked)", per_instance="CVM", minimum=0,
                   maximum=100),
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
