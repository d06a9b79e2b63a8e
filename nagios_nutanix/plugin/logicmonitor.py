"""LogicMonitor output of a check: BatchScript datapoints and Active Discovery instances.

Collection (`--output logicmonitor`) prints `instance.datapoint=value` lines, a `status`
(the plugin state, 0-3) and a `severity` (0 OK, 1 WARNING, 2 UNKNOWN, 3 CRITICAL: the order of
LogicMonitor's warn/error/critical levels) per instance, and exits 0: a BatchScript whose exit
status is not 0 is not parsed at all. A run that fails before it knows its scope (credentials
refused, Prism unreachable, timed out) still prints `status=3` for the instance --cluster (or
else -H) names.

Discovery (`--discover`) prints `wildvalue##wildalias##description####auto.key=value&...`,
one line per instance, and exits 0; when Prism cannot be asked it prints nothing and exits 1,
so LogicMonitor keeps the instances it knows (a successful empty answer would remove them).
"""

import re

from .perfdata import format_number
from .ranges import Thresholds
from .sanitize import clean
from .state import State, worst

# LogicMonitor refuses these in a wildvalue (and `=` would end the key of a key=value line).
_UNSAFE = re.compile(r"[:#\\\s=]+")
_DATAPOINT = re.compile(r"[^A-Za-z0-9_]+")
# Severity order of LogicMonitor's levels: warn < error < critical.
SEVERITY = {State.OK: 0, State.WARNING: 1, State.UNKNOWN: 2, State.CRITICAL: 3}


def instance_id(text):
    """A wildvalue: no `:`, `#`, `\\`, whitespace or `=` (each run becomes `_`)."""
    return _UNSAFE.sub("_", clean(text)).strip("_") or "_"


def datapoint_name(metric_name):
    """A datapoint name from a perfdata metric name: `nodes.total.count` -> `nodes_total_count`."""
    return _DATAPOINT.sub("_", metric_name).strip("_")


def _metric_state(metrics):
    judged = [Thresholds(m.warning, m.critical).evaluate(m.value) for m in metrics
              if m.warning is not None or m.critical is not None]
    return worst(judged, default=State.OK)


def fallback_scope(options):
    """The instance a run stands for when it fails before knowing its scope: --cluster (the
    cluster's instance), else -H; None without either."""
    return (getattr(options, "cluster", None) or getattr(options, "hostname", None)
            or None) if options is not None else None


def _instances(result, secrets, fallback):
    """(scope id, {instance id: [Metric]} in output order, {instance id: State} a check
    reports). Secrets are masked in the raw names, before they are made safe."""
    from .render import _redact

    raw_scope = result.scope or fallback
    scope = instance_id(_redact(raw_scope, secrets)) if raw_scope else None
    by_instance = {}
    for metric in result.metrics:
        key = instance_id(_redact(metric.instance, secrets)) if metric.instance else scope
        if key is not None:
            by_instance.setdefault(key, []).append(metric)
    # Per-instance states a check reports (node-scoped checks: one verdict per node).
    known = {instance_id(_redact(name, secrets)): State(state)
             for name, state in (getattr(result, "instance_states", None) or {}).items()}
    for key in known:
        by_instance.setdefault(key, [])
    if scope is not None and scope not in by_instance and (not known or not by_instance):
        by_instance[scope] = []
    if scope in by_instance:  # the whole run's instance first
        by_instance = dict([(scope, by_instance.pop(scope))] + list(by_instance.items()))
    return scope, by_instance, known


def render(result, verbosity=0, secrets=(), fallback=None):
    """BatchScript output: a comment with the plugin's first line, then key=value lines.
    `fallback`: the instance of a run without a scope (see fallback_scope)."""
    from .render import _redacted, first_line

    result = _redacted(result, secrets)  # before any cleaning: cleaning could alter a secret
    scope, by_instance, known = _instances(result, secrets, fallback)
    lines = ["# " + first_line(result)]
    for key, metrics in by_instance.items():
        if key in known:
            state = known[key]
        elif key == scope:
            state = result.state
        else:
            state = _metric_state(metrics)
        lines.append("%s.status=%d" % (key, int(state)))
        lines.append("%s.severity=%d" % (key, SEVERITY[state]))
        seen = set()
        for metric in metrics:
            name = datapoint_name(metric.name)
            if metric.value is None or name in seen:
                continue
            value = format_number(metric.value)
            if value == "U":
                continue
            seen.add(name)
            lines.append("%s.%s=%s" % (key, name, value))
    return "\n".join(lines)


# -- Active Discovery ---------------------------------------------------------------------------
def _property_value(value):
    """A property value: one line, no `&` (it separates properties)."""
    return clean(value).replace("&", "+")


def discovery_line(wildvalue, alias, description, properties, secrets=()):
    """One Active Discovery line; secrets are masked in the raw values, before cleaning."""
    from .render import _redact

    def raw(value):
        return _redact(str(value), secrets)

    props = "&".join("auto.nutanix.%s=%s" % (key, _property_value(raw(value)))
                     for key, value in properties if value not in (None, ""))
    line = "%s##%s##%s" % (instance_id(raw(wildvalue)), clean(raw(alias)).replace("#", "_"),
                           clean(raw(description)).replace("#", "_"))
    return line + ("####" + props if props else "")


def discovery_lines(spec, found, secrets=()):
    """The instances of a check over an Inventory: its nodes, or the cluster itself."""
    cluster = found.cluster
    if spec.scope == "node":
        return [discovery_line(
            node.name, node.name, "node of cluster %s" % cluster.name, [
                ("cluster", cluster.name), ("host_ip", node.host_ip),
                ("cvm_ip", node.cvm_ip), ("cvm_name", node.cvm_name),
                ("serial", node.serial), ("block_serial", node.block_serial),
                ("uuid", node.uuid), ("hypervisor", node.hypervisor_version)], secrets)
            for node in found.nodes]
    return [discovery_line(cluster.name, cluster.name, "Nutanix cluster (%s)" % found.source, [
        ("cluster", cluster.name), ("uuid", cluster.uuid), ("version", cluster.version),
        ("nodes", str(len(found.nodes))), ("source", found.kind)], secrets)]


def result_lines(spec, result, secrets=()):
    """The instances a run of the check reports (checks without a Prism inventory, e.g. SNMP):
    its nodes' verdicts for a node-scoped check, its scope otherwise."""
    states = getattr(result, "instance_states", None) or {}
    scope = str(result.scope or "").split("/")[0]
    if spec.scope == "node" and states:
        return [discovery_line(name, name, "node of %s" % scope, [("cluster", scope)], secrets)
                for name in states]
    return [discovery_line(scope, scope, "Nutanix cluster", [("cluster", scope)], secrets)]


def discover(spec, context, stdout, stderr, alarm):
    """`--discover`: Active Discovery lines on stdout and exit 0, or a reason on stderr and 1."""
    from .errors import PluginError
    from .render import _redact
    from .runner import secrets_of

    secrets = secrets_of(context.options)
    try:
        with alarm:
            if any(source.startswith("prism") for source in spec.sources):
                from ..prism import inventory

                lines = discovery_lines(spec, inventory.collect(context), secrets)
            else:  # no Prism inventory: the instances a run of the check reports
                result = spec.evaluate(spec.collect(context), context.options)
                if not result.scope:
                    raise PluginError(result.summary)
                lines = result_lines(spec, result, secrets)
    except PluginError as exc:
        stderr.write("discovery failed: %s\n" % clean(_redact(str(exc), secrets)))
        return 1
    stdout.write("\n".join(lines) + "\n")
    return 0
