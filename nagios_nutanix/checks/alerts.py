"""`alerts`: the cluster's unresolved Prism alerts, worst first, the same alert on many entities
folded into one line.

The selection, folding and naming of alerts live here and serve the `ncc` check too.
"""

import re

from ..nodes import FILTER_OPTIONS, matcher, select_nodes
from ..plugin.duration import human
from ..plugin.errors import UsageError
from ..plugin.perfdata import Metric
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State
from ..plugin.words import listing, plural
from .spec import Alert, CheckSpec, MetricSpec, Option

STATES = {"CRITICAL": State.CRITICAL, "WARNING": State.WARNING}
RANK = {"CRITICAL": 0, "WARNING": 1, "INFO": 2, "AUDIT": 3}
SHOWN = 4  # groups named on the first line
SUMMARY_LIMIT = 400  # characters of groups on the first line
TITLE_LIMIT = 90
LISTED = 8  # entities named in a long-output line

ACKNOWLEDGED_OPTION = Option(
    ("--include-acknowledged",), "count alerts acknowledged in Prism too (default: only "
    "unacknowledged alerts count; acknowledged ones are reported in a note)", type="flag")


class AlertsModel:
    """What collect() gathered: the inventory (cluster and nodes, to name entities and to apply
    --filter-name), the unresolved alerts or why they could not be read, and the time."""

    def __init__(self, inventory, alerts, error, now, source, score=None, score_error=None):
        self.inventory = inventory
        self.alerts = alerts
        self.error = error
        self.now = now
        self.source = source
        self.score = score  # ncc: the health-check score (Prism Central only)
        self.score_error = score_error


def source_of(kind):
    if kind == "pc":
        return "Prism Central v4 monitoring alerts (isResolved eq false)"
    return "Prism Element v2.0 alerts?resolved=false"


def collect(context):
    import time

    from ..prism import alerts, inventory

    found = inventory.collect(context)
    client = context.prism()
    unresolved, error = alerts.read_unresolved(client, found.kind, found.cluster.uuid)
    return AlertsModel(found, unresolved, error, time.time(), source_of(found.kind))


# -- choosing the alerts that count ---------------------------------------------------------
def compile_patterns(patterns, flag):
    compiled = []
    for pattern in patterns or ():
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise UsageError("bad %s pattern %r: %s" % (flag, pattern, exc)) from None
    return compiled


class Selection:
    """The alerts that count, and what was left out and why (said in the output)."""

    def __init__(self):
        self.counted = []
        self.acknowledged = []  # matching the filters but acknowledged (not counted by default)
        self.left_out = 0  # by the title or check filters
        self.elsewhere = 0  # about other nodes, or the cluster, under --filter-name
        self.nodes = None  # the nodes --filter-name chose (None: no filter)


def select(model, options, keep=None, alerts=None):
    """Split the alerts (default: all the model's); `keep(alert)` is the check's own filter
    (title, check id)."""
    chosen = Selection()
    about = None
    if matcher(options) is not None:
        from ..prism.alerts import node_identifiers

        chosen.nodes = select_nodes(model.inventory, options)
        names = [n for node in chosen.nodes for n in node_identifiers(node)]
        about = lambda alert: alert.is_about(names)  # noqa: E731
    include_acknowledged = getattr(options, "include_acknowledged", False)
    for alert in model.alerts or () if alerts is None else alerts:
        if about is not None and not about(alert):
            chosen.elsewhere += 1
        elif keep is not None and not keep(alert):
            chosen.left_out += 1
        elif alert.acknowledged and not include_acknowledged:
            chosen.acknowledged.append(alert)
        else:
            chosen.counted.append(alert)
    return chosen


def title_filter(options):
    include = compile_patterns(getattr(options, "include", None), "--include")
    exclude = compile_patterns(getattr(options, "exclude", None), "--exclude")
    if not include and not exclude:
        return None

    def keep(alert):
        title = alert.title or ""
        if include and not any(p.search(title) for p in include):
            return False
        return not any(p.search(title) for p in exclude)

    return keep


# -- naming what an alert is about ----------------------------------------------------------
def node_index(inventory):
    """casefolded identifier -> node name, for every node of the inventory."""
    from ..prism.alerts import node_identifiers

    index = {}
    for node in inventory.nodes:
        for name in node_identifiers(node):
            index.setdefault(str(name).casefold(), node.name)
    return index


def where(alert, index, cluster):
    """What the alert is about in a few words: `node-03`, `node-02 disk S1234`, `node-02 CVM`,
    `app-0042`; "" for the cluster itself."""
    def node_of(*names):
        for name in names:
            if name and str(name).casefold() in index:
                return index[str(name).casefold()]
        return None

    fallback = ""
    for entity in alert.entities:
        kind = str(entity.get("type") or "").lower()
        name, uuid = entity.get("name"), entity.get("uuid")
        if kind == "cluster" or (uuid and uuid == cluster.uuid) or name == cluster.name:
            continue
        node = node_of(uuid, name)
        if kind == "disk":
            serial = alert.context.get("disk_serial") or name or uuid
            node = node or node_of(alert.node_uuid, alert.context.get("node_serial"))
            return "%s disk %s" % (node, serial) if node else "disk %s" % serial
        if node:
            return "%s CVM" % node if kind == "vm" else node  # a VM of the node's is its CVM
        if name:
            return str(name)
        fallback = fallback or str(uuid or "")
    node = node_of(alert.node_uuid, alert.context.get("node_uuid"),
                   alert.context.get("node_serial"),
                   alert.context.get("cvm_ip"), alert.context.get("host_ip"))
    return node or fallback


# -- folding --------------------------------------------------------------------------------
class Group:
    """Alerts of one type (same alert id, or same title when there is none) and severity."""

    def __init__(self, key, severity):
        self.key = key
        self.severity = severity
        self.alerts = []
        self.places = []

    @property
    def newest(self):
        return self.alerts[0]

    @property
    def title(self):
        """The newest alert's title without Prism's trailing full stop."""
        return title_text(self.newest.title or self.newest.type_id or "untitled alert")

    def message(self, limit=200):
        """The newest alert's message, or "" when it only repeats the title."""
        text = clean(self.newest.message, limit)
        return "" if text.rstrip(".") == self.title else text

    @property
    def state(self):
        return STATES.get(self.severity, State.OK)

    def where(self):
        """Distinct places, most recent first."""
        seen, out = set(), []
        for place in self.places:
            if place and place not in seen:
                seen.add(place)
                out.append(place)
        return out

    def tag(self):
        """`node-03`, `node-03, x2`, `x1620`, or "" for one cluster-wide alert."""
        places = self.where()
        if len(self.alerts) == 1:
            return clean(places[0]) if places else ""
        if len(places) == 1:
            return "%s, x%d" % (clean(places[0]), len(self.alerts))
        return "x%d" % len(self.alerts)

    def places_text(self):
        return listing([clean(p) for p in self.where()], LISTED)


def _newest_first(alert):
    return -(alert.last or alert.created or 0)


def relative(place, home):
    """A place said from one node's point of view: `node-03` -> "", `node-03 disk S1` ->
    `disk S1`; other places unchanged."""
    if not home or not place:
        return place
    if place == home:
        return ""
    return place[len(home) + 1:] if place.startswith(home + " ") else place


def fold(alerts, inventory, key=None, by_severity=True, home=None):
    """Groups of alerts, worst severity first, then the most recently seen first.

    Alerts fold by `key` (default: alert id, else title) and severity; with by_severity=False
    by `key` alone, the group taking its worst alert's severity. `home`: the one node the
    output is about (its name is then left out of the places).
    """
    key = key or (lambda a: a.type_id or a.family)
    index = node_index(inventory)
    groups = {}
    for alert in sorted(alerts, key=_newest_first):
        severity = alert.severity if alert.severity in RANK else "INFO"
        group_key = (severity, key(alert)) if by_severity else key(alert)
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = Group(key(alert), severity)
        elif RANK[severity] < RANK[group.severity]:
            group.severity = severity
        group.alerts.append(alert)
        group.places.append(relative(where(alert, index, inventory.cluster), home))
    return sorted(groups.values(), key=lambda g: (RANK[g.severity], _newest_first(g.newest)))


def title_text(title):
    """An alert title as the output shows it: cleaned, without Prism's trailing full stop
    ("Stargate Temporarily Down." -> "Stargate Temporarily Down"), at most TITLE_LIMIT long."""
    return clean(clean(title).rstrip("."), TITLE_LIMIT)


def when(group, now):
    newest = group.newest.last or group.newest.created
    if newest is None:
        return ""
    text = "last %s ago" % human(now - newest)
    oldest = min((a.created or a.last or newest) for a in group.alerts)
    if len(group.alerts) > 1 or now - oldest > now - newest + 60:
        text += ", first %s ago" % human(now - oldest)
    return text


def joined(briefs, limit=SUMMARY_LIMIT, shown=SHOWN):
    """Briefs joined with '; ', at most `shown` of them and about `limit` characters."""
    out = []
    for brief in briefs:
        if len(out) >= shown or (out and len("; ".join(out + [brief])) > limit):
            break
        out.append(brief)
    text = "; ".join(out)
    if len(briefs) > len(out):
        text += " and %d more" % (len(briefs) - len(out))
    return text


def home(chosen):
    """The node's name when the filter chose exactly one node, else None."""
    if chosen.nodes is not None and len(chosen.nodes) == 1:
        return chosen.nodes[0].name
    return None


def scope(model, chosen):
    cluster = clean(model.inventory.cluster.name)
    if chosen.nodes is not None and len(chosen.nodes) == 1:
        return "%s/%s" % (cluster, clean(chosen.nodes[0].name))
    return cluster


def selection_notes(chosen, what="alerts", left_out_by="--include/--exclude"):
    """The always-shown lines that say what was not counted and why."""
    info = []
    if chosen.nodes is not None:
        info.append("only %s about %s (host, CVM, drives) count; %d about the cluster or "
                    "other nodes not shown" % (what, ", ".join(clean(n.name) for n in
                                                             chosen.nodes), chosen.elsewhere))
    if chosen.left_out:
        info.append("%d %s left out by %s" % (chosen.left_out, what[:-1] if chosen.left_out == 1
                                               else what, left_out_by))
    if chosen.acknowledged:
        one = len(chosen.acknowledged) == 1
        info.append("%d acknowledged %s not counted; --include-acknowledged counts %s"
                    % (len(chosen.acknowledged), what[:-1] if one else what,
                       "it" if one else "them"))
    return info


def unreadable(model, options, notes):
    """UNKNOWN, never OK, when the alerts could not be read (the node filter still applies)."""
    return Result(scope(model, select(model, options)), [Item(State.UNKNOWN, model.error)],
                  notes=notes)


# -- the check ------------------------------------------------------------------------------
def _counts(groups):
    counts = {"CRITICAL": 0, "WARNING": 0, "INFO": 0}
    for group in groups:
        counts[group.severity if group.severity in counts else "INFO"] += len(group.alerts)
    return counts


def evaluate(model, options):
    notes = ["source: %s" % model.source]
    if model.error:
        return unreadable(model, options, notes)
    chosen = select(model, options, title_filter(options))
    groups = fold(chosen.counted, model.inventory, home=home(chosen))
    counts = _counts(groups)
    items = []
    for group in groups:
        tag = group.tag()
        brief = "%s (%s)" % (group.title, tag) if tag else group.title
        acknowledged = sum(1 for a in group.alerts if a.acknowledged)
        details = [group.newest.type_id or "no alert id", when(group, model.now)]
        if acknowledged:
            details.append("%d acknowledged" % acknowledged)
        text = group.title
        places = group.places_text()
        if len(group.alerts) > 1:
            text += " x%d" % len(group.alerts)
        if places:
            text += " on %s" % places
        if group.message():
            text += " - %s" % group.message()
        text += " [%s]" % ", ".join(d for d in details if d)
        items.append(Item(group.state, text, brief=brief if group.state != State.OK else ""))
    bad = counts["CRITICAL"] + counts["WARNING"]
    summary = None
    if bad:
        words = ", ".join("%d %s" % (counts[s], s.lower()) for s in ("CRITICAL", "WARNING")
                          if counts[s])
        briefs = [i.brief for i in items if i.state != State.OK]
        summary = "%s %s: %s" % (words, "alert" if bad == 1 else "alerts", joined(briefs))
    info_groups = [g for g in groups if g.state == State.OK]
    if not groups:
        ok_summary = "no unresolved alerts" if not chosen.acknowledged else \
            "no unacknowledged alerts"
        items.append(Item(State.OK, ok_summary))
    else:
        ok_summary = "no critical or warning alerts; %s: %s" % (
            plural(counts["INFO"], "info alert"),
            joined(["%s (%s)" % (g.title, g.tag()) if g.tag() else g.title
                    for g in info_groups], shown=2))
    acknowledged = [a for a in chosen.counted + chosen.acknowledged if a.acknowledged]
    metrics = [
        Metric("alerts.critical.count", counts["CRITICAL"], minimum=0),
        Metric("alerts.warning.count", counts["WARNING"], minimum=0),
        Metric("alerts.info.count", counts["INFO"], minimum=0),
        Metric("alerts.acknowledged.count", len(acknowledged), minimum=0),
    ]
    return Result(scope(model, chosen), items, metrics, summary=summary,
                  ok_summary=ok_summary, info=selection_notes(chosen), notes=notes)


SPEC = CheckSpec(
    name="alerts",
    title="Unresolved Prism alerts by severity",
    description=(
        "Reads the cluster's unresolved alerts (Prism Element v2.0 alerts?resolved=false, or\n"
        "Prism Central v4 monitoring alerts of the --cluster) and reports them worst first:\n"
        "critical alerts make it CRITICAL, warning alerts WARNING, info alerts are stated.\n"
        "Only unacknowledged alerts count unless --include-acknowledged is given. Titles and\n"
        "messages are rendered from the alert's context (v2 context_types/context_values;\n"
        "v4 parameters). Alerts of the same alert id (or title) and severity are folded into\n"
        "one line with a count, e.g. 'Disk Bad (x3)'. --filter-name keeps the alerts about\n"
        "one node: its host, its CVM, its drives. Pages through thousands of alerts."),
    scope="cluster",
    sources=("prism-element", "prism-central"),
    options=FILTER_OPTIONS + (
        ACKNOWLEDGED_OPTION,
        Option(("--include",), "only alerts whose title matches this regular expression "
               "(searched, case-insensitive) count; repeatable", type="list",
               metavar="PATTERN"),
        Option(("--exclude",), "alerts whose title matches this regular expression (searched, "
               "case-insensitive) are left out; repeatable, applied after --include",
               type="list", metavar="PATTERN"),
    ),
    metrics=(
        MetricSpec("alerts.critical.count", "", "unresolved critical alerts that count",
                   minimum=0),
        MetricSpec("alerts.warning.count", "", "unresolved warning alerts that count",
                   minimum=0),
        MetricSpec("alerts.info.count", "", "unresolved info (and audit) alerts that count",
                   minimum=0),
        MetricSpec("alerts.acknowledged.count", "", "unresolved acknowledged alerts matching "
                   "the filters, counted or not", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "an unresolved, unacknowledged critical alert",
              "The first line names the alert and what it is about (node, drive, VM). Open "
              "Prism > Alerts, read the alert's cause and resolution, fix it; Prism resolves "
              "most alerts itself once the condition clears. Acknowledge it in Prism if the "
              "work is planned."),
        Alert("WARNING", "an unresolved, unacknowledged warning alert",
              "As for critical alerts, with less urgency. A line like 'x1620' is one alert "
              "raised on many entities: one cause (an upgrade, a network change) is likely."),
        Alert("UNKNOWN", "the alerts could not be read (e.g. HTTP 403)",
              "The line says why; the user needs at least the Viewer role, and on Prism "
              "Central access to the cluster's alerts."),
    ),
    collect=collect,
    evaluate=evaluate,
    notes=(
        "Severity AUDIT (INFERRED to exist in v2) is counted with info.",
        "On Prism Central only alerts of the --cluster count; v4 alert fields are MODEL "
        "names, their parameter wrapper INFERRED (see the reference notes).",
        "Alerts about drives and VMs are named from the alert's affected entities; the "
        "disk_serial/disk_id context keys it also reads are INFERRED.",
    ),
)
