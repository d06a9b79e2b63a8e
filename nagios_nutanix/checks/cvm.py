"""`cvm`: is the Controller VM of each node on, are its core services running, is it busy?

Service states come from up to three sources, named on every service line:
1. the Genesis RPC (EXPERIMENTAL: its `get_cluster_status` payload is not documented; see
   prism/genesis.py), when the cluster answers it;
2. direct API signals: the CVM's power state, the host's `is_degraded`, and the node's
   `metadata_store_status` (Cassandra ring membership);
3. unresolved alerts that name a service on the node (NUTANIX-MIB trap families).
A service with none of these against it, on a CVM that is on and not degraded, is OK by
inference ("no service alert, CVM up"), said as such; `--require-direct-evidence` makes such
services UNKNOWN instead. Never OK by inference: a service the Genesis answer leaves out of a
CVM's service list, or any service when the alerts could not be read (the run is then UNKNOWN
and says so first, even where the Genesis RPC answered). --services refuses names it does not
know, so a misspelt service is never reported OK.
"""

import re

from ..nodes import FILTER_OPTIONS, NodeVerdict, filtered, node_result
from ..plugin import words as wording
from ..plugin.errors import PluginError, UsageError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State, severity, worst
from ..prism.genesis import service_key
from .node_words import alert_text, alerts_unreadable, not_available
from .spec import Alert, CheckSpec, MetricSpec, Option, threshold_options

DEFAULT_SERVICES = ("stargate", "curator", "cassandra", "chronos")
SOURCES = ("auto", "genesis", "api")

# `cluster status` prints no "Cassandra" line: the metadata store shows as Medusa (reference
# §3.1). A Genesis entry named Cassandra is used when there is one, else Medusa [INFERRED].
GENESIS_NAMES = {"cassandra": ("cassandra", "medusa")}
ALERT_NAMES = {"cassandra": ("cassandra", "medusa")}

# Services as `cluster status` names them (reference §3.1), for finding service names in alert
# messages; words that are also ordinary English (security, flow, catalog) are left out.
KNOWN_SERVICES = (
    "zeus", "scavenger", "xmount", "sysstatcollector", "ikatproxy", "ikatcontrolplane",
    "sslterminator", "securefilesync", "medusa", "dynamicringchanger", "pithos", "insightsdb",
    "athena", "mercury", "mantle", "vipmonitor", "stargate", "insightsdatatransfer", "ergon",
    "goergon", "cerebro", "chronos", "curator", "prism", "hera", "cim", "alertmanager",
    "arithmos", "acropolis", "uhura", "nutanixguesttools", "minervacvm", "clusterconfig",
    "aplosengine", "aplos", "placementsolver", "lazan", "polaris", "delphi", "anduril", "xtrim",
    "clusterhealth", "cassandra", "genesis", "zookeeper")
# What --services accepts: the names above and those ordinary words (reference §3.1); any
# other name is refused, so a misspelt service is never reported OK by inference.
SERVICE_NAMES = KNOWN_SERVICES + ("catalog", "security", "flow")

# Alert families (NUTANIX-MIB trap names; alerts.py matches them to alert titles).
# One service each: (family, service, state, words).
SERVICE_ALERTS = (
    ("StargateTemporarilyDown", "stargate", State.CRITICAL, "DOWN"),
    ("CassandraServiceCrashed", "cassandra", State.CRITICAL, "crashing"),
    ("CassandraServiceIsRunningOutOfMemory", "cassandra", State.WARNING,
     "running out of memory"),
    ("MetadataServiceRestartingFrequentlyDueToLongGCPauses", "cassandra", State.WARNING,
     "restarting frequently"),
    ("NodeDetachedFromMetadataRing", "cassandra", State.CRITICAL, "out of the metadata ring"),
    ("ZookeeperNotActiveOnAllCVMs", "zeus", State.CRITICAL, "not active"),
    ("PrismIsRestartingFrequently", "prism", State.WARNING, "restarting frequently"),
    ("TomcatIsRestartingFrequently", "prism", State.WARNING, "restarting frequently"),
    ("AplosGatewayIsDown", "aplos", State.CRITICAL, "DOWN"),
    ("AplosEngineIsDown", "aplosengine", State.CRITICAL, "DOWN"),
)
# The services concerned are named in the alert's message or context: (family, state, words).
NAMED_SERVICE_ALERTS = (
    ("ClusterServicesAreDown", State.CRITICAL, "DOWN"),
    ("CVMServicesRestartingFrequently", State.WARNING, "restarting frequently"),
    ("ClusterServiceRestartingFrequently", State.WARNING, "restarting frequently"),
    ("CVMPythonServicesRestartingFrequently", State.WARNING, "restarting frequently"),
)
# About the whole CVM: (family, state, words, whether services can still be inferred OK).
CVM_ALERTS = (
    ("CVMIsUnreachable", State.CRITICAL, "CVM unreachable", False),
    ("PossibleDegradedNode", State.CRITICAL, "services possibly not making progress", False),
    ("NodeIsInDegradedState", State.CRITICAL, "node degraded", False),
    ("CVMRebooted", State.WARNING, "CVM rebooted recently", True),
)

GENESIS_LABEL = "Genesis RPC, experimental"
GENESIS_ON_PC = ("--service-source genesis: the Genesis RPC is a Prism Element RPC and Prism "
                 "Central does not forward it; point -H at the cluster's Prism Element VIP, or "
                 "use --service-source auto or api")
# Why an OK is inferred, in the words every line uses.
INFERRED = "no service alert, CVM up"
INFERRED_PC = ("no service alert, node not degraded; CVM power and service states not available "
               "from Prism Central")
ALERTS_UNREADABLE = "alerts unreadable"
# Judgement.explained: the cluster-level "alerts unreadable" item speaks for the service.
BY_CLUSTER = "cluster"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_SERVICE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class CvmModel:
    """What `cvm` judges: the inventory, the chosen nodes, and each source's answer or the
    reason it has none."""

    def __init__(self, inventory, nodes, filtered=False, genesis=None, genesis_reason=None,
                 alerts=None, alerts_reason=None, source="auto"):
        self.inventory = inventory
        self.nodes = list(nodes)
        self.filtered = filtered
        self.genesis = genesis  # GenesisStatus or None
        self.genesis_reason = genesis_reason  # why there is no Genesis answer
        self.alerts = alerts  # unresolved PrismAlerts, or None
        self.alerts_reason = alerts_reason  # why they could not be read
        self.source = source  # --service-source


def selected_services(options):
    """--services values (repeatable, comma-separated) as lower-case names, in order."""
    given = getattr(options, "services", None)
    if not given:
        return list(DEFAULT_SERVICES)
    if isinstance(given, str):
        given = [given]
    names = []
    for value in given:
        for name in str(value).split(","):
            name = name.strip().lower()
            if not name:
                continue
            if not _SERVICE_NAME.match(name):
                raise UsageError("bad --services name %r: use service names such as "
                                 "stargate,curator,cassandra,chronos" % clean(name))
            if service_key(name) not in SERVICE_NAMES:
                raise UsageError(_unknown_service(name))
            if name not in names:
                names.append(name)
    if not names:
        raise UsageError("--services is empty: name at least one service")
    return names


def _unknown_service(name):
    import difflib

    near = difflib.get_close_matches(service_key(name), SERVICE_NAMES, n=1)
    return "bad command line: unknown service %r in --services%s; known: %s" % (
        clean(name), " (did you mean %s?)" % near[0] if near else "",
        ", ".join(sorted(SERVICE_NAMES)))


def refuse_genesis_on_central(kind, source):
    if kind == "pc" and source == "genesis":
        raise PluginError(GENESIS_ON_PC)


def collect(context):
    from ..nodes import select_nodes
    from ..prism import alerts as alertlib
    from ..prism import genesis as genesislib
    from ..prism import inventory

    options = context.options
    selected_services(options)  # a bad --services fails before any request
    source = options.service_source
    if source == "genesis":  # the target's kind only (its answer is cached for the inventory)
        refuse_genesis_on_central(inventory.connect(context)[1], source)
    found = inventory.collect(context)
    client = context.prism()
    nodes = select_nodes(found, options)
    model = CvmModel(found, nodes, filtered=filtered(options), source=source)
    if source in ("auto", "genesis"):
        if found.kind == "pc":
            model.genesis_reason = "Prism Central does not forward it to the cluster's Genesis"
        else:
            model.genesis, model.genesis_reason = genesislib.read_status(client)
    if source in ("auto", "api"):
        model.alerts, model.alerts_reason = alertlib.read_unresolved(
            client, found.kind, found.cluster.uuid)
    return model


# -- evidence ----------------------------------------------------------------------------------
class Judgement:
    """One service on one node: state, the words for the first line, the long-output line."""

    __slots__ = ("service", "state", "word", "text", "source", "basis", "explained", "reason")

    def __init__(self, service, state, word, text, source, basis=None, explained=False,
                 reason=None):
        self.service = service
        self.state = state
        self.word = word  # "DOWN", "restarting frequently", "unknown", "UP", "OK"
        self.text = text
        self.source = source
        self.basis = basis  # for OK: "genesis", "ring" or "inferred"
        self.explained = explained  # a node-level item already explains it
        self.reason = reason  # for UNKNOWN: why, in a few words


def _tokens(alert):
    text = " ".join([alert.title or "", alert.message or ""]
                    + [str(v) for v in alert.context.values()])
    return {w.lower() for w in _WORD.findall(text)}


def service_alerts(alerts, services):
    """(per service: [(state, words, alert)], CVM-wide: [(state, words, blocks, alert)],
    [(alert, names of unselected services it names)]) from one node's unresolved alerts."""
    per_service = {name: [] for name in services}
    by_key = {service_key(name): name for name in services}
    cvm_wide, others = [], []
    for alert in alerts:
        matched = False
        for family, service, state, words in SERVICE_ALERTS:
            if alert.in_family([family]):
                matched = True
                if service in by_key:
                    per_service[by_key[service]].append((state, words, alert))
                else:
                    others.append((alert, [service]))
        if matched:
            continue
        for family, state, words in NAMED_SERVICE_ALERTS:
            if not alert.in_family([family]):
                continue
            matched = True
            tokens = _tokens(alert)
            hit = [s for s in services if set(ALERT_NAMES.get(s, (service_key(s),))) & tokens]
            for service in hit:
                per_service[service].append((state, words, alert))
            if not hit:
                named = sorted(t for t in tokens if t in KNOWN_SERVICES)
                if named:
                    others.append((alert, named))
                else:  # which services is not said: it may be any of ours
                    cvm_wide.append((state, "unnamed services %s" % words, False, alert))
        if matched:
            continue
        for family, state, words, infer in CVM_ALERTS:
            if alert.in_family([family]):
                cvm_wide.append((state, words, infer, alert))
    return per_service, cvm_wide, others


def _genesis_text(found):
    if found.pids:
        return wording.plural(len(found.pids), "process", "processes")
    if found.pids == []:
        return "no process"
    return "state %s" % clean(found.state)


def _judge(service, node, facts, blockers, options):
    """The Judgement of one service on one node; `blockers` are the node-level reasons
    (text, explained) that stop an OK being inferred."""
    evidence = []  # (state, word, words, source)
    if facts["cvm_off"]:
        return Judgement(service, State.CRITICAL, "DOWN",
                         "%s DOWN (CVM %s)" % (service, facts["cvm_off"]),
                         "v1 vms powerState", explained=True)
    entry = facts["genesis_entry"]
    if entry is not None:
        found = entry.service(GENESIS_NAMES.get(service, (service,)))
        if found is not None:
            alias = "" if service == found.name.lower() else " entry %s" % clean(found.name)
            state = {"UP": State.OK, "DOWN": State.CRITICAL}.get(found.state, State.WARNING)
            word = found.state if found.state in ("UP", "DOWN") else "state %s" % found.state
            evidence.append((state, word, "Genesis RPC (experimental)%s: %s" % (
                alias, _genesis_text(found)), "Genesis RPC (experimental)"))
    if facts["use_api"] and service == "cassandra" and node.metadata_status is not None:
        status = clean(node.metadata_status)
        message = ": " + clean(node.metadata_message) if node.metadata_message else ""
        if node.metadata_normal:
            evidence.append((State.OK, "in the metadata ring",
                             "metadata store %s%s" % (status, message), "metadata_store_status"))
        else:
            evidence.append((State.CRITICAL, "not in the metadata ring",
                             "metadata store %s%s" % (status, message), "metadata_store_status"))
    for state, word, alert in facts["service_alerts"].get(service, ()):
        evidence.append((state, word, alert_text(alert), "alerts"))
    if evidence:
        worst_state = worst(e[0] for e in evidence)
        picked = [e for e in evidence if e[0] == worst_state][0]
        words = "; ".join(e[2] for e in evidence)
        sources = " + ".join(dict.fromkeys(e[3] for e in evidence))
        word = picked[1]
        if worst_state != State.OK and picked[3] == "alerts" and any(
                e[0] == State.OK and e[3].startswith("Genesis") for e in evidence):
            # The experimental source does not overrule an open alert; both are said.
            word = "%s per alert (Genesis RPC: UP)" % word
        if worst_state == State.OK:
            basis = "genesis" if picked[3].startswith("Genesis") else "ring"
            word = "UP" if basis == "genesis" else word
            return Judgement(service, State.OK, word, "%s %s (%s)" % (service, word, words),
                             sources, basis=basis)
        return Judgement(service, worst_state, word, "%s %s (%s)" % (service, word, words),
                         sources)
    return _infer(service, facts, blockers, options)


def _unknown(service, reason, text, explained=False):
    return Judgement(service, State.UNKNOWN, "unknown", "%s unknown (%s)" % (service, text),
                     "none", explained=explained, reason=reason)


def _infer(service, facts, blockers, options):
    """No source said anything about the service: OK by inference, or UNKNOWN and why."""
    entry = facts["genesis_entry"]
    if not facts["use_api"]:  # --service-source genesis: the Genesis RPC or nothing
        if entry is not None:
            return _unknown(service, "not in the Genesis answer",
                            "the Genesis RPC answer (experimental) lists no such service")
        if facts["genesis_reason"]:
            return _unknown(service, "Genesis RPC unavailable",
                            "the Genesis RPC (experimental) gave no answer, and "
                            "--service-source genesis uses nothing else")
        return _unknown(service, "no Genesis entry for this CVM",
                        "the Genesis RPC answer (experimental) has no entry for this CVM")
    if blockers:
        text, explained = blockers[0]
        return _unknown(service, text, "not verified: %s" % text, explained=explained)
    if entry is not None and entry.services:
        # The answer lists this CVM's services but not this one: something is off (a stopped
        # service missing from the list, or a parse the guesswork got wrong); never OK.
        return _unknown(service, "not in the Genesis answer",
                        "the Genesis RPC answer (experimental) lists this CVM's services but "
                        "not %s" % service)
    if facts["alerts_reason"]:
        return _unknown(service, ALERTS_UNREADABLE,
                        "the alerts could not be read, so no OK can be inferred",
                        explained=BY_CLUSTER)
    basis = INFERRED_PC if facts["pc"] else INFERRED
    if getattr(options, "require_direct_evidence", False):
        return _unknown(service, "no direct evidence (--require-direct-evidence)",
                        "no direct evidence; inferred OK (%s) refused by "
                        "--require-direct-evidence" % basis.split(";")[0])
    return Judgement(service, State.OK, "OK", "%s OK (%s)" % (service, basis),
                     "inferred from CVM power, host flags and alerts", basis="inferred")


# -- one node ----------------------------------------------------------------------------------
def _percent(value):
    return "%s%%" % ("%.1f" % value).rstrip("0").rstrip(".")


def _node_facts(node, model, services):
    pc = model.inventory.kind == "pc"
    use_api = model.source != "genesis"
    power_known = not pc and "CVM power state" not in model.inventory.not_available
    entry = None
    if model.genesis is not None:
        entry = model.genesis.for_node(node.names() + [node.cvm_uuid, node.cvm_name])
    node_alerts = []
    if use_api and model.alerts is not None:
        from ..prism.alerts import for_node

        node_alerts = for_node(model.alerts, node)
    per_service, cvm_wide, others = service_alerts(node_alerts, services)
    cvm_off = None
    if power_known and node.cvm_power not in (None, "ON", "UNKNOWN"):
        cvm_off = "powered off" if node.cvm_power == "OFF" else clean(node.cvm_power).lower()
    return {
        "pc": pc, "use_api": use_api, "power_known": power_known, "genesis_entry": entry,
        "genesis_reason": model.genesis_reason, "alerts_reason": model.alerts_reason,
        "service_alerts": per_service, "cvm_wide": cvm_wide, "others": others,
        "cvm_off": cvm_off,
    }


def _node_items(node, facts):
    """(node-level items: power, Genesis CVM state, degraded, CVM-wide alerts; blockers: the
    reasons (text, explained by an item) that stop services being inferred OK)."""
    items, blockers = [], []
    cvm = clean(node.cvm_name) or "CVM"
    if facts["power_known"]:
        if node.cvm_power == "ON":
            items.append(Item(State.OK, "CVM %s on" % cvm, source="v1 vms powerState"))
        elif facts["cvm_off"]:
            items.append(Item(State.CRITICAL, "CVM %s %s" % (cvm, facts["cvm_off"]),
                              brief="CVM %s" % facts["cvm_off"], source="v1 vms powerState"))
        else:
            why = ("no CVM found for this host in the v1 vms list" if node.cvm_power is None
                   else "power state UNKNOWN")
            items.append(Item(State.UNKNOWN, "CVM power state not reported: %s" % why,
                              brief="CVM power state unknown", source="v1 vms powerState"))
            blockers.append(("CVM power state unknown", True))
    entry = facts["genesis_entry"]
    if entry is not None and entry.state not in (None, "UP") and not facts["cvm_off"]:
        words = "CVM %s" % ("down" if entry.state == "DOWN" else clean(entry.state).lower())
        items.append(Item(State.CRITICAL, "%s per the Genesis RPC (experimental)" % words,
                          brief="%s (Genesis RPC)" % words, source="Genesis RPC (experimental)"))
        blockers.append(("%s per the Genesis RPC" % words, True))
    if facts["use_api"]:
        if node.degraded:
            items.append(Item(State.CRITICAL, "node degraded (is_degraded): its services may "
                              "not be making progress", brief="node degraded",
                              source="hosts is_degraded"))
            blockers.append(("node degraded", True))
        elif node.degraded is None:
            blockers.append(("degraded flag not reported", False))
    for state, words, infer, alert in facts["cvm_wide"]:
        brief = "" if facts["cvm_off"] else "%s (alert)" % words
        items.append(Item(state, "%s (%s)" % (words, alert_text(alert)), brief=brief,
                          source="alerts"))
        if not infer:
            blockers.append((words, not facts["cvm_off"]))
    for alert, named in facts["others"]:
        items.append(Item(State.OK, "not checked (not in --services): %s named by %s"
                          % (", ".join(named), alert_text(alert)), brief="",
                          source="alerts"))
    return items, blockers


def _services_item(judgements, total, single, pc):
    """One item over the node's services: its brief is what the first line says of them."""
    bad = sorted((j for j in judgements if j.state in (State.CRITICAL, State.WARNING)
                  and not j.explained), key=lambda j: -severity(j.state))
    unknown = [j for j in judgements if j.state == State.UNKNOWN and not j.explained]
    parts = ["%s %s" % (j.service, j.word) for j in bad]
    if unknown:
        reasons = list(dict.fromkeys(j.reason for j in unknown))
        parts.append("%s unknown%s" % (", ".join(j.service for j in unknown),
                                       ": " + reasons[0] if len(reasons) == 1 else ""))
    down = sum(1 for j in judgements if j.state == State.CRITICAL)
    state = worst((j.state for j in judgements), default=State.UNKNOWN)
    brief = ", ".join(parts)
    if brief and single and down:
        brief += " (%d of %d services down)" % (down, total)
    if down:
        text = "%d of %d services down: %s" % (down, total, ", ".join(
            j.service for j in judgements if j.state == State.CRITICAL))
    elif state == State.OK:
        text = "services: %s" % "; ".join(_ok_words(judgements, pc))
    else:
        groups = {}
        for j in judgements:
            if j.state != State.OK:
                groups.setdefault((j.word, j.reason), []).append(j.service)
        text = "services: %s" % ", ".join(
            "%s %s%s" % (", ".join(names), word, " (%s)" % reason if reason else "")
            for (word, reason), names in groups.items())
    return Item(state, text, brief=brief)


def _ok_words(judgements, pc):
    """'stargate, curator UP (Genesis RPC, experimental); cassandra in the metadata ring' over
    the OK judgements."""
    groups = {}
    for j in judgements:
        if j.state == State.OK:
            groups.setdefault(j.basis, []).append(j)
    labels = {
        "genesis": "UP (%s)" % GENESIS_LABEL,
        "ring": "in the metadata ring",
        "inferred": "OK (%s)" % (INFERRED_PC if pc else INFERRED),
    }
    return ["%s %s" % (", ".join(j.service for j in group), labels.get(basis, "OK"))
            for basis, group in groups.items()]


def _usage(node, options):
    """(items, metrics, words for the OK line, missing: 'CPU'/'memory' not reported)."""
    items, metrics, words, missing = [], [], [], []
    for label, metric, value, warn, crit in (
            ("CPU", "cvm.cpu.utilization.percentage", node.cvm_cpu_percent,
             options.warning_cpu, options.critical_cpu),
            ("memory", "cvm.memory.utilization.percentage", node.cvm_memory_percent,
             options.warning_memory, options.critical_memory)):
        if value is None:
            missing.append(label)
            continue
        thresholds = Thresholds(warn, crit)
        state = thresholds.evaluate(value)
        text = "CVM %s %s" % (label, _percent(value))
        limits = ", ".join("%s %s" % (kind, limit) for kind, limit in (
            ("warning", thresholds.warning), ("critical", thresholds.critical)) if limit)
        items.append(Item(state, text + (" (%s)" % limits if limits else ""),
                          brief=text if state != State.OK else "", source="v1 vms stats"))
        words.append("%s %s" % (label, _percent(value)))
        metrics.append(Metric(metric, round(value, 2), "%", thresholds.warning,
                              thresholds.critical, 0, 100, instance=node.name))
    return items, metrics, words, missing


def judge_node(node, model, options, services, single=False):
    """(NodeVerdict, judgements, CPU/memory not reported, notes) of one node.

    Several nodes: services that only the unreadable alerts could have cleared are left to the
    cluster-level item, which names them once for every node."""
    facts = _node_facts(node, model, services)
    items, blockers = _node_items(node, facts)
    judgements = [_judge(s, node, facts, blockers, options) for s in services]
    shown = [j for j in judgements if single or j.explained != BY_CLUSTER]
    if shown:
        items.append(_services_item(shown, len(judgements), single, facts["pc"]))
    detail = single or getattr(options, "verbose", 0)
    for j in shown:  # OK ones only for one node or with -v: the line above names them
        if detail or j.state != State.OK:
            items.append(Item(j.state, j.text, brief="", source=j.source))
    usage_items, metrics, usage_words, missing = _usage(node, options)
    items.extend(usage_items)
    down = sum(1 for j in judgements if j.state == State.CRITICAL)
    metrics.insert(0, Metric("cvm.services.down.count", down, critical=Range.parse("0"),
                             minimum=0, maximum=len(judgements), instance=node.name))
    ok = []
    if facts["power_known"] and node.cvm_power == "ON":
        ok.append("CVM on")
    ok.extend(_ok_words(shown, facts["pc"]))
    if usage_words:
        ok.append("CVM " + ", ".join(usage_words))
    notes = []
    if model.genesis is not None and facts["genesis_entry"] is None and not facts["cvm_off"]:
        notes.append("the Genesis RPC answer (experimental) has no entry for %s (CVM %s)"
                     % (clean(node.name), clean(node.cvm_ip or "?")))
    if not detail and all(i.state == State.OK for i in items):
        items = [Item(State.OK, "; ".join(ok), brief="")]  # one line per healthy node
    verdict = NodeVerdict(clean(node.name), items, metrics, ok_brief="; ".join(ok))
    not_reported = missing if facts["power_known"] and not facts["cvm_off"] else []
    return verdict, judgements, not_reported, notes


# -- the whole run ------------------------------------------------------------------------------
def _basis_words(judgements, pc):
    kinds = dict.fromkeys(j.basis for j in judgements if j.state == State.OK)
    words = {"genesis": GENESIS_LABEL, "ring": "cassandra: metadata store normal",
             "inferred": INFERRED_PC if pc else INFERRED}
    return "; ".join(words[k] for k in kinds if k in words)


def _not_reported_info(missing_by_node):
    groups = {}
    for name, missing in missing_by_node:
        if missing:
            groups.setdefault(" and ".join(missing), []).append(name)
    return ["CVM %s not reported by Prism (v1 vms stats) for %s: not judged, no perfdata"
            % (what, ", ".join(names)) for what, names in groups.items()]


def _alerts_item(reason, unverified, nodes, single):
    """The one cluster-level item when the alerts could not be read: it names the services
    that no other source could clear (UNKNOWN, never OK), on which nodes, once."""
    head = alerts_unreadable(reason)
    groups = {}
    for name, services in unverified:
        if services:
            groups.setdefault(tuple(services), []).append(name)
    if not groups:
        return Item(State.UNKNOWN, "%s; open service and CVM alerts (service down, CVM "
                    "unreachable, restarting frequently) not checked" % reason,
                    brief="%s: service and CVM alerts not checked" % head, source="alerts")
    services = list(dict.fromkeys(s for key in groups for s in key))
    where = [n for names in groups.values() for n in names]
    if single:
        place = ""
    elif len(where) == nodes:
        place = " on every node"
    else:
        place = " on %s" % wording.listing(where)
    text = "; ".join(", ".join(key) + ("" if single else " on %s" % ", ".join(names))
                     for key, names in groups.items())
    return Item(State.UNKNOWN, "%s; services with no other evidence are UNKNOWN, never OK: %s"
                % (reason, text), brief="%s: %s unknown%s" % (head, ", ".join(services), place),
                source="alerts")


def evaluate(model, options):
    services = selected_services(options)
    inventory = model.inventory
    pc = inventory.kind == "pc"
    refuse_genesis_on_central(inventory.kind, model.source)
    single = model.filtered and len(model.nodes) == 1
    verdicts, everything, missing, notes, unverified = [], [], [], [], []
    for node in model.nodes:
        verdict, judgements, not_reported, node_notes = judge_node(
            node, model, options, services, single)
        verdicts.append(verdict)
        everything.extend(judgements)
        missing.append((clean(node.name), not_reported))
        unverified.append((clean(node.name),
                           [j.service for j in judgements if j.explained == BY_CLUSTER]))
        notes.extend(node_notes)

    extra, info = [], []
    if model.alerts_reason:
        extra.append(_alerts_item(model.alerts_reason, unverified, len(model.nodes), single))
    if model.source == "genesis":
        info.append("alerts not read (--service-source genesis): open service and CVM alerts "
                    "(CVM unreachable, restarting frequently) are not checked")
        if model.genesis is None:
            extra.append(Item(State.UNKNOWN, "Genesis RPC (experimental) unavailable: %s"
                              % model.genesis_reason,
                              brief="Genesis RPC (experimental) unavailable: %s"
                              % model.genesis_reason, source="Genesis RPC (experimental)"))
    elif model.genesis is None and model.genesis_reason and not pc:
        notes.append("Genesis RPC (experimental) not used: %s; services judged from the API "
                     "and alerts" % model.genesis_reason)
    if pc:
        gaps = [n for n in inventory.not_available if not n.startswith("fault tolerance")]
        gaps += ["CVM service states (no service API, and Prism Central does not forward the "
                 "Genesis RPC; services judged from unresolved alerts and the degraded flag)",
                 "CVM CPU and memory"]
        info.append(not_available(inventory.source, gaps))
    info.extend(_not_reported_info(missing))
    notes.append("source: %s; service source: %s" % (inventory.source, model.source))

    total = len(model.nodes)
    on = sum(1 for n in model.nodes if n.cvm_power == "ON")
    head = "" if pc else "%d of %d CVMs on; " % (on, total)
    ok_summary = "%s%s OK on %s (%s)" % (
        head, ", ".join(services), "every node" if total > 1 else "the node",
        _basis_words(everything, pc))
    return node_result(clean(inventory.cluster.name), verdicts, model.filtered, ok_summary,
                       extra=extra, info=info, notes=notes)


SPEC = CheckSpec(
    name="cvm",
    title="Controller VM of each node: power, core services, CPU and memory",
    description=(
        "Per node: the CVM's power state (not on: CRITICAL), its services (default stargate,\n"
        "curator, cassandra, chronos; any of them down: CRITICAL, restarting frequently:\n"
        "WARNING), and its CPU and memory utilization against thresholds. Each service line\n"
        "names the source that answered: the Genesis RPC (EXPERIMENTAL, unverified payload),\n"
        "direct API signals (CVM power, the host's is_degraded, metadata_store_status for\n"
        "cassandra), or unresolved alerts naming the service on that node. With none of them\n"
        "against it, on a CVM that is on and not degraded, a service is OK by inference and\n"
        "its line says so. Works against a Prism Element VIP, or Prism Central with\n"
        "--cluster NAME (fewer sources; the output says which are missing)."),
    scope="node",
    sources=("prism-element", "prism-central"),
    options=FILTER_OPTIONS + (
        Option(("--services",), "services to check, comma-separated or repeated, as `cluster "
               "status` names them (default stargate,curator,cassandra,chronos; e.g. zeus, "
               "medusa, pithos, cerebro, acropolis, prism); a name the check does not know is "
               "refused", metavar="LIST", type="list"),
        Option(("--service-source",), "where service states come from: auto (the Genesis RPC "
               "when the cluster answers it, plus API signals and alerts; the worst wins), "
               "genesis (only the Genesis RPC: EXPERIMENTAL, its payload is undocumented and "
               "parsed by guesswork; Prism Element only), api (API signals and alerts only) "
               "(default auto)", default="auto", choices=SOURCES, metavar="SOURCE"),
        Option(("--require-direct-evidence",), "a service with no source speaking for it is "
               "UNKNOWN instead of OK by inference (no service alert, CVM up)", type="flag"),
    ) + threshold_options("cpu", "the CVM's CPU", " in percent", "80", "90")
    + threshold_options("memory", "the CVM's memory", " in percent", "80", "90") + (
    ),
    metrics=(
        MetricSpec("cvm.services.down.count", "", "selected services judged down (CRITICAL) "
                   "on the node's CVM; critical above 0", per_instance="node", minimum=0),
        MetricSpec("cvm.cpu.utilization.percentage", "%", "CVM CPU utilization (v1 vms stats "
                   "hypervisor_cpu_usage_ppm, key INFERRED); --warning-cpu/--critical-cpu",
                   per_instance="node", minimum=0, maximum=100),
        MetricSpec("cvm.memory.utilization.percentage", "%", "CVM memory utilization (v1 vms "
                   "stats memory_usage_ppm, key INFERRED); --warning-memory/--critical-memory",
                   per_instance="node", minimum=0, maximum=100),
    ),
    alerts=(
        Alert("CRITICAL", "a CVM is not powered on",
              "The node serves no storage: its VMs run on the other CVMs' storage paths. Check "
              "Prism > VM > the CVM (or the AHV host's console) and power it on unless it was "
              "shut down on purpose; check the cluster check for reduced fault tolerance."),
        Alert("CRITICAL", "a selected service is down on a CVM (Genesis RPC, alert, or "
              "cassandra out of the metadata ring)",
              "On the CVM run `cluster status | grep -v UP` and `genesis status`; restart with "
              "`cluster start` only if the service stays down, and open a support case for "
              "crash loops. A node out of the metadata ring needs support to re-add it."),
        Alert("CRITICAL", "the node is degraded, or an alert says its CVM is unreachable or "
              "not making progress",
              "Prism > Hardware shows the degraded node; check the CVM's network and load, and "
              "the alert's KB article."),
        Alert("WARNING", "a selected service restarts frequently, or the CVM rebooted recently",
              "Look at the service's logs on that CVM (~/data/logs/<service>.FATAL) and the "
              "alert's KB article; repeated restarts often precede an outage."),
        Alert("WARNING", "CVM CPU or memory above --warning-cpu / --warning-memory (80 %)",
              "Sustained load slows storage I/O for every VM on the node; look for heavy "
              "Curator scans, replication or a CVM sized too small."),
        Alert("CRITICAL", "CVM CPU or memory above --critical-cpu / --critical-memory (90 %)",
              "As above, urgently: a starved CVM can stall I/O on its node."),
        Alert("UNKNOWN", "the alerts could not be read (service and CVM alerts unchecked), "
              "a service has no source (the Genesis RPC did not answer with --service-source "
              "genesis, or its answer lists the CVM's services but not that one), or "
              "--require-direct-evidence refused an inferred OK",
              "The line gives the reason; give the user the Viewer role for alerts, or use SNMP "
              "checks for positive per-service evidence."),
    ),
    collect=collect,
    evaluate=evaluate,
    notes=(
        "EXPERIMENTAL: the Genesis RPC source (POST v1/genesis, ClusterManager."
        "get_cluster_status) is not documented publicly; its payload is parsed by guesswork "
        "(a per-CVM map of service -> state and/or pid list; an empty pid list is DOWN). In "
        "--service-source auto a cluster that does not answer it, or answers something "
        "unrecognised, is skipped silently (-v says why); a selected service missing from a "
        "CVM's service list there is UNKNOWN, not inferred OK. Which Prism role it needs is not "
        "known either. Prism Central does not forward it: --service-source genesis against "
        "Prism Central is refused.",
        "cassandra: `cluster status` lists no Cassandra line; the metadata store shows as "
        "Medusa there, so from the Genesis RPC cassandra is its 'Cassandra' entry if any, else "
        "'Medusa' (INFERRED); from the API it is the node's metadata_store_status (ring "
        "membership; not normal: CRITICAL); alerts CassandraServiceCrashed and the like.",
        "Inferred OK: Nutanix health checks raise StargateTemporarilyDown, "
        "ClusterServicesAreDown, CassandraServiceCrashed and similar alerts within minutes of "
        "a service dying, so a service with no such alert on a CVM that is on and not "
        "degraded is reported OK with the words 'no service alert, CVM up'. When the alerts "
        "cannot be read, the run is UNKNOWN and says so first, even where the Genesis RPC "
        "answered: CVM-wide alerts (unreachable, restarting frequently) went unchecked.",
        "CVM CPU and memory come from the v1 vms stats of the CVM (keys INFERRED); when Prism "
        "does not report them the output says so and gives no perfdata for them.",
        "On Prism Central there is no service API, no CVM power state and no CVM stats: "
        "services are judged from unresolved alerts and the degraded flag; the first line says "
        "'CVM power and service states not available from Prism Central' and the long output "
        "lists what was not available.",
    ),
)
