"""`cluster`: is the cluster whole and able to survive the next failure?"""

from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State
from .spec import Alert, CheckSpec, MetricSpec


def collect(context):
    from ..prism import element, inventory

    client, kind, doc = inventory.connect(context)
    if kind == "pc":
        from ..prism import central

        return central.cluster_health(client, doc, context.options.cluster)
    health = element.cluster_health(client, doc)
    inventory.require_cluster(client, health.cluster, context.options.cluster)
    return health


def rf_minimum_nodes(rf):
    """Nodes an RF needs to keep its guarantees: 3 for RF2, 5 for RF3 (2 x RF - 1)."""
    return 2 * rf - 1


def node_problems(node, cvm_known):
    """(problems, unknowns) of one node: what makes it unhealthy, and what was not reported."""
    problems, unknowns = [], []
    if node.state is None:
        unknowns.append("host state")
    elif node.state != "NORMAL":
        problems.append("host state %s" % node.state)
    if node.degraded is None:
        unknowns.append("degraded flag")
    elif node.degraded:
        problems.append("degraded")
    if node.maintenance is None:
        unknowns.append("maintenance mode")
    elif node.maintenance:
        problems.append("in maintenance mode")
    if node.connected is False:
        problems.append("AHV host disconnected from Acropolis")
    if cvm_known:
        if node.cvm_power is None:
            unknowns.append("CVM power state (no CVM found for this host)")
        elif node.cvm_power == "OFF":
            problems.append("CVM powered off")
        elif node.cvm_power != "ON":
            problems.append("CVM %s" % node.cvm_power.lower())
    return problems, unknowns


def _names(nodes, limit=8):
    shown = ", ".join(n for n in nodes[:limit])
    return shown + (" and %d more" % (len(nodes) - limit) if len(nodes) > limit else "")


def _failure_words(domain):
    return {"NODE": "node", "DISK": "disk", "RACKABLE_UNIT": "block", "RACK": "rack"}.get(
        domain.upper(), domain.lower())


def evaluate(model, options):
    cluster = model.cluster
    items, metrics = [], []
    cvm_known = "CVM power state" not in model.not_available
    metadata_known = "metadata ring membership" not in model.not_available

    # Operation mode
    mode = cluster.operation_mode
    if mode is None:
        items.append(Item(State.UNKNOWN, "operation mode not reported by Prism"))
    elif mode != "NORMAL":
        items.append(Item(State.CRITICAL, "operation mode %s (not NORMAL)" % mode))
    else:
        items.append(Item(State.OK, "operation mode NORMAL"))

    # Redundancy factor
    rf = cluster.rf_current or cluster.rf_desired
    if cluster.rf_current is None or cluster.rf_desired is None:
        items.append(Item(State.UNKNOWN, "redundancy factor not reported by Prism"))
    elif cluster.rf_current != cluster.rf_desired:
        items.append(Item(
            State.CRITICAL,
            "redundancy factor %d, desired %d: data is not yet protected at the desired level"
            % (cluster.rf_current, cluster.rf_desired),
            brief="redundancy factor %d, desired %d" % (cluster.rf_current, cluster.rf_desired)))
    else:
        items.append(Item(State.OK, "redundancy factor %d as desired" % rf))

    # Nodes
    total = len(model.nodes)
    thresholds = Thresholds(options.warning, options.critical)
    healthy, unhealthy, unclear, node_lines = [], [], [], []
    bad_nodes = sum(1 for n in model.nodes if node_problems(n, cvm_known)[0])
    # -w/-c on the unhealthy count decide how loud each unhealthy node's own line is.
    node_state = thresholds.evaluate(bad_nodes)
    for node in model.nodes:
        problems, unknowns = node_problems(node, cvm_known)
        if problems:
            unhealthy.append("%s (%s)" % (clean(node.name), ", ".join(problems)))
            node_lines.append(Item(node_state, "%s: %s" % (clean(node.name),
                                                           ", ".join(problems)), brief=""))
        elif unknowns:
            unclear.append(clean(node.name))
            node_lines.append(Item(State.UNKNOWN, "%s: not reported: %s"
                                   % (clean(node.name), ", ".join(unknowns)), brief=""))
        else:
            healthy.append(node.name)
            node_lines.append(Item(State.OK, "%s: healthy (host %s%s)" % (
                clean(node.name), node.state,
                ", CVM on" if cvm_known else "")))
    if unhealthy:
        items.append(Item(node_state, "%d of %d nodes unhealthy: %s"
                          % (len(unhealthy), total, _names(unhealthy))))
    if unclear:
        items.append(Item(State.UNKNOWN, "health of %d of %d nodes not fully reported: %s"
                          % (len(unclear), total, _names(unclear))))
    minimum = rf_minimum_nodes(rf) if rf else None
    # Only nodes known to be unhealthy count against the minimum; unclear ones are UNKNOWN.
    if minimum and len(healthy) + len(unclear) < minimum:
        items.append(Item(State.CRITICAL, "only %d healthy nodes, RF%d needs at least %d"
                          % (len(healthy), rf, minimum)))
    items.extend(node_lines)
    metrics += [
        Metric("nodes.total.count", total, minimum=0),
        Metric("nodes.healthy.count", len(healthy), critical=Range.parse("%d:" % minimum)
               if minimum else None, minimum=0, maximum=total),
        Metric("nodes.unhealthy.count", len(unhealthy), warning=thresholds.warning,
               critical=thresholds.critical, minimum=0, maximum=total),
    ]

    # Fault tolerance per domain and component
    needed = rf - 1 if rf else None
    short = {}
    unknown_components = []
    for ft in model.fault_tolerance:
        instance = "%s~%s" % (ft.domain, ft.component)
        metrics.append(Metric("tolerable.failures.count", ft.tolerable, instance=instance,
                              critical=Range.parse("%d:" % needed) if needed else None,
                              minimum=0))
        if ft.tolerable is None:
            unknown_components.append(instance)
        elif needed is not None and ft.tolerable < needed:
            short.setdefault((ft.domain, ft.tolerable), []).append(ft)
    for (domain, tolerable), components in sorted(short.items()):
        words = _failure_words(domain)
        names = ", ".join(sorted(c.component for c in components))
        if tolerable <= 0:
            brief = "cannot tolerate a %s failure: %s" % (words, names)
        else:
            brief = "can tolerate only %d %s failure(s), RF%d expects %d: %s" % (
                tolerable, words, rf, needed, names)
        reasons = sorted({c.message for c in components if c.message})
        text = brief + ("" if not reasons else " (%s)" % "; ".join(reasons))
        items.append(Item(State.CRITICAL, text, brief=brief))
    if unknown_components:
        items.append(Item(State.UNKNOWN, "fault tolerance not computed for %s"
                          % ", ".join(unknown_components)))
    if model.fault_tolerance and not short and needed is not None:
        lowest = min((ft.tolerable for ft in model.fault_tolerance
                      if ft.tolerable is not None), default=None)
        if lowest is not None:
            items.append(Item(State.OK, "fault tolerance %d, RF%d expects %d"
                              % (lowest, rf, needed)))
    elif not model.fault_tolerance and "fault tolerance" not in " ".join(model.not_available):
        items.append(Item(State.UNKNOWN, "fault tolerance not reported by Prism"))

    # Metadata ring (Cassandra) membership
    if metadata_known:
        out = [n for n in model.nodes if n.metadata_normal is False]
        missing = [n for n in model.nodes if n.metadata_normal is None]
        if out:
            items.append(Item(State.CRITICAL, "metadata ring: %s" % ", ".join(
                "%s not in normal mode (%s%s)" % (
                    clean(n.name), clean(n.metadata_status),
                    ": " + clean(n.metadata_message) if n.metadata_message else "")
                for n in out), brief="metadata ring: %s not normal" % _names(
                    [clean(n.name) for n in out])))
        if missing:
            items.append(Item(State.UNKNOWN, "metadata ring status not reported for %s"
                              % _names([clean(n.name) for n in missing])))
        if not out and not missing:
            items.append(Item(State.OK, "metadata ring: all %d nodes normal" % total))

    # Upgrade: stated, never alerted
    upgrading = ""
    if cluster.upgrade_in_progress:
        target = cluster.target_version
        upgrading = "upgrade in progress%s" % (
            " to %s" % clean(target) if target and target != cluster.version else "")
        items.append(Item(State.OK, upgrading))

    ok_parts = ["%d of %d nodes healthy" % (len(healthy), total)]
    if rf:
        ok_parts.append("RF%d" % rf)
    if model.fault_tolerance and needed is not None and not short:
        lowest = min((ft.tolerable for ft in model.fault_tolerance
                      if ft.tolerable is not None), default=None)
        if lowest is not None:
            ok_parts.append("can tolerate %d node failure%s" % (lowest, "" if lowest == 1
                                                                 else "s"))
    if cluster.version:
        ok_parts.append("AOS %s" % clean(cluster.version))
    if upgrading:
        ok_parts.append(upgrading)
    info = []
    if model.not_available:
        info.append("not available from %s, not checked: %s; monitor the cluster's Prism "
                    "Element for those" % (model.source, ", ".join(model.not_available)))
    return Result(cluster.name, items, metrics, ok_summary=", ".join(ok_parts),
                  notes=["source: %s" % model.source], info=info)


SPEC = CheckSpec(
    name="cluster",
    title="Cluster health: nodes, redundancy factor, fault tolerance, metadata ring",
    description=(
        "Judges the cluster as a whole: operation mode, healthy nodes against the redundancy\n"
        "factor's minimum, current vs desired redundancy factor, tolerable failures per\n"
        "fault-tolerance component, metadata ring membership, and whether an upgrade runs.\n"
        "Works against a Prism Element VIP, or Prism Central with --cluster NAME."),
    scope="cluster",
    sources=("prism-element", "prism-central"),
    options=(),
    metrics=(
        MetricSpec("nodes.total.count", "", "nodes in the cluster", minimum=0),
        MetricSpec("nodes.healthy.count", "", "nodes whose host is NORMAL, not degraded, not "
                   "in maintenance, with their CVM on; critical below 2 x RF - 1", minimum=0),
        MetricSpec("nodes.unhealthy.count", "", "nodes with a problem; -w/-c apply", minimum=0),
        MetricSpec("tolerable.failures.count", "", "failures the component can tolerate; "
                   "critical below RF - 1", per_instance="DOMAIN~COMPONENT", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "operation mode is not NORMAL",
              "The cluster is read-only, stand-alone or overridden. Check Prism > Settings > "
              "Cluster Details and the recent tasks; open a support case if it is unplanned."),
        Alert("CRITICAL", "current redundancy factor differs from the desired one",
              "An RF change is in progress or stuck: data is not protected at the desired "
              "level. Check Prism > Data Resiliency and the running tasks."),
        Alert("CRITICAL", "healthy nodes below 2 x RF - 1 (3 for RF2, 5 for RF3)",
              "The cluster cannot rebuild after another failure. Restore the failed nodes first."),
        Alert("CRITICAL", "a fault-tolerance component tolerates fewer than RF - 1 failures",
              "Prism > Data Resiliency names the component; FREE_SPACE means too full to "
              "rebuild after a node loss (free capacity), METADATA/EXTENT_GROUPS mean data is "
              "being re-protected (wait for it, check for failed disks or nodes)."),
        Alert("CRITICAL", "a node's metadata store is not in normal mode",
              "That node left the Cassandra metadata ring; check its CVM and Prism alerts. "
              "Nutanix support re-adds it once the cause is fixed."),
        Alert("WARNING", "a node is unhealthy (host not NORMAL, degraded, in maintenance, "
              "disconnected, or its CVM is off)",
              "Look at the node named in the alert: planned maintenance is expected; otherwise "
              "check the CVM and host in Prism > Hardware."),
        Alert("UNKNOWN", "Prism did not report a field the check needs",
              "The line names the field; check the AOS version and the user's role."),
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="nodes.unhealthy.count",
    default_warning="0",
    default_critical=None,
    notes=(
        "On Prism Central, CVM power state, metadata ring membership and per-component "
        "fault tolerance are not available; the output says so.",
    ),
)
