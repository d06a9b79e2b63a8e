"""What the SNMP checks share: reading the Nutanix agent (clusterName rides on the first
request), the CVM directory (the NUTANIX-MIB CVM tables joined), naming a CVM's host, status
words, and per-object usage judgements."""

from ..nodes import NodeVerdict, filtered, matcher, node_result, select
from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
from ..plugin.words import size
from .spec import Alert, MetricSpec, Option, thresholds


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


def folded(items, ok_text):
    """A sound object's items as one line (so 16 nodes fit the 8 KB output); an object in
    trouble keeps every line."""
    if ok_text and items and all(i.state == State.OK for i in items):
        return [Item(State.OK, ok_text)]
    return items


SNMP_UNKNOWN_ALERT = Alert(
    "UNKNOWN", "the agent does not answer, refuses the credentials, or lacks the table",
    "The line names the agent and the table. No answer: SNMP enabled in Prism (Settings > "
    "SNMP), UDP 161 open from the poller, the v3 user right (the Nutanix agent serves the v3 "
    "users configured in Prism; v2c communities are not documented). Authentication "
    "failure: check the v3 user's protocols and pass phrases. noSuchObject or an empty "
    "table: -H is not a CVM/cluster VIP with the Nutanix agent, or the AOS version does not "
    "serve that table (the line says which when the agent answers other NUTANIX-MIB objects).")


# ------------------------------------------------------------------ the Nutanix agent


def read_cvm_agent(context, read):
    """read(agent) with the Nutanix agent of -H open, closed afterwards. clusterName (the scope
    of every NUTANIX-MIB check; cluster_name()) is asked along with read's first request."""
    from ..snmp import mib
    from ..snmp.session import open_agent

    agent = open_agent(context)
    agent.also_ask([("cluster_name", mib.CLUSTER_NAME)])
    try:
        return read(agent)
    finally:
        agent.close()


def cluster_name(agent):
    """clusterName.0 as read_cvm_agent() asked it; the agent's address when it is not served."""
    from ..snmp.session import text

    return text(agent.scalars.get("cluster_name")) or agent.target.host


# ------------------------------------------------------------------ status words

# The controllerStatusTable vocabulary is not documented (reference nutanix-api.md §3.3); these
# are the plausible spellings (INFERRED), matched case-insensitively.
UP_WORDS = frozenset(("up", "started", "running", "on", "ok", "normal", "healthy", "true"))
DOWN_WORDS = frozenset(("down", "stopped", "off", "failed", "dead", "error", "false", "kdown",
                        "not running", "unhealthy", "crashed"))
STATUS_WORDS_NOTE = (
    "The status vocabulary is not documented: %s count as up and %s as down, "
    "case-insensitively (INFERRED); anything else is UNKNOWN with the raw value."
    % ("/".join(sorted(UP_WORDS)), "/".join(sorted(DOWN_WORDS))))


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
    hypervisorInformationTable; CVMs not found keep host None. An agent without the VM table's
    host column (noSuchObject) leaves the CVMs their own names; any other failure (no answer,
    refused credentials) raises."""
    from ..snmp import mib
    from ..snmp.session import NoSuchObject, text

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
        except NoSuchObject:
            return
        for index, cvm in chunk:
            cvm.host = host_names.get(normalized_id(answer.get(index)))


def select_cvms(agent, cvms, options, where):
    """FILTERNAME over CVMs: by CVM name or id first; by host name after asking the VM table."""
    keep = matcher(options)
    if keep is None:
        return list(cvms)
    if not any(keep([n for n in c.names() if n]) for c in cvms):
        attach_hosts(agent, cvms)
        if not any(c.host for c in cvms):
            where += " (host names unknown: the agent's VM table names no CVM)"
    return select(cvms, options, lambda c: [n for n in c.names() if n], where, what="CVM")


def name_hosts(agent, cvms, troubled):
    """Name the hosts of the CVMs when one is in trouble (`troubled(cvm)`), so that the problem
    line names the node; a sound cluster costs no VM table walk. Returns None, or why the
    names could not be read (the verdicts stand without them)."""
    from ..snmp.session import SnmpError

    if all(c.host for c in cvms) or not any(troubled(c) for c in cvms):
        return None
    try:
        attach_hosts(agent, cvms)
    except SnmpError as exc:
        return "the CVMs' host names could not be read: %s" % exc
    return None


class CvmVerdict(NodeVerdict):
    """A CVM's verdict. In trouble its words start with its host when known (`NTNX-...-C-CVM
    (host node-03: data services Down)`); checked alone, the scope is the host
    (cvm_result)."""

    __slots__ = ("host", "host_ok")

    def __init__(self, cvm, items, metrics, ok_words, host_ok=None):
        ok = ok_words
        if ok and cvm.host:
            ok += ", host %s" % clean(cvm.host)
        NodeVerdict.__init__(self, clean(cvm.name), folded(items, ok), metrics, ok)
        self.host = clean(cvm.host) if cvm.host else None
        self.host_ok = host_ok or ok_words  # the OK words when the scope names the host

    def brief(self):
        words = NodeVerdict.brief(self)
        if self.host and self.state != State.OK:
            return "host %s: %s" % (self.host, words)
        return words


def cvm_result(cluster, verdicts, is_filtered, ok_summary, hosts_note=None, **kwargs):
    """node_result() over CVM verdicts; one CVM checked whose host is known has the host as
    scope (`PROD-A/node-03`): on-call sees the node, perfdata keeps the CVM's name."""
    info = list(kwargs.pop("info", ()))
    if hosts_note:
        info.append(clean(hosts_note))
    result = node_result(clean(cluster), verdicts, is_filtered, ok_summary, info=info,
                         noun="CVMs", **kwargs)
    if is_filtered and len(verdicts) == 1 and getattr(verdicts[0], "host", None):
        result.scope = "%s/%s" % (clean(cluster), verdicts[0].host)
        result.ok_summary = verdicts[0].host_ok
    return result


# ------------------------------------------------------------------ usage of pools/containers


class Usage:
    """A storage object's row: name, capacity, usage, IOPS, latency (the attributes
    storage.space_metrics reads, so both storage checks label their perfdata alike)."""

    __slots__ = ("name", "id", "capacity", "used", "iops", "latency_us", "bandwidth_kBps")

    def __init__(self, name, id=None, capacity=None, used=None, iops=None, latency_us=None,
                 bandwidth_kBps=None):
        self.name = name
        self.id = id
        self.capacity = capacity
        self.used = used
        self.iops = iops
        self.latency_us = latency_us
        self.bandwidth_kBps = bandwidth_kBps

    @property
    def percent(self):
        if self.capacity is None or self.used is None or self.capacity <= 0:
            return None
        return self.used * 100.0 / self.capacity


def usage_rows(rows):
    from ..snmp.session import number, text

    return [Usage(text(r.get("name")) or "#%s" % index, text(r.get("id")),
                  number(r.get("total_bytes")), number(r.get("used_bytes")),
                  number(r.get("iops")), number(r.get("latency_us")),
                  number(r.get("bandwidth_kBps")))
            for index, r in rows.items()]


def used_words(obj):
    """`18.5 % used (15.5 TiB of 83.8 TiB)`: the Prism storage check's way of saying it."""
    from .storage import percent

    return "%s used (%s of %s)" % (percent(obj.percent), size(obj.used), size(obj.capacity))


def judge_usage(obj, options, prefix):
    """(items, metrics, brief) of one pool or container."""
    from .storage import percent, space_metrics

    usage = Thresholds(options.warning, options.critical)
    latency = thresholds(options, "latency")
    items = []
    pct = obj.percent
    if pct is None:
        items.append(Item(State.UNKNOWN, "capacity or usage not served",
                          brief="usage unknown"))
    else:
        items.append(Item(usage.evaluate(pct), used_words(obj),
                          brief="%s used" % percent(pct)))
    metrics = space_metrics(prefix, obj, usage, instance=obj.name)
    if obj.latency_us is not None:
        state = latency.evaluate(obj.latency_us)
        items.append(Item(state, "average IO latency %s" % latency_words(obj.latency_us),
                          brief="latency %s" % latency_words(obj.latency_us)))
    metrics.append(Metric("io.latency.microseconds", obj.latency_us, "us", latency.warning,
                          latency.critical, 0, instance=obj.name))
    metrics.append(Metric("io.operations.persecond", obj.iops, "", minimum=0,
                          instance=obj.name))
    brief = "%s used" % percent(pct) if pct is not None else "usage unknown"
    return items, metrics, brief


def collect_usage(context, table, noun):
    """(cluster, [Usage] kept by --filter-name, filtered, agent) of the pool or container
    table."""

    def read(agent):
        rows = usage_rows(agent.table(table))
        cluster = cluster_name(agent)
        chosen = select(rows, context.options, lambda u: [u.name, u.id],
                        "cluster %s (%s)" % (clean(cluster), table.name), what=noun)
        return cluster, chosen, filtered(context.options), agent.target.host

    return read_cvm_agent(context, read)


def evaluate_usage(model, options, noun, plural, prefix):
    """The node-scoped result shape over pools or containers: one verdict each."""
    from .storage import percent

    cluster, objects, is_filtered, agent = model
    verdicts = []
    for obj in objects:
        items, metrics, brief = judge_usage(obj, options, prefix)
        verdicts.append(NodeVerdict(clean(obj.name), items, metrics, brief))
    pcts = [o.percent for o in objects if o.percent is not None]
    ok = "%d %s" % (len(objects), noun if len(objects) == 1 else plural)
    if len(pcts) == 1:
        ok += ", %s used" % percent(pcts[0])
    elif pcts:
        ok += ", the fullest %s used" % percent(max(pcts))
    return node_result(clean(cluster), verdicts, is_filtered, ok, noun=plural,
                       notes=["source: NUTANIX-MIB on %s" % agent])


def usage_alerts(noun, plural):
    return (
        Alert("WARNING", "a %s at or above -w (default 80 %%) used" % noun,
              "Free space in it (old snapshots, unused VMs or vDisks) or extend it; at -c "
              "(default 90 %, CRITICAL) writes are close to failing and the cluster may "
              "not rebuild after a node loss."),
        Alert("WARNING", "a %s's latency outside --warning-latency/--critical-latency" % noun,
              "Look at Prism > Analysis for the VMs driving the IO."),
        SNMP_UNKNOWN_ALERT,
        Alert("UNKNOWN", "--filter-name matches no %s" % noun,
              "The line lists the %s the agent knows." % plural),
    )


def usage_metrics(per, prefix):
    """The perfdata of pools or containers: the Prism storage check's names where the meaning
    is the same."""
    return (
        MetricSpec(prefix + ".space.usage.bytes", "B", "used bytes; max is the capacity",
                   per_instance=per, minimum=0),
        MetricSpec(prefix + ".space.capacity.bytes", "B", "capacity as the agent reports it",
                   per_instance=per, minimum=0),
        MetricSpec(prefix + ".space.usage.percentage", "%", "used / capacity; -w/-c apply",
                   per_instance=per, minimum=0, maximum=100),
        MetricSpec("io.latency.microseconds", "us", "average IO latency", per_instance=per,
                   minimum=0),
        MetricSpec("io.operations.persecond", "", "IOPS", per_instance=per, minimum=0),
    )
