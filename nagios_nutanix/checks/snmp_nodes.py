"""`snmp-nodes`: each node's hypervisor as NUTANIX-MIB's hypervisorInformationTable (.9)
reports it: CPU, memory, VMs, IO latency, packet drops."""

from collections import namedtuple

from ..nodes import NodeVerdict, filtered, node_result, select
from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
from .snmp_common import (
    SNMP_UNKNOWN_ALERT,
    cluster_name,
    filter_options,
    folded,
    latency_words,
    read_cvm_agent,
    thresholds,
)
from .spec import Alert, CheckSpec, MetricSpec, threshold_options

Hypervisor = namedtuple("Hypervisor", "name id vm_count cpu_count cpu_percent memory_bytes "
                                      "memory_percent read_iops write_iops latency_us rx_drops "
                                      "tx_drops")
Model = namedtuple("Model", "cluster hypervisors filtered agent")


def collect(context):
    from ..snmp import mib
    from ..snmp.session import number, text

    rows, cluster, address = read_cvm_agent(
        context, lambda agent: (agent.table(mib.HYPERVISORS), cluster_name(agent),
                                agent.target.host))
    hypervisors = [Hypervisor(
        text(r["name"]) or "hypervisor #%s" % index, text(r["id"]), number(r["vm_count"]),
        number(r["cpu_count"]), number(r["cpu_percent"]), number(r["memory_bytes"]),
        number(r["memory_percent"]), number(r["read_iops"]), number(r["write_iops"]),
        number(r["latency_us"]), number(r["rx_drops"]), number(r["tx_drops"]))
        for index, r in rows.items()]
    chosen = select(hypervisors, context.options, lambda h: [h.name, h.id],
                    "cluster %s (hypervisorInformationTable)" % clean(cluster))
    return Model(cluster, chosen, filtered(context.options), address)


def _judge(value, judge, what, unit, items, words=None):
    if value is None:
        items.append(Item(State.UNKNOWN, "%s not served" % what, brief="%s unknown" % what))
        return
    shown = words(value) if words else "%s%s" % (value, unit)
    items.append(Item(judge.evaluate(value), "%s %s" % (what, shown),
                      brief="%s %s" % (what, shown)))


def judge(h, options):
    cpu = Thresholds(options.warning, options.critical)
    memory = thresholds(options, "memory")
    vms = thresholds(options, "vms")
    latency = thresholds(options, "latency")
    items = []
    _judge(h.cpu_percent, cpu, "CPU", "%", items)
    _judge(h.memory_percent, memory, "memory", "%", items)
    _judge(h.vm_count, vms, "VMs", "", items)
    _judge(h.latency_us, latency, "IO latency", "", items, latency_words)
    if h.rx_drops is not None or h.tx_drops is not None:
        items.append(Item(State.OK, "packets dropped since boot: %s received, %s sent" % (
            "?" if h.rx_drops is None else h.rx_drops,
            "?" if h.tx_drops is None else h.tx_drops)))
    name = h.name
    metrics = [
        Metric("cpu.utilization.percentage", h.cpu_percent, "%", cpu.warning, cpu.critical, 0,
               100, instance=name),
        Metric("memory.utilization.percentage", h.memory_percent, "%", memory.warning,
               memory.critical, 0, 100, instance=name),
        Metric("vms.count", h.vm_count, "", vms.warning, vms.critical, 0, instance=name),
        Metric("io.latency.microseconds", h.latency_us, "us", latency.warning,
               latency.critical, 0, instance=name),
        Metric("io.read.operations.persecond", h.read_iops, "", minimum=0, instance=name),
        Metric("io.write.operations.persecond", h.write_iops, "", minimum=0, instance=name),
        Metric("network.receive.drops.count", h.rx_drops, "c", minimum=0, instance=name),
        Metric("network.transmit.drops.count", h.tx_drops, "c", minimum=0, instance=name),
    ]
    ok = []
    if h.cpu_percent is not None:
        ok.append("CPU %d%%" % h.cpu_percent)
    if h.memory_percent is not None:
        ok.append("memory %d%%" % h.memory_percent)
    if h.vm_count is not None:
        ok.append("%d VMs" % h.vm_count)
    if h.latency_us is not None:
        ok.append("IO latency %s" % latency_words(h.latency_us))
    ok_text = ", ".join(ok) or None
    return NodeVerdict(clean(name), folded(items, ok_text), metrics, ok_text)


def evaluate(model, options):
    verdicts = [judge(h, options) for h in model.hypervisors]
    cpus = [h.cpu_percent for h in model.hypervisors if h.cpu_percent is not None]
    mems = [h.memory_percent for h in model.hypervisors if h.memory_percent is not None]
    vms = sum(h.vm_count or 0 for h in model.hypervisors)
    ok = ["%d nodes" % len(verdicts)]
    if cpus:
        ok.append("CPU %s%%" % _span(cpus))
    if mems:
        ok.append("memory %s%%" % _span(mems))
    ok.append("%d VMs" % vms)
    return node_result(clean(model.cluster), verdicts, model.filtered, ", ".join(ok),
                       notes=["source: NUTANIX-MIB hypervisorInformationTable on %s"
                              % model.agent])


def _span(values):
    low, high = min(values), max(values)
    return "%d" % low if low == high else "%d-%d" % (low, high)


SPEC = CheckSpec(
    name="snmp-nodes",
    title="Each node's hypervisor over SNMP: CPU, memory, VMs, IO latency, drops (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's hypervisorInformationTable (.9) from the Nutanix agent on a CVM or\n"
        "the cluster VIP: per node CPU % (-w/-c), memory %, VM count, average IO latency, read\n"
        "and write IOPS, and received/transmitted packet drops. --filter-name picks one node\n"
        "by its hypervisor name (or id)."),
    scope="node",
    sources=("NUTANIX-MIB",),
    options=filter_options("hypervisor name (the node's host name) or hypervisor id")
    + threshold_options("memory", "memory usage", " in percent", "85", "95")
    + threshold_options("vms", "the number of VMs on a node", "")
    + threshold_options("latency", "a node's average IO latency", " in microseconds"),
    metrics=(
        MetricSpec("cpu.utilization.percentage", "%", "hypervisor CPU usage; -w/-c apply",
                   per_instance="node", minimum=0, maximum=100),
        MetricSpec("memory.utilization.percentage", "%", "hypervisor memory usage",
                   per_instance="node", minimum=0, maximum=100),
        MetricSpec("vms.count", "", "VMs configured on the hypervisor (hypervisorVmCount)",
                   per_instance="node", minimum=0),
        MetricSpec("io.latency.microseconds", "us", "average IO latency of the node",
                   per_instance="node", minimum=0),
        MetricSpec("io.read.operations.persecond", "", "read IOPS", per_instance="node",
                   minimum=0),
        MetricSpec("io.write.operations.persecond", "", "write IOPS", per_instance="node",
                   minimum=0),
        MetricSpec("network.receive.drops.count", "c", "packets dropped on receive since the "
                   "counter started (a counter: graph its rate)", per_instance="node",
                   minimum=0),
        MetricSpec("network.transmit.drops.count", "c", "packets dropped on transmit since "
                   "the counter started", per_instance="node", minimum=0),
    ),
    alerts=(
        Alert("WARNING", "a node's CPU at or above -w (default 80 %; CRITICAL from -c, 90 %)",
              "Find the busy VMs on that host in Prism > VMs sorted by CPU; migrate some away "
              "or add capacity."),
        Alert("WARNING", "a node's memory at or above --warning-memory (default 85 %; CRITICAL "
              "from --critical-memory, 95 %)",
              "The host may not be able to take VMs from a failed host: check HA reservation "
              "and move VMs."),
        Alert("WARNING", "VM count or IO latency outside --warning-vms/--warning-latency",
              "Look at Prism > Analysis for the node."),
        SNMP_UNKNOWN_ALERT,
        Alert("UNKNOWN", "--filter-name matches no hypervisor",
              "The line lists the hypervisor names the agent knows: fix the monitoring host's "
              "FILTERNAME."),
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="cpu.utilization.percentage",
    default_warning="80",
    default_critical="90",
    notes=(
        "Packet drops are counters since the agent started: they get no thresholds here (a "
        "rate needs the previous sample); graph them as rates.",
    ),
    protocol="snmp",
)
