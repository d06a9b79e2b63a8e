"""`snmp-containers`: storage containers from NUTANIX-MIB's containerInformationTable (.8)."""

from .snmp_common import (
    collect_usage,
    evaluate_usage,
    filter_options,
    usage_alerts,
    usage_metrics,
)
from .spec import CheckSpec, threshold_options


def collect(context):
    from ..snmp import mib

    return collect_usage(context, mib.CONTAINERS, "container")


def evaluate(model, options):
    return evaluate_usage(model, options, "container", "containers", "container")


SPEC = CheckSpec(
    name="snmp-containers",
    title="Storage containers over SNMP: usage, IOPS, latency (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's containerInformationTable (.8) from the Nutanix agent on a CVM or\n"
        "the cluster VIP: per container used % of its capacity (-w/-c, defaults 80/90), used\n"
        "bytes, IOPS and average latency. --filter-name picks one container."),
    scope="cluster",
    sources=("NUTANIX-MIB",),
    options=filter_options("container name or id", "FILTERCONTAINER")
    + threshold_options("latency", "a container's average IO latency", " in microseconds"),
    metrics=usage_metrics("container", "container"),
    alerts=usage_alerts("container", "containers"),
    collect=collect,
    evaluate=evaluate,
    main_metric="container.space.usage.percentage",
    default_warning="80",
    default_critical="90",
    notes=(
        "citTotalCapacity is the container's capacity as the agent reports it: without an "
        "advertised capacity that is the whole storage pool (raw bytes, before the "
        "replication factor; INFERRED from the Prism v2 usage fields).",
    ),
    protocol="snmp",
)
