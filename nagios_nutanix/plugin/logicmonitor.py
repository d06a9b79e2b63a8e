"""LogicMonitor output of a check: BatchScript datapoints and Active Discovery instances.

Collection (`--output logicmonitor`) prints `instance.datapoint=value` lines, a `status`
(the plugin state, 0-3) and a `severity` (0 OK, 1 WARNING, 2 UNKNOWN, 3 CRITICAL: the order of
LogicMonitor's warn/error/critical levels) per instance, and exits 0: a BatchScript whose exit
status is not 0 is not parsed at all.

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


def _redact(text, secrets):
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "********")
    return text


def _metric_state(metrics):
    judged = [Thresholds(m.warning, m.critical).evaluate(m.value) for m in metrics
              if m.warning is not None or m.critical is not None]
    return worst(judged, default=State.OK)


def render(result, verbosity=0, secrets=()):
    """BatchScript output: a comment with the plugin's first line, then key=value lines."""
    from .render import first_line

    scope = instance_id(result.scope) if result.scope else None
    by_instance = {}
    order = []
    for metric in result.metrics:
        key = instance_id(metric.instance) if metric.instance else scope
        if key is None:
            continue
        if key not in by_instance:
            by_instance[key] = []
            order.append(key)
        by_instance[key].append(metric)
    # Per-instance states a check reports (node-scoped checks: one verdict per node).
    known = {instance_id(name): State(state)
             for name, state in (getattr(result, "instance_states", None) or {}).items()}
    for key in known:
        if key not in by_instance:
            by_instance[key] = []
            order.append(key)
    if scope is not None and scope not in by_instance and (not known or not order):
        by_instance[scope] = []
        order.append(scope)
    if scope in order:  # the whole run's instance first
        order.remove(scope)
        order.insert(0, scope)
    lines = ["# " + first_line(result)]
    for key in order:
        if key == scope and key not in known:
            state = result.state
        elif key in known:
            state = known[key]
        else:
            state = _metric_state(by_instance[key])
        lines.append("%s.status=%d" % (key, int(state)))
        lines.append("%s.severity=%d" % (key, SEVERITY[state]))
        seen = set()
        for metric in by_instance[key]:
            name = datapoint_name(metric.name)
            if metric.value is None or name in seen:
                continue
            value = format_number(metric.value)
            if value == "U":
                continue
            seen.add(name)
            lines.append("%s.%s=%s" % (key, name, value))
    return _redact("\n".join(lines), secrets)


# -- Active Discovery ---------------------------------------------------------------------------
def _property_value(value):
    """A property value: one line, no `&` (it separates properties)."""
    return clean(value).replace("&", "+")


def discovery_line(wildvalue, alias, description, properties):
    props = "&".join("auto.nutanix.%s=%s" % (key, _property_value(value))
                     for key, value in properties if value not in (None, ""))
    line = "%s##%s##%s" % (instance_id(wildvalue), clean(alias).replace("#", "_"),
                           clean(description).replace("#", "_"))
    return line + ("####" + props if props else "")


def discovery_lines(spec, found):
    """The instances of a check over an Inventory: its nodes, or the cluster itself."""
    cluster = found.cluster
    if spec.scope == "node":
        return [discovery_line(
            node.name, node.name, "node of cluster %s" % cluster.name, [
                ("cluster", cluster.name), ("host_ip", node.host_ip),
                ("cvm_ip", node.cvm_ip), ("cvm_name", node.cvm_name),
                ("serial", node.serial), ("block_serial", node.block_serial),
                ("uuid", node.uuid), ("hypervisor", node.hypervisor_version)])
            for node in found.nodes]
    return [discovery_line(cluster.name, cluster.name, "Nutanix cluster (%s)" % found.source, [
        ("cluster", cluster.name), ("uuid", cluster.uuid), ("version", cluster.version),
        ("nodes", str(len(found.nodes))), ("source", found.kind)])]


def result_lines(spec, result):
    """The instances a run of the check reports (checks without a Prism inventory, e.g. SNMP):
    its nodes' verdicts for a node-scoped check, its scope otherwise."""
    states = getattr(result, "instance_states", None) or {}
    scope = str(result.scope or "").split("/")[0]
    if spec.scope == "node" and states:
        return [discovery_line(name, name, "node of %s" % scope, [("cluster", scope)])
                for name in states]
    return [discovery_line(scope, scope, "Nutanix cluster", [("cluster", scope)])]


def discover(spec, context, stdout, stderr, alarm):
    """`--discover`: Active Discovery lines on stdout and exit 0, or a reason on stderr and 1."""
    from .errors import PluginError

    secrets = [getattr(context.options, name, None) for name in
               ("password", "community", "auth_password", "priv_password")]
    try:
        with alarm:
            if any(source.startswith("prism") for source in spec.sources):
                from ..prism import inventory

                lines = discovery_lines(spec, inventory.collect(context))
            else:  # no Prism inventory: the instances a run of the check reports
                result = spec.evaluate(spec.collect(context), context.options)
                if not result.scope:
                    raise PluginError(result.summary)
                lines = result_lines(spec, result)
    except PluginError as exc:
        stderr.write("discovery failed: %s\n" % _redact(str(exc), secrets))
        return 1
    stdout.write(_redact("\n".join(lines), secrets) + "\n")
    return 0
