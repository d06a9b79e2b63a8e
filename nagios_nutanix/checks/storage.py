"""`storage`: how full are the pools and containers, and could the cluster rebuild a lost node?"""

from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State, severity
from ..plugin.words import listing, plural, size
from .spec import Alert, CheckSpec, MetricSpec, Option

SAVINGS_WORDS = {"overall": "overall", "dedup": "deduplication", "compression": "compression",
                 "erasure_coding": "erasure coding"}


def collect(context):
    from ..prism import storage

    return storage.collect(context)


# -- words ---------------------------------------------------------------------------------------
def percent(value):
    return "%.1f %%" % value


def ratio(value):
    return "%.2f:1" % value


# -- judgement -----------------------------------------------------------------------------------
def space_item(what, space, thresholds, planning, brief=None):
    """(Item, state) for one pool, container or the cluster."""
    label = "%s %s" % (what, clean(space.name)) if what else clean(space.name)
    if space.used is None or not space.capacity:
        reason = space.missing or ("no capacity reported" if space.used is not None
                                   else "no usage reported")
        return Item(State.UNKNOWN, "%s: usage not known (%s)" % (label, clean(reason)),
                    brief=brief), State.UNKNOWN
    pct = space.percent
    state = thresholds.evaluate(pct)
    against = "" if space.against in ("pool capacity", "cluster storage capacity") else (
        " of %s" % clean(space.against))
    figures = "%s of %s%s" % (size(space.used), size(space.capacity),
                              " logical" if space.logical else "")
    text = "%s %s%s used (%s)" % (label, percent(pct), against, figures)
    if state == State.OK and planning is not None and pct >= planning:
        text += ": capacity planning, above %s" % percent(planning)
    if state != State.OK:
        free = space.capacity - space.used
        text += ", %s free" % size(free) if free > 0 else ", nothing free"
    return Item(state, text, brief=brief), state


def space_metrics(prefix, space, thresholds, instance=None):
    pct = space.percent
    return [
        Metric("%s.space.usage.bytes" % prefix, space.used, "B", minimum=0,
               maximum=space.capacity, instance=instance),
        Metric("%s.space.capacity.bytes" % prefix, space.capacity, "B", minimum=0,
               instance=instance),
        Metric("%s.space.usage.percentage" % prefix, None if pct is None else round(pct, 2), "%",
               warning=thresholds.warning, critical=thresholds.critical, minimum=0,
               maximum=100, instance=instance),
    ]


def savings_metrics(prefix, space, minimum, instance=None):
    out = []
    for kind in ("overall", "dedup", "compression", "erasure_coding"):
        if kind not in space.savings:
            continue
        value = space.savings[kind]
        out.append(Metric("%s.savings.%s.ratio" % (prefix, kind),
                          None if value is None else round(value, 4),
                          warning=Range.parse("%s:" % minimum) if minimum and kind == "overall"
                          else None, minimum=0, instance=instance))
    return out


def savings_item(what, space, minimum):
    """WARNING when the overall data-reduction ratio is below --min-savings-ratio."""
    value = space.savings.get("overall")
    label = "%s %s" % (what, clean(space.name)) if what else clean(space.name)
    if value is None:
        return Item(State.UNKNOWN, "%s: data-reduction ratio not reported, --min-savings-ratio "
                    "not checked" % label)
    if value < minimum:
        return Item(State.WARNING, "%s: data reduction %s, below the minimum %s"
                    % (label, ratio(value), ratio(minimum)))
    return Item(State.OK, "%s: data reduction %s, minimum %s" % (label, ratio(value),
                                                                   ratio(minimum)))


def resilience(model, warning):
    """(items, metrics, ok words) of the resilient-capacity judgement.

    Resilient capacity = the sum of the hosts' storage capacity minus that of the RF - 1
    largest hosts: what is left to hold all the data after the worst node failures the
    redundancy factor is meant to survive. Usage above it (by default) means the data of a
    failed node could not be re-protected on the others.
    """
    hosts = model.hosts
    rf = model.cluster.rf_current or model.cluster.rf_desired
    if rf is None:
        return [Item(State.UNKNOWN, "resilient capacity not computed: redundancy factor not "
                     "reported")], [], None
    failures = rf - 1
    if failures <= 0:
        return [Item(State.OK, "resilient capacity not applicable: RF%d keeps a single copy, "
                     "a node failure leaves nothing to rebuild" % rf)], [], None
    unknown = [clean(h.name) for h in hosts if h.capacity is None]
    if not hosts or unknown:
        return [Item(State.UNKNOWN, "resilient capacity not computed: storage capacity not "
                     "reported for %s" % (listing(unknown) if unknown else "any host"))], [], None
    if len(hosts) <= failures:
        return [Item(State.WARNING, "only %s with storage: RF%d cannot rebuild after a "
                     "node failure" % (plural(len(hosts), "node"), rf))], [], None
    used = model.total.used
    if used is None:
        used = sum(h.used or 0 for h in hosts) if all(h.used is not None for h in hosts) \
            else None
    if used is None:
        return [Item(State.UNKNOWN, "resilient capacity not computed: storage usage not "
                     "reported")], [], None
    lost = sorted(hosts, key=lambda h: -h.capacity)[:failures]
    lost_bytes = sum(h.capacity for h in lost)
    resilient = sum(h.capacity for h in hosts) - lost_bytes
    lost_names = " and ".join(clean(h.name) for h in lost)
    failure = "a node failure" if failures == 1 else "%d node failures" % failures
    if resilient <= 0:
        return [Item(State.WARNING, "too full to rebuild after %s: no storage capacity left "
                     "without %s" % (failure, lost_names))], [], None
    pct = 100.0 * used / resilient
    state = Thresholds(warning).evaluate(pct)
    metrics = [
        Metric("resilient.capacity.bytes", resilient, "B", minimum=0),
        Metric("resilient.usage.percentage", round(pct, 2), "%", warning=warning, minimum=0),
    ]
    how = "resilient capacity = %s on %d nodes minus %s %s (%s)" % (
        size(resilient + lost_bytes), len(hosts),
        "the largest," if failures == 1 else "the %d largest," % failures, lost_names,
        size(lost_bytes))
    if state != State.OK and pct > 100:
        brief = "too full to rebuild after %s: %s used, %s left without %s (%s of resilient " \
            "capacity)" % (failure, size(used), size(resilient), lost_names, percent(pct))
        return [Item(state, "%s; %s" % (brief, how), brief=brief)], metrics, None
    if state != State.OK:  # a tighter --resilient-warning than 100
        brief = "resilient capacity %s used: %s used, %s left after %s without %s" % (
            percent(pct), size(used), size(resilient), failure, lost_names)
        return [Item(state, "%s; %s" % (brief, how), brief=brief)], metrics, None
    text = "can rebuild after %s: %s used, %s left without %s (%s of resilient capacity); %s" \
        % (failure, size(used), size(resilient), lost_names, percent(pct), how)
    words = "resilient to %s (%s of resilient capacity used)" % (failure, percent(pct))
    return [Item(State.OK, text)], metrics, words


def _filtered(options):
    return bool(getattr(options, "filter_container", None)
                or getattr(options, "filter_container_regex", None))


class _Verdict:
    """What evaluate() gathers, part by part."""

    def __init__(self):
        self.items, self.metrics, self.ok_words, self.info = [], [], [], []


def _judge_pools_and_cluster(model, thresholds, planning, out):
    """Pools (Prism Element), then the cluster as a whole."""
    pool_states = []
    for pool in model.pools:
        item, state = space_item("storage pool", pool, thresholds, planning)
        pool_states.append(state)
        out.items.append(item)
        out.metrics += space_metrics("storagepool", pool, thresholds, instance=pool.name)
    item, state = space_item("cluster", model.total, thresholds, planning)
    if state == State.OK or (state != State.UNKNOWN and any(
            severity(p) >= severity(state) for p in pool_states)):
        # The pool lines already say it: the cluster-wide line stays in the long output. An
        # UNKNOWN one always reaches the first line with its reason.
        item.brief = ""
    out.items.append(item)
    out.metrics += space_metrics("cluster", model.total, thresholds)
    total = model.total
    if total.percent is not None:
        out.ok_words.append("storage %s used (%s of %s)%s" % (
            percent(total.percent), size(total.used), size(total.capacity),
            ", capacity planning" if planning is not None and total.percent >= planning
            else ""))
    if model.pools == [] and not model.not_available:
        out.items.append(Item(State.UNKNOWN, "Prism listed no storage pool"))


def _judge_containers(model, containers, thresholds, planning, minimum, filtered, out):
    for container in containers:
        item, _ = space_item("container", container, thresholds, planning,
                             brief=None if filtered else "")
        if item.state != State.OK:
            item.brief = item.text
        overall = container.savings.get("overall")
        if overall is not None:
            item.text += ", data reduction %s" % ratio(overall)
        out.items.append(item)
        out.metrics += space_metrics("container", container, thresholds,
                                     instance=container.name)
        out.metrics += savings_metrics("container", container, minimum if filtered else None,
                                       instance=container.name)
        if minimum and filtered:
            out.items.append(savings_item("container", container, minimum))
    if not containers:
        out.items.append(Item(State.OK if model.pools else State.UNKNOWN,
                              "no storage containers listed"))
    if not filtered:
        out.ok_words.append(plural(len(containers), "container"))
    elif len(containers) == 1 and containers[0].percent is not None:
        only = containers[0]
        out.ok_words.append("container %s %s of %s used" % (
            clean(only.name), percent(only.percent), clean(only.against)))
    else:
        known = [c for c in containers if c.percent is not None]
        fullest = max(known, key=lambda c: c.percent) if known else None
        out.ok_words.append("%d containers%s" % (len(containers), "" if fullest is None else
                                                 ", fullest %s %s used" % (
                                                     clean(fullest.name),
                                                     percent(fullest.percent))))


def _judge_savings_and_resilience(model, options, out):
    overall = model.total.savings.get("overall")
    if overall is not None:
        out.ok_words.append("data reduction %s" % ratio(overall))
    minimum = options.min_savings_ratio
    out.metrics += savings_metrics("cluster", model.total, minimum)
    if minimum:
        out.items.append(savings_item("cluster", model.total, minimum))
    if model.hosts is not None:
        found, more, words = resilience(model, options.resilient_warning)
        out.items += found
        out.metrics += more
        if words:
            out.ok_words.append(words)
    if model.not_available:
        out.info.append("not available from %s, not checked: %s; monitor the cluster's Prism "
                        "Element for those" % (model.source, "; ".join(model.not_available)))


def evaluate(model, options):
    from ..nodes import select

    thresholds = Thresholds(options.warning, options.critical)
    container_thresholds = Thresholds(
        options.container_warning if options.container_warning is not None else options.warning,
        options.container_critical if options.container_critical is not None
        else options.critical)
    filtered = _filtered(options)
    containers = select(model.containers, options, lambda c: [c.name, c.uuid],
                        "cluster %s" % clean(model.cluster.name), what="storage container",
                        exact="filter_container", regex="filter_container_regex")
    out = _Verdict()
    if not filtered:
        _judge_pools_and_cluster(model, thresholds, options.planning, out)
    _judge_containers(model, containers, container_thresholds, options.planning,
                      options.min_savings_ratio, filtered, out)
    if not filtered:
        _judge_savings_and_resilience(model, options, out)
    notes = ["source: %s" % model.source,
             "resilient capacity = sum of the hosts' storage capacity (v2.0 hosts usage_stats "
             "storage.capacity_bytes) minus that of the RF-1 largest hosts; compared with the "
             "cluster's storage.usage_bytes"]
    return Result(model.cluster.name, out.items, out.metrics, ok_summary=", ".join(out.ok_words),
                  info=out.info, notes=notes)


SPEC = CheckSpec(
    name="storage",
    title="Storage capacity: pools, containers, data reduction, resilient capacity",
    description=(
        "Judges how full the storage pools, the cluster and each storage container are, shows\n"
        "the data-reduction savings, and whether the cluster could still re-protect its data\n"
        "after losing its largest node (resilient capacity). Works against a Prism Element\n"
        "VIP, or Prism Central with --cluster NAME (containers and the cluster-wide figures\n"
        "only: pools and per-host capacity are Prism Element data)."),
    scope="cluster",
    sources=("prism-element", "prism-central"),
    options=(
        Option(("--filter-container",), "check only this storage container (by name or "
               "UUID, exact, case-insensitive); pools, cluster-wide usage and resilient "
               "capacity are then left to an unfiltered service", metavar="NAME",
               macro="FILTERCONTAINER"),
        Option(("--filter-container-regex",), "check only the storage containers whose name "
               "matches this regular expression as a whole, case-insensitive",
               metavar="PATTERN", macro="FILTERCONTAINER_REGEX"),
        Option(("--container-warning",), "warning range for a container's usage percentage "
               "(default: -w)", type="range", metavar="RANGE"),
        Option(("--container-critical",), "critical range for a container's usage percentage "
               "(default: -c)", type="range", metavar="RANGE"),
        Option(("--planning",), "usage percentage from which an OK line says 'capacity "
               "planning' (default %(default)s)", default=70, type="float",
               metavar="PERCENT"),
        Option(("--min-savings-ratio",), "WARNING when the overall data-reduction ratio is "
               "below this (e.g. 1.5 for 1.5:1): the cluster's, or each filtered container's; "
               "default: not checked", type="float", metavar="RATIO"),
        Option(("--resilient-warning",), "warning range for the usage in percent of the "
               "resilient capacity, the capacity left after losing the RF-1 largest nodes "
               "(default %(default)s: warn when the data would no longer fit)", default="100",
               type="range", metavar="RANGE"),
    ),
    metrics=(
        MetricSpec("storagepool.space.usage.bytes", "B", "physical bytes used in the pool "
                   "(replicas included)", per_instance="pool", minimum=0),
        MetricSpec("storagepool.space.capacity.bytes", "B", "pool capacity",
                   per_instance="pool", minimum=0),
        MetricSpec("storagepool.space.usage.percentage", "%", "pool usage; -w/-c apply",
                   per_instance="pool", minimum=0, maximum=100),
        MetricSpec("cluster.space.usage.bytes", "B", "cluster-wide physical bytes used",
                   minimum=0),
        MetricSpec("cluster.space.capacity.bytes", "B", "cluster-wide storage capacity",
                   minimum=0),
        MetricSpec("cluster.space.usage.percentage", "%", "cluster-wide usage; -w/-c apply",
                   minimum=0, maximum=100),
        MetricSpec("container.space.usage.bytes", "B", "bytes the container uses, in the "
                   "terms of its capacity: logical against an advertised capacity, physical "
                   "against the pool", per_instance="container", minimum=0),
        MetricSpec("container.space.capacity.bytes", "B", "its advertised capacity, or its "
                   "pool's capacity", per_instance="container", minimum=0),
        MetricSpec("container.space.usage.percentage", "%", "container usage; "
                   "--container-warning/--container-critical (default -w/-c) apply",
                   per_instance="container", minimum=0, maximum=100),
        MetricSpec("container.savings.overall.ratio", "", "data-reduction ratio (1.5 = 1.5:1); "
                   "also .dedup, .compression, .erasure_coding", per_instance="container",
                   minimum=0),
        MetricSpec("cluster.savings.overall.ratio", "", "cluster-wide data-reduction ratio",
                   minimum=0),
        MetricSpec("resilient.capacity.bytes", "B", "capacity left after losing the RF-1 "
                   "largest nodes (Prism Element only)", minimum=0),
        MetricSpec("resilient.usage.percentage", "%", "cluster usage in percent of the "
                   "resilient capacity; --resilient-warning applies", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "a storage pool (or the cluster) is above the critical level "
              "(default 90 %)",
              "Free space now: delete old snapshots and recovery points, empty the recycle "
              "bin, move or remove VMs; add nodes or disks. A full pool stops writes."),
        Alert("WARNING", "a storage pool (or the cluster) is above the warning level "
              "(default 80 %)",
              "Plan capacity: find the growing containers (perfdata), review snapshot "
              "retention, order nodes or disks."),
        Alert("CRITICAL", "a container is above its critical level (default -c)",
              "The container's advertised capacity (or the pool) is nearly used up: raise the "
              "advertised capacity, move VMs, or free space in that container."),
        Alert("WARNING", "a container is above its warning level (default -w)",
              "Review what grows in that container and its advertised capacity."),
        Alert("WARNING", "usage exceeds the resilient capacity (the capacity left after "
              "losing the RF-1 largest nodes)",
              "A node failure now would leave the other nodes too full to re-protect the "
              "data. Free space or add capacity before the next failure or maintenance."),
        Alert("WARNING", "the overall data-reduction ratio is below --min-savings-ratio",
              "Check that compression/deduplication/erasure coding are enabled as intended "
              "and whether new data reduces poorly (encrypted or already-compressed data)."),
        Alert("UNKNOWN", "Prism did not report a usage or capacity figure the check needs",
              "The line names the pool, container or host; check the user's role and the AOS "
              "version."),
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="storagepool.space.usage.percentage",
    default_warning="80",
    default_critical="90",
    notes=(
        "-w/-c apply to each storage pool's and the cluster-wide usage percentage; an OK line "
        "says 'capacity planning' from --planning (70 %) on.",
        "A container with an advertised capacity is judged against it in logical bytes "
        "(storage.user_usage_bytes): INFERRED from the v4 field name "
        "logicalAdvertisedCapacityBytes; otherwise its physical usage against its pool.",
        "Resilient capacity is computed by this check, not read from Prism: the sum of the "
        "hosts' storage capacity (v2.0 hosts usage_stats storage.capacity_bytes, "
        "compute-only hosts left out) minus that of the RF-1 largest hosts (1 for RF2, 2 for "
        "RF3); the cluster's used bytes are compared with it. Above 100 % the data of the "
        "failed nodes could not be re-protected on the others.",
        "Data-reduction ratios come from the data_reduction.<kind>.saving_ratio_ppm keys "
        "(v2.0 storage_containers usage_stats, or v1 containers).",
        "On Prism Central, containers and the cluster-wide figures come from v4 clustermgmt "
        "storage-containers and stats (field names from the v4 SDK models: MODEL, not "
        "checked against a live Prism Central); storage pools and resilient capacity are not "
        "available there and the output says so.",
    ),
)
