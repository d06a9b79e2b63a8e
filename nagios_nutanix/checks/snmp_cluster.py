"""`snmp-cluster`: the cluster as NUTANIX-MIB's scalars (.501-.508) describe it."""

import re
from collections import namedtuple

from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State
from .snmp_common import (
    SNMP_UNKNOWN_ALERT,
    Usage,
    latency_words,
    read_cvm_agent,
    thresholds,
    used_words,
)
from .spec import Alert, CheckSpec, MetricSpec, threshold_options
from .storage import percent, space_metrics

ClusterScalars = namedtuple("ClusterScalars", "name version status total_bytes used_bytes iops "
                                              "latency bandwidth_kBps agent")


def collect(context):
    from ..snmp import mib
    from ..snmp.session import number, text

    def read(agent):
        values = agent.get(mib.CLUSTER_SCALARS, "the cluster scalars (NUTANIX-MIB .501-.508)")
        return ClusterScalars(
            text(values["name"]), text(values["version"]), text(values["status"]),
            number(values["total_bytes"]), number(values["used_bytes"]),
            number(values["iops"]), number(values["latency"]),
            number(values["bandwidth_kBps"]), agent.target.host)

    return read_cvm_agent(context, read)


def aos_version(version):
    """`6.8.1` from a nutanix-core version like `el8.5-release-fraser-6.8.1-stable-<sha>`;
    the string itself when it has no such part."""
    if not version:
        return None
    found = re.search(r"-(\d+(?:\.\d+)+)(?:-|$)", version)
    return found.group(1) if found else version


def evaluate(model, options):
    items, metrics = [], []
    status = model.status
    if status is None:
        items.append(Item(State.UNKNOWN, "cluster status (clusterStatus) not served"))
    elif status.strip().lower() == "started":
        items.append(Item(State.OK, "cluster status started"))
    else:
        items.append(Item(State.CRITICAL, "cluster status %s (not started)" % clean(status),
                          brief="cluster %s" % clean(status)))

    usage = Thresholds(options.warning, options.critical)
    space = Usage(model.name, capacity=model.total_bytes, used=model.used_bytes)
    pct = space.percent
    if pct is not None:
        items.append(Item(usage.evaluate(pct), "storage %s" % used_words(space),
                          brief="storage %s used" % percent(pct)))
    else:
        items.append(Item(State.UNKNOWN, "storage capacity or usage not served "
                                         "(clusterTotalStorageCapacity/UsedStorageCapacity)"))
    metrics += space_metrics("cluster", space, usage)

    latency = thresholds(options, "latency")
    if model.latency is None:
        items.append(Item(State.UNKNOWN, "cluster latency (clusterLatency) not served"))
    else:
        items.append(Item(latency.evaluate(model.latency), "average IO latency %s" %
                          latency_words(model.latency),
                          brief="IO latency %s" % latency_words(model.latency)))
    metrics.append(Metric("io.latency.microseconds", model.latency, "us", latency.warning,
                          latency.critical, 0))
    iops = thresholds(options, "iops")
    if model.iops is not None:
        items.append(Item(iops.evaluate(model.iops), "%d IOPS" % model.iops))
    metrics.append(Metric("io.operations.persecond", model.iops, "", iops.warning,
                          iops.critical, 0))
    if model.bandwidth_kBps is not None:
        items.append(Item(State.OK, "IO bandwidth %d KBps" % model.bandwidth_kBps))
    metrics.append(Metric("io.bandwidth.kilobytes.persecond", model.bandwidth_kBps, "",
                          minimum=0))

    version = aos_version(model.version)
    if version:
        items.append(Item(State.OK, "version %s" % clean(model.version)))
    ok = ["started"]
    if pct is not None:
        ok.append("storage %s" % used_words(space))
    if model.iops is not None:
        ok.append("%d IOPS" % model.iops)
    if model.latency is not None:
        ok.append("latency %s" % latency_words(model.latency))
    if version:
        ok.append("AOS %s" % clean(version))
    return Result(clean(model.name) or model.agent, items, metrics, ok_summary=", ".join(ok),
                  notes=["source: NUTANIX-MIB scalars on %s" % model.agent])


SPEC = CheckSpec(
    name="snmp-cluster",
    title="Cluster status, storage usage, IOPS and latency over SNMP (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's cluster scalars (.501-.508) from the Nutanix agent on a CVM or\n"
        "the cluster VIP: cluster status (not started is CRITICAL), storage usage against\n"
        "-w/-c, IOPS, average latency, IO bandwidth and the AOS version."),
    scope="cluster",
    sources=("NUTANIX-MIB",),
    options=threshold_options("latency", "the cluster's average IO latency", " in "
                              "microseconds (clusterLatency; the MIB gives no unit, "
                              "microseconds is INFERRED)")
    + threshold_options("iops", "cluster IOPS", ""),
    metrics=(
        MetricSpec("cluster.space.usage.bytes", "B", "used storage "
                   "(clusterUsedStorageCapacity); max is the total capacity", minimum=0),
        MetricSpec("cluster.space.capacity.bytes", "B", "total storage capacity "
                   "(clusterTotalStorageCapacity)", minimum=0),
        MetricSpec("cluster.space.usage.percentage", "%", "used / total storage capacity; -w/-c "
                   "apply", minimum=0, maximum=100),
        MetricSpec("io.latency.microseconds", "us", "cluster-wide average IO latency "
                   "(clusterLatency)", minimum=0),
        MetricSpec("io.operations.persecond", "", "cluster-wide IOPS (clusterIops)",
                   minimum=0),
        MetricSpec("io.bandwidth.kilobytes.persecond", "", "cluster-wide IO bandwidth in KBps "
                   "(clusterIOBandwidth)", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "clusterStatus is not started",
              "The cluster is stopped or starting: run `cluster status` on a CVM and check "
              "Prism's recent tasks and alerts; if nobody stopped it, open a support case."),
        Alert("WARNING", "storage usage at or above -w (default 80 %)",
              "Free space before the cluster runs out of room to rebuild after a node loss: "
              "delete old snapshots and unused VMs, or add capacity. CRITICAL from -c "
              "(default 90 %)."),
        Alert("WARNING", "latency or IOPS outside --warning-latency/--warning-iops",
              "Look at Prism > Analysis for the VMs and disks driving the IO."),
        SNMP_UNKNOWN_ALERT,
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="cluster.space.usage.percentage",
    default_warning="80",
    default_critical="90",
    notes=(
        "The agent answers on every CVM and the cluster VIP. Prism configures SNMPv3 users for "
        "polling, hence the default --snmp-version 3; whether an agent answers v2c is not "
        "documented (INFERRED unsupported).",
    ),
    protocol="snmp",
)
