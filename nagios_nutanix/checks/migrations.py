"""`migrations`: VM live migrations in flight, and those that failed recently."""

from ..nodes import FILTER_OPTIONS, NodeVerdict, node_result, select_nodes
from ..plugin.errors import UsageError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
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
    if any(tasks.is_migration(t) and not any(k == "host" for k, _, _ in t.entities)
           for t in listed.tasks):
        # Some migration names no host: its VM's current host stands in as the source.
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
def _human(seconds):
    from ..plugin.duration import human

    return human(seconds)


def _route(m):
    return "%s -> %s" % (clean(m.source) if m.source else "?",
                         clean(m.destination) if m.destination else "?")


def _vm(m):
    return clean(m.vm) if m.vm else "VM ?"


def touches(migration, node):
    """True when the node is the migration's source or destination."""
    uuids = {u for u in (migration.source_uuid, migration.destination_uuid) if u}
    if node.uuid and node.uuid in uuids:
        return True
    names = {str(n).casefold() for n in node.names()}
    return any(str(h).casefold() in names for h in (migration.source, migration.destination)
               if h)


def _named(migrations, words):
    shown = ", ".join(words(m) for m in migrations[:SHOWN])
    if len(migrations) > SHOWN:
        shown += " and %d more" % (len(migrations) - SHOWN)
    return shown


def _plural(count, word="VM migration"):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def judge(migrations, model, options, instance=None):
    """(items, metrics, ok words) over the migrations of one scope (a node or the cluster)."""
    window = _window(options)
    since = model.now - window * 60
    span = _human(window * 60)
    failed = sorted((m for m in migrations if m.failed and (m.ended or m.began or 0) >= since),
                    key=lambda m: -(m.ended or m.began or 0))
    flying = sorted((m for m in migrations if m.in_flight), key=lambda m: m.began or 0)
    done = [m for m in migrations if m.succeeded and (m.ended or m.began or 0) >= since]
    items = []

    critical_at = getattr(options, "critical_failures", None)
    if failed:
        state = State.CRITICAL if critical_at and len(failed) >= critical_at else State.WARNING
        brief = "%s failed in the last %s: %s" % (_plural(len(failed)), span, _named(
            failed, lambda m: "%s (%s)" % (_vm(m), _route(m))))
        items.append(Item(state, brief))
        for m in failed:
            took = " after %s" % _human(m.ended - m.began) if m.ended and m.began else ""
            ago = " %s ago" % _human(model.now - m.ended) if m.ended else ""
            text = "%s %s failed%s%s%s" % (_vm(m), _route(m), ago, took, (
                ": %s" % clean(m.message, 300)) if m.message else "")
            items.append(Item(state, text, brief=""))
    else:
        items.append(Item(State.OK, "no VM migration failed in the last %s" % span))

    thresholds = Thresholds(options.warning, options.critical)
    flight_state = thresholds.evaluate(len(flying))
    if flying:
        items.append(Item(flight_state, "%s in flight: %s" % (_plural(len(flying)), _named(
            flying, lambda m: "%s %s%s" % (_vm(m), _route(m), " %d%%" % m.percent
                                           if m.percent is not None else ""))),
            brief="%s in flight" % _plural(len(flying))))
        for m in flying:
            running = " for %s" % _human(model.now - m.began) if m.began else ""
            inferred = " (source taken from the VM's current host)" if m.source_inferred else ""
            items.append(Item(flight_state, "%s %s in flight%s%s%s" % (
                _vm(m), _route(m), running, ", %d%% done" % m.percent
                if m.percent is not None else "", inferred), brief=""))
    else:
        items.append(Item(flight_state, "no VM migration in flight",
                          brief="no VM migration in flight"))
    if done:
        items.append(Item(State.OK, "%s succeeded in the last %s" % (_plural(len(done)), span)))

    failed_range = Range.parse("%d" % (critical_at - 1)) if critical_at else None
    metrics = [
        Metric("migrations.running.count", len(flying), "", thresholds.warning,
               thresholds.critical, 0, None, instance),
        Metric("migrations.failed.count", len(failed), "", Range.parse("0"), failed_range, 0,
               None, instance),
        Metric("migrations.succeeded.count", len(done), "", None, None, 0, None, instance),
    ]
    words = []
    if flying:
        words.append("%s in flight (%s)" % (_plural(len(flying)), _named(
            flying, lambda m: "%s %s" % (_vm(m), _route(m)))))
    else:
        words.append("no VM migration in flight")
    words.append("none failed in the last %s" % span)
    if done:
        words.append("%d succeeded" % len(done))
    return items, metrics, ", ".join(words)


def evaluate(model, options):
    inventory = model.inventory
    critical_at = getattr(options, "critical_failures", None)
    if critical_at is not None and critical_at < 1:
        raise UsageError("--critical-failures must be 1 or more")
    nodes = select_nodes(inventory, options)
    filtered = bool(getattr(options, "filter_name", None)
                    or getattr(options, "filter_name_regex", None))
    extra, info = [], []
    window = _window(options)
    if not model.complete and (model.oldest is None
                               or model.oldest > model.now - window * 60):
        extra.append(Item(State.UNKNOWN, "Prism returned only the newest %d of %s tasks, "
                          "reaching back %s; migrations that failed earlier in the window "
                          "may be missing" % (model.read, model.total or "more",
                                              _human(model.now - model.oldest)
                                              if model.oldest else "not at all"),
                          brief="task list incomplete"))
    if filtered:
        verdicts = []
        for node in nodes:
            mine = [m for m in model.migrations if touches(m, node)]
            items, metrics, words = judge(mine, model, options, instance=node.name)
            verdicts.append(NodeVerdict(node.name, items, metrics, ok_brief=words))
        loose = [m for m in model.migrations if not m.source and not m.destination]
        if loose:
            info.append("%s %s no host and %s judged only without --filter-name" % (
                _plural(len(loose), "VM migration task"),
                "names" if len(loose) == 1 else "name", "is" if len(loose) == 1 else "are"))
        chosen = [m for m in model.migrations if any(touches(m, n) for n in nodes)]
        return node_result(clean(inventory.cluster.name), verdicts, True,
                           judge(chosen, model, options)[2], extra=extra, info=info,
                           notes=["source: %s" % model.source])
    items, metrics, words = judge(model.migrations, model, options)
    return node_result(clean(inventory.cluster.name), [], False, words, extra=extra + items,
                       metrics=metrics, info=info, notes=["source: %s" % model.source])


SPEC = CheckSpec(
    name="migrations",
    title="VM live migrations: in flight, and failed in the last --window minutes",
    description=(
        "Reads the cluster's tasks and judges its VM live migrations: any that failed in the\n"
        "last --window minutes is a WARNING (CRITICAL from --critical-failures N failures on),\n"
        "those in flight are stated with their hosts and progress, and -w/-c can make many in\n"
        "flight a warning. --filter-name keeps the migrations whose source or destination is\n"
        "that node. Works against a Prism Element VIP (v2.0 tasks), or Prism Central with\n"
        "--cluster NAME (v4 prism tasks). How a migrate task names its VM and hosts is\n"
        "INFERRED (see the notes)."),
    scope="node",
    sources=("prism-element", "prism-central"),
    options=FILTER_OPTIONS + (
        Option(("--window",), "minutes a failed migration stays reported (default "
               "%(default)s)", default=60, type="int", metavar="MINUTES", macro="WINDOW"),
        Option(("--critical-failures",), "CRITICAL when this many migrations failed in the "
               "window (default: failures only warn)", type="int", metavar="N",
               macro="CRITICALFAILURES"),
    ),
    metrics=(
        MetricSpec("migrations.running.count", "", "VM migrations queued or running; -w/-c "
                   "apply (per node with --filter-name, without it the cluster's total and no "
                   "`node#` prefix)", per_instance="node", minimum=0),
        MetricSpec("migrations.failed.count", "", "VM migrations that failed in the window; "
                   "warning above 0, critical from --critical-failures", per_instance="node",
                   minimum=0),
        MetricSpec("migrations.succeeded.count", "", "VM migrations that succeeded in the "
                   "window", per_instance="node", minimum=0),
    ),
    alerts=(
        Alert("WARNING", "a VM migration failed in the last --window minutes",
              "The line names the VM and its hosts; the long output quotes Prism's error. "
              "Common causes: not enough memory on the destination, the destination host "
              "disconnected from Acropolis, a VM affinity rule. Retry from Prism once fixed."),
        Alert("CRITICAL", "--critical-failures N or more VM migrations failed in the window",
              "Many failures point at the cluster, not one VM: check hosts (the ahv check), "
              "free memory for HA and maintenance, and the acropolis service."),
        Alert("WARNING", "more VM migrations in flight than -w allows (-c for CRITICAL)",
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
        "the first host as the source, the second as the destination (order INFERRED). A task "
        "that names no host gets its VM's current host as the source.",
        "Failed means FAILED or ABORTED; a migration cancelled on Prism Central (CANCELED) is "
        "not counted. In flight means QUEUED, RUNNING, CANCELING or SUSPENDED, whatever its "
        "age.",
        "Prism Element: POST v2.0/tasks/list with include_completed and count (body keys "
        "INFERRED), the newest 500 tasks. Prism Central: GET prism/v4.0/config/tasks, newest "
        "first, page by page back to the window (field names MODEL).",
        "Perfdata: with --filter-name the counts are per node (`node-03#...`); without, they "
        "are the cluster's totals.",
    ),
)
