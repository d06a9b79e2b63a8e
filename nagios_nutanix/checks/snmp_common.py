"""What the SNMP checks share: the connection, the cluster's name, the CVM directory (the
NUTANIX-MIB CVM tables joined), status words, and per-object usage judgements."""

from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
from ..plugin.words import size
from .spec import Alert, Option


def latency_words(microseconds):
    if microseconds >= 1000:
        return "%.1f ms" % (microseconds / 1000.0)
    return "%d us" % microseconds


def filter_options(by, macro="FILTERNAME"):
    """--filter-name / --filter-name-regex (the nodes.py matcher) with SNMP's own words: an
    agent's tables only know some of a node's names. `macro`: FILTERNAME is the node a node
    host stands for; a filter of other objects (containers, pools) names its own macro."""
    return (
        Option(("--filter-name",), "the one to check, by %s; exact, case-insensitive "
               "(default: all)" % by, metavar="NAME", macro=macro),
        Option(("--filter-name-regex",), "the ones whose %s matches this regular expression "
               "as a whole, case-insensitive" % by, metavar="PATTERN",
               macro=macro + "_REGEX"),
    )


def filtered(options):
    return bool(getattr(options, "filter_name", None)
                or getattr(options, "filter_name_regex", None))


def folded(items, ok_text):
    """A sound object's items as one line (so 16 nodes fit the 8 KB output); an object in
    trouble keeps every line."""
    if ok_text and items and all(i.state == State.OK for i in items):
        return [Item(State.OK, ok_text)]
    return items


def thresholds(options, key):
    key = key.replace("-", "_")
    return Thresholds(getattr(options, "warning_" + key, None),
                      getattr(options, "critical_" + key, None))


SNMP_UNKNOWN_ALERT = Alert(
    "UNKNOWN", "the agent does not answer, refuses the credentials, or lacks the table",
    "The line names the agent and the table. No answer: SNMP enabled in Prism (Settings > "
    "SNMP), UDP 161 open from the poller, community or v3 user right. Authentication "
    "failure: check the v3 user's protocols and pass phrases. noSuchObject or an empty "
    "table: -H is not a CVM/cluster VIP with the Nutanix agent, or the AOS version does not "
    "serve that table.")


def open_cvm_agent(context):
    from ..snmp.session import open_agent

    return open_agent(context)


def cluster_name(agent):
    """clusterName.0, the scope of every NUTANIX-MIB check; the agent's address if missing."""
    from ..snmp import mib
    from ..snmp.session import text

    try:
        value = agent.get([("name", mib.CLUSTER_NAME)], "clusterName")["name"]
    except Exception:  # the tables may still answer; the scope then names the agent
        value = None
    return text(value) or agent.target.host


# ------------------------------------------------------------------ status words

# The controllerStatusTable vocabulary is not documented (reference nutanix-api.md §3.3); these
# are the plausible spellings (INFERRED), matched case-insensitively.
UP_WORDS = frozenset(("up", "started", "running", "on", "ok", "normal", "healthy", "true"))
DOWN_WORDS = frozenset(("down", "stopped", "off", "failed", "dead", "error", "false", "kdown",
                        "not running", "unhealthy", "crashed"))


def status_state(value):
    """(state, word) of a status string: Up-like OK, Down-like CRITICAL, else UNKNOWN."""
    word = clean(value).strip() if value is not None else ""
    lowered = word.lower()
    if lowered in UP_WORDS:
        return State.OK, word
    if lowered in DOWN_WORDS:
        return State.CRITICAL, word
    return State.UNKNOWN, word


# ------------------------------------------------------------------ the CVM directory


class Cvm:
    """One CVM from the NUTANIX-MIB tables: its name, every id it is known by, its rows."""

    __slots__ = ("name", "ids", "resources", "status", "services", "host", "joined")

    def __init__(self, name, ids, resources=None, status=None, joined="id"):
        self.name = name
        self.ids = list(ids)
        self.resources = resources
        self.status = status
        self.services = None
        self.host = None  # the hypervisor name, when the VM table tells it
        self.joined = joined

    def names(self):
        return [self.name] + self.ids + ([self.host] if self.host else [])


def normalized_id(value):
    from ..snmp.session import text

    return (text(value) or "").lower()


def cvm_directory(resources, statuses):
    """Join controllerVMResourceTable and controllerStatusTable rows into Cvm records.

    By id first (quotes and case ignored). Rows left over on both sides after an upgrade
    changed one table's ids (Centreon PR #5904 saw this) are joined by row index when both
    tables have the same leftover indexes (INFERRED: both list one row per CVM in the same
    order); a status row that still joins nothing stands alone, named by its id.
    """
    from ..snmp.session import text

    cvms = []
    by_id = {}
    for index, row in resources.items():
        ident = normalized_id(row.get("cvm_id"))
        cvm = Cvm(text(row.get("name")) or "CVM %s" % (text(row.get("cvm_id")) or index),
                  [text(row.get("cvm_id"))] if row.get("cvm_id") else [], resources=row)
        cvm.joined = index  # the crt index, for the by-index fallback below
        cvms.append(cvm)
        if ident:
            by_id[ident] = cvm
    left = {}
    for index, row in statuses.items():
        ident = normalized_id(row.get("cvm_id"))
        cvm = by_id.get(ident)
        if cvm is not None and cvm.status is None:
            cvm.status = row
            cvm.joined = "id"
        else:
            left[index] = row
    unmatched = [c for c in cvms if c.status is None]
    if left and unmatched and sorted(left) == sorted(c.joined for c in unmatched):
        for cvm in unmatched:
            row = left.pop(cvm.joined)
            cvm.status = row
            if row.get("cvm_id") and text(row.get("cvm_id")) not in cvm.ids:
                cvm.ids.append(text(row.get("cvm_id")))
            cvm.joined = "index"
    for cvm in cvms:
        if cvm.joined not in ("id", "index"):
            cvm.joined = "id" if cvm.status is not None else "none"
    for index, row in left.items():
        ident = text(row.get("cvm_id")) or index
        cvms.append(Cvm("CVM %s" % ident, [ident], status=row, joined="status only"))
    return cvms


def find_cvm(cvms, ident):
    wanted = normalized_id(ident)
    if not wanted:
        return None
    for cvm in cvms:
        if any(normalized_id(i) == wanted for i in cvm.ids):
            return cvm
    return None


def attach_hosts(agent, cvms):
    """Name each CVM's AHV host from vmInformationTable (CVMs listed as VMs: INFERRED) and
    hypervisorInformationTable; CVMs not found keep host None."""
    from ..snmp import mib
    from ..snmp.session import SnmpError, text

    wanted = {cvm.name.lower(): cvm for cvm in cvms}
    # The VM table can be long: walk the names only, then ask the host of the CVM rows.
    names = agent.table(mib.VMS, ("name",), required=False)
    rows = [(index, wanted[(text(r["name"]) or "").lower()]) for index, r in names.items()
            if (text(r["name"]) or "").lower() in wanted]
    if not rows:
        return
    hypervisors = agent.table(mib.HYPERVISORS, ("id", "name"), required=False)
    host_names = {normalized_id(r.get("id")): text(r.get("name")) for r in hypervisors.values()}
    column = "%s.%d" % (mib.VMS.entry, mib.VMS.columns["hypervisor_id"])
    for start in range(0, len(rows), 40):
        chunk = rows[start:start + 40]
        try:
            answer = agent.get([(index, "%s.%s" % (column, index)) for index, _ in chunk],
                               "the hosts of the CVMs (vmInformationTable vmHypervisorId)")
        except SnmpError:  # no host column: the CVMs keep their own names only
            return
        for index, cvm in chunk:
            cvm.host = host_names.get(normalized_id(answer.get(index)))


def select_cvms(agent, cvms, options, where):
    """FILTERNAME over CVMs: by CVM name or id first; by host name after asking the VM table."""
    from ..nodes import matcher, select

    keep = matcher(options)
    if keep is None:
        return list(cvms)
    if not any(keep([n for n in c.names() if n]) for c in cvms):
        attach_hosts(agent, cvms)
        if not any(c.host for c in cvms):
            where += " (host names unknown: the agent's VM table names no CVM)"
    return select(cvms, options, lambda c: [n for n in c.names() if n], where, what="CVM")


# ------------------------------------------------------------------ usage of pools/containers


class Usage:
    """A storage object's row: name, capacity, usage, IOPS, latency."""

    __slots__ = ("name", "id", "total", "used", "iops", "latency_us", "bandwidth_kBps")

    def __init__(self, name, id=None, total=None, used=None, iops=None, latency_us=None,
                 bandwidth_kBps=None):
        self.name = name
        self.id = id
        self.total = total
        self.used = used
        self.iops = iops
        self.latency_us = latency_us
        self.bandwidth_kBps = bandwidth_kBps

    @property
    def percent(self):
        if self.total is None or self.used is None or self.total <= 0:
            return None
        return self.used * 100.0 / self.total


def usage_rows(rows):
    from ..snmp.session import number, text

    return [Usage(text(r.get("name")) or "#%s" % index, text(r.get("id")),
                  number(r.get("total_bytes")), number(r.get("used_bytes")),
                  number(r.get("iops")), number(r.get("latency_us")),
                  number(r.get("bandwidth_kBps")))
            for index, r in rows.items()]


def judge_usage(obj, options, noun, prefix):
    """(items, metrics, brief) of one pool or container."""
    usage = Thresholds(options.warning, options.critical)
    latency = thresholds(options, "latency")
    items, metrics = [], []
    pct = obj.percent
    if pct is None:
        items.append(Item(State.UNKNOWN, "capacity or usage not served",
                          brief="usage unknown"))
    else:
        state = usage.evaluate(pct)
        items.append(Item(state, "%.1f%% used (%s of %s)" % (
            pct, size(obj.used), size(obj.total)), brief="%.1f%% used" % pct))
    metrics.append(Metric(prefix + ".space.usage.percentage",
                          None if pct is None else round(pct, 2),
                          "%", usage.warning, usage.critical, 0, 100, instance=obj.name))
    metrics.append(Metric(prefix + ".space.usage.bytes", obj.used, "B", minimum=0,
                          maximum=obj.total,
                          instance=obj.name))
    if obj.latency_us is not None:
        state = latency.evaluate(obj.latency_us)
        items.append(Item(state, "average IO latency %s" % latency_words(obj.latency_us),
                          brief="latency %s" % latency_words(obj.latency_us)))
    metrics.append(Metric("io.latency.microseconds", obj.latency_us, "us", latency.warning,
                          latency.critical, 0, instance=obj.name))
    metrics.append(Metric("io.operations.persecond", obj.iops, "", minimum=0,
                          instance=obj.name))
    brief = "%.1f%% used" % pct if pct is not None else "usage unknown"
    return items, metrics, brief


def collect_usage(context, table, noun):
    """(cluster, [Usage] kept by --filter-name, filtered) of the pool or container table."""
    from ..nodes import select

    agent = open_cvm_agent(context)
    try:
        rows = usage_rows(agent.table(table))
        cluster = cluster_name(agent)
    finally:
        agent.close()
    chosen = select(rows, context.options, lambda u: [u.name, u.id],
                    "cluster %s (%s)" % (clean(cluster), table.name), what=noun)
    return cluster, chosen, filtered(context.options), agent.target.host


def evaluate_usage(model, options, noun, plural, prefix):
    """The node-scoped result shape over pools or containers: one verdict each."""
    from ..nodes import NodeVerdict, node_result

    cluster, objects, is_filtered, agent = model
    verdicts = []
    for obj in objects:
        items, metrics, brief = judge_usage(obj, options, noun, prefix)
        verdicts.append(NodeVerdict(clean(obj.name), items, metrics, brief))
    pcts = [o.percent for o in objects if o.percent is not None]
    ok = "%d %s" % (len(objects), noun if len(objects) == 1 else plural)
    if len(pcts) == 1:
        ok += ", %.1f%% used" % pcts[0]
    elif pcts:
        ok += ", the fullest %.1f%% used" % max(pcts)
    return node_result(clean(cluster), verdicts, is_filtered, ok, noun=plural,
                       notes=["source: NUTANIX-MIB on %s" % agent])


def usage_alerts(noun, plural):
    return (
        Alert("WARNING", "a %s at or above -w (default 80 %%) used" % noun,
              "Free space in it (old snapshots, unused VMs or vDisks) or extend it; at -c "
              "(default 90 %%, CRITICAL) writes are close to failing and the cluster may "
              "not rebuild after a node loss."),
        Alert("WARNING", "a %s's latency outside --warning-latency/--critical-latency" % noun,
              "Look at Prism > Analysis for the VMs driving the IO."),
        SNMP_UNKNOWN_ALERT,
        Alert("UNKNOWN", "--filter-name matches no %s" % noun,
              "The line lists the %s the agent knows." % plural),
    )


def usage_metrics(per, prefix):
    from .spec import MetricSpec

    return (
        MetricSpec(prefix + ".space.usage.percentage", "%", "used / total capacity; -w/-c "
                   "apply",
                   per_instance=per, minimum=0, maximum=100),
        MetricSpec(prefix + ".space.usage.bytes", "B", "used bytes; max is the capacity",
                   per_instance=per, minimum=0),
        MetricSpec("io.latency.microseconds", "us", "average IO latency", per_instance=per,
                   minimum=0),
        MetricSpec("io.operations.persecond", "", "IOPS", per_instance=per, minimum=0),
    )
