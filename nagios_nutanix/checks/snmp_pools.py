"""`snmp-pools`: storage pools from NUTANIX-MIB's storagePoolInformationTable (.7)."""

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

    return collect_usage(context, mib.STORAGE_POOLS, "storage pool")


def evaluate(model, options):
    return evaluate_usage(model, options, "storage pool", "storage pools", "storagepool")


SPEC = CheckSpec(
    name="snmp-pools",
    title="Storage pools over SNMP: usage, IOPS, latency (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's storagePoolInformationTable (.7) from the Nutanix agent on a CVM\n"
        "or the cluster VIP: per storage pool used % (-w/-c, defaults 80/90), used bytes, IOPS\n"
        "and average latency. --filter-name picks one pool."),
    scope="cluster",
    sources=("NUTANIX-MIB",),
    options=filter_options("storage pool name or id", "FILTERPOOL")
    + threshold_options("latency", "a pool's average IO latency", " in microseconds"),
    metrics=usage_metrics("pool", "storagepool"),
    alerts=usage_alerts("storage pool", "storage pools"),
    collect=collect,
    evaluate=evaluate,
    main_metric="storagepool.space.usage.percentage",
    default_warning="80",
    default_critical="90",
    protocol="snmp",
)
