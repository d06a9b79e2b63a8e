"""`ahv`: can this node's AHV host run VMs, and how loaded is it?"""

from ..nodes import FILTER_OPTIONS, NodeVerdict, filtered, node_result, select_nodes
from ..plugin.errors import UsageError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
from ..plugin.words import plural
from .node_words import alert_state, alert_text, alert_title, alerts_unreadable, not_available
from .spec import Alert, CheckSpec, MetricSpec, Option, threshold_options

# Unresolved alerts about the host and its networking (NUTANIX-MIB trap names, matched on the
# alert title). Host-resident services (libvirtd, Open vSwitch, the host agent) have no status
# in any Prism API; these alerts and the Acropolis connection are the API's signals for them.
# NodeInMaintenanceMode is left out on purpose: maintenance is judged from the host's own flag
# (see --maintenance-state), not paged twice.
HOST_ALERT_FAMILIES = (
    "OVSServiceRestart", "HostIPNotReachable", "NodeFailure", "NodeMaintenanceModeFailure",
    "HAHostEvacuationFailure", "NetworkIsNotProperlyConfiguredOnTheHost",
    "HostNetworkUplinkConfigurationFailed", "InconsistentBridgevSwitchConfiguration",
    "BridgevSwitchConfigurationDoesNotMatchNSProtoInZookeeper", "OpenflowTableGettingFull",
    "CVMHostSubnetMismatch", "ZeusConfigMismatch", "CVMPasswordlessSSHToHost",
    "DetectedIncompatibleAHVVersion", "NICRXCRCErrorRateHigh", "NICRXMissedErrorRateHigh",
    "HypervisorDiskSpaceUsageHigh", "HypervisorDiskUsageIsAboveTheRecommendedThreshold",
    "TheHypervisorIsNotSynchronizingTimeWithAnyExternalServers",
    "HypervisorTimeNotSynchronisedWithAnyExternalServers",
    "FailedToConfigureHostForAtlasNetworking", "FailedToReserveHostMemoryForAtlasNetworking",
)

MAINTENANCE_STATES = ("ENTERING_MAINTENANCE_MODE", "ENTERED_MAINTENANCE_MODE",
                      "ENTERING_MAINTENANCE_MODE_FROM_HA_FAILOVER")
# Hypervisor states that are configuration, not trouble (HA reservation).
QUIET_STATES = ("ACROPOLIS_NORMAL", "NORMAL", "RESERVED_FOR_HA_FAILOVER",
                "RESERVING_FOR_HA_FAILOVER")

# What a source cannot give at all: said once in the output, never judged.
LACKS_UTILIZATION = "CPU and memory utilization (Prism Central v4 serves them only as " \
                    "per-host time series)"
LACKS_HOST_FLAGS = "host state, maintenance, degraded, reboot-pending and Acropolis " \
                   "connection (Prism Central v3 has none; pc.2024.3 or later serves v4)"
MAINTENANCE_CHOICES = ("OK", "WARNING")


class AhvModel:
    """The inventory, VM placements, host alerts, and what could not be read or is absent."""

    __slots__ = ("inventory", "vms", "vms_reason", "alerts", "alerts_reason", "now", "lacks")

    def __init__(self, inventory, vms=None, vms_reason=None, alerts=None, alerts_reason=None,
                 now=0.0, lacks=()):
        self.inventory = inventory
        self.vms = vms
        self.vms_reason = vms_reason
        self.alerts = alerts
        self.alerts_reason = alerts_reason
        self.now = now
        self.lacks = list(lacks)


def maintenance_state(options):
    """--maintenance-state as a State, in any case ("warning" too); bad values are refused."""
    value = str(getattr(options, "maintenance_state", None) or "OK").strip().upper()
    if value not in MAINTENANCE_CHOICES:
        raise UsageError("bad command line: argument --maintenance-state: invalid choice: %r "
                         "(choose from %s, in any case) (see --help)"
                         % (clean(options.maintenance_state), ", ".join(MAINTENANCE_CHOICES)))
    return State[value]


def collect(context):
    import time

    from ..prism import alerts, inventory, vms
    from ..prism.errors import PrismHTTPError

    maintenance_state(context.options)  # a bad value fails before any request
    found = inventory.collect(context)
    client = context.prism()
    lacks = []
    if found.kind == "pc":
        lacks.append(LACKS_UTILIZATION)
        if "v3" in found.source:
            lacks.append(LACKS_HOST_FLAGS)
    placed, vms_reason = None, None
    try:
        placed = vms.placements(client, found.kind, found.cluster.uuid)
    except PrismHTTPError as exc:  # e.g. no v4 vmm on this Prism Central, or no permission
        vms_reason = "the VM list could not be read: %s" % exc
    read, reason = alerts.read_unresolved(client, found.kind, found.cluster.uuid)
    return AhvModel(found, placed, vms_reason, read, reason, time.time(), lacks)


# -- judgement ---------------------------------------------------------------------------------
def _ratio_text(value):
    return "%.2f" % value


def _maintenance_words(node):
    """'in maintenance mode', 'entering maintenance mode', or None."""
    hypervisor = node.hypervisor_state or ""
    if not node.maintenance and hypervisor not in MAINTENANCE_STATES:
        return None
    return "entering maintenance mode" if hypervisor.startswith("ENTERING") else \
        "in maintenance mode"


def _flag_items(node, options, lacks_flags):
    """Items for host state, maintenance, degraded, reboot pending, Acropolis connection."""
    if lacks_flags:
        return [], False
    items = []
    softened = maintenance_state(options)
    hypervisor = node.hypervisor_state
    words = _maintenance_words(node)
    in_maintenance = words is not None

    if node.state is None:
        items.append(Item(State.UNKNOWN, "host state not reported by Prism"))
    elif node.state != "NORMAL":
        items.append(Item(State.WARNING, "host state %s (not NORMAL)" % clean(node.state),
                          brief="host state %s" % clean(node.state)))
    else:
        items.append(Item(State.OK, "host state NORMAL%s" % (
            " (hypervisor %s)" % clean(hypervisor) if hypervisor and not in_maintenance
            else "")))
    if hypervisor and hypervisor not in QUIET_STATES and hypervisor not in MAINTENANCE_STATES:
        items.append(Item(State.WARNING, "hypervisor state %s" % clean(hypervisor)))

    if in_maintenance:
        items.append(Item(softened, "%s%s" % (words, " (hypervisor %s)" % clean(
            hypervisor) if hypervisor else ""), brief=words))
    elif node.maintenance is None:
        items.append(Item(State.UNKNOWN, "maintenance mode not reported by Prism"))
    else:
        items.append(Item(State.OK, "not in maintenance mode"))

    if node.degraded is None:
        items.append(Item(State.UNKNOWN, "degraded flag not reported by Prism"))
    elif node.degraded:
        items.append(Item(State.CRITICAL, "node degraded: Prism found it unhealthy and keeps "
                          "work off it", brief="node degraded"))
    else:
        items.append(Item(State.OK, "not degraded"))

    if node.reboot_pending:
        if in_maintenance:
            items.append(Item(softened, "reboot pending (in maintenance mode)",
                              brief="reboot pending"))
        else:
            items.append(Item(State.WARNING, "reboot pending", brief="reboot pending"))
    elif node.reboot_pending is None:
        items.append(Item(State.UNKNOWN, "reboot-pending flag not reported by Prism"))

    if node.connected is False:
        text = "AHV host disconnected from Acropolis: it cannot run VM operations (power, " \
               "migrate, HA restart)"
        if in_maintenance:
            items.append(Item(softened, text + " (in maintenance mode)",
                              brief="disconnected from Acropolis"))
        else:
            items.append(Item(State.CRITICAL, text, brief="disconnected from Acropolis"))
    elif node.connected is None:
        items.append(Item(State.UNKNOWN, "Acropolis connection state not reported by Prism"))
    else:
        items.append(Item(State.OK, "connected to Acropolis"))
    return items, in_maintenance


def _percent_item(what, value, thresholds, instance, metric):
    if value is None:
        return Item(State.UNKNOWN, "%s utilization not reported by Prism" % what), None
    state = thresholds.evaluate(value)
    text = "%s %.1f%%" % (what, value)
    return Item(state, text), Metric(metric, round(value, 2), "%", thresholds.warning,
                                     thresholds.critical, 0, 100, instance)


def guest_vcpus(node, vms):
    """(vCPUs, powered-on guest VMs, VMs of unknown size) on a node's host; CVMs not counted."""
    name = node.name.lower()
    vcpus = count = unsized = 0
    for vm in vms:
        if vm.controller or not vm.powered_on:
            continue
        if not ((vm.host_uuid and vm.host_uuid == node.uuid)
                or (vm.host_name and str(vm.host_name).lower() == name)):
            continue
        count += 1
        if vm.vcpus is None:
            unsized += 1
        else:
            vcpus += vm.vcpus
    return vcpus, count, unsized


def _ratio_item(node, model, thresholds):
    if model.vms is None:
        return None, None  # said once for the cluster
    vcpus, count, unsized = guest_vcpus(node, model.vms)
    if not node.cpu_threads:
        return Item(State.UNKNOWN, "vCPU:pCPU unknown: Prism did not report the host's CPU "
                    "threads"), None
    if unsized:
        return Item(State.UNKNOWN, "vCPU:pCPU unknown: %d of %d powered-on VMs on the host "
                    "have no vCPU count" % (unsized, count)), None
    ratio = vcpus / float(node.cpu_threads)
    state = thresholds.evaluate(round(ratio, 2))
    cvm = " (the CVM's %d vCPUs not counted)" % node.cvm_vcpus if node.cvm_vcpus else ""
    text = "vCPU:pCPU %s: %d vCPUs of %d powered-on guest VMs on %d CPU threads%s" % (
        _ratio_text(ratio), vcpus, count, node.cpu_threads, cvm)
    return (Item(state, text, brief="vCPU:pCPU %s" % _ratio_text(ratio)),
            Metric("vcpu.pcpu.ratio", round(ratio, 2), "", thresholds.warning,
                   thresholds.critical, 0, None, node.name))


def _alert_items(node, model):
    from ..prism.alerts import for_node

    items = []
    mine = [a for a in for_node(model.alerts, node) if a.in_family(HOST_ALERT_FAMILIES)]
    for alert in sorted(mine, key=lambda a: -(a.created or 0)):
        items.append(Item(alert_state(alert), alert_text(alert, model.now),
                          brief="alert: %s" % alert_title(alert),
                          source="unresolved Prism alert"))
    if not mine:
        items.append(Item(State.OK, "no unresolved host or OVS alert"))
    return items


def _grouped(items):
    """The OK items of a group as one line; the others each on their own."""
    ok = [i for i in items if i.state == State.OK]
    rest = [i for i in items if i.state != State.OK]
    return rest + ([Item(State.OK, ", ".join(i.text for i in ok))] if ok else [])


def node_verdict(node, model, options):
    lacks_flags = LACKS_HOST_FLAGS in model.lacks
    flags, in_maintenance = _flag_items(node, options, lacks_flags)
    load, metrics, ok_words = [], [], []
    if in_maintenance:
        ok_words.append(_maintenance_words(node))
        if node.reboot_pending:
            ok_words.append("reboot pending")
    if node.state and not lacks_flags:
        ok_words.append("host %s" % clean(node.state))
    if node.connected and not lacks_flags:
        ok_words.append("connected to Acropolis")
    elif node.connected is False and in_maintenance:
        ok_words.append("disconnected from Acropolis")
    if LACKS_UTILIZATION not in model.lacks:
        for what, value, warn, crit, metric in (
                ("CPU", node.cpu_percent, options.warning_cpu, options.critical_cpu,
                 "cpu.utilization.percentage"),
                ("memory", node.memory_percent, options.warning_memory,
                 options.critical_memory, "memory.utilization.percentage")):
            item, perf = _percent_item(what, value, Thresholds(warn, crit), node.name, metric)
            load.append(item)
            if perf:
                metrics.append(perf)
                ok_words.append(item.text)
    if model.vms is not None:
        # Powered-on guest VMs from the VM list, on Prism Element and Prism Central alike (the
        # host record's own count is not served by v4 and may include the CVM).
        vm_count = guest_vcpus(node, model.vms)[1]
        load.append(Item(State.OK, plural(vm_count, "powered-on guest VM")))
        metrics.append(Metric("vms.count", vm_count, "", minimum=0, instance=node.name))
        ok_words.append(plural(vm_count, "VM"))
    ratio, perf = _ratio_item(node, model, Thresholds(options.warning_vcpu_ratio,
                                                      options.critical_vcpu_ratio))
    if perf:
        metrics.append(perf)
        ok_words.append(ratio.brief)
    compact = list(ok_words)
    if model.alerts is not None:
        alert_items = _alert_items(node, model)
        flags.extend(alert_items)
        compact.extend(i.text for i in alert_items)
    items = _grouped(flags) + _grouped(load) + ([ratio] if ratio else [])
    verdict = NodeVerdict(node.name, items, metrics, ok_brief=", ".join(ok_words) or None)
    return verdict, ", ".join(compact)


def _cluster_ratio(nodes, vms):
    threads = sum(n.cpu_threads or 0 for n in nodes)
    if not threads or any(not n.cpu_threads for n in nodes):
        return None
    vcpus = sum(guest_vcpus(n, vms)[0] for n in nodes)
    return Item(State.OK, "cluster-wide vCPU:pCPU %s: %d vCPUs of powered-on guest VMs on %d "
                "CPU threads of %d hosts" % (_ratio_text(vcpus / float(threads)), vcpus,
                                             threads, len(nodes)),
                brief=""), vcpus / float(threads)


def evaluate(model, options):
    inventory = model.inventory
    maintenance_state(options)
    nodes = select_nodes(inventory, options)
    one_or_some = filtered(options)
    verdicts = []
    for node in nodes:
        verdict, compact = node_verdict(node, model, options)
        if not one_or_some and verdict.state == State.OK and compact:
            # Every node of a large cluster must fit the 8 KB output: one line per sound node.
            verdict.items = [Item(State.OK, compact)]
        verdicts.append(verdict)
    extra, info = [], []
    if model.vms_reason:
        extra.append(Item(State.UNKNOWN, "VM count and vCPU:pCPU not judged: %s"
                          % clean(model.vms_reason),
                          brief="VM count and vCPU:pCPU unknown (VM list unreadable)"))
    if model.alerts_reason:
        extra.append(Item(State.UNKNOWN, "host and OVS alerts not judged: %s"
                          % clean(model.alerts_reason),
                          brief="%s: host and OVS alerts not checked"
                          % alerts_unreadable(model.alerts_reason)))
    ok = [plural(len(nodes), "AHV host")]
    # Only what holds for every node: a disconnection softened by maintenance is named.
    away = [clean(n.name) for n in nodes if n.connected is False]
    if LACKS_HOST_FLAGS not in model.lacks:
        ok[0] += " NORMAL" + ("" if away else " and connected to Acropolis")
    for words in ("entering maintenance mode", "in maintenance mode"):
        resting = [clean(n.name) for n in nodes if _maintenance_words(n) == words]
        if resting:
            ok.append("%s %s" % (", ".join(resting), words))
    if away and LACKS_HOST_FLAGS not in model.lacks:
        ok.append("%s disconnected from Acropolis" % ", ".join(away))
    if LACKS_UTILIZATION not in model.lacks:
        cpu = [n.cpu_percent for n in nodes if n.cpu_percent is not None]
        memory = [n.memory_percent for n in nodes if n.memory_percent is not None]
        if cpu:
            ok.append("CPU up to %.1f%%" % max(cpu))
        if memory:
            ok.append("memory up to %.1f%%" % max(memory))
    if model.vms is not None and not one_or_some:
        found = _cluster_ratio(inventory.nodes, model.vms)
        if found:
            extra.append(found[0])
            ok.append("vCPU:pCPU %s cluster-wide" % _ratio_text(found[1]))
    if model.lacks:
        info.append(not_available(inventory.source, model.lacks))
    return node_result(clean(inventory.cluster.name), verdicts, one_or_some, ", ".join(ok),
                       extra=extra, info=info, notes=["source: %s" % inventory.source])


SPEC = CheckSpec(
    name="ahv",
    title="AHV host of a node: state, maintenance, Acropolis connection, load, vCPU density",
    description=(
        "Judges each node's AHV host: host state, maintenance mode, degraded and reboot-pending\n"
        "flags, the Acropolis agent connection (disconnected: the host cannot run VM\n"
        "operations), unresolved host and Open vSwitch alerts, hypervisor CPU and memory\n"
        "utilization, VM count, and vCPU:pCPU (vCPUs of the powered-on guest VMs on the host\n"
        "divided by its CPU threads; the CVM's own vCPUs are not counted). One node with\n"
        "--filter-name, every node without (the cluster-wide vCPU:pCPU then goes to the long\n"
        "output). Works against a Prism Element VIP, or Prism Central with --cluster NAME."),
    scope="node",
    sources=("prism-element", "prism-central"),
    options=FILTER_OPTIONS + (
        Option(("--maintenance-state",), "state of a host in maintenance mode, and of its "
               "reboot-pending flag and Acropolis disconnection while in maintenance: OK or "
               "WARNING, in any case (default %(default)s: planned work pages nobody)",
               default="OK", metavar="STATE", macro="MAINTENANCESTATE"),
    ) + threshold_options("cpu", "hypervisor CPU", " in percent", "80", "90")
    + threshold_options("memory", "hypervisor memory", " in percent", "85", "95")
    + threshold_options("vcpu-ratio", "the host's vCPU:pCPU", "", "4", "6") + (
    ),
    metrics=(
        MetricSpec("cpu.utilization.percentage", "%", "hypervisor CPU utilization; "
                   "--warning-cpu/--critical-cpu apply", per_instance="node", minimum=0,
                   maximum=100),
        MetricSpec("memory.utilization.percentage", "%", "hypervisor memory utilization; "
                   "--warning-memory/--critical-memory apply", per_instance="node", minimum=0,
                   maximum=100),
        MetricSpec("vms.count", "", "powered-on guest VMs on the host (the CVM not counted), "
                   "from the VM list on Prism Element and Prism Central alike; absent when the "
                   "VM list cannot be read", per_instance="node", minimum=0),
        MetricSpec("vcpu.pcpu.ratio", "", "vCPUs of powered-on guest VMs on the host / its "
                   "CPU threads (CVM not counted); --warning-vcpu-ratio/--critical-vcpu-ratio "
                   "apply", per_instance="node", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "the AHV host is disconnected from Acropolis",
              "The host cannot power on, migrate or HA-restart VMs. Check the host is up and "
              "reachable from its CVM, then the acropolis service (Prism > Hardware > Host); "
              "VMs already running keep running."),
        Alert("CRITICAL", "the node is degraded",
              "Prism detected a degraded node (network, disk or service trouble) and moves "
              "work off it. Read the node's alerts in Prism and open a support case if the "
              "cause is not obvious."),
        Alert("CRITICAL", "an unresolved host or OVS alert of severity critical (e.g. Node "
              "Failure, Host IP Not Reachable)",
              "The line quotes the alert. Follow its KB article from Prism > Alerts."),
        Alert("CRITICAL", "CPU, memory or vCPU:pCPU beyond its critical range",
              "Rebalance VMs (ADS, or migrate the busiest off the host) or add capacity; a "
              "high vCPU:pCPU shows as CPU ready time in the guests."),
        Alert("WARNING", "host state not NORMAL, hypervisor in an HA failover state, reboot "
              "pending, a warning host or OVS alert (e.g. OVS Service Restart), or CPU, memory "
              "or vCPU:pCPU beyond its warning range",
              "A pending reboot usually follows an upgrade or LCM update: plan it with "
              "maintenance mode. An OVS restart rebuilt bridges and flows: check VM "
              "connectivity on that host."),
        Alert("WARNING", "the host is in maintenance mode and --maintenance-state WARNING",
              "Expected during planned work; otherwise exit maintenance mode in Prism or with "
              "acli host.exit_maintenance_mode."),
        Alert("UNKNOWN", "a field was not reported, or the alerts or VM list could not be read",
              "The line names what is missing and why; check the user's role and the AOS/PC "
              "version."),
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric=None,
    notes=(
        "vCPU:pCPU counts the vCPUs (v1 numVCpus on Prism Element; v4 numSockets x "
        "numCoresPerSocket x numThreadsPerCore on Prism Central) of powered-on guest VMs; "
        "the CVM's own vCPUs are left out, because every node runs one and an admin does "
        "not place it. The denominator is all CPU threads of the host.",
        "While a host is in maintenance mode, its reboot-pending flag and a disconnection "
        "from Acropolis take --maintenance-state too; degraded and alerts do not.",
        "Libvirtd, Open vSwitch and host-agent processes and the run queue come from the "
        "host's own SNMP agent; here the API's signals for them are the Acropolis connection "
        "and unresolved host/OVS alerts (matched by NUTANIX-MIB trap name on the title).",
        "On Prism Central, CPU and memory utilization are not read (v4 serves them only as "
        "per-host time series); the output says so. VM placement comes from v4 vmm "
        "ahv/config/vms (field names MODEL, the cluster $filter INFERRED).",
    ),
)
