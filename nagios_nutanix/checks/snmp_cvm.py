"""`snmp-cvm`: each CVM's status and its data and metadata services, from NUTANIX-MIB's
controllerStatusTable (.11) joined with controllerVMResourceTable (.4), plus the per-service
pid lists of the obsolete serviceStatusTable (.2) when the agent still serves it."""

from collections import namedtuple

from ..nodes import NodeVerdict, node_result
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
from .snmp_common import (
    SNMP_UNKNOWN_ALERT,
    cluster_name,
    cvm_directory,
    filter_options,
    filtered,
    find_cvm,
    folded,
    open_cvm_agent,
    select_cvms,
    status_state,
)
from .spec import Alert, CheckSpec, MetricSpec

Model = namedtuple("Model", "cluster cvms filtered obsolete agent")

OBSOLETE = "obsolete serviceStatusTable"
CST = "controllerStatusTable"


def collect(context):
    from ..snmp import mib

    agent = open_cvm_agent(context)
    try:
        resources = agent.table(mib.CVM_RESOURCES)
        statuses = agent.table(mib.CONTROLLER_STATUS)
        services = agent.table(mib.SERVICE_STATUS, required=False)
        cluster = cluster_name(agent)
        cvms = cvm_directory(resources, statuses)
        for row in services.values():
            cvm = find_cvm(cvms, row.get("cvm_id"))
            if cvm is not None:
                cvm.services = row
        chosen = select_cvms(agent, cvms, context.options,
                             "cluster %s (controllerVMResourceTable)" % clean(cluster))
    finally:
        agent.close()
    return Model(cluster, chosen, filtered(context.options), bool(services), agent.target.host)


def judge(cvm, obsolete):
    from ..snmp.session import text

    items = []
    down = 0
    if cvm.status is None:
        items.append(Item(State.UNKNOWN, "no %s row for this CVM (id %s)" % (
            CST, ", ".join(clean(i) for i in cvm.ids) or "unknown"), brief="status not served"))
    else:
        for column, words in (("cvm_status", "CVM"), ("data_services", "data services"),
                              ("metadata_services", "metadata services")):
            raw = cvm.status.get(column)
            state, word = status_state(text(raw))
            if raw is None:
                items.append(Item(State.UNKNOWN, "%s status not served" % words,
                                  brief="%s status unknown" % words, source=CST))
                continue
            if state == State.UNKNOWN:
                items.append(Item(state, "%s status %r is not a known status word" % (
                    words, word), brief="%s %r" % (words, word), source=CST))
            else:
                items.append(Item(state, "%s %s" % (words, word), source=CST))
            down += state == State.CRITICAL
    if cvm.services is not None:
        stopped, running = [], []
        for service in _services():
            pids = cvm.services.get(service)
            if pids is None:  # column not served: nothing to say about that service
                continue
            (running if text(pids) else stopped).append(service)
        for service in stopped:
            items.append(Item(State.CRITICAL, "%s DOWN: no pid in the %s" % (service, OBSOLETE),
                              brief="%s DOWN" % service, source=OBSOLETE))
        if running:
            items.append(Item(State.OK, "running per the %s: %s" % (OBSOLETE,
                                                                   ", ".join(running)),
                              source=OBSOLETE))
        down += len(stopped)
    elif obsolete:
        items.append(Item(State.OK, "no %s row for this CVM" % OBSOLETE, source=OBSOLETE))
    metrics = [Metric("cvm.services.down.count", down, "", critical=Range.parse("0"), minimum=0,
                      instance=cvm.name)]
    ok = []
    if cvm.status is not None:
        ok.append("CVM %s, data and metadata services %s" % (
            clean(text(cvm.status.get("cvm_status")) or "?"),
            clean(text(cvm.status.get("data_services")) or "?")))
    if cvm.host:
        ok.append("host %s" % clean(cvm.host))
    ok_text = ", ".join(ok) or None
    return NodeVerdict(clean(cvm.name), folded(items, ok_text), metrics, ok_text)


def _services():
    from ..snmp.mib import SERVICE_COLUMNS

    return SERVICE_COLUMNS


def evaluate(model, options):
    verdicts = [judge(cvm, model.obsolete) for cvm in model.cvms]
    info = []
    by_index = [c for c in model.cvms if c.joined == "index"]
    if by_index:
        info.append("controllerVMResourceTable and %s name these CVMs by different ids, rows "
                    "joined by position (INFERRED to match): %s" % (CST, ", ".join(
                        "%s = %s" % (clean(c.name), " / ".join(clean(i) for i in c.ids))
                        for c in by_index)))
    up = sum(1 for v in verdicts if v.state == State.OK)
    ok = "%d of %d CVMs up, data and metadata services up" % (up, len(verdicts))
    return node_result(clean(model.cluster), verdicts, model.filtered, ok, info=info,
                       notes=["source: NUTANIX-MIB %s and controllerVMResourceTable%s on %s" % (
                           CST, " (and the %s)" % OBSOLETE if model.obsolete else "",
                           model.agent)], noun="CVMs")


SPEC = CheckSpec(
    name="snmp-cvm",
    title="CVM status and its data and metadata services over SNMP (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's controllerStatusTable (.11) joined with controllerVMResourceTable\n"
        "(.4) from the Nutanix agent on a CVM or the cluster VIP: per CVM its status, the core\n"
        "data services (Stargate) and the metadata services (Cassandra/Medusa); anything not\n"
        "Up is CRITICAL. When the agent still serves the obsolete serviceStatusTable (.2), each\n"
        "service's pid list is checked as well (empty: DOWN, CRITICAL), labelled as coming from\n"
        "that obsolete table. --filter-name picks one CVM by its name or id, or by its host's\n"
        "name (found through the VM table)."),
    scope="node",
    sources=("NUTANIX-MIB",),
    options=filter_options("CVM name, CVM id, or the name of the CVM's AHV host"),
    metrics=(
        MetricSpec("cvm.services.down.count", "", "status columns and (obsolete table) services "
                   "that are down; critical above 0", per_instance="CVM", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "a CVM, its data services or its metadata services are not Up",
              "Log in to the CVM and run `cluster status`; `cluster start` restarts stopped "
              "services. A CVM that keeps losing Stargate or Cassandra needs a support case. "
              "The cluster tolerates one CVM down (RF2): do not take another node down "
              "meanwhile."),
        Alert("CRITICAL", "a service's pid list is empty in the obsolete serviceStatusTable",
              "As above, for the named service; the table is obsolete, so confirm with "
              "`cluster status` before acting."),
        Alert("UNKNOWN", "a status is not a known word (the MIB does not list its values)",
              "The line shows the raw value: report it so the vocabulary can be learned."),
        SNMP_UNKNOWN_ALERT,
        Alert("UNKNOWN", "--filter-name matches no CVM",
              "The line lists the CVMs the agent knows: fix the monitoring host's FILTERNAME."),
    ),
    collect=collect,
    evaluate=evaluate,
    notes=(
        "The status vocabulary is not documented: Up/started/running/on/ok/normal count as up "
        "and Down/stopped/off/failed/dead as down, case-insensitively (INFERRED); anything else "
        "is UNKNOWN with the raw value.",
        "Finding a CVM's host reads the VM table, where CVMs are listed as VMs (INFERRED); it is "
        "read only when --filter-name does not match a CVM name or id.",
    ),
    protocol="snmp",
)
