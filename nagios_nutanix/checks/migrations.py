"""`migrations`: VM live migrations in flight, and those that failed recently."""

from ..nodes import FILTER_OPTIONS, NodeVerdict, filtered, node_result, select_nodes
from ..plugin.duration import human
from ..plugin.errors import UsageError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
from ..plugin.words import listing, plural
from .spec import Alert, CheckSpec, MetricSpec, Option

# Tasks are read this much further back than the window, so a migration that started before
# the window and failed inside it is still seen.
SLACK_SECONDS = 1800
SHOWN = 3  # migrations named in the first line


class MigrationsModel:
    __slots__ = ("inventory", "migrations", "complete", "read", "total", "oldest", "source",
                 "now")

    def __init__(self, inventory, migrations, complete=True, read=0, total=None, oldest=None,
                 source="", now=0.0):
        self.inventory = inventory
        self.migrations = list(migrations)
        self.complete = complete
        self.read = read
        self.total = total
        self.oldest = oldest
        self.source = source
        self.now = now


def collect(context):
    import time

    from ..prism import inventory, tasks, vms

    found = inventory.collect(context)
    client = context.prism()
    now = time.time()
    since = now - _window(context.options) * 60 - SLACK_SECONDS
    listed = tasks.recent(client, found.kind, found.cluster.uuid, since)
    placement = None
    if any(tasks.needs_placement(t) for t in listed.tasks):
        # A failed or in-flight migration names no host: its VM's current host stands in as
        # the (inferred) source.
        from ..prism.errors import PrismHTTPError

        try:
            placement = vms.by_uuid(vms.placements(client, found.kind, found.cluster.uuid))
        except PrismHTTPError as exc:
            context.note("VM list unreadable, migrations without hosts stay unattributed: %s"
                         % exc)
    began = [t.began for t in listed.tasks if t.began]
    return MigrationsModel(found, tasks.migrations(listed.tasks, placement), listed.complete,
                           len(listed.tasks), listed.total, min(began) if began else None,
                           listed.source, now)


def _window(options):
    window = getattr(options, "window", 60)
    if window is None or window <= 0:
        raise UsageError("--window must be a number of minutes greater than 0")
    return window


# -- judgement ---------------------------------------------------------------------------------
def _route(m):
    """'node-03 -> node-04'; a source taken from the VM's current host says so."""
    return "%s%s -> %s" % (clean(m.source) if m.source else "?",
                           " (source inferred)" if m.source_inferred else "",
                           clean(m.destination) if m.destination else "?")


def _vm(m):
    return clean(m.vm) if m.vm else "VM ?"


def _is_host(node, uuid, name):
    if uuid and node.uuid and uuid == node.uuid:
        return True
    return bool(name) and str(name).casefold() in {str(n).casefold() for n in node.names()}


def touches(migration, node):
    """True when the node is the migration's source or destination."""
    return (_is_host(node, migration.source_uuid, migration.source)
            or _is_host(node, migration.destination_uuid, migration.destination))


def _seen_from(m, node):
    """A migration in the words of one of its hosts: 'vm-022 to node-04', 'vm-022 from
    node-03' (the first line of several nodes names each node's part once)."""
    inferred = " (source inferred)" if m.source_inferred else ""
    if _is_host(node, m.source_uuid, m.source):
        return "%s to %s%s" % (_vm(m), clean(m.destination) if m.destination else "?", inferred)
    return "%s from %s%s" % (_vm(m), clean(m.source) if m.source else "?", inferred)


def _failed(migrations, since):
    return sorted((m for m in migrations if m.failed and (m.ended or m.began or 0) >= since),
                  key=lambda m: -(m.ended or m.began or 0))


def _failure_state(count, options):
    critical_at = getattr(options, "critical_failures", None)
    return State.CRITICAL if critical_at and count >= critical_at else State.WARNING


def _failure_lines(failed, model, state):
    lines = []
    for m in failed:
        took = " after %s" % human(m.ended - m.began) if m.ended and m.began else ""
        ago = " %s ago" % human(model.now - m.ended) if m.ended else ""
        lines.append(Item(state, "%s %s failed%s%s%s" % (_vm(m), _route(m), ago, took, (
            ": %s" % clean(m.message, 300)) if m.message else ""), brief=""))
    return lines


def judge(migrations, model, options, node=None, compact=False):
    """(items, metrics, ok words) over the migrations of one node (metrics only then), or of
    the cluster. `compact`: briefs for a first line that names several nodes."""
    window = _window(options)
    since = model.now - window * 60
    span = human(window * 60)
    failed = _failed(migrations, since)
    flying = sorted((m for m in migrations if m.in_flight), key=lambda m: m.began or 0)
    done = [m for m in migrations if m.succeeded and (m.ended or m.began or 0) >= since]
    items = []

    if failed:
        state = _failure_state(len(failed), options)
        text = "%s failed in the last %s: %s" % (plural(len(failed), "VM migration"), span,
                                                 listing(["%s (%s)" % (_vm(m), _route(m))
                                                          for m in failed], SHOWN))
        brief = text
        if compact and node is not None:
            brief = "%s failed in the last %s: %s" % (
                plural(len(failed), "VM migration"), span,
                listing([_seen_from(m, node) for m in failed], SHOWN))
        items.append(Item(state, text, brief=brief))
        items += _failure_lines(failed, model, state)
    else:
        items.append(Item(State.OK, "no VM migration failed in the last %s" % span))

    thresholds = Thresholds(options.warning, options.critical)
    flight_state = thresholds.evaluate(len(flying))
    if flying:
        items.append(Item(flight_state, "%s in flight: %s" % (
            plural(len(flying), "VM migration"), listing([
                "%s %s%s" % (_vm(m), _route(m), " %d%%" % m.percent
                             if m.percent is not None else "") for m in flying], SHOWN)),
            brief="%s in flight" % plural(len(flying), "VM migration")))
        for m in flying:
            running = " for %s" % human(model.now - m.began) if m.began else ""
            items.append(Item(flight_state, "%s %s in flight%s%s" % (
                _vm(m), _route(m), running, ", %d%% done" % m.percent
                if m.percent is not None else ""), brief=""))
    else:
        items.append(Item(flight_state, "no VM migration in flight",
                          brief="no VM migration in flight"))
    if done:
        items.append(Item(State.OK, "%s succeeded in the last %s" % (
            plural(len(done), "VM migration"), span)))

    metrics = []
    if node is not None:
        critical_at = getattr(options, "critical_failures", None)
        failed_range = Range.parse("%d" % (critical_at - 1)) if critical_at else None
        metrics = [
            Metric("migrations.running.count", len(flying), "", thresholds.warning,
                   thresholds.critical, 0, None, node.name),
            Metric("migrations.failed.count", len(failed), "", Range.parse("0"), failed_range,
                   0, None, node.name),
            Metric("migrations.succeeded.count", len(done), "", None, None, 0, None,
                   node.name),
        ]
    words = []
    if flying:
        words.append("%s in flight (%s)" % (plural(len(flying), "VM migration"), listing(
            ["%s %s" % (_vm(m), _route(m)) for m in flying], SHOWN)))
    else:
        words.append("no VM migration in flight")
    words.append("none failed in the last %s" % span)
    if done:
        words.append("%d succeeded" % len(done))
    return items, metrics, ", ".join(words)


def _unplaced(loose, model, options):
    """Items for migrations tied to no node of the cluster (their task names no host, or hosts
    this inventory does not know): failures judged, the rest stated; no perfdata."""
    since = model.now - _window(options) * 60
    span = human(_window(options) * 60)
    failed = _failed(loose, since)
    flying = [m for m in loose if m.in_flight]
    items = []
    if failed:
        state = _failure_state(len(failed), options)
        text = "%s tied to no known host failed in the last %s: %s" % (
            plural(len(failed), "VM migration"), span,
            listing(["%s (%s)" % (_vm(m), _route(m)) for m in failed], SHOWN))
        items.append(Item(state, text))
        items += _failure_lines(failed, model, state)
    if flying:
        items.append(Item(State.OK, "%s tied to no known host in flight: %s" % (
            plural(len(flying), "VM migration"), listing([_vm(m) for m in flying], SHOWN)),
            brief=""))
    return items


def _incomplete(model, options):
    """An UNKNOWN item when the task list may not reach back over the whole window."""
    window = _window(options)
    if model.complete or (model.oldest is not None
                          and model.oldest <= model.now - window * 60):
        return []
    how_many = "%d of %d tasks" % (model.read, model.total) if model.total is not None \
        else "%d tasks, and no total" % model.read
    return [Item(State.UNKNOWN, "Prism returned only the newest %s, reaching back %s; "
                 "migrations that failed earlier in the window may be missing" % (
                     how_many, human(model.now - model.oldest) if model.oldest
                     else "not at all"), brief="task list incomplete")]


def evaluate(model, options):
    inventory = model.inventory
    critical_at = getattr(options, "critical_failures", None)
    if critical_at is not None and critical_at < 1:
        raise UsageError("--critical-failures must be 1 or more")
    nodes = select_nodes(inventory, options)
    one_or_some = filtered(options)
    single = one_or_some and len(nodes) == 1
    extra, info = _incomplete(model, options), []
    verdicts = []
    for node in nodes:
        mine = [m for m in model.migrations if touches(m, node)]
        items, metrics, words = judge(mine, model, options, node=node, compact=not single)
        if not single and all(i.state == State.OK for i in items):
            items = [Item(State.OK, words)]  # one line per quiet node
        verdicts.append(NodeVerdict(node.name, items, metrics, ok_brief=words))
    loose = [m for m in model.migrations
             if not any(touches(m, n) for n in inventory.nodes)]
    if loose and one_or_some:
        info.append("%s %s no host of the cluster and %s judged only without --filter-name"
                    % (plural(len(loose), "VM migration task"),
                       "names" if len(loose) == 1 else "name",
                       "is" if len(loose) == 1 else "are"))
    elif loose:
        extra += _unplaced(loose, model, options)
    chosen = [m for m in model.migrations
              if any(touches(m, n) for n in nodes) or (not one_or_some and m in loose)]
    return node_result(clean(inventory.cluster.name), verdicts, one_or_some,
                       judge(chosen, model, options)[2], extra=extra, info=info,
                       notes=["source: %s" % model.source])


SPEC = CheckSpec(
    name="migrations",
    title="VM live migrations: in flight, and failed in the last --window minutes",
    description=(
        "Reads the cluster's tasks and judges its VM live migrations node by node (a migration\n"
        "concerns its source and its destination host): any that failed in the last --window\n"
        "minutes is a WARNING (CRITICAL from --critical-failures N failures on one node on),\n"
        "those in flight are stated with their hosts and progress, and -w/-c can make many in\n"
        "flight on one node a warning. --filter-name keeps one node; without it every node is\n"
        "judged and migrations tied to no known host are judged for the cluster. Works against\n"
        "a Prism Element VIP (v2.0 tasks), or Prism Central with --cluster NAME (v4 prism\n"
        "tasks). How a migrate task names its VM and hosts is INFERRED (see the notes)."),
    scope="node",
    sources=("prism-element", "prism-central"),
    options=FILTER_OPTIONS + (
        Option(("--window",), "minutes a failed migration stays reported (default "
               "%(default)s)", default=60, type="int", metavar="MINUTES", macro="WINDOW"),
        Option(("--critical-failures",), "CRITICAL when this many migrations of one node "
               "failed in the window (default: failures only warn)", type="int", metavar="N",
               macro="CRITICALFAILURES"),
    ),
    metrics=(
        MetricSpec("migrations.running.count", "", "VM migrations queued or running from or "
                   "to the node; -w/-c apply", per_instance="node", minimum=0),
        MetricSpec("migrations.failed.count", "", "VM migrations from or to the node that "
                   "failed in the window; warning above 0, critical from --critical-failures",
                   per_instance="node", minimum=0),
        MetricSpec("migrations.succeeded.count", "", "VM migrations from or to the node that "
                   "succeeded in the window", per_instance="node", minimum=0),
    ),
    alerts=(
        Alert("WARNING", "a VM migration from or to the node failed in the last --window "
              "minutes",
              "The line names the VM and its hosts; the long output quotes Prism's error. "
              "Common causes: not enough memory on the destination, the destination host "
              "disconnected from Acropolis, a VM affinity rule. Retry from Prism once fixed."),
        Alert("CRITICAL", "--critical-failures N or more VM migrations of one node failed in "
              "the window",
              "Many failures point at the host or the cluster, not one VM: check hosts (the ahv "
              "check), free memory for HA and maintenance, and the acropolis service."),
        Alert("WARNING", "more VM migrations in flight from or to one node than -w allows (-c "
              "for CRITICAL)",
              "Expected while a host enters maintenance mode or ADS rebalances; a migration "
              "in flight for long may be stuck (its duration is in the long output)."),
        Alert("UNKNOWN", "the task list did not reach back over the whole window",
              "Prism returned fewer tasks than it has; shorten --window or check Prism > "
              "Tasks by hand."),
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="migrations.running.count",
    default_warning=None,
    default_critical=None,
    notes=(
        "A VM migration is a task whose operation is kVmMigrate / VmMigrate (INFERRED: no "
        "recorded migrate task was found). Its VM and hosts are read from the task's entities "
        "(Prism Element v2.0 entity_list kVM/kNode, Prism Central v4 entitiesAffected by rel): "
        "the first host as the source, the second as the destination (order INFERRED). A "
        "failed or in-flight migration whose task names no host gets its VM's current host as "
        "the source, marked '(source inferred)' wherever it is shown; a succeeded one is left "
        "without hosts.",
        "Failed means FAILED or ABORTED; a migration cancelled on Prism Central (CANCELED) is "
        "not counted. In flight means QUEUED, RUNNING, CANCELING or SUSPENDED, whatever its "
        "age.",
        "Prism Element: POST v2.0/tasks/list with include_completed and count (body keys "
        "INFERRED), the newest 500 tasks; when the answer gives no total, a full 500 that does "
        "not reach back over the window is UNKNOWN (incomplete). Prism Central: GET "
        "prism/v4.0/config/tasks, newest first, page by page back to the window (field names "
        "MODEL).",
        "Perfdata is per node (`node-03#...`), with or without --filter-name, so labels are "
        "the same on a node's own service and in a whole-cluster run; a migration counts for "
        "its source and its destination. Migrations tied to no known host have no perfdata.",
    ),
)
